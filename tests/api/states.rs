//! The States registry over HTTP: paging, filters, Article 17, global IDs.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::helpers::*;

const PAGE: &str = "query($first: Int, $after: String, $filter: StatePartyFilter) {
  stateParties(first: $first, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id code name status regionalGroup entryIntoForce } }
  }
}";

fn codes_of(body: &Value) -> Vec<String> {
    body["data"]["stateParties"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["code"].as_str().expect("code").to_owned())
        .collect()
}

#[tokio::test]
async fn paging_walks_the_whole_registry_once_in_code_order() {
    let app = spawn_app().await;
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let body = app
            .graphql(PAGE, json!({"first": 40, "after": after}))
            .await;
        let conn = &body["data"]["stateParties"];
        assert_eq!(conn["totalCount"], 125, "{body}");
        assert_eq!(conn["pageInfo"]["hasPreviousPage"], after.is_some());
        seen.extend(codes_of(&body));
        if conn["pageInfo"]["hasNextPage"] == json!(false) {
            break;
        }
        after = conn["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        assert!(seen.len() < 200, "paging does not end");
    }
    assert_eq!(seen.len(), 125);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 125, "no repeats");
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted);
}

#[tokio::test]
async fn first_defaults_to_20_and_takes_up_to_100() {
    let app = spawn_app().await;
    let body = app.graphql(PAGE, json!({})).await;
    assert_eq!(codes_of(&body).len(), 20);
    let body = app.graphql(PAGE, json!({"first": 100})).await;
    assert_eq!(codes_of(&body).len(), 100);
    assert_eq!(
        body["data"]["stateParties"]["pageInfo"]["hasNextPage"],
        true
    );
}

#[tokio::test]
async fn first_above_100_or_negative_is_an_invalid_argument_naming_the_limit() {
    let app = spawn_app().await;
    for first in [101, 500, -1] {
        let body = app.graphql(PAGE, json!({"first": first})).await;
        assert_eq!(error_code(&body), Some("INVALID_ARGUMENT"), "{body}");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("100")),
            "{body}"
        );
        assert!(body["data"].is_null(), "{body}");
    }
}

#[tokio::test]
async fn a_forged_cursor_is_bad_user_input() {
    let app = spawn_app().await;
    let body = app.graphql(PAGE, json!({"after": "LAO"})).await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
}

#[tokio::test]
async fn filters_by_status_region_and_case_insensitive_search() {
    let app = spawn_app().await;
    let total = |body: &Value| body["data"]["stateParties"]["totalCount"].as_i64();

    let body = app
        .graphql(PAGE, json!({"filter": {"status": ["SIGNATORY"]}}))
        .await;
    assert_eq!(total(&body), Some(12));
    let body = app
        .graphql(
            PAGE,
            json!({"filter": {"status": ["STATE_PARTY", "WITHDRAWN"]}}),
        )
        .await;
    assert_eq!(total(&body), Some(113));

    let body = app
        .graphql(
            PAGE,
            json!({"first": 100, "filter": {"regionalGroup": "ASIA_PACIFIC"}}),
        )
        .await;
    let asia = body["data"]["stateParties"]["edges"]
        .as_array()
        .expect("edges")
        .clone();
    assert!(!asia.is_empty());
    assert!(
        asia.iter()
            .all(|e| e["node"]["regionalGroup"] == "ASIA_PACIFIC")
    );

    let body = app
        .graphql(PAGE, json!({"filter": {"search": "lao"}}))
        .await;
    assert!(codes_of(&body).contains(&"LAO".to_owned()), "{body}");
    let body = app
        .graphql(PAGE, json!({"filter": {"search": "SWITZ"}}))
        .await;
    assert_eq!(codes_of(&body), vec!["CHE"]);
    let body = app.graphql(PAGE, json!({"filter": {"search": "%"}})).await;
    assert_eq!(total(&body), Some(0), "LIKE wildcards are escaped");
}

#[tokio::test]
async fn entry_into_force_follows_article_17() {
    let app = spawn_app().await;
    let q = "query($c: String!) { stateParty(code: $c) { code status depositDate entryIntoForce withdrawalEffectiveDate } }";
    for (code, eif) in [
        ("AFG", json!("2012-03-01")),
        ("ALB", json!("2010-08-01")),
        ("AGO", Value::Null),
    ] {
        let body = app.graphql(q, json!({"c": code})).await;
        assert_eq!(
            body["data"]["stateParty"]["entryIntoForce"], eif,
            "{code}: {body}"
        );
    }
    let body = app.graphql(q, json!({"c": "ltu"})).await;
    assert_eq!(body["data"]["stateParty"]["status"], "WITHDRAWN");
    assert_eq!(
        body["data"]["stateParty"]["withdrawalEffectiveDate"],
        "2025-03-06"
    );
    let body = app.graphql(q, json!({"c": "XXX"})).await;
    assert_eq!(body["data"]["stateParty"], Value::Null);
}

#[tokio::test]
async fn node_resolves_global_ids_and_hides_what_the_viewer_may_not_see() {
    let app = spawn_app().await;
    let body = app
        .graphql(PAGE, json!({"first": 1, "filter": {"search": "LAO"}}))
        .await;
    let id = body["data"]["stateParties"]["edges"][0]["node"]["id"].clone();
    let q = "query($id: ID!) { node(id: $id) { id ... on StateParty { code name } ... on User { email } ... on AuditEntry { action } } }";
    let body = app.graphql(q, json!({"id": id})).await;
    assert_eq!(body["data"]["node"]["code"], "LAO", "{body}");
    assert_eq!(body["data"]["node"]["id"], id);

    let login = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let admin = token_of(&login);
    let user_id = login["user"]["id"].clone();
    let body = app.graphql_as(&admin, q, json!({"id": user_id})).await;
    assert_eq!(body["data"]["node"]["email"], ADMIN_EMAIL);
    let body = app.graphql(q, json!({"id": user_id})).await;
    assert_eq!(
        body["data"]["node"],
        Value::Null,
        "anonymous cannot see users"
    );

    let audit = app
        .graphql_as(
            &admin,
            "{ auditLog(first: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let entry_id = audit["data"]["auditLog"]["edges"][0]["node"]["id"].clone();
    let body = app.graphql_as(&admin, q, json!({"id": entry_id})).await;
    assert_eq!(body["data"]["node"]["action"], "login");
    let staff = app.token_for("ISU_STAFF", None).await;
    let body = app.graphql_as(&staff, q, json!({"id": entry_id})).await;
    assert_eq!(
        body["data"]["node"],
        Value::Null,
        "staff cannot read the audit log"
    );

    for garbage in ["nope", "VXNlcjpub3QtYS11dWlk"] {
        let body = app.graphql(q, json!({"id": garbage})).await;
        assert_eq!(body["data"]["node"], Value::Null);
    }
}

#[tokio::test]
async fn reloading_the_registry_updates_rows_without_duplicating_them() {
    let app = spawn_app().await;
    let report = ccm_isu::seed::states(&app.db, None).await.expect("reload");
    assert_eq!((report.inserted, report.updated), (0, 0));

    let mut csv = ccm_isu::domain::states::registry::EMBEDDED_CSV
        .replace("Lao People's Democratic Republic", "Lao PDR (renamed)");
    csv = csv.replace("Switzerland,", "Swiss Confederation,");
    let report = ccm_isu::seed::states(&app.db, Some(&csv))
        .await
        .expect("reload");
    assert_eq!(report.inserted, 0);
    assert!(report.updated >= 1);
    let body = app.graphql(PAGE, json!({})).await;
    assert_eq!(body["data"]["stateParties"]["totalCount"], 125);
    let body = app
        .graphql("{ stateParty(code: \"CHE\") { name } }", json!({}))
        .await;
    assert_eq!(body["data"]["stateParty"]["name"], "Swiss Confederation");
}
