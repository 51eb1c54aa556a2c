//! The Sponsorship Programme over HTTP: meetings, applications, eligibility, decisions within
//! budget, withdrawals, privacy, statistics, the suggestion and the CSV export, with each
//! role and with bad input. "Today" is pinned to 2026-06-01 and meetings fall later that
//! year, so the tests never expire.

use ccm_isu::kernel::config::Settings;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::*;

mod applications;
mod decisions;
mod meetings;
mod privacy;
mod statistics;

const TODAY: &str = "2026-06-01";

const CREATE: &str = "mutation($input: CreateMeetingInput!) { createMeeting(input: $input) {
  meeting { id kind title startsOn endsOn venue applicationDeadline
    sponsorshipBudget { amount currency } dailySubsistenceAllowance { amount currency } }
  userErrors { field message code } } }";
const APPLY: &str = "mutation($input: SponsorshipApplicationInput!) { applyForSponsorship(input: $input) {
  application { id status eligible eligibilityReasons requestedTravel { amount currency } requestedDays
    requestedTotal { amount currency } approvedAmount { amount currency } justification
    state { code } delegate { fullName gender position email } meeting { id } }
  userErrors { field message code } } }";
const DECIDE: &str =
    "mutation($input: SponsorshipDecisionInput!) { decideSponsorshipApplication(input: $input) {
  application { id status approvedAmount { amount currency } decidedAt decisionNote }
  userErrors { field message code } } }";
const WITHDRAW: &str = "mutation($id: ID!) { withdrawSponsorshipApplication(input: { id: $id }) {
  application { id status approvedAmount { amount currency } }
  userErrors { field message code } } }";
const FIGURES: &str = "query($id: ID!) { meeting(id: $id) {
  sponsorshipBudget { amount currency } dailySubsistenceAllowance { amount currency }
  sponsorshipCommitted { amount currency } sponsorshipRemaining { amount currency } } }";
const NODE: &str = "query($id: ID!) { node(id: $id) { ... on SponsorshipApplication {
  id status eligible eligibilityReasons approvedAmount { amount currency } decisionNote
  state { code } delegate { fullName email } } } }";
const LIST: &str = "query($id: ID!, $status: [ApplicationStatus!]) { meeting(id: $id) {
  applications(first: 50, status: $status) { totalCount
    edges { node { id status state { code } delegate { fullName email } } } } } }";
const STATS: &str = "query($id: ID!) { meeting(id: $id) { sponsorshipStats {
  applications approved femaleShareApproved
  byGender { gender count } byRegionalGroup { regionalGroup count } } } }";
const SUGGEST: &str = "query($id: ID!) { meeting(id: $id) { sponsorshipSuggestion {
  applications { id } total { amount currency } femaleShare regionalGroupsCovered provenOptimal } } }";
const UPDATE_STATE: &str =
    "mutation($input: UpdateStatePartyInput!) { updateStateParty(input: $input) {
  stateParty { code hasVictims } userErrors { field message code } } }";

// ------------------------------------------------------------------------------- helpers

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// The roles, each with a token; "today" pinned.
struct World {
    app: TestApp,
    admin: String,
    staff: String,
    lao: String,
    irq: String,
    coordinator: String,
}

async fn world() -> World {
    world_with(|_| {}).await
}

async fn world_with(configure: impl FnOnce(&mut Settings)) -> World {
    let today = date(TODAY);
    let app = spawn_app_with(move |s| {
        s.today = Some(today);
        configure(s);
    })
    .await;
    let admin = app.admin_token().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let irq = app.token_for("DELEGATION", Some("IRQ")).await;
    let coordinator = app.token_for("COORDINATOR", None).await;
    World {
        app,
        admin,
        staff,
        lao,
        irq,
        coordinator,
    }
}

/// A four-day MSP later this year: budget 10,000 CHF, allowance 300 CHF a day.
fn meeting_input() -> Value {
    json!({"input": {
        "kind": "MEETING_OF_STATES_PARTIES",
        "title": "Fourteenth Meeting of States Parties",
        "startsOn": "2026-09-14", "endsOn": "2026-09-17", "venue": "Geneva",
        "applicationDeadline": "2026-07-31",
        "sponsorshipBudget": {"amount": "10000", "currency": "CHF"},
        "dailySubsistenceAllowance": {"amount": "300", "currency": "CHF"},
    }})
}

fn meeting_with(budget: &str, dsa: &str) -> Value {
    let mut v = meeting_input();
    v["input"]["sponsorshipBudget"]["amount"] = json!(budget);
    v["input"]["dailySubsistenceAllowance"]["amount"] = json!(dsa);
    v
}

/// Creates a meeting; returns its ID.
async fn new_meeting(app: &TestApp, token: &str, vars: Value) -> Value {
    let body = app.graphql_as(token, CREATE, vars).await;
    let id = body["data"]["createMeeting"]["meeting"]["id"].clone();
    assert!(id.is_string(), "{body}");
    id
}

fn email_of(name: &str) -> String {
    let local: String = name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    if local.is_empty() {
        "delegate@mfa.test".into()
    } else {
        format!("{local}@mfa.test")
    }
}

fn application(
    meeting: &Value,
    state: &str,
    name: &str,
    gender: &str,
    travel: &str,
    days: i32,
) -> Value {
    json!({"input": {
        "meetingId": meeting, "stateCode": state,
        "delegate": {"fullName": name, "gender": gender, "position": "Deputy Director", "email": email_of(name)},
        "requestedTravel": {"amount": travel, "currency": "CHF"},
        "requestedDays": days,
        "justification": "Member of the national clearance authority.",
    }})
}

/// The payload of a mutation (panics, showing the body, when there is none).
async fn mutate(app: &TestApp, token: Option<&str>, q: &str, vars: Value, field: &str) -> Value {
    let body = app.graphql_with(token, q, vars).await;
    let p = body["data"][field].clone();
    assert!(p.is_object(), "no {field} payload: {body}");
    p
}

/// Applies and expects success; returns the application.
async fn applied(app: &TestApp, token: &str, vars: Value) -> Value {
    let p = mutate(app, Some(token), APPLY, vars, "applyForSponsorship").await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    p["application"].clone()
}

async fn applied_id(app: &TestApp, token: &str, vars: Value) -> Value {
    applied(app, token, vars).await["id"].clone()
}

fn decision(id: &Value, decision: &str) -> Value {
    json!({"input": {"applicationId": id, "decision": decision}})
}

fn approval(id: &Value, amount: &str, currency: &str) -> Value {
    json!({"input": {"applicationId": id, "decision": "APPROVED",
        "approvedAmount": {"amount": amount, "currency": currency}}})
}

async fn decide(app: &TestApp, token: Option<&str>, vars: Value) -> Value {
    mutate(app, token, DECIDE, vars, "decideSponsorshipApplication").await
}

/// Decides and expects success; returns the application.
async fn decided(app: &TestApp, token: &str, vars: Value) -> Value {
    let p = decide(app, Some(token), vars).await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    p["application"].clone()
}

async fn withdraw(app: &TestApp, token: Option<&str>, id: &Value) -> Value {
    mutate(
        app,
        token,
        WITHDRAW,
        json!({"id": id}),
        "withdrawSponsorshipApplication",
    )
    .await
}

/// The one refusal of a payload whose `object` is null: (code, field).
fn refusal(p: &Value, object: &str) -> (String, Value) {
    assert_eq!(p[object], Value::Null, "{p}");
    let errors = p["userErrors"].as_array().expect("userErrors");
    assert_eq!(errors.len(), 1, "{p}");
    (
        errors[0]["code"].as_str().expect("code").to_owned(),
        errors[0]["field"].clone(),
    )
}

async fn node(app: &TestApp, token: Option<&str>, id: &Value) -> Value {
    let body = app.graphql_with(token, NODE, json!({"id": id})).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["node"].clone()
}

async fn status_of(app: &TestApp, token: &str, id: &Value) -> Value {
    node(app, Some(token), id).await["status"].clone()
}

/// Budget, allowance, committed and remaining amounts of a meeting, as seen by `token`.
async fn figures(app: &TestApp, token: &str, meeting: &Value) -> Value {
    let body = app.graphql_as(token, FIGURES, json!({"id": meeting})).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["meeting"].clone()
}

async fn remaining(app: &TestApp, token: &str, meeting: &Value) -> String {
    let f = figures(app, token, meeting).await;
    f["sponsorshipRemaining"]["amount"]
        .as_str()
        .unwrap_or_else(|| panic!("{f}"))
        .to_owned()
}

fn uuid_of(id: &Value, kind: &str) -> Uuid {
    ccm_isu::api::ids::decode_as(id.as_str().expect("id"), kind).expect("global ID")
}

fn unknown_id(kind: &str) -> Value {
    json!(ccm_isu::api::ids::encode(kind, Uuid::now_v7()).0)
}

/// The meeting's row, read directly.
async fn meeting_row(app: &TestApp, meeting: &Value) -> entity::meeting::Model {
    entity::meeting::Entity::find_by_id(uuid_of(meeting, "Meeting"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("meeting row")
}

async fn meetings_stored(app: &TestApp) -> u64 {
    entity::meeting::Entity::find()
        .count(&app.db)
        .await
        .expect("count")
}

async fn applications_stored(app: &TestApp) -> u64 {
    entity::sponsorship_application::Entity::find()
        .count(&app.db)
        .await
        .expect("count")
}

/// Audit entries written by `action`.
async fn audited(app: &TestApp, action: &str) -> u64 {
    entity::audit_entry::Entity::find()
        .filter(entity::audit_entry::Column::Action.eq(action))
        .count(&app.db)
        .await
        .expect("count")
}

fn ids(list: &Value) -> Vec<Value> {
    list.as_array()
        .expect("list")
        .iter()
        .map(|x| x["id"].clone())
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|s| s.as_str().expect("string").to_owned())
        .collect()
}
