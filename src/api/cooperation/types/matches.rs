//! Matches and the allocation: eligible need–offer pairs with their scores and reasons,
//! and the recommended assignment of offered amounts to needs.

use crate::api::cost::Objects;
use async_graphql::{Enum, Object, SimpleObject};
use entity::{assistance_need, assistance_offer};
use rust_decimal::Decimal;

use super::{AssistanceNeed, AssistanceOffer};
use crate::api::money::Money;
use crate::domain::cooperation::service::{self, AllocationResult};

/// A factor of a match score. Each has a weight (`ISU_MATCH_WEIGHTS`; the defaults are
/// given below) and the weights sum to 1.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::rules::matching::Factor")]
pub enum MatchFactor {
    /// The offer covers the need's thematic area: 1 for every eligible pair. Weight 0.30.
    ThematicArea,
    /// Share of the need's kinds of assistance that the offer gives. Weight 0.20.
    AssistanceType,
    /// 1 when the offer names the State, 0.8 when it names its regional group, 0.6 when it
    /// is open to any State. Weight 0.15.
    Geography,
    /// The offer's remaining amount over what the need still lacks, at most 1; 0.5 when
    /// either states no amount. Weight 0.15.
    Amount,
    /// Share of the need's period that the offer's covers; 0.5 when either is open-ended.
    /// Weight 0.10.
    Period,
    /// 1 when the State's treaty deadline for the area is overdue or within a year, falling
    /// to 0 at five years; 0.3 when no deadline applies. Weight 0.10.
    Urgency,
}

/// One factor of a match score, explained.
#[derive(SimpleObject)]
pub struct MatchReason {
    /// The factor scored.
    pub factor: MatchFactor,
    /// This factor's own score, 0 to 1.
    pub score: f64,
    /// The factor's weight in the match score, 0 to 1; the weights sum to 1.
    pub weight: f64,
    /// The score in a sentence a coordinator can read.
    pub explanation: String,
}

/// An eligible need–offer pair with its score and reasons.
pub struct MatchCandidate {
    pub need: assistance_need::Model,
    pub offer: assistance_offer::Model,
    pub scored: crate::rules::matching::Scored,
}

/// An eligible need–offer pair with its score and reasons.
#[Object]
impl MatchCandidate {
    /// The need.
    async fn need(&self) -> AssistanceNeed {
        AssistanceNeed(self.need.clone())
    }
    /// The offer.
    async fn offer(&self) -> AssistanceOffer {
        AssistanceOffer(self.offer.clone())
    }
    /// 0 to 1; the weighted sum of the reasons.
    async fn score(&self) -> f64 {
        self.scored.score
    }
    /// One reason per factor: THEMATIC_AREA, ASSISTANCE_TYPE, GEOGRAPHY, AMOUNT, PERIOD,
    /// URGENCY.
    async fn reasons(&self) -> Objects<MatchReason> {
        self.scored
            .reasons
            .iter()
            .map(|r| MatchReason {
                factor: r.factor.into(),
                score: r.score,
                weight: r.weight,
                explanation: r.explanation.clone(),
            })
            .collect()
    }
}

/// A recommended amount from one offer to one need, in the base currency.
pub struct Allocation(pub service::Assigned, pub String);

/// A recommended amount from one offer to one need, in the base currency.
#[Object]
impl Allocation {
    /// The need that would receive it.
    async fn need(&self) -> AssistanceNeed {
        AssistanceNeed(self.0.need.clone())
    }
    /// The offer that would give it.
    async fn offer(&self) -> AssistanceOffer {
        AssistanceOffer(self.0.offer.clone())
    }
    /// The amount recommended, in the base currency.
    async fn amount(&self) -> Money {
        Money::new(Decimal::new(self.0.cents, 2), self.1.clone())
    }
    /// The pair's match score, 0 to 1.
    async fn score(&self) -> f64 {
        self.0.score
    }
}

/// An optimal assignment of offered amounts to needs, in the base currency: as much as can
/// be allocated in total, and among such allocations the best scored. A recommendation:
/// nothing is committed until a proposal is agreed.
pub struct CooperationAllocation(pub AllocationResult);

/// An optimal assignment of offered amounts to needs, in the base currency.
#[Object]
impl CooperationAllocation {
    /// The recommended amounts, one per need–offer pair.
    async fn assignments(&self) -> Objects<Allocation> {
        self.0
            .assignments
            .iter()
            .map(|a| {
                Allocation(
                    service::Assigned {
                        need: a.need.clone(),
                        offer: a.offer.clone(),
                        cents: a.cents,
                        score: a.score,
                    },
                    self.0.currency.clone(),
                )
            })
            .collect()
    }
    /// What the needs considered still lack, in the base currency.
    async fn total_requested(&self) -> Money {
        Money::new(
            Decimal::new(self.0.requested_cents, 2),
            self.0.currency.clone(),
        )
    }
    /// Sum of the assignments: the most that can be allocated.
    async fn total_allocated(&self) -> Money {
        Money::new(
            Decimal::new(self.0.allocated_cents, 2),
            self.0.currency.clone(),
        )
    }
    /// How many of the needs considered the assignments would cover in full.
    async fn needs_fully_covered(&self) -> i32 {
        i32::try_from(self.0.fully).unwrap_or(i32::MAX)
    }
    /// How many they would cover in part.
    async fn needs_partially_covered(&self) -> i32 {
        i32::try_from(self.0.partially).unwrap_or(i32::MAX)
    }
    /// How many would receive nothing.
    async fn needs_uncovered(&self) -> i32 {
        i32::try_from(self.0.uncovered).unwrap_or(i32::MAX)
    }
}
