//! The resource base, through `domain::experts` and its rules for the request's viewer: a
//! good practice's documents (the records' rule) and experts (the experts' rule), the
//! practices of a need's thematic area, and the experts suggested for a need. Each is one
//! batch for every key asked for in the same tick.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::enums::ThematicArea;
use entity::{assistance_need, expert, good_practice, meeting_document};
use uuid::Uuid;

use super::keys::ByRow;
use super::{Batch, LoadError, fault};
use crate::domain::experts::{practices, suggestions};
use crate::rules::experts::Candidate;

/// The documents a good practice names that the viewer may read, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PracticeDocuments(pub Uuid);

impl Loader<PracticeDocuments> for Batch {
    type Value = Vec<meeting_document::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[PracticeDocuments],
    ) -> Result<HashMap<PracticeDocuments, Self::Value>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(practices::documents_of(&self.app.db, &self.viewer, &ids)
            .await
            .map_err(fault)?
            .into_iter()
            .map(|(id, list)| (PracticeDocuments(id), list))
            .collect())
    }
}

/// The experts a good practice names that the viewer may read, by name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PracticeExperts(pub Uuid);

impl Loader<PracticeExperts> for Batch {
    type Value = Vec<expert::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[PracticeExperts],
    ) -> Result<HashMap<PracticeExperts, Self::Value>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(practices::experts_of(&self.app.db, &self.viewer, &ids)
            .await
            .map_err(fault)?
            .into_iter()
            .map(|(id, list)| (PracticeExperts(id), list))
            .collect())
    }
}

/// The newest practices of a thematic area, at most the number given (a need's practices).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PracticesInArea(pub ThematicArea, pub u64);

impl Loader<PracticesInArea> for Batch {
    type Value = Vec<good_practice::Model>;
    type Error = LoadError;

    /// One statement for all the areas: the largest number asked for, each key then cut to
    /// its own (the newest come first either way).
    async fn load(
        &self,
        keys: &[PracticesInArea],
    ) -> Result<HashMap<PracticesInArea, Self::Value>, LoadError> {
        let mut areas: Vec<ThematicArea> = Vec::new();
        for k in keys {
            if !areas.contains(&k.0) {
                areas.push(k.0);
            }
        }
        let limit = keys.iter().map(|k| k.1).max().unwrap_or(0);
        let by_area = practices::in_areas(&self.app.db, &self.viewer, &areas, limit)
            .await
            .map_err(fault)?;
        Ok(keys
            .iter()
            .map(|k| {
                let mut list = by_area.get(&k.0).cloned().unwrap_or_default();
                list.truncate(usize::try_from(k.1).unwrap_or(usize::MAX));
                (k.clone(), list)
            })
            .collect())
    }
}

/// The experts suggested for a need the viewer holds, best first, at most the number given.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SuggestionsFor(pub ByRow<assistance_need::Model>, pub usize);

impl Loader<SuggestionsFor> for Batch {
    type Value = Vec<(expert::Model, Candidate)>;
    type Error = LoadError;

    /// One ranking for all the needs (four statements): the largest number asked for, each
    /// key then cut to its own (the ranking's order does not depend on how many are taken).
    async fn load(
        &self,
        keys: &[SuggestionsFor],
    ) -> Result<HashMap<SuggestionsFor, Self::Value>, LoadError> {
        let mut needs: Vec<assistance_need::Model> = Vec::new();
        for k in keys {
            if !needs.iter().any(|n| n.id == k.0.1) {
                needs.push((*k.0.0).clone());
            }
        }
        let first = keys.iter().map(|k| k.1).max().unwrap_or(0);
        let by_need = suggestions::suggest_many(
            &self.app.db,
            &self.viewer,
            &self.app.experts,
            &needs,
            self.app.clock.today(),
            first,
            self.stamps(),
        )
        .await
        .map_err(fault)?;
        Ok(keys
            .iter()
            .map(|k| {
                let mut list = by_need.get(&k.0.1).cloned().unwrap_or_default();
                list.truncate(k.1);
                (k.clone(), list)
            })
            .collect())
    }
}
