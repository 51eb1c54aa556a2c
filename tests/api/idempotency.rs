//! `Idempotency-Key` on mutations.

use entity::{assistance_need, idempotency_key};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, spawn_app};

const CREATE: &str = "mutation($input: CreateAssistanceNeedInput!) { createAssistanceNeed(input: $input) { need { id title } userErrors { code field } } }";

fn body(title: &str) -> Value {
    json!({
        "query": CREATE,
        "variables": { "input": {
            "stateCode": "LAO", "thematicArea": "CLEARANCE",
            "assistanceTypes": ["FINANCIAL"], "title": title,
        } }
    })
}

async fn send(app: &TestApp, token: &str, key: Option<&str>, body: &Value) -> reqwest::Response {
    let mut req = app
        .client
        .post(format!("{}/graphql", app.base))
        .bearer_auth(token)
        .json(body);
    if let Some(k) = key {
        req = req.header("idempotency-key", k);
    }
    req.send().await.unwrap()
}

async fn needs_titled(app: &TestApp, title: &str) -> u64 {
    assistance_need::Entity::find()
        .filter(assistance_need::Column::Title.eq(title))
        .count(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_retry_with_the_same_key_gets_the_first_response_and_writes_nothing() {
    let app = spawn_app().await;
    let token = app.token_for("DELEGATION", Some("LAO")).await;
    let audit_before = app.audit_entries().await;
    let first = send(&app, &token, Some("key-1"), &body("Survey")).await;
    assert_eq!(first.status(), 200);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: Value = first.json().await.unwrap();
    let id = first["data"]["createAssistanceNeed"]["need"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for _ in 0..3 {
        let again = send(&app, &token, Some("key-1"), &body("Survey")).await;
        assert_eq!(again.status(), 200);
        assert_eq!(again.headers()["idempotent-replayed"], "true");
        let again: Value = again.json().await.unwrap();
        assert_eq!(again, first);
    }
    assert_eq!(needs_titled(&app, "Survey").await, 1);
    assert_eq!(app.audit_entries().await, audit_before + 1);
    // Without a key, or with another one, the mutation runs again.
    let other: Value = send(&app, &token, Some("key-2"), &body("Survey"))
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(
        other["data"]["createAssistanceNeed"]["need"]["id"],
        id.as_str()
    );
    assert_eq!(needs_titled(&app, "Survey").await, 2);
}

#[tokio::test]
async fn the_same_key_with_another_request_is_refused_and_writes_nothing() {
    let app = spawn_app().await;
    let token = app.token_for("DELEGATION", Some("LAO")).await;
    assert_eq!(
        send(&app, &token, Some("k"), &body("First")).await.status(),
        200
    );
    let audit = app.audit_entries().await;
    let resp = send(&app, &token, Some("k"), &body("Second")).await;
    assert_eq!(resp.status(), 422);
    let b: Value = resp.json().await.unwrap();
    assert_eq!(
        b["errors"][0]["extensions"]["code"],
        "IDEMPOTENCY_KEY_REUSED"
    );
    assert_eq!(needs_titled(&app, "Second").await, 0);
    assert_eq!(app.audit_entries().await, audit);
    // Keys belong to their caller: another user may use the same one.
    let other = app.token_for("DELEGATION", Some("LAO")).await;
    let mine: Value = send(&app, &other, Some("k"), &body("Second"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        mine["data"]["createAssistanceNeed"]["need"]["title"],
        "Second"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_identical_requests_make_one_effect() {
    let app = spawn_app().await;
    let token = app.token_for("DELEGATION", Some("LAO")).await;
    let handles: Vec<_> = (0..6)
        .map(|_| {
            let (client, url, token) = (
                app.client.clone(),
                format!("{}/graphql", app.base),
                token.clone(),
            );
            tokio::spawn(async move {
                let r = client
                    .post(url)
                    .bearer_auth(token)
                    .header("idempotency-key", "race")
                    .json(&body("Raced"))
                    .send()
                    .await
                    .unwrap();
                (r.status().as_u16(), r.json::<Value>().await.unwrap())
            })
        })
        .collect();
    let mut bodies = Vec::new();
    for h in handles {
        let (status, b) = h.await.unwrap();
        assert_eq!(status, 200, "{b}");
        bodies.push(b);
    }
    assert!(bodies.iter().all(|x| x == &bodies[0]), "{bodies:#?}");
    assert!(bodies[0]["data"]["createAssistanceNeed"]["need"]["id"].is_string());
    assert_eq!(needs_titled(&app, "Raced").await, 1);
    let keys = idempotency_key::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(keys.len(), 1);
    assert!(keys[0].response.is_some());
}

#[tokio::test]
async fn a_refusal_is_replayed_too() {
    let app = spawn_app().await;
    let token = app.token_for("DELEGATION", Some("LAO")).await;
    // A delegation of LAO may not declare a need for Chile.
    let mut b = body("Not ours");
    b["variables"]["input"]["stateCode"] = json!("CHL");
    let first: Value = send(&app, &token, Some("refused"), &b)
        .await
        .json()
        .await
        .unwrap();
    let code = first["data"]["createAssistanceNeed"]["userErrors"][0]["code"].clone();
    assert!(code.is_string(), "{first}");
    let again = send(&app, &token, Some("refused"), &b).await;
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap(), first);
}

#[tokio::test]
async fn bad_keys_and_batches_with_a_key_are_refused() {
    let app = spawn_app().await;
    let token = app.token_for("DELEGATION", Some("LAO")).await;
    for bad in ["", "has space", &"k".repeat(256)] {
        let resp = send(&app, &token, Some(bad), &body("Bad key")).await;
        assert_eq!(resp.status(), 400, "{bad:?}");
    }
    let batch = json!([body("One"), body("Two")]);
    let resp = send(&app, &token, Some("batch"), &batch).await;
    assert_eq!(resp.status(), 400);
    assert_eq!(needs_titled(&app, "One").await, 0);
    assert_eq!(needs_titled(&app, "Bad key").await, 0);
}

#[tokio::test]
async fn logins_are_never_replayed_and_their_tokens_never_stored() {
    let app = spawn_app().await;
    let login = json!({
        "query": "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { accessToken refreshToken } }",
        "variables": { "e": ADMIN_EMAIL, "p": ADMIN_PASSWORD },
    });
    let mut tokens = Vec::new();
    for _ in 0..2 {
        let resp = app
            .client
            .post(format!("{}/graphql", app.base))
            .header("idempotency-key", "login-once")
            .json(&login)
            .send()
            .await
            .unwrap();
        assert!(resp.headers().get("idempotent-replayed").is_none());
        let b: Value = resp.json().await.unwrap();
        tokens.push(
            b["data"]["login"]["refreshToken"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    assert_ne!(tokens[0], tokens[1]);
    let stored = idempotency_key::Entity::find().all(&app.db).await.unwrap();
    assert!(
        stored.iter().all(|k| !k
            .response
            .as_deref()
            .unwrap_or_default()
            .contains(&tokens[0])),
        "{stored:?}"
    );
}
