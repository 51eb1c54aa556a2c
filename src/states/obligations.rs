//! Feeds the pure obligations engine from the database: a State's registry row, its
//! submitted reports and its extensions. Listing every State's deadlines takes three queries
//! whatever the number of States.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use entity::enums::{
    ObligationKind as StoredKind, ReportKind as StoredReportKind, ReportStatus, StateStatus,
};
use entity::{deadline_extension, state, transparency_report};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::obligations::{
    self, ExtensionFact, Obligation, ObligationKind, ReportFact, ReportKind, Rules, Standing,
    StateFacts,
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

pub fn facts(s: &state::Model) -> StateFacts {
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
    }
}

/// The day a report was submitted, in UTC.
pub fn report_fact(r: &transparency_report::Model) -> ReportFact {
    ReportFact {
        kind: match r.kind {
            StoredReportKind::Initial => ReportKind::Initial,
            StoredReportKind::Annual => ReportKind::Annual,
        },
        reporting_year: r.reporting_year,
        submitted_on: match r.status {
            ReportStatus::Draft => None,
            ReportStatus::Submitted | ReportStatus::Published => {
                r.submitted_at.map(|t| t.date_naive())
            }
        },
    }
}

pub fn extension_fact(e: &deadline_extension::Model) -> ExtensionFact {
    ExtensionFact {
        kind: e.kind.into(),
        new_deadline: e.new_deadline,
    }
}

/// Reports that count towards fulfilment: submitted or published.
fn submitted_reports() -> sea_orm::Select<transparency_report::Entity> {
    transparency_report::Entity::find()
        .filter(transparency_report::Column::Status.ne(ReportStatus::Draft))
}

pub async fn extensions_of(
    db: &DatabaseConnection,
    code: &str,
) -> Result<Vec<deadline_extension::Model>, DbErr> {
    deadline_extension::Entity::find()
        .filter(deadline_extension::Column::StateCode.eq(code))
        .order_by_asc(deadline_extension::Column::NewDeadline)
        .all(db)
        .await
}

/// One State's obligations as of `today`.
pub async fn for_state(
    db: &DatabaseConnection,
    s: &state::Model,
    today: NaiveDate,
) -> Result<Vec<Obligation>, DbErr> {
    let reports: Vec<ReportFact> = submitted_reports()
        .filter(transparency_report::Column::StateCode.eq(s.code.as_str()))
        .all(db)
        .await?
        .iter()
        .map(report_fact)
        .collect();
    let extensions: Vec<ExtensionFact> = extensions_of(db, &s.code)
        .await?
        .iter()
        .map(extension_fact)
        .collect();
    Ok(obligations::obligations(
        &facts(s),
        &reports,
        &extensions,
        today,
        &Rules::default(),
    ))
}

/// The obligations of each of `states` as of `today`, by State code: two queries
/// whatever the number of States.
pub async fn of_states(
    db: &DatabaseConnection,
    states: &[&state::Model],
    today: NaiveDate,
) -> Result<HashMap<String, Vec<Obligation>>, DbErr> {
    let codes: Vec<&str> = states.iter().map(|s| s.code.as_str()).collect();
    let mut reports: HashMap<String, Vec<ReportFact>> = HashMap::new();
    for r in submitted_reports()
        .filter(transparency_report::Column::StateCode.is_in(codes.clone()))
        .all(db)
        .await?
    {
        reports
            .entry(r.state_code.clone())
            .or_default()
            .push(report_fact(&r));
    }
    let mut extensions: HashMap<String, Vec<ExtensionFact>> = HashMap::new();
    for e in deadline_extension::Entity::find()
        .filter(deadline_extension::Column::StateCode.is_in(codes))
        .all(db)
        .await?
    {
        extensions
            .entry(e.state_code.clone())
            .or_default()
            .push(extension_fact(&e));
    }
    let rules = Rules::default();
    Ok(states
        .iter()
        .map(|s| {
            let list = obligations::obligations(
                &facts(s),
                reports.get(&s.code).map(Vec::as_slice).unwrap_or_default(),
                extensions
                    .get(&s.code)
                    .map(Vec::as_slice)
                    .unwrap_or_default(),
                today,
                &rules,
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
    let mut reports: HashMap<String, Vec<ReportFact>> = HashMap::new();
    for r in submitted_reports().all(db).await? {
        reports
            .entry(r.state_code.clone())
            .or_default()
            .push(report_fact(&r));
    }
    let mut extensions: HashMap<String, Vec<ExtensionFact>> = HashMap::new();
    for e in deadline_extension::Entity::find().all(db).await? {
        extensions
            .entry(e.state_code.clone())
            .or_default()
            .push(extension_fact(&e));
    }
    let rules = Rules::default();
    let mut all = Vec::new();
    for s in states {
        let list = obligations::obligations(
            &facts(&s),
            reports.get(&s.code).map(Vec::as_slice).unwrap_or_default(),
            extensions
                .get(&s.code)
                .map(Vec::as_slice)
                .unwrap_or_default(),
            today,
            &rules,
        );
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
