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

/// The decisions serving action `number` of a plan covering `years`, for its field.
pub async fn decisions_of_action(
    ctx: &Context<'_>,
    number: i32,
    years: std::ops::RangeInclusive<i32>,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<Conn<Decision>> {
    let page = page_request(first, after)?;
    let f = decisions::DecisionFilter {
        action_plan_action: Some(number),
        meeting_years: Some((*years.start(), *years.end())),
        ..Default::default()
    };
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

/// Most hits `search` skips: deep pages of a ranked list are not browsed.
pub const MAX_SEARCH_OFFSET: u64 = 10_000;

#[derive(Default)]
pub struct SearchQuery;

#[Object]
impl SearchQuery {
    /// Full-text search over the documents and decisions you may read, best first: every
    /// word of `query` must match (symbols, titles, references and texts). 1 to 500
    /// characters.
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The words to find, 1 to 500 characters.")] query: String,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
        #[graphql(desc = "Documents in this language only; decisions are all kept.")]
        language: Option<super::types::Language>,
    ) -> async_graphql::Result<Conn<super::types::SearchResult>> {
        use super::types::{SearchHit, SearchResult};
        use crate::domain::records::search::{self, HitKind};
        // The cursor is the hit's position in the ranked list.
        let page = page_request(first, after)?;
        let offset = match page.after.as_deref() {
            None => 0,
            Some(a) => match a.parse::<u64>() {
                Ok(n) if n <= MAX_SEARCH_OFFSET => n,
                _ => {
                    return Err(ApiError::BadUserInput(
                        "`after` is not a cursor of this search.".into(),
                    )
                    .into());
                }
            },
        };
        let app = app(ctx)?;
        let v = viewer(ctx);
        let (hits, total) = search::search(
            &app.db,
            v,
            &query,
            language.map(Into::into),
            offset,
            page.limit,
        )
        .await
        .map_err(|e| match e {
            crate::kernel::error::ServiceError::Refused(r) => ApiError::BadUserInput(
                r.into_iter()
                    .map(|r| r.message)
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            other => ApiError::from(other),
        })?;
        let doc_ids: Vec<Uuid> = hits
            .iter()
            .filter(|h| h.kind == HitKind::Document)
            .map(|h| h.id)
            .collect();
        let dec_ids: Vec<Uuid> = hits
            .iter()
            .filter(|h| h.kind == HitKind::Decision)
            .map(|h| h.id)
            .collect();
        let (mut docs, mut decs) = tokio::try_join!(
            documents::get_many(&app.db, v, &doc_ids),
            decisions::get_many(&app.db, v, &dec_ids),
        )
        .map_err(ApiError::from)?;
        let mut items = Vec::with_capacity(hits.len());
        for h in hits {
            let hit = match h.kind {
                HitKind::Document => docs
                    .iter()
                    .position(|d| d.id == h.id)
                    .map(|i| SearchHit::MeetingDocument(MeetingDocument(docs.swap_remove(i)))),
                HitKind::Decision => decs
                    .iter()
                    .position(|d| d.id == h.id)
                    .map(|i| SearchHit::Decision(Decision(decs.swap_remove(i)))),
            };
            if let Some(hit) = hit {
                items.push(SearchResult {
                    hit,
                    score: h.score,
                    snippet: h.snippet,
                });
            }
        }
        let shown = items.len() as u64;
        let page = Page {
            has_next: offset + shown < total,
            has_previous: offset > 0,
            total,
            items: items.into_iter().enumerate().collect::<Vec<_>>(),
        };
        Ok(connection(
            page,
            |(i, _)| (offset + *i as u64 + 1).to_string(),
            |(_, r)| r,
        ))
    }
}
