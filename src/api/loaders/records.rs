//! Meetings, their documents and decisions by ID, and decisions' follow-up, each through the
//! domain that owns it: documents and decisions by the records' rule
//! (`domain::records::visibility`) for the request's viewer; meetings are public.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::{decision, decision_update, meeting, meeting_document};
use uuid::Uuid;

use super::keys::RowsById;
use super::{Batch, LoadError, fault};
use crate::domain::records::{decisions, documents};
use crate::kernel::error::ServiceError;

/// Meetings by ID (the meeting of a document or a decision).
pub enum Meetings {}

impl RowsById for Meetings {
    type Row = meeting::Model;
    fn id(row: &Self::Row) -> Uuid {
        row.id
    }
    async fn fetch(batch: &Batch, ids: Vec<Uuid>) -> Result<Vec<Self::Row>, ServiceError> {
        Ok(crate::domain::sponsorship::service::get_meetings(&batch.app.db, &ids).await?)
    }
}

/// Meetings' documents by ID that the viewer may read (a follow-up step's evidence).
pub enum Documents {}

impl RowsById for Documents {
    type Row = meeting_document::Model;
    fn id(row: &Self::Row) -> Uuid {
        row.id
    }
    async fn fetch(batch: &Batch, ids: Vec<Uuid>) -> Result<Vec<Self::Row>, ServiceError> {
        Ok(documents::get_many(&batch.app.db, &batch.viewer, &ids).await?)
    }
}

/// Decisions by ID that the viewer may read (the one that superseded another).
pub enum Decisions {}

impl RowsById for Decisions {
    type Row = decision::Model;
    fn id(row: &Self::Row) -> Uuid {
        row.id
    }
    async fn fetch(batch: &Batch, ids: Vec<Uuid>) -> Result<Vec<Self::Row>, ServiceError> {
        Ok(decisions::get_many(&batch.app.db, &batch.viewer, &ids).await?)
    }
}

/// The follow-up of a decision the viewer already holds, oldest first.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct UpdatesOf(pub Uuid);

impl Loader<UpdatesOf> for Batch {
    type Value = Vec<decision_update::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[UpdatesOf]) -> Result<HashMap<UpdatesOf, Self::Value>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(decisions::updates_of(&self.app.db, &ids)
            .await
            .map_err(fault)?
            .into_iter()
            .map(|(id, list)| (UpdatesOf(id), list))
            .collect())
    }
}
