//! Mutations of reports: thin wrappers over [`crate::domain::reports::service`].

use async_graphql::{Context, ID, Object};
use uuid::Uuid;

use super::types::{
    CreateTransparencyReportFromPreviousInput, CreateTransparencyReportInput, ReportActionInput,
    TransparencyReport, TransparencyReportPayload, UpdateTransparencyReportInput,
};
use crate::api::errors::respond;
use crate::api::{app, ids, viewer};
use crate::domain::reports::service::{self, NewReport};
use crate::kernel::error::{Code, ServiceError};

/// The report's UUID, or NOT_FOUND for an ID that is not a report's.
fn report_id(id: &ID) -> Result<Uuid, ServiceError> {
    ids::key::<TransparencyReport>(id)
        .ok_or_else(|| ServiceError::refused(Code::NotFound, &["input", "id"], "No such report."))
}

#[derive(Default)]
pub struct ReportsMutation;

#[Object]
impl ReportsMutation {
    /// Starts an empty draft. The State's delegation or the ISU.
    async fn create_transparency_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The State, the kind and the reporting year.")]
        input: CreateTransparencyReportInput,
    ) -> async_graphql::Result<TransparencyReportPayload> {
        let app = app(ctx)?;
        let new = NewReport {
            state_code: input.state_code,
            kind: input.kind.into(),
            reporting_year: input.reporting_year,
        };
        respond(service::create(&app.db, viewer(ctx), new, app.clock.today()).await)
    }

    /// Starts an annual draft filled in from the State's latest earlier report, so that only
    /// what changed needs editing.
    async fn create_transparency_report_from_previous(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The State and the year the new report covers.")]
        input: CreateTransparencyReportFromPreviousInput,
    ) -> async_graphql::Result<TransparencyReportPayload> {
        let app = app(ctx)?;
        respond(
            service::create_from_previous(
                &app.db,
                viewer(ctx),
                &input.state_code,
                input.reporting_year,
                app.clock.today(),
            )
            .await,
        )
    }

    /// Edits a draft. Names the version it saw: a stale one gets CONFLICT.
    async fn update_transparency_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The draft, the version seen and the changes.")]
        input: UpdateTransparencyReportInput,
    ) -> async_graphql::Result<TransparencyReportPayload> {
        let db = &app(ctx)?.db;
        let result = match report_id(&input.id) {
            Ok(id) => {
                service::update(
                    db,
                    viewer(ctx),
                    id,
                    input.expected_version,
                    input.sections.into(),
                )
                .await
            }
            Err(e) => Err(e),
        };
        respond(result)
    }

    /// DRAFT → SUBMITTED. Sets submittedAt and onTime, and fulfils the obligation.
    async fn submit_transparency_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The draft to submit.")] input: ReportActionInput,
    ) -> async_graphql::Result<TransparencyReportPayload> {
        let app = app(ctx)?;
        let result = match report_id(&input.id) {
            Ok(id) => {
                service::submit(&app.db, viewer(ctx), id, &app.clock, &app.notifications).await
            }
            Err(e) => Err(e),
        };
        respond(result)
    }

    /// SUBMITTED → PUBLISHED: the report becomes public. ISU_STAFF and ISU_ADMIN only.
    async fn publish_transparency_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The submitted report to publish.")] input: ReportActionInput,
    ) -> async_graphql::Result<TransparencyReportPayload> {
        let db = &app(ctx)?.db;
        let result = match report_id(&input.id) {
            Ok(id) => service::publish(db, viewer(ctx), id).await,
            Err(e) => Err(e),
        };
        respond(result)
    }
}
