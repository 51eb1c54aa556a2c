//! Expert suggestions for a need: `ExpertCandidate`, `ExpertMatchReason`,
//! `ExpertMatchFactor`, resolved by `AssistanceNeed.expertSuggestions`. The ranking and its
//! sentences are `rules::experts`'; the expert is read through the experts' rule, so a
//! candidate's contact details are ISU staff's only, as everywhere.

use async_graphql::{Enum, Object};
use entity::expert;

use super::types::Expert;
use crate::api::cost::Objects;
use crate::rules::experts::{Candidate, Reason};

/// A factor of an expert's suggestion score.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::rules::experts::Factor")]
pub enum ExpertMatchFactor {
    /// The expert works in the need's thematic area.
    Area,
    /// The expert offers the kinds of assistance the need asks a person for (technical
    /// expertise, training).
    AssistanceType,
    /// The expert speaks a working language of the needing State.
    Language,
    /// The expert has worked in the needing State's regional group.
    Region,
    /// The expert is available for the need's period (or now, when it gives none).
    Availability,
    /// The expert comes from a State that has done the work itself.
    SouthSouth,
}

/// One factor's part in a suggestion.
pub struct ExpertMatchReason(pub Reason);

/// One factor's part in a suggestion, with a sentence a coordinator can read aloud.
#[Object]
impl ExpertMatchReason {
    /// Which factor.
    async fn factor(&self) -> ExpertMatchFactor {
        self.0.factor.into()
    }
    /// This factor's own score, 0 to 1.
    async fn score(&self) -> f64 {
        self.0.score
    }
    /// Why, in one sentence naming the things, e.g. "Speaks French, an official language of
    /// Benin.".
    async fn explanation(&self) -> &str {
        &self.0.explanation
    }
}

/// An expert suggested for a need.
pub struct ExpertCandidate {
    pub expert: expert::Model,
    pub candidate: Candidate,
}

/// An expert suggested for a need, with the score and the reasons of the suggestion.
#[Object]
impl ExpertCandidate {
    /// The expert (contact details for ISU staff only).
    async fn expert(&self) -> Expert {
        Expert(self.expert.clone())
    }
    /// 0 to 1, higher is better: the weighted sum of the reasons' scores.
    async fn score(&self) -> f64 {
        self.candidate.score
    }
    /// One reason per factor, in the factors' order.
    async fn reasons(&self) -> Objects<ExpertMatchReason> {
        self.candidate
            .reasons
            .iter()
            .cloned()
            .map(ExpertMatchReason)
            .collect()
    }
}
