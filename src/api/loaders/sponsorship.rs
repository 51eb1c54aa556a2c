//! A meeting's applications and statistics, as the viewer may see them.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use entity::enums::ApplicationStatus;
use entity::meeting;
use uuid::Uuid;

use super::keys::ByRow;
use super::{Batch, LoadError, fault};
use crate::domain::sponsorship::service::{Application, Stats};
use crate::kernel::pagination::{Page, PageRequest};

/// A page of a meeting's sponsorship applications that the viewer may see.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ApplicationsOf(
    pub ByRow<meeting::Model>,
    pub Option<Vec<ApplicationStatus>>,
    pub PageRequest,
);

impl Loader<ApplicationsOf> for Batch {
    type Value = Page<Application>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ApplicationsOf],
    ) -> Result<HashMap<ApplicationsOf, Self::Value>, LoadError> {
        // One grouped fetch per distinct filter and page.
        let mut groups: HashMap<
            (&Option<Vec<ApplicationStatus>>, &PageRequest),
            Vec<&ApplicationsOf>,
        > = HashMap::new();
        for k in keys {
            groups.entry((&k.1, &k.2)).or_default().push(k);
        }
        let mut out = HashMap::new();
        for ((statuses, page), members) in groups {
            let meetings: Vec<Arc<meeting::Model>> =
                members.iter().map(|k| Arc::clone(&k.0.0)).collect();
            let mut pages = crate::domain::sponsorship::service::list_applications(
                &self.app.db,
                &self.app.sponsorship,
                &self.viewer,
                &meetings,
                statuses.clone(),
                page,
                self.app.clock.today(),
            )
            .await
            .map_err(fault)?;
            for k in members {
                out.insert(k.clone(), pages.remove(&k.0.1).unwrap_or_else(Page::empty));
            }
        }
        Ok(out)
    }
}

/// The balance of a meeting's approved delegates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StatsOf(pub Uuid);

impl Loader<StatsOf> for Batch {
    type Value = Stats;
    type Error = LoadError;

    async fn load(&self, keys: &[StatsOf]) -> Result<HashMap<StatsOf, Stats>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(
            crate::domain::sponsorship::service::stats(&self.app.db, &self.viewer, &ids)
                .await
                .map_err(fault)?
                .into_iter()
                .map(|(id, s)| (StatsOf(id), s))
                .collect(),
        )
    }
}
