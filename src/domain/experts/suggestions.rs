//! Experts for a need: the need's and the roster's facts read in a fixed number of
//! statements, ranked by [`crate::rules::experts::rank`].
//!
//! For any number of needs ([`suggest_many`]), at most three statements: the cache stamps
//! (shared with the rest of the request) for the roster the server holds ([`roster::facts`]:
//! every State and the active experts' facts, only the columns the rules read, read again
//! in two statements when a write moved its stamp), the needing States' active contact
//! points (their working languages), and the chosen experts' rows by ID, through the
//! experts' visibility rule. Who is eligible, the scores and their order are
//! the rules' alone.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use entity::enums::{NeedStatus, split_values};
use entity::{assistance_need, expert};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{ExpertsConfig, roster, state_facts, visibility};
use crate::auth::Viewer;
use crate::domain::notifications::contacts;
use crate::kernel::error::ServiceError;
use crate::kernel::stamps::RequestStamps;
use crate::kernel::vocabulary::{AssistanceType, Language};
use crate::rules::experts::{self, Candidate, NeedFacts, languages};

/// Whether `need` is one experts are suggested for: it asks for technical expertise or
/// training, and is neither met nor withdrawn.
pub fn wants_experts(need: &assistance_need::Model) -> bool {
    !matches!(need.status, NeedStatus::Met | NeedStatus::Withdrawn)
        && experts::wants_experts(&split_values::<AssistanceType>(&need.assistance_types))
}

/// The `first` best experts for each of `needs` (which the caller has already read through
/// the needs' visibility rule) that `viewer` may read, best first; empty for a need that
/// asks for neither technical expertise nor training. At most three statements whatever
/// their number (none when no need wants experts); every need asked for is in the answer.
/// `stamps` is the request's reading of the cache stamps, None in a mutation.
pub async fn suggest_many(
    db: &DatabaseConnection,
    viewer: &Viewer,
    config: &ExpertsConfig,
    needs: &[assistance_need::Model],
    today: NaiveDate,
    first: usize,
    stamps: Option<&RequestStamps>,
) -> Result<HashMap<Uuid, Vec<(expert::Model, Candidate)>>, ServiceError> {
    let mut out: HashMap<Uuid, Vec<(expert::Model, Candidate)>> =
        needs.iter().map(|n| (n.id, Vec::new())).collect();
    let wanting: Vec<&assistance_need::Model> = needs.iter().filter(|n| wants_experts(n)).collect();
    if wanting.is_empty() || first == 0 || viewer.principal().is_none() {
        return Ok(out);
    }
    let held = roster::facts(db, &config.roster, stamps).await?;
    let (states, roster) = (&held.states, &held.experts);
    let needing: Vec<&str> = wanting.iter().map(|n| n.state_code.as_str()).collect();
    let contact_points = contacts::active(db, Some(&needing)).await?;
    let mut ranked: Vec<(Uuid, Vec<Candidate>)> = Vec::new();
    for need in wanting {
        let Some(s) = states.get(&need.state_code) else {
            return Err(ServiceError::Internal(format!(
                "need {} without its State {}",
                need.id, need.state_code
            )));
        };
        let mut spoken: Vec<Language> = Vec::new();
        for c in contact_points.get(&need.state_code).into_iter().flatten() {
            if !spoken.contains(&c.language) {
                spoken.push(c.language);
            }
        }
        let (languages, language_source) = languages::working(&s.code, s.regional_group, &spoken);
        let need_facts = NeedFacts {
            state: state_facts(s),
            area: need.thematic_area,
            types: split_values(&need.assistance_types),
            period_start: need.period_start,
            period_end: need.period_end,
            languages,
            language_source,
        };
        ranked.push((
            need.id,
            experts::rank(&need_facts, roster, &config.weights, today, first),
        ));
    }
    let chosen: BTreeSet<Uuid> = ranked
        .iter()
        .flat_map(|(_, list)| list.iter().map(|c| c.expert))
        .collect();
    if chosen.is_empty() {
        return Ok(out);
    }
    let rows: HashMap<Uuid, expert::Model> = expert::Entity::find()
        .filter(expert::Column::Id.is_in(chosen))
        .filter(visibility::readable(viewer))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    for (need, list) in ranked {
        // An expert erased between the two reads is left out.
        out.insert(
            need,
            list.into_iter()
                .filter_map(|c| rows.get(&c.expert).map(|e| (e.clone(), c)))
                .collect(),
        );
    }
    Ok(out)
}
