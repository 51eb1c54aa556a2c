//! A workplan from its activities to the financial status: the workplan's year and the IDs of
//! the workplan, an activity and a budget line for the node checks.

use super::super::*;

pub(super) async fn run(app: &TestApp, admin: String) -> (i32, [Value; 3]) {
    let budget = operations("budget.graphql");
    let today = chrono::Utc::now().date_naive();
    let this_year = chrono::Datelike::year(&today);
    let body = run_op(
        app,
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
        app,
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
        app,
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
            app,
            &budget,
            "TransitionWorkplan",
            Some(admin.clone()),
            json!({"input": {"id": workplan, "to": to, "expectedVersion": version, "note": "contract run"}}),
        )
        .await;
        assert_eq!(body["data"]["transitionWorkplan"]["workplan"]["status"], to);
    }
    let body = run_op(
        app,
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
        app,
        &budget,
        "Workplan",
        Some(admin.clone()),
        json!({"year": this_year}),
    )
    .await;
    assert_eq!(body["data"]["workplan"]["executionRate"], 0.25, "{body}");
    let body = run_op(
        app,
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
        app,
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
        app,
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
    (this_year, [workplan, activity, line])
}
