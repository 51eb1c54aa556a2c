//! Authentication over HTTP: sessions, rotation, revocation, throttling, roles, tokens.

use ccm_isu::auth::jwt::JwtKeys;
use chrono::{Duration, Utc};
use entity::app_setting;
use reqwest::StatusCode;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::*;

const REFRESH: &str = "mutation($t: String!) { refreshSession(input: {refreshToken: $t}) {
  accessToken refreshToken expiresAt userErrors { field message code } } }";
const LOGOUT: &str = "mutation($t: String!) { logout(input: {refreshToken: $t}) { ok userErrors { field message code } } }";
const ME: &str = "{ me { id email role } }";
const CREATE_USER: &str = "mutation($input: CreateUserInput!) { createUser(input: $input) {
  user { id email role state { code } thematicAreas active } userErrors { field message code } } }";

/// Status and body of `{ me }` with a bearer token.
async fn me_with(app: &TestApp, token: &str) -> (StatusCode, Value) {
    let resp = app
        .client
        .post(format!("{}/graphql", app.base))
        .bearer_auth(token)
        .json(&json!({"query": ME}))
        .send()
        .await
        .expect("post");
    let status = resp.status();
    (status, resp.json().await.expect("json"))
}

async fn assert_refused(app: &TestApp, token: &str) {
    let (status, body) = me_with(app, token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
}

fn s(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .to_owned()
}

#[tokio::test]
async fn login_opens_a_session_of_fifteen_minutes() {
    let app = spawn_app().await;
    let login = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(login["userErrors"], json!([]));
    assert_eq!(login["user"]["role"], "ISU_ADMIN");
    let expires: chrono::DateTime<Utc> = s(&login["expiresAt"]).parse().expect("RFC 3339");
    let left = expires - Utc::now();
    assert!(
        left > Duration::minutes(14) && left <= Duration::minutes(15),
        "{left}"
    );
    assert!(
        login["refreshToken"]
            .as_str()
            .is_some_and(|t| t.len() >= 40)
    );
    let (status, body) = me_with(&app, &token_of(&login)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"]["me"]["email"], ADMIN_EMAIL);
    assert_eq!(body["data"]["me"]["role"], "ISU_ADMIN");
    assert_eq!(body["data"]["me"]["id"], login["user"]["id"]);
    assert_eq!(app.graphql(ME, json!({})).await["data"]["me"], Value::Null);
    // Emails are case-insensitive.
    assert_eq!(
        app.login(" Admin@ISU.test ", ADMIN_PASSWORD).await["userErrors"],
        json!([])
    );
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    let wrong = app.login(ADMIN_EMAIL, "not the password").await;
    let unknown = app.login("nobody@isu.test", "not the password").await;
    assert_eq!(wrong["userErrors"], unknown["userErrors"]);
    assert_eq!(wrong["userErrors"][0]["code"], "INVALID_CREDENTIALS");
    for p in [&wrong, &unknown] {
        assert_eq!(p["accessToken"], Value::Null);
        assert_eq!(p["refreshToken"], Value::Null);
    }
}

#[tokio::test]
async fn refreshing_rotates_and_reusing_a_spent_token_ends_the_session() {
    let app = spawn_app().await;
    let login = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let first = s(&login["refreshToken"]);
    let body = app.graphql(REFRESH, json!({"t": first})).await;
    let r = &body["data"]["refreshSession"];
    assert_eq!(r["userErrors"], json!([]), "{body}");
    let second = s(&r["refreshToken"]);
    let access = s(&r["accessToken"]);
    assert_ne!(second, first);
    assert!(r["expiresAt"].is_string(), "{body}");
    let (status, me) = me_with(&app, &access).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["data"]["me"]["email"], ADMIN_EMAIL);

    // The spent token comes back after the grace window: theft. The whole session ends.
    app.age_refresh_rotations().await;
    let reuse = app.graphql(REFRESH, json!({"t": first})).await;
    assert_eq!(
        reuse["data"]["refreshSession"]["userErrors"][0]["code"],
        "UNAUTHENTICATED"
    );
    let next = app.graphql(REFRESH, json!({"t": second})).await;
    assert_eq!(
        next["data"]["refreshSession"]["userErrors"][0]["code"],
        "UNAUTHENTICATED"
    );
    assert_refused(&app, &access).await;
    // Other sessions are untouched.
    let other = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(me_with(&app, &token_of(&other)).await.0, StatusCode::OK);
}

#[tokio::test]
async fn logout_ends_the_session_and_its_access_tokens() {
    let app = spawn_app().await;
    let login = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let body = app
        .graphql(LOGOUT, json!({"t": login["refreshToken"]}))
        .await;
    assert_eq!(body["data"]["logout"]["ok"], true, "{body}");
    let again = app
        .graphql(REFRESH, json!({"t": login["refreshToken"]}))
        .await;
    assert_eq!(
        again["data"]["refreshSession"]["userErrors"][0]["code"],
        "UNAUTHENTICATED"
    );
    assert_refused(&app, &token_of(&login)).await;
    let unknown = app.graphql(LOGOUT, json!({"t": "no-such-token"})).await;
    assert_eq!(unknown["data"]["logout"]["ok"], false);
    assert_eq!(
        unknown["data"]["logout"]["userErrors"][0]["code"],
        "UNAUTHENTICATED"
    );
    let twice = app
        .graphql(LOGOUT, json!({"t": login["refreshToken"]}))
        .await;
    assert_eq!(twice["data"]["logout"]["ok"], false);
}

#[tokio::test]
async fn ten_failures_lock_an_account_for_fifteen_minutes() {
    let app = spawn_app().await;
    for _ in 0..10 {
        let p = app.login(ADMIN_EMAIL, "wrong password!").await;
        assert_eq!(p["userErrors"][0]["code"], "INVALID_CREDENTIALS");
    }
    let p = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(p["userErrors"][0]["code"], "RATE_LIMITED", "{p}");
    assert_eq!(p["accessToken"], Value::Null);
    // Another account from the same address still logs in.
    let email = app.create_user_quietly("ISU_STAFF").await;
    assert_eq!(app.login(&email, PASSWORD).await["userErrors"], json!([]));
}

#[tokio::test]
async fn failures_spread_over_many_accounts_lock_the_client_address() {
    let app = spawn_app().await;
    let email = app.create_user_quietly("ISU_STAFF").await;
    for i in 0..29 {
        let p = app
            .login(&format!("guess-{i}@isu.test"), "wrong password!")
            .await;
        assert_eq!(codes(&p), vec!["INVALID_CREDENTIALS"], "{p}");
    }
    // One below the limit: a correct login still gets through.
    assert_eq!(app.login(&email, PASSWORD).await["userErrors"], json!([]));
    app.login("guess-29@isu.test", "wrong password!").await;
    let fresh = app.create_user_quietly("ISU_STAFF").await;
    let p = app.login(&fresh, PASSWORD).await;
    assert_eq!(p["userErrors"][0]["code"], "RATE_LIMITED", "{p}");
    assert_eq!(p["accessToken"], Value::Null);
}

#[tokio::test]
async fn only_administrators_create_users_and_refusals_write_nothing() {
    let app = spawn_app().await;
    let delegation = app.token_for("DELEGATION", Some("LAO")).await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let coordinator = app.token_for("COORDINATOR", None).await;
    let (users, audit) = (app.users().await, app.audit_entries().await);
    let input =
        json!({"input": {"email": "new@isu.test", "password": PASSWORD, "role": "ISU_ADMIN"}});
    for token in [&delegation, &staff, &coordinator] {
        let body = app.graphql_as(token, CREATE_USER, input.clone()).await;
        assert_eq!(body["data"]["createUser"]["user"], Value::Null);
        assert_eq!(
            codes(&body["data"]["createUser"]),
            vec!["FORBIDDEN"],
            "{body}"
        );
    }
    let body = app.graphql(CREATE_USER, input).await;
    assert_eq!(codes(&body["data"]["createUser"]), vec!["UNAUTHENTICATED"]);
    assert_eq!(
        (app.users().await, app.audit_entries().await),
        (users, audit)
    );
}

#[tokio::test]
async fn invalid_users_are_refused_with_the_offending_field() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let existing = app.create_user("ISU_STAFF", None, &[]).await;
    let (users, audit) = (app.users().await, app.audit_entries().await);
    let user = |email: &str, password: &str, role: &str, state: Value| json!({"input": {"email": email, "password": password, "role": role, "stateCode": state}});
    for (vars, code, field) in [
        (
            user("a@isu.test", "short", "ISU_STAFF", Value::Null),
            "INVALID_INPUT",
            "password",
        ),
        (
            user("a@isu.test", PASSWORD, "DELEGATION", Value::Null),
            "INVALID_INPUT",
            "stateCode",
        ),
        (
            user("a@isu.test", PASSWORD, "DELEGATION", json!("XXX")),
            "INVALID_INPUT",
            "stateCode",
        ),
        (
            user("a@isu.test", PASSWORD, "ISU_STAFF", json!("LAO")),
            "INVALID_INPUT",
            "stateCode",
        ),
        (
            user("not-an-email", PASSWORD, "ISU_STAFF", Value::Null),
            "INVALID_INPUT",
            "email",
        ),
        (
            user(&existing.to_uppercase(), PASSWORD, "ISU_STAFF", Value::Null),
            "ALREADY_EXISTS",
            "email",
        ),
    ] {
        let body = app.graphql_as(&admin, CREATE_USER, vars.clone()).await;
        let p = &body["data"]["createUser"];
        assert_eq!(p["user"], Value::Null, "{vars}");
        assert_eq!(p["userErrors"][0]["code"], code, "{vars}: {body}");
        assert_eq!(
            p["userErrors"][0]["field"],
            json!(["input", field]),
            "{vars}: {body}"
        );
    }
    let areas = json!({"input": {"email": "x@isu.test", "password": PASSWORD, "role": "ISU_STAFF", "thematicAreas": ["CLEARANCE"]}});
    assert_eq!(
        codes(&app.graphql_as(&admin, CREATE_USER, areas).await["data"]["createUser"]),
        vec!["INVALID_INPUT"]
    );
    assert_eq!(
        (app.users().await, app.audit_entries().await),
        (users, audit)
    );

    let body = app
        .graphql_as(&admin, CREATE_USER, json!({"input": {"email": "coord@isu.test", "password": PASSWORD, "role": "COORDINATOR", "thematicAreas": ["CLEARANCE", "VICTIM_ASSISTANCE"]}}))
        .await;
    assert_eq!(
        body["data"]["createUser"]["user"]["thematicAreas"],
        json!(["CLEARANCE", "VICTIM_ASSISTANCE"])
    );
    let body = app
        .graphql_as(&admin, CREATE_USER, json!({"input": {"email": "lao@isu.test", "password": PASSWORD, "role": "DELEGATION", "stateCode": "lao"}}))
        .await;
    assert_eq!(body["data"]["createUser"]["user"]["state"]["code"], "LAO");
    assert_eq!(body["data"]["createUser"]["user"]["active"], true);
}

/// The server's signing keys, read from the database as the server stored them.
async fn server_keys(app: &TestApp) -> JwtKeys {
    let secret = app_setting::Entity::find_by_id("jwt_secret")
        .one(&app.db)
        .await
        .expect("query")
        .expect("stored secret")
        .value;
    JwtKeys::new(secret.as_bytes())
}

#[tokio::test]
async fn tampered_expired_unsigned_and_foreign_tokens_are_refused() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let keys = server_keys(&app).await;
    let claims = keys.verify(&token).expect("a real token verifies");
    let user = Uuid::parse_str(&claims.sub).expect("sub");
    let session = Uuid::parse_str(&claims.sid).expect("sid");

    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let parts: Vec<&str> = token.split('.').collect();
    // Tampered payload: an expiry pushed an hour later, under the original signature.
    let mut payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("base64"))
            .expect("payload JSON");
    payload["exp"] = json!(payload["exp"].as_i64().expect("exp") + 3600);
    let payload = URL_SAFE_NO_PAD.encode(payload.to_string());
    assert_refused(&app, &format!("{}.{}.{}", parts[0], payload, parts[2])).await;
    // Tampered signature: one character in the middle (all of its bits count).
    let mut signature: Vec<char> = parts[2].chars().collect();
    signature[10] = if signature[10] == 'A' { 'B' } else { 'A' };
    let signature: String = signature.into_iter().collect();
    assert_refused(&app, &format!("{}.{}.{}", parts[0], parts[1], signature)).await;

    // Expired, with the server's own key and no leeway.
    let (expired, _) = keys
        .issue(
            user,
            "ISU_ADMIN",
            session,
            Utc::now() - Duration::minutes(16),
        )
        .expect("sign");
    assert_refused(&app, &expired).await;

    // alg: none.
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    assert_refused(&app, &format!("{header}.{}.", parts[1])).await;

    // Signed with another secret.
    let (foreign, _) = JwtKeys::new(b"some other secret of thirty-two bytes!")
        .issue(user, "ISU_ADMIN", session, Utc::now())
        .expect("sign");
    assert_refused(&app, &foreign).await;

    // A valid signature for a session that was logged out.
    let login = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    app.graphql(LOGOUT, json!({"t": login["refreshToken"]}))
        .await;
    let ended_sid =
        Uuid::parse_str(&keys.verify(&token_of(&login)).expect("claims").sid).expect("sid");
    let (ended, _) = keys
        .issue(user, "ISU_ADMIN", ended_sid, Utc::now())
        .expect("sign");
    assert_refused(&app, &ended).await;

    // Garbage and a non-bearer scheme.
    assert_refused(&app, "garbage").await;
    let resp = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("authorization", format!("Basic {token}"))
        .json(&json!({"query": ME}))
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    // The genuine token still works.
    assert_eq!(me_with(&app, &token).await.0, StatusCode::OK);
}

const CHANGE: &str = "mutation($c: String!, $n: String!) { changePassword(input: {currentPassword: $c, newPassword: $n}) { ok userErrors { field code } } }";

#[tokio::test]
async fn changing_the_password_ends_every_other_session() {
    let app = spawn_app().await;
    let email = app.create_user("ISU_STAFF", None, &[]).await;
    let older = app.login(&email, PASSWORD).await;
    let current = app.login(&email, PASSWORD).await;
    let token = token_of(&current);
    let audit = app.audit_entries().await;

    let wrong = app
        .graphql_as(
            &token,
            CHANGE,
            json!({"c": "not it at all", "n": "a brand new password"}),
        )
        .await;
    assert_eq!(
        codes(&wrong["data"]["changePassword"]),
        vec!["INVALID_CREDENTIALS"]
    );
    let short = app
        .graphql_as(&token, CHANGE, json!({"c": PASSWORD, "n": "short"}))
        .await;
    assert_eq!(
        codes(&short["data"]["changePassword"]),
        vec!["INVALID_INPUT"]
    );
    assert_eq!(app.audit_entries().await, audit);
    let anonymous = app
        .graphql(CHANGE, json!({"c": PASSWORD, "n": "a brand new password"}))
        .await;
    assert_eq!(
        codes(&anonymous["data"]["changePassword"]),
        vec!["UNAUTHENTICATED"]
    );

    let ok = app
        .graphql_as(
            &token,
            CHANGE,
            json!({"c": PASSWORD, "n": "a brand new password"}),
        )
        .await;
    assert_eq!(ok["data"]["changePassword"]["ok"], true, "{ok}");
    assert_eq!(
        me_with(&app, &token).await.0,
        StatusCode::OK,
        "this session goes on"
    );
    assert_refused(&app, &token_of(&older)).await;
    let refresh = app
        .graphql(REFRESH, json!({"t": older["refreshToken"]}))
        .await;
    assert_eq!(
        codes(&refresh["data"]["refreshSession"]),
        vec!["UNAUTHENTICATED"]
    );
    assert_eq!(
        app.login(&email, PASSWORD).await["userErrors"][0]["code"],
        "INVALID_CREDENTIALS"
    );
    assert_eq!(
        app.login(&email, "a brand new password").await["userErrors"],
        json!([])
    );
}

const DEACTIVATE: &str = "mutation($id: ID!) { deactivateUser(input: {id: $id}) { user { id email active } userErrors { field code } } }";

#[tokio::test]
async fn a_deactivated_user_is_out_at_once() {
    let app = spawn_app().await;
    let admin_login = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let admin = token_of(&admin_login);
    let email = app.create_user("DELEGATION", Some("LAO"), &[]).await;
    let login = app.login(&email, PASSWORD).await;
    let id = login["user"]["id"].clone();
    let token = token_of(&login);

    let other = app.token_for("DELEGATION", Some("IRQ")).await;
    let forbidden = app.graphql_as(&other, DEACTIVATE, json!({"id": id})).await;
    assert_eq!(
        codes(&forbidden["data"]["deactivateUser"]),
        vec!["FORBIDDEN"]
    );
    assert_eq!(forbidden["data"]["deactivateUser"]["user"], Value::Null);
    assert_eq!(
        me_with(&app, &token).await.0,
        StatusCode::OK,
        "still active"
    );
    let unknown = app
        .graphql_as(
            &admin,
            DEACTIVATE,
            json!({"id": ccm_isu::api::ids::encode("User", Uuid::now_v7())}),
        )
        .await;
    assert_eq!(codes(&unknown["data"]["deactivateUser"]), vec!["NOT_FOUND"]);
    let myself = app
        .graphql_as(&admin, DEACTIVATE, json!({"id": admin_login["user"]["id"]}))
        .await;
    assert_eq!(
        codes(&myself["data"]["deactivateUser"]),
        vec!["INVALID_INPUT"]
    );

    let body = app.graphql_as(&admin, DEACTIVATE, json!({"id": id})).await;
    assert_eq!(
        body["data"]["deactivateUser"]["user"]["active"], false,
        "{body}"
    );
    assert_refused(&app, &token).await;
    assert_eq!(
        app.login(&email, PASSWORD).await["userErrors"][0]["code"],
        "INVALID_CREDENTIALS"
    );
    let twice = app.graphql_as(&admin, DEACTIVATE, json!({"id": id})).await;
    assert_eq!(
        codes(&twice["data"]["deactivateUser"]),
        vec!["INVALID_STATE_TRANSITION"]
    );
}

const USERS: &str = "query($first: Int, $after: String, $filter: UserFilter) { users(first: $first, after: $after, filter: $filter) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { email role active state { code } } } } }";

#[tokio::test]
async fn administrators_list_users_with_filters_and_pages() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.create_user("DELEGATION", Some("LAO"), &[]).await;
    app.create_user("DELEGATION", Some("IRQ"), &[]).await;
    app.create_user("COORDINATOR", None, &["CLEARANCE"]).await;
    let total = |body: &Value| body["data"]["users"]["totalCount"].as_i64();
    assert_eq!(
        total(&app.graphql_as(&admin, USERS, json!({})).await),
        Some(4)
    );
    assert_eq!(
        total(
            &app.graphql_as(&admin, USERS, json!({"filter": {"role": "DELEGATION"}}))
                .await
        ),
        Some(2)
    );
    assert_eq!(
        total(
            &app.graphql_as(&admin, USERS, json!({"filter": {"stateCode": "lao"}}))
                .await
        ),
        Some(1)
    );
    assert_eq!(
        total(
            &app.graphql_as(&admin, USERS, json!({"filter": {"active": false}}))
                .await
        ),
        Some(0)
    );
    assert_eq!(
        total(
            &app.graphql_as(
                &admin,
                USERS,
                json!({"filter": {"active": true, "role": "COORDINATOR"}})
            )
            .await
        ),
        Some(1)
    );

    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let body = app
            .graphql_as(&admin, USERS, json!({"first": 1, "after": after}))
            .await;
        assert_eq!(total(&body), Some(4));
        for e in body["data"]["users"]["edges"].as_array().expect("edges") {
            seen.push(s(&e["node"]["email"]));
        }
        if body["data"]["users"]["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = body["data"]["users"]["pageInfo"]["endCursor"]
            .as_str()
            .map(str::to_owned);
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen, sorted, "every user once, by email");
    assert_eq!(seen.len(), 4);

    let delegation = app.token_for("DELEGATION", Some("LAO")).await;
    let body = app.graphql_as(&delegation, USERS, json!({})).await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"));
    assert_eq!(body["data"], Value::Null);
    assert_eq!(
        error_code(&app.graphql(USERS, json!({})).await),
        Some("UNAUTHENTICATED")
    );
}
