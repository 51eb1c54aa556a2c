//! The GraphQL face of `auth`.

pub mod mutation;
pub mod query;
pub mod types;
