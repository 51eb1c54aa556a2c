//! The roster's facts as the suggestion rules read them, with every State by code, kept in
//! memory between requests under the `experts` cache stamp ([`crate::kernel::stamps`]):
//! triggers move it in every transaction that changes an expert or a State, through the
//! services or around them, so a server serves the roster it holds only while it is the
//! database's, and a write through one server is seen at once by all. A request in a
//! mutation reads it again and keeps nothing.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use entity::enums::split_values;
use entity::{expert, state};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::state_facts;
use crate::kernel::error::ServiceError;
use crate::kernel::stamps::{RequestStamps, Stamped};
use crate::kernel::vocabulary::ThematicArea;
use crate::rules::experts::{self, ExpertFacts, StateFacts};

/// The name of the roster's counter in `cache_stamps`.
pub const STAMP: &str = "experts";

/// Every State by code and the active experts' facts, as read under one stamp.
#[derive(Debug, Default)]
pub struct Roster {
    pub states: HashMap<String, state::Model>,
    pub experts: Vec<ExpertFacts>,
}

/// The roster a server holds, under the stamp it was read under. One per server.
#[derive(Default)]
pub struct RosterCache(Stamped<Roster>);

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

/// The roster as of the request's reading of the stamps (`stamps`; None in a mutation,
/// which reads it again and keeps nothing): from memory when nothing changed since it was
/// read, else read (two statements).
pub async fn facts(
    db: &DatabaseConnection,
    cache: &RosterCache,
    stamps: Option<&RequestStamps>,
) -> Result<Arc<Roster>, ServiceError> {
    let stamp = match stamps {
        Some(stamps) => stamps.of(db, STAMP).await?,
        None => None,
    };
    Ok(cache.0.get_or_load(stamp, load(db)).await?)
}

async fn load(db: &DatabaseConnection) -> Result<Roster, DbErr> {
    use expert::Column as C;
    let states = crate::domain::states::service::all_by_code(db).await?;
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
    Ok(Roster {
        states,
        experts: roster,
    })
}
