//! Public queries of the States registry.

use async_graphql::{Context, Object};

use std::sync::Arc;

use entity::state;

use super::types::{Obligation, ObligationKind, StateParty, StatePartyFilter, matches_filters};
use crate::api::app;
use crate::api::error::ApiError;
use crate::api::loaders::loaders;
use crate::api::pagination::{Conn, connection, page_request};
use crate::domain::states::obligations::{for_all, sort_key};
use crate::domain::states::service::{self, StateFilter};
use crate::kernel::pagination::{Page, PageRequest};
use crate::rules::obligations::{self, ObligationStatus};

/// The longest look-ahead of `upcomingDeadlines`: ten years.
pub const MAX_WITHIN_DAYS: i32 = 3660;

/// Pages a sorted in-memory list of obligations by its sort key.
fn page_of(
    all: Vec<(Arc<state::Model>, obligations::Obligation)>,
    page: &PageRequest,
) -> Page<(Arc<state::Model>, obligations::Obligation)> {
    let total = all.len() as u64;
    let rest: Vec<_> = match &page.after {
        Some(after) => all
            .into_iter()
            .filter(|(s, o)| sort_key(s, o).as_str() > after.as_str())
            .collect(),
        None => all,
    };
    let limit = usize::try_from(page.limit).unwrap_or(usize::MAX);
    let has_next = rest.len() > limit;
    Page {
        items: rest.into_iter().take(limit).collect(),
        has_next,
        total,
        has_previous: page.after.is_some(),
    }
}
#[derive(Default)]
pub struct StatesQuery;

#[Object]
impl StatesQuery {
    /// The registry, ordered by code. Public.
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn state_parties(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
        #[graphql(desc = "Narrows the registry; omit for every State.")] filter: Option<
            StatePartyFilter,
        >,
    ) -> async_graphql::Result<Conn<StateParty>> {
        let page = page_request(first, after)?;
        let f = filter.unwrap_or_default();
        let filter = StateFilter {
            status: f.status.map(|v| v.into_iter().map(Into::into).collect()),
            regional_group: f.regional_group.map(Into::into),
            search: f.search,
            has_obligation: f.has_obligation.map(Into::into),
        };
        let registry = crate::api::loaders::loaders(ctx)?.registry().await?;
        let page = service::list(&registry, &filter, &page);
        Ok(connection(page, |s| s.code.clone(), StateParty))
    }

    /// One State by ISO alpha-3 code; null when unknown. Public.
    async fn state_party(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "ISO 3166-1 alpha-3, e.g. \"LAO\"; case-insensitive.")] code: String,
    ) -> async_graphql::Result<Option<StateParty>> {
        let code = code.trim().to_uppercase();
        Ok(loaders(ctx)?.state(&code).await?.map(StateParty))
    }

    /// Open obligations of every State due between today and `withinDays` from now, by due
    /// date, then State code. Public.
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn upcoming_deadlines(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many days ahead to look, 0 to 3660.")] within_days: i32,
        #[graphql(desc = "Only these kinds; omit for all.", validator(max_items = 100))]
        kinds: Option<Vec<ObligationKind>>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
    ) -> async_graphql::Result<Conn<Obligation>> {
        if !(0..=MAX_WITHIN_DAYS).contains(&within_days) {
            return Err(ApiError::BadUserInput(format!(
                "`withinDays` must lie between 0 and {MAX_WITHIN_DAYS}."
            ))
            .into());
        }
        let page = page_request(first, after)?;
        let app = app(ctx)?;
        let all: Vec<_> = for_all(&app.db, app.clock.today())
            .await
            .map_err(ApiError::from)?
            .into_iter()
            .filter(|(_, o)| {
                o.status.is_open()
                    && (0..=i64::from(within_days)).contains(&o.days_remaining)
                    && matches_filters(o, None, kinds.as_deref())
            })
            .collect();
        Ok(connection(
            page_of(all, &page),
            |(s, o)| sort_key(s, o),
            |(state, inner)| Obligation { state, inner },
        ))
    }

    /// Obligations of every State past their due date and not fulfilled, by due date, then
    /// State code. Public.
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn overdue_obligations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only these kinds; omit for all.", validator(max_items = 100))]
        kinds: Option<Vec<ObligationKind>>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
    ) -> async_graphql::Result<Conn<Obligation>> {
        let page = page_request(first, after)?;
        let app = app(ctx)?;
        let all: Vec<_> = for_all(&app.db, app.clock.today())
            .await
            .map_err(ApiError::from)?
            .into_iter()
            .filter(|(_, o)| {
                o.status == ObligationStatus::Overdue && matches_filters(o, None, kinds.as_deref())
            })
            .collect();
        Ok(connection(
            page_of(all, &page),
            |(s, o)| sort_key(s, o),
            |(state, inner)| Obligation { state, inner },
        ))
    }
}
