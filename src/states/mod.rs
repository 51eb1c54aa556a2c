//! The States registry: every State the Convention concerns, with its status and dates.
//!
//! - [`registry`]: the shipped `data/states.csv`, parsed (pure) and loaded (upsert by code).
//! - [`service`]: reads for the API.
//! - [`types`], [`query`]: the GraphQL surface.

pub mod mutation;
pub mod obligations;
pub mod query;
pub mod registry;
pub mod service;
pub mod types;
