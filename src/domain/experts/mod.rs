//! The resource base of technical expertise and good practice (docs/domain.md §13): the
//! roster of experts, listed with their consent and erased at their request; good practices;
//! and expert suggestions for needs that ask for technical expertise or training.
//!
//! - [`service`]: experts (add, update, erase, read, the roster's export).
//! - [`practices`]: good practices, searchable by text as the records are.
//! - [`suggestions`]: the experts for a need, ranked by [`crate::rules::experts`].
//! - [`visibility`]: who reads an expert, and their contact details.
//! - [`roster`]: the roster's facts, cached between requests under a stamp every write
//!   renews.
//!
//! Depends on `states` (nationalities, South-South), `records` (the documents a practice
//! names), `cooperation` (needs) and `notifications` (the needing State's contact points'
//! languages); none of them depends on it.

use entity::state;

use crate::kernel::config::{ConfigError, Settings};
use crate::rules::experts::{StateFacts, Weights};

pub mod practices;
pub mod roster;
pub mod service;
pub mod suggestions;
pub mod visibility;

/// Settings of the resource base: the suggestion weights (`ISU_EXPERT_WEIGHTS`), and the
/// server's cache of the roster's facts ([`roster`]).
#[derive(Clone, Debug, Default)]
pub struct ExpertsConfig {
    pub weights: Weights,
    pub roster: std::sync::Arc<roster::RosterCache>,
}

impl ExpertsConfig {
    pub fn from_settings(s: &Settings) -> Result<Self, ConfigError> {
        let weights = match s.expert_weights()? {
            None => Weights::default(),
            Some(
                [
                    area,
                    assistance_type,
                    language,
                    region,
                    availability,
                    south_south,
                ],
            ) => Weights {
                area,
                assistance_type,
                language,
                region,
                availability,
                south_south,
            },
        };
        Ok(Self {
            weights,
            roster: Default::default(),
        })
    }
}

/// What the rules know of a State, from its registry row.
pub fn state_facts(s: &state::Model) -> StateFacts {
    StateFacts {
        code: s.code.clone(),
        name: s.name.clone(),
        region: s.regional_group,
        contaminated: s.contaminated,
        holds_stockpiles: s.holds_stockpiles,
        has_victims: s.has_victims,
        stockpile_destruction_completed: s.stockpile_destruction_completed_on.is_some(),
        clearance_completed: s.clearance_completed_on.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expert_weights_are_checked() {
        let mut s = Settings::for_database("sqlite::memory:");
        assert_eq!(
            ExpertsConfig::from_settings(&s).map(|c| c.weights).ok(),
            Some(Weights::default())
        );
        s.expert_weights = Some("0.5,0.5,0,0,0,0".into());
        assert_eq!(
            ExpertsConfig::from_settings(&s)
                .map(|c| c.weights.assistance_type)
                .ok(),
            Some(0.5)
        );
        for bad in [
            "0.5,0.5,0.1,0,0,0",
            "1,0,0,0,0",
            "1,0,0,0,0,NaN",
            "2,-1,0,0,0,0",
        ] {
            s.expert_weights = Some(bad.into());
            assert!(
                matches!(s.validate(), Err(ConfigError::ExpertWeights)),
                "{bad}"
            );
        }
    }
}
