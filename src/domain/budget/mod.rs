//! The ISU's workplan and budget (docs/domain.md §7): results-based activities, budget lines,
//! the lifecycle from DRAFT to CLOSED, expenditure, States parties' contributions and the
//! Working Capital Reserve.
//!
//! - [`crate::rules::sharing`] is pure arithmetic (shares to the cent, the reserve target).
//! - [`service`] keeps the invariants (no overspent line, no over-paid invoice) with
//!   conditional updates.

pub mod service;

use crate::kernel::config::{ConfigError, Settings};

/// Settings of the accounts.
#[derive(Clone, Debug)]
pub struct BudgetConfig {
    /// The one currency of workplans, expenditure and contributions (the base currency).
    pub currency: String,
    /// The Working Capital Reserve's target, in months of the approved budget.
    pub reserve_months: u32,
}

impl BudgetConfig {
    /// From the settings: the base currency, and the reserve's target, checked.
    pub fn from_settings(s: &Settings) -> Result<Self, ConfigError> {
        Ok(Self {
            currency: s.base_currency()?,
            reserve_months: s.reserve_months()?,
        })
    }
}

impl Default for BudgetConfig {
    fn default() -> Self {
        Self {
            currency: "CHF".into(),
            reserve_months: 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::config::{ConfigError, Settings};

    #[test]
    fn budget_settings_are_checked() {
        let mut s = Settings::for_database("sqlite::memory:");
        let b = BudgetConfig::from_settings(&s).expect("defaults are valid");
        assert_eq!((b.currency.as_str(), b.reserve_months), ("CHF", 3));
        s.reserve_months = 6;
        s.base_currency = "eur".into();
        let b = BudgetConfig::from_settings(&s).expect("valid");
        assert_eq!((b.currency.as_str(), b.reserve_months), ("EUR", 6));
        s.reserve_months = 25;
        assert!(matches!(s.validate(), Err(ConfigError::ReserveMonths)));
    }
}
