//! Cooperation and assistance (Article 6): needs that States declare and, with the
//! cooperation issue, offers, matches, proposals and allocation.
//!
//! Needs are not public: the ISU and coordinators see all of them, a delegation its own
//! State's.

pub mod mutation;
pub mod proposals;
pub mod query;
pub mod rates;
pub mod service;
pub mod types;
