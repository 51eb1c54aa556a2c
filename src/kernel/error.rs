//! What services return: [`ServiceError`]. A [`ServiceError::Refused`] is a business refusal
//! that the API reports in a payload's `userErrors`; anything else is a fault. The API's own
//! error, a top-level GraphQL error with a stable code, is `crate::api::error::ApiError`.

use sea_orm::DbErr;

/// Stable, machine-readable codes of business refusals (the contract's `UserErrorCode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    InvalidInput,
    NotFound,
    Forbidden,
    Unauthenticated,
    Conflict,
    AlreadyExists,
    InvalidStateTransition,
    OverBudget,
    RateLimited,
    InvalidCredentials,
}

/// One refused piece of input, with the path of the offending field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub code: Code,
    pub field: Option<Vec<String>>,
    pub message: String,
}

impl Refusal {
    pub fn new(code: Code, field: &[&str], message: impl Into<String>) -> Self {
        Self {
            code,
            field: (!field.is_empty()).then(|| field.iter().map(|s| (*s).to_owned()).collect()),
            message: message.into(),
        }
    }
}

#[derive(Debug)]
pub enum ServiceError {
    /// Nothing was written; the refusals say why.
    Refused(Vec<Refusal>),
    Db(DbErr),
    Internal(String),
}

impl ServiceError {
    pub fn refused(code: Code, field: &[&str], message: impl Into<String>) -> Self {
        Self::Refused(vec![Refusal::new(code, field, message)])
    }

    /// True when a unique constraint refused the write: the caller maps it to
    /// `ALREADY_EXISTS` instead of racing a pre-check.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, Self::Db(e) if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))))
    }
}

impl From<DbErr> for ServiceError {
    fn from(e: DbErr) -> Self {
        Self::Db(e)
    }
}

/// Collects refusals while validating an input, so that a client sees every problem at once.
#[derive(Default, Debug)]
pub struct Refusals(Vec<Refusal>);

impl Refusals {
    pub fn push(&mut self, code: Code, field: &[&str], message: impl Into<String>) {
        self.0.push(Refusal::new(code, field, message));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was refused.
    pub fn finish(self) -> Result<(), ServiceError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ServiceError::Refused(self.0))
        }
    }
}

/// Seconds a client should wait before retrying an `Unavailable` request.
pub const RETRY_AFTER_SECS: u64 = 1;

/// True when `e` says the database is down, restarting, unreachable or out of pooled
/// connections, rather than that the statement was wrong: the same request may succeed
/// in a moment.
pub fn is_unavailable(e: &DbErr) -> bool {
    use sea_orm::{RuntimeErr, sqlx};
    let runtime = match e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => return true,
        DbErr::Exec(r) | DbErr::Query(r) => r,
        _ => return false,
    };
    let RuntimeErr::SqlxError(e) = runtime else {
        return false;
    };
    match e.as_ref() {
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        // SQLSTATE 08: connection exception; 57P01-04: the server is shutting down,
        // crashed, starting, or lost the database.
        sqlx::Error::Database(d) => d
            .code()
            .is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
        _ => false,
    }
}
