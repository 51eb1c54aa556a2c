//! The sponsorship part of the demo: two meetings and their applications.

use chrono::NaiveDate;

use super::{Demo, DemoReport};
use crate::domain::sponsorship::service::{
    Decision, NewApplication, NewDelegate, NewMeeting, apply, create_meeting, decide, withdraw,
};
use crate::kernel::error::ServiceError;
use crate::kernel::money::{Money, from_cents};

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
/// has pending applications to choose from). Titles and delegates say DEMO. ISU staff
/// create the meetings, apply for the delegates and decide, each on its day: applications
/// from 20 days after the call, decisions 30 days after each application.
pub(super) async fn demo_sponsorship(
    demo: &Demo<'_>,
    report: &mut DemoReport,
) -> Result<(), ServiceError> {
    use entity::enums::{ApplicationStatus as S, Gender as G, MeetingKind};
    use entity::meeting;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

    let (db, cfg, staff) = (demo.db, &demo.sponsorship, &demo.staff);
    let chf = |cents: i64| Money::new(from_cents(cents), "CHF");

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
        let new = NewMeeting {
            kind,
            title: title.to_owned(),
            starts_on: starts,
            ends_on: ends,
            venue: Some(venue.to_owned()),
            application_deadline: Some(deadline),
            budget: Some(chf(budget)),
            dsa: Some(chf(dsa)),
        };
        let m = create_meeting(db, staff, new).await?;
        let called = deadline - chrono::Duration::days(90);
        for (i, (code, gender, travel, days, status)) in applications.into_iter().enumerate() {
            let submitted = called + chrono::Duration::days(20 + i as i64);
            let new = NewApplication {
                meeting_id: Some(m.id),
                state_code: code.to_owned(),
                delegate: NewDelegate {
                    full_name: format!("DEMO Delegate {} of {code}", i + 1),
                    gender,
                    position: Some("DEMO Officer, national authority".into()),
                    email: Some(format!(
                        "delegate{}.{}@demo.invalid",
                        i + 1,
                        code.to_lowercase()
                    )),
                },
                travel: chf(travel),
                days,
                justification: Some("DEMO: national focal point for the meeting.".into()),
            };
            let a = apply(db, cfg, staff, new, submitted).await?;
            report.applications_created += 1;
            let decided = submitted + chrono::Duration::days(30);
            match status {
                S::Submitted => {}
                S::Withdrawn => {
                    withdraw(db, cfg, staff, Some(a.row.id), decided).await?;
                }
                decision => {
                    // Every demo approval is within the policy: one outside it would need a
                    // note, and the service would refuse it without one.
                    let d = Decision {
                        application_id: Some(a.row.id),
                        decision,
                        approved: None,
                        note: None,
                    };
                    decide(db, cfg, &demo.notifications, staff, d, decided).await?;
                }
            }
        }
        report.meetings_created += 1;
    }
    Ok(())
}
