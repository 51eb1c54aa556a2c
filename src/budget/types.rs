//! GraphQL types of the workplan, budget and contributions.

use std::sync::Arc;

use async_graphql::{Enum, ID, InputObject, Object, SimpleObject};
use entity::workplan_activity;
use rust_decimal::Decimal;

use super::service::{self, FinancialStatus as Status, LineView, WorkplanView};
use crate::graphql::errors::payload;
use crate::graphql::ids;
use crate::graphql::money::{Money, MoneyInput};
use crate::graphql::scalars::Date;
use crate::money::from_cents;
use crate::states::types::StateParty;

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::WorkplanStatus")]
pub enum WorkplanStatus {
    /// Being drafted by the ISU: activities and lines may change.
    Draft,
    /// Submitted to the Coordination Committee.
    Submitted,
    /// Endorsed by the Coordination Committee.
    Endorsed,
    /// Adopted by the Meeting of States Parties: expenditure is recorded against it.
    Approved,
    /// After the year's end.
    Closed,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::BudgetCategory")]
pub enum BudgetCategory {
    Staff,
    Travel,
    Meetings,
    Sponsorship,
    Communications,
    Consultants,
    OperatingCosts,
    Other,
}

fn money(cents: i64, currency: &str) -> Money {
    Money {
        amount: from_cents(cents),
        currency: currency.to_owned(),
    }
}

/// An activity of the workplan, with its expected result.
pub struct WorkplanActivity(pub Arc<workplan_activity::Model>);

impl WorkplanActivity {
    pub const KIND: &'static str = "WorkplanActivity";
}

#[Object]
impl WorkplanActivity {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The expected output (results-based management).
    async fn output(&self) -> &str {
        &self.0.output
    }
    async fn indicator(&self) -> Option<&str> {
        self.0.indicator.as_deref()
    }
    async fn target(&self) -> Option<&str> {
        self.0.target.as_deref()
    }
    /// Reference to the action plan action it serves, e.g. "LAP action 38".
    async fn action_plan_reference(&self) -> Option<&str> {
        self.0.action_plan_reference.as_deref()
    }
}

/// A line of the budget, with what has been spent against it.
pub struct BudgetLine(pub LineView);

impl BudgetLine {
    pub const KIND: &'static str = "BudgetLine";
}

#[Object]
impl BudgetLine {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.line.id)
    }
    async fn category(&self) -> BudgetCategory {
        self.0.line.category.into()
    }
    async fn description(&self) -> &str {
        &self.0.line.description
    }
    async fn amount(&self) -> Money {
        money(self.0.line.amount_cents, &self.0.currency)
    }
    /// Sum of the expenditure recorded against it.
    async fn spent(&self) -> Money {
        money(self.0.line.spent_cents, &self.0.currency)
    }
    /// Amount minus spent; never negative, as a line cannot be overspent.
    async fn remaining(&self) -> Money {
        money(
            self.0.line.amount_cents - self.0.line.spent_cents,
            &self.0.currency,
        )
    }
    /// The activity it funds, if any.
    async fn activity(&self) -> Option<WorkplanActivity> {
        self.0.activity.clone().map(WorkplanActivity)
    }
}

#[derive(SimpleObject)]
pub struct CategoryTotal {
    pub category: BudgetCategory,
    pub budget: Money,
    pub spent: Money,
}

/// The ISU's results-based workplan and budget for one year. For logged-in users.
pub struct Workplan(pub WorkplanView);

impl Workplan {
    pub const KIND: &'static str = "Workplan";
}

#[Object]
impl Workplan {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.workplan.id)
    }
    async fn year(&self) -> i32 {
        self.0.workplan.year
    }
    async fn title(&self) -> &str {
        &self.0.workplan.title
    }
    async fn status(&self) -> WorkplanStatus {
        self.0.workplan.status.into()
    }
    /// Bumped by every change; transitions name the version they saw.
    async fn version(&self) -> i32 {
        self.0.workplan.version
    }
    async fn currency(&self) -> &str {
        &self.0.workplan.currency
    }
    async fn total_budget(&self) -> Money {
        money(self.0.total_budget(), &self.0.workplan.currency)
    }
    async fn total_spent(&self) -> Money {
        money(self.0.total_spent(), &self.0.workplan.currency)
    }
    /// totalSpent / totalBudget, 0 when the budget is 0.
    async fn execution_rate(&self) -> f64 {
        super::sharing::execution_rate(self.0.total_spent(), self.0.total_budget())
    }
    /// In the order they were added.
    async fn activities(&self) -> Vec<WorkplanActivity> {
        self.0
            .activities
            .iter()
            .cloned()
            .map(WorkplanActivity)
            .collect()
    }
    /// In the order they were added.
    async fn budget_lines(&self) -> Vec<BudgetLine> {
        self.0
            .lines
            .iter()
            .map(|l| {
                BudgetLine(LineView {
                    line: l.clone(),
                    currency: self.0.workplan.currency.clone(),
                    activity: self.0.activity(l.activity_id),
                })
            })
            .collect()
    }
    /// Budget and spent per category that has lines, in the category order.
    async fn by_category(&self) -> Vec<CategoryTotal> {
        let c = &self.0.workplan.currency;
        self.0
            .by_category()
            .into_iter()
            .map(|(category, budget, spent)| CategoryTotal {
                category: category.into(),
                budget: money(budget, c),
                spent: money(spent, c),
            })
            .collect()
    }
}

/// One State party's assessed contribution for a year.
pub struct Contribution {
    pub c: service::Contribution,
    pub currency: String,
}

#[Object]
impl Contribution {
    async fn state(&self) -> StateParty {
        StateParty((*self.c.state).clone())
    }
    /// Share of the assessed total, 0 to 1.
    async fn share(&self) -> f64 {
        self.c.share
    }
    async fn invoiced(&self) -> Money {
        money(self.c.invoiced, &self.currency)
    }
    async fn received(&self) -> Money {
        money(self.c.received, &self.currency)
    }
    async fn outstanding(&self) -> Money {
        money(self.c.invoiced - self.c.received, &self.currency)
    }
}

/// Contributions and the Working Capital Reserve for a year. For logged-in users.
pub struct FinancialStatus(pub Status);

#[Object]
impl FinancialStatus {
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// Sum of the year's invoices.
    async fn invoiced(&self) -> Money {
        money(self.0.invoiced, &self.0.currency)
    }
    /// Payments received against the year's invoices.
    async fn received(&self) -> Money {
        money(self.0.received, &self.0.currency)
    }
    async fn outstanding(&self) -> Money {
        money(self.0.invoiced - self.0.received, &self.0.currency)
    }
    /// Cash held at the end of the year: every contribution received up to then, minus
    /// every expenditure up to then.
    async fn working_capital_reserve(&self) -> Money {
        money(self.0.reserve, &self.0.currency)
    }
    /// The configured number of months (3 by default) of the year's approved budget.
    async fn working_capital_reserve_target(&self) -> Money {
        money(self.0.reserve_target, &self.0.currency)
    }
    /// By State code.
    async fn contributions(&self) -> Vec<Contribution> {
        self.0
            .contributions
            .iter()
            .cloned()
            .map(|c| Contribution {
                c,
                currency: self.0.currency.clone(),
            })
            .collect()
    }
}

#[derive(InputObject)]
pub struct CreateWorkplanInput {
    pub year: i32,
    pub title: String,
    /// Defaults to CHF (the ISU's accounting currency, `ISU_BASE_CURRENCY`); no other is
    /// accepted.
    pub currency: Option<String>,
}

#[derive(InputObject)]
pub struct AddWorkplanActivityInput {
    pub workplan_id: ID,
    pub title: String,
    /// The expected output.
    pub output: String,
    pub indicator: Option<String>,
    pub target: Option<String>,
    /// E.g. "LAP action 44".
    pub action_plan_reference: Option<String>,
}

#[derive(InputObject)]
pub struct AddBudgetLineInput {
    pub workplan_id: ID,
    pub category: BudgetCategory,
    pub description: String,
    /// > 0, in the workplan's currency.
    pub amount: MoneyInput,
    /// An activity of the same workplan.
    pub activity_id: Option<ID>,
}

#[derive(InputObject)]
pub struct TransitionWorkplanInput {
    pub id: ID,
    /// The next step (or DRAFT from SUBMITTED, to revise).
    pub to: WorkplanStatus,
    /// The version you saw; CONFLICT when the workplan has changed since.
    pub expected_version: i32,
    /// Kept in the audit log, e.g. the meeting that endorsed or adopted it.
    pub note: Option<String>,
}

#[derive(InputObject)]
pub struct RecordExpenditureInput {
    pub budget_line_id: ID,
    /// > 0, in the workplan's currency; never more than the line has left.
    pub amount: MoneyInput,
    /// In the workplan's year, not after today.
    pub spent_on: Date,
    pub description: String,
}

payload!(WorkplanPayload, workplan, Workplan, WorkplanView);
payload!(
    WorkplanActivityPayload,
    activity,
    WorkplanActivity,
    Arc<workplan_activity::Model>
);
payload!(BudgetLinePayload, budget_line, BudgetLine, LineView);

#[derive(InputObject)]
pub struct AssessmentRateInput {
    pub state_code: String,
    /// A State's rate on the scale used to share the total, e.g. its UN scale of assessment
    /// rate in percent.
    pub rate: Decimal,
}

#[derive(InputObject)]
pub struct IssueInvoicesInput {
    pub year: i32,
    /// The amount to be covered by States parties' assessed contributions.
    pub total: MoneyInput,
    /// The scale to share the total by. Omitted: the rates used last time, or equal shares
    /// if none were ever given.
    pub rates: Option<Vec<AssessmentRateInput>>,
}

#[derive(InputObject)]
pub struct RecordPaymentInput {
    pub state_code: String,
    pub year: i32,
    /// > 0; never more than is outstanding.
    pub amount: MoneyInput,
    /// Not after today.
    pub received_on: Date,
}

payload!(
    FinancialStatusPayload,
    financial_status,
    FinancialStatus,
    Status
);
