//! The GraphQL face of `reports`.

pub mod mutation;
pub mod query;
pub mod types;
