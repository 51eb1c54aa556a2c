//! Meetings' records: documents, decisions, their follow-up, the record of a meeting and
//! search, as the frontends send them.

use super::super::*;

pub(super) async fn run(app: &TestApp, admin: String, meeting: &Value) {
    let ops = operations("records.graphql");
    let staff = app.token_for("ISU_STAFF", None).await;
    let body = run_op(
        app,
        &ops,
        "AddMeetingDocument",
        Some(staff.clone()),
        json!({"input": {"meetingId": meeting, "kind": "REPORT", "symbol": "CCM/MSP/2099/7",
                         "title": "Final report on stockpile destruction", "language": "EN",
                         "publishedOn": "2026-01-15", "access": "PUBLIC",
                         "submittedByStateCode": "LAO", "text": "The meeting welcomed the completion of stockpile destruction."}}),
    )
    .await;
    let document = body["data"]["addMeetingDocument"]["document"]["id"].clone();
    let body = run_op(
        app,
        &ops,
        "RecordDecision",
        Some(staff.clone()),
        json!({"input": {"meetingId": meeting, "kind": "RECOMMENDATION", "reference": "para. 27(c)",
                         "text": "States parties to report on stockpile destruction.", "access": "PUBLIC",
                         "responsible": "States parties", "responsibleStateCode": "LAO",
                         "actionPlanActions": [18, 19]}}),
    )
    .await;
    let decision = body["data"]["recordDecision"]["decision"].clone();
    assert_eq!(decision["status"], "NOT_STARTED");
    let body = run_op(
        app,
        &ops,
        "UpdateDecisionStatus",
        Some(staff),
        json!({"input": {"id": decision["id"], "status": "IN_PROGRESS",
                         "expectedVersion": decision["version"], "comment": "Letters sent.",
                         "evidenceDocumentId": document}}),
    )
    .await;
    let updated = &body["data"]["updateDecisionStatus"]["decision"];
    assert_eq!(updated["updates"][1]["evidence"]["id"], document);
    let body = run_op(
        app,
        &ops,
        "Decisions",
        None,
        json!({"first": 10, "filter": {"meetingId": meeting, "status": ["IN_PROGRESS"]}}),
    )
    .await;
    assert_eq!(body["data"]["decisions"]["totalCount"], 1, "{body}");
    assert_eq!(body["data"]["implementationSummary"]["total"], 1);
    let body = run_op(
        app,
        &ops,
        "MeetingRecord",
        Some(admin),
        json!({"id": meeting}),
    )
    .await;
    assert_eq!(
        body["data"]["meeting"]["documents"]["totalCount"], 1,
        "{body}"
    );
    let body = run_op(
        app,
        &ops,
        "Search",
        None,
        json!({"query": "stockpile destruction", "first": 10}),
    )
    .await;
    assert_eq!(body["data"]["search"]["totalCount"], 2, "{body}");
}
