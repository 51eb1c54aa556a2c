//! The GraphQL face of `states`.

pub mod mutation;
pub mod query;
pub mod types;
