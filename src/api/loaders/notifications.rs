//! Contact points and notifications, through `domain::notifications` and its rule
//! (`domain::notifications::visibility`) for the request's viewer: a State's contact points,
//! a State's page of notifications.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::{contact_point, notification};

use super::keys::PagesByState;
use super::{Batch, LoadError, fault};
use crate::domain::notifications::{contacts, outbox};
use crate::kernel::error::ServiceError;
use crate::kernel::pagination::{Page, PageRequest};

/// The contact points of a State the viewer may read (none of a State it may not), in the
/// order they were added.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ContactsOf(pub String);

impl Loader<ContactsOf> for Batch {
    type Value = Vec<contact_point::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ContactsOf],
    ) -> Result<HashMap<ContactsOf, Self::Value>, LoadError> {
        let codes: Vec<String> = keys.iter().map(|k| k.0.clone()).collect();
        Ok(contacts::of_states(&self.app.db, &self.viewer, &codes)
            .await
            .map_err(fault)?
            .into_iter()
            .map(|(code, list)| (ContactsOf(code), list))
            .collect())
    }
}

/// Notifications about a State the viewer may read: a State's pages.
pub enum Notifications {}

impl PagesByState for Notifications {
    type Row = notification::Model;
    async fn fetch(
        batch: &Batch,
        codes: Vec<String>,
        page: PageRequest,
    ) -> Result<HashMap<String, Page<Self::Row>>, ServiceError> {
        outbox::for_states(&batch.app.db, &batch.viewer, &codes, &page).await
    }
}
