//! The budget part of the demo: an adopted workplan, its spending, invoices and payments.

use sea_orm::DatabaseConnection;

use chrono::NaiveDate;

use super::DemoReport;
use crate::kernel::error::ServiceError;
use crate::kernel::uow::Uow;

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
pub(super) async fn demo_budget(
    db: &DatabaseConnection,
    report: &mut DemoReport,
) -> Result<(), ServiceError> {
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
    let uow = Uow::begin(db, None, "seedDemo").await?;
    let txn = uow.txn();
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
    .insert(txn)
    .await?;
    uow.created(&w).await?;
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
        .insert(txn)
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
        .insert(txn)
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
            .insert(txn)
            .await?;
            let after = serde_json::json!({"budgetLineId": l.id, "amountCents": e.amount_cents, "spentOn": e.spent_on});
            uow.record("Expenditure", e.id, None, Some(after)).await?;
        }
    }
    // Invoices: CHF 480 000 in equal shares across the States parties in force.
    let states = entity::state::Entity::find()
        .filter(entity::state::Column::Status.is_in([
            entity::enums::StateStatus::StateParty,
            entity::enums::StateStatus::Withdrawn,
        ]))
        .all(txn)
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
        .insert(txn)
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
            .insert(txn)
            .await?;
            let after = serde_json::json!({"stateCode": p.state_code, "year": year, "amountCents": p.amount_cents, "receivedOn": on});
            uow.record("Payment", p.id, None, Some(after)).await?;
        }
    }
    let after = serde_json::json!({"year": year, "totalCents": 48_000_000, "states": codes.len()});
    uow.record("Invoices", year, None, Some(after)).await?;
    uow.commit().await?;
    report.workplans_created += 1;
    Ok(())
}
