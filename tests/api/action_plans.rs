//! Action plans over HTTP: the ISU writes plans, actions, indicators and recorded values;
//! everyone reads them; every case of bad input is refused with its code and nothing is
//! written; recording a year again replaces it and the log keeps both.

use serde_json::{Value, json};

use crate::helpers::*;

const CREATE_PLAN: &str = "mutation($i: CreateActionPlanInput!) { createActionPlan(input: $i) {
    actionPlan { id title firstYear lastYear } userErrors { field code message } } }";
const ADD_ACTION: &str = "mutation($i: AddPlanActionInput!) { addPlanAction(input: $i) {
    action { id number section } userErrors { field code message } } }";
const ADD_INDICATOR: &str =
    "mutation($i: AddActionIndicatorInput!) { addActionIndicator(input: $i) {
    indicator { id code unit computation baseline target } userErrors { field code message } } }";
const RECORD: &str = "mutation($i: RecordIndicatorValueInput!) { recordIndicatorValue(input: $i) {
    value { year numerator denominator value computed note states { code } recordedBy { id } }
    userErrors { field code message } } }";

/// A plan 2021–2026 with action 44 and two indicators: a recorded PERCENT one and a
/// computed one. Returns (staff token, plan, action, recorded indicator, computed one).
async fn plan(app: &TestApp) -> (String, Value, Value, Value, Value) {
    let staff = app.token_for("ISU_STAFF", None).await;
    let body = app
        .graphql_as(
            &staff,
            CREATE_PLAN,
            json!({"i": {"title": "Lausanne Action Plan", "firstYear": 2021, "lastYear": 2026}}),
        )
        .await;
    let plan = body["data"]["createActionPlan"]["actionPlan"]["id"].clone();
    assert!(plan.is_string(), "{body}");
    let body = app
        .graphql_as(
            &staff,
            ADD_ACTION,
            json!({"i": {"planId": plan, "number": 44, "section": "Transparency measures",
                         "text": "Report on time."}}),
        )
        .await;
    let action = body["data"]["addPlanAction"]["action"]["id"].clone();
    let mut indicators = Vec::new();
    for (code, computation) in [("44.1", "RECORDED"), ("44.2", "ANNUAL_REPORTS_ON_TIME")] {
        let body = app
            .graphql_as(
                &staff,
                ADD_INDICATOR,
                json!({"i": {"actionId": action, "code": code, "text": "Indicator",
                             "unit": "PERCENT", "computation": computation,
                             "baseline": 50, "target": 90}}),
            )
            .await;
        indicators.push(body["data"]["addActionIndicator"]["indicator"]["id"].clone());
        assert!(indicators[indicators.len() - 1].is_string(), "{body}");
    }
    let computed = indicators.pop().unwrap_or_default();
    let recorded = indicators.pop().unwrap_or_default();
    (staff, plan, action, recorded, computed)
}

/// The payload's userErrors' codes, and that nothing was written.
async fn refused(
    app: &TestApp,
    token: &str,
    query: &str,
    field: &str,
    input: Value,
) -> Vec<String> {
    let before = app.audit_entries().await;
    let body = app.graphql_as(token, query, json!({ "i": input })).await;
    let payload = &body["data"][field];
    assert!(body["errors"].is_null(), "{body}");
    let found = codes(payload);
    assert!(!found.is_empty(), "refused: {body}");
    assert_eq!(app.audit_entries().await, before, "nothing written: {body}");
    found
}

#[tokio::test]
async fn bad_plans_actions_indicators_and_values_are_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    let (staff, plan, action, recorded, computed) = plan(&app).await;
    let cases: Vec<(&str, &str, Value, &str)> = vec![
        // Plans.
        (
            CREATE_PLAN,
            "createActionPlan",
            json!({"title": "Next plan", "firstYear": 2026, "lastYear": 2031}),
            "ALREADY_EXISTS",
        ),
        (
            CREATE_PLAN,
            "createActionPlan",
            json!({"title": "Inside", "firstYear": 2022, "lastYear": 2023}),
            "ALREADY_EXISTS",
        ),
        (
            CREATE_PLAN,
            "createActionPlan",
            json!({"title": "Backwards", "firstYear": 2031, "lastYear": 2027}),
            "INVALID_INPUT",
        ),
        (
            CREATE_PLAN,
            "createActionPlan",
            json!({"title": "Too long", "firstYear": 2027, "lastYear": 2040}),
            "INVALID_INPUT",
        ),
        (
            CREATE_PLAN,
            "createActionPlan",
            json!({"title": "", "firstYear": 2027, "lastYear": 2031}),
            "INVALID_INPUT",
        ),
        (
            CREATE_PLAN,
            "createActionPlan",
            json!({"title": "Unknown meeting", "firstYear": 2027, "lastYear": 2031,
                "adoptedAtMeetingId": "TWVldGluZzowMTkzMDAwMC0wMDAwLTcwMDAtODAwMC0wMDAwMDAwMDAwMDA"}),
            "NOT_FOUND",
        ),
        // Actions.
        (
            ADD_ACTION,
            "addPlanAction",
            json!({"planId": plan, "number": 44, "section": "Again", "text": "Twice."}),
            "ALREADY_EXISTS",
        ),
        (
            ADD_ACTION,
            "addPlanAction",
            json!({"planId": plan, "number": 0, "section": "Zero", "text": "None."}),
            "INVALID_INPUT",
        ),
        (
            ADD_ACTION,
            "addPlanAction",
            json!({"planId": "nope", "number": 1, "section": "S", "text": "T"}),
            "NOT_FOUND",
        ),
        // Indicators.
        (
            ADD_INDICATOR,
            "addActionIndicator",
            json!({"actionId": action, "code": "44.1", "text": "Twice", "unit": "COUNT",
                "computation": "RECORDED"}),
            "ALREADY_EXISTS",
        ),
        (
            ADD_INDICATOR,
            "addActionIndicator",
            json!({"actionId": action, "code": "44 3", "text": "Spaces", "unit": "COUNT",
                "computation": "RECORDED"}),
            "INVALID_INPUT",
        ),
        (
            ADD_INDICATOR,
            "addActionIndicator",
            json!({"actionId": action, "code": "44.3", "text": "Share", "unit": "PERCENT",
                "computation": "NEW_STATES_PARTIES"}),
            "INVALID_INPUT",
        ),
        (
            ADD_INDICATOR,
            "addActionIndicator",
            json!({"actionId": action, "code": "44.3", "text": "Over", "unit": "PERCENT",
                "computation": "RECORDED", "target": 120}),
            "INVALID_INPUT",
        ),
        // Values.
        (
            RECORD,
            "recordIndicatorValue",
            json!({"indicatorId": recorded, "year": 2025, "numerator": 3}),
            "INVALID_INPUT",
        ),
        (
            RECORD,
            "recordIndicatorValue",
            json!({"indicatorId": recorded, "year": 2025, "numerator": 4, "denominator": 3}),
            "INVALID_INPUT",
        ),
        (
            RECORD,
            "recordIndicatorValue",
            json!({"indicatorId": recorded, "year": 2025, "numerator": 2, "denominator": 3,
                "stateCodes": ["LAO"]}),
            "INVALID_INPUT",
        ),
        (
            RECORD,
            "recordIndicatorValue",
            json!({"indicatorId": recorded, "year": 2025, "numerator": 2, "denominator": 3,
                "stateCodes": ["LAO", "XXX"]}),
            "NOT_FOUND",
        ),
        (
            RECORD,
            "recordIndicatorValue",
            json!({"indicatorId": recorded, "year": 2025, "numerator": 2, "denominator": 3,
                "stateCodes": ["LAO", "lao"]}),
            "INVALID_INPUT",
        ),
        (
            RECORD,
            "recordIndicatorValue",
            json!({"indicatorId": computed, "year": 2025, "numerator": 1, "denominator": 2}),
            "INVALID_INPUT",
        ),
        (
            RECORD,
            "recordIndicatorValue",
            json!({"indicatorId": recorded, "year": 2020, "numerator": 1, "denominator": 2}),
            "INVALID_INPUT",
        ),
        (
            RECORD,
            "recordIndicatorValue",
            json!({"indicatorId": recorded, "year": 2027, "numerator": 1, "denominator": 2}),
            "INVALID_INPUT",
        ),
        (
            RECORD,
            "recordIndicatorValue",
            json!({"indicatorId": recorded, "year": 2025, "numerator": -1, "denominator": 2}),
            "INVALID_INPUT",
        ),
    ];
    for (query, field, input, code) in cases {
        let found = refused(&app, &staff, query, field, input.clone()).await;
        assert!(
            found.iter().any(|c| c == code),
            "{input}: {found:?}, not {code}"
        );
    }

    // Only the ISU writes.
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let found = refused(
        &app,
        &lao,
        CREATE_PLAN,
        "createActionPlan",
        json!({"title": "Ours", "firstYear": 2027, "lastYear": 2031}),
    )
    .await;
    assert_eq!(found, ["FORBIDDEN"]);
}

#[tokio::test]
async fn plans_that_overlap_cannot_both_be_written_even_at_once() {
    let app = spawn_app().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let attempts = (0..4).map(|i| {
        let (app, staff) = (&app, &staff);
        async move {
            app.graphql_as(
                staff,
                CREATE_PLAN,
                json!({"i": {"title": format!("Plan {i}"), "firstYear": 2027 + i, "lastYear": 2031 + i}}),
            )
            .await
        }
    });
    let answers = futures_util::future::join_all(attempts).await;
    let written = answers
        .iter()
        .filter(|b| b["data"]["createActionPlan"]["actionPlan"].is_object())
        .count();
    assert_eq!(written, 1, "{answers:?}");
    for b in &answers {
        assert!(b["errors"].is_null(), "{b}");
    }
    let plans = app.graphql("{ actionPlans { title } }", json!({})).await;
    assert_eq!(
        plans["data"]["actionPlans"].as_array().map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn a_recorded_value_is_read_by_everyone_and_replaced_with_both_in_the_log() {
    let app = spawn_app().await;
    let (staff, plan, _, recorded, _) = plan(&app).await;
    let body = app
        .graphql_as(
            &staff,
            RECORD,
            json!({"i": {"indicatorId": recorded, "year": 2024, "numerator": 2, "denominator": 3,
                         "stateCodes": ["nor", "LAO"], "note": "From the reports."}}),
        )
        .await;
    let value = &body["data"]["recordIndicatorValue"]["value"];
    assert_eq!(value["value"], 66.7, "{body}");
    assert_eq!(value["computed"], false);
    assert_eq!(value["states"], json!([{"code": "LAO"}, {"code": "NOR"}]));
    assert!(value["recordedBy"]["id"].is_string());

    let entries = app.audit_entries().await;
    let again = json!({"i": {"indicatorId": recorded, "year": 2024, "numerator": 3,
                             "denominator": 3}});
    let body = app.graphql_as(&staff, RECORD, again.clone()).await;
    assert_eq!(
        body["data"]["recordIndicatorValue"]["value"]["value"], 100.0,
        "{body}"
    );
    assert_eq!(
        app.audit_entries().await,
        entries + 1,
        "the replacement is logged"
    );
    let body = app.graphql_as(&staff, RECORD, again).await;
    assert!(codes(&body["data"]["recordIndicatorValue"]).is_empty());
    assert_eq!(
        app.audit_entries().await,
        entries + 1,
        "the same value writes nothing"
    );
    let log = app
        .graphql_as(
            &app.admin_token().await,
            "{ auditLog(first: 5, filter: {entityType: \"IndicatorValue\"}) { edges { node { action } } } }",
            json!({}),
        )
        .await;
    let edges = log["data"]["auditLog"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(edges.len(), 2, "{log}");

    // Anyone reads plans, values and progress.
    let read = app
        .graphql(
            "query($id: ID!) { node(id: $id) { ... on ActionPlan { title sections
                action(number: 44) { number indicators { code values(untilYear: 2025) { year value } } }
                progress(year: 2024) { coverage indicators { indicator { code } current { value }
                  previous { value } change targetMet } } } } }",
            json!({"id": plan}),
        )
        .await;
    let p = &read["data"]["node"];
    assert_eq!(p["sections"], json!(["Transparency measures"]), "{read}");
    assert_eq!(
        p["action"]["indicators"][0]["values"],
        json!([{"year": 2024, "value": 100.0}])
    );
    let first = &p["progress"]["indicators"][0];
    assert_eq!(first["indicator"]["code"], "44.1");
    assert_eq!(first["current"]["value"], 100.0);
    assert!(first["previous"].is_null());
    assert!(first["change"].is_null());
    assert_eq!(first["targetMet"], true);
    let current = app
        .graphql("{ currentActionPlan(year: 2026) { title } none: currentActionPlan(year: 2027) { title } }", json!({}))
        .await;
    assert_eq!(
        current["data"]["currentActionPlan"]["title"],
        "Lausanne Action Plan"
    );
    assert!(current["data"]["none"].is_null());
}

/// A submitted report, as a history import would leave it.
async fn submitted(app: &TestApp, code: &str, kind: &str, year: i32, due: &str, on: &str) {
    use sea_orm::{ActiveModelTrait, Set};
    let date = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("date");
    let at = date(on).and_hms_opt(12, 0, 0).expect("noon").and_utc();
    entity::transparency_report::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        state_code: Set(code.into()),
        kind: Set(if kind == "INITIAL" {
            entity::enums::ReportKind::Initial
        } else {
            entity::enums::ReportKind::Annual
        }),
        reporting_year: Set(year),
        status: Set(entity::enums::ReportStatus::Submitted),
        version: Set(1),
        due_date: Set(date(due)),
        submitted_at: Set(Some(at)),
        on_time: Set(Some(date(on) <= date(due))),
        published_at: Set(None),
        sections: Set("{}".into()),
        imported: Set(true),
        published_url: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&app.db)
    .await
    .expect("report");
}

/// The registry as shipped (112 States parties, Lithuania withdrawn on 6 March 2025, Vanuatu
/// in force on 1 March 2026), records complete since 2008, and a few reports: the values
/// below were counted by hand from `data/states.csv` and docs/domain.md §3.
#[tokio::test]
async fn computed_indicators_match_the_values_counted_by_hand() {
    let app = spawn_app_with(|s| s.today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6)).await;
    let (staff, _, action, _, _) = plan(&app).await;
    let mut ids = std::collections::BTreeMap::new();
    for (code, unit, computation) in [
        ("N", "COUNT", "NEW_STATES_PARTIES"),
        ("I", "PERCENT", "INITIAL_REPORTS_ON_TIME"),
        ("A", "PERCENT", "ANNUAL_REPORTS_ON_TIME"),
    ] {
        let body = app
            .graphql_as(
                &staff,
                ADD_INDICATOR,
                json!({"i": {"actionId": action, "code": code, "text": computation,
                             "unit": unit, "computation": computation}}),
            )
            .await;
        ids.insert(
            code,
            body["data"]["addActionIndicator"]["indicator"]["id"].clone(),
        );
    }
    // South Sudan (in force 2024-02-01) reports on its due date, 2024-07-30: on time.
    submitted(&app, "SSD", "INITIAL", 2024, "2024-07-30", "2024-07-30").await;
    // Nigeria's initial report was due 2024-01-28: a day late.
    submitted(&app, "NGA", "INITIAL", 2023, "2024-01-28", "2024-01-29").await;
    // Norway's annual report for 2024 on 30 April 2025 itself; the Lao PDR's a day late.
    submitted(&app, "NOR", "ANNUAL", 2024, "2025-04-30", "2025-04-30").await;
    submitted(&app, "LAO", "ANNUAL", 2024, "2025-04-30", "2025-05-01").await;

    let history = |id: &Value| {
        let (app, id) = (&app, id.clone());
        async move {
            let body = app
                .graphql(
                    "query($id: ID!) { node(id: $id) { ... on ActionIndicator { values(untilYear: 2026) {
                        year numerator denominator value computed states { code } missing { code } } } } }",
                    json!({"id": id}),
                )
                .await;
            body["data"]["node"]["values"]
                .as_array()
                .cloned()
                .unwrap_or_else(|| panic!("{body}"))
        }
    };
    let codes_of = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s["code"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };

    // New States parties, by the year the Convention entered into force for them.
    let new = history(&ids["N"]).await;
    let by_year: Vec<(i64, Vec<String>)> = new
        .iter()
        .map(|v| {
            (
                v["year"].as_i64().unwrap_or_default(),
                codes_of(&v["states"]),
            )
        })
        .collect();
    assert_eq!(
        by_year,
        [
            (2021, vec!["LCA".to_owned(), "NIU".to_owned()]),
            (2022, vec![]),
            (2023, vec!["NGA".to_owned()]),
            (2024, vec!["SSD".to_owned()]),
            (2025, vec![]),
            (2026, vec!["VUT".to_owned()]),
        ]
    );
    assert!(
        new.iter()
            .all(|v| v["denominator"].is_null() && v["computed"] == true)
    );
    assert_eq!(new[0]["value"], 2.0);

    // Initial reports due by the end of 2024: the 111 States parties in force by 4 July 2024
    // and Lithuania (still bound in 2024); on time: South Sudan alone.
    let initial = history(&ids["I"]).await;
    let y2024 = initial.iter().find(|v| v["year"] == 2024).expect("2024");
    assert_eq!(
        (y2024["numerator"].as_i64(), y2024["denominator"].as_i64()),
        (Some(1), Some(112))
    );
    assert_eq!(y2024["value"], 0.9);
    assert_eq!(codes_of(&y2024["states"]), ["SSD"]);
    let missing = codes_of(&y2024["missing"]);
    assert_eq!(missing.len(), 111);
    assert!(missing.contains(&"LTU".to_owned()) && missing.contains(&"NGA".to_owned()));
    assert!(!missing.contains(&"VUT".to_owned()));
    // 2023: South Sudan's report was not yet due; Nigeria's was not either (2024-01-28).
    let y2023 = initial.iter().find(|v| v["year"] == 2023).expect("2023");
    assert_eq!(
        (y2023["numerator"].as_i64(), y2023["denominator"].as_i64()),
        (Some(0), Some(110))
    );

    // The annual report due on 30 April 2025: owed by the 111 States parties whose initial
    // report fell due before it; not by Lithuania, withdrawn on 6 March 2025.
    let annual = history(&ids["A"]).await;
    let y2025 = annual.iter().find(|v| v["year"] == 2025).expect("2025");
    assert_eq!(
        (y2025["numerator"].as_i64(), y2025["denominator"].as_i64()),
        (Some(1), Some(111))
    );
    assert_eq!(codes_of(&y2025["states"]), ["NOR"]);
    let missing = codes_of(&y2025["missing"]);
    assert!(missing.contains(&"LAO".to_owned()) && !missing.contains(&"LTU".to_owned()));
    assert!(!missing.contains(&"VUT".to_owned()));

    // A report submitted later does not change a past year's value.
    submitted(&app, "NGA", "ANNUAL", 2024, "2025-04-30", "2026-02-01").await;
    let again = history(&ids["A"]).await;
    assert_eq!(again.iter().find(|v| v["year"] == 2025), Some(y2025));
}

#[tokio::test]
async fn a_year_out_of_range_is_refused_not_a_fault() {
    let app = spawn_app().await;
    let (_, plan, _, _, _) = plan(&app).await;
    for year in [i32::MIN, -1, 0, 2009, 2101, i32::MAX] {
        let body = app
            .graphql(
                "query($id: ID!, $y: Int!) { node(id: $id) { ... on ActionPlan {
                    progress(year: $y) { year } } } }",
                json!({"id": plan, "y": year}),
            )
            .await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{year}: {body}");
    }
}
