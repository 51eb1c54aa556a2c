//! The Sponsorship Programme (docs/domain.md §6): meetings, delegates' applications,
//! eligibility, decisions within budget, balance statistics and the suggestion.
//!
//! - [`eligibility`] and [`suggestion`] are pure rules (no database, no GraphQL).
//! - [`service`] keeps the budget invariant: an approval adds to the meeting's committed
//!   amount with a conditional update, so concurrent approvals never overspend.
//! - Delegates' names and emails are personal data: the ISU and the delegate's own State
//!   see them; coordinators see statistics only.

pub mod eligibility;
pub mod mutation;
pub mod query;
pub mod service;
pub mod suggestion;
pub mod types;

/// The configurable sponsorship policy (docs/domain.md §6).
#[derive(Clone, Debug, Default)]
pub struct SponsorshipConfig {
    pub eligibility: eligibility::Policy,
    pub suggestion: suggestion::Policy,
}
