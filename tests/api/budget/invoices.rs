//! Invoices: the total shared to the cent by the scale of assessment, and reissued until paid.

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::*;

#[tokio::test]
async fn invoices_share_the_total_to_the_cent_by_the_largest_remainder() {
    let w = world().await;
    let audit = w.app.audit_entries().await;
    // Equal rates: the extra cent goes to the first code, whatever the order given.
    let s = w
        .invoice(
            2026,
            "100",
            Some(&[("CHE", "1"), ("AUT", "1"), ("BEL", "1")]),
        )
        .await;
    assert_eq!(s["year"], 2026);
    assert_eq!(s["invoiced"], chf("100.00"));
    assert_eq!(s["outstanding"], chf("100.00"));
    assert_eq!(
        invoiced(&s),
        [("AUT", "33.34"), ("BEL", "33.33"), ("CHE", "33.33")]
            .map(|(c, a)| (c.to_owned(), a.to_owned()))
    );
    for c in s["contributions"].as_array().expect("list") {
        assert!(
            (c["share"].as_f64().unwrap_or(0.0) - 1.0 / 3.0).abs() < 1e-12,
            "{c}"
        );
        assert_eq!(c["invoiced"]["currency"], "CHF");
    }
    // Exact shares 14.29, 28.57, 57.14 cents: floors 14 + 28 + 57 = 99, the cent left goes
    // to the largest remainder (BEL's .57), not to the first code.
    let s = w
        .invoice(
            2027,
            "1.00",
            Some(&[("AUT", "1"), ("BEL", "2"), ("CHE", "4")]),
        )
        .await;
    assert_eq!(
        invoiced(&s),
        [("AUT", "0.14"), ("BEL", "0.29"), ("CHE", "0.57")]
            .map(|(c, a)| (c.to_owned(), a.to_owned()))
    );
    let shares: Vec<f64> = s["contributions"]
        .as_array()
        .expect("list")
        .iter()
        .map(|c| c["share"].as_f64().unwrap_or(0.0))
        .collect();
    for (share, expected) in shares.iter().zip([1.0 / 7.0, 2.0 / 7.0, 4.0 / 7.0]) {
        assert!((share - expected).abs() < 1e-12, "{shares:?}");
    }
    // UN-scale-like rates: exact cents 5855691.84, 4137600.61, 6707.55; two cents left go
    // to DEU (.84) and FRA (.61).
    let s = w
        .invoice(
            2028,
            "100000",
            Some(&[("LAO", "0.007"), ("FRA", "4.318"), ("DEU", "6.111")]),
        )
        .await;
    assert_eq!(
        invoiced(&s),
        [("DEU", "58556.92"), ("FRA", "41376.01"), ("LAO", "67.07")]
            .map(|(c, a)| (c.to_owned(), a.to_owned()))
    );
    let sum: i64 = invoiced(&s).iter().map(|(_, a)| cents(a)).sum();
    assert_eq!(sum, 10_000_000);
    assert_eq!(w.app.audit_entries().await, audit + 3);

    // Read back by anybody logged in, with names and what is outstanding.
    let body = w
        .app
        .graphql_as(&w.delegation, STATUS, json!({"year": 2026}))
        .await;
    let c = &body["data"]["financialStatus"]["contributions"][0];
    assert_eq!(
        c["state"],
        json!({"code": "AUT", "name": "Austria"}),
        "{body}"
    );
    assert_eq!(c["invoiced"], chf("33.34"));
    assert_eq!(c["received"], chf("0.00"));
    assert_eq!(c["outstanding"], chf("33.34"));

    // Only the ISU's administrator invoices.
    let audit = w.app.audit_entries().await;
    let vars = json!({"input": {"year": 2029, "total": chf("100"), "rates": [{"stateCode": "AUT", "rate": "1"}]}});
    for (token, code) in [
        (Some(w.staff.as_str()), "FORBIDDEN"),
        (Some(w.delegation.as_str()), "FORBIDDEN"),
        (Some(w.coordinator.as_str()), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ] {
        let p = w
            .payload(token, INVOICE, vars.clone(), "issueInvoices")
            .await;
        assert_eq!(p["financialStatus"], Value::Null);
        assert_eq!(codes(&p), vec![code], "{p}");
    }
    assert_eq!(w.app.audit_entries().await, audit);
    assert_eq!(w.status(2029).await["invoiced"], chf("0.00"));
}

#[tokio::test]
async fn a_scale_names_states_parties_in_force_during_the_year() {
    let w = world().await;
    let audit = w.app.audit_entries().await;
    let rates = |pairs: &[(&str, &str)]| -> Value {
        json!(
            pairs
                .iter()
                .map(|(c, r)| json!({"stateCode": c, "rate": r}))
                .collect::<Vec<_>>()
        )
    };
    let field = |i: usize, f: &str| json!(["input", "rates", i.to_string(), f]);
    let cases = [
        // Lithuania's withdrawal took effect on 6 March 2025.
        (
            2026,
            chf("10"),
            rates(&[("AUT", "1"), ("LTU", "1")]),
            "INVALID_INPUT",
            field(1, "stateCode"),
        ),
        // Vanuatu's entry into force is 1 March 2026.
        (
            2025,
            chf("10"),
            rates(&[("AUT", "1"), ("VUT", "1")]),
            "INVALID_INPUT",
            field(1, "stateCode"),
        ),
        // Angola is a signatory.
        (
            2026,
            chf("10"),
            rates(&[("AGO", "1")]),
            "INVALID_INPUT",
            field(0, "stateCode"),
        ),
        (
            2026,
            chf("10"),
            rates(&[("AUT", "1"), ("XXX", "1")]),
            "NOT_FOUND",
            field(1, "stateCode"),
        ),
        (
            2026,
            chf("10"),
            rates(&[("AUT", "1"), ("BEL", "1"), ("aut", "2")]),
            "INVALID_INPUT",
            field(2, "stateCode"),
        ),
        (
            2026,
            chf("10"),
            rates(&[("AUT", "0")]),
            "INVALID_INPUT",
            field(0, "rate"),
        ),
        (
            2026,
            chf("10"),
            rates(&[("BEL", "1"), ("AUT", "-1")]),
            "INVALID_INPUT",
            field(1, "rate"),
        ),
        (
            2026,
            chf("10"),
            json!([]),
            "INVALID_INPUT",
            json!(["input", "rates"]),
        ),
        (
            2026,
            json!({"amount": "10", "currency": "EUR"}),
            rates(&[("AUT", "1")]),
            "INVALID_INPUT",
            json!(["input", "total", "currency"]),
        ),
        (
            2026,
            chf("0"),
            rates(&[("AUT", "1")]),
            "INVALID_INPUT",
            json!(["input", "total"]),
        ),
        (
            2026,
            chf("0.001"),
            rates(&[("AUT", "1")]),
            "INVALID_INPUT",
            json!(["input", "total"]),
        ),
        (
            2009,
            chf("10"),
            rates(&[("AUT", "1")]),
            "INVALID_INPUT",
            json!(["input", "year"]),
        ),
    ];
    for (year, total, rates, code, field) in cases {
        let vars = json!({"input": {"year": year, "total": total, "rates": rates}});
        let p = w
            .payload(Some(&w.admin), INVOICE, vars.clone(), "issueInvoices")
            .await;
        assert_eq!(p["financialStatus"], Value::Null, "{vars}");
        assert_eq!(refusal(&p), (json!(code), field), "{vars}: {p}");
    }
    let malformed = w
        .app
        .graphql_as(
            &w.admin,
            INVOICE,
            json!({"input": {"year": 2026, "total": chf("10"), "rates": [{"stateCode": "AUT", "rate": "one"}]}}),
        )
        .await;
    assert_eq!(
        error_code(&malformed),
        Some("BAD_USER_INPUT"),
        "{malformed}"
    );
    assert_eq!(w.app.audit_entries().await, audit, "refusals write nothing");
    for year in [2025, 2026] {
        let s = w.status(year).await;
        assert_eq!(
            (s["invoiced"].clone(), s["contributions"].clone()),
            (chf("0.00"), json!([]))
        );
    }
    assert_eq!(
        entity::invoice::Entity::find()
            .count(&w.app.db)
            .await
            .expect("count"),
        0
    );

    // Lithuania was bound during 2025, Vanuatu is during 2026; codes are case-insensitive.
    let s = w
        .invoice(2025, "10", Some(&[("ltu", "1"), ("AUT", "1")]))
        .await;
    assert_eq!(
        invoiced(&s),
        [("AUT", "5.00"), ("LTU", "5.00")].map(|(c, a)| (c.to_owned(), a.to_owned()))
    );
    let s = w
        .invoice(2026, "10", Some(&[("VUT", "3"), ("AUT", "1")]))
        .await;
    assert_eq!(
        invoiced(&s),
        [("AUT", "2.50"), ("VUT", "7.50")].map(|(c, a)| (c.to_owned(), a.to_owned()))
    );
}

/// The codes of the States parties bound on some day of `year`, from the registry.
async fn in_force_codes(w: &World, year: i32) -> Vec<String> {
    let q = "query($after: String) { stateParties(first: 100, after: $after, filter: {status: [STATE_PARTY, WITHDRAWN]}) {
      pageInfo { hasNextPage endCursor } edges { node { code entryIntoForce withdrawalEffectiveDate } } } }";
    let (first, last) = (
        NaiveDate::from_ymd_opt(year, 1, 1).expect("date"),
        NaiveDate::from_ymd_opt(year, 12, 31).expect("date"),
    );
    let mut after = Value::Null;
    let mut codes = Vec::new();
    loop {
        let body = w.app.graphql(q, json!({"after": after})).await;
        let c = &body["data"]["stateParties"];
        for e in c["edges"].as_array().unwrap_or_else(|| panic!("{body}")) {
            let n = &e["node"];
            let entry = n["entryIntoForce"].as_str().map(date);
            let withdrawn = n["withdrawalEffectiveDate"].as_str().map(date);
            if entry.is_some_and(|d| d <= last) && withdrawn.is_none_or(|d| d > first) {
                codes.push(n["code"].as_str().expect("code").to_owned());
            }
        }
        if c["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = c["pageInfo"]["endCursor"].clone();
    }
    codes.sort();
    codes
}

#[tokio::test]
async fn without_rates_the_last_scale_applies_or_else_equal_shares() {
    let w = world().await;
    // No scale ever given: equal shares across the States parties bound during 2026.
    let bound = in_force_codes(&w, 2026).await;
    assert!(bound.contains(&"VUT".to_owned()) && !bound.contains(&"LTU".to_owned()));
    assert_eq!(
        bound.len(),
        112,
        "data/states.csv: 112 States parties in 2026"
    );
    let s = w.invoice(2026, "1000", None).await;
    let got = invoiced(&s);
    let got_codes: Vec<&str> = got.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        got_codes,
        bound.iter().map(String::as_str).collect::<Vec<_>>()
    );
    let n = i64::try_from(bound.len()).expect("n");
    let (base, extra) = (100_000 / n, 100_000 % n);
    for (i, (code, amount)) in got.iter().enumerate() {
        let expected = if i64::try_from(i).expect("i") < extra {
            base + 1
        } else {
            base
        };
        assert_eq!(
            cents(amount),
            expected,
            "{code}: the extra cents go to the first codes"
        );
    }
    assert_eq!(got.iter().map(|(_, a)| cents(a)).sum::<i64>(), 100_000);
    for c in s["contributions"].as_array().expect("list") {
        assert!((c["share"].as_f64().unwrap_or(0.0) - 1.0 / 112.0).abs() < 1e-12);
    }

    // The scale given for 2025 is the last one used: 2027 reuses it.
    w.invoice(
        2025,
        "300",
        Some(&[("DEU", "3"), ("FRA", "2"), ("AUT", "1")]),
    )
    .await;
    let s = w.invoice(2027, "600", None).await;
    assert_eq!(
        invoiced(&s),
        [("AUT", "100.00"), ("DEU", "300.00"), ("FRA", "200.00")]
            .map(|(c, a)| (c.to_owned(), a.to_owned()))
    );
    let shares: Vec<f64> = s["contributions"]
        .as_array()
        .expect("list")
        .iter()
        .map(|c| c["share"].as_f64().unwrap_or(0.0))
        .collect();
    for (share, expected) in shares.iter().zip([1.0 / 6.0, 0.5, 1.0 / 3.0]) {
        assert!((share - expected).abs() < 1e-12, "{shares:?}");
    }
    // A last scale that names a State no longer bound must be replaced by a new one.
    w.invoice(2025, "300", Some(&[("LTU", "1"), ("AUT", "1")]))
        .await;
    let audit = w.app.audit_entries().await;
    let p = w
        .payload(
            Some(&w.admin),
            INVOICE,
            json!({"input": {"year": 2028, "total": chf("100")}}),
            "issueInvoices",
        )
        .await;
    assert_eq!(
        refusal(&p),
        (json!("INVALID_INPUT"), json!(["input", "rates"])),
        "{p}"
    );
    assert_eq!(w.app.audit_entries().await, audit);
    assert_eq!(w.status(2028).await["contributions"], json!([]));
}

#[tokio::test]
async fn reissuing_replaces_a_years_invoices_until_a_payment_is_recorded() {
    let w = world().await;
    w.invoice(
        2026,
        "100",
        Some(&[("AUT", "1"), ("BEL", "1"), ("CHE", "1")]),
    )
    .await;
    let s = w
        .invoice(2026, "90", Some(&[("FRA", "2"), ("DEU", "1")]))
        .await;
    assert_eq!(s["invoiced"], chf("90.00"));
    assert_eq!(
        invoiced(&s),
        [("DEU", "30.00"), ("FRA", "60.00")].map(|(c, a)| (c.to_owned(), a.to_owned())),
        "the old invoices are gone"
    );
    let count_2026 = || {
        entity::invoice::Entity::find()
            .filter(entity::invoice::Column::Year.eq(2026))
            .count(&w.app.db)
    };
    assert_eq!(count_2026().await.expect("count"), 2);
    // Reissuing without rates keeps the scale, with the new total.
    let s = w.invoice(2026, "300", None).await;
    assert_eq!(
        invoiced(&s),
        [("DEU", "100.00"), ("FRA", "200.00")].map(|(c, a)| (c.to_owned(), a.to_owned()))
    );
    assert_eq!(count_2026().await.expect("count"), 2);
    // The same invoices again change nothing: no entry, and they keep their rows and date.
    let rows_2026 = || {
        entity::invoice::Entity::find()
            .filter(entity::invoice::Column::Year.eq(2026))
            .all(&w.app.db)
    };
    let (rows, audit) = (
        rows_2026().await.expect("rows"),
        w.app.audit_entries().await,
    );
    for rates in [None, Some(&[("FRA", "2"), ("DEU", "1")][..])] {
        let s = w.invoice(2026, "300", rates).await;
        assert_eq!(s["invoiced"], chf("300.00"));
    }
    assert_eq!(w.app.audit_entries().await, audit);
    assert_eq!(rows_2026().await.expect("rows"), rows);

    w.ok(
        &w.staff,
        PAY,
        pay_input("FRA", 2026, "10", "2026-05-01"),
        "recordPayment",
    )
    .await;
    let audit = w.app.audit_entries().await;
    for rates in [Some(json!([{"stateCode": "AUT", "rate": "1"}])), None] {
        let vars = json!({"input": {"year": 2026, "total": chf("500"), "rates": rates}});
        let p = w
            .payload(Some(&w.admin), INVOICE, vars, "issueInvoices")
            .await;
        assert_eq!(
            refusal(&p),
            (json!("INVALID_INPUT"), json!(["input", "year"])),
            "a payment is recorded: {p}"
        );
    }
    assert_eq!(w.app.audit_entries().await, audit);
    let s = w.status(2026).await;
    assert_eq!(s["invoiced"], chf("300.00"));
    assert_eq!(s["received"], chf("10.00"));
    assert_eq!(s["outstanding"], chf("290.00"));
    assert_eq!(count_2026().await.expect("count"), 2);
    // Other years are still open.
    let s = w.invoice(2027, "10", Some(&[("AUT", "1")])).await;
    assert_eq!(s["invoiced"], chf("10.00"));
}
