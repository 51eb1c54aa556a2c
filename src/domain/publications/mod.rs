//! The ISU's charts and management reports (docs/domain.md §14): the figures the
//! Coordination Committee, donors and delegations look at, drawn from the data every other
//! domain keeps, and the documents the ISU issues each year.
//!
//! - [`access`]: who may read which chart or report (one rule each, applied by every path).
//! - [`charts`]: each chart's figures, gathered in a fixed number of statements and handed
//!   to [`crate::kernel::charts`] as plain data.
//! - [`annual`], [`progress`], [`profile`]: the annual report on activities and finances, an
//!   action plan's progress report and a State's profile, each a
//!   [`crate::kernel::typeset::Document`] built from a fixed number of statements, whatever
//!   the number of States, needs or meetings.
//!
//! Depends on the domains whose figures it shows (states, reports, cooperation, sponsorship,
//! budget, records, action_plan); none depends on it.

pub mod access;
pub mod annual;
mod blocks;
pub mod charts;
pub mod profile;
pub mod progress;

use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

/// What a chart or a report is built from besides the database: the day, and the settings
/// of the domains whose figures it shows.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub db: &'a DatabaseConnection,
    /// Today (`ISU_TODAY` pins it): the "as of" date and the date of issue.
    pub today: NaiveDate,
    pub budget: &'a crate::domain::budget::BudgetConfig,
    pub sponsorship: &'a crate::domain::sponsorship::SponsorshipConfig,
    pub cooperation: &'a crate::domain::cooperation::CooperationConfig,
}

/// Who issues the reports, as printed on them.
pub const AUTHOR: &str = "Implementation Support Unit of the Convention on Cluster Munitions";
