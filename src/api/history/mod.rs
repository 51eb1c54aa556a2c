//! The GraphQL face of `history`: importing a history file.

pub mod mutation;
pub mod types;
