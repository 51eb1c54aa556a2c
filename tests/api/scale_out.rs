//! Two server processes on one database behave as one service: sessions and the login
//! rate limit live in the database, not in a process.

use ccm_isu::kernel::config::Settings;
use ccm_isu::startup::Application;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, spawn_app};

const LOGIN: &str = "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) {
  accessToken refreshToken userErrors { code } } }";
const REFRESH: &str = "mutation($t: String!) { refreshSession(input: {refreshToken: $t}) {
  accessToken refreshToken userErrors { code } } }";

/// A second server on the first one's database; its base URL.
async fn second_server(app: &TestApp) -> String {
    let second = Application::build(Settings::for_database(&app.url))
        .await
        .expect("second server");
    let addr = second.local_addr().expect("addr");
    tokio::spawn(second.run_until_stopped(std::future::pending()));
    format!("http://{addr}")
}

async fn call(app: &TestApp, base: &str, token: Option<&str>, query: &str, vars: Value) -> Value {
    let mut req = app
        .client
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": query, "variables": vars }));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn a_refresh_token_rotated_on_one_server_is_refused_as_reused_on_the_other() {
    let app = spawn_app().await;
    let a = app.base.clone();
    let b = second_server(&app).await;
    let login = call(
        &app,
        &a,
        None,
        LOGIN,
        json!({ "e": ADMIN_EMAIL, "p": ADMIN_PASSWORD }),
    )
    .await;
    let first = login["data"]["login"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    // Rotated on B.
    let rotated = call(&app, &b, None, REFRESH, json!({ "t": first })).await;
    let r = &rotated["data"]["refreshSession"];
    assert_eq!(r["userErrors"], json!([]), "{rotated}");
    let access = r["accessToken"].as_str().unwrap().to_owned();
    let me = call(&app, &a, Some(&access), "{ me { email } }", json!({})).await;
    assert_eq!(
        me["data"]["me"]["email"], ADMIN_EMAIL,
        "A accepts B's token"
    );
    // The old token presented to A after the grace window is a reuse: refused, and the
    // whole session ends, on both servers.
    app.age_refresh_rotations().await;
    let reuse = call(&app, &a, None, REFRESH, json!({ "t": first })).await;
    assert_eq!(
        reuse["data"]["refreshSession"]["userErrors"][0]["code"], "UNAUTHENTICATED",
        "{reuse}"
    );
    for base in [&a, &b] {
        let resp = app
            .client
            .post(format!("{base}/graphql"))
            .bearer_auth(&access)
            .json(&json!({ "query": "{ me { email } }" }))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401, "the session ended on {base}");
    }
}

#[tokio::test]
async fn the_login_rate_limit_counts_failures_on_both_servers() {
    let app = spawn_app().await;
    let a = app.base.clone();
    let b = second_server(&app).await;
    // Ten failures, alternating between the servers.
    for i in 0..10 {
        let base = if i % 2 == 0 { &a } else { &b };
        let p = call(
            &app,
            base,
            None,
            LOGIN,
            json!({ "e": ADMIN_EMAIL, "p": "wrong password!" }),
        )
        .await;
        assert_eq!(
            p["data"]["login"]["userErrors"][0]["code"], "INVALID_CREDENTIALS",
            "{p}"
        );
    }
    for base in [&a, &b] {
        let p = call(
            &app,
            base,
            None,
            LOGIN,
            json!({ "e": ADMIN_EMAIL, "p": ADMIN_PASSWORD }),
        )
        .await;
        assert_eq!(
            p["data"]["login"]["userErrors"][0]["code"], "RATE_LIMITED",
            "{base}: {p}"
        );
    }
}
