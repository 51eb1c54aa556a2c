//! `Idempotency-Key` on `POST /graphql`: a retry of a mutation with the same key and the
//! same body gets the first response back and writes nothing new.
//!
//! - The key is per signed-in caller (the user) and lives [`KEEP_FOR`].
//! - Its row is inserted by [`claim_in`] inside the transaction of the first mutation that
//!   writes (from `uow::record`, which every write calls): the key exists if and only if
//!   the effect does. A second request racing with the same key fails on the row's primary
//!   key inside its own transaction, so its write rolls back: one effect.
//! - After the operation, the response is stored with the row ([`finish`]); a request that
//!   lost the race, or that arrives while the first one runs, waits for that response.
//! - The same key with another body is refused.
//! - A response that carries a credential is never stored nor replayed: issuing one (the
//!   only place is `auth::jwt::JwtKeys::issue`, for login and refreshSession alike) calls
//!   [`mark_secret`], whatever the operation audits. A refresh resent with its key thus runs
//!   again and meets the refresh token's own rules (the grace window, then reuse detection).
//! - Only a signed-in caller has a scope: an anonymous request's key is ignored (neither
//!   looked up nor stored), since anonymous callers could not be told apart and would read
//!   each other's responses. Anonymous mutations (login, refreshSession, logout) carry
//!   their own protection and need no key.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::idempotency_key;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, Set, sea_query::Expr,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// How long a key is remembered.
pub const KEEP_FOR: chrono::Duration = chrono::Duration::hours(24);
/// Longest key accepted.
pub const MAX_KEY_LEN: usize = 255;

tokio::task_local! {
    static CURRENT: Arc<Claim>;
}

/// One request's key, while it executes.
#[derive(Debug)]
pub struct Claim {
    pub scope: String,
    pub key: String,
    pub request_hash: String,
    /// Marks the rows this request inserted.
    pub owner: Uuid,
    state: Mutex<State>,
}

#[derive(Debug, Default, Clone, Copy)]
struct State {
    /// A transaction of this request inserted the row (it may still roll back).
    inserted: bool,
    /// Another request holds the key: this one's write failed on it.
    lost: bool,
    /// The operation ran a mutation whose response must not be stored.
    secret: bool,
}

impl Claim {
    pub fn new(scope: String, key: String, body: &[u8]) -> Self {
        Self {
            scope,
            key,
            request_hash: hex(&Sha256::digest(body)),
            owner: Uuid::now_v7(),
            state: Mutex::new(State::default()),
        }
    }

    fn state(&self) -> State {
        self.state.lock().map(|s| *s).unwrap_or_default()
    }

    fn update(&self, f: impl FnOnce(&mut State)) {
        if let Ok(mut s) = self.state.lock() {
            f(&mut s);
        }
    }

    /// True when another request holds the key and this one's write was rolled back.
    pub fn lost(&self) -> bool {
        self.state().lost
    }

    pub fn secret(&self) -> bool {
        self.state().secret
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A key as sent: 1 to 255 visible ASCII characters.
pub fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= MAX_KEY_LEN && key.bytes().all(|b| b.is_ascii_graphic())
}

/// Runs `f` with `claim` as the request's key.
pub async fn with_claim<F: Future>(claim: Arc<Claim>, f: F) -> F::Output {
    CURRENT.scope(claim, f).await
}

/// Marks the running request's response as holding a credential: it is not stored, and a
/// row its earlier writes claimed is released by [`finish`]. Does nothing outside a
/// request with a key.
pub fn mark_secret() {
    let _ = CURRENT.try_with(|claim| claim.update(|s| s.secret = true));
}

/// Inserts the request's key row in `conn`, the transaction of a write. Does nothing
/// outside a request with a key, or once a row is in.
pub async fn claim_in(conn: &impl ConnectionTrait) -> Result<(), DbErr> {
    let Ok(claim) = CURRENT.try_with(Arc::clone) else {
        return Ok(());
    };
    let state = claim.state();
    if state.secret || state.inserted {
        return Ok(());
    }
    let inserted = row(&claim, None, None).insert(conn).await;
    match inserted {
        Ok(_) => {
            claim.update(|s| s.inserted = true);
            Ok(())
        }
        Err(e) => {
            if matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) {
                claim.update(|s| s.lost = true);
            }
            Err(e)
        }
    }
}

fn row(
    claim: &Claim,
    status: Option<i32>,
    response: Option<String>,
) -> idempotency_key::ActiveModel {
    idempotency_key::ActiveModel {
        scope: Set(claim.scope.clone()),
        key: Set(claim.key.clone()),
        request_hash: Set(claim.request_hash.clone()),
        owner: Set(claim.owner),
        status: Set(status),
        response: Set(response),
        created_at: Set(crate::kernel::clock::now()),
    }
}

/// What the key already says before a request runs.
#[derive(Debug, PartialEq, Eq)]
pub enum Seen {
    /// Unused (or expired): run the request.
    New,
    /// Used with another body.
    Mismatch,
    /// The first request's response.
    Replay(u16, String),
    /// The first request is still running, or ended without storing its response.
    Pending,
}

async fn lookup(db: &DatabaseConnection, claim: &Claim) -> Result<Seen, DbErr> {
    let found = idempotency_key::Entity::find()
        .filter(idempotency_key::Column::Scope.eq(claim.scope.as_str()))
        .filter(idempotency_key::Column::Key.eq(claim.key.as_str()))
        .filter(idempotency_key::Column::CreatedAt.gt(expiry()))
        .one(db)
        .await?;
    Ok(match found {
        None => Seen::New,
        Some(r) if r.request_hash != claim.request_hash => Seen::Mismatch,
        Some(idempotency_key::Model {
            status: Some(status),
            response: Some(body),
            ..
        }) => Seen::Replay(u16::try_from(status).unwrap_or(200), body),
        Some(_) => Seen::Pending,
    })
}

fn expiry() -> DateTime<Utc> {
    crate::kernel::clock::now() - KEEP_FOR
}

/// The key's state before running; waits up to `patience` while another request holds it.
pub async fn before(
    db: &DatabaseConnection,
    claim: &Claim,
    patience: Duration,
) -> Result<Seen, DbErr> {
    let started = tokio::time::Instant::now();
    loop {
        let seen = lookup(db, claim).await?;
        if seen != Seen::Pending || started.elapsed() >= patience {
            return Ok(seen);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Stores the response of the request that holds the key. Returns what to answer: this
/// request's response, or (when another request holds the key) that one's.
pub async fn finish(
    db: &DatabaseConnection,
    claim: &Claim,
    status: u16,
    body: String,
    patience: Duration,
) -> Result<Seen, DbErr> {
    if claim.secret() {
        // Credentials are not stored, nor is the key held for them.
        if claim.state().inserted {
            idempotency_key::Entity::delete_many()
                .filter(idempotency_key::Column::Scope.eq(claim.scope.as_str()))
                .filter(idempotency_key::Column::Key.eq(claim.key.as_str()))
                .filter(idempotency_key::Column::Owner.eq(claim.owner))
                .exec(db)
                .await?;
        }
        return Ok(Seen::Replay(status, body));
    }
    if status != 200 {
        // A fault or a 503 may succeed when retried.
        return Ok(Seen::Replay(status, body));
    }
    if !claim.lost() {
        // The row this request inserted in its transaction, if that committed.
        let updated = idempotency_key::Entity::update_many()
            .col_expr(
                idempotency_key::Column::Status,
                Expr::value(i32::from(status)),
            )
            .col_expr(idempotency_key::Column::Response, Expr::value(body.clone()))
            .filter(idempotency_key::Column::Scope.eq(claim.scope.as_str()))
            .filter(idempotency_key::Column::Key.eq(claim.key.as_str()))
            .filter(idempotency_key::Column::Owner.eq(claim.owner))
            .exec(db)
            .await?;
        if updated.rows_affected == 1 {
            return Ok(Seen::Replay(status, body));
        }
        // Nothing was written (a refusal, a query): the key is taken now, unless another
        // request took it meanwhile. Expired keys of this caller go first.
        idempotency_key::Entity::delete_many()
            .filter(idempotency_key::Column::Scope.eq(claim.scope.as_str()))
            .filter(idempotency_key::Column::CreatedAt.lte(expiry()))
            .exec(db)
            .await?;
        match row(claim, Some(i32::from(status)), Some(body.clone()))
            .insert(db)
            .await
        {
            Ok(_) => return Ok(Seen::Replay(status, body)),
            Err(e)
                if !matches!(
                    e.sql_err(),
                    Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
                ) =>
            {
                return Err(e);
            }
            Err(_) => {}
        }
    }
    // Another request holds the key: answer its response.
    before(db, claim, patience).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_visible_ascii_of_bounded_length() {
        assert!(valid_key("5f0c6e2a-8d0e-4d1b-9d7f-0c3c1c1e2b3a"));
        assert!(!valid_key(""));
        assert!(!valid_key("has space"));
        assert!(!valid_key("é"));
        assert!(!valid_key(&"k".repeat(MAX_KEY_LEN + 1)));
        assert!(valid_key(&"k".repeat(MAX_KEY_LEN)));
    }

    #[test]
    fn the_same_body_hashes_alike() {
        let a = Claim::new("u".into(), "k".into(), b"{\"query\":\"x\"}");
        let b = Claim::new("u".into(), "k".into(), b"{\"query\":\"x\"}");
        let c = Claim::new("u".into(), "k".into(), b"{\"query\":\"y\"}");
        assert_eq!(a.request_hash, b.request_hash);
        assert_ne!(a.request_hash, c.request_hash);
        assert_eq!(a.request_hash.len(), 64);
    }
}
