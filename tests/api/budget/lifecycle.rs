//! Workplans: one a year, their activities and budget lines, and the lifecycle from draft to
//! closed.

use super::*;

#[tokio::test]
async fn workplans_are_created_once_per_year_in_the_accounting_currency() {
    let w = world().await;
    let audit = w.app.audit_entries().await;
    let p = w
        .ok(
            &w.admin,
            CREATE,
            json!({"input": {"year": 2026, "title": "  ISU work plan and budget 2026 "}}),
            "createWorkplan",
        )
        .await;
    let plan = &p["workplan"];
    assert!(plan["id"].is_string(), "{p}");
    assert_eq!(plan["year"], 2026);
    assert_eq!(plan["title"], "ISU work plan and budget 2026");
    assert_eq!(plan["status"], "DRAFT");
    assert_eq!(plan["version"], 1);
    assert_eq!(plan["currency"], "CHF", "CHF by default");
    assert_eq!(w.app.audit_entries().await, audit + 1);
    // ISU staff draft workplans too; the accounting currency may be named.
    let p = w
        .ok(
            &w.staff,
            CREATE,
            json!({"input": {"year": 2027, "title": "2027", "currency": "chf"}}),
            "createWorkplan",
        )
        .await;
    assert_eq!(p["workplan"]["currency"], "CHF");

    let audit = w.app.audit_entries().await;
    let long = "x".repeat(201);
    for (token, input, code, field) in [
        (
            &w.admin,
            json!({"year": 2026, "title": "Again"}),
            "ALREADY_EXISTS",
            "year",
        ),
        (
            &w.staff,
            json!({"year": 2027, "title": "Again"}),
            "ALREADY_EXISTS",
            "year",
        ),
        (
            &w.admin,
            json!({"year": 2009, "title": "Too early"}),
            "INVALID_INPUT",
            "year",
        ),
        (
            &w.admin,
            json!({"year": 2101, "title": "Too late"}),
            "INVALID_INPUT",
            "year",
        ),
        (
            &w.admin,
            json!({"year": 2028, "title": "   "}),
            "INVALID_INPUT",
            "title",
        ),
        (
            &w.admin,
            json!({"year": 2028, "title": long}),
            "INVALID_INPUT",
            "title",
        ),
        (
            &w.admin,
            json!({"year": 2028, "title": "In euros", "currency": "EUR"}),
            "INVALID_INPUT",
            "currency",
        ),
    ] {
        let p = w
            .payload(
                Some(token),
                CREATE,
                json!({"input": input.clone()}),
                "createWorkplan",
            )
            .await;
        assert_eq!(p["workplan"], Value::Null, "{input}: {p}");
        assert_eq!(
            refusal(&p),
            (json!(code), json!(["input", field])),
            "{input}: {p}"
        );
    }
    let input = json!({"input": {"year": 2028, "title": "Not theirs"}});
    for token in [&w.delegation, &w.coordinator] {
        let p = w
            .payload(Some(token), CREATE, input.clone(), "createWorkplan")
            .await;
        assert_eq!(codes(&p), vec!["FORBIDDEN"], "{p}");
    }
    let p = w.payload(None, CREATE, input, "createWorkplan").await;
    assert_eq!(codes(&p), vec!["UNAUTHENTICATED"]);
    assert_eq!(w.app.audit_entries().await, audit, "refusals write nothing");
    assert_eq!(w.workplan(2028).await, Value::Null);
    // The range's ends are years too.
    for year in [2010, 2100] {
        w.plan(year).await;
    }
}

#[tokio::test]
async fn activities_and_lines_build_a_draft_and_bump_its_version() {
    let w = world().await;
    let plan = w.plan(2026).await;
    let p = w
        .ok(
            &w.staff,
            ACTIVITY,
            json!({"input": {"workplanId": plan, "title": " Support Article 7 reporting ",
                "output": "States parties submit complete reports on time", "indicator": "Reports submitted by 30 April",
                "target": "80 %", "actionPlanReference": "LAP action 44"}}),
            "addWorkplanActivity",
        )
        .await;
    let a = &p["activity"];
    assert_eq!(a["title"], "Support Article 7 reporting");
    assert_eq!(
        a["output"],
        "States parties submit complete reports on time"
    );
    assert_eq!(a["indicator"], "Reports submitted by 30 April");
    assert_eq!(a["target"], "80 %");
    assert_eq!(a["actionPlanReference"], "LAP action 44");
    let reporting = a["id"].clone();
    let p = w
        .ok(
            &w.admin,
            ACTIVITY,
            json!({"input": {"workplanId": plan, "title": "Universalization", "output": "Two more accessions", "indicator": "  "}}),
            "addWorkplanActivity",
        )
        .await;
    assert_eq!(p["activity"]["indicator"], Value::Null, "blank is none");
    assert_eq!(p["activity"]["actionPlanReference"], Value::Null);
    let universalization = p["activity"]["id"].clone();

    let meetings = w.line(&plan, "MEETINGS", "50000").await;
    let p = w
        .ok(
            &w.staff,
            LINE,
            line_input(&plan, "STAFF", "120000.5", Some(&reporting)),
            "addBudgetLine",
        )
        .await;
    let l = &p["budgetLine"];
    assert_eq!(l["category"], "STAFF");
    assert_eq!(l["description"], "STAFF costs");
    assert_eq!(l["amount"], chf("120000.50"));
    assert_eq!(l["activity"]["id"], reporting);
    let staff_line = l["id"].clone();
    let travel = w.line(&plan, "TRAVEL", "30000").await;
    let small = w.line(&plan, "STAFF", "9.50").await;

    let wp = w.workplan(2026).await;
    assert_eq!(wp["version"], 7, "1 + 2 activities + 4 lines: {wp}");
    assert_eq!(wp["status"], "DRAFT");
    assert_eq!(wp["totalBudget"], chf("200010.00"));
    assert_eq!(wp["totalSpent"], chf("0.00"));
    assert_eq!(wp["executionRate"], 0.0);
    let ids = |list: &Value| -> Vec<Value> {
        list.as_array()
            .expect("list")
            .iter()
            .map(|x| x["id"].clone())
            .collect()
    };
    assert_eq!(
        ids(&wp["activities"]),
        vec![reporting.clone(), universalization]
    );
    assert_eq!(
        ids(&wp["budgetLines"]),
        vec![meetings, staff_line, travel, small],
        "in the order added"
    );
    assert_eq!(
        wp["budgetLines"][1]["activity"],
        json!({"id": reporting, "title": "Support Article 7 reporting"})
    );
    assert_eq!(wp["budgetLines"][0]["activity"], Value::Null);
    assert_eq!(wp["budgetLines"][1]["spent"], chf("0.00"));
    assert_eq!(wp["budgetLines"][1]["remaining"], chf("120000.50"));
    assert_eq!(
        wp["byCategory"],
        json!([
            {"category": "STAFF", "budget": chf("120010.00"), "spent": chf("0.00")},
            {"category": "TRAVEL", "budget": chf("30000.00"), "spent": chf("0.00")},
            {"category": "MEETINGS", "budget": chf("50000.00"), "spent": chf("0.00")},
        ]),
        "categories with lines, in the enum's order"
    );

    // Refusals name their field, write nothing and leave the version alone.
    let other = w.plan(2027).await;
    let foreign = w.activity(&other, "Elsewhere").await;
    let audit = w.app.audit_entries().await;
    let mut blank = line_input(&plan, "OTHER", "10", None);
    blank["input"]["description"] = json!("  ");
    let mut euros = line_input(&plan, "OTHER", "10", None);
    euros["input"]["amount"]["currency"] = json!("EUR");
    let cases = [
        (
            line_input(&plan, "OTHER", "0", None),
            "INVALID_INPUT",
            json!(["input", "amount"]),
        ),
        (
            line_input(&plan, "OTHER", "-5", None),
            "INVALID_INPUT",
            json!(["input", "amount"]),
        ),
        (
            line_input(&plan, "OTHER", "10.005", None),
            "INVALID_INPUT",
            json!(["input", "amount"]),
        ),
        (
            euros,
            "INVALID_INPUT",
            json!(["input", "amount", "currency"]),
        ),
        (blank, "INVALID_INPUT", json!(["input", "description"])),
        (
            line_input(&plan, "OTHER", "10", Some(&foreign)),
            "INVALID_INPUT",
            json!(["input", "activityId"]),
        ),
        (
            line_input(&plan, "OTHER", "10", Some(&unknown_id("WorkplanActivity"))),
            "NOT_FOUND",
            json!(["input", "activityId"]),
        ),
        (
            line_input(&plan, "OTHER", "10", Some(&plan)),
            "NOT_FOUND",
            json!(["input", "activityId"]),
        ),
        (
            line_input(&unknown_id("Workplan"), "OTHER", "10", None),
            "NOT_FOUND",
            json!(["input", "workplanId"]),
        ),
        (
            line_input(&json!("not-an-id"), "OTHER", "10", None),
            "NOT_FOUND",
            json!(["input", "workplanId"]),
        ),
    ];
    for (vars, code, field) in cases {
        let p = w
            .payload(Some(&w.staff), LINE, vars.clone(), "addBudgetLine")
            .await;
        assert_eq!(p["budgetLine"], Value::Null, "{vars}");
        assert_eq!(refusal(&p), (json!(code), field), "{vars}: {p}");
    }
    let activity = |title: &str, output: &str, plan: &Value| json!({"input": {"workplanId": plan, "title": title, "output": output}});
    for (vars, code, field) in [
        (activity(" ", "Done", &plan), "INVALID_INPUT", "title"),
        (activity("Title", "", &plan), "INVALID_INPUT", "output"),
        (
            activity("Title", "Done", &unknown_id("Workplan")),
            "NOT_FOUND",
            "workplanId",
        ),
        (
            activity("Title", "Done", &reporting),
            "NOT_FOUND",
            "workplanId",
        ),
    ] {
        let p = w
            .payload(
                Some(&w.admin),
                ACTIVITY,
                vars.clone(),
                "addWorkplanActivity",
            )
            .await;
        assert_eq!(p["activity"], Value::Null, "{vars}");
        assert_eq!(
            refusal(&p),
            (json!(code), json!(["input", field])),
            "{vars}: {p}"
        );
    }
    let malformed = w
        .app
        .graphql_as(&w.admin, LINE, line_input(&plan, "OTHER", "ten", None))
        .await;
    assert_eq!(
        error_code(&malformed),
        Some("BAD_USER_INPUT"),
        "{malformed}"
    );
    assert_eq!(w.app.audit_entries().await, audit);
    assert_eq!(w.version(2026).await, 7);
}

#[tokio::test]
async fn the_lifecycle_goes_one_step_at_a_time_naming_the_version_it_saw() {
    let w = world().await;
    let plan = w.plan(2026).await;
    let transition = |token: &str, vars: Value| {
        let (w, token) = (&w, token.to_owned());
        async move {
            w.payload(Some(&token), TRANSITION, vars, "transitionWorkplan")
                .await
        }
    };
    let audit = w.app.audit_entries().await;
    let p = transition(&w.staff, move_input(&plan, "SUBMITTED", 1)).await;
    assert_eq!(
        refusal(&p),
        (json!("INVALID_INPUT"), json!(["input", "to"])),
        "no budget lines: {p}"
    );
    assert_eq!(w.app.audit_entries().await, audit);
    let activity = w.activity(&plan, "Support Article 7 reporting").await;
    w.line(&plan, "STAFF", "120000").await;
    assert_eq!(w.version(2026).await, 3);

    let audit = w.app.audit_entries().await;
    for to in ["ENDORSED", "APPROVED", "CLOSED", "DRAFT"] {
        let p = transition(&w.admin, move_input(&plan, to, 3)).await;
        assert_eq!(p["workplan"], Value::Null);
        assert_eq!(
            refusal(&p),
            (json!("INVALID_STATE_TRANSITION"), json!(["input", "to"])),
            "DRAFT → {to}: {p}"
        );
    }
    for stale in [1, 2, 4] {
        let p = transition(&w.staff, move_input(&plan, "SUBMITTED", stale)).await;
        assert_eq!(
            refusal(&p),
            (json!("CONFLICT"), json!(["input", "expectedVersion"])),
            "version {stale}: {p}"
        );
    }
    let p = transition(
        &w.admin,
        move_input(&unknown_id("Workplan"), "SUBMITTED", 3),
    )
    .await;
    assert_eq!(codes(&p), vec!["NOT_FOUND"]);
    assert_eq!(w.app.audit_entries().await, audit, "refusals write nothing");
    assert_eq!(w.version(2026).await, 3);

    let p = transition(&w.staff, move_input(&plan, "SUBMITTED", 3)).await;
    assert_eq!(
        p["workplan"],
        json!({"id": plan, "status": "SUBMITTED", "version": 4})
    );
    // Submitted: frozen.
    let frozen = w
        .payload(
            Some(&w.staff),
            LINE,
            line_input(&plan, "TRAVEL", "10", None),
            "addBudgetLine",
        )
        .await;
    assert_eq!(codes(&frozen), vec!["INVALID_STATE_TRANSITION"], "{frozen}");
    let frozen = w
        .payload(
            Some(&w.admin),
            ACTIVITY,
            json!({"input": {"workplanId": plan, "title": "Late", "output": "Done"}}),
            "addWorkplanActivity",
        )
        .await;
    assert_eq!(codes(&frozen), vec!["INVALID_STATE_TRANSITION"], "{frozen}");
    for to in ["APPROVED", "CLOSED", "SUBMITTED"] {
        let p = transition(&w.admin, move_input(&plan, to, 4)).await;
        assert_eq!(
            codes(&p),
            vec!["INVALID_STATE_TRANSITION"],
            "SUBMITTED → {to}"
        );
    }
    // Back to DRAFT for revision, by ISU staff: lines change again.
    let p = transition(&w.staff, move_input(&plan, "DRAFT", 4)).await;
    assert_eq!(p["workplan"]["status"], "DRAFT", "{p}");
    assert_eq!(p["workplan"]["version"], 5);
    w.line(&plan, "TRAVEL", "30000").await;
    let p = transition(&w.staff, move_input(&plan, "SUBMITTED", 6)).await;
    assert_eq!(p["workplan"]["version"], 7, "{p}");
    let mut endorse = move_input(&plan, "ENDORSED", 7);
    endorse["input"]["note"] = json!("Coordination Committee, 12 March 2026");
    let p = transition(&w.admin, endorse).await;
    assert_eq!(p["workplan"]["status"], "ENDORSED", "{p}");
    for to in ["DRAFT", "SUBMITTED", "ENDORSED", "CLOSED"] {
        let p = transition(&w.admin, move_input(&plan, to, 8)).await;
        assert_eq!(
            codes(&p),
            vec!["INVALID_STATE_TRANSITION"],
            "ENDORSED → {to}"
        );
    }
    let mut approve = move_input(&plan, "APPROVED", 8);
    approve["input"]["note"] = json!("  Fourteenth Meeting of States Parties ");
    let p = transition(&w.admin, approve).await;
    assert_eq!(
        p["workplan"],
        json!({"id": plan, "status": "APPROVED", "version": 9})
    );

    let audit = w.app.audit_entries().await;
    for to in ["DRAFT", "SUBMITTED", "ENDORSED", "APPROVED"] {
        let p = transition(&w.admin, move_input(&plan, to, 9)).await;
        assert_eq!(
            codes(&p),
            vec!["INVALID_STATE_TRANSITION"],
            "APPROVED → {to}"
        );
    }
    let p = transition(&w.admin, move_input(&plan, "CLOSED", 9)).await;
    assert_eq!(
        refusal(&p),
        (json!("INVALID_INPUT"), json!(["input", "to"])),
        "2026 has not ended on 1 June 2026: {p}"
    );
    let frozen = w
        .payload(
            Some(&w.admin),
            LINE,
            line_input(&plan, "OTHER", "10", Some(&activity)),
            "addBudgetLine",
        )
        .await;
    assert_eq!(codes(&frozen), vec!["INVALID_STATE_TRANSITION"], "{frozen}");
    let frozen = w
        .payload(
            Some(&w.staff),
            ACTIVITY,
            json!({"input": {"workplanId": plan, "title": "Late", "output": "Done"}}),
            "addWorkplanActivity",
        )
        .await;
    assert_eq!(codes(&frozen), vec!["INVALID_STATE_TRANSITION"], "{frozen}");
    assert_eq!(w.app.audit_entries().await, audit);
    let wp = w.workplan(2026).await;
    assert_eq!(
        (wp["status"].clone(), wp["version"].clone()),
        (json!("APPROVED"), json!(9))
    );
    assert_eq!(wp["budgetLines"].as_array().map(Vec::len), Some(2));

    // One audit entry per transition, newest first, with the note.
    let entries = w.audit_actions("transitionWorkplan").await;
    let after: Vec<Value> = entries
        .iter()
        .map(|e| serde_json::from_str(e["after"].as_str().expect("after")).expect("JSON"))
        .collect();
    let steps: Vec<(Value, Value)> = after
        .iter()
        .map(|a| (a["status"].clone(), a["version"].clone()))
        .collect();
    assert_eq!(
        steps,
        vec![
            (json!("APPROVED"), json!(9)),
            (json!("ENDORSED"), json!(8)),
            (json!("SUBMITTED"), json!(7)),
            (json!("DRAFT"), json!(5)),
            (json!("SUBMITTED"), json!(4)),
        ]
    );
    assert_eq!(after[0]["note"], "Fourteenth Meeting of States Parties");
    assert_eq!(after[1]["note"], "Coordination Committee, 12 March 2026");
    assert_eq!(after[2]["note"], Value::Null);
    let before: Value =
        serde_json::from_str(entries[0]["before"].as_str().expect("before")).expect("JSON");
    assert_eq!(
        (before["status"].clone(), before["version"].clone()),
        (json!("ENDORSED"), json!(8))
    );
}

#[tokio::test]
async fn a_workplan_closes_only_after_its_year_has_ended() {
    let w = world_on("2026-12-31").await;
    let plan = w.plan(2026).await;
    let line = w.line(&plan, "STAFF", "1000").await;
    w.approve(&plan, 2026).await;
    let p = w
        .payload(
            Some(&w.admin),
            TRANSITION,
            move_input(&plan, "CLOSED", 5),
            "transitionWorkplan",
        )
        .await;
    assert_eq!(
        refusal(&p),
        (json!("INVALID_INPUT"), json!(["input", "to"])),
        "31 December is still in the year: {p}"
    );
    w.ok(
        &w.admin,
        SPEND,
        spend_input(&line, "100", "2026-12-31"),
        "recordExpenditure",
    )
    .await;

    // The same database, a day later.
    let later = w
        .app
        .second_server(|s| s.today = Some(date("2027-01-01")))
        .await;
    let body = w
        .app
        .graphql_at(&later, &w.staff, TRANSITION, move_input(&plan, "CLOSED", 5))
        .await;
    assert_eq!(
        codes(&body["data"]["transitionWorkplan"]),
        vec!["FORBIDDEN"],
        "closing is the administrator's: {body}"
    );
    let body = w
        .app
        .graphql_at(&later, &w.admin, TRANSITION, move_input(&plan, "CLOSED", 5))
        .await;
    assert_eq!(
        body["data"]["transitionWorkplan"]["workplan"],
        json!({"id": plan, "status": "CLOSED", "version": 6}),
        "{body}"
    );
    for to in ["APPROVED", "DRAFT", "CLOSED"] {
        let body = w
            .app
            .graphql_at(&later, &w.admin, TRANSITION, move_input(&plan, to, 6))
            .await;
        assert_eq!(
            codes(&body["data"]["transitionWorkplan"]),
            vec!["INVALID_STATE_TRANSITION"],
            "CLOSED → {to}"
        );
    }
    let body = w
        .app
        .graphql_at(
            &later,
            &w.admin,
            SPEND,
            spend_input(&line, "1", "2026-12-31"),
        )
        .await;
    assert_eq!(
        codes(&body["data"]["recordExpenditure"]),
        vec!["INVALID_STATE_TRANSITION"],
        "a closed plan takes no more expenditure: {body}"
    );
    assert_eq!(w.workplan(2026).await["totalSpent"], chf("100.00"));
}
