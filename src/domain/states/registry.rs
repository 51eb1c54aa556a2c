//! The shipped States registry, `data/states.csv`, embedded in the binary so that a fresh
//! server needs no file beside it.

use chrono::NaiveDate;
use entity::enums::{DepositType, IncomeGroup, RegionalGroup, StateStatus};
use entity::state;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::kernel::clock::now;
use crate::kernel::error::ServiceError;
use crate::kernel::uow::Uow;

pub const EMBEDDED_CSV: &str = include_str!("../../../data/states.csv");

/// One row of the registry file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryRow {
    pub code: String,
    pub name: String,
    pub status: StateStatus,
    pub signature_date: Option<NaiveDate>,
    pub deposit_date: Option<NaiveDate>,
    pub deposit_type: Option<DepositType>,
    /// Kept in the file as a check; the server computes entry into force itself.
    pub entry_into_force_date: Option<NaiveDate>,
    pub withdrawal_effective_date: Option<NaiveDate>,
    pub regional_group: Option<RegionalGroup>,
    pub income_group: Option<IncomeGroup>,
    pub clearance_pending: bool,
    pub stockpile_destruction_completed_on: Option<NaiveDate>,
}

#[derive(Debug, serde::Deserialize)]
struct CsvRow {
    iso3: String,
    name: String,
    status: String,
    signature_date: String,
    deposit_date: String,
    deposit_type: String,
    entry_into_force_date: String,
    withdrawal_effective_date: String,
    regional_group: String,
    income_group: String,
    art4_clearance_pending: String,
    stockpile_destruction_completed_on: String,
}

fn date(line: usize, column: &str, s: &str) -> Result<Option<NaiveDate>, String> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map(Some)
        .map_err(|_| format!("line {line}: {column} `{s}` is not YYYY-MM-DD"))
}

fn enum_value<E: sea_orm::ActiveEnum<Value = String>>(
    line: usize,
    column: &str,
    s: &str,
) -> Result<Option<E>, String> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    E::try_from_value(&s.trim().to_uppercase())
        .map(Some)
        .map_err(|_| format!("line {line}: unknown {column} `{s}`"))
}

/// Parses the registry; any malformed row fails the whole file.
pub fn parse(csv_text: &str) -> Result<Vec<RegistryRow>, String> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in reader.deserialize::<CsvRow>().enumerate() {
        let line = i + 2;
        let r = rec.map_err(|e| format!("line {line}: {e}"))?;
        let code = r.iso3.trim().to_uppercase();
        if code.len() != 3 || !code.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(format!(
                "line {line}: `{}` is not an ISO alpha-3 code",
                r.iso3
            ));
        }
        rows.push(RegistryRow {
            code,
            name: r.name.trim().to_owned(),
            status: enum_value(line, "status", &r.status)?
                .ok_or_else(|| format!("line {line}: status is missing"))?,
            signature_date: date(line, "signature_date", &r.signature_date)?,
            deposit_date: date(line, "deposit_date", &r.deposit_date)?,
            deposit_type: enum_value(line, "deposit_type", &r.deposit_type)?,
            entry_into_force_date: date(line, "entry_into_force_date", &r.entry_into_force_date)?,
            withdrawal_effective_date: date(
                line,
                "withdrawal_effective_date",
                &r.withdrawal_effective_date,
            )?,
            regional_group: enum_value(line, "regional_group", &r.regional_group)?,
            income_group: enum_value(line, "income_group", &r.income_group)?,
            clearance_pending: matches!(r.art4_clearance_pending.trim(), "yes" | "true" | "1"),
            stockpile_destruction_completed_on: date(
                line,
                "stockpile_destruction_completed_on",
                &r.stockpile_destruction_completed_on,
            )?,
        });
    }
    Ok(rows)
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    pub inserted: usize,
    pub updated: usize,
}

/// Loads the rows: inserts new States and updates the registry fields of existing ones
/// (matched by code). Fields the file does not know (`holdsStockpiles`, `hasVictims`,
/// clearance completion) keep what the ISU recorded, and so does a stockpile completion
/// the file leaves empty or a history import declared. One transaction, one audit entry.
pub async fn load(
    db: &DatabaseConnection,
    rows: &[RegistryRow],
) -> Result<LoadReport, ServiceError> {
    let uow = Uow::begin(db, None, "seedStates").await?;
    let existing: std::collections::HashMap<String, state::Model> = state::Entity::find()
        .all(uow.txn())
        .await?
        .into_iter()
        .map(|m| (m.code.clone(), m))
        .collect();
    // A completion a history file declared is the better record: the registry's column does
    // not overwrite it, and an empty cell keeps what is recorded.
    let imported: std::collections::HashSet<String> = entity::imported_completion::Entity::find()
        .filter(
            entity::imported_completion::Column::Kind
                .eq(entity::enums::ObligationKind::StockpileDestruction),
        )
        .all(uow.txn())
        .await?
        .into_iter()
        .map(|c| c.state_code)
        .collect();
    let t = now();
    let mut report = LoadReport::default();
    let mut new_rows = Vec::new();
    for r in rows {
        match existing.get(&r.code) {
            Some(m) => {
                let mut next = m.clone();
                next.name = r.name.clone();
                next.status = r.status;
                next.regional_group = r.regional_group;
                next.income_group = r.income_group;
                next.signature_date = r.signature_date;
                next.deposit_date = r.deposit_date;
                next.deposit_type = r.deposit_type;
                next.withdrawal_effective_date = r.withdrawal_effective_date;
                next.contaminated = r.clearance_pending;
                if r.stockpile_destruction_completed_on.is_some() && !imported.contains(&r.code) {
                    next.stockpile_destruction_completed_on = r.stockpile_destruction_completed_on;
                }
                if next != *m {
                    next.updated_at = t;
                    state::ActiveModel::from(next)
                        .reset_all()
                        .update(uow.txn())
                        .await?;
                    report.updated += 1;
                }
            }
            None => {
                new_rows.push(state::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    code: Set(r.code.clone()),
                    name: Set(r.name.clone()),
                    status: Set(r.status),
                    regional_group: Set(r.regional_group),
                    income_group: Set(r.income_group),
                    signature_date: Set(r.signature_date),
                    deposit_date: Set(r.deposit_date),
                    deposit_type: Set(r.deposit_type),
                    withdrawal_effective_date: Set(r.withdrawal_effective_date),
                    holds_stockpiles: Set(false),
                    contaminated: Set(r.clearance_pending),
                    has_victims: Set(false),
                    stockpile_destruction_completed_on: Set(r.stockpile_destruction_completed_on),
                    clearance_completed_on: Set(None),
                    created_at: Set(t),
                    updated_at: Set(t),
                });
            }
        }
    }
    report.inserted = new_rows.len();
    for chunk in new_rows.chunks(50) {
        state::Entity::insert_many(chunk.to_vec())
            .exec(uow.txn())
            .await?;
    }
    if report.inserted + report.updated > 0 {
        uow.record(
            "StateRegistry",
            "data/states.csv",
            None,
            Some(json!({ "inserted": report.inserted, "updated": report.updated })),
        )
        .await?;
    }
    uow.commit().await?;
    Ok(report)
}

/// Loads the embedded registry when the table is empty (first start).
pub async fn load_if_empty(db: &DatabaseConnection) -> Result<Option<LoadReport>, ServiceError> {
    let count = state::Entity::find()
        .filter(state::Column::Code.is_not_null())
        .count(db)
        .await?;
    if count > 0 {
        return Ok(None);
    }
    let rows = parse(EMBEDDED_CSV).map_err(ServiceError::Internal)?;
    load(db, &rows).await.map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_registry_has_the_expected_states() {
        let rows = parse(EMBEDDED_CSV).expect("parses");
        let count = |s: StateStatus| rows.iter().filter(|r| r.status == s).count();
        assert_eq!(count(StateStatus::StateParty), 112);
        assert_eq!(count(StateStatus::Signatory), 12);
        assert_eq!(count(StateStatus::Withdrawn), 1);
        let ltu = rows.iter().find(|r| r.code == "LTU").expect("Lithuania");
        assert_eq!(
            ltu.withdrawal_effective_date,
            NaiveDate::from_ymd_opt(2025, 3, 6)
        );
        let lao = rows.iter().find(|r| r.code == "LAO").expect("Lao PDR");
        assert!(lao.clearance_pending);
        assert_eq!(lao.regional_group, Some(RegionalGroup::AsiaPacific));
    }

    #[test]
    fn malformed_rows_are_reported_with_their_line() {
        let header = "iso3,name,status,signature_date,deposit_date,deposit_type,entry_into_force_date,withdrawal_effective_date,regional_group,income_group,art4_clearance_pending,stockpile_destruction_completed_on\n";
        let bad_date = format!("{header}AAA,A,state_party,2008-13-01,,,,,AFRICA,LOW,,\n");
        assert!(parse(&bad_date).expect_err("bad date").contains("line 2"));
        let bad_status = format!("{header}AAA,A,friend,,,,,,AFRICA,LOW,,\n");
        assert!(
            parse(&bad_status)
                .expect_err("bad status")
                .contains("status")
        );
        let bad_code = format!("{header}AA1,A,state_party,,,,,,AFRICA,LOW,,\n");
        assert!(parse(&bad_code).is_err());
    }
}
