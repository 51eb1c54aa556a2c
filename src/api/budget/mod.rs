//! The GraphQL face of `budget`.

pub mod mutation;
pub mod query;
pub mod types;
