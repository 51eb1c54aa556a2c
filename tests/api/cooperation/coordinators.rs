//! A coordinator proposes and moves the matches of the needs in their thematic areas, and
//! reads every other.

use entity::match_proposal;
use sea_orm::{EntityTrait, PaginatorTrait};

use super::*;

async fn proposals(app: &TestApp) -> u64 {
    match_proposal::Entity::find()
        .count(&app.db)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_coordinator_proposes_and_moves_matches_only_in_their_thematic_areas() {
    let w = world().await;
    let clearance = id_of(
        &w.app,
        &w.lao,
        NEED,
        need_input("LAO", "1000", "CHF"),
        "createAssistanceNeed",
        "need",
    )
    .await;
    let mut victims = need_input("PHL", "1000", "CHF");
    victims["input"]["thematicArea"] = json!("VICTIM_ASSISTANCE");
    let victims = id_of(
        &w.app,
        &w.admin,
        NEED,
        victims,
        "createAssistanceNeed",
        "need",
    )
    .await;
    // The offer covers both areas: that does not make the victim assistance need's match a
    // clearance coordinator's.
    let mut offer = offer_input("CHE", "2000", "CHF");
    offer["input"]["thematicAreas"] = json!(["CLEARANCE", "VICTIM_ASSISTANCE"]);
    let offer = id_of(
        &w.app,
        &w.admin,
        OFFER,
        offer,
        "createAssistanceOffer",
        "offer",
    )
    .await;
    let propose = |need: &Value| json!({"input": {"needId": need, "offerId": offer}});
    let mv = |id: &Value, status: &str| json!({"input": {"id": id, "status": status}});
    let no_area = w.app.token_for("COORDINATOR", None).await;
    let victim_coordinator = w.app.coordinator_token(&["VICTIM_ASSISTANCE"]).await;

    // Outside their areas: refused, nothing written.
    let (rows, audit) = (proposals(&w.app).await, w.app.audit_entries().await);
    for token in [&w.coordinator, &no_area] {
        let body = w.app.graphql_as(token, PROPOSE, propose(&victims)).await;
        let payload = &body["data"]["proposeMatch"];
        assert_eq!(codes(payload), vec!["FORBIDDEN"], "{body}");
        assert_eq!(
            payload["userErrors"][0]["field"],
            json!(["input", "needId"])
        );
        assert_eq!(payload["proposal"], Value::Null);
    }
    let body = w
        .app
        .graphql_as(&no_area, PROPOSE, propose(&clearance))
        .await;
    assert_eq!(codes(&body["data"]["proposeMatch"]), vec!["FORBIDDEN"]);
    assert_eq!(proposals(&w.app).await, rows);
    assert_eq!(w.app.audit_entries().await, audit);

    // In them: proposed and moved.
    let body = w
        .app
        .graphql_as(&w.coordinator, PROPOSE, propose(&clearance))
        .await;
    let mine = body["data"]["proposeMatch"]["proposal"]["id"].clone();
    assert!(mine.is_string(), "{body}");
    let body = w
        .app
        .graphql_as(&w.coordinator, MOVE, mv(&mine, "CONTACTED"))
        .await;
    assert_eq!(
        body["data"]["updateMatchStatus"]["userErrors"],
        json!([]),
        "{body}"
    );
    assert_eq!(
        body["data"]["updateMatchStatus"]["proposal"]["status"],
        "CONTACTED"
    );

    // ISU staff propose any match; the clearance coordinator cannot move this one, nor the
    // coordinator without areas the clearance one.
    let body = w.app.graphql_as(&w.admin, PROPOSE, propose(&victims)).await;
    let theirs = body["data"]["proposeMatch"]["proposal"]["id"].clone();
    assert!(theirs.is_string(), "{body}");
    let (rows, audit) = (proposals(&w.app).await, w.app.audit_entries().await);
    for (token, id) in [(&w.coordinator, &theirs), (&no_area, &mine)] {
        let body = w.app.graphql_as(token, MOVE, mv(id, "DECLINED")).await;
        let payload = &body["data"]["updateMatchStatus"];
        assert_eq!(codes(payload), vec!["FORBIDDEN"], "{body}");
        assert_eq!(payload["userErrors"][0]["field"], json!(["input", "id"]));
        assert_eq!(payload["proposal"], Value::Null);
    }
    assert_eq!(proposals(&w.app).await, rows);
    assert_eq!(w.app.audit_entries().await, audit);

    // Reading is not restricted by area: the clearance coordinator still reads the victim
    // assistance need, its matches and its proposal, unchanged.
    let q = "query($id: ID!) { assistanceNeed(id: $id) { thematicArea matches(first: 5) { offer { id } }
      proposals { id status } } }";
    let body = w
        .app
        .graphql_as(&w.coordinator, q, json!({"id": victims}))
        .await;
    let need = &body["data"]["assistanceNeed"];
    assert_eq!(need["thematicArea"], "VICTIM_ASSISTANCE", "{body}");
    assert_eq!(need["matches"][0]["offer"]["id"], offer, "{body}");
    assert_eq!(
        need["proposals"],
        json!([{"id": theirs, "status": "PROPOSED"}])
    );

    // Its own coordinator moves it.
    let body = w
        .app
        .graphql_as(&victim_coordinator, MOVE, mv(&theirs, "CONTACTED"))
        .await;
    assert_eq!(
        body["data"]["updateMatchStatus"]["proposal"]["status"], "CONTACTED",
        "{body}"
    );
}
