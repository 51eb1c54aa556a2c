//! The States registry's obligations over HTTP: the engine fed from the database, with
//! "today" pinned by ISU_TODAY, extensions, registry corrections, and deadline lists.

use chrono::NaiveDate;
use entity::enums::{ReportKind, ReportStatus};
use entity::transparency_report;
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{Value, json};

use crate::helpers::*;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

/// The server with today pinned to 1 March 2025.
async fn app_on_2025_03_01() -> TestApp {
    spawn_app_with(|s| s.today = Some(date("2025-03-01"))).await
}

const OBLIGATIONS: &str =
    "query($c: String!, $status: [ObligationStatus!], $kinds: [ObligationKind!]) {
  stateParty(code: $c) {
    entryIntoForce
    obligations(status: $status, kinds: $kinds) {
      kind article reportingYear dueDate originalDueDate extended status fulfilledOn daysRemaining
    }
    extensions { kind previousDeadline newDeadline grantedOn grantedAt }
  }
}";

async fn obligations(app: &TestApp, code: &str, vars: Value) -> Value {
    let mut v = json!({"c": code});
    if let (Some(o), Some(extra)) = (v.as_object_mut(), vars.as_object()) {
        o.extend(extra.clone());
    }
    let body = app.graphql(OBLIGATIONS, v).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["stateParty"].clone()
}

fn find<'a>(list: &'a Value, kind: &str, year: Option<i64>) -> &'a Value {
    list["obligations"]
        .as_array()
        .expect("obligations")
        .iter()
        .find(|o| o["kind"] == kind && o["reportingYear"].as_i64() == year)
        .unwrap_or_else(|| panic!("no {kind} {year:?} in {list}"))
}

/// Inserts a report directly, as the reports workflow would leave it.
async fn insert_report(
    app: &TestApp,
    code: &str,
    kind: ReportKind,
    year: i32,
    status: ReportStatus,
    submitted: Option<&str>,
) {
    let t = ccm_isu::kernel::clock::now();
    transparency_report::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        state_code: Set(code.into()),
        kind: Set(kind),
        reporting_year: Set(year),
        status: Set(status),
        version: Set(1),
        due_date: Set(date("2025-04-30")),
        submitted_at: Set(submitted.map(|d| date(d).and_hms_opt(10, 0, 0).expect("time").and_utc())),
        on_time: Set(None),
        published_at: Set(None),
        sections: Set("{}".into()),
        created_at: Set(t),
        updated_at: Set(t),
    }
    .insert(&app.db)
    .await
    .expect("insert report");
}

#[tokio::test]
async fn lao_pdr_on_1_march_2025_owes_its_2024_report_by_30_april() {
    let app = app_on_2025_03_01().await;
    let lao = obligations(&app, "LAO", json!({})).await;
    assert_eq!(lao["entryIntoForce"], "2010-08-01");
    let annual = find(&lao, "ANNUAL_TRANSPARENCY_REPORT", Some(2024));
    assert_eq!(annual["dueDate"], "2025-04-30");
    assert_eq!(annual["status"], "DUE_SOON");
    assert_eq!(annual["daysRemaining"], 60);
    assert_eq!(annual["article"], "Article 7(2)");
    let initial = find(&lao, "INITIAL_TRANSPARENCY_REPORT", None);
    assert_eq!(initial["dueDate"], "2011-01-28");
    assert_eq!(initial["status"], "OVERDUE");
    let clearance = find(&lao, "CLEARANCE", None);
    assert_eq!(clearance["dueDate"], "2020-08-01");
    assert_eq!(clearance["extended"], false);
    // The list ends with the next report due after today.
    let last = lao["obligations"]
        .as_array()
        .and_then(|a| a.last())
        .cloned()
        .expect("last");
    assert_eq!(last["reportingYear"], 2024);
}

#[tokio::test]
async fn submitted_reports_fulfil_obligations_and_drafts_do_not() {
    let app = app_on_2025_03_01().await;
    insert_report(
        &app,
        "LAO",
        ReportKind::Annual,
        2023,
        ReportStatus::Submitted,
        Some("2024-05-20"),
    )
    .await;
    insert_report(
        &app,
        "LAO",
        ReportKind::Annual,
        2022,
        ReportStatus::Draft,
        None,
    )
    .await;
    let lao = obligations(&app, "LAO", json!({})).await;
    let late = find(&lao, "ANNUAL_TRANSPARENCY_REPORT", Some(2023));
    assert_eq!(late["status"], "MET");
    assert_eq!(late["fulfilledOn"], "2024-05-20");
    assert_eq!(
        find(&lao, "ANNUAL_TRANSPARENCY_REPORT", Some(2022))["status"],
        "OVERDUE"
    );

    let met = obligations(&app, "LAO", json!({"status": ["MET"]})).await;
    assert_eq!(met["obligations"].as_array().map(Vec::len), Some(1));
    let filtered = obligations(
        &app,
        "LAO",
        json!({"kinds": ["CLEARANCE"], "status": ["OVERDUE"]}),
    )
    .await;
    assert_eq!(filtered["obligations"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn signatories_owe_nothing_and_a_withdrawn_state_nothing_after_withdrawal() {
    let app = app_on_2025_03_01().await;
    let ago = obligations(&app, "AGO", json!({})).await;
    assert_eq!(ago["obligations"], json!([]));
    assert_eq!(ago["entryIntoForce"], Value::Null);
    let ltu = obligations(&app, "LTU", json!({})).await;
    let list = ltu["obligations"].as_array().expect("list");
    assert!(!list.is_empty());
    assert!(
        list.iter()
            .all(|o| o["dueDate"].as_str() <= Some("2025-03-06")),
        "{ltu}"
    );
}

const UPDATE: &str = "mutation($input: UpdateStatePartyInput!) { updateStateParty(input: $input) {
  stateParty { code name status depositDate entryIntoForce holdsStockpiles contaminated }
  userErrors { field message code } } }";

#[tokio::test]
async fn an_administrator_corrects_a_deposit_and_entry_into_force_follows() {
    let app = app_on_2025_03_01().await;
    let admin = app.admin_token().await;
    let audit = app.audit_entries().await;
    let body = app
        .graphql_as(
            &admin,
            UPDATE,
            json!({"input": {"code": "afg", "depositDate": "2011-09-30", "holdsStockpiles": true}}),
        )
        .await;
    let payload = &body["data"]["updateStateParty"];
    assert_eq!(payload["userErrors"], json!([]), "{body}");
    assert_eq!(payload["stateParty"]["entryIntoForce"], "2012-03-01");
    assert_eq!(payload["stateParty"]["holdsStockpiles"], true);
    let body = app
        .graphql_as(
            &admin,
            UPDATE,
            json!({"input": {"code": "AFG", "depositDate": "2011-10-01"}}),
        )
        .await;
    assert_eq!(
        body["data"]["updateStateParty"]["stateParty"]["entryIntoForce"],
        "2012-04-01"
    );
    assert_eq!(app.audit_entries().await, audit + 2, "one entry per update");
    let log = app
        .graphql_as(&admin, "{ auditLog(first: 1, filter: {entityType: \"StateParty\", entityId: \"AFG\"}) { edges { node { action before after } } } }", json!({}))
        .await;
    let entry = &log["data"]["auditLog"]["edges"][0]["node"];
    assert_eq!(entry["action"], "updateStateParty");
    assert!(
        entry["before"]
            .as_str()
            .is_some_and(|b| b.contains("2011-09-30")),
        "{entry}"
    );
    assert!(
        entry["after"]
            .as_str()
            .is_some_and(|a| a.contains("2011-10-01")),
        "{entry}"
    );
}

#[tokio::test]
async fn refused_registry_updates_write_nothing() {
    let app = app_on_2025_03_01().await;
    let admin = app.admin_token().await;
    let delegation = app.token_for("DELEGATION", Some("LAO")).await;
    let before = app.audit_entries().await;
    for (token, input, code, field) in [
        (
            &delegation,
            json!({"code": "LAO", "name": "Laos"}),
            "FORBIDDEN",
            Value::Null,
        ),
        (
            &admin,
            json!({"code": "XXX", "name": "Nowhere"}),
            "NOT_FOUND",
            json!(["input", "code"]),
        ),
        (
            &admin,
            json!({"code": "AFG", "depositDate": "2008-11-01"}),
            "INVALID_INPUT",
            json!(["input", "depositDate"]),
        ),
        (
            &admin,
            json!({"code": "AFG", "depositDate": null}),
            "INVALID_INPUT",
            json!(["input", "depositDate"]),
        ),
        (
            &admin,
            json!({"code": "AFG", "status": "WITHDRAWN"}),
            "INVALID_INPUT",
            json!(["input", "withdrawalEffectiveDate"]),
        ),
        (
            &admin,
            json!({"code": "AFG", "depositDate": "2030-01-01"}),
            "INVALID_INPUT",
            json!(["input", "depositDate"]),
        ),
        (
            &admin,
            json!({"code": "AFG", "name": "  "}),
            "INVALID_INPUT",
            json!(["input", "name"]),
        ),
        (
            &admin,
            json!({"code": "AGO", "depositDate": "2020-01-01"}),
            "INVALID_INPUT",
            json!(["input", "depositDate"]),
        ),
    ] {
        let body = app.graphql_as(token, UPDATE, json!({"input": input})).await;
        let payload = &body["data"]["updateStateParty"];
        assert_eq!(payload["stateParty"], Value::Null, "{input}: {body}");
        assert_eq!(payload["userErrors"][0]["code"], code, "{input}: {body}");
        if !field.is_null() {
            assert_eq!(payload["userErrors"][0]["field"], field, "{input}: {body}");
        }
    }
    let anonymous = app
        .graphql(UPDATE, json!({"input": {"code": "LAO", "name": "Laos"}}))
        .await;
    assert_eq!(
        anonymous["data"]["updateStateParty"]["userErrors"][0]["code"],
        "UNAUTHENTICATED"
    );

    // An impossible date never reaches the resolver.
    let body = app
        .graphql_as(
            &admin,
            UPDATE,
            json!({"input": {"code": "AFG", "depositDate": "2024-02-30"}}),
        )
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert_eq!(app.audit_entries().await, before);
    let afg = obligations(&app, "AFG", json!({})).await;
    assert_eq!(afg["entryIntoForce"], "2012-03-01");
}

const EXTEND: &str =
    "mutation($input: RecordDeadlineExtensionInput!) { recordDeadlineExtension(input: $input) {
  extension { id kind previousDeadline newDeadline grantedOn grantedAt state { code } }
  userErrors { field message code } } }";

#[tokio::test]
async fn extensions_move_the_deadline_within_the_treatys_step_and_are_listed() {
    let app = app_on_2025_03_01().await;
    let admin = app.admin_token().await;
    let ext = |deadline: &str, granted: &str| json!({"input": {"stateCode": "LAO", "kind": "CLEARANCE", "newDeadline": deadline, "grantedOn": granted, "grantedAt": "10MSP"}});
    let body = app
        .graphql_as(&admin, EXTEND, ext("2025-08-01", "2019-09-04"))
        .await;
    let e = &body["data"]["recordDeadlineExtension"];
    assert_eq!(e["userErrors"], json!([]), "{body}");
    assert_eq!(e["extension"]["previousDeadline"], "2020-08-01");
    assert_eq!(e["extension"]["state"]["code"], "LAO");
    // A second extension is measured from the first.
    let body = app
        .graphql_as(&admin, EXTEND, ext("2030-08-01", "2024-09-10"))
        .await;
    assert_eq!(
        body["data"]["recordDeadlineExtension"]["extension"]["previousDeadline"], "2025-08-01",
        "{body}"
    );

    let lao = obligations(&app, "LAO", json!({})).await;
    let clearance = find(&lao, "CLEARANCE", None);
    assert_eq!(clearance["dueDate"], "2030-08-01");
    assert_eq!(clearance["originalDueDate"], "2020-08-01");
    assert_eq!(clearance["extended"], true);
    assert_eq!(clearance["status"], "UPCOMING");
    assert_eq!(lao["extensions"].as_array().map(Vec::len), Some(2));
    assert_eq!(lao["extensions"][1]["newDeadline"], "2030-08-01");
}

#[tokio::test]
async fn refused_extensions_write_nothing() {
    let app = app_on_2025_03_01().await;
    let admin = app.admin_token().await;
    let delegation = app.token_for("DELEGATION", Some("LAO")).await;
    let before = app.audit_entries().await;
    let input = |code: &str, kind: &str, deadline: &str, granted: &str| json!({"input": {"stateCode": code, "kind": kind, "newDeadline": deadline, "grantedOn": granted}});
    for (token, vars, code, field) in [
        (
            &delegation,
            input("LAO", "CLEARANCE", "2025-08-01", "2019-09-04"),
            "FORBIDDEN",
            Value::Null,
        ),
        (
            &admin,
            input("XXX", "CLEARANCE", "2025-08-01", "2019-09-04"),
            "NOT_FOUND",
            json!(["input", "stateCode"]),
        ),
        (
            &admin,
            input("LAO", "CLEARANCE", "2020-08-01", "2019-09-04"),
            "INVALID_INPUT",
            json!(["input", "newDeadline"]),
        ),
        (
            &admin,
            input("LAO", "CLEARANCE", "2025-08-02", "2019-09-04"),
            "INVALID_INPUT",
            json!(["input", "newDeadline"]),
        ),
        (
            &admin,
            input("LAO", "STOCKPILE_DESTRUCTION", "2020-08-01", "2019-09-04"),
            "INVALID_INPUT",
            json!(["input", "kind"]),
        ),
        (
            &admin,
            input(
                "LAO",
                "ANNUAL_TRANSPARENCY_REPORT",
                "2025-08-01",
                "2019-09-04",
            ),
            "INVALID_INPUT",
            json!(["input", "kind"]),
        ),
        (
            &admin,
            input("AGO", "CLEARANCE", "2025-08-01", "2019-09-04"),
            "INVALID_INPUT",
            json!(["input", "kind"]),
        ),
        (
            &admin,
            input("LAO", "CLEARANCE", "2025-08-01", "2026-01-01"),
            "INVALID_INPUT",
            json!(["input", "grantedOn"]),
        ),
    ] {
        let body = app.graphql_as(token, EXTEND, vars.clone()).await;
        let payload = &body["data"]["recordDeadlineExtension"];
        assert_eq!(payload["extension"], Value::Null, "{vars}: {body}");
        assert_eq!(payload["userErrors"][0]["code"], code, "{vars}: {body}");
        if !field.is_null() {
            assert_eq!(payload["userErrors"][0]["field"], field, "{vars}: {body}");
        }
    }
    let body = app
        .graphql_as(
            &admin,
            EXTEND,
            input("LAO", "CLEARANCE", "2025-02-30", "2019-09-04"),
        )
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert_eq!(app.audit_entries().await, before);
    let lao = obligations(&app, "LAO", json!({})).await;
    assert_eq!(lao["extensions"], json!([]));
}

const UPCOMING: &str = "query($d: Int!, $kinds: [ObligationKind!], $first: Int, $after: String) {
  upcomingDeadlines(withinDays: $d, kinds: $kinds, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { state { code } kind reportingYear dueDate status daysRemaining } } } }";

fn nodes(body: &Value, field: &str) -> Vec<Value> {
    body["data"][field]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

#[tokio::test]
async fn upcoming_deadlines_are_ordered_by_date_then_state_and_page_by_cursor() {
    let app = app_on_2025_03_01().await;
    let body = app.graphql(UPCOMING, json!({"d": 90, "first": 100})).await;
    let all = nodes(&body, "upcomingDeadlines");
    let total = body["data"]["upcomingDeadlines"]["totalCount"]
        .as_u64()
        .expect("total");
    assert!(total > 50, "most States owe the 2024 report: {total}");
    assert!(
        all.iter()
            .all(|o| (0..=90).contains(&o["daysRemaining"].as_i64().unwrap_or(-1)))
    );
    assert!(all.iter().all(|o| o["status"] == "DUE_SOON"));
    let keys: Vec<(String, String)> = all
        .iter()
        .map(|o| {
            (
                o["dueDate"].as_str().unwrap_or_default().to_owned(),
                o["state"]["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);

    // Paging by 7 walks the same list.
    let mut paged = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let body = app
            .graphql(UPCOMING, json!({"d": 90, "first": 7, "after": after}))
            .await;
        paged.extend(nodes(&body, "upcomingDeadlines"));
        let info = &body["data"]["upcomingDeadlines"]["pageInfo"];
        if info["hasNextPage"] == false {
            break;
        }
        after = info["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(paged.len() as u64, total);
    assert_eq!(
        paged.iter().take(all.len()).cloned().collect::<Vec<_>>(),
        all
    );

    let body = app
        .graphql(UPCOMING, json!({"d": 3000, "kinds": ["CLEARANCE"]}))
        .await;
    let clearance = nodes(&body, "upcomingDeadlines");
    assert!(clearance.iter().all(|o| o["kind"] == "CLEARANCE"));
    let body = app.graphql(UPCOMING, json!({"d": -1})).await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
}

#[tokio::test]
async fn overdue_obligations_are_all_past_due_and_unfulfilled() {
    let app = app_on_2025_03_01().await;
    let q = "query($kinds: [ObligationKind!], $first: Int) { overdueObligations(kinds: $kinds, first: $first) {
      totalCount edges { node { state { code name regionalGroup } kind reportingYear dueDate daysRemaining } } } }";
    let body = app.graphql(q, json!({"first": 100})).await;
    let all = nodes(&body, "overdueObligations");
    assert!(!all.is_empty());
    assert!(all.iter().all(
        |o| o["daysRemaining"].as_i64() < Some(0) && o["dueDate"].as_str() < Some("2025-03-01")
    ));
    assert_eq!(
        error_code(&app.graphql(q, json!({"first": -5})).await),
        Some("INVALID_ARGUMENT")
    );
    let body = app
        .graphql(q, json!({"kinds": ["CLEARANCE"], "first": 100}))
        .await;
    let clearance = nodes(&body, "overdueObligations");
    assert!(clearance.iter().any(|o| o["state"]["code"] == "LAO"));
    assert!(clearance.iter().all(|o| o["kind"] == "CLEARANCE"));
}

#[tokio::test]
async fn a_delegation_sees_its_own_deadlines_under_me() {
    let app = app_on_2025_03_01().await;
    let token = app.token_for("DELEGATION", Some("LAO")).await;
    let q = "{ me { state { code obligations(status: [UPCOMING, DUE_SOON, OVERDUE]) { kind status } } } }";
    let body = app.graphql_as(&token, q, json!({})).await;
    let state = &body["data"]["me"]["state"];
    assert_eq!(state["code"], "LAO");
    let list = state["obligations"].as_array().expect("list");
    assert!(
        list.iter()
            .any(|o| o["kind"] == "ANNUAL_TRANSPARENCY_REPORT" && o["status"] == "DUE_SOON")
    );
    assert!(list.iter().all(|o| o["status"] != "MET"));
}

#[tokio::test]
async fn the_has_obligation_filter_finds_states_bound_by_that_article() {
    let app = app_on_2025_03_01().await;
    let q = "query($k: ObligationKind) { stateParties(first: 100, filter: {hasObligation: $k}) { totalCount edges { node { code status contaminated } } } }";
    let body = app.graphql(q, json!({"k": "CLEARANCE"})).await;
    let states = nodes(&body, "stateParties");
    assert!(states.iter().any(|s| s["code"] == "LAO"));
    assert!(
        states
            .iter()
            .all(|s| s["contaminated"] == true && s["status"] != "SIGNATORY")
    );
    let body = app
        .graphql(q, json!({"k": "INITIAL_TRANSPARENCY_REPORT"}))
        .await;
    assert_eq!(
        body["data"]["stateParties"]["totalCount"], 113,
        "112 States parties and Lithuania"
    );
}

#[tokio::test]
async fn drafts_are_visible_only_to_their_state_and_the_isu() {
    let app = app_on_2025_03_01().await;
    insert_report(
        &app,
        "LAO",
        ReportKind::Annual,
        2024,
        ReportStatus::Draft,
        None,
    )
    .await;
    insert_report(
        &app,
        "LAO",
        ReportKind::Annual,
        2023,
        ReportStatus::Published,
        Some("2024-04-01"),
    )
    .await;
    let q = "{ stateParty(code: \"LAO\") { transparencyReports(first: 5) { totalCount edges { node { id reportingYear status } } } } }";
    let count =
        |body: &Value| body["data"]["stateParty"]["transparencyReports"]["totalCount"].as_i64();
    assert_eq!(
        count(&app.graphql(q, json!({})).await),
        Some(1),
        "anonymous: published only"
    );
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    assert_eq!(count(&app.graphql_as(&lao, q, json!({})).await), Some(2));
    let staff = app.token_for("ISU_STAFF", None).await;
    assert_eq!(count(&app.graphql_as(&staff, q, json!({})).await), Some(2));
    let other = app.token_for("DELEGATION", Some("IRQ")).await;
    assert_eq!(count(&app.graphql_as(&other, q, json!({})).await), Some(1));
    let coordinator = app.token_for("COORDINATOR", None).await;
    assert_eq!(
        count(&app.graphql_as(&coordinator, q, json!({})).await),
        Some(1)
    );

    let body = app.graphql_as(&lao, q, json!({})).await;
    let draft = body["data"]["stateParty"]["transparencyReports"]["edges"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["node"]["status"] == "DRAFT"))
        .map(|e| e["node"]["id"].clone())
        .expect("draft");
    let node =
        "query($id: ID!) { node(id: $id) { id ... on TransparencyReport { reportingYear } } }";
    assert_eq!(
        app.graphql_as(&lao, node, json!({"id": draft})).await["data"]["node"]["reportingYear"],
        2024
    );
    assert_eq!(
        app.graphql_as(&other, node, json!({"id": draft})).await["data"]["node"],
        Value::Null
    );
    assert_eq!(
        app.graphql(node, json!({"id": draft})).await["data"]["node"],
        Value::Null
    );
}

async fn ics(app: &TestApp, path: &str) -> (reqwest::StatusCode, String, String) {
    let resp = app
        .client
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .expect("get");
    let status = resp.status();
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, content_type, resp.text().await.expect("text"))
}

fn events(text: &str) -> Vec<(String, String, String)> {
    let unfolded = icalendar::parser::unfold(text);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("valid iCalendar");
    cal.components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .map(|e| {
            let prop = |n: &str| {
                e.properties
                    .iter()
                    .find(|p| p.name.as_str() == n)
                    .map(|p| p.val.as_str().to_owned())
                    .unwrap_or_default()
            };
            assert_eq!(
                e.components
                    .iter()
                    .filter(|a| a.name.as_str() == "VALARM")
                    .count(),
                1,
                "one reminder per event"
            );
            (prop("UID"), prop("DTSTART"), prop("SUMMARY"))
        })
        .collect()
}

#[tokio::test]
async fn a_states_calendar_lists_its_open_obligations_with_stable_uids() {
    let app = app_on_2025_03_01().await;
    let (status, content_type, text) = ics(&app, "/calendar/LAO.ics").await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert!(content_type.starts_with("text/calendar"), "{content_type}");
    let list = events(&text);
    let open = obligations(
        &app,
        "LAO",
        json!({"status": ["UPCOMING", "DUE_SOON", "OVERDUE"]}),
    )
    .await;
    assert_eq!(
        list.len(),
        open["obligations"].as_array().map(Vec::len).unwrap_or(0)
    );
    let annual = list
        .iter()
        .find(|(uid, _, _)| uid == "LAO-ANNUAL_TRANSPARENCY_REPORT-2024@ccm-isu")
        .expect("2024 report event");
    assert_eq!(annual.1, "20250430");
    assert!(annual.2.contains("Article 7(2)"), "{annual:?}");

    // An extension moves the clearance event; its UID stays.
    let admin = app.admin_token().await;
    app.graphql_as(&admin, EXTEND, json!({"input": {"stateCode": "LAO", "kind": "CLEARANCE", "newDeadline": "2025-08-01", "grantedOn": "2019-09-04"}}))
        .await;
    let (_, _, text) = ics(&app, "/calendar/lao.ics").await;
    let clearance: Vec<_> = events(&text)
        .into_iter()
        .filter(|(uid, _, _)| uid == "LAO-CLEARANCE@ccm-isu")
        .collect();
    assert_eq!(clearance.len(), 1);
    assert_eq!(clearance[0].1, "20250801");
}

#[tokio::test]
async fn the_all_states_calendar_and_unknown_codes() {
    let app = app_on_2025_03_01().await;
    let (status, _, text) = ics(&app, "/calendar/all.ics").await;
    assert_eq!(status, reqwest::StatusCode::OK);
    let list = events(&text);
    assert!(list.len() > 200, "{}", list.len());
    let uids: std::collections::HashSet<_> = list.iter().map(|(u, _, _)| u.clone()).collect();
    assert_eq!(uids.len(), list.len(), "UIDs are unique");
    assert!(list.iter().any(|(u, _, _)| u.starts_with("LAO-")));
    let (_, _, signatory) = ics(&app, "/calendar/AGO.ics").await;
    assert!(events(&signatory).is_empty());
    assert_eq!(
        ics(&app, "/calendar/XXX.ics").await.0,
        reqwest::StatusCode::NOT_FOUND
    );
    assert_eq!(
        ics(&app, "/calendar/LAO.txt").await.0,
        reqwest::StatusCode::NOT_FOUND
    );
}
