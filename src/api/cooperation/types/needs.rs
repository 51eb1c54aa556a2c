//! Needs: their statuses and kinds of assistance, and the need with its matches and
//! proposals.

use crate::api::cost::Objects;
use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object};
use entity::assistance_need;
use entity::enums::split_values;
use rust_decimal::Decimal;

use super::{MatchCandidate, MatchProposal};
use crate::api::enums::ThematicArea;
use crate::api::error::ApiError;
use crate::api::experts::practices::GoodPractice;
use crate::api::experts::suggestions::ExpertCandidate;
use crate::api::ids;
use crate::api::loaders::{
    ById, ByRow, OffersFor, PracticesInArea, ProposalsOf, Reports, SuggestionsFor, loaders,
};
use crate::api::money::Money;
use crate::api::reports::types::TransparencyReport;
use crate::api::scalars::{Date, DateTime};
use crate::api::states::types::StateParty;

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

/// `first` of a need's experts and practices: 10 when omitted, 0 to 100, else refused.
fn short_list(first: Option<i32>) -> Result<usize, ApiError> {
    let n = first.unwrap_or(10);
    usize::try_from(n)
        .ok()
        .filter(|n| *n <= 100)
        .ok_or_else(|| {
            ApiError::BadUserInput(format!("`first` must lie between 0 and 100; it was {n}."))
        })
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

/// A need for assistance declared by a State. Visible to the ISU, coordinators, the State's
/// own delegation, and the delegations whose offers are proposed for it.
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
    ) -> async_graphql::Result<Objects<MatchCandidate>> {
        let first = usize::try_from(first.unwrap_or(10).clamp(0, 100)).unwrap_or(10);
        let Some(all) = loaders(ctx)?.load_one(OffersFor(self.row())).await? else {
            return Ok(Objects(Vec::new()));
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
    async fn proposals(&self, ctx: &Context<'_>) -> async_graphql::Result<Objects<MatchProposal>> {
        Ok(loaders(ctx)?
            .load_one(ProposalsOf::Need(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(MatchProposal)
            .collect())
    }
    /// Active, consenting experts ranked for this need, best first, with reasons (10 if
    /// `first` is omitted, at most 100); empty when the need asks for neither technical
    /// expertise nor training, or is met or withdrawn. Contact details are ISU staff's only.
    #[graphql(complexity = "crate::api::limits::page_cost(first, 10, child_complexity)")]
    async fn expert_suggestions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 10 if omitted.")] first: Option<i32>,
    ) -> async_graphql::Result<Objects<ExpertCandidate>> {
        let first = short_list(first)?;
        Ok(loaders(ctx)?
            .load_one(SuggestionsFor(self.row(), first))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|(expert, candidate)| ExpertCandidate { expert, candidate })
            .collect())
    }
    /// Good practices in the need's thematic area, newest first (10 if `first` is omitted,
    /// at most 100).
    #[graphql(complexity = "crate::api::limits::page_cost(first, 10, child_complexity)")]
    async fn good_practices(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 10 if omitted.")] first: Option<i32>,
    ) -> async_graphql::Result<Objects<GoodPractice>> {
        let first = short_list(first)?;
        Ok(loaders(ctx)?
            .load_one(PracticesInArea(self.0.thematic_area, first as u64))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(GoodPractice)
            .collect())
    }
}
