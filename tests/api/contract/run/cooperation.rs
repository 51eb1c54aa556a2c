//! Needs, offers, matches and proposals (a need cites the report `id`): their IDs for the node
//! checks.

use super::super::*;

pub(super) async fn run(app: &TestApp, admin: String, id: &Value) -> [Value; 3] {
    let coop = operations("cooperation.graphql");
    run_op(
        app,
        &coop,
        "SetExchangeRate",
        Some(admin.clone()),
        json!({"input": {"currency": "USD", "rateToBase": "0.90", "validFrom": "2020-01-01"}}),
    )
    .await;
    let body = run_op(app, &coop, "ExchangeRates", Some(admin.clone()), json!({})).await;
    assert_eq!(body["data"]["exchangeRates"][0]["currency"], "USD");
    let body = run_op(
        app,
        &coop,
        "CreateAssistanceNeed",
        Some(admin.clone()),
        json!({"input": {"stateCode": "LAO", "thematicArea": "CLEARANCE", "assistanceTypes": ["FINANCIAL"], "title": "Survey", "amount": {"amount": "1000", "currency": "USD"}, "sourceReportId": id}}),
    )
    .await;
    let need = body["data"]["createAssistanceNeed"]["need"]["id"].clone();
    let body = run_op(
        app,
        &coop,
        "CreateAssistanceOffer",
        Some(admin.clone()),
        json!({"input": {"providerStateCode": "CHE", "thematicAreas": ["CLEARANCE"], "assistanceTypes": ["FINANCIAL"], "title": "Swiss support", "amount": {"amount": "500", "currency": "CHF"}, "targetRegions": ["ASIA_PACIFIC"], "targetStateCodes": ["LAO"]}}),
    )
    .await;
    let offer = body["data"]["createAssistanceOffer"]["offer"]["id"].clone();
    let body = run_op(
        app,
        &coop,
        "NeedMatches",
        Some(admin.clone()),
        json!({"id": need, "first": 5}),
    )
    .await;
    assert_eq!(
        body["data"]["assistanceNeed"]["matches"][0]["offer"]["id"], offer,
        "{body}"
    );
    let body = run_op(
        app,
        &coop,
        "OfferMatches",
        Some(admin.clone()),
        json!({"id": offer, "first": 5}),
    )
    .await;
    assert_eq!(
        body["data"]["assistanceOffer"]["matches"][0]["need"]["id"],
        need
    );
    run_op(
        app,
        &coop,
        "AssistanceNeeds",
        Some(admin.clone()),
        json!({"first": 5, "filter": {"thematicArea": "CLEARANCE"}}),
    )
    .await;
    run_op(
        app,
        &coop,
        "AssistanceOffers",
        Some(admin.clone()),
        json!({"first": 5, "filter": {"thematicArea": "CLEARANCE"}}),
    )
    .await;
    let body = run_op(
        app,
        &coop,
        "CooperationAllocation",
        Some(admin.clone()),
        json!({}),
    )
    .await;
    assert_eq!(
        body["data"]["cooperationAllocation"]["totalAllocated"]["amount"], "500.00",
        "{body}"
    );
    let body = run_op(app, &coop, "ProposeMatch", Some(admin.clone()), json!({"input": {"needId": need, "offerId": offer, "amount": {"amount": "450", "currency": "CHF"}}})).await;
    let proposal = body["data"]["proposeMatch"]["proposal"]["id"].clone();
    assert_eq!(
        body["data"]["proposeMatch"]["proposal"]["amount"],
        json!({"amount": "500.00", "currency": "USD"})
    );
    for status in ["CONTACTED", "AGREED"] {
        run_op(
            app,
            &coop,
            "UpdateMatchStatus",
            Some(admin.clone()),
            json!({"input": {"id": proposal, "status": status}}),
        )
        .await;
    }
    let body = run_op(
        app,
        &coop,
        "UpdateMatchStatus",
        Some(admin.clone()),
        json!({"input": {"id": proposal, "status": "DELIVERED", "note": "done"}}),
    )
    .await;
    assert_eq!(
        body["data"]["updateMatchStatus"]["proposal"]["need"]["status"], "PARTIALLY_MET",
        "{body}"
    );
    run_op(
        app,
        &coop,
        "WithdrawAssistanceNeed",
        Some(admin.clone()),
        json!({"id": need}),
    )
    .await;
    run_op(
        app,
        &coop,
        "WithdrawAssistanceOffer",
        Some(admin.clone()),
        json!({"id": offer}),
    )
    .await;
    [need, offer, proposal]
}
