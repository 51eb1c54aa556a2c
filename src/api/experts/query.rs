//! Reads of the roster: `expert(id:)` and `experts(...)`. Who reads which expert, and their
//! contact details, is `domain::experts::visibility`'s rule.

use async_graphql::{Context, ID, Object};

use super::types::{Expert, ExpertFilter};
use crate::api::error::ApiError;
use crate::api::pagination::{Conn, connection, page_request};
use crate::api::{app, ids, viewer};
use crate::domain::experts::service;

#[derive(Default)]
pub struct ExpertsQuery;

#[Object]
impl ExpertsQuery {
    /// An expert by global ID; null when there is none you may read (ISU staff read every
    /// one, other signed-in users the active ones).
    async fn expert(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The expert's global ID.")] id: ID,
    ) -> async_graphql::Result<Option<Expert>> {
        let Some(uuid) = ids::key::<Expert>(&id) else {
            return Ok(None);
        };
        Ok(service::get_many(&app(ctx)?.db, viewer(ctx), &[uuid])
            .await
            .map_err(ApiError::from)?
            .pop()
            .map(Expert))
    }

    /// The roster, in the order experts were added: ISU staff read every expert, other
    /// signed-in users the active ones.
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn experts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
        #[graphql(desc = "Narrows the list; omit for all.")] filter: Option<ExpertFilter>,
    ) -> async_graphql::Result<Conn<Expert>> {
        let page = page_request(first, after)?;
        let filter = filter.unwrap_or_default().to_service();
        let page = service::list(&app(ctx)?.db, viewer(ctx), filter, page)
            .await
            .map_err(ApiError::from)?;
        Ok(connection(page, |e| e.id.to_string(), Expert))
    }
}
