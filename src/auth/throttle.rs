//! Password attempts, throttled so that the limits hold under concurrency: an attempt is
//! *reserved* with one conditional `UPDATE` before the password is hashed, so N requests
//! sent at once hash at most the limit, whatever the interleaving (the database decides,
//! on one row, which reservations fit). Counting failures after hashing, as before, let
//! 579 of 600 concurrent guesses through.
//!
//! Three counters, each a row keyed by a SHA-256 digest (the email and the address are
//! never stored, and a key has a fixed length whatever the client sent):
//! - account and client address, tight ([`MAX_PER_ACCOUNT_AND_ADDRESS`]): what stops
//!   guessing, without letting an attacker elsewhere lock the user out;
//! - account alone, loose ([`MAX_PER_ACCOUNT`], NIST 800-63B's ceiling of 100 consecutive
//!   failures): what stops guessing spread over many addresses;
//! - client address alone ([`MAX_PER_ADDRESS`]): what stops one address trying many
//!   accounts.
//!
//! A success gives its reservation back and resets the account's consecutive failures
//! (both account counters); a failure keeps it. Rows whose window has closed are reset by
//! the next attempt, or pruned when a new row is made.

use chrono::Duration;
use entity::auth_throttle;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, Set,
    sea_query::{Expr, ExprTrait, OnConflict},
};
use sha2::{Digest, Sha256};

use crate::kernel::clock::now;
use crate::kernel::error::{Code, ServiceError};

/// Attempts per account and client address within [`WINDOW`].
pub const MAX_PER_ACCOUNT_AND_ADDRESS: i32 = 10;
/// Attempts per client address, whatever the account, within [`WINDOW`]; higher than per
/// account because a ministry's delegation often shares one address.
pub const MAX_PER_ADDRESS: i32 = 30;
/// Consecutive failures per account from anywhere within [`ACCOUNT_WINDOW`].
pub const MAX_PER_ACCOUNT: i32 = 100;
pub const WINDOW: Duration = Duration::minutes(15);
pub const ACCOUNT_WINDOW: Duration = Duration::hours(24);
/// Rows are pruned this long after their window closes, so that a prune never removes a
/// row between another attempt's insert and its reservation.
const PRUNE_AFTER: Duration = Duration::minutes(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    AccountAndAddress,
    Account,
    Address,
}

impl Kind {
    fn limit(self) -> i32 {
        match self {
            Self::AccountAndAddress => MAX_PER_ACCOUNT_AND_ADDRESS,
            Self::Account => MAX_PER_ACCOUNT,
            Self::Address => MAX_PER_ADDRESS,
        }
    }

    fn window(self) -> Duration {
        match self {
            Self::Account => ACCOUNT_WINDOW,
            _ => WINDOW,
        }
    }
}

/// The stored key: SHA-256 hex of the kind and its subject.
fn key(kind: Kind, account: &str, addr: &str) -> String {
    let subject = match kind {
        Kind::AccountAndAddress => format!("account+address\n{account}\n{addr}"),
        Kind::Account => format!("account\n{account}"),
        Kind::Address => format!("address\n{addr}"),
    };
    Sha256::digest(subject.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Reserved attempts, one per counter; see [`reserve`].
#[derive(Debug)]
#[must_use = "a success must give its reservation back"]
pub struct Reservation {
    keys: Vec<(Kind, String)>,
}

/// Reserves one attempt for the account (a normalised email, of bounded length) from
/// `addr`, before any password is hashed; RATE_LIMITED when a counter is at its limit.
pub async fn reserve(
    db: &DatabaseConnection,
    account: &str,
    addr: &str,
) -> Result<Reservation, ServiceError> {
    let mut reserved = Reservation { keys: Vec::new() };
    for kind in [Kind::AccountAndAddress, Kind::Account, Kind::Address] {
        let k = key(kind, account, addr);
        if take(db, kind, &k).await? {
            reserved.keys.push((kind, k));
        } else {
            // Give back what this attempt took from the other counters.
            for (_, k) in &reserved.keys {
                give_back(db, k).await?;
            }
            return Err(ServiceError::refused(
                Code::RateLimited,
                &[],
                match kind {
                    Kind::Account => {
                        "Too many failed attempts for this account. Try again later, or ask an administrator."
                    }
                    _ => "Too many failed attempts. Try again in 15 minutes.",
                },
            ));
        }
    }
    Ok(reserved)
}

impl Reservation {
    /// The password was right: the account's consecutive failures start again at zero, and
    /// the address's count gets this attempt back.
    pub async fn succeeded(self, db: &DatabaseConnection) -> Result<(), ServiceError> {
        for (kind, k) in &self.keys {
            if *kind == Kind::Address {
                give_back(db, k).await?;
            } else {
                auth_throttle::Entity::delete_by_id(k.clone())
                    .exec(db)
                    .await?;
            }
        }
        Ok(())
    }
}

/// One conditional increment: while under the limit, or restarted at one when the window
/// has closed. A missing row is created at zero first (and only then are old rows pruned,
/// so the table grows and shrinks in the same place). True when the attempt fits. Under
/// attack the refusal costs one `UPDATE` and one read, no other write.
async fn take(db: &DatabaseConnection, kind: Kind, k: &str) -> Result<bool, ServiceError> {
    for _ in 0..3 {
        let t = now();
        if increment(db, kind, k, t).await? {
            return Ok(true);
        }
        match auth_throttle::Entity::find_by_id(k.to_owned())
            .one(db)
            .await?
        {
            Some(row) if row.attempts >= kind.limit() && row.window_ends_at > t => {
                return Ok(false);
            }
            // Created, reset or released meanwhile: try again.
            Some(_) => {}
            None => {
                prune(db).await?;
                auth_throttle::Entity::insert(auth_throttle::ActiveModel {
                    key: Set(k.to_owned()),
                    attempts: Set(0),
                    window_ends_at: Set(t + kind.window()),
                })
                .on_conflict(
                    OnConflict::column(auth_throttle::Column::Key)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(db)
                .await?;
            }
        }
    }
    // Contended past reason: refuse rather than hash without a reservation.
    Ok(false)
}

async fn increment(
    db: &DatabaseConnection,
    kind: Kind,
    k: &str,
    t: chrono::DateTime<chrono::Utc>,
) -> Result<bool, ServiceError> {
    use auth_throttle::Column;
    let closed = || Expr::col(Column::WindowEndsAt).lte(t);
    let updated = auth_throttle::Entity::update_many()
        .col_expr(
            Column::Attempts,
            Expr::case(closed(), 1)
                .finally(Expr::col(Column::Attempts).add(1))
                .into(),
        )
        .col_expr(
            Column::WindowEndsAt,
            Expr::case(closed(), t + kind.window())
                .finally(Expr::col(Column::WindowEndsAt))
                .into(),
        )
        .filter(Column::Key.eq(k))
        .filter(
            Condition::any()
                .add(Column::Attempts.lt(kind.limit()))
                .add(closed()),
        )
        .exec(db)
        .await?;
    Ok(updated.rows_affected == 1)
}

async fn give_back(db: &DatabaseConnection, k: &str) -> Result<(), ServiceError> {
    use auth_throttle::Column;
    auth_throttle::Entity::update_many()
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).sub(1))
        .filter(Column::Key.eq(k))
        .filter(Column::Attempts.gt(0))
        .exec(db)
        .await?;
    Ok(())
}

/// Removes the rows whose window closed a while ago.
pub async fn prune(db: &DatabaseConnection) -> Result<u64, ServiceError> {
    Ok(auth_throttle::Entity::delete_many()
        .filter(auth_throttle::Column::WindowEndsAt.lte(now() - PRUNE_AFTER))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_fixed_length_digests_that_name_nothing() {
        let long = "a".repeat(10_000);
        for kind in [Kind::AccountAndAddress, Kind::Account, Kind::Address] {
            let k = key(kind, &long, "192.0.2.1");
            assert_eq!(k.len(), 64);
            assert!(!k.contains("192.0.2.1"));
        }
        assert_ne!(
            key(Kind::AccountAndAddress, "a@b.org", "192.0.2.1"),
            key(Kind::AccountAndAddress, "a@b.org", "192.0.2.2")
        );
        // The same account through two counters never shares a row.
        assert_ne!(
            key(Kind::Account, "a@b.org", ""),
            key(Kind::Address, "", "a@b.org")
        );
    }
}
