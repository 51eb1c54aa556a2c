//! Mutations of the registry and of deadlines: thin wrappers over [`crate::domain::states::service`].

use async_graphql::{Context, MaybeUndefined, Object};

use super::types::{
    DeadlineExtensionPayload, RecordDeadlineExtensionInput, StatePartyPayload,
    UpdateStatePartyInput,
};
use crate::api::errors::respond;
use crate::api::{app, viewer};
use crate::domain::states::service::{self, NewExtension, Patch, StateUpdate};

fn patch<G, T: From<G>>(v: MaybeUndefined<G>) -> Patch<T> {
    match v {
        MaybeUndefined::Undefined => Patch::Keep,
        MaybeUndefined::Null => Patch::Clear,
        MaybeUndefined::Value(v) => Patch::Set(v.into()),
    }
}

fn date_patch(v: MaybeUndefined<crate::api::scalars::Date>) -> Patch<chrono::NaiveDate> {
    patch(v.map_value(|d| d.0))
}

#[derive(Default)]
pub struct StatesMutation;

#[Object]
impl StatesMutation {
    /// Corrects a State's registry entry. ISU_ADMIN only. Omitted fields are kept; null clears
    /// a nullable field. Entry into force is recomputed from the deposit date.
    async fn update_state_party(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The State's code and the fields to change.")]
        input: UpdateStatePartyInput,
    ) -> async_graphql::Result<StatePartyPayload> {
        let app = app(ctx)?;
        let update = StateUpdate {
            code: input.code,
            name: input.name,
            status: input.status.map(Into::into),
            regional_group: patch(input.regional_group),
            income_group: patch(input.income_group),
            signature_date: date_patch(input.signature_date),
            deposit_date: date_patch(input.deposit_date),
            deposit_type: patch(input.deposit_type),
            withdrawal_effective_date: date_patch(input.withdrawal_effective_date),
            holds_stockpiles: input.holds_stockpiles,
            contaminated: input.contaminated,
            has_victims: input.has_victims,
            stockpile_destruction_completed_on: date_patch(
                input.stockpile_destruction_completed_on,
            ),
            clearance_completed_on: date_patch(input.clearance_completed_on),
        };
        respond(service::update_state(&app.db, viewer(ctx), update, app.clock.today()).await)
    }

    /// Records an extension granted by a Meeting of States Parties or Review Conference
    /// (Article 3(3): up to 4 years; Article 4(5): up to 5 years). ISU_ADMIN only.
    async fn record_deadline_extension(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The State, the obligation and the new deadline.")]
        input: RecordDeadlineExtensionInput,
    ) -> async_graphql::Result<DeadlineExtensionPayload> {
        let app = app(ctx)?;
        let decision_id = match &input.decision_id {
            Some(id) => match crate::api::ids::key::<crate::api::records::types::Decision>(id) {
                Some(k) => Some(k),
                None => {
                    return respond(Err(crate::kernel::error::ServiceError::refused(
                        crate::kernel::error::Code::NotFound,
                        &["input", "decisionId"],
                        "No such decision.",
                    )));
                }
            },
            None => None,
        };
        let new = NewExtension {
            state_code: input.state_code,
            kind: input.kind.into(),
            new_deadline: input.new_deadline.0,
            granted_on: input.granted_on.0,
            granted_at: input.granted_at,
            decision_id,
        };
        respond(service::record_extension(&app.db, viewer(ctx), new, app.clock.today()).await)
    }
}
