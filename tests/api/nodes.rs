//! `node(id:)` and `nodes(ids:)`: one rule for both, order kept, null for what does not
//! resolve or may not be read; obligations as nodes with stable IDs; the audit log's rows
//! as links to what they changed.

use serde_json::{Value, json};

use crate::batching::statements_of;
use crate::helpers::*;

const NODES: &str = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id
  ... on StateParty { code }
  ... on Obligation { kind reportingYear dueDate state { code } }
  ... on TransparencyReport { status } } }";

const PROFILE: &str = "query($code: String!) { stateParty(code: $code) { id
  obligations { id kind reportingYear dueDate extended } } }";

const CREATE_REPORT: &str = "mutation($input: CreateTransparencyReportInput!) {
  createTransparencyReport(input: $input) { report { id } userErrors { code } } }";

async fn profile(app: &TestApp, code: &str) -> Value {
    let body = app.graphql(PROFILE, json!({"code": code})).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["stateParty"].clone()
}

async fn nodes(app: &TestApp, token: Option<&str>, ids: Value) -> Value {
    app.graphql_with(token, NODES, json!({"ids": ids})).await
}

#[tokio::test]
async fn nodes_answer_in_the_order_asked_with_null_for_unknown_malformed_and_unreadable() {
    let app = spawn_app().await;
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let irq = app.token_for("DELEGATION", Some("IRQ")).await;
    let created = app
        .graphql_as(
            &lao,
            CREATE_REPORT,
            json!({"input": {"stateCode": "LAO", "kind": "ANNUAL", "reportingYear": 2024}}),
        )
        .await;
    let draft = created["data"]["createTransparencyReport"]["report"]["id"].clone();
    assert!(draft.is_string(), "{created}");
    let lao_profile = profile(&app, "LAO").await;
    let state = lao_profile["id"].clone();
    let obligation = lao_profile["obligations"][0].clone();
    // A well-formed ID of a known kind whose row does not exist.
    let unknown_state = base64_id("StateParty:00000000-0000-7000-8000-000000000000");

    let ids = json!([
        state,
        "not an id",
        draft,
        obligation["id"],
        unknown_state,
        state
    ]);
    // IRQ's delegation may not read LAO's draft: null, as for what does not exist.
    let body = nodes(&app, Some(&irq), ids.clone()).await;
    assert!(body["errors"].is_null(), "{body}");
    let list = body["data"]["nodes"].as_array().expect("a list");
    assert_eq!(list.len(), 6);
    assert_eq!(list[0]["code"], "LAO");
    assert!(list[1].is_null());
    assert!(list[2].is_null(), "a foreign draft does not leak: {body}");
    assert_eq!(list[3]["__typename"], "Obligation");
    assert_eq!(list[3]["id"], obligation["id"]);
    assert_eq!(list[3]["kind"], obligation["kind"]);
    assert_eq!(list[3]["state"]["code"], "LAO");
    assert!(list[4].is_null());
    assert_eq!(list[5], list[0]);
    // `node` follows the same rule.
    let one = app
        .graphql_as(
            &irq,
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": draft}),
        )
        .await;
    assert!(one["data"]["node"].is_null(), "{one}");

    // LAO's own delegation reads its draft.
    let body = nodes(&app, Some(&lao), ids).await;
    assert_eq!(body["data"]["nodes"][2]["status"], "DRAFT", "{body}");
    assert_eq!(body["data"]["nodes"][2]["id"], draft);
}

fn base64_id(raw: &str) -> String {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    URL_SAFE_NO_PAD.encode(raw)
}

#[tokio::test]
async fn nodes_refuses_more_than_100_ids_naming_the_limit() {
    let app = spawn_app().await;
    let ids: Vec<String> = (0..101).map(|i| format!("id-{i}")).collect();
    let body = nodes(&app, None, json!(ids)).await;
    assert_eq!(error_code(&body), Some("INVALID_ARGUMENT"), "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("100")),
        "{body}"
    );
    let body = nodes(&app, None, json!(ids[..100])).await;
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(body["data"]["nodes"].as_array().map(Vec::len), Some(100));
}

#[tokio::test]
async fn obligation_ids_are_stable_and_resolve_through_node() {
    let app = spawn_app().await;
    let before = profile(&app, "LAO").await;
    let again = profile(&app, "LAO").await;
    assert_eq!(before["obligations"], again["obligations"]);
    let clearance = before["obligations"]
        .as_array()
        .expect("obligations")
        .iter()
        .find(|o| o["kind"] == "CLEARANCE")
        .expect("LAO owes clearance")
        .clone();
    let ids: std::collections::BTreeSet<&str> = before["obligations"]
        .as_array()
        .expect("obligations")
        .iter()
        .map(|o| o["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids.len(),
        before["obligations"].as_array().map_or(0, Vec::len),
        "every obligation has its own id"
    );

    // An extension moves the deadline, not the identity.
    let admin = app.admin_token().await;
    let extended = app
        .graphql_as(
            &admin,
            "mutation($input: RecordDeadlineExtensionInput!) { recordDeadlineExtension(input: $input) {
              extension { id } userErrors { code message } } }",
            json!({"input": {"stateCode": "LAO", "kind": "CLEARANCE", "newDeadline": "2025-08-01",
                "grantedOn": "2019-09-04", "grantedAt": "9MSP"}}),
        )
        .await;
    assert_eq!(
        extended["data"]["recordDeadlineExtension"]["userErrors"],
        json!([]),
        "{extended}"
    );
    let node = app
        .graphql(
            "query($id: ID!) { node(id: $id) { id ... on Obligation { kind dueDate extended } } }",
            json!({"id": clearance["id"]}),
        )
        .await;
    assert_eq!(node["data"]["node"]["id"], clearance["id"], "{node}");
    assert_eq!(node["data"]["node"]["kind"], "CLEARANCE");
    assert_eq!(node["data"]["node"]["dueDate"], "2025-08-01");
    assert_eq!(node["data"]["node"]["extended"], true);
    assert_ne!(clearance["dueDate"], "2025-08-01");

    // A State that owes no such obligation: null. So is a forged obligation key.
    for forged in [
        "Obligation:NZL:CLEARANCE:",
        "Obligation:LAO:CLEARANCE:2024",
        "Obligation:LAO:NOTHING:",
        "Obligation:lao:CLEARANCE:",
        "Obligation:LAO:CLEARANCE",
    ] {
        let body = app
            .graphql(
                "query($id: ID!) { node(id: $id) { id } }",
                json!({"id": base64_id(forged)}),
            )
            .await;
        assert!(body["errors"].is_null(), "{body}");
        assert!(body["data"]["node"].is_null(), "{forged}: {body}");
    }
}

#[tokio::test]
async fn nodes_cost_the_same_statements_for_5_ids_as_for_100() {
    let app = spawn_app().await;
    let page = app
        .graphql(
            "{ stateParties(first: 100, filter: {status: [STATE_PARTY]}) {
                edges { node { id obligations { id } } } } }",
            json!({}),
        )
        .await;
    let edges = page["data"]["stateParties"]["edges"]
        .as_array()
        .expect("States")
        .clone();
    let states: Vec<Value> = edges.iter().map(|e| e["node"]["id"].clone()).collect();
    let obligations: Vec<Value> = edges
        .iter()
        .filter_map(|e| e["node"]["obligations"][0]["id"].as_str().map(Value::from))
        .collect();
    assert!(states.len() >= 50 && obligations.len() >= 50, "{page}");
    let mixed = |n: usize| -> Value {
        let mut ids: Vec<Value> = states[..n].to_vec();
        ids.extend(obligations[..n].iter().cloned());
        json!(ids)
    };
    let (few, body) = statements_of(&app, None, NODES, json!({"ids": mixed(5)})).await;
    assert_eq!(body["data"]["nodes"].as_array().map(Vec::len), Some(10));
    let (many, body) = statements_of(&app, None, NODES, json!({"ids": mixed(50)})).await;
    assert_eq!(body["data"]["nodes"].as_array().map(Vec::len), Some(100));
    assert!(
        body["data"]["nodes"]
            .as_array()
            .is_some_and(|l| l.iter().all(|n| !n.is_null())),
        "{body}"
    );
    assert_eq!(few, many, "statements for 10 nodes and for 100");
}

#[tokio::test]
async fn audit_entries_link_to_what_they_changed_when_it_is_a_node() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let updated = app
        .graphql_as(
            &admin,
            "mutation { updateStateParty(input: {code: \"LAO\", hasVictims: true}) {
              stateParty { id } userErrors { code } } }",
            json!({}),
        )
        .await;
    let state = updated["data"]["updateStateParty"]["stateParty"]["id"].clone();
    assert!(state.is_string(), "{updated}");
    let log = app
        .graphql_as(
            &admin,
            "{ auditLog(first: 50) { edges { node { action entityType entity { __typename id } } } } }",
            json!({}),
        )
        .await;
    let entries: Vec<Value> = log["data"]["auditLog"]["edges"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    let update = entries
        .iter()
        .find(|e| e["action"] == "updateStateParty")
        .expect("the update is logged");
    assert_eq!(update["entity"]["__typename"], "StateParty");
    assert_eq!(update["entity"]["id"], state);
    // Sessions are not nodes: no link.
    let session = entries
        .iter()
        .find(|e| e["entityType"] == "Session")
        .expect("a session entry");
    assert!(session["entity"].is_null(), "{session}");
}
