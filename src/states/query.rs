//! Public queries of the States registry.

use async_graphql::{Context, Object};

use super::service::{self, StateFilter};
use super::types::{StateParty, StatePartyFilter};
use crate::error::ApiError;
use crate::graphql::app;
use crate::graphql::pagination::{Conn, connection, page_request};

#[derive(Default)]
pub struct StatesQuery;

#[Object]
impl StatesQuery {
    /// The registry, ordered by code. Public.
    async fn state_parties(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<StatePartyFilter>,
    ) -> async_graphql::Result<Conn<StateParty>> {
        let page = page_request(first, after)?;
        let f = filter.unwrap_or_default();
        let filter = StateFilter {
            status: f.status.map(|v| v.into_iter().map(Into::into).collect()),
            regional_group: f.regional_group.map(Into::into),
            search: f.search,
        };
        let page = service::list(&app(ctx)?.db, filter, page)
            .await
            .map_err(ApiError::from)?;
        Ok(connection(page, |s| s.code.clone(), StateParty))
    }

    /// One State by ISO alpha-3 code; null when unknown. Public.
    async fn state_party(
        &self,
        ctx: &Context<'_>,
        code: String,
    ) -> async_graphql::Result<Option<StateParty>> {
        Ok(service::by_code(&app(ctx)?.db, &code)
            .await
            .map_err(ApiError::from)?
            .map(StateParty))
    }
}
