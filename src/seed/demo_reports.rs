//! The reports part of the demo: several years of annual reports, on time, late and missing.

use chrono::NaiveDate;

use super::{Demo, DemoReport};
use crate::domain::reports::sections::SectionsPatch;
use crate::domain::reports::service::{self, NewReport};
use crate::kernel::error::ServiceError;

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

/// Each report as a delegation's would be: a draft, its sections, then submitted and (when
/// on time or nearly) published, each act on its day of the demo's history.
pub(super) async fn demo_reports(
    demo: &Demo<'_>,
    report: &mut DemoReport,
) -> Result<(), ServiceError> {
    use entity::enums::ReportKind;
    use entity::transparency_report;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

    let (db, staff) = (demo.db, &demo.staff);
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
        let new = NewReport {
            state_code: code.to_owned(),
            kind: ReportKind::Annual,
            reporting_year: year,
        };
        let draft = service::create(db, staff, new, submitted_on).await?;
        let sections = SectionsPatch {
            national_implementation_measures: Some(format!(
                "DEMO DATA, not an official report: {code} annual report covering {year}."
            )),
            national_contact: Some("DEMO national contact point".into()),
            ..Default::default()
        };
        let draft = service::update(db, staff, draft.id, draft.version, sections).await?;
        service::submit(
            db,
            staff,
            draft.id,
            &Demo::on(submitted_on),
            &demo.notifications,
        )
        .await?;
        if days < 60 {
            let published_on = submitted_on + chrono::Duration::days(14);
            service::publish_on(db, staff, draft.id, &Demo::on(published_on)).await?;
        }
        report.reports_created += 1;
    }
    Ok(())
}
