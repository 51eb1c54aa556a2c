//! Imports a history file in one transaction: every line checked against the registry and
//! what is recorded, then written, or nothing at all. Importing the same file again changes
//! nothing and records nothing. One audit entry per file that changed something: its
//! SHA-256 and counts.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use entity::enums::{
    ObligationKind as StoredKind, ReportKind as StoredReportKind, ReportStatus, StateStatus,
    UserRole,
};
use entity::{deadline_extension, imported_completion, records_begin, state, transparency_report};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::file::{self, Fault, Line, Provenance, Record, ReportKind};
use crate::auth::Viewer;
use crate::domain::reports::sections::Sections;
use crate::domain::reports::service::due_date_of;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusal, ServiceError};
use crate::kernel::uow::Uow;
use crate::rules::obligations::{ObligationKind, entry_into_force};

/// The history shipped with the project (`data/history.csv`), imported on first start.
pub const SHIPPED: &str = include_str!("../../../data/history.csv");

/// What one kind of line did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl Counts {
    fn changed(&self) -> bool {
        self.created + self.updated > 0
    }
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Hex SHA-256 of the file's bytes: the audit entry's id.
    pub sha256: String,
    /// Records read (blank lines aside).
    pub lines: usize,
    pub reports: Counts,
    pub extensions: Counts,
    pub completions: Counts,
    pub records_begin: Counts,
}

impl Summary {
    /// Whether the import changed anything.
    pub fn changed(&self) -> bool {
        self.reports.changed()
            || self.extensions.changed()
            || self.completions.changed()
            || self.records_begin.changed()
    }
}

/// The refusal of a file: one entry per fault, under `input.csv.<line>.<column>`.
fn refused(faults: Vec<Fault>) -> ServiceError {
    ServiceError::Refused(
        file::capped(faults)
            .into_iter()
            .map(|f| {
                let line = f.line.to_string();
                let code = if f.field == "state" && f.reason.starts_with("no State") {
                    Code::NotFound
                } else {
                    Code::InvalidInput
                };
                Refusal::new(
                    code,
                    &["input", "csv", &line, &f.field],
                    format!("line {}, {}: {}", f.line, f.field, f.reason),
                )
            })
            .collect(),
    )
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `importHistory`: ISU_ADMIN only.
pub async fn import_history(
    db: &DatabaseConnection,
    viewer: &Viewer,
    name: &str,
    text: &str,
    today: NaiveDate,
) -> Result<Summary, ServiceError> {
    let admin = viewer.require_role(&[UserRole::IsuAdmin])?;
    let mut r = crate::kernel::error::Refusals::default();
    crate::kernel::validate::required(
        &mut r,
        &["input", "fileName"],
        name,
        crate::kernel::validate::SHORT_TEXT,
        crate::kernel::validate::Lines::One,
    );
    r.finish()?;
    import(
        db,
        Some(admin.user_id),
        "importHistory",
        name.trim(),
        text,
        today,
    )
    .await
}

/// Imports the shipped history (first start).
pub async fn load_shipped(
    db: &DatabaseConnection,
    today: NaiveDate,
) -> Result<Summary, ServiceError> {
    import(
        db,
        None,
        "importShippedHistory",
        "data/history.csv",
        SHIPPED,
        today,
    )
    .await
}

/// A report line's key: State, kind, year covered.
type ReportKey = (String, StoredReportKind, i32);

fn stored_report_kind(k: ReportKind) -> StoredReportKind {
    match k {
        ReportKind::Initial => StoredReportKind::Initial,
        ReportKind::Annual => StoredReportKind::Annual,
    }
}

/// Checks `lines` against the registry and what is recorded: the faults, and each report
/// line's year and due date.
fn check(
    lines: &[Line],
    states: &HashMap<String, state::Model>,
    reports: &HashMap<ReportKey, transparency_report::Model>,
) -> Result<Vec<Option<(i32, NaiveDate)>>, Vec<Fault>> {
    let mut faults = Vec::new();
    let mut fault = |line: usize, field: &str, reason: String| {
        faults.push(Fault {
            line,
            field: field.to_owned(),
            reason,
        });
    };
    let mut seen_reports: HashMap<ReportKey, usize> = HashMap::new();
    let mut seen_extensions: HashMap<(String, ObligationKind, NaiveDate), usize> = HashMap::new();
    let mut seen_once: HashMap<(&'static str, String, ObligationKind), usize> = HashMap::new();
    let mut report_dates = Vec::with_capacity(lines.len());
    for l in lines {
        let mut due = None;
        let Some(s) = states.get(&l.state) else {
            fault(
                l.line,
                "state",
                format!("no State has the code {}", l.state),
            );
            report_dates.push(None);
            continue;
        };
        let bound = matches!(s.status, StateStatus::StateParty | StateStatus::Withdrawn);
        let eif = s.deposit_date.filter(|_| bound).map(entry_into_force);
        let mut once = |what: &'static str,
                        kind: ObligationKind,
                        fault: &mut dyn FnMut(usize, &str, String)| {
            if let Some(first) = seen_once.insert((what, l.state.clone(), kind), l.line) {
                fault(
                    l.line,
                    "kind",
                    format!(
                        "{} is given twice for {} (first on line {first})",
                        what, l.state
                    ),
                );
            }
        };
        match &l.record {
            Record::Report {
                kind,
                year,
                submitted_on,
                ..
            } => {
                let Some(eif) = eif else {
                    fault(
                        l.line,
                        "state",
                        format!(
                            "{} is not a State party: it owes no Article 7 report",
                            s.name
                        ),
                    );
                    report_dates.push(None);
                    continue;
                };
                if *submitted_on < eif {
                    fault(
                        l.line,
                        "submitted_on",
                        format!(
                            "{submitted_on} is before the Convention entered into force for {} ({eif})",
                            s.name
                        ),
                    );
                }
                let year = match kind {
                    ReportKind::Initial => {
                        if year.is_some_and(|y| y != eif.year()) {
                            fault(
                                l.line,
                                "year",
                                format!(
                                    "an initial report's year is the year of entry into force, {}",
                                    eif.year()
                                ),
                            );
                        }
                        eif.year()
                    }
                    ReportKind::Annual => year.unwrap_or_default(),
                };
                let stored = stored_report_kind(*kind);
                match due_date_of(s, stored, year) {
                    None => fault(
                        l.line,
                        "year",
                        format!("{} owes no annual report for {year}", s.name),
                    ),
                    Some(d) => due = Some((year, d)),
                }
                let key = (l.state.clone(), stored, year);
                if let Some(first) = seen_reports.insert(key.clone(), l.line) {
                    fault(
                        l.line,
                        "year",
                        format!(
                            "a report of {} for {year} is already on line {first}",
                            l.state
                        ),
                    );
                }
                if let Some(r) = reports.get(&key)
                    && !r.imported
                {
                    fault(
                        l.line,
                        "year",
                        format!(
                            "{} has a report for {year} made in the system ({}): a history file cannot replace it",
                            l.state,
                            sea_orm::ActiveEnum::to_value(&r.status)
                        ),
                    );
                }
            }
            Record::Extension {
                kind,
                new_deadline,
                granted_on,
                previous_deadline,
                ..
            } => {
                match eif {
                    None => fault(
                        l.line,
                        "state",
                        format!(
                            "{} is not a State party: it has no deadline to extend",
                            s.name
                        ),
                    ),
                    Some(eif) => {
                        if *granted_on < eif {
                            fault(
                                l.line,
                                "granted_on",
                                format!(
                                    "{granted_on} is before the Convention entered into force for {} ({eif})",
                                    s.name
                                ),
                            );
                        }
                        if *previous_deadline < eif {
                            fault(
                                l.line,
                                "previous_deadline",
                                format!(
                                    "{previous_deadline} is before the Convention entered into force for {} ({eif})",
                                    s.name
                                ),
                            );
                        }
                    }
                }
                if let Some(first) =
                    seen_extensions.insert((l.state.clone(), *kind, *new_deadline), l.line)
                {
                    fault(
                        l.line,
                        "new_deadline",
                        format!("the same extension is already on line {first}"),
                    );
                }
            }
            Record::Completion { kind, .. } => {
                if eif.is_none() {
                    fault(l.line, "state", format!("{} is not a State party", s.name));
                }
                once("a completion", *kind, &mut fault);
            }
            Record::RecordsBegin { kinds, .. } => {
                for kind in kinds {
                    once("a records_begin", *kind, &mut fault);
                }
            }
        }
        report_dates.push(due);
    }
    if faults.is_empty() {
        Ok(report_dates)
    } else {
        Err(faults)
    }
}

/// Parses, checks and writes `text` (named `name` in the audit entry); `actor` is None for
/// the system.
pub async fn import(
    db: &DatabaseConnection,
    actor: Option<Uuid>,
    action: &'static str,
    name: &str,
    text: &str,
    today: NaiveDate,
) -> Result<Summary, ServiceError> {
    let lines = file::parse(text, today).map_err(refused)?;
    let uow = Uow::begin(db, actor, action).await?;
    let txn = uow.txn();
    let states: HashMap<String, state::Model> = state::Entity::find()
        .all(txn)
        .await?
        .into_iter()
        .map(|s| (s.code.clone(), s))
        .collect();
    let codes: Vec<String> = {
        let mut c: Vec<String> = lines.iter().map(|l| l.state.clone()).collect();
        c.sort();
        c.dedup();
        c
    };
    let reports: HashMap<ReportKey, transparency_report::Model> =
        transparency_report::Entity::find()
            .filter(transparency_report::Column::StateCode.is_in(codes.clone()))
            .all(txn)
            .await?
            .into_iter()
            .map(|r| ((r.state_code.clone(), r.kind, r.reporting_year), r))
            .collect();
    let report_dates = match check(&lines, &states, &reports) {
        Ok(d) => d,
        Err(faults) => {
            uow.rollback().await?;
            return Err(refused(faults));
        }
    };
    let mut extensions: HashMap<(String, StoredKind, NaiveDate), deadline_extension::Model> =
        deadline_extension::Entity::find()
            .filter(deadline_extension::Column::StateCode.is_in(codes.clone()))
            .all(txn)
            .await?
            .into_iter()
            .map(|e| ((e.state_code.clone(), e.kind, e.new_deadline), e))
            .collect();
    let begun: HashMap<(String, StoredKind), NaiveDate> = records_begin::Entity::find()
        .filter(records_begin::Column::StateCode.is_in(codes.clone()))
        .all(txn)
        .await?
        .into_iter()
        .map(|r| ((r.state_code, r.kind), r.since))
        .collect();
    let completions: HashMap<(String, StoredKind), imported_completion::Model> =
        imported_completion::Entity::find()
            .filter(imported_completion::Column::StateCode.is_in(codes))
            .all(txn)
            .await?
            .into_iter()
            .map(|c| ((c.state_code.clone(), c.kind), c))
            .collect();

    let t = now();
    let mut summary = Summary {
        sha256: sha256_hex(text),
        lines: lines.len(),
        ..Summary::default()
    };
    let mut states = states;
    for (l, dates) in lines.iter().zip(report_dates) {
        match &l.record {
            Record::Report {
                kind,
                submitted_on,
                link,
                ..
            } => {
                let Some((year, due)) = dates else { continue };
                let stored = stored_report_kind(*kind);
                let submitted_at = submitted_on.and_time(chrono::NaiveTime::MIN).and_utc();
                let status = if link.is_some() {
                    ReportStatus::Published
                } else {
                    ReportStatus::Submitted
                };
                let on_time = *submitted_on <= due;
                let published_at = link.as_ref().map(|_| submitted_at);
                match reports.get(&(l.state.clone(), stored, year)) {
                    Some(r) => {
                        let same = r.status == status
                            && r.submitted_at == Some(submitted_at)
                            && r.published_url == *link
                            && r.due_date == due;
                        if same {
                            summary.reports.unchanged += 1;
                            continue;
                        }
                        let mut next: transparency_report::ActiveModel = r.clone().into();
                        next.status = Set(status);
                        next.version = Set(r.version + 1);
                        next.due_date = Set(due);
                        next.submitted_at = Set(Some(submitted_at));
                        next.on_time = Set(Some(on_time));
                        next.published_at = Set(published_at);
                        next.published_url = Set(link.clone());
                        next.updated_at = Set(t);
                        next.update(txn).await?;
                        summary.reports.updated += 1;
                    }
                    None => {
                        transparency_report::ActiveModel {
                            id: Set(Uuid::now_v7()),
                            state_code: Set(l.state.clone()),
                            kind: Set(stored),
                            reporting_year: Set(year),
                            status: Set(status),
                            version: Set(1),
                            due_date: Set(due),
                            submitted_at: Set(Some(submitted_at)),
                            on_time: Set(Some(on_time)),
                            published_at: Set(published_at),
                            sections: Set(Sections::default().to_json()),
                            imported: Set(true),
                            published_url: Set(link.clone()),
                            created_at: Set(t),
                            updated_at: Set(t),
                        }
                        .insert(txn)
                        .await?;
                        summary.reports.created += 1;
                    }
                }
            }
            Record::Extension {
                kind,
                previous_deadline,
                new_deadline,
                granted_on,
                granted_on_precision,
                granted_at,
                reference,
                provenance,
            } => {
                let stored = StoredKind::from(*kind);
                let key = (l.state.clone(), stored, *new_deadline);
                let Provenance {
                    precision,
                    confidence,
                    sources,
                } = provenance.clone();
                match extensions.get(&key) {
                    Some(e) => {
                        let mut next = e.clone();
                        next.previous_deadline = *previous_deadline;
                        next.granted_on = *granted_on;
                        next.granted_at = Some(granted_at.clone());
                        next.decision_reference = reference.clone();
                        next.precision = precision;
                        next.granted_on_precision = granted_on_precision.clone();
                        next.confidence = confidence;
                        next.sources = sources;
                        if next == *e {
                            summary.extensions.unchanged += 1;
                            continue;
                        }
                        let updated = deadline_extension::ActiveModel::from(next)
                            .reset_all()
                            .update(txn)
                            .await?;
                        extensions.insert(key, updated);
                        summary.extensions.updated += 1;
                    }
                    None => {
                        let created = deadline_extension::ActiveModel {
                            id: Set(Uuid::now_v7()),
                            state_code: Set(l.state.clone()),
                            kind: Set(stored),
                            previous_deadline: Set(*previous_deadline),
                            new_deadline: Set(*new_deadline),
                            granted_on: Set(*granted_on),
                            granted_at: Set(Some(granted_at.clone())),
                            imported: Set(true),
                            decision_reference: Set(reference.clone()),
                            precision: Set(precision),
                            granted_on_precision: Set(granted_on_precision.clone()),
                            confidence: Set(confidence),
                            sources: Set(sources),
                            decision_id: Set(None),
                            created_at: Set(t),
                        }
                        .insert(txn)
                        .await?;
                        extensions.insert(key, created);
                        summary.extensions.created += 1;
                    }
                }
            }
            Record::Completion {
                kind,
                completed_on,
                declared,
                provenance,
            } => {
                let stored = StoredKind::from(*kind);
                let Some(s) = states.get_mut(&l.state) else {
                    continue;
                };
                let column = match kind {
                    ObligationKind::StockpileDestruction => {
                        &mut s.stockpile_destruction_completed_on
                    }
                    _ => &mut s.clearance_completed_on,
                };
                let date_changed = *column != Some(*completed_on);
                if date_changed {
                    *column = Some(*completed_on);
                    s.updated_at = t;
                    state::ActiveModel::from(s.clone())
                        .reset_all()
                        .update(txn)
                        .await?;
                }
                let row = imported_completion::Model {
                    state_code: l.state.clone(),
                    kind: stored,
                    completed_on: *completed_on,
                    precision: provenance.precision.clone(),
                    declared: declared.clone(),
                    confidence: provenance.confidence.clone(),
                    sources: provenance.sources.clone(),
                    updated_at: t,
                };
                let previous = completions.get(&(l.state.clone(), stored));
                let row_changed = previous.is_none_or(|p| {
                    imported_completion::Model {
                        updated_at: t,
                        ..p.clone()
                    } != row
                });
                if row_changed {
                    imported_completion::Entity::insert(imported_completion::ActiveModel::from(
                        row,
                    ))
                    .on_conflict(
                        OnConflict::columns([
                            imported_completion::Column::StateCode,
                            imported_completion::Column::Kind,
                        ])
                        .update_columns([
                            imported_completion::Column::CompletedOn,
                            imported_completion::Column::Precision,
                            imported_completion::Column::Declared,
                            imported_completion::Column::Confidence,
                            imported_completion::Column::Sources,
                            imported_completion::Column::UpdatedAt,
                        ])
                        .to_owned(),
                    )
                    .exec(txn)
                    .await?;
                }
                match (previous, date_changed || row_changed) {
                    (_, false) => summary.completions.unchanged += 1,
                    (None, true) => summary.completions.created += 1,
                    (Some(_), true) => summary.completions.updated += 1,
                }
            }
            Record::RecordsBegin { kinds, since } => {
                for kind in kinds {
                    let stored = StoredKind::from(*kind);
                    let previous = begun.get(&(l.state.clone(), stored));
                    if previous == Some(since) {
                        summary.records_begin.unchanged += 1;
                        continue;
                    }
                    records_begin::Entity::insert(records_begin::ActiveModel {
                        state_code: Set(l.state.clone()),
                        kind: Set(stored),
                        since: Set(*since),
                        updated_at: Set(t),
                    })
                    .on_conflict(
                        OnConflict::columns([
                            records_begin::Column::StateCode,
                            records_begin::Column::Kind,
                        ])
                        .update_columns([
                            records_begin::Column::Since,
                            records_begin::Column::UpdatedAt,
                        ])
                        .to_owned(),
                    )
                    .exec(txn)
                    .await?;
                    if previous.is_some() {
                        summary.records_begin.updated += 1;
                    } else {
                        summary.records_begin.created += 1;
                    }
                }
            }
        }
    }
    if !summary.changed() {
        uow.rollback().await?;
        return Ok(summary);
    }
    uow.record(
        "HistoryImport",
        &summary.sha256,
        None,
        Some(json!({ "file": name, "summary": summary })),
    )
    .await?;
    uow.commit().await?;
    Ok(summary)
}
