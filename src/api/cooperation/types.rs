//! GraphQL types of cooperation and assistance.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use entity::enums::split_values;
use entity::{assistance_need, assistance_offer, exchange_rate, match_proposal};
use rust_decimal::Decimal;

use std::sync::Arc;

use crate::api::enums::{RegionalGroup, ThematicArea};
use crate::api::error::ApiError;
use crate::api::ids;
use crate::api::loaders::{
    ById, ByRow, MatchesOfOffer, Needs, Offers, OffersFor, ProposalsOf, Reports, loaders,
};
use crate::api::money::{Money, MoneyInput};
use crate::api::reports::types::TransparencyReport;
use crate::api::scalars::{self, Date, DateTime};
use crate::api::states::types::StateParty;
use crate::domain::cooperation::service::{self, AllocationResult};

/// Where a need stands; PARTIALLY_MET and MET follow its AGREED and DELIVERED proposals.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::NeedStatus")]
pub enum NeedStatus {
    /// No agreed or delivered proposal covers any of it yet.
    Open,
    /// Agreed or delivered proposals cover part of the amount.
    PartiallyMet,
    /// Agreed or delivered proposals cover all of the amount.
    Met,
    /// Withdrawn by the State's delegation or the ISU; no longer matched.
    Withdrawn,
}

/// A kind of assistance.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::AssistanceType")]
pub enum AssistanceType {
    /// Funds.
    Financial,
    /// Experts' advice and technical support.
    TechnicalExpertise,
    /// Equipment.
    Equipment,
    /// Training.
    Training,
}

/// An amount stored in cents, as Money.
pub fn money_of(cents: Option<i64>, currency: Option<&str>) -> Option<Money> {
    Some(Money::new(Decimal::new(cents?, 2), currency?.to_owned()))
}

/// A need for assistance declared by a State.
pub struct AssistanceNeed(pub assistance_need::Model);

impl ids::Kind for AssistanceNeed {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl AssistanceNeed {
    pub const KIND: &'static str = "AssistanceNeed";

    /// This need as a loader key.
    fn row(&self) -> ByRow<assistance_need::Model> {
        ByRow(Arc::new(self.0.clone()), self.0.id)
    }
}

/// A need for assistance declared by a State. Visible to the ISU, coordinators and the
/// State's own delegation.
#[Object]
impl AssistanceNeed {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    /// The State that needs the assistance.
    async fn state(&self, ctx: &Context<'_>) -> async_graphql::Result<StateParty> {
        loaders(ctx)?
            .state(&self.0.state_code)
            .await?
            .map(StateParty)
            .ok_or_else(|| ApiError::Internal("need without State".into()).into())
    }
    /// The area the assistance is for.
    async fn thematic_area(&self) -> ThematicArea {
        self.0.thematic_area.into()
    }
    /// The kinds of assistance sought; at least one.
    async fn assistance_types(&self) -> Vec<AssistanceType> {
        split_values::<entity::enums::AssistanceType>(&self.0.assistance_types)
            .into_iter()
            .map(Into::into)
            .collect()
    }
    /// A short name of the need.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The need in detail.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// The amount sought; null when the need states none.
    async fn amount(&self) -> Option<Money> {
        money_of(self.0.amount_cents, self.0.currency.as_deref())
    }
    /// First day of the period the assistance is needed for; null when open-ended.
    async fn period_start(&self) -> Option<Date> {
        self.0.period_start.map(Date)
    }
    /// Last day of the period the assistance is needed for; null when open-ended.
    async fn period_end(&self) -> Option<Date> {
        self.0.period_end.map(Date)
    }
    /// Where the need stands.
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
            .load_one(ById::<Reports>::new(id))
            .await?
            .map(TransparencyReport))
    }
    /// Sum of AGREED and DELIVERED proposals, in the need's currency; null when the need
    /// states no amount.
    async fn amount_covered(&self) -> Option<Money> {
        money_of(Some(self.0.covered_cents), self.0.currency.as_deref())
    }
    /// When the need was declared.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// Best offers for this need, best first (default 10, at most 100).
    #[graphql(complexity = "crate::api::limits::page_cost(first, 10, child_complexity)")]
    async fn matches(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 10 if omitted; at most 100.")] first: Option<i32>,
    ) -> async_graphql::Result<Vec<MatchCandidate>> {
        let first = usize::try_from(first.unwrap_or(10).clamp(0, 100)).unwrap_or(10);
        let Some(all) = loaders(ctx)?.load_one(OffersFor(self.row())).await? else {
            return Ok(Vec::new());
        };
        Ok(all
            .ranked(&self.0, first)
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
            .load_one(OffersFor(self.row()))
            .await?
            .map(|all| all.why_unmatched(&self.0))
            .unwrap_or_default())
    }
    /// Proposals to meet this need with an offer, oldest first.
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

/// An offer of assistance by a State or an organisation. Visible to the ISU, coordinators
/// and the providing State's delegation.
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
    /// Proposals to meet a need with this offer, oldest first.
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

/// A proposal to meet a need with an offer.
pub struct MatchProposal(pub match_proposal::Model);

impl ids::Kind for MatchProposal {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl MatchProposal {
    pub const KIND: &'static str = "MatchProposal";
}

/// A proposal to meet a need with an offer. Visible to those who may see its need or its
/// offer.
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

/// A rate to the base currency.
pub struct ExchangeRate(pub exchange_rate::Model);

/// A rate to the base currency, valid from a day until the next rate of the currency.
#[Object]
impl ExchangeRate {
    /// ISO 4217 code of the currency, e.g. "EUR".
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// Units of the base currency for one unit of `currency`.
    async fn rate_to_base(&self) -> scalars::Decimal {
        scalars::Decimal(self.0.rate_to_base.parse().unwrap_or_default())
    }
    /// The first day the rate applies.
    async fn valid_from(&self) -> Date {
        Date(self.0.valid_from)
    }
}

/// Narrows `assistanceNeeds`; the filters given combine.
#[derive(InputObject, Default)]
pub struct AssistanceNeedFilter {
    /// Needs with any of these statuses; an empty list is ignored.
    pub status: Option<Vec<NeedStatus>>,
    /// Needs in this thematic area.
    pub thematic_area: Option<ThematicArea>,
    /// Needs of this State (ISO alpha-3; case is ignored).
    pub state_code: Option<String>,
    /// Needs of States in this regional group.
    pub regional_group: Option<RegionalGroup>,
}

/// Narrows `assistanceOffers`; the filters given combine.
#[derive(InputObject, Default)]
pub struct AssistanceOfferFilter {
    /// Offers with any of these statuses; an empty list is ignored.
    pub status: Option<Vec<OfferStatus>>,
    /// Offers that cover this thematic area.
    pub thematic_area: Option<ThematicArea>,
    /// Offers by this State (ISO alpha-3; case is ignored).
    pub provider_state_code: Option<String>,
}

/// Narrows the needs `cooperationAllocation` considers; every open offer is considered.
#[derive(InputObject, Default)]
pub struct AllocationFilter {
    /// Needs in this thematic area.
    pub thematic_area: Option<ThematicArea>,
    /// Needs of States in this regional group.
    pub regional_group: Option<RegionalGroup>,
}

/// A new need, for `createAssistanceNeed`.
#[derive(InputObject)]
pub struct CreateAssistanceNeedInput {
    /// ISO alpha-3 of the State in need: your own for a delegation.
    pub state_code: String,
    /// The area the assistance is for.
    pub thematic_area: ThematicArea,
    /// The kinds of assistance sought; at least one.
    pub assistance_types: Vec<AssistanceType>,
    /// A short name of the need.
    pub title: String,
    /// The need in detail.
    pub description: Option<String>,
    /// Greater than zero, in a currency with an exchange rate.
    pub amount: Option<MoneyInput>,
    /// First day of the period the assistance is needed for; omitted: open-ended.
    pub period_start: Option<Date>,
    /// Last day of that period, not before its first; omitted: open-ended.
    pub period_end: Option<Date>,
    /// Global ID of an Article 7 report of the same State that declared the need.
    pub source_report_id: Option<ID>,
}

/// A new offer, for `createAssistanceOffer`.
#[derive(InputObject)]
pub struct CreateAssistanceOfferInput {
    /// A State provider; give this or providerOrganization, not both.
    pub provider_state_code: Option<String>,
    /// The providing organisation's name (ISU staff only); give this or providerStateCode.
    pub provider_organization: Option<String>,
    /// The areas the offer covers; at least one.
    pub thematic_areas: Vec<ThematicArea>,
    /// The kinds of assistance offered; at least one.
    pub assistance_types: Vec<AssistanceType>,
    /// A short name of the offer.
    pub title: String,
    /// The offer in detail.
    pub description: Option<String>,
    /// Greater than zero, in a currency with an exchange rate.
    pub amount: Option<MoneyInput>,
    /// Regional groups the offer is for; omitted or empty: any.
    pub target_regions: Option<Vec<RegionalGroup>>,
    /// ISO alpha-3 codes of the States the offer is for; omitted or empty: any.
    pub target_state_codes: Option<Vec<String>>,
    /// First day of the period the offer is available for; omitted: open-ended.
    pub period_start: Option<Date>,
    /// Last day of that period, not before its first; omitted: open-ended.
    pub period_end: Option<Date>,
}

/// What to withdraw: a need, an offer or a sponsorship application, as the mutation says.
#[derive(InputObject)]
pub struct WithdrawInput {
    /// Global ID of the need, offer or application.
    pub id: ID,
}

/// A proposal to meet a need with an offer, for `proposeMatch`.
#[derive(InputObject)]
pub struct ProposeMatchInput {
    /// Global ID of the need.
    pub need_id: ID,
    /// Global ID of the offer, eligible for the need.
    pub offer_id: ID,
    /// Within both remaining amounts; converted to the need's currency.
    pub amount: Option<MoneyInput>,
    /// Why, or what was discussed.
    pub note: Option<String>,
}

/// A proposal's next status, for `updateMatchStatus`.
#[derive(InputObject)]
pub struct UpdateMatchStatusInput {
    /// Global ID of the proposal.
    pub id: ID,
    /// The next status.
    pub status: MatchStatus,
    /// Replaces the proposal's note when given.
    pub note: Option<String>,
}

/// A currency's rate to the base currency from a day on, for `setExchangeRate`.
#[derive(InputObject)]
pub struct SetExchangeRateInput {
    /// ISO 4217 code of the currency, e.g. "EUR"; not the base currency.
    pub currency: String,
    /// Units of the base currency for one unit of `currency`.
    pub rate_to_base: scalars::Decimal,
    /// The first day the rate applies; a rate already set for that day is replaced.
    pub valid_from: Date,
}

crate::api::errors::payload!(
    AssistanceNeedPayload,
    need,
    AssistanceNeed,
    assistance_need::Model
);
crate::api::errors::payload!(
    AssistanceOfferPayload,
    offer,
    AssistanceOffer,
    assistance_offer::Model
);
crate::api::errors::payload!(
    MatchProposalPayload,
    proposal,
    MatchProposal,
    match_proposal::Model
);
crate::api::errors::payload!(
    ExchangeRatePayload,
    exchange_rate,
    ExchangeRate,
    exchange_rate::Model
);
