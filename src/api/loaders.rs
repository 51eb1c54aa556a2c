//! Per-request batching of references and nested lists, so that a list of N objects costs
//! the same few statements whatever N is.
//!
//! One [`Batch`] per request holds the database, the viewer and today's date; it
//! implements [`Loader`] once per key type below, each a newtype naming what it loads. The
//! `DataLoader` collects the keys that sibling resolvers ask for in the same tick and calls
//! the matching service function once for all of them. Only States are cached, for the
//! request: lists of States prime the cache, so that references back to them (a report's
//! State, a need's State) cost nothing. Nothing else is cached: a mutation's payload reads
//! what the mutation wrote.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::sync::Arc;

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use entity::enums::ApplicationStatus;
use entity::{
    assistance_need, assistance_offer, deadline_extension, match_proposal, meeting, state,
    transparency_report, user,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::node::{Found, NodeRef};
use crate::api::context::AppContext;
use crate::api::error::ApiError;
use crate::auth::Viewer;
use crate::domain::cooperation::service::OffersForNeeds;
use crate::domain::sponsorship::service::{Application, Stats};
use crate::kernel::error::ServiceError;
use crate::kernel::pagination::{Page, PageRequest};
use crate::rules::matching::Scored;
use crate::rules::obligations::ReportFact;

/// What every loader reads with: the request's viewer decides visibility, as in the
/// services.
pub struct Batch {
    app: AppContext,
    viewer: Viewer,
}

/// The request's loaders: one without a cache, and one that caches States.
pub struct Loaders {
    plain: DataLoader<Batch>,
    states: DataLoader<Batch, HashMapCache>,
}

impl Loaders {
    /// Loads `key` in a batch with the other keys of its kind asked for meanwhile.
    pub async fn load_one<K>(
        &self,
        key: K,
    ) -> Result<Option<<Batch as Loader<K>>::Value>, LoadError>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        Batch: Loader<K, Error = LoadError>,
    {
        self.plain.load_one(key).await
    }

    /// The object a global ID (or an audit entry) points at, when the viewer may see it:
    /// with the refs asked for meanwhile, each kind in one batch.
    pub async fn node(&self, r: NodeRef) -> Result<Option<Found>, LoadError> {
        self.plain.load_one(r).await
    }

    /// A State by code, from the request's cache when already read.
    pub async fn state(&self, code: &str) -> Result<Option<state::Model>, LoadError> {
        self.states.load_one(StateByCode(code.to_owned())).await
    }

    /// The States of `codes` that exist, in that order.
    pub async fn states(&self, codes: &[String]) -> Result<Vec<state::Model>, LoadError> {
        let mut found = self
            .states
            .load_many(codes.iter().map(|c| StateByCode(c.clone())))
            .await?;
        Ok(codes
            .iter()
            .filter_map(|c| found.remove(&StateByCode(c.clone())))
            .collect())
    }
}

/// Turns the loader task lets other tasks take before its batching window opens.
const YIELDS_BEFORE_WINDOW: usize = 16;

impl Batch {
    /// The loader collects keys for 1 ms after the first one, and the window opens only
    /// after the request's task has had [`YIELDS_BEFORE_WINDOW`] more turns: resolving a
    /// long list hands the scheduler back every few dozen items, and on a slow machine
    /// 1 ms alone would split one batch into several.
    pub fn loaders(app: AppContext, viewer: Viewer) -> Loaders {
        Loaders {
            plain: DataLoader::new(
                Self {
                    app: app.clone(),
                    viewer: viewer.clone(),
                },
                spawn_after_yields,
            ),
            states: DataLoader::with_cache(
                Self { app, viewer },
                spawn_after_yields,
                HashMapCache::default(),
            ),
        }
    }
}

fn spawn_after_yields<F>(load: F) -> tokio::task::JoinHandle<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move {
        for _ in 0..YIELDS_BEFORE_WINDOW {
            tokio::task::yield_now().await;
        }
        load.await;
    })
}

/// Primes the request's State cache with States already read.
pub async fn remember_states(ctx: &Context<'_>, states: &[state::Model]) -> Result<(), ApiError> {
    loaders(ctx)?
        .states
        .feed_many(
            states
                .iter()
                .map(|s| (StateByCode(s.code.clone()), s.clone())),
        )
        .await;
    Ok(())
}

/// The request's loader, from the request data.
pub fn loaders<'a>(ctx: &Context<'a>) -> Result<&'a Loaders, ApiError> {
    ctx.data::<Loaders>()
        .map_err(|_| ApiError::Internal("loaders missing from request data".into()))
}

/// Loader errors are cloned to every waiting resolver: the GraphQL error itself, with its
/// code and (for faults) correlation ID.
type LoadError = async_graphql::Error;

fn fault(e: impl Into<ServiceError>) -> LoadError {
    ApiError::from(e.into()).into()
}

/// A model in a key, compared by its ID only: the loader needs the whole row (a State's
/// dates, a need's amounts) and the parent already has it.
#[derive(Clone, Debug)]
pub struct ByRow<T>(pub Arc<T>, pub Uuid);

impl<T> PartialEq for ByRow<T> {
    fn eq(&self, other: &Self) -> bool {
        self.1 == other.1
    }
}
impl<T> Eq for ByRow<T> {}
impl<T> Hash for ByRow<T> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.1.hash(h);
    }
}

/// A State by its code.
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

/// Groups keys that share a page request, so that each group is one grouped fetch.
fn by_page<K: Clone>(
    keys: &[K],
    parts: impl Fn(&K) -> (String, PageRequest),
) -> Vec<(PageRequest, Vec<(K, String)>)> {
    let mut groups: Vec<(PageRequest, Vec<(K, String)>)> = Vec::new();
    for k in keys {
        let (code, page) = parts(k);
        match groups.iter_mut().find(|(p, _)| *p == page) {
            Some((_, list)) => list.push((k.clone(), code)),
            None => groups.push((page, vec![(k.clone(), code)])),
        }
    }
    groups
}

/// Runs one grouped fetch per distinct page request and hands each key its page.
async fn pages_by_state<K, M, F, Fut>(
    keys: &[K],
    parts: impl Fn(&K) -> (String, PageRequest),
    fetch: F,
) -> Result<HashMap<K, Page<M>>, LoadError>
where
    K: Clone + Eq + Hash,
    F: Fn(Vec<String>, PageRequest) -> Fut,
    Fut: Future<Output = Result<HashMap<String, Page<M>>, ServiceError>>,
{
    let mut out = HashMap::new();
    for (page, members) in by_page(keys, parts) {
        let codes: Vec<String> = members.iter().map(|(_, c)| c.clone()).collect();
        let mut pages = fetch(codes, page).await.map_err(fault)?;
        for (k, code) in members {
            out.insert(k, pages.remove(&code).unwrap_or_else(Page::empty));
        }
    }
    Ok(out)
}

/// Rows of one kind by ID, through the service that owns them: each a type with no values,
/// naming what [`ById`] loads.
pub trait RowsById: Send + Sync + 'static {
    type Row: Clone + Send + Sync + 'static;
    fn id(row: &Self::Row) -> Uuid;
    fn fetch(
        batch: &Batch,
        ids: Vec<Uuid>,
    ) -> impl Future<Output = Result<Vec<Self::Row>, ServiceError>> + Send;
}

/// A row by ID: `ById::<Reports>::new(id)`. Missing rows (or rows the kind's rule hides)
/// load as None.
pub struct ById<T>(pub Uuid, PhantomData<fn() -> T>);

impl<T> ById<T> {
    pub fn new(id: Uuid) -> Self {
        Self(id, PhantomData)
    }
}

/// A page of a State's rows of one kind that the viewer may see, through the service that
/// owns them: one grouped statement for every State asking for the same page.
pub trait PagesByState: Send + Sync + 'static {
    type Row: Clone + Send + Sync + 'static;
    fn fetch(
        batch: &Batch,
        codes: Vec<String>,
        page: PageRequest,
    ) -> impl Future<Output = Result<HashMap<String, Page<Self::Row>>, ServiceError>> + Send;
}

/// A page of a State's rows: `PageOf::<Needs>::new(code, page)`.
pub struct PageOf<T>(pub String, pub PageRequest, PhantomData<fn() -> T>);

impl<T> PageOf<T> {
    pub fn new(state_code: String, page: PageRequest) -> Self {
        Self(state_code, page, PhantomData)
    }
}

// Keys compare by their data only: the marker type is not data (a derive would ask the
// marker for the traits).
impl<T> Clone for ById<T> {
    fn clone(&self) -> Self {
        Self::new(self.0)
    }
}
impl<T> PartialEq for ById<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl<T> Eq for ById<T> {}
impl<T> Hash for ById<T> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.0.hash(h);
    }
}
impl<T> Clone for PageOf<T> {
    fn clone(&self) -> Self {
        Self::new(self.0.clone(), self.1.clone())
    }
}
impl<T> PartialEq for PageOf<T> {
    fn eq(&self, other: &Self) -> bool {
        (&self.0, &self.1) == (&other.0, &other.1)
    }
}
impl<T> Eq for PageOf<T> {}
impl<T> Hash for PageOf<T> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        (&self.0, &self.1).hash(h);
    }
}

impl<T: RowsById> Loader<ById<T>> for Batch {
    type Value = T::Row;
    type Error = LoadError;

    async fn load(&self, keys: &[ById<T>]) -> Result<HashMap<ById<T>, T::Row>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(T::fetch(self, ids)
            .await
            .map_err(fault)?
            .into_iter()
            .map(|row| (ById::new(T::id(&row)), row))
            .collect())
    }
}

impl<T: PagesByState> Loader<PageOf<T>> for Batch {
    type Value = Page<T::Row>;
    type Error = LoadError;

    async fn load(&self, keys: &[PageOf<T>]) -> Result<HashMap<PageOf<T>, Self::Value>, LoadError> {
        pages_by_state(
            keys,
            |k| (k.0.clone(), k.1.clone()),
            |codes, page| T::fetch(self, codes, page),
        )
        .await
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

/// Needs for assistance: a State's pages when the viewer may see them; by ID as the side of
/// a proposal (whoever may see the proposal sees its need).
pub enum Needs {}

impl RowsById for Needs {
    type Row = assistance_need::Model;
    fn id(row: &Self::Row) -> Uuid {
        row.id
    }
    async fn fetch(batch: &Batch, ids: Vec<Uuid>) -> Result<Vec<Self::Row>, ServiceError> {
        let db = &batch.app.db;
        Ok(
            crate::domain::cooperation::service::sides_of_proposals(db, &ids, &[])
                .await?
                .0,
        )
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

/// Offers of assistance: as [`Needs`].
pub enum Offers {}

impl RowsById for Offers {
    type Row = assistance_offer::Model;
    fn id(row: &Self::Row) -> Uuid {
        row.id
    }
    async fn fetch(batch: &Batch, ids: Vec<Uuid>) -> Result<Vec<Self::Row>, ServiceError> {
        let db = &batch.app.db;
        Ok(
            crate::domain::cooperation::service::sides_of_proposals(db, &[], &ids)
                .await?
                .1,
        )
    }
}

impl PagesByState for Offers {
    type Row = assistance_offer::Model;
    async fn fetch(
        batch: &Batch,
        codes: Vec<String>,
        page: PageRequest,
    ) -> Result<HashMap<String, Page<Self::Row>>, ServiceError> {
        let db = &batch.app.db;
        crate::domain::cooperation::service::offers_of_states(db, &batch.viewer, &codes, &page)
            .await
    }
}

/// User accounts by ID (the actor of an audit entry, which only administrators read).
pub enum Users {}

impl RowsById for Users {
    type Row = user::Model;
    fn id(row: &Self::Row) -> Uuid {
        row.id
    }
    async fn fetch(batch: &Batch, ids: Vec<Uuid>) -> Result<Vec<Self::Row>, ServiceError> {
        Ok(user::Entity::find()
            .filter(user::Column::Id.is_in(ids))
            .all(&batch.app.db)
            .await?)
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

/// The proposals made for a need or from an offer, oldest first.
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
        for p in crate::domain::cooperation::proposals::of_many(&self.app.db, &needs, &offers)
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

/// The open offers a need is matched against: one [`OffersForNeeds`] for every need asked
/// about in the same batch, shared by their `matches` and `unmatchedReasons`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OffersFor(pub ByRow<assistance_need::Model>);

impl Loader<OffersFor> for Batch {
    type Value = Arc<OffersForNeeds>;
    type Error = LoadError;

    async fn load(&self, keys: &[OffersFor]) -> Result<HashMap<OffersFor, Self::Value>, LoadError> {
        let needs: Vec<assistance_need::Model> =
            keys.iter().map(|k| k.0.0.as_ref().clone()).collect();
        let today = self.app.clock.today();
        let all = OffersForNeeds::load(&self.app.db, &self.app.cooperation, &needs, today)
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

/// Objects by global ID, each kind through its service's visibility rule
/// ([`super::node::resolve`]).
impl Loader<NodeRef> for Batch {
    type Value = Found;
    type Error = LoadError;

    async fn load(&self, keys: &[NodeRef]) -> Result<HashMap<NodeRef, Found>, LoadError> {
        super::node::resolve(&self.app, &self.viewer, keys)
            .await
            .map_err(fault)
    }
}
