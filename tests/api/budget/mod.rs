//! The workplan, budget and contributions over HTTP (docs/domain.md §7): the lifecycle, budget
//! lines, expenditure, invoices shared to the cent, payments, the Working Capital Reserve
//! and the CSV exports, with each role and with bad input.
//!
//! "Today" is pinned (1 June 2026 unless said otherwise) so that dates are deterministic.

use base64::Engine;
use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::helpers::*;

mod access;
mod expenditure;
mod exports;
mod invoices;
mod lifecycle;
mod payments;

const CREATE: &str = "mutation($input: CreateWorkplanInput!) { createWorkplan(input: $input) {
  workplan { id year title status version currency } userErrors { field message code } } }";
const ACTIVITY: &str = "mutation($input: AddWorkplanActivityInput!) { addWorkplanActivity(input: $input) {
  activity { id title output indicator target actionPlanReference } userErrors { field message code } } }";
const LINE: &str = "mutation($input: AddBudgetLineInput!) { addBudgetLine(input: $input) {
  budgetLine { id category description amount { amount currency } activity { id } } userErrors { field message code } } }";
const TRANSITION: &str =
    "mutation($input: TransitionWorkplanInput!) { transitionWorkplan(input: $input) {
  workplan { id status version } userErrors { field message code } } }";
const SPEND: &str = "mutation($input: RecordExpenditureInput!) { recordExpenditure(input: $input) {
  budgetLine { id spent { amount currency } remaining { amount currency } } userErrors { field message code } } }";
const WORKPLAN: &str = "query($year: Int!) { workplan(year: $year) { id year title status version currency
  totalBudget { amount currency } totalSpent { amount currency } executionRate
  activities { id title output indicator target actionPlanReference }
  budgetLines { id category description amount { amount currency } spent { amount currency } remaining { amount currency } activity { id title } }
  byCategory { category budget { amount currency } spent { amount currency } } } }";
const INVOICE: &str = "mutation($input: IssueInvoicesInput!) { issueInvoices(input: $input) {
  financialStatus { year invoiced { amount currency } outstanding { amount currency }
    contributions { share state { code } invoiced { amount currency } } }
  userErrors { field message code } } }";
const PAY: &str = "mutation($input: RecordPaymentInput!) { recordPayment(input: $input) {
  financialStatus { year received { amount currency } outstanding { amount currency }
    contributions { state { code } received { amount } outstanding { amount } } }
  userErrors { field message code } } }";
const STATUS: &str = "query($year: Int!) { financialStatus(year: $year) { year
  invoiced { amount currency } received { amount currency } outstanding { amount currency }
  workingCapitalReserve { amount currency } workingCapitalReserveTarget { amount currency }
  contributions { share state { code name } invoiced { amount currency } received { amount currency } outstanding { amount currency } } } }";
const AUDIT: &str = "{ auditLog(first: 100, filter: {entityType: \"Workplan\"}) { edges { node { action before after } } } }";

struct World {
    app: TestApp,
    admin: String,
    staff: String,
    delegation: String,
    coordinator: String,
}

fn date(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

fn chf(amount: &str) -> Value {
    json!({"amount": amount, "currency": "CHF"})
}

/// A global ID of `kind` that names nothing.
fn unknown_id(kind: &str) -> Value {
    json!(
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("{kind}:{}", uuid::Uuid::new_v4()))
    )
}

/// The code and field of a payload's first refusal.
fn refusal(payload: &Value) -> (Value, Value) {
    (
        payload["userErrors"][0]["code"].clone(),
        payload["userErrors"][0]["field"].clone(),
    )
}

fn line_input(plan: &Value, category: &str, amount: &str, activity: Option<&Value>) -> Value {
    json!({"input": {"workplanId": plan, "category": category, "description": format!("{category} costs"),
        "amount": chf(amount), "activityId": activity}})
}

fn spend_input(line: &Value, amount: &str, on: &str) -> Value {
    json!({"input": {"budgetLineId": line, "amount": chf(amount), "spentOn": on, "description": "Invoice paid"}})
}

fn pay_input(code: &str, year: i32, amount: &str, on: &str) -> Value {
    json!({"input": {"stateCode": code, "year": year, "amount": chf(amount), "receivedOn": on}})
}

fn move_input(plan: &Value, to: &str, version: i64) -> Value {
    json!({"input": {"id": plan, "to": to, "expectedVersion": version}})
}

async fn world_on(today: &str) -> World {
    let today = date(today);
    let app = spawn_app_with(|s| s.today = Some(today)).await;
    let admin = app.admin_token().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let delegation = app.token_for("DELEGATION", Some("LAO")).await;
    let coordinator = app.token_for("COORDINATOR", None).await;
    World {
        app,
        admin,
        staff,
        delegation,
        coordinator,
    }
}

async fn world() -> World {
    world_on("2026-06-01").await
}

impl World {
    /// Runs a mutation that must succeed; returns its payload.
    async fn ok(&self, token: &str, q: &str, vars: Value, field: &str) -> Value {
        let body = self.app.graphql_as(token, q, vars).await;
        let p = &body["data"][field];
        assert_eq!(p["userErrors"], json!([]), "{body}");
        p.clone()
    }

    /// Runs a mutation (anonymously when `token` is None); returns its payload.
    async fn payload(&self, token: Option<&str>, q: &str, vars: Value, field: &str) -> Value {
        let body = self.app.graphql_with(token, q, vars).await;
        assert!(body["data"][field].is_object(), "{body}");
        body["data"][field].clone()
    }

    async fn plan(&self, year: i32) -> Value {
        let p = self
            .ok(
                &self.admin,
                CREATE,
                json!({"input": {"year": year, "title": format!("ISU work plan and budget {year}")}}),
                "createWorkplan",
            )
            .await;
        p["workplan"]["id"].clone()
    }

    async fn activity(&self, plan: &Value, title: &str) -> Value {
        let p = self
            .ok(
                &self.admin,
                ACTIVITY,
                json!({"input": {"workplanId": plan, "title": title, "output": "Done"}}),
                "addWorkplanActivity",
            )
            .await;
        p["activity"]["id"].clone()
    }

    async fn line(&self, plan: &Value, category: &str, amount: &str) -> Value {
        let p = self
            .ok(
                &self.admin,
                LINE,
                line_input(plan, category, amount, None),
                "addBudgetLine",
            )
            .await;
        p["budgetLine"]["id"].clone()
    }

    async fn workplan(&self, year: i32) -> Value {
        let body = self
            .app
            .graphql_as(&self.admin, WORKPLAN, json!({"year": year}))
            .await;
        body["data"]["workplan"].clone()
    }

    async fn version(&self, year: i32) -> i64 {
        let w = self.workplan(year).await;
        w["version"]
            .as_i64()
            .unwrap_or_else(|| panic!("no workplan: {w}"))
    }

    /// Moves the plan of `year` on, as the administrator, from the version it is at.
    async fn advance(&self, plan: &Value, year: i32, steps: &[&str]) {
        for to in steps {
            let v = self.version(year).await;
            let p = self
                .ok(
                    &self.admin,
                    TRANSITION,
                    move_input(plan, to, v),
                    "transitionWorkplan",
                )
                .await;
            assert_eq!(p["workplan"]["status"], *to);
        }
    }

    async fn approve(&self, plan: &Value, year: i32) {
        self.advance(plan, year, &["SUBMITTED", "ENDORSED", "APPROVED"])
            .await;
    }

    async fn invoice(&self, year: i32, total: &str, rates: Option<&[(&str, &str)]>) -> Value {
        let rates = rates.map(|r| {
            r.iter()
                .map(|(c, x)| json!({"stateCode": c, "rate": x}))
                .collect::<Vec<_>>()
        });
        let p = self
            .ok(
                &self.admin,
                INVOICE,
                json!({"input": {"year": year, "total": chf(total), "rates": rates}}),
                "issueInvoices",
            )
            .await;
        p["financialStatus"].clone()
    }

    async fn status(&self, year: i32) -> Value {
        let body = self
            .app
            .graphql_as(&self.admin, STATUS, json!({"year": year}))
            .await;
        assert!(body["data"]["financialStatus"].is_object(), "{body}");
        body["data"]["financialStatus"].clone()
    }

    async fn audit_actions(&self, action: &str) -> Vec<Value> {
        let body = self.app.graphql_as(&self.admin, AUDIT, json!({})).await;
        body["data"]["auditLog"]["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("{body}"))
            .iter()
            .filter(|e| e["node"]["action"] == action)
            .map(|e| e["node"].clone())
            .collect()
    }
}

/// (code, invoiced amount) of each contribution, in the order given.
fn invoiced(status: &Value) -> Vec<(String, String)> {
    status["contributions"]
        .as_array()
        .unwrap_or_else(|| panic!("{status}"))
        .iter()
        .map(|c| {
            (
                c["state"]["code"].as_str().unwrap_or_default().to_owned(),
                c["invoiced"]["amount"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect()
}

fn cents(amount: &str) -> i64 {
    let d: rust_decimal::Decimal = amount.parse().expect("decimal");
    i64::try_from(d * rust_decimal::Decimal::from(100)).expect("cents")
}
