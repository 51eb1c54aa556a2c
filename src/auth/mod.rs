//! Authentication: who is asking, and how they proved it. Knows users, not domains; the
//! accounts themselves are `crate::domain::users`, their GraphQL face `crate::api::auth`.
//!
//! - [`password`]: argon2id hashing on the blocking pool, the password policy.
//! - [`jwt`]: short-lived HS256 access tokens, and the derivation of refresh successors.
//! - [`tokens`]: random refresh tokens and their digests.
//! - [`viewer`]: who is asking, resolved once per request, and role checks.
//! - [`sessions`]: login, refresh rotation (with the grace window), logout.
//! - [`throttle`]: password attempts reserved before hashing, per account and address.

pub mod jwt;
pub mod password;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod viewer;

pub use viewer::{Principal, Viewer};
