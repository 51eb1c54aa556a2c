//! The roster's facts as the suggestion rules read them, kept in memory between requests
//! and never stale: every write to the roster (add, update, erase) gives the roster a new
//! stamp in its own transaction (`app_settings`, key [`STAMP`]), and a read uses what it
//! holds only when the stamp and the States' facts it was built from are those of the
//! database now. Every server reads the stamp from the database on each request, so a write
//! through one server is seen at once by all.
//!
//! A request reads the stamp before the roster: what it caches under a stamp is never older
//! than that stamp's write. Rows written around the services (the benchmark's bulk load, a
//! `db copy` into a new database) are seen by a server that starts afterwards.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use entity::app_setting;
use entity::enums::split_values;
use entity::{expert, state};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QuerySelect, Set,
};
use uuid::Uuid;

use super::state_facts;
use crate::kernel::error::ServiceError;
use crate::kernel::vocabulary::ThematicArea;
use crate::rules::experts::{self, ExpertFacts, StateFacts};

/// The `app_settings` key of the roster's stamp.
pub const STAMP: &str = "experts_roster_stamp";

/// Gives the roster a new stamp, on `conn`: the transaction of the write that changes it.
pub async fn touch(conn: &impl ConnectionTrait) -> Result<(), DbErr> {
    app_setting::Entity::insert(app_setting::ActiveModel {
        key: Set(STAMP.to_owned()),
        value: Set(Uuid::now_v7().to_string()),
    })
    .on_conflict(
        OnConflict::column(app_setting::Column::Key)
            .update_column(app_setting::Column::Value)
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// What a cached roster was built from: the stamp, and a digest of the States' facts that
/// South-South reads (a registry edit changes it).
type Key = (String, u64);

/// The active experts' facts, with the stamp they were read under. One per server.
#[derive(Default)]
pub struct RosterCache(Mutex<Option<(Key, Arc<Vec<ExpertFacts>>)>>);

impl std::fmt::Debug for RosterCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RosterCache").finish_non_exhaustive()
    }
}

/// The columns of an expert the rules read.
#[derive(Debug, FromQueryResult)]
struct RosterRow {
    id: Uuid,
    nationality_code: Option<String>,
    areas: String,
    assistance_types: String,
    languages: String,
    regions: String,
    available_from: Option<NaiveDate>,
    available_until: Option<NaiveDate>,
}

/// Every State, by code, and the active experts' facts: two statements when the roster is
/// cached and has not changed, three when it must be read.
pub async fn facts(
    db: &DatabaseConnection,
    cache: &RosterCache,
) -> Result<(HashMap<String, state::Model>, Arc<Vec<ExpertFacts>>), ServiceError> {
    let stamp = app_setting::Entity::find_by_id(STAMP)
        .one(db)
        .await?
        .map(|s| s.value)
        .unwrap_or_default();
    let states: HashMap<String, state::Model> = state::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.code.clone(), s))
        .collect();
    let key = (stamp, digest(&states));
    if let Some((held, roster)) = &*lock(cache)
        && *held == key
    {
        return Ok((states, Arc::clone(roster)));
    }
    use expert::Column as C;
    let rows = expert::Entity::find()
        .select_only()
        .columns([
            C::Id,
            C::NationalityCode,
            C::Areas,
            C::AssistanceTypes,
            C::Languages,
            C::Regions,
            C::AvailableFrom,
            C::AvailableUntil,
        ])
        .filter(C::Active.eq(true))
        .into_model::<RosterRow>()
        .all(db)
        .await?;
    // Each State's facts worked out once, not once per expert.
    let facts_of: HashMap<&str, StateFacts> = states
        .values()
        .map(|s| (s.code.as_str(), state_facts(s)))
        .collect();
    let roster: Vec<ExpertFacts> = rows
        .into_iter()
        .map(|e| {
            let areas: Vec<ThematicArea> = split_values(&e.areas);
            let state = e.nationality_code.as_deref().and_then(|c| states.get(c));
            let south_south = e
                .nationality_code
                .as_deref()
                .and_then(|c| facts_of.get(c))
                .is_some_and(|f| experts::south_south(f, &areas));
            ExpertFacts {
                id: e.id,
                nationality_name: state.map(|s| s.name.clone()),
                nationality: e.nationality_code,
                areas,
                types: split_values(&e.assistance_types),
                languages: split_values(&e.languages),
                regions: split_values(&e.regions),
                available_from: e.available_from,
                available_until: e.available_until,
                south_south,
                active: true,
            }
        })
        .collect();
    let roster = Arc::new(roster);
    *lock(cache) = Some((key, Arc::clone(&roster)));
    Ok((states, roster))
}

/// The cache's lock; a panic elsewhere while holding it leaves nothing half-written (it
/// only ever holds a whole value), so a poisoned lock is used as it is.
fn lock(cache: &RosterCache) -> std::sync::MutexGuard<'_, Option<(Key, Arc<Vec<ExpertFacts>>)>> {
    cache
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A digest of what South-South and the reasons read of each State.
fn digest(states: &HashMap<String, state::Model>) -> u64 {
    let mut codes: Vec<&String> = states.keys().collect();
    codes.sort();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for code in codes {
        let s = &states[code];
        (
            &s.code,
            &s.name,
            s.regional_group.map(|g| g as u8),
            s.contaminated,
            s.holds_stockpiles,
            s.has_victims,
            s.stockpile_destruction_completed_on,
            s.clearance_completed_on,
        )
            .hash(&mut h);
    }
    h.finish()
}
