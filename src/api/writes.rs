//! Writes per user, limited: a signed-in user may make so many mutations a minute, so that
//! one account (a stolen token, a runaway script) cannot fill the database or the audit log.
//!
//! - What counts: each top-level field of the mutation that would run, through fragments,
//!   as written (a field under `@skip` counts too); a batch counts each of its operations.
//!   `login`, `refreshSession` and `logout` do not: anonymous callers cannot be told apart,
//!   and those three are bounded by the sign-in throttle (`crate::auth::throttle`) and the
//!   sessions' own rules; a user at the limit can still renew and end a session.
//! - The limit ([`crate::kernel::config::WriteLimits`]): `ISU_WRITES_PER_MINUTE` (60) for
//!   delegations and coordinators, `ISU_STAFF_WRITES_PER_MINUTE` (600) for ISU_STAFF and
//!   ISU_ADMIN. A burst of up to the limit is allowed, then the limit per minute: the
//!   generic cell rate algorithm, one instant per user (when the user's allowance will be
//!   whole again), so the memory is one entry per user who wrote in the last minute; entries
//!   whose instant has passed are pruned, at most once a minute.
//! - An operation is admitted whole or not at all, in one step under one lock: N mutations
//!   sent at once by a user whose allowance is L are L admitted, whatever the interleaving.
//!   A refused operation runs nothing, so it writes nothing: one top-level error with
//!   `extensions.code` [`RATE_LIMITED`] (HTTP 429 with `Retry-After`, `crate::http`).
//! - The count is per server process: behind several replicas, a user may make up to the
//!   limit on each.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_graphql::Data;
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};
use entity::enums::UserRole;
use uuid::Uuid;

use super::limits::Refusal;
use crate::auth::Viewer;
use crate::kernel::config::WriteLimits;

/// `extensions.code` of an operation refused because its user is over the write limit.
pub const RATE_LIMITED: &str = "RATE_LIMITED";
/// What a limit is counted over.
const WINDOW: Duration = Duration::from_secs(60);
/// Mutations that do not count (see the module).
const EXEMPT: [&str; 3] = ["login", "refreshSession", "logout"];

/// The users' allowances, shared by every request of a server.
#[derive(Clone, Debug)]
pub struct WriteLimiter(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    limits: WriteLimits,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// Per user, when its allowance is whole again (GCRA's theoretical arrival time). A user
    /// without an entry, or whose instant has passed, has its whole allowance.
    full_at: HashMap<Uuid, Instant>,
    last_prune: Instant,
}

impl WriteLimiter {
    pub fn new(limits: WriteLimits) -> Self {
        Self(Arc::new(Inner {
            limits,
            state: Mutex::new(State {
                full_at: HashMap::new(),
                last_prune: Instant::now(),
            }),
        }))
    }

    /// The writes per minute of `role`.
    fn limit_of(&self, role: UserRole) -> u32 {
        match role {
            UserRole::IsuAdmin | UserRole::IsuStaff => self.0.limits.staff_per_minute,
            UserRole::Delegation | UserRole::Coordinator => self.0.limits.per_minute,
        }
    }

    /// Takes `n` writes from `user`'s allowance of `limit` per minute, or says how long until
    /// they would fit (None when they never would: `n` is over the limit).
    fn take(&self, user: Uuid, limit: u32, n: u32, now: Instant) -> Result<(), Option<Duration>> {
        if n > limit {
            return Err(None);
        }
        let per_write = WINDOW / limit.max(1);
        // The map is only ever left whole: a panic elsewhere cannot poison a count.
        let mut state = self.0.state.lock().unwrap_or_else(|e| e.into_inner());
        if now.saturating_duration_since(state.last_prune) >= WINDOW {
            state.full_at.retain(|_, at| *at > now);
            state.last_prune = now;
        }
        let start = state
            .full_at
            .get(&user)
            .copied()
            .filter(|at| *at > now)
            .unwrap_or(now);
        // n ≤ limit, so n writes take at most the window: no overflow.
        let full_at = start + per_write * n;
        let owed = full_at.saturating_duration_since(now);
        if owed > WINDOW {
            return Err(Some(owed - WINDOW));
        }
        state.full_at.insert(user, full_at);
        Ok(())
    }

    /// How long until `user` may write once more; zero when it may now.
    pub fn retry_after(&self, viewer: &Viewer) -> Duration {
        let Some(p) = viewer.principal() else {
            return Duration::ZERO;
        };
        let per_write = WINDOW / self.limit_of(p.role).max(1);
        let now = Instant::now();
        let state = self.0.state.lock().unwrap_or_else(|e| e.into_inner());
        state.full_at.get(&p.user_id).map_or(Duration::ZERO, |at| {
            (at.saturating_duration_since(now) + per_write).saturating_sub(WINDOW)
        })
    }

    /// How many users have an entry: what the limiter holds in memory.
    #[cfg(test)]
    fn users_tracked(&self) -> usize {
        self.0
            .state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .full_at
            .len()
    }
}

/// Admits the operation of `doc` that would run (`operation_name`), or refuses it with
/// [`RATE_LIMITED`] when it is a mutation and its viewer (from `data`) is over the limit
/// of the [`WriteLimiter`] in `data`. Anonymous requests, queries and requests without a
/// limiter (in-process tools) are admitted.
pub fn admit(
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
    data: &Data,
) -> Result<(), Refusal> {
    let (Some(limiter), Some(viewer)) = (get::<WriteLimiter>(data), get::<Viewer>(data)) else {
        return Ok(());
    };
    let Some(principal) = viewer.principal() else {
        return Ok(());
    };
    let writes = count(doc, operation_name);
    if writes == 0 {
        return Ok(());
    }
    let limit = limiter.limit_of(principal.role);
    limiter
        .take(principal.user_id, limit, writes, Instant::now())
        .map_err(|wait| Refusal {
            code: RATE_LIMITED,
            message: match wait {
                Some(wait) => format!(
                    "Too many changes: at most {limit} a minute for your role. Retry in {} s.",
                    wait.as_secs() + 1
                ),
                None => format!(
                    "Too many changes in one operation: {writes}, at most {limit} a minute for \
                     your role. Send fewer."
                ),
            },
        })
}

fn get<T: 'static>(data: &Data) -> Option<&T> {
    data.get(&TypeId::of::<T>())
        .and_then(|d| d.downcast_ref::<T>())
}

/// The top-level mutation fields of the operation that would run, [`EXEMPT`] ones aside;
/// zero for a query, or when no operation would run (validation refuses the document).
fn count(doc: &ExecutableDocument, operation_name: Option<&str>) -> u32 {
    match super::documents::selected(doc, operation_name) {
        Some(op) if op.node.ty == OperationType::Mutation => {
            fields(doc, &op.node.selection_set.node, &mut Vec::new())
        }
        _ => 0,
    }
}

/// The fields of `set` through fragments; a fragment inside itself (refused by the cost
/// check before this runs) counts once.
fn fields<'a>(
    doc: &'a ExecutableDocument,
    set: &'a SelectionSet,
    within: &mut Vec<&'a str>,
) -> u32 {
    let mut n = 0u32;
    for item in &set.items {
        n = n.saturating_add(match &item.node {
            Selection::Field(f) => {
                let name = f.node.name.node.as_str();
                u32::from(name != "__typename" && !EXEMPT.contains(&name))
            }
            Selection::InlineFragment(f) => fields(doc, &f.node.selection_set.node, within),
            Selection::FragmentSpread(s) => {
                let name = s.node.fragment_name.node.as_str();
                match doc.fragments.get(&s.node.fragment_name.node) {
                    Some(fragment) if !within.contains(&name) => {
                        within.push(name);
                        let n = fields(doc, &fragment.node.selection_set.node, within);
                        within.pop();
                        n
                    }
                    _ => 0,
                }
            }
        });
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(per_minute: u32) -> WriteLimiter {
        WriteLimiter::new(WriteLimits {
            per_minute,
            staff_per_minute: per_minute * 10,
        })
    }

    fn parsed(q: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(q).expect("parses")
    }

    #[test]
    fn top_level_mutation_fields_count_through_fragments() {
        let m = "mutation { a: createMeeting(input: {}) { __typename } b: createMeeting(input: {}) { __typename } __typename }";
        assert_eq!(count(&parsed(m), None), 2);
        let f = "mutation M { ...W ... on Mutation { logout(input: {}) { ok } proposeMatch(input: {}) { __typename } } }
                 fragment W on Mutation { createMeeting(input: {}) { __typename } }";
        assert_eq!(count(&parsed(f), Some("M")), 2);
        assert_eq!(count(&parsed("{ me { id } }"), None), 0);
        let two =
            "query Q { me { id } } mutation M { logout { ok } login(input: {}) { __typename } }";
        assert_eq!(count(&parsed(two), Some("Q")), 0);
        assert_eq!(count(&parsed(two), Some("M")), 0);
        assert_eq!(count(&parsed(two), None), 0, "ambiguous: nothing runs");
    }

    #[test]
    fn a_burst_of_the_limit_then_the_limit_per_minute() {
        let l = limiter(6);
        let (user, t0) = (Uuid::now_v7(), Instant::now());
        for _ in 0..6 {
            assert_eq!(l.take(user, 6, 1, t0), Ok(()));
        }
        let wait = l.take(user, 6, 1, t0).expect_err("over the limit");
        assert_eq!(wait, Some(Duration::from_secs(10)));
        // One write comes back every 10 s.
        assert_eq!(l.take(user, 6, 1, t0 + Duration::from_secs(10)), Ok(()));
        assert!(l.take(user, 6, 1, t0 + Duration::from_secs(10)).is_err());
        // Another user has its own allowance.
        assert_eq!(l.take(Uuid::now_v7(), 6, 6, t0), Ok(()));
        // More than the limit in one operation never fits.
        assert_eq!(l.take(Uuid::now_v7(), 6, 7, t0), Err(None));
    }

    #[test]
    fn refused_operations_take_nothing_and_idle_users_are_pruned() {
        let l = limiter(4);
        let (user, t0) = (Uuid::now_v7(), Instant::now());
        assert_eq!(l.take(user, 4, 3, t0), Ok(()));
        assert!(l.take(user, 4, 2, t0).is_err());
        assert_eq!(l.take(user, 4, 1, t0), Ok(()), "the refusal took nothing");
        assert_eq!(l.users_tracked(), 1);
        let later = t0 + WINDOW + Duration::from_secs(1);
        assert_eq!(l.take(Uuid::now_v7(), 4, 1, later), Ok(()));
        assert_eq!(l.users_tracked(), 1, "the first user's entry was pruned");
    }

    #[test]
    fn concurrent_takes_admit_exactly_the_limit() {
        let l = limiter(25);
        let user = Uuid::now_v7();
        let t0 = Instant::now();
        let admitted: usize = std::thread::scope(|s| {
            let handles: Vec<_> = (0..100)
                .map(|_| s.spawn(|| l.take(user, 25, 1, t0).is_ok()))
                .collect();
            handles
                .into_iter()
                .map(|h| usize::from(h.join().unwrap_or(false)))
                .sum()
        });
        assert_eq!(admitted, 25);
    }
}
