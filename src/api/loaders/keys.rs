//! The generic keys: a row by ID through the service that owns its kind, and a page of a
//! State's rows of a kind.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use uuid::Uuid;

use super::{Batch, LoadError, fault};
use crate::kernel::error::ServiceError;
use crate::kernel::pagination::{Page, PageRequest};

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
