//! Payments against invoices, the Working Capital Reserve, and reissuing while payments
//! are recorded.

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::*;

#[tokio::test]
async fn payments_reduce_what_is_outstanding_and_never_overpay() {
    let w = world().await;
    w.invoice(
        2026,
        "100",
        Some(&[("AUT", "1"), ("BEL", "1"), ("CHE", "1")]),
    )
    .await;
    let p = w
        .ok(
            &w.staff,
            PAY,
            pay_input("AUT", 2026, "20.34", "2026-02-01"),
            "recordPayment",
        )
        .await;
    let s = &p["financialStatus"];
    assert_eq!(s["year"], 2026);
    assert_eq!(s["received"], chf("20.34"));
    assert_eq!(s["outstanding"], chf("79.66"));
    assert_eq!(
        s["contributions"][0],
        json!({"state": {"code": "AUT"}, "received": {"amount": "20.34"}, "outstanding": {"amount": "13.00"}})
    );
    let p = w
        .ok(
            &w.admin,
            PAY,
            pay_input(" aut ", 2026, "13", "2026-06-01"),
            "recordPayment",
        )
        .await;
    assert_eq!(
        p["financialStatus"]["contributions"][0]["outstanding"]["amount"], "0.00",
        "{p}"
    );
    assert_eq!(p["financialStatus"]["received"], chf("33.34"));

    let audit = w.app.audit_entries().await;
    let mut euros = pay_input("BEL", 2026, "1", "2026-02-01");
    euros["input"]["amount"]["currency"] = json!("EUR");
    let cases = [
        (
            pay_input("AUT", 2026, "0.01", "2026-02-01"),
            "INVALID_INPUT",
            json!(["input", "amount"]),
        ),
        (
            pay_input("BEL", 2026, "33.34", "2026-02-01"),
            "INVALID_INPUT",
            json!(["input", "amount"]),
        ),
        (
            pay_input("BEL", 2026, "0", "2026-02-01"),
            "INVALID_INPUT",
            json!(["input", "amount"]),
        ),
        (
            pay_input("BEL", 2026, "1.001", "2026-02-01"),
            "INVALID_INPUT",
            json!(["input", "amount"]),
        ),
        (
            euros,
            "INVALID_INPUT",
            json!(["input", "amount", "currency"]),
        ),
        (
            pay_input("BEL", 2026, "1", "2026-06-02"),
            "INVALID_INPUT",
            json!(["input", "receivedOn"]),
        ),
        (
            pay_input("DEU", 2026, "1", "2026-02-01"),
            "NOT_FOUND",
            json!(["input", "stateCode"]),
        ),
        (
            pay_input("BEL", 2025, "1", "2025-02-01"),
            "NOT_FOUND",
            json!(["input", "stateCode"]),
        ),
        (
            pay_input("XXX", 2026, "1", "2026-02-01"),
            "NOT_FOUND",
            json!(["input", "stateCode"]),
        ),
    ];
    for (vars, code, field) in cases {
        let p = w
            .payload(Some(&w.staff), PAY, vars.clone(), "recordPayment")
            .await;
        assert_eq!(p["financialStatus"], Value::Null, "{vars}");
        assert_eq!(refusal(&p), (json!(code), field), "{vars}: {p}");
    }
    let vars = pay_input("BEL", 2026, "1", "2026-02-01");
    for (token, code) in [
        (Some(w.delegation.as_str()), "FORBIDDEN"),
        (Some(w.coordinator.as_str()), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ] {
        let p = w.payload(token, PAY, vars.clone(), "recordPayment").await;
        assert_eq!(codes(&p), vec![code], "{p}");
    }
    for vars in [
        pay_input("BEL", 2026, "1", "June"),
        pay_input("BEL", 2026, "1,00", "2026-02-01"),
    ] {
        let body = w.app.graphql_as(&w.staff, PAY, vars.clone()).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{vars}: {body}");
    }
    assert_eq!(w.app.audit_entries().await, audit, "refusals write nothing");
    let s = w.status(2026).await;
    assert_eq!(s["received"], chf("33.34"));
    assert_eq!(s["outstanding"], chf("66.66"));
    assert_eq!(s["contributions"][1]["received"], chf("0.00"));
    assert_eq!(
        entity::payment::Entity::find()
            .count(&w.app.db)
            .await
            .expect("count"),
        2
    );
}

#[tokio::test]
async fn concurrent_payments_never_overpay_an_invoice() {
    let w = world().await;
    w.invoice(2026, "100", Some(&[("AUT", "1")])).await;
    let tasks: Vec<_> = (0..6)
        .map(|i| {
            let (client, base) = (w.app.client.clone(), w.app.base.clone());
            let token = if i % 2 == 0 { w.admin.clone() } else { w.staff.clone() };
            tokio::spawn(async move {
                let body: Value = client
                    .post(format!("{base}/graphql"))
                    .bearer_auth(token)
                    .json(&json!({"query": PAY, "variables": pay_input("AUT", 2026, "40", "2026-05-01")}))
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
    let mut paid = 0;
    for t in tasks {
        let body = t.await.expect("task");
        let p = &body["data"]["recordPayment"];
        if p["financialStatus"].is_object() {
            paid += 1;
        } else {
            assert_eq!(codes(p), vec!["INVALID_INPUT"], "{body}");
        }
    }
    assert_eq!(paid, 2, "100 CHF holds two payments of 40");
    let s = w.status(2026).await;
    assert_eq!(s["received"], chf("80.00"));
    assert_eq!(s["outstanding"], chf("20.00"));
    assert_eq!(
        entity::payment::Entity::find()
            .count(&w.app.db)
            .await
            .expect("count"),
        2
    );
}

#[tokio::test]
async fn the_reserve_is_cash_held_at_year_end_and_its_target_months_of_the_approved_budget() {
    let w = world().await;
    let plan = w.plan(2026).await;
    let staff_line = w.line(&plan, "STAFF", "120000").await;
    let travel = w.line(&plan, "TRAVEL", "80000.10").await;
    assert_eq!(
        w.status(2026).await["workingCapitalReserveTarget"],
        chf("0.00"),
        "a draft budget sets no target"
    );
    w.advance(&plan, 2026, &["SUBMITTED", "ENDORSED"]).await;
    assert_eq!(
        w.status(2026).await["workingCapitalReserveTarget"],
        chf("0.00")
    );
    w.advance(&plan, 2026, &["APPROVED"]).await;

    w.invoice(
        2025,
        "300000",
        Some(&[("AUT", "1"), ("BEL", "1"), ("CHE", "1")]),
    )
    .await;
    w.invoice(2026, "200000", Some(&[("AUT", "1"), ("BEL", "1")]))
        .await;
    for (code, year, amount, on) in [
        ("AUT", 2025, "100000", "2025-12-31"),
        ("BEL", 2025, "40000", "2026-01-05"),
        ("AUT", 2026, "25000", "2026-03-01"),
    ] {
        w.ok(
            &w.staff,
            PAY,
            pay_input(code, year, amount, on),
            "recordPayment",
        )
        .await;
    }
    for (line, amount, on) in [
        (&staff_line, "30000", "2026-02-01"),
        (&travel, "5000.50", "2026-06-01"),
    ] {
        w.ok(
            &w.staff,
            SPEND,
            spend_input(line, amount, on),
            "recordExpenditure",
        )
        .await;
    }

    let s = w.status(2025).await;
    assert_eq!(s["invoiced"], chf("300000.00"), "{s}");
    assert_eq!(
        s["received"],
        chf("140000.00"),
        "what was paid against 2025's invoices"
    );
    assert_eq!(s["outstanding"], chf("160000.00"));
    assert_eq!(
        s["workingCapitalReserve"],
        chf("100000.00"),
        "only what had been received by 31 December 2025"
    );
    assert_eq!(
        s["workingCapitalReserveTarget"],
        chf("0.00"),
        "no 2025 workplan"
    );
    let s = w.status(2026).await;
    assert_eq!(s["invoiced"], chf("200000.00"));
    assert_eq!(s["received"], chf("25000.00"));
    assert_eq!(s["outstanding"], chf("175000.00"));
    // 100000 + 40000 + 25000 received, 35000.50 spent.
    assert_eq!(s["workingCapitalReserve"], chf("129999.50"), "{s}");
    // 3/12 of 200000.10 = 50000.025, rounded half up.
    assert_eq!(s["workingCapitalReserveTarget"], chf("50000.03"));
    let s = w.status(2024).await;
    assert_eq!(s["invoiced"], chf("0.00"));
    assert_eq!(s["received"], chf("0.00"));
    assert_eq!(s["workingCapitalReserve"], chf("0.00"));
    assert_eq!(s["workingCapitalReserveTarget"], chf("0.00"));
    assert_eq!(s["contributions"], json!([]));

    // Six months, on a server configured so, over the same database.
    let six = w
        .app
        .second_server(|s| {
            s.today = Some(date("2026-06-01"));
            s.reserve_months = 6;
        })
        .await;
    let body = w
        .app
        .graphql_at(&six, &w.coordinator, STATUS, json!({"year": 2026}))
        .await;
    let s = &body["data"]["financialStatus"];
    assert_eq!(s["workingCapitalReserveTarget"], chf("100000.05"), "{body}");
    assert_eq!(s["workingCapitalReserve"], chf("129999.50"));
}

/// Reissuing a year while payments for it are being recorded (or reissuing it twice at
/// once) must end in clean answers: each request either succeeds or is refused in its
/// payload, and the accounts stay whole.
#[tokio::test]
async fn concurrent_reissues_and_payments_are_answered_cleanly() {
    let w = world().await;
    w.invoice(2026, "100", Some(&[("AUT", "1"), ("BEL", "1")]))
        .await;
    let tasks: Vec<_> = (0..16u64)
        .map(|i| {
            let (client, base, token) = (w.app.client.clone(), w.app.base.clone(), w.admin.clone());
            tokio::spawn(async move {
                let (q, vars) = if i % 2 == 0 {
                    (
                        INVOICE,
                        json!({"input": {"year": 2026, "total": chf("100")}}),
                    )
                } else {
                    tokio::time::sleep(std::time::Duration::from_millis(i * 3)).await;
                    (PAY, pay_input("AUT", 2026, "1", "2026-05-01"))
                };
                let body: Value = client
                    .post(format!("{base}/graphql"))
                    .bearer_auth(token)
                    .json(&json!({"query": q, "variables": vars}))
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
    let mut faults = Vec::new();
    for t in tasks {
        let body = t.await.expect("task");
        if !body["errors"].is_null() {
            faults.push(body);
        }
    }
    assert!(
        faults.is_empty(),
        "{} faults, e.g. {}",
        faults.len(),
        faults[0]
    );
    let invoices = entity::invoice::Entity::find()
        .filter(entity::invoice::Column::Year.eq(2026))
        .all(&w.app.db)
        .await
        .expect("invoices");
    assert_eq!(invoices.len(), 2);
    assert_eq!(invoices.iter().map(|i| i.amount_cents).sum::<i64>(), 10_000);
    let payments = entity::payment::Entity::find()
        .all(&w.app.db)
        .await
        .expect("payments");
    assert_eq!(
        invoices.iter().map(|i| i.received_cents).sum::<i64>(),
        payments.iter().map(|p| p.amount_cents).sum::<i64>()
    );
}
