//! The sponsorship part of the demo: two meetings and their applications.

use sea_orm::DatabaseConnection;

use chrono::NaiveDate;

use super::DemoReport;
use crate::kernel::error::ServiceError;
use crate::kernel::uow::Uow;

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
pub(super) async fn demo_sponsorship(
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
        let uow = Uow::begin(db, None, "seedDemo").await?;
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
        .insert(uow.txn())
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
            .insert(uow.txn())
            .await?;
            uow.created(&row).await?;
            report.applications_created += 1;
        }
        let mut am: meeting::ActiveModel = m.into();
        am.committed_cents = Set(committed);
        let m = am.update(uow.txn()).await?;
        uow.created(&m).await?;
        uow.commit().await?;
        report.meetings_created += 1;
    }
    Ok(())
}
