//! Reads of action plans: everyone may read them.

use async_graphql::{Context, Object};

use super::types::ActionPlan;
use crate::api::app;
use crate::api::cost::Objects;
use crate::api::error::ApiError;
use crate::domain::action_plan::plans;

#[derive(Default)]
pub struct ActionPlanQuery;

#[Object]
impl ActionPlanQuery {
    /// Every action plan, oldest first.
    async fn action_plans(&self, ctx: &Context<'_>) -> async_graphql::Result<Objects<ActionPlan>> {
        Ok(plans::plans(&app(ctx)?.db)
            .await
            .map_err(ApiError::from)?
            .into_iter()
            .map(ActionPlan)
            .collect())
    }

    /// The plan whose years include the given one (default: the current year).
    async fn current_action_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The year; the current year if omitted.")] year: Option<i32>,
    ) -> async_graphql::Result<Option<ActionPlan>> {
        let app = app(ctx)?;
        let year = year.unwrap_or_else(|| chrono::Datelike::year(&app.clock.today()));
        Ok(plans::plan_for_year(&app.db, year)
            .await
            .map_err(ApiError::from)?
            .map(ActionPlan))
    }
}
