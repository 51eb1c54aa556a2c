//! The resource base: an expert added, updated, listed and suggested for a need; a good
//! practice written up in a meeting document, found by its words; an expert erased, as the
//! frontends send them. Returns an expert's and a practice's IDs for the node checks.

use super::super::*;

pub(super) async fn run(app: &TestApp, admin: String, meeting: &Value) -> [Value; 2] {
    let ops = operations("experts.graphql");
    let expert = |name: &str, nationality: &str| {
        json!({"input": {
            "fullName": name, "gender": "FEMALE", "nationalityCode": nationality,
            "organization": "National Mine Action Authority (invented)",
            "areas": ["CLEARANCE"], "assistanceTypes": ["TECHNICAL_EXPERTISE", "TRAINING"],
            "languages": ["AR", "EN", "FR"], "regions": ["ASIA_PACIFIC", "AFRICA"],
            "yearsOfExperience": 12, "biography": "Led survey teams in the south (invented).",
            "availableFrom": "2025-01-01", "availableUntil": "2030-12-31",
            "email": "expert@example.org", "phone": "+961 1 234 567",
            "consentGivenOn": "2024-01-15"}})
    };
    let body = run_op(
        app,
        &ops,
        "AddExpert",
        Some(admin.clone()),
        expert("Rania Haddad", "LBN"),
    )
    .await;
    let added = body["data"]["addExpert"]["expert"].clone();
    assert_eq!(added["nationality"]["code"], "LBN", "{body}");
    assert_eq!(added["email"], "expert@example.org", "{body}");
    assert_eq!(
        added["southSouth"], true,
        "Lebanon is itself affected: {body}"
    );
    assert_eq!(added["active"], true, "{body}");

    let mut update = expert("Rania Haddad", "LBN");
    update["input"]["availableUntil"] = json!("2031-06-30");
    let body = run_op(
        app,
        &ops,
        "UpdateExpert",
        Some(admin.clone()),
        json!({"input": {"id": added["id"], "expert": update["input"], "active": true}}),
    )
    .await;
    let updated = &body["data"]["updateExpert"]["expert"];
    assert_eq!(updated["availableUntil"], "2031-06-30", "{body}");

    // A delegation reads the roster, never the contact details.
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let body = run_op(
        app,
        &ops,
        "Experts",
        Some(lao.clone()),
        json!({"first": 10, "filter": {"area": "CLEARANCE", "language": "FR", "southSouth": true}}),
    )
    .await;
    let listed = &body["data"]["experts"]["edges"][0]["node"];
    assert_eq!(listed["id"], added["id"], "{body}");
    assert!(
        listed["email"].is_null() && listed["phone"].is_null(),
        "{body}"
    );

    // A need for technical expertise in Lao PDR: the expert is suggested, with reasons.
    let need = app
        .graphql_as(
            &admin,
            "mutation($input: CreateAssistanceNeedInput!) {
               createAssistanceNeed(input: $input) { need { id } userErrors { message } } }",
            json!({"input": {"stateCode": "LAO", "thematicArea": "CLEARANCE",
                             "assistanceTypes": ["TECHNICAL_EXPERTISE"],
                             "title": "Non-technical survey training"}}),
        )
        .await;
    let need_id = need["data"]["createAssistanceNeed"]["need"]["id"].clone();
    let body = run_op(
        app,
        &ops,
        "ExpertSuggestions",
        Some(lao.clone()),
        json!({"needId": need_id, "first": 5}),
    )
    .await;
    let candidate = &body["data"]["node"]["expertSuggestions"][0];
    assert_eq!(candidate["expert"]["id"], added["id"], "{body}");
    assert_eq!(
        candidate["reasons"].as_array().map(Vec::len),
        Some(6),
        "{body}"
    );

    // A good practice written up in a meeting document, naming the expert.
    let document = app
        .graphql_as(
            &admin,
            "mutation($d: AddMeetingDocumentInput!) {
               addMeetingDocument(input: $d) { document { id } userErrors { message } } }",
            json!({"d": {"meetingId": meeting, "kind": "WORKING_PAPER", "symbol": "CCM/MSP/2024/WP.9",
                         "title": "Land release in the south", "language": "EN", "access": "PUBLIC"}}),
        )
        .await;
    let document_id = document["data"]["addMeetingDocument"]["document"]["id"].clone();
    let body = run_op(
        app,
        &ops,
        "AddGoodPractice",
        Some(admin.clone()),
        json!({"input": {"title": "Land release through non-technical survey", "area": "CLEARANCE",
                         "stateCode": "LBN",
                         "summary": "Cancelling suspected areas after community interviews freed land sooner.",
                         "documentIds": [document_id], "expertIds": [added["id"]]}}),
    )
    .await;
    let practice = body["data"]["addGoodPractice"]["goodPractice"].clone();
    assert_eq!(practice["documents"][0]["id"], document_id, "{body}");
    assert_eq!(practice["experts"][0]["id"], added["id"], "{body}");
    let body = run_op(
        app,
        &ops,
        "GoodPractices",
        Some(lao.clone()),
        json!({"first": 5, "area": "CLEARANCE", "search": "community interviews"}),
    )
    .await;
    assert_eq!(
        body["data"]["goodPractices"]["edges"][0]["node"]["id"], practice["id"],
        "{body}"
    );

    // A second expert, erased at their request.
    let body = run_op(
        app,
        &ops,
        "AddExpert",
        Some(admin.clone()),
        expert("Pierre Martin", "FRA"),
    )
    .await;
    let second = body["data"]["addExpert"]["expert"]["id"].clone();
    let body = run_op(
        app,
        &ops,
        "EraseExpert",
        Some(admin),
        json!({"input": {"id": second}}),
    )
    .await;
    assert_eq!(body["data"]["eraseExpert"]["erasedId"], second, "{body}");
    [added["id"].clone(), practice["id"].clone()]
}
