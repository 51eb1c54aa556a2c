//! Offers: their statuses, providers, and the offer with its matches and proposals.

use crate::api::cost::Objects;
use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use entity::assistance_offer;
use entity::enums::split_values;

use super::{AssistanceType, MatchCandidate, MatchProposal, money_of};
use crate::api::enums::{RegionalGroup, ThematicArea};
use crate::api::ids;
use crate::api::loaders::{ByRow, MatchesOfOffer, ProposalsOf, loaders};
use crate::api::money::Money;
use crate::api::scalars::{Date, DateTime};
use crate::api::states::types::StateParty;

/// Where an offer stands; PARTIALLY_COMMITTED and EXHAUSTED follow its AGREED and
/// DELIVERED proposals.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::OfferStatus")]
pub enum OfferStatus {
    /// No agreed or delivered proposal commits any of it yet.
    Open,
    /// Agreed or delivered proposals commit part of the amount.
    PartiallyCommitted,
    /// Agreed or delivered proposals commit all of the amount.
    Exhausted,
    /// Withdrawn by the provider or the ISU; no longer matched.
    Withdrawn,
}

/// Who provides an offer.
#[derive(SimpleObject)]
pub struct Provider {
    /// The State's name, or the organisation's.
    pub name: String,
    /// Null when the provider is an organisation rather than a State.
    pub state: Option<StateParty>,
}

/// An offer of assistance by a State or an organisation.
pub struct AssistanceOffer(pub assistance_offer::Model);

impl ids::Kind for AssistanceOffer {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl AssistanceOffer {
    pub const KIND: &'static str = "AssistanceOffer";
}

/// An offer of assistance by a State or an organisation. Visible to the ISU, coordinators,
/// the providing State's delegation, and the delegations of States whose needs it is
/// proposed for or whose open needs it is a candidate for.
#[Object]
impl AssistanceOffer {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    /// Who offers it: a State or an organisation.
    async fn provider(&self, ctx: &Context<'_>) -> async_graphql::Result<Provider> {
        let state = match &self.0.provider_state_code {
            Some(code) => loaders(ctx)?.state(code).await?,
            None => None,
        };
        let name = match (&state, &self.0.provider_organization) {
            (Some(s), _) => s.name.clone(),
            (None, Some(o)) => o.clone(),
            (None, None) => String::new(),
        };
        Ok(Provider {
            name,
            state: state.map(StateParty),
        })
    }
    /// The areas the offer covers; at least one.
    async fn thematic_areas(&self) -> Vec<ThematicArea> {
        split_values::<entity::enums::ThematicArea>(&self.0.thematic_areas)
            .into_iter()
            .map(Into::into)
            .collect()
    }
    /// The kinds of assistance offered; at least one.
    async fn assistance_types(&self) -> Vec<AssistanceType> {
        split_values::<entity::enums::AssistanceType>(&self.0.assistance_types)
            .into_iter()
            .map(Into::into)
            .collect()
    }
    /// A short name of the offer.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The offer in detail.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// The amount offered; null when the offer states none.
    async fn amount(&self) -> Option<Money> {
        money_of(self.0.amount_cents, self.0.currency.as_deref())
    }
    /// Sum of AGREED and DELIVERED proposals, in the offer's currency; null when the offer
    /// states no amount.
    async fn amount_committed(&self) -> Option<Money> {
        money_of(Some(self.0.committed_cents), self.0.currency.as_deref())
    }
    /// Empty means any region.
    async fn target_regions(&self) -> Vec<RegionalGroup> {
        split_values::<entity::enums::RegionalGroup>(&self.0.target_regions)
            .into_iter()
            .map(Into::into)
            .collect()
    }
    /// Empty means any State.
    async fn target_states(&self, ctx: &Context<'_>) -> async_graphql::Result<Objects<StateParty>> {
        let codes: Vec<String> = self
            .0
            .target_state_codes
            .split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
        Ok(loaders(ctx)?
            .states(&codes)
            .await?
            .into_iter()
            .map(StateParty)
            .collect())
    }
    /// First day of the period the offer is available for; null when open-ended.
    async fn period_start(&self) -> Option<Date> {
        self.0.period_start.map(Date)
    }
    /// Last day of the period the offer is available for; null when open-ended.
    async fn period_end(&self) -> Option<Date> {
        self.0.period_end.map(Date)
    }
    /// Where the offer stands.
    async fn status(&self) -> OfferStatus {
        self.0.status.into()
    }
    /// When the offer was declared.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// Best needs for this offer, among those you may see, best first (default 10, at most 100).
    #[graphql(complexity = "crate::api::limits::page_cost(first, 10, child_complexity)")]
    async fn matches(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 10 if omitted; at most 100.")] first: Option<i32>,
    ) -> async_graphql::Result<Objects<MatchCandidate>> {
        let first = usize::try_from(first.unwrap_or(10).clamp(0, 100)).unwrap_or(10);
        Ok(loaders(ctx)?
            .load_one(MatchesOfOffer(
                ByRow(Arc::new(self.0.clone()), self.0.id),
                first,
            ))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|(need, scored)| MatchCandidate {
                need,
                offer: self.0.clone(),
                scored,
            })
            .collect())
    }
    /// Proposals to meet a need with this offer, oldest first.
    async fn proposals(&self, ctx: &Context<'_>) -> async_graphql::Result<Objects<MatchProposal>> {
        Ok(loaders(ctx)?
            .load_one(ProposalsOf::Offer(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(MatchProposal)
            .collect())
    }
}
