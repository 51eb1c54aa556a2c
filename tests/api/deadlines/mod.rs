//! The States registry's obligations over HTTP: the engine fed from the database, with
//! "today" pinned by ISU_TODAY, extensions, registry corrections, and deadline lists.

use chrono::NaiveDate;
use entity::enums::{ReportKind, ReportStatus};
use entity::transparency_report;
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{Value, json};

use crate::helpers::*;

mod lists;

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
        imported: Set(false),
        published_url: Set(None),
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
