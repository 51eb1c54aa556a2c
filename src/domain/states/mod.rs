//! The States registry: every State the Convention concerns, with its status and dates.
//!
//! - [`registry`]: the shipped `data/states.csv`, parsed (pure) and loaded (upsert by code).
//! - [`service`]: reads and corrections of the registry, extensions.
//! - [`obligations`]: the engine's facts read from the tables, and its answers.
//! - [`snapshot`]: the registry and its obligations' facts kept between requests, read again
//!   when a write moves its stamp.
//! - [`records`]: from when the records are complete (the deployment's date, and per State
//!   and kind as an import set it).

pub mod obligations;
pub mod records;
pub mod registry;
pub mod service;
pub mod snapshot;
