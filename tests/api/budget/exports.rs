//! The workplan and the contributions as CSV exports.

use reqwest::StatusCode;

use super::*;

#[tokio::test]
async fn workplan_and_contributions_export_as_csv_for_isu_staff() {
    let w = world().await;
    let plan = w.plan(2026).await;
    let p = w
        .ok(
            &w.admin,
            ACTIVITY,
            json!({"input": {"workplanId": plan, "title": "Support Article 7 reporting", "output": "Reports on time",
                "actionPlanReference": "LAP action 44"}}),
            "addWorkplanActivity",
        )
        .await;
    let activity = p["activity"]["id"].clone();
    let mut staff = line_input(&plan, "STAFF", "120000", Some(&activity));
    staff["input"]["description"] = json!("Implementation Support Officer");
    let staff_line = w.ok(&w.admin, LINE, staff, "addBudgetLine").await["budgetLine"]["id"].clone();
    let mut formula = line_input(&plan, "OPERATING_COSTS", "500.5", None);
    formula["input"]["description"] = json!("=SUM(A1:A9)");
    w.ok(&w.admin, LINE, formula, "addBudgetLine").await;
    w.approve(&plan, 2026).await;
    w.ok(
        &w.staff,
        SPEND,
        spend_input(&staff_line, "30000", "2026-03-31"),
        "recordExpenditure",
    )
    .await;
    w.invoice(
        2026,
        "100",
        Some(&[("CHE", "1"), ("AUT", "1"), ("BEL", "1")]),
    )
    .await;
    w.ok(
        &w.staff,
        PAY,
        pay_input("AUT", 2026, "33.34", "2026-04-01"),
        "recordPayment",
    )
    .await;

    let get = |path: &str, token: Option<&str>| {
        let mut req = w.app.client.get(format!("{}/exports/{path}", w.app.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    let rows = |body: &str| -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(body.as_bytes())
            .records()
            .map(|r| r.expect("record").iter().map(str::to_owned).collect())
            .collect()
    };
    for token in [&w.admin, &w.staff] {
        let resp = get("workplan/2026.csv", Some(token)).await.expect("get");
        assert_eq!(resp.status(), StatusCode::OK);
        let headers = resp.headers().clone();
        assert!(
            headers[reqwest::header::CONTENT_TYPE]
                .to_str()
                .is_ok_and(|t| t.starts_with("text/csv")),
            "{headers:?}"
        );
        assert!(
            headers[reqwest::header::CONTENT_DISPOSITION]
                .to_str()
                .is_ok_and(|d| d.contains("workplan-2026.csv"))
        );
        let body = resp.text().await.expect("text");
        assert_eq!(
            rows(&body),
            vec![
                vec![
                    "year",
                    "workplan_status",
                    "category",
                    "description",
                    "activity",
                    "action_plan_reference",
                    "amount",
                    "spent",
                    "remaining",
                    "currency"
                ],
                vec![
                    "2026",
                    "APPROVED",
                    "STAFF",
                    "Implementation Support Officer",
                    "Support Article 7 reporting",
                    "LAP action 44",
                    "120000.00",
                    "30000.00",
                    "90000.00",
                    "CHF"
                ],
                vec![
                    "2026",
                    "APPROVED",
                    "OPERATING_COSTS",
                    "'=SUM(A1:A9)",
                    "",
                    "",
                    "500.50",
                    "0.00",
                    "500.50",
                    "CHF"
                ],
            ],
            "{body}"
        );

        let resp = get("contributions/2026.csv", Some(token))
            .await
            .expect("get");
        assert_eq!(resp.status(), StatusCode::OK);
        assert!(
            resp.headers()[reqwest::header::CONTENT_TYPE]
                .to_str()
                .is_ok_and(|t| t.starts_with("text/csv"))
        );
        let body = resp.text().await.expect("text");
        assert_eq!(
            rows(&body),
            vec![
                vec![
                    "year",
                    "state_code",
                    "state_name",
                    "rate",
                    "share",
                    "invoiced",
                    "received",
                    "outstanding",
                    "currency"
                ],
                vec![
                    "2026", "AUT", "Austria", "1", "0.333333", "33.34", "33.34", "0.00", "CHF"
                ],
                vec![
                    "2026", "BEL", "Belgium", "1", "0.333333", "33.33", "0.00", "33.33", "CHF"
                ],
                vec![
                    "2026",
                    "CHE",
                    "Switzerland",
                    "1",
                    "0.333333",
                    "33.33",
                    "0.00",
                    "33.33",
                    "CHF"
                ],
            ],
            "{body}"
        );
    }
    // A year without invoices: the header alone.
    let resp = get("contributions/2031.csv", Some(&w.admin))
        .await
        .expect("get");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(rows(&resp.text().await.expect("text")).len(), 1);

    for path in ["workplan/2026.csv", "contributions/2026.csv"] {
        for token in [&w.delegation, &w.coordinator] {
            let resp = get(path, Some(token)).await.expect("get");
            assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{path}");
        }
        let resp = get(path, None).await.expect("get");
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{path}");
        let resp = get(path, Some("not-a-token")).await.expect("get");
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    for path in [
        "workplan/2031.csv",
        "workplan/2026.txt",
        "workplan/twenty.csv",
        "contributions/2026",
        "contributions/x.csv",
    ] {
        let resp = get(path, Some(&w.admin)).await.expect("get");
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
    }
}
