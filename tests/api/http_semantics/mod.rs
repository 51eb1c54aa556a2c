//! HTTP as GraphQL clients, browsers and proxies expect it: media types by `Accept` and the
//! statuses that go with them, authentication failures, introspection when it is off,
//! compression, and validators on feeds and exports.

use std::io::{Read, Write};

use ccm_isu::kernel::config::{Environment, Secret, Settings};
use reqwest::{StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::*;

mod feeds_and_exports;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
const VALID: &str = "{ __typename }";
const INVALID: &str = "{ noSuchField }";
const UNPARSABLE: &str = "{";

/// POSTs `query` with `Accept: accept` (reqwest's own default, `*/*`, when `None`).
async fn post(app: &TestApp, accept: Option<&str>, query: &str) -> reqwest::Response {
    let mut req = app
        .client
        .post(format!("{}/graphql", app.base))
        .json(&json!({ "query": query }));
    if let Some(a) = accept {
        req = req.header(header::ACCEPT, a);
    }
    req.send().await.expect("post")
}

fn content_type(resp: &reqwest::Response) -> String {
    resp.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Status, `Content-Type` and JSON body of a POST of `query` with the given `Accept`.
async fn answer(app: &TestApp, accept: Option<&str>, query: &str) -> (StatusCode, String, Value) {
    let resp = post(app, accept, query).await;
    let (status, ty) = (resp.status(), content_type(&resp));
    (status, ty, resp.json().await.expect("JSON body"))
}

/// A POST of `body` with no `Accept` header at all (reqwest always sends one), over a raw
/// connection: the status and the `Content-Type`.
async fn post_without_accept(app: &TestApp, body: &str) -> (u16, String) {
    let addr = app.base.trim_start_matches("http://").to_owned();
    let request = format!(
        "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let raw = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(&addr).expect("connect");
        stream.write_all(request.as_bytes()).expect("write");
        let mut raw = String::new();
        stream.read_to_string(&mut raw).expect("read");
        raw
    })
    .await
    .expect("joined");
    let head = raw.split("\r\n\r\n").next().unwrap_or_default();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let ty = head
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(n, _)| n.eq_ignore_ascii_case("content-type"))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_default();
    (status, ty)
}

#[tokio::test]
async fn the_graphql_response_type_answers_400_for_what_does_not_parse_or_validate() {
    let app = spawn_app().await;
    for accept in [
        None,
        Some("*/*"),
        Some(GRAPHQL_RESPONSE),
        Some("application/graphql-response+json, application/json;q=0.9"),
        Some("text/html, application/*;q=0.5"),
    ] {
        let (status, ty, body) = answer(&app, accept, VALID).await;
        assert_eq!(status, StatusCode::OK, "{accept:?}: {body}");
        assert!(ty.starts_with(GRAPHQL_RESPONSE), "{accept:?}: {ty}");
        assert_eq!(body["data"]["__typename"], "Query");
        for query in [INVALID, UNPARSABLE] {
            let (status, ty, body) = answer(&app, accept, query).await;
            assert_eq!(
                status,
                StatusCode::BAD_REQUEST,
                "{accept:?} {query}: {body}"
            );
            assert!(ty.starts_with(GRAPHQL_RESPONSE), "{accept:?}: {ty}");
            assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
            assert!(body.get("data").is_none(), "nothing ran: {body}");
        }
    }
    // A variable that does not coerce is refused before anything runs, too.
    let resp = app
        .client
        .post(format!("{}/graphql", app.base))
        .json(&json!({ "query": "query($id: ID!) { __typename }", "variables": { "id": null } }))
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    // An error while running is still 200: there is data, or a path.
    let resp = app
        .client
        .post(format!("{}/graphql", app.base))
        .json(&json!({ "query": "{ auditLog(first: 1) { totalCount } }" }))
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), StatusCode::OK);
    let body: Value = resp.json().await.expect("json");
    assert!(body["errors"][0]["path"].is_array(), "{body}");
}

#[tokio::test]
async fn a_request_without_accept_gets_the_graphql_response_type() {
    let app = spawn_app().await;
    let (status, ty) = post_without_accept(&app, &json!({ "query": VALID }).to_string()).await;
    assert_eq!(status, 200);
    assert!(ty.starts_with(GRAPHQL_RESPONSE), "{ty}");
    let (status, ty) = post_without_accept(&app, &json!({ "query": INVALID }).to_string()).await;
    assert_eq!(status, 400);
    assert!(ty.starts_with(GRAPHQL_RESPONSE), "{ty}");
}

#[tokio::test]
async fn application_json_answers_200_for_every_graphql_response() {
    let app = spawn_app().await;
    for accept in [
        "application/json",
        "application/json, */*",
        "application/graphql-response+json;q=0.5, application/json",
        "application/graphql-response+json;q=0, */*",
    ] {
        for query in [VALID, INVALID, UNPARSABLE] {
            let (status, ty, body) = answer(&app, Some(accept), query).await;
            assert_eq!(status, StatusCode::OK, "{accept} {query}: {body}");
            assert!(ty.starts_with("application/json"), "{accept}: {ty}");
            if query == VALID {
                assert!(body.get("errors").is_none(), "{body}");
            } else {
                assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
                assert!(body.get("data").is_none(), "nothing ran: {body}");
            }
        }
    }
    // A body that is not a GraphQL request is not a GraphQL response: 400 in both types.
    for body in [
        "{ \"not a JSON".to_owned(),
        json!({ "qeury": VALID }).to_string(),
        json!({ "query": VALID, "variables": "{}" }).to_string(),
        json!({ "query": VALID, "operationName": 0 }).to_string(),
    ] {
        let resp = app
            .client
            .post(format!("{}/graphql", app.base))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .body(body.clone())
            .send()
            .await
            .expect("post");
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{body}");
        assert!(content_type(&resp).starts_with("application/json"));
        let answer: Value = resp.json().await.expect("json");
        assert_eq!(error_code(&answer), Some("BAD_REQUEST"), "{answer}");
    }
    // Null optional members are as good as absent.
    let resp = app
        .client
        .post(format!("{}/graphql", app.base))
        .header(header::ACCEPT, "application/json")
        .json(&json!({ "query": VALID, "operationName": null, "variables": null, "extensions": null }))
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), StatusCode::OK);
    let body: Value = resp.json().await.expect("json");
    assert!(body.get("errors").is_none(), "{body}");
}

#[tokio::test]
async fn an_accept_that_allows_neither_type_gets_406_before_anything_runs() {
    let app = spawn_app().await;
    let before = app.audit_entries().await;
    for accept in [
        "text/html",
        "text/html,application/xhtml+xml,application/xml;q=0.9",
        "application/json;q=0",
        "application/json;q=0, application/graphql-response+json;q=0, */*",
    ] {
        let (status, ty, body) = answer(
            &app,
            Some(accept),
            "mutation { logout(input: {refreshToken: \"x\"}) { ok } }",
        )
        .await;
        assert_eq!(status, StatusCode::NOT_ACCEPTABLE, "{accept}");
        assert!(ty.starts_with("application/json"), "{ty}");
        assert!(body["errors"][0]["message"].is_string(), "{body}");
        assert_eq!(error_code(&body), Some("BAD_REQUEST"));
    }
    assert_eq!(app.audit_entries().await, before, "nothing ran");
}

#[tokio::test]
async fn a_batch_answers_400_only_when_every_operation_was_refused() {
    let app = spawn_app().await;
    let batch = |queries: &[&str]| {
        app.client
            .post(format!("{}/graphql", app.base))
            .json(
                &queries
                    .iter()
                    .map(|q| json!({ "query": q }))
                    .collect::<Vec<_>>(),
            )
            .send()
    };
    let mixed = batch(&[VALID, INVALID]).await.expect("post");
    assert_eq!(mixed.status(), StatusCode::OK);
    let body: Value = mixed.json().await.expect("json");
    assert_eq!(body[0]["data"]["__typename"], "Query");
    assert!(body[1].get("data").is_none(), "{body}");
    let refused = batch(&[INVALID, UNPARSABLE]).await.expect("post");
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
}

/// Status, headers and body of `{ me }` with `token` and `accept`.
async fn me_with(
    app: &TestApp,
    token: &str,
    accept: &str,
) -> (StatusCode, header::HeaderMap, Value) {
    let resp = app
        .client
        .post(format!("{}/graphql", app.base))
        .bearer_auth(token)
        .header(header::ACCEPT, accept)
        .json(&json!({ "query": "{ me { email } }" }))
        .send()
        .await
        .expect("post");
    let (status, headers) = (resp.status(), resp.headers().clone());
    (status, headers, resp.json().await.expect("json"))
}

#[tokio::test]
async fn authentication_failures_are_401_graphql_errors_with_a_bearer_challenge() {
    use ccm_isu::auth::jwt::JwtKeys;
    let app = spawn_app().await;
    let login = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let token = token_of(&login);
    let secret = <entity::app_setting::Entity as sea_orm::EntityTrait>::find_by_id("jwt_secret")
        .one(&app.db)
        .await
        .expect("query")
        .expect("stored secret")
        .value;
    let keys = JwtKeys::new(secret.as_bytes());
    let claims = keys.verify(&token).expect("claims");
    let (user, session) = (
        uuid::Uuid::parse_str(&claims.sub).expect("sub"),
        uuid::Uuid::parse_str(&claims.sid).expect("sid"),
    );
    let (expired, _) = keys
        .issue(
            user,
            "ISU_ADMIN",
            session,
            chrono::Utc::now() - chrono::Duration::minutes(16),
        )
        .expect("sign");
    // The session ends: its (still unexpired) access token is revoked with it.
    let other_session = app.admin_token().await;
    let logout = app
        .graphql_as(
            &other_session,
            "mutation($t: String!) { logout(input: {refreshToken: $t}) { ok } }",
            json!({ "t": login["refreshToken"] }),
        )
        .await;
    assert_eq!(logout["data"]["logout"]["ok"], true, "{logout}");
    for (what, bad) in [
        ("expired", expired.as_str()),
        ("malformed", "not-a-token"),
        ("revoked", token.as_str()),
    ] {
        for (accept, media) in [
            ("application/json", "application/json"),
            (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
            ("*/*", GRAPHQL_RESPONSE),
        ] {
            let (status, headers, body) = me_with(&app, bad, accept).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{what} {accept}: {body}");
            assert_eq!(
                headers[header::WWW_AUTHENTICATE],
                "Bearer error=\"invalid_token\"",
                "{what}"
            );
            assert!(
                headers[header::CONTENT_TYPE]
                    .to_str()
                    .expect("type")
                    .starts_with(media),
                "{what} {accept}"
            );
            let errors = body["errors"].as_array().expect("errors");
            assert_eq!(errors.len(), 1, "{body}");
            assert!(errors[0]["message"].as_str().is_some_and(|m| !m.is_empty()));
            assert_eq!(errors[0]["extensions"]["code"], "UNAUTHENTICATED");
            assert!(body.get("data").is_none(), "{body}");
        }
    }
}

fn production(s: &mut Settings) {
    s.environment = Environment::Production;
    s.jwt_secret = Some(Secret::new("production-secret-0123456789abcdef"));
}

#[tokio::test]
async fn with_introspection_off_an_introspection_query_is_an_error_not_null() {
    let queries = [
        "{ __schema { queryType { name } } }",
        "{ __type(name: \"Query\") { name } }",
        "query { ...Schema } fragment Schema on Query { __schema { types { name } } }",
        "{ ... on Query { t: __type(name: \"StateParty\") { fields { name } } } }",
    ];
    for app in [
        spawn_app_with(production).await,
        spawn_app_with(|s| s.introspection = Some(false)).await,
    ] {
        for query in queries {
            let (status, _, body) = answer(&app, Some("application/json"), query).await;
            assert_eq!(status, StatusCode::OK, "{query}");
            assert_eq!(error_code(&body), Some("INTROSPECTION_DISABLED"), "{body}");
            assert!(
                body["errors"][0]["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("Introspection is disabled")),
                "{body}"
            );
            assert!(
                body.get("data").is_none(),
                "not {{\"__schema\": null}}: {body}"
            );
            let (status, _, _) = answer(&app, None, query).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        }
        // `__typename` is not introspection; another operation of the document may run.
        let (status, _, body) = answer(&app, None, "{ __typename }").await;
        assert_eq!(
            (status, &body["data"]["__typename"]),
            (StatusCode::OK, &json!("Query"))
        );
        let resp = app
            .client
            .post(format!("{}/graphql", app.base))
            .json(&json!({
                "query": "query Data { __typename } query Schema { __schema { description } }",
                "operationName": "Data",
            }))
            .send()
            .await
            .expect("post");
        assert_eq!(resp.status(), StatusCode::OK);
    }
    // With it on, the same queries answer.
    let enabled = spawn_app_with(|s| {
        production(s);
        s.introspection = Some(true);
    })
    .await;
    for query in queries {
        let (status, _, body) = answer(&enabled, None, query).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        assert!(body.get("errors").is_none(), "{body}");
    }
}
