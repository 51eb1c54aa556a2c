//! Mutations of the workplan, expenditure and contributions: thin wrappers over the
//! service.

use std::sync::Arc;

use async_graphql::{Context, Object};

use super::types::{
    AddBudgetLineInput, AddWorkplanActivityInput, BudgetLine, BudgetLinePayload,
    CreateWorkplanInput, FinancialStatusPayload, IssueInvoicesInput, RecordExpenditureInput,
    RecordPaymentInput, TransitionWorkplanInput, Workplan, WorkplanActivity,
    WorkplanActivityPayload, WorkplanPayload,
};
use crate::api::errors::respond;
use crate::api::{app, ids, viewer};
use crate::domain::budget::service::{
    self, NewActivity, NewExpenditure, NewInvoices, NewLine, NewPayment, NewWorkplan, Transition,
};

#[derive(Default)]
pub struct BudgetMutation;

#[Object]
impl BudgetMutation {
    /// Starts the workplan of a year, as a DRAFT. ISU staff; one per year.
    async fn create_workplan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The year, title and currency.")] input: CreateWorkplanInput,
    ) -> async_graphql::Result<WorkplanPayload> {
        let app = app(ctx)?;
        let new = NewWorkplan {
            year: input.year,
            title: input.title,
            currency: input.currency,
        };
        respond(service::create_workplan(&app.db, &app.budget, viewer(ctx), new).await)
    }

    /// Adds an activity to a DRAFT workplan. ISU staff.
    async fn add_workplan_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The workplan and the new activity.")] input: AddWorkplanActivityInput,
    ) -> async_graphql::Result<WorkplanActivityPayload> {
        let new = NewActivity {
            workplan_id: ids::key::<Workplan>(&input.workplan_id),
            title: input.title,
            output: input.output,
            indicator: input.indicator,
            target: input.target,
            action_plan_reference: input.action_plan_reference,
        };
        respond(
            service::add_activity(&app(ctx)?.db, viewer(ctx), new)
                .await
                .map(Arc::new),
        )
    }

    /// Adds a budget line to a DRAFT workplan. ISU staff.
    async fn add_budget_line(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The workplan and the new line.")] input: AddBudgetLineInput,
    ) -> async_graphql::Result<BudgetLinePayload> {
        let new = NewLine {
            workplan_id: ids::key::<Workplan>(&input.workplan_id),
            category: input.category.into(),
            description: input.description,
            amount: input.amount.into(),
            activity_id: input
                .activity_id
                .map(|id| ids::key::<WorkplanActivity>(&id).ok_or(id.0)),
        };
        respond(service::add_line(&app(ctx)?.db, viewer(ctx), new).await)
    }

    /// Moves a workplan one step: SUBMITTED (ISU staff), ENDORSED, APPROVED, CLOSED
    /// (ISU_ADMIN), or back to DRAFT from SUBMITTED.
    async fn transition_workplan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The workplan, its next status and the version seen.")]
        input: TransitionWorkplanInput,
    ) -> async_graphql::Result<WorkplanPayload> {
        let app = app(ctx)?;
        let t = Transition {
            id: ids::key::<Workplan>(&input.id),
            to: input.to.into(),
            expected_version: input.expected_version,
            note: input.note,
        };
        respond(service::transition(&app.db, viewer(ctx), t, app.clock.today()).await)
    }

    /// Records spending against a line of an APPROVED workplan. ISU staff.
    async fn record_expenditure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The line, amount, day and what was paid for.")]
        input: RecordExpenditureInput,
    ) -> async_graphql::Result<BudgetLinePayload> {
        let app = app(ctx)?;
        let new = NewExpenditure {
            line_id: ids::key::<BudgetLine>(&input.budget_line_id),
            amount: input.amount.into(),
            spent_on: input.spent_on.0,
            description: input.description,
        };
        respond(service::record_expenditure(&app.db, viewer(ctx), new, app.clock.today()).await)
    }

    /// Invoices the States parties for a year, sharing the total by the scale to the cent.
    /// ISU_ADMIN. Replaces the year's invoices until a payment is recorded.
    async fn issue_invoices(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The year, the total and the scale.")] input: IssueInvoicesInput,
    ) -> async_graphql::Result<FinancialStatusPayload> {
        let app = app(ctx)?;
        let new = NewInvoices {
            year: input.year,
            total: input.total.into(),
            rates: input
                .rates
                .map(|r| r.into_iter().map(|x| (x.state_code, x.rate.0)).collect()),
        };
        respond(service::issue_invoices(&app.db, &app.budget, viewer(ctx), new).await)
    }

    /// Records a State's payment against its invoice for a year. ISU staff.
    async fn record_payment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The State, the year and the payment.")] input: RecordPaymentInput,
    ) -> async_graphql::Result<FinancialStatusPayload> {
        let app = app(ctx)?;
        let new = NewPayment {
            state_code: input.state_code,
            year: input.year,
            amount: input.amount.into(),
            received_on: input.received_on.0,
        };
        respond(
            service::record_payment(&app.db, &app.budget, viewer(ctx), new, app.clock.today())
                .await,
        )
    }
}
