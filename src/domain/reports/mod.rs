//! Article 7 transparency reports (docs/domain.md §4).
//!
//! Drafts and submitted reports are visible to the State's own delegation and to the ISU
//! only; everyone else gets nothing, as if the report did not exist. Published reports are
//! public, and each server keeps them between requests ([`published`]).

pub mod published;
pub mod sections;
pub mod service;
