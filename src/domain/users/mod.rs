//! User accounts and their roles.

pub mod service;
