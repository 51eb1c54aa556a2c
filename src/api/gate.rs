//! Turns to execute GraphQL queries: at most `ISU_MAX_OPERATIONS` at once, from the first
//! resolver to the last. The others wait their turn in arrival order, holding only their
//! parsed document, so that a burst of connections costs memory for the answers being built
//! by the few executing, not by every one; two cores cannot run more than two at a time
//! anyway. Mutations do not take turns: a login waiting for its password hash, or a write
//! waiting for the database, must not hold back the reads (and writes are limited per user,
//! `crate::api::writes`). The counts are in `/metrics`.

use std::sync::Arc;

use prometheus_client::metrics::gauge::Gauge;
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::api::metrics::Metrics;

/// One server's turns.
pub struct QueryGate {
    turns: Semaphore,
    metrics: Arc<Metrics>,
}

/// A query's turn: it ends when dropped.
pub struct Turn<'a> {
    _permit: Option<SemaphorePermit<'a>>,
    executing: &'a Gauge,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        self.executing.dec();
    }
}

/// A query waiting: counted until it has its turn or is dropped (its client left).
struct Waiting<'a>(&'a Gauge);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.dec();
    }
}

impl QueryGate {
    /// `limit` queries at once (at least 1; no more than a semaphore holds).
    pub fn new(limit: usize, metrics: Arc<Metrics>) -> Self {
        Self {
            turns: Semaphore::new(limit.clamp(1, Semaphore::MAX_PERMITS)),
            metrics,
        }
    }

    /// Waits for a turn.
    pub async fn enter(&self) -> Turn<'_> {
        let (executing, waiting) = self.metrics.queries();
        waiting.inc();
        let waited = Waiting(waiting);
        // The semaphore is never closed: acquire fails only on a closed one.
        let permit = self.turns.acquire().await.ok();
        drop(waited);
        executing.inc();
        Turn {
            _permit: permit,
            executing,
        }
    }
}
