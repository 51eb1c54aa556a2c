//! A meeting and an application through to its decision: their IDs for the node checks.

use super::super::*;

pub(super) async fn run(app: &TestApp, admin: String) -> [Value; 2] {
    let sponsorship = operations("sponsorship.graphql");
    let year = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    let body = run_op(
        app,
        &sponsorship,
        "CreateMeeting",
        Some(admin.clone()),
        json!({"input": {"kind": "MEETING_OF_STATES_PARTIES", "title": "Fourteenth Meeting of States Parties",
            "startsOn": format!("{year}-09-14"), "endsOn": format!("{year}-09-17"), "venue": "Geneva",
            "applicationDeadline": format!("{year}-07-31"),
            "sponsorshipBudget": {"amount": "150000", "currency": "CHF"},
            "dailySubsistenceAllowance": {"amount": "350", "currency": "CHF"}}}),
    )
    .await;
    let meeting = body["data"]["createMeeting"]["meeting"]["id"].clone();
    let body = run_op(
        app,
        &sponsorship,
        "Meetings",
        None,
        json!({"first": 10, "filter": {"kind": "MEETING_OF_STATES_PARTIES", "year": year}}),
    )
    .await;
    assert_eq!(body["data"]["meetings"]["totalCount"], 1, "{body}");
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let body = run_op(
        app,
        &sponsorship,
        "ApplyForSponsorship",
        Some(lao.clone()),
        json!({"input": {"meetingId": meeting, "stateCode": "LAO",
            "delegate": {"fullName": "Phonsavanh Vongsa", "gender": "FEMALE", "position": "Deputy Director", "email": "p.vongsa@mofa.gov.la"},
            "requestedTravel": {"amount": "1850", "currency": "CHF"}, "requestedDays": 5}}),
    )
    .await;
    let application = &body["data"]["applyForSponsorship"]["application"];
    assert_eq!(application["requestedTotal"]["amount"], "3600.00");
    assert_eq!(application["eligible"], true);
    let application = application["id"].clone();
    let body = run_op(
        app,
        &sponsorship,
        "DecideSponsorshipApplication",
        Some(admin.clone()),
        json!({"input": {"applicationId": application, "decision": "APPROVED", "note": "Priority: clearance"}}),
    )
    .await;
    assert_eq!(
        body["data"]["decideSponsorshipApplication"]["application"]["approvedAmount"]["amount"],
        "3600.00"
    );
    let body = run_op(
        app,
        &sponsorship,
        "SponsorshipOverview",
        Some(admin.clone()),
        json!({"meetingId": meeting}),
    )
    .await;
    assert_eq!(
        body["data"]["meeting"]["sponsorshipRemaining"]["amount"],
        "146400.00"
    );
    assert_eq!(body["data"]["meeting"]["sponsorshipStats"]["approved"], 1);
    let body = run_op(
        app,
        &sponsorship,
        "WithdrawSponsorshipApplication",
        Some(lao),
        json!({"id": application}),
    )
    .await;
    assert_eq!(
        body["data"]["withdrawSponsorshipApplication"]["application"]["status"],
        "WITHDRAWN"
    );
    [meeting, application]
}
