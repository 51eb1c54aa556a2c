//! `spawn_app()` and friends.

use std::sync::atomic::{AtomicUsize, Ordering};

use ccm_isu::kernel::config::{Secret, Settings};
use ccm_isu::startup::Application;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use uuid::Uuid;

pub const ADMIN_EMAIL: &str = "admin@isu.test";
pub const ADMIN_PASSWORD: &str = "admin-password-123";
pub const PASSWORD: &str = "delegate-password-456";

/// A running server and a direct handle on its database.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    /// The database URL, for starting a second server on the same database.
    pub url: String,
    _database: TestDatabase,
}

/// A database created for one test and removed when the test ends.
pub(crate) enum TestDatabase {
    Sqlite(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

impl TestDatabase {
    pub(crate) async fn create() -> (Self, String) {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(admin_url) if admin_url.starts_with("postgres") => {
                let name = format!("ccm_test_{}", Uuid::new_v4().simple());
                let admin = Database::connect(&admin_url)
                    .await
                    .expect("connect to TEST_DATABASE_URL");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(b, _)| b.to_owned())
                    .expect("TEST_DATABASE_URL has a database path");
                let url = format!("{base}/{name}");
                (Self::Postgres { admin_url, name }, url)
            }
            _ => {
                let path = std::env::temp_dir()
                    .join(format!("ccm-isu-test-{}.db", Uuid::new_v4().simple()));
                let url = format!("sqlite://{}?mode=rwc", path.display());
                (Self::Sqlite(path), url)
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match self {
            Self::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Self::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime: use a thread with its own.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()?;
                    rt.block_on(async {
                        if let Ok(admin) = Database::connect(&admin_url).await {
                            let _ = admin
                                .execute_unprepared(&format!(
                                    "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                                ))
                                .await;
                            let _ = admin.close().await;
                        }
                    });
                    Ok::<(), std::io::Error>(())
                })
                .join();
            }
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the app with settings adjusted by `configure`.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    // Logs go through the test writer, so they show only for failing tests.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("warn,sqlx=error"))
        .with_test_writer()
        .try_init();
    let (database, url) = TestDatabase::create().await;
    let mut settings = Settings::for_database(&url);
    let database_url = url.clone();
    settings.bootstrap_admin_email = Some(ADMIN_EMAIL.into());
    settings.bootstrap_admin_password = Some(Secret::new(ADMIN_PASSWORD));
    // The records are complete since the Convention opened for signature: nothing is
    // NOT_RECORDED unless a test says when its records begin.
    settings.records_since = chrono::NaiveDate::from_ymd_opt(2008, 12, 3);
    // And the registry starts without the shipped history, so that tests record their own
    // extensions and completions; tests/api/history.rs loads it.
    settings.shipped_history = false;
    configure(&mut settings);
    let app = Application::build(settings).await.expect("app builds");
    let addr = app.local_addr().expect("bound");
    let db = app.context().db.clone();
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    TestApp {
        base: format!("http://{addr}"),
        client: reqwest::Client::new(),
        db,
        url: database_url,
        _database: database,
    }
}

impl TestApp {
    /// A second server on this app's database, with settings adjusted by `configure` (a
    /// pinned day, another limit); answers its base URL.
    pub async fn second_server(&self, configure: impl FnOnce(&mut Settings)) -> String {
        let mut settings = Settings::for_database(&self.url);
        configure(&mut settings);
        let second = Application::build(settings).await.expect("second app");
        let addr = second.local_addr().expect("addr");
        tokio::spawn(second.run_until_stopped(std::future::pending()));
        format!("http://{addr}")
    }

    /// The count of SQL statements the server at `base` (this one or one of
    /// [`TestApp::second_server`]) has run so far (`isu_db_statements_total` on `/metrics`).
    pub async fn statements_at(&self, base: &str) -> u64 {
        let text = self
            .client
            .get(format!("{base}/metrics"))
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("metrics text");
        text.lines()
            .find_map(|l| l.strip_prefix("isu_db_statements_total "))
            .unwrap_or_else(|| panic!("no isu_db_statements_total in:\n{text}"))
            .trim()
            .parse()
            .expect("a count")
    }

    /// POSTs a GraphQL operation with a bearer token to the server at `base` (one of
    /// [`TestApp::second_server`]); returns the JSON body.
    pub async fn graphql_at(&self, base: &str, token: &str, q: &str, vars: Value) -> Value {
        self.graphql_on(base, Some(token), q, vars).await
    }

    /// POSTs `query` to the server at `base`, anonymously or with `token`.
    pub async fn graphql_on(
        &self,
        base: &str,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Value {
        let mut req = self
            .client
            .post(format!("{base}/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
            .await
            .expect("request sent")
            .json()
            .await
            .expect("JSON body")
    }

    /// The statements one POST of `query` costs the server at `base`, the fewest of three
    /// (a slow machine only ever adds), and the last answer.
    pub async fn statements_for(
        &self,
        base: &str,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> (u64, Value) {
        let mut best = u64::MAX;
        let mut body = Value::Null;
        for _ in 0..3 {
            let before = self.statements_at(base).await;
            body = self.graphql_on(base, token, query, variables.clone()).await;
            best = best.min(self.statements_at(base).await - before);
        }
        (best, body)
    }
}

static USER_SEQ: AtomicUsize = AtomicUsize::new(0);

impl TestApp {
    /// POSTs a GraphQL operation, with a bearer token when given; returns the JSON body.
    pub async fn graphql_with(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        self.graphql_on(&self.base, token, query, variables).await
    }

    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        self.graphql_with(None, query, variables).await
    }

    pub async fn graphql_as(&self, token: &str, query: &str, variables: Value) -> Value {
        self.graphql_with(Some(token), query, variables).await
    }

    /// The `login` payload.
    pub async fn login(&self, email: &str, password: &str) -> Value {
        let body = self
            .graphql(
                "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) {
                    accessToken refreshToken expiresAt user { id email role state { code } }
                    userErrors { field message code } } }",
                json!({ "e": email, "p": password }),
            )
            .await;
        body["data"]["login"].clone()
    }

    /// An access token of the bootstrap administrator.
    pub async fn admin_token(&self) -> String {
        token_of(&self.login(ADMIN_EMAIL, ADMIN_PASSWORD).await)
    }

    /// Creates a user through `createUser` as the administrator; returns its email.
    pub async fn create_user(&self, role: &str, state: Option<&str>, areas: &[&str]) -> String {
        let n = USER_SEQ.fetch_add(1, Ordering::Relaxed);
        let email = format!("{}-{n}@isu.test", role.to_lowercase().replace('_', "-"));
        let admin = self.admin_token().await;
        let body = self
            .graphql_as(
                &admin,
                "mutation($input: CreateUserInput!) { createUser(input: $input) { user { id } userErrors { code message } } }",
                json!({ "input": {
                    "email": email, "password": PASSWORD, "role": role,
                    "stateCode": state, "thematicAreas": areas,
                }}),
            )
            .await;
        assert_eq!(
            body["data"]["createUser"]["userErrors"],
            json!([]),
            "{body}"
        );
        email
    }

    /// Creates a user directly through the service (no login, so no failed-login or
    /// session side effects); returns its email.
    pub async fn create_user_quietly(&self, role: &str) -> String {
        let n = USER_SEQ.fetch_add(1, Ordering::Relaxed);
        let email = format!("quiet-{n}@isu.test");
        let role =
            <entity::enums::UserRole as sea_orm::ActiveEnum>::try_from_value(&role.to_owned())
                .expect("role");
        ccm_isu::domain::users::service::create_user(
            &self.db,
            None,
            "createUser",
            ccm_isu::domain::users::service::NewUser {
                email: email.clone(),
                password: PASSWORD.into(),
                role,
                state_code: None,
                thematic_areas: vec![],
            },
        )
        .await
        .expect("user created");
        email
    }

    /// Creates a user of `role` and returns an access token for it. A COORDINATOR made
    /// here follows no thematic area: see [`Self::coordinator_token`].
    pub async fn token_for(&self, role: &str, state: Option<&str>) -> String {
        let email = self.create_user(role, state, &[]).await;
        token_of(&self.login(&email, PASSWORD).await)
    }

    /// Creates a COORDINATOR following the thematic `areas` and returns an access token for
    /// it.
    pub async fn coordinator_token(&self, areas: &[&str]) -> String {
        let email = self.create_user("COORDINATOR", None, areas).await;
        token_of(&self.login(&email, PASSWORD).await)
    }

    pub async fn audit_entries(&self) -> u64 {
        entity::audit_entry::Entity::find()
            .count(&self.db)
            .await
            .expect("count")
    }

    pub async fn users(&self) -> u64 {
        entity::user::Entity::find()
            .count(&self.db)
            .await
            .expect("count")
    }
}

pub fn token_of(login_payload: &Value) -> String {
    login_payload["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("login failed: {login_payload}"))
        .to_owned()
}

/// The codes of a payload's userErrors.
pub fn codes(payload: &Value) -> Vec<String> {
    payload["userErrors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["code"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The code of the first top-level error.
pub fn error_code(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}

impl TestApp {
    /// Moves every refresh token rotation back by a minute, past the grace window in which
    /// a rotated token still answers its successor: what a reuse looks like once the grace
    /// window is over.
    pub async fn age_refresh_rotations(&self) {
        use entity::refresh_token;
        use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, Set};
        let rotated = refresh_token::Entity::find()
            .filter(refresh_token::Column::RotatedAt.is_not_null())
            .all(&self.db)
            .await
            .expect("refresh tokens");
        for row in rotated {
            let at = row.rotated_at.expect("rotated") - chrono::Duration::seconds(60);
            let mut active: refresh_token::ActiveModel = row.into();
            active.rotated_at = Set(Some(at));
            active.update(&self.db).await.expect("age the rotation");
        }
    }
}

/// A TCP port free on 127.0.0.1 a moment ago, for a process that binds it itself.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port()
}

/// The server binary, running in its own process; killed when dropped.
pub struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary on `url`'s database at `127.0.0.1:port`, with the bootstrap
/// administrator of [`spawn_app`]: for what only a process of its own shows (a crash, the
/// process-wide figures of `/metrics`).
pub fn serve(url: &str, port: u16) -> Server {
    use std::process::{Command, Stdio};
    Server(
        Command::new(env!("CARGO_BIN_EXE_ccm-isu"))
            .arg("serve")
            .env("DATABASE_URL", url)
            .env("ISU_LISTEN", format!("127.0.0.1:{port}"))
            .env("ISU_JWT_SECRET", "a-test-secret-of-at-least-32-bytes-long!")
            .env("ISU_BOOTSTRAP_ADMIN_EMAIL", ADMIN_EMAIL)
            .env("ISU_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the server"),
    )
}

/// Waits up to a minute for `/health/ready` at `base` to answer 200.
pub async fn wait_ready(client: &reqwest::Client, base: &str) {
    use std::time::{Duration, Instant};
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if client
            .get(format!("{base}/health/ready"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            return;
        }
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
