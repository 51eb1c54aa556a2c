//! Exchange rates, the filters and inputs of cooperation, and the mutations' payloads.

use async_graphql::{ID, InputObject, Object};
use entity::{assistance_need, assistance_offer, exchange_rate, match_proposal};

use super::{
    AssistanceNeed, AssistanceOffer, AssistanceType, MatchProposal, MatchStatus, NeedStatus,
    OfferStatus,
};
use crate::api::enums::{RegionalGroup, ThematicArea};
use crate::api::money::MoneyInput;
use crate::api::scalars::{self, Date};

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
    #[graphql(validator(max_items = 100))]
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
    #[graphql(validator(max_items = 100))]
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
