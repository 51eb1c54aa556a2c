//! Meetings' records (docs/domain.md §10): the documents of each meeting and the decisions,
//! recommendations and conclusions taken there, with their follow-up. Depends on `states`
//! and on the meetings of `sponsorship`.
//!
//! - [`visibility`]: the one rule of who reads a document or a decision.
//! - [`documents`]: recording documents.
//! - [`files`]: their files: upload (checked against the media type) and download.
//! - [`search`]: full-text search over both, with each database's own engine.
//! - [`decisions`]: recording decisions, their follow-up, lists and counts.

pub mod decisions;
pub mod documents;
pub mod files;
pub mod search;
pub mod visibility;
