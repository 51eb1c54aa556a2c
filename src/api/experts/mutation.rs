//! Writes of the roster: `addExpert`, `updateExpert`, `eraseExpert`. ISU staff; every write
//! is audited without the expert's contact details.

use async_graphql::{Context, Object};

use super::types::{
    EraseExpertInput, EraseExpertPayload, Expert, ExpertInput, ExpertPayload, UpdateExpertInput,
};
use crate::api::errors::{not_found, respond};
use crate::api::{app, ids, viewer};
use crate::domain::experts::service;

#[derive(Default)]
pub struct ExpertsMutation;

#[Object]
impl ExpertsMutation {
    /// Lists an expert, with their consent. ISU staff.
    async fn add_expert(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The expert.")] input: ExpertInput,
    ) -> async_graphql::Result<ExpertPayload> {
        let app = app(ctx)?;
        respond(service::add(&app.db, viewer(ctx), app.clock.today(), input.to_service()).await)
    }

    /// Replaces an expert's fields with the input's; `active` when given. ISU staff.
    async fn update_expert(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The expert and their new fields.")] input: UpdateExpertInput,
    ) -> async_graphql::Result<ExpertPayload> {
        let Some(id) = ids::key::<Expert>(&input.id) else {
            return respond(Err(not_found("id", "expert")));
        };
        let app = app(ctx)?;
        respond(
            service::update(
                &app.db,
                viewer(ctx),
                app.clock.today(),
                id,
                input.expert.to_service(),
                input.active,
            )
            .await,
        )
    }

    /// Removes the expert's personal data for good; audit entries keep only the id. ISU
    /// staff.
    async fn erase_expert(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The expert.")] input: EraseExpertInput,
    ) -> async_graphql::Result<EraseExpertPayload> {
        let Some(id) = ids::key::<Expert>(&input.id) else {
            return respond(Err(not_found("id", "expert")));
        };
        respond(service::erase(&app(ctx)?.db, viewer(ctx), id).await)
    }
}
