//! The Sponsorship Programme (docs/domain.md §6): meetings, delegates' applications,
//! eligibility, decisions within budget, balance statistics and the suggestion.
//!
//! - [`crate::rules::eligibility`] and [`crate::rules::suggestion`] are pure rules (no database, no GraphQL).
//! - [`service`] keeps the budget invariant: an approval adds to the meeting's committed
//!   amount with a conditional update, so concurrent approvals never overspend.
//! - Delegates' names and emails are personal data: the ISU and the delegate's own State
//!   see them; coordinators see statistics only.

pub mod service;

use crate::kernel::config::{ConfigError, Settings};

/// The configurable sponsorship policy (docs/domain.md §6).
#[derive(Clone, Debug, Default)]
pub struct SponsorshipConfig {
    pub eligibility: crate::rules::eligibility::Policy,
    pub suggestion: crate::rules::suggestion::Policy,
}

impl SponsorshipConfig {
    /// From the settings: the eligibility policy and the suggestion's balance target, checked.
    pub fn from_settings(s: &Settings) -> Result<Self, ConfigError> {
        Ok(Self {
            eligibility: crate::rules::eligibility::Policy {
                income_groups: s.sponsorship_income_groups()?,
                invited_non_parties: s.sponsorship_invited()?,
            },
            suggestion: crate::rules::suggestion::Policy {
                female_target_percent: s.sponsorship_female_target()?,
                ..Default::default()
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::config::{ConfigError, Settings};

    #[test]
    fn sponsorship_settings_are_checked() {
        use entity::enums::IncomeGroup;
        let mut s = Settings::for_database("sqlite::memory:");
        let policy = SponsorshipConfig::from_settings(&s).expect("defaults are valid");
        assert_eq!(
            policy.eligibility.income_groups,
            vec![IncomeGroup::Low, IncomeGroup::LowerMiddle]
        );
        assert_eq!(policy.suggestion.female_target_percent, 50);
        s.sponsorship_income_groups = "low, upper_middle".into();
        s.sponsorship_invited = "usa, rus".into();
        s.sponsorship_female_target = 40;
        let policy = SponsorshipConfig::from_settings(&s).expect("valid");
        assert_eq!(
            policy.eligibility.income_groups,
            vec![IncomeGroup::Low, IncomeGroup::UpperMiddle]
        );
        assert_eq!(policy.eligibility.invited_non_parties, vec!["USA", "RUS"]);
        assert_eq!(policy.suggestion.female_target_percent, 40);
        s.sponsorship_income_groups = String::new();
        assert!(
            SponsorshipConfig::from_settings(&s)
                .expect("none is valid")
                .eligibility
                .income_groups
                .is_empty()
        );
        s.sponsorship_income_groups = "POOR".into();
        assert!(matches!(
            s.validate(),
            Err(ConfigError::SponsorshipIncomeGroups)
        ));
        s.sponsorship_income_groups = "LOW".into();
        s.sponsorship_invited = "USA,AMERICA".into();
        assert!(matches!(s.validate(), Err(ConfigError::SponsorshipInvited)));
        s.sponsorship_invited = String::new();
        s.sponsorship_female_target = 101;
        assert!(matches!(
            s.validate(),
            Err(ConfigError::SponsorshipFemaleTarget)
        ));
    }
}
