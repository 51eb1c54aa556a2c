//! Action plan monitoring: plans, actions, indicators, values and progress.

pub mod mutation;
pub mod query;
pub mod types;
