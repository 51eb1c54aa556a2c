//! GraphQL types of the workplan, budget and contributions.

use crate::api::cost::Objects;
use std::sync::Arc;

use async_graphql::{Enum, ID, InputObject, Object, SimpleObject};
use entity::workplan_activity;

use crate::api::errors::payload;
use crate::api::ids;
use crate::api::money::{Money, MoneyInput};
use crate::api::scalars::{Date, Decimal};
use crate::api::states::types::StateParty;
use crate::domain::budget::service::{self, FinancialStatus as Status, LineView, WorkplanView};
use crate::kernel::money::from_cents;

/// Where a workplan stands: DRAFT → SUBMITTED → ENDORSED → APPROVED → CLOSED.
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

/// What a budget line pays for.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::BudgetCategory")]
pub enum BudgetCategory {
    /// Salaries and related costs of ISU staff.
    Staff,
    /// Travel of ISU staff.
    Travel,
    /// Organising meetings.
    Meetings,
    /// The Sponsorship Programme.
    Sponsorship,
    /// Communications and publications.
    Communications,
    /// Consultants.
    Consultants,
    /// Office and other running costs.
    OperatingCosts,
    /// Anything else.
    Other,
}

fn money(cents: i64, currency: &str) -> Money {
    Money::new(from_cents(cents), currency)
}

/// An activity of the workplan, with its expected result.
pub struct WorkplanActivity(pub Arc<workplan_activity::Model>);

impl ids::Kind for WorkplanActivity {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl WorkplanActivity {
    pub const KIND: &'static str = "WorkplanActivity";
}

/// An activity of the workplan, with its expected result.
#[Object]
impl WorkplanActivity {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    /// What the activity is, in a few words.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The expected output (results-based management).
    async fn output(&self) -> &str {
        &self.0.output
    }
    /// How progress towards the output is measured.
    async fn indicator(&self) -> Option<&str> {
        self.0.indicator.as_deref()
    }
    /// The value of the indicator the activity aims for.
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

impl ids::Kind for BudgetLine {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl BudgetLine {
    pub const KIND: &'static str = "BudgetLine";
}

/// A line of the budget, with what has been spent against it. Amounts are in the
/// workplan's currency.
#[Object]
impl BudgetLine {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.line.id)
    }
    /// What the line pays for.
    async fn category(&self) -> BudgetCategory {
        self.0.line.category.into()
    }
    /// What the line is for, in words.
    async fn description(&self) -> &str {
        &self.0.line.description
    }
    /// The amount budgeted.
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

/// Budget and spending of one category of a workplan, in the workplan's currency.
#[derive(SimpleObject)]
pub struct CategoryTotal {
    /// The category.
    pub category: BudgetCategory,
    /// Sum of the category's budget lines.
    pub budget: Money,
    /// Sum of the expenditure recorded against those lines.
    pub spent: Money,
}

/// The ISU's results-based workplan and budget for one year. For logged-in users.
pub struct Workplan(pub WorkplanView);

impl ids::Kind for Workplan {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl Workplan {
    pub const KIND: &'static str = "Workplan";
}

/// The ISU's results-based workplan and budget for one year. For logged-in users.
#[Object]
impl Workplan {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.workplan.id)
    }
    /// The calendar year it plans.
    async fn year(&self) -> i32 {
        self.0.workplan.year
    }
    /// The workplan's title.
    async fn title(&self) -> &str {
        &self.0.workplan.title
    }
    /// Where it stands in its lifecycle.
    async fn status(&self) -> WorkplanStatus {
        self.0.workplan.status.into()
    }
    /// Bumped by every change; transitions name the version they saw.
    async fn version(&self) -> i32 {
        self.0.workplan.version
    }
    /// ISO 4217 code of all its amounts: the ISU's accounting currency (CHF by default).
    async fn currency(&self) -> &str {
        &self.0.workplan.currency
    }
    /// Sum of its budget lines.
    async fn total_budget(&self) -> Money {
        money(self.0.total_budget(), &self.0.workplan.currency)
    }
    /// Sum of the expenditure recorded against its lines.
    async fn total_spent(&self) -> Money {
        money(self.0.total_spent(), &self.0.workplan.currency)
    }
    /// totalSpent / totalBudget, 0 when the budget is 0.
    async fn execution_rate(&self) -> f64 {
        crate::rules::sharing::execution_rate(self.0.total_spent(), self.0.total_budget())
    }
    /// In the order they were added.
    async fn activities(&self) -> Objects<WorkplanActivity> {
        self.0
            .activities
            .iter()
            .cloned()
            .map(WorkplanActivity)
            .collect()
    }
    /// In the order they were added.
    async fn budget_lines(&self) -> Objects<BudgetLine> {
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
    async fn by_category(&self) -> Objects<CategoryTotal> {
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

/// One State party's assessed contribution for a year, in the ISU's accounting currency.
#[Object]
impl Contribution {
    /// The State party invoiced.
    async fn state(&self) -> StateParty {
        StateParty((*self.c.state).clone())
    }
    /// Share of the assessed total, 0 to 1.
    async fn share(&self) -> f64 {
        self.c.share
    }
    /// Its invoice for the year.
    async fn invoiced(&self) -> Money {
        money(self.c.invoiced, &self.currency)
    }
    /// Payments received against that invoice.
    async fn received(&self) -> Money {
        money(self.c.received, &self.currency)
    }
    /// Invoiced minus received.
    async fn outstanding(&self) -> Money {
        money(self.c.invoiced - self.c.received, &self.currency)
    }
}

/// Contributions and the Working Capital Reserve for a year. For logged-in users.
pub struct FinancialStatus(pub Status);

/// Contributions and the Working Capital Reserve for a year, in the ISU's accounting
/// currency. For logged-in users.
#[Object]
impl FinancialStatus {
    /// The calendar year.
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
    /// Invoiced minus received.
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
    async fn contributions(&self) -> Objects<Contribution> {
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

/// The workplan of a new year, for `createWorkplan`.
#[derive(InputObject)]
pub struct CreateWorkplanInput {
    /// The calendar year it plans, 2010 to 2100; one workplan per year.
    pub year: i32,
    /// The workplan's title.
    pub title: String,
    /// Defaults to CHF (the ISU's accounting currency, `ISU_BASE_CURRENCY`); no other is
    /// accepted.
    pub currency: Option<String>,
}

/// A new activity, for `addWorkplanActivity`.
#[derive(InputObject)]
pub struct AddWorkplanActivityInput {
    /// Global ID of a DRAFT workplan.
    pub workplan_id: ID,
    /// What the activity is, in a few words.
    pub title: String,
    /// The expected output.
    pub output: String,
    /// How progress towards the output is measured.
    pub indicator: Option<String>,
    /// The value of the indicator the activity aims for.
    pub target: Option<String>,
    /// Reference to the action plan action it serves, e.g. "LAP action 44".
    pub action_plan_reference: Option<String>,
}

/// A new budget line, for `addBudgetLine`.
#[derive(InputObject)]
pub struct AddBudgetLineInput {
    /// Global ID of a DRAFT workplan.
    pub workplan_id: ID,
    /// What the line pays for.
    pub category: BudgetCategory,
    /// What the line is for, in words.
    pub description: String,
    /// > 0, in the workplan's currency.
    pub amount: MoneyInput,
    /// Global ID of the activity it funds, in the same workplan.
    pub activity_id: Option<ID>,
}

/// A workplan's next step, for `transitionWorkplan`.
#[derive(InputObject)]
pub struct TransitionWorkplanInput {
    /// Global ID of the workplan.
    pub id: ID,
    /// The next step (or DRAFT from SUBMITTED, to revise).
    pub to: WorkplanStatus,
    /// The version you saw; CONFLICT when the workplan has changed since.
    pub expected_version: i32,
    /// Kept in the audit log, e.g. the meeting that endorsed or adopted it.
    pub note: Option<String>,
}

/// Spending against a budget line, for `recordExpenditure`.
#[derive(InputObject)]
pub struct RecordExpenditureInput {
    /// Global ID of a line of an APPROVED workplan.
    pub budget_line_id: ID,
    /// > 0, in the workplan's currency; never more than the line has left.
    pub amount: MoneyInput,
    /// In the workplan's year, not after today.
    pub spent_on: Date,
    /// What was paid for.
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

/// One State's rate on the scale of assessment.
#[derive(InputObject)]
pub struct AssessmentRateInput {
    /// ISO alpha-3 of a State party in force during the year.
    pub state_code: String,
    /// A State's rate on the scale used to share the total, e.g. its UN scale of assessment
    /// rate in percent.
    pub rate: Decimal,
}

/// The year's assessed contributions to invoice, for `issueInvoices`.
#[derive(InputObject)]
pub struct IssueInvoicesInput {
    /// The calendar year invoiced.
    pub year: i32,
    /// The amount to be covered by States parties' assessed contributions.
    pub total: MoneyInput,
    /// The scale to share the total by. Omitted: the rates used last time, or equal shares
    /// if none were ever given.
    pub rates: Option<Vec<AssessmentRateInput>>,
}

/// A State's payment of its contribution, for `recordPayment`.
#[derive(InputObject)]
pub struct RecordPaymentInput {
    /// ISO alpha-3 of the paying State, which has an invoice for the year.
    pub state_code: String,
    /// The year whose invoice it pays.
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
