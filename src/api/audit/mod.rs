//! The GraphQL face of `audit`.

pub mod query;
pub mod types;
