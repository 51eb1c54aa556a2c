//! The States part of the demo: illustrative extensions and State updates.

use chrono::NaiveDate;

use super::{Demo, DemoReport};
use crate::domain::states::service::{NewExtension, StateUpdate, add_extension, apply_update};
use crate::kernel::error::ServiceError;
use crate::rules::obligations::ObligationKind;

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
        decision_id: None,
    };
    vec![
        ext("LAO", d(2025, 8, 1), d(2019, 9, 4), "9MSP"),
        ext("DEU", d(2025, 8, 1), d(2019, 9, 4), "9MSP"),
        ext("CHL", d(2026, 6, 1), d(2020, 11, 25), "2RC"),
        ext("LAO", d(2030, 8, 1), d(2024, 9, 11), "12MSP"),
    ]
}

/// The States part of the demo: extensions, and a recorded stockpile holding and
/// completion so that every obligation kind shows. Both are an ISU administrator's acts:
/// the system's here, through the services' `actor: None` entry points.
pub(super) async fn demo_states(
    demo: &Demo<'_>,
    report: &mut DemoReport,
) -> Result<(), ServiceError> {
    let (db, today) = (demo.db, demo.today);
    for e in demo_extensions() {
        let existing = crate::domain::states::obligations::extensions_of(db, &e.state_code).await?;
        if existing.iter().any(|x| x.new_deadline == e.new_deadline) {
            continue;
        }
        add_extension(db, demo.system, "seedDemo", e, today).await?;
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
        let after = apply_update(db, demo.system, "seedDemo", u, today).await?;
        if before.as_ref() != Some(&after) {
            report.states_updated += 1;
        }
    }
    Ok(())
}
