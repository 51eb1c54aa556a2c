//! Proposals and their lifecycle, the allocation, withdrawals and the base currency.

use super::*;

#[tokio::test]
async fn proposals_follow_their_lifecycle_and_never_overcommit() {
    let w = world().await;
    let need = id_of(
        &w.app,
        &w.lao,
        NEED,
        need_input("LAO", "1000", "CHF"),
        "createAssistanceNeed",
        "need",
    )
    .await;
    let offer = id_of(
        &w.app,
        &w.admin,
        OFFER,
        offer_input("CHE", "600", "CHF"),
        "createAssistanceOffer",
        "offer",
    )
    .await;
    let other_need = id_of(
        &w.app,
        &w.admin,
        NEED,
        need_input("PHL", "1000", "CHF"),
        "createAssistanceNeed",
        "need",
    )
    .await;
    let propose = |n: &Value, amount: &str| json!({"input": {"needId": n, "offerId": offer, "amount": {"amount": amount, "currency": "CHF"}}});

    // Refusals first.
    let audit = w.app.audit_entries().await;
    for (token, vars, code) in [
        (&w.lao, propose(&need, "100"), "FORBIDDEN"),
        (&w.coordinator, propose(&need, "700"), "INVALID_INPUT"),
        (
            &w.coordinator,
            json!({"input": {"needId": "nope", "offerId": offer}}),
            "NOT_FOUND",
        ),
    ] {
        let body = w.app.graphql_as(token, PROPOSE, vars).await;
        assert_eq!(codes(&body["data"]["proposeMatch"]), vec![code], "{body}");
    }
    assert_eq!(w.app.audit_entries().await, audit);

    let first = w
        .app
        .graphql_as(&w.coordinator, PROPOSE, propose(&need, "400"))
        .await;
    let p1 = first["data"]["proposeMatch"]["proposal"]["id"].clone();
    assert_eq!(
        first["data"]["proposeMatch"]["proposal"]["status"], "PROPOSED",
        "{first}"
    );
    let dup = w
        .app
        .graphql_as(&w.coordinator, PROPOSE, propose(&need, "100"))
        .await;
    assert_eq!(codes(&dup["data"]["proposeMatch"]), vec!["ALREADY_EXISTS"]);
    let second = w
        .app
        .graphql_as(&w.admin, PROPOSE, propose(&other_need, "400"))
        .await;
    let p2 = second["data"]["proposeMatch"]["proposal"]["id"].clone();

    let mv = |id: &Value, status: &str| json!({"input": {"id": id, "status": status}});
    let skip = w
        .app
        .graphql_as(&w.coordinator, MOVE, mv(&p1, "DELIVERED"))
        .await;
    assert_eq!(
        codes(&skip["data"]["updateMatchStatus"]),
        vec!["INVALID_STATE_TRANSITION"]
    );
    for s in ["CONTACTED", "AGREED"] {
        let body = w.app.graphql_as(&w.coordinator, MOVE, mv(&p1, s)).await;
        assert_eq!(
            body["data"]["updateMatchStatus"]["userErrors"],
            json!([]),
            "{body}"
        );
    }
    let body = w
        .app
        .graphql_as(&w.coordinator, MOVE, mv(&p1, "DELIVERED"))
        .await;
    let p = &body["data"]["updateMatchStatus"]["proposal"];
    assert_eq!(p["need"]["status"], "PARTIALLY_MET", "{body}");
    assert_eq!(p["need"]["amountCovered"]["amount"], "400.00");
    assert_eq!(p["offer"]["status"], "PARTIALLY_COMMITTED");
    assert_eq!(p["offer"]["amountCommitted"]["amount"], "400.00");

    // The second proposal would commit 800 of 600: refused, nothing changes.
    w.app.graphql_as(&w.admin, MOVE, mv(&p2, "CONTACTED")).await;
    let over = w.app.graphql_as(&w.admin, MOVE, mv(&p2, "AGREED")).await;
    assert_eq!(
        codes(&over["data"]["updateMatchStatus"]),
        vec!["CONFLICT"],
        "{over}"
    );
    let body = w.app.graphql_as(&w.admin, "query($id: ID!) { assistanceOffer(id: $id) { amountCommitted { amount } status proposals { status } } }", json!({"id": offer})).await;
    assert_eq!(
        body["data"]["assistanceOffer"]["amountCommitted"]["amount"],
        "400.00"
    );
    let declined = w.app.graphql_as(&w.admin, MOVE, mv(&p2, "DECLINED")).await;
    assert_eq!(
        declined["data"]["updateMatchStatus"]["proposal"]["status"],
        "DECLINED"
    );
    let again = w.app.graphql_as(&w.admin, MOVE, mv(&p2, "PROPOSED")).await;
    assert_eq!(
        codes(&again["data"]["updateMatchStatus"]),
        vec!["INVALID_STATE_TRANSITION"]
    );
}

#[tokio::test]
async fn concurrent_agreements_never_commit_more_than_the_offer_has() {
    let w = world().await;
    let offer = id_of(
        &w.app,
        &w.admin,
        OFFER,
        offer_input("CHE", "1000", "CHF"),
        "createAssistanceOffer",
        "offer",
    )
    .await;
    let mut proposals = Vec::new();
    for code in ["LAO", "PHL", "IDN", "LKA", "FJI", "PLW"] {
        let need = id_of(
            &w.app,
            &w.admin,
            NEED,
            need_input(code, "1000", "CHF"),
            "createAssistanceNeed",
            "need",
        )
        .await;
        let body = w.app.graphql_as(&w.admin, PROPOSE, json!({"input": {"needId": need, "offerId": offer, "amount": {"amount": "400", "currency": "CHF"}}})).await;
        let id = body["data"]["proposeMatch"]["proposal"]["id"].clone();
        assert!(id.is_string(), "{code}: {body}");
        w.app
            .graphql_as(
                &w.admin,
                MOVE,
                json!({"input": {"id": id, "status": "CONTACTED"}}),
            )
            .await;
        proposals.push(id);
    }
    let tasks: Vec<_> = proposals
        .iter()
        .map(|id| {
            let (client, base, token, id) = (w.app.client.clone(), w.app.base.clone(), w.admin.clone(), id.clone());
            tokio::spawn(async move {
                let body: Value = client
                    .post(format!("{base}/graphql"))
                    .bearer_auth(token)
                    .json(&json!({"query": MOVE, "variables": {"input": {"id": id, "status": "AGREED"}}}))
                    .send()
                    .await
                    .expect("post")
                    .json()
                    .await
                    .expect("json");
                body["data"]["updateMatchStatus"]["proposal"]["status"] == "AGREED"
            })
        })
        .collect();
    let mut agreed = 0;
    for t in tasks {
        if t.await.expect("task") {
            agreed += 1;
        }
    }
    assert_eq!(agreed, 2, "1000 CHF holds two agreements of 400");
    let body = w
        .app
        .graphql_as(
            &w.admin,
            "query($id: ID!) { assistanceOffer(id: $id) { amountCommitted { amount } } }",
            json!({"id": offer}),
        )
        .await;
    assert_eq!(
        body["data"]["assistanceOffer"]["amountCommitted"]["amount"],
        "800.00"
    );
}

#[tokio::test]
async fn the_allocation_covers_as_much_as_possible_for_coordinators_only() {
    let w = world().await;
    // Offer A fits both needs; offer B only LAO's. The optimum gives B to LAO and A to PHL.
    let lao = id_of(
        &w.app,
        &w.admin,
        NEED,
        need_input("LAO", "500", "CHF"),
        "createAssistanceNeed",
        "need",
    )
    .await;
    let khm = id_of(
        &w.app,
        &w.admin,
        NEED,
        need_input("PHL", "500", "CHF"),
        "createAssistanceNeed",
        "need",
    )
    .await;
    let a = id_of(
        &w.app,
        &w.admin,
        OFFER,
        offer_input("CHE", "500", "CHF"),
        "createAssistanceOffer",
        "offer",
    )
    .await;
    let mut only_lao = offer_input("DEU", "500", "CHF");
    only_lao["input"]["targetStateCodes"] = json!(["LAO"]);
    only_lao["input"]["targetRegions"] = json!([]);
    let b = id_of(
        &w.app,
        &w.admin,
        OFFER,
        only_lao,
        "createAssistanceOffer",
        "offer",
    )
    .await;
    let q = "query($f: AllocationFilter) { cooperationAllocation(filter: $f) { totalRequested { amount currency } totalAllocated { amount currency }
      needsFullyCovered needsPartiallyCovered needsUncovered assignments { need { id } offer { id } amount { amount } score } } }";
    let body = w.app.graphql_as(&w.coordinator, q, json!({})).await;
    let c = &body["data"]["cooperationAllocation"];
    assert_eq!(
        c["totalRequested"],
        json!({"amount": "1000.00", "currency": "CHF"}),
        "{body}"
    );
    assert_eq!(c["totalAllocated"]["amount"], "1000.00");
    assert_eq!(
        (
            c["needsFullyCovered"].as_i64(),
            c["needsUncovered"].as_i64()
        ),
        (Some(2), Some(0))
    );
    let pairs: Vec<(Value, Value)> = c["assignments"]
        .as_array()
        .expect("a")
        .iter()
        .map(|x| (x["need"]["id"].clone(), x["offer"]["id"].clone()))
        .collect();
    assert!(
        pairs.contains(&(lao.clone(), b.clone())) && pairs.contains(&(khm.clone(), a.clone())),
        "{pairs:?}"
    );
    let body = w
        .app
        .graphql_as(
            &w.coordinator,
            q,
            json!({"f": {"thematicArea": "VICTIM_ASSISTANCE"}}),
        )
        .await;
    assert_eq!(
        body["data"]["cooperationAllocation"]["totalRequested"]["amount"],
        "0.00"
    );
    assert_eq!(
        error_code(&w.app.graphql_as(&w.lao, q, json!({})).await),
        Some("FORBIDDEN")
    );
}

#[tokio::test]
async fn withdrawals_are_for_the_owner_and_only_once() {
    let w = world().await;
    let need = id_of(
        &w.app,
        &w.lao,
        NEED,
        need_input("LAO", "10", "CHF"),
        "createAssistanceNeed",
        "need",
    )
    .await;
    let offer = id_of(
        &w.app,
        &w.admin,
        OFFER,
        offer_input("CHE", "10", "CHF"),
        "createAssistanceOffer",
        "offer",
    )
    .await;
    let wn = "mutation($id: ID!) { withdrawAssistanceNeed(input: {id: $id}) { need { id status } userErrors { code } } }";
    let wo = "mutation($id: ID!) { withdrawAssistanceOffer(input: {id: $id}) { offer { id status } userErrors { code } } }";
    let irq = w.app.token_for("DELEGATION", Some("IRQ")).await;
    assert_eq!(
        codes(
            &w.app.graphql_as(&irq, wn, json!({"id": need})).await["data"]["withdrawAssistanceNeed"]
        ),
        vec!["NOT_FOUND"]
    );
    // LAO reads CHE's offer, a candidate for its need, but does not act for CHE.
    assert_eq!(
        codes(
            &w.app.graphql_as(&w.lao, wo, json!({"id": offer})).await["data"]["withdrawAssistanceOffer"]
        ),
        vec!["FORBIDDEN"]
    );
    assert_eq!(
        codes(
            &w.app
                .graphql_as(&w.coordinator, wn, json!({"id": need}))
                .await["data"]["withdrawAssistanceNeed"]
        ),
        vec!["FORBIDDEN"]
    );
    let body = w.app.graphql_as(&w.lao, wn, json!({"id": need})).await;
    assert_eq!(
        body["data"]["withdrawAssistanceNeed"]["need"]["status"],
        "WITHDRAWN"
    );
    assert_eq!(
        codes(
            &w.app.graphql_as(&w.lao, wn, json!({"id": need})).await["data"]["withdrawAssistanceNeed"]
        ),
        vec!["INVALID_STATE_TRANSITION"]
    );
    let body = w.app.graphql_as(&w.admin, wo, json!({"id": offer})).await;
    assert_eq!(
        body["data"]["withdrawAssistanceOffer"]["offer"]["status"],
        "WITHDRAWN"
    );
}

#[tokio::test]
async fn the_base_currency_is_configurable() {
    let app = spawn_app_with(|s| s.base_currency = "EUR".into()).await;
    let admin = app.admin_token().await;
    let chf = app
        .graphql_as(
            &admin,
            RATE,
            json!({"input": {"currency": "CHF", "rateToBase": "1.05", "validFrom": "2020-01-01"}}),
        )
        .await;
    assert_eq!(
        chf["data"]["setExchangeRate"]["userErrors"],
        json!([]),
        "CHF is an ordinary currency now: {chf}"
    );
    let eur = app
        .graphql_as(
            &admin,
            RATE,
            json!({"input": {"currency": "EUR", "rateToBase": "1", "validFrom": "2020-01-01"}}),
        )
        .await;
    assert_eq!(
        codes(&eur["data"]["setExchangeRate"]),
        vec!["INVALID_INPUT"]
    );
    id_of(
        &app,
        &admin,
        NEED,
        need_input("LAO", "100", "CHF"),
        "createAssistanceNeed",
        "need",
    )
    .await;
    id_of(
        &app,
        &admin,
        OFFER,
        offer_input("CHE", "1000", "EUR"),
        "createAssistanceOffer",
        "offer",
    )
    .await;
    let body = app
        .graphql_as(&admin, "{ cooperationAllocation { totalRequested { amount currency } totalAllocated { amount currency } } }", json!({}))
        .await;
    let c = &body["data"]["cooperationAllocation"];
    assert_eq!(
        c["totalRequested"],
        json!({"amount": "105.00", "currency": "EUR"}),
        "{body}"
    );
    assert_eq!(
        c["totalAllocated"],
        json!({"amount": "105.00", "currency": "EUR"})
    );
}
