//! The run-time guard: the estimate is a model, and a model can be wrong (a field whose
//! list has no bound the schema states, a schema change the model reads differently), so
//! the objects actually resolved are counted as they are entered, and past a hard cap the
//! rest of the operation is not run. [`super::super::execute`] then answers one
//! `QUERY_TOO_COMPLEX` error instead of the partial data.
//!
//! It is an extension because only the resolve hook sees every object, nested lists and
//! introspection included; the count is per operation, in the request's data ([`Budget`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo,
};
use async_graphql::{ServerError, ServerResult, Value};

use super::model::CostModel;
use super::too_complex;

/// What one operation may still resolve.
#[derive(Clone)]
pub struct Budget(Arc<Inner>);

struct Inner {
    cap: u64,
    resolved: AtomicU64,
    tripped: AtomicBool,
    model: Arc<CostModel>,
}

impl Budget {
    pub fn new(cap: u64, model: Arc<CostModel>) -> Self {
        Self(Arc::new(Inner {
            cap,
            resolved: AtomicU64::new(0),
            tripped: AtomicBool::new(false),
            model,
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

    /// Counts the value `info` is about to resolve when it is an object (a list element or
    /// a single object); false once past the cap.
    fn admit(&self, info: &ResolveInfo<'_>) -> bool {
        if self.tripped() {
            return false;
        }
        let ty = info.return_type;
        if ty.starts_with('[') || !self.0.model.is_composite(ty.trim_end_matches('!')) {
            return true;
        }
        if self.0.resolved.fetch_add(1, Ordering::Relaxed) < self.0.cap {
            return true;
        }
        self.0.tripped.store(true, Ordering::Relaxed);
        false
    }
}

/// The extension counting objects into the operation's [`Budget`]; operations without one
/// (internal probes) are not counted.
pub struct ResolvedObjects;

impl ExtensionFactory for ResolvedObjects {
    fn create(&self) -> Arc<dyn Extension> {
        static COUNTER: std::sync::OnceLock<Arc<Counter>> = std::sync::OnceLock::new();
        COUNTER.get_or_init(|| Arc::new(Counter)).clone()
    }
}

struct Counter;

#[async_trait::async_trait]
impl Extension for Counter {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        match ctx.data_opt::<Budget>() {
            Some(budget) if !budget.admit(&info) => {
                // Cheap: the answer is replaced by one error after the operation ends.
                Err(ServerError::new("stopped: too many objects", None))
            }
            _ => next.run(ctx, info).await,
        }
    }
}
