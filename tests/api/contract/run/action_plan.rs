//! Action plan monitoring: a plan, its actions and indicators, a recorded value, the year's
//! progress and an indicator's history, as the frontends send them.

use super::super::*;

/// Returns the plan's, an action's and an indicator's IDs.
pub(super) async fn run(app: &TestApp, admin: String, meeting: &Value) -> [Value; 3] {
    let ops = operations("action_plan.graphql");
    let staff = app.token_for("ISU_STAFF", None).await;
    let body = run_op(
        app,
        &ops,
        "CreateActionPlan",
        Some(staff.clone()),
        json!({"input": {"title": "Lausanne Action Plan", "adoptedAtMeetingId": meeting,
                         "firstYear": 2021, "lastYear": 2026}}),
    )
    .await;
    let plan = body["data"]["createActionPlan"]["actionPlan"].clone();
    assert_eq!(plan["adoptedAt"]["id"], *meeting, "{body}");
    let body = run_op(
        app,
        &ops,
        "AddPlanAction",
        Some(staff.clone()),
        json!({"input": {"planId": plan["id"], "number": 44, "section": "Transparency measures",
                         "text": "Submit initial and annual reports on time."}}),
    )
    .await;
    let action = body["data"]["addPlanAction"]["action"]["id"].clone();
    let body = run_op(
        app,
        &ops,
        "AddActionIndicator",
        Some(staff.clone()),
        json!({"input": {"actionId": action, "code": "44.1", "text": "Annual reports on time",
                         "unit": "PERCENT", "computation": "ANNUAL_REPORTS_ON_TIME",
                         "population": "States parties with an annual report due",
                         "baselineYear": 2020, "baseline": 40.5, "target": 100}}),
    )
    .await;
    let computed = &body["data"]["addActionIndicator"]["indicator"];
    assert_eq!(computed["baseline"], 40.5, "{body}");
    let body = run_op(
        app,
        &ops,
        "AddActionIndicator",
        Some(staff.clone()),
        json!({"input": {"actionId": action, "code": "44.2",
                         "text": "States parties that used the reporting guide",
                         "unit": "PERCENT", "computation": "RECORDED", "target": 80}}),
    )
    .await;
    let recorded = body["data"]["addActionIndicator"]["indicator"]["id"].clone();
    let body = run_op(
        app,
        &ops,
        "RecordIndicatorValue",
        Some(staff),
        json!({"input": {"indicatorId": recorded, "year": 2025, "numerator": 2,
                         "denominator": 3, "stateCodes": ["LAO", "NOR"],
                         "note": "From the 2025 reports."}}),
    )
    .await;
    let value = &body["data"]["recordIndicatorValue"]["value"];
    assert_eq!(value["value"], 66.7, "{body}");
    assert_eq!(value["states"].as_array().map(Vec::len), Some(2));
    let body = run_op(app, &ops, "ActionPlans", None, json!({})).await;
    assert_eq!(
        body["data"]["actionPlans"][0]["sections"],
        json!(["Transparency measures"])
    );
    let body = run_op(app, &ops, "ActionPlanProgress", None, json!({"year": 2025})).await;
    let progress = &body["data"]["currentActionPlan"]["progress"];
    assert_eq!(
        progress["indicators"].as_array().map(Vec::len),
        Some(2),
        "{body}"
    );
    assert_eq!(progress["coverage"], 1.0, "{body}");
    let body = run_op(
        app,
        &ops,
        "ActionPlanActions",
        Some(admin),
        json!({"planId": plan["id"], "section": "Transparency measures"}),
    )
    .await;
    assert_eq!(
        body["data"]["node"]["actions"][0]["indicators"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    let body = run_op(
        app,
        &ops,
        "IndicatorHistory",
        None,
        json!({"id": recorded, "untilYear": 2026}),
    )
    .await;
    assert_eq!(body["data"]["node"]["values"][0]["year"], 2025, "{body}");
    [plan["id"].clone(), action, recorded]
}
