//! Queries of meetings. Applications, statistics and the suggestion hang off `Meeting`.

use async_graphql::{Context, ID, Object};

use super::types::{Meeting, MeetingFilter};
use crate::api::error::ApiError;
use crate::api::pagination::{Conn, connection, page_request};
use crate::api::{app, ids};
use crate::domain::sponsorship::service::{self, MeetingFilter as Filter};

#[derive(Default)]
pub struct SponsorshipQuery;

#[Object]
impl SponsorshipQuery {
    /// A meeting by ID; null when unknown. Public.
    async fn meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The meeting's global ID.")] id: ID,
    ) -> async_graphql::Result<Option<Meeting>> {
        let Some(uuid) = ids::key::<Meeting>(&id) else {
            return Ok(None);
        };
        Ok(service::get_meeting(&app(ctx)?.db, uuid)
            .await
            .map_err(ApiError::from)?
            .map(Meeting))
    }

    /// Meetings in the order they were entered. Public.
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn meetings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `pageInfo.endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "Narrows the list; omitted, all meetings.")] filter: Option<MeetingFilter>,
    ) -> async_graphql::Result<Conn<Meeting>> {
        let page = page_request(first, after)?;
        let f = filter.unwrap_or_default();
        let filter = Filter {
            kind: f.kind.map(Into::into),
            year: f.year,
        };
        let page = service::list_meetings(&app(ctx)?.db, filter, page)
            .await
            .map_err(ApiError::from)?;
        Ok(connection(page, |m| m.id.to_string(), Meeting))
    }
}
