//! Reads of meetings' records; what a viewer may read follows `domain::records::visibility`.

use async_graphql::{Context, Object};
use uuid::Uuid;

use super::types::{
    Decision, DecisionFilter, DocumentKind, ImplementationSummary, MeetingDocument,
};
use crate::api::error::ApiError;
use crate::api::pagination::{Conn, connection, page_request};
use crate::api::{app, viewer};
use crate::domain::records::{decisions, documents};
use crate::kernel::pagination::Page;

/// `decisions`, for the query and for a meeting's field.
pub async fn decisions_page(
    ctx: &Context<'_>,
    filter: Option<&DecisionFilter>,
    meeting: Option<Uuid>,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<Conn<Decision>> {
    let page = page_request(first, after)?;
    let Some(mut f) = filter.cloned().unwrap_or_default().to_service() else {
        return Ok(connection(
            Page::empty(),
            |d: &entity::decision::Model| d.id.to_string(),
            Decision,
        ));
    };
    if meeting.is_some() {
        f.meeting_id = meeting;
    }
    let app = app(ctx)?;
    let page = decisions::list(&app.db, viewer(ctx), &f, app.clock.today(), page)
        .await
        .map_err(ApiError::from)?;
    Ok(connection(page, |d| d.id.to_string(), Decision))
}

/// `implementationSummary`, for the query and for a meeting's field.
pub async fn summary(
    ctx: &Context<'_>,
    filter: Option<&DecisionFilter>,
    meeting: Option<Uuid>,
) -> async_graphql::Result<ImplementationSummary> {
    let Some(mut f) = filter.cloned().unwrap_or_default().to_service() else {
        return Ok(ImplementationSummary(Default::default()));
    };
    if meeting.is_some() {
        f.meeting_id = meeting;
    }
    let app = app(ctx)?;
    Ok(ImplementationSummary(
        decisions::summary(&app.db, viewer(ctx), &f, app.clock.today())
            .await
            .map_err(ApiError::from)?,
    ))
}

/// A meeting's documents, for its field.
pub async fn documents_page(
    ctx: &Context<'_>,
    meeting: Uuid,
    kind: Option<DocumentKind>,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<Conn<MeetingDocument>> {
    let page = page_request(first, after)?;
    let page = documents::of_meeting(
        &app(ctx)?.db,
        viewer(ctx),
        meeting,
        kind.map(Into::into),
        page,
    )
    .await
    .map_err(ApiError::from)?;
    Ok(connection(page, |d| d.id.to_string(), MeetingDocument))
}

#[derive(Default)]
pub struct RecordsQuery;

#[Object]
impl RecordsQuery {
    /// Decisions, recommendations and conclusions you may read, oldest first.
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn decisions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
        #[graphql(desc = "Narrows the list; omit for all.")] filter: Option<DecisionFilter>,
    ) -> async_graphql::Result<Conn<Decision>> {
        decisions_page(ctx, filter.as_ref(), None, first, after).await
    }

    /// The follow-up table of the decisions you may read that match `filter`.
    async fn implementation_summary(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrows the set; omit for all.")] filter: Option<DecisionFilter>,
    ) -> async_graphql::Result<ImplementationSummary> {
        summary(ctx, filter.as_ref(), None).await
    }
}
