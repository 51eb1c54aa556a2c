//! The workplan, budget and contributions over HTTP (docs/domain.md §7): the lifecycle, budget
//! lines, expenditure, invoices shared to the cent, payments, the Working Capital Reserve
//! and the CSV exports, with each role and with bad input.
//!
//! "Today" is pinned (1 June 2026 unless said otherwise) so that dates are deterministic.

use base64::Engine;
use ccm_isu::kernel::config::Settings;
use ccm_isu::startup::Application;
use chrono::NaiveDate;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::*;

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

/// A second server on the same database with other settings; returns its base URL.
async fn second_server(app: &TestApp, configure: impl FnOnce(&mut Settings)) -> String {
    let mut settings = Settings::for_database(&app.url);
    configure(&mut settings);
    let second = Application::build(settings).await.expect("second app");
    let addr = second.local_addr().expect("addr");
    tokio::spawn(second.run_until_stopped(std::future::pending()));
    format!("http://{addr}")
}

async fn graphql_at(app: &TestApp, base: &str, token: &str, q: &str, vars: Value) -> Value {
    app.client
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&json!({"query": q, "variables": vars}))
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json")
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

#[tokio::test]
async fn workplans_are_created_once_per_year_in_the_accounting_currency() {
    let w = world().await;
    let audit = w.app.audit_entries().await;
    let p = w
        .ok(
            &w.admin,
            CREATE,
            json!({"input": {"year": 2026, "title": "  ISU work plan and budget 2026 "}}),
            "createWorkplan",
        )
        .await;
    let plan = &p["workplan"];
    assert!(plan["id"].is_string(), "{p}");
    assert_eq!(plan["year"], 2026);
    assert_eq!(plan["title"], "ISU work plan and budget 2026");
    assert_eq!(plan["status"], "DRAFT");
    assert_eq!(plan["version"], 1);
    assert_eq!(plan["currency"], "CHF", "CHF by default");
    assert_eq!(w.app.audit_entries().await, audit + 1);
    // ISU staff draft workplans too; the accounting currency may be named.
    let p = w
        .ok(
            &w.staff,
            CREATE,
            json!({"input": {"year": 2027, "title": "2027", "currency": "chf"}}),
            "createWorkplan",
        )
        .await;
    assert_eq!(p["workplan"]["currency"], "CHF");

    let audit = w.app.audit_entries().await;
    let long = "x".repeat(201);
    for (token, input, code, field) in [
        (
            &w.admin,
            json!({"year": 2026, "title": "Again"}),
            "ALREADY_EXISTS",
            "year",
        ),
        (
            &w.staff,
            json!({"year": 2027, "title": "Again"}),
            "ALREADY_EXISTS",
            "year",
        ),
        (
            &w.admin,
            json!({"year": 2009, "title": "Too early"}),
            "INVALID_INPUT",
            "year",
        ),
        (
            &w.admin,
            json!({"year": 2101, "title": "Too late"}),
            "INVALID_INPUT",
            "year",
        ),
        (
            &w.admin,
            json!({"year": 2028, "title": "   "}),
            "INVALID_INPUT",
            "title",
        ),
        (
            &w.admin,
            json!({"year": 2028, "title": long}),
            "INVALID_INPUT",
            "title",
        ),
        (
            &w.admin,
            json!({"year": 2028, "title": "In euros", "currency": "EUR"}),
            "INVALID_INPUT",
            "currency",
        ),
    ] {
        let p = w
            .payload(
                Some(token),
                CREATE,
                json!({"input": input.clone()}),
                "createWorkplan",
            )
            .await;
        assert_eq!(p["workplan"], Value::Null, "{input}: {p}");
        assert_eq!(
            refusal(&p),
            (json!(code), json!(["input", field])),
            "{input}: {p}"
        );
    }
    let input = json!({"input": {"year": 2028, "title": "Not theirs"}});
    for token in [&w.delegation, &w.coordinator] {
        let p = w
            .payload(Some(token), CREATE, input.clone(), "createWorkplan")
            .await;
        assert_eq!(codes(&p), vec!["FORBIDDEN"], "{p}");
    }
    let p = w.payload(None, CREATE, input, "createWorkplan").await;
    assert_eq!(codes(&p), vec!["UNAUTHENTICATED"]);
    assert_eq!(w.app.audit_entries().await, audit, "refusals write nothing");
    assert_eq!(w.workplan(2028).await, Value::Null);
    // The range's ends are years too.
    for year in [2010, 2100] {
        w.plan(year).await;
    }
}

#[tokio::test]
async fn activities_and_lines_build_a_draft_and_bump_its_version() {
    let w = world().await;
    let plan = w.plan(2026).await;
    let p = w
        .ok(
            &w.staff,
            ACTIVITY,
            json!({"input": {"workplanId": plan, "title": " Support Article 7 reporting ",
                "output": "States parties submit complete reports on time", "indicator": "Reports submitted by 30 April",
                "target": "80 %", "actionPlanReference": "LAP action 44"}}),
            "addWorkplanActivity",
        )
        .await;
    let a = &p["activity"];
    assert_eq!(a["title"], "Support Article 7 reporting");
    assert_eq!(
        a["output"],
        "States parties submit complete reports on time"
    );
    assert_eq!(a["indicator"], "Reports submitted by 30 April");
    assert_eq!(a["target"], "80 %");
    assert_eq!(a["actionPlanReference"], "LAP action 44");
    let reporting = a["id"].clone();
    let p = w
        .ok(
            &w.admin,
            ACTIVITY,
            json!({"input": {"workplanId": plan, "title": "Universalization", "output": "Two more accessions", "indicator": "  "}}),
            "addWorkplanActivity",
        )
        .await;
    assert_eq!(p["activity"]["indicator"], Value::Null, "blank is none");
    assert_eq!(p["activity"]["actionPlanReference"], Value::Null);
    let universalization = p["activity"]["id"].clone();

    let meetings = w.line(&plan, "MEETINGS", "50000").await;
    let p = w
        .ok(
            &w.staff,
            LINE,
            line_input(&plan, "STAFF", "120000.5", Some(&reporting)),
            "addBudgetLine",
        )
        .await;
    let l = &p["budgetLine"];
    assert_eq!(l["category"], "STAFF");
    assert_eq!(l["description"], "STAFF costs");
    assert_eq!(l["amount"], chf("120000.50"));
    assert_eq!(l["activity"]["id"], reporting);
    let staff_line = l["id"].clone();
    let travel = w.line(&plan, "TRAVEL", "30000").await;
    let small = w.line(&plan, "STAFF", "9.50").await;

    let wp = w.workplan(2026).await;
    assert_eq!(wp["version"], 7, "1 + 2 activities + 4 lines: {wp}");
    assert_eq!(wp["status"], "DRAFT");
    assert_eq!(wp["totalBudget"], chf("200010.00"));
    assert_eq!(wp["totalSpent"], chf("0.00"));
    assert_eq!(wp["executionRate"], 0.0);
    let ids = |list: &Value| -> Vec<Value> {
        list.as_array()
            .expect("list")
            .iter()
            .map(|x| x["id"].clone())
            .collect()
    };
    assert_eq!(
        ids(&wp["activities"]),
        vec![reporting.clone(), universalization]
    );
    assert_eq!(
        ids(&wp["budgetLines"]),
        vec![meetings, staff_line, travel, small],
        "in the order added"
    );
    assert_eq!(
        wp["budgetLines"][1]["activity"],
        json!({"id": reporting, "title": "Support Article 7 reporting"})
    );
    assert_eq!(wp["budgetLines"][0]["activity"], Value::Null);
    assert_eq!(wp["budgetLines"][1]["spent"], chf("0.00"));
    assert_eq!(wp["budgetLines"][1]["remaining"], chf("120000.50"));
    assert_eq!(
        wp["byCategory"],
        json!([
            {"category": "STAFF", "budget": chf("120010.00"), "spent": chf("0.00")},
            {"category": "TRAVEL", "budget": chf("30000.00"), "spent": chf("0.00")},
            {"category": "MEETINGS", "budget": chf("50000.00"), "spent": chf("0.00")},
        ]),
        "categories with lines, in the enum's order"
    );

    // Refusals name their field, write nothing and leave the version alone.
    let other = w.plan(2027).await;
    let foreign = w.activity(&other, "Elsewhere").await;
    let audit = w.app.audit_entries().await;
    let mut blank = line_input(&plan, "OTHER", "10", None);
    blank["input"]["description"] = json!("  ");
    let mut euros = line_input(&plan, "OTHER", "10", None);
    euros["input"]["amount"]["currency"] = json!("EUR");
    let cases = [
        (
            line_input(&plan, "OTHER", "0", None),
            "INVALID_INPUT",
            json!(["input", "amount"]),
        ),
        (
            line_input(&plan, "OTHER", "-5", None),
            "INVALID_INPUT",
            json!(["input", "amount"]),
        ),
        (
            line_input(&plan, "OTHER", "10.005", None),
            "INVALID_INPUT",
            json!(["input", "amount"]),
        ),
        (
            euros,
            "INVALID_INPUT",
            json!(["input", "amount", "currency"]),
        ),
        (blank, "INVALID_INPUT", json!(["input", "description"])),
        (
            line_input(&plan, "OTHER", "10", Some(&foreign)),
            "INVALID_INPUT",
            json!(["input", "activityId"]),
        ),
        (
            line_input(&plan, "OTHER", "10", Some(&unknown_id("WorkplanActivity"))),
            "NOT_FOUND",
            json!(["input", "activityId"]),
        ),
        (
            line_input(&plan, "OTHER", "10", Some(&plan)),
            "NOT_FOUND",
            json!(["input", "activityId"]),
        ),
        (
            line_input(&unknown_id("Workplan"), "OTHER", "10", None),
            "NOT_FOUND",
            json!(["input", "workplanId"]),
        ),
        (
            line_input(&json!("not-an-id"), "OTHER", "10", None),
            "NOT_FOUND",
            json!(["input", "workplanId"]),
        ),
    ];
    for (vars, code, field) in cases {
        let p = w
            .payload(Some(&w.staff), LINE, vars.clone(), "addBudgetLine")
            .await;
        assert_eq!(p["budgetLine"], Value::Null, "{vars}");
        assert_eq!(refusal(&p), (json!(code), field), "{vars}: {p}");
    }
    let activity = |title: &str, output: &str, plan: &Value| json!({"input": {"workplanId": plan, "title": title, "output": output}});
    for (vars, code, field) in [
        (activity(" ", "Done", &plan), "INVALID_INPUT", "title"),
        (activity("Title", "", &plan), "INVALID_INPUT", "output"),
        (
            activity("Title", "Done", &unknown_id("Workplan")),
            "NOT_FOUND",
            "workplanId",
        ),
        (
            activity("Title", "Done", &reporting),
            "NOT_FOUND",
            "workplanId",
        ),
    ] {
        let p = w
            .payload(
                Some(&w.admin),
                ACTIVITY,
                vars.clone(),
                "addWorkplanActivity",
            )
            .await;
        assert_eq!(p["activity"], Value::Null, "{vars}");
        assert_eq!(
            refusal(&p),
            (json!(code), json!(["input", field])),
            "{vars}: {p}"
        );
    }
    let malformed = w
        .app
        .graphql_as(&w.admin, LINE, line_input(&plan, "OTHER", "ten", None))
        .await;
    assert_eq!(
        error_code(&malformed),
        Some("BAD_USER_INPUT"),
        "{malformed}"
    );
    assert_eq!(w.app.audit_entries().await, audit);
    assert_eq!(w.version(2026).await, 7);
}

#[tokio::test]
async fn the_lifecycle_goes_one_step_at_a_time_naming_the_version_it_saw() {
    let w = world().await;
    let plan = w.plan(2026).await;
    let transition = |token: &str, vars: Value| {
        let (w, token) = (&w, token.to_owned());
        async move {
            w.payload(Some(&token), TRANSITION, vars, "transitionWorkplan")
                .await
        }
    };
    let audit = w.app.audit_entries().await;
    let p = transition(&w.staff, move_input(&plan, "SUBMITTED", 1)).await;
    assert_eq!(
        refusal(&p),
        (json!("INVALID_INPUT"), json!(["input", "to"])),
        "no budget lines: {p}"
    );
    assert_eq!(w.app.audit_entries().await, audit);
    let activity = w.activity(&plan, "Support Article 7 reporting").await;
    w.line(&plan, "STAFF", "120000").await;
    assert_eq!(w.version(2026).await, 3);

    let audit = w.app.audit_entries().await;
    for to in ["ENDORSED", "APPROVED", "CLOSED", "DRAFT"] {
        let p = transition(&w.admin, move_input(&plan, to, 3)).await;
        assert_eq!(p["workplan"], Value::Null);
        assert_eq!(
            refusal(&p),
            (json!("INVALID_STATE_TRANSITION"), json!(["input", "to"])),
            "DRAFT → {to}: {p}"
        );
    }
    for stale in [1, 2, 4] {
        let p = transition(&w.staff, move_input(&plan, "SUBMITTED", stale)).await;
        assert_eq!(
            refusal(&p),
            (json!("CONFLICT"), json!(["input", "expectedVersion"])),
            "version {stale}: {p}"
        );
    }
    let p = transition(
        &w.admin,
        move_input(&unknown_id("Workplan"), "SUBMITTED", 3),
    )
    .await;
    assert_eq!(codes(&p), vec!["NOT_FOUND"]);
    assert_eq!(w.app.audit_entries().await, audit, "refusals write nothing");
    assert_eq!(w.version(2026).await, 3);

    let p = transition(&w.staff, move_input(&plan, "SUBMITTED", 3)).await;
    assert_eq!(
        p["workplan"],
        json!({"id": plan, "status": "SUBMITTED", "version": 4})
    );
    // Submitted: frozen.
    let frozen = w
        .payload(
            Some(&w.staff),
            LINE,
            line_input(&plan, "TRAVEL", "10", None),
            "addBudgetLine",
        )
        .await;
    assert_eq!(codes(&frozen), vec!["INVALID_STATE_TRANSITION"], "{frozen}");
    let frozen = w
        .payload(
            Some(&w.admin),
            ACTIVITY,
            json!({"input": {"workplanId": plan, "title": "Late", "output": "Done"}}),
            "addWorkplanActivity",
        )
        .await;
    assert_eq!(codes(&frozen), vec!["INVALID_STATE_TRANSITION"], "{frozen}");
    for to in ["APPROVED", "CLOSED", "SUBMITTED"] {
        let p = transition(&w.admin, move_input(&plan, to, 4)).await;
        assert_eq!(
            codes(&p),
            vec!["INVALID_STATE_TRANSITION"],
            "SUBMITTED → {to}"
        );
    }
    // Back to DRAFT for revision, by ISU staff: lines change again.
    let p = transition(&w.staff, move_input(&plan, "DRAFT", 4)).await;
    assert_eq!(p["workplan"]["status"], "DRAFT", "{p}");
    assert_eq!(p["workplan"]["version"], 5);
    w.line(&plan, "TRAVEL", "30000").await;
    let p = transition(&w.staff, move_input(&plan, "SUBMITTED", 6)).await;
    assert_eq!(p["workplan"]["version"], 7, "{p}");
    let mut endorse = move_input(&plan, "ENDORSED", 7);
    endorse["input"]["note"] = json!("Coordination Committee, 12 March 2026");
    let p = transition(&w.admin, endorse).await;
    assert_eq!(p["workplan"]["status"], "ENDORSED", "{p}");
    for to in ["DRAFT", "SUBMITTED", "ENDORSED", "CLOSED"] {
        let p = transition(&w.admin, move_input(&plan, to, 8)).await;
        assert_eq!(
            codes(&p),
            vec!["INVALID_STATE_TRANSITION"],
            "ENDORSED → {to}"
        );
    }
    let mut approve = move_input(&plan, "APPROVED", 8);
    approve["input"]["note"] = json!("  Fourteenth Meeting of States Parties ");
    let p = transition(&w.admin, approve).await;
    assert_eq!(
        p["workplan"],
        json!({"id": plan, "status": "APPROVED", "version": 9})
    );

    let audit = w.app.audit_entries().await;
    for to in ["DRAFT", "SUBMITTED", "ENDORSED", "APPROVED"] {
        let p = transition(&w.admin, move_input(&plan, to, 9)).await;
        assert_eq!(
            codes(&p),
            vec!["INVALID_STATE_TRANSITION"],
            "APPROVED → {to}"
        );
    }
    let p = transition(&w.admin, move_input(&plan, "CLOSED", 9)).await;
    assert_eq!(
        refusal(&p),
        (json!("INVALID_INPUT"), json!(["input", "to"])),
        "2026 has not ended on 1 June 2026: {p}"
    );
    let frozen = w
        .payload(
            Some(&w.admin),
            LINE,
            line_input(&plan, "OTHER", "10", Some(&activity)),
            "addBudgetLine",
        )
        .await;
    assert_eq!(codes(&frozen), vec!["INVALID_STATE_TRANSITION"], "{frozen}");
    let frozen = w
        .payload(
            Some(&w.staff),
            ACTIVITY,
            json!({"input": {"workplanId": plan, "title": "Late", "output": "Done"}}),
            "addWorkplanActivity",
        )
        .await;
    assert_eq!(codes(&frozen), vec!["INVALID_STATE_TRANSITION"], "{frozen}");
    assert_eq!(w.app.audit_entries().await, audit);
    let wp = w.workplan(2026).await;
    assert_eq!(
        (wp["status"].clone(), wp["version"].clone()),
        (json!("APPROVED"), json!(9))
    );
    assert_eq!(wp["budgetLines"].as_array().map(Vec::len), Some(2));

    // One audit entry per transition, newest first, with the note.
    let entries = w.audit_actions("transitionWorkplan").await;
    let after: Vec<Value> = entries
        .iter()
        .map(|e| serde_json::from_str(e["after"].as_str().expect("after")).expect("JSON"))
        .collect();
    let steps: Vec<(Value, Value)> = after
        .iter()
        .map(|a| (a["status"].clone(), a["version"].clone()))
        .collect();
    assert_eq!(
        steps,
        vec![
            (json!("APPROVED"), json!(9)),
            (json!("ENDORSED"), json!(8)),
            (json!("SUBMITTED"), json!(7)),
            (json!("DRAFT"), json!(5)),
            (json!("SUBMITTED"), json!(4)),
        ]
    );
    assert_eq!(after[0]["note"], "Fourteenth Meeting of States Parties");
    assert_eq!(after[1]["note"], "Coordination Committee, 12 March 2026");
    assert_eq!(after[2]["note"], Value::Null);
    let before: Value =
        serde_json::from_str(entries[0]["before"].as_str().expect("before")).expect("JSON");
    assert_eq!(
        (before["status"].clone(), before["version"].clone()),
        (json!("ENDORSED"), json!(8))
    );
}

#[tokio::test]
async fn a_workplan_closes_only_after_its_year_has_ended() {
    let w = world_on("2026-12-31").await;
    let plan = w.plan(2026).await;
    let line = w.line(&plan, "STAFF", "1000").await;
    w.approve(&plan, 2026).await;
    let p = w
        .payload(
            Some(&w.admin),
            TRANSITION,
            move_input(&plan, "CLOSED", 5),
            "transitionWorkplan",
        )
        .await;
    assert_eq!(
        refusal(&p),
        (json!("INVALID_INPUT"), json!(["input", "to"])),
        "31 December is still in the year: {p}"
    );
    w.ok(
        &w.admin,
        SPEND,
        spend_input(&line, "100", "2026-12-31"),
        "recordExpenditure",
    )
    .await;

    // The same database, a day later.
    let later = second_server(&w.app, |s| s.today = Some(date("2027-01-01"))).await;
    let body = graphql_at(
        &w.app,
        &later,
        &w.staff,
        TRANSITION,
        move_input(&plan, "CLOSED", 5),
    )
    .await;
    assert_eq!(
        codes(&body["data"]["transitionWorkplan"]),
        vec!["FORBIDDEN"],
        "closing is the administrator's: {body}"
    );
    let body = graphql_at(
        &w.app,
        &later,
        &w.admin,
        TRANSITION,
        move_input(&plan, "CLOSED", 5),
    )
    .await;
    assert_eq!(
        body["data"]["transitionWorkplan"]["workplan"],
        json!({"id": plan, "status": "CLOSED", "version": 6}),
        "{body}"
    );
    for to in ["APPROVED", "DRAFT", "CLOSED"] {
        let body = graphql_at(
            &w.app,
            &later,
            &w.admin,
            TRANSITION,
            move_input(&plan, to, 6),
        )
        .await;
        assert_eq!(
            codes(&body["data"]["transitionWorkplan"]),
            vec!["INVALID_STATE_TRANSITION"],
            "CLOSED → {to}"
        );
    }
    let body = graphql_at(
        &w.app,
        &later,
        &w.admin,
        SPEND,
        spend_input(&line, "1", "2026-12-31"),
    )
    .await;
    assert_eq!(
        codes(&body["data"]["recordExpenditure"]),
        vec!["INVALID_STATE_TRANSITION"],
        "a closed plan takes no more expenditure: {body}"
    );
    assert_eq!(w.workplan(2026).await["totalSpent"], chf("100.00"));
}

#[tokio::test]
async fn expenditure_is_recorded_against_approved_lines_only_and_never_overspends() {
    let w = world().await;
    let plan = w.plan(2026).await;
    let staff_line = w.line(&plan, "STAFF", "1000").await;
    let travel = w.line(&plan, "TRAVEL", "500").await;
    let audit = w.app.audit_entries().await;
    for step in [None, Some("SUBMITTED"), Some("ENDORSED")] {
        if let Some(to) = step {
            w.advance(&plan, 2026, &[to]).await;
        }
        let p = w
            .payload(
                Some(&w.admin),
                SPEND,
                spend_input(&staff_line, "10", "2026-02-01"),
                "recordExpenditure",
            )
            .await;
        assert_eq!(
            refusal(&p),
            (
                json!("INVALID_STATE_TRANSITION"),
                json!(["input", "budgetLineId"])
            ),
            "{step:?}: {p}"
        );
    }
    assert_eq!(
        w.app.audit_entries().await,
        audit + 2,
        "two transitions, no expenditure"
    );
    w.advance(&plan, 2026, &["APPROVED"]).await;

    let p = w
        .ok(
            &w.staff,
            SPEND,
            spend_input(&staff_line, "400.25", "2026-01-01"),
            "recordExpenditure",
        )
        .await;
    assert_eq!(
        p["budgetLine"],
        json!({"id": staff_line, "spent": chf("400.25"), "remaining": chf("599.75")})
    );
    let p = w
        .ok(
            &w.admin,
            SPEND,
            spend_input(&staff_line, "99.75", "2026-06-01"),
            "recordExpenditure",
        )
        .await;
    assert_eq!(
        p["budgetLine"]["remaining"],
        chf("500.00"),
        "today is allowed"
    );

    let audit = w.app.audit_entries().await;
    let mut euros = spend_input(&staff_line, "10", "2026-02-01");
    euros["input"]["amount"]["currency"] = json!("EUR");
    let mut blank = spend_input(&staff_line, "10", "2026-02-01");
    blank["input"]["description"] = json!(" ");
    let cases = [
        (
            spend_input(&staff_line, "500.01", "2026-02-01"),
            "OVER_BUDGET",
            json!(["input", "amount"]),
        ),
        (
            spend_input(&staff_line, "0", "2026-02-01"),
            "INVALID_INPUT",
            json!(["input", "amount"]),
        ),
        (
            spend_input(&staff_line, "-1", "2026-02-01"),
            "INVALID_INPUT",
            json!(["input", "amount"]),
        ),
        (
            spend_input(&staff_line, "1.001", "2026-02-01"),
            "INVALID_INPUT",
            json!(["input", "amount"]),
        ),
        (
            euros,
            "INVALID_INPUT",
            json!(["input", "amount", "currency"]),
        ),
        (blank, "INVALID_INPUT", json!(["input", "description"])),
        (
            spend_input(&staff_line, "10", "2025-12-31"),
            "INVALID_INPUT",
            json!(["input", "spentOn"]),
        ),
        (
            spend_input(&staff_line, "10", "2027-01-01"),
            "INVALID_INPUT",
            json!(["input", "spentOn"]),
        ),
        (
            spend_input(&staff_line, "10", "2026-06-02"),
            "INVALID_INPUT",
            json!(["input", "spentOn"]),
        ),
        (
            spend_input(&unknown_id("BudgetLine"), "10", "2026-02-01"),
            "NOT_FOUND",
            json!(["input", "budgetLineId"]),
        ),
        (
            spend_input(&plan, "10", "2026-02-01"),
            "NOT_FOUND",
            json!(["input", "budgetLineId"]),
        ),
    ];
    for (vars, code, field) in cases {
        let p = w
            .payload(Some(&w.staff), SPEND, vars.clone(), "recordExpenditure")
            .await;
        assert_eq!(p["budgetLine"], Value::Null, "{vars}");
        assert_eq!(refusal(&p), (json!(code), field), "{vars}: {p}");
    }
    for vars in [
        spend_input(&staff_line, "10", "2026-13-01"),
        spend_input(&staff_line, "10", "1 June"),
        spend_input(&staff_line, "ten", "2026-02-01"),
    ] {
        let body = w.app.graphql_as(&w.staff, SPEND, vars.clone()).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{vars}: {body}");
    }
    assert_eq!(w.app.audit_entries().await, audit, "refusals write nothing");
    let line = &w.workplan(2026).await["budgetLines"][0];
    assert_eq!(line["spent"], chf("500.00"), "{line}");
    assert_eq!(
        entity::expenditure::Entity::find()
            .count(&w.app.db)
            .await
            .expect("count"),
        2
    );

    // Exactly what remains is fine; one cent more is not.
    let p = w
        .ok(
            &w.staff,
            SPEND,
            spend_input(&staff_line, "500", "2026-03-01"),
            "recordExpenditure",
        )
        .await;
    assert_eq!(p["budgetLine"]["remaining"], chf("0.00"));
    let p = w
        .payload(
            Some(&w.staff),
            SPEND,
            spend_input(&staff_line, "0.01", "2026-03-01"),
            "recordExpenditure",
        )
        .await;
    assert_eq!(codes(&p), vec!["OVER_BUDGET"]);
    w.ok(
        &w.staff,
        SPEND,
        spend_input(&travel, "125", "2026-04-01"),
        "recordExpenditure",
    )
    .await;
    let wp = w.workplan(2026).await;
    assert_eq!(wp["totalBudget"], chf("1500.00"));
    assert_eq!(wp["totalSpent"], chf("1125.00"));
    assert_eq!(wp["executionRate"], 0.75);
    assert_eq!(
        wp["byCategory"],
        json!([
            {"category": "STAFF", "budget": chf("1000.00"), "spent": chf("1000.00")},
            {"category": "TRAVEL", "budget": chf("500.00"), "spent": chf("125.00")},
        ])
    );
    assert_eq!(wp["budgetLines"][1]["remaining"], chf("375.00"));
}

#[tokio::test]
async fn concurrent_expenditures_never_overspend_a_line() {
    let w = world().await;
    let plan = w.plan(2026).await;
    let line = w.line(&plan, "MEETINGS", "1000").await;
    w.approve(&plan, 2026).await;
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let (client, base, line) = (w.app.client.clone(), w.app.base.clone(), line.clone());
            let token = if i % 2 == 0 { w.admin.clone() } else { w.staff.clone() };
            tokio::spawn(async move {
                let body: Value = client
                    .post(format!("{base}/graphql"))
                    .bearer_auth(token)
                    .json(&json!({"query": SPEND, "variables": spend_input(&line, "300", "2026-05-01")}))
                    .send()
                    .await
                    .expect("post")
                    .json()
                    .await
                    .expect("json");
                body
            })
        })
        .collect();
    let mut spent = 0;
    for t in tasks {
        let body = t.await.expect("task");
        let p = &body["data"]["recordExpenditure"];
        if p["budgetLine"].is_object() {
            spent += 1;
        } else {
            assert_eq!(codes(p), vec!["OVER_BUDGET"], "{body}");
        }
    }
    assert_eq!(spent, 3, "1000 CHF holds three expenditures of 300");
    let wp = w.workplan(2026).await;
    assert_eq!(wp["budgetLines"][0]["spent"], chf("900.00"), "{wp}");
    assert_eq!(wp["budgetLines"][0]["remaining"], chf("100.00"));
    assert_eq!(
        entity::expenditure::Entity::find()
            .count(&w.app.db)
            .await
            .expect("count"),
        3
    );
}

#[tokio::test]
async fn invoices_share_the_total_to_the_cent_by_the_largest_remainder() {
    let w = world().await;
    let audit = w.app.audit_entries().await;
    // Equal rates: the extra cent goes to the first code, whatever the order given.
    let s = w
        .invoice(
            2026,
            "100",
            Some(&[("CHE", "1"), ("AUT", "1"), ("BEL", "1")]),
        )
        .await;
    assert_eq!(s["year"], 2026);
    assert_eq!(s["invoiced"], chf("100.00"));
    assert_eq!(s["outstanding"], chf("100.00"));
    assert_eq!(
        invoiced(&s),
        [("AUT", "33.34"), ("BEL", "33.33"), ("CHE", "33.33")]
            .map(|(c, a)| (c.to_owned(), a.to_owned()))
    );
    for c in s["contributions"].as_array().expect("list") {
        assert!(
            (c["share"].as_f64().unwrap_or(0.0) - 1.0 / 3.0).abs() < 1e-12,
            "{c}"
        );
        assert_eq!(c["invoiced"]["currency"], "CHF");
    }
    // Exact shares 14.29, 28.57, 57.14 cents: floors 14 + 28 + 57 = 99, the cent left goes
    // to the largest remainder (BEL's .57), not to the first code.
    let s = w
        .invoice(
            2027,
            "1.00",
            Some(&[("AUT", "1"), ("BEL", "2"), ("CHE", "4")]),
        )
        .await;
    assert_eq!(
        invoiced(&s),
        [("AUT", "0.14"), ("BEL", "0.29"), ("CHE", "0.57")]
            .map(|(c, a)| (c.to_owned(), a.to_owned()))
    );
    let shares: Vec<f64> = s["contributions"]
        .as_array()
        .expect("list")
        .iter()
        .map(|c| c["share"].as_f64().unwrap_or(0.0))
        .collect();
    for (share, expected) in shares.iter().zip([1.0 / 7.0, 2.0 / 7.0, 4.0 / 7.0]) {
        assert!((share - expected).abs() < 1e-12, "{shares:?}");
    }
    // UN-scale-like rates: exact cents 5855691.84, 4137600.61, 6707.55; two cents left go
    // to DEU (.84) and FRA (.61).
    let s = w
        .invoice(
            2028,
            "100000",
            Some(&[("LAO", "0.007"), ("FRA", "4.318"), ("DEU", "6.111")]),
        )
        .await;
    assert_eq!(
        invoiced(&s),
        [("DEU", "58556.92"), ("FRA", "41376.01"), ("LAO", "67.07")]
            .map(|(c, a)| (c.to_owned(), a.to_owned()))
    );
    let sum: i64 = invoiced(&s).iter().map(|(_, a)| cents(a)).sum();
    assert_eq!(sum, 10_000_000);
    assert_eq!(w.app.audit_entries().await, audit + 3);

    // Read back by anybody logged in, with names and what is outstanding.
    let body = w
        .app
        .graphql_as(&w.delegation, STATUS, json!({"year": 2026}))
        .await;
    let c = &body["data"]["financialStatus"]["contributions"][0];
    assert_eq!(
        c["state"],
        json!({"code": "AUT", "name": "Austria"}),
        "{body}"
    );
    assert_eq!(c["invoiced"], chf("33.34"));
    assert_eq!(c["received"], chf("0.00"));
    assert_eq!(c["outstanding"], chf("33.34"));

    // Only the ISU's administrator invoices.
    let audit = w.app.audit_entries().await;
    let vars = json!({"input": {"year": 2029, "total": chf("100"), "rates": [{"stateCode": "AUT", "rate": "1"}]}});
    for (token, code) in [
        (Some(w.staff.as_str()), "FORBIDDEN"),
        (Some(w.delegation.as_str()), "FORBIDDEN"),
        (Some(w.coordinator.as_str()), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ] {
        let p = w
            .payload(token, INVOICE, vars.clone(), "issueInvoices")
            .await;
        assert_eq!(p["financialStatus"], Value::Null);
        assert_eq!(codes(&p), vec![code], "{p}");
    }
    assert_eq!(w.app.audit_entries().await, audit);
    assert_eq!(w.status(2029).await["invoiced"], chf("0.00"));
}

#[tokio::test]
async fn a_scale_names_states_parties_in_force_during_the_year() {
    let w = world().await;
    let audit = w.app.audit_entries().await;
    let rates = |pairs: &[(&str, &str)]| -> Value {
        json!(
            pairs
                .iter()
                .map(|(c, r)| json!({"stateCode": c, "rate": r}))
                .collect::<Vec<_>>()
        )
    };
    let field = |i: usize, f: &str| json!(["input", "rates", i.to_string(), f]);
    let cases = [
        // Lithuania's withdrawal took effect on 6 March 2025.
        (
            2026,
            chf("10"),
            rates(&[("AUT", "1"), ("LTU", "1")]),
            "INVALID_INPUT",
            field(1, "stateCode"),
        ),
        // Vanuatu's entry into force is 1 March 2026.
        (
            2025,
            chf("10"),
            rates(&[("AUT", "1"), ("VUT", "1")]),
            "INVALID_INPUT",
            field(1, "stateCode"),
        ),
        // Angola is a signatory.
        (
            2026,
            chf("10"),
            rates(&[("AGO", "1")]),
            "INVALID_INPUT",
            field(0, "stateCode"),
        ),
        (
            2026,
            chf("10"),
            rates(&[("AUT", "1"), ("XXX", "1")]),
            "NOT_FOUND",
            field(1, "stateCode"),
        ),
        (
            2026,
            chf("10"),
            rates(&[("AUT", "1"), ("BEL", "1"), ("aut", "2")]),
            "INVALID_INPUT",
            field(2, "stateCode"),
        ),
        (
            2026,
            chf("10"),
            rates(&[("AUT", "0")]),
            "INVALID_INPUT",
            field(0, "rate"),
        ),
        (
            2026,
            chf("10"),
            rates(&[("BEL", "1"), ("AUT", "-1")]),
            "INVALID_INPUT",
            field(1, "rate"),
        ),
        (
            2026,
            chf("10"),
            json!([]),
            "INVALID_INPUT",
            json!(["input", "rates"]),
        ),
        (
            2026,
            json!({"amount": "10", "currency": "EUR"}),
            rates(&[("AUT", "1")]),
            "INVALID_INPUT",
            json!(["input", "total", "currency"]),
        ),
        (
            2026,
            chf("0"),
            rates(&[("AUT", "1")]),
            "INVALID_INPUT",
            json!(["input", "total"]),
        ),
        (
            2026,
            chf("0.001"),
            rates(&[("AUT", "1")]),
            "INVALID_INPUT",
            json!(["input", "total"]),
        ),
        (
            2009,
            chf("10"),
            rates(&[("AUT", "1")]),
            "INVALID_INPUT",
            json!(["input", "year"]),
        ),
    ];
    for (year, total, rates, code, field) in cases {
        let vars = json!({"input": {"year": year, "total": total, "rates": rates}});
        let p = w
            .payload(Some(&w.admin), INVOICE, vars.clone(), "issueInvoices")
            .await;
        assert_eq!(p["financialStatus"], Value::Null, "{vars}");
        assert_eq!(refusal(&p), (json!(code), field), "{vars}: {p}");
    }
    let malformed = w
        .app
        .graphql_as(
            &w.admin,
            INVOICE,
            json!({"input": {"year": 2026, "total": chf("10"), "rates": [{"stateCode": "AUT", "rate": "one"}]}}),
        )
        .await;
    assert_eq!(
        error_code(&malformed),
        Some("BAD_USER_INPUT"),
        "{malformed}"
    );
    assert_eq!(w.app.audit_entries().await, audit, "refusals write nothing");
    for year in [2025, 2026] {
        let s = w.status(year).await;
        assert_eq!(
            (s["invoiced"].clone(), s["contributions"].clone()),
            (chf("0.00"), json!([]))
        );
    }
    assert_eq!(
        entity::invoice::Entity::find()
            .count(&w.app.db)
            .await
            .expect("count"),
        0
    );

    // Lithuania was bound during 2025, Vanuatu is during 2026; codes are case-insensitive.
    let s = w
        .invoice(2025, "10", Some(&[("ltu", "1"), ("AUT", "1")]))
        .await;
    assert_eq!(
        invoiced(&s),
        [("AUT", "5.00"), ("LTU", "5.00")].map(|(c, a)| (c.to_owned(), a.to_owned()))
    );
    let s = w
        .invoice(2026, "10", Some(&[("VUT", "3"), ("AUT", "1")]))
        .await;
    assert_eq!(
        invoiced(&s),
        [("AUT", "2.50"), ("VUT", "7.50")].map(|(c, a)| (c.to_owned(), a.to_owned()))
    );
}

/// The codes of the States parties bound on some day of `year`, from the registry.
async fn in_force_codes(w: &World, year: i32) -> Vec<String> {
    let q = "query($after: String) { stateParties(first: 100, after: $after, filter: {status: [STATE_PARTY, WITHDRAWN]}) {
      pageInfo { hasNextPage endCursor } edges { node { code entryIntoForce withdrawalEffectiveDate } } } }";
    let (first, last) = (
        NaiveDate::from_ymd_opt(year, 1, 1).expect("date"),
        NaiveDate::from_ymd_opt(year, 12, 31).expect("date"),
    );
    let mut after = Value::Null;
    let mut codes = Vec::new();
    loop {
        let body = w.app.graphql(q, json!({"after": after})).await;
        let c = &body["data"]["stateParties"];
        for e in c["edges"].as_array().unwrap_or_else(|| panic!("{body}")) {
            let n = &e["node"];
            let entry = n["entryIntoForce"].as_str().map(date);
            let withdrawn = n["withdrawalEffectiveDate"].as_str().map(date);
            if entry.is_some_and(|d| d <= last) && withdrawn.is_none_or(|d| d > first) {
                codes.push(n["code"].as_str().expect("code").to_owned());
            }
        }
        if c["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = c["pageInfo"]["endCursor"].clone();
    }
    codes.sort();
    codes
}

#[tokio::test]
async fn without_rates_the_last_scale_applies_or_else_equal_shares() {
    let w = world().await;
    // No scale ever given: equal shares across the States parties bound during 2026.
    let bound = in_force_codes(&w, 2026).await;
    assert!(bound.contains(&"VUT".to_owned()) && !bound.contains(&"LTU".to_owned()));
    assert_eq!(
        bound.len(),
        112,
        "data/states.csv: 112 States parties in 2026"
    );
    let s = w.invoice(2026, "1000", None).await;
    let got = invoiced(&s);
    let got_codes: Vec<&str> = got.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        got_codes,
        bound.iter().map(String::as_str).collect::<Vec<_>>()
    );
    let n = i64::try_from(bound.len()).expect("n");
    let (base, extra) = (100_000 / n, 100_000 % n);
    for (i, (code, amount)) in got.iter().enumerate() {
        let expected = if i64::try_from(i).expect("i") < extra {
            base + 1
        } else {
            base
        };
        assert_eq!(
            cents(amount),
            expected,
            "{code}: the extra cents go to the first codes"
        );
    }
    assert_eq!(got.iter().map(|(_, a)| cents(a)).sum::<i64>(), 100_000);
    for c in s["contributions"].as_array().expect("list") {
        assert!((c["share"].as_f64().unwrap_or(0.0) - 1.0 / 112.0).abs() < 1e-12);
    }

    // The scale given for 2025 is the last one used: 2027 reuses it.
    w.invoice(
        2025,
        "300",
        Some(&[("DEU", "3"), ("FRA", "2"), ("AUT", "1")]),
    )
    .await;
    let s = w.invoice(2027, "600", None).await;
    assert_eq!(
        invoiced(&s),
        [("AUT", "100.00"), ("DEU", "300.00"), ("FRA", "200.00")]
            .map(|(c, a)| (c.to_owned(), a.to_owned()))
    );
    let shares: Vec<f64> = s["contributions"]
        .as_array()
        .expect("list")
        .iter()
        .map(|c| c["share"].as_f64().unwrap_or(0.0))
        .collect();
    for (share, expected) in shares.iter().zip([1.0 / 6.0, 0.5, 1.0 / 3.0]) {
        assert!((share - expected).abs() < 1e-12, "{shares:?}");
    }
    // A last scale that names a State no longer bound must be replaced by a new one.
    w.invoice(2025, "300", Some(&[("LTU", "1"), ("AUT", "1")]))
        .await;
    let audit = w.app.audit_entries().await;
    let p = w
        .payload(
            Some(&w.admin),
            INVOICE,
            json!({"input": {"year": 2028, "total": chf("100")}}),
            "issueInvoices",
        )
        .await;
    assert_eq!(
        refusal(&p),
        (json!("INVALID_INPUT"), json!(["input", "rates"])),
        "{p}"
    );
    assert_eq!(w.app.audit_entries().await, audit);
    assert_eq!(w.status(2028).await["contributions"], json!([]));
}

#[tokio::test]
async fn reissuing_replaces_a_years_invoices_until_a_payment_is_recorded() {
    let w = world().await;
    w.invoice(
        2026,
        "100",
        Some(&[("AUT", "1"), ("BEL", "1"), ("CHE", "1")]),
    )
    .await;
    let s = w
        .invoice(2026, "90", Some(&[("FRA", "2"), ("DEU", "1")]))
        .await;
    assert_eq!(s["invoiced"], chf("90.00"));
    assert_eq!(
        invoiced(&s),
        [("DEU", "30.00"), ("FRA", "60.00")].map(|(c, a)| (c.to_owned(), a.to_owned())),
        "the old invoices are gone"
    );
    let count_2026 = || {
        entity::invoice::Entity::find()
            .filter(entity::invoice::Column::Year.eq(2026))
            .count(&w.app.db)
    };
    assert_eq!(count_2026().await.expect("count"), 2);
    // Reissuing without rates keeps the scale, with the new total.
    let s = w.invoice(2026, "300", None).await;
    assert_eq!(
        invoiced(&s),
        [("DEU", "100.00"), ("FRA", "200.00")].map(|(c, a)| (c.to_owned(), a.to_owned()))
    );
    assert_eq!(count_2026().await.expect("count"), 2);

    w.ok(
        &w.staff,
        PAY,
        pay_input("FRA", 2026, "10", "2026-05-01"),
        "recordPayment",
    )
    .await;
    let audit = w.app.audit_entries().await;
    for rates in [Some(json!([{"stateCode": "AUT", "rate": "1"}])), None] {
        let vars = json!({"input": {"year": 2026, "total": chf("500"), "rates": rates}});
        let p = w
            .payload(Some(&w.admin), INVOICE, vars, "issueInvoices")
            .await;
        assert_eq!(
            refusal(&p),
            (json!("INVALID_INPUT"), json!(["input", "year"])),
            "a payment is recorded: {p}"
        );
    }
    assert_eq!(w.app.audit_entries().await, audit);
    let s = w.status(2026).await;
    assert_eq!(s["invoiced"], chf("300.00"));
    assert_eq!(s["received"], chf("10.00"));
    assert_eq!(s["outstanding"], chf("290.00"));
    assert_eq!(count_2026().await.expect("count"), 2);
    // Other years are still open.
    let s = w.invoice(2027, "10", Some(&[("AUT", "1")])).await;
    assert_eq!(s["invoiced"], chf("10.00"));
}

#[tokio::test]
async fn payments_reduce_what_is_outstanding_and_never_overpay() {
    let w = world().await;
    w.invoice(
        2026,
        "100",
        Some(&[("AUT", "1"), ("BEL", "1"), ("CHE", "1")]),
    )
    .await;
    let p = w
        .ok(
            &w.staff,
            PAY,
            pay_input("AUT", 2026, "20.34", "2026-02-01"),
            "recordPayment",
        )
        .await;
    let s = &p["financialStatus"];
    assert_eq!(s["year"], 2026);
    assert_eq!(s["received"], chf("20.34"));
    assert_eq!(s["outstanding"], chf("79.66"));
    assert_eq!(
        s["contributions"][0],
        json!({"state": {"code": "AUT"}, "received": {"amount": "20.34"}, "outstanding": {"amount": "13.00"}})
    );
    let p = w
        .ok(
            &w.admin,
            PAY,
            pay_input(" aut ", 2026, "13", "2026-06-01"),
            "recordPayment",
        )
        .await;
    assert_eq!(
        p["financialStatus"]["contributions"][0]["outstanding"]["amount"], "0.00",
        "{p}"
    );
    assert_eq!(p["financialStatus"]["received"], chf("33.34"));

    let audit = w.app.audit_entries().await;
    let mut euros = pay_input("BEL", 2026, "1", "2026-02-01");
    euros["input"]["amount"]["currency"] = json!("EUR");
    let cases = [
        (
            pay_input("AUT", 2026, "0.01", "2026-02-01"),
            "INVALID_INPUT",
            json!(["input", "amount"]),
        ),
        (
            pay_input("BEL", 2026, "33.34", "2026-02-01"),
            "INVALID_INPUT",
            json!(["input", "amount"]),
        ),
        (
            pay_input("BEL", 2026, "0", "2026-02-01"),
            "INVALID_INPUT",
            json!(["input", "amount"]),
        ),
        (
            pay_input("BEL", 2026, "1.001", "2026-02-01"),
            "INVALID_INPUT",
            json!(["input", "amount"]),
        ),
        (
            euros,
            "INVALID_INPUT",
            json!(["input", "amount", "currency"]),
        ),
        (
            pay_input("BEL", 2026, "1", "2026-06-02"),
            "INVALID_INPUT",
            json!(["input", "receivedOn"]),
        ),
        (
            pay_input("DEU", 2026, "1", "2026-02-01"),
            "NOT_FOUND",
            json!(["input", "stateCode"]),
        ),
        (
            pay_input("BEL", 2025, "1", "2025-02-01"),
            "NOT_FOUND",
            json!(["input", "stateCode"]),
        ),
        (
            pay_input("XXX", 2026, "1", "2026-02-01"),
            "NOT_FOUND",
            json!(["input", "stateCode"]),
        ),
    ];
    for (vars, code, field) in cases {
        let p = w
            .payload(Some(&w.staff), PAY, vars.clone(), "recordPayment")
            .await;
        assert_eq!(p["financialStatus"], Value::Null, "{vars}");
        assert_eq!(refusal(&p), (json!(code), field), "{vars}: {p}");
    }
    let vars = pay_input("BEL", 2026, "1", "2026-02-01");
    for (token, code) in [
        (Some(w.delegation.as_str()), "FORBIDDEN"),
        (Some(w.coordinator.as_str()), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ] {
        let p = w.payload(token, PAY, vars.clone(), "recordPayment").await;
        assert_eq!(codes(&p), vec![code], "{p}");
    }
    for vars in [
        pay_input("BEL", 2026, "1", "June"),
        pay_input("BEL", 2026, "1,00", "2026-02-01"),
    ] {
        let body = w.app.graphql_as(&w.staff, PAY, vars.clone()).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{vars}: {body}");
    }
    assert_eq!(w.app.audit_entries().await, audit, "refusals write nothing");
    let s = w.status(2026).await;
    assert_eq!(s["received"], chf("33.34"));
    assert_eq!(s["outstanding"], chf("66.66"));
    assert_eq!(s["contributions"][1]["received"], chf("0.00"));
    assert_eq!(
        entity::payment::Entity::find()
            .count(&w.app.db)
            .await
            .expect("count"),
        2
    );
}

#[tokio::test]
async fn concurrent_payments_never_overpay_an_invoice() {
    let w = world().await;
    w.invoice(2026, "100", Some(&[("AUT", "1")])).await;
    let tasks: Vec<_> = (0..6)
        .map(|i| {
            let (client, base) = (w.app.client.clone(), w.app.base.clone());
            let token = if i % 2 == 0 { w.admin.clone() } else { w.staff.clone() };
            tokio::spawn(async move {
                let body: Value = client
                    .post(format!("{base}/graphql"))
                    .bearer_auth(token)
                    .json(&json!({"query": PAY, "variables": pay_input("AUT", 2026, "40", "2026-05-01")}))
                    .send()
                    .await
                    .expect("post")
                    .json()
                    .await
                    .expect("json");
                body
            })
        })
        .collect();
    let mut paid = 0;
    for t in tasks {
        let body = t.await.expect("task");
        let p = &body["data"]["recordPayment"];
        if p["financialStatus"].is_object() {
            paid += 1;
        } else {
            assert_eq!(codes(p), vec!["INVALID_INPUT"], "{body}");
        }
    }
    assert_eq!(paid, 2, "100 CHF holds two payments of 40");
    let s = w.status(2026).await;
    assert_eq!(s["received"], chf("80.00"));
    assert_eq!(s["outstanding"], chf("20.00"));
    assert_eq!(
        entity::payment::Entity::find()
            .count(&w.app.db)
            .await
            .expect("count"),
        2
    );
}

#[tokio::test]
async fn the_reserve_is_cash_held_at_year_end_and_its_target_months_of_the_approved_budget() {
    let w = world().await;
    let plan = w.plan(2026).await;
    let staff_line = w.line(&plan, "STAFF", "120000").await;
    let travel = w.line(&plan, "TRAVEL", "80000.10").await;
    assert_eq!(
        w.status(2026).await["workingCapitalReserveTarget"],
        chf("0.00"),
        "a draft budget sets no target"
    );
    w.advance(&plan, 2026, &["SUBMITTED", "ENDORSED"]).await;
    assert_eq!(
        w.status(2026).await["workingCapitalReserveTarget"],
        chf("0.00")
    );
    w.advance(&plan, 2026, &["APPROVED"]).await;

    w.invoice(
        2025,
        "300000",
        Some(&[("AUT", "1"), ("BEL", "1"), ("CHE", "1")]),
    )
    .await;
    w.invoice(2026, "200000", Some(&[("AUT", "1"), ("BEL", "1")]))
        .await;
    for (code, year, amount, on) in [
        ("AUT", 2025, "100000", "2025-12-31"),
        ("BEL", 2025, "40000", "2026-01-05"),
        ("AUT", 2026, "25000", "2026-03-01"),
    ] {
        w.ok(
            &w.staff,
            PAY,
            pay_input(code, year, amount, on),
            "recordPayment",
        )
        .await;
    }
    for (line, amount, on) in [
        (&staff_line, "30000", "2026-02-01"),
        (&travel, "5000.50", "2026-06-01"),
    ] {
        w.ok(
            &w.staff,
            SPEND,
            spend_input(line, amount, on),
            "recordExpenditure",
        )
        .await;
    }

    let s = w.status(2025).await;
    assert_eq!(s["invoiced"], chf("300000.00"), "{s}");
    assert_eq!(
        s["received"],
        chf("140000.00"),
        "what was paid against 2025's invoices"
    );
    assert_eq!(s["outstanding"], chf("160000.00"));
    assert_eq!(
        s["workingCapitalReserve"],
        chf("100000.00"),
        "only what had been received by 31 December 2025"
    );
    assert_eq!(
        s["workingCapitalReserveTarget"],
        chf("0.00"),
        "no 2025 workplan"
    );
    let s = w.status(2026).await;
    assert_eq!(s["invoiced"], chf("200000.00"));
    assert_eq!(s["received"], chf("25000.00"));
    assert_eq!(s["outstanding"], chf("175000.00"));
    // 100000 + 40000 + 25000 received, 35000.50 spent.
    assert_eq!(s["workingCapitalReserve"], chf("129999.50"), "{s}");
    // 3/12 of 200000.10 = 50000.025, rounded half up.
    assert_eq!(s["workingCapitalReserveTarget"], chf("50000.03"));
    let s = w.status(2024).await;
    assert_eq!(s["invoiced"], chf("0.00"));
    assert_eq!(s["received"], chf("0.00"));
    assert_eq!(s["workingCapitalReserve"], chf("0.00"));
    assert_eq!(s["workingCapitalReserveTarget"], chf("0.00"));
    assert_eq!(s["contributions"], json!([]));

    // Six months, on a server configured so, over the same database.
    let six = second_server(&w.app, |s| {
        s.today = Some(date("2026-06-01"));
        s.reserve_months = 6;
    })
    .await;
    let body = graphql_at(&w.app, &six, &w.coordinator, STATUS, json!({"year": 2026})).await;
    let s = &body["data"]["financialStatus"];
    assert_eq!(s["workingCapitalReserveTarget"], chf("100000.05"), "{body}");
    assert_eq!(s["workingCapitalReserve"], chf("129999.50"));
}

#[tokio::test]
async fn every_budget_mutation_is_for_the_isu_and_decisions_for_its_administrator() {
    let w = world().await;
    let plan = w.plan(2026).await;
    let activity = w.activity(&plan, "Support Article 7 reporting").await;
    let line = w.line(&plan, "STAFF", "1000").await;
    w.invoice(2026, "100", Some(&[("AUT", "1")])).await;
    let mutations = [
        (
            CREATE,
            json!({"input": {"year": 2027, "title": "2027"}}),
            "createWorkplan",
        ),
        (
            ACTIVITY,
            json!({"input": {"workplanId": plan, "title": "T", "output": "O"}}),
            "addWorkplanActivity",
        ),
        (
            LINE,
            line_input(&plan, "TRAVEL", "10", Some(&activity)),
            "addBudgetLine",
        ),
        (
            TRANSITION,
            move_input(&plan, "SUBMITTED", 3),
            "transitionWorkplan",
        ),
        (
            SPEND,
            spend_input(&line, "10", "2026-02-01"),
            "recordExpenditure",
        ),
        (
            INVOICE,
            json!({"input": {"year": 2027, "total": chf("10"), "rates": [{"stateCode": "AUT", "rate": "1"}]}}),
            "issueInvoices",
        ),
        (
            PAY,
            pay_input("AUT", 2026, "10", "2026-02-01"),
            "recordPayment",
        ),
    ];
    let audit = w.app.audit_entries().await;
    for (q, vars, field) in &mutations {
        for (token, code) in [
            (Some(w.delegation.as_str()), "FORBIDDEN"),
            (Some(w.coordinator.as_str()), "FORBIDDEN"),
            (None, "UNAUTHENTICATED"),
        ] {
            let p = w.payload(token, q, vars.clone(), field).await;
            assert_eq!(codes(&p), vec![code], "{field}: {p}");
        }
    }
    // ISU staff prepare, submit and record; endorsement, approval and closing are the
    // administrator's.
    for to in ["ENDORSED", "APPROVED", "CLOSED"] {
        let p = w
            .payload(
                Some(&w.staff),
                TRANSITION,
                move_input(&plan, to, 3),
                "transitionWorkplan",
            )
            .await;
        assert_eq!(codes(&p), vec!["FORBIDDEN"], "{to}: {p}");
    }
    assert_eq!(w.app.audit_entries().await, audit, "refusals write nothing");
    assert_eq!(w.version(2026).await, 3);
    assert_eq!(w.workplan(2027).await, Value::Null);

    w.ok(
        &w.staff,
        ACTIVITY,
        mutations[1].1.clone(),
        "addWorkplanActivity",
    )
    .await;
    w.ok(&w.staff, LINE, mutations[2].1.clone(), "addBudgetLine")
        .await;
    w.ok(
        &w.staff,
        TRANSITION,
        move_input(&plan, "SUBMITTED", 5),
        "transitionWorkplan",
    )
    .await;
    w.ok(
        &w.staff,
        TRANSITION,
        move_input(&plan, "DRAFT", 6),
        "transitionWorkplan",
    )
    .await;
    w.ok(
        &w.staff,
        TRANSITION,
        move_input(&plan, "SUBMITTED", 7),
        "transitionWorkplan",
    )
    .await;
    let p = w
        .payload(
            Some(&w.staff),
            TRANSITION,
            move_input(&plan, "ENDORSED", 8),
            "transitionWorkplan",
        )
        .await;
    assert_eq!(codes(&p), vec!["FORBIDDEN"]);
    w.ok(
        &w.admin,
        TRANSITION,
        move_input(&plan, "ENDORSED", 8),
        "transitionWorkplan",
    )
    .await;
    let p = w
        .payload(
            Some(&w.staff),
            TRANSITION,
            move_input(&plan, "APPROVED", 9),
            "transitionWorkplan",
        )
        .await;
    assert_eq!(codes(&p), vec!["FORBIDDEN"]);
    w.ok(
        &w.admin,
        TRANSITION,
        move_input(&plan, "APPROVED", 9),
        "transitionWorkplan",
    )
    .await;
    w.ok(&w.staff, SPEND, mutations[4].1.clone(), "recordExpenditure")
        .await;
    w.ok(&w.staff, PAY, mutations[6].1.clone(), "recordPayment")
        .await;
    w.ok(&w.staff, CREATE, mutations[0].1.clone(), "createWorkplan")
        .await;
    let wp = w.workplan(2026).await;
    assert_eq!(
        (wp["status"].clone(), wp["version"].clone()),
        (json!("APPROVED"), json!(10))
    );
    assert_eq!(wp["totalSpent"], chf("10.00"));
}

#[tokio::test]
async fn workplans_and_figures_are_read_by_anyone_logged_in() {
    let w = world().await;
    let plan = w.plan(2026).await;
    let activity = w.activity(&plan, "Support Article 7 reporting").await;
    let p = w
        .ok(
            &w.admin,
            LINE,
            line_input(&plan, "STAFF", "1000", Some(&activity)),
            "addBudgetLine",
        )
        .await;
    let line = p["budgetLine"]["id"].clone();
    w.invoice(2026, "100", Some(&[("LAO", "1"), ("AUT", "1")]))
        .await;
    for token in [&w.delegation, &w.coordinator, &w.staff] {
        let body = w
            .app
            .graphql_as(token, WORKPLAN, json!({"year": 2026}))
            .await;
        let wp = &body["data"]["workplan"];
        assert_eq!(wp["id"], plan, "{body}");
        assert_eq!(wp["budgetLines"][0]["id"], line);
        assert_eq!(wp["activities"][0]["id"], activity);
        let body = w.app.graphql_as(token, STATUS, json!({"year": 2026})).await;
        assert_eq!(
            body["data"]["financialStatus"]["invoiced"],
            chf("100.00"),
            "{body}"
        );
        let body = w
            .app
            .graphql_as(token, WORKPLAN, json!({"year": 2031}))
            .await;
        assert_eq!(body["data"]["workplan"], Value::Null, "{body}");
        assert!(body["errors"].is_null(), "{body}");
    }
    for (q, vars) in [
        (WORKPLAN, json!({"year": 2026})),
        (STATUS, json!({"year": 2026})),
    ] {
        let body = w.app.graphql(q, vars).await;
        assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
        assert!(body["data"]["workplan"].is_null() && body["data"]["financialStatus"].is_null());
    }
    let body = w
        .app
        .graphql_as(&w.admin, STATUS, json!({"year": 1900}))
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");

    let node = "query($id: ID!) { node(id: $id) { __typename id
      ... on Workplan { year status }
      ... on WorkplanActivity { title }
      ... on BudgetLine { description amount { amount } activity { id } } } }";
    for token in [&w.delegation, &w.coordinator, &w.admin] {
        let get = |id: &Value| w.app.graphql_as(token, node, json!({"id": id}));
        let body = get(&plan).await;
        assert_eq!(
            body["data"]["node"],
            json!({"__typename": "Workplan", "id": plan, "year": 2026, "status": "DRAFT"}),
            "{body}"
        );
        let body = get(&activity).await;
        assert_eq!(
            body["data"]["node"],
            json!({"__typename": "WorkplanActivity", "id": activity, "title": "Support Article 7 reporting"})
        );
        let body = get(&line).await;
        assert_eq!(
            body["data"]["node"],
            json!({"__typename": "BudgetLine", "id": line, "description": "STAFF costs",
                "amount": {"amount": "1000.00"}, "activity": {"id": activity}})
        );
        for unknown in ["Workplan", "WorkplanActivity", "BudgetLine"] {
            let body = get(&unknown_id(unknown)).await;
            assert_eq!(body["data"]["node"], Value::Null, "{body}");
        }
    }
    for id in [&plan, &activity, &line] {
        let body = w.app.graphql(node, json!({"id": id})).await;
        assert_eq!(body["data"]["node"], Value::Null, "anonymous: {body}");
    }
}

#[tokio::test]
async fn workplan_and_contributions_export_as_csv_for_isu_staff() {
    let w = world().await;
    let plan = w.plan(2026).await;
    let p = w
        .ok(
            &w.admin,
            ACTIVITY,
            json!({"input": {"workplanId": plan, "title": "Support Article 7 reporting", "output": "Reports on time",
                "actionPlanReference": "LAP action 44"}}),
            "addWorkplanActivity",
        )
        .await;
    let activity = p["activity"]["id"].clone();
    let mut staff = line_input(&plan, "STAFF", "120000", Some(&activity));
    staff["input"]["description"] = json!("Implementation Support Officer");
    let staff_line = w.ok(&w.admin, LINE, staff, "addBudgetLine").await["budgetLine"]["id"].clone();
    let mut formula = line_input(&plan, "OPERATING_COSTS", "500.5", None);
    formula["input"]["description"] = json!("=SUM(A1:A9)");
    w.ok(&w.admin, LINE, formula, "addBudgetLine").await;
    w.approve(&plan, 2026).await;
    w.ok(
        &w.staff,
        SPEND,
        spend_input(&staff_line, "30000", "2026-03-31"),
        "recordExpenditure",
    )
    .await;
    w.invoice(
        2026,
        "100",
        Some(&[("CHE", "1"), ("AUT", "1"), ("BEL", "1")]),
    )
    .await;
    w.ok(
        &w.staff,
        PAY,
        pay_input("AUT", 2026, "33.34", "2026-04-01"),
        "recordPayment",
    )
    .await;

    let get = |path: &str, token: Option<&str>| {
        let mut req = w.app.client.get(format!("{}/exports/{path}", w.app.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    let rows = |body: &str| -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(body.as_bytes())
            .records()
            .map(|r| r.expect("record").iter().map(str::to_owned).collect())
            .collect()
    };
    for token in [&w.admin, &w.staff] {
        let resp = get("workplan/2026.csv", Some(token)).await.expect("get");
        assert_eq!(resp.status(), StatusCode::OK);
        let headers = resp.headers().clone();
        assert!(
            headers[reqwest::header::CONTENT_TYPE]
                .to_str()
                .is_ok_and(|t| t.starts_with("text/csv")),
            "{headers:?}"
        );
        assert!(
            headers[reqwest::header::CONTENT_DISPOSITION]
                .to_str()
                .is_ok_and(|d| d.contains("workplan-2026.csv"))
        );
        let body = resp.text().await.expect("text");
        assert_eq!(
            rows(&body),
            vec![
                vec![
                    "year",
                    "workplan_status",
                    "category",
                    "description",
                    "activity",
                    "action_plan_reference",
                    "amount",
                    "spent",
                    "remaining",
                    "currency"
                ],
                vec![
                    "2026",
                    "APPROVED",
                    "STAFF",
                    "Implementation Support Officer",
                    "Support Article 7 reporting",
                    "LAP action 44",
                    "120000.00",
                    "30000.00",
                    "90000.00",
                    "CHF"
                ],
                vec![
                    "2026",
                    "APPROVED",
                    "OPERATING_COSTS",
                    "'=SUM(A1:A9)",
                    "",
                    "",
                    "500.50",
                    "0.00",
                    "500.50",
                    "CHF"
                ],
            ],
            "{body}"
        );

        let resp = get("contributions/2026.csv", Some(token))
            .await
            .expect("get");
        assert_eq!(resp.status(), StatusCode::OK);
        assert!(
            resp.headers()[reqwest::header::CONTENT_TYPE]
                .to_str()
                .is_ok_and(|t| t.starts_with("text/csv"))
        );
        let body = resp.text().await.expect("text");
        assert_eq!(
            rows(&body),
            vec![
                vec![
                    "year",
                    "state_code",
                    "state_name",
                    "rate",
                    "share",
                    "invoiced",
                    "received",
                    "outstanding",
                    "currency"
                ],
                vec![
                    "2026", "AUT", "Austria", "1", "0.333333", "33.34", "33.34", "0.00", "CHF"
                ],
                vec![
                    "2026", "BEL", "Belgium", "1", "0.333333", "33.33", "0.00", "33.33", "CHF"
                ],
                vec![
                    "2026",
                    "CHE",
                    "Switzerland",
                    "1",
                    "0.333333",
                    "33.33",
                    "0.00",
                    "33.33",
                    "CHF"
                ],
            ],
            "{body}"
        );
    }
    // A year without invoices: the header alone.
    let resp = get("contributions/2031.csv", Some(&w.admin))
        .await
        .expect("get");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(rows(&resp.text().await.expect("text")).len(), 1);

    for path in ["workplan/2026.csv", "contributions/2026.csv"] {
        for token in [&w.delegation, &w.coordinator] {
            let resp = get(path, Some(token)).await.expect("get");
            assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{path}");
        }
        let resp = get(path, None).await.expect("get");
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{path}");
        let resp = get(path, Some("not-a-token")).await.expect("get");
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    for path in [
        "workplan/2031.csv",
        "workplan/2026.txt",
        "workplan/twenty.csv",
        "contributions/2026",
        "contributions/x.csv",
    ] {
        let resp = get(path, Some(&w.admin)).await.expect("get");
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

/// Reissuing a year while payments for it are being recorded (or reissuing it twice at
/// once) must end in clean answers: each request either succeeds or is refused in its
/// payload, and the accounts stay whole.
#[tokio::test]
async fn concurrent_reissues_and_payments_are_answered_cleanly() {
    let w = world().await;
    w.invoice(2026, "100", Some(&[("AUT", "1"), ("BEL", "1")]))
        .await;
    let tasks: Vec<_> = (0..16u64)
        .map(|i| {
            let (client, base, token) = (w.app.client.clone(), w.app.base.clone(), w.admin.clone());
            tokio::spawn(async move {
                let (q, vars) = if i % 2 == 0 {
                    (
                        INVOICE,
                        json!({"input": {"year": 2026, "total": chf("100")}}),
                    )
                } else {
                    tokio::time::sleep(std::time::Duration::from_millis(i * 3)).await;
                    (PAY, pay_input("AUT", 2026, "1", "2026-05-01"))
                };
                let body: Value = client
                    .post(format!("{base}/graphql"))
                    .bearer_auth(token)
                    .json(&json!({"query": q, "variables": vars}))
                    .send()
                    .await
                    .expect("post")
                    .json()
                    .await
                    .expect("json");
                body
            })
        })
        .collect();
    let mut faults = Vec::new();
    for t in tasks {
        let body = t.await.expect("task");
        if !body["errors"].is_null() {
            faults.push(body);
        }
    }
    assert!(
        faults.is_empty(),
        "{} faults, e.g. {}",
        faults.len(),
        faults[0]
    );
    let invoices = entity::invoice::Entity::find()
        .filter(entity::invoice::Column::Year.eq(2026))
        .all(&w.app.db)
        .await
        .expect("invoices");
    assert_eq!(invoices.len(), 2);
    assert_eq!(invoices.iter().map(|i| i.amount_cents).sum::<i64>(), 10_000);
    let payments = entity::payment::Entity::find()
        .all(&w.app.db)
        .await
        .expect("payments");
    assert_eq!(
        invoices.iter().map(|i| i.received_cents).sum::<i64>(),
        payments.iter().map(|p| p.amount_cents).sum::<i64>()
    );
}
