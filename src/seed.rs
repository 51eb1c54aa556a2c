//! Data loading from the command line: the States registry and a demo data set.
//!
//! The demo data is for training and demonstrations: every account it creates has an email
//! under `demo.invalid` (a domain that cannot exist), so it is never mistaken for real
//! data. Each domain adds its part to [`demo`].

use entity::enums::{ThematicArea, UserRole};
use sea_orm::DatabaseConnection;

use chrono::NaiveDate;

use crate::domain::states::registry::{self, LoadReport};
use crate::domain::states::service::{NewExtension, StateUpdate, add_extension, apply_update};
use crate::domain::users::service::{NewUser, create_user};
use crate::kernel::error::ServiceError;
use crate::rules::obligations::ObligationKind;

/// Loads (or reloads and updates) the registry from the embedded `data/states.csv`, or from
/// another file in the same format.
pub async fn states(
    db: &DatabaseConnection,
    csv_text: Option<&str>,
) -> Result<LoadReport, ServiceError> {
    let rows = registry::parse(csv_text.unwrap_or(registry::EMBEDDED_CSV))
        .map_err(ServiceError::Internal)?;
    registry::load(db, &rows).await
}

/// The demo accounts: one per role that is not the administrator.
pub fn demo_users(password: &str) -> Vec<NewUser> {
    let user = |email: &str, role, state: Option<&str>, areas: Vec<ThematicArea>| NewUser {
        email: email.to_owned(),
        password: password.to_owned(),
        role,
        state_code: state.map(str::to_owned),
        thematic_areas: areas,
    };
    vec![
        user("isu.staff@demo.invalid", UserRole::IsuStaff, None, vec![]),
        user(
            "delegation.lao@demo.invalid",
            UserRole::Delegation,
            Some("LAO"),
            vec![],
        ),
        user(
            "delegation.irq@demo.invalid",
            UserRole::Delegation,
            Some("IRQ"),
            vec![],
        ),
        user(
            "coordinator.clearance@demo.invalid",
            UserRole::Coordinator,
            None,
            vec![
                ThematicArea::Clearance,
                ThematicArea::RiskReductionEducation,
            ],
        ),
    ]
}

#[derive(Debug, Default)]
pub struct DemoReport {
    pub users_created: Vec<String>,
    pub users_present: Vec<String>,
    pub extensions_recorded: usize,
    pub states_updated: usize,
    pub reports_created: usize,
    pub needs_created: usize,
    pub offers_created: usize,
    pub meetings_created: usize,
    pub applications_created: usize,
    pub workplans_created: usize,
    pub invoices_issued: usize,
}

/// Needs and offers of the kinds States declare in their reports and extension requests,
/// with amounts in CHF, EUR and USD, and the exchange rates to compare them. Titles start
/// with "DEMO" so nobody takes them for real declarations.
async fn demo_cooperation(
    db: &DatabaseConnection,
    report: &mut DemoReport,
) -> Result<(), ServiceError> {
    use entity::enums::{AssistanceType as T, RegionalGroup as R, ThematicArea as A};
    use entity::{assistance_need, assistance_offer, exchange_rate};
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
    for (currency, rate) in [("USD", "0.8800"), ("EUR", "0.9400")] {
        let exists = exchange_rate::Entity::find()
            .filter(exchange_rate::Column::Currency.eq(currency))
            .count(db)
            .await?
            > 0;
        if !exists {
            exchange_rate::ActiveModel {
                id: Set(uuid::Uuid::now_v7()),
                currency: Set(currency.into()),
                rate_to_base: Set(rate.into()),
                valid_from: Set(d(2024, 1, 1)),
                created_at: Set(crate::kernel::clock::now()),
            }
            .insert(db)
            .await?;
        }
    }
    let money = |amount: &str, currency: &str| -> Option<crate::kernel::money::Money> {
        Some(crate::kernel::money::Money::new(
            amount.parse().unwrap_or_default(),
            currency,
        ))
    };
    let needs = [
        (
            "LAO",
            A::Clearance,
            vec![T::Financial, T::Equipment],
            "DEMO Survey and clearance of cluster munition remnants in Xieng Khouang",
            money("2500000", "USD"),
        ),
        (
            "LAO",
            A::VictimAssistance,
            vec![T::Financial, T::Training],
            "DEMO Rehabilitation services for survivors in Savannakhet",
            money("400000", "USD"),
        ),
        (
            "IRQ",
            A::Clearance,
            vec![T::TechnicalExpertise, T::Equipment],
            "DEMO Non-technical survey in Basra governorate",
            money("1200000", "EUR"),
        ),
        (
            "AFG",
            A::RiskReductionEducation,
            vec![T::Training],
            "DEMO Risk education in schools of Kandahar",
            money("150000", "CHF"),
        ),
        (
            "TCD",
            A::NationalImplementation,
            vec![T::TechnicalExpertise],
            "DEMO Drafting national implementation legislation",
            None,
        ),
    ];
    let offers = [
        (
            Some("CHE"),
            None,
            vec![A::Clearance, A::RiskReductionEducation],
            vec![T::Financial, T::TechnicalExpertise],
            "DEMO Swiss support to land release",
            money("1500000", "CHF"),
            vec![R::AsiaPacific],
        ),
        (
            Some("DEU"),
            None,
            vec![A::Clearance],
            vec![T::Financial, T::Equipment],
            "DEMO German funding of clearance equipment",
            money("1000000", "EUR"),
            vec![],
        ),
        (
            None,
            Some("ICRC"),
            vec![A::VictimAssistance],
            vec![T::Training, T::TechnicalExpertise],
            "DEMO Physical rehabilitation training",
            money("300000", "CHF"),
            vec![],
        ),
        (
            Some("NZL"),
            None,
            vec![A::NationalImplementation, A::TransparencyReporting],
            vec![T::TechnicalExpertise],
            "DEMO Legal drafting support",
            None,
            vec![R::AsiaPacific, R::Africa],
        ),
    ];
    for (code, area, types, title, amount) in needs {
        let exists = assistance_need::Entity::find()
            .filter(assistance_need::Column::Title.eq(title))
            .count(db)
            .await?
            > 0;
        if exists {
            continue;
        }
        let txn = sea_orm::TransactionTrait::begin(db).await?;
        let t = crate::kernel::clock::now();
        let (cents, currency) = amount
            .map(|m| {
                (
                    (m.amount * rust_decimal::Decimal::from(100))
                        .trunc()
                        .mantissa() as i64,
                    m.currency,
                )
            })
            .unzip();
        let need = assistance_need::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            state_code: Set(code.into()),
            thematic_area: Set(area),
            assistance_types: Set(entity::enums::join_values(&types)),
            title: Set(title.into()),
            description: Set(Some("DEMO DATA, not a real declaration.".into())),
            amount_cents: Set(cents),
            currency: Set(currency),
            covered_cents: Set(0),
            period_start: Set(Some(d(2026, 1, 1))),
            period_end: Set(Some(d(2027, 12, 31))),
            status: Set(entity::enums::NeedStatus::Open),
            source_report_id: Set(None),
            created_at: Set(t),
            updated_at: Set(t),
        }
        .insert(&txn)
        .await?;
        crate::kernel::uow::record(
            &txn,
            crate::kernel::uow::Change {
                actor: None,
                action: "seedDemo",
                entity_type: "AssistanceNeed",
                entity_id: need.id.to_string(),
                before: None,
                after: Some(crate::domain::cooperation::service::need_json(&need)),
            },
        )
        .await?;
        txn.commit().await?;
        report.needs_created += 1;
    }
    for (state, org, areas, types, title, amount, regions) in offers {
        let exists = assistance_offer::Entity::find()
            .filter(assistance_offer::Column::Title.eq(title))
            .count(db)
            .await?
            > 0;
        if exists {
            continue;
        }
        let txn = sea_orm::TransactionTrait::begin(db).await?;
        let t = crate::kernel::clock::now();
        let (cents, currency) = amount
            .map(|m| {
                (
                    (m.amount * rust_decimal::Decimal::from(100))
                        .trunc()
                        .mantissa() as i64,
                    m.currency,
                )
            })
            .unzip();
        let offer = assistance_offer::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            provider_state_code: Set(state.map(str::to_owned)),
            provider_organization: Set(org.map(str::to_owned)),
            thematic_areas: Set(entity::enums::join_values(&areas)),
            assistance_types: Set(entity::enums::join_values(&types)),
            title: Set(title.into()),
            description: Set(Some("DEMO DATA, not a real pledge.".into())),
            amount_cents: Set(cents),
            currency: Set(currency),
            committed_cents: Set(0),
            target_regions: Set(entity::enums::join_values(&regions)),
            target_state_codes: Set(String::new()),
            period_start: Set(Some(d(2026, 1, 1))),
            period_end: Set(None),
            status: Set(entity::enums::OfferStatus::Open),
            created_at: Set(t),
            updated_at: Set(t),
        }
        .insert(&txn)
        .await?;
        crate::kernel::uow::record(
            &txn,
            crate::kernel::uow::Change {
                actor: None,
                action: "seedDemo",
                entity_type: "AssistanceOffer",
                entity_id: offer.id.to_string(),
                before: None,
                after: Some(crate::domain::cooperation::service::offer_json(&offer)),
            },
        )
        .await?;
        txn.commit().await?;
        report.offers_created += 1;
    }
    Ok(())
}

/// Several years of annual reports for a few States: on time, late (days after 30 April)
/// and missing (None). Every report says it is demo data in its first section.
fn demo_report_plan() -> Vec<(&'static str, i32, Option<i64>)> {
    let mut plan = Vec::new();
    for (code, delays) in [
        ("LAO", [Some(-20), Some(-5), Some(12), Some(-1)]),
        ("IRQ", [Some(40), None, Some(95), None]),
        ("CHE", [Some(-30), Some(-28), Some(-31), Some(-25)]),
        ("AFG", [None, None, Some(200), Some(3)]),
        ("DEU", [Some(-10), Some(-12), Some(-9), Some(-14)]),
    ] {
        for (i, delay) in delays.into_iter().enumerate() {
            plan.push((code, 2021 + i as i32, delay));
        }
    }
    plan
}

async fn demo_reports(
    db: &DatabaseConnection,
    report: &mut DemoReport,
) -> Result<(), ServiceError> {
    use entity::enums::{ReportKind, ReportStatus};
    use entity::transparency_report;
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

    for (code, year, delay) in demo_report_plan() {
        let Some(days) = delay else { continue };
        let exists = transparency_report::Entity::find()
            .filter(transparency_report::Column::StateCode.eq(code))
            .filter(transparency_report::Column::Kind.eq(ReportKind::Annual))
            .filter(transparency_report::Column::ReportingYear.eq(year))
            .count(db)
            .await?
            > 0;
        if exists {
            continue;
        }
        let due = NaiveDate::from_ymd_opt(year + 1, 4, 30).unwrap_or_default();
        let submitted_on = due + chrono::Duration::days(days);
        let submitted_at = submitted_on
            .and_hms_opt(9, 30, 0)
            .unwrap_or_default()
            .and_utc();
        let sections = crate::domain::reports::sections::Sections {
            national_implementation_measures: Some(format!(
                "DEMO DATA, not an official report: {code} annual report covering {year}."
            )),
            national_contact: Some("DEMO national contact point".into()),
            ..Default::default()
        };
        let published = days < 60;
        let row = transparency_report::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            state_code: Set(code.to_owned()),
            kind: Set(ReportKind::Annual),
            reporting_year: Set(year),
            status: Set(if published {
                ReportStatus::Published
            } else {
                ReportStatus::Submitted
            }),
            version: Set(2),
            due_date: Set(due),
            submitted_at: Set(Some(submitted_at)),
            on_time: Set(Some(submitted_on <= due)),
            published_at: Set(published.then(|| submitted_at + chrono::Duration::days(14))),
            sections: Set(sections.to_json()),
            created_at: Set(submitted_at - chrono::Duration::days(30)),
            updated_at: Set(submitted_at),
        };
        let txn = sea_orm::TransactionTrait::begin(db).await?;
        let created = row.insert(&txn).await?;
        crate::kernel::uow::record(
            &txn,
            crate::kernel::uow::Change {
                actor: None,
                action: "seedDemo",
                entity_type: "TransparencyReport",
                entity_id: created.id.to_string(),
                before: None,
                after: Some(crate::domain::reports::service::audit_json(&created)),
            },
        )
        .await?;
        txn.commit().await?;
        report.reports_created += 1;
    }
    Ok(())
}

/// Illustrative Article 4 extensions: `grantedAt` starts with "DEMO" so nobody takes them
/// for the Convention's record.
fn demo_extensions() -> Vec<NewExtension> {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
    let ext = |code: &str, deadline, granted, at: &str| NewExtension {
        state_code: code.to_owned(),
        kind: ObligationKind::Clearance,
        new_deadline: deadline,
        granted_on: granted,
        granted_at: Some(format!("DEMO {at}")),
    };
    vec![
        ext("LAO", d(2025, 8, 1), d(2019, 9, 4), "9MSP"),
        ext("DEU", d(2025, 8, 1), d(2019, 9, 4), "9MSP"),
        ext("CHL", d(2026, 6, 1), d(2020, 11, 25), "2RC"),
        ext("LAO", d(2030, 8, 1), d(2024, 9, 11), "12MSP"),
    ]
}

/// The States part of the demo: extensions, and a recorded stockpile holding and
/// completion so that every obligation kind shows.
async fn demo_states(db: &DatabaseConnection, report: &mut DemoReport) -> Result<(), ServiceError> {
    let today = chrono::Utc::now().date_naive();
    for e in demo_extensions() {
        let existing = crate::domain::states::obligations::extensions_of(db, &e.state_code).await?;
        if existing.iter().any(|x| x.new_deadline == e.new_deadline) {
            continue;
        }
        add_extension(db, None, "seedDemo", e, today).await?;
        report.extensions_recorded += 1;
    }
    let updates = [
        StateUpdate {
            code: "IRQ".into(),
            holds_stockpiles: Some(true),
            has_victims: Some(true),
            ..Default::default()
        },
        StateUpdate {
            code: "LAO".into(),
            has_victims: Some(true),
            ..Default::default()
        },
        StateUpdate {
            code: "MRT".into(),
            clearance_completed_on: crate::domain::states::service::Patch::Set(
                NaiveDate::from_ymd_opt(2024, 11, 30).unwrap_or_default(),
            ),
            ..Default::default()
        },
    ];
    for u in updates {
        let before = crate::domain::states::service::by_code(db, &u.code).await?;
        let after = apply_update(db, None, "seedDemo", u, today).await?;
        if before.as_ref() != Some(&after) {
            report.states_updated += 1;
        }
    }
    Ok(())
}

/// Loads the demo data set; accounts already there are left as they are.
pub async fn demo(db: &DatabaseConnection, password: &str) -> Result<DemoReport, ServiceError> {
    let mut report = DemoReport::default();
    for u in demo_users(password) {
        let email = u.email.clone();
        match create_user(db, None, "seedDemo", u).await {
            Ok(_) => report.users_created.push(email),
            Err(ServiceError::Refused(r))
                if r.iter()
                    .all(|r| r.code == crate::kernel::error::Code::AlreadyExists) =>
            {
                report.users_present.push(email);
            }
            Err(e) => return Err(e),
        }
    }
    demo_states(db, &mut report).await?;
    demo_reports(db, &mut report).await?;
    demo_cooperation(db, &mut report).await?;
    demo_sponsorship(db, &mut report).await?;
    demo_budget(db, &mut report).await?;
    Ok(report)
}

/// A demo budget line: category, description, CHF, the activity it funds (by index), and
/// what was spent in which month (CHF).
type DemoLine = (
    entity::enums::BudgetCategory,
    &'static str,
    i64,
    Option<usize>,
    &'static [(u32, i64)],
);

/// The year of the demo workplan.
pub const DEMO_WORKPLAN_YEAR: i32 = 2026;

/// A results-based ISU work plan of CHF 600 000 for 2026, adopted, with activities tied to
/// Lausanne Action Plan actions, spending through the year, invoices shared equally across
/// the States parties in force, and some payments. Titles say DEMO.
async fn demo_budget(db: &DatabaseConnection, report: &mut DemoReport) -> Result<(), ServiceError> {
    use entity::enums::{BudgetCategory as C, WorkplanStatus};
    use entity::{budget_line, expenditure, invoice, payment, workplan, workplan_activity};
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

    let year = DEMO_WORKPLAN_YEAR;
    let exists = workplan::Entity::find()
        .filter(workplan::Column::Year.eq(year))
        .count(db)
        .await?
        > 0;
    if exists {
        return Ok(());
    }
    let d = |m, day| NaiveDate::from_ymd_opt(year, m, day).unwrap_or_default();
    let at = |date: NaiveDate| date.and_hms_opt(10, 0, 0).unwrap_or_default().and_utc();
    let record = |entity_type: &'static str, id: uuid::Uuid, after: serde_json::Value| {
        crate::kernel::uow::Change {
            actor: None,
            action: "seedDemo",
            entity_type,
            entity_id: id.to_string(),
            before: None,
            after: Some(after),
        }
    };
    let txn = sea_orm::TransactionTrait::begin(db).await?;
    let adopted = at(NaiveDate::from_ymd_opt(year - 1, 9, 19).unwrap_or_default());
    let w = workplan::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        year: Set(year),
        title: Set(format!("DEMO ISU work plan and budget {year}")),
        currency: Set("CHF".into()),
        status: Set(WorkplanStatus::Approved),
        version: Set(23),
        created_at: Set(adopted - chrono::Duration::days(120)),
        updated_at: Set(adopted),
    }
    .insert(&txn)
    .await?;
    crate::kernel::uow::record(
        &txn,
        record(
            "Workplan",
            w.id,
            crate::domain::budget::service::workplan_json(&w),
        ),
    )
    .await?;
    let activities = [
        (
            "Support Article 7 transparency reporting",
            "States parties submit complete initial and annual reports on time",
            "Share of annual reports received by 30 April",
            "80 %",
            Some("LAP action 44"),
        ),
        (
            "Support clearance and Article 4 extension requests",
            "Extension requests are complete and analysed before the meeting that decides them",
            "Requests analysed 9 months before the meeting",
            "All requests",
            Some("LAP action 22"),
        ),
        (
            "Support victim assistance",
            "National focal points apply the victim assistance guidance",
            "Focal points trained",
            "15",
            Some("LAP action 33"),
        ),
        (
            "Universalization outreach",
            "Signatories and States not party engage with the Convention",
            "Bilateral meetings held",
            "20",
            Some("LAP action 2"),
        ),
        (
            "Cooperation and assistance clearing house",
            "Declared needs are matched with offers",
            "Needs with an agreed proposal",
            "40 %",
            Some("LAP action 40"),
        ),
        (
            "Third Review Conference",
            "The Third Review Conference adopts the next action plan",
            "Conference documents issued on time",
            "All",
            None,
        ),
    ];
    let mut ids = Vec::new();
    for (title, output, indicator, target, reference) in activities {
        let a = workplan_activity::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            workplan_id: Set(w.id),
            title: Set(format!("DEMO {title}")),
            output: Set(output.into()),
            indicator: Set(Some(indicator.into())),
            target: Set(Some(target.into())),
            action_plan_reference: Set(reference.map(str::to_owned)),
            created_at: Set(w.created_at),
        }
        .insert(&txn)
        .await?;
        ids.push(a.id);
    }
    // (category, description, CHF, activity index, spent so far in CHF by month)
    let lines: [DemoLine; 10] = [
        (
            C::Staff,
            "Director",
            180_000,
            None,
            &[
                (1, 15_000),
                (2, 15_000),
                (3, 15_000),
                (4, 15_000),
                (5, 15_000),
                (6, 15_000),
                (7, 15_000),
                (8, 15_000),
                (9, 15_000),
                (10, 15_000),
                (11, 15_000),
            ],
        ),
        (
            C::Staff,
            "Implementation Support Officer",
            135_000,
            Some(0),
            &[
                (1, 11_250),
                (2, 11_250),
                (3, 11_250),
                (4, 11_250),
                (5, 11_250),
                (6, 11_250),
                (7, 11_250),
                (8, 11_250),
                (9, 11_250),
                (10, 11_250),
                (11, 11_250),
            ],
        ),
        (
            C::Staff,
            "Administrative assistant (50 %)",
            45_000,
            None,
            &[(3, 11_250), (6, 11_250), (9, 11_250)],
        ),
        (
            C::Travel,
            "Country visits and regional workshops",
            40_000,
            Some(3),
            &[(2, 4_200), (5, 6_850), (9, 12_400)],
        ),
        (
            C::Meetings,
            "Third Review Conference logistics",
            60_000,
            Some(5),
            &[(8, 18_000), (9, 31_500)],
        ),
        (
            C::Sponsorship,
            "ISU top-up of the Sponsorship Programme",
            25_000,
            Some(5),
            &[(9, 19_400)],
        ),
        (
            C::Communications,
            "Website, publications and translation",
            20_000,
            Some(0),
            &[(4, 3_900), (10, 5_100)],
        ),
        (
            C::Consultants,
            "Analysis of extension requests",
            35_000,
            Some(1),
            &[(3, 8_000), (6, 8_000)],
        ),
        (
            C::OperatingCosts,
            "Hosting services of the GICHD",
            50_000,
            None,
            &[(6, 25_000)],
        ),
        (C::Other, "Contingency", 10_000, Some(4), &[]),
    ];
    for (category, description, chf, activity, spending) in lines {
        let spent: i64 = spending.iter().map(|(_, a)| a * 100).sum();
        let l = budget_line::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            workplan_id: Set(w.id),
            activity_id: Set(activity.and_then(|i| ids.get(i).copied())),
            category: Set(category),
            description: Set(format!("DEMO {description}")),
            amount_cents: Set(chf * 100),
            spent_cents: Set(spent),
            created_at: Set(w.created_at),
        }
        .insert(&txn)
        .await?;
        for (month, amount) in spending {
            let e = expenditure::ActiveModel {
                id: Set(uuid::Uuid::now_v7()),
                budget_line_id: Set(l.id),
                amount_cents: Set(amount * 100),
                spent_on: Set(d(*month, 25)),
                description: Set(format!("DEMO {description}, {year}-{month:02}")),
                recorded_by: Set(None),
                created_at: Set(at(d(*month, 25))),
            }
            .insert(&txn)
            .await?;
            crate::kernel::uow::record(&txn, record("Expenditure", e.id, serde_json::json!({"budgetLineId": l.id, "amountCents": e.amount_cents, "spentOn": e.spent_on}))).await?;
        }
    }
    // Invoices: CHF 480 000 in equal shares across the States parties in force.
    let states = entity::state::Entity::find()
        .filter(entity::state::Column::Status.is_in([
            entity::enums::StateStatus::StateParty,
            entity::enums::StateStatus::Withdrawn,
        ]))
        .all(&txn)
        .await?;
    let mut codes: Vec<String> = states
        .iter()
        .filter(|s| {
            crate::rules::sharing::in_force_during(
                s.deposit_date,
                s.withdrawal_effective_date,
                year,
            )
        })
        .map(|s| s.code.clone())
        .collect();
    codes.sort();
    let rates = crate::rules::sharing::equal_rates(&codes);
    let shares = crate::rules::sharing::share(48_000_000, &rates)
        .map_err(|e| ServiceError::Internal(format!("demo invoices: {e:?}")))?;
    let paying = [
        "AUS", "AUT", "BEL", "CAN", "CHE", "DEU", "DNK", "ESP", "FRA", "GBR", "IRL", "ITA", "JPN",
        "LAO", "NLD", "NOR", "NZL", "PHL", "SWE",
    ];
    for (i, (rate, cents)) in rates.iter().zip(&shares).enumerate() {
        let paid = paying.contains(&rate.state_code.as_str());
        let inv = invoice::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            year: Set(year),
            state_code: Set(rate.state_code.clone()),
            rate: Set(rate.rate.to_string()),
            amount_cents: Set(*cents),
            received_cents: Set(if paid { *cents } else { 0 }),
            currency: Set("CHF".into()),
            issued_at: Set(at(d(1, 15))),
        }
        .insert(&txn)
        .await?;
        report.invoices_issued += 1;
        if paid {
            let on = d(2 + (i % 9) as u32, 10);
            let p = payment::ActiveModel {
                id: Set(uuid::Uuid::now_v7()),
                invoice_id: Set(inv.id),
                state_code: Set(rate.state_code.clone()),
                year: Set(year),
                amount_cents: Set(*cents),
                received_on: Set(on),
                recorded_by: Set(None),
                created_at: Set(at(on)),
            }
            .insert(&txn)
            .await?;
            crate::kernel::uow::record(&txn, record("Payment", p.id, serde_json::json!({"stateCode": p.state_code, "year": year, "amountCents": p.amount_cents, "receivedOn": on}))).await?;
        }
    }
    crate::kernel::uow::record(
        &txn,
        crate::kernel::uow::Change {
            entity_id: year.to_string(),
            ..record(
                "Invoices",
                w.id,
                serde_json::json!({"year": year, "totalCents": 48_000_000, "states": codes.len()}),
            )
        },
    )
    .await?;
    txn.commit().await?;
    report.workplans_created += 1;
    Ok(())
}

/// One demo application: State, gender, travel in CHF, days, and the decision taken.
type DemoApplication = (
    &'static str,
    entity::enums::Gender,
    i64,
    i32,
    entity::enums::ApplicationStatus,
);

/// The 13th Meeting of States Parties (Geneva, 16–19 September 2025, decided) and the
/// Third Review Conference (Vientiane, September 2026, partly decided, so the suggestion
/// has pending applications to choose from). Titles and delegates say DEMO.
async fn demo_sponsorship(
    db: &DatabaseConnection,
    report: &mut DemoReport,
) -> Result<(), ServiceError> {
    use entity::enums::{ApplicationStatus as S, Gender as G, MeetingKind};
    use entity::{meeting, sponsorship_application as application};
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
    let msp: Vec<DemoApplication> = vec![
        ("LAO", G::Female, 185_000, 6, S::Approved),
        ("LAO", G::Male, 185_000, 6, S::Approved),
        ("IRQ", G::Male, 120_000, 6, S::Approved),
        ("AFG", G::Female, 160_000, 6, S::Approved),
        ("LBN", G::Female, 90_000, 5, S::Approved),
        ("SOM", G::Male, 150_000, 6, S::Approved),
        ("TCD", G::Male, 135_000, 6, S::Waitlisted),
        ("MOZ", G::Female, 170_000, 6, S::Approved),
        ("BOL", G::Female, 210_000, 6, S::Rejected),
        ("PHL", G::Male, 175_000, 6, S::Withdrawn),
        ("GNB", G::Female, 140_000, 6, S::Approved),
    ];
    let rc: Vec<DemoApplication> = vec![
        ("LAO", G::Female, 0, 5, S::Approved),
        ("IRQ", G::Male, 145_000, 6, S::Approved),
        ("AFG", G::Female, 130_000, 6, S::UnderReview),
        ("LBN", G::Male, 125_000, 6, S::Submitted),
        ("LBN", G::Female, 125_000, 6, S::Submitted),
        ("SOM", G::Female, 190_000, 6, S::Submitted),
        ("TCD", G::Male, 210_000, 6, S::Waitlisted),
        ("MRT", G::Female, 205_000, 6, S::Submitted),
        ("MOZ", G::Male, 175_000, 6, S::Submitted),
        ("GNB", G::Female, 220_000, 6, S::Submitted),
        ("BOL", G::Male, 240_000, 6, S::Submitted),
        ("HND", G::Female, 230_000, 6, S::Submitted),
        ("PHL", G::Female, 60_000, 6, S::Approved),
        ("LKA", G::Male, 70_000, 6, S::Submitted),
        ("ZMB", G::Female, 215_000, 6, S::Submitted),
        ("CHL", G::Male, 260_000, 6, S::Submitted),
    ];
    let meetings = [
        (
            MeetingKind::MeetingOfStatesParties,
            "DEMO Thirteenth Meeting of States Parties (13MSP)",
            d(2025, 9, 16),
            d(2025, 9, 19),
            "Palais des Nations, Geneva",
            d(2025, 7, 15),
            4_000_000_i64,
            42_000_i64,
            msp,
        ),
        (
            MeetingKind::ReviewConference,
            "DEMO Third Review Conference (3RC)",
            d(2026, 9, 8),
            d(2026, 9, 11),
            "Vientiane, Lao People's Democratic Republic",
            d(2026, 6, 30),
            2_500_000,
            18_000,
            rc,
        ),
    ];
    for (kind, title, starts, ends, venue, deadline, budget, dsa, applications) in meetings {
        let exists = meeting::Entity::find()
            .filter(meeting::Column::Title.eq(title))
            .count(db)
            .await?
            > 0;
        if exists {
            continue;
        }
        let created_at = (deadline - chrono::Duration::days(90))
            .and_hms_opt(9, 0, 0)
            .unwrap_or_default()
            .and_utc();
        let txn = sea_orm::TransactionTrait::begin(db).await?;
        let m = meeting::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            kind: Set(kind),
            title: Set(title.to_owned()),
            starts_on: Set(starts),
            ends_on: Set(ends),
            venue: Set(Some(venue.to_owned())),
            application_deadline: Set(Some(deadline)),
            sponsorship_budget_cents: Set(Some(budget)),
            dsa_cents: Set(Some(dsa)),
            currency: Set(Some("CHF".into())),
            committed_cents: Set(0),
            created_at: Set(created_at),
            updated_at: Set(created_at),
        }
        .insert(&txn)
        .await?;
        let mut committed = 0;
        for (i, (code, gender, travel, days, status)) in applications.into_iter().enumerate() {
            let total = crate::domain::sponsorship::service::requested_total(travel, days, dsa);
            let approved = (status == S::Approved).then_some(total);
            committed += approved.unwrap_or(0);
            let submitted = created_at + chrono::Duration::days(20 + i as i64);
            let decided = (!matches!(status, S::Submitted | S::UnderReview))
                .then(|| submitted + chrono::Duration::days(30));
            let row = application::ActiveModel {
                id: Set(uuid::Uuid::now_v7()),
                meeting_id: Set(m.id),
                state_code: Set(code.to_owned()),
                delegate_name: Set(format!("DEMO Delegate {} of {code}", i + 1)),
                delegate_gender: Set(gender),
                delegate_position: Set(Some("DEMO Officer, national authority".into())),
                delegate_email: Set(Some(format!(
                    "delegate{}.{}@demo.invalid",
                    i + 1,
                    code.to_lowercase()
                ))),
                travel_cents: Set(travel),
                requested_days: Set(days),
                status: Set(status),
                approved_cents: Set(approved),
                justification: Set(Some("DEMO: national focal point for the meeting.".into())),
                submitted_at: Set(submitted),
                decided_at: Set(decided),
                decision_note: Set(None),
                applied_by: Set(None),
                decided_by: Set(None),
                updated_at: Set(decided.unwrap_or(submitted)),
            }
            .insert(&txn)
            .await?;
            crate::kernel::uow::record(
                &txn,
                crate::kernel::uow::Change {
                    actor: None,
                    action: "seedDemo",
                    entity_type: "SponsorshipApplication",
                    entity_id: row.id.to_string(),
                    before: None,
                    after: Some(crate::domain::sponsorship::service::application_json(&row)),
                },
            )
            .await?;
            report.applications_created += 1;
        }
        let mut am: meeting::ActiveModel = m.into();
        am.committed_cents = Set(committed);
        let m = am.update(&txn).await?;
        crate::kernel::uow::record(
            &txn,
            crate::kernel::uow::Change {
                actor: None,
                action: "seedDemo",
                entity_type: "Meeting",
                entity_id: m.id.to_string(),
                before: None,
                after: Some(crate::domain::sponsorship::service::meeting_json(&m)),
            },
        )
        .await?;
        txn.commit().await?;
        report.meetings_created += 1;
    }
    Ok(())
}
