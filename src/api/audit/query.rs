//! The `auditLog` query.

use async_graphql::{Context, Object};

use super::types::{AuditEntry, AuditLogFilter};
use crate::api::auth::types::User;
use crate::api::error::ApiError;
use crate::api::pagination::{Conn, connection, page_request};
use crate::api::{app, ids, viewer};
use crate::domain::audit::service::{self, AuditFilter};

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// Every recorded change, newest first. ISU_ADMIN only.
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `pageInfo.endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "Narrows the log; omitted, every entry.")] filter: Option<AuditLogFilter>,
    ) -> async_graphql::Result<Conn<AuditEntry>> {
        let page = page_request(first, after)?;
        let f = filter.unwrap_or_default();
        let actor_id = match f.actor_id {
            Some(id) => Some(ids::key::<User>(&id).ok_or_else(|| {
                ApiError::BadUserInput("`actorId` is not the ID of a user.".into())
            })?),
            None => None,
        };
        let filter = AuditFilter {
            entity_type: f.entity_type,
            entity_id: f.entity_id,
            actor_id,
            since: f.since,
        };
        let page = service::list(&app(ctx)?.db, viewer(ctx), filter, page)
            .await
            .map_err(ApiError::from)?;
        Ok(connection(page, |e| e.id.to_string(), AuditEntry))
    }
}
