//! Pure rules: plain data in, plain data out; no database, no GraphQL.

pub mod allocation;
pub mod eligibility;
pub mod experts;
pub mod follow_up;
pub mod indicators;
pub mod matching;
pub mod obligations;
pub mod plan_reference;
pub mod reminders;
pub mod sharing;
pub mod suggestion;
