//! An action plan's progress as CSV (`/exports/action-plans/{id}/progress.csv?year=`): what
//! everyone may read, one row per indicator, cached like the other exports; and a year's
//! progress costs the same number of SQL statements whatever the number of indicators and
//! actions.

use serde_json::{Value, json};

use crate::helpers::*;

const CREATE_PLAN: &str = "mutation($i: CreateActionPlanInput!) { createActionPlan(input: $i) {
    actionPlan { id } userErrors { field code message } } }";
const ADD_ACTION: &str = "mutation($i: AddPlanActionInput!) { addPlanAction(input: $i) {
    action { id } userErrors { field code message } } }";
const ADD_INDICATOR: &str =
    "mutation($i: AddActionIndicatorInput!) { addActionIndicator(input: $i) {
    indicator { id } userErrors { field code message } } }";
const RECORD: &str = "mutation($i: RecordIndicatorValueInput!) { recordIndicatorValue(input: $i) {
    value { value } userErrors { field code message } } }";

/// The 2021–2026 plan; returns its ID.
async fn create_plan(app: &TestApp, staff: &str) -> String {
    let body = app
        .graphql_as(
            staff,
            CREATE_PLAN,
            json!({"i": {"title": "Lausanne Action Plan", "firstYear": 2021, "lastYear": 2026}}),
        )
        .await;
    body["data"]["createActionPlan"]["actionPlan"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

async fn add_action(app: &TestApp, staff: &str, plan: &str, number: i32, section: &str) -> String {
    let body = app
        .graphql_as(
            staff,
            ADD_ACTION,
            json!({"i": {"planId": plan, "number": number, "section": section,
                         "text": format!("Action {number}.")}}),
        )
        .await;
    body["data"]["addPlanAction"]["action"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

async fn add_indicator(app: &TestApp, staff: &str, input: Value) -> String {
    let body = app
        .graphql_as(staff, ADD_INDICATOR, json!({ "i": input }))
        .await;
    body["data"]["addActionIndicator"]["indicator"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

async fn record(app: &TestApp, staff: &str, input: Value) {
    let body = app.graphql_as(staff, RECORD, json!({ "i": input })).await;
    assert!(
        body["data"]["recordIndicatorValue"]["value"].is_object(),
        "{body}"
    );
}

/// A submitted annual report, as a history import would leave it.
async fn submitted(app: &TestApp, code: &str, year: i32, due: &str, on: &str) {
    use sea_orm::{ActiveModelTrait, Set};
    let date = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("date");
    let at = date(on).and_hms_opt(12, 0, 0).expect("noon").and_utc();
    entity::transparency_report::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        state_code: Set(code.into()),
        kind: Set(entity::enums::ReportKind::Annual),
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

/// GETs `path` with extra headers, without a token unless one is given.
async fn get(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut req = app.client.get(format!("{}{path}", app.base));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    req.send().await.expect("get")
}

fn header(resp: &reqwest::Response, name: &str) -> Option<String> {
    resp.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The rows of a CSV body, the header first.
fn rows(body: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.expect("a CSV record").iter().map(str::to_owned).collect())
        .collect()
}

const HEADER: [&str; 12] = [
    "section",
    "action",
    "code",
    "text",
    "unit",
    "baseline",
    "target",
    "previous",
    "current",
    "change",
    "target_met",
    "missing_states",
];

const PROGRESS: &str = "query($id: ID!, $year: Int!) { node(id: $id) { ... on ActionPlan {
    progress(year: $year) { indicators { indicator { code }
      current { value missing { code } } previous { value } change targetMet } } } } }";

#[tokio::test]
async fn a_plans_progress_is_a_public_csv_with_one_row_per_indicator() {
    let app = spawn_app_with(|s| s.today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6)).await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let plan = create_plan(&app, &staff).await;
    // Listed in action order, whatever the order written.
    let universalization = add_action(&app, &staff, &plan, 2, "Universalization").await;
    let transparency = add_action(&app, &staff, &plan, 44, "Transparency measures").await;
    let recorded = add_indicator(
        &app,
        &staff,
        json!({"actionId": transparency, "code": "44.1", "text": "Reports with section F",
               "unit": "PERCENT", "computation": "RECORDED", "baseline": 50, "target": 60}),
    )
    .await;
    add_indicator(
        &app,
        &staff,
        json!({"actionId": transparency, "code": "44.2", "text": "Annual reports on time",
               "unit": "PERCENT", "computation": "ANNUAL_REPORTS_ON_TIME",
               "baseline": 50, "target": 90}),
    )
    .await;
    add_indicator(
        &app,
        &staff,
        json!({"actionId": universalization, "code": "2.1", "text": "=1+1 new States parties",
               "unit": "COUNT", "computation": "NEW_STATES_PARTIES", "target": 5}),
    )
    .await;
    record(
        &app,
        &staff,
        json!({"indicatorId": recorded, "year": 2024, "numerator": 1, "denominator": 3}),
    )
    .await;
    record(
        &app,
        &staff,
        json!({"indicatorId": recorded, "year": 2025, "numerator": 2, "denominator": 3,
               "stateCodes": ["LAO", "NOR"]}),
    )
    .await;
    // Norway's annual report for 2024, due on 30 April 2025, on that day: the one on time.
    submitted(&app, "NOR", 2024, "2025-04-30", "2025-04-30").await;

    let path = format!("/exports/action-plans/{plan}/progress.csv?year=2025");
    // No token needed.
    let resp = get(&app, &path, None, &[]).await;
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(
        header(&resp, "content-type").as_deref(),
        Some("text/csv; charset=utf-8")
    );
    assert!(
        header(&resp, "content-disposition")
            .is_some_and(|d| d.contains("filename=\"action-plan-2021-2026-progress-2025.csv\"")),
        "{:?}",
        resp.headers()
    );
    assert_eq!(
        header(&resp, "cache-control").as_deref(),
        Some("private, max-age=300")
    );
    let tag = header(&resp, "etag").expect("ETag");
    assert!(
        tag.starts_with('"') && tag.ends_with('"') && tag.len() > 20,
        "{tag}"
    );
    let body = resp.bytes().await.expect("body");
    let table = rows(&body);
    assert_eq!(table[0], HEADER);
    assert_eq!(table.len(), 4, "a row per indicator: {table:?}");

    // Action 2 first: no State became a party in 2025, South Sudan in 2024.
    let new = &table[1];
    assert_eq!(
        new[..11],
        [
            "Universalization",
            "2",
            "2.1",
            "'=1+1 new States parties",
            "COUNT",
            "",
            "5",
            "1",
            "0",
            "-1",
            "no"
        ],
        "{new:?}"
    );
    assert_eq!(new[11], "", "a count misses no one");
    // 2 of 3 in 2025 against 1 of 3 in 2024; the target is met, none are missing.
    assert_eq!(
        table[2],
        [
            "Transparency measures",
            "44",
            "44.1",
            "Reports with section F",
            "PERCENT",
            "50.0",
            "60.0",
            "33.3",
            "66.7",
            "33.4",
            "yes",
            ""
        ]
    );
    // 1 of the 111 States owing the report due on 30 April 2025: Norway; the rest missing.
    let annual = &table[3];
    assert_eq!(
        annual[..6],
        [
            "Transparency measures",
            "44",
            "44.2",
            "Annual reports on time",
            "PERCENT",
            "50.0"
        ]
    );
    assert_eq!((annual[8].as_str(), annual[10].as_str()), ("0.9", "no"));
    let missing: Vec<&str> = annual[11].split(' ').collect();
    assert_eq!(missing.len(), 110, "{missing:?}");
    assert!(missing.contains(&"LAO") && !missing.contains(&"NOR"));
    assert!(missing.iter().all(|c| c.len() == 3), "{missing:?}");

    // The same figures as GraphQL's progress.
    let read = app
        .graphql(PROGRESS, json!({"id": plan, "year": 2025}))
        .await;
    let indicators = read["data"]["node"]["progress"]["indicators"]
        .as_array()
        .unwrap_or_else(|| panic!("{read}"));
    assert_eq!(indicators.len(), table.len() - 1);
    let number = |v: &Value| v.as_f64().map(|f| format!("{f:.1}"));
    let cell =
        |s: &str| (!s.is_empty()).then(|| format!("{:.1}", s.parse::<f64>().expect("a number")));
    for (row, p) in table[1..].iter().zip(indicators) {
        assert_eq!(row[2], p["indicator"]["code"].as_str().unwrap_or_default());
        assert_eq!(cell(&row[7]), number(&p["previous"]["value"]), "{row:?}");
        assert_eq!(cell(&row[8]), number(&p["current"]["value"]), "{row:?}");
        assert_eq!(cell(&row[9]), number(&p["change"]), "{row:?}");
        let met = p["targetMet"]
            .as_bool()
            .map(|m| if m { "yes" } else { "no" });
        assert_eq!(row[10], met.unwrap_or_default());
        let codes: Vec<&str> = p["current"]["missing"]
            .as_array()
            .map(|a| a.iter().filter_map(|s| s["code"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(row[11], codes.join(" "), "{row:?}");
    }

    // The same content, the same tag; If-None-Match answers 304 without a body.
    let again = get(&app, &path, None, &[]).await;
    assert_eq!(header(&again, "etag").as_deref(), Some(tag.as_str()));
    assert_eq!(again.bytes().await.expect("body"), body);
    for if_none_match in [
        tag.clone(),
        format!("\"other\", {tag}"),
        format!("W/{tag}"),
        "*".into(),
    ] {
        let resp = get(&app, &path, None, &[("if-none-match", &if_none_match)]).await;
        assert_eq!(resp.status().as_u16(), 304, "{if_none_match}");
        assert_eq!(header(&resp, "etag").as_deref(), Some(tag.as_str()));
        assert_eq!(
            header(&resp, "cache-control").as_deref(),
            Some("private, max-age=300")
        );
        assert!(resp.bytes().await.expect("body").is_empty());
    }
    let stale = get(&app, &path, None, &[("if-none-match", "\"stale\"")]).await;
    assert_eq!(stale.status().as_u16(), 200);
    // Staff get the same table; a token that does not authenticate is refused.
    let resp = get(&app, &path, Some(&staff), &[("if-none-match", &tag)]).await;
    assert_eq!(resp.status().as_u16(), 304);
    let resp = get(&app, &path, Some("garbage"), &[]).await;
    assert_eq!(resp.status().as_u16(), 401);
    assert_eq!(
        header(&resp, "www-authenticate").as_deref(),
        Some("Bearer error=\"invalid_token\"")
    );
    // A value recorded again: new content, new tag.
    record(
        &app,
        &staff,
        json!({"indicatorId": recorded, "year": 2025, "numerator": 3, "denominator": 3}),
    )
    .await;
    let resp = get(&app, &path, None, &[("if-none-match", &tag)]).await;
    assert_eq!(resp.status().as_u16(), 200);
    assert_ne!(header(&resp, "etag").as_deref(), Some(tag.as_str()));
    let table = rows(&resp.bytes().await.expect("body"));
    assert_eq!(table[2][8], "100.0");
    // A year with no value yet: the rows, empty figures.
    let resp = get(
        &app,
        &format!("/exports/action-plans/{plan}/progress.csv?year=2030"),
        None,
        &[],
    )
    .await;
    assert_eq!(resp.status().as_u16(), 200);
    let table = rows(&resp.bytes().await.expect("body"));
    assert_eq!(table.len(), 4);
    assert!(
        table[1..]
            .iter()
            .all(|r| r[7..].iter().all(String::is_empty)),
        "{table:?}"
    );
}

#[tokio::test]
async fn an_unknown_plan_is_404_and_a_bad_year_400() {
    let app = spawn_app().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let plan = create_plan(&app, &staff).await;
    let unknown = {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("ActionPlan:{}", uuid::Uuid::now_v7()))
    };
    let meeting = {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("Meeting:{}", uuid::Uuid::now_v7()))
    };
    for id in [unknown.as_str(), meeting.as_str(), "nope", ""] {
        let resp = get(
            &app,
            &format!("/exports/action-plans/{id}/progress.csv?year=2025"),
            None,
            &[("if-none-match", "*")],
        )
        .await;
        assert_eq!(resp.status().as_u16(), 404, "{id}");
        assert_eq!(header(&resp, "etag"), None, "errors carry no validator");
        if !id.is_empty() {
            let body: Value = resp.json().await.expect("json");
            assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
        }
    }
    for query in [
        "",
        "?",
        "?year=",
        "?year=abc",
        "?year=25",
        "?year=02025",
        "?year=+2025",
        "?year=2025.0",
        "?year=2009",
        "?year=2101",
        "?year=9999",
        "?year=2025&year=2026",
        "?yaer=2025",
    ] {
        let resp = get(
            &app,
            &format!("/exports/action-plans/{plan}/progress.csv{query}"),
            None,
            &[],
        )
        .await;
        assert_eq!(resp.status().as_u16(), 400, "{query}");
        let body: Value = resp.json().await.expect("json");
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{query}: {body}");
    }
    for year in ["2010", "2100"] {
        let resp = get(
            &app,
            &format!("/exports/action-plans/{plan}/progress.csv?year={year}"),
            None,
            &[],
        )
        .await;
        assert_eq!(resp.status().as_u16(), 200, "{year}");
        assert_eq!(rows(&resp.bytes().await.expect("body")), [HEADER]);
    }
}

/// The server's count of SQL statements so far (`isu_db_statements_total` on `/metrics`).
async fn statements(app: &TestApp) -> u64 {
    let text = get(app, "/metrics", None, &[])
        .await
        .text()
        .await
        .expect("metrics");
    text.lines()
        .find_map(|l| l.strip_prefix("isu_db_statements_total "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no isu_db_statements_total in:\n{text}"))
}

/// Statements of one GET of `path` (the fewest of three runs: a slow machine only ever
/// adds), and its body.
async fn export_statements(app: &TestApp, path: &str) -> (u64, Vec<u8>) {
    let mut best = u64::MAX;
    let mut body = Vec::new();
    for _ in 0..3 {
        let before = statements(app).await;
        let resp = get(app, path, None, &[]).await;
        assert_eq!(resp.status().as_u16(), 200, "{path}");
        body = resp.bytes().await.expect("body").to_vec();
        best = best.min(statements(app).await - before);
    }
    (best, body)
}

/// Every computation, each with the unit it allows.
const COMPUTED: [(&str, &str); 7] = [
    ("INITIAL_REPORTS_ON_TIME", "PERCENT"),
    ("ANNUAL_REPORTS_ON_TIME", "PERCENT"),
    ("STOCKPILE_DESTRUCTION_COMPLETED_ON_TIME", "PERCENT"),
    ("CLEARANCE_COMPLETED", "PERCENT"),
    ("NEW_STATES_PARTIES", "COUNT"),
    ("NEEDS_WITH_AGREED_MATCH", "PERCENT"),
    ("SPONSORED_WOMEN", "PERCENT"),
];

/// Indicators `from..to` of the plan, computed, spread over actions of `per_action` each
/// (the action numbered `k / per_action + 1` for the k-th), every computation in turn.
async fn add_computed(
    app: &TestApp,
    staff: &str,
    plan: &str,
    range: std::ops::Range<usize>,
    per_action: usize,
) {
    let mut action = String::new();
    for k in range {
        if k % per_action == 0 || action.is_empty() {
            let number = i32::try_from(k / per_action + 1).expect("small");
            action = add_action(app, staff, plan, number, &format!("Section {}", number % 4)).await;
        }
        let (computation, unit) = COMPUTED[k % COMPUTED.len()];
        add_indicator(
            app,
            staff,
            json!({"actionId": action, "code": format!("C{k}"), "text": computation,
                   "unit": unit, "computation": computation, "baseline": 1, "target": 5}),
        )
        .await;
    }
}

/// `progress(year)` reads the indicators, then the facts once: 5 computed indicators on 5
/// actions and 40 on 40 cost the same statements, through GraphQL (with the States each
/// value counts and misses, and each indicator's action) and through the export; recorded
/// indicators add one read of their values, however many.
#[tokio::test]
async fn a_years_progress_costs_the_same_statements_for_5_indicators_and_for_40() {
    let app = spawn_app_with(|s| s.today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6)).await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let plan = create_plan(&app, &staff).await;
    submitted(&app, "NOR", 2024, "2025-04-30", "2025-04-30").await;
    submitted(&app, "LAO", 2024, "2025-04-30", "2025-05-02").await;
    let query = "query($id: ID!) { node(id: $id) { ... on ActionPlan { progress(year: 2025) {
        coverage indicators { indicator { code unit computation action { number section } }
          current { value numerator denominator computed states { code } missing { code } }
          previous { value states { code } } change targetMet } } } } }";
    let path = format!("/exports/action-plans/{plan}/progress.csv?year=2025");
    let cost = |n: usize| {
        let (app, plan, path) = (&app, plan.clone(), path.clone());
        async move {
            let (graphql, body) =
                crate::batching::statements_of(app, None, query, json!({"id": plan})).await;
            let indicators = body["data"]["node"]["progress"]["indicators"]
                .as_array()
                .cloned()
                .unwrap_or_else(|| panic!("{body}"));
            assert_eq!(indicators.len(), n, "{body}");
            assert!(
                indicators.iter().all(|i| i["current"]["computed"] == true),
                "every computed indicator has its 2025 value: {body}"
            );
            let (export, csv) = export_statements(app, &path).await;
            assert_eq!(rows(&csv).len(), n + 1);
            (graphql, export)
        }
    };

    add_computed(&app, &staff, &plan, 0..5, 1).await;
    let (few_graphql, few_export) = cost(5).await;
    add_computed(&app, &staff, &plan, 5..40, 1).await;
    let (many_graphql, many_export) = cost(40).await;
    assert!(few_graphql > 0 && few_export > 0);
    assert_eq!(
        few_graphql, many_graphql,
        "GraphQL: 5 indicators cost {few_graphql} statements, 40 cost {many_graphql}"
    );
    assert_eq!(
        few_export, many_export,
        "the export: 5 indicators cost {few_export} statements, 40 cost {many_export}"
    );
    // Constant, and few: the facts are a handful of reads.
    assert!(many_graphql <= 20, "{many_graphql} statements");
    assert!(many_export <= 20, "{many_export} statements");

    // Recorded indicators, with values: one read more, whether 1 or 10.
    let recorded = |k: usize, action: String| {
        let (app, staff) = (&app, &staff);
        async move {
            let id = add_indicator(
                app,
                staff,
                json!({"actionId": action, "code": format!("R{k}"), "text": "Recorded",
                       "unit": "PERCENT", "computation": "RECORDED", "target": 50}),
            )
            .await;
            for year in [2024, 2025] {
                record(
                    app,
                    staff,
                    json!({"indicatorId": id, "year": year, "numerator": k, "denominator": 10}),
                )
                .await;
            }
        }
    };
    let action = add_action(&app, &staff, &plan, 100, "Recorded").await;
    recorded(0, action.clone()).await;
    let mixed = |n: usize| {
        let (app, plan) = (&app, plan.clone());
        async move {
            let (spent, body) =
                crate::batching::statements_of(app, None, query, json!({"id": plan})).await;
            let indicators = body["data"]["node"]["progress"]["indicators"]
                .as_array()
                .map(Vec::len);
            assert_eq!(indicators, Some(n), "{body}");
            spent
        }
    };
    let one = mixed(41).await;
    for k in 1..10 {
        recorded(k, action.clone()).await;
    }
    let ten = mixed(50).await;
    assert_eq!(
        one, ten,
        "1 recorded indicator costs {one} statements, 10 cost {ten}"
    );
    assert!(one <= many_graphql + 1, "{one} against {many_graphql}");
    eprintln!(
        "progress(year) statements: GraphQL {many_graphql} (computed only), {ten} (with \
         recorded ones); the export {many_export}"
    );
}
