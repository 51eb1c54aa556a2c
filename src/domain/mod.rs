//! The domains: each owns its tables' queries and its business rules.

pub mod action_plan;
pub mod audit;
pub mod budget;
pub mod cooperation;
pub mod experts;
pub mod extensions;
pub mod history;
pub mod notifications;
pub mod publications;
pub mod records;
pub mod reports;
pub mod sponsorship;
pub mod states;
pub mod users;
