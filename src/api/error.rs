//! Errors, one type per layer: services return `crate::kernel::error::ServiceError`; the API
//! answers [`ApiError`], a top-level GraphQL error, for malformed requests and faults. It has
//! no `Display` on purpose: async-graphql's blanket `From<T: Display>` would drop the code,
//! so the hand-written conversion below always sets `extensions.code`. Business refusals go
//! to a payload's `userErrors` instead (`super::errors`).

use async_graphql::ErrorExtensions;
use sea_orm::DbErr;

use crate::kernel::error::{Code, RETRY_AFTER_SECS, ServiceError, is_unavailable};

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
