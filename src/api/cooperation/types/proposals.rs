//! Proposals: their lifecycle and the proposal with its two sides.

use async_graphql::{Context, Enum, ID, Object};
use entity::match_proposal;

use super::{AssistanceNeed, AssistanceOffer, money_of};
use crate::api::error::ApiError;
use crate::api::ids;
use crate::api::loaders::{ById, Needs, Offers, loaders};
use crate::api::money::Money;
use crate::api::scalars::DateTime;

/// Where a proposal stands: PROPOSED → CONTACTED → AGREED → DELIVERED, or DECLINED.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::MatchStatus")]
pub enum MatchStatus {
    /// Proposed by the ISU or a coordinator.
    Proposed,
    /// The State in need and the provider have been put in touch.
    Contacted,
    /// Counts towards the need's coverage and the offer's commitment.
    Agreed,
    /// The assistance was delivered; still counts as for AGREED.
    Delivered,
    /// Not pursued (from PROPOSED, CONTACTED or AGREED); a declined agreement no longer
    /// counts.
    Declined,
}

/// A proposal to meet a need with an offer.
pub struct MatchProposal(pub match_proposal::Model);

impl ids::Kind for MatchProposal {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl MatchProposal {
    pub const KIND: &'static str = "MatchProposal";
}

/// A proposal to meet a need with an offer. Visible to the ISU, coordinators, and the
/// delegations of the State in need and of the providing State.
#[Object]
impl MatchProposal {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    /// The need to meet.
    async fn need(&self, ctx: &Context<'_>) -> async_graphql::Result<AssistanceNeed> {
        loaders(ctx)?
            .load_one(ById::<Needs>::new(self.0.need_id))
            .await?
            .map(AssistanceNeed)
            .ok_or_else(|| ApiError::Internal("proposal without need".into()).into())
    }
    /// The offer to meet it with.
    async fn offer(&self, ctx: &Context<'_>) -> async_graphql::Result<AssistanceOffer> {
        loaders(ctx)?
            .load_one(ById::<Offers>::new(self.0.offer_id))
            .await?
            .map(AssistanceOffer)
            .ok_or_else(|| ApiError::Internal("proposal without offer".into()).into())
    }
    /// The amount proposed, in the need's currency; null when none was given.
    async fn amount(&self) -> Option<Money> {
        money_of(self.0.amount_cents, self.0.currency.as_deref())
    }
    /// Where the proposal stands.
    async fn status(&self) -> MatchStatus {
        self.0.status.into()
    }
    /// The latest note given with the proposal or a status change.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// When it was proposed.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// When its status last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}
