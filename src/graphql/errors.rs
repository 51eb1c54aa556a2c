//! `userErrors`: business refusals reported in mutation payloads.

use async_graphql::{Enum, SimpleObject};

use crate::error::{ApiError, Refusal, ServiceError};

/// Why a mutation refused its input. Stable: frontends switch on it.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::error::Code")]
pub enum UserErrorCode {
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

/// A refused input. When a payload has any, nothing was written.
#[derive(SimpleObject, Clone, Debug)]
pub struct UserError {
    /// Path to the offending input field, e.g. ["input", "amount", "currency"].
    pub field: Option<Vec<String>>,
    pub message: String,
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
        #[derive(async_graphql::SimpleObject)]
        pub struct $name {
            pub $field: Option<$ty>,
            pub user_errors: Vec<$crate::graphql::errors::UserError>,
        }

        impl $crate::graphql::errors::Payload for $name {
            type Value = $model;
            fn ok(v: $model) -> Self {
                Self {
                    $field: Some($ty(v)),
                    user_errors: vec![],
                }
            }
            fn refused(user_errors: Vec<$crate::graphql::errors::UserError>) -> Self {
                Self {
                    $field: None,
                    user_errors,
                }
            }
        }
    };
}
pub(crate) use payload;
