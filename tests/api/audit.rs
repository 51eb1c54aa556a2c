//! The audit log over HTTP: entries for changes (what changed, bounded), none for refusals or
//! for updates that change nothing, admin only, filters.

use chrono::{DateTime, Utc};
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
    let uuid = ccm_isu::api::ids::decode_as(&global, "User").expect("user id");
    assert_eq!(app.audit_entries().await, before + 1);

    let log = app
        .graphql_as(
            &admin,
            LOG,
            json!({"filter": {"entityId": uuid.to_string()}}),
        )
        .await;
    let entries = nodes(&log);
    assert_eq!(entries.len(), 1, "{log}");
    let entry = &entries[0];
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
    let uuid = ccm_isu::api::ids::decode_as(id.as_str().expect("id"), "User").expect("uuid");
    let before = app.audit_entries().await;
    let body = app
        .graphql_as(
            &admin,
            "mutation($id: ID!) { deactivateUser(input: {id: $id}) { user { active } userErrors { code } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        body["data"]["deactivateUser"]["user"]["active"], false,
        "{body}"
    );
    assert_eq!(app.audit_entries().await, before + 1);
    let log = app
        .graphql_as(
            &admin,
            LOG,
            json!({"filter": {"entityType": "User", "entityId": uuid.to_string()}}),
        )
        .await;
    let deactivations: Vec<Value> = nodes(&log)
        .into_iter()
        .filter(|e| e["action"] == "deactivateUser")
        .collect();
    assert_eq!(deactivations.len(), 1, "{log}");
    let entry = &deactivations[0];
    assert_eq!(entry["actor"]["email"], ADMIN_EMAIL);
    // What changed, and the user's ID: the email, unchanged, is not repeated.
    assert_eq!(
        json_of(&entry["before"]),
        json!({"id": uuid.to_string(), "active": true})
    );
    assert_eq!(
        json_of(&entry["after"]),
        json!({"id": uuid.to_string(), "active": false})
    );
    assert!(!entry["after"].as_str().unwrap_or_default().contains(&email));
}

#[tokio::test]
async fn refused_mutations_leave_no_entry() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let existing = app.create_user("ISU_STAFF", None, &[]).await;
    let (users, before) = (app.users().await, app.audit_entries().await);
    let create = "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } userErrors { code } } }";
    for (token, input, code) in [
        (
            &staff,
            json!({"email": "x@isu.test", "password": PASSWORD, "role": "ISU_STAFF"}),
            "FORBIDDEN",
        ),
        (
            &admin,
            json!({"email": "x@isu.test", "password": "short", "role": "ISU_STAFF"}),
            "INVALID_INPUT",
        ),
        (
            &admin,
            json!({"email": existing.to_uppercase(), "password": PASSWORD, "role": "ISU_STAFF"}),
            "ALREADY_EXISTS",
        ),
    ] {
        let body = app.graphql_as(token, create, json!({"i": input})).await;
        assert_eq!(codes(&body["data"]["createUser"]), vec![code], "{body}");
        assert_eq!(body["data"]["createUser"]["user"], Value::Null);
    }
    assert_eq!(app.audit_entries().await, before);
    assert_eq!(app.users().await, users);
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
    let staff = app.token_for("ISU_STAFF", None).await;
    app.create_user("COORDINATOR", None, &[]).await;
    let all = app.graphql_as(&admin, LOG, json!({"first": 100})).await;
    let total = all["data"]["auditLog"]["totalCount"]
        .as_i64()
        .expect("total");
    let entries = nodes(&all);
    assert_eq!(entries.len() as i64, total);
    let times: Vec<DateTime<Utc>> = entries
        .iter()
        .map(|e| {
            e["at"]
                .as_str()
                .and_then(|t| t.parse().ok())
                .unwrap_or_else(|| panic!("`at` is not a DateTime: {e}"))
        })
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {times:?}"
    );
    assert_eq!(
        entries[0]["action"], "createUser",
        "the last change comes first"
    );

    let by_actor = app
        .graphql_as(
            &admin,
            LOG,
            json!({"first": 100, "filter": {"actorId": admin_id}}),
        )
        .await;
    let by_actor = nodes(&by_actor);
    assert!(by_actor.iter().all(|e| e["actor"]["email"] == ADMIN_EMAIL));
    assert_eq!(
        by_actor
            .iter()
            .filter(|e| e["action"] == "createUser")
            .count(),
        2
    );
    // The bootstrap entry has no actor, so the filter leaves it out.
    assert!(by_actor.len() < entries.len());
    assert!(entries.iter().any(|e| e["action"] == "bootstrapAdmin"));
    let staff_id =
        app.graphql_as(&staff, "{ me { id } }", json!({})).await["data"]["me"]["id"].clone();
    let by_staff = app
        .graphql_as(
            &admin,
            LOG,
            json!({"first": 100, "filter": {"actorId": staff_id}}),
        )
        .await;
    let by_staff = nodes(&by_staff);
    assert_eq!(by_staff.len(), 1, "only the staff member's login");
    assert_eq!(by_staff[0]["action"], "login");
    let users = app
        .graphql_as(
            &admin,
            LOG,
            json!({"first": 100, "filter": {"entityType": "User"}}),
        )
        .await;
    let users = nodes(&users);
    assert!(users.iter().all(|e| e["entityType"] == "User"));
    assert!(
        users.len() >= 3 && users.len() < entries.len(),
        "sessions left out"
    );
    let one = &users[0];
    let by_id = app
        .graphql_as(
            &admin,
            LOG,
            json!({"filter": {"entityId": one["entityId"]}}),
        )
        .await;
    let by_id = nodes(&by_id);
    assert_eq!(by_id.len(), 1, "one change to that user");
    assert_eq!(by_id[0]["id"], one["id"]);
    let future = app
        .graphql_as(
            &admin,
            LOG,
            json!({"filter": {"since": "2999-01-01T00:00:00Z"}}),
        )
        .await;
    assert_eq!(future["data"]["auditLog"]["totalCount"], 0, "{future}");
    assert_eq!(nodes(&future), Vec::<Value>::new());
    let past = app
        .graphql_as(
            &admin,
            LOG,
            json!({"filter": {"since": "2000-01-01T00:00:00Z"}}),
        )
        .await;
    assert!(past["data"]["auditLog"]["totalCount"].as_i64() > Some(0));
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
    assert_eq!(paged, ids, "every entry once, in the same order");
}

/// The operation text of the contract's operations/audit.graphql
/// (contract/operations/audit.graphql), verbatim.
const CONTRACT_AUDIT_LOG: &str = r#"query AuditLog($first: Int, $after: String, $filter: AuditLogFilter) {
  auditLog(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id at action entityType entityId before after actor { id email role } } }
  }
}"#;

#[tokio::test]
async fn the_frontends_audit_log_operation_runs_as_written() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.create_user("DELEGATION", Some("LAO"), &[]).await;
    let body = app
        .graphql_as(
            &admin,
            CONTRACT_AUDIT_LOG,
            json!({"first": 10, "filter": {"entityType": "User"}}),
        )
        .await;
    assert_eq!(body.get("errors"), None, "{body}");
    let log = &body["data"]["auditLog"];
    assert_eq!(log["totalCount"], 2, "bootstrap and createUser: {body}");
    assert_eq!(log["pageInfo"]["hasNextPage"], false);
    let entries = nodes(&body);
    assert_eq!(entries[0]["action"], "createUser");
    assert_eq!(entries[0]["actor"]["role"], "ISU_ADMIN");
    assert_eq!(entries[1]["action"], "bootstrapAdmin");
    assert_eq!(entries[1]["actor"], Value::Null);
    let body = app.graphql_as(&admin, CONTRACT_AUDIT_LOG, json!({})).await;
    assert_eq!(body.get("errors"), None, "{body}");
}
