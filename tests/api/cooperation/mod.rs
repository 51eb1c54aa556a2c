//! Cooperation and assistance over HTTP: needs, offers, rates, matches, proposals,
//! allocation, with each role and with bad input.

use serde_json::{Value, json};

use crate::helpers::*;

mod coordinators;
mod proposals;

const RATE: &str = "mutation($input: SetExchangeRateInput!) { setExchangeRate(input: $input) { exchangeRate { currency rateToBase validFrom } userErrors { field code } } }";
const NEED: &str = "mutation($input: CreateAssistanceNeedInput!) { createAssistanceNeed(input: $input) {
  need { id status thematicArea assistanceTypes title amount { amount currency } amountCovered { amount currency } state { code } }
  userErrors { field message code } } }";
const OFFER: &str = "mutation($input: CreateAssistanceOfferInput!) { createAssistanceOffer(input: $input) {
  offer { id status title thematicAreas provider { name state { code } } targetStates { code } amount { amount currency } }
  userErrors { field message code } } }";
const PROPOSE: &str = "mutation($input: ProposeMatchInput!) { proposeMatch(input: $input) {
  proposal { id status amount { amount currency } } userErrors { field message code } } }";
const MOVE: &str = "mutation($input: UpdateMatchStatusInput!) { updateMatchStatus(input: $input) {
  proposal { id status need { status amountCovered { amount } } offer { status amountCommitted { amount } } } userErrors { field message code } } }";

struct World {
    app: TestApp,
    admin: String,
    lao: String,
    /// A coordinator following CLEARANCE.
    coordinator: String,
}

async fn world() -> World {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for (c, r) in [("USD", "0.90"), ("EUR", "0.95")] {
        let body = app
            .graphql_as(
                &admin,
                RATE,
                json!({"input": {"currency": c, "rateToBase": r, "validFrom": "2020-01-01"}}),
            )
            .await;
        assert_eq!(
            body["data"]["setExchangeRate"]["userErrors"],
            json!([]),
            "{body}"
        );
    }
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    // The needs made here are in CLEARANCE: this coordinator's area.
    let coordinator = app.coordinator_token(&["CLEARANCE"]).await;
    World {
        app,
        admin,
        lao,
        coordinator,
    }
}

fn need_input(code: &str, amount: &str, currency: &str) -> Value {
    json!({"input": {"stateCode": code, "thematicArea": "CLEARANCE", "assistanceTypes": ["FINANCIAL", "EQUIPMENT"],
        "title": format!("Clearance support for {code}"), "amount": {"amount": amount, "currency": currency},
        "periodStart": "2026-01-01", "periodEnd": "2026-12-31"}})
}

fn offer_input(provider: &str, amount: &str, currency: &str) -> Value {
    json!({"input": {"providerStateCode": provider, "thematicAreas": ["CLEARANCE", "RISK_REDUCTION_EDUCATION"], "assistanceTypes": ["FINANCIAL"],
        "title": format!("Support from {provider}"), "amount": {"amount": amount, "currency": currency}, "targetRegions": ["ASIA_PACIFIC"]}})
}

async fn id_of(
    app: &TestApp,
    token: &str,
    q: &str,
    vars: Value,
    field: &str,
    object: &str,
) -> Value {
    let body = app.graphql_as(token, q, vars).await;
    let id = body["data"][field][object]["id"].clone();
    assert!(id.is_string(), "{body}");
    id
}

#[tokio::test]
async fn a_delegation_declares_needs_for_its_own_state_only() {
    let w = world().await;
    let body = w
        .app
        .graphql_as(&w.lao, NEED, need_input("LAO", "100000", "usd"))
        .await;
    let need = &body["data"]["createAssistanceNeed"]["need"];
    assert_eq!(need["status"], "OPEN", "{body}");
    assert_eq!(
        need["amount"],
        json!({"amount": "100000.00", "currency": "USD"})
    );
    assert_eq!(need["amountCovered"]["amount"], "0.00");
    let audit = w.app.audit_entries().await;
    for (token, vars, code) in [
        (&w.lao, need_input("IRQ", "10", "USD"), "FORBIDDEN"),
        (&w.coordinator, need_input("LAO", "10", "USD"), "FORBIDDEN"),
        (&w.admin, need_input("XXX", "10", "USD"), "NOT_FOUND"),
    ] {
        let body = w.app.graphql_as(token, NEED, vars).await;
        assert_eq!(
            codes(&body["data"]["createAssistanceNeed"]),
            vec![code],
            "{body}"
        );
    }
    let body = w.app.graphql(NEED, need_input("LAO", "10", "USD")).await;
    assert_eq!(
        codes(&body["data"]["createAssistanceNeed"]),
        vec!["UNAUTHENTICATED"]
    );
    assert_eq!(w.app.audit_entries().await, audit);
}

#[tokio::test]
async fn bad_needs_and_offers_are_refused_with_their_field_and_write_nothing() {
    let w = world().await;
    let audit = w.app.audit_entries().await;
    let mut bad_amount = need_input("LAO", "0", "USD");
    let mut no_rate = need_input("LAO", "10", "JPY");
    let mut bad_currency = need_input("LAO", "10", "ZZZ");
    let mut cents = need_input("LAO", "10.001", "USD");
    let mut period = need_input("LAO", "10", "USD");
    period["input"]["periodEnd"] = json!("2025-12-31");
    let mut no_types = need_input("LAO", "10", "USD");
    no_types["input"]["assistanceTypes"] = json!([]);
    let mut bad_report = need_input("LAO", "10", "USD");
    bad_report["input"]["sourceReportId"] = json!("not-a-report");
    let _ = (&mut bad_amount, &mut no_rate, &mut bad_currency, &mut cents);
    for (vars, field) in [
        (bad_amount, "amount"),
        (no_rate, "amount"),
        (bad_currency, "amount"),
        (cents, "amount"),
        (period, "periodEnd"),
        (no_types, "assistanceTypes"),
        (bad_report, "sourceReportId"),
    ] {
        let body = w.app.graphql_as(&w.admin, NEED, vars.clone()).await;
        let p = &body["data"]["createAssistanceNeed"];
        assert_eq!(p["need"], Value::Null, "{vars}");
        assert_eq!(p["userErrors"][0]["code"], "INVALID_INPUT", "{body}");
        assert_eq!(
            p["userErrors"][0]["field"],
            json!(["input", field]),
            "{body}"
        );
    }
    let malformed = w
        .app
        .graphql_as(&w.admin, NEED, need_input("LAO", "ten", "USD"))
        .await;
    assert_eq!(error_code(&malformed), Some("BAD_USER_INPUT"));

    let mut both = offer_input("CHE", "10", "CHF");
    both["input"]["providerOrganization"] = json!("ICRC");
    let mut neither = offer_input("CHE", "10", "CHF");
    neither["input"]["providerStateCode"] = Value::Null;
    let mut unknown_target = offer_input("CHE", "10", "CHF");
    unknown_target["input"]["targetStateCodes"] = json!(["LAO", "QQQ"]);
    let mut no_areas = offer_input("CHE", "10", "CHF");
    no_areas["input"]["thematicAreas"] = json!([]);
    for (vars, field) in [
        (both, "providerStateCode"),
        (neither, "providerStateCode"),
        (unknown_target, "targetStateCodes"),
        (no_areas, "thematicAreas"),
        (offer_input("CHE", "-5", "CHF"), "amount"),
    ] {
        let body = w.app.graphql_as(&w.admin, OFFER, vars.clone()).await;
        let p = &body["data"]["createAssistanceOffer"];
        assert_eq!(p["offer"], Value::Null, "{vars}");
        assert_eq!(p["userErrors"][0]["code"], "INVALID_INPUT", "{body}");
        assert_eq!(
            p["userErrors"][0]["field"],
            json!(["input", field]),
            "{body}"
        );
    }
    let body = w
        .app
        .graphql_as(&w.lao, OFFER, offer_input("CHE", "10", "CHF"))
        .await;
    assert_eq!(
        codes(&body["data"]["createAssistanceOffer"]),
        vec!["FORBIDDEN"]
    );
    let mut org = offer_input("CHE", "10", "CHF");
    org["input"]["providerStateCode"] = Value::Null;
    org["input"]["providerOrganization"] = json!("ICRC");
    let body = w.app.graphql_as(&w.lao, OFFER, org.clone()).await;
    assert_eq!(
        codes(&body["data"]["createAssistanceOffer"]),
        vec!["FORBIDDEN"]
    );
    assert_eq!(w.app.audit_entries().await, audit);
    let body = w.app.graphql_as(&w.admin, OFFER, org).await;
    assert_eq!(
        body["data"]["createAssistanceOffer"]["offer"]["provider"],
        json!({"name": "ICRC", "state": null})
    );
}

#[tokio::test]
async fn a_control_character_in_a_need_title_is_refused_and_nothing_is_written() {
    use sea_orm::{EntityTrait, PaginatorTrait};
    let w = world().await;
    let audit = w.app.audit_entries().await;
    let needs = || async {
        entity::assistance_need::Entity::find()
            .count(&w.app.db)
            .await
            .expect("count")
    };
    let before = needs().await;
    // A control character other than tab and line breaks is refused before anything runs,
    // whatever the field (issue 26): the error names where it is.
    let mut vars = need_input("LAO", "10", "USD");
    vars["input"]["title"] = json!("Clearance\u{0007} support");
    let body = w.app.graphql_as(&w.lao, NEED, vars).await;
    assert_eq!(error_code(&body), Some("INVALID_INPUT"), "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("`$input.title`")),
        "{body}"
    );
    // Tab and line breaks pass that check; a title is one line, so its own rule refuses them.
    for title in ["Clearance\nsupport", "Clear\tance"] {
        let mut vars = need_input("LAO", "10", "USD");
        vars["input"]["title"] = json!(title);
        let body = w.app.graphql_as(&w.lao, NEED, vars).await;
        let p = &body["data"]["createAssistanceNeed"];
        assert_eq!(p["need"], Value::Null, "{body}");
        assert_eq!(codes(p), vec!["INVALID_INPUT"], "{body}");
        assert_eq!(
            p["userErrors"][0]["field"],
            json!(["input", "title"]),
            "{body}"
        );
    }
    assert_eq!(needs().await, before);
    assert_eq!(w.app.audit_entries().await, audit);
    // A description may span lines; the same need with a clean title is declared.
    let mut vars = need_input("LAO", "10", "USD");
    vars["input"]["description"] = json!("First line.\r\n\tSecond line.");
    let body = w.app.graphql_as(&w.lao, NEED, vars).await;
    assert_eq!(
        body["data"]["createAssistanceNeed"]["userErrors"],
        json!([]),
        "{body}"
    );
    assert_eq!(needs().await, before + 1);
}

#[tokio::test]
async fn exchange_rates_are_for_administrators_to_set() {
    let w = world().await;
    for (token, input, code, field) in [
        (
            &w.lao,
            json!({"currency": "GBP", "rateToBase": "1.1", "validFrom": "2025-01-01"}),
            "FORBIDDEN",
            Value::Null,
        ),
        (
            &w.admin,
            json!({"currency": "GBX", "rateToBase": "1.1", "validFrom": "2025-01-01"}),
            "INVALID_INPUT",
            json!(["input", "currency"]),
        ),
        (
            &w.admin,
            json!({"currency": "CHF", "rateToBase": "1.1", "validFrom": "2025-01-01"}),
            "INVALID_INPUT",
            json!(["input", "currency"]),
        ),
        (
            &w.admin,
            json!({"currency": "GBP", "rateToBase": "0", "validFrom": "2025-01-01"}),
            "INVALID_INPUT",
            json!(["input", "rateToBase"]),
        ),
    ] {
        let body = w.app.graphql_as(token, RATE, json!({"input": input})).await;
        assert_eq!(
            body["data"]["setExchangeRate"]["userErrors"][0]["code"], code,
            "{body}"
        );
        if !field.is_null() {
            assert_eq!(
                body["data"]["setExchangeRate"]["userErrors"][0]["field"],
                field
            );
        }
    }
    // Setting the same day again corrects it.
    w.app
        .graphql_as(
            &w.admin,
            RATE,
            json!({"input": {"currency": "USD", "rateToBase": "0.88", "validFrom": "2020-01-01"}}),
        )
        .await;
    let q = "{ exchangeRates { currency rateToBase validFrom } }";
    assert_eq!(
        error_code(&w.app.graphql_as(&w.lao, q, json!({})).await),
        Some("FORBIDDEN")
    );
    let body = w.app.graphql_as(&w.admin, q, json!({})).await;
    let rates = body["data"]["exchangeRates"]
        .as_array()
        .expect("rates")
        .clone();
    assert_eq!(rates.len(), 2, "{body}");
    assert!(
        rates
            .iter()
            .any(|r| r["currency"] == "USD" && r["rateToBase"] == "0.88")
    );
    assert_eq!(
        error_code(
            &w.app
                .graphql("{ exchangeRates { currency } }", json!({}))
                .await
        ),
        Some("UNAUTHENTICATED")
    );
}

#[tokio::test]
async fn matches_come_best_first_with_reasons_and_unmatched_needs_say_why() {
    let w = world().await;
    let need = id_of(
        &w.app,
        &w.lao,
        NEED,
        need_input("LAO", "100000", "USD"),
        "createAssistanceNeed",
        "need",
    )
    .await;
    let good = id_of(
        &w.app,
        &w.admin,
        OFFER,
        offer_input("CHE", "200000", "CHF"),
        "createAssistanceOffer",
        "offer",
    )
    .await;
    let mut narrow = offer_input("DEU", "1000", "EUR");
    narrow["input"]["targetRegions"] = json!([]);
    let weaker = id_of(
        &w.app,
        &w.admin,
        OFFER,
        narrow,
        "createAssistanceOffer",
        "offer",
    )
    .await;
    let mut africa = offer_input("AUT", "1000", "EUR");
    africa["input"]["targetRegions"] = json!(["AFRICA"]);
    id_of(
        &w.app,
        &w.admin,
        OFFER,
        africa,
        "createAssistanceOffer",
        "offer",
    )
    .await;

    let q = "query($id: ID!) { assistanceNeed(id: $id) { unmatchedReasons matches(first: 10) { score offer { id } reasons { factor score weight explanation } } } }";
    let body = w
        .app
        .graphql_as(&w.coordinator, q, json!({"id": need}))
        .await;
    let matches = body["data"]["assistanceNeed"]["matches"]
        .as_array()
        .expect("matches")
        .clone();
    assert_eq!(matches.len(), 2, "the Africa offer is not eligible: {body}");
    assert_eq!(matches[0]["offer"]["id"], good);
    assert_eq!(matches[1]["offer"]["id"], weaker);
    assert!(matches[0]["score"].as_f64() > matches[1]["score"].as_f64());
    let reasons = matches[0]["reasons"].as_array().expect("reasons");
    assert_eq!(reasons.len(), 6);
    let sum: f64 = reasons
        .iter()
        .map(|r| r["score"].as_f64().unwrap_or(0.0) * r["weight"].as_f64().unwrap_or(0.0))
        .sum();
    assert!((sum - matches[0]["score"].as_f64().unwrap_or(0.0)).abs() < 1e-9);
    assert!(reasons.iter().any(|r| {
        r["factor"] == "GEOGRAPHY"
            && r["explanation"]
                .as_str()
                .is_some_and(|e| e.contains("Asia-Pacific"))
    }));
    assert_eq!(
        body["data"]["assistanceNeed"]["unmatchedReasons"],
        json!([])
    );

    let mut va = need_input("LAO", "100", "USD");
    va["input"]["thematicArea"] = json!("VICTIM_ASSISTANCE");
    let lonely = id_of(&w.app, &w.lao, NEED, va, "createAssistanceNeed", "need").await;
    let body = w
        .app
        .graphql_as(&w.coordinator, q, json!({"id": lonely}))
        .await;
    assert_eq!(body["data"]["assistanceNeed"]["matches"], json!([]));
    assert_eq!(
        body["data"]["assistanceNeed"]["unmatchedReasons"],
        json!(["No open offer covers victim assistance."])
    );

    // Another delegation cannot see LAO's need at all.
    let irq = w.app.token_for("DELEGATION", Some("IRQ")).await;
    assert_eq!(
        w.app.graphql_as(&irq, q, json!({"id": need})).await["data"]["assistanceNeed"],
        Value::Null
    );
    let list = w
        .app
        .graphql_as(&irq, "{ assistanceNeeds { totalCount } }", json!({}))
        .await;
    assert_eq!(list["data"]["assistanceNeeds"]["totalCount"], 0);
    let list = w.app.graphql_as(&w.coordinator, "{ assistanceNeeds(filter: {regionalGroup: ASIA_PACIFIC, status: [OPEN]}) { totalCount } }", json!({})).await;
    assert_eq!(list["data"]["assistanceNeeds"]["totalCount"], 2);
}
