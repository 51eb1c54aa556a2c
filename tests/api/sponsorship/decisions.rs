//! Decisions within budget, withdrawals, and concurrent approvals.

use super::*;

// ------------------------------------------------------------------------------ decisions

#[tokio::test]
async fn decisions_follow_the_documented_transitions() {
    let w = world().await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_input()).await;
    let mut apps = Vec::new();
    for name in [
        "Alpha One",
        "Bravo Two",
        "Charlie Three",
        "Delta Four",
        "Echo Five",
    ] {
        apps.push(
            applied_id(
                app,
                &w.lao,
                application(&meeting, "LAO", name, "FEMALE", "100", 1),
            )
            .await,
        );
    }
    let [a, b, c, d, e] = <[Value; 5]>::try_from(apps).expect("five");

    // Who may decide.
    let audit = app.audit_entries().await;
    for (token, code) in [
        (Some(w.lao.as_str()), "FORBIDDEN"),
        (Some(w.coordinator.as_str()), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ] {
        let p = decide(app, token, decision(&a, "UNDER_REVIEW")).await;
        assert_eq!(refusal(&p, "application").0, code, "{p}");
    }
    for id in [
        json!("garbage"),
        unknown_id("SponsorshipApplication"),
        meeting.clone(),
    ] {
        let p = decide(app, Some(&w.staff), decision(&id, "UNDER_REVIEW")).await;
        assert_eq!(
            refusal(&p, "application"),
            ("NOT_FOUND".to_owned(), json!(["input", "applicationId"])),
            "{id}"
        );
    }
    assert_eq!(app.audit_entries().await, audit);

    let bad = |id: &Value, to: &'static str| {
        let vars = decision(id, to);
        let id = id.clone();
        let staff = w.staff.as_str();
        async move {
            let audit = app.audit_entries().await;
            let before = status_of(app, staff, &id).await;
            let p = decide(app, Some(staff), vars).await;
            assert_eq!(
                refusal(&p, "application"),
                (
                    "INVALID_STATE_TRANSITION".to_owned(),
                    json!(["input", "decision"])
                ),
                "{before} → {to}: {p}"
            );
            assert_eq!(status_of(app, staff, &id).await, before);
            assert_eq!(app.audit_entries().await, audit);
        }
    };
    let good = |id: &Value, to: &'static str, note: Option<&'static str>| {
        let mut vars = decision(id, to);
        if let Some(n) = note {
            vars["input"]["note"] = json!(n);
        }
        let staff = w.staff.as_str();
        async move {
            let p = decided(app, staff, vars).await;
            assert_eq!(p["status"], to, "{p}");
            assert!(
                p["decidedAt"]
                    .as_str()
                    .is_some_and(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok()),
                "{p}"
            );
            p
        }
    };

    // a: SUBMITTED → UNDER_REVIEW → WAITLISTED → UNDER_REVIEW → REJECTED, and then nothing.
    let p = good(&a, "UNDER_REVIEW", Some("  Checking the travel quote. ")).await;
    assert_eq!(p["decisionNote"], "Checking the travel quote.");
    assert_eq!(p["approvedAmount"], Value::Null);
    bad(&a, "UNDER_REVIEW").await;
    bad(&a, "SUBMITTED").await;
    let p = good(&a, "WAITLISTED", None).await;
    assert_eq!(
        p["decisionNote"], "Checking the travel quote.",
        "the latest note that was given"
    );
    good(&a, "UNDER_REVIEW", None).await;
    let p = good(&a, "REJECTED", Some("Budget priorities.")).await;
    assert_eq!(p["decisionNote"], "Budget priorities.");
    for to in [
        "APPROVED",
        "UNDER_REVIEW",
        "WAITLISTED",
        "REJECTED",
        "SUBMITTED",
        "WITHDRAWN",
    ] {
        bad(&a, to).await;
    }

    // b: SUBMITTED → WAITLISTED → APPROVED, and then nothing.
    good(&b, "WAITLISTED", None).await;
    let p = good(&b, "APPROVED", None).await;
    assert_eq!(
        p["approvedAmount"],
        json!({"amount": "400.00", "currency": "CHF"})
    );
    for to in [
        "WAITLISTED",
        "REJECTED",
        "UNDER_REVIEW",
        "APPROVED",
        "SUBMITTED",
        "WITHDRAWN",
    ] {
        bad(&b, to).await;
    }

    // c: SUBMITTED → REJECTED. d: not WITHDRAWN nor SUBMITTED by decision; UNDER_REVIEW →
    // APPROVED. e: SUBMITTED → APPROVED directly; waitlisted → rejected.
    good(&c, "REJECTED", None).await;
    bad(&d, "WITHDRAWN").await;
    bad(&d, "SUBMITTED").await;
    good(&d, "UNDER_REVIEW", None).await;
    let p = good(&d, "APPROVED", Some("Priority: clearance")).await;
    assert_eq!(p["approvedAmount"]["amount"], "400.00");
    assert_eq!(p["decisionNote"], "Priority: clearance");
    good(&e, "APPROVED", None).await;

    let waitlisted = applied_id(
        app,
        &w.lao,
        application(&meeting, "LAO", "Foxtrot Six", "MALE", "100", 1),
    )
    .await;
    good(&waitlisted, "WAITLISTED", None).await;
    good(&waitlisted, "REJECTED", None).await;

    // ISU_ADMIN decides too.
    let last = applied_id(
        app,
        &w.lao,
        application(&meeting, "LAO", "Golf Seven", "MALE", "100", 1),
    )
    .await;
    assert_eq!(
        decided(app, &w.admin, decision(&last, "UNDER_REVIEW")).await["status"],
        "UNDER_REVIEW"
    );
    assert_eq!(audited(app, "decideSponsorshipApplication").await, 13);
    assert_eq!(remaining(app, &w.staff, &meeting).await, "8800.00");
}

#[tokio::test]
async fn approvals_stay_within_the_requested_total_and_the_remaining_budget() {
    let w = world().await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_with("5000", "300")).await;
    // 1000 + 5 × 300 = 2500; 1400 + 5 × 300 = 2900; 0 + 1 × 300 = 300.
    let a = applied_id(
        app,
        &w.lao,
        application(&meeting, "LAO", "Phonsavanh Vongsa", "FEMALE", "1000", 5),
    )
    .await;
    let b = applied_id(
        app,
        &w.admin,
        application(&meeting, "BEN", "Aminata Dossou", "FEMALE", "1400", 5),
    )
    .await;
    let c = applied_id(
        app,
        &w.admin,
        application(&meeting, "PHL", "Jose Santos", "MALE", "0", 1),
    )
    .await;

    let audit = app.audit_entries().await;
    let mut waitlist_with_amount = approval(&a, "100", "CHF");
    waitlist_with_amount["input"]["decision"] = json!("WAITLISTED");
    for (vars, field) in [
        (
            approval(&a, "2500.01", "CHF"),
            json!(["input", "approvedAmount"]),
        ),
        (
            approval(&a, "-1", "CHF"),
            json!(["input", "approvedAmount"]),
        ),
        (
            approval(&a, "10.001", "CHF"),
            json!(["input", "approvedAmount"]),
        ),
        (
            approval(&a, "100", "EUR"),
            json!(["input", "approvedAmount", "currency"]),
        ),
        (waitlist_with_amount, json!(["input", "approvedAmount"])),
    ] {
        let p = decide(app, Some(&w.staff), vars.clone()).await;
        assert_eq!(
            refusal(&p, "application"),
            ("INVALID_INPUT".to_owned(), field),
            "{vars}"
        );
    }
    assert_eq!(app.audit_entries().await, audit);
    assert_eq!(status_of(app, &w.staff, &a).await, "SUBMITTED");

    // By default, the requested total.
    let p = decided(app, &w.staff, decision(&a, "APPROVED")).await;
    assert_eq!(
        p["approvedAmount"],
        json!({"amount": "2500.00", "currency": "CHF"})
    );
    let f = figures(app, &w.coordinator, &meeting).await;
    assert_eq!(f["sponsorshipCommitted"]["amount"], "2500.00");
    assert_eq!(f["sponsorshipRemaining"]["amount"], "2500.00");
    assert_eq!(meeting_row(app, &meeting).await.committed_cents, 250_000);

    // 2900 does not fit in 2500: refused, and nothing is written.
    let audit = app.audit_entries().await;
    let p = decide(app, Some(&w.staff), decision(&b, "APPROVED")).await;
    assert_eq!(
        refusal(&p, "application"),
        ("OVER_BUDGET".to_owned(), json!(["input", "approvedAmount"])),
        "{p}"
    );
    let p = decide(app, Some(&w.staff), approval(&b, "2500.01", "CHF")).await;
    assert_eq!(refusal(&p, "application").0, "OVER_BUDGET");
    assert_eq!(app.audit_entries().await, audit);
    assert_eq!(status_of(app, &w.staff, &b).await, "SUBMITTED");
    assert_eq!(
        node(app, Some(&w.staff), &b).await["approvedAmount"],
        Value::Null
    );
    assert_eq!(remaining(app, &w.staff, &meeting).await, "2500.00");
    assert_eq!(meeting_row(app, &meeting).await.committed_cents, 250_000);

    // A smaller amount, exactly what remains, fits (in lower-case currency too).
    let p = decided(app, &w.staff, approval(&b, "2500", "chf")).await;
    assert_eq!(
        p["approvedAmount"],
        json!({"amount": "2500.00", "currency": "CHF"})
    );
    assert_eq!(remaining(app, &w.staff, &meeting).await, "0.00");
    // Nothing is left for c, which may still be waitlisted.
    let p = decide(app, Some(&w.admin), decision(&c, "APPROVED")).await;
    assert_eq!(refusal(&p, "application").0, "OVER_BUDGET");
    decided(app, &w.admin, decision(&c, "WAITLISTED")).await;
    let row = meeting_row(app, &meeting).await;
    assert_eq!(row.committed_cents, 500_000);
    assert_eq!(row.sponsorship_budget_cents, Some(500_000));
    assert_eq!(audited(app, "decideSponsorshipApplication").await, 3);

    let body = app
        .graphql_as(
            &w.staff,
            LIST,
            json!({"id": meeting, "status": ["APPROVED"]}),
        )
        .await;
    assert_eq!(
        body["data"]["meeting"]["applications"]["totalCount"], 2,
        "{body}"
    );
}

#[tokio::test]
async fn approving_an_ineligible_application_needs_a_note() {
    let w = world().await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_input()).await;
    let aut = applied(
        app,
        &w.admin,
        application(&meeting, "AUT", "Anna Gruber", "FEMALE", "500", 2),
    )
    .await;
    assert_eq!(aut["eligible"], false);
    let audit = app.audit_entries().await;
    for note in [Value::Null, json!("   ")] {
        let mut vars = decision(&aut["id"], "APPROVED");
        vars["input"]["note"] = note;
        let p = decide(app, Some(&w.staff), vars).await;
        assert_eq!(
            refusal(&p, "application"),
            ("INVALID_INPUT".to_owned(), json!(["input", "note"])),
            "{p}"
        );
    }
    assert_eq!(app.audit_entries().await, audit);
    assert_eq!(remaining(app, &w.staff, &meeting).await, "10000.00");
    // Other decisions need none.
    decided(app, &w.staff, decision(&aut["id"], "UNDER_REVIEW")).await;
    let mut vars = decision(&aut["id"], "APPROVED");
    vars["input"]["note"] = json!("Host-country expert, agreed with the donors.");
    let p = decided(app, &w.staff, vars).await;
    assert_eq!(p["status"], "APPROVED");
    assert_eq!(
        p["decisionNote"],
        "Host-country expert, agreed with the donors."
    );
    assert_eq!(p["approvedAmount"]["amount"], "1100.00");
    assert_eq!(remaining(app, &w.staff, &meeting).await, "8900.00");
    assert_eq!(audited(app, "decideSponsorshipApplication").await, 2);
}

// ---------------------------------------------------------------------------- withdrawals

#[tokio::test]
async fn withdrawals_are_the_applicants_and_return_the_approved_amount() {
    let w = world().await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_with("5000", "300")).await;
    let approved = applied_id(
        app,
        &w.lao,
        application(&meeting, "LAO", "Phonsavanh Vongsa", "FEMALE", "1000", 5),
    )
    .await;
    let submitted = applied_id(
        app,
        &w.lao,
        application(&meeting, "LAO", "Khamphet Sisouk", "MALE", "100", 1),
    )
    .await;
    let rejected = applied_id(
        app,
        &w.lao,
        application(&meeting, "LAO", "Bounmy Keo", "MALE", "100", 1),
    )
    .await;
    let ben = applied_id(
        app,
        &w.admin,
        application(&meeting, "BEN", "Aminata Dossou", "FEMALE", "100", 1),
    )
    .await;
    decided(app, &w.staff, decision(&approved, "APPROVED")).await;
    decided(app, &w.staff, decision(&rejected, "REJECTED")).await;
    decided(app, &w.staff, decision(&ben, "WAITLISTED")).await;
    assert_eq!(remaining(app, &w.lao, &meeting).await, "2500.00");

    let audit = app.audit_entries().await;
    for (token, id, code, field) in [
        (
            Some(w.irq.as_str()),
            &approved,
            "NOT_FOUND",
            json!(["input", "id"]),
        ),
        (
            Some(w.lao.as_str()),
            &ben,
            "NOT_FOUND",
            json!(["input", "id"]),
        ),
        (
            Some(w.lao.as_str()),
            &json!("garbage"),
            "NOT_FOUND",
            json!(["input", "id"]),
        ),
        (
            Some(w.admin.as_str()),
            &unknown_id("SponsorshipApplication"),
            "NOT_FOUND",
            json!(["input", "id"]),
        ),
        (
            Some(w.coordinator.as_str()),
            &approved,
            "FORBIDDEN",
            Value::Null,
        ),
        (None, &approved, "UNAUTHENTICATED", Value::Null),
    ] {
        let p = withdraw(app, token, id).await;
        let (got, f) = refusal(&p, "application");
        assert_eq!(got, code, "{p}");
        if !field.is_null() {
            assert_eq!(f, field);
        }
    }
    assert_eq!(app.audit_entries().await, audit);
    assert_eq!(status_of(app, &w.admin, &approved).await, "APPROVED");

    // The approved amount returns to the budget.
    let p = withdraw(app, Some(&w.lao), &approved).await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    assert_eq!(
        p["application"],
        json!({"id": approved, "status": "WITHDRAWN", "approvedAmount": null})
    );
    let f = figures(app, &w.lao, &meeting).await;
    assert_eq!(f["sponsorshipRemaining"]["amount"], "5000.00");
    assert_eq!(f["sponsorshipCommitted"]["amount"], "0.00");
    assert_eq!(meeting_row(app, &meeting).await.committed_cents, 0);

    // Once only; never a rejected one; and no decision afterwards.
    let audit = app.audit_entries().await;
    for (token, id) in [
        (&w.lao, &approved),
        (&w.admin, &approved),
        (&w.lao, &rejected),
    ] {
        let p = withdraw(app, Some(token), id).await;
        assert_eq!(
            refusal(&p, "application"),
            (
                "INVALID_STATE_TRANSITION".to_owned(),
                json!(["input", "id"])
            ),
            "{p}"
        );
    }
    let p = decide(app, Some(&w.staff), decision(&approved, "APPROVED")).await;
    assert_eq!(refusal(&p, "application").0, "INVALID_STATE_TRANSITION");
    assert_eq!(app.audit_entries().await, audit);
    assert_eq!(remaining(app, &w.lao, &meeting).await, "5000.00");

    // A submitted application by its delegation; a waitlisted one by the ISU.
    assert_eq!(
        withdraw(app, Some(&w.lao), &submitted).await["application"]["status"],
        "WITHDRAWN"
    );
    assert_eq!(
        withdraw(app, Some(&w.staff), &ben).await["application"]["status"],
        "WITHDRAWN"
    );
    assert_eq!(audited(app, "withdrawSponsorshipApplication").await, 3);
    assert_eq!(app.audit_entries().await, audit + 2);
    assert_eq!(remaining(app, &w.lao, &meeting).await, "5000.00");
}

// ---------------------------------------------------------------------------- concurrency

#[tokio::test]
async fn concurrent_approvals_never_overspend_the_budget() {
    let w = world().await;
    let app = &w.app;
    // Six requests of 400 (100 + 3 × 100) against 1000: two fit.
    let meeting = new_meeting(app, &w.admin, meeting_with("1000", "100")).await;
    let mut applications = Vec::new();
    for code in ["LAO", "PHL", "BEN", "LKA", "MOZ", "AFG"] {
        applications.push(
            applied_id(
                app,
                &w.admin,
                application(
                    &meeting,
                    code,
                    &format!("Delegate of {code}"),
                    "FEMALE",
                    "100",
                    3,
                ),
            )
            .await,
        );
    }
    let audit = app.audit_entries().await;
    let tasks: Vec<_> = applications
        .iter()
        .map(|id| {
            let (client, base, token) = (app.client.clone(), app.base.clone(), w.staff.clone());
            let vars = decision(id, "APPROVED");
            tokio::spawn(async move {
                let body: Value = client
                    .post(format!("{base}/graphql"))
                    .bearer_auth(token)
                    .json(&json!({"query": DECIDE, "variables": vars}))
                    .send()
                    .await
                    .expect("post")
                    .json()
                    .await
                    .expect("json");
                body
            })
        })
        .collect();
    let mut approved = 0;
    for t in tasks {
        let body = t.await.expect("task");
        let p = &body["data"]["decideSponsorshipApplication"];
        if p["application"]["status"] == "APPROVED" {
            approved += 1;
        } else {
            let (code, _) = refusal(p, "application");
            assert!(
                code == "OVER_BUDGET" || code == "CONFLICT",
                "a refusal, not a fault: {body}"
            );
        }
    }
    assert_eq!(approved, 2, "1000 CHF holds two approvals of 400");
    let row = meeting_row(app, &meeting).await;
    let rows = entity::sponsorship_application::Entity::find()
        .filter(entity::sponsorship_application::Column::MeetingId.eq(row.id))
        .all(&app.db)
        .await
        .expect("rows");
    let approved_rows: Vec<_> = rows
        .iter()
        .filter(|r| r.status == entity::enums::ApplicationStatus::Approved)
        .collect();
    assert_eq!(approved_rows.len(), 2);
    let sum: i64 = approved_rows.iter().filter_map(|r| r.approved_cents).sum();
    assert_eq!(row.committed_cents, sum);
    assert_eq!(row.committed_cents, 80_000);
    assert!(row.committed_cents <= row.sponsorship_budget_cents.unwrap_or(0));
    assert!(
        rows.iter()
            .filter(|r| r.status != entity::enums::ApplicationStatus::Approved)
            .all(|r| r.status == entity::enums::ApplicationStatus::Submitted
                && r.approved_cents.is_none())
    );
    assert_eq!(remaining(app, &w.staff, &meeting).await, "200.00");
    assert_eq!(app.audit_entries().await, audit + 2);
}
