//! Every required contract operation, run against the server.

use super::*;

/// Each required operation, exactly as the frontends send it, runs without errors.
#[tokio::test]
async fn required_contract_operations_run() {
    let app = spawn_app().await;
    let auth = operations("auth.graphql");
    let run = |name: &'static str, token: Option<String>, vars: Value| {
        run_op(&app, &auth, name, token, vars)
    };

    let login = run(
        "Login",
        None,
        json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}),
    )
    .await;
    let refresh = login["data"]["login"]["refreshToken"]
        .as_str()
        .expect("refresh")
        .to_owned();
    let refreshed = run("RefreshSession", None, json!({"refreshToken": refresh})).await;
    let admin = refreshed["data"]["refreshSession"]["accessToken"]
        .as_str()
        .expect("token")
        .to_owned();
    run("Me", Some(admin.clone()), json!({})).await;
    let created = run(
        "CreateUser",
        Some(admin.clone()),
        json!({"input": {"email": "lao@isu.test", "password": PASSWORD, "role": "DELEGATION", "stateCode": "LAO"}}),
    )
    .await;
    let user_id = created["data"]["createUser"]["user"]["id"].clone();
    run(
        "Users",
        Some(admin.clone()),
        json!({"first": 10, "filter": {"role": "DELEGATION"}}),
    )
    .await;
    let lao = app.login("lao@isu.test", PASSWORD).await;
    run(
        "ChangePassword",
        Some(token_of(&lao)),
        json!({"currentPassword": PASSWORD, "newPassword": "another-password-789"}),
    )
    .await;
    run(
        "DeactivateUser",
        Some(admin.clone()),
        json!({"id": user_id}),
    )
    .await;
    let other = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    run(
        "Logout",
        None,
        json!({"refreshToken": other["refreshToken"]}),
    )
    .await;

    let audit = &operations("audit.graphql")["AuditLog"];
    let body = app.graphql_as(&admin, audit, json!({"first": 50})).await;
    assert_ran(&body, "AuditLog");
    assert!(
        body["data"]["auditLog"]["totalCount"].as_i64() >= Some(4),
        "{body}"
    );

    let states = operations("states.graphql");
    let body = app
        .graphql(
            &states["StateParties"],
            json!({"first": 5, "filter": {"regionalGroup": "ASIA_PACIFIC", "hasObligation": "CLEARANCE"}}),
        )
        .await;
    assert_ran(&body, "StateParties");
    assert!(
        body["data"]["stateParties"]["totalCount"].as_i64() > Some(0),
        "{body}"
    );
    let body = run_op(
        &app,
        &states,
        "UpdateStateParty",
        Some(admin.clone()),
        json!({"input": {"code": "LAO", "hasVictims": true}}),
    )
    .await;
    assert_eq!(
        body["data"]["updateStateParty"]["stateParty"]["code"],
        "LAO"
    );
    let body = run_op(
        &app,
        &states,
        "RecordDeadlineExtension",
        Some(admin.clone()),
        json!({"input": {"stateCode": "LAO", "kind": "CLEARANCE", "newDeadline": "2025-08-01", "grantedOn": "2019-09-04", "grantedAt": "9MSP"}}),
    )
    .await;
    assert_eq!(
        body["data"]["recordDeadlineExtension"]["extension"]["newDeadline"],
        "2025-08-01"
    );
    let body = run_op(&app, &states, "StateProfile", None, json!({"code": "LAO"})).await;
    assert!(
        body["data"]["stateParty"]["obligations"]
            .as_array()
            .is_some_and(|o| !o.is_empty()),
        "{body}"
    );
    assert_eq!(
        body["data"]["stateParty"]["extensions"][0]["grantedAt"],
        "9MSP"
    );

    let deadlines = operations("deadlines.graphql");
    let delegation = app.token_for("DELEGATION", Some("IRQ")).await;
    let body = run_op(&app, &deadlines, "MyDeadlines", Some(delegation), json!({})).await;
    assert_eq!(body["data"]["me"]["state"]["code"], "IRQ");
    assert!(
        body["data"]["me"]["state"]["obligations"]
            .as_array()
            .is_some_and(|o| !o.is_empty()),
        "{body}"
    );
    let body = run_op(
        &app,
        &deadlines,
        "UpcomingDeadlines",
        None,
        json!({"withinDays": 3000, "first": 10}),
    )
    .await;
    assert!(
        body["data"]["upcomingDeadlines"]["totalCount"].as_i64() > Some(0),
        "{body}"
    );
    let body = run_op(
        &app,
        &deadlines,
        "OverdueObligations",
        None,
        json!({"kinds": ["INITIAL_TRANSPARENCY_REPORT", "CLEARANCE"], "first": 10}),
    )
    .await;
    assert!(
        body["data"]["overdueObligations"]["totalCount"].as_i64() > Some(0),
        "{body}"
    );

    let reports = operations("reports.graphql");
    let body = run_op(
        &app,
        &reports,
        "CreateTransparencyReport",
        Some(admin.clone()),
        json!({"input": {"stateCode": "LAO", "kind": "ANNUAL", "reportingYear": 2024}}),
    )
    .await;
    let id = body["data"]["createTransparencyReport"]["report"]["id"].clone();
    let body = run_op(
        &app,
        &reports,
        "UpdateTransparencyReport",
        Some(admin.clone()),
        json!({"input": {"id": id, "expectedVersion": 1, "sections": {
            "nationalImplementationMeasures": "Law on cluster munitions",
            "stockpiles": [{"munitionType": "BLU-63", "munitions": 0, "submunitions": 0, "retained": 0, "destroyedThisPeriod": 0}],
            "contaminatedAreas": [{"location": "Xieng Khouang", "areaSquareMetres": "125.50", "remnantTypes": "BLU-26"}],
            "clearance": [{"location": "Savannakhet", "areaClearedSquareMetres": "1000", "remnantsDestroyed": 5}],
            "nationalResources": {"amount": "1000.00", "currency": "USD"},
            "cooperationProvided": [{"recipient": "UXO Lao", "thematicArea": "CLEARANCE", "amount": {"amount": "10", "currency": "CHF"}, "description": "Survey"}]
        }}}),
    )
    .await;
    assert_eq!(
        body["data"]["updateTransparencyReport"]["report"]["version"],
        2
    );
    run_op(
        &app,
        &reports,
        "SubmitTransparencyReport",
        Some(admin.clone()),
        json!({"id": id}),
    )
    .await;
    let body = run_op(
        &app,
        &reports,
        "PublishTransparencyReport",
        Some(admin.clone()),
        json!({"id": id}),
    )
    .await;
    assert_eq!(
        body["data"]["publishTransparencyReport"]["report"]["status"],
        "PUBLISHED"
    );
    let body = run_op(
        &app,
        &reports,
        "TransparencyReports",
        None,
        json!({"first": 5, "filter": {"stateCode": "LAO"}}),
    )
    .await;
    assert_eq!(body["data"]["transparencyReports"]["totalCount"], 1);
    let body = run_op(
        &app,
        &reports,
        "TransparencyReport",
        None,
        json!({"id": id}),
    )
    .await;
    assert_eq!(
        body["data"]["transparencyReport"]["sections"]["clearance"][0]["remnantsDestroyed"],
        5
    );
    let body = run_op(
        &app,
        &reports,
        "ReportingCompliance",
        None,
        json!({"year": 2024}),
    )
    .await;
    assert!(
        body["data"]["reportingCompliance"]["submitted"].as_i64() >= Some(1),
        "{body}"
    );

    let coop = operations("cooperation.graphql");
    run_op(
        &app,
        &coop,
        "SetExchangeRate",
        Some(admin.clone()),
        json!({"input": {"currency": "USD", "rateToBase": "0.90", "validFrom": "2020-01-01"}}),
    )
    .await;
    let body = run_op(&app, &coop, "ExchangeRates", Some(admin.clone()), json!({})).await;
    assert_eq!(body["data"]["exchangeRates"][0]["currency"], "USD");
    let body = run_op(
        &app,
        &coop,
        "CreateAssistanceNeed",
        Some(admin.clone()),
        json!({"input": {"stateCode": "LAO", "thematicArea": "CLEARANCE", "assistanceTypes": ["FINANCIAL"], "title": "Survey", "amount": {"amount": "1000", "currency": "USD"}, "sourceReportId": id}}),
    )
    .await;
    let need = body["data"]["createAssistanceNeed"]["need"]["id"].clone();
    let body = run_op(
        &app,
        &coop,
        "CreateAssistanceOffer",
        Some(admin.clone()),
        json!({"input": {"providerStateCode": "CHE", "thematicAreas": ["CLEARANCE"], "assistanceTypes": ["FINANCIAL"], "title": "Swiss support", "amount": {"amount": "500", "currency": "CHF"}, "targetRegions": ["ASIA_PACIFIC"], "targetStateCodes": ["LAO"]}}),
    )
    .await;
    let offer = body["data"]["createAssistanceOffer"]["offer"]["id"].clone();
    let body = run_op(
        &app,
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
        &app,
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
        &app,
        &coop,
        "AssistanceNeeds",
        Some(admin.clone()),
        json!({"first": 5, "filter": {"thematicArea": "CLEARANCE"}}),
    )
    .await;
    run_op(
        &app,
        &coop,
        "AssistanceOffers",
        Some(admin.clone()),
        json!({"first": 5, "filter": {"thematicArea": "CLEARANCE"}}),
    )
    .await;
    let body = run_op(
        &app,
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
    let body = run_op(&app, &coop, "ProposeMatch", Some(admin.clone()), json!({"input": {"needId": need, "offerId": offer, "amount": {"amount": "450", "currency": "CHF"}}})).await;
    let proposal = body["data"]["proposeMatch"]["proposal"]["id"].clone();
    assert_eq!(
        body["data"]["proposeMatch"]["proposal"]["amount"],
        json!({"amount": "500.00", "currency": "USD"})
    );
    for status in ["CONTACTED", "AGREED"] {
        run_op(
            &app,
            &coop,
            "UpdateMatchStatus",
            Some(admin.clone()),
            json!({"input": {"id": proposal, "status": status}}),
        )
        .await;
    }
    let body = run_op(
        &app,
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
        &app,
        &coop,
        "WithdrawAssistanceNeed",
        Some(admin.clone()),
        json!({"id": need}),
    )
    .await;
    run_op(
        &app,
        &coop,
        "WithdrawAssistanceOffer",
        Some(admin.clone()),
        json!({"id": offer}),
    )
    .await;

    let sponsorship = operations("sponsorship.graphql");
    let year = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    let body = run_op(
        &app,
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
        &app,
        &sponsorship,
        "Meetings",
        None,
        json!({"first": 10, "filter": {"kind": "MEETING_OF_STATES_PARTIES", "year": year}}),
    )
    .await;
    assert_eq!(body["data"]["meetings"]["totalCount"], 1, "{body}");
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let body = run_op(
        &app,
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
        &app,
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
        &app,
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
        &app,
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

    let budget = operations("budget.graphql");
    let today = chrono::Utc::now().date_naive();
    let this_year = chrono::Datelike::year(&today);
    let body = run_op(
        &app,
        &budget,
        "CreateWorkplan",
        Some(admin.clone()),
        json!({"input": {"year": this_year, "title": "ISU work plan and budget"}}),
    )
    .await;
    let workplan = body["data"]["createWorkplan"]["workplan"]["id"].clone();
    assert_eq!(
        body["data"]["createWorkplan"]["workplan"]["currency"],
        "CHF"
    );
    let body = run_op(
        &app,
        &budget,
        "AddWorkplanActivity",
        Some(admin.clone()),
        json!({"input": {"workplanId": workplan, "title": "Support Article 7 reporting",
            "output": "States parties submit complete reports on time", "indicator": "Reports submitted by 30 April",
            "target": "80 %", "actionPlanReference": "LAP action 44"}}),
    )
    .await;
    let activity = body["data"]["addWorkplanActivity"]["activity"]["id"].clone();
    let body = run_op(
        &app,
        &budget,
        "AddBudgetLine",
        Some(admin.clone()),
        json!({"input": {"workplanId": workplan, "category": "STAFF", "description": "Implementation Support Officer",
            "amount": {"amount": "120000", "currency": "CHF"}, "activityId": activity}}),
    )
    .await;
    let line = body["data"]["addBudgetLine"]["budgetLine"]["id"].clone();
    assert_eq!(
        body["data"]["addBudgetLine"]["budgetLine"]["activity"]["id"],
        activity
    );
    for (to, version) in [("SUBMITTED", 3), ("ENDORSED", 4), ("APPROVED", 5)] {
        let body = run_op(
            &app,
            &budget,
            "TransitionWorkplan",
            Some(admin.clone()),
            json!({"input": {"id": workplan, "to": to, "expectedVersion": version, "note": "contract run"}}),
        )
        .await;
        assert_eq!(body["data"]["transitionWorkplan"]["workplan"]["status"], to);
    }
    let body = run_op(
        &app,
        &budget,
        "RecordExpenditure",
        Some(admin.clone()),
        json!({"input": {"budgetLineId": line, "amount": {"amount": "30000", "currency": "CHF"},
            "spentOn": today.to_string(), "description": "Salary, first quarter"}}),
    )
    .await;
    assert_eq!(
        body["data"]["recordExpenditure"]["budgetLine"]["remaining"]["amount"],
        "90000.00"
    );
    let body = run_op(
        &app,
        &budget,
        "Workplan",
        Some(admin.clone()),
        json!({"year": this_year}),
    )
    .await;
    assert_eq!(body["data"]["workplan"]["executionRate"], 0.25, "{body}");
    let body = run_op(
        &app,
        &budget,
        "IssueInvoices",
        Some(admin.clone()),
        json!({"input": {"year": this_year, "total": {"amount": "100000", "currency": "CHF"},
            "rates": [{"stateCode": "DEU", "rate": "6.111"}, {"stateCode": "FRA", "rate": "4.318"}, {"stateCode": "LAO", "rate": "0.007"}]}}),
    )
    .await;
    assert_eq!(
        body["data"]["issueInvoices"]["financialStatus"]["invoiced"]["amount"],
        "100000.00"
    );
    let body = run_op(
        &app,
        &budget,
        "RecordPayment",
        Some(admin.clone()),
        json!({"input": {"stateCode": "LAO", "year": this_year, "amount": {"amount": "67.07", "currency": "CHF"}, "receivedOn": today.to_string()}}),
    )
    .await;
    assert_eq!(
        body["data"]["recordPayment"]["financialStatus"]["received"]["amount"], "67.07",
        "{body}"
    );
    let body = run_op(
        &app,
        &budget,
        "FinancialStatus",
        Some(admin.clone()),
        json!({"year": this_year}),
    )
    .await;
    let status = &body["data"]["financialStatus"];
    assert_eq!(status["contributions"][2]["state"]["code"], "LAO", "{body}");
    assert_eq!(status["contributions"][2]["outstanding"]["amount"], "0.00");
    assert_eq!(status["workingCapitalReserveTarget"]["amount"], "30000.00");

    // NodeById as the admin frontend sends it, then `node(id:)` for every Node type.
    let node = operations("node.graphql");
    let body = run_op(
        &app,
        &node,
        "NodeById",
        Some(admin.clone()),
        json!({"id": workplan}),
    )
    .await;
    assert_eq!(body["data"]["node"]["year"], this_year);
    let lookups = app
        .graphql_as(
            &admin,
            "{ stateParty(code: \"LAO\") { id extensions { id } obligations { id } } auditLog(first: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let ids = [
        lookups["data"]["stateParty"]["id"].clone(),
        lookups["data"]["stateParty"]["obligations"][0]["id"].clone(),
        lookups["data"]["stateParty"]["extensions"][0]["id"].clone(),
        lookups["data"]["auditLog"]["edges"][0]["node"]["id"].clone(),
        user_id,
        id.clone(),
        need.clone(),
        offer,
        proposal,
        meeting.clone(),
        application,
        workplan,
        activity,
        line,
    ];
    let mut resolved = std::collections::BTreeSet::new();
    for node_id in ids {
        let body = app
            .graphql_as(
                &admin,
                "query($id: ID!) { node(id: $id) { __typename id } }",
                json!({"id": node_id}),
            )
            .await;
        assert_eq!(body["data"]["node"]["id"], node_id, "{body}");
        resolved.insert(
            body["data"]["node"]["__typename"]
                .as_str()
                .expect("type")
                .to_owned(),
        );
    }
    assert_eq!(
        resolved,
        node_types(),
        "node(id:) resolves every type that implements Node"
    );

    // Nodes as the dashboard sends it: in the order asked, with the fields of each type.
    let pinned = json!([
        lookups["data"]["stateParty"]["id"],
        lookups["data"]["stateParty"]["obligations"][0]["id"],
        id,
        need,
        meeting,
        "not an id",
    ]);
    let body = run_op(
        &app,
        &node,
        "Nodes",
        Some(admin.clone()),
        json!({"ids": pinned}),
    )
    .await;
    let nodes = &body["data"]["nodes"];
    assert_eq!(nodes[0]["code"], "LAO", "{body}");
    assert_eq!(nodes[1]["__typename"], "Obligation");
    assert_eq!(nodes[1]["state"]["code"], "LAO");
    assert_eq!(nodes[2]["__typename"], "TransparencyReport");
    assert_eq!(nodes[3]["__typename"], "AssistanceNeed");
    assert_eq!(nodes[4]["__typename"], "Meeting");
    assert!(nodes[5].is_null());
}
