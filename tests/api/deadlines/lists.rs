//! Deadline lists (upcoming, overdue, by article, under `me`) and the calendar feeds.

use super::*;

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
