//! Faults: the database going down and coming back, an exhausted pool, a panicking
//! request, and crashes in the middle of a write load. The database tests run against a
//! throwaway PostgreSQL cluster ([`Cluster`]) that they stop and crash.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ccm_isu::kernel::config::{Environment, Secret, Settings};
use entity::{assistance_need, audit_entry};
use sea_orm::{ColumnTrait, Database, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::{Value, json};

use crate::cluster::Cluster;
use crate::helpers::{TestApp, error_code, free_port, serve, spawn_app_with, wait_ready};

const COUNT: &str = "{ stateParties(first: 1) { totalCount } }";

async fn post(app_base: &str, client: &reqwest::Client, query: &str) -> reqwest::Response {
    client
        .post(format!("{app_base}/graphql"))
        .json(&json!({ "query": query }))
        .send()
        .await
        .unwrap()
}

async fn ready(app: &TestApp) -> u16 {
    app.client
        .get(format!("{}/health/ready", app.base))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
#[ignore = "needs initdb: run by .ci/run"]
async fn with_the_database_down_requests_answer_503_in_bounded_time_and_service_recovers() {
    let cluster = Cluster::start();
    let url = cluster.url();
    let app = spawn_app_with(|s| {
        s.database_url = Secret::new(&url);
        s.db_acquire_timeout_secs = 2;
    })
    .await;
    let body: Value = post(&app.base, &app.client, COUNT)
        .await
        .json()
        .await
        .unwrap();
    assert!(body["data"]["stateParties"]["totalCount"].as_i64().unwrap() >= 100);
    assert_eq!(ready(&app).await, 200);

    cluster.stop("immediate");
    let started = Instant::now();
    assert_eq!(ready(&app).await, 503);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    for _ in 0..3 {
        let started = Instant::now();
        let resp = post(&app.base, &app.client, COUNT).await;
        let elapsed = started.elapsed();
        assert_eq!(resp.status(), 503);
        assert_eq!(resp.headers()["retry-after"], "1");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(error_code(&body), Some("SERVICE_UNAVAILABLE"), "{body}");
        assert!(!body.to_string().contains("127.0.0.1"), "{body}");
        assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    }
    // A logged-in request fails the same way, at the token check.
    let login = app
        .graphql(
            r#"mutation { login(input: { email: "admin@isu.test", password: "x" }) { accessToken } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&login), Some("SERVICE_UNAVAILABLE"), "{login}");

    // Back up: the same process serves again, without a restart.
    cluster.start_again();
    let deadline = Instant::now() + Duration::from_secs(30);
    while ready(&app).await != 200 {
        assert!(
            Instant::now() < deadline,
            "not ready 30 s after the database came back"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let resp = post(&app.base, &app.client, COUNT).await;
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert!(body["data"]["stateParties"]["totalCount"].as_i64().unwrap() >= 100);
    let token = app.admin_token().await;
    assert!(!token.is_empty());
}

#[tokio::test]
async fn an_exhausted_pool_fails_fast_with_503_and_retry_after() {
    let app = spawn_app_with(|s| {
        s.db_max_connections = 1;
        s.db_acquire_timeout_secs = 1;
    })
    .await;
    assert_eq!(post(&app.base, &app.client, COUNT).await.status(), 200);
    // The test holds the pool's only connection.
    let held = app.db.begin().await.unwrap();
    let started = Instant::now();
    let resp = post(&app.base, &app.client, COUNT).await;
    let elapsed = started.elapsed();
    assert_eq!(resp.status(), 503);
    assert_eq!(resp.headers()["retry-after"], "1");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(error_code(&body), Some("SERVICE_UNAVAILABLE"), "{body}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    assert_eq!(ready(&app).await, 503);
    held.rollback().await.unwrap();
    assert_eq!(post(&app.base, &app.client, COUNT).await.status(), 200);
    assert_eq!(ready(&app).await, 200);
}

/// The gauge `name` on `/metrics`.
async fn gauge(app: &TestApp, name: &str) -> i64 {
    let text = app
        .client
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("no {name} in:\n{text}"))
        .trim()
        .parse()
        .unwrap()
}

/// Waits until the gauge `name` reads `value` (at most 10 s).
async fn until_gauge(app: &TestApp, name: &str, value: i64) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while gauge(app, name).await != value {
        assert!(Instant::now() < deadline, "{name} never reached {value}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn queries_past_the_cap_wait_their_turn_and_mutations_do_not() {
    const EXECUTING: &str = "isu_graphql_queries_executing";
    const WAITING: &str = "isu_graphql_queries_waiting";
    let app = spawn_app_with(|s| {
        s.db_max_connections = 1;
        s.db_acquire_timeout_secs = 30;
        s.connections.max_operations = Some(1);
    })
    .await;
    assert_eq!(post(&app.base, &app.client, COUNT).await.status(), 200);
    assert_eq!(
        (gauge(&app, EXECUTING).await, gauge(&app, WAITING).await),
        (0, 0)
    );
    // The test holds the pool's only connection: the first query waits for it, in its turn.
    let held = app.db.begin().await.unwrap();
    let (base, client) = (app.base.clone(), app.client.clone());
    let first = tokio::spawn(async move { post(&base, &client, COUNT).await });
    until_gauge(&app, EXECUTING, 1).await;
    // The second query needs no database, and still waits for the first's turn to end.
    let (base, client) = (app.base.clone(), app.client.clone());
    let second = tokio::spawn(async move { post(&base, &client, "{ __typename }").await });
    until_gauge(&app, WAITING, 1).await;
    // A mutation takes no turn: it runs meanwhile.
    let mutation = post(&app.base, &app.client, "mutation { __typename }").await;
    assert_eq!(mutation.status(), 200);
    let mutation: Value = mutation.json().await.unwrap();
    assert_eq!(mutation["data"]["__typename"], "Mutation", "{mutation}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!second.is_finished(), "the second ran out of turn");
    assert_eq!(gauge(&app, EXECUTING).await, 1);
    held.rollback().await.unwrap();
    let first = first.await.unwrap();
    assert_eq!(first.status(), 200);
    let first: Value = first.json().await.unwrap();
    assert!(
        first["data"]["stateParties"]["totalCount"]
            .as_i64()
            .unwrap()
            > 100
    );
    let second = second.await.unwrap();
    assert_eq!(second.status(), 200);
    let second: Value = second.json().await.unwrap();
    assert_eq!(second["data"]["__typename"], "Query", "{second}");
    assert_eq!(
        (gauge(&app, EXECUTING).await, gauge(&app, WAITING).await),
        (0, 0)
    );
}

#[tokio::test]
async fn a_panic_answers_500_to_its_own_request_only() {
    let app = spawn_app_with(|s| s.fault_injection = true).await;
    let panicking = app.client.get(format!("{}/debug/panic", app.base)).send();
    let other = post(&app.base, &app.client, COUNT);
    let (panicking, other) = tokio::join!(panicking, other);
    let panicking = panicking.unwrap();
    assert_eq!(panicking.status(), 500);
    let body: Value = panicking.json().await.unwrap();
    assert_eq!(error_code(&body), Some("INTERNAL_SERVER_ERROR"));
    assert!(!body.to_string().contains("fault injection"), "{body}");
    assert_eq!(other.status(), 200);
    for _ in 0..3 {
        assert_eq!(
            app.client
                .get(format!("{}/debug/panic", app.base))
                .send()
                .await
                .unwrap()
                .status(),
            500
        );
        assert_eq!(post(&app.base, &app.client, COUNT).await.status(), 200);
    }
}

#[tokio::test]
async fn fault_injection_is_off_by_default_and_refused_in_production() {
    let app = spawn_app_with(|_| {}).await;
    let resp = app
        .client
        .get(format!("{}/debug/panic", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    let mut s = Settings::for_database("sqlite::memory:");
    s.environment = Environment::Production;
    s.jwt_secret = Some(Secret::new("a-production-secret-of-at-least-32-bytes!"));
    assert!(s.validate().is_ok());
    s.fault_injection = true;
    assert!(s.validate().is_err());
}

/// Mutations sent by `workers` clients in a loop until the server stops answering; the
/// IDs and titles of the ones acknowledged.
async fn write_load(
    base: String,
    token: String,
    workers: usize,
) -> (
    Arc<Mutex<Vec<(String, String)>>>,
    Vec<tokio::task::JoinHandle<()>>,
) {
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let mut handles = Vec::new();
    for w in 0..workers {
        let (base, token, acknowledged) = (base.clone(), token.clone(), Arc::clone(&acknowledged));
        handles.push(tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap();
            for i in 0.. {
                let title = format!("crash-{w}-{i}");
                let sent = client
                    .post(format!("{base}/graphql"))
                    .bearer_auth(&token)
                    .json(&json!({
                        "query": "mutation($input: CreateAssistanceNeedInput!) { createAssistanceNeed(input: $input) { need { id } userErrors { code } } }",
                        "variables": { "input": {
                            "stateCode": "LAO", "thematicArea": "CLEARANCE",
                            "assistanceTypes": ["FINANCIAL"], "title": title,
                        } }
                    }))
                    .send()
                    .await;
                let Ok(resp) = sent else { return };
                if resp.status() != 200 {
                    return;
                }
                let Ok(body) = resp.json::<Value>().await else { return };
                let payload = &body["data"]["createAssistanceNeed"];
                match payload["need"]["id"].as_str() {
                    Some(id) if payload["userErrors"] == json!([]) => {
                        acknowledged.lock().unwrap().push((id.to_owned(), title));
                    }
                    _ => return,
                }
            }
        }));
    }
    (acknowledged, handles)
}

/// Every acknowledged need is in the database, and every need of the load has its audit
/// entry and no audit entry lacks its need: each mutation was all or nothing.
async fn check_all_or_nothing(url: &str, acknowledged: &[(String, String)]) {
    let db = Database::connect(url).await.unwrap();
    let needs = assistance_need::Entity::find()
        .filter(assistance_need::Column::Title.starts_with("crash-"))
        .all(&db)
        .await
        .unwrap();
    let audits = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("createAssistanceNeed"))
        .all(&db)
        .await
        .unwrap();
    let audited: std::collections::HashSet<&str> =
        audits.iter().map(|a| a.entity_id.as_str()).collect();
    for (gid, title) in acknowledged {
        let need = needs
            .iter()
            .find(|n| &n.title == title)
            .unwrap_or_else(|| panic!("acknowledged {title} ({gid}) is missing"));
        assert!(
            audited.contains(need.id.to_string().as_str()),
            "{title} has no audit entry"
        );
    }
    for n in &needs {
        assert!(
            audited.contains(n.id.to_string().as_str()),
            "{} has no audit entry",
            n.title
        );
    }
    assert_eq!(audits.len(), needs.len(), "an audit entry without its need");
    db.close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs initdb: run by .ci/run"]
async fn after_crashes_under_write_load_acknowledged_writes_are_there_and_none_is_half_written() {
    let cluster = Cluster::start();
    let url = cluster.url();
    let client = reqwest::Client::new();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut total = Vec::new();

    // First the server is killed (SIGKILL), then the database crashes (immediate
    // shutdown, recovered from the WAL), each in the middle of the load.
    for crash in ["server", "database"] {
        let server = serve(&url, port);
        wait_ready(&client, &base).await;
        let login: Value = client
            .post(format!("{base}/graphql"))
            .json(&json!({ "query": r#"mutation { login(input: { email: "admin@isu.test", password: "admin-password-123" }) { accessToken } }"# }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = login["data"]["login"]["accessToken"]
            .as_str()
            .unwrap()
            .to_owned();
        let (acknowledged, handles) = write_load(base.clone(), token, 8).await;
        // Let the load run until a few dozen writes are in.
        let deadline = Instant::now() + Duration::from_secs(30);
        while acknowledged.lock().unwrap().len() < 40 {
            assert!(Instant::now() < deadline, "the load did not get going");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        match crash {
            "server" => drop(server),
            _ => {
                cluster.stop("immediate");
                drop(server);
                cluster.start_again();
            }
        }
        for h in handles {
            h.await.unwrap();
        }
        let acknowledged = acknowledged.lock().unwrap().clone();
        total.extend(acknowledged);
        check_all_or_nothing(&url, &total).await;
    }
    assert!(total.len() >= 80);
}
