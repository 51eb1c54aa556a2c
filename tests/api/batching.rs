//! No N+1: a nested query over many States costs the same number of SQL statements as over
//! a few. Statements are counted by the server itself (`isu_db_statements_total` on
//! `/metrics`), around one request.

use chrono::{NaiveDate, TimeZone, Utc};
use entity::enums::{
    NeedStatus, ObligationKind, ReportKind, ReportStatus, StateStatus, ThematicArea,
};
use entity::{assistance_need, deadline_extension, state, transparency_report};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, spawn_app};

/// States parties with two published reports each (one of them declaring a need), one
/// draft, one more need and one extension.
async fn fill(app: &TestApp, states: &[state::Model]) {
    let at = Utc.with_ymd_and_hms(2025, 4, 20, 9, 0, 0).unwrap();
    let mut reports = Vec::new();
    let mut needs = Vec::new();
    let mut extensions = Vec::new();
    for s in states {
        for (year, status) in [
            (2023, ReportStatus::Published),
            (2024, ReportStatus::Published),
            (2025, ReportStatus::Draft),
        ] {
            let id = Uuid::now_v7();
            reports.push(transparency_report::ActiveModel {
                id: Set(id),
                state_code: Set(s.code.clone()),
                kind: Set(ReportKind::Annual),
                reporting_year: Set(year),
                status: Set(status),
                version: Set(1),
                due_date: Set(NaiveDate::from_ymd_opt(year + 1, 4, 30).unwrap()),
                submitted_at: Set((status != ReportStatus::Draft).then_some(at)),
                on_time: Set((status != ReportStatus::Draft).then_some(true)),
                published_at: Set((status == ReportStatus::Published).then_some(at)),
                sections: Set("{\"version\":1}".into()),
                imported: Set(false),
                published_url: Set(None),
                created_at: Set(at),
                updated_at: Set(at),
            });
            if year == 2024 {
                needs.push(need(s, Some(id), at));
            }
        }
        needs.push(need(s, None, at));
        extensions.push(deadline_extension::ActiveModel {
            id: Set(Uuid::now_v7()),
            state_code: Set(s.code.clone()),
            kind: Set(ObligationKind::Clearance),
            previous_deadline: Set(NaiveDate::from_ymd_opt(2020, 8, 1).unwrap()),
            new_deadline: Set(NaiveDate::from_ymd_opt(2030, 8, 1).unwrap()),
            granted_on: Set(NaiveDate::from_ymd_opt(2019, 11, 1).unwrap()),
            granted_at: Set(Some("9MSP".into())),
            imported: Set(false),
            decision_reference: Set(None),
            precision: Set(None),
            granted_on_precision: Set(None),
            confidence: Set(None),
            sources: Set(None),
            decision_id: Set(None),
            created_at: Set(at),
        });
    }
    for chunk in reports.chunks(100) {
        transparency_report::Entity::insert_many(chunk.to_vec())
            .exec(&app.db)
            .await
            .unwrap();
    }
    for chunk in needs.chunks(100) {
        assistance_need::Entity::insert_many(chunk.to_vec())
            .exec(&app.db)
            .await
            .unwrap();
    }
    for chunk in extensions.chunks(100) {
        deadline_extension::Entity::insert_many(chunk.to_vec())
            .exec(&app.db)
            .await
            .unwrap();
    }
}

fn need(
    s: &state::Model,
    report: Option<Uuid>,
    at: chrono::DateTime<Utc>,
) -> assistance_need::ActiveModel {
    assistance_need::ActiveModel {
        id: Set(Uuid::now_v7()),
        state_code: Set(s.code.clone()),
        thematic_area: Set(ThematicArea::Clearance),
        assistance_types: Set("FINANCIAL".into()),
        title: Set(format!("Survey in {}", s.name)),
        description: Set(None),
        amount_cents: Set(Some(5_000_000)),
        currency: Set(Some("CHF".into())),
        covered_cents: Set(0),
        period_start: Set(None),
        period_end: Set(None),
        status: Set(NeedStatus::Open),
        source_report_id: Set(report),
        created_at: Set(at),
        updated_at: Set(at),
    }
}

/// The server's count of SQL statements so far.
pub(crate) async fn statements(app: &TestApp) -> u64 {
    app.statements_at(&app.base).await
}

const NESTED: &str = r#"
query Nested($n: Int) {
  stateParties(first: $n, filter: { status: [STATE_PARTY] }) {
    edges { node {
      code
      obligations { kind dueDate status }
      extensions { newDeadline state { code } }
      transparencyReports(first: 3) {
        totalCount
        edges { node { reportingYear status state { code } assistanceNeeds { title } } }
      }
      assistanceNeeds(first: 3) {
        totalCount
        edges { node {
          title
          state { code }
          sourceReport { reportingYear }
          proposals { id }
          matches(first: 2) { score }
        } }
      }
    } }
  }
}"#;

/// Statements of one run of the nested query over the first `n` States, and its data.
/// The smallest of three runs: batching never splits a batch on a quiet server, and a
/// slow machine only ever adds statements.
async fn cost(app: &TestApp, token: &str, n: usize) -> (u64, Value) {
    statements_of(app, Some(token), NESTED, json!({ "n": n })).await
}

#[tokio::test]
async fn a_nested_query_over_100_states_costs_what_it_costs_over_5() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let parties = state::Entity::find()
        .filter(state::Column::Status.eq(StateStatus::StateParty))
        .order_by_asc(state::Column::Code)
        .all(&app.db)
        .await
        .unwrap();
    assert!(parties.len() >= 100, "the registry has 100 States parties");
    fill(&app, &parties).await;

    let (few, small) = cost(&app, &token, 5).await;
    let (many, large) = cost(&app, &token, 100).await;
    let nodes = large["data"]["stateParties"]["edges"].as_array().unwrap();
    assert_eq!(nodes.len(), 100);
    assert_eq!(
        small["data"]["stateParties"]["edges"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    // The data is all there: each State's three reports (the ISU sees drafts), two needs,
    // the report's need, its extension, and its obligations.
    for edge in nodes {
        let node = &edge["node"];
        let code = node["code"].as_str().unwrap();
        assert_eq!(node["transparencyReports"]["totalCount"], 3, "{code}");
        let reports = node["transparencyReports"]["edges"].as_array().unwrap();
        assert_eq!(reports.len(), 3, "{code}");
        assert!(reports.iter().all(|r| r["node"]["state"]["code"] == code));
        let declared: usize = reports
            .iter()
            .map(|r| r["node"]["assistanceNeeds"].as_array().unwrap().len())
            .sum();
        assert_eq!(declared, 1, "{code}");
        assert_eq!(node["assistanceNeeds"]["totalCount"], 2, "{code}");
        let needs = node["assistanceNeeds"]["edges"].as_array().unwrap();
        assert!(needs.iter().all(|n| n["node"]["state"]["code"] == code));
        assert_eq!(
            needs
                .iter()
                .filter(|n| n["node"]["sourceReport"]["reportingYear"] == 2024)
                .count(),
            1,
            "{code}"
        );
        assert_eq!(node["extensions"][0]["state"]["code"], code);
        assert!(
            !node["obligations"].as_array().unwrap().is_empty(),
            "{code}"
        );
    }
    assert!(few > 0);
    assert_eq!(
        few, many,
        "5 States cost {few} statements, 100 States {many}: something loads per State"
    );
}

#[tokio::test]
async fn batched_pages_are_the_pages_a_single_state_gets() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let parties = state::Entity::find()
        .filter(state::Column::Status.eq(StateStatus::StateParty))
        .order_by_asc(state::Column::Code)
        .limit(3)
        .all(&app.db)
        .await
        .unwrap();
    fill(&app, &parties).await;
    let delegation = app.token_for("DELEGATION", Some(&parties[0].code)).await;
    let q = r#"query($n: Int, $after: String) { stateParties(first: $n) { edges { node {
        code
        transparencyReports(first: 1, after: $after) {
          totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
          edges { node { reportingYear status } }
        }
    } } } }"#;
    for (token, own_total, other_total) in [(&admin, 3, 3), (&delegation, 3, 2)] {
        // The whole list, then each State alone through `stateParty`: the same pages.
        let list = app.graphql_as(token, q, json!({ "n": 100 })).await;
        let edges = list["data"]["stateParties"]["edges"]
            .as_array()
            .unwrap()
            .clone();
        for s in &parties {
            let node = &edges
                .iter()
                .find(|e| e["node"]["code"] == s.code.as_str())
                .unwrap()["node"];
            let expected = if s.code == parties[0].code {
                own_total
            } else {
                other_total
            };
            let page = &node["transparencyReports"];
            assert_eq!(page["totalCount"], expected, "{} {list}", s.code);
            assert_eq!(page["pageInfo"]["hasNextPage"], true);
            assert_eq!(page["pageInfo"]["hasPreviousPage"], false);
            let single = app
                .graphql_as(
                    token,
                    r#"query($code: String!) { stateParty(code: $code) {
                        transparencyReports(first: 1) { edges { node { reportingYear status } } }
                    } }"#,
                    json!({ "code": s.code }),
                )
                .await;
            assert_eq!(
                single["data"]["stateParty"]["transparencyReports"]["edges"],
                page["edges"]
            );
        }
        // States without any report have an empty page, not a missing one.
        let empty = edges
            .iter()
            .find(|e| !parties.iter().any(|s| e["node"]["code"] == s.code.as_str()))
            .unwrap();
        assert_eq!(empty["node"]["transparencyReports"]["totalCount"], 0);
        assert_eq!(empty["node"]["transparencyReports"]["edges"], json!([]));
    }
}

/// The labelled demo data set, through the command line as an operator loads it.
pub(crate) fn seed_demo(app: &TestApp) {
    let seeded = std::process::Command::new(env!("CARGO_BIN_EXE_ccm-isu"))
        .args(["seed", "--demo"])
        .env("DATABASE_URL", &app.url)
        .env("ISU_USER_PASSWORD", "demo-password-123")
        .env_remove("ISU_ENV")
        .output()
        .unwrap();
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
}

/// A need's `matches` and `unmatchedReasons` share one matching context (States,
/// deadlines, rates, open offers) per request: asking for both costs what asking for
/// `matches` alone costs.
#[tokio::test]
async fn a_needs_matches_and_unmatched_reasons_share_one_context() {
    let app = spawn_app().await;
    seed_demo(&app);
    let token = app.admin_token().await;
    let matches = r#"{ assistanceNeeds(first: 10) { edges { node {
        id matches(first: 3) { score offer { id } } } } } }"#;
    let both = r#"{ assistanceNeeds(first: 10) { edges { node {
        id matches(first: 3) { score offer { id } } unmatchedReasons } } } }"#;
    let (alone, body) = statements_of(&app, Some(&token), matches, json!({})).await;
    let edges = body["data"]["assistanceNeeds"]["edges"].as_array().unwrap();
    assert!(edges.len() > 1, "{body}");
    assert!(
        edges
            .iter()
            .any(|e| !e["node"]["matches"].as_array().unwrap().is_empty()),
        "some demo need has a match: {body}"
    );
    let (together, body) = statements_of(&app, Some(&token), both, json!({})).await;
    assert!(
        body["data"]["assistanceNeeds"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["node"]["unmatchedReasons"].is_array()),
        "{body}"
    );
    assert_eq!(alone, together, "statements for matches, and for both");
}

#[tokio::test]
async fn meetings_with_their_applications_and_statistics_cost_the_same_for_one_or_two() {
    let app = spawn_app().await;
    seed_demo(&app);
    let token = app.admin_token().await;
    let q = r#"query($n: Int) { meetings(first: $n) { edges { node {
        applications(first: 5) { totalCount edges { node { id state { code } } } }
        sponsorshipStats { applications approved }
    } } } }"#;
    let mut spent = Vec::new();
    for n in [1, 2] {
        let mut best = u64::MAX;
        for _ in 0..3 {
            let before = statements(&app).await;
            let body = app.graphql_as(&token, q, json!({ "n": n })).await;
            let after = statements(&app).await;
            assert!(body.get("errors").is_none(), "{body}");
            let edges = body["data"]["meetings"]["edges"].as_array().unwrap();
            assert_eq!(edges.len(), n);
            assert!(edges.iter().all(|e| {
                e["node"]["sponsorshipStats"]["applications"]
                    .as_i64()
                    .unwrap()
                    > 0
                    && e["node"]["applications"]["totalCount"]
                        == e["node"]["sponsorshipStats"]["applications"]
            }));
            best = best.min(after - before);
        }
        spent.push(best);
    }
    assert_eq!(
        spent[0], spent[1],
        "statements for 1 and 2 meetings: {spent:?}"
    );
}

/// The smallest number of statements of three runs of `query`, as `token` (anonymous when
/// None), and its last answer.
pub(crate) async fn statements_of(
    app: &TestApp,
    token: Option<&str>,
    query: &str,
    vars: Value,
) -> (u64, Value) {
    let (spent, body) = app.statements_for(&app.base, token, query, vars).await;
    assert!(body.get("errors").is_none(), "{body}");
    (spent, body)
}

/// The dashboards that delegations and the public open most. The server keeps the live
/// session and the registry its deadlines are computed from (States, report facts,
/// extensions, where the records begin), so once they are read a request costs the stamps
/// that say they are still current (`tests/api/caches.rs`), plus the page of reports for
/// the profile.
#[tokio::test]
async fn a_delegations_deadlines_and_a_public_state_profile_cost_one_statement() {
    let app = spawn_app().await;
    let parties = state::Entity::find()
        .filter(state::Column::Code.is_in(["LAO"]))
        .all(&app.db)
        .await
        .unwrap();
    fill(&app, &parties).await;
    let token = app.token_for("DELEGATION", Some("LAO")).await;
    let (spent, body) = statements_of(
        &app,
        Some(&token),
        r#"query MyDeadlines { me { email state { code name
            obligations(status: [UPCOMING, DUE_SOON, OVERDUE]) {
              kind article reportingYear dueDate status daysRemaining extended
            } } } }"#,
        json!({}),
    )
    .await;
    assert_eq!(body["data"]["me"]["state"]["code"], "LAO");
    assert!(body["data"]["me"]["email"].is_string());
    assert!(
        body["data"]["me"]["state"]["obligations"]
            .as_array()
            .is_some_and(|o| !o.is_empty()),
        "{body}"
    );
    assert_eq!(
        spent, 1,
        "the stamps: the session and the registry are kept"
    );

    const PROFILE: &str = r#"query StateProfile($code: String!) { stateParty(code: $code) {
            code obligations { kind dueDate extended status }
            extensions { kind newDeadline }
            transparencyReports(first: 5) {
              totalCount edges { node { reportingYear status onTime } }
            } } }"#;
    let (spent, body) = statements_of(&app, None, PROFILE, json!({ "code": "LAO" })).await;
    let s = &body["data"]["stateParty"];
    assert_eq!(s["extensions"][0]["kind"], "CLEARANCE");
    assert!(
        s["obligations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["kind"] == "CLEARANCE"
                && o["extended"] == true
                && o["dueDate"] == "2030-08-01"),
        "{body}"
    );
    // Published reports only, for an anonymous caller: kept by the server.
    assert_eq!(s["transparencyReports"]["totalCount"], 2);
    assert_eq!(
        spent, 1,
        "the stamps: the registry and the published reports are kept"
    );
    // LAO's own delegation reads its unpublished reports too: one page from the table.
    let (spent, body) = statements_of(&app, Some(&token), PROFILE, json!({ "code": "LAO" })).await;
    let total = body["data"]["stateParty"]["transparencyReports"]["totalCount"]
        .as_i64()
        .unwrap_or_else(|| panic!("{body}"));
    assert!(total > 2, "{body}");
    assert_eq!(spent, 2, "the stamps, one page of reports");
}

/// After a cursor a page still counts every item of its group, and a cursor past the last
/// item gives an empty page with the right total.
#[tokio::test]
async fn pages_after_a_cursor_keep_their_totals() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let parties = state::Entity::find()
        .filter(state::Column::Status.eq(StateStatus::StateParty))
        .order_by_asc(state::Column::Code)
        .limit(2)
        .all(&app.db)
        .await
        .unwrap();
    fill(&app, &parties).await;
    let q = r#"query($code: String!, $after: String) { stateParty(code: $code) {
        transparencyReports(first: 2, after: $after) {
          totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
          edges { node { reportingYear } }
        } } }"#;
    let code = parties[0].code.as_str();
    let first = app.graphql_as(&admin, q, json!({ "code": code })).await;
    let page = &first["data"]["stateParty"]["transparencyReports"];
    assert_eq!(page["totalCount"], 3, "{first}");
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let years: Vec<&Value> = page["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"]["reportingYear"])
        .collect();
    assert_eq!(years, [&json!(2025), &json!(2024)], "newest first");
    let after = page["pageInfo"]["endCursor"].as_str().unwrap();
    let second = app
        .graphql_as(&admin, q, json!({ "code": code, "after": after }))
        .await;
    let page = &second["data"]["stateParty"]["transparencyReports"];
    assert_eq!(page["totalCount"], 3, "{second}");
    assert_eq!(page["pageInfo"]["hasNextPage"], false);
    assert_eq!(page["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(page["edges"][0]["node"]["reportingYear"], 2023);
    let end = page["pageInfo"]["endCursor"].as_str().unwrap();
    let past = app
        .graphql_as(&admin, q, json!({ "code": code, "after": end }))
        .await;
    let page = &past["data"]["stateParty"]["transparencyReports"];
    assert_eq!(page["totalCount"], 3, "{past}");
    assert_eq!(page["edges"], json!([]));
    // A well-formed cursor that holds no row key is refused, in lists and nested pages
    // alike, rather than taken for the first page.
    use base64::Engine;
    let forged = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("cursor:not-a-key");
    let nested = app
        .graphql_as(&admin, q, json!({ "code": code, "after": forged }))
        .await;
    assert_eq!(
        nested["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{nested}"
    );
    let list = app
        .graphql_as(
            &admin,
            "query($after: String) { transparencyReports(first: 2, after: $after) { totalCount } }",
            json!({ "after": forged }),
        )
        .await;
    assert_eq!(
        list["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{list}"
    );
}
