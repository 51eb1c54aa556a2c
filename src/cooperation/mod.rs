//! Cooperation and assistance (Article 6): needs that States declare and, with the
//! cooperation issue, offers, matches, proposals and allocation.
//!
//! Needs are not public: the ISU and coordinators see all of them, a delegation its own
//! State's.

use crate::matching::Weights;

/// Settings of cooperation: the base currency of comparisons and allocations, and the
/// matching weights (docs/domain.md §5: configurable).
#[derive(Clone, Debug)]
pub struct CooperationConfig {
    pub base_currency: String,
    pub weights: Weights,
}

impl Default for CooperationConfig {
    fn default() -> Self {
        Self {
            base_currency: "CHF".into(),
            weights: Weights::default(),
        }
    }
}

pub mod mutation;
pub mod proposals;
pub mod query;
pub mod rates;
pub mod service;
pub mod types;
