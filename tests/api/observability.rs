//! `/metrics`, request IDs and JSON logs.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{ADMIN_EMAIL, TestApp, free_port, serve, spawn_app, wait_ready};

async fn metrics(app: &TestApp) -> String {
    metrics_at(&app.client, &app.base).await
}

async fn metrics_at(client: &reqwest::Client, base: &str) -> String {
    let resp = client.get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text")
    );
    resp.text().await.unwrap()
}

/// The value of the sample `name` (with its labels, as printed), if present.
fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines().find_map(|l| {
        l.strip_prefix(name)
            .and_then(|rest| rest.strip_prefix(' '))
            .and_then(|v| v.trim().parse().ok())
    })
}

#[tokio::test]
async fn metrics_count_operations_by_name_statements_pool_and_argon2() {
    let app = spawn_app().await;
    let token = app.token_for("DELEGATION", Some("LAO")).await;
    let before = metrics(&app).await;
    assert_eq!(
        sample(
            &before,
            "isu_graphql_operations_total{operation=\"MyDeadlines\"}"
        ),
        None
    );
    let q = "query MyDeadlines { me { email } }";
    for _ in 0..3 {
        let body = app.graphql_as(&token, q, json!({})).await;
        assert!(body.get("errors").is_none(), "{body}");
    }
    // An operation that fails validation is counted, with its error.
    app.graphql("query Broken { noSuchField }", json!({})).await;
    // A name chosen to pollute the label set is not kept.
    app.graphql("query Injected { __typename }", json!({}))
        .await;
    let injected = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("accept", "application/json")
        .json(&json!({ "query": "query X { __typename }", "operationName": "x\"} 1\nevil" }))
        .send()
        .await
        .unwrap();
    assert_eq!(injected.status(), 200);

    let after = metrics(&app).await;
    assert_eq!(
        sample(
            &after,
            "isu_graphql_operations_total{operation=\"MyDeadlines\"}"
        ),
        Some(3.0),
        "{after}"
    );
    assert_eq!(
        sample(
            &after,
            "isu_graphql_operation_duration_seconds_count{operation=\"MyDeadlines\"}"
        ),
        Some(3.0)
    );
    assert!(
        sample(
            &after,
            "isu_graphql_operation_duration_seconds_sum{operation=\"MyDeadlines\"}"
        )
        .unwrap()
            > 0.0
    );
    assert_eq!(
        sample(
            &after,
            "isu_graphql_operation_errors_total{operation=\"Broken\"}"
        ),
        Some(1.0)
    );
    assert_eq!(
        sample(
            &after,
            "isu_graphql_operation_errors_total{operation=\"MyDeadlines\"}"
        ),
        None
    );
    assert!(!after.contains("evil"), "{after}");
    assert!(sample(&after, "isu_graphql_operations_total{operation=\"other\"}").is_some());
    // Every request so far was answered 200, this scrape's predecessor included.
    assert!(sample(&after, "isu_http_responses_total{status=\"200\"}").unwrap() >= 6.0);
    let statements = sample(&after, "isu_db_statements_total").unwrap();
    assert!(statements > sample(&before, "isu_db_statements_total").unwrap());
    assert!(sample(&after, "isu_db_statement_duration_seconds_count").unwrap() >= statements);
    assert_eq!(
        sample(&after, "isu_db_pool_connections{state=\"max\"}"),
        Some(5.0)
    );
    assert!(sample(&after, "isu_db_pool_connections{state=\"in_use\"}").is_some());
    assert_eq!(sample(&after, "isu_argon2_queue_length"), Some(0.0));
    assert!(sample(&after, "isu_password_hashes_total").is_some());
    assert!(sample(&after, "isu_process_resident_memory_bytes").unwrap() > 1e6);
    assert!(after.trim_end().ends_with("# EOF"));
}

/// Hashing is the process's, so its count is read from a server alone in its process.
/// Every login the throttle lets through hashes one password, an unknown email's too (the
/// dummy hash); a login it refuses hashes none.
#[tokio::test]
async fn password_hashes_count_exactly_the_logins_past_the_throttle() {
    let app = spawn_app().await;
    let port = free_port();
    let _server = serve(&app.url, port);
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&app.client, &base).await;
    let hashes = |text: &str| sample(text, "isu_password_hashes_total").unwrap();
    let before = hashes(&metrics_at(&app.client, &base).await);

    let mut logins = tokio::task::JoinSet::new();
    let unknown = (0..3).map(|i| format!("nobody-{i}@isu.test"));
    let guesses = std::iter::repeat_n(ADMIN_EMAIL.to_owned(), 25);
    for (i, email) in unknown.chain(guesses).enumerate() {
        let (client, base) = (app.client.clone(), base.clone());
        logins.spawn(async move {
            let body: Value = client
                .post(format!("{base}/graphql"))
                .json(&json!({
                    "query": "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { userErrors { code } } }",
                    "variables": {"e": email, "p": format!("wrong guess {i}")},
                }))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            body["data"]["login"]["userErrors"][0]["code"]
                .as_str()
                .map(str::to_owned)
        });
    }
    let (mut attempted, mut limited) = (0, 0);
    while let Some(code) = logins.join_next().await {
        match code.unwrap().as_deref() {
            Some("INVALID_CREDENTIALS") => attempted += 1,
            Some("RATE_LIMITED") => limited += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    // Three unknown emails and the administrator's ten attempts from this address.
    assert_eq!((attempted, limited), (13, 15));
    let after = hashes(&metrics_at(&app.client, &base).await);
    assert_eq!(after - before, f64::from(attempted));
}

#[tokio::test]
async fn failed_statements_and_error_statuses_are_counted() {
    let app = spawn_app().await;
    let resp = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 415);
    use sea_orm::{ConnectionTrait, Statement};
    let bad = Statement::from_string(app.db.get_database_backend(), "SELECT * FROM no_such_table");
    assert!(app.db.query_all_raw(bad).await.is_err());
    let text = metrics(&app).await;
    assert_eq!(
        sample(&text, "isu_http_responses_total{status=\"415\"}"),
        Some(1.0)
    );
    assert!(sample(&text, "isu_db_statement_errors_total").unwrap() >= 1.0);
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_keeps_the_callers() {
    let app = spawn_app().await;
    let fresh = app
        .client
        .get(format!("{}/health/live", app.base))
        .send()
        .await
        .unwrap();
    let id = fresh.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(uuid::Uuid::parse_str(&id).unwrap().get_version_num(), 4);
    let kept = app
        .client
        .get(format!("{}/health/live", app.base))
        .header("x-request-id", "lb-7f3a")
        .send()
        .await
        .unwrap();
    assert_eq!(kept.headers()["x-request-id"], "lb-7f3a");
}

/// The binary in production logs one JSON object per line, with the request's ID on the
/// lines a request causes.
#[tokio::test]
async fn production_logs_are_json_lines_with_the_request_id() {
    let app = spawn_app().await;
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ccm-isu"))
        .args(["serve"])
        .env("DATABASE_URL", &app.url)
        .env("ISU_ENV", "production")
        .env(
            "ISU_JWT_SECRET",
            "a-production-secret-of-at-least-32-bytes!",
        )
        .env("ISU_LISTEN", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "info")
        .env_remove("ISU_LOG_FORMAT")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&app.client, &base).await;
    let resp = app
        .client
        .post(format!("{base}/graphql"))
        .header("x-request-id", "trace-me-42")
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let lines: Vec<String> = BufReader::new(&out.stdout[..])
        .lines()
        .chain(BufReader::new(&out.stderr[..]).lines())
        .map(Result::unwrap)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!lines.is_empty());
    let parsed: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(
        parsed
            .iter()
            .all(|v| v["level"].is_string() && v["timestamp"].is_string())
    );
    let traced: Vec<&Value> = parsed
        .iter()
        .filter(|v| v["span"]["request_id"] == "trace-me-42")
        .collect();
    assert!(!traced.is_empty(), "{lines:#?}");
    assert!(traced.iter().any(|v| v["span"]["path"] == "/graphql"));
}
