//! Transport: health checks, the console, content types, batches, body limit, first start.

use ccm_isu::kernel::config::Settings;
use ccm_isu::startup::Application;
use entity::user;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn liveness_and_readiness_answer_200_and_readiness_503_without_a_database() {
    let app = spawn_app().await;
    let get = |path: &str| app.client.get(format!("{}{path}", app.base)).send();
    assert_eq!(
        get("/health/live").await.expect("live").status(),
        StatusCode::OK
    );
    assert_eq!(
        get("/health/ready").await.expect("ready").status(),
        StatusCode::OK
    );
    app.db.clone().close().await.expect("close pool");
    assert_eq!(
        get("/health/ready").await.expect("ready").status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        get("/health/live").await.expect("live").status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn get_graphql_serves_the_offline_console_and_never_executes_an_operation() {
    let app = spawn_app().await;
    let before = app.audit_entries().await;
    for op in [
        "mutation { logout(input: {refreshToken: \"x\"}) { ok } }",
        "{ me { id } }",
    ] {
        let resp = app
            .client
            .get(format!("{}/graphql", app.base))
            .query(&[("query", op)])
            .send()
            .await
            .expect("get");
        assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED, "{op}");
        assert_eq!(resp.headers()["allow"], "POST");
    }
    assert_eq!(app.audit_entries().await, before, "nothing ran");
    let resp = app
        .client
        .get(format!("{}/graphql", app.base))
        .send()
        .await
        .expect("get");
    assert_eq!(resp.status(), StatusCode::OK);
    let csp = resp.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_owned();
    assert!(
        csp.starts_with("default-src 'none'; script-src 'self'"),
        "{csp}"
    );
    let html = resp.text().await.expect("html");
    assert!(html.contains("ccm-isu GraphQL console"));
    assert!(
        html.contains("MyDeadlines"),
        "the contract's operations are examples"
    );
    assert_eq!(app.audit_entries().await, before);
    // Nothing the console loads comes from outside this server.
    let script = app
        .client
        .get(format!("{}/console/console.js", app.base))
        .send()
        .await
        .expect("script");
    assert_eq!(script.status(), StatusCode::OK);
    assert!(
        script.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/javascript")
    );
    let script = script.text().await.expect("js");
    let style = app
        .client
        .get(format!("{}/console/console.css", app.base))
        .send()
        .await
        .expect("style")
        .text()
        .await
        .expect("css");
    for (what, text) in [("page", &html), ("script", &script), ("style", &style)] {
        assert!(
            !text.contains("https://") && !text.contains("http://") && !text.contains("//cdn"),
            "the {what} refers to another host"
        );
    }
}

#[tokio::test]
async fn production_serves_no_console_unless_enabled() {
    let production = |console: Option<bool>| {
        move |s: &mut ccm_isu::kernel::config::Settings| {
            s.environment = ccm_isu::kernel::config::Environment::Production;
            s.jwt_secret = Some(ccm_isu::kernel::config::Secret::new(
                "production-secret-0123456789abcdef",
            ));
            s.console = console;
        }
    };
    let app = spawn_app_with(production(None)).await;
    for path in ["/graphql", "/console/console.js"] {
        let resp = app
            .client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .expect("get");
        assert!(
            resp.status() == StatusCode::METHOD_NOT_ALLOWED
                || resp.status() == StatusCode::NOT_FOUND,
            "{path}: {}",
            resp.status()
        );
    }
    let body = app.graphql("{ meetings { totalCount } }", json!({})).await;
    assert_eq!(
        body["data"]["meetings"]["totalCount"], 0,
        "POST still serves GraphQL"
    );
    let app = spawn_app_with(production(Some(true))).await;
    let resp = app
        .client
        .get(format!("{}/graphql", app.base))
        .send()
        .await
        .expect("get");
    assert_eq!(resp.status(), StatusCode::OK);
}

#[tokio::test]
async fn posts_that_are_not_json_get_415() {
    let app = spawn_app().await;
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ] {
        let resp = app
            .client
            .post(format!("{}/graphql", app.base))
            .header("content-type", content_type)
            .body(r#"{"query":"{ me { id } }"}"#)
            .send()
            .await
            .expect("post");
        assert_eq!(
            resp.status(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type}"
        );
    }
}

#[tokio::test]
async fn malformed_json_gets_400_with_a_code() {
    let app = spawn_app().await;
    let resp = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = resp.json().await.expect("json");
    assert_eq!(error_code(&body), Some("BAD_REQUEST"));
}

#[tokio::test]
async fn batches_hold_at_most_five_operations() {
    let app = spawn_app().await;
    let op = json!({"query": "{ stateParty(code: \"LAO\") { code } }"});
    let post = |n: usize| {
        app.client
            .post(format!("{}/graphql", app.base))
            .json(&vec![op.clone(); n])
            .send()
    };
    let ok = post(5).await.expect("post");
    assert_eq!(ok.status(), StatusCode::OK);
    let body: serde_json::Value = ok.json().await.expect("json");
    assert_eq!(body.as_array().map(Vec::len), Some(5));
    assert_eq!(body[4]["data"]["stateParty"]["code"], "LAO");
    assert_eq!(
        post(6).await.expect("post").status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn bodies_over_one_mebibyte_get_413() {
    let app = spawn_app().await;
    let padding = "x".repeat(1024 * 1024 + 10);
    let resp = app
        .client
        .post(format!("{}/graphql", app.base))
        .json(&json!({"query": "{ me { id } }", "variables": {"pad": padding}}))
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn first_start_without_configuration_creates_admin_at_localhost() {
    let app = spawn_app_with(|s| {
        s.bootstrap_admin_email = None;
        s.bootstrap_admin_password = None;
    })
    .await;
    let admins = user::Entity::find()
        .filter(user::Column::Email.eq("admin@localhost"))
        .all(&app.db)
        .await
        .expect("query");
    assert_eq!(admins.len(), 1);
    assert_eq!(admins[0].role, entity::enums::UserRole::IsuAdmin);
    assert!(admins[0].password_hash.starts_with("$argon2id$"));
}

#[tokio::test]
async fn the_development_jwt_secret_survives_a_restart() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    // A second server on the same database (a restart) accepts the first one's token.
    let second = Application::build(Settings::for_database(&app.url))
        .await
        .expect("second app");
    let addr = second.local_addr().expect("addr");
    tokio::spawn(second.run_until_stopped(std::future::pending()));
    let body: serde_json::Value = app
        .client
        .post(format!("http://{addr}/graphql"))
        .bearer_auth(&token)
        .json(&json!({"query": "{ me { email } }"}))
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    assert_eq!(body["data"]["me"]["email"], ADMIN_EMAIL, "{body}");
    assert_eq!(app.users().await, 1, "no second administrator was created");
}

#[tokio::test]
async fn malformed_operations_get_bad_user_input_codes() {
    let app = spawn_app().await;
    for (query, vars) in [
        ("{ stateParty(code: \"LAO\") { noSuchField } }", json!({})),
        ("{ stateParty(code: ", json!({})),
        (
            "query($n: Int) { stateParties(first: $n) { totalCount } }",
            json!({"n": "ten"}),
        ),
        (
            "{ auditLog(filter: {since: \"yesterday\"}) { totalCount } }",
            json!({}),
        ),
    ] {
        let body = app.graphql(query, vars).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{query}: {body}");
    }
}
