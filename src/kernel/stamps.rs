//! Stamps: what lets a server keep data between requests and still never answer from data
//! older than a committed write, whichever server made the write.
//!
//! The table `cache_stamps` holds one counter per cached set of data (its name). Triggers on
//! the tables a set is read from add one to its counter in the writing transaction (on
//! PostgreSQL at commit, after the write's other locks, so that the counter's row lock can
//! close no cycle), so the new counter becomes visible with the write and with nothing
//! else. Every write counts, through the services or not (a bulk load, a copy, `psql`).
//!
//! A request reads every counter at once, the first time it needs one ([`RequestStamps`]),
//! and a cache serves it only what was read under the counter it read ([`Stamped`],
//! [`StampedMap`]). What was cached under a counter was read after that counter was, so it
//! includes every write the counter counts; a request that read the same counter started
//! after no write it does not count. A server that wrote reads the new counter on its next
//! request like any other: two servers on one database need nothing else. The price is one
//! small statement per request that uses a cache, instead of the statements the cache
//! saves.
//!
//! A counter that changes in either direction (a database restored from an older copy)
//! empties the cache; a counter that is missing (a database not migrated this far) serves
//! nothing from it.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};

use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Statement};
use tokio::sync::OnceCell;

/// The counters as one request read them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stamps(HashMap<String, i64>);

#[derive(FromQueryResult)]
struct Row {
    name: String,
    generation: i64,
}

impl Stamps {
    /// Every counter, in one statement.
    pub async fn read(db: &impl ConnectionTrait) -> Result<Self, DbErr> {
        let rows = Row::find_by_statement(Statement::from_string(
            db.get_database_backend(),
            "SELECT name, generation FROM cache_stamps",
        ))
        .all(db)
        .await?;
        Ok(Self(
            rows.into_iter().map(|r| (r.name, r.generation)).collect(),
        ))
    }

    /// The counter of `name`, when the table has it.
    pub fn of(&self, name: &str) -> Option<i64> {
        self.0.get(name).copied()
    }
}

/// One request's reading of the counters: read on first use, then the same for the rest of
/// the request.
#[derive(Debug, Default)]
pub struct RequestStamps(OnceCell<Stamps>);

impl RequestStamps {
    pub fn new() -> Self {
        Self::default()
    }

    /// The counter of `name` as this request reads it (one statement, on the first call).
    pub async fn of(&self, db: &impl ConnectionTrait, name: &str) -> Result<Option<i64>, DbErr> {
        let stamps = self.0.get_or_try_init(|| Stamps::read(db)).await?;
        Ok(stamps.of(name))
    }
}

/// One value (a snapshot of a small table set) kept under the counter it was read under.
pub struct Stamped<T> {
    held: Mutex<Option<(i64, Arc<T>)>>,
    /// One load at a time: requests that miss together wait for the first one's load.
    loading: tokio::sync::Mutex<()>,
}

impl<T> Default for Stamped<T> {
    fn default() -> Self {
        Self {
            held: Mutex::new(None),
            loading: tokio::sync::Mutex::new(()),
        }
    }
}

impl<T> Stamped<T> {
    fn held_at(&self, stamp: i64) -> Option<Arc<T>> {
        let held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        held.as_ref()
            .filter(|(at, _)| *at == stamp)
            .map(|(_, value)| Arc::clone(value))
    }

    /// The value kept under `stamp`, or `load`'s, kept under `stamp`. `stamp` must have been
    /// read before `load` reads anything; None (no counter) loads every time and keeps
    /// nothing.
    pub async fn get_or_load<E, F>(&self, stamp: Option<i64>, load: F) -> Result<Arc<T>, E>
    where
        F: Future<Output = Result<T, E>>,
    {
        let Some(stamp) = stamp else {
            return load.await.map(Arc::new);
        };
        if let Some(value) = self.held_at(stamp) {
            return Ok(value);
        }
        let _one_load = self.loading.lock().await;
        if let Some(value) = self.held_at(stamp) {
            return Ok(value);
        }
        let value = Arc::new(load.await?);
        *self.held.lock().unwrap_or_else(PoisonError::into_inner) =
            Some((stamp, Arc::clone(&value)));
        Ok(value)
    }
}

impl<T> Stamped<T> {
    /// The value kept under the counter `name` as the request read it (see
    /// [`Self::get_or_load`]).
    pub async fn get_named<E, F>(
        &self,
        db: &impl ConnectionTrait,
        stamps: &RequestStamps,
        name: &str,
        load: F,
    ) -> Result<Arc<T>, E>
    where
        E: From<DbErr>,
        F: Future<Output = Result<T, E>>,
    {
        let stamp = stamps.of(db, name).await?;
        self.get_or_load(stamp, load).await
    }
}

/// Entries kept under one counter, at most `capacity` of them: a new counter empties the
/// map, and so does an insert into a full one.
pub struct StampedMap<K, V> {
    held: Mutex<(Option<i64>, HashMap<K, V>)>,
    capacity: usize,
}

impl<K: Eq + Hash, V: Clone> StampedMap<K, V> {
    pub fn new(capacity: usize) -> Self {
        Self {
            held: Mutex::new((None, HashMap::new())),
            capacity,
        }
    }

    /// The entry of `key` kept under `stamp`. A request that read another counter than the
    /// map's empties it: entries are only ever served under the counter they were read under.
    pub fn get(&self, stamp: i64, key: &K) -> Option<V> {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        if held.0 != Some(stamp) {
            *held = (Some(stamp), HashMap::new());
            return None;
        }
        held.1.get(key).cloned()
    }

    /// Keeps `value` under `stamp`, which must have been read before `value` was; nothing
    /// when the map has moved to another counter meanwhile.
    pub fn insert(&self, stamp: i64, key: K, value: V) {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        if held.0 != Some(stamp) {
            return;
        }
        if held.1.len() >= self.capacity {
            held.1.clear();
        }
        held.1.insert(key, value);
    }

    /// How many entries are kept.
    pub fn len(&self) -> usize {
        self.held
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .1
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_value_is_served_only_under_the_counter_it_was_read_under() {
        let cache: Stamped<u32> = Stamped::default();
        let loads = std::sync::atomic::AtomicU32::new(0);
        let load = |v: u32| {
            loads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            async move { Ok::<_, ()>(v) }
        };
        assert_eq!(*cache.get_or_load(Some(1), load(10)).await.unwrap(), 10);
        assert_eq!(*cache.get_or_load(Some(1), load(11)).await.unwrap(), 10);
        assert_eq!(*cache.get_or_load(Some(2), load(12)).await.unwrap(), 12);
        // A counter that went back (a restored database) is another counter.
        assert_eq!(*cache.get_or_load(Some(1), load(13)).await.unwrap(), 13);
        // No counter: always loaded, never kept.
        assert_eq!(*cache.get_or_load(None, load(14)).await.unwrap(), 14);
        assert_eq!(*cache.get_or_load(Some(1), load(15)).await.unwrap(), 13);
        assert_eq!(loads.load(std::sync::atomic::Ordering::SeqCst), 6);
    }

    #[tokio::test]
    async fn a_failed_load_keeps_nothing() {
        let cache: Stamped<u32> = Stamped::default();
        assert!(
            cache
                .get_or_load(Some(1), async { Err("down") })
                .await
                .is_err()
        );
        assert_eq!(
            *cache
                .get_or_load(Some(1), async { Ok::<_, &str>(7) })
                .await
                .unwrap(),
            7
        );
    }

    #[test]
    fn map_entries_live_under_one_counter() {
        let map: StampedMap<&str, u32> = StampedMap::new(2);
        assert_eq!(map.get(5, &"a"), None);
        map.insert(5, "a", 1);
        assert_eq!(map.get(5, &"a"), Some(1));
        // Another counter empties the map; an insert under the old one is dropped.
        assert_eq!(map.get(6, &"a"), None);
        map.insert(5, "a", 1);
        assert_eq!(map.get(6, &"a"), None);
        map.insert(6, "a", 2);
        map.insert(6, "b", 3);
        assert_eq!(map.len(), 2);
        // Full: the next insert starts over.
        map.insert(6, "c", 4);
        assert_eq!(map.len(), 1);
        assert_eq!(map.get(6, &"c"), Some(4));
        assert_eq!(map.get(6, &"a"), None);
    }
}
