//! Action plan monitoring (docs/domain.md §11): the States parties' action plans, their
//! numbered actions in sections and the actions' indicators; the values the ISU records;
//! the values the system computes from its own history; each year's progress. Everyone
//! reads all of it (it is published in the progress report); only the ISU writes. Depends
//! on `states`, `reports`, `cooperation`, `sponsorship` (the facts indicators are computed
//! from) and `records` (the decisions that serve an action).
//!
//! - [`plans`]: writing and reading plans, actions, indicators and recorded values.
//! - [`import`]: a plan's actions and indicators from a CSV file, all or nothing.
//! - [`facts`]: what the computed indicators read, from the system's history.
//! - [`values`]: every indicator's values, a year's progress, the workplan activities that
//!   name an action.

pub mod facts;
pub mod import;
pub mod plans;
pub mod values;
