//! The budget part of the demo: an adopted workplan, its spending, invoices and payments.

use chrono::NaiveDate;

use super::{Demo, DemoReport};
use crate::domain::budget::service::{
    NewActivity, NewExpenditure, NewInvoices, NewLine, NewPayment, NewWorkplan, Transition,
    add_activity, add_line, create_workplan, issue_invoices_by, record_expenditure, record_payment,
    transition, transition_by, workplan_by_id,
};
use crate::kernel::error::ServiceError;
use crate::kernel::money::{Money, from_cents};

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
/// the States parties in force, and some payments. Titles say DEMO. ISU staff draft the
/// plan, submit it, record spending and payments; endorsement, approval and invoicing are
/// an administrator's (the system's here). Spending and payments are recorded on their day.
pub(super) async fn demo_budget(
    demo: &Demo<'_>,
    report: &mut DemoReport,
) -> Result<(), ServiceError> {
    use entity::enums::{BudgetCategory as C, WorkplanStatus};
    use entity::workplan;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

    let (db, cfg, staff) = (demo.db, &demo.budget, &demo.staff);
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
    let money = |cents: i64| Money::new(from_cents(cents), &cfg.currency);
    let new = NewWorkplan {
        year,
        title: format!("DEMO ISU work plan and budget {year}"),
        currency: None,
    };
    let plan = create_workplan(db, cfg, staff, new).await?.workplan;
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
        let new = NewActivity {
            workplan_id: Some(plan.id),
            title: format!("DEMO {title}"),
            output: output.into(),
            indicator: Some(indicator.into()),
            target: Some(target.into()),
            action_plan_reference: reference.map(str::to_owned),
        };
        ids.push(add_activity(db, staff, new).await?.id);
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
    let mut spending_of = Vec::new();
    for (category, description, chf, activity, spending) in lines {
        let new = NewLine {
            workplan_id: Some(plan.id),
            category,
            description: format!("DEMO {description}"),
            amount: money(chf * 100),
            activity_id: activity.and_then(|i| ids.get(i).copied()).map(Ok),
        };
        let line = add_line(db, staff, new).await?.line;
        spending_of.push((line.id, description, spending));
    }
    // Submitted by the ISU, endorsed by the Coordination Committee and approved by the
    // Meeting of States Parties on 19 September of the year before.
    let adopted = NaiveDate::from_ymd_opt(year - 1, 9, 19).unwrap_or_default();
    let step = |to, expected_version| Transition {
        id: Some(plan.id),
        to,
        expected_version,
        note: None,
    };
    // Each activity and line moved the draft's version on.
    let drafted = workplan_by_id(db, staff, plan.id)
        .await?
        .map_or(plan.version, |v| v.workplan.version);
    let v = transition(db, staff, step(WorkplanStatus::Submitted, drafted), adopted).await?;
    let to = step(WorkplanStatus::Endorsed, v.workplan.version);
    let v = transition_by(db, demo.system, "seedDemo", to, adopted).await?;
    let to = step(WorkplanStatus::Approved, v.workplan.version);
    transition_by(db, demo.system, "seedDemo", to, adopted).await?;
    for (line, description, spending) in spending_of {
        for (month, amount) in spending {
            let on = d(*month, 25);
            let new = NewExpenditure {
                line_id: Some(line),
                amount: money(amount * 100),
                spent_on: on,
                description: format!("DEMO {description}, {year}-{month:02}"),
            };
            record_expenditure(db, staff, new, on).await?;
        }
    }
    // Invoices: CHF 480 000 in equal shares across the States parties in force (the
    // service's scale when none was used before).
    let new = NewInvoices {
        year,
        total: money(48_000_000),
        rates: None,
    };
    let status = issue_invoices_by(db, cfg, demo.system, "seedDemo", new).await?;
    let paying = [
        "AUS", "AUT", "BEL", "CAN", "CHE", "DEU", "DNK", "ESP", "FRA", "GBR", "IRL", "ITA", "JPN",
        "LAO", "NLD", "NOR", "NZL", "PHL", "SWE",
    ];
    // By State code, as the invoices are.
    for (i, c) in status.contributions.iter().enumerate() {
        report.invoices_issued += 1;
        if paying.contains(&c.state.code.as_str()) {
            let on = d(2 + (i % 9) as u32, 10);
            let new = NewPayment {
                state_code: c.state.code.clone(),
                year,
                amount: money(c.invoiced),
                received_on: on,
            };
            record_payment(db, cfg, staff, new, on).await?;
        }
    }
    report.workplans_created += 1;
    Ok(())
}
