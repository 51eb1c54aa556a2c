//! `userErrors`: business refusals reported in mutation payloads.

use async_graphql::{Enum, SimpleObject};

use crate::api::error::ApiError;
use crate::kernel::error::{Refusal, ServiceError};

/// Why a mutation refused its input. Stable: frontends switch on it.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::kernel::error::Code")]
pub enum UserErrorCode {
    /// A value is malformed or out of range; `field` names it.
    InvalidInput,
    /// An ID or code names nothing you may see.
    NotFound,
    /// You are logged in, but your role or State may not do this.
    Forbidden,
    /// Not logged in, or the refresh token is unknown, expired or revoked.
    Unauthenticated,
    /// It changed since you read it (a stale version, or a concurrent change): reload and
    /// retry.
    Conflict,
    /// It would duplicate something that exists, e.g. a second workplan for a year.
    AlreadyExists,
    /// Its current status does not allow this step.
    InvalidStateTransition,
    /// It would spend more than the budget has left.
    OverBudget,
    /// Too many failed attempts (logins): wait, then try again.
    RateLimited,
    /// A wrong email or password at login (which of the two is not told), or a wrong
    /// current password.
    InvalidCredentials,
}

/// A refused input. When a payload has any, nothing was written.
#[derive(SimpleObject, Clone, Debug)]
pub struct UserError {
    /// Path to the offending input field, e.g. ["input", "amount", "currency"].
    pub field: Option<Vec<String>>,
    /// Why, as a sentence to show the user, in English.
    pub message: String,
    /// Why, as a stable code to act on.
    pub code: UserErrorCode,
}

impl From<Refusal> for UserError {
    fn from(r: Refusal) -> Self {
        Self {
            field: r.field,
            message: r.message,
            code: r.code.into(),
        }
    }
}

/// A mutation payload: the result on success, `userErrors` on refusal.
pub trait Payload: Sized {
    type Value;
    fn ok(value: Self::Value) -> Self;
    fn refused(errors: Vec<UserError>) -> Self;
}

/// The refusal of an input ID that names nothing of its kind: `NOT_FOUND` on
/// `input.<field>`, "No such `what`.", as the service answers for an unknown row.
pub fn not_found(field: &str, what: &str) -> ServiceError {
    ServiceError::refused(
        crate::kernel::error::Code::NotFound,
        &["input", field],
        format!("No such {what}."),
    )
}

/// Maps a service result onto a payload; faults become top-level errors.
pub fn respond<P: Payload>(result: Result<P::Value, ServiceError>) -> async_graphql::Result<P> {
    match result {
        Ok(v) => Ok(P::ok(v)),
        Err(ServiceError::Refused(refusals)) => Ok(P::refused(
            refusals.into_iter().map(UserError::from).collect(),
        )),
        Err(e) => Err(ApiError::from(e).into()),
    }
}

/// Defines a mutation payload: the object (or null) and `userErrors`, with its [`Payload`]
/// impl. `payload!(UserPayload, user, User, user::Model)` wraps a `user::Model` in `User`.
macro_rules! payload {
    ($name:ident, $field:ident, $ty:ident, $model:ty) => {
        #[doc = concat!(
            "What the mutation did: the `", stringify!($ty), "` it wrote, or `userErrors` ",
            "saying why it wrote nothing."
        )]
        #[derive(async_graphql::SimpleObject)]
        pub struct $name {
            #[doc = concat!(
                "The `", stringify!($ty), "` as it is after the mutation; null when `userErrors` ",
                "is not empty."
            )]
            pub $field: Option<$ty>,
            /// Why the input was refused; empty on success. When not empty, nothing was
            /// written.
            pub user_errors: Vec<$crate::api::errors::UserError>,
        }

        impl $crate::api::errors::Payload for $name {
            type Value = $model;
            fn ok(v: $model) -> Self {
                Self {
                    $field: Some($ty(v)),
                    user_errors: vec![],
                }
            }
            fn refused(user_errors: Vec<$crate::api::errors::UserError>) -> Self {
                Self {
                    $field: None,
                    user_errors,
                }
            }
        }
    };
}
pub(crate) use payload;
