//! Who may change the budget and take its decisions, and who may read it.

use super::*;

#[tokio::test]
async fn every_budget_mutation_is_for_the_isu_and_decisions_for_its_administrator() {
    let w = world().await;
    let plan = w.plan(2026).await;
    let activity = w.activity(&plan, "Support Article 7 reporting").await;
    let line = w.line(&plan, "STAFF", "1000").await;
    w.invoice(2026, "100", Some(&[("AUT", "1")])).await;
    let mutations = [
        (
            CREATE,
            json!({"input": {"year": 2027, "title": "2027"}}),
            "createWorkplan",
        ),
        (
            ACTIVITY,
            json!({"input": {"workplanId": plan, "title": "T", "output": "O"}}),
            "addWorkplanActivity",
        ),
        (
            LINE,
            line_input(&plan, "TRAVEL", "10", Some(&activity)),
            "addBudgetLine",
        ),
        (
            TRANSITION,
            move_input(&plan, "SUBMITTED", 3),
            "transitionWorkplan",
        ),
        (
            SPEND,
            spend_input(&line, "10", "2026-02-01"),
            "recordExpenditure",
        ),
        (
            INVOICE,
            json!({"input": {"year": 2027, "total": chf("10"), "rates": [{"stateCode": "AUT", "rate": "1"}]}}),
            "issueInvoices",
        ),
        (
            PAY,
            pay_input("AUT", 2026, "10", "2026-02-01"),
            "recordPayment",
        ),
    ];
    let audit = w.app.audit_entries().await;
    for (q, vars, field) in &mutations {
        for (token, code) in [
            (Some(w.delegation.as_str()), "FORBIDDEN"),
            (Some(w.coordinator.as_str()), "FORBIDDEN"),
            (None, "UNAUTHENTICATED"),
        ] {
            let p = w.payload(token, q, vars.clone(), field).await;
            assert_eq!(codes(&p), vec![code], "{field}: {p}");
        }
    }
    // ISU staff prepare, submit and record; endorsement, approval and closing are the
    // administrator's.
    for to in ["ENDORSED", "APPROVED", "CLOSED"] {
        let p = w
            .payload(
                Some(&w.staff),
                TRANSITION,
                move_input(&plan, to, 3),
                "transitionWorkplan",
            )
            .await;
        assert_eq!(codes(&p), vec!["FORBIDDEN"], "{to}: {p}");
    }
    assert_eq!(w.app.audit_entries().await, audit, "refusals write nothing");
    assert_eq!(w.version(2026).await, 3);
    assert_eq!(w.workplan(2027).await, Value::Null);

    w.ok(
        &w.staff,
        ACTIVITY,
        mutations[1].1.clone(),
        "addWorkplanActivity",
    )
    .await;
    w.ok(&w.staff, LINE, mutations[2].1.clone(), "addBudgetLine")
        .await;
    w.ok(
        &w.staff,
        TRANSITION,
        move_input(&plan, "SUBMITTED", 5),
        "transitionWorkplan",
    )
    .await;
    w.ok(
        &w.staff,
        TRANSITION,
        move_input(&plan, "DRAFT", 6),
        "transitionWorkplan",
    )
    .await;
    w.ok(
        &w.staff,
        TRANSITION,
        move_input(&plan, "SUBMITTED", 7),
        "transitionWorkplan",
    )
    .await;
    let p = w
        .payload(
            Some(&w.staff),
            TRANSITION,
            move_input(&plan, "ENDORSED", 8),
            "transitionWorkplan",
        )
        .await;
    assert_eq!(codes(&p), vec!["FORBIDDEN"]);
    w.ok(
        &w.admin,
        TRANSITION,
        move_input(&plan, "ENDORSED", 8),
        "transitionWorkplan",
    )
    .await;
    let p = w
        .payload(
            Some(&w.staff),
            TRANSITION,
            move_input(&plan, "APPROVED", 9),
            "transitionWorkplan",
        )
        .await;
    assert_eq!(codes(&p), vec!["FORBIDDEN"]);
    w.ok(
        &w.admin,
        TRANSITION,
        move_input(&plan, "APPROVED", 9),
        "transitionWorkplan",
    )
    .await;
    w.ok(&w.staff, SPEND, mutations[4].1.clone(), "recordExpenditure")
        .await;
    w.ok(&w.staff, PAY, mutations[6].1.clone(), "recordPayment")
        .await;
    w.ok(&w.staff, CREATE, mutations[0].1.clone(), "createWorkplan")
        .await;
    let wp = w.workplan(2026).await;
    assert_eq!(
        (wp["status"].clone(), wp["version"].clone()),
        (json!("APPROVED"), json!(10))
    );
    assert_eq!(wp["totalSpent"], chf("10.00"));
}

#[tokio::test]
async fn workplans_and_figures_are_read_by_anyone_logged_in() {
    let w = world().await;
    let plan = w.plan(2026).await;
    let activity = w.activity(&plan, "Support Article 7 reporting").await;
    let p = w
        .ok(
            &w.admin,
            LINE,
            line_input(&plan, "STAFF", "1000", Some(&activity)),
            "addBudgetLine",
        )
        .await;
    let line = p["budgetLine"]["id"].clone();
    w.invoice(2026, "100", Some(&[("LAO", "1"), ("AUT", "1")]))
        .await;
    for token in [&w.delegation, &w.coordinator, &w.staff] {
        let body = w
            .app
            .graphql_as(token, WORKPLAN, json!({"year": 2026}))
            .await;
        let wp = &body["data"]["workplan"];
        assert_eq!(wp["id"], plan, "{body}");
        assert_eq!(wp["budgetLines"][0]["id"], line);
        assert_eq!(wp["activities"][0]["id"], activity);
        let body = w.app.graphql_as(token, STATUS, json!({"year": 2026})).await;
        assert_eq!(
            body["data"]["financialStatus"]["invoiced"],
            chf("100.00"),
            "{body}"
        );
        let body = w
            .app
            .graphql_as(token, WORKPLAN, json!({"year": 2031}))
            .await;
        assert_eq!(body["data"]["workplan"], Value::Null, "{body}");
        assert!(body["errors"].is_null(), "{body}");
    }
    for (q, vars) in [
        (WORKPLAN, json!({"year": 2026})),
        (STATUS, json!({"year": 2026})),
    ] {
        let body = w.app.graphql(q, vars).await;
        assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
        assert!(body["data"]["workplan"].is_null() && body["data"]["financialStatus"].is_null());
    }
    let body = w
        .app
        .graphql_as(&w.admin, STATUS, json!({"year": 1900}))
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");

    let node = "query($id: ID!) { node(id: $id) { __typename id
      ... on Workplan { year status }
      ... on WorkplanActivity { title }
      ... on BudgetLine { description amount { amount } activity { id } } } }";
    for token in [&w.delegation, &w.coordinator, &w.admin] {
        let get = |id: &Value| w.app.graphql_as(token, node, json!({"id": id}));
        let body = get(&plan).await;
        assert_eq!(
            body["data"]["node"],
            json!({"__typename": "Workplan", "id": plan, "year": 2026, "status": "DRAFT"}),
            "{body}"
        );
        let body = get(&activity).await;
        assert_eq!(
            body["data"]["node"],
            json!({"__typename": "WorkplanActivity", "id": activity, "title": "Support Article 7 reporting"})
        );
        let body = get(&line).await;
        assert_eq!(
            body["data"]["node"],
            json!({"__typename": "BudgetLine", "id": line, "description": "STAFF costs",
                "amount": {"amount": "1000.00"}, "activity": {"id": activity}})
        );
        for unknown in ["Workplan", "WorkplanActivity", "BudgetLine"] {
            let body = get(&unknown_id(unknown)).await;
            assert_eq!(body["data"]["node"], Value::Null, "{body}");
        }
    }
    for id in [&plan, &activity, &line] {
        let body = w.app.graphql(node, json!({"id": id})).await;
        assert_eq!(body["data"]["node"], Value::Null, "anonymous: {body}");
    }
}
