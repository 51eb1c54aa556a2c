//! Per-request batching of references and nested lists, so that a list of N objects costs
//! the same few statements whatever N is.
//!
//! One [`Batch`] per request holds the database, the viewer and the viewer's cooperation
//! scope; it implements [`Loader`] once per key type, each a newtype naming what it loads.
//! The `DataLoader` collects the keys that sibling resolvers ask for in the same tick and
//! calls the matching service function once for all of them, with the viewer: every loader
//! applies the owning domain's visibility rule, as `node(id:)` does, so that what a nested
//! field returns is what `node(id:)` would. States and what their obligations are computed
//! from come, outside mutations, from the registry the server keeps under its stamp
//! ([`crate::domain::states::snapshot`]): read once, then answered from memory by
//! [`Loaders`] itself, without a batch or its window, until a write moves the stamp; so do
//! the lists of States. Nothing else is kept: a mutation reads what it wrote, through the
//! batched loaders (which cache the States for the request).
//!
//! The parts: `keys` (the generic keys: rows by ID, a State's pages), `states` (States,
//! what their obligations are computed from, reports, users), `cooperation` (needs, offers,
//! proposals and matches), `sponsorship` (a meeting's applications and statistics), `records`
//! (meetings, their documents and decisions, decisions' follow-up), `action_plan` (plans,
//! actions, indicators, values, the workplan activities naming an action), `notifications`
//! (a State's contact points and notifications), `experts` (a good practice's documents and
//! experts, a need's practices and suggested experts).

mod action_plan;
mod cooperation;
mod experts;
mod extensions;
mod keys;
mod notifications;
mod records;
mod sponsorship;
mod states;

pub use action_plan::{Actions, ActionsOf, ActivitiesOfPlan, IndicatorsOf, Plans, ValuesOf};
pub use cooperation::{MatchesOfOffer, Needs, NeedsOfReport, Offers, OffersFor, ProposalsOf};
pub use experts::{PracticeDocuments, PracticeExperts, PracticesInArea, SuggestionsFor};
pub use extensions::{
    ElementsOf, Extensions, QuestionsOf, RequestDocuments, Requests, RequestsOfMeeting,
    RequestsOfState,
};
pub use keys::{ById, ByRow, PageOf, PagesByState, RowsById};
pub use notifications::{ContactsOf, Notifications};
pub use records::{Decisions, Documents, Meetings, UpdatesOf};
pub use sponsorship::{ApplicationsOf, StatsOf};
pub use states::{
    CompletionsOf, ExtensionsOf, RecordsOf, ReportFactsOf, Reports, StateByCode, Users,
};

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use async_graphql::parser::types::OperationType;
use entity::{deadline_extension, state, transparency_report};
use tokio::sync::OnceCell;

use super::node::{Found, NodeRef};
use crate::api::context::AppContext;
use crate::api::error::ApiError;
use crate::auth::Viewer;
use crate::domain::cooperation::visibility::OfferScope;
use crate::domain::reports;
use crate::domain::states::records::StateRecords;
use crate::domain::states::snapshot::Registry;
use crate::kernel::error::ServiceError;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::stamps::RequestStamps;
use crate::rules::obligations::ReportFact;

/// What every loader reads with: the request's viewer decides visibility, as in the
/// services.
pub struct Batch {
    app: Arc<AppContext>,
    viewer: Viewer,
    /// The offers the viewer may read, worked out on the first read of an offer and shared
    /// by both loaders.
    offers: Arc<OnceCell<Arc<OfferScope>>>,
    /// What the operation reads from the server's caches, shared by both loaders.
    kept: Arc<Kept>,
}

/// The operation's reading of the stamps and of the registry cache. A mutation reads
/// nothing kept: its payload must show what it wrote, and the stamps may have been read
/// before it wrote.
struct Kept {
    stamps: Arc<RequestStamps>,
    registry: OnceCell<Arc<Registry>>,
    in_mutation: AtomicBool,
}

impl Batch {
    pub fn app(&self) -> &AppContext {
        &self.app
    }

    pub fn viewer(&self) -> &Viewer {
        &self.viewer
    }

    /// The registry as kept by the server under the operation's stamps (see
    /// [`crate::domain::states::snapshot`]); None in a mutation, which reads the tables.
    pub async fn registry(&self) -> Result<Option<Arc<Registry>>, ServiceError> {
        let Some(stamps) = self.stamps() else {
            return Ok(None);
        };
        let registry = self
            .kept
            .registry
            .get_or_try_init(|| self.app.registry.get(&self.app.db, stamps))
            .await?;
        Ok(Some(Arc::clone(registry)))
    }

    /// The operation's reading of the stamps, for a cache the server keeps; None in a
    /// mutation, which reads the tables and keeps nothing.
    pub fn stamps(&self) -> Option<&RequestStamps> {
        (!self.kept.in_mutation.load(Ordering::Relaxed)).then_some(&*self.kept.stamps)
    }

    /// The viewer's offer scope, read once per request.
    pub async fn offer_scope(&self) -> Result<Arc<OfferScope>, ServiceError> {
        self.offers
            .get_or_try_init(|| async {
                OfferScope::load(&self.app.db, &self.viewer)
                    .await
                    .map(Arc::new)
            })
            .await
            .cloned()
    }
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

    /// The request's batch, for reads that know all their keys at once.
    pub fn batch(&self) -> &Batch {
        self.plain.loader()
    }

    /// The offers the viewer may read (see [`OfferScope`]).
    pub async fn offer_scope(&self) -> Result<Arc<OfferScope>, ApiError> {
        Ok(self.batch().offer_scope().await?)
    }

    /// The object a global ID (or an audit entry) points at, when the viewer may see it:
    /// with the refs asked for meanwhile, each kind in one batch.
    pub async fn node(&self, r: NodeRef) -> Result<Option<Found>, LoadError> {
        self.plain.load_one(r).await
    }

    /// The registry kept by the server, outside mutations (see [`Batch::registry`]). What
    /// it holds is answered from memory at once: nothing to batch, no window to wait.
    async fn kept(&self) -> Result<Option<Arc<Registry>>, LoadError> {
        self.batch().registry().await.map_err(fault)
    }

    /// The whole registry: the one kept, else (in a mutation) read now.
    pub async fn registry(&self) -> Result<Arc<Registry>, LoadError> {
        if let Some(registry) = self.kept().await? {
            return Ok(registry);
        }
        let db = &self.batch().app.db;
        Ok(Arc::new(Registry::load(db).await.map_err(fault)?))
    }

    /// A State by code: from the kept registry, else from the request's cache when already
    /// read, else in a batch.
    pub async fn state(&self, code: &str) -> Result<Option<state::Model>, LoadError> {
        if let Some(registry) = self.kept().await? {
            return Ok(registry.state(code).cloned());
        }
        self.states.load_one(StateByCode(code.to_owned())).await
    }

    /// The facts of a State's submitted and published reports, which its obligations are
    /// computed from.
    pub async fn report_facts(&self, code: &str) -> Result<Vec<ReportFact>, LoadError> {
        if let Some(registry) = self.kept().await? {
            return Ok(registry.report_facts(code).to_vec());
        }
        let facts = self.plain.load_one(ReportFactsOf(code.to_owned())).await?;
        Ok(facts.unwrap_or_default())
    }

    /// The extensions granted to a State, oldest deadline first.
    pub async fn extensions(
        &self,
        code: &str,
    ) -> Result<Vec<deadline_extension::Model>, LoadError> {
        if let Some(registry) = self.kept().await? {
            return Ok(registry.extensions(code).to_vec());
        }
        let extensions = self.plain.load_one(ExtensionsOf(code.to_owned())).await?;
        Ok(extensions.unwrap_or_default())
    }

    /// Where a State's records begin.
    pub async fn records(&self, code: &str) -> Result<StateRecords, LoadError> {
        if let Some(registry) = self.kept().await? {
            return Ok(registry.records(code));
        }
        let records = self.plain.load_one(RecordsOf(code.to_owned())).await?;
        Ok(records.unwrap_or_default())
    }

    /// A page of a State's reports from the published reports the server keeps, when the
    /// viewer may read only the published ones of that State and the operation is no
    /// mutation; else None, and the page is read in a batch ([`Reports`]).
    pub async fn kept_reports_page(
        &self,
        code: &str,
        page: &PageRequest,
    ) -> Result<Option<Page<transparency_report::Model>>, LoadError> {
        let batch = self.batch();
        let Some(stamps) = batch.stamps() else {
            return Ok(None);
        };
        if !reports::service::reads_only_published_of(&batch.viewer, code) {
            return Ok(None);
        }
        let published = batch
            .app
            .published_reports
            .get(&batch.app.db, stamps)
            .await
            .map_err(fault)?;
        Ok(Some(published.page_of(code, page).map_err(fault)?))
    }

    /// The States of `codes` that exist, in that order.
    pub async fn states(&self, codes: &[String]) -> Result<Vec<state::Model>, LoadError> {
        if let Some(registry) = self.kept().await? {
            return Ok(codes
                .iter()
                .filter_map(|c| registry.state(c).cloned())
                .collect());
        }
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

use std::hash::Hash;

/// Turns the loader task lets other tasks take before its batching window opens.
const YIELDS_BEFORE_WINDOW: usize = 16;

impl Batch {
    /// The loader collects keys for 1 ms after the first one, and the window opens only
    /// after the request's task has had `YIELDS_BEFORE_WINDOW` more turns: resolving a
    /// long list hands the scheduler back every few dozen items, and on a slow machine
    /// 1 ms alone would split one batch into several.
    /// `stamps` is the operation's reading of the stamps (see [`crate::kernel::stamps`]).
    pub fn loaders(app: Arc<AppContext>, viewer: Viewer, stamps: Arc<RequestStamps>) -> Loaders {
        let offers = Arc::new(OnceCell::new());
        let kept = Arc::new(Kept {
            stamps,
            registry: OnceCell::new(),
            in_mutation: AtomicBool::new(false),
        });
        Loaders {
            plain: DataLoader::new(
                Self {
                    app: Arc::clone(&app),
                    viewer: viewer.clone(),
                    offers: Arc::clone(&offers),
                    kept: Arc::clone(&kept),
                },
                spawn_after_yields,
            ),
            states: DataLoader::with_cache(
                Self {
                    app,
                    viewer,
                    offers,
                    kept,
                },
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

/// The request's loader, from the request data.
pub fn loaders<'a>(ctx: &Context<'a>) -> Result<&'a Loaders, ApiError> {
    let loaders = ctx
        .data::<Loaders>()
        .map_err(|_| ApiError::Internal("loaders missing from request data".into()))?;
    // Every read of a resolver goes through here before it loads anything.
    if ctx.query_env.operation.node.ty == OperationType::Mutation {
        loaders
            .batch()
            .kept
            .in_mutation
            .store(true, Ordering::Relaxed);
    }
    Ok(loaders)
}

/// Loader errors are cloned to every waiting resolver: the GraphQL error itself, with its
/// code and (for faults) correlation ID.
type LoadError = async_graphql::Error;

fn fault(e: impl Into<ServiceError>) -> LoadError {
    ApiError::from(e.into()).into()
}

/// Objects by global ID, each kind through its service's visibility rule
/// ([`super::node::resolve`]).
impl Loader<NodeRef> for Batch {
    type Value = Found;
    type Error = LoadError;

    async fn load(&self, keys: &[NodeRef]) -> Result<HashMap<NodeRef, Found>, LoadError> {
        super::node::resolve(self, keys).await.map_err(fault)
    }
}
