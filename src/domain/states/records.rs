//! From when the records are complete (docs/domain.md §3, "Not recorded"): the deployment's
//! date, kept in `app_settings` so that every process and the command line read the same,
//! and the per-State, per-kind dates a history import sets (`records_begin`).

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{app_setting, records_begin};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

use crate::rules::obligations::{ObligationKind, RecordsBegin};

/// The day this database first started a server or ran a command: the default start of
/// the records.
const CREATED_ON: &str = "database_created_on";
/// The start of the records in force: `ISU_RECORDS_SINCE`, or the day the database was
/// created.
const RECORDS_SINCE: &str = "records_since";

async fn setting<C: ConnectionTrait>(db: &C, key: &str) -> Result<Option<NaiveDate>, DbErr> {
    Ok(app_setting::Entity::find_by_id(key)
        .one(db)
        .await?
        .and_then(|row| row.value.parse().ok()))
}

async fn store<C: ConnectionTrait>(db: &C, key: &str, day: NaiveDate) -> Result<(), DbErr> {
    app_setting::Entity::insert(app_setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(day.to_string()),
    })
    .on_conflict(
        OnConflict::column(app_setting::Column::Key)
            .update_column(app_setting::Column::Value)
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// Settles the deployment's start of the records at startup: `configured` when given; else
/// the date in force is kept, and the first time it is the day the database was created
/// (recorded as `today`). A command run without `ISU_RECORDS_SINCE` so never undoes a
/// server's setting. Returns the date in force.
pub async fn settle<C: ConnectionTrait>(
    db: &C,
    configured: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<NaiveDate, DbErr> {
    let created = match setting(db, CREATED_ON).await? {
        Some(day) => day,
        None => {
            // Two processes starting at once store the same kind of value; the first wins.
            let inserted = app_setting::ActiveModel {
                key: Set(CREATED_ON.to_owned()),
                value: Set(today.to_string()),
            }
            .insert(db)
            .await;
            match inserted {
                Ok(_) => today,
                Err(_) => setting(db, CREATED_ON).await?.unwrap_or(today),
            }
        }
    };
    let stored = setting(db, RECORDS_SINCE).await?;
    let since = configured.or(stored).unwrap_or(created);
    if stored != Some(since) {
        store(db, RECORDS_SINCE, since).await?;
    }
    Ok(since)
}

/// The deployment's start of the records; None before any start settled it (then nothing
/// is NOT_RECORDED).
pub async fn deployment_since<C: ConnectionTrait>(db: &C) -> Result<Option<NaiveDate>, DbErr> {
    setting(db, RECORDS_SINCE).await
}

/// Where one State's records begin: the deployment's date and the kinds an import set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StateRecords {
    pub deployment: Option<NaiveDate>,
    /// Only the kinds an import set.
    pub imported: RecordsBegin,
}

impl StateRecords {
    /// The start in force for each kind: the imported one, else the deployment's.
    pub fn begin(&self) -> RecordsBegin {
        let mut begin = self.deployment.map(RecordsBegin::on).unwrap_or_default();
        for kind in ObligationKind::ALL {
            if let Some(since) = self.imported.of(kind) {
                begin = begin.with(kind, since);
            }
        }
        begin
    }
}

/// Where the records of each of `codes` begin: two queries whatever their number.
pub async fn of_states<C: ConnectionTrait>(
    db: &C,
    codes: &[&str],
) -> Result<HashMap<String, StateRecords>, DbErr> {
    let deployment = deployment_since(db).await?;
    let mut out: HashMap<String, StateRecords> = codes
        .iter()
        .map(|c| {
            (
                (*c).to_owned(),
                StateRecords {
                    deployment,
                    imported: RecordsBegin::default(),
                },
            )
        })
        .collect();
    let rows = records_begin::Entity::find()
        .filter(records_begin::Column::StateCode.is_in(codes.iter().copied()))
        .all(db)
        .await?;
    for row in rows {
        if let Some(r) = out.get_mut(&row.state_code) {
            r.imported = r.imported.with(row.kind.into(), row.since);
        }
    }
    Ok(out)
}
