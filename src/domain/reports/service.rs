//! Reading reports, with the visibility rule applied in one place.

use chrono::{Datelike, NaiveDate};
use entity::enums::{ReportKind, ReportStatus, StateStatus, UserRole};
use entity::{state, transparency_report};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::sections::{self, Sections, SectionsPatch};
use crate::auth::Viewer;
use crate::domain::notifications::{self, NotificationsConfig};
use crate::domain::states::obligations as states_obligations;
use crate::domain::states::service as states_service;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::pagination::{self, Direction, Page, PageRequest};
use crate::kernel::uow::{Audited, Uow, unchanged};
use crate::kernel::validate;
use crate::rules::obligations::{self, ObligationKind, Rules};

/// Which reports a viewer may read: published reports are public; the others only for their
/// State's delegation and the ISU (not coordinators).
enum Reach<'a> {
    Every,
    /// The published ones, and every report of this State, if any.
    PublishedAndOf(Option<&'a str>),
}

fn reach(viewer: &Viewer) -> Reach<'_> {
    if viewer.is_isu() {
        return Reach::Every;
    }
    match viewer.principal() {
        Some(p) if p.role == UserRole::Delegation => Reach::PublishedAndOf(p.state_code.as_deref()),
        _ => Reach::PublishedAndOf(None),
    }
}

/// The reports the viewer may read, as a condition (published ones for everybody, the rest
/// for their State's delegation and the ISU). Every read of reports applies it, or
/// [`reads_only_published_of`] where the rows come from memory.
pub fn readable(viewer: &Viewer) -> Condition {
    match reach(viewer) {
        Reach::Every => Condition::all(),
        Reach::PublishedAndOf(own) => {
            let published = Condition::any()
                .add(transparency_report::Column::Status.eq(ReportStatus::Published));
            match own {
                Some(own) => published.add(transparency_report::Column::StateCode.eq(own)),
                None => published,
            }
        }
    }
}

/// Whether, of the reports of the State `code`, the viewer may read the published ones and
/// no other: what [`readable`] comes to on that State's reports.
pub fn reads_only_published_of(viewer: &Viewer, code: &str) -> bool {
    match reach(viewer) {
        Reach::Every => false,
        Reach::PublishedAndOf(own) => own != Some(code),
    }
}

pub async fn get(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Option<transparency_report::Model>, DbErr> {
    Ok(get_many(db, viewer, &[id]).await?.pop())
}

/// The reports among `ids` that the viewer may see, in one query.
pub async fn get_many(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<Vec<transparency_report::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    transparency_report::Entity::find()
        .filter(transparency_report::Column::Id.is_in(ids.iter().copied()))
        .filter(readable(viewer))
        .all(db)
        .await
}

/// What a list's rows hold in place of their sections: a page reads every column but the
/// sections (a few KB each), which are read by ID for the reports whose sections are asked
/// for. Stored sections are never empty ([`Sections::to_json`]).
pub const SECTIONS_NOT_READ: &str = "";

/// Reports with every column but their sections ([`SECTIONS_NOT_READ`]).
pub(super) fn listed() -> sea_orm::Select<transparency_report::Entity> {
    use sea_orm::{Iterable, QuerySelect, sea_query::Expr};
    transparency_report::Entity::find()
        .select_only()
        .columns(
            transparency_report::Column::iter()
                .filter(|c| !matches!(c, transparency_report::Column::Sections)),
        )
        .column_as(Expr::cust(format!("'{SECTIONS_NOT_READ}'")), "sections")
}

/// The reports of several States the viewer may see, a page each, newest first, in one
/// statement (two after a cursor), without their sections ([`SECTIONS_NOT_READ`]).
pub async fn for_states(
    db: &DatabaseConnection,
    viewer: &Viewer,
    codes: &[String],
    page: &PageRequest,
) -> Result<std::collections::HashMap<String, Page<transparency_report::Model>>, ServiceError> {
    let after = page.after_id()?;
    Ok(pagination::fetch_grouped(
        db,
        listed().filter(readable(viewer)),
        transparency_report::Column::StateCode,
        codes,
        |r| r.state_code.clone(),
        transparency_report::Column::Id,
        Direction::Descending,
        after,
        page.limit,
    )
    .await?)
}

/// `createTransparencyReport`'s input, in service terms.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub state_code: String,
    pub kind: ReportKind,
    pub reporting_year: i32,
}

fn not_found() -> ServiceError {
    ServiceError::refused(Code::NotFound, &["input", "id"], "No such report.")
}

/// JSON of a report for the audit log.
pub fn audit_json(r: &transparency_report::Model) -> serde_json::Value {
    let sections: serde_json::Value =
        serde_json::from_str(&r.sections).unwrap_or(serde_json::Value::Null);
    json!({
        "id": r.id,
        "stateCode": r.state_code,
        "kind": r.kind,
        "reportingYear": r.reporting_year,
        "status": r.status,
        "version": r.version,
        "dueDate": r.due_date,
        "submittedAt": r.submitted_at,
        "onTime": r.on_time,
        "publishedAt": r.published_at,
        "sections": sections,
    })
}

impl Audited for transparency_report::Model {
    const ENTITY_TYPE: &'static str = "TransparencyReport";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        audit_json(self)
    }
}

/// Loads a report the viewer may act on. Reports the viewer may not see are NOT_FOUND, so
/// their existence does not leak; visible ones of another State are FORBIDDEN.
async fn load_for_action(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<transparency_report::Model, ServiceError> {
    viewer.require()?;
    let r = get(db, viewer, id).await?.ok_or_else(not_found)?;
    viewer.require_acting_for(&r.state_code)?;
    Ok(r)
}

/// The due date of a report, from the obligations engine; None when the State owes no such
/// report.
pub fn due_date_of(s: &state::Model, kind: ReportKind, year: i32) -> Option<NaiveDate> {
    let facts = states_obligations::facts(s, Default::default());
    // As of the due date of the year's annual report, the engine lists every report owed
    // up to it.
    let as_of = NaiveDate::from_ymd_opt(year + 1, 4, 30)?;
    obligations::obligations(&facts, &[], &[], as_of, &Rules::default())
        .into_iter()
        .find(|o| match kind {
            ReportKind::Initial => o.kind == ObligationKind::InitialTransparencyReport,
            ReportKind::Annual => {
                o.kind == ObligationKind::AnnualTransparencyReport && o.reporting_year == Some(year)
            }
        })
        .map(|o| o.due_date)
}

/// Creates a draft with `sections`; `action` names the mutation for the audit log.
async fn create_draft(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewReport,
    sections: Sections,
    today: NaiveDate,
    action: &'static str,
) -> Result<transparency_report::Model, ServiceError> {
    let code = new.state_code.trim().to_uppercase();
    viewer.require_acting_for(&code)?;
    let actor = viewer.require()?.user_id;
    let Some(s) = states_service::by_code(db, &code).await? else {
        return Err(ServiceError::refused(
            Code::NotFound,
            &["input", "stateCode"],
            format!("No State has the code {code}."),
        ));
    };
    let Some(eif) = states_obligations::facts(&s, Default::default())
        .deposit_date
        .filter(|_| matches!(s.status, StateStatus::StateParty | StateStatus::Withdrawn))
        .map(obligations::entry_into_force)
    else {
        return Err(ServiceError::refused(
            Code::InvalidInput,
            &["input", "stateCode"],
            format!(
                "{} is not a State party: it owes no Article 7 report.",
                s.name
            ),
        ));
    };
    let year = new.reporting_year;
    let mut r = Refusals::default();
    if year < eif.year() {
        r.push(
            Code::InvalidInput,
            &["input", "reportingYear"],
            format!(
                "The Convention entered into force for {} in {}.",
                s.name,
                eif.year()
            ),
        );
    } else if year > today.year() {
        r.push(
            Code::InvalidInput,
            &["input", "reportingYear"],
            "The reporting year lies in the future.",
        );
    } else if new.kind == ReportKind::Initial && year != eif.year() {
        r.push(
            Code::InvalidInput,
            &["input", "reportingYear"],
            format!(
                "The initial report's year is the year of entry into force, {}.",
                eif.year()
            ),
        );
    }
    r.finish()?;
    let Some(due) = due_date_of(&s, new.kind, year) else {
        return Err(ServiceError::refused(
            Code::InvalidInput,
            &["input", "reportingYear"],
            format!("{} owes no such report for {year}.", s.name),
        ));
    };
    if new.kind == ReportKind::Initial {
        let existing = transparency_report::Entity::find()
            .filter(transparency_report::Column::StateCode.eq(code.as_str()))
            .filter(transparency_report::Column::Kind.eq(ReportKind::Initial))
            .count(db)
            .await?;
        if existing > 0 {
            return Err(already_exists());
        }
    }
    let t = now();
    let uow = Uow::begin(db, Some(actor), action).await?;
    let inserted = transparency_report::ActiveModel {
        id: Set(Uuid::now_v7()),
        state_code: Set(code),
        kind: Set(new.kind),
        reporting_year: Set(year),
        status: Set(ReportStatus::Draft),
        version: Set(1),
        due_date: Set(due),
        submitted_at: Set(None),
        on_time: Set(None),
        published_at: Set(None),
        sections: Set(sections.to_json()),
        imported: Set(false),
        published_url: Set(None),
        created_at: Set(t),
        updated_at: Set(t),
    }
    .insert(uow.txn())
    .await
    .map_err(ServiceError::from);
    let created = match inserted {
        Err(e) if e.is_unique_violation() => return Err(already_exists()),
        other => other?,
    };
    uow.created(&created).await?;
    uow.commit().await?;
    Ok(created)
}

fn already_exists() -> ServiceError {
    ServiceError::refused(
        Code::AlreadyExists,
        &["input", "reportingYear"],
        "This State already has this report: edit it instead.",
    )
}

/// `createTransparencyReport`: an empty draft.
pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewReport,
    today: NaiveDate,
) -> Result<transparency_report::Model, ServiceError> {
    create_draft(
        db,
        viewer,
        new,
        Sections::default(),
        today,
        "createTransparencyReport",
    )
    .await
}

/// `createTransparencyReportFromPrevious`: an annual draft filled in from the State's latest
/// report, so the delegation edits only what changed.
pub async fn create_from_previous(
    db: &DatabaseConnection,
    viewer: &Viewer,
    state_code: &str,
    reporting_year: i32,
    today: NaiveDate,
) -> Result<transparency_report::Model, ServiceError> {
    let code = state_code.trim().to_uppercase();
    viewer.require_acting_for(&code)?;
    let previous = transparency_report::Entity::find()
        .filter(transparency_report::Column::StateCode.eq(code.as_str()))
        .filter(transparency_report::Column::ReportingYear.lt(reporting_year))
        .order_by_desc(transparency_report::Column::ReportingYear)
        .order_by_desc(transparency_report::Column::Id)
        .one(db)
        .await?;
    let Some(previous) = previous else {
        return Err(ServiceError::refused(
            Code::NotFound,
            &["input", "reportingYear"],
            format!("{code} has no report before {reporting_year} to start from."),
        ));
    };
    let sections = Sections::from_json(&previous.sections).map_err(ServiceError::Internal)?;
    create_draft(
        db,
        viewer,
        NewReport {
            state_code: code,
            kind: ReportKind::Annual,
            reporting_year,
        },
        sections,
        today,
        "createTransparencyReportFromPrevious",
    )
    .await
}

/// Writes `next` as the next version if the stored version is still `before`'s; otherwise
/// CONFLICT. When `next` changes nothing, writes nothing and answers `before`.
async fn save(
    db: &DatabaseConnection,
    actor: Uuid,
    action: &'static str,
    before: &transparency_report::Model,
    next: transparency_report::Model,
) -> Result<transparency_report::Model, ServiceError> {
    if unchanged(before, &next) {
        return Ok(before.clone());
    }
    let uow = Uow::begin(db, Some(actor), action).await?;
    let next = write_version(&uow, before, next).await?;
    uow.commit().await?;
    Ok(next)
}

/// Writes `next` as the next version in `uow`, with its audit entry, if the stored version
/// is still `before`'s; otherwise CONFLICT (the unit of work, dropped, rolls back). The
/// caller commits.
async fn write_version(
    uow: &Uow,
    before: &transparency_report::Model,
    mut next: transparency_report::Model,
) -> Result<transparency_report::Model, ServiceError> {
    next.version = before.version + 1;
    next.updated_at = now();
    let written = transparency_report::Entity::update_many()
        .set(transparency_report::ActiveModel::from(next.clone()).reset_all())
        .filter(transparency_report::Column::Id.eq(before.id))
        .filter(transparency_report::Column::Version.eq(before.version))
        .exec(uow.txn())
        .await?;
    if written.rows_affected != 1 {
        return Err(conflict(before.version));
    }
    uow.changed(before, &next).await?;
    Ok(next)
}

fn conflict(seen: i32) -> ServiceError {
    ServiceError::refused(
        Code::Conflict,
        &["input", "expectedVersion"],
        format!("The report changed since version {seen}: reload it and apply your edits again."),
    )
}

fn only_drafts() -> ServiceError {
    ServiceError::refused(
        Code::InvalidStateTransition,
        &["input", "id"],
        "Only a DRAFT can be edited or submitted.",
    )
}

/// `updateTransparencyReport`: edits a draft, naming the version it saw. A stale version is
/// CONFLICT even when the edit changes nothing; an edit that changes nothing with the current
/// version writes nothing and answers the report as it is.
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    expected_version: i32,
    patch: SectionsPatch,
) -> Result<transparency_report::Model, ServiceError> {
    let r = load_for_action(db, viewer, id).await?;
    if r.status != ReportStatus::Draft {
        return Err(only_drafts());
    }
    if r.version != expected_version {
        return Err(conflict(expected_version));
    }
    let mut sections = Sections::from_json(&r.sections).map_err(ServiceError::Internal)?;
    patch.apply(&mut sections);
    let mut refusals = Refusals::default();
    sections::validate(&sections, &mut refusals);
    refusals.finish()?;
    let mut next = r.clone();
    next.sections = sections.to_json();
    let actor = viewer.require()?.user_id;
    save(db, actor, "updateTransparencyReport", &r, next).await
}

/// `submitTransparencyReport`: DRAFT → SUBMITTED, on time when submitted (UTC date) on or
/// before the due date. Fulfils the obligation: in the same transaction, ISU staff and the
/// State's contact points are notified and the State's pending reminders of the report are
/// cancelled ([`notifications::events::report_submitted`]).
pub async fn submit(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    clock: &crate::kernel::clock::Clock,
    notices: &NotificationsConfig,
) -> Result<transparency_report::Model, ServiceError> {
    let r = load_for_action(db, viewer, id).await?;
    if r.status != ReportStatus::Draft {
        return Err(ServiceError::refused(
            Code::InvalidStateTransition,
            &["input", "id"],
            "Only a DRAFT can be submitted.",
        ));
    }
    let t = clock.treaty_now();
    let mut next = r.clone();
    next.status = ReportStatus::Submitted;
    next.submitted_at = Some(t);
    next.on_time = Some(t.date_naive() <= r.due_date);
    let actor = viewer.require()?.user_id;
    // The notices of the submission, and the cancellation of its pending reminders, commit
    // with it.
    let uow = Uow::begin(db, Some(actor), "submitTransparencyReport").await?;
    let next = write_version(&uow, &r, next).await?;
    notifications::events::report_submitted(uow.txn(), notices, &next).await?;
    uow.commit().await?;
    Ok(next)
}

/// `publishTransparencyReport`: SUBMITTED → PUBLISHED. ISU_STAFF and ISU_ADMIN only.
pub async fn publish(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<transparency_report::Model, ServiceError> {
    publish_on(db, viewer, id, &crate::kernel::clock::Clock::default()).await
}

/// [`publish`], dated by `clock` like a submission: a pinned day dates the publication (the
/// demo's history of past years); an unpinned clock is the wall clock.
pub async fn publish_on(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    clock: &crate::kernel::clock::Clock,
) -> Result<transparency_report::Model, ServiceError> {
    let isu = viewer.require_role(&[UserRole::IsuAdmin, UserRole::IsuStaff])?;
    let r = load_for_action(db, viewer, id).await?;
    if r.status != ReportStatus::Submitted {
        return Err(ServiceError::refused(
            Code::InvalidStateTransition,
            &["input", "id"],
            "Only a SUBMITTED report can be published.",
        ));
    }
    let mut next = r.clone();
    next.status = ReportStatus::Published;
    next.published_at = Some(clock.treaty_now());
    save(db, isu.user_id, "publishTransparencyReport", &r, next).await
}

#[derive(Debug, Default)]
pub struct ReportFilter {
    pub state_code: Option<String>,
    pub reporting_year: Option<i32>,
    pub status: Option<Vec<ReportStatus>>,
    pub kind: Option<ReportKind>,
}

/// Reports the viewer may see, newest first.
pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: ReportFilter,
    page: PageRequest,
) -> Result<Page<transparency_report::Model>, ServiceError> {
    let mut cond = Condition::all().add(readable(viewer));
    if let Some(c) = filter.state_code {
        cond = cond.add(transparency_report::Column::StateCode.eq(c.trim().to_uppercase()));
    }
    if let Some(y) = filter.reporting_year {
        cond = cond.add(transparency_report::Column::ReportingYear.eq(y));
    }
    if let Some(s) = filter.status.filter(|s| !s.is_empty()) {
        cond = cond.add(transparency_report::Column::Status.is_in(s));
    }
    if let Some(k) = filter.kind {
        cond = cond.add(transparency_report::Column::Kind.eq(k));
    }
    let after = page.after_id()?;
    Ok(pagination::fetch(
        db,
        listed().filter(cond),
        transparency_report::Column::Id,
        Direction::Descending,
        after,
        page.limit,
    )
    .await?)
}

/// Reporting compliance for the annual reports covering `year` (docs/domain.md §4).
#[derive(Debug)]
pub struct Compliance {
    pub year: i32,
    /// States owing the report, by code, with their submitted report if any.
    pub owing: Vec<(state::Model, NaiveDate, Option<transparency_report::Model>)>,
    /// The codes of those whose report fell due before their records begin and shows no
    /// submission: NOT_RECORDED, counted apart from the missing ones.
    pub not_recorded: std::collections::HashSet<String>,
}

impl Compliance {
    pub fn required(&self) -> usize {
        self.owing.len()
    }
    pub fn submitted(&self) -> usize {
        self.owing.iter().filter(|(_, _, r)| r.is_some()).count()
    }
    pub fn on_time(&self) -> usize {
        self.owing
            .iter()
            .filter(|(_, _, r)| r.as_ref().and_then(|r| r.on_time) == Some(true))
            .count()
    }
    /// States owing the report whose records say they have not submitted it.
    pub fn missing(&self) -> impl Iterator<Item = &state::Model> {
        self.owing
            .iter()
            .filter(|(s, _, r)| r.is_none() && !self.not_recorded.contains(&s.code))
            .map(|(s, _, _)| s)
    }
    /// States owing the report whose submission is not known: it fell due before their
    /// records begin.
    pub fn unrecorded(&self) -> impl Iterator<Item = &state::Model> {
        self.owing
            .iter()
            .filter(|(s, _, _)| self.not_recorded.contains(&s.code))
            .map(|(s, _, _)| s)
    }
    /// States owing the report whose records tell whether they submitted it: the base of
    /// the rates.
    pub fn recorded(&self) -> usize {
        self.required() - self.not_recorded.len()
    }
}

/// Who owes the annual report for `year`, who submitted it, and whose submission is not
/// known (due before their records begin). Six queries.
pub async fn compliance(db: &DatabaseConnection, year: i32) -> Result<Compliance, ServiceError> {
    let mut refusals = Refusals::default();
    validate::year(&mut refusals, &["year"], year);
    refusals.finish()?;
    let Some(due) = NaiveDate::from_ymd_opt(year + 1, 4, 30) else {
        return Err(ServiceError::refused(
            Code::InvalidInput,
            &["year"],
            "No such year.",
        ));
    };
    let owing: Vec<_> = states_obligations::for_all(db, due)
        .await?
        .into_iter()
        .filter(|(_, o)| {
            o.kind == ObligationKind::AnnualTransparencyReport && o.reporting_year == Some(year)
        })
        .collect();
    let mut reports: std::collections::HashMap<String, transparency_report::Model> =
        transparency_report::Entity::find()
            .filter(transparency_report::Column::Kind.eq(ReportKind::Annual))
            .filter(transparency_report::Column::ReportingYear.eq(year))
            .filter(transparency_report::Column::Status.ne(ReportStatus::Draft))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.state_code.clone(), r))
            .collect();
    let mut owing: Vec<_> = owing
        .into_iter()
        .map(|(s, o)| {
            let r = reports.remove(&s.code);
            (s.as_ref().clone(), o.due_date, r)
        })
        .collect();
    owing.sort_by(|a, b| a.0.code.cmp(&b.0.code));
    let codes: Vec<&str> = owing.iter().map(|(s, _, _)| s.code.as_str()).collect();
    let records = crate::domain::states::records::of_states(db, &codes).await?;
    let not_recorded = owing
        .iter()
        .filter(|(s, due, r)| {
            r.is_none()
                && records.get(&s.code).is_some_and(|rec| {
                    !rec.begin()
                        .covers(ObligationKind::AnnualTransparencyReport, *due)
                })
        })
        .map(|(s, _, _)| s.code.clone())
        .collect();
    Ok(Compliance {
        year,
        owing,
        not_recorded,
    })
}
