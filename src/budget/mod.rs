//! The ISU's workplan and budget (docs/domain.md §7): results-based activities, budget lines,
//! the lifecycle from DRAFT to CLOSED, expenditure, States parties' contributions and the
//! Working Capital Reserve.
//!
//! - [`sharing`] is pure arithmetic (shares to the cent, the reserve target).
//! - [`service`] keeps the invariants (no overspent line, no over-paid invoice) with
//!   conditional updates.

pub mod mutation;
pub mod query;
pub mod service;
pub mod sharing;
pub mod types;

/// Settings of the accounts.
#[derive(Clone, Debug)]
pub struct BudgetConfig {
    /// The one currency of workplans, expenditure and contributions (the base currency).
    pub currency: String,
    /// The Working Capital Reserve's target, in months of the approved budget.
    pub reserve_months: u32,
}

impl Default for BudgetConfig {
    fn default() -> Self {
        Self {
            currency: "CHF".into(),
            reserve_months: 3,
        }
    }
}
