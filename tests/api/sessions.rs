//! Sessions across tabs: a refresh token rotated moments ago still answers the pair its
//! rotation issued (two tabs refreshing at once both stay logged in); presented again
//! after the grace window, it ends the whole session, and the audit log says why.

use serde_json::{Value, json};

use crate::helpers::*;

const REFRESH: &str = "mutation($t: String!) { refreshSession(input: {refreshToken: $t}) {
  accessToken refreshToken expiresAt userErrors { field message code } } }";

fn pair(body: &Value) -> (String, String, String) {
    let r = &body["data"]["refreshSession"];
    assert_eq!(r["userErrors"], json!([]), "{body}");
    let s = |v: &Value| v.as_str().expect("a string").to_owned();
    (
        s(&r["accessToken"]),
        s(&r["refreshToken"]),
        s(&r["expiresAt"]),
    )
}

fn refused(body: &Value) -> bool {
    body["data"]["refreshSession"]["userErrors"][0]["code"] == "UNAUTHENTICATED"
}

async fn me(app: &TestApp, access: &str) -> Value {
    app.graphql_as(access, "{ me { email } }", json!({})).await
}

#[tokio::test]
async fn two_tabs_refreshing_at_the_same_moment_get_the_same_pair_and_stay_logged_in() {
    let app = spawn_app().await;
    let login = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let mut token = login["refreshToken"].as_str().expect("token").to_owned();
    // Several rounds, so that both orders of the race are likely to occur.
    for round in 0..4 {
        let (a, b) = tokio::join!(
            app.graphql(REFRESH, json!({"t": token})),
            app.graphql(REFRESH, json!({"t": token})),
        );
        let (a, b) = (pair(&a), pair(&b));
        assert_eq!(a, b, "round {round}: both tabs hold the same pair");
        assert_ne!(a.1, token, "a new refresh token");
        assert_eq!(me(&app, &a.0).await["data"]["me"]["email"], ADMIN_EMAIL);
        token = a.1;
    }
    // The latest successor still rotates: the session was never ended.
    let next = app.graphql(REFRESH, json!({"t": token})).await;
    assert_eq!(
        me(&app, &pair(&next).0).await["data"]["me"]["email"],
        ADMIN_EMAIL
    );
}

#[tokio::test]
async fn a_token_presented_again_within_the_grace_window_answers_the_same_pair() {
    let app = spawn_app().await;
    let login = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let first = login["refreshToken"].as_str().expect("token").to_owned();
    let once = pair(&app.graphql(REFRESH, json!({"t": first})).await);
    let again = pair(&app.graphql(REFRESH, json!({"t": first})).await);
    assert_eq!(once, again);
    // The successor is a working refresh token, spent once like any other.
    let third = pair(&app.graphql(REFRESH, json!({"t": once.1})).await);
    assert_ne!(third.1, once.1);
}

#[tokio::test]
async fn a_token_presented_again_after_the_grace_window_ends_the_session_and_is_audited() {
    let app = spawn_app().await;
    let login = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let first = login["refreshToken"].as_str().expect("token").to_owned();
    let (access, second, _) = pair(&app.graphql(REFRESH, json!({"t": first})).await);
    app.age_refresh_rotations().await;

    assert!(refused(&app.graphql(REFRESH, json!({"t": first})).await));
    // The whole session ended: its successor and its access token too.
    assert!(refused(&app.graphql(REFRESH, json!({"t": second})).await));
    assert_eq!(
        error_code(&me(&app, &access).await),
        Some("UNAUTHENTICATED")
    );

    let admin = app.admin_token().await;
    let log = app
        .graphql_as(
            &admin,
            "{ auditLog(first: 10, filter: {entityType: \"Session\"}) {
                edges { node { action after actor { email } } } } }",
            json!({}),
        )
        .await;
    let edges = log["data"]["auditLog"]["edges"]
        .as_array()
        .expect("entries")
        .clone();
    let ended: Vec<&Value> = edges
        .iter()
        .map(|e| &e["node"])
        .filter(|n| n["action"] == "refreshSession")
        .collect();
    assert_eq!(ended.len(), 1, "{log}");
    assert_eq!(ended[0]["actor"]["email"], ADMIN_EMAIL);
    let after: Value =
        serde_json::from_str(ended[0]["after"].as_str().expect("after")).expect("JSON");
    assert_eq!(after["ended"], "refresh token reused", "{after}");
    assert!(after["secondsAfterRotation"].as_i64() > Some(20), "{after}");
}
