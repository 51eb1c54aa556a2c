//! Mutations of needs, offers, proposals and exchange rates: thin wrappers over services.

use async_graphql::{Context, ID, Object};
use uuid::Uuid;

use super::types::{
    AssistanceNeed, AssistanceNeedPayload, AssistanceOffer, AssistanceOfferPayload,
    CreateAssistanceNeedInput, CreateAssistanceOfferInput, ExchangeRatePayload, MatchProposal,
    MatchProposalPayload, ProposeMatchInput, SetExchangeRateInput, UpdateMatchStatusInput,
    WithdrawInput,
};
use crate::api::errors::respond;
use crate::api::reports::types::TransparencyReport;
use crate::api::{app, ids, viewer};
use crate::domain::cooperation::service::{self, NewNeed, NewOffer};
use crate::kernel::error::{Code, ServiceError};

/// The UUID inside `id` when it is a global ID of kind `K`, else NOT_FOUND for `what`.
fn id_of<K: ids::Kind<Key = Uuid>>(id: &ID, what: &str) -> Result<Uuid, ServiceError> {
    ids::key::<K>(id).ok_or_else(|| {
        ServiceError::refused(Code::NotFound, &["input", "id"], format!("No such {what}."))
    })
}

#[derive(Default)]
pub struct CooperationMutation;

#[Object]
impl CooperationMutation {
    /// Declares a need. The State's delegation or ISU staff.
    async fn create_assistance_need(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The State and the need.")] input: CreateAssistanceNeedInput,
    ) -> async_graphql::Result<AssistanceNeedPayload> {
        let app = app(ctx)?;
        let new = NewNeed {
            state_code: input.state_code,
            area: input.thematic_area.into(),
            types: input.assistance_types.into_iter().map(Into::into).collect(),
            title: input.title,
            description: input.description,
            amount: input.amount.map(Into::into),
            period_start: input.period_start.map(|d| d.0),
            period_end: input.period_end.map(|d| d.0),
            source_report: input
                .source_report_id
                .map(|id| ids::key::<TransparencyReport>(&id).ok_or(id.0)),
        };
        respond(
            service::create_need(
                &app.db,
                &app.cooperation,
                viewer(ctx),
                new,
                app.clock.today(),
            )
            .await,
        )
    }

    /// Withdraws an open need. The State's delegation or ISU staff.
    async fn withdraw_assistance_need(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The need to withdraw.")] input: WithdrawInput,
    ) -> async_graphql::Result<AssistanceNeedPayload> {
        let db = &app(ctx)?.db;
        let result = match id_of::<AssistanceNeed>(&input.id, "need") {
            Ok(id) => service::withdraw_need(db, viewer(ctx), id).await,
            Err(e) => Err(e),
        };
        respond(result)
    }

    /// Declares an offer. A delegation for its State; ISU staff for any State or organisation.
    async fn create_assistance_offer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The provider and the offer.")] input: CreateAssistanceOfferInput,
    ) -> async_graphql::Result<AssistanceOfferPayload> {
        let app = app(ctx)?;
        let new = NewOffer {
            provider_state_code: input.provider_state_code,
            provider_organization: input.provider_organization,
            areas: input.thematic_areas.into_iter().map(Into::into).collect(),
            types: input.assistance_types.into_iter().map(Into::into).collect(),
            title: input.title,
            description: input.description,
            amount: input.amount.map(Into::into),
            target_regions: input
                .target_regions
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            target_state_codes: input.target_state_codes.unwrap_or_default(),
            period_start: input.period_start.map(|d| d.0),
            period_end: input.period_end.map(|d| d.0),
        };
        respond(
            service::create_offer(
                &app.db,
                &app.cooperation,
                viewer(ctx),
                new,
                app.clock.today(),
            )
            .await,
        )
    }

    /// Withdraws an open offer. The provider's delegation or ISU staff.
    async fn withdraw_assistance_offer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The offer to withdraw.")] input: WithdrawInput,
    ) -> async_graphql::Result<AssistanceOfferPayload> {
        let db = &app(ctx)?.db;
        let result = match id_of::<AssistanceOffer>(&input.id, "offer") {
            Ok(id) => service::withdraw_offer(db, viewer(ctx), id).await,
            Err(e) => Err(e),
        };
        respond(result)
    }

    /// Proposes to meet a need with an offer. ISU staff, and coordinators for a need in one
    /// of their thematic areas.
    async fn propose_match(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The need, the offer and the amount.")] input: ProposeMatchInput,
    ) -> async_graphql::Result<MatchProposalPayload> {
        let app = app(ctx)?;
        respond(
            crate::domain::cooperation::proposals::propose(
                &app.db,
                &app.cooperation,
                &app.notifications,
                viewer(ctx),
                crate::domain::cooperation::proposals::NewProposal {
                    need_id: ids::key::<AssistanceNeed>(&input.need_id),
                    offer_id: ids::key::<AssistanceOffer>(&input.offer_id),
                    amount: input.amount.map(Into::into),
                    note: input.note,
                },
                app.clock.today(),
            )
            .await,
        )
    }

    /// Moves a proposal along PROPOSED → CONTACTED → AGREED → DELIVERED, or to DECLINED.
    /// ISU staff, and coordinators when the need is in one of their thematic areas.
    async fn update_match_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The proposal and its next status.")] input: UpdateMatchStatusInput,
    ) -> async_graphql::Result<MatchProposalPayload> {
        let db = &app(ctx)?.db;
        let result = match id_of::<MatchProposal>(&input.id, "proposal") {
            Ok(id) => {
                crate::domain::cooperation::proposals::move_to(
                    db,
                    viewer(ctx),
                    id,
                    input.status.into(),
                    input.note,
                )
                .await
            }
            Err(e) => Err(e),
        };
        respond(result)
    }

    /// Sets the rate of a currency to the base currency from a day on. ISU_ADMIN only.
    async fn set_exchange_rate(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The currency, its rate and the first day.")] input: SetExchangeRateInput,
    ) -> async_graphql::Result<ExchangeRatePayload> {
        let app = app(ctx)?;
        respond(
            crate::domain::cooperation::rates::set(
                &app.db,
                viewer(ctx),
                &app.cooperation.base_currency,
                &input.currency,
                input.rate_to_base.0,
                input.valid_from.0,
            )
            .await,
        )
    }
}
