//! The Sponsorship Programme over HTTP: meetings, applications, eligibility, decisions within
//! budget, withdrawals, privacy, statistics, the suggestion and the CSV export, with each
//! role and with bad input. "Today" is pinned to 2026-06-01 and meetings fall later that
//! year, so the tests never expire.

use std::collections::BTreeMap;

use ccm_isu::kernel::config::Settings;
use chrono::NaiveDate;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::*;

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

// ------------------------------------------------------------------------------ meetings

#[tokio::test]
async fn isu_staff_create_meetings_and_no_one_else_may() {
    let w = world().await;
    let app = &w.app;
    let audit = app.audit_entries().await;
    for (token, code) in [
        (Some(w.lao.as_str()), "FORBIDDEN"),
        (Some(w.coordinator.as_str()), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ] {
        let p = mutate(app, token, CREATE, meeting_input(), "createMeeting").await;
        assert_eq!(refusal(&p, "meeting").0, code, "{p}");
    }
    assert_eq!(app.audit_entries().await, audit);
    assert_eq!(meetings_stored(app).await, 0);

    let mut vars = meeting_input();
    vars["input"]["title"] = json!("  Fourteenth Meeting of States Parties  ");
    vars["input"]["sponsorshipBudget"]["currency"] = json!("chf");
    let p = mutate(app, Some(&w.admin), CREATE, vars, "createMeeting").await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    let m = &p["meeting"];
    assert_eq!(m["kind"], "MEETING_OF_STATES_PARTIES");
    assert_eq!(m["title"], "Fourteenth Meeting of States Parties");
    assert_eq!(
        (&m["startsOn"], &m["endsOn"], &m["applicationDeadline"]),
        (
            &json!("2026-09-14"),
            &json!("2026-09-17"),
            &json!("2026-07-31")
        )
    );
    assert_eq!(m["venue"], "Geneva");
    assert_eq!(
        m["sponsorshipBudget"],
        json!({"amount": "10000.00", "currency": "CHF"})
    );
    assert_eq!(
        m["dailySubsistenceAllowance"],
        json!({"amount": "300.00", "currency": "CHF"})
    );
    assert_eq!(app.audit_entries().await, audit + 1);
    assert_eq!(audited(app, "createMeeting").await, 1);
    let row = meeting_row(app, &m["id"]).await;
    assert_eq!(
        (
            row.sponsorship_budget_cents,
            row.dsa_cents,
            row.committed_cents
        ),
        (Some(1_000_000), Some(30_000), 0)
    );
    assert_eq!(row.currency.as_deref(), Some("CHF"));

    // ISU staff too; a meeting without a sponsorship programme, and a budget without an
    // allowance (which is then zero).
    let plain = json!({"input": {"kind": "COORDINATION_COMMITTEE", "title": "Coordination Committee",
        "startsOn": "2026-10-05", "endsOn": "2026-10-05"}});
    let p = mutate(app, Some(&w.staff), CREATE, plain, "createMeeting").await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    assert_eq!(p["meeting"]["sponsorshipBudget"], Value::Null);
    assert_eq!(p["meeting"]["dailySubsistenceAllowance"], Value::Null);
    assert_eq!(p["meeting"]["venue"], Value::Null);
    let mut no_dsa = meeting_input();
    no_dsa["input"]["dailySubsistenceAllowance"] = Value::Null;
    let p = mutate(app, Some(&w.staff), CREATE, no_dsa, "createMeeting").await;
    assert_eq!(
        p["meeting"]["dailySubsistenceAllowance"],
        json!({"amount": "0.00", "currency": "CHF"}),
        "{p}"
    );
    assert_eq!(audited(app, "createMeeting").await, 3);
    assert_eq!(app.audit_entries().await, audit + 3);
    assert_eq!(meetings_stored(app).await, 3);
}

#[tokio::test]
async fn bad_meetings_are_refused_with_their_field_and_write_nothing() {
    let w = world().await;
    let app = &w.app;
    let audit = app.audit_entries().await;
    let with = |path: &[&str], value: Value| {
        let mut v = meeting_input();
        let mut slot = &mut v["input"];
        for p in path {
            slot = &mut slot[*p];
        }
        *slot = value;
        v
    };
    let mut dsa_alone = meeting_input();
    dsa_alone["input"]["sponsorshipBudget"] = Value::Null;
    for (vars, field) in [
        (with(&["title"], json!("   ")), json!(["input", "title"])),
        (
            with(&["title"], json!("x".repeat(201))),
            json!(["input", "title"]),
        ),
        (
            with(&["endsOn"], json!("2026-09-13")),
            json!(["input", "endsOn"]),
        ),
        (
            with(&["applicationDeadline"], json!("2026-09-15")),
            json!(["input", "applicationDeadline"]),
        ),
        (
            with(&["sponsorshipBudget", "amount"], json!("-1")),
            json!(["input", "sponsorshipBudget"]),
        ),
        (
            with(&["sponsorshipBudget", "amount"], json!("100.001")),
            json!(["input", "sponsorshipBudget"]),
        ),
        (
            with(&["sponsorshipBudget", "currency"], json!("ZZZ")),
            json!(["input", "sponsorshipBudget"]),
        ),
        (
            with(&["dailySubsistenceAllowance", "currency"], json!("EUR")),
            json!(["input", "dailySubsistenceAllowance", "currency"]),
        ),
        (
            with(&["dailySubsistenceAllowance", "amount"], json!("-300")),
            json!(["input", "dailySubsistenceAllowance"]),
        ),
        (dsa_alone, json!(["input", "dailySubsistenceAllowance"])),
    ] {
        let p = mutate(app, Some(&w.admin), CREATE, vars.clone(), "createMeeting").await;
        assert_eq!(
            refusal(&p, "meeting"),
            ("INVALID_INPUT".to_owned(), field),
            "{vars}"
        );
    }
    // Every problem is reported at once.
    let mut two = with(&["title"], json!(""));
    two["input"]["endsOn"] = json!("2026-01-01");
    let p = mutate(app, Some(&w.admin), CREATE, two, "createMeeting").await;
    let fields: Vec<Value> = p["userErrors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].clone())
        .collect();
    assert_eq!(
        fields,
        vec![json!(["input", "title"]), json!(["input", "endsOn"])],
        "{p}"
    );
    // Malformed literals never reach the service.
    for vars in [
        with(&["startsOn"], json!("2026-02-30")),
        with(&["applicationDeadline"], json!("31/07/2026")),
        with(&["sponsorshipBudget", "amount"], json!("12.3.4")),
    ] {
        let body = app.graphql_as(&w.admin, CREATE, vars.clone()).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{vars}: {body}");
        assert_eq!(body["data"], Value::Null, "{body}");
    }
    assert_eq!(app.audit_entries().await, audit);
    assert_eq!(meetings_stored(app).await, 0);

    // The limits themselves are allowed: a one-day meeting whose deadline is its first day,
    // with a zero budget.
    let mut edge = with(&["endsOn"], json!("2026-09-14"));
    edge["input"]["applicationDeadline"] = json!("2026-09-14");
    edge["input"]["sponsorshipBudget"]["amount"] = json!("0");
    edge["input"]["dailySubsistenceAllowance"]["amount"] = json!("0.50");
    let p = mutate(app, Some(&w.admin), CREATE, edge, "createMeeting").await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    assert_eq!(p["meeting"]["sponsorshipBudget"]["amount"], "0.00");
    assert_eq!(p["meeting"]["dailySubsistenceAllowance"]["amount"], "0.50");
    assert_eq!(meetings_stored(app).await, 1);
}

#[tokio::test]
async fn meetings_are_public_but_their_sponsorship_figures_need_a_login() {
    let w = world().await;
    let app = &w.app;
    let msp = new_meeting(app, &w.admin, meeting_input()).await;
    let intersessional = new_meeting(
        app,
        &w.admin,
        json!({"input": {"kind": "INTERSESSIONAL", "title": "Intersessional Meeting",
            "startsOn": "2027-06-10", "endsOn": "2027-06-11", "venue": "Geneva"}}),
    )
    .await;
    let committee = new_meeting(
        app,
        &w.staff,
        json!({"input": {"kind": "COORDINATION_COMMITTEE", "title": "Coordination Committee",
            "startsOn": "2026-10-05", "endsOn": "2026-10-05"}}),
    )
    .await;

    let list = "query($f: MeetingFilter) { meetings(first: 10, filter: $f) { totalCount
        edges { node { id kind title startsOn endsOn venue applicationDeadline sponsorshipBudget { amount } } } } }";
    let listed = |f: Value| async move {
        let body = app.graphql(list, json!({ "f": f })).await;
        let c = &body["data"]["meetings"];
        assert!(c["totalCount"].is_number(), "{body}");
        let got: Vec<Value> = c["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| e["node"]["id"].clone())
            .collect();
        assert_eq!(c["totalCount"].as_u64(), Some(got.len() as u64), "{body}");
        (got, body)
    };
    let (all, body) = listed(Value::Null).await;
    assert_eq!(
        all,
        vec![msp.clone(), intersessional.clone(), committee.clone()]
    );
    let first = &body["data"]["meetings"]["edges"][0]["node"];
    assert_eq!(first["title"], "Fourteenth Meeting of States Parties");
    assert_eq!(first["venue"], "Geneva");
    assert_eq!(first["applicationDeadline"], "2026-07-31");
    assert_eq!(
        first["sponsorshipBudget"],
        Value::Null,
        "anonymous sees no budget"
    );
    for (f, want) in [
        (
            json!({"kind": "MEETING_OF_STATES_PARTIES"}),
            vec![msp.clone()],
        ),
        (json!({"year": 2026}), vec![msp.clone(), committee.clone()]),
        (json!({"year": 2027}), vec![intersessional.clone()]),
        (json!({"kind": "INTERSESSIONAL", "year": 2026}), vec![]),
        (
            json!({"kind": "COORDINATION_COMMITTEE", "year": 2026}),
            vec![committee.clone()],
        ),
    ] {
        assert_eq!(listed(f.clone()).await.0, want, "{f}");
    }

    // One meeting, anonymously: public fields, no figures.
    let q = "query($id: ID!) { meeting(id: $id) { id title sponsorshipBudget { amount } dailySubsistenceAllowance { amount } } }";
    let body = app.graphql(q, json!({"id": msp})).await;
    assert_eq!(
        body["data"]["meeting"],
        json!({"id": msp, "title": "Fourteenth Meeting of States Parties",
            "sponsorshipBudget": null, "dailySubsistenceAllowance": null}),
        "{body}"
    );
    for field in ["sponsorshipCommitted", "sponsorshipRemaining"] {
        let q = format!("query($id: ID!) {{ meeting(id: $id) {{ title {field} {{ amount }} }} }}");
        let body = app.graphql(&q, json!({"id": msp})).await;
        assert_eq!(
            error_code(&body),
            Some("UNAUTHENTICATED"),
            "{field}: {body}"
        );
    }
    for id in [
        json!("not-a-meeting"),
        unknown_id("Meeting"),
        unknown_id("User"),
    ] {
        let body = app.graphql(q, json!({"id": id})).await;
        assert_eq!(body["data"]["meeting"], Value::Null, "{body}");
    }
    let body = app
        .graphql(
            "query($id: ID!) { node(id: $id) { ... on Meeting { title } } }",
            json!({"id": committee}),
        )
        .await;
    assert_eq!(body["data"]["node"]["title"], "Coordination Committee");

    // Any logged-in user sees the figures.
    for token in [&w.lao, &w.coordinator, &w.staff] {
        assert_eq!(
            figures(app, token, &msp).await,
            json!({
                "sponsorshipBudget": {"amount": "10000.00", "currency": "CHF"},
                "dailySubsistenceAllowance": {"amount": "300.00", "currency": "CHF"},
                "sponsorshipCommitted": {"amount": "0.00", "currency": "CHF"},
                "sponsorshipRemaining": {"amount": "10000.00", "currency": "CHF"},
            })
        );
    }
    // Without a programme: no budget, zero figures in the base currency.
    assert_eq!(
        figures(app, &w.coordinator, &intersessional).await,
        json!({
            "sponsorshipBudget": null, "dailySubsistenceAllowance": null,
            "sponsorshipCommitted": {"amount": "0.00", "currency": "CHF"},
            "sponsorshipRemaining": {"amount": "0.00", "currency": "CHF"},
        })
    );
}

// -------------------------------------------------------------------------- applications

#[tokio::test]
async fn delegations_apply_for_their_own_state_and_the_isu_for_any() {
    let w = world().await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_input()).await;
    let audit = app.audit_entries().await;

    let mut vars = application(&meeting, "LAO", "Phonsavanh Vongsa", "FEMALE", "1850", 5);
    vars["input"]["requestedTravel"]["currency"] = json!("chf");
    let a = applied(app, &w.lao, vars).await;
    assert_eq!(a["status"], "SUBMITTED", "{a}");
    assert_eq!(a["state"]["code"], "LAO");
    assert_eq!(a["meeting"]["id"], meeting);
    assert_eq!(
        a["delegate"],
        json!({"fullName": "Phonsavanh Vongsa", "gender": "FEMALE", "position": "Deputy Director",
            "email": "phonsavanhvongsa@mfa.test"})
    );
    assert_eq!(
        a["requestedTravel"],
        json!({"amount": "1850.00", "currency": "CHF"})
    );
    assert_eq!(a["requestedDays"], 5);
    // 1850 + 5 × 300.
    assert_eq!(
        a["requestedTotal"],
        json!({"amount": "3350.00", "currency": "CHF"})
    );
    assert_eq!(a["approvedAmount"], Value::Null);
    assert_eq!(
        a["justification"],
        "Member of the national clearance authority."
    );
    assert_eq!(a["eligible"], true);

    // A State may send several delegates; the code is read case-insensitively.
    let second = applied(
        app,
        &w.lao,
        application(&meeting, " lao ", "Khamphet Sisouk", "MALE", "1850.50", 2),
    )
    .await;
    assert_eq!(second["state"]["code"], "LAO");
    assert_eq!(second["requestedTotal"]["amount"], "2450.50");
    assert_ne!(second["id"], a["id"]);
    // ISU staff apply for any State.
    let ben = applied(
        app,
        &w.staff,
        application(&meeting, "BEN", "Aminata Dossou", "FEMALE", "900", 6),
    )
    .await;
    assert_eq!(ben["requestedTotal"]["amount"], "2700.00");
    applied(
        app,
        &w.admin,
        application(&meeting, "IRQ", "Layla Hassan", "FEMALE", "0", 0),
    )
    .await;
    assert_eq!(audited(app, "applyForSponsorship").await, 4);
    assert_eq!(app.audit_entries().await, audit + 4);
    // The audit trail leaves the email out.
    let entry = entity::audit_entry::Entity::find()
        .filter(entity::audit_entry::Column::Action.eq("applyForSponsorship"))
        .filter(
            entity::audit_entry::Column::EntityId
                .eq(uuid_of(&a["id"], "SponsorshipApplication").to_string()),
        )
        .one(&app.db)
        .await
        .expect("query")
        .expect("entry");
    let after = entry.after.unwrap_or_default();
    assert!(after.contains("Phonsavanh Vongsa"), "{after}");
    assert!(!after.contains("@mfa.test"), "{after}");

    // Refusals write nothing.
    let audit = app.audit_entries().await;
    for (token, state, code) in [
        (Some(w.lao.as_str()), "IRQ", "FORBIDDEN"),
        (Some(w.irq.as_str()), "LAO", "FORBIDDEN"),
        (Some(w.coordinator.as_str()), "LAO", "FORBIDDEN"),
        (None, "LAO", "UNAUTHENTICATED"),
    ] {
        let vars = application(&meeting, state, "Someone Else", "MALE", "100", 1);
        let p = mutate(app, token, APPLY, vars, "applyForSponsorship").await;
        assert_eq!(refusal(&p, "application").0, code, "{state}: {p}");
    }
    assert_eq!(app.audit_entries().await, audit);
    assert_eq!(applications_stored(app).await, 4);
}

#[tokio::test]
async fn bad_applications_are_refused_with_their_field_and_write_nothing() {
    let w = world().await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_input()).await;
    let no_programme = new_meeting(
        app,
        &w.admin,
        json!({"input": {"kind": "OTHER", "title": "Informal consultations",
            "startsOn": "2026-09-01", "endsOn": "2026-09-01"}}),
    )
    .await;
    let audit = app.audit_entries().await;
    let ok = || application(&meeting, "LAO", "Phonsavanh Vongsa", "FEMALE", "1850", 5);
    let with = |path: &[&str], value: Value| {
        let mut v = ok();
        let mut slot = &mut v["input"];
        for p in path {
            slot = &mut slot[*p];
        }
        *slot = value;
        v
    };
    let meeting_uuid = uuid_of(&meeting, "Meeting");
    let wrong_kind = json!(ccm_isu::api::ids::encode("SponsorshipApplication", meeting_uuid).0);
    for (vars, code, field) in [
        (
            with(&["meetingId"], json!("garbage")),
            "NOT_FOUND",
            json!(["input", "meetingId"]),
        ),
        (
            with(&["meetingId"], unknown_id("Meeting")),
            "NOT_FOUND",
            json!(["input", "meetingId"]),
        ),
        (
            with(&["meetingId"], wrong_kind),
            "NOT_FOUND",
            json!(["input", "meetingId"]),
        ),
        (
            with(&["stateCode"], json!("XXX")),
            "NOT_FOUND",
            json!(["input", "stateCode"]),
        ),
        (
            with(&["meetingId"], no_programme.clone()),
            "INVALID_INPUT",
            json!(["input", "meetingId"]),
        ),
        (
            with(&["requestedTravel", "currency"], json!("EUR")),
            "INVALID_INPUT",
            json!(["input", "requestedTravel", "currency"]),
        ),
        (
            with(&["requestedTravel", "amount"], json!("-5")),
            "INVALID_INPUT",
            json!(["input", "requestedTravel"]),
        ),
        (
            with(&["requestedTravel", "amount"], json!("1850.005")),
            "INVALID_INPUT",
            json!(["input", "requestedTravel"]),
        ),
        (
            with(&["requestedDays"], json!(-1)),
            "INVALID_INPUT",
            json!(["input", "requestedDays"]),
        ),
        // Four meeting days and two of travel at most.
        (
            with(&["requestedDays"], json!(7)),
            "INVALID_INPUT",
            json!(["input", "requestedDays"]),
        ),
        (
            with(&["delegate", "email"], json!("phonsavanh.mofa.gov.la")),
            "INVALID_INPUT",
            json!(["input", "delegate", "email"]),
        ),
        (
            with(&["delegate", "email"], json!("p v@mofa.gov.la")),
            "INVALID_INPUT",
            json!(["input", "delegate", "email"]),
        ),
        (
            with(&["delegate", "fullName"], json!("  ")),
            "INVALID_INPUT",
            json!(["input", "delegate", "fullName"]),
        ),
    ] {
        let p = mutate(
            app,
            Some(&w.admin),
            APPLY,
            vars.clone(),
            "applyForSponsorship",
        )
        .await;
        assert_eq!(
            refusal(&p, "application"),
            (code.to_owned(), field),
            "{vars}"
        );
    }
    // A delegation cannot probe for State codes: any other code is not its own.
    let p = mutate(
        app,
        Some(&w.lao),
        APPLY,
        with(&["stateCode"], json!("XXX")),
        "applyForSponsorship",
    )
    .await;
    assert_eq!(refusal(&p, "application").0, "FORBIDDEN");
    for vars in [
        with(&["requestedTravel", "amount"], json!("12.3.4")),
        with(&["delegate", "gender"], json!("FEMININE")),
    ] {
        let body = app.graphql_as(&w.admin, APPLY, vars.clone()).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{vars}: {body}");
    }
    assert_eq!(app.audit_entries().await, audit);
    assert_eq!(applications_stored(app).await, 0);

    // The limits are allowed: six days; nothing at all; no email.
    let six = applied(app, &w.lao, with(&["requestedDays"], json!(6))).await;
    assert_eq!(six["requestedTotal"]["amount"], "3650.00");
    let mut nothing = with(&["requestedDays"], json!(0));
    nothing["input"]["requestedTravel"]["amount"] = json!("0");
    nothing["input"]["delegate"]["email"] = json!("  ");
    let nothing = applied(app, &w.lao, nothing).await;
    assert_eq!(nothing["requestedTotal"]["amount"], "0.00");
    assert_eq!(nothing["delegate"]["email"], Value::Null);
    assert_eq!(applications_stored(app).await, 2);
}

#[tokio::test]
async fn applications_close_after_the_deadline_day_or_when_the_meeting_begins() {
    let w = world().await;
    let app = &w.app;
    let with = |deadline: Value, starts: &str| {
        let mut v = meeting_input();
        v["input"]["applicationDeadline"] = deadline;
        v["input"]["startsOn"] = json!(starts);
        v
    };
    // Today is 2026-06-01.
    let due_today = new_meeting(app, &w.admin, with(json!("2026-06-01"), "2026-09-14")).await;
    let due_yesterday = new_meeting(app, &w.admin, with(json!("2026-05-31"), "2026-09-14")).await;
    let begins_today = new_meeting(app, &w.admin, with(Value::Null, "2026-06-01")).await;
    let begins_tomorrow = new_meeting(app, &w.admin, with(Value::Null, "2026-06-02")).await;

    for (meeting, open) in [
        (&due_today, true),
        (&due_yesterday, false),
        (&begins_today, false),
        (&begins_tomorrow, true),
    ] {
        for token in [&w.lao, &w.admin] {
            let vars = application(meeting, "LAO", "Phonsavanh Vongsa", "FEMALE", "100", 1);
            let p = mutate(app, Some(token), APPLY, vars, "applyForSponsorship").await;
            if open {
                assert_eq!(p["userErrors"], json!([]), "{p}");
                assert_eq!(p["application"]["status"], "SUBMITTED");
            } else {
                assert_eq!(
                    refusal(&p, "application"),
                    ("INVALID_INPUT".to_owned(), json!(["input", "meetingId"])),
                    "{p}"
                );
            }
        }
    }
    assert_eq!(applications_stored(app).await, 4);
    assert_eq!(audited(app, "applyForSponsorship").await, 4);
}

// --------------------------------------------------------------------------- eligibility

#[tokio::test]
async fn eligibility_follows_the_default_policy_and_gives_its_reasons() {
    let w = world().await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_input()).await;
    // Lithuania has withdrawn; give it victims so that only its standing disqualifies it.
    let p = mutate(
        app,
        Some(&w.admin),
        UPDATE_STATE,
        json!({"input": {"code": "LTU", "hasVictims": true}}),
        "updateStateParty",
    )
    .await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    let apply = |code: &'static str| {
        let vars = application(
            &meeting,
            code,
            &format!("Delegate of {code}"),
            "MALE",
            "100",
            1,
        );
        let admin = w.admin.as_str();
        async move { applied(app, admin, vars).await }
    };

    let lao = apply("LAO").await;
    assert_eq!(lao["eligible"], true, "{lao}");
    let reasons = strings(&lao["eligibilityReasons"]);
    assert_eq!(
        reasons[0],
        "Lao People's Democratic Republic is a State party."
    );
    assert_eq!(
        reasons[1],
        "Its World Bank income group is lower-middle income, which qualifies."
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("It has a pending Article 4 obligation: clearance due ")),
        "{reasons:?}"
    );
    assert_eq!(
        reasons.last().map(String::as_str),
        Some("Eligible for sponsorship.")
    );

    // Upper-middle income, but a pending clearance obligation.
    let irq = apply("IRQ").await;
    assert_eq!(irq["eligible"], true, "{irq}");
    let reasons = strings(&irq["eligibilityReasons"]);
    assert!(
        reasons.contains(
            &"Its World Bank income group is upper-middle income, which does not qualify on its own."
                .to_owned()
        ),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("It has a pending Article 4 obligation")),
        "{reasons:?}"
    );

    // A signatory of lower-middle income.
    let ago = apply("AGO").await;
    assert_eq!(ago["eligible"], true, "{ago}");
    assert_eq!(ago["eligibilityReasons"][0], "Angola is a signatory.");

    // A high-income State party with no obligation pending and no victims.
    let aut = apply("AUT").await;
    assert_eq!(aut["eligible"], false, "{aut}");
    assert_eq!(
        strings(&aut["eligibilityReasons"]),
        vec![
            "Austria is a State party.",
            "Its World Bank income group is high income, which does not qualify on its own.",
            "It has no pending Article 3 or 4 obligation.",
            "It reports no cluster munition victims.",
            "Not eligible: it meets none of the income, obligation or victim criteria.",
        ]
    );

    // Not a party, not invited: its victims do not make it eligible.
    let ltu = apply("LTU").await;
    assert_eq!(ltu["eligible"], false, "{ltu}");
    let reasons = strings(&ltu["eligibilityReasons"]);
    assert_eq!(
        reasons[0],
        "Lithuania is neither a State party nor a signatory, and is not invited for universalization."
    );
    assert!(reasons.contains(&"It has cluster munition victims.".to_owned()));
    assert_eq!(
        reasons.last().map(String::as_str),
        Some("Not eligible: the State's relation to the Convention does not qualify.")
    );

    // Eligibility is assessed when read: Austria reporting victims becomes eligible.
    let p = mutate(
        app,
        Some(&w.admin),
        UPDATE_STATE,
        json!({"input": {"code": "AUT", "hasVictims": true}}),
        "updateStateParty",
    )
    .await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    let again = node(app, Some(&w.admin), &aut["id"]).await;
    assert_eq!(again["eligible"], true, "{again}");
    let reasons = strings(&again["eligibilityReasons"]);
    assert!(reasons.contains(&"It has cluster munition victims.".to_owned()));
    assert_eq!(
        reasons.last().map(String::as_str),
        Some("Eligible for sponsorship.")
    );
}

#[tokio::test]
async fn the_eligibility_policy_is_configurable() {
    let w = world_with(|s| {
        s.sponsorship_income_groups = "LOW".into();
        s.sponsorship_invited = "LTU".into();
    })
    .await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_input()).await;
    let apply = |code: &'static str| {
        let vars = application(
            &meeting,
            code,
            &format!("Delegate of {code}"),
            "FEMALE",
            "100",
            1,
        );
        let admin = w.admin.as_str();
        async move { applied(app, admin, vars).await }
    };
    // Lower-middle income alone no longer qualifies...
    let phl = apply("PHL").await;
    assert_eq!(phl["eligible"], false, "{phl}");
    let reasons = strings(&phl["eligibilityReasons"]);
    assert_eq!(
        reasons[1],
        "Its World Bank income group is lower-middle income, which does not qualify on its own."
    );
    assert_eq!(
        reasons.last().map(String::as_str),
        Some("Not eligible: it meets none of the income, obligation or victim criteria.")
    );
    // ...low income does, and so does a pending obligation.
    let moz = apply("MOZ").await;
    assert_eq!(moz["eligible"], true, "{moz}");
    assert_eq!(
        moz["eligibilityReasons"][1],
        "Its World Bank income group is low income, which qualifies."
    );
    assert_eq!(apply("LAO").await["eligible"], true);

    // Lithuania is invited, but needs a criterion of need too.
    let ltu = apply("LTU").await;
    assert_eq!(ltu["eligible"], false, "{ltu}");
    assert_eq!(
        ltu["eligibilityReasons"][0],
        "Lithuania is not a State party but is invited for universalization."
    );
    let p = mutate(
        app,
        Some(&w.admin),
        UPDATE_STATE,
        json!({"input": {"code": "LTU", "hasVictims": true}}),
        "updateStateParty",
    )
    .await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    let ltu = node(app, Some(&w.admin), &ltu["id"]).await;
    assert_eq!(ltu["eligible"], true, "{ltu}");
    assert_eq!(
        ltu["eligibilityReasons"].as_array().and_then(|r| r.last()),
        Some(&json!("Eligible for sponsorship."))
    );
}

// ------------------------------------------------------------------------------ decisions

#[tokio::test]
async fn decisions_follow_the_documented_transitions() {
    let w = world().await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_input()).await;
    let mut apps = Vec::new();
    for name in [
        "Alpha One",
        "Bravo Two",
        "Charlie Three",
        "Delta Four",
        "Echo Five",
    ] {
        apps.push(
            applied_id(
                app,
                &w.lao,
                application(&meeting, "LAO", name, "FEMALE", "100", 1),
            )
            .await,
        );
    }
    let [a, b, c, d, e] = <[Value; 5]>::try_from(apps).expect("five");

    // Who may decide.
    let audit = app.audit_entries().await;
    for (token, code) in [
        (Some(w.lao.as_str()), "FORBIDDEN"),
        (Some(w.coordinator.as_str()), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ] {
        let p = decide(app, token, decision(&a, "UNDER_REVIEW")).await;
        assert_eq!(refusal(&p, "application").0, code, "{p}");
    }
    for id in [
        json!("garbage"),
        unknown_id("SponsorshipApplication"),
        meeting.clone(),
    ] {
        let p = decide(app, Some(&w.staff), decision(&id, "UNDER_REVIEW")).await;
        assert_eq!(
            refusal(&p, "application"),
            ("NOT_FOUND".to_owned(), json!(["input", "applicationId"])),
            "{id}"
        );
    }
    assert_eq!(app.audit_entries().await, audit);

    let bad = |id: &Value, to: &'static str| {
        let vars = decision(id, to);
        let id = id.clone();
        let staff = w.staff.as_str();
        async move {
            let audit = app.audit_entries().await;
            let before = status_of(app, staff, &id).await;
            let p = decide(app, Some(staff), vars).await;
            assert_eq!(
                refusal(&p, "application"),
                (
                    "INVALID_STATE_TRANSITION".to_owned(),
                    json!(["input", "decision"])
                ),
                "{before} → {to}: {p}"
            );
            assert_eq!(status_of(app, staff, &id).await, before);
            assert_eq!(app.audit_entries().await, audit);
        }
    };
    let good = |id: &Value, to: &'static str, note: Option<&'static str>| {
        let mut vars = decision(id, to);
        if let Some(n) = note {
            vars["input"]["note"] = json!(n);
        }
        let staff = w.staff.as_str();
        async move {
            let p = decided(app, staff, vars).await;
            assert_eq!(p["status"], to, "{p}");
            assert!(
                p["decidedAt"]
                    .as_str()
                    .is_some_and(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok()),
                "{p}"
            );
            p
        }
    };

    // a: SUBMITTED → UNDER_REVIEW → WAITLISTED → UNDER_REVIEW → REJECTED, and then nothing.
    let p = good(&a, "UNDER_REVIEW", Some("  Checking the travel quote. ")).await;
    assert_eq!(p["decisionNote"], "Checking the travel quote.");
    assert_eq!(p["approvedAmount"], Value::Null);
    bad(&a, "UNDER_REVIEW").await;
    bad(&a, "SUBMITTED").await;
    let p = good(&a, "WAITLISTED", None).await;
    assert_eq!(
        p["decisionNote"], "Checking the travel quote.",
        "the latest note that was given"
    );
    good(&a, "UNDER_REVIEW", None).await;
    let p = good(&a, "REJECTED", Some("Budget priorities.")).await;
    assert_eq!(p["decisionNote"], "Budget priorities.");
    for to in [
        "APPROVED",
        "UNDER_REVIEW",
        "WAITLISTED",
        "REJECTED",
        "SUBMITTED",
        "WITHDRAWN",
    ] {
        bad(&a, to).await;
    }

    // b: SUBMITTED → WAITLISTED → APPROVED, and then nothing.
    good(&b, "WAITLISTED", None).await;
    let p = good(&b, "APPROVED", None).await;
    assert_eq!(
        p["approvedAmount"],
        json!({"amount": "400.00", "currency": "CHF"})
    );
    for to in [
        "WAITLISTED",
        "REJECTED",
        "UNDER_REVIEW",
        "APPROVED",
        "SUBMITTED",
        "WITHDRAWN",
    ] {
        bad(&b, to).await;
    }

    // c: SUBMITTED → REJECTED. d: not WITHDRAWN nor SUBMITTED by decision; UNDER_REVIEW →
    // APPROVED. e: SUBMITTED → APPROVED directly; waitlisted → rejected.
    good(&c, "REJECTED", None).await;
    bad(&d, "WITHDRAWN").await;
    bad(&d, "SUBMITTED").await;
    good(&d, "UNDER_REVIEW", None).await;
    let p = good(&d, "APPROVED", Some("Priority: clearance")).await;
    assert_eq!(p["approvedAmount"]["amount"], "400.00");
    assert_eq!(p["decisionNote"], "Priority: clearance");
    good(&e, "APPROVED", None).await;

    let waitlisted = applied_id(
        app,
        &w.lao,
        application(&meeting, "LAO", "Foxtrot Six", "MALE", "100", 1),
    )
    .await;
    good(&waitlisted, "WAITLISTED", None).await;
    good(&waitlisted, "REJECTED", None).await;

    // ISU_ADMIN decides too.
    let last = applied_id(
        app,
        &w.lao,
        application(&meeting, "LAO", "Golf Seven", "MALE", "100", 1),
    )
    .await;
    assert_eq!(
        decided(app, &w.admin, decision(&last, "UNDER_REVIEW")).await["status"],
        "UNDER_REVIEW"
    );
    assert_eq!(audited(app, "decideSponsorshipApplication").await, 13);
    assert_eq!(remaining(app, &w.staff, &meeting).await, "8800.00");
}

#[tokio::test]
async fn approvals_stay_within_the_requested_total_and_the_remaining_budget() {
    let w = world().await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_with("5000", "300")).await;
    // 1000 + 5 × 300 = 2500; 1400 + 5 × 300 = 2900; 0 + 1 × 300 = 300.
    let a = applied_id(
        app,
        &w.lao,
        application(&meeting, "LAO", "Phonsavanh Vongsa", "FEMALE", "1000", 5),
    )
    .await;
    let b = applied_id(
        app,
        &w.admin,
        application(&meeting, "BEN", "Aminata Dossou", "FEMALE", "1400", 5),
    )
    .await;
    let c = applied_id(
        app,
        &w.admin,
        application(&meeting, "PHL", "Jose Santos", "MALE", "0", 1),
    )
    .await;

    let audit = app.audit_entries().await;
    let mut waitlist_with_amount = approval(&a, "100", "CHF");
    waitlist_with_amount["input"]["decision"] = json!("WAITLISTED");
    for (vars, field) in [
        (
            approval(&a, "2500.01", "CHF"),
            json!(["input", "approvedAmount"]),
        ),
        (
            approval(&a, "-1", "CHF"),
            json!(["input", "approvedAmount"]),
        ),
        (
            approval(&a, "10.001", "CHF"),
            json!(["input", "approvedAmount"]),
        ),
        (
            approval(&a, "100", "EUR"),
            json!(["input", "approvedAmount", "currency"]),
        ),
        (waitlist_with_amount, json!(["input", "approvedAmount"])),
    ] {
        let p = decide(app, Some(&w.staff), vars.clone()).await;
        assert_eq!(
            refusal(&p, "application"),
            ("INVALID_INPUT".to_owned(), field),
            "{vars}"
        );
    }
    assert_eq!(app.audit_entries().await, audit);
    assert_eq!(status_of(app, &w.staff, &a).await, "SUBMITTED");

    // By default, the requested total.
    let p = decided(app, &w.staff, decision(&a, "APPROVED")).await;
    assert_eq!(
        p["approvedAmount"],
        json!({"amount": "2500.00", "currency": "CHF"})
    );
    let f = figures(app, &w.coordinator, &meeting).await;
    assert_eq!(f["sponsorshipCommitted"]["amount"], "2500.00");
    assert_eq!(f["sponsorshipRemaining"]["amount"], "2500.00");
    assert_eq!(meeting_row(app, &meeting).await.committed_cents, 250_000);

    // 2900 does not fit in 2500: refused, and nothing is written.
    let audit = app.audit_entries().await;
    let p = decide(app, Some(&w.staff), decision(&b, "APPROVED")).await;
    assert_eq!(
        refusal(&p, "application"),
        ("OVER_BUDGET".to_owned(), json!(["input", "approvedAmount"])),
        "{p}"
    );
    let p = decide(app, Some(&w.staff), approval(&b, "2500.01", "CHF")).await;
    assert_eq!(refusal(&p, "application").0, "OVER_BUDGET");
    assert_eq!(app.audit_entries().await, audit);
    assert_eq!(status_of(app, &w.staff, &b).await, "SUBMITTED");
    assert_eq!(
        node(app, Some(&w.staff), &b).await["approvedAmount"],
        Value::Null
    );
    assert_eq!(remaining(app, &w.staff, &meeting).await, "2500.00");
    assert_eq!(meeting_row(app, &meeting).await.committed_cents, 250_000);

    // A smaller amount, exactly what remains, fits (in lower-case currency too).
    let p = decided(app, &w.staff, approval(&b, "2500", "chf")).await;
    assert_eq!(
        p["approvedAmount"],
        json!({"amount": "2500.00", "currency": "CHF"})
    );
    assert_eq!(remaining(app, &w.staff, &meeting).await, "0.00");
    // Nothing is left for c, which may still be waitlisted.
    let p = decide(app, Some(&w.admin), decision(&c, "APPROVED")).await;
    assert_eq!(refusal(&p, "application").0, "OVER_BUDGET");
    decided(app, &w.admin, decision(&c, "WAITLISTED")).await;
    let row = meeting_row(app, &meeting).await;
    assert_eq!(row.committed_cents, 500_000);
    assert_eq!(row.sponsorship_budget_cents, Some(500_000));
    assert_eq!(audited(app, "decideSponsorshipApplication").await, 3);

    let body = app
        .graphql_as(
            &w.staff,
            LIST,
            json!({"id": meeting, "status": ["APPROVED"]}),
        )
        .await;
    assert_eq!(
        body["data"]["meeting"]["applications"]["totalCount"], 2,
        "{body}"
    );
}

#[tokio::test]
async fn approving_an_ineligible_application_needs_a_note() {
    let w = world().await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_input()).await;
    let aut = applied(
        app,
        &w.admin,
        application(&meeting, "AUT", "Anna Gruber", "FEMALE", "500", 2),
    )
    .await;
    assert_eq!(aut["eligible"], false);
    let audit = app.audit_entries().await;
    for note in [Value::Null, json!("   ")] {
        let mut vars = decision(&aut["id"], "APPROVED");
        vars["input"]["note"] = note;
        let p = decide(app, Some(&w.staff), vars).await;
        assert_eq!(
            refusal(&p, "application"),
            ("INVALID_INPUT".to_owned(), json!(["input", "note"])),
            "{p}"
        );
    }
    assert_eq!(app.audit_entries().await, audit);
    assert_eq!(remaining(app, &w.staff, &meeting).await, "10000.00");
    // Other decisions need none.
    decided(app, &w.staff, decision(&aut["id"], "UNDER_REVIEW")).await;
    let mut vars = decision(&aut["id"], "APPROVED");
    vars["input"]["note"] = json!("Host-country expert, agreed with the donors.");
    let p = decided(app, &w.staff, vars).await;
    assert_eq!(p["status"], "APPROVED");
    assert_eq!(
        p["decisionNote"],
        "Host-country expert, agreed with the donors."
    );
    assert_eq!(p["approvedAmount"]["amount"], "1100.00");
    assert_eq!(remaining(app, &w.staff, &meeting).await, "8900.00");
    assert_eq!(audited(app, "decideSponsorshipApplication").await, 2);
}

// ---------------------------------------------------------------------------- withdrawals

#[tokio::test]
async fn withdrawals_are_the_applicants_and_return_the_approved_amount() {
    let w = world().await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_with("5000", "300")).await;
    let approved = applied_id(
        app,
        &w.lao,
        application(&meeting, "LAO", "Phonsavanh Vongsa", "FEMALE", "1000", 5),
    )
    .await;
    let submitted = applied_id(
        app,
        &w.lao,
        application(&meeting, "LAO", "Khamphet Sisouk", "MALE", "100", 1),
    )
    .await;
    let rejected = applied_id(
        app,
        &w.lao,
        application(&meeting, "LAO", "Bounmy Keo", "MALE", "100", 1),
    )
    .await;
    let ben = applied_id(
        app,
        &w.admin,
        application(&meeting, "BEN", "Aminata Dossou", "FEMALE", "100", 1),
    )
    .await;
    decided(app, &w.staff, decision(&approved, "APPROVED")).await;
    decided(app, &w.staff, decision(&rejected, "REJECTED")).await;
    decided(app, &w.staff, decision(&ben, "WAITLISTED")).await;
    assert_eq!(remaining(app, &w.lao, &meeting).await, "2500.00");

    let audit = app.audit_entries().await;
    for (token, id, code, field) in [
        (
            Some(w.irq.as_str()),
            &approved,
            "NOT_FOUND",
            json!(["input", "id"]),
        ),
        (
            Some(w.lao.as_str()),
            &ben,
            "NOT_FOUND",
            json!(["input", "id"]),
        ),
        (
            Some(w.lao.as_str()),
            &json!("garbage"),
            "NOT_FOUND",
            json!(["input", "id"]),
        ),
        (
            Some(w.admin.as_str()),
            &unknown_id("SponsorshipApplication"),
            "NOT_FOUND",
            json!(["input", "id"]),
        ),
        (
            Some(w.coordinator.as_str()),
            &approved,
            "FORBIDDEN",
            Value::Null,
        ),
        (None, &approved, "UNAUTHENTICATED", Value::Null),
    ] {
        let p = withdraw(app, token, id).await;
        let (got, f) = refusal(&p, "application");
        assert_eq!(got, code, "{p}");
        if !field.is_null() {
            assert_eq!(f, field);
        }
    }
    assert_eq!(app.audit_entries().await, audit);
    assert_eq!(status_of(app, &w.admin, &approved).await, "APPROVED");

    // The approved amount returns to the budget.
    let p = withdraw(app, Some(&w.lao), &approved).await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    assert_eq!(
        p["application"],
        json!({"id": approved, "status": "WITHDRAWN", "approvedAmount": null})
    );
    let f = figures(app, &w.lao, &meeting).await;
    assert_eq!(f["sponsorshipRemaining"]["amount"], "5000.00");
    assert_eq!(f["sponsorshipCommitted"]["amount"], "0.00");
    assert_eq!(meeting_row(app, &meeting).await.committed_cents, 0);

    // Once only; never a rejected one; and no decision afterwards.
    let audit = app.audit_entries().await;
    for (token, id) in [
        (&w.lao, &approved),
        (&w.admin, &approved),
        (&w.lao, &rejected),
    ] {
        let p = withdraw(app, Some(token), id).await;
        assert_eq!(
            refusal(&p, "application"),
            (
                "INVALID_STATE_TRANSITION".to_owned(),
                json!(["input", "id"])
            ),
            "{p}"
        );
    }
    let p = decide(app, Some(&w.staff), decision(&approved, "APPROVED")).await;
    assert_eq!(refusal(&p, "application").0, "INVALID_STATE_TRANSITION");
    assert_eq!(app.audit_entries().await, audit);
    assert_eq!(remaining(app, &w.lao, &meeting).await, "5000.00");

    // A submitted application by its delegation; a waitlisted one by the ISU.
    assert_eq!(
        withdraw(app, Some(&w.lao), &submitted).await["application"]["status"],
        "WITHDRAWN"
    );
    assert_eq!(
        withdraw(app, Some(&w.staff), &ben).await["application"]["status"],
        "WITHDRAWN"
    );
    assert_eq!(audited(app, "withdrawSponsorshipApplication").await, 3);
    assert_eq!(app.audit_entries().await, audit + 2);
    assert_eq!(remaining(app, &w.lao, &meeting).await, "5000.00");
}

// -------------------------------------------------------------------------------- privacy

#[tokio::test]
async fn delegates_personal_data_is_for_the_isu_and_their_own_state() {
    let w = world().await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_input()).await;
    let lao1 = applied_id(
        app,
        &w.lao,
        application(&meeting, "LAO", "Phonsavanh Vongsa", "FEMALE", "100", 1),
    )
    .await;
    let lao2 = applied_id(
        app,
        &w.lao,
        application(&meeting, "LAO", "Khamphet Sisouk", "MALE", "100", 1),
    )
    .await;
    let irq = applied_id(
        app,
        &w.staff,
        application(&meeting, "IRQ", "Layla Hassan", "FEMALE", "100", 1),
    )
    .await;

    let listed = |token: Option<String>| {
        let vars = json!({"id": meeting});
        async move {
            let body = app.graphql_with(token.as_deref(), LIST, vars).await;
            assert!(body["errors"].is_null(), "{body}");
            let c = body["data"]["meeting"]["applications"].clone();
            let nodes: Vec<Value> = c["edges"]
                .as_array()
                .expect("edges")
                .iter()
                .map(|e| e["node"].clone())
                .collect();
            (c["totalCount"].as_u64().expect("totalCount"), nodes)
        }
    };
    for token in [&w.admin, &w.staff] {
        let (total, nodes) = listed(Some(token.clone())).await;
        assert_eq!(total, 3);
        assert_eq!(
            nodes.iter().map(|n| n["id"].clone()).collect::<Vec<_>>(),
            vec![lao1.clone(), lao2.clone(), irq.clone()],
            "oldest first"
        );
        assert_eq!(
            nodes[2]["delegate"],
            json!({"fullName": "Layla Hassan", "email": "laylahassan@mfa.test"})
        );
    }
    let (total, nodes) = listed(Some(w.lao.clone())).await;
    assert_eq!(total, 2);
    assert!(
        nodes.iter().all(|n| n["state"]["code"] == "LAO"),
        "{nodes:?}"
    );
    assert_eq!(nodes[0]["delegate"]["fullName"], "Phonsavanh Vongsa");
    let (total, nodes) = listed(Some(w.irq.clone())).await;
    assert_eq!(total, 1);
    assert_eq!(nodes[0]["id"], irq);
    for token in [Some(w.coordinator.clone()), None] {
        assert_eq!(listed(token).await, (0, vec![]));
    }
    // The status filter does not widen what a viewer sees.
    let body = app
        .graphql_as(
            &w.coordinator,
            LIST,
            json!({"id": meeting, "status": ["SUBMITTED"]}),
        )
        .await;
    assert_eq!(body["data"]["meeting"]["applications"]["totalCount"], 0);
    let body = app
        .graphql_as(
            &w.lao,
            LIST,
            json!({"id": meeting, "status": ["SUBMITTED"]}),
        )
        .await;
    assert_eq!(body["data"]["meeting"]["applications"]["totalCount"], 2);

    // node(id:) follows the same rule.
    for token in [&w.admin, &w.staff, &w.lao] {
        let n = node(app, Some(token), &lao1).await;
        assert_eq!(
            n["delegate"],
            json!({"fullName": "Phonsavanh Vongsa", "email": "phonsavanhvongsa@mfa.test"})
        );
        assert_eq!(n["state"]["code"], "LAO");
    }
    for token in [Some(w.irq.as_str()), Some(w.coordinator.as_str()), None] {
        assert_eq!(node(app, token, &lao1).await, Value::Null);
    }
    assert_eq!(node(app, Some(&w.lao), &irq).await, Value::Null);
    assert_eq!(
        node(app, Some(&w.irq), &irq).await["delegate"]["fullName"],
        "Layla Hassan"
    );
}

// ----------------------------------------------------------------------------- statistics

fn counts(list: &Value, key: &str) -> BTreeMap<String, i64> {
    list.as_array()
        .unwrap_or_else(|| panic!("{list}"))
        .iter()
        .map(|x| {
            (
                x[key].as_str().expect("key").to_owned(),
                x["count"].as_i64().expect("count"),
            )
        })
        .collect()
}

#[tokio::test]
async fn statistics_count_approved_delegates_for_the_isu_and_coordinators() {
    let w = world().await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_input()).await;
    let stats = |token: Option<String>| {
        let vars = json!({"id": meeting});
        async move { app.graphql_with(token.as_deref(), STATS, vars).await }
    };
    // Nothing yet: every gender and group listed, at zero.
    let body = stats(Some(w.coordinator.clone())).await;
    let s = &body["data"]["meeting"]["sponsorshipStats"];
    assert_eq!(s["applications"], 0, "{body}");
    assert_eq!(s["approved"], 0);
    assert_eq!(s["femaleShareApproved"].as_f64(), Some(0.0));
    assert_eq!(counts(&s["byGender"], "gender").len(), 4);
    assert!(
        counts(&s["byRegionalGroup"], "regionalGroup")
            .values()
            .all(|n| *n == 0)
    );

    let mut ids = Vec::new();
    for (code, name, gender) in [
        ("LAO", "Phonsavanh Vongsa", "FEMALE"),
        ("LAO", "Khamphet Sisouk", "MALE"),
        ("BEN", "Aminata Dossou", "FEMALE"),
        ("PHL", "Jose Santos", "MALE"),
        ("AUT", "Anna Gruber", "FEMALE"),
        ("BOL", "Ana Quispe", "UNDISCLOSED"),
        ("SEN", "Sam Diouf", "OTHER"),
    ] {
        ids.push(
            applied_id(
                app,
                &w.admin,
                application(&meeting, code, name, gender, "100", 1),
            )
            .await,
        );
    }
    for i in [0, 1, 2, 6] {
        decided(app, &w.staff, decision(&ids[i], "APPROVED")).await;
    }
    decided(app, &w.staff, decision(&ids[4], "REJECTED")).await;
    assert_eq!(
        withdraw(app, Some(&w.staff), &ids[6]).await["application"]["status"],
        "WITHDRAWN"
    );
    // The approved: LAO female, LAO male, BEN female. Received: all seven.
    let expected_gender = BTreeMap::from([
        ("FEMALE".to_owned(), 2),
        ("MALE".to_owned(), 1),
        ("OTHER".to_owned(), 0),
        ("UNDISCLOSED".to_owned(), 0),
    ]);
    let expected_region = BTreeMap::from([
        ("AFRICA".to_owned(), 1),
        ("ASIA_PACIFIC".to_owned(), 2),
        ("EASTERN_EUROPE".to_owned(), 0),
        ("LATIN_AMERICA_CARIBBEAN".to_owned(), 0),
        ("WESTERN_EUROPE_OTHERS".to_owned(), 0),
    ]);
    for token in [&w.admin, &w.staff, &w.coordinator] {
        let body = stats(Some(token.clone())).await;
        let s = &body["data"]["meeting"]["sponsorshipStats"];
        assert_eq!(s["applications"], 7, "{body}");
        assert_eq!(s["approved"], 3);
        assert!(
            (s["femaleShareApproved"].as_f64().expect("share") - 2.0 / 3.0).abs() < 1e-9,
            "{body}"
        );
        assert_eq!(s["byGender"].as_array().map(Vec::len), Some(4));
        assert_eq!(s["byRegionalGroup"].as_array().map(Vec::len), Some(5));
        assert_eq!(counts(&s["byGender"], "gender"), expected_gender);
        assert_eq!(
            counts(&s["byRegionalGroup"], "regionalGroup"),
            expected_region
        );
    }
    // No statistics for a delegation or anonymously.
    assert_eq!(
        error_code(&stats(Some(w.lao.clone())).await),
        Some("FORBIDDEN")
    );
    assert_eq!(error_code(&stats(None).await), Some("UNAUTHENTICATED"));
}

// ----------------------------------------------------------------------------- suggestion

#[tokio::test]
async fn the_suggestion_funds_one_delegate_per_state_and_new_regions_first() {
    let w = world().await;
    let app = &w.app;
    // Allowance 100 a day: 700 + 3 days = 1000; 200 + 3 days = 500; 0 + 1 day = 100.
    let meeting = new_meeting(app, &w.admin, meeting_with("2600", "100")).await;
    let apply = |code: &'static str,
                 name: &'static str,
                 gender: &'static str,
                 travel: &'static str,
                 days| {
        let vars = application(&meeting, code, name, gender, travel, days);
        let admin = w.admin.as_str();
        async move { applied_id(app, admin, vars).await }
    };
    let approved = apply("PHL", "Jose Santos", "MALE", "200", 3).await;
    let phl_second = apply("PHL", "Maria Cruz", "MALE", "700", 3).await;
    let lao_f = apply("LAO", "Phonsavanh Vongsa", "FEMALE", "700", 3).await;
    let lao_m = apply("LAO", "Khamphet Sisouk", "MALE", "700", 3).await;
    let ben = apply("BEN", "Koffi Houngbo", "MALE", "700", 3).await;
    // Cheap enough to fit what is left, but ineligible, rejected or withdrawn.
    apply("AUT", "Anna Gruber", "FEMALE", "0", 1).await;
    let rejected = apply("GHA", "Ama Mensah", "FEMALE", "0", 1).await;
    let withdrawn = apply("LKA", "Nimali Perera", "FEMALE", "0", 1).await;
    decided(app, &w.staff, decision(&approved, "APPROVED")).await;
    decided(app, &w.staff, decision(&rejected, "REJECTED")).await;
    withdraw(app, Some(&w.staff), &withdrawn).await;
    // A waitlisted application is still pending.
    decided(app, &w.staff, decision(&lao_f, "WAITLISTED")).await;
    assert_eq!(remaining(app, &w.staff, &meeting).await, "2100.00");

    let audit = app.audit_entries().await;
    let body = app
        .graphql_as(&w.staff, SUGGEST, json!({"id": meeting}))
        .await;
    let s = &body["data"]["meeting"]["sponsorshipSuggestion"];
    // Two of the four 1000s fit in 2100. Laos (affected, new State) and Benin (new State,
    // new region) beat a second Lao delegate and a second Philippine one; of the two Lao
    // delegates the woman brings the balance closer to half.
    assert_eq!(
        ids(&s["applications"]),
        vec![lao_f.clone(), ben.clone()],
        "{body}"
    );
    assert_eq!(s["total"], json!({"amount": "2000.00", "currency": "CHF"}));
    // Over approved and suggested together: one woman of three; Asia-Pacific and Africa.
    assert!(
        (s["femaleShare"].as_f64().expect("share") - 1.0 / 3.0).abs() < 1e-9,
        "{body}"
    );
    assert_eq!(s["regionalGroupsCovered"], 2);
    assert_eq!(s["provenOptimal"], true);
    // Admin sees the same; nothing is written.
    let again = app
        .graphql_as(&w.admin, SUGGEST, json!({"id": meeting}))
        .await;
    assert_eq!(again["data"], body["data"]);
    assert_eq!(app.audit_entries().await, audit);
    for id in [&phl_second, &lao_m, &ben] {
        assert_eq!(status_of(app, &w.staff, id).await, "SUBMITTED");
    }

    // The ISU's only.
    for (token, code) in [
        (Some(w.coordinator.as_str()), "FORBIDDEN"),
        (Some(w.lao.as_str()), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ] {
        let body = app
            .graphql_with(token, SUGGEST, json!({"id": meeting}))
            .await;
        assert_eq!(error_code(&body), Some(code), "{body}");
    }

    // Following it leaves nothing to suggest.
    decided(app, &w.staff, decision(&lao_f, "APPROVED")).await;
    decided(app, &w.staff, decision(&ben, "APPROVED")).await;
    let body = app
        .graphql_as(&w.staff, SUGGEST, json!({"id": meeting}))
        .await;
    let s = &body["data"]["meeting"]["sponsorshipSuggestion"];
    assert_eq!(s["applications"], json!([]), "{body}");
    assert_eq!(s["total"]["amount"], "0.00");
    assert!((s["femaleShare"].as_f64().expect("share") - 1.0 / 3.0).abs() < 1e-9);
    assert_eq!(s["regionalGroupsCovered"], 2);
}

#[tokio::test]
async fn the_suggestion_counts_approved_delegates_for_balance() {
    let w = world().await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_with("1500", "100")).await;
    let apply =
        |code: &'static str, name: &'static str, gender: &'static str, travel: &'static str| {
            let vars = application(&meeting, code, name, gender, travel, 3);
            let admin = w.admin.as_str();
            async move { applied_id(app, admin, vars).await }
        };
    let approved = apply("PHL", "Jose Santos", "MALE", "200").await;
    // Alike in all but one thing: the Philippines already has a delegate. Were approved
    // delegates not counted, the tie would go to the earlier application.
    let phl = apply("PHL", "Maria Cruz", "FEMALE", "700").await;
    let lka = apply("LKA", "Nimali Perera", "FEMALE", "700").await;
    decided(app, &w.staff, decision(&approved, "APPROVED")).await;
    let body = app
        .graphql_as(&w.staff, SUGGEST, json!({"id": meeting}))
        .await;
    let s = &body["data"]["meeting"]["sponsorshipSuggestion"];
    assert_eq!(ids(&s["applications"]), vec![lka], "{body}");
    assert_ne!(ids(&s["applications"]), vec![phl]);
    assert_eq!(s["total"]["amount"], "1000.00");
    assert!((s["femaleShare"].as_f64().expect("share") - 0.5).abs() < 1e-9);
    assert_eq!(s["regionalGroupsCovered"], 1);
    assert_eq!(s["provenOptimal"], true);
}

// ---------------------------------------------------------------------------- concurrency

#[tokio::test]
async fn concurrent_approvals_never_overspend_the_budget() {
    let w = world().await;
    let app = &w.app;
    // Six requests of 400 (100 + 3 × 100) against 1000: two fit.
    let meeting = new_meeting(app, &w.admin, meeting_with("1000", "100")).await;
    let mut applications = Vec::new();
    for code in ["LAO", "PHL", "BEN", "LKA", "MOZ", "AFG"] {
        applications.push(
            applied_id(
                app,
                &w.admin,
                application(
                    &meeting,
                    code,
                    &format!("Delegate of {code}"),
                    "FEMALE",
                    "100",
                    3,
                ),
            )
            .await,
        );
    }
    let audit = app.audit_entries().await;
    let tasks: Vec<_> = applications
        .iter()
        .map(|id| {
            let (client, base, token) = (app.client.clone(), app.base.clone(), w.staff.clone());
            let vars = decision(id, "APPROVED");
            tokio::spawn(async move {
                let body: Value = client
                    .post(format!("{base}/graphql"))
                    .bearer_auth(token)
                    .json(&json!({"query": DECIDE, "variables": vars}))
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
    let mut approved = 0;
    for t in tasks {
        let body = t.await.expect("task");
        let p = &body["data"]["decideSponsorshipApplication"];
        if p["application"]["status"] == "APPROVED" {
            approved += 1;
        } else {
            let (code, _) = refusal(p, "application");
            assert!(
                code == "OVER_BUDGET" || code == "CONFLICT",
                "a refusal, not a fault: {body}"
            );
        }
    }
    assert_eq!(approved, 2, "1000 CHF holds two approvals of 400");
    let row = meeting_row(app, &meeting).await;
    let rows = entity::sponsorship_application::Entity::find()
        .filter(entity::sponsorship_application::Column::MeetingId.eq(row.id))
        .all(&app.db)
        .await
        .expect("rows");
    let approved_rows: Vec<_> = rows
        .iter()
        .filter(|r| r.status == entity::enums::ApplicationStatus::Approved)
        .collect();
    assert_eq!(approved_rows.len(), 2);
    let sum: i64 = approved_rows.iter().filter_map(|r| r.approved_cents).sum();
    assert_eq!(row.committed_cents, sum);
    assert_eq!(row.committed_cents, 80_000);
    assert!(row.committed_cents <= row.sponsorship_budget_cents.unwrap_or(0));
    assert!(
        rows.iter()
            .filter(|r| r.status != entity::enums::ApplicationStatus::Approved)
            .all(|r| r.status == entity::enums::ApplicationStatus::Submitted
                && r.approved_cents.is_none())
    );
    assert_eq!(remaining(app, &w.staff, &meeting).await, "200.00");
    assert_eq!(app.audit_entries().await, audit + 2);
}

// -------------------------------------------------------------------------------- export

#[tokio::test]
async fn the_isu_exports_a_meetings_applications_as_csv() {
    let w = world().await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_input()).await;
    let lao = applied_id(
        app,
        &w.lao,
        application(&meeting, "LAO", "Phonsavanh Vongsa", "FEMALE", "1850", 5),
    )
    .await;
    let mut evil = application(
        &meeting,
        "BEN",
        "=HYPERLINK(\"http://x.test\",\"Koffi\")",
        "MALE",
        "900",
        2,
    );
    evil["input"]["delegate"]["email"] = json!("koffi@mfa.test");
    let ben = applied_id(app, &w.admin, evil).await;
    let mut vars = decision(&lao, "APPROVED");
    vars["input"]["note"] = json!("Priority: clearance");
    decided(app, &w.staff, vars).await;
    let other = new_meeting(app, &w.admin, meeting_input()).await;
    applied_id(
        app,
        &w.lao,
        application(&other, "LAO", "Not In This Export", "MALE", "1", 1),
    )
    .await;

    let get = |path: String, token: Option<String>| {
        let mut req = app.client.get(format!("{}{path}", app.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        async move { req.send().await.expect("get") }
    };
    let path = format!("/exports/sponsorship/{}.csv", meeting.as_str().expect("id"));
    for token in [&w.admin, &w.staff] {
        let resp = get(path.clone(), Some(token.clone())).await;
        assert_eq!(resp.status(), StatusCode::OK);
        let content_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(content_type.starts_with("text/csv"), "{content_type}");
        let text = resp.text().await.expect("text");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .expect("header")
            .iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(
            header,
            [
                "application_id",
                "meeting",
                "state_code",
                "state_name",
                "regional_group",
                "delegate_name",
                "gender",
                "position",
                "email",
                "status",
                "eligible",
                "requested_travel",
                "requested_days",
                "daily_allowance",
                "requested_total",
                "approved_amount",
                "currency",
                "submitted_at",
                "decided_at",
                "decision_note",
            ]
        );
        let rows: Vec<BTreeMap<String, String>> = reader
            .records()
            .map(|r| {
                header
                    .iter()
                    .cloned()
                    .zip(r.expect("record").iter().map(str::to_owned))
                    .collect()
            })
            .collect();
        assert_eq!(rows.len(), 2, "{text}");
        // By State: Benin, then Laos.
        let (b, l) = (&rows[0], &rows[1]);
        assert_eq!(b["application_id"], ben.as_str().expect("id"));
        assert_eq!(
            b["delegate_name"], "'=HYPERLINK(\"http://x.test\",\"Koffi\")",
            "a formula is neutralised: {text}"
        );
        assert_eq!(b["email"], "koffi@mfa.test");
        assert_eq!(b["status"], "SUBMITTED");
        assert_eq!(b["approved_amount"], "");
        assert_eq!(l["application_id"], lao.as_str().expect("id"));
        assert_eq!(l["meeting"], "Fourteenth Meeting of States Parties");
        assert_eq!(l["state_code"], "LAO");
        assert_eq!(l["regional_group"], "ASIA_PACIFIC");
        assert_eq!(l["delegate_name"], "Phonsavanh Vongsa");
        assert_eq!(l["email"], "phonsavanhvongsa@mfa.test");
        assert_eq!(l["gender"], "FEMALE");
        assert_eq!(l["status"], "APPROVED");
        assert_eq!(l["eligible"], "yes");
        assert_eq!(l["requested_travel"], "1850.00");
        assert_eq!(l["requested_days"], "5");
        assert_eq!(l["daily_allowance"], "300.00");
        assert_eq!(l["requested_total"], "3350.00");
        assert_eq!(l["approved_amount"], "3350.00");
        assert_eq!(l["currency"], "CHF");
        assert_eq!(l["decision_note"], "Priority: clearance");
        assert!(!l["decided_at"].is_empty());
        assert!(!text.contains("Not In This Export"));
    }
    for (token, status) in [
        (Some(w.lao.clone()), StatusCode::FORBIDDEN),
        (Some(w.coordinator.clone()), StatusCode::FORBIDDEN),
        (None, StatusCode::UNAUTHORIZED),
    ] {
        assert_eq!(get(path.clone(), token).await.status(), status);
    }
    let unknown = unknown_id("Meeting");
    for missing in [
        format!("/exports/sponsorship/{}.csv", unknown.as_str().expect("id")),
        "/exports/sponsorship/garbage.csv".to_owned(),
        format!("/exports/sponsorship/{}.csv", ben.as_str().expect("id")),
        format!("/exports/sponsorship/{}", meeting.as_str().expect("id")),
    ] {
        assert_eq!(
            get(missing.clone(), Some(w.admin.clone())).await.status(),
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
}
