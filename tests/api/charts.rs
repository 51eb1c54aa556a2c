//! Charts: `/charts/…` as SVG and CSV. The figures are checked against what the test reads
//! another way (GraphQL, or the rows themselves); access, bad input, caching and the fixed
//! number of statements per chart.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use entity::enums::{
    ApplicationStatus, Gender, MatchStatus, NeedStatus, ObligationKind, OfferStatus, StateStatus,
    ThematicArea,
};
use entity::{
    action_indicator, assistance_need, assistance_offer, budget_line, deadline_extension,
    indicator_value, invoice, match_proposal, meeting, sponsorship_application, state, workplan,
};
use reqwest::StatusCode;
use sea_orm::{ActiveEnum, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use crate::batching::statements;
use crate::helpers::{TestApp, error_code, spawn_app_with};

const PASSWORD: &str = "demo-password-for-tests";

fn today() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2026, 12, 6)
}

async fn demo_app() -> TestApp {
    let app = spawn_app_with(|s| s.today = today()).await;
    let settings = ccm_isu::kernel::config::Settings::for_database(&app.url);
    ccm_isu::seed::demo(&app.db, &settings, PASSWORD)
        .await
        .expect("the demo loads");
    app
}

struct Got {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: String,
}

async fn get(app: &TestApp, token: Option<&str>, path: &str) -> Got {
    let mut req = app.client.get(format!("{}{path}", app.base));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.expect("request");
    Got {
        status: resp.status(),
        headers: resp.headers().clone(),
        body: resp.text().await.expect("body"),
    }
}

/// The CSV's rows as maps from the header's names.
fn rows(csv_text: &str) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

fn num(row: &HashMap<String, String>, col: &str) -> rust_decimal::Decimal {
    row.get(col)
        .unwrap_or_else(|| panic!("no column {col} in {row:?}"))
        .parse()
        .unwrap_or_else(|_| panic!("{col} is not a number in {row:?}"))
}

fn cents(c: i64) -> rust_decimal::Decimal {
    rust_decimal::Decimal::new(c, 2)
}

/// The SVG parses, is an accessible image and holds each of `texts` in a `<text>` (or in
/// its title and description).
fn check_svg(got: &Got, texts: &[&str]) {
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    assert_eq!(
        got.headers["content-type"].to_str().unwrap(),
        "image/svg+xml; charset=utf-8"
    );
    let doc = roxmltree::Document::parse(&got.body).expect("the SVG parses as XML");
    let root = doc.root_element();
    assert_eq!(root.attribute("role"), Some("img"));
    assert!(root.attribute("viewBox").unwrap().starts_with("0 0 800 "));
    let first: Vec<_> = root.children().filter(|n| n.is_element()).take(2).collect();
    assert_eq!(first[0].tag_name().name(), "title");
    assert_eq!(first[1].tag_name().name(), "desc");
    let all: Vec<String> = root
        .descendants()
        .filter(|n| n.has_tag_name("text") || n.has_tag_name("title") || n.has_tag_name("desc"))
        .filter_map(|n| n.text().map(|t| t.trim().to_owned()))
        .collect();
    for want in texts {
        assert!(
            all.iter().any(|t| t == want || t.contains(want)),
            "{want:?} missing in {all:?}"
        );
    }
}

fn check_csv(got: &Got) -> Vec<HashMap<String, String>> {
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    assert_eq!(
        got.headers["content-type"].to_str().unwrap(),
        "text/csv; charset=utf-8"
    );
    assert!(
        got.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=")
    );
    rows(&got.body)
}

#[tokio::test]
async fn compliance_counts_equal_the_api_figures_per_year() {
    let app = demo_app().await;
    let token = app.token_for("DELEGATION", Some("LAO")).await;
    let got = get(
        &app,
        Some(&token),
        "/charts/reporting-compliance.csv?from=2015&to=2025",
    )
    .await;
    let table = check_csv(&got);
    assert_eq!(table.len(), 11);
    let mut submitted_any = 0;
    for row in &table {
        let year: i32 = row["Reporting year"].parse().unwrap();
        let api = app
            .graphql(
                "query($y: Int!) { reportingCompliance(year: $y) { statesRequired submitted submittedOnTime onTimeRate } }",
                json!({ "y": year }),
            )
            .await;
        let c = &api["data"]["reportingCompliance"];
        assert_eq!(
            num(row, "Required"),
            c["statesRequired"].as_i64().unwrap().into(),
            "{year}"
        );
        assert_eq!(
            num(row, "Submitted"),
            c["submitted"].as_i64().unwrap().into(),
            "{year}"
        );
        assert_eq!(
            num(row, "On time"),
            c["submittedOnTime"].as_i64().unwrap().into(),
            "{year}"
        );
        let rate = c["onTimeRate"].as_f64().unwrap() * 100.0;
        let share: f64 = row["On-time share"].parse().unwrap_or(0.0);
        assert!((share - rate).abs() < 0.051, "{year}: {share} vs {rate}");
        submitted_any += c["submitted"].as_i64().unwrap();
    }
    assert!(submitted_any > 0, "the demo has submitted reports");
    let svg = get(
        &app,
        Some(&token),
        "/charts/reporting-compliance.svg?from=2015&to=2025",
    )
    .await;
    check_svg(
        &svg,
        &[
            "Annual transparency reports, 2015–2025",
            "Reporting year",
            "Reports (number)",
            "Submitted on time (%)",
            "On-time share",
            &table[10]["Required"],
        ],
    );
    // The default range runs from 2011 to this year.
    let default = get(&app, Some(&token), "/charts/reporting-compliance.csv").await;
    let years: Vec<String> = check_csv(&default)
        .into_iter()
        .map(|r| r["Reporting year"].clone())
        .collect();
    assert_eq!(years.first().map(String::as_str), Some("2011"));
    assert_eq!(years.last().map(String::as_str), Some("2026"));
}

#[tokio::test]
async fn budget_and_contributions_equal_the_accounts() {
    let app = demo_app().await;
    let staff = app.token_for("ISU_STAFF", None).await;

    let plan = workplan::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .expect("a demo workplan");
    let lines = budget_line::Entity::find()
        .filter(budget_line::Column::WorkplanId.eq(plan.id))
        .all(&app.db)
        .await
        .unwrap();
    let got = get(
        &app,
        Some(&staff),
        &format!("/charts/budget-execution.csv?year={}", plan.year),
    )
    .await;
    let table = check_csv(&got);
    let categories: HashSet<String> = lines.iter().map(|l| l.category.to_value()).collect();
    assert_eq!(table.len(), categories.len());
    let budget: rust_decimal::Decimal = table.iter().map(|r| num(r, "Budget")).sum();
    let spent: rust_decimal::Decimal = table.iter().map(|r| num(r, "Spent")).sum();
    assert_eq!(budget, cents(lines.iter().map(|l| l.amount_cents).sum()));
    assert_eq!(spent, cents(lines.iter().map(|l| l.spent_cents).sum()));
    let svg = get(
        &app,
        Some(&staff),
        &format!("/charts/budget-execution.svg?year={}", plan.year),
    )
    .await;
    let label = ccm_isu::kernel::figures::grouped(num(&table[0], "Budget"));
    check_svg(
        &svg,
        &[
            &format!("Budget execution, {}", plan.year),
            &format!("Amount ({})", plan.currency),
            "Budget category",
            "Spent",
            &label,
        ],
    );

    let invoices = invoice::Entity::find().all(&app.db).await.unwrap();
    let year = invoices.first().expect("demo invoices").year;
    let of_year: Vec<&invoice::Model> = invoices.iter().filter(|i| i.year == year).collect();
    let got = get(
        &app,
        Some(&staff),
        &format!("/charts/contributions.csv?year={year}"),
    )
    .await;
    let table = check_csv(&got);
    let expected_rows = of_year.len().min(12) + usize::from(of_year.len() > 12);
    assert_eq!(table.len(), expected_rows);
    let largest = of_year
        .iter()
        .max_by_key(|i| (i.amount_cents, std::cmp::Reverse(i.state_code.clone())))
        .unwrap();
    assert_eq!(table[0]["State party"], largest.state_code);
    assert_eq!(num(&table[0], "Invoiced"), cents(largest.amount_cents));
    let invoiced: rust_decimal::Decimal = table.iter().map(|r| num(r, "Invoiced")).sum();
    let received: rust_decimal::Decimal = table.iter().map(|r| num(r, "Received")).sum();
    let outstanding: rust_decimal::Decimal = table.iter().map(|r| num(r, "Outstanding")).sum();
    assert_eq!(
        invoiced,
        cents(of_year.iter().map(|i| i.amount_cents).sum())
    );
    assert_eq!(
        received,
        cents(of_year.iter().map(|i| i.received_cents).sum())
    );
    assert_eq!(outstanding, invoiced - received);
    for pair in table.windows(2).take(11) {
        if !pair[1]["State party"].starts_with("Other States") {
            assert!(num(&pair[0], "Invoiced") >= num(&pair[1], "Invoiced"));
        }
    }
    if of_year.len() > 12 {
        assert_eq!(
            table[12]["State party"],
            format!("Other States ({})", of_year.len() - 12)
        );
    }
    let svg = get(
        &app,
        Some(&staff),
        &format!("/charts/contributions.svg?year={year}"),
    )
    .await;
    check_svg(
        &svg,
        &[
            &format!("Contributions, {year}"),
            "Invoiced",
            "Received",
            "Outstanding",
            "State party",
            &largest.state_code,
            &ccm_isu::kernel::figures::grouped(cents(largest.amount_cents)),
        ],
    );
}

#[tokio::test]
async fn cooperation_counts_what_the_viewer_may_read() {
    let app = demo_app().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let needs = assistance_need::Entity::find()
        .filter(assistance_need::Column::Status.ne(NeedStatus::Withdrawn))
        .all(&app.db)
        .await
        .unwrap();
    let covered: HashSet<Uuid> = match_proposal::Entity::find()
        .filter(match_proposal::Column::Status.is_in([MatchStatus::Agreed, MatchStatus::Delivered]))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.need_id)
        .collect();
    let offers = assistance_offer::Entity::find()
        .filter(
            assistance_offer::Column::Status
                .is_in([OfferStatus::Open, OfferStatus::PartiallyCommitted]),
        )
        .all(&app.db)
        .await
        .unwrap();
    let got = get(&app, Some(&staff), "/charts/cooperation-coverage.csv").await;
    let table = check_csv(&got);
    assert_eq!(table.len(), 7, "every thematic area");
    let clearance = table
        .iter()
        .find(|r| r["Thematic area"] == "Clearance")
        .expect("clearance");
    let of = |a: ThematicArea| needs.iter().filter(move |n| n.thematic_area == a);
    assert_eq!(
        num(clearance, "Needs requested"),
        of(ThematicArea::Clearance).count().into()
    );
    assert_eq!(
        num(clearance, "Needs covered"),
        of(ThematicArea::Clearance)
            .filter(|n| covered.contains(&n.id))
            .count()
            .into()
    );
    assert_eq!(
        num(clearance, "Open offers"),
        offers
            .iter()
            .filter(|o| o.thematic_areas.split(',').any(|a| a == "CLEARANCE"))
            .count()
            .into()
    );
    let total: rust_decimal::Decimal = table.iter().map(|r| num(r, "Needs requested")).sum();
    assert_eq!(total, needs.len().into());
    check_svg(
        &get(&app, Some(&staff), "/charts/cooperation-coverage.svg").await,
        &[
            "Thematic area",
            "Needs and offers (number)",
            "Needs requested",
            "Needs covered",
            "Open offers",
        ],
    );

    // A delegation counts its own needs, and no more than the ISU.
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let own = needs.iter().filter(|n| n.state_code == "LAO").count();
    let table = check_csv(&get(&app, Some(&lao), "/charts/cooperation-coverage.csv").await);
    let seen: rust_decimal::Decimal = table.iter().map(|r| num(r, "Needs requested")).sum();
    assert!(
        seen >= own.into() && seen <= total,
        "{seen} of {total}, own {own}"
    );
    assert!(
        seen < total,
        "other States' needs are not all readable by LAO"
    );
}

#[tokio::test]
async fn sponsorship_balance_counts_approved_delegates() {
    let app = demo_app().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let approved = sponsorship_application::Entity::find()
        .filter(sponsorship_application::Column::Status.eq(ApplicationStatus::Approved))
        .all(&app.db)
        .await
        .unwrap();
    let meeting_id = approved
        .first()
        .expect("approved demo applications")
        .meeting_id;
    let of: Vec<_> = approved
        .iter()
        .filter(|a| a.meeting_id == meeting_id)
        .collect();
    let m = meeting::Entity::find_by_id(meeting_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let id = ccm_isu::api::ids::encode("Meeting", meeting_id).0;
    let got = get(
        &app,
        Some(&staff),
        &format!("/charts/sponsorship-balance.csv?meeting={id}"),
    )
    .await;
    let table = check_csv(&got);
    let by: HashMap<&str, &HashMap<String, String>> = table
        .iter()
        .map(|r| (r["Gender and regional group"].as_str(), r))
        .collect();
    let women = of
        .iter()
        .filter(|a| a.delegate_gender == Gender::Female)
        .count();
    assert_eq!(num(by["Women"], "Approved delegates"), women.into());
    let genders: rust_decimal::Decimal = ["Women", "Men", "Other", "Undisclosed"]
        .iter()
        .map(|g| num(by[g], "Approved delegates"))
        .sum();
    assert_eq!(genders, of.len().into());
    let share: f64 = by["Women"]["Share"].parse().unwrap();
    assert!((share - women as f64 * 100.0 / of.len() as f64).abs() < 0.051);
    assert_eq!(num(by["Women"], "Target share of women"), 50.into());
    assert_eq!(num(by["Africa"], "Equal regional share"), 20.into());
    check_svg(
        &get(
            &app,
            Some(&staff),
            &format!("/charts/sponsorship-balance.svg?meeting={id}"),
        )
        .await,
        &[
            &m.title,
            "Approved delegates (number)",
            "Share of approved delegates (%)",
            "Target share of women",
            "Women",
            "50.0 %",
        ],
    );

    // A delegation counts only its own State's delegates.
    let code = of[0].state_code.clone();
    let token = app.token_for("DELEGATION", Some(&code)).await;
    let table = check_csv(
        &get(
            &app,
            Some(&token),
            &format!("/charts/sponsorship-balance.csv?meeting={id}"),
        )
        .await,
    );
    let own = of.iter().filter(|a| a.state_code == code).count();
    let counted: rust_decimal::Decimal = table
        .iter()
        .filter(|r| {
            ["Women", "Men", "Other", "Undisclosed"]
                .contains(&r["Gender and regional group"].as_str())
        })
        .map(|r| num(r, "Approved delegates"))
        .sum();
    assert_eq!(counted, own.into());
}

#[tokio::test]
async fn indicator_values_per_year_with_baseline_and_target() {
    let app = demo_app().await;
    let token = app.coordinator_token(&["CLEARANCE"]).await;
    let values = indicator_value::Entity::find().all(&app.db).await.unwrap();
    let indicators = action_indicator::Entity::find().all(&app.db).await.unwrap();
    // A recorded value, if the demo has one; else any indicator.
    let (i, value) = match values.first() {
        Some(v) => (
            indicators.iter().find(|i| i.id == v.indicator_id).unwrap(),
            Some(v),
        ),
        None => (indicators.first().expect("demo indicators"), None),
    };
    let plan = entity::action_plan::Entity::find_by_id(i.plan_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let id = ccm_isu::api::ids::encode("ActionIndicator", i.id).0;
    let table = check_csv(&get(&app, Some(&token), &format!("/charts/indicators/{id}.csv")).await);
    assert_eq!(table.len(), (plan.last_year - plan.first_year + 1) as usize);
    assert_eq!(table[0]["Year"], plan.first_year.to_string());
    if let Some(t) = i.target_tenths {
        assert_eq!(num(&table[0], "Target"), rust_decimal::Decimal::new(t, 1));
    }
    if let Some(v) = value {
        let row = table
            .iter()
            .find(|r| r["Year"] == v.year.to_string())
            .unwrap();
        assert!(!row["Value"].is_empty());
    }
    check_svg(
        &get(&app, Some(&token), &format!("/charts/indicators/{id}.svg")).await,
        &[&format!("Indicator {}", i.code), "Year", "Value ("],
    );
    // Another kind's ID, or an unknown one, is no indicator.
    let other = ccm_isu::api::ids::encode("ActionPlan", i.plan_id).0;
    let got = get(
        &app,
        Some(&token),
        &format!("/charts/indicators/{other}.svg"),
    )
    .await;
    assert_eq!(got.status, StatusCode::NOT_FOUND);
    let unknown = ccm_isu::api::ids::encode("ActionIndicator", Uuid::now_v7()).0;
    let got = get(
        &app,
        Some(&token),
        &format!("/charts/indicators/{unknown}.csv"),
    )
    .await;
    assert_eq!(got.status, StatusCode::NOT_FOUND);
    assert!(got.body.contains("No indicator has the ID"));
}

fn extension(
    code: &str,
    kind: ObligationKind,
    previous: NaiveDate,
    new: NaiveDate,
) -> deadline_extension::ActiveModel {
    deadline_extension::ActiveModel {
        id: Set(Uuid::now_v7()),
        state_code: Set(code.into()),
        kind: Set(kind),
        previous_deadline: Set(previous),
        new_deadline: Set(new),
        granted_on: Set(previous.pred_opt().unwrap()),
        granted_at: Set(Some("9MSP".into())),
        imported: Set(false),
        decision_reference: Set(None),
        precision: Set(None),
        granted_on_precision: Set(None),
        confidence: Set(None),
        sources: Set(None),
        decision_id: Set(None),
        created_at: Set(Utc::now()),
    }
}

async fn by_code(app: &TestApp, code: &str) -> Option<state::Model> {
    state::Entity::find()
        .filter(state::Column::Code.eq(code))
        .one(&app.db)
        .await
        .unwrap()
}

/// Makes `code` a State party bound since 2010 with stockpiles (not destroyed) and, when
/// `contaminated`, land to clear.
async fn bind(app: &TestApp, code: &str, contaminated: bool) {
    let s = by_code(app, code).await;
    let mut s: state::ActiveModel = s.expect("the State").into();

    s.status = Set(StateStatus::StateParty);
    s.deposit_date = Set(NaiveDate::from_ymd_opt(2009, 12, 1));
    s.withdrawal_effective_date = Set(None);
    s.holds_stockpiles = Set(true);
    s.stockpile_destruction_completed_on = Set(None);
    s.contaminated = Set(contaminated);
    s.clearance_completed_on = Set(None);
    sea_orm::ActiveModelTrait::update(s, &app.db).await.unwrap();
}

#[tokio::test]
async fn obligations_mark_extensions_and_completions_in_fixed_statements() {
    let app = spawn_app_with(|s| s.today = today()).await;
    let token = app.token_for("DELEGATION", Some("LAO")).await;
    // Only what this test writes: no State holds stockpiles or contaminated land.
    state::Entity::update_many()
        .col_expr(
            state::Column::HoldsStockpiles,
            sea_orm::sea_query::Expr::value(false),
        )
        .col_expr(
            state::Column::Contaminated,
            sea_orm::sea_query::Expr::value(false),
        )
        .col_expr(
            state::Column::StockpileDestructionCompletedOn,
            sea_orm::sea_query::Expr::value(Option::<NaiveDate>::None),
        )
        .col_expr(
            state::Column::ClearanceCompletedOn,
            sea_orm::sea_query::Expr::value(Option::<NaiveDate>::None),
        )
        .exec(&app.db)
        .await
        .unwrap();
    bind(&app, "LAO", true).await;
    let lao_name = by_code(&app, "LAO").await.expect("Lao PDR").name;
    // Entry into force 2010-08-01: stockpiles due 2018-08-01, clearance 2020-08-01,
    // extended to 2025-08-01 and again to 2030-08-01.
    let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    deadline_extension::Entity::insert_many([
        extension(
            "LAO",
            ObligationKind::Clearance,
            d(2020, 8, 1),
            d(2025, 8, 1),
        ),
        extension(
            "LAO",
            ObligationKind::Clearance,
            d(2025, 8, 1),
            d(2030, 8, 1),
        ),
    ])
    .exec(&app.db)
    .await
    .unwrap();
    // Once first, so that both counts find the session kept.
    get(&app, Some(&token), "/charts/obligations.csv").await;
    let before = statements(&app).await;
    let one = get(&app, Some(&token), "/charts/obligations.csv").await;
    let one_cost = statements(&app).await - before;
    let table = check_csv(&one);
    let lao: Vec<_> = table
        .iter()
        .filter(|r| r["State party"] == lao_name)
        .collect();
    let marks: Vec<(String, String, String)> = lao
        .iter()
        .map(|r| {
            (
                r["Series"].clone(),
                r["Deadline (year)"].clone(),
                r["Style"].clone(),
            )
        })
        .collect();
    assert_eq!(
        marks,
        [
            (
                "Stockpiles (Art. 3)".into(),
                "2018-08-01".into(),
                "open".into()
            ),
            (
                "Clearance (Art. 4)".into(),
                "2020-08-01".into(),
                "superseded".into()
            ),
            (
                "Clearance (Art. 4)".into(),
                "2025-08-01".into(),
                "superseded".into()
            ),
            (
                "Clearance (Art. 4)".into(),
                "2030-08-01".into(),
                "extended".into()
            ),
        ]
    );
    assert_eq!(table.len(), 4, "only LAO has Article 3 or 4 obligations");
    assert_eq!(lao[3]["Note"], "1 August 2030 (extended)");

    // Eight more States, one with its stockpiles destroyed: the same statements.
    for code in ["AFG", "ALB", "AUT", "BEL", "BIH", "BFA", "CMR", "DEU"] {
        if by_code(&app, code).await.is_some() {
            bind(&app, code, code == "BIH").await;
        }
    }
    let mut done: state::ActiveModel = by_code(&app, "DEU").await.expect("Germany").into();
    done.stockpile_destruction_completed_on = Set(NaiveDate::from_ymd_opt(2015, 11, 25));
    sea_orm::ActiveModelTrait::update(done, &app.db)
        .await
        .unwrap();
    let before = statements(&app).await;
    let many = get(&app, Some(&token), "/charts/obligations.csv").await;
    let many_cost = statements(&app).await - before;
    assert_eq!(one_cost, many_cost, "statements with 1 State and with 9");
    let table = check_csv(&many);
    let germany = table
        .iter()
        .find(|r| r["Style"] == "completed")
        .expect("a completed obligation");
    assert_eq!(germany["Note"], "completed 25 November 2015");
    // Open deadlines first: the last row is the completed one.
    assert_eq!(table.last().unwrap()["Style"], "completed");
    let svg = get(&app, Some(&token), "/charts/obligations.svg").await;
    check_svg(
        &svg,
        &[
            "Stockpile destruction and clearance deadlines",
            "Deadline (year)",
            "State party",
            &lao_name,
            "Superseded",
            "Completed",
            "Today",
            "Aug 2030",
        ],
    );

    // Compliance over 5 years and over 40: the same statements.
    let before = statements(&app).await;
    get(
        &app,
        Some(&token),
        "/charts/reporting-compliance.svg?from=2020&to=2024",
    )
    .await;
    let short = statements(&app).await - before;
    let before = statements(&app).await;
    get(
        &app,
        Some(&token),
        "/charts/reporting-compliance.svg?from=2011&to=2050",
    )
    .await;
    let long = statements(&app).await - before;
    assert_eq!(short, long, "statements for 5 years and for 40");
}

#[tokio::test]
async fn access_bad_input_and_caching() {
    let app = demo_app().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let coordinator = app.coordinator_token(&["CLEARANCE"]).await;
    let plan = workplan::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let year = plan.year;

    // No token: 401 with a challenge, for every chart.
    for path in [
        "/charts/reporting-compliance.svg",
        "/charts/obligations.csv",
        "/charts/cooperation-coverage.svg",
        &format!("/charts/budget-execution.svg?year={year}"),
        "/charts/contributions.csv",
    ] {
        let got = get(&app, None, path).await;
        assert_eq!(got.status, StatusCode::UNAUTHORIZED, "{path}");
        assert!(got.headers.contains_key("www-authenticate"));
    }
    let got = get(&app, Some("not-a-token"), "/charts/obligations.svg").await;
    assert_eq!(got.status, StatusCode::UNAUTHORIZED);

    // The ISU's accounts: ISU staff only.
    for token in [&lao, &coordinator] {
        for path in [
            format!("/charts/budget-execution.svg?year={year}"),
            "/charts/contributions.csv".to_owned(),
        ] {
            let got = get(&app, Some(token), &path).await;
            assert_eq!(got.status, StatusCode::FORBIDDEN, "{path}");
            let body: serde_json::Value = serde_json::from_str(&got.body).unwrap();
            assert_eq!(error_code(&body), Some("FORBIDDEN"));
        }
    }

    let status = |got: &Got, code: &str| {
        let body: serde_json::Value = serde_json::from_str(&got.body).unwrap_or_default();
        (
            got.status,
            error_code(&body).map(str::to_owned).unwrap_or_default(),
            code.to_owned(),
        )
    };
    let cases: Vec<(String, StatusCode, &str)> = vec![
        (
            "/charts/unknown.svg".into(),
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
        ),
        (
            "/charts/obligations.png".into(),
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
        ),
        (
            "/charts/obligations".into(),
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
        ),
        (
            "/charts/budget-execution.svg?year=2099".into(),
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
        ),
        (
            "/charts/contributions.csv?year=2012".into(),
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
        ),
        (
            "/charts/budget-execution.svg?year=26".into(),
            StatusCode::BAD_REQUEST,
            "BAD_USER_INPUT",
        ),
        (
            "/charts/budget-execution.svg?year=20266".into(),
            StatusCode::BAD_REQUEST,
            "BAD_USER_INPUT",
        ),
        (
            "/charts/contributions.svg?year=abcd".into(),
            StatusCode::BAD_REQUEST,
            "BAD_USER_INPUT",
        ),
        (
            "/charts/contributions.svg?year=1999".into(),
            StatusCode::BAD_REQUEST,
            "BAD_USER_INPUT",
        ),
        (
            "/charts/reporting-compliance.svg?from=2026&to=2011".into(),
            StatusCode::BAD_REQUEST,
            "BAD_USER_INPUT",
        ),
        (
            "/charts/reporting-compliance.svg?from=2010&to=2060".into(),
            StatusCode::BAD_REQUEST,
            "BAD_USER_INPUT",
        ),
        (
            "/charts/reporting-compliance.svg?from=11".into(),
            StatusCode::BAD_REQUEST,
            "BAD_USER_INPUT",
        ),
        (
            "/charts/sponsorship-balance.svg".into(),
            StatusCode::BAD_REQUEST,
            "BAD_USER_INPUT",
        ),
        (
            "/charts/sponsorship-balance.svg?meeting=nonsense".into(),
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
        ),
        (
            format!(
                "/charts/sponsorship-balance.svg?meeting={}",
                ccm_isu::api::ids::encode("Meeting", Uuid::now_v7()).0
            ),
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
        ),
        (
            "/charts/indicators/nonsense.svg".into(),
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
        ),
    ];
    for (path, want, code) in cases {
        let got = get(&app, Some(&staff), &path).await;
        let (s, c, w) = status(&got, code);
        assert_eq!((s, c.as_str()), (want, w.as_str()), "{path}: {}", got.body);
        assert!(got.body.contains("Ask for"), "{path}: {}", got.body);
    }
    // Exactly 50 years is allowed.
    let got = get(
        &app,
        Some(&staff),
        "/charts/reporting-compliance.csv?from=2011&to=2060",
    )
    .await;
    assert_eq!(got.status, StatusCode::OK);

    // ETag and 304.
    let path = "/charts/cooperation-coverage.svg";
    let first = get(&app, Some(&staff), path).await;
    let etag = first.headers.get("etag").expect("an ETag").clone();
    let again = app
        .client
        .get(format!("{}{path}", app.base))
        .bearer_auth(&staff)
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}
