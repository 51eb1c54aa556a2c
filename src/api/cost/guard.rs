//! The run-time guard: the estimate is a model, and a model can be wrong (a field whose
//! list has no bound the schema states, a schema change the model reads differently), so
//! the objects that lists actually hold are counted as they are resolved, and past a hard
//! cap the rest of the operation is not run. [`super::super::execute`] then answers one
//! `QUERY_TOO_COMPLEX` error instead of the partial data.
//!
//! The count is kept where lists of objects are resolved: every connection's edges
//! ([`crate::api::pagination::Conn`]) and every other list of objects ([`Objects`], the type
//! the resolvers return instead of a `Vec`). A single object is not counted: each one hangs
//! from the root or from an element of a counted list, and a document holds a bounded
//! number of fields, so the lists bound it. It is not an async-graphql extension, because
//! any extension sends every field through the slow path of resolution (a registry lookup
//! and a few allocations per field), which cost a quarter of a list's CPU time.

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use async_graphql::resolver_utils::resolve_list;
use async_graphql::{
    ContextBase, ContextSelectionSet, OutputType, Positioned, ServerError, ServerResult, Value,
};

use super::too_complex;

/// What one operation may still resolve, in the request's data.
#[derive(Clone)]
pub struct Budget(Arc<Inner>);

struct Inner {
    cap: u64,
    resolved: AtomicU64,
    tripped: AtomicBool,
}

impl Budget {
    pub fn new(cap: u64) -> Self {
        Self(Arc::new(Inner {
            cap,
            resolved: AtomicU64::new(0),
            tripped: AtomicBool::new(false),
        }))
    }

    /// Objects resolved so far.
    pub fn resolved(&self) -> u64 {
        self.0.resolved.load(Ordering::Relaxed)
    }

    /// Whether the operation went past the cap and was stopped.
    pub fn tripped(&self) -> bool {
        self.0.tripped.load(Ordering::Relaxed)
    }

    /// The error of an operation stopped at the cap.
    pub fn refusal(&self) -> super::super::limits::Refusal {
        too_complex(format!(
            "The query resolved more than {} objects, the most one operation may: ask for \
             smaller pages (`first`) or fewer nested lists.",
            self.0.cap
        ))
    }

    /// Counts `n` objects about to be resolved; false once past the cap (and from then on).
    fn admit(&self, n: usize) -> bool {
        if self.tripped() {
            return false;
        }
        let n = u64::try_from(n).unwrap_or(u64::MAX);
        let before = self.0.resolved.fetch_add(n, Ordering::Relaxed);
        if before.saturating_add(n) <= self.0.cap {
            return true;
        }
        self.0.tripped.store(true, Ordering::Relaxed);
        false
    }
}

/// Counts a list of `n` objects into the operation's [`Budget`] (operations without one,
/// internal probes, are not counted); past the cap, the message of the error that stops
/// the list (cheap: the answer is replaced by one error after the operation ends).
pub fn charge<T>(ctx: &ContextBase<'_, T>, n: usize) -> Result<(), &'static str> {
    match ctx.data_opt::<Budget>() {
        Some(budget) if !budget.admit(n) => Err("stopped: too many objects"),
        _ => Ok(()),
    }
}

/// A list of objects a resolver returns: in the schema exactly a `[T!]!`, counted into the
/// operation's [`Budget`] before its elements are resolved.
pub struct Objects<T>(pub Vec<T>);

impl<T> From<Vec<T>> for Objects<T> {
    fn from(items: Vec<T>) -> Self {
        Self(items)
    }
}

impl<T> FromIterator<T> for Objects<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl<T: OutputType> OutputType for Objects<T> {
    fn type_name() -> Cow<'static, str> {
        Vec::<T>::type_name()
    }

    fn qualified_type_name() -> String {
        Vec::<T>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        Vec::<T>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        charge(ctx, self.0.len()).map_err(|m| ServerError::new(m, Some(field.pos)))?;
        resolve_list(ctx, field, &self.0, Some(self.0.len())).await
    }
}
