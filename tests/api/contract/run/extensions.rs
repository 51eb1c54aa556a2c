//! Extension requests, as the frontends send them: Lao PDR's clearance deadline (extended to
//! 2030 here) is asked to move again; the delegation opens a draft, sets out every element and
//! submits it; the analysis group asks, the State answers; the meeting, in session today,
//! grants a shorter extension. A second request is opened and withdrawn. The lists, the
//! milestones and the State's requests follow. Returns the granted request's ID for the node
//! checks. The server runs on the wall clock, so the meeting's dates are set around today.

use chrono::{Days, Utc};

use super::super::*;

pub(super) async fn run(app: &TestApp, admin: String) -> Value {
    let ops = operations("extension_requests.graphql");
    let today = Utc::now().date_naive();
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let staff = app.token_for("ISU_STAFF", None).await;
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    // The accounts part extended Lao PDR's clearance deadline to 2025-08-01; a second
    // extension moves it to 2030-08-01, ahead of today.
    let body = app
        .graphql_as(
            &admin,
            "mutation($i: RecordDeadlineExtensionInput!) { recordDeadlineExtension(input: $i) {
               extension { newDeadline } userErrors { message } } }",
            json!({"i": {"stateCode": "LAO", "kind": "CLEARANCE", "newDeadline": "2030-08-01",
                         "grantedOn": "2024-09-10", "grantedAt": "12MSP"}}),
        )
        .await;
    assert_eq!(
        body["data"]["recordDeadlineExtension"]["extension"]["newDeadline"], "2030-08-01",
        "{body}"
    );
    // A Meeting of States Parties in session today, and its decision.
    let body = app
        .graphql_as(
            &admin,
            "mutation($i: CreateMeetingInput!) { createMeeting(input: $i) { meeting { id } userErrors { message } } }",
            json!({"i": {"kind": "MEETING_OF_STATES_PARTIES", "title": "Extension meeting (contract)",
                         "startsOn": day(today - Days::new(1)), "endsOn": day(today + Days::new(3))}}),
        )
        .await;
    let meeting = body["data"]["createMeeting"]["meeting"]["id"].clone();
    assert!(meeting.is_string(), "{body}");
    let body = app
        .graphql_as(
            &staff,
            "mutation($i: RecordDecisionInput!) { recordDecision(input: $i) { decision { id } userErrors { message } } }",
            json!({"i": {"meetingId": meeting, "kind": "DECISION", "reference": "para. 30",
                         "text": "To grant Lao PDR an extension of its Article 4 deadline.",
                         "access": "PUBLIC", "responsible": "Lao PDR", "responsibleStateCode": "LAO"}}),
        )
        .await;
    let decision = body["data"]["recordDecision"]["decision"]["id"].clone();
    assert!(decision.is_string(), "{body}");

    let body = run_op(
        app,
        &ops,
        "OpenExtensionRequest",
        Some(lao.clone()),
        json!({"input": {"stateCode": "LAO", "kind": "CLEARANCE", "requestedDeadline": "2035-08-01",
                         "meetingId": meeting}}),
    )
    .await;
    let opened = body["data"]["openExtensionRequest"]["request"].clone();
    assert_eq!(opened["status"], "DRAFT", "{body}");
    assert_eq!(opened["currentDeadline"], "2030-08-01");
    assert_eq!(opened["requestedMonths"], 60);
    assert_eq!(opened["maximumMonths"], 60);
    assert_eq!(opened["complete"], false);
    let elements: Vec<Value> = opened["elements"]
        .as_array()
        .expect("elements")
        .iter()
        .map(|e| json!({"provision": e["provision"], "text": format!("The text for {}.", e["provision"].as_str().unwrap_or_default())}))
        .collect();
    assert_eq!(elements.len(), 10, "Article 4(6)(a)-(i) and 4(8): {body}");

    let body = run_op(
        app,
        &ops,
        "UpdateExtensionRequest",
        Some(lao.clone()),
        json!({"input": {"id": opened["id"], "expectedVersion": opened["version"], "elements": elements}}),
    )
    .await;
    let updated = body["data"]["updateExtensionRequest"]["request"].clone();
    assert_eq!(updated["complete"], true, "{body}");
    let body = run_op(
        app,
        &ops,
        "SubmitExtensionRequest",
        Some(lao.clone()),
        json!({"input": {"id": updated["id"], "expectedVersion": updated["version"]}}),
    )
    .await;
    let submitted = body["data"]["submitExtensionRequest"]["request"].clone();
    assert_eq!(submitted["status"], "SUBMITTED", "{body}");
    assert_eq!(submitted["submittedOn"], day(today));
    assert_eq!(
        submitted["late"], true,
        "nine months before a meeting in session: {body}"
    );

    let body = run_op(
        app,
        &ops,
        "AskAnalysisQuestion",
        Some(staff.clone()),
        json!({"input": {"requestId": submitted["id"], "question": "What area remains to be surveyed?",
                         "askedOn": day(today)}}),
    )
    .await;
    assert_eq!(
        body["data"]["askAnalysisQuestion"]["request"]["questions"][0]["number"], 1,
        "{body}"
    );
    let body = run_op(
        app,
        &ops,
        "AnswerAnalysisQuestion",
        Some(lao.clone()),
        json!({"input": {"requestId": submitted["id"], "number": 1, "answer": "About 1,500 km² (invented)."}}),
    )
    .await;
    let answered = body["data"]["answerAnalysisQuestion"]["request"].clone();
    assert_eq!(answered["questions"][0]["answeredOn"], day(today), "{body}");

    let body = run_op(
        app,
        &ops,
        "DecideExtensionRequest",
        Some(staff.clone()),
        json!({"input": {"id": answered["id"], "expectedVersion": answered["version"],
                         "outcome": "GRANTED_SHORTER", "grantedDeadline": "2033-08-01",
                         "decidedOn": day(today), "decisionId": decision}}),
    )
    .await;
    let decided = body["data"]["decideExtensionRequest"]["request"].clone();
    assert_eq!(decided["status"], "DECIDED", "{body}");
    assert_eq!(decided["grantedDeadline"], "2033-08-01");
    assert_eq!(decided["extension"]["previousDeadline"], "2030-08-01");
    assert_eq!(decided["extension"]["newDeadline"], "2033-08-01");
    assert_eq!(decided["decision"]["id"], decision);

    // A further request, opened and withdrawn.
    let body = run_op(
        app,
        &ops,
        "OpenExtensionRequest",
        Some(lao.clone()),
        json!({"input": {"stateCode": "LAO", "kind": "CLEARANCE", "requestedDeadline": "2036-08-01",
                         "meetingId": meeting}}),
    )
    .await;
    let further = body["data"]["openExtensionRequest"]["request"].clone();
    assert_eq!(further["currentDeadline"], "2033-08-01", "{body}");
    assert_eq!(further["previous"]["id"], decided["id"], "{body}");
    let body = run_op(
        app,
        &ops,
        "WithdrawExtensionRequest",
        Some(lao.clone()),
        json!({"input": {"id": further["id"], "expectedVersion": further["version"],
                         "reason": "Opened by mistake."}}),
    )
    .await;
    assert_eq!(
        body["data"]["withdrawExtensionRequest"]["request"]["status"], "WITHDRAWN",
        "{body}"
    );

    let body = run_op(
        app,
        &ops,
        "ExtensionRequests",
        Some(staff.clone()),
        json!({"first": 10, "filter": {"stateCode": "LAO", "kind": "CLEARANCE", "status": ["DECIDED"]}}),
    )
    .await;
    let list = &body["data"]["extensionRequests"];
    assert_eq!(list["totalCount"], 1, "{body}");
    assert_eq!(list["edges"][0]["node"]["id"], decided["id"]);
    let body = run_op(
        app,
        &ops,
        "ExtensionMilestones",
        Some(staff.clone()),
        json!({"withinMonths": 120}),
    )
    .await;
    let milestones = body["data"]["extensionMilestones"]
        .as_array()
        .expect("milestones")
        .clone();
    assert!(
        milestones
            .iter()
            .any(|m| m["obligation"]["state"]["code"] == "LAO"
                && m["obligation"]["dueDate"] == "2033-08-01"),
        "{body}"
    );
    let body = run_op(
        app,
        &ops,
        "StateExtensionRequests",
        Some(lao),
        json!({"code": "LAO"}),
    )
    .await;
    let state = &body["data"]["stateParty"];
    assert_eq!(
        state["extensionRequests"].as_array().map(Vec::len),
        Some(2),
        "{body}"
    );
    assert!(
        state["obligations"]
            .as_array()
            .expect("obligations")
            .iter()
            .any(|o| o["kind"] == "CLEARANCE"
                && o["dueDate"] == "2033-08-01"
                && o["extended"] == true),
        "{body}"
    );
    decided["id"].clone()
}
