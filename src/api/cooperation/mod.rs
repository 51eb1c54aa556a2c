//! The GraphQL face of `cooperation`.

pub mod mutation;
pub mod query;
pub mod types;
