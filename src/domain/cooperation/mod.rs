//! Cooperation and assistance (Article 6): needs that States declare and, with the
//! cooperation issue, offers, matches, proposals and allocation.
//!
//! Needs, offers and proposals are not public: who reads which is decided in
//! [`visibility`], and every read of this domain goes through it.

use crate::kernel::config::{ConfigError, Settings};
use crate::rules::matching::Weights;

/// Settings of cooperation: the base currency of comparisons and allocations, and the
/// matching weights (docs/domain.md §5: configurable).
#[derive(Clone, Debug)]
pub struct CooperationConfig {
    pub base_currency: String,
    pub weights: Weights,
}

impl CooperationConfig {
    /// From the settings: the base currency and the matching weights, checked.
    pub fn from_settings(s: &Settings) -> Result<Self, ConfigError> {
        let weights = match s.match_weights()? {
            None => Weights::default(),
            Some(
                [
                    thematic_area,
                    assistance_type,
                    geography,
                    amount,
                    period,
                    urgency,
                ],
            ) => Weights {
                thematic_area,
                assistance_type,
                geography,
                amount,
                period,
                urgency,
            },
        };
        Ok(Self {
            base_currency: s.base_currency()?,
            weights,
        })
    }
}

impl Default for CooperationConfig {
    fn default() -> Self {
        Self {
            base_currency: "CHF".into(),
            weights: Weights::default(),
        }
    }
}

pub mod proposals;
pub mod rates;
pub mod service;
pub mod visibility;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::config::{ConfigError, Settings};

    #[test]
    fn cooperation_settings_are_checked() {
        let mut s = Settings::for_database("sqlite::memory:");
        assert_eq!(
            CooperationConfig::from_settings(&s)
                .map(|c| c.base_currency)
                .ok()
                .as_deref(),
            Some("CHF")
        );
        s.base_currency = "eur".into();
        assert_eq!(
            CooperationConfig::from_settings(&s)
                .map(|c| c.base_currency)
                .ok()
                .as_deref(),
            Some("EUR")
        );
        s.base_currency = "EURO".into();
        assert!(matches!(s.validate(), Err(ConfigError::BaseCurrency)));
        s.base_currency = "CHF".into();
        s.match_weights = Some("0.5,0.5,0,0,0,0".into());
        assert_eq!(
            CooperationConfig::from_settings(&s)
                .map(|c| c.weights.thematic_area)
                .ok(),
            Some(0.5)
        );
        s.match_weights = Some("0.5,0.5,0.1,0,0,0".into());
        assert!(matches!(s.validate(), Err(ConfigError::MatchWeights)));
        s.match_weights = Some("1,0,0,0,0".into());
        assert!(matches!(s.validate(), Err(ConfigError::MatchWeights)));
    }
}
