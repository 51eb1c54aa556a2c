//! The rest of the exposed surface (issue 26, item 8) and the client address behind a
//! trusted proxy (item 4): request IDs, `/metrics` behind a token or on its own listener,
//! no GraphiQL, export years, weak production secrets, `X-Forwarded-For`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ccm_isu::kernel::config::{Secret, Settings};
use ccm_isu::startup::Application;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

async fn request_id_answered(app: &TestApp, sent: &str) -> String {
    let resp = app
        .client
        .get(format!("{}/health/live", app.base))
        .header("x-request-id", sent)
        .send()
        .await
        .expect("sent");
    resp.headers()["x-request-id"]
        .to_str()
        .expect("ascii")
        .to_owned()
}

#[tokio::test]
async fn a_request_id_is_kept_up_to_128_visible_characters_and_replaced_otherwise() {
    let app = spawn_app().await;
    let longest = format!("{}~!", "a".repeat(126));
    assert_eq!(request_id_answered(&app, &longest).await, longest);
    for unfit in [
        format!("{longest}x"),
        "with space".to_owned(),
        "tab\tbed".to_owned(),
    ] {
        let answered = request_id_answered(&app, &unfit).await;
        assert_ne!(answered, unfit);
        assert!(uuid::Uuid::parse_str(&answered).is_ok(), "{answered}");
    }
    // Bytes beyond ASCII are replaced too.
    let resp = app
        .client
        .get(format!("{}/health/live", app.base))
        .header(
            "x-request-id",
            reqwest::header::HeaderValue::from_bytes(b"caf\xe9").expect("obs-text"),
        )
        .send()
        .await
        .expect("sent");
    let answered = resp.headers()["x-request-id"].to_str().expect("ascii");
    assert!(uuid::Uuid::parse_str(answered).is_ok(), "{answered}");
}

#[tokio::test]
async fn metrics_behind_a_token_answer_only_with_it() {
    let token = "m3trics-scraper-t0ken";
    let app = spawn_app_with(|s| s.connections.metrics_token = Some(Secret::new(token))).await;
    let get = |auth: Option<String>| {
        let mut req = app.client.get(format!("{}/metrics", app.base));
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        req.send()
    };
    for refused in [
        None,
        Some("Bearer wrong-token-of-some-length".to_owned()),
        Some(format!("Basic {token}")),
    ] {
        let resp = get(refused.clone()).await.expect("sent");
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{refused:?}");
        let body: Value = resp.json().await.expect("json");
        assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
    }
    let resp = get(Some(format!("Bearer {token}"))).await.expect("sent");
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.text().await.expect("text").contains("# EOF"));
}

#[tokio::test]
async fn metrics_on_their_own_listener_are_not_on_the_api_listener() {
    let app = spawn_app().await;
    let mut settings = Settings::for_database(&app.url);
    settings.connections.metrics_listen = Some(([127, 0, 0, 1], 0).into());
    let server = Application::build(settings).await.expect("builds");
    let api = server.local_addr().expect("bound");
    let metrics = server.metrics_addr().expect("a metrics listener");
    tokio::spawn(server.run_until_stopped(std::future::pending()));
    let on_api = app
        .client
        .get(format!("http://{api}/metrics"))
        .send()
        .await
        .expect("sent");
    assert_eq!(on_api.status(), StatusCode::NOT_FOUND);
    let own = app
        .client
        .get(format!("http://{metrics}/metrics"))
        .send()
        .await
        .expect("sent");
    assert_eq!(own.status(), StatusCode::OK);
    assert!(own.text().await.expect("text").contains("# EOF"));
    // Only `/metrics` there: the API is not reachable through it.
    let graphql = app
        .client
        .post(format!("http://{metrics}/graphql"))
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .expect("sent");
    assert_eq!(graphql.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn graphiql_is_not_served() {
    let app = spawn_app().await;
    let resp = app
        .client
        .get(format!("{}/graphiql", app.base))
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_export_year_out_of_range_answers_400() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for path in [
        "compliance/99999",
        "compliance/-5",
        "compliance/2147483647",
        "workplan/1800",
        "contributions/3000",
    ] {
        let resp = app
            .client
            .get(format!("{}/exports/{path}.csv", app.base))
            .bearer_auth(&admin)
            .send()
            .await
            .expect("sent");
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{path}");
        let body: Value = resp.json().await.expect("json");
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{path}");
    }
    // A year in range still answers.
    let resp = app
        .client
        .get(format!("{}/exports/compliance/2024.csv", app.base))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status(), StatusCode::OK);
}

#[tokio::test]
async fn production_refuses_a_jwt_secret_with_little_entropy() {
    let app = spawn_app().await;
    let mut settings = Settings::for_database(&app.url);
    settings.environment = ccm_isu::kernel::config::Environment::Production;
    settings.jwt_secret = Some(Secret::new("x".repeat(64)));
    let Err(refused) = Application::build(settings.clone()).await else {
        panic!("the server started with a weak secret");
    };
    let message = refused.to_string();
    assert!(
        message.contains("ISU_JWT_SECRET has too little entropy"),
        "{message}"
    );
    settings.jwt_secret = Some(Secret::new("production-secret-0123456789abcdef"));
    assert!(Application::build(settings).await.is_ok());
}

/// Starts the binary with `ISU_TRUSTED_PROXIES`, sends one request with
/// `X-Forwarded-For`, and returns the client address its log lines name.
async fn logged_client(app: &TestApp, trusted: &str, forwarded_for: &str) -> Vec<String> {
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ccm-isu"))
        .args(["serve"])
        .env("DATABASE_URL", &app.url)
        .env("ISU_LOG_FORMAT", "json")
        .env("ISU_TRUSTED_PROXIES", trusted)
        .env("ISU_LISTEN", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "info")
        .env_remove("ISU_ENV")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !app
        .client
        .get(format!("{base}/health/live"))
        .send()
        .await
        .is_ok_and(|r| r.status() == 200)
    {
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let resp = app
        .client
        .get(format!("{base}/health/ready"))
        .header("x-request-id", "whose-address")
        .header("x-forwarded-for", forwarded_for)
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status(), 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    child.kill().expect("kill");
    let out = child.wait_with_output().expect("output");
    BufReader::new(&out.stdout[..])
        .lines()
        .chain(BufReader::new(&out.stderr[..]).lines())
        .map_while(Result::ok)
        .filter_map(|l| serde_json::from_str::<Value>(&l).ok())
        .filter(|v| v["span"]["request_id"] == "whose-address")
        .filter_map(|v| v["span"]["client"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn x_forwarded_for_names_the_client_only_from_a_trusted_proxy() {
    let app = spawn_app().await;
    let trusted = logged_client(&app, "127.0.0.0/8", "203.0.113.5, 198.51.100.7").await;
    assert!(!trusted.is_empty());
    assert!(trusted.iter().all(|c| c == "198.51.100.7"), "{trusted:?}");
    let untrusted = logged_client(&app, "10.0.0.0/8", "198.51.100.7").await;
    assert!(!untrusted.is_empty());
    assert!(untrusted.iter().all(|c| c == "127.0.0.1"), "{untrusted:?}");
}
