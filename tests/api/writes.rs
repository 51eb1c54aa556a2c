//! Writes that cannot blow up storage (issue 26, item 6): an update that changes nothing
//! writes nothing; an audit entry keeps what changed, long values cut to a digest; a user
//! may make so many mutations a minute, counted atomically.

use std::sync::Arc;

use entity::{audit_entry, transparency_report};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::*;

const CREATE: &str =
    "mutation($input: CreateTransparencyReportInput!) { createTransparencyReport(input: $input) {
  report { id version } userErrors { field code } } }";
const UPDATE: &str =
    "mutation($input: UpdateTransparencyReportInput!) { updateTransparencyReport(input: $input) {
  report { id version status sections { nationalImplementationMeasures victimAssistance } }
  userErrors { field message code } } }";
const FROM_PREVIOUS: &str = "mutation($input: CreateTransparencyReportFromPreviousInput!) {
  createTransparencyReportFromPrevious(input: $input) { report { id version } userErrors { field code } } }";
const RATE: &str = "mutation($input: SetExchangeRateInput!) { setExchangeRate(input: $input) {
  exchangeRate { currency rateToBase validFrom } userErrors { field code } } }";
const STATE: &str = "mutation($input: UpdateStatePartyInput!) { updateStateParty(input: $input) {
  stateParty { code hasVictims } userErrors { field code } } }";
const NEED: &str =
    "mutation($input: CreateAssistanceNeedInput!) { createAssistanceNeed(input: $input) {
  need { id } userErrors { field code } } }";

/// The most an audit entry may take (the acceptance figure).
const ENTRY_BOUND: usize = 64 * 1024;

async fn app_on_2026() -> TestApp {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
    spawn_app_with(move |s| s.today = Some(day)).await
}

async fn report_of(app: &TestApp, token: &str, year: i32) -> Value {
    let body = app
        .graphql_as(
            token,
            CREATE,
            json!({"input": {"stateCode": "LAO", "kind": "ANNUAL", "reportingYear": year}}),
        )
        .await;
    body["data"]["createTransparencyReport"]["report"]["id"].clone()
}

fn update(id: &Value, version: i64, sections: Value) -> Value {
    json!({"input": {"id": id, "expectedVersion": version, "sections": sections}})
}

async fn row(app: &TestApp, id: &Value) -> transparency_report::Model {
    let uuid = ccm_isu::api::ids::decode_as(id.as_str().expect("id"), "TransparencyReport")
        .expect("report id");
    transparency_report::Entity::find_by_id(uuid)
        .one(&app.db)
        .await
        .expect("query")
        .expect("report")
}

/// The entries about `entity_id`, oldest first.
async fn entries_of(app: &TestApp, entity_id: &str) -> Vec<audit_entry::Model> {
    let mut all = audit_entry::Entity::find()
        .filter(audit_entry::Column::EntityId.eq(entity_id))
        .all(&app.db)
        .await
        .expect("entries");
    all.sort_by_key(|e| e.id);
    all
}

/// What an entry stores: its text columns and its fixed-size ones.
fn stored_bytes(e: &audit_entry::Model) -> usize {
    e.before.as_ref().map_or(0, String::len)
        + e.after.as_ref().map_or(0, String::len)
        + e.action.len()
        + e.entity_type.len()
        + e.entity_id.len()
        + 16 * 2
        + 8
}

/// The bytes of the audit log.
async fn log_bytes(app: &TestApp) -> usize {
    audit_entry::Entity::find()
        .all(&app.db)
        .await
        .expect("entries")
        .iter()
        .map(stored_bytes)
        .sum()
}

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn side(json: Option<&String>) -> Value {
    serde_json::from_str(json.expect("a side")).expect("JSON")
}

#[tokio::test]
async fn twenty_empty_updates_store_nothing_and_keep_the_version() {
    let app = app_on_2026().await;
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let id = report_of(&app, &lao, 2024).await;
    let edited = app
        .graphql_as(
            &lao,
            UPDATE,
            update(
                &id,
                1,
                json!({"nationalImplementationMeasures": "Decree 2011/45"}),
            ),
        )
        .await;
    assert_eq!(
        edited["data"]["updateTransparencyReport"]["report"]["version"], 2,
        "{edited}"
    );
    let (entries, bytes, before) = (
        app.audit_entries().await,
        log_bytes(&app).await,
        row(&app, &id).await,
    );
    let empties = [
        json!({}),
        json!({"nationalImplementationMeasures": "Decree 2011/45"}),
        json!({"stockpiles": []}),
        json!({"nationalImplementationMeasures": "Decree 2011/45", "clearance": []}),
    ];
    for i in 0..20 {
        let body = app
            .graphql_as(
                &lao,
                UPDATE,
                update(&id, 2, empties[i % empties.len()].clone()),
            )
            .await;
        let p = &body["data"]["updateTransparencyReport"];
        assert_eq!(p["userErrors"], json!([]), "{body}");
        assert_eq!(p["report"]["id"], id);
        assert_eq!(p["report"]["version"], 2, "no version bump: {body}");
        assert_eq!(
            p["report"]["sections"]["nationalImplementationMeasures"],
            "Decree 2011/45"
        );
    }
    assert_eq!(app.audit_entries().await, entries, "no entry");
    assert_eq!(log_bytes(&app).await, bytes);
    let after = row(&app, &id).await;
    assert_eq!(after, before, "the row is untouched, updated_at included");

    // A stale version is a conflict, as for any edit: the client's view is out of date.
    let stale = app
        .graphql_as(&lao, UPDATE, update(&id, 1, json!({})))
        .await;
    assert_eq!(
        codes(&stale["data"]["updateTransparencyReport"]),
        vec!["CONFLICT"],
        "{stale}"
    );
    // An edit with the version still applies, once.
    let real = app
        .graphql_as(
            &lao,
            UPDATE,
            update(&id, 2, json!({"victimAssistance": "x"})),
        )
        .await;
    assert_eq!(
        real["data"]["updateTransparencyReport"]["report"]["version"],
        3
    );
    assert_eq!(app.audit_entries().await, entries + 1);
}

#[tokio::test]
async fn other_updates_that_change_nothing_store_nothing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let rate =
        json!({"input": {"currency": "EUR", "rateToBase": "0.95", "validFrom": "2026-01-01"}});
    let first = app.graphql_as(&admin, RATE, rate.clone()).await;
    assert_eq!(
        first["data"]["setExchangeRate"]["userErrors"],
        json!([]),
        "{first}"
    );
    let state = json!({"input": {"code": "LAO", "hasVictims": true}});
    app.graphql_as(&admin, STATE, state.clone()).await;
    let entries = app.audit_entries().await;
    for _ in 0..5 {
        let again = app.graphql_as(&admin, RATE, rate.clone()).await;
        assert_eq!(
            again["data"]["setExchangeRate"]["exchangeRate"]["rateToBase"], "0.95",
            "{again}"
        );
        // The same rate written another way is the same rate.
        let same = json!({"input": {"currency": "eur", "rateToBase": "0.9500", "validFrom": "2026-01-01"}});
        let again = app.graphql_as(&admin, RATE, same).await;
        assert_eq!(
            again["data"]["setExchangeRate"]["userErrors"],
            json!([]),
            "{again}"
        );
        let again = app.graphql_as(&admin, STATE, state.clone()).await;
        assert_eq!(
            again["data"]["updateStateParty"]["stateParty"]["hasVictims"],
            true
        );
    }
    assert_eq!(app.audit_entries().await, entries);
}

#[tokio::test]
async fn a_section_edit_of_any_size_stores_an_entry_under_64_kib_with_its_digest() {
    let app = app_on_2026().await;
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let id = report_of(&app, &lao, 2024).await;
    let uuid = row(&app, &id).await.id.to_string();

    // 5 MB in one section is more than a request may carry: refused, nothing written.
    let entries = app.audit_entries().await;
    let huge = app
        .client
        .post(format!("{}/graphql", app.base))
        .bearer_auth(&lao)
        .json(&json!({"query": UPDATE, "variables": update(&id, 1, json!({"victimAssistance": "x".repeat(5 * 1024 * 1024)}))}))
        .send()
        .await
        .expect("sent");
    assert_eq!(huge.status(), 413);
    assert_eq!(app.audit_entries().await, entries);
    assert_eq!(row(&app, &id).await.version, 1);

    // The largest that is accepted: 100 000 characters a section, three bytes each, as many
    // sections and list entries as a request carries, over three edits.
    let long = |c: &str| c.repeat(100_000);
    let cooperation: Vec<Value> = (0..1_000)
        .map(|i| {
            json!({"recipient": format!("Recipient {i}"), "thematicArea": "CLEARANCE",
            "description": "d".repeat(300)})
        })
        .collect();
    let edits = [
        json!({"nationalImplementationMeasures": long("€"), "productionFacilities": long("₭"),
            "riskReductionEducation": long("₮")}),
        json!({"nationalContact": long("₩"), "cooperationProvided": cooperation}),
        json!({"victimAssistance": long("€")}),
        json!({"victimAssistance": long("₩")}),
    ];
    for (i, sections) in edits.iter().enumerate() {
        let version = i64::try_from(i).expect("small") + 1;
        let body = app
            .graphql_as(&lao, UPDATE, update(&id, version, sections.clone()))
            .await;
        let p = &body["data"]["updateTransparencyReport"];
        assert_eq!(p["userErrors"], json!([]), "edit {i}: {}", p["userErrors"]);
        assert_eq!(p["report"]["version"], version + 1);
    }
    assert!(
        row(&app, &id).await.sections.len() > 1_700_000,
        "a large report"
    );
    let updates = entries_of(&app, &uuid).await;
    assert_eq!(updates.len(), 5, "created, then four edits");
    for e in &updates {
        assert!(stored_bytes(e) < ENTRY_BOUND, "{} bytes", stored_bytes(e));
    }
    // The last edit: only the section that changed, cut, with its length and digest.
    let last = updates.last().expect("entry");
    let (before, after) = (side(last.before.as_ref()), side(last.after.as_ref()));
    assert_eq!(after["id"], uuid);
    assert_eq!(
        after["sections"]
            .as_object()
            .map(|s| s.keys().collect::<Vec<_>>()),
        Some(vec![&"victimAssistance".to_owned()]),
        "{after}"
    );
    let cut = &after["sections"]["victimAssistance"]["$cut"];
    assert_eq!(cut["bytes"], 300_000);
    assert_eq!(cut["sha256"], sha256(&long("₩")));
    assert!(long("₩").starts_with(cut["prefix"].as_str().expect("prefix")));
    assert_eq!(
        before["sections"]["victimAssistance"]["$cut"]["sha256"],
        sha256(&long("€"))
    );
    assert_eq!(
        (before["version"].clone(), after["version"].clone()),
        (json!(4), json!(5))
    );
    assert_eq!(after.get("status"), None, "unchanged fields are left out");
    eprintln!(
        "entry sizes for edits of a {} byte report: {:?}",
        row(&app, &id).await.sections.len(),
        updates.iter().map(stored_bytes).collect::<Vec<_>>()
    );

    // A report created from it is bounded the same way.
    let copy = app
        .graphql_as(
            &lao,
            FROM_PREVIOUS,
            json!({"input": {"stateCode": "LAO", "reportingYear": 2025}}),
        )
        .await;
    let copy_id = copy["data"]["createTransparencyReportFromPrevious"]["report"]["id"].clone();
    assert!(copy_id.is_string(), "{copy}");
    let created = entries_of(&app, &row(&app, &copy_id).await.id.to_string()).await;
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].before, None);
    assert!(stored_bytes(&created[0]) < ENTRY_BOUND);
    let after = side(created[0].after.as_ref());
    assert_eq!(after["status"], "DRAFT", "a creation keeps every field");
    assert_eq!(
        after["sections"]["victimAssistance"]["$cut"]["sha256"],
        sha256(&long("₩"))
    );
}

fn need_input(code: &str) -> Value {
    json!({"stateCode": code, "thematicArea": "CLEARANCE", "assistanceTypes": ["FINANCIAL"],
        "title": "Clearance support", "periodStart": "2026-01-01", "periodEnd": "2026-12-31"})
}

async fn need(app: &TestApp, token: &str, code: &str) -> reqwest::Response {
    app.client
        .post(format!("{}/graphql", app.base))
        .bearer_auth(token)
        .header("accept", "application/graphql-response+json")
        .json(&json!({"query": NEED, "variables": {"input": need_input(code)}}))
        .send()
        .await
        .expect("sent")
}

async fn needs(app: &TestApp) -> u64 {
    entity::assistance_need::Entity::find()
        .count(&app.db)
        .await
        .expect("count")
}

/// Whether a response is a created need (true) or a RATE_LIMITED refusal (false), checking
/// the status and body of each.
async fn accepted(resp: reqwest::Response) -> bool {
    let status = resp.status();
    let retry = resp.headers().get("retry-after").cloned();
    let body: Value = resp.json().await.expect("JSON");
    if body["data"]["createAssistanceNeed"]["need"]["id"].is_string() {
        assert_eq!(status, 200);
        return true;
    }
    assert_eq!(status, 429, "{body}");
    assert_eq!(error_code(&body), Some("RATE_LIMITED"), "{body}");
    assert_eq!(body.get("data"), None, "nothing ran: {body}");
    let secs: u64 = retry
        .and_then(|v| v.to_str().ok().and_then(|s| s.parse().ok()))
        .expect("Retry-After in seconds");
    assert!((1..=60).contains(&secs), "{secs}");
    false
}

#[tokio::test]
async fn past_the_limit_a_users_mutations_are_refused_and_write_nothing() {
    let app = spawn_app_with(|s| {
        s.writes.writes_per_minute = 3;
        s.writes.staff_writes_per_minute = 8;
    })
    .await;
    let email = app.create_user("DELEGATION", Some("LAO"), &[]).await;
    let session = app.login(&email, PASSWORD).await;
    let lao = token_of(&session);
    for _ in 0..3 {
        assert!(accepted(need(&app, &lao, "LAO").await).await);
    }
    let (entries, stored) = (app.audit_entries().await, needs(&app).await);
    assert!(!accepted(need(&app, &lao, "LAO").await).await);
    assert_eq!(
        (app.audit_entries().await, needs(&app).await),
        (entries, stored)
    );
    // Reads still run, and so do the session's own mutations.
    let me = app.graphql_as(&lao, "{ me { email } }", json!({})).await;
    assert!(me["data"]["me"]["email"].is_string(), "{me}");
    let out = app
        .graphql_as(
            &lao,
            "mutation($t: String!) { logout(input: {refreshToken: $t}) { ok } }",
            json!({"t": session["refreshToken"]}),
        )
        .await;
    assert_eq!(out["data"]["logout"]["ok"], true, "{out}");

    // Another user has its own allowance. Each top-level mutation counts, and an operation
    // is admitted whole or not at all.
    let irq = app.token_for("DELEGATION", Some("IRQ")).await;
    let pair = "mutation($a: CreateAssistanceNeedInput!, $b: CreateAssistanceNeedInput!) {
      a: createAssistanceNeed(input: $a) { need { id } } b: createAssistanceNeed(input: $b) { need { id } } }";
    let both = json!({"a": need_input("IRQ"), "b": need_input("IRQ")});
    let body = app.graphql_as(&irq, pair, both.clone()).await;
    assert!(body["data"]["b"]["need"]["id"].is_string(), "{body}");
    let stored = needs(&app).await;
    let body = app.graphql_as(&irq, pair, both).await;
    assert_eq!(error_code(&body), Some("RATE_LIMITED"), "2 + 2 > 3: {body}");
    assert_eq!(needs(&app).await, stored, "neither was written");
    assert!(accepted(need(&app, &irq, "IRQ").await).await, "2 + 1 = 3");
    assert!(!accepted(need(&app, &irq, "IRQ").await).await);

    // A batch counts each operation: those past the limit are refused, the others run.
    let other = app.token_for("DELEGATION", Some("LAO")).await;
    let op = json!({"query": NEED, "variables": {"input": need_input("LAO")}});
    let resp = app
        .client
        .post(format!("{}/graphql", app.base))
        .bearer_auth(&other)
        .header("accept", "application/graphql-response+json")
        .json(&json!([op, op, op, op]))
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status(), 200, "some ran");
    let body: Value = resp.json().await.expect("JSON");
    let ran: Vec<bool> = body
        .as_array()
        .expect("a batch")
        .iter()
        .map(|r| r["data"]["createAssistanceNeed"]["need"]["id"].is_string())
        .collect();
    assert_eq!(ran, [true, true, true, false], "{body}");
    assert_eq!(error_code(&body[3]), Some("RATE_LIMITED"));

    // ISU staff have a larger allowance.
    let staff = app.token_for("ISU_STAFF", None).await;
    let mut admitted = 0;
    for _ in 0..10 {
        admitted += usize::from(accepted(need(&app, &staff, "LAO").await).await);
    }
    assert_eq!(admitted, 8);
}

#[tokio::test]
async fn concurrent_mutations_past_the_limit_admit_exactly_the_limit() {
    let app = Arc::new(
        spawn_app_with(|s| {
            s.writes.writes_per_minute = 5;
        })
        .await,
    );
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let (entries, stored) = (app.audit_entries().await, needs(&app).await);
    let mut sent = tokio::task::JoinSet::new();
    for _ in 0..30 {
        let (app, lao) = (Arc::clone(&app), lao.clone());
        sent.spawn(async move { accepted(need(&app, &lao, "LAO").await).await });
    }
    let mut admitted = 0;
    while let Some(ok) = sent.join_next().await {
        admitted += usize::from(ok.expect("task"));
    }
    assert_eq!(admitted, 5);
    assert_eq!(needs(&app).await, stored + 5);
    assert_eq!(app.audit_entries().await, entries + 5);
}
