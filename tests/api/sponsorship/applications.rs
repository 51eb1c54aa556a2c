//! Applications for sponsorship, their deadline, and eligibility.

use super::*;

// -------------------------------------------------------------------------- applications

#[tokio::test]
async fn delegations_apply_for_their_own_state_and_the_isu_for_any() {
    let w = world().await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_input()).await;
    let audit = app.audit_entries().await;

    let mut vars = application(&meeting, "LAO", "Phonsavanh Vongsa", "FEMALE", "1850", 5);
    vars["input"]["requestedTravel"]["currency"] = json!("chf");
    let a = applied(app, &w.lao, vars).await;
    assert_eq!(a["status"], "SUBMITTED", "{a}");
    assert_eq!(a["state"]["code"], "LAO");
    assert_eq!(a["meeting"]["id"], meeting);
    assert_eq!(
        a["delegate"],
        json!({"fullName": "Phonsavanh Vongsa", "gender": "FEMALE", "position": "Deputy Director",
            "email": "phonsavanhvongsa@mfa.test"})
    );
    assert_eq!(
        a["requestedTravel"],
        json!({"amount": "1850.00", "currency": "CHF"})
    );
    assert_eq!(a["requestedDays"], 5);
    // 1850 + 5 × 300.
    assert_eq!(
        a["requestedTotal"],
        json!({"amount": "3350.00", "currency": "CHF"})
    );
    assert_eq!(a["approvedAmount"], Value::Null);
    assert_eq!(
        a["justification"],
        "Member of the national clearance authority."
    );
    assert_eq!(a["eligible"], true);

    // A State may send several delegates; the code is read case-insensitively.
    let second = applied(
        app,
        &w.lao,
        application(&meeting, " lao ", "Khamphet Sisouk", "MALE", "1850.50", 2),
    )
    .await;
    assert_eq!(second["state"]["code"], "LAO");
    assert_eq!(second["requestedTotal"]["amount"], "2450.50");
    assert_ne!(second["id"], a["id"]);
    // ISU staff apply for any State.
    let ben = applied(
        app,
        &w.staff,
        application(&meeting, "BEN", "Aminata Dossou", "FEMALE", "900", 6),
    )
    .await;
    assert_eq!(ben["requestedTotal"]["amount"], "2700.00");
    applied(
        app,
        &w.admin,
        application(&meeting, "IRQ", "Layla Hassan", "FEMALE", "0", 0),
    )
    .await;
    assert_eq!(audited(app, "applyForSponsorship").await, 4);
    assert_eq!(app.audit_entries().await, audit + 4);
    // The audit trail leaves the email out.
    let entry = entity::audit_entry::Entity::find()
        .filter(entity::audit_entry::Column::Action.eq("applyForSponsorship"))
        .filter(
            entity::audit_entry::Column::EntityId
                .eq(uuid_of(&a["id"], "SponsorshipApplication").to_string()),
        )
        .one(&app.db)
        .await
        .expect("query")
        .expect("entry");
    let after = entry.after.unwrap_or_default();
    assert!(after.contains("Phonsavanh Vongsa"), "{after}");
    assert!(!after.contains("@mfa.test"), "{after}");

    // Refusals write nothing.
    let audit = app.audit_entries().await;
    for (token, state, code) in [
        (Some(w.lao.as_str()), "IRQ", "FORBIDDEN"),
        (Some(w.irq.as_str()), "LAO", "FORBIDDEN"),
        (Some(w.coordinator.as_str()), "LAO", "FORBIDDEN"),
        (None, "LAO", "UNAUTHENTICATED"),
    ] {
        let vars = application(&meeting, state, "Someone Else", "MALE", "100", 1);
        let p = mutate(app, token, APPLY, vars, "applyForSponsorship").await;
        assert_eq!(refusal(&p, "application").0, code, "{state}: {p}");
    }
    assert_eq!(app.audit_entries().await, audit);
    assert_eq!(applications_stored(app).await, 4);
}

#[tokio::test]
async fn bad_applications_are_refused_with_their_field_and_write_nothing() {
    let w = world().await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_input()).await;
    let no_programme = new_meeting(
        app,
        &w.admin,
        json!({"input": {"kind": "OTHER", "title": "Informal consultations",
            "startsOn": "2026-09-01", "endsOn": "2026-09-01"}}),
    )
    .await;
    let audit = app.audit_entries().await;
    let ok = || application(&meeting, "LAO", "Phonsavanh Vongsa", "FEMALE", "1850", 5);
    let with = |path: &[&str], value: Value| {
        let mut v = ok();
        let mut slot = &mut v["input"];
        for p in path {
            slot = &mut slot[*p];
        }
        *slot = value;
        v
    };
    let meeting_uuid = uuid_of(&meeting, "Meeting");
    let wrong_kind = json!(ccm_isu::api::ids::encode("SponsorshipApplication", meeting_uuid).0);
    for (vars, code, field) in [
        (
            with(&["meetingId"], json!("garbage")),
            "NOT_FOUND",
            json!(["input", "meetingId"]),
        ),
        (
            with(&["meetingId"], unknown_id("Meeting")),
            "NOT_FOUND",
            json!(["input", "meetingId"]),
        ),
        (
            with(&["meetingId"], wrong_kind),
            "NOT_FOUND",
            json!(["input", "meetingId"]),
        ),
        (
            with(&["stateCode"], json!("XXX")),
            "NOT_FOUND",
            json!(["input", "stateCode"]),
        ),
        (
            with(&["meetingId"], no_programme.clone()),
            "INVALID_INPUT",
            json!(["input", "meetingId"]),
        ),
        (
            with(&["requestedTravel", "currency"], json!("EUR")),
            "INVALID_INPUT",
            json!(["input", "requestedTravel", "currency"]),
        ),
        (
            with(&["requestedTravel", "amount"], json!("-5")),
            "INVALID_INPUT",
            json!(["input", "requestedTravel"]),
        ),
        (
            with(&["requestedTravel", "amount"], json!("1850.005")),
            "INVALID_INPUT",
            json!(["input", "requestedTravel"]),
        ),
        (
            with(&["requestedDays"], json!(-1)),
            "INVALID_INPUT",
            json!(["input", "requestedDays"]),
        ),
        // Four meeting days and two of travel at most.
        (
            with(&["requestedDays"], json!(7)),
            "INVALID_INPUT",
            json!(["input", "requestedDays"]),
        ),
        (
            with(&["delegate", "email"], json!("phonsavanh.mofa.gov.la")),
            "INVALID_INPUT",
            json!(["input", "delegate", "email"]),
        ),
        (
            with(&["delegate", "email"], json!("p v@mofa.gov.la")),
            "INVALID_INPUT",
            json!(["input", "delegate", "email"]),
        ),
        (
            with(&["delegate", "fullName"], json!("  ")),
            "INVALID_INPUT",
            json!(["input", "delegate", "fullName"]),
        ),
    ] {
        let p = mutate(
            app,
            Some(&w.admin),
            APPLY,
            vars.clone(),
            "applyForSponsorship",
        )
        .await;
        assert_eq!(
            refusal(&p, "application"),
            (code.to_owned(), field),
            "{vars}"
        );
    }
    // A delegation cannot probe for State codes: any other code is not its own.
    let p = mutate(
        app,
        Some(&w.lao),
        APPLY,
        with(&["stateCode"], json!("XXX")),
        "applyForSponsorship",
    )
    .await;
    assert_eq!(refusal(&p, "application").0, "FORBIDDEN");
    for vars in [
        with(&["requestedTravel", "amount"], json!("12.3.4")),
        with(&["delegate", "gender"], json!("FEMININE")),
    ] {
        let body = app.graphql_as(&w.admin, APPLY, vars.clone()).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{vars}: {body}");
    }
    assert_eq!(app.audit_entries().await, audit);
    assert_eq!(applications_stored(app).await, 0);

    // The limits are allowed: six days; nothing at all; no email.
    let six = applied(app, &w.lao, with(&["requestedDays"], json!(6))).await;
    assert_eq!(six["requestedTotal"]["amount"], "3650.00");
    let mut nothing = with(&["requestedDays"], json!(0));
    nothing["input"]["requestedTravel"]["amount"] = json!("0");
    nothing["input"]["delegate"]["email"] = json!("  ");
    let nothing = applied(app, &w.lao, nothing).await;
    assert_eq!(nothing["requestedTotal"]["amount"], "0.00");
    assert_eq!(nothing["delegate"]["email"], Value::Null);
    assert_eq!(applications_stored(app).await, 2);
}

#[tokio::test]
async fn applications_close_after_the_deadline_day_or_when_the_meeting_begins() {
    let w = world().await;
    let app = &w.app;
    let with = |deadline: Value, starts: &str| {
        let mut v = meeting_input();
        v["input"]["applicationDeadline"] = deadline;
        v["input"]["startsOn"] = json!(starts);
        v
    };
    // Today is 2026-06-01.
    let due_today = new_meeting(app, &w.admin, with(json!("2026-06-01"), "2026-09-14")).await;
    let due_yesterday = new_meeting(app, &w.admin, with(json!("2026-05-31"), "2026-09-14")).await;
    let begins_today = new_meeting(app, &w.admin, with(Value::Null, "2026-06-01")).await;
    let begins_tomorrow = new_meeting(app, &w.admin, with(Value::Null, "2026-06-02")).await;

    for (meeting, open) in [
        (&due_today, true),
        (&due_yesterday, false),
        (&begins_today, false),
        (&begins_tomorrow, true),
    ] {
        for token in [&w.lao, &w.admin] {
            let vars = application(meeting, "LAO", "Phonsavanh Vongsa", "FEMALE", "100", 1);
            let p = mutate(app, Some(token), APPLY, vars, "applyForSponsorship").await;
            if open {
                assert_eq!(p["userErrors"], json!([]), "{p}");
                assert_eq!(p["application"]["status"], "SUBMITTED");
            } else {
                assert_eq!(
                    refusal(&p, "application"),
                    ("INVALID_INPUT".to_owned(), json!(["input", "meetingId"])),
                    "{p}"
                );
            }
        }
    }
    assert_eq!(applications_stored(app).await, 4);
    assert_eq!(audited(app, "applyForSponsorship").await, 4);
}

// --------------------------------------------------------------------------- eligibility

#[tokio::test]
async fn eligibility_follows_the_default_policy_and_gives_its_reasons() {
    let w = world().await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_input()).await;
    // Lithuania has withdrawn; give it victims so that only its standing disqualifies it.
    let p = mutate(
        app,
        Some(&w.admin),
        UPDATE_STATE,
        json!({"input": {"code": "LTU", "hasVictims": true}}),
        "updateStateParty",
    )
    .await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    let apply = |code: &'static str| {
        let vars = application(
            &meeting,
            code,
            &format!("Delegate of {code}"),
            "MALE",
            "100",
            1,
        );
        let admin = w.admin.as_str();
        async move { applied(app, admin, vars).await }
    };

    let lao = apply("LAO").await;
    assert_eq!(lao["eligible"], true, "{lao}");
    let reasons = strings(&lao["eligibilityReasons"]);
    assert_eq!(
        reasons[0],
        "Lao People's Democratic Republic is a State party."
    );
    assert_eq!(
        reasons[1],
        "Its World Bank income group is lower-middle income, which qualifies."
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("It has a pending Article 4 obligation: clearance due ")),
        "{reasons:?}"
    );
    assert_eq!(
        reasons.last().map(String::as_str),
        Some("Eligible for sponsorship.")
    );

    // Upper-middle income, but a pending clearance obligation.
    let irq = apply("IRQ").await;
    assert_eq!(irq["eligible"], true, "{irq}");
    let reasons = strings(&irq["eligibilityReasons"]);
    assert!(
        reasons.contains(
            &"Its World Bank income group is upper-middle income, which does not qualify on its own."
                .to_owned()
        ),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("It has a pending Article 4 obligation")),
        "{reasons:?}"
    );

    // A signatory of lower-middle income.
    let ago = apply("AGO").await;
    assert_eq!(ago["eligible"], true, "{ago}");
    assert_eq!(ago["eligibilityReasons"][0], "Angola is a signatory.");

    // A high-income State party with no obligation pending and no victims.
    let aut = apply("AUT").await;
    assert_eq!(aut["eligible"], false, "{aut}");
    assert_eq!(
        strings(&aut["eligibilityReasons"]),
        vec![
            "Austria is a State party.",
            "Its World Bank income group is high income, which does not qualify on its own.",
            "It has no pending Article 3 or 4 obligation.",
            "It reports no cluster munition victims.",
            "Not eligible: it meets none of the income, obligation or victim criteria.",
        ]
    );

    // Not a party, not invited: its victims do not make it eligible.
    let ltu = apply("LTU").await;
    assert_eq!(ltu["eligible"], false, "{ltu}");
    let reasons = strings(&ltu["eligibilityReasons"]);
    assert_eq!(
        reasons[0],
        "Lithuania is neither a State party nor a signatory, and is not invited for universalization."
    );
    assert!(reasons.contains(&"It has cluster munition victims.".to_owned()));
    assert_eq!(
        reasons.last().map(String::as_str),
        Some("Not eligible: the State's relation to the Convention does not qualify.")
    );

    // Eligibility is assessed when read: Austria reporting victims becomes eligible.
    let p = mutate(
        app,
        Some(&w.admin),
        UPDATE_STATE,
        json!({"input": {"code": "AUT", "hasVictims": true}}),
        "updateStateParty",
    )
    .await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    let again = node(app, Some(&w.admin), &aut["id"]).await;
    assert_eq!(again["eligible"], true, "{again}");
    let reasons = strings(&again["eligibilityReasons"]);
    assert!(reasons.contains(&"It has cluster munition victims.".to_owned()));
    assert_eq!(
        reasons.last().map(String::as_str),
        Some("Eligible for sponsorship.")
    );
}

#[tokio::test]
async fn the_eligibility_policy_is_configurable() {
    let w = world_with(|s| {
        s.sponsorship_income_groups = "LOW".into();
        s.sponsorship_invited = "LTU".into();
    })
    .await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_input()).await;
    let apply = |code: &'static str| {
        let vars = application(
            &meeting,
            code,
            &format!("Delegate of {code}"),
            "FEMALE",
            "100",
            1,
        );
        let admin = w.admin.as_str();
        async move { applied(app, admin, vars).await }
    };
    // Lower-middle income alone no longer qualifies...
    let phl = apply("PHL").await;
    assert_eq!(phl["eligible"], false, "{phl}");
    let reasons = strings(&phl["eligibilityReasons"]);
    assert_eq!(
        reasons[1],
        "Its World Bank income group is lower-middle income, which does not qualify on its own."
    );
    assert_eq!(
        reasons.last().map(String::as_str),
        Some("Not eligible: it meets none of the income, obligation or victim criteria.")
    );
    // ...low income does, and so does a pending obligation.
    let moz = apply("MOZ").await;
    assert_eq!(moz["eligible"], true, "{moz}");
    assert_eq!(
        moz["eligibilityReasons"][1],
        "Its World Bank income group is low income, which qualifies."
    );
    assert_eq!(apply("LAO").await["eligible"], true);

    // Lithuania is invited, but needs a criterion of need too.
    let ltu = apply("LTU").await;
    assert_eq!(ltu["eligible"], false, "{ltu}");
    assert_eq!(
        ltu["eligibilityReasons"][0],
        "Lithuania is not a State party but is invited for universalization."
    );
    let p = mutate(
        app,
        Some(&w.admin),
        UPDATE_STATE,
        json!({"input": {"code": "LTU", "hasVictims": true}}),
        "updateStateParty",
    )
    .await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    let ltu = node(app, Some(&w.admin), &ltu["id"]).await;
    assert_eq!(ltu["eligible"], true, "{ltu}");
    assert_eq!(
        ltu["eligibilityReasons"].as_array().and_then(|r| r.last()),
        Some(&json!("Eligible for sponsorship."))
    );
}
