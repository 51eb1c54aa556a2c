//! Deadlines and transparency reports: the report's ID for the node checks.

use super::super::*;

pub(super) async fn run(app: &TestApp, admin: String) -> Value {
    let deadlines = operations("deadlines.graphql");
    let delegation = app.token_for("DELEGATION", Some("IRQ")).await;
    let body = run_op(app, &deadlines, "MyDeadlines", Some(delegation), json!({})).await;
    assert_eq!(body["data"]["me"]["state"]["code"], "IRQ");
    assert!(
        body["data"]["me"]["state"]["obligations"]
            .as_array()
            .is_some_and(|o| !o.is_empty()),
        "{body}"
    );
    let body = run_op(
        app,
        &deadlines,
        "UpcomingDeadlines",
        None,
        json!({"withinDays": 3000, "first": 10}),
    )
    .await;
    assert!(
        body["data"]["upcomingDeadlines"]["totalCount"].as_i64() > Some(0),
        "{body}"
    );
    let body = run_op(
        app,
        &deadlines,
        "OverdueObligations",
        None,
        json!({"kinds": ["INITIAL_TRANSPARENCY_REPORT", "CLEARANCE"], "first": 10}),
    )
    .await;
    assert!(
        body["data"]["overdueObligations"]["totalCount"].as_i64() > Some(0),
        "{body}"
    );

    let reports = operations("reports.graphql");
    let body = run_op(
        app,
        &reports,
        "CreateTransparencyReport",
        Some(admin.clone()),
        json!({"input": {"stateCode": "LAO", "kind": "ANNUAL", "reportingYear": 2024}}),
    )
    .await;
    let id = body["data"]["createTransparencyReport"]["report"]["id"].clone();
    let body = run_op(
        app,
        &reports,
        "UpdateTransparencyReport",
        Some(admin.clone()),
        json!({"input": {"id": id, "expectedVersion": 1, "sections": {
            "nationalImplementationMeasures": "Law on cluster munitions",
            "stockpiles": [{"munitionType": "BLU-63", "munitions": 0, "submunitions": 0, "retained": 0, "destroyedThisPeriod": 0}],
            "contaminatedAreas": [{"location": "Xieng Khouang", "areaSquareMetres": "125.50", "remnantTypes": "BLU-26"}],
            "clearance": [{"location": "Savannakhet", "areaClearedSquareMetres": "1000", "remnantsDestroyed": 5}],
            "nationalResources": {"amount": "1000.00", "currency": "USD"},
            "cooperationProvided": [{"recipient": "UXO Lao", "thematicArea": "CLEARANCE", "amount": {"amount": "10", "currency": "CHF"}, "description": "Survey"}]
        }}}),
    )
    .await;
    assert_eq!(
        body["data"]["updateTransparencyReport"]["report"]["version"],
        2
    );
    run_op(
        app,
        &reports,
        "SubmitTransparencyReport",
        Some(admin.clone()),
        json!({"id": id}),
    )
    .await;
    let body = run_op(
        app,
        &reports,
        "PublishTransparencyReport",
        Some(admin.clone()),
        json!({"id": id}),
    )
    .await;
    assert_eq!(
        body["data"]["publishTransparencyReport"]["report"]["status"],
        "PUBLISHED"
    );
    let body = run_op(
        app,
        &reports,
        "TransparencyReports",
        None,
        json!({"first": 5, "filter": {"stateCode": "LAO"}}),
    )
    .await;
    assert_eq!(body["data"]["transparencyReports"]["totalCount"], 1);
    let body = run_op(app, &reports, "TransparencyReport", None, json!({"id": id})).await;
    assert_eq!(
        body["data"]["transparencyReport"]["sections"]["clearance"][0]["remnantsDestroyed"],
        5
    );
    let body = run_op(
        app,
        &reports,
        "ReportingCompliance",
        None,
        json!({"year": 2024}),
    )
    .await;
    assert!(
        body["data"]["reportingCompliance"]["submitted"].as_i64() >= Some(1),
        "{body}"
    );
    id
}
