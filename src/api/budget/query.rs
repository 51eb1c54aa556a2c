//! Queries of the workplan and the financial status.

use async_graphql::{Context, Object};

use super::types::{FinancialStatus, Workplan};
use crate::api::error::ApiError;
use crate::api::{app, viewer};
use crate::domain::budget::service;

#[derive(Default)]
pub struct BudgetQuery;

#[Object]
impl BudgetQuery {
    /// The workplan of a year; null when there is none. For logged-in users.
    async fn workplan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The calendar year it plans.")] year: i32,
    ) -> async_graphql::Result<Option<Workplan>> {
        Ok(service::workplan_of_year(&app(ctx)?.db, viewer(ctx), year)
            .await
            .map_err(ApiError::from)?
            .map(Workplan))
    }

    /// Contributions and the Working Capital Reserve for a year. For logged-in users.
    async fn financial_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The calendar year.")] year: i32,
    ) -> async_graphql::Result<FinancialStatus> {
        let app = app(ctx)?;
        Ok(FinancialStatus(
            service::financial_status(&app.db, &app.budget, viewer(ctx), year)
                .await
                .map_err(ApiError::from)?,
        ))
    }
}
