//! Numbers and text, strictly (issue 26, item 7): decimals only in their plain form, money
//! within bounds and the currency's decimals, dates within range, canonical IDs, and no
//! control character in any string; each refused with a code, nothing written, never a 500.

use serde_json::{Value, json};

use crate::helpers::*;

const NEED: &str =
    "mutation($input: CreateAssistanceNeedInput!) { createAssistanceNeed(input: $input) {
  need { id amount { amount currency } } userErrors { field message code } } }";

fn need(title: &str, amount: Value, currency: &str) -> Value {
    json!({"input": {"stateCode": "LAO", "thematicArea": "CLEARANCE", "assistanceTypes": ["FINANCIAL"],
        "title": title, "amount": {"amount": amount, "currency": currency},
        "periodStart": "2026-01-01", "periodEnd": "2026-12-31"}})
}

/// Refused before it ran: a top-level error with a code, no data.
fn assert_refused(body: &Value, what: &str) {
    assert!(
        body["errors"][0]["extensions"]["code"].is_string(),
        "{what}: {body}"
    );
    assert!(
        body["data"].is_null() || body["data"]["createAssistanceNeed"].is_null(),
        "{what}: {body}"
    );
}

#[tokio::test]
async fn decimals_in_other_forms_than_plain_digits_are_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let before = app.audit_entries().await;
    for amount in [
        json!("1e3"),
        json!("1E3"),
        json!("1_000"),
        json!("+5"),
        json!("0.1234567890123456789012345678901234567890"),
        json!("79228162514264337593543950335"),
        json!("92233720368547758.07"),
        json!(1e30),
        json!(1.5),
    ] {
        let body = app
            .graphql_as(&admin, NEED, need("Strict", amount.clone(), "CHF"))
            .await;
        assert_refused(&body, &amount.to_string());
    }
    assert_eq!(app.audit_entries().await, before, "nothing written");
    let body = app
        .graphql_as(&admin, NEED, need("Strict", json!(1500), "CHF"))
        .await;
    assert_eq!(
        body["data"]["createAssistanceNeed"]["need"]["amount"]["amount"], "1500.00",
        "a JSON integer is read exactly: {body}"
    );
}

#[tokio::test]
async fn money_is_at_most_a_trillion_with_the_currencys_decimals() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let before = app.audit_entries().await;
    for (amount, currency) in [
        ("1000000000000.01", "CHF"),
        ("1000000000001", "CHF"),
        ("999999999999999", "USD"),
        ("10.5", "JPY"),
        ("10.125", "CHF"),
    ] {
        let body = app
            .graphql_as(&admin, NEED, need("Bounded", json!(amount), currency))
            .await;
        assert_eq!(
            codes(&body["data"]["createAssistanceNeed"]),
            vec!["INVALID_INPUT"],
            "{amount} {currency}: {body}"
        );
    }
    assert_eq!(app.audit_entries().await, before, "nothing written");
}

#[tokio::test]
async fn control_characters_are_refused_in_every_string_on_every_database() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let before = app.audit_entries().await;
    let body = app
        .graphql_as(&admin, NEED, need("Nul\u{0}byte", json!("10"), "CHF"))
        .await;
    assert_eq!(error_code(&body), Some("INVALID_INPUT"), "{body}");
    // An escape in the document itself, and the login's email, which no field rule sees.
    let body = app
        .graphql(
            "mutation { login(input: {email: \"a\\u0000@isu.test\", password: \"x\"}) { accessToken } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), Some("INVALID_INPUT"), "{body}");
    let body = app
        .graphql(
            "query($c: String!) { stateParty(code: $c) { code } }",
            json!({"c": "LA\u{1b}O"}),
        )
        .await;
    assert_eq!(error_code(&body), Some("INVALID_INPUT"), "{body}");
    assert_eq!(app.audit_entries().await, before, "nothing written");
    // Tabs and line breaks stay allowed where text may span lines.
    let body = app
        .graphql_as(
            &admin,
            "mutation($input: CreateAssistanceNeedInput!) { createAssistanceNeed(input: $input) { need { description } userErrors { code } } }",
            {
                let mut v = need("Multi-line", json!("10"), "CHF");
                v["input"]["description"] = json!("line one\n\tline two");
                v
            },
        )
        .await;
    assert_eq!(
        body["data"]["createAssistanceNeed"]["need"]["description"], "line one\n\tline two",
        "{body}"
    );
}

#[tokio::test]
async fn dates_outside_1900_to_2200_and_ids_in_another_form_are_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut v = need("Dated", json!("10"), "CHF");
    v["input"]["periodEnd"] = json!("2201-01-01");
    let body = app.graphql_as(&admin, NEED, v).await;
    assert_refused(&body, "2201");
    let body = app
        .graphql_as(&admin, NEED, need("Dated", json!("10"), "CHF"))
        .await;
    let id = body["data"]["createAssistanceNeed"]["need"]["id"]
        .as_str()
        .expect("created")
        .to_owned();
    let node = "query($id: ID!) { node(id: $id) { id } }";
    let found = app.graphql_as(&admin, node, json!({"id": id})).await;
    assert_eq!(found["data"]["node"]["id"], id.as_str(), "{found}");
    // The same need, its UUID written in upper case: another ID, which names nothing.
    use base64::Engine;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let raw = String::from_utf8(engine.decode(&id).expect("base64")).expect("utf-8");
    let upper = engine.encode(
        raw.to_uppercase()
            .replace("ASSISTANCENEED", "AssistanceNeed"),
    );
    let found = app.graphql_as(&admin, node, json!({"id": upper})).await;
    assert!(found["data"]["node"].is_null(), "{found}");
}

#[tokio::test]
async fn filter_lists_hold_at_most_a_hundred_values() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let kinds = |n: usize| json!({"kinds": vec!["CLEARANCE"; n]});
    let deadlines = "query($kinds: [ObligationKind!]) {
      stateParties(first: 1) { edges { node { obligations(kinds: $kinds) { kind } } } } }";
    let body = app.graphql_as(&admin, deadlines, kinds(100)).await;
    assert!(body["errors"].is_null(), "100 values: {body}");
    let body = app.graphql_as(&admin, deadlines, kinds(101)).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "101 values: {body}"
    );
    // In an input object too, and in a root list's filter.
    let needs = "query($s: [NeedStatus!]) { assistanceNeeds(filter: {status: $s}) { totalCount } }";
    let body = app
        .graphql_as(&admin, needs, json!({"s": vec!["OPEN"; 100]}))
        .await;
    assert!(body["errors"].is_null(), "100 statuses: {body}");
    let body = app
        .graphql_as(&admin, needs, json!({"s": vec!["OPEN"; 20_000]}))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "20 000 statuses: {body}"
    );
    assert!(body["data"].is_null(), "{body}");
}
