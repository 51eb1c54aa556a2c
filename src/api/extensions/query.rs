//! Reads of extension requests: `extensionRequests(...)`. Who reads which request is
//! `domain::extensions::visibility`'s rule.

use async_graphql::{Context, Object};

use super::types::{ExtensionRequest, ExtensionRequestFilter};
use crate::api::error::ApiError;
use crate::api::pagination::{Conn, connection, page_request};
use crate::api::sponsorship::types::Meeting;
use crate::api::{app, ids, viewer};
use crate::domain::extensions::service;

#[derive(Default)]
pub struct ExtensionsQuery;

#[Object]
impl ExtensionsQuery {
    /// Extension requests you may read, oldest first: drafts to the State's delegation and
    /// ISU staff, submitted requests to every signed-in user.
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn extension_requests(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
        #[graphql(desc = "Narrows the list; omit for all.")] filter: Option<ExtensionRequestFilter>,
    ) -> async_graphql::Result<Conn<ExtensionRequest>> {
        let page = page_request(first, after)?;
        let filter = filter.unwrap_or_default();
        let meeting_id = match &filter.meeting_id {
            None => None,
            Some(id) => match ids::key::<Meeting>(id) {
                Some(uuid) => Some(uuid),
                // A meeting that cannot exist has no requests.
                None => {
                    return Ok(connection(
                        crate::kernel::pagination::Page::empty(),
                        |r: &entity::extension_request::Model| r.id.to_string(),
                        ExtensionRequest,
                    ));
                }
            },
        };
        let filter = service::Filter {
            state_code: filter.state_code,
            kind: filter
                .kind
                .map(|k| crate::rules::obligations::ObligationKind::from(k).into()),
            status: filter
                .status
                .map(|s| s.into_iter().map(Into::into).collect()),
            meeting_id,
        };
        let page = service::list(&app(ctx)?.db, viewer(ctx), filter, page)
            .await
            .map_err(ApiError::from)?;
        Ok(connection(page, |r| r.id.to_string(), ExtensionRequest))
    }
}
