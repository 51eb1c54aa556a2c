//! The GraphQL face of `sponsorship`.

pub mod mutation;
pub mod query;
pub mod types;
