//! Extension requests through `domain::extensions` and its rule for the request's viewer:
//! requests by ID, a State's and a meeting's requests, and each request's elements,
//! questions and documents (the documents also by the records' rule); the deadline
//! extensions a grant created, by ID. Each is one batch for every key asked for in the same
//! tick.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::{
    deadline_extension, extension_request, extension_request_element, extension_request_question,
    meeting_document,
};
use uuid::Uuid;

use super::keys::RowsById;
use super::{Batch, LoadError, fault};
use crate::domain::extensions::service;
use crate::kernel::error::ServiceError;

/// Extension requests by ID that the viewer may read (a request's `previous`, a milestone's
/// request under way).
pub enum Requests {}

impl RowsById for Requests {
    type Row = extension_request::Model;
    fn id(row: &Self::Row) -> Uuid {
        row.id
    }
    async fn fetch(batch: &Batch, ids: Vec<Uuid>) -> Result<Vec<Self::Row>, ServiceError> {
        Ok(service::get_many(&batch.app.db, &batch.viewer, &ids).await?)
    }
}

/// Deadline extensions by ID (the one a grant created). Extensions are public.
pub enum Extensions {}

impl RowsById for Extensions {
    type Row = deadline_extension::Model;
    fn id(row: &Self::Row) -> Uuid {
        row.id
    }
    async fn fetch(batch: &Batch, ids: Vec<Uuid>) -> Result<Vec<Self::Row>, ServiceError> {
        Ok(crate::domain::states::service::extensions_by_ids(&batch.app.db, &ids).await?)
    }
}

/// The requests of a State that the viewer may read, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RequestsOfState(pub String);

impl Loader<RequestsOfState> for Batch {
    type Value = Vec<extension_request::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[RequestsOfState],
    ) -> Result<HashMap<RequestsOfState, Self::Value>, LoadError> {
        let codes: Vec<String> = keys.iter().map(|k| k.0.clone()).collect();
        Ok(service::of_states(&self.app.db, &self.viewer, &codes)
            .await
            .map_err(fault)?
            .into_iter()
            .map(|(code, list)| (RequestsOfState(code), list))
            .collect())
    }
}

/// The requests a meeting is asked to decide that the viewer may read, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RequestsOfMeeting(pub Uuid);

impl Loader<RequestsOfMeeting> for Batch {
    type Value = Vec<extension_request::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[RequestsOfMeeting],
    ) -> Result<HashMap<RequestsOfMeeting, Self::Value>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(service::of_meetings(&self.app.db, &self.viewer, &ids)
            .await
            .map_err(fault)?
            .into_iter()
            .map(|(id, list)| (RequestsOfMeeting(id), list))
            .collect())
    }
}

/// The element texts of a request the viewer reads.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ElementsOf(pub Uuid);

impl Loader<ElementsOf> for Batch {
    type Value = Vec<extension_request_element::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ElementsOf],
    ) -> Result<HashMap<ElementsOf, Self::Value>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(service::elements_of(&self.app.db, &ids)
            .await
            .map_err(fault)?
            .into_iter()
            .map(|(id, list)| (ElementsOf(id), list))
            .collect())
    }
}

/// The analysis group's questions of a request the viewer reads, in the order asked.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct QuestionsOf(pub Uuid);

impl Loader<QuestionsOf> for Batch {
    type Value = Vec<extension_request_question::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[QuestionsOf],
    ) -> Result<HashMap<QuestionsOf, Self::Value>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(service::questions_of(&self.app.db, &ids)
            .await
            .map_err(fault)?
            .into_iter()
            .map(|(id, list)| (QuestionsOf(id), list))
            .collect())
    }
}

/// The documents attached to a request the viewer reads, that the viewer may read.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RequestDocuments(pub Uuid);

impl Loader<RequestDocuments> for Batch {
    type Value = Vec<meeting_document::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[RequestDocuments],
    ) -> Result<HashMap<RequestDocuments, Self::Value>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(service::documents_of(&self.app.db, &self.viewer, &ids)
            .await
            .map_err(fault)?
            .into_iter()
            .map(|(id, list)| (RequestDocuments(id), list))
            .collect())
    }
}
