//! Every money input of the schema bounded by the domain (issue 26, item 7): an amount the
//! `Decimal` scalar accepts but above 10^12 is refused with `INVALID_INPUT` on the field,
//! and nothing is written; 10^12 itself is never refused for its size. The scalar's own
//! refusals (`Decimal::MAX`, `1e30`, 40-digit fractions) are in `strict_inputs`.
//!
//! The table below lists each `MoneyInput` field once, with the mutation that carries it and
//! how to build an otherwise valid input around an amount. "Today" is pinned to 1 March
//! 2026: the 2025 annual report is open, the 2026 work plan current, the meeting ahead.
//!
//! The three decimals that are not money (an exchange rate, an assessment rate, an area)
//! have no bound: the last test shows what a huge one does, and that nothing derived from
//! it overflows into a 500.

use std::cell::Cell;

use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::helpers::*;

const TOO_LARGE: [&str; 2] = ["999999999999999.99", "1000000000000.01"];
const A_TRILLION: &str = "1000000000000";

const NEED: &str =
    "mutation($input: CreateAssistanceNeedInput!) { createAssistanceNeed(input: $input) {
  need { id } userErrors { field message code } } }";
const OFFER: &str =
    "mutation($input: CreateAssistanceOfferInput!) { createAssistanceOffer(input: $input) {
  offer { id } userErrors { field message code } } }";
const PROPOSE: &str = "mutation($input: ProposeMatchInput!) { proposeMatch(input: $input) {
  proposal { id } userErrors { field message code } } }";
const RATE: &str = "mutation($input: SetExchangeRateInput!) { setExchangeRate(input: $input) {
  exchangeRate { rateToBase } userErrors { field message code } } }";
const PLAN: &str = "mutation($input: CreateWorkplanInput!) { createWorkplan(input: $input) {
  workplan { id version } userErrors { field message code } } }";
const TRANSITION: &str =
    "mutation($input: TransitionWorkplanInput!) { transitionWorkplan(input: $input) {
  workplan { version } userErrors { field message code } } }";
const LINE: &str = "mutation($input: AddBudgetLineInput!) { addBudgetLine(input: $input) {
  budgetLine { id } userErrors { field message code } } }";
const SPEND: &str = "mutation($input: RecordExpenditureInput!) { recordExpenditure(input: $input) {
  budgetLine { id } userErrors { field message code } } }";
const INVOICE: &str = "mutation($input: IssueInvoicesInput!) { issueInvoices(input: $input) {
  financialStatus { year contributions { share state { code } invoiced { amount } } } userErrors { field message code } } }";
const PAY: &str = "mutation($input: RecordPaymentInput!) { recordPayment(input: $input) {
  financialStatus { year } userErrors { field message code } } }";
const MEETING: &str = "mutation($input: CreateMeetingInput!) { createMeeting(input: $input) {
  meeting { id } userErrors { field message code } } }";
const APPLY: &str =
    "mutation($input: SponsorshipApplicationInput!) { applyForSponsorship(input: $input) {
  application { id } userErrors { field message code } } }";
const DECIDE: &str =
    "mutation($input: SponsorshipDecisionInput!) { decideSponsorshipApplication(input: $input) {
  application { id } userErrors { field message code } } }";
const REPORT: &str =
    "mutation($input: CreateTransparencyReportInput!) { createTransparencyReport(input: $input) {
  report { id } userErrors { field message code } } }";
const UPDATE_REPORT: &str = "mutation($input: UpdateTransparencyReportInput!) { updateTransparencyReport(input: $input) {
  report { version sections { contaminatedAreas { areaSquareMetres } clearance { areaClearedSquareMetres } } } userErrors { field message code } } }";

fn chf(amount: &str) -> Value {
    json!({"amount": amount, "currency": "CHF"})
}

/// The records the inputs refer to, made once, valid throughout.
struct World {
    app: TestApp,
    admin: String,
    lao: String,
    /// The current work plan, approved: expenditure is recorded against it.
    plan: Value,
    /// Next year's plan, a draft: lines are added to it.
    draft: Value,
    line: Value,
    need: Value,
    offer: Value,
    meeting: Value,
    application: Value,
    report: Value,
    /// The report's version, moved on by each accepted edit.
    report_version: Cell<i64>,
}

/// One money input: where it is, and an otherwise valid input around `amount`.
struct Case {
    /// `Input.field`, as the schema names it.
    input: &'static str,
    mutation: &'static str,
    payload: &'static str,
    /// The path of the refused field in `userErrors`.
    field: &'static [&'static str],
    vars: fn(&World, &str) -> Value,
    /// The codes 10^12 itself gets: none where nothing else bounds the amount, else the
    /// business rule's (a need, an offer, a budget line, a debt, a requested total).
    trillion: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        input: "AddBudgetLineInput.amount",
        mutation: LINE,
        payload: "addBudgetLine",
        field: &["input", "amount"],
        vars: add_budget_line,
        trillion: &[],
    },
    Case {
        input: "AssistanceProvidedInput.amount",
        mutation: UPDATE_REPORT,
        payload: "updateTransparencyReport",
        field: &["input", "sections", "cooperationProvided", "0", "amount"],
        vars: assistance_provided,
        trillion: &[],
    },
    Case {
        input: "CreateAssistanceNeedInput.amount",
        mutation: NEED,
        payload: "createAssistanceNeed",
        field: &["input", "amount"],
        vars: create_assistance_need,
        trillion: &[],
    },
    Case {
        input: "CreateAssistanceOfferInput.amount",
        mutation: OFFER,
        payload: "createAssistanceOffer",
        field: &["input", "amount"],
        vars: create_assistance_offer,
        trillion: &[],
    },
    Case {
        input: "CreateMeetingInput.dailySubsistenceAllowance",
        mutation: MEETING,
        payload: "createMeeting",
        field: &["input", "dailySubsistenceAllowance"],
        vars: meeting_allowance,
        trillion: &[],
    },
    Case {
        input: "CreateMeetingInput.sponsorshipBudget",
        mutation: MEETING,
        payload: "createMeeting",
        field: &["input", "sponsorshipBudget"],
        vars: meeting_budget,
        trillion: &[],
    },
    Case {
        input: "IssueInvoicesInput.total",
        mutation: INVOICE,
        payload: "issueInvoices",
        field: &["input", "total"],
        vars: issue_invoices,
        trillion: &[],
    },
    Case {
        input: "ProposeMatchInput.amount",
        mutation: PROPOSE,
        payload: "proposeMatch",
        field: &["input", "amount"],
        vars: propose_match,
        trillion: &["INVALID_INPUT", "INVALID_INPUT"],
    },
    Case {
        input: "RecordExpenditureInput.amount",
        mutation: SPEND,
        payload: "recordExpenditure",
        field: &["input", "amount"],
        vars: record_expenditure,
        trillion: &["OVER_BUDGET"],
    },
    Case {
        input: "RecordPaymentInput.amount",
        mutation: PAY,
        payload: "recordPayment",
        field: &["input", "amount"],
        vars: record_payment,
        trillion: &["INVALID_INPUT"],
    },
    Case {
        input: "ReportSectionsInput.nationalResources",
        mutation: UPDATE_REPORT,
        payload: "updateTransparencyReport",
        field: &["input", "sections", "nationalResources"],
        vars: national_resources,
        trillion: &[],
    },
    Case {
        input: "SponsorshipApplicationInput.requestedTravel",
        mutation: APPLY,
        payload: "applyForSponsorship",
        field: &["input", "requestedTravel"],
        vars: requested_travel,
        trillion: &[],
    },
    Case {
        input: "SponsorshipDecisionInput.approvedAmount",
        mutation: DECIDE,
        payload: "decideSponsorshipApplication",
        field: &["input", "approvedAmount"],
        vars: approved_amount,
        trillion: &["INVALID_INPUT"],
    },
];

fn add_budget_line(w: &World, amount: &str) -> Value {
    json!({"input": {"workplanId": w.draft, "category": "STAFF", "description": "Staff costs", "amount": chf(amount)}})
}

fn report_sections(w: &World, sections: Value) -> Value {
    json!({"input": {"id": w.report, "expectedVersion": w.report_version.get(), "sections": sections}})
}

fn assistance_provided(w: &World, amount: &str) -> Value {
    report_sections(
        w,
        json!({"cooperationProvided": [{"recipient": "UXO Lao", "thematicArea": "CLEARANCE", "amount": chf(amount), "description": "Survey"}]}),
    )
}

fn national_resources(w: &World, amount: &str) -> Value {
    report_sections(w, json!({"nationalResources": chf(amount)}))
}

fn create_assistance_need(_: &World, amount: &str) -> Value {
    json!({"input": {"stateCode": "LAO", "thematicArea": "CLEARANCE", "assistanceTypes": ["FINANCIAL"],
        "title": "Clearance support", "amount": chf(amount), "periodStart": "2026-01-01", "periodEnd": "2026-12-31"}})
}

fn create_assistance_offer(_: &World, amount: &str) -> Value {
    json!({"input": {"providerStateCode": "CHE", "thematicAreas": ["CLEARANCE"], "assistanceTypes": ["FINANCIAL"],
        "title": "Support from CHE", "amount": chf(amount), "targetRegions": ["ASIA_PACIFIC"]}})
}

fn meeting(allowance: &str, budget: &str) -> Value {
    json!({"input": {"kind": "MEETING_OF_STATES_PARTIES", "title": "Fourteenth Meeting of States Parties",
        "startsOn": "2026-09-14", "endsOn": "2026-09-17", "venue": "Geneva", "applicationDeadline": "2026-07-31",
        "sponsorshipBudget": chf(budget), "dailySubsistenceAllowance": chf(allowance)}})
}

fn meeting_allowance(_: &World, amount: &str) -> Value {
    meeting(amount, "10000")
}

fn meeting_budget(_: &World, amount: &str) -> Value {
    meeting("300", amount)
}

fn issue_invoices(_: &World, amount: &str) -> Value {
    json!({"input": {"year": 2026, "total": chf(amount)}})
}

fn propose_match(w: &World, amount: &str) -> Value {
    json!({"input": {"needId": w.need, "offerId": w.offer, "amount": chf(amount)}})
}

fn record_expenditure(w: &World, amount: &str) -> Value {
    json!({"input": {"budgetLineId": w.line, "amount": chf(amount), "spentOn": "2026-02-01", "description": "Invoice paid"}})
}

fn record_payment(_: &World, amount: &str) -> Value {
    json!({"input": {"stateCode": "AUT", "year": 2026, "amount": chf(amount), "receivedOn": "2026-02-01"}})
}

fn requested_travel(w: &World, amount: &str) -> Value {
    json!({"input": {"meetingId": w.meeting, "stateCode": "LAO",
        "delegate": {"fullName": "Somchai Phommasane", "gender": "MALE", "position": "Deputy Director", "email": "somchai@mfa.test"},
        "requestedTravel": chf(amount), "requestedDays": 4, "justification": "Member of the national clearance authority."}})
}

fn approved_amount(w: &World, amount: &str) -> Value {
    json!({"input": {"applicationId": w.application, "decision": "APPROVED", "approvedAmount": chf(amount)}})
}

const VERSION: &str = "query($year: Int!) { workplan(year: $year) { version } }";

async fn world() -> World {
    let today = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
    let app = spawn_app_with(move |s| s.today = Some(today)).await;
    let admin = app.admin_token().await;
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let mut w = World {
        app,
        admin,
        lao,
        plan: Value::Null,
        draft: Value::Null,
        line: Value::Null,
        need: Value::Null,
        offer: Value::Null,
        meeting: Value::Null,
        application: Value::Null,
        report: Value::Null,
        report_version: Cell::new(1),
    };
    let plan = json!({"input": {"year": 2026, "title": "ISU work plan and budget 2026"}});
    w.plan = w.ok(&w.admin, PLAN, plan, "createWorkplan").await["workplan"]["id"].clone();
    w.draft = w.plan.clone(); // this year's plan takes its line while still a draft
    let line = add_budget_line(&w, "5000");
    w.line = w.ok(&w.admin, LINE, line, "addBudgetLine").await["budgetLine"]["id"].clone();
    for to in ["SUBMITTED", "ENDORSED", "APPROVED"] {
        let body = w
            .app
            .graphql_as(&w.admin, VERSION, json!({"year": 2026}))
            .await;
        let version = body["data"]["workplan"]["version"].clone();
        let vars = json!({"input": {"id": w.plan, "to": to, "expectedVersion": version}});
        w.ok(&w.admin, TRANSITION, vars, "transitionWorkplan").await;
    }
    let draft = json!({"input": {"year": 2027, "title": "ISU work plan and budget 2027"}});
    w.draft = w.ok(&w.admin, PLAN, draft, "createWorkplan").await["workplan"]["id"].clone();
    let invoices = issue_invoices(&w, "1000000");
    w.ok(&w.admin, INVOICE, invoices, "issueInvoices").await;
    let need = create_assistance_need(&w, "1000");
    w.need = w.ok(&w.admin, NEED, need, "createAssistanceNeed").await["need"]["id"].clone();
    let offer = create_assistance_offer(&w, "600");
    w.offer = w.ok(&w.admin, OFFER, offer, "createAssistanceOffer").await["offer"]["id"].clone();
    let meeting = meeting("300", "10000");
    w.meeting = w.ok(&w.admin, MEETING, meeting, "createMeeting").await["meeting"]["id"].clone();
    let application = requested_travel(&w, "800");
    w.application = w
        .ok(&w.lao, APPLY, application, "applyForSponsorship")
        .await["application"]["id"]
        .clone();
    let report = json!({"input": {"stateCode": "LAO", "kind": "ANNUAL", "reportingYear": 2025}});
    w.report = w
        .ok(&w.lao, REPORT, report, "createTransparencyReport")
        .await["report"]["id"]
        .clone();
    w
}

impl World {
    /// Runs a mutation that must succeed; returns its payload.
    async fn ok(&self, token: &str, q: &str, vars: Value, field: &str) -> Value {
        let body = self.app.graphql_as(token, q, vars).await;
        let p = &body["data"][field];
        assert_eq!(p["userErrors"], json!([]), "{field}: {body}");
        p.clone()
    }

    /// The payload of a mutation that answered with data: never a top-level error, never a 500.
    async fn answered(&self, token: &str, q: &str, vars: Value, field: &str) -> Value {
        let body = self.app.graphql_as(token, q, vars).await;
        assert!(body["errors"].is_null(), "{field}: {body}");
        assert!(body["data"][field].is_object(), "{field}: {body}");
        body["data"][field].clone()
    }

    /// The token that may use `case`'s mutation: the delegation for its own report and
    /// application, the administrator otherwise.
    fn token_for(&self, case: &Case) -> &str {
        match case.payload {
            "updateTransparencyReport" | "applyForSponsorship" => &self.lao,
            _ => &self.admin,
        }
    }
}

/// The table is the schema's list: a new money input without a case fails here.
#[test]
fn the_table_lists_every_money_input_of_the_schema_once() {
    let schema = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql"))
        .expect("schema.graphql");
    let mut in_schema = Vec::new();
    let mut input = None;
    for line in schema.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("input ") {
            input = rest.split_whitespace().next().map(str::to_owned);
        } else if line == "}" {
            input = None;
        } else if let (Some(input), Some((field, ty))) = (&input, line.split_once(':'))
            && ty.trim().trim_end_matches('!') == "MoneyInput"
        {
            in_schema.push(format!("{input}.{field}"));
        }
    }
    in_schema.sort();
    let listed: Vec<_> = CASES.iter().map(|c| c.input.to_owned()).collect();
    assert_eq!(listed, in_schema);
}

#[tokio::test]
async fn every_money_input_refuses_more_than_a_trillion_and_writes_nothing() {
    let w = world().await;
    for case in CASES {
        for amount in TOO_LARGE {
            let before = w.app.audit_entries().await;
            let vars = (case.vars)(&w, amount);
            let p = w
                .answered(w.token_for(case), case.mutation, vars, case.payload)
                .await;
            assert_eq!(
                p["userErrors"][0]["code"], "INVALID_INPUT",
                "{} = {amount}: {p}",
                case.input
            );
            assert_eq!(
                p["userErrors"][0]["field"],
                json!(case.field),
                "{} = {amount}: {p}",
                case.input
            );
            // The bound's own refusal, not a business rule's that also refuses it.
            let message = p["userErrors"][0]["message"].as_str().unwrap_or_default();
            assert!(
                message.contains("at most 1 000 000 000 000"),
                "{} = {amount}: {p}",
                case.input
            );
            assert_eq!(
                w.app.audit_entries().await,
                before,
                "{} = {amount}: nothing written",
                case.input
            );
        }
    }
}

#[tokio::test]
async fn a_trillion_is_never_refused_for_its_size() {
    let w = world().await;
    for case in CASES {
        let vars = (case.vars)(&w, A_TRILLION);
        let p = w
            .answered(w.token_for(case), case.mutation, vars, case.payload)
            .await;
        let codes = codes(&p);
        assert_eq!(codes, case.trillion, "{} = {A_TRILLION}: {p}", case.input);
        for e in p["userErrors"].as_array().expect("userErrors") {
            let message = e["message"].as_str().unwrap_or_default();
            assert!(
                !message.contains("1 000 000 000 000") && !message.contains("too large"),
                "{} = {A_TRILLION}: refused for its size: {p}",
                case.input
            );
        }
        if codes.is_empty() && case.payload == "updateTransparencyReport" {
            w.report_version.set(w.report_version.get() + 1);
        }
    }
}

const HUGE: &str = "999999999999999.99";

const ALLOCATION: &str = "{ cooperationAllocation { totalRequested { amount currency } totalAllocated { amount currency } } }";

/// The three decimals that are not money have no bound of their own: a huge value is
/// accepted as it is, and nothing computed from it overflows into a 500.
#[tokio::test]
async fn the_other_decimals_take_a_huge_value_without_a_500() {
    let w = world().await;
    let rate = json!({"input": {"currency": "USD", "rateToBase": HUGE, "validFrom": "2020-01-01"}});
    let p = w.answered(&w.admin, RATE, rate, "setExchangeRate").await;
    assert_eq!(p["exchangeRate"]["rateToBase"], HUGE, "{p}");
    // A trillion dollars at that rate is past `Decimal::MAX` in cents of the base currency.
    let mut need = create_assistance_need(&w, A_TRILLION);
    need["input"]["amount"]["currency"] = json!("USD");
    let p = w
        .answered(&w.admin, NEED, need, "createAssistanceNeed")
        .await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    // It was a panic and a 500 (`Decimal` multiplication overflowed in `Rates::convert`);
    // now an amount that cannot be converted is left out, like one without a rate.
    let body = w.app.graphql_as(&w.admin, ALLOCATION, json!({})).await;
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(
        body["data"]["cooperationAllocation"]["totalRequested"],
        chf("1000.00"),
        "{body}"
    );

    let rates = json!([{"stateCode": "AUT", "rate": HUGE}, {"stateCode": "LAO", "rate": "1"}]);
    let invoices = json!({"input": {"year": 2026, "total": chf("1000"), "rates": rates}});
    let p = w
        .answered(&w.admin, INVOICE, invoices, "issueInvoices")
        .await;
    // A rate is a weight: a huge one takes (nearly) the whole total, still to the cent.
    let shares: Vec<_> = p["financialStatus"]["contributions"]
        .as_array()
        .unwrap_or_else(|| panic!("{p}"))
        .iter()
        .map(|c| (c["state"]["code"].clone(), c["invoiced"]["amount"].clone()))
        .collect();
    assert_eq!(
        shares,
        vec![
            (json!("AUT"), json!("1000.00")),
            (json!("LAO"), json!("0.00"))
        ],
        "{p}"
    );

    let areas = json!({"contaminatedAreas": [{"location": "Xieng Khouang", "areaSquareMetres": HUGE}],
        "clearance": [{"location": "Xieng Khouang", "areaClearedSquareMetres": HUGE, "remnantsDestroyed": 0}]});
    let p = w
        .answered(
            &w.lao,
            UPDATE_REPORT,
            report_sections(&w, areas),
            "updateTransparencyReport",
        )
        .await;
    let sections = &p["report"]["sections"];
    assert_eq!(
        sections["contaminatedAreas"][0]["areaSquareMetres"], HUGE,
        "{p}"
    );
    assert_eq!(
        sections["clearance"][0]["areaClearedSquareMetres"], HUGE,
        "{p}"
    );
}
