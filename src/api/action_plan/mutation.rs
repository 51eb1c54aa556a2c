//! Writes of action plans: thin wrappers over [`crate::domain::action_plan::plans`]. ISU
//! staff; every write is audited.

use async_graphql::{Context, Object};

use super::types::{
    ActionIndicator, ActionIndicatorPayload, ActionPlan, ActionPlanPayload,
    AddActionIndicatorInput, AddPlanActionInput, CreateActionPlanInput, IndicatorValuePayload,
    PlanAction, PlanActionPayload, RecordIndicatorValueInput,
};
use crate::api::errors::{not_found, respond};
use crate::api::sponsorship::types::Meeting;
use crate::api::{app, ids, viewer};
use crate::domain::action_plan::plans::{self, NewAction, NewIndicator, NewPlan, NewValue};

#[derive(Default)]
pub struct ActionPlanMutation;

#[Object]
impl ActionPlanMutation {
    /// Creates an action plan; its years may not overlap another plan's. ISU staff.
    async fn create_action_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan.")] input: CreateActionPlanInput,
    ) -> async_graphql::Result<ActionPlanPayload> {
        let adopted_at_meeting_id = match &input.adopted_at_meeting_id {
            Some(id) => match ids::key::<Meeting>(id) {
                Some(k) => Some(k),
                None => return respond(Err(not_found("adoptedAtMeetingId", "meeting"))),
            },
            None => None,
        };
        let new = NewPlan {
            title: input.title,
            adopted_at_meeting_id,
            first_year: input.first_year,
            last_year: input.last_year,
        };
        respond(plans::create_plan(&app(ctx)?.db, viewer(ctx), new).await)
    }

    /// Adds a numbered action to a plan. ISU staff.
    async fn add_plan_action(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The action.")] input: AddPlanActionInput,
    ) -> async_graphql::Result<PlanActionPayload> {
        let Some(plan_id) = ids::key::<ActionPlan>(&input.plan_id) else {
            return respond(Err(not_found("planId", "action plan")));
        };
        let new = NewAction {
            plan_id,
            number: input.number,
            section: input.section,
            text: input.text,
        };
        respond(plans::add_action(&app(ctx)?.db, viewer(ctx), new).await)
    }

    /// Adds an indicator to an action. ISU staff.
    async fn add_action_indicator(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The indicator.")] input: AddActionIndicatorInput,
    ) -> async_graphql::Result<ActionIndicatorPayload> {
        let Some(action_id) = ids::key::<PlanAction>(&input.action_id) else {
            return respond(Err(not_found("actionId", "action")));
        };
        let new = NewIndicator {
            action_id,
            code: input.code,
            text: input.text,
            unit: input.unit.into(),
            computation: input.computation.into(),
            population: input.population,
            baseline_year: input.baseline_year,
            baseline: input.baseline,
            target: input.target,
        };
        respond(plans::add_indicator(&app(ctx)?.db, viewer(ctx), new).await)
    }

    /// Only for RECORDED indicators; recording the same year again replaces the value (kept
    /// in the audit log). ISU staff.
    async fn record_indicator_value(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The value.")] input: RecordIndicatorValueInput,
    ) -> async_graphql::Result<IndicatorValuePayload> {
        let Some(indicator_id) = ids::key::<ActionIndicator>(&input.indicator_id) else {
            return respond(Err(not_found("indicatorId", "indicator")));
        };
        let new = NewValue {
            indicator_id,
            year: input.year,
            numerator: input.numerator,
            denominator: input.denominator,
            state_codes: input.state_codes,
            note: input.note,
        };
        respond(plans::record_value(&app(ctx)?.db, viewer(ctx), new).await)
    }
}
