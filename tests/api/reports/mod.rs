//! Article 7 reports over HTTP: lifecycle, versions, validation, who may do what, compliance.

use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::helpers::*;

mod lists;

const CREATE: &str =
    "mutation($input: CreateTransparencyReportInput!) { createTransparencyReport(input: $input) {
  report { id kind reportingYear status version dueDate state { code } }
  userErrors { field message code } } }";
const UPDATE: &str = "mutation($input: UpdateTransparencyReportInput!) { updateTransparencyReport(input: $input) {
  report { id version status sections { nationalImplementationMeasures stockpiles { munitionType munitions }
    contaminatedAreas { location areaSquareMetres } nationalResources { amount currency } } }
  userErrors { field message code } } }";
const SUBMIT: &str = "mutation($id: ID!) { submitTransparencyReport(input: {id: $id}) {
  report { id status submittedAt onTime version } userErrors { field message code } } }";
const PUBLISH: &str = "mutation($id: ID!) { publishTransparencyReport(input: {id: $id}) {
  report { id status publishedAt } userErrors { field message code } } }";
const GET: &str = "query($id: ID!) { transparencyReport(id: $id) { id status version sections { nationalImplementationMeasures } } }";

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

async fn app_on(day: &str) -> TestApp {
    let d = date(day);
    spawn_app_with(move |s| s.today = Some(d)).await
}

fn payload<'a>(body: &'a Value, field: &str) -> &'a Value {
    &body["data"][field]
}

fn first_code(body: &Value, field: &str) -> String {
    codes(payload(body, field))
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no error: {body}"))
}

async fn create(app: &TestApp, token: &str, code: &str, kind: &str, year: i32) -> Value {
    app.graphql_as(
        token,
        CREATE,
        json!({"input": {"stateCode": code, "kind": kind, "reportingYear": year}}),
    )
    .await
}

async fn created_id(app: &TestApp, token: &str, code: &str, kind: &str, year: i32) -> String {
    let body = create(app, token, code, kind, year).await;
    payload(&body, "createTransparencyReport")["report"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

#[tokio::test]
async fn a_delegation_drafts_edits_and_submits_its_report_and_the_isu_publishes_it() {
    let app = app_on("2025-03-01").await;
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let body = create(&app, &lao, "LAO", "ANNUAL", 2024).await;
    let report = &payload(&body, "createTransparencyReport")["report"];
    assert_eq!(report["status"], "DRAFT", "{body}");
    assert_eq!(report["version"], 1);
    assert_eq!(report["dueDate"], "2025-04-30");
    let id = report["id"].clone();

    let body = app
        .graphql_as(&lao, UPDATE, json!({"input": {"id": id, "expectedVersion": 1, "sections": {
            "nationalImplementationMeasures": "Decree 2011/45",
            "stockpiles": [{"munitionType": "BLU-26", "munitions": 0, "submunitions": 0, "retained": 0, "destroyedThisPeriod": 0}],
            "contaminatedAreas": [{"location": "Xieng Khouang", "areaSquareMetres": "12500.50"}],
            "nationalResources": {"amount": "250000.00", "currency": "lak"}
        }}}))
        .await;
    let r = &payload(&body, "updateTransparencyReport")["report"];
    assert_eq!(r["version"], 2, "{body}");
    assert_eq!(
        r["sections"]["contaminatedAreas"][0]["areaSquareMetres"],
        "12500.50"
    );
    assert_eq!(r["sections"]["nationalResources"]["currency"], "LAK");

    // A second edit keeps what it does not name.
    let body = app
        .graphql_as(&lao, UPDATE, json!({"input": {"id": id, "expectedVersion": 2, "sections": {"victimAssistance": "Survivors' register"}}}))
        .await;
    let r = &payload(&body, "updateTransparencyReport")["report"];
    assert_eq!(r["version"], 3);
    assert_eq!(
        r["sections"]["nationalImplementationMeasures"],
        "Decree 2011/45"
    );

    let body = app.graphql_as(&lao, SUBMIT, json!({"id": id})).await;
    let r = &payload(&body, "submitTransparencyReport")["report"];
    assert_eq!(r["status"], "SUBMITTED", "{body}");
    assert_eq!(r["onTime"], true);
    assert!(
        r["submittedAt"]
            .as_str()
            .is_some_and(|t| t.starts_with("2025-03-01")),
        "{body}"
    );

    // The engine now reads the report: the obligation is met.
    let q = "{ stateParty(code: \"LAO\") { obligations(kinds: [ANNUAL_TRANSPARENCY_REPORT]) { reportingYear status fulfilledOn } } }";
    let body = app.graphql(q, json!({})).await;
    let ob = body["data"]["stateParty"]["obligations"]
        .as_array()
        .and_then(|l| l.iter().find(|o| o["reportingYear"] == 2024))
        .cloned()
        .expect("2024");
    assert_eq!(ob["status"], "MET");
    assert_eq!(ob["fulfilledOn"], "2025-03-01");

    // Not public until published; then public.
    assert_eq!(
        app.graphql(GET, json!({"id": id})).await["data"]["transparencyReport"],
        Value::Null
    );
    assert_eq!(
        first_code(
            &app.graphql_as(&lao, PUBLISH, json!({"id": id})).await,
            "publishTransparencyReport"
        ),
        "FORBIDDEN"
    );
    let staff = app.token_for("ISU_STAFF", None).await;
    let body = app.graphql_as(&staff, PUBLISH, json!({"id": id})).await;
    assert_eq!(
        payload(&body, "publishTransparencyReport")["report"]["status"],
        "PUBLISHED",
        "{body}"
    );
    let public = app.graphql(GET, json!({"id": id})).await;
    assert_eq!(
        public["data"]["transparencyReport"]["sections"]["nationalImplementationMeasures"],
        "Decree 2011/45"
    );
}

#[tokio::test]
async fn the_lifecycle_refuses_skipped_and_repeated_steps() {
    let app = app_on("2025-03-01").await;
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let id = created_id(&app, &lao, "LAO", "ANNUAL", 2024).await;
    assert_eq!(
        first_code(
            &app.graphql_as(&staff, PUBLISH, json!({"id": id})).await,
            "publishTransparencyReport"
        ),
        "INVALID_STATE_TRANSITION"
    );
    app.graphql_as(&lao, SUBMIT, json!({"id": id})).await;
    let audit = app.audit_entries().await;
    assert_eq!(
        first_code(
            &app.graphql_as(&lao, SUBMIT, json!({"id": id})).await,
            "submitTransparencyReport"
        ),
        "INVALID_STATE_TRANSITION"
    );
    let edit = app.graphql_as(&lao, UPDATE, json!({"input": {"id": id, "expectedVersion": 2, "sections": {"victimAssistance": "x"}}})).await;
    assert_eq!(
        first_code(&edit, "updateTransparencyReport"),
        "INVALID_STATE_TRANSITION"
    );
    app.graphql_as(&staff, PUBLISH, json!({"id": id})).await;
    assert_eq!(
        first_code(
            &app.graphql_as(&staff, PUBLISH, json!({"id": id})).await,
            "publishTransparencyReport"
        ),
        "INVALID_STATE_TRANSITION"
    );
    assert_eq!(
        app.audit_entries().await,
        audit + 1,
        "only the publication was written"
    );
}

#[tokio::test]
async fn stale_versions_and_invalid_sections_change_nothing() {
    let app = app_on("2025-03-01").await;
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let id = created_id(&app, &lao, "LAO", "ANNUAL", 2024).await;
    app.graphql_as(&lao, UPDATE, json!({"input": {"id": id, "expectedVersion": 1, "sections": {"nationalImplementationMeasures": "v2"}}})).await;
    let audit = app.audit_entries().await;
    let bad = |sections: Value, version: i32| json!({"input": {"id": id, "expectedVersion": version, "sections": sections}});
    for (vars, code, field) in [
        (
            bad(json!({"nationalImplementationMeasures": "stale"}), 1),
            "CONFLICT",
            json!(["input", "expectedVersion"]),
        ),
        (
            bad(
                json!({"stockpiles": [{"munitionType": "M26", "munitions": -1, "submunitions": 0, "retained": 0, "destroyedThisPeriod": 0}]}),
                2,
            ),
            "INVALID_INPUT",
            json!(["input", "sections", "stockpiles", "0", "munitions"]),
        ),
        (
            bad(
                json!({"contaminatedAreas": [{"location": "A", "areaSquareMetres": "10.005"}]}),
                2,
            ),
            "INVALID_INPUT",
            json!([
                "input",
                "sections",
                "contaminatedAreas",
                "0",
                "areaSquareMetres"
            ]),
        ),
        (
            bad(
                json!({"clearance": [{"location": "A", "areaClearedSquareMetres": "-1", "remnantsDestroyed": 0}]}),
                2,
            ),
            "INVALID_INPUT",
            json!([
                "input",
                "sections",
                "clearance",
                "0",
                "areaClearedSquareMetres"
            ]),
        ),
        (
            bad(
                json!({"nationalResources": {"amount": "10", "currency": "XYZ"}}),
                2,
            ),
            "INVALID_INPUT",
            json!(["input", "sections", "nationalResources"]),
        ),
        (
            bad(json!({"victimAssistance": "x".repeat(100_001)}), 2),
            "INVALID_INPUT",
            json!(["input", "sections", "victimAssistance"]),
        ),
    ] {
        let body = app.graphql_as(&lao, UPDATE, vars).await;
        let p = payload(&body, "updateTransparencyReport");
        assert_eq!(p["report"], Value::Null, "{body}");
        assert_eq!(p["userErrors"][0]["code"], code, "{body}");
        assert_eq!(p["userErrors"][0]["field"], field, "{body}");
    }
    let malformed = app
        .graphql_as(
            &lao,
            UPDATE,
            bad(
                json!({"contaminatedAreas": [{"location": "A", "areaSquareMetres": "12.3.4"}]}),
                2,
            ),
        )
        .await;
    assert_eq!(
        error_code(&malformed),
        Some("BAD_USER_INPUT"),
        "{malformed}"
    );
    let unknown = app.graphql_as(&lao, UPDATE, json!({"input": {"id": ccm_isu::api::ids::encode("TransparencyReport", uuid::Uuid::now_v7()), "expectedVersion": 1, "sections": {}}})).await;
    assert_eq!(
        first_code(&unknown, "updateTransparencyReport"),
        "NOT_FOUND"
    );

    assert_eq!(app.audit_entries().await, audit);
    let body = app.graphql_as(&lao, GET, json!({"id": id})).await;
    assert_eq!(body["data"]["transparencyReport"]["version"], 2);
    assert_eq!(
        body["data"]["transparencyReport"]["sections"]["nationalImplementationMeasures"],
        "v2"
    );
}

#[tokio::test]
async fn creation_is_refused_for_duplicates_wrong_years_and_states_without_reports() {
    let app = app_on("2025-03-01").await;
    let admin = app.admin_token().await;
    created_id(&app, &admin, "LAO", "ANNUAL", 2024).await;
    created_id(&app, &admin, "LAO", "INITIAL", 2010).await;
    let audit = app.audit_entries().await;
    for (code, kind, year, error, field) in [
        ("LAO", "ANNUAL", 2024, "ALREADY_EXISTS", "reportingYear"),
        ("LAO", "INITIAL", 2010, "ALREADY_EXISTS", "reportingYear"),
        ("LAO", "ANNUAL", 2009, "INVALID_INPUT", "reportingYear"),
        ("LAO", "ANNUAL", 2026, "INVALID_INPUT", "reportingYear"),
        ("AFG", "INITIAL", 2013, "INVALID_INPUT", "reportingYear"),
        ("AGO", "ANNUAL", 2024, "INVALID_INPUT", "stateCode"),
        ("XXX", "ANNUAL", 2024, "NOT_FOUND", "stateCode"),
    ] {
        let body = create(&app, &admin, code, kind, year).await;
        let p = payload(&body, "createTransparencyReport");
        assert_eq!(
            p["userErrors"][0]["code"], error,
            "{code} {kind} {year}: {body}"
        );
        assert_eq!(
            p["userErrors"][0]["field"],
            json!(["input", field]),
            "{body}"
        );
    }
    assert_eq!(app.audit_entries().await, audit);
}

#[tokio::test]
async fn one_state_can_never_act_on_another_states_report() {
    let app = app_on("2025-03-01").await;
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let irq = app.token_for("DELEGATION", Some("IRQ")).await;
    let coordinator = app.token_for("COORDINATOR", None).await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let audit = app.audit_entries().await;
    // Creating for another State.
    assert_eq!(
        first_code(
            &create(&app, &irq, "LAO", "ANNUAL", 2024).await,
            "createTransparencyReport"
        ),
        "FORBIDDEN"
    );
    assert_eq!(
        first_code(
            &create(&app, &coordinator, "LAO", "ANNUAL", 2024).await,
            "createTransparencyReport"
        ),
        "FORBIDDEN"
    );
    assert_eq!(
        first_code(
            &app.graphql(
                CREATE,
                json!({"input": {"stateCode": "LAO", "kind": "ANNUAL", "reportingYear": 2024}})
            )
            .await,
            "createTransparencyReport"
        ),
        "UNAUTHENTICATED"
    );
    assert_eq!(app.audit_entries().await, audit);

    let id = created_id(&app, &lao, "LAO", "ANNUAL", 2024).await;
    // A draft of another State does not exist for them.
    assert_eq!(
        app.graphql_as(&irq, GET, json!({"id": id})).await["data"]["transparencyReport"],
        Value::Null
    );
    assert_eq!(
        app.graphql_as(&coordinator, GET, json!({"id": id})).await["data"]["transparencyReport"],
        Value::Null
    );
    let edit =
        json!({"input": {"id": id, "expectedVersion": 1, "sections": {"victimAssistance": "x"}}});
    assert_eq!(
        first_code(
            &app.graphql_as(&irq, UPDATE, edit.clone()).await,
            "updateTransparencyReport"
        ),
        "NOT_FOUND"
    );
    assert_eq!(
        first_code(
            &app.graphql_as(&irq, SUBMIT, json!({"id": id})).await,
            "submitTransparencyReport"
        ),
        "NOT_FOUND"
    );
    // ISU staff may act for any State.
    let body = app.graphql_as(&staff, UPDATE, edit).await;
    assert_eq!(
        payload(&body, "updateTransparencyReport")["report"]["version"],
        2,
        "{body}"
    );
    app.graphql_as(&lao, SUBMIT, json!({"id": id})).await;
    app.graphql_as(&staff, PUBLISH, json!({"id": id})).await;
    // Published: visible to all, still not theirs to act on.
    assert_eq!(
        app.graphql_as(&irq, GET, json!({"id": id})).await["data"]["transparencyReport"]["status"],
        "PUBLISHED"
    );
    assert_eq!(
        first_code(
            &app.graphql_as(&irq, SUBMIT, json!({"id": id})).await,
            "submitTransparencyReport"
        ),
        "FORBIDDEN"
    );
}

#[tokio::test]
async fn a_new_report_can_start_from_the_previous_one() {
    let app = app_on("2025-03-01").await;
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let id = created_id(&app, &lao, "LAO", "ANNUAL", 2023).await;
    app.graphql_as(&lao, UPDATE, json!({"input": {"id": id, "expectedVersion": 1, "sections": {
        "nationalContact": "National Regulatory Authority", "clearance": [{"location": "Savannakhet", "areaClearedSquareMetres": "1000", "remnantsDestroyed": 12}]}}})).await;
    let q = "mutation($input: CreateTransparencyReportFromPreviousInput!) { createTransparencyReportFromPrevious(input: $input) {
      report { id reportingYear status version sections { nationalContact clearance { location remnantsDestroyed } } } userErrors { code field } } }";
    let body = app
        .graphql_as(
            &lao,
            q,
            json!({"input": {"stateCode": "LAO", "reportingYear": 2024}}),
        )
        .await;
    let r = &body["data"]["createTransparencyReportFromPrevious"]["report"];
    assert_eq!(r["reportingYear"], 2024, "{body}");
    assert_eq!(r["status"], "DRAFT");
    assert_eq!(
        r["sections"]["nationalContact"],
        "National Regulatory Authority"
    );
    assert_eq!(r["sections"]["clearance"][0]["remnantsDestroyed"], 12);
    let none = app
        .graphql_as(
            &lao,
            q,
            json!({"input": {"stateCode": "LAO", "reportingYear": 2011}}),
        )
        .await;
    assert_eq!(
        none["data"]["createTransparencyReportFromPrevious"]["userErrors"][0]["code"],
        "NOT_FOUND"
    );
    let irq = app.token_for("DELEGATION", Some("IRQ")).await;
    let other = app
        .graphql_as(
            &irq,
            q,
            json!({"input": {"stateCode": "LAO", "reportingYear": 2025}}),
        )
        .await;
    assert_eq!(
        other["data"]["createTransparencyReportFromPrevious"]["userErrors"][0]["code"],
        "FORBIDDEN"
    );
}
