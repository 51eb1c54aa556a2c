//! The GraphQL face of `records`: meetings' documents and decisions.

pub mod mutation;
pub mod query;
pub mod types;
