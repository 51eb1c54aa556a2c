//! The reports part of the demo: several years of annual reports, on time, late and missing.

use sea_orm::DatabaseConnection;

use chrono::NaiveDate;

use super::DemoReport;
use crate::kernel::error::ServiceError;
use crate::kernel::uow::Uow;

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

pub(super) async fn demo_reports(
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
        let uow = Uow::begin(db, None, "seedDemo").await?;
        let created = row.insert(uow.txn()).await?;
        uow.created(&created).await?;
        uow.commit().await?;
        report.reports_created += 1;
    }
    Ok(())
}
