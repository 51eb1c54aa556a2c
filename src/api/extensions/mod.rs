//! Extension requests (Articles 3 and 4): the request and its filter and inputs (`types`),
//! the list (`query`), the milestones ahead (`milestones`), the State's and the ISU's writes
//! (`mutation`: open, update, submit, withdraw) and the analysis and decision (`analysis`:
//! questions, answers, the meeting's decision). Thin wrappers over `domain::extensions`,
//! which applies who reads what.

pub mod analysis;
pub mod milestones;
pub mod mutation;
pub mod query;
pub mod types;
