//! Queries about users.

use async_graphql::{Context, Object};

use super::service::{self, UserFilter};
use super::types::{User, UserFilterInput};
use crate::error::ApiError;
use crate::graphql::pagination::{Conn, connection, page_request};
use crate::graphql::{app, viewer};

#[derive(Default)]
pub struct AuthQuery;

#[Object]
impl AuthQuery {
    /// The logged-in user; null when anonymous.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        let viewer = viewer(ctx);
        let Some(p) = viewer.principal() else {
            return Ok(None);
        };
        Ok(service::get_user(&app(ctx)?.db, viewer, p.user_id)
            .await
            .map_err(ApiError::from)?
            .map(User))
    }

    /// All accounts, ordered by email. ISU_ADMIN only.
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, 20, child_complexity)")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<UserFilterInput>,
    ) -> async_graphql::Result<Conn<User>> {
        let page = page_request(first, after)?;
        let filter = filter
            .map(|f| UserFilter {
                role: f.role.map(Into::into),
                state_code: f.state_code,
                active: f.active,
            })
            .unwrap_or_default();
        let page = service::list_users(&app(ctx)?.db, viewer(ctx), filter, page)
            .await
            .map_err(ApiError::from)?;
        Ok(connection(page, |u| u.email.clone(), User))
    }
}
