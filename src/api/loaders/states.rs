//! States and what hangs off them: the facts their obligations are computed from, their
//! reports; and user accounts.

use std::collections::HashMap;
use std::hash::Hash;

use async_graphql::dataloader::Loader;
use entity::{deadline_extension, imported_completion, state, transparency_report, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::keys::{PagesByState, RowsById};
use super::{Batch, LoadError, fault};
use crate::domain::states::records::StateRecords;
use crate::kernel::error::ServiceError;
use crate::kernel::pagination::{Page, PageRequest};
use crate::rules::obligations::ReportFact;

/// A State by its code (upper case), read from the table: [`super::Loaders::state`] answers
/// from the kept registry first.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StateByCode(pub String);

impl Loader<StateByCode> for Batch {
    type Value = state::Model;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[StateByCode],
    ) -> Result<HashMap<StateByCode, state::Model>, LoadError> {
        let codes = keys.iter().map(|k| k.0.clone());
        Ok(state::Entity::find()
            .filter(state::Column::Code.is_in(codes))
            .all(&self.app.db)
            .await
            .map_err(fault)?
            .into_iter()
            .map(|s| (StateByCode(s.code.clone()), s))
            .collect())
    }
}

/// Hands each key its State's entry of `by_code`, empty when the State has none.
fn per_state<K: Clone + Eq + Hash, V: Default>(
    keys: &[K],
    code: impl Fn(&K) -> &String,
    mut by_code: HashMap<String, V>,
) -> HashMap<K, V> {
    keys.iter()
        .map(|k| (k.clone(), by_code.remove(code(k)).unwrap_or_default()))
        .collect()
}

/// The facts of a State's submitted and published reports: what its obligations are
/// computed from, with its extensions ([`ExtensionsOf`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReportFactsOf(pub String);

impl Loader<ReportFactsOf> for Batch {
    type Value = Vec<ReportFact>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ReportFactsOf],
    ) -> Result<HashMap<ReportFactsOf, Vec<ReportFact>>, LoadError> {
        let codes: Vec<&str> = keys.iter().map(|k| k.0.as_str()).collect();
        let by_code = crate::domain::states::obligations::report_facts(&self.app.db, Some(&codes))
            .await
            .map_err(fault)?;
        Ok(per_state(keys, |k| &k.0, by_code))
    }
}

/// The extensions granted to a State, oldest deadline first.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ExtensionsOf(pub String);

impl Loader<ExtensionsOf> for Batch {
    type Value = Vec<deadline_extension::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ExtensionsOf],
    ) -> Result<HashMap<ExtensionsOf, Vec<deadline_extension::Model>>, LoadError> {
        let codes: Vec<&str> = keys.iter().map(|k| k.0.as_str()).collect();
        let by_code = crate::domain::states::obligations::extensions(&self.app.db, Some(&codes))
            .await
            .map_err(fault)?;
        Ok(per_state(keys, |k| &k.0, by_code))
    }
}

/// Where a State's records begin: the deployment's date and the kinds an import set.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RecordsOf(pub String);

impl Loader<RecordsOf> for Batch {
    type Value = StateRecords;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[RecordsOf],
    ) -> Result<HashMap<RecordsOf, StateRecords>, LoadError> {
        let codes: Vec<&str> = keys.iter().map(|k| k.0.as_str()).collect();
        let by_code = crate::domain::states::records::of_states(&self.app.db, &codes)
            .await
            .map_err(fault)?;
        Ok(per_state(keys, |k| &k.0, by_code))
    }
}

/// The completions a history file declared for a State, with their provenance.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CompletionsOf(pub String);

impl Loader<CompletionsOf> for Batch {
    type Value = Vec<imported_completion::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[CompletionsOf],
    ) -> Result<HashMap<CompletionsOf, Vec<imported_completion::Model>>, LoadError> {
        let codes = keys.iter().map(|k| k.0.clone());
        let mut by_code: HashMap<String, Vec<imported_completion::Model>> = HashMap::new();
        for row in imported_completion::Entity::find()
            .filter(imported_completion::Column::StateCode.is_in(codes))
            .order_by_asc(imported_completion::Column::Kind)
            .all(&self.app.db)
            .await
            .map_err(fault)?
        {
            by_code.entry(row.state_code.clone()).or_default().push(row);
        }
        Ok(per_state(keys, |k| &k.0, by_code))
    }
}

/// Transparency reports: by ID and a State's pages, when the viewer may see them.
pub enum Reports {}

impl RowsById for Reports {
    type Row = transparency_report::Model;
    fn id(row: &Self::Row) -> Uuid {
        row.id
    }
    async fn fetch(batch: &Batch, ids: Vec<Uuid>) -> Result<Vec<Self::Row>, ServiceError> {
        let db = &batch.app.db;
        Ok(crate::domain::reports::service::get_many(db, &batch.viewer, &ids).await?)
    }
}

impl PagesByState for Reports {
    type Row = transparency_report::Model;
    async fn fetch(
        batch: &Batch,
        codes: Vec<String>,
        page: PageRequest,
    ) -> Result<HashMap<String, Page<Self::Row>>, ServiceError> {
        let db = &batch.app.db;
        crate::domain::reports::service::for_states(db, &batch.viewer, &codes, &page).await
    }
}

/// User accounts by ID that the viewer may see (the actor of an audit entry).
pub enum Users {}

impl RowsById for Users {
    type Row = user::Model;
    fn id(row: &Self::Row) -> Uuid {
        row.id
    }
    async fn fetch(batch: &Batch, ids: Vec<Uuid>) -> Result<Vec<Self::Row>, ServiceError> {
        crate::domain::users::service::get_users(&batch.app.db, &batch.viewer, &ids).await
    }
}
