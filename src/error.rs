//! Errors, one type per layer.
//!
//! - [`ServiceError`]: what services return. A [`ServiceError::Refused`] is a business
//!   refusal that the API reports in a payload's `userErrors`; anything else is a fault.
//! - [`ApiError`]: a top-level GraphQL error, for malformed requests and faults. It has no
//!   `Display` on purpose: async-graphql's blanket `From<T: Display>` would drop the code,
//!   so the hand-written conversion below always sets `extensions.code`.

use async_graphql::ErrorExtensions;
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

/// A top-level GraphQL error.
#[derive(Debug)]
pub enum ApiError {
    Unauthenticated(String),
    Forbidden(String),
    BadUserInput(String),
    /// An argument outside its documented range, e.g. `first` above 100: the client asked
    /// for what the API never gives.
    InvalidArgument(String),
    NotFound(String),
    /// The database cannot be reached or has no connection free: retry shortly. Answered
    /// with HTTP 503 and `Retry-After`. The detail goes to the log only.
    Unavailable(String),
    /// The detail goes to the log only; the client gets a correlation ID.
    Internal(String),
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

impl ApiError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::BadUserInput(_) => "BAD_USER_INPUT",
            Self::InvalidArgument(_) => "INVALID_ARGUMENT",
            Self::NotFound(_) => "NOT_FOUND",
            Self::Unavailable(_) => "SERVICE_UNAVAILABLE",
            Self::Internal(_) => "INTERNAL_SERVER_ERROR",
        }
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(e: ApiError) -> Self {
        let code = e.code();
        let (message, correlation_id) = match e {
            ApiError::Internal(detail) => {
                let id = uuid::Uuid::new_v4().simple().to_string();
                tracing::error!(correlation_id = %id, %detail, "internal error");
                (format!("Internal server error (reference {id})"), Some(id))
            }
            ApiError::Unavailable(detail) => {
                tracing::warn!(%detail, "database unavailable");
                (
                    format!("The database is unavailable or busy: retry in {RETRY_AFTER_SECS} s."),
                    None,
                )
            }
            ApiError::Unauthenticated(m)
            | ApiError::Forbidden(m)
            | ApiError::BadUserInput(m)
            | ApiError::InvalidArgument(m)
            | ApiError::NotFound(m) => (m, None),
        };
        let mut err = async_graphql::Error::new(message);
        err = err.extend_with(|_, ext| {
            ext.set("code", code);
            if let Some(id) = &correlation_id {
                ext.set("correlationId", id.as_str());
            }
        });
        err
    }
}

impl From<DbErr> for ApiError {
    fn from(e: DbErr) -> Self {
        if is_unavailable(&e) {
            Self::Unavailable(format!("database: {e}"))
        } else {
            Self::Internal(format!("database: {e}"))
        }
    }
}

impl From<ServiceError> for ApiError {
    /// For queries, which have no payload: a refusal becomes a top-level error whose code
    /// follows the first refusal.
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Refused(refusals) => {
                let message = refusals
                    .iter()
                    .map(|r| r.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; ");
                match refusals.first().map(|r| r.code) {
                    Some(Code::Unauthenticated) => Self::Unauthenticated(message),
                    Some(Code::Forbidden) => Self::Forbidden(message),
                    Some(Code::NotFound) => Self::NotFound(message),
                    _ => Self::BadUserInput(message),
                }
            }
            ServiceError::Db(e) => e.into(),
            ServiceError::Internal(detail) => Self::Internal(detail),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_hide_their_detail_and_carry_a_code() {
        let err: async_graphql::Error =
            ApiError::Internal("SELECT secret FROM users".into()).into();
        assert!(!err.message.contains("SELECT"));
        let ext = err.extensions.expect("extensions are set");
        assert_eq!(
            ext.get("code"),
            Some(&async_graphql::Value::from("INTERNAL_SERVER_ERROR"))
        );
        assert!(ext.get("correlationId").is_some());
    }

    #[test]
    fn refusals_in_queries_keep_their_meaning() {
        let e: ApiError = ServiceError::refused(Code::Forbidden, &[], "no").into();
        assert_eq!(e.code(), "FORBIDDEN");
        let e: ApiError = ServiceError::refused(Code::InvalidInput, &["x"], "bad").into();
        assert_eq!(e.code(), "BAD_USER_INPUT");
    }
}
