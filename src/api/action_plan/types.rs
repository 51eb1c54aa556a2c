//! GraphQL types of action plan monitoring: plans, actions, indicators, their values and a
//! year's progress. Everyone reads them (they are published in the progress report).

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Object};
use entity::{action_indicator, action_plan, plan_action};

use crate::api::app;
use crate::api::auth::types::User;
use crate::api::budget::types::WorkplanActivity;
use crate::api::cost::Objects;
use crate::api::error::ApiError;
use crate::api::ids;
use crate::api::loaders::{
    Actions, ActionsOf, ActivitiesOfPlan, ById, IndicatorsOf, Meetings, Plans, ValuesOf, loaders,
};
use crate::api::pagination::Conn;
use crate::api::records::types::Decision;
use crate::api::scalars::DateTime;
use crate::api::sponsorship::types::Meeting;
use crate::api::states::types::StateParty;
use crate::domain::action_plan::values;

/// How an indicator's value reads.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::IndicatorUnit")]
pub enum IndicatorUnit {
    /// numerator / denominator, shown as a percentage.
    Percent,
    /// A plain count (numerator alone).
    Count,
}

/// What the system computes an indicator from. RECORDED: entered by the ISU.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::IndicatorComputation")]
pub enum IndicatorComputation {
    /// Entered by the ISU with `recordIndicatorValue`.
    Recorded,
    /// States parties whose initial Article 7 report fell due in or before the year / those
    /// of them that submitted it by its due date.
    InitialReportsOnTime,
    /// States parties with an annual report due on 30 April of the year / those that
    /// submitted it by then.
    AnnualReportsOnTime,
    /// States parties with a stockpile destruction obligation whose deadline fell in or
    /// before the year / those that completed by it.
    StockpileDestructionCompletedOnTime,
    /// States parties with a clearance obligation / those that declared completion by the
    /// end of the year.
    ClearanceCompleted,
    /// States that became States parties in the year (count).
    NewStatesParties,
    /// Needs open at some point in the year / those with at least one agreed or delivered
    /// match.
    NeedsWithAgreedMatch,
    /// Delegates approved for sponsorship at the year's meetings / the women among them.
    SponsoredWomen,
}

/// A baseline or target in tenths as a number.
fn figure(tenths: Option<i64>) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)] // At most 10^7: exact.
    tenths.map(|t| t as f64 / 10.0)
}

/// An action plan of the States parties.
#[derive(Clone)]
pub struct ActionPlan(pub action_plan::Model);

impl ids::Kind for ActionPlan {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl ActionPlan {
    pub const KIND: &'static str = "ActionPlan";

    async fn all_actions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<plan_action::Model>> {
        Ok(loaders(ctx)?
            .load_one(ActionsOf(self.0.id))
            .await?
            .unwrap_or_default())
    }
}

/// An action plan of the States parties, e.g. the Lausanne Action Plan (2021–2026).
#[Object]
impl ActionPlan {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    /// e.g. "Lausanne Action Plan".
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The meeting that adopted it.
    async fn adopted_at(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Meeting>> {
        let Some(id) = self.0.adopted_at_meeting_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .load_one(ById::<Meetings>::new(id))
            .await?
            .map(Meeting))
    }
    /// First year it covers.
    async fn first_year(&self) -> i32 {
        self.0.first_year
    }
    /// Last year it covers.
    async fn last_year(&self) -> i32 {
        self.0.last_year
    }
    /// Its sections, in the order of their first action.
    async fn sections(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        for a in self.all_actions(ctx).await? {
            if !out.contains(&a.section) {
                out.push(a.section);
            }
        }
        Ok(out)
    }
    /// Its actions by number; with `section`, that section's only.
    async fn actions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only this section's actions.")] section: Option<String>,
    ) -> async_graphql::Result<Objects<PlanAction>> {
        Ok(self
            .all_actions(ctx)
            .await?
            .into_iter()
            .filter(|a| section.as_ref().is_none_or(|s| *s == a.section))
            .map(PlanAction)
            .collect())
    }
    /// The action of that number.
    async fn action(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "As numbered in the plan.")] number: i32,
    ) -> async_graphql::Result<Option<PlanAction>> {
        Ok(self
            .all_actions(ctx)
            .await?
            .into_iter()
            .find(|a| a.number == number)
            .map(PlanAction))
    }
    /// Every indicator's value in the year, with the change from the year before.
    async fn progress(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The year, e.g. 2025.")] year: i32,
    ) -> async_graphql::Result<ActionPlanProgress> {
        let app = app(ctx)?;
        let progress = values::progress(&app.db, &self.0, year, app.clock.today())
            .await
            .map_err(ApiError::from)?;
        Ok(ActionPlanProgress(progress))
    }
}

/// A numbered action of an action plan.
#[derive(Clone)]
pub struct PlanAction(pub plan_action::Model);

impl ids::Kind for PlanAction {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl PlanAction {
    pub const KIND: &'static str = "PlanAction";
}

/// A numbered action of an action plan, in its section.
#[Object]
impl PlanAction {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    /// The plan it belongs to.
    async fn plan(&self, ctx: &Context<'_>) -> async_graphql::Result<ActionPlan> {
        loaders(ctx)?
            .load_one(ById::<Plans>::new(self.0.plan_id))
            .await?
            .map(ActionPlan)
            .ok_or_else(|| ApiError::Internal("an action without its plan".into()).into())
    }
    /// 1, 2, ... as numbered in the plan; unique in the plan.
    async fn number(&self) -> i32 {
        self.0.number
    }
    /// Its section, e.g. "Universalization".
    async fn section(&self) -> &str {
        &self.0.section
    }
    /// What the States parties undertake.
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// Its indicators, by code.
    async fn indicators(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Objects<ActionIndicator>> {
        Ok(loaders(ctx)?
            .load_one(IndicatorsOf(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(ActionIndicator)
            .collect())
    }
    /// Decisions that serve this action (Decision.actionPlanActions) taken at meetings in
    /// the plan's years, that you may read; oldest first.
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn decisions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
    ) -> async_graphql::Result<Conn<Decision>> {
        let plan = loaders(ctx)?
            .load_one(ById::<Plans>::new(self.0.plan_id))
            .await?
            .ok_or_else(|| ApiError::Internal("an action without its plan".into()))?;
        crate::api::records::query::decisions_of_action(
            ctx,
            self.0.number,
            plan.first_year..=plan.last_year,
            first,
            after,
        )
        .await
    }
    /// Workplan activities whose actionPlanReference names this action ("LAP action 38",
    /// "Action 38", "38"), in the workplans of the plan's years that you may read.
    async fn workplan_activities(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Objects<WorkplanActivity>> {
        Ok(loaders(ctx)?
            .load_one(ActivitiesOfPlan(self.0.plan_id))
            .await?
            .unwrap_or_default()
            .get(&self.0.number)
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|a| WorkplanActivity(Arc::new(a)))
            .collect())
    }
}

/// An indicator of an action.
#[derive(Clone)]
pub struct ActionIndicator(pub action_indicator::Model);

impl ids::Kind for ActionIndicator {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl ActionIndicator {
    pub const KIND: &'static str = "ActionIndicator";
}

/// An indicator of an action: how it is measured, its baseline and target, its values.
#[Object]
impl ActionIndicator {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    /// The action it measures.
    async fn action(&self, ctx: &Context<'_>) -> async_graphql::Result<PlanAction> {
        loaders(ctx)?
            .load_one(ById::<Actions>::new(self.0.action_id))
            .await?
            .map(PlanAction)
            .ok_or_else(|| ApiError::Internal("an indicator without its action".into()).into())
    }
    /// As numbered in the plan, e.g. "2.1"; unique in the plan.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// What it measures.
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// How its value reads.
    async fn unit(&self) -> IndicatorUnit {
        self.0.unit.into()
    }
    /// What the system computes it from; RECORDED when the ISU enters it.
    async fn computation(&self) -> IndicatorComputation {
        self.0.computation.into()
    }
    /// What the denominator counts, in words.
    async fn population(&self) -> Option<&str> {
        self.0.population.as_deref()
    }
    /// The year the baseline was taken.
    async fn baseline_year(&self) -> Option<i32> {
        self.0.baseline_year
    }
    /// The value in the baseline year.
    async fn baseline(&self) -> Option<f64> {
        figure(self.0.baseline_tenths)
    }
    /// The value the plan aims for by its last year.
    async fn target(&self) -> Option<f64> {
        figure(self.0.target_tenths)
    }
    /// One value per year from the plan's first year to the given one (default: the
    /// current year), for the years that have one.
    async fn values(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The last year; the current year if omitted.")] until_year: Option<i32>,
    ) -> async_graphql::Result<Objects<IndicatorValue>> {
        let app = app(ctx)?;
        let until = until_year.unwrap_or_else(|| chrono::Datelike::year(&app.clock.today()));
        Ok(loaders(ctx)?
            .load_one(ValuesOf(self.0.id, until))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(IndicatorValue)
            .collect())
    }
    /// Its value in the year; null when there is none (not recorded, or a year to come).
    async fn value(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The year.")] year: i32,
    ) -> async_graphql::Result<Option<IndicatorValue>> {
        Ok(loaders(ctx)?
            .load_one(ValuesOf(self.0.id, year))
            .await?
            .unwrap_or_default()
            .into_iter()
            .find(|v| v.year == year)
            .map(IndicatorValue))
    }
}

/// An indicator's value in one year.
#[derive(Clone)]
pub struct IndicatorValue(pub values::Value);

async fn states_of(
    ctx: &Context<'_>,
    codes: &[String],
) -> async_graphql::Result<Objects<StateParty>> {
    Ok(loaders(ctx)?
        .states(codes)
        .await?
        .into_iter()
        .map(StateParty)
        .collect())
}

/// An indicator's value in one year: computed from the system's data, or recorded by the
/// ISU.
#[Object]
impl IndicatorValue {
    /// The year.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// Null for COUNT.
    async fn denominator(&self) -> Option<i32> {
        self.0.denominator
    }
    /// How many meet the indicator.
    async fn numerator(&self) -> i32 {
        self.0.numerator
    }
    /// PERCENT: 100 * numerator / denominator rounded to one decimal (0 when the
    /// denominator is 0); COUNT: the numerator.
    async fn value(&self) -> f64 {
        self.0.value
    }
    /// True when computed from the system's data as of now; false when recorded.
    async fn computed(&self) -> bool {
        self.0.computed
    }
    /// The States counted in the numerator.
    async fn states(&self, ctx: &Context<'_>) -> async_graphql::Result<Objects<StateParty>> {
        states_of(ctx, &self.0.states).await
    }
    /// The States in the denominator but not in the numerator: who to follow up.
    async fn missing(&self, ctx: &Context<'_>) -> async_graphql::Result<Objects<StateParty>> {
        states_of(ctx, &self.0.missing).await
    }
    /// The ISU's note on a recorded value.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// Who recorded it; null when computed, or for an account you may not see.
    async fn recorded_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        let Some(id) = self.0.recorded_by else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .load_one(ById::<crate::api::loaders::Users>::new(id))
            .await?
            .map(User))
    }
    /// When it was recorded; null when computed.
    async fn recorded_at(&self) -> Option<DateTime> {
        self.0.recorded_at.map(DateTime)
    }
}

/// One indicator in a year's progress.
pub struct IndicatorProgress(pub values::IndicatorProgress);

/// One indicator in a year's progress: its value, the year before's, the change.
#[Object]
impl IndicatorProgress {
    /// The indicator.
    async fn indicator(&self) -> ActionIndicator {
        ActionIndicator(self.0.indicator.clone())
    }
    /// Its value in the year.
    async fn current(&self) -> Option<IndicatorValue> {
        self.0.current.clone().map(IndicatorValue)
    }
    /// Its value the year before.
    async fn previous(&self) -> Option<IndicatorValue> {
        self.0.previous.clone().map(IndicatorValue)
    }
    /// current.value - previous.value; null when either is missing.
    async fn change(&self) -> Option<f64> {
        self.0
            .change_tenths
            .map(crate::rules::indicators::tenths_to_value)
    }
    /// current.value >= target (or <= target when the target is below the baseline); null
    /// without a current value or a target.
    async fn target_met(&self) -> Option<bool> {
        self.0.target_met
    }
}

/// Every indicator of a plan in one year.
pub struct ActionPlanProgress(pub values::Progress);

/// Every indicator of a plan in one year, in action order, then by code.
#[Object]
impl ActionPlanProgress {
    /// The year.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// Every indicator.
    async fn indicators(&self) -> Objects<IndicatorProgress> {
        self.0
            .indicators
            .iter()
            .cloned()
            .map(IndicatorProgress)
            .collect()
    }
    /// Indicators with a value for the year / all indicators, from 0 to 1 (0 without
    /// indicators).
    async fn coverage(&self) -> f64 {
        self.0.coverage
    }
}

/// A plan, for `createActionPlan`.
#[derive(InputObject)]
pub struct CreateActionPlanInput {
    /// 1 to 200 characters.
    pub title: String,
    /// Global ID of the meeting that adopted it.
    pub adopted_at_meeting_id: Option<ID>,
    /// 2010 to 2100.
    pub first_year: i32,
    /// Not before `firstYear`; at most ten years in all; no year of another plan.
    pub last_year: i32,
}

crate::api::errors::payload!(
    ActionPlanPayload,
    action_plan,
    ActionPlan,
    action_plan::Model
);

/// An action, for `addPlanAction`.
#[derive(InputObject)]
pub struct AddPlanActionInput {
    /// Global ID of the plan.
    pub plan_id: ID,
    /// 1 to 100; unique in the plan.
    pub number: i32,
    /// The section, 1 to 200 characters; sections are listed in the order of their first
    /// action.
    pub section: String,
    /// 1 to 10 000 characters.
    pub text: String,
}

crate::api::errors::payload!(PlanActionPayload, action, PlanAction, plan_action::Model);

/// An indicator, for `addActionIndicator`.
#[derive(InputObject)]
pub struct AddActionIndicatorInput {
    /// Global ID of the action.
    pub action_id: ID,
    /// Letters, digits, `.` and `-`, at most 32; unique in the plan.
    pub code: String,
    /// 1 to 10 000 characters.
    pub text: String,
    /// PERCENT or COUNT; NEW_STATES_PARTIES is a COUNT.
    pub unit: IndicatorUnit,
    /// RECORDED, or the rule that computes it.
    pub computation: IndicatorComputation,
    /// What the denominator counts, in words; at most 200 characters.
    pub population: Option<String>,
    /// The year the baseline was taken.
    pub baseline_year: Option<i32>,
    /// 0 to 100 for PERCENT, 0 to 1 000 000 for COUNT; one decimal is kept.
    pub baseline: Option<f64>,
    /// As `baseline`.
    pub target: Option<f64>,
}

crate::api::errors::payload!(
    ActionIndicatorPayload,
    indicator,
    ActionIndicator,
    action_indicator::Model
);

/// A recorded value, for `recordIndicatorValue`.
#[derive(InputObject)]
pub struct RecordIndicatorValueInput {
    /// Global ID of a RECORDED indicator.
    pub indicator_id: ID,
    /// A year of the indicator's plan.
    pub year: i32,
    /// 0 to 1 000 000.
    pub numerator: i32,
    /// Required for PERCENT.
    pub denominator: Option<i32>,
    /// The States counted in the numerator (ISO alpha-3); its length must equal numerator
    /// when given.
    #[graphql(validator(max_items = 300))]
    pub state_codes: Option<Vec<String>>,
    /// At most 10 000 characters.
    pub note: Option<String>,
}

crate::api::errors::payload!(IndicatorValuePayload, value, IndicatorValue, values::Value);
