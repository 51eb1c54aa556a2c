//! Needs, offers, proposals and matches, each through the cooperation domain's rule
//! (`domain::cooperation::visibility`) for the request's viewer.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use entity::{assistance_need, assistance_offer, match_proposal};
use uuid::Uuid;

use super::keys::{ByRow, PagesByState, RowsById};
use super::{Batch, LoadError, fault};
use crate::domain::cooperation::service::OffersForNeeds;
use crate::kernel::error::ServiceError;
use crate::kernel::pagination::{Page, PageRequest};
use crate::rules::matching::Scored;

/// Needs for assistance the viewer may see: by ID (the side of a proposal) and a State's
/// pages.
pub enum Needs {}

impl RowsById for Needs {
    type Row = assistance_need::Model;
    fn id(row: &Self::Row) -> Uuid {
        row.id
    }
    async fn fetch(batch: &Batch, ids: Vec<Uuid>) -> Result<Vec<Self::Row>, ServiceError> {
        let db = &batch.app.db;
        Ok(crate::domain::cooperation::service::get_needs(db, &batch.viewer, &ids).await?)
    }
}

impl PagesByState for Needs {
    type Row = assistance_need::Model;
    async fn fetch(
        batch: &Batch,
        codes: Vec<String>,
        page: PageRequest,
    ) -> Result<HashMap<String, Page<Self::Row>>, ServiceError> {
        let db = &batch.app.db;
        crate::domain::cooperation::service::needs_of_states(db, &batch.viewer, &codes, &page).await
    }
}

/// Offers of assistance in the viewer's scope: as [`Needs`].
pub enum Offers {}

impl RowsById for Offers {
    type Row = assistance_offer::Model;
    fn id(row: &Self::Row) -> Uuid {
        row.id
    }
    async fn fetch(batch: &Batch, ids: Vec<Uuid>) -> Result<Vec<Self::Row>, ServiceError> {
        let scope = batch.offer_scope().await?;
        let db = &batch.app.db;
        Ok(crate::domain::cooperation::service::get_offers(db, &scope, &ids).await?)
    }
}

impl PagesByState for Offers {
    type Row = assistance_offer::Model;
    async fn fetch(
        batch: &Batch,
        codes: Vec<String>,
        page: PageRequest,
    ) -> Result<HashMap<String, Page<Self::Row>>, ServiceError> {
        let scope = batch.offer_scope().await?;
        let db = &batch.app.db;
        crate::domain::cooperation::service::offers_of_states(db, &scope, &codes, &page).await
    }
}

/// The needs a report declared, that the viewer may see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NeedsOfReport(pub Uuid);

impl Loader<NeedsOfReport> for Batch {
    type Value = Vec<assistance_need::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[NeedsOfReport],
    ) -> Result<HashMap<NeedsOfReport, Self::Value>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(
            crate::domain::cooperation::service::needs_of_reports(&self.app.db, &self.viewer, &ids)
                .await
                .map_err(fault)?
                .into_iter()
                .map(|(id, list)| (NeedsOfReport(id), list))
                .collect(),
        )
    }
}

/// The proposals made for a need or from an offer that the viewer may see, oldest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProposalsOf {
    Need(Uuid),
    Offer(Uuid),
}

impl Loader<ProposalsOf> for Batch {
    type Value = Vec<match_proposal::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ProposalsOf],
    ) -> Result<HashMap<ProposalsOf, Self::Value>, LoadError> {
        let (mut needs, mut offers) = (Vec::new(), Vec::new());
        for k in keys {
            match k {
                ProposalsOf::Need(id) => needs.push(*id),
                ProposalsOf::Offer(id) => offers.push(*id),
            }
        }
        let mut out: HashMap<ProposalsOf, Self::Value> =
            keys.iter().map(|k| (*k, vec![])).collect();
        for p in crate::domain::cooperation::proposals::of_many(
            &self.app.db,
            &self.viewer,
            &needs,
            &offers,
        )
        .await
        .map_err(fault)?
        {
            for k in [ProposalsOf::Need(p.need_id), ProposalsOf::Offer(p.offer_id)] {
                if let Some(list) = out.get_mut(&k) {
                    list.push(p.clone());
                }
            }
        }
        Ok(out)
    }
}

/// The open offers a need is matched against, among those in the viewer's scope: one
/// [`OffersForNeeds`] for every need asked about in the same batch, shared by their
/// `matches` and `unmatchedReasons`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OffersFor(pub ByRow<assistance_need::Model>);

impl Loader<OffersFor> for Batch {
    type Value = Arc<OffersForNeeds>;
    type Error = LoadError;

    async fn load(&self, keys: &[OffersFor]) -> Result<HashMap<OffersFor, Self::Value>, LoadError> {
        let needs: Vec<assistance_need::Model> =
            keys.iter().map(|k| k.0.0.as_ref().clone()).collect();
        let today = self.app.clock.today();
        let scope = self.offer_scope().await.map_err(fault)?;
        let all = OffersForNeeds::load(&self.app.db, &self.app.cooperation, &scope, &needs, today)
            .await
            .map_err(fault)?;
        let all = Arc::new(all);
        Ok(keys.iter().map(|k| (k.clone(), Arc::clone(&all))).collect())
    }
}

/// The needs an offer can serve, at most `1` of them, among those the viewer may see.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MatchesOfOffer(pub ByRow<assistance_offer::Model>, pub usize);

impl Loader<MatchesOfOffer> for Batch {
    type Value = Vec<(assistance_need::Model, Scored)>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[MatchesOfOffer],
    ) -> Result<HashMap<MatchesOfOffer, Self::Value>, LoadError> {
        let offers: Vec<assistance_offer::Model> =
            keys.iter().map(|k| k.0.0.as_ref().clone()).collect();
        let first = keys.iter().map(|k| k.1).max().unwrap_or(0);
        let ranked = crate::domain::cooperation::service::matches_for_offers(
            &self.app.db,
            &self.app.cooperation,
            &self.viewer,
            &offers,
            self.app.clock.today(),
            first,
        )
        .await
        .map_err(fault)?;
        Ok(keys
            .iter()
            .map(|k| {
                let mut list = ranked.get(&k.0.1).cloned().unwrap_or_default();
                list.truncate(k.1);
                (k.clone(), list)
            })
            .collect())
    }
}
