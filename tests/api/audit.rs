//! The audit log over HTTP: entries for changes, none for refusals, admin only, filters.

use serde_json::{Value, json};

use crate::helpers::*;

const LOG: &str = "query($first: Int, $after: String, $filter: AuditLogFilter) {
  auditLog(first: $first, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id at action entityType entityId before after actor { id email role } } } } }";

fn nodes(body: &Value) -> Vec<Value> {
    body["data"]["auditLog"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

fn json_of(v: &Value) -> Value {
    v.as_str()
        .map_or(Value::Null, |s| serde_json::from_str(s).expect("JSON"))
}

#[tokio::test]
async fn creating_a_user_writes_one_entry_without_secrets() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let before = app.audit_entries().await;
    let body = app
        .graphql_as(&admin, "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } userErrors { code } } }",
            json!({"i": {"email": "lao@isu.test", "password": PASSWORD, "role": "DELEGATION", "stateCode": "LAO"}}))
        .await;
    let global = body["data"]["createUser"]["user"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let uuid = ccm_isu::graphql::ids::decode_as(&global, "User").expect("user id");
    assert_eq!(app.audit_entries().await, before + 1);

    let log = app.graphql_as(&admin, LOG, json!({"first": 1})).await;
    let entry = &nodes(&log)[0];
    assert_eq!(entry["action"], "createUser");
    assert_eq!(entry["entityType"], "User");
    assert_eq!(entry["entityId"], uuid.to_string());
    assert_eq!(entry["actor"]["email"], ADMIN_EMAIL);
    assert_eq!(entry["before"], Value::Null);
    let after = json_of(&entry["after"]);
    assert_eq!(after["email"], "lao@isu.test");
    assert_eq!(after["role"], "DELEGATION");
    assert_eq!(after["stateCode"], "LAO");
    let raw = entry["after"].as_str().unwrap_or_default();
    for secret in ["argon2", "password_hash", "passwordHash", PASSWORD] {
        assert!(!raw.contains(secret), "{secret} in {raw}");
    }
}

#[tokio::test]
async fn deactivation_records_the_user_before_and_after() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let email = app.create_user("ISU_STAFF", None, &[]).await;
    let id = app.login(&email, PASSWORD).await["user"]["id"].clone();
    app.graphql_as(
        &admin,
        "mutation($id: ID!) { deactivateUser(input: {id: $id}) { user { active } } }",
        json!({"id": id}),
    )
    .await;
    let log = app
        .graphql_as(
            &admin,
            LOG,
            json!({"first": 5, "filter": {"entityType": "User"}}),
        )
        .await;
    let entry = nodes(&log)
        .into_iter()
        .find(|e| e["action"] == "deactivateUser")
        .expect("entry");
    assert_eq!(json_of(&entry["before"])["active"], true);
    assert_eq!(json_of(&entry["after"])["active"], false);
}

#[tokio::test]
async fn refused_mutations_leave_no_entry() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let existing = app.create_user("ISU_STAFF", None, &[]).await;
    let before = app.audit_entries().await;
    let create = "mutation($i: CreateUserInput!) { createUser(input: $i) { userErrors { code } } }";
    for (token, input) in [
        (
            &staff,
            json!({"email": "x@isu.test", "password": PASSWORD, "role": "ISU_STAFF"}),
        ),
        (
            &admin,
            json!({"email": "x@isu.test", "password": "short", "role": "ISU_STAFF"}),
        ),
        (
            &admin,
            json!({"email": existing, "password": PASSWORD, "role": "ISU_STAFF"}),
        ),
    ] {
        let body = app.graphql_as(token, create, json!({"i": input})).await;
        assert_ne!(
            body["data"]["createUser"]["userErrors"],
            json!([]),
            "{body}"
        );
    }
    assert_eq!(app.audit_entries().await, before);
}

#[tokio::test]
async fn only_administrators_read_the_log() {
    let app = spawn_app().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let body = app.graphql_as(&staff, LOG, json!({})).await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"));
    assert_eq!(body["data"], Value::Null);
    assert_eq!(
        error_code(&app.graphql(LOG, json!({})).await),
        Some("UNAUTHENTICATED")
    );
}

#[tokio::test]
async fn the_log_filters_and_pages_newest_first() {
    let app = spawn_app().await;
    let login = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let admin = token_of(&login);
    let admin_id = login["user"]["id"].clone();
    for role in ["ISU_STAFF", "COORDINATOR"] {
        app.create_user(role, None, &[]).await;
    }
    let all = app.graphql_as(&admin, LOG, json!({"first": 100})).await;
    let total = all["data"]["auditLog"]["totalCount"]
        .as_i64()
        .expect("total");
    let entries = nodes(&all);
    assert_eq!(entries.len() as i64, total);
    let times: Vec<&str> = entries.iter().filter_map(|e| e["at"].as_str()).collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first");

    let by_actor = app
        .graphql_as(
            &admin,
            LOG,
            json!({"first": 100, "filter": {"actorId": admin_id}}),
        )
        .await;
    assert!(
        nodes(&by_actor)
            .iter()
            .all(|e| e["actor"]["email"] == ADMIN_EMAIL)
    );
    assert!(nodes(&by_actor).iter().any(|e| e["action"] == "createUser"));
    let users = app
        .graphql_as(
            &admin,
            LOG,
            json!({"first": 100, "filter": {"entityType": "User"}}),
        )
        .await;
    assert!(nodes(&users).iter().all(|e| e["entityType"] == "User"));
    let one = &nodes(&users)[0];
    let by_id = app
        .graphql_as(
            &admin,
            LOG,
            json!({"filter": {"entityId": one["entityId"]}}),
        )
        .await;
    assert!(
        nodes(&by_id)
            .iter()
            .all(|e| e["entityId"] == one["entityId"])
    );
    let future = app
        .graphql_as(
            &admin,
            LOG,
            json!({"filter": {"since": "2999-01-01T00:00:00Z"}}),
        )
        .await;
    assert_eq!(future["data"]["auditLog"]["totalCount"], 0);
    let bad_actor = app
        .graphql_as(&admin, LOG, json!({"filter": {"actorId": "nope"}}))
        .await;
    assert_eq!(error_code(&bad_actor), Some("BAD_USER_INPUT"));

    let mut paged = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let body = app
            .graphql_as(&admin, LOG, json!({"first": 2, "after": after}))
            .await;
        assert_eq!(body["data"]["auditLog"]["totalCount"].as_i64(), Some(total));
        paged.extend(nodes(&body).into_iter().map(|e| e["id"].clone()));
        if body["data"]["auditLog"]["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = body["data"]["auditLog"]["pageInfo"]["endCursor"]
            .as_str()
            .map(str::to_owned);
    }
    let ids: Vec<Value> = entries.iter().map(|e| e["id"].clone()).collect();
    assert_eq!(paged, ids);
}
