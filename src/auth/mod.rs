//! Authentication and accounts.
//!
//! - [`password`]: argon2id hashing on the blocking pool, the password policy.
//! - [`jwt`]: short-lived HS256 access tokens.
//! - [`tokens`]: random refresh tokens and their digests.
//! - [`viewer`]: who is asking, resolved once per request, and role checks.
//! - [`service`]: login, refresh rotation, logout, users; no GraphQL types.
//! - [`types`], [`query`], [`mutation`]: the GraphQL surface.

pub mod jwt;
pub mod mutation;
pub mod password;
pub mod query;
pub mod service;
pub mod tokens;
pub mod types;
pub mod viewer;

pub use viewer::{Principal, Viewer};
