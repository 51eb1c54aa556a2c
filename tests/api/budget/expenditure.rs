//! Expenditure against approved budget lines, never more than a line holds.

use sea_orm::{EntityTrait, PaginatorTrait};

use super::*;

#[tokio::test]
async fn expenditure_is_recorded_against_approved_lines_only_and_never_overspends() {
    let w = world().await;
    let plan = w.plan(2026).await;
    let staff_line = w.line(&plan, "STAFF", "1000").await;
    let travel = w.line(&plan, "TRAVEL", "500").await;
    let audit = w.app.audit_entries().await;
    for step in [None, Some("SUBMITTED"), Some("ENDORSED")] {
        if let Some(to) = step {
            w.advance(&plan, 2026, &[to]).await;
        }
        let p = w
            .payload(
                Some(&w.admin),
                SPEND,
                spend_input(&staff_line, "10", "2026-02-01"),
                "recordExpenditure",
            )
            .await;
        assert_eq!(
            refusal(&p),
            (
                json!("INVALID_STATE_TRANSITION"),
                json!(["input", "budgetLineId"])
            ),
            "{step:?}: {p}"
        );
    }
    assert_eq!(
        w.app.audit_entries().await,
        audit + 2,
        "two transitions, no expenditure"
    );
    w.advance(&plan, 2026, &["APPROVED"]).await;

    let p = w
        .ok(
            &w.staff,
            SPEND,
            spend_input(&staff_line, "400.25", "2026-01-01"),
            "recordExpenditure",
        )
        .await;
    assert_eq!(
        p["budgetLine"],
        json!({"id": staff_line, "spent": chf("400.25"), "remaining": chf("599.75")})
    );
    let p = w
        .ok(
            &w.admin,
            SPEND,
            spend_input(&staff_line, "99.75", "2026-06-01"),
            "recordExpenditure",
        )
        .await;
    assert_eq!(
        p["budgetLine"]["remaining"],
        chf("500.00"),
        "today is allowed"
    );

    let audit = w.app.audit_entries().await;
    let mut euros = spend_input(&staff_line, "10", "2026-02-01");
    euros["input"]["amount"]["currency"] = json!("EUR");
    let mut blank = spend_input(&staff_line, "10", "2026-02-01");
    blank["input"]["description"] = json!(" ");
    let cases = [
        (
            spend_input(&staff_line, "500.01", "2026-02-01"),
            "OVER_BUDGET",
            json!(["input", "amount"]),
        ),
        (
            spend_input(&staff_line, "0", "2026-02-01"),
            "INVALID_INPUT",
            json!(["input", "amount"]),
        ),
        (
            spend_input(&staff_line, "-1", "2026-02-01"),
            "INVALID_INPUT",
            json!(["input", "amount"]),
        ),
        (
            spend_input(&staff_line, "1.001", "2026-02-01"),
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
            spend_input(&staff_line, "10", "2025-12-31"),
            "INVALID_INPUT",
            json!(["input", "spentOn"]),
        ),
        (
            spend_input(&staff_line, "10", "2027-01-01"),
            "INVALID_INPUT",
            json!(["input", "spentOn"]),
        ),
        (
            spend_input(&staff_line, "10", "2026-06-02"),
            "INVALID_INPUT",
            json!(["input", "spentOn"]),
        ),
        (
            spend_input(&unknown_id("BudgetLine"), "10", "2026-02-01"),
            "NOT_FOUND",
            json!(["input", "budgetLineId"]),
        ),
        (
            spend_input(&plan, "10", "2026-02-01"),
            "NOT_FOUND",
            json!(["input", "budgetLineId"]),
        ),
    ];
    for (vars, code, field) in cases {
        let p = w
            .payload(Some(&w.staff), SPEND, vars.clone(), "recordExpenditure")
            .await;
        assert_eq!(p["budgetLine"], Value::Null, "{vars}");
        assert_eq!(refusal(&p), (json!(code), field), "{vars}: {p}");
    }
    for vars in [
        spend_input(&staff_line, "10", "2026-13-01"),
        spend_input(&staff_line, "10", "1 June"),
        spend_input(&staff_line, "ten", "2026-02-01"),
    ] {
        let body = w.app.graphql_as(&w.staff, SPEND, vars.clone()).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{vars}: {body}");
    }
    assert_eq!(w.app.audit_entries().await, audit, "refusals write nothing");
    let line = &w.workplan(2026).await["budgetLines"][0];
    assert_eq!(line["spent"], chf("500.00"), "{line}");
    assert_eq!(
        entity::expenditure::Entity::find()
            .count(&w.app.db)
            .await
            .expect("count"),
        2
    );

    // Exactly what remains is fine; one cent more is not.
    let p = w
        .ok(
            &w.staff,
            SPEND,
            spend_input(&staff_line, "500", "2026-03-01"),
            "recordExpenditure",
        )
        .await;
    assert_eq!(p["budgetLine"]["remaining"], chf("0.00"));
    let p = w
        .payload(
            Some(&w.staff),
            SPEND,
            spend_input(&staff_line, "0.01", "2026-03-01"),
            "recordExpenditure",
        )
        .await;
    assert_eq!(codes(&p), vec!["OVER_BUDGET"]);
    w.ok(
        &w.staff,
        SPEND,
        spend_input(&travel, "125", "2026-04-01"),
        "recordExpenditure",
    )
    .await;
    let wp = w.workplan(2026).await;
    assert_eq!(wp["totalBudget"], chf("1500.00"));
    assert_eq!(wp["totalSpent"], chf("1125.00"));
    assert_eq!(wp["executionRate"], 0.75);
    assert_eq!(
        wp["byCategory"],
        json!([
            {"category": "STAFF", "budget": chf("1000.00"), "spent": chf("1000.00")},
            {"category": "TRAVEL", "budget": chf("500.00"), "spent": chf("125.00")},
        ])
    );
    assert_eq!(wp["budgetLines"][1]["remaining"], chf("375.00"));
}

#[tokio::test]
async fn concurrent_expenditures_never_overspend_a_line() {
    let w = world().await;
    let plan = w.plan(2026).await;
    let line = w.line(&plan, "MEETINGS", "1000").await;
    w.approve(&plan, 2026).await;
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let (client, base, line) = (w.app.client.clone(), w.app.base.clone(), line.clone());
            let token = if i % 2 == 0 { w.admin.clone() } else { w.staff.clone() };
            tokio::spawn(async move {
                let body: Value = client
                    .post(format!("{base}/graphql"))
                    .bearer_auth(token)
                    .json(&json!({"query": SPEND, "variables": spend_input(&line, "300", "2026-05-01")}))
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
    let mut spent = 0;
    for t in tasks {
        let body = t.await.expect("task");
        let p = &body["data"]["recordExpenditure"];
        if p["budgetLine"].is_object() {
            spent += 1;
        } else {
            assert_eq!(codes(p), vec!["OVER_BUDGET"], "{body}");
        }
    }
    assert_eq!(spent, 3, "1000 CHF holds three expenditures of 300");
    let wp = w.workplan(2026).await;
    assert_eq!(wp["budgetLines"][0]["spent"], chf("900.00"), "{wp}");
    assert_eq!(wp["budgetLines"][0]["remaining"], chf("100.00"));
    assert_eq!(
        entity::expenditure::Entity::find()
            .count(&w.app.db)
            .await
            .expect("count"),
        3
    );
}
