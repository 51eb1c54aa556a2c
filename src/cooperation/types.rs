//! GraphQL types of cooperation and assistance.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::enums::split_values;
use entity::{assistance_need, assistance_offer, exchange_rate, match_proposal};
use rust_decimal::Decimal;

use std::sync::Arc;

use super::service::{self, AllocationResult};
use crate::error::ApiError;
use crate::graphql::enums::{RegionalGroup, ThematicArea};
use crate::graphql::ids;
use crate::graphql::loaders::{
    ByRow, MatchesOfNeed, MatchesOfOffer, NeedById, OfferById, ProposalsOf, ReportById,
    UnmatchedReasons, loaders,
};
use crate::graphql::money::{Money, MoneyInput};
use crate::graphql::scalars::Date;
use crate::reports::types::TransparencyReport;
use crate::states::types::StateParty;

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::NeedStatus")]
pub enum NeedStatus {
    Open,
    /// Agreed or delivered proposals cover part of the amount.
    PartiallyMet,
    Met,
    Withdrawn,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::AssistanceType")]
pub enum AssistanceType {
    Financial,
    TechnicalExpertise,
    Equipment,
    Training,
}

/// An amount stored in cents, as Money.
pub fn money_of(cents: Option<i64>, currency: Option<&str>) -> Option<Money> {
    Some(Money {
        amount: Decimal::new(cents?, 2),
        currency: currency?.to_owned(),
    })
}

/// A need for assistance declared by a State.
pub struct AssistanceNeed(pub assistance_need::Model);

impl AssistanceNeed {
    pub const KIND: &'static str = "AssistanceNeed";

    /// This need as a loader key.
    fn row(&self) -> ByRow<assistance_need::Model> {
        ByRow(Arc::new(self.0.clone()), self.0.id)
    }
}

#[Object]
impl AssistanceNeed {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    async fn state(&self, ctx: &Context<'_>) -> async_graphql::Result<StateParty> {
        loaders(ctx)?
            .state(&self.0.state_code)
            .await?
            .map(StateParty)
            .ok_or_else(|| ApiError::Internal("need without State".into()).into())
    }
    async fn thematic_area(&self) -> ThematicArea {
        self.0.thematic_area.into()
    }
    async fn assistance_types(&self) -> Vec<AssistanceType> {
        split_values::<entity::enums::AssistanceType>(&self.0.assistance_types)
            .into_iter()
            .map(Into::into)
            .collect()
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn amount(&self) -> Option<Money> {
        money_of(self.0.amount_cents, self.0.currency.as_deref())
    }
    async fn period_start(&self) -> Option<Date> {
        self.0.period_start.map(Date)
    }
    async fn period_end(&self) -> Option<Date> {
        self.0.period_end.map(Date)
    }
    async fn status(&self) -> NeedStatus {
        self.0.status.into()
    }
    /// The Article 7 report that declared it, when you may see that report.
    async fn source_report(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<TransparencyReport>> {
        let Some(id) = self.0.source_report_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .load_one(ReportById(id))
            .await?
            .map(TransparencyReport))
    }
    /// Sum of AGREED and DELIVERED proposals, in the need's currency.
    async fn amount_covered(&self) -> Option<Money> {
        money_of(Some(self.0.covered_cents), self.0.currency.as_deref())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Best offers for this need, best first (default 10, at most 100).
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, 10, child_complexity)")]
    async fn matches(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<MatchCandidate>> {
        let first = usize::try_from(first.unwrap_or(10).clamp(0, 100)).unwrap_or(10);
        Ok(loaders(ctx)?
            .load_one(MatchesOfNeed(self.row(), first))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|(offer, scored)| MatchCandidate {
                need: self.0.clone(),
                offer,
                scored,
            })
            .collect())
    }
    /// Why no open offer fits this need, in a coordinator's words; empty when one does.
    async fn unmatched_reasons(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<String>> {
        Ok(loaders(ctx)?
            .load_one(UnmatchedReasons(self.row()))
            .await?
            .unwrap_or_default())
    }
    async fn proposals(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<MatchProposal>> {
        Ok(loaders(ctx)?
            .load_one(ProposalsOf::Need(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(MatchProposal)
            .collect())
    }
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::OfferStatus")]
pub enum OfferStatus {
    Open,
    /// Agreed or delivered proposals commit part of the amount.
    PartiallyCommitted,
    Exhausted,
    Withdrawn,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::MatchStatus")]
pub enum MatchStatus {
    Proposed,
    Contacted,
    /// Counts towards the need's coverage and the offer's commitment.
    Agreed,
    Delivered,
    Declined,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::matching::Factor")]
pub enum MatchFactor {
    ThematicArea,
    AssistanceType,
    Geography,
    Amount,
    Period,
    Urgency,
}

/// Who provides an offer.
#[derive(SimpleObject)]
pub struct Provider {
    pub name: String,
    /// Null when the provider is an organisation rather than a State.
    pub state: Option<StateParty>,
}

/// An offer of assistance by a State or an organisation.
pub struct AssistanceOffer(pub assistance_offer::Model);

impl AssistanceOffer {
    pub const KIND: &'static str = "AssistanceOffer";
}

#[Object]
impl AssistanceOffer {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
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
    async fn thematic_areas(&self) -> Vec<ThematicArea> {
        split_values::<entity::enums::ThematicArea>(&self.0.thematic_areas)
            .into_iter()
            .map(Into::into)
            .collect()
    }
    async fn assistance_types(&self) -> Vec<AssistanceType> {
        split_values::<entity::enums::AssistanceType>(&self.0.assistance_types)
            .into_iter()
            .map(Into::into)
            .collect()
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn amount(&self) -> Option<Money> {
        money_of(self.0.amount_cents, self.0.currency.as_deref())
    }
    /// Sum of AGREED and DELIVERED proposals, in the offer's currency.
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
    async fn target_states(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<StateParty>> {
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
    async fn period_start(&self) -> Option<Date> {
        self.0.period_start.map(Date)
    }
    async fn period_end(&self) -> Option<Date> {
        self.0.period_end.map(Date)
    }
    async fn status(&self) -> OfferStatus {
        self.0.status.into()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Best needs for this offer, among those you may see, best first (default 10, at most 100).
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, 10, child_complexity)")]
    async fn matches(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<MatchCandidate>> {
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
    async fn proposals(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<MatchProposal>> {
        Ok(loaders(ctx)?
            .load_one(ProposalsOf::Offer(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(MatchProposal)
            .collect())
    }
}

/// One factor of a match score, explained.
#[derive(SimpleObject)]
pub struct MatchReason {
    pub factor: MatchFactor,
    /// This factor's own score, 0 to 1.
    pub score: f64,
    pub weight: f64,
    pub explanation: String,
}

/// An eligible need–offer pair with its score and reasons.
pub struct MatchCandidate {
    pub need: assistance_need::Model,
    pub offer: assistance_offer::Model,
    pub scored: crate::matching::Scored,
}

#[Object]
impl MatchCandidate {
    async fn need(&self) -> AssistanceNeed {
        AssistanceNeed(self.need.clone())
    }
    async fn offer(&self) -> AssistanceOffer {
        AssistanceOffer(self.offer.clone())
    }
    /// 0 to 1; the weighted sum of the reasons.
    async fn score(&self) -> f64 {
        self.scored.score
    }
    async fn reasons(&self) -> Vec<MatchReason> {
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

#[Object]
impl Allocation {
    async fn need(&self) -> AssistanceNeed {
        AssistanceNeed(self.0.need.clone())
    }
    async fn offer(&self) -> AssistanceOffer {
        AssistanceOffer(self.0.offer.clone())
    }
    async fn amount(&self) -> Money {
        Money {
            amount: Decimal::new(self.0.cents, 2),
            currency: self.1.clone(),
        }
    }
    async fn score(&self) -> f64 {
        self.0.score
    }
}

/// An optimal assignment of offered amounts to needs, in the base currency: as much as can
/// be allocated in total, and among such allocations the best scored. A recommendation:
/// nothing is committed until a proposal is agreed.
pub struct CooperationAllocation(pub AllocationResult);

#[Object]
impl CooperationAllocation {
    async fn assignments(&self) -> Vec<Allocation> {
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
    /// What the needs considered still lack.
    async fn total_requested(&self) -> Money {
        Money {
            amount: Decimal::new(self.0.requested_cents, 2),
            currency: self.0.currency.clone(),
        }
    }
    async fn total_allocated(&self) -> Money {
        Money {
            amount: Decimal::new(self.0.allocated_cents, 2),
            currency: self.0.currency.clone(),
        }
    }
    async fn needs_fully_covered(&self) -> i32 {
        i32::try_from(self.0.fully).unwrap_or(i32::MAX)
    }
    async fn needs_partially_covered(&self) -> i32 {
        i32::try_from(self.0.partially).unwrap_or(i32::MAX)
    }
    async fn needs_uncovered(&self) -> i32 {
        i32::try_from(self.0.uncovered).unwrap_or(i32::MAX)
    }
}

/// A proposal to meet a need with an offer.
pub struct MatchProposal(pub match_proposal::Model);

impl MatchProposal {
    pub const KIND: &'static str = "MatchProposal";
}

#[Object]
impl MatchProposal {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    async fn need(&self, ctx: &Context<'_>) -> async_graphql::Result<AssistanceNeed> {
        loaders(ctx)?
            .load_one(NeedById(self.0.need_id))
            .await?
            .map(AssistanceNeed)
            .ok_or_else(|| ApiError::Internal("proposal without need".into()).into())
    }
    async fn offer(&self, ctx: &Context<'_>) -> async_graphql::Result<AssistanceOffer> {
        loaders(ctx)?
            .load_one(OfferById(self.0.offer_id))
            .await?
            .map(AssistanceOffer)
            .ok_or_else(|| ApiError::Internal("proposal without offer".into()).into())
    }
    /// In the need's currency.
    async fn amount(&self) -> Option<Money> {
        money_of(self.0.amount_cents, self.0.currency.as_deref())
    }
    async fn status(&self) -> MatchStatus {
        self.0.status.into()
    }
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A rate to the base currency.
pub struct ExchangeRate(pub exchange_rate::Model);

#[Object]
impl ExchangeRate {
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// Units of the base currency for one unit of `currency`.
    async fn rate_to_base(&self) -> Decimal {
        self.0.rate_to_base.parse().unwrap_or_default()
    }
    async fn valid_from(&self) -> Date {
        Date(self.0.valid_from)
    }
}

#[derive(InputObject, Default)]
pub struct AssistanceNeedFilter {
    pub status: Option<Vec<NeedStatus>>,
    pub thematic_area: Option<ThematicArea>,
    pub state_code: Option<String>,
    pub regional_group: Option<RegionalGroup>,
}

#[derive(InputObject, Default)]
pub struct AssistanceOfferFilter {
    pub status: Option<Vec<OfferStatus>>,
    pub thematic_area: Option<ThematicArea>,
    pub provider_state_code: Option<String>,
}

#[derive(InputObject, Default)]
pub struct AllocationFilter {
    pub thematic_area: Option<ThematicArea>,
    pub regional_group: Option<RegionalGroup>,
}

#[derive(InputObject)]
pub struct CreateAssistanceNeedInput {
    pub state_code: String,
    pub thematic_area: ThematicArea,
    /// At least one.
    pub assistance_types: Vec<AssistanceType>,
    pub title: String,
    pub description: Option<String>,
    /// Greater than zero, in a currency with an exchange rate.
    pub amount: Option<MoneyInput>,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    /// An Article 7 report of the same State that declared the need.
    pub source_report_id: Option<ID>,
}

#[derive(InputObject)]
pub struct CreateAssistanceOfferInput {
    /// A State provider; give this or providerOrganization, not both.
    pub provider_state_code: Option<String>,
    pub provider_organization: Option<String>,
    pub thematic_areas: Vec<ThematicArea>,
    pub assistance_types: Vec<AssistanceType>,
    pub title: String,
    pub description: Option<String>,
    pub amount: Option<MoneyInput>,
    pub target_regions: Option<Vec<RegionalGroup>>,
    pub target_state_codes: Option<Vec<String>>,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
}

#[derive(InputObject)]
pub struct WithdrawInput {
    pub id: ID,
}

#[derive(InputObject)]
pub struct ProposeMatchInput {
    pub need_id: ID,
    pub offer_id: ID,
    /// Within both remaining amounts; converted to the need's currency.
    pub amount: Option<MoneyInput>,
    pub note: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateMatchStatusInput {
    pub id: ID,
    pub status: MatchStatus,
    pub note: Option<String>,
}

#[derive(InputObject)]
pub struct SetExchangeRateInput {
    pub currency: String,
    /// Units of the base currency for one unit of `currency`.
    pub rate_to_base: Decimal,
    pub valid_from: Date,
}

crate::graphql::errors::payload!(
    AssistanceNeedPayload,
    need,
    AssistanceNeed,
    assistance_need::Model
);
crate::graphql::errors::payload!(
    AssistanceOfferPayload,
    offer,
    AssistanceOffer,
    assistance_offer::Model
);
crate::graphql::errors::payload!(
    MatchProposalPayload,
    proposal,
    MatchProposal,
    match_proposal::Model
);
crate::graphql::errors::payload!(
    ExchangeRatePayload,
    exchange_rate,
    ExchangeRate,
    exchange_rate::Model
);
