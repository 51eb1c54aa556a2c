//! The management reports (issue 23): the annual report, an action plan's progress report
//! and a State's profile, as documents built from the data (checked against figures the test
//! computes itself, from the database and the CSV exports), as PDF and HTML over HTTP, who
//! may read which, the paths that name no report, the statements a report costs, and the
//! render gate under a flood.

use std::sync::Arc;

use chrono::NaiveDate;
use entity::enums::{NeedStatus, OfferStatus, ReportKind, ReportStatus, StateStatus, ThematicArea};
use entity::{
    assistance_need, assistance_offer, invoice, payment, state, transparency_report, user,
};
use rust_decimal::Decimal;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use uuid::Uuid;

use ccm_isu::auth::{Principal, Viewer};
use ccm_isu::domain::publications::{Context, annual, profile, progress};
use ccm_isu::kernel::config::Settings;
use ccm_isu::kernel::figures;
use ccm_isu::kernel::typeset::{Block, Document, Section, Table};

use crate::batching::statements;
use crate::helpers::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
}

/// A server whose today is 6 December 2026, with the demo data loaded through the services.
async fn demo_app() -> TestApp {
    let app = spawn_app_with(|s| s.today = Some(today())).await;
    let mut settings = Settings::for_database(&app.url);
    settings.today = Some(today());
    ccm_isu::seed::demo(&app.db, &settings, PASSWORD)
        .await
        .expect("the demo loads");
    app
}

/// A user of `role` (for `state`), with the viewer the services take and an access token.
async fn user_of(app: &TestApp, role: &str, state: Option<&str>) -> (Viewer, String) {
    let email = app.create_user(role, state, &[]).await;
    let token = token_of(&app.login(&email, PASSWORD).await);
    let account = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the user");
    let viewer = Viewer::authenticated(Principal {
        user_id: account.id,
        role: account.role,
        state_code: account.state_code.clone(),
        thematic_areas: vec![],
        session_id: Uuid::nil(),
        account: Arc::new(account),
    });
    (viewer, token)
}

/// The configuration the server runs with (the defaults).
struct Configs {
    budget: ccm_isu::domain::budget::BudgetConfig,
    sponsorship: ccm_isu::domain::sponsorship::SponsorshipConfig,
    cooperation: ccm_isu::domain::cooperation::CooperationConfig,
}

fn configs() -> Configs {
    let s = Settings::for_database("sqlite::memory:");
    Configs {
        budget: ccm_isu::domain::budget::BudgetConfig::from_settings(&s).unwrap(),
        sponsorship: ccm_isu::domain::sponsorship::SponsorshipConfig::from_settings(&s).unwrap(),
        cooperation: ccm_isu::domain::cooperation::CooperationConfig::from_settings(&s).unwrap(),
    }
}

fn context<'a>(app: &'a TestApp, c: &'a Configs) -> Context<'a> {
    Context {
        db: &app.db,
        today: today(),
        budget: &c.budget,
        sponsorship: &c.sponsorship,
        cooperation: &c.cooperation,
    }
}

/// Every section and subsection, depth first.
fn sections(doc: &Document) -> Vec<&Section> {
    fn walk<'a>(s: &'a Section, out: &mut Vec<&'a Section>) {
        out.push(s);
        for sub in &s.subsections {
            walk(sub, out);
        }
    }
    let mut out = Vec::new();
    for s in &doc.sections {
        walk(s, &mut out);
    }
    out
}

/// The value of the first fact labelled `label`.
fn fact(doc: &Document, label: &str) -> String {
    sections(doc)
        .iter()
        .flat_map(|s| &s.blocks)
        .find_map(|b| match b {
            Block::Facts { items } => items
                .iter()
                .find(|f| f.label == label)
                .map(|f| f.value.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no fact {label:?}"))
}

/// The first table whose caption starts with `caption`.
fn table<'a>(doc: &'a Document, caption: &str) -> &'a Table {
    sections(doc)
        .into_iter()
        .flat_map(|s| &s.blocks)
        .find_map(|b| match b {
            Block::Table(t) if t.caption.starts_with(caption) => Some(t),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no table {caption:?}"))
}

fn figures_of(doc: &Document) -> usize {
    sections(doc)
        .iter()
        .flat_map(|s| &s.blocks)
        .filter(|b| matches!(b, Block::Figure(_)))
        .count()
}

fn count(n: usize) -> String {
    figures::count(n as i64)
}

fn chf(cents: i64) -> String {
    figures::money(Decimal::new(cents, 2), "CHF")
}

/// A CSV export as rows of named cells.
async fn csv_rows(
    app: &TestApp,
    token: &str,
    path: &str,
) -> Vec<std::collections::HashMap<String, String>> {
    let resp = get(app, path, Some(token)).await;
    assert_eq!(resp.status().as_u16(), 200, "{path}");
    let text = resp.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

fn cents(amount: &str) -> i64 {
    let d: Decimal = amount.parse().unwrap();
    (d * Decimal::ONE_HUNDRED).trunc().try_into().unwrap()
}

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> reqwest::Response {
    let mut req = app.client.get(format!("{}{path}", app.base));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap()
}

/// Text with every run of whitespace made one space.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of a PDF, whitespace squeezed.
fn pdf_text(bytes: &[u8]) -> String {
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    squeeze(&pdf_extract::extract_text_from_mem(bytes).expect("the PDF's text"))
}

/// The text of an HTML page: its tags replaced by spaces, the entities a template escapes
/// decoded, whitespace squeezed.
fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    squeeze(
        &out.replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// The demo action plan's global ID.
async fn demo_plan(app: &TestApp, token: &str) -> String {
    let body = app
        .graphql_as(token, "{ actionPlans { id firstYear } }", json!({}))
        .await;
    body["data"]["actionPlans"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

fn plan_key(id: &str) -> Uuid {
    ccm_isu::api::ids::key::<ccm_isu::api::action_plan::types::ActionPlan>(id).expect("a plan ID")
}

#[tokio::test]
async fn the_annual_report_holds_the_years_figures_as_the_exports_give_them() {
    let app = demo_app().await;
    let c = configs();
    let (isu, token) = user_of(&app, "ISU_STAFF", None).await;
    submitted(&app, "LAO", 2025, "2026-04-20").await;
    submitted(&app, "AFG", 2025, "2026-05-10").await;
    let doc = annual::annual_report(context(&app, &c), &isu, 2026)
        .await
        .unwrap()
        .expect("a report for 2026");
    assert_eq!(doc.issued_on, today());
    assert_eq!(doc.as_of, today());
    let headings: Vec<&str> = doc.sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(
        headings,
        [
            "Article 7 reporting",
            "Obligations and extensions",
            "Cooperation and assistance",
            "Sponsorship Programme",
            "Workplan activities",
            "Budget",
            "Contributions, invoices and payments",
            "Working Capital Reserve",
            "Action plan progress",
            "Implementation of the meetings' decisions",
        ]
    );

    // Reporting: the reports covering 2025, due on 30 April 2026 (the demo's end with 2024):
    // Lao's on time, Afghanistan's late; as the compliance export lists them.
    let owing = csv_rows(&app, &token, "/exports/compliance/2025.csv").await;
    let submitted = owing
        .iter()
        .filter(|r| !r["submitted_on"].is_empty())
        .count();
    let on_time = owing.iter().filter(|r| r["on_time"] == "yes").count();
    assert!(
        submitted > 0 && on_time < owing.len(),
        "the demo has some of each"
    );
    assert_eq!(fact(&doc, "Annual reports required"), count(owing.len()));
    assert_eq!(fact(&doc, "Submitted"), count(submitted));
    assert_eq!(fact(&doc, "Submitted on time"), count(on_time));
    let late = table(&doc, "Annual reports covering 2025 submitted late");
    assert_eq!(late.rows.len(), owing.len() - on_time);
    let missing = owing
        .iter()
        .find(|r| r["status"] == "MISSING")
        .expect("a missing report in the demo");
    assert!(
        late.rows
            .iter()
            .any(|r| r[0] == missing["state_name"] && r[1] == "30 April 2026" && r[2] == "Missing"),
        "{:?}",
        late.rows
    );

    // Obligations: the States the API lists with each Article 3 or 4 obligation, each with a
    // row of the deadlines table.
    let deadlines = table(&doc, "Article 3 and 4 deadlines");
    for (kind, label, name) in [
        (
            "CLEARANCE",
            "States with a clearance deadline",
            "Clearance (Article 4)",
        ),
        (
            "STOCKPILE_DESTRUCTION",
            "States with a stockpile destruction deadline",
            "Stockpile destruction (Article 3)",
        ),
    ] {
        let body = app
            .graphql_as(
                &token,
                "query($k: ObligationKind) { stateParties(first: 100, filter: { hasObligation: $k }) {
                    totalCount edges { node { name } } } }",
                json!({ "k": kind }),
            )
            .await;
        let listed = &body["data"]["stateParties"];
        let total = listed["totalCount"]
            .as_u64()
            .unwrap_or_else(|| panic!("{body}"));
        assert!(total > 0, "the demo has {kind} obligations");
        assert_eq!(fact(&doc, label), count(total as usize), "{kind}");
        for edge in listed["edges"].as_array().unwrap() {
            let state = edge["node"]["name"].as_str().unwrap();
            assert!(
                deadlines.rows.iter().any(|r| r[0] == state && r[1] == name),
                "{state} {kind}"
            );
        }
    }

    // The budget: the workplan export's lines.
    let lines = csv_rows(&app, &token, "/exports/workplan/2026.csv").await;
    let budget: i64 = lines.iter().map(|l| cents(&l["amount"])).sum();
    let spent: i64 = lines.iter().map(|l| cents(&l["spent"])).sum();
    assert_eq!(fact(&doc, "Budget"), chf(budget));
    assert_eq!(fact(&doc, "Spent"), chf(spent));
    let by_category = table(&doc, "Budget and spending by category");
    let total = by_category.rows.last().unwrap();
    assert_eq!(total[..3], ["Total".to_owned(), chf(budget), chf(spent)]);
    assert_eq!(
        by_category.rows.len() - 1,
        lines
            .iter()
            .map(|l| l["category"].clone())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    );

    // Contributions: the contributions export's, largest first.
    let contributions = csv_rows(&app, &token, "/exports/contributions/2026.csv").await;
    let invoiced: i64 = contributions.iter().map(|r| cents(&r["invoiced"])).sum();
    let received: i64 = contributions.iter().map(|r| cents(&r["received"])).sum();
    assert_eq!(fact(&doc, "Invoices issued"), count(contributions.len()));
    assert_eq!(fact(&doc, "Invoiced"), chf(invoiced));
    assert_eq!(fact(&doc, "Received"), chf(received));
    assert_eq!(fact(&doc, "Outstanding"), chf(invoiced - received));
    let by_state = table(&doc, "Contributions by State party, 2026");
    assert_eq!(by_state.rows.len(), contributions.len());
    let norway = contributions
        .iter()
        .find(|r| r["state_code"] == "NOR")
        .unwrap();
    assert!(by_state.rows.iter().any(|r| r[0] == "Norway"
        && r[1] == chf(cents(&norway["invoiced"]))
        && r[3] == chf(cents(&norway["outstanding"]))));

    // The action plan: the demo's recorded 1.1, 20 of 31 in 2024 and 23 of 31 in 2025: the
    // 2026 report shows 2025 as last year.
    let plan = table(&doc, "Action plan indicators");
    let one_one = plan.rows.iter().find(|r| r[0] == "1.1").expect("1.1");
    assert_eq!(one_one[3], "74.2 %");

    // Sponsorship: the meetings starting in 2026, each with its applications.
    let meetings = table(&doc, "Sponsorship at the meetings of 2026");
    assert!(!meetings.rows.is_empty());
    let body = app
        .graphql_as(
            &token,
            "{ meetings(first: 50) { edges { node { title startsOn sponsorshipStats { applications approved } } } } }",
            json!({}),
        )
        .await;
    for edge in body["data"]["meetings"]["edges"].as_array().unwrap() {
        let m = &edge["node"];
        let in_2026 = m["startsOn"].as_str().unwrap().starts_with("2026");
        let row = meetings.rows.iter().find(|r| r[0] == m["title"]);
        assert_eq!(row.is_some(), in_2026, "{m}");
        if let Some(row) = row {
            let n = |v: &Value| count(v.as_u64().unwrap() as usize);
            assert_eq!(row[2], n(&m["sponsorshipStats"]["applications"]));
            assert_eq!(row[3], n(&m["sponsorshipStats"]["approved"]));
        }
    }

    // Charts: compliance, obligations, coverage, budget, contributions, and a balance chart
    // per sponsored meeting of the year (at most three).
    let balance = meetings.rows.iter().filter(|r| r[3] != "0").count().min(3);
    assert_eq!(figures_of(&doc), 5 + balance);
}

/// An annual report covering `year`, due on 30 April the year after, submitted `on`.
async fn submitted(app: &TestApp, code: &str, year: i32, on: &str) {
    let due = NaiveDate::from_ymd_opt(year + 1, 4, 30).unwrap();
    let day = NaiveDate::parse_from_str(on, "%Y-%m-%d").unwrap();
    let at = day.and_hms_opt(12, 0, 0).unwrap().and_utc();
    transparency_report::Entity::insert(transparency_report::ActiveModel {
        id: Set(Uuid::now_v7()),
        state_code: Set(code.into()),
        kind: Set(ReportKind::Annual),
        reporting_year: Set(year),
        status: Set(ReportStatus::Submitted),
        version: Set(1),
        due_date: Set(due),
        submitted_at: Set(Some(at)),
        on_time: Set(Some(day <= due)),
        published_at: Set(None),
        sections: Set("{}".into()),
        imported: Set(false),
        published_url: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
    })
    .exec(&app.db)
    .await
    .unwrap();
}

#[tokio::test]
async fn the_annual_report_covers_the_years_from_2010_to_this_one() {
    let app = spawn_app_with(|s| s.today = Some(today())).await;
    let c = configs();
    let (isu, _) = user_of(&app, "ISU_STAFF", None).await;
    for year in [2009, 2027, 1, -2026, i32::MAX] {
        let doc = annual::annual_report(context(&app, &c), &isu, year)
            .await
            .unwrap();
        assert!(doc.is_none(), "{year}");
    }
}

/// The annual report reads the same number of statements over the demo as over the demo
/// and thirty more States' reports, needs, offers, invoices and payments.
#[tokio::test]
async fn the_annual_reports_statements_do_not_grow_with_the_data() {
    let app = demo_app().await;
    let c = configs();
    let (isu, _) = user_of(&app, "ISU_STAFF", None).await;
    let cost = || async {
        let mut best = u64::MAX;
        for _ in 0..2 {
            let before = statements(&app).await;
            annual::annual_report(context(&app, &c), &isu, 2026)
                .await
                .unwrap()
                .expect("a report");
            best = best.min(statements(&app).await - before);
        }
        best
    };
    let demo = cost().await;
    more_data(&app, 30).await;
    let more = cost().await;
    eprintln!("annual report: {demo} statements over the demo, {more} with more data");
    assert_eq!(demo, more);
}

/// Reports covering 2025 (on time), needs, offers, invoices for 2025 and payments for 2026,
/// for `n` States parties that have none of them in the demo.
async fn more_data(app: &TestApp, n: usize) {
    let reporting: Vec<String> = transparency_report::Entity::find()
        .filter(transparency_report::Column::ReportingYear.eq(2025))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.state_code)
        .collect();
    let states: Vec<state::Model> = state::Entity::find()
        .filter(state::Column::Status.eq(StateStatus::StateParty))
        .order_by_asc(state::Column::Code)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|s| !reporting.contains(&s.code))
        .take(n)
        .collect();
    assert_eq!(
        states.len(),
        n,
        "enough States parties without a 2025 report"
    );
    let at = NaiveDate::from_ymd_opt(2026, 4, 1)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
        .and_utc();
    let invoices_2026 = invoice::Entity::find()
        .filter(invoice::Column::Year.eq(2026))
        .all(&app.db)
        .await
        .unwrap();
    for s in &states {
        transparency_report::Entity::insert(transparency_report::ActiveModel {
            id: Set(Uuid::now_v7()),
            state_code: Set(s.code.clone()),
            kind: Set(ReportKind::Annual),
            reporting_year: Set(2025),
            status: Set(ReportStatus::Submitted),
            version: Set(1),
            due_date: Set(NaiveDate::from_ymd_opt(2026, 4, 30).unwrap()),
            submitted_at: Set(Some(at)),
            on_time: Set(Some(true)),
            published_at: Set(None),
            sections: Set("{}".into()),
            imported: Set(false),
            published_url: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
        })
        .exec(&app.db)
        .await
        .unwrap();
        assistance_need::Entity::insert(assistance_need::ActiveModel {
            id: Set(Uuid::now_v7()),
            state_code: Set(s.code.clone()),
            thematic_area: Set(ThematicArea::VictimAssistance),
            assistance_types: Set("TRAINING".into()),
            title: Set(format!("Rehabilitation in {}", s.name)),
            description: Set(None),
            amount_cents: Set(Some(1_000_000)),
            currency: Set(Some("CHF".into())),
            covered_cents: Set(0),
            period_start: Set(None),
            period_end: Set(None),
            status: Set(NeedStatus::Open),
            source_report_id: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
        })
        .exec(&app.db)
        .await
        .unwrap();
        assistance_offer::Entity::insert(assistance_offer::ActiveModel {
            id: Set(Uuid::now_v7()),
            provider_state_code: Set(Some(s.code.clone())),
            provider_organization: Set(None),
            thematic_areas: Set("CLEARANCE".into()),
            assistance_types: Set("EQUIPMENT".into()),
            title: Set(format!("Detectors from {}", s.name)),
            description: Set(None),
            amount_cents: Set(Some(2_000_000)),
            currency: Set(Some("CHF".into())),
            committed_cents: Set(0),
            target_regions: Set(String::new()),
            target_state_codes: Set(String::new()),
            period_start: Set(None),
            period_end: Set(None),
            status: Set(OfferStatus::Open),
            created_at: Set(at),
            updated_at: Set(at),
        })
        .exec(&app.db)
        .await
        .unwrap();
        invoice::Entity::insert(invoice::ActiveModel {
            id: Set(Uuid::now_v7()),
            year: Set(2025),
            state_code: Set(s.code.clone()),
            rate: Set("1".into()),
            amount_cents: Set(1_000_000),
            received_cents: Set(0),
            currency: Set("CHF".into()),
            issued_at: Set(at),
        })
        .exec(&app.db)
        .await
        .unwrap();
        if let Some(inv) = invoices_2026.iter().find(|i| i.state_code == s.code) {
            payment::Entity::insert(payment::ActiveModel {
                id: Set(Uuid::now_v7()),
                invoice_id: Set(inv.id),
                state_code: Set(s.code.clone()),
                year: Set(2026),
                amount_cents: Set(100),
                received_on: Set(NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()),
                recorded_by: Set(None),
                created_at: Set(at),
            })
            .exec(&app.db)
            .await
            .unwrap();
        }
    }
}

#[tokio::test]
async fn a_state_profile_holds_what_its_delegation_may_read_of_its_state() {
    let app = demo_app().await;
    let c = configs();
    let (isu, _) = user_of(&app, "ISU_STAFF", None).await;
    let (lao, _) = user_of(&app, "DELEGATION", Some("LAO")).await;
    // A draft of Lao's, which its delegation and the ISU read, and an offer Lao makes.
    let at = today().and_hms_opt(9, 0, 0).unwrap().and_utc();
    transparency_report::Entity::insert(transparency_report::ActiveModel {
        id: Set(Uuid::now_v7()),
        state_code: Set("LAO".into()),
        kind: Set(ReportKind::Annual),
        reporting_year: Set(2026),
        status: Set(ReportStatus::Draft),
        version: Set(1),
        due_date: Set(NaiveDate::from_ymd_opt(2027, 4, 30).unwrap()),
        submitted_at: Set(None),
        on_time: Set(None),
        published_at: Set(None),
        sections: Set("{}".into()),
        imported: Set(false),
        published_url: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
    })
    .exec(&app.db)
    .await
    .unwrap();

    for viewer in [&isu, &lao] {
        let doc = profile::state_profile(context(&app, &c), viewer, "lao")
            .await
            .unwrap()
            .expect("Lao's profile");
        assert_eq!(doc.title, "Lao People's Democratic Republic: State profile");
        assert_eq!(fact(&doc, "Status"), "State party");
        assert_eq!(fact(&doc, "Signature"), "3 December 2008");
        assert_eq!(fact(&doc, "Ratification"), "18 March 2009");
        // Deposited before the thirtieth instrument: in force with the Convention.
        assert_eq!(fact(&doc, "Entry into force"), "1 August 2010");

        let obligations = table(&doc, "Obligations");
        assert!(
            obligations
                .rows
                .iter()
                .any(|r| r[0] == "Clearance (Article 4)" && r[2] == "1 August 2020")
        );

        let reports = transparency_report::Entity::find()
            .filter(transparency_report::Column::StateCode.eq("LAO"))
            .all(&app.db)
            .await
            .unwrap();
        let filed = table(&doc, "Article 7 reports filed");
        assert_eq!(filed.rows.len(), reports.len());
        assert!(
            filed
                .rows
                .iter()
                .any(|r| r[0] == "2026" && r[2] == "Draft" && r[4] == "–")
        );

        let needs = assistance_need::Entity::find()
            .filter(assistance_need::Column::StateCode.eq("LAO"))
            .all(&app.db)
            .await
            .unwrap();
        assert!(!needs.is_empty(), "the demo's Lao has needs");
        assert_eq!(fact(&doc, "Needs declared"), count(needs.len()));
        let listed = table(&doc, "Needs for assistance");
        for n in &needs {
            assert!(listed.rows.iter().any(|r| r[0] == n.title), "{}", n.title);
        }

        let applications = entity::sponsorship_application::Entity::find()
            .filter(entity::sponsorship_application::Column::StateCode.eq("LAO"))
            .all(&app.db)
            .await
            .unwrap();
        let sponsored = table(&doc, "Sponsorship applications by meeting");
        let applied: usize = sponsored
            .rows
            .iter()
            .map(|r| r[2].parse::<usize>().unwrap())
            .sum();
        assert_eq!(applied, applications.len());
        let approved: i64 = applications
            .iter()
            .filter_map(|a| {
                a.approved_cents
                    .filter(|_| a.status == entity::enums::ApplicationStatus::Approved)
            })
            .sum();
        let shown: i64 = sponsored
            .rows
            .iter()
            .map(|r| cents(r[4].trim_start_matches("CHF ").replace(',', "").as_str()))
            .sum();
        assert_eq!(shown, approved);
    }

    // Another delegation reads none of Lao's unpublished reports through the profile.
    let (khm, _) = user_of(&app, "DELEGATION", Some("BIH")).await;
    let doc = profile::state_profile(context(&app, &c), &khm, "LAO")
        .await
        .unwrap()
        .unwrap();
    assert!(
        table(&doc, "Article 7 reports filed")
            .rows
            .iter()
            .all(|r| r[2] == "Published")
    );

    // Unknown and malformed codes: no profile.
    for code in ["XYZ", "LA0", "LAOS", "", "la"] {
        let doc = profile::state_profile(context(&app, &c), &isu, code)
            .await
            .unwrap();
        assert!(doc.is_none(), "{code}");
    }
}

#[tokio::test]
async fn a_state_profile_costs_the_same_statements_for_a_busy_and_a_quiet_state() {
    let app = demo_app().await;
    let c = configs();
    let (isu, _) = user_of(&app, "ISU_STAFF", None).await;
    let mut cost = Vec::new();
    for code in ["LAO", "NOR", "ISL"] {
        let before = statements(&app).await;
        profile::state_profile(context(&app, &c), &isu, code)
            .await
            .unwrap()
            .expect("a profile");
        cost.push(statements(&app).await - before);
    }
    eprintln!("state profile: {cost:?} statements");
    assert!(cost.iter().all(|n| *n == cost[0]), "{cost:?}");
}

#[tokio::test]
async fn the_progress_report_shows_each_indicator_this_year_and_last() {
    let app = demo_app().await;
    let c = configs();
    let (lao, token) = user_of(&app, "DELEGATION", Some("LAO")).await;
    let plan = plan_key(&demo_plan(&app, &token).await);
    let before = statements(&app).await;
    let doc = progress::progress_report(context(&app, &c), &lao, plan, 2025)
        .await
        .unwrap()
        .expect("the 2025 report");
    eprintln!(
        "progress report: {} statements, {} charts",
        statements(&app).await - before,
        figures_of(&doc)
    );
    // 1.1 recorded: 20 of 31 in 2024, 23 of 31 in 2025; 19.2 a count, 61 then 58.
    let mut seen = 0;
    for s in sections(&doc) {
        for b in &s.blocks {
            if let Block::Table(t) = b {
                assert_eq!(t.columns[3].title, "2024");
                assert_eq!(t.columns[4].title, "2025");
                for r in &t.rows {
                    if r[0] == "1.1" {
                        assert_eq!(r[3..6], ["64.5 %", "74.2 %", "+9.7 %"]);
                        seen += 1;
                    }
                    if r[0] == "19.2" {
                        assert_eq!(r[3..6], ["61", "58", "-3"]);
                        seen += 1;
                    }
                }
            }
        }
    }
    assert_eq!(seen, 2);
    assert!(figures_of(&doc) >= 2 && figures_of(&doc) <= progress::MAX_INDICATOR_CHARTS);
    // The charts are read together: charting more indicators costs no statement each.
    let mut costs = Vec::new();
    for year in [2021, 2022, 2023, 2024, 2025, 2026] {
        let before = statements(&app).await;
        let doc = progress::progress_report(context(&app, &c), &lao, plan, year)
            .await
            .unwrap()
            .expect("a report");
        costs.push((statements(&app).await - before, figures_of(&doc)));
    }
    eprintln!("progress report (statements, charts) for 2021 to 2026: {costs:?}");
    let (first, last) = (costs[0], costs[4]);
    assert!(first.1 < last.1, "2021 charts fewer indicators: {costs:?}");
    assert!(
        last.0 - first.0 < (last.1 - first.1) as u64,
        "more charts cost no statement each: {costs:?}"
    );
    assert!(costs[1..].iter().all(|c| c.0 == last.0), "{costs:?}");
    // Years outside the plan, and a plan that does not exist.
    for year in [2020, 2027] {
        assert!(
            progress::progress_report(context(&app, &c), &lao, plan, year)
                .await
                .unwrap()
                .is_none()
        );
    }
    assert!(
        progress::progress_report(context(&app, &c), &lao, Uuid::now_v7(), 2025)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn reports_as_pdf_and_html_hold_the_figures_a_contents_and_no_outside_request() {
    let app = demo_app().await;
    let (_, token) = user_of(&app, "ISU_STAFF", None).await;
    let plan = demo_plan(&app, &token).await;
    let contributions = csv_rows(&app, &token, "/exports/contributions/2026.csv").await;
    let invoiced: i64 = contributions.iter().map(|r| cents(&r["invoiced"])).sum();
    let cases = [
        (
            "/reports/annual/2026".to_owned(),
            vec![
                "Annual report of the Implementation Support Unit, 2026".to_owned(),
                "Contributions, invoices and payments".to_owned(),
                "Working Capital Reserve".to_owned(),
                chf(invoiced),
                "Norway".to_owned(),
                "30 April 2026".to_owned(),
            ],
        ),
        (
            format!("/reports/action-plans/{plan}/2025"),
            vec![
                "progress report 2025".to_owned(),
                "74.2 %".to_owned(),
                "+9.7 %".to_owned(),
            ],
        ),
        (
            "/reports/states/LAO".to_owned(),
            vec![
                "State profile".to_owned(),
                "Entry into force".to_owned(),
                "1 August 2010".to_owned(),
                "Sponsorship received".to_owned(),
            ],
        ),
    ];
    for (path, wanted) in cases {
        let resp = get(&app, &format!("{path}.pdf"), Some(&token)).await;
        assert_eq!(resp.status().as_u16(), 200, "{path}.pdf");
        assert_eq!(resp.headers()["content-type"], "application/pdf");
        let disposition = resp.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            disposition.starts_with("inline; filename=\""),
            "{disposition}"
        );
        assert!(resp.headers().contains_key("etag"));
        let text = pdf_text(&resp.bytes().await.unwrap());
        assert!(text.contains("Page 1 of"), "{path}: {text}");
        assert!(
            text.contains(&figures::long_date(today())),
            "{path}: issued on"
        );
        for w in &wanted {
            assert!(text.contains(w.as_str()), "{path}.pdf lacks {w:?}: {text}");
        }

        let resp = get(&app, &format!("{path}.html"), Some(&token)).await;
        assert_eq!(resp.status().as_u16(), 200, "{path}.html");
        assert_eq!(resp.headers()["content-type"], "text/html; charset=utf-8");
        assert_eq!(
            resp.headers()["content-security-policy"],
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
        );
        assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
        let html = resp.text().await.unwrap();
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "{path}: a host"
        );
        let text = html_text(&html);
        for w in &wanted {
            assert!(text.contains(w.as_str()), "{path}.html lacks {w:?}");
        }
        assert!(html.contains("<nav"), "{path}: a table of contents");
    }

    // Conditional requests: the same report is the same bytes, so its tag answers 304.
    for path in ["/reports/annual/2026.pdf", "/reports/states/LAO.html"] {
        let first = get(&app, path, Some(&token)).await;
        assert_eq!(first.headers()["cache-control"], "private, max-age=300");
        let tag = first.headers()["etag"].to_str().unwrap().to_owned();
        let again = app
            .client
            .get(format!("{}{path}", app.base))
            .bearer_auth(&token)
            .header("if-none-match", &tag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status().as_u16(), 304, "{path}");
    }

    // The annual report's charts are inline, its contents list its sections, its facts read
    // as the document has them.
    let html = get(&app, "/reports/annual/2026.html", Some(&token))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.matches("<svg").count() >= 5, "the charts inline");
    let text = pdf_text(
        &get(&app, "/reports/annual/2026.pdf", Some(&token))
            .await
            .bytes()
            .await
            .unwrap(),
    );
    let contents = text.find("Article 7 reporting").unwrap();
    let body = text.rfind("Article 7 reporting").unwrap();
    assert!(
        contents < body,
        "the contents list the first section before it begins"
    );
    assert!(html_text(&html).contains(&format!("Invoices issued {}", count(contributions.len()))));
}

#[tokio::test]
async fn who_may_read_which_report() {
    let app = demo_app().await;
    let (_, isu) = user_of(&app, "ISU_STAFF", None).await;
    let (_, lao) = user_of(&app, "DELEGATION", Some("LAO")).await;
    let coordinator = app.coordinator_token(&["CLEARANCE"]).await;
    let plan = demo_plan(&app, &isu).await;
    let progress = format!("/reports/action-plans/{plan}/2026.html");
    let cases: [(&str, Option<&str>, u16); 11] = [
        ("/reports/annual/2026.html", Some(&isu), 200),
        ("/reports/annual/2026.html", Some(&lao), 403),
        ("/reports/annual/2026.html", Some(&coordinator), 403),
        ("/reports/annual/2026.html", None, 401),
        (&progress, Some(&lao), 200),
        (&progress, Some(&coordinator), 200),
        (&progress, None, 401),
        ("/reports/states/LAO.html", Some(&lao), 200),
        ("/reports/states/lao.html", Some(&lao), 200),
        ("/reports/states/BIH.html", Some(&lao), 403),
        ("/reports/states/LAO.html", None, 401),
    ];
    for (path, token, status) in cases {
        let resp = get(&app, path, token).await;
        assert_eq!(resp.status().as_u16(), status, "{path} {token:?}");
        if status != 200 {
            let body: Value = resp.json().await.unwrap();
            let code = body["errors"][0]["extensions"]["code"].as_str().unwrap();
            assert_eq!(
                code,
                match status {
                    401 => "UNAUTHENTICATED",
                    _ => "FORBIDDEN",
                },
                "{path}"
            );
        }
    }
    // ISU staff read every State's profile.
    let resp = get(&app, "/reports/states/BIH.html", Some(&isu)).await;
    assert_eq!(resp.status().as_u16(), 200);
    // A token that does not authenticate is refused as such.
    let resp = get(&app, "/reports/states/LAO.pdf", Some("not-a-token")).await;
    assert_eq!(resp.status().as_u16(), 401);
}

#[tokio::test]
async fn paths_that_name_no_report_are_404_with_a_plain_message() {
    let app = spawn_app_with(|s| s.today = Some(today())).await;
    let (_, isu) = user_of(&app, "ISU_STAFF", None).await;
    let plan = app
        .graphql_as(
            &isu,
            "mutation($i: CreateActionPlanInput!) { createActionPlan(input: $i) { actionPlan { id } } }",
            json!({"i": {"title": "Lausanne Action Plan", "firstYear": 2021, "lastYear": 2026}}),
        )
        .await["data"]["createActionPlan"]["actionPlan"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let meeting_like = ccm_isu::api::ids::encode("Meeting", Uuid::now_v7()).0;
    let unknown_plan = ccm_isu::api::ids::encode("ActionPlan", Uuid::now_v7()).0;
    let paths = [
        "/reports/annual/2009.pdf".to_owned(),
        "/reports/annual/2027.pdf".to_owned(),
        "/reports/annual/26.pdf".to_owned(),
        "/reports/annual/02026.pdf".to_owned(),
        "/reports/annual/2026.docx".to_owned(),
        "/reports/annual/2026".to_owned(),
        "/reports/annual/2026.PDF".to_owned(),
        format!("/reports/action-plans/{plan}/2020.pdf"),
        format!("/reports/action-plans/{plan}/2027.html"),
        format!("/reports/action-plans/{plan}/2025.txt"),
        format!("/reports/action-plans/{unknown_plan}/2025.pdf"),
        format!("/reports/action-plans/{meeting_like}/2025.pdf"),
        "/reports/action-plans/not-an-id/2025.pdf".to_owned(),
        "/reports/states/XYZ.pdf".to_owned(),
        "/reports/states/LA0.pdf".to_owned(),
        "/reports/states/LAOS.html".to_owned(),
        "/reports/states/LAO.svg".to_owned(),
    ];
    for path in paths {
        let resp = get(&app, &path, Some(&isu)).await;
        assert_eq!(resp.status().as_u16(), 404, "{path}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "NOT_FOUND",
            "{path}"
        );
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("Ask for /reports/"), "{path}: {message}");
    }
}

/// Twelve PDFs asked for at once: the gate renders two at a time; each request is answered
/// with the PDF or with 503 and `Retry-After`, never a fault.
#[tokio::test]
async fn a_flood_of_report_requests_is_served_or_told_to_retry() {
    let app = demo_app().await;
    let (_, token) = user_of(&app, "ISU_STAFF", None).await;
    let requests = (0..12).map(|i| {
        let path = if i % 2 == 0 {
            "/reports/annual/2026.pdf"
        } else {
            "/reports/states/LAO.pdf"
        };
        let req = app
            .client
            .get(format!("{}{path}", app.base))
            .bearer_auth(&token)
            .send();
        async move { req.await.unwrap() }
    });
    let answers = futures_util::future::join_all(requests).await;
    let mut served = 0;
    for resp in answers {
        match resp.status().as_u16() {
            200 => {
                assert!(resp.bytes().await.unwrap().starts_with(b"%PDF-"));
                served += 1;
            }
            503 => {
                let retry = resp.headers()["retry-after"].to_str().unwrap().to_owned();
                assert!(retry.parse::<u64>().unwrap() > 0, "{retry}");
                let body: Value = resp.json().await.unwrap();
                assert_eq!(
                    body["errors"][0]["extensions"]["code"],
                    "SERVICE_UNAVAILABLE"
                );
            }
            other => panic!("{other}: {}", resp.text().await.unwrap()),
        }
    }
    assert!(served >= 1, "at least one served");
}
