//! Feeds the pure obligations engine from the database: a State's registry row, its
//! submitted reports, its extensions and where its records begin. Listing every State's
//! deadlines takes five queries whatever the number of States.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use entity::enums::{
    ObligationKind as StoredKind, ReportKind as StoredReportKind, ReportStatus, StateStatus,
};
use entity::{deadline_extension, state, transparency_report};
use sea_orm::prelude::DateTimeUtc;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::records;
use crate::rules::obligations::{
    self, ExtensionFact, Obligation, ObligationKind, RecordsBegin, ReportFact, ReportKind, Rules,
    Standing, StateFacts,
};

impl From<StoredKind> for ObligationKind {
    fn from(k: StoredKind) -> Self {
        match k {
            StoredKind::InitialTransparencyReport => Self::InitialTransparencyReport,
            StoredKind::AnnualTransparencyReport => Self::AnnualTransparencyReport,
            StoredKind::StockpileDestruction => Self::StockpileDestruction,
            StoredKind::Clearance => Self::Clearance,
        }
    }
}

impl From<ObligationKind> for StoredKind {
    fn from(k: ObligationKind) -> Self {
        match k {
            ObligationKind::InitialTransparencyReport => Self::InitialTransparencyReport,
            ObligationKind::AnnualTransparencyReport => Self::AnnualTransparencyReport,
            ObligationKind::StockpileDestruction => Self::StockpileDestruction,
            ObligationKind::Clearance => Self::Clearance,
        }
    }
}

/// The engine's facts of a State whose records begin as `records_begin` says.
pub fn facts(s: &state::Model, records_begin: RecordsBegin) -> StateFacts {
    StateFacts {
        standing: match s.status {
            StateStatus::StateParty => Standing::StateParty,
            StateStatus::Withdrawn => Standing::Withdrawn,
            StateStatus::Signatory | StateStatus::NotParty => Standing::NotBound,
        },
        deposit_date: s.deposit_date,
        withdrawal_effective_date: s.withdrawal_effective_date,
        holds_stockpiles: s.holds_stockpiles,
        contaminated: s.contaminated,
        stockpile_destruction_completed_on: s.stockpile_destruction_completed_on,
        clearance_completed_on: s.clearance_completed_on,
        records_begin,
    }
}

/// The columns of a report that the obligations engine reads: never the sections, which
/// are most of a report's size.
#[derive(Debug, FromQueryResult)]
struct SubmittedReport {
    state_code: String,
    kind: StoredReportKind,
    reporting_year: i32,
    submitted_at: Option<DateTimeUtc>,
}

/// The day a report was submitted, in UTC.
fn report_fact(r: &SubmittedReport) -> ReportFact {
    ReportFact {
        kind: match r.kind {
            StoredReportKind::Initial => ReportKind::Initial,
            StoredReportKind::Annual => ReportKind::Annual,
        },
        reporting_year: r.reporting_year,
        submitted_on: r.submitted_at.map(|t| t.date_naive()),
    }
}

pub fn extension_fact(e: &deadline_extension::Model) -> ExtensionFact {
    ExtensionFact {
        kind: e.kind.into(),
        new_deadline: e.new_deadline,
    }
}

/// The facts of the reports that count towards fulfilment (submitted or published), by
/// State code: of the States in `codes`, or of every State when `codes` is None.
pub async fn report_facts(
    db: &DatabaseConnection,
    codes: Option<&[&str]>,
) -> Result<HashMap<String, Vec<ReportFact>>, DbErr> {
    use transparency_report::Column as C;
    let mut select = transparency_report::Entity::find()
        .select_only()
        .columns([C::StateCode, C::Kind, C::ReportingYear, C::SubmittedAt])
        .filter(C::Status.ne(ReportStatus::Draft));
    if let Some(codes) = codes {
        select = select.filter(C::StateCode.is_in(codes.iter().copied()));
    }
    let mut out: HashMap<String, Vec<ReportFact>> = HashMap::new();
    for r in select.into_model::<SubmittedReport>().all(db).await? {
        let fact = report_fact(&r);
        out.entry(r.state_code).or_default().push(fact);
    }
    Ok(out)
}

/// The extensions granted, oldest deadline first, by State code: of the States in `codes`,
/// or of every State when `codes` is None. `db` may be a unit of work's transaction, for a
/// write that depends on the deadline in force.
pub async fn extensions(
    db: &impl ConnectionTrait,
    codes: Option<&[&str]>,
) -> Result<HashMap<String, Vec<deadline_extension::Model>>, DbErr> {
    use deadline_extension::Column as C;
    let mut select = deadline_extension::Entity::find().order_by_asc(C::NewDeadline);
    if let Some(codes) = codes {
        select = select.filter(C::StateCode.is_in(codes.iter().copied()));
    }
    let mut out: HashMap<String, Vec<deadline_extension::Model>> = HashMap::new();
    for e in select.all(db).await? {
        out.entry(e.state_code.clone()).or_default().push(e);
    }
    Ok(out)
}

/// The extensions granted to one State, oldest deadline first.
pub async fn extensions_of(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Vec<deadline_extension::Model>, DbErr> {
    Ok(extensions(db, Some(&[code]))
        .await?
        .remove(code)
        .unwrap_or_default())
}

/// A State's obligations from facts already read.
pub fn compute(
    s: &state::Model,
    reports: &[ReportFact],
    extensions: &[deadline_extension::Model],
    records_begin: RecordsBegin,
    today: NaiveDate,
) -> Vec<Obligation> {
    let extensions: Vec<ExtensionFact> = extensions.iter().map(extension_fact).collect();
    obligations::obligations(
        &facts(s, records_begin),
        reports,
        &extensions,
        today,
        &Rules::default(),
    )
}

/// One State's obligations as of `today`.
pub async fn for_state(
    db: &DatabaseConnection,
    s: &state::Model,
    today: NaiveDate,
) -> Result<Vec<Obligation>, DbErr> {
    Ok(of_states(db, &[s], today)
        .await?
        .remove(&s.code)
        .unwrap_or_default())
}

/// The obligations of each of `states` as of `today`, by State code: four queries
/// whatever the number of States.
pub async fn of_states(
    db: &DatabaseConnection,
    states: &[&state::Model],
    today: NaiveDate,
) -> Result<HashMap<String, Vec<Obligation>>, DbErr> {
    let codes: Vec<&str> = states.iter().map(|s| s.code.as_str()).collect();
    let reports = report_facts(db, Some(&codes)).await?;
    let extensions = extensions(db, Some(&codes)).await?;
    let records = records::of_states(db, &codes).await?;
    Ok(states
        .iter()
        .map(|s| {
            let list = compute(
                s,
                reports.get(&s.code).map(Vec::as_slice).unwrap_or_default(),
                extensions
                    .get(&s.code)
                    .map(Vec::as_slice)
                    .unwrap_or_default(),
                records.get(&s.code).map(|r| r.begin()).unwrap_or_default(),
                today,
            );
            (s.code.clone(), list)
        })
        .collect())
}

/// Every State's obligations as of `today`, ordered by due date, then State code, then kind
/// and reporting year.
pub async fn for_all(
    db: &DatabaseConnection,
    today: NaiveDate,
) -> Result<Vec<(Arc<state::Model>, Obligation)>, DbErr> {
    let states = state::Entity::find()
        .filter(state::Column::Status.is_in([StateStatus::StateParty, StateStatus::Withdrawn]))
        .all(db)
        .await?;
    let refs: Vec<&state::Model> = states.iter().collect();
    let mut by_code = of_states(db, &refs, today).await?;
    let mut all = Vec::new();
    for s in states {
        let list = by_code.remove(&s.code).unwrap_or_default();
        let s = Arc::new(s);
        all.extend(list.into_iter().map(|o| (Arc::clone(&s), o)));
    }
    all.sort_by_cached_key(|(s, o)| sort_key(s, o));
    Ok(all)
}

/// The order of deadline lists, and the keyset of their cursors: fixed-width fields so that
/// comparing keys as strings compares them as tuples.
pub fn sort_key(s: &state::Model, o: &Obligation) -> String {
    format!(
        "{}|{}|{}|{:04}",
        o.due_date.format("%Y-%m-%d"),
        s.code,
        o.kind as u8,
        o.reporting_year.unwrap_or(0)
    )
}
