//! Reporting compliance, the report list, and the needs declared in reports.

use ccm_isu::kernel::config::Settings;
use ccm_isu::startup::Application;
use reqwest::StatusCode;

use super::*;

const COMPLIANCE: &str = "query($y: Int!) { reportingCompliance(year: $y) {
  year statesRequired submitted submittedOnTime complianceRate onTimeRate missing { code } } }";

#[tokio::test]
async fn compliance_counts_owing_states_submissions_and_lateness() {
    let app = app_on("2025-03-01").await;
    let admin = app.admin_token().await;
    for code in ["LAO", "AFG"] {
        let id = created_id(&app, &admin, code, "ANNUAL", 2024).await;
        app.graphql_as(&admin, SUBMIT, json!({"id": id})).await;
    }
    let draft_only = created_id(&app, &admin, "IRQ", "ANNUAL", 2024).await;
    let _ = draft_only;
    // A second server on the same database, on 1 June 2025: a late submission.
    let mut later = Settings::for_database(&app.url);
    later.today = Some(date("2025-06-01"));
    let later = Application::build(later).await.expect("second app");
    let addr = later.local_addr().expect("addr");
    tokio::spawn(later.run_until_stopped(std::future::pending()));
    let late_id = created_id(&app, &admin, "CHE", "ANNUAL", 2024).await;
    let body: Value = app
        .client
        .post(format!("http://{addr}/graphql"))
        .bearer_auth(&admin)
        .json(&json!({"query": SUBMIT, "variables": {"id": late_id}}))
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    assert_eq!(
        body["data"]["submitTransparencyReport"]["report"]["onTime"], false,
        "{body}"
    );

    let body = app.graphql(COMPLIANCE, json!({"y": 2024})).await;
    let c = &body["data"]["reportingCompliance"];
    // Computed by hand from data/states.csv: 112 States parties, less Vanuatu (in force
    // 2026-03-01); Lithuania's withdrawal took effect before 30 April 2025.
    assert_eq!(c["statesRequired"], 111, "{body}");
    assert_eq!(c["submitted"], 3);
    assert_eq!(c["submittedOnTime"], 2);
    assert!((c["complianceRate"].as_f64().unwrap_or(0.0) - 3.0 / 111.0).abs() < 1e-9);
    assert!((c["onTimeRate"].as_f64().unwrap_or(0.0) - 2.0 / 111.0).abs() < 1e-9);
    let missing: Vec<&str> = c["missing"]
        .as_array()
        .expect("missing")
        .iter()
        .filter_map(|s| s["code"].as_str())
        .collect();
    assert_eq!(missing.len(), 108);
    for code in ["LAO", "AFG", "CHE", "LTU", "VUT", "AGO"] {
        assert!(!missing.contains(&code), "{code}");
    }
    assert!(missing.contains(&"IRQ"), "a draft is not a submission");

    // The ISU's export lists the same States.
    let csv = |token: Option<&str>| {
        let mut req = app
            .client
            .get(format!("{}/exports/compliance/2024.csv", app.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    let resp = csv(Some(&admin)).await.expect("csv");
    assert_eq!(resp.status(), StatusCode::OK);
    let text = resp.text().await.expect("text");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "state_code,state_name,regional_group,reporting_year,due_date,status,submitted_on,on_time"
        )
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 111);
    assert!(
        rows.iter().any(|r| r.starts_with(
            "CHE,Switzerland,WESTERN_EUROPE_OTHERS,2024,2025-04-30,SUBMITTED,2025-06-01,no"
        )),
        "{text}"
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("IRQ,") && r.contains(",MISSING,"))
    );
    let delegation = app.token_for("DELEGATION", Some("LAO")).await;
    assert_eq!(
        csv(Some(&delegation)).await.expect("csv").status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        csv(None).await.expect("csv").status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_report_list_filters_and_hides_what_the_viewer_may_not_see() {
    let app = app_on("2025-03-01").await;
    let admin = app.admin_token().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let published = created_id(&app, &admin, "LAO", "ANNUAL", 2023).await;
    app.graphql_as(&admin, SUBMIT, json!({"id": published}))
        .await;
    app.graphql_as(&staff, PUBLISH, json!({"id": published}))
        .await;
    created_id(&app, &admin, "LAO", "ANNUAL", 2024).await;
    created_id(&app, &admin, "IRQ", "ANNUAL", 2024).await;
    let q = "query($f: TransparencyReportFilter) { transparencyReports(first: 50, filter: $f) { totalCount edges { node { reportingYear status state { code } } } } }";
    let total = |body: Value| body["data"]["transparencyReports"]["totalCount"].as_i64();
    assert_eq!(
        total(app.graphql(q, json!({})).await),
        Some(1),
        "anonymous: the published one"
    );
    assert_eq!(total(app.graphql_as(&staff, q, json!({})).await), Some(3));
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    assert_eq!(total(app.graphql_as(&lao, q, json!({})).await), Some(2));
    assert_eq!(
        total(
            app.graphql_as(&staff, q, json!({"f": {"stateCode": "irq"}}))
                .await
        ),
        Some(1)
    );
    assert_eq!(
        total(
            app.graphql_as(
                &staff,
                q,
                json!({"f": {"status": ["DRAFT"], "reportingYear": 2024}})
            )
            .await
        ),
        Some(2)
    );
    assert_eq!(
        total(
            app.graphql_as(&staff, q, json!({"f": {"kind": "INITIAL"}}))
                .await
        ),
        Some(0)
    );
}

#[tokio::test]
async fn needs_declared_in_a_report_are_listed_for_those_who_may_see_needs() {
    use entity::assistance_need;
    use sea_orm::{ActiveModelTrait, Set};

    let app = app_on("2025-03-01").await;
    let admin = app.admin_token().await;
    let id = created_id(&app, &admin, "LAO", "ANNUAL", 2024).await;
    app.graphql_as(&admin, SUBMIT, json!({"id": id})).await;
    app.graphql_as(&admin, PUBLISH, json!({"id": id})).await;
    let report_uuid = ccm_isu::api::ids::decode_as(&id, "TransparencyReport").expect("report id");
    let t = ccm_isu::kernel::clock::now();
    assistance_need::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        state_code: Set("LAO".into()),
        thematic_area: Set(entity::enums::ThematicArea::Clearance),
        assistance_types: Set("FINANCIAL,EQUIPMENT".into()),
        title: Set("Survey of Xieng Khouang".into()),
        description: Set(None),
        amount_cents: Set(Some(25_000_000)),
        currency: Set(Some("USD".into())),
        covered_cents: Set(0),
        period_start: Set(None),
        period_end: Set(None),
        status: Set(entity::enums::NeedStatus::Open),
        source_report_id: Set(Some(report_uuid)),
        created_at: Set(t),
        updated_at: Set(t),
    }
    .insert(&app.db)
    .await
    .expect("need");
    let q = "query($id: ID!) { transparencyReport(id: $id) { assistanceNeeds { id title thematicArea status assistanceTypes amount { amount currency } } } }";
    let needs = |body: Value| body["data"]["transparencyReport"]["assistanceNeeds"].clone();
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let seen = needs(app.graphql_as(&lao, q, json!({"id": id})).await);
    assert_eq!(seen[0]["title"], "Survey of Xieng Khouang", "{seen}");
    assert_eq!(
        seen[0]["amount"],
        json!({"amount": "250000.00", "currency": "USD"})
    );
    assert_eq!(
        seen[0]["assistanceTypes"],
        json!(["FINANCIAL", "EQUIPMENT"])
    );
    let coordinator = app.token_for("COORDINATOR", None).await;
    assert_eq!(
        needs(app.graphql_as(&coordinator, q, json!({"id": id})).await)
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    let irq = app.token_for("DELEGATION", Some("IRQ")).await;
    assert_eq!(
        needs(app.graphql_as(&irq, q, json!({"id": id})).await),
        json!([]),
        "another State's needs stay private"
    );
    assert_eq!(needs(app.graphql(q, json!({"id": id})).await), json!([]));
}

/// A page of reports reads them without their sections (a few KB each); the sections of a
/// page's reports are read by ID when asked for, in one statement for the page, and are the
/// sections `transparencyReport(id:)` shows. Empty sections stay empty.
#[tokio::test]
async fn a_pages_sections_are_read_by_id_in_one_batch_when_asked_for() {
    let app = app_on("2025-03-01").await;
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let filled = created_id(&app, &lao, "LAO", "ANNUAL", 2024).await;
    let body = app
        .graphql_as(
            &lao,
            UPDATE,
            json!({"input": {"id": filled, "expectedVersion": 1, "sections": {
                "nationalImplementationMeasures": "Decree 2011/45",
                "contaminatedAreas": [{"location": "Xieng Khouang", "areaSquareMetres": "12500.50"}]
            }}}),
        )
        .await;
    assert_eq!(
        payload(&body, "updateTransparencyReport")["report"]["version"],
        2,
        "{body}"
    );
    let empty = created_id(&app, &lao, "LAO", "ANNUAL", 2023).await;

    const SECTIONS: &str =
        "sections { nationalImplementationMeasures contaminatedAreas { location } }";
    let by_id = app
        .graphql_as(
            &lao,
            &format!("query($id: ID!) {{ transparencyReport(id: $id) {{ {SECTIONS} }} }}"),
            json!({"id": filled}),
        )
        .await;
    let expected = &by_id["data"]["transparencyReport"]["sections"];
    assert_eq!(
        expected["nationalImplementationMeasures"], "Decree 2011/45",
        "{by_id}"
    );

    let list = format!(
        "query {{ transparencyReports(first: 10, filter: {{stateCode: \"LAO\"}}) {{
           edges {{ node {{ id {SECTIONS} }} }} }} }}"
    );
    let profile = format!(
        "query {{ stateParty(code: \"LAO\") {{ transparencyReports(first: 10) {{
           edges {{ node {{ id {SECTIONS} }} }} }} }} }}"
    );
    let bare = "query { transparencyReports(first: 10, filter: {stateCode: \"LAO\"}) {
           edges { node { id } } } }";
    let (without, _) = crate::batching::statements_of(&app, Some(&lao), bare, json!({})).await;
    let (with, body) = crate::batching::statements_of(&app, Some(&lao), &list, json!({})).await;
    assert_eq!(
        with,
        without + 1,
        "the sections of a page cost one statement"
    );
    let (_, by_state) = crate::batching::statements_of(&app, Some(&lao), &profile, json!({})).await;
    for (body, edges) in [
        (&body, &body["data"]["transparencyReports"]["edges"]),
        (
            &by_state,
            &by_state["data"]["stateParty"]["transparencyReports"]["edges"],
        ),
    ] {
        let edges = edges.as_array().unwrap_or_else(|| panic!("{body}"));
        assert_eq!(edges.len(), 2, "{body}");
        for e in edges {
            let node = &e["node"];
            if node["id"] == filled {
                assert_eq!(&node["sections"], expected, "{body}");
            } else {
                assert_eq!(node["id"], json!(empty), "{body}");
                assert_eq!(
                    node["sections"]["nationalImplementationMeasures"],
                    Value::Null
                );
                assert_eq!(node["sections"]["contaminatedAreas"], json!([]), "{body}");
            }
        }
    }
}
