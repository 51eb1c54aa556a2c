//! Meetings: who may create them, bad input, and who may see their sponsorship figures.

use super::*;

// ------------------------------------------------------------------------------ meetings

#[tokio::test]
async fn isu_staff_create_meetings_and_no_one_else_may() {
    let w = world().await;
    let app = &w.app;
    let audit = app.audit_entries().await;
    for (token, code) in [
        (Some(w.lao.as_str()), "FORBIDDEN"),
        (Some(w.coordinator.as_str()), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ] {
        let p = mutate(app, token, CREATE, meeting_input(), "createMeeting").await;
        assert_eq!(refusal(&p, "meeting").0, code, "{p}");
    }
    assert_eq!(app.audit_entries().await, audit);
    assert_eq!(meetings_stored(app).await, 0);

    let mut vars = meeting_input();
    vars["input"]["title"] = json!("  Fourteenth Meeting of States Parties  ");
    vars["input"]["sponsorshipBudget"]["currency"] = json!("chf");
    let p = mutate(app, Some(&w.admin), CREATE, vars, "createMeeting").await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    let m = &p["meeting"];
    assert_eq!(m["kind"], "MEETING_OF_STATES_PARTIES");
    assert_eq!(m["title"], "Fourteenth Meeting of States Parties");
    assert_eq!(
        (&m["startsOn"], &m["endsOn"], &m["applicationDeadline"]),
        (
            &json!("2026-09-14"),
            &json!("2026-09-17"),
            &json!("2026-07-31")
        )
    );
    assert_eq!(m["venue"], "Geneva");
    assert_eq!(
        m["sponsorshipBudget"],
        json!({"amount": "10000.00", "currency": "CHF"})
    );
    assert_eq!(
        m["dailySubsistenceAllowance"],
        json!({"amount": "300.00", "currency": "CHF"})
    );
    assert_eq!(app.audit_entries().await, audit + 1);
    assert_eq!(audited(app, "createMeeting").await, 1);
    let row = meeting_row(app, &m["id"]).await;
    assert_eq!(
        (
            row.sponsorship_budget_cents,
            row.dsa_cents,
            row.committed_cents
        ),
        (Some(1_000_000), Some(30_000), 0)
    );
    assert_eq!(row.currency.as_deref(), Some("CHF"));

    // ISU staff too; a meeting without a sponsorship programme, and a budget without an
    // allowance (which is then zero).
    let plain = json!({"input": {"kind": "COORDINATION_COMMITTEE", "title": "Coordination Committee",
        "startsOn": "2026-10-05", "endsOn": "2026-10-05"}});
    let p = mutate(app, Some(&w.staff), CREATE, plain, "createMeeting").await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    assert_eq!(p["meeting"]["sponsorshipBudget"], Value::Null);
    assert_eq!(p["meeting"]["dailySubsistenceAllowance"], Value::Null);
    assert_eq!(p["meeting"]["venue"], Value::Null);
    let mut no_dsa = meeting_input();
    no_dsa["input"]["dailySubsistenceAllowance"] = Value::Null;
    let p = mutate(app, Some(&w.staff), CREATE, no_dsa, "createMeeting").await;
    assert_eq!(
        p["meeting"]["dailySubsistenceAllowance"],
        json!({"amount": "0.00", "currency": "CHF"}),
        "{p}"
    );
    assert_eq!(audited(app, "createMeeting").await, 3);
    assert_eq!(app.audit_entries().await, audit + 3);
    assert_eq!(meetings_stored(app).await, 3);
}

#[tokio::test]
async fn bad_meetings_are_refused_with_their_field_and_write_nothing() {
    let w = world().await;
    let app = &w.app;
    let audit = app.audit_entries().await;
    let with = |path: &[&str], value: Value| {
        let mut v = meeting_input();
        let mut slot = &mut v["input"];
        for p in path {
            slot = &mut slot[*p];
        }
        *slot = value;
        v
    };
    let mut dsa_alone = meeting_input();
    dsa_alone["input"]["sponsorshipBudget"] = Value::Null;
    for (vars, field) in [
        (with(&["title"], json!("   ")), json!(["input", "title"])),
        (
            with(&["title"], json!("x".repeat(201))),
            json!(["input", "title"]),
        ),
        (
            with(&["endsOn"], json!("2026-09-13")),
            json!(["input", "endsOn"]),
        ),
        (
            with(&["applicationDeadline"], json!("2026-09-15")),
            json!(["input", "applicationDeadline"]),
        ),
        (
            with(&["sponsorshipBudget", "amount"], json!("-1")),
            json!(["input", "sponsorshipBudget"]),
        ),
        (
            with(&["sponsorshipBudget", "amount"], json!("100.001")),
            json!(["input", "sponsorshipBudget"]),
        ),
        (
            with(&["sponsorshipBudget", "currency"], json!("ZZZ")),
            json!(["input", "sponsorshipBudget"]),
        ),
        (
            with(&["dailySubsistenceAllowance", "currency"], json!("EUR")),
            json!(["input", "dailySubsistenceAllowance", "currency"]),
        ),
        (
            with(&["dailySubsistenceAllowance", "amount"], json!("-300")),
            json!(["input", "dailySubsistenceAllowance"]),
        ),
        (dsa_alone, json!(["input", "dailySubsistenceAllowance"])),
    ] {
        let p = mutate(app, Some(&w.admin), CREATE, vars.clone(), "createMeeting").await;
        assert_eq!(
            refusal(&p, "meeting"),
            ("INVALID_INPUT".to_owned(), field),
            "{vars}"
        );
    }
    // Every problem is reported at once.
    let mut two = with(&["title"], json!(""));
    two["input"]["endsOn"] = json!("2026-01-01");
    let p = mutate(app, Some(&w.admin), CREATE, two, "createMeeting").await;
    let fields: Vec<Value> = p["userErrors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].clone())
        .collect();
    assert_eq!(
        fields,
        vec![json!(["input", "title"]), json!(["input", "endsOn"])],
        "{p}"
    );
    // Malformed literals never reach the service.
    for vars in [
        with(&["startsOn"], json!("2026-02-30")),
        with(&["applicationDeadline"], json!("31/07/2026")),
        with(&["sponsorshipBudget", "amount"], json!("12.3.4")),
    ] {
        let body = app.graphql_as(&w.admin, CREATE, vars.clone()).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{vars}: {body}");
        assert_eq!(body["data"], Value::Null, "{body}");
    }
    assert_eq!(app.audit_entries().await, audit);
    assert_eq!(meetings_stored(app).await, 0);

    // The limits themselves are allowed: a one-day meeting whose deadline is its first day,
    // with a zero budget.
    let mut edge = with(&["endsOn"], json!("2026-09-14"));
    edge["input"]["applicationDeadline"] = json!("2026-09-14");
    edge["input"]["sponsorshipBudget"]["amount"] = json!("0");
    edge["input"]["dailySubsistenceAllowance"]["amount"] = json!("0.50");
    let p = mutate(app, Some(&w.admin), CREATE, edge, "createMeeting").await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    assert_eq!(p["meeting"]["sponsorshipBudget"]["amount"], "0.00");
    assert_eq!(p["meeting"]["dailySubsistenceAllowance"]["amount"], "0.50");
    assert_eq!(meetings_stored(app).await, 1);
}

#[tokio::test]
async fn meetings_are_public_but_their_sponsorship_figures_need_a_login() {
    let w = world().await;
    let app = &w.app;
    let msp = new_meeting(app, &w.admin, meeting_input()).await;
    let intersessional = new_meeting(
        app,
        &w.admin,
        json!({"input": {"kind": "INTERSESSIONAL", "title": "Intersessional Meeting",
            "startsOn": "2027-06-10", "endsOn": "2027-06-11", "venue": "Geneva"}}),
    )
    .await;
    let committee = new_meeting(
        app,
        &w.staff,
        json!({"input": {"kind": "COORDINATION_COMMITTEE", "title": "Coordination Committee",
            "startsOn": "2026-10-05", "endsOn": "2026-10-05"}}),
    )
    .await;

    let list = "query($f: MeetingFilter) { meetings(first: 10, filter: $f) { totalCount
        edges { node { id kind title startsOn endsOn venue applicationDeadline sponsorshipBudget { amount } } } } }";
    let listed = |f: Value| async move {
        let body = app.graphql(list, json!({ "f": f })).await;
        let c = &body["data"]["meetings"];
        assert!(c["totalCount"].is_number(), "{body}");
        let got: Vec<Value> = c["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| e["node"]["id"].clone())
            .collect();
        assert_eq!(c["totalCount"].as_u64(), Some(got.len() as u64), "{body}");
        (got, body)
    };
    let (all, body) = listed(Value::Null).await;
    assert_eq!(
        all,
        vec![msp.clone(), intersessional.clone(), committee.clone()]
    );
    let first = &body["data"]["meetings"]["edges"][0]["node"];
    assert_eq!(first["title"], "Fourteenth Meeting of States Parties");
    assert_eq!(first["venue"], "Geneva");
    assert_eq!(first["applicationDeadline"], "2026-07-31");
    assert_eq!(
        first["sponsorshipBudget"],
        Value::Null,
        "anonymous sees no budget"
    );
    for (f, want) in [
        (
            json!({"kind": "MEETING_OF_STATES_PARTIES"}),
            vec![msp.clone()],
        ),
        (json!({"year": 2026}), vec![msp.clone(), committee.clone()]),
        (json!({"year": 2027}), vec![intersessional.clone()]),
        (json!({"kind": "INTERSESSIONAL", "year": 2026}), vec![]),
        (
            json!({"kind": "COORDINATION_COMMITTEE", "year": 2026}),
            vec![committee.clone()],
        ),
    ] {
        assert_eq!(listed(f.clone()).await.0, want, "{f}");
    }

    // One meeting, anonymously: public fields, no figures.
    let q = "query($id: ID!) { meeting(id: $id) { id title sponsorshipBudget { amount } dailySubsistenceAllowance { amount } } }";
    let body = app.graphql(q, json!({"id": msp})).await;
    assert_eq!(
        body["data"]["meeting"],
        json!({"id": msp, "title": "Fourteenth Meeting of States Parties",
            "sponsorshipBudget": null, "dailySubsistenceAllowance": null}),
        "{body}"
    );
    for field in ["sponsorshipCommitted", "sponsorshipRemaining"] {
        let q = format!("query($id: ID!) {{ meeting(id: $id) {{ title {field} {{ amount }} }} }}");
        let body = app.graphql(&q, json!({"id": msp})).await;
        assert_eq!(
            error_code(&body),
            Some("UNAUTHENTICATED"),
            "{field}: {body}"
        );
    }
    for id in [
        json!("not-a-meeting"),
        unknown_id("Meeting"),
        unknown_id("User"),
    ] {
        let body = app.graphql(q, json!({"id": id})).await;
        assert_eq!(body["data"]["meeting"], Value::Null, "{body}");
    }
    let body = app
        .graphql(
            "query($id: ID!) { node(id: $id) { ... on Meeting { title } } }",
            json!({"id": committee}),
        )
        .await;
    assert_eq!(body["data"]["node"]["title"], "Coordination Committee");

    // Any logged-in user sees the figures.
    for token in [&w.lao, &w.coordinator, &w.staff] {
        assert_eq!(
            figures(app, token, &msp).await,
            json!({
                "sponsorshipBudget": {"amount": "10000.00", "currency": "CHF"},
                "dailySubsistenceAllowance": {"amount": "300.00", "currency": "CHF"},
                "sponsorshipCommitted": {"amount": "0.00", "currency": "CHF"},
                "sponsorshipRemaining": {"amount": "10000.00", "currency": "CHF"},
            })
        );
    }
    // Without a programme: no budget, zero figures in the base currency.
    assert_eq!(
        figures(app, &w.coordinator, &intersessional).await,
        json!({
            "sponsorshipBudget": null, "dailySubsistenceAllowance": null,
            "sponsorshipCommitted": {"amount": "0.00", "currency": "CHF"},
            "sponsorshipRemaining": {"amount": "0.00", "currency": "CHF"},
        })
    );
}
