//! Request limits and production hardening: each limit answers a clear, coded error before
//! anything runs; production hides the schema; CORS follows its allow-list; faults never
//! show SQL.

use ccm_isu::kernel::config::{Environment, Secret, Settings};
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::*;

fn production(s: &mut Settings) {
    s.environment = Environment::Production;
    s.jwt_secret = Some(Secret::new("production-secret-0123456789abcdef"));
}

/// The message of the first top-level error.
fn message(body: &Value) -> &str {
    body["errors"][0]["message"].as_str().unwrap_or_default()
}

/// `levels` nested `state { transparencyReports { edges { node { … } } } }`, inside
/// `stateParty(code: "LAO")`: each level adds four to the depth.
fn nested(levels: usize) -> String {
    let mut q = String::from("id");
    for _ in 0..levels {
        q = format!("state {{ transparencyReports(first: 1) {{ edges {{ node {{ {q} }} }} }} }}");
    }
    format!(
        "{{ stateParty(code: \"LAO\") {{ transparencyReports(first: 1) {{ edges {{ node {{ {q} }} }} }} }} }}"
    )
}

#[tokio::test]
async fn deep_queries_are_refused_before_they_run() {
    let app = spawn_app().await;
    // stateParty, transparencyReports, edges, node, id: depth 5.
    let ok = app.graphql(&nested(1), json!({})).await;
    assert!(ok["errors"].is_null(), "depth 9 runs: {ok}");
    let deep = app.graphql(&nested(2), json!({})).await;
    assert!(deep["data"].is_null(), "{deep}");
    assert_eq!(error_code(&deep), Some("BAD_USER_INPUT"));
    assert!(message(&deep).contains("nested too deep"), "{deep}");
    // Tools' introspection queries are deeper than that, and still run.
    let intro = "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } }";
    let body = app.graphql(intro, json!({})).await;
    assert!(body["errors"].is_null(), "{body}");
}

#[tokio::test]
async fn a_page_costs_first_times_its_selection() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let fields = "id code name status regionalGroup incomeGroup depositDate entryIntoForce";
    let page = |first: usize, inner: usize| {
        format!(
            "{{ stateParties(first: {first}) {{ totalCount edges {{ node {{ {fields}
               transparencyReports(first: {inner}) {{ edges {{ node {{ id kind status dueDate }} }} }} }} }} }} }}"
        )
    };
    let fine = app.graphql_as(&admin, &page(100, 5), json!({})).await;
    assert!(fine["errors"].is_null(), "100 × 5 runs: {fine}");
    let heavy = app.graphql_as(&admin, &page(100, 100), json!({})).await;
    assert!(heavy["data"].is_null(), "{heavy}");
    assert_eq!(error_code(&heavy), Some("BAD_USER_INPUT"));
    assert!(message(&heavy).contains("too complex"), "{heavy}");
}

#[tokio::test]
async fn a_field_repeated_by_aliases_is_capped_at_fifteen() {
    let app = spawn_app().await;
    let aliases = |n: usize| {
        let body: String = (0..n)
            .map(|i| format!("s{i}: stateParty(code: \"LAO\") {{ code }} "))
            .collect();
        format!("{{ {body} }}")
    };
    let fifteen = app.graphql(&aliases(15), json!({})).await;
    assert!(fifteen["errors"].is_null(), "{fifteen}");
    assert_eq!(fifteen["data"]["s14"]["code"], "LAO");
    let sixteen = app.graphql(&aliases(16), json!({})).await;
    assert!(sixteen["data"].is_null(), "{sixteen}");
    assert_eq!(error_code(&sixteen), Some("BAD_USER_INPUT"));
    assert!(
        message(&sixteen).contains("`stateParty` is selected more than 15 times"),
        "{sixteen}"
    );
    // Repeating a field without aliases counts too, and so does a huge document.
    let repeated = format!("{{ {} }}", "__typename ".repeat(16));
    let body = app.graphql(&repeated, json!({})).await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    // 15 aliases of stateParty, each with 15 aliases of five fields: 1 140 fields.
    let inner: String = ["code", "name", "status", "regionalGroup", "incomeGroup"]
        .iter()
        .flat_map(|f| (0..15).map(move |j| format!("{f}{j}: {f} ")))
        .collect();
    let wide: String = (0..15)
        .map(|i| format!("a{i}: stateParty(code: \"LAO\") {{ {inner} }} "))
        .collect();
    let body = app.graphql(&format!("{{ {wide} }}"), json!({})).await;
    assert!(message(&body).contains("more than 1000 fields"), "{body}");
}

#[tokio::test]
async fn directives_are_limited_per_field() {
    let app = spawn_app().await;
    let with = |n: usize| {
        format!(
            "{{ stateParty(code: \"LAO\") {{ code {} }} }}",
            "@include(if: true) ".repeat(n)
        )
    };
    let five = app.graphql(&with(5), json!({})).await;
    assert!(
        five["errors"].is_null() || !message(&five).contains("directives"),
        "{five}"
    );
    let six = app.graphql(&with(6), json!({})).await;
    assert!(six["data"].is_null(), "{six}");
    assert_eq!(error_code(&six), Some("BAD_USER_INPUT"));
}

#[tokio::test]
async fn production_hides_the_schema_unless_introspection_is_enabled() {
    let introspect = "{ __schema { queryType { name } } }";
    let typo = "{ statePartie(code: \"LAO\") { code } }";

    let dev = spawn_app().await;
    let body = dev.graphql(introspect, json!({})).await;
    assert_eq!(body["data"]["__schema"]["queryType"]["name"], "Query");
    let body = dev.graphql(typo, json!({})).await;
    assert!(message(&body).contains("Did you mean"), "{body}");

    let prod = spawn_app_with(production).await;
    let body = prod.graphql(introspect, json!({})).await;
    assert_eq!(error_code(&body), Some("INTROSPECTION_DISABLED"), "{body}");
    assert!(
        message(&body).contains("Introspection is disabled"),
        "{body}"
    );
    assert!(body.get("data").is_none(), "{body}");
    let body = prod.graphql(typo, json!({})).await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
    assert!(!message(&body).contains("Did you mean"), "{body}");
    let body = prod.graphql("{ __typename }", json!({})).await;
    assert_eq!(
        body["data"]["__typename"], "Query",
        "__typename still answers"
    );

    let enabled = spawn_app_with(|s| {
        production(s);
        s.introspection = Some(true);
    })
    .await;
    let body = enabled.graphql(introspect, json!({})).await;
    assert_eq!(body["data"]["__schema"]["queryType"]["name"], "Query");
}

#[tokio::test]
async fn cors_answers_only_the_configured_origins() {
    let preflight = |app: &TestApp, origin: &str| {
        app.client
            .request(reqwest::Method::OPTIONS, format!("{}/graphql", app.base))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header(
                "Access-Control-Request-Headers",
                "content-type, authorization",
            )
            .send()
    };
    let app = spawn_app_with(|s| s.cors_origins = "https://admin.isu.example".into()).await;
    let resp = preflight(&app, "https://admin.isu.example")
        .await
        .expect("preflight");
    assert_eq!(
        resp.headers()["access-control-allow-origin"],
        "https://admin.isu.example"
    );
    let allowed = resp.headers()["access-control-allow-headers"]
        .to_str()
        .expect("headers")
        .to_ascii_lowercase();
    assert!(
        allowed.contains("authorization") && allowed.contains("idempotency-key"),
        "{allowed}"
    );
    let resp = preflight(&app, "https://evil.example")
        .await
        .expect("preflight");
    assert!(resp.headers().get("access-control-allow-origin").is_none());
    // A simple POST from an allowed origin is answered with the header; others without.
    let post = |origin: &'static str| {
        app.client
            .post(format!("{}/graphql", app.base))
            .header("Origin", origin)
            .json(&json!({"query": "{ __typename }"}))
            .send()
    };
    let resp = post("https://admin.isu.example").await.expect("post");
    assert_eq!(
        resp.headers()["access-control-allow-origin"],
        "https://admin.isu.example"
    );
    let resp = post("https://evil.example").await.expect("post");
    assert!(resp.headers().get("access-control-allow-origin").is_none());

    // Without an allow-list, no origin is allowed.
    let closed = spawn_app().await;
    let resp = preflight(&closed, "https://admin.isu.example")
        .await
        .expect("preflight");
    assert!(resp.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn a_database_fault_reaches_the_client_masked_with_a_correlation_id() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    // Break the database under the running server: the meetings table disappears.
    for dependent in [
        "extension_request_documents",
        "extension_request_questions",
        "extension_request_elements",
        "extension_requests",
        "sponsorship_applications",
        "decision_updates",
        "decisions",
        "good_practice_documents",
        "meeting_documents",
        "indicator_values",
        "action_indicators",
        "plan_actions",
        "action_plan_years",
        "action_plans",
    ] {
        app.db
            .execute_unprepared(&format!("DROP TABLE {dependent}"))
            .await
            .expect("drop");
    }
    app.db
        .execute_unprepared("DROP TABLE meetings")
        .await
        .expect("drop");
    let body = app
        .graphql_as(&admin, "{ meetings { totalCount } }", json!({}))
        .await;
    assert_eq!(error_code(&body), Some("INTERNAL_SERVER_ERROR"), "{body}");
    let id = body["errors"][0]["extensions"]["correlationId"]
        .as_str()
        .expect("correlation id");
    assert_eq!(id.len(), 32);
    let text = body.to_string().to_lowercase();
    for leak in [
        "select",
        "from",
        "sqlite",
        "postgres",
        "relation \"",
        "no such table",
        "does not exist",
    ] {
        assert!(!text.contains(leak), "`{leak}` reached the client: {body}");
    }
    assert!(message(&body).contains(id));
}

#[tokio::test]
async fn transport_limits_answer_before_graphql_runs() {
    let app = spawn_app().await;
    // A mutation by GET.
    let resp = app
        .client
        .get(format!("{}/graphql", app.base))
        .query(&[(
            "query",
            "mutation { logout(input: {refreshToken: \"x\"}) { ok } }",
        )])
        .send()
        .await
        .expect("get");
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    // A form post (what a cross-site form can send).
    let resp = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("query=%7B__typename%7D")
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // `application/graphql-response+json` is JSON too.
    let resp = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("Content-Type", "application/graphql-response+json")
        .body(json!({"query": "{ __typename }"}).to_string())
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_request_stuck_on_a_lock_ends_at_the_timeout_and_the_service_goes_on() {
    use sea_orm::TransactionTrait;
    let app = spawn_app_with(|s| s.request_timeout_secs = 2).await;
    let admin = app.admin_token().await;
    // Another client holds LAO's row (PostgreSQL) or the write lock (SQLite).
    let blocker = app.db.begin().await.expect("begin");
    blocker
        .execute_unprepared("UPDATE states SET name = name WHERE code = 'LAO'")
        .await
        .expect("lock");
    let update = "mutation { updateStateParty(input: {code: \"LAO\", hasVictims: true}) { stateParty { hasVictims } userErrors { code } } }";
    let resp = app
        .client
        .post(format!("{}/graphql", app.base))
        .bearer_auth(&admin)
        .json(&json!({"query": update}))
        .send()
        .await
        .expect("answered");
    let postgres = std::env::var("TEST_DATABASE_URL").is_ok_and(|u| u.starts_with("postgres"));
    if postgres {
        // statement_timeout (1.5 s) cancels the statement first: a masked, coded fault.
        assert_eq!(resp.status(), StatusCode::OK);
        let body: Value = resp.json().await.expect("json");
        assert_eq!(error_code(&body), Some("INTERNAL_SERVER_ERROR"), "{body}");
    } else {
        assert_eq!(resp.status(), StatusCode::REQUEST_TIMEOUT);
    }
    blocker.rollback().await.expect("release");
    let body = app.graphql_as(&admin, update, json!({})).await;
    assert_eq!(
        body["data"]["updateStateParty"]["stateParty"]["hasVictims"], true,
        "{body}"
    );
}
