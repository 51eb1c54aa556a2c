//! Queries about users.

use async_graphql::{Context, Object};

use super::types::{User, UserFilterInput};
use crate::api::error::ApiError;
use crate::api::pagination::{Conn, connection, page_request};
use crate::api::{app, viewer};
use crate::domain::users::service::{self, UserFilter};

#[derive(Default)]
pub struct AuthQuery;

#[Object]
impl AuthQuery {
    /// The logged-in user; null when anonymous.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        // The row the token was checked against, read at the start of this request.
        Ok(viewer(ctx)
            .principal()
            .map(|p| User(p.account.as_ref().clone())))
    }

    /// All accounts, ordered by email. ISU_ADMIN only.
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `pageInfo.endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "Narrows the list; omitted, all users.")] filter: Option<UserFilterInput>,
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
