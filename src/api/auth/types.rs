//! GraphQL types of users and sessions.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::enums::split_values;
use entity::user;

use crate::api::enums::{ThematicArea, UserRole};
use crate::api::errors::{Payload, UserError};
use crate::api::ids;
use crate::api::scalars::DateTime;
use crate::api::states::types::StateParty;
use crate::auth::sessions::Session;

/// An account of ISU staff, a delegation or a coordinator.
pub struct User(pub user::Model);

impl ids::Kind for User {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl User {
    pub const KIND: &'static str = "User";
}

/// An account of ISU staff, a delegation or a coordinator.
#[Object]
impl User {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    /// Used to log in; stored trimmed and lower-cased.
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// What the user may do.
    async fn role(&self) -> UserRole {
        self.0.role.into()
    }
    /// The State a DELEGATION user speaks for.
    async fn state(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<StateParty>> {
        let Some(code) = &self.0.state_code else {
            return Ok(None);
        };
        Ok(crate::api::loaders::loaders(ctx)?
            .state(code)
            .await?
            .map(StateParty))
    }
    /// The thematic areas a COORDINATOR follows.
    async fn thematic_areas(&self) -> Vec<ThematicArea> {
        split_values::<entity::enums::ThematicArea>(&self.0.thematic_areas)
            .into_iter()
            .map(Into::into)
            .collect()
    }
    /// A deactivated user cannot log in, and its sessions end at once.
    async fn active(&self) -> bool {
        self.0.active
    }
    /// When the account was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// Credentials to open a session with `login`.
#[derive(InputObject)]
pub struct LoginInput {
    /// The account's email; case and surrounding spaces are ignored.
    pub email: String,
    /// The account's password.
    pub password: String,
}

/// The refresh token to exchange with `refreshSession`.
#[derive(InputObject)]
pub struct RefreshSessionInput {
    /// The latest refresh token of the session, from `login` or `refreshSession`.
    pub refresh_token: String,
}

/// The session to end with `logout`.
#[derive(InputObject)]
pub struct LogoutInput {
    /// The session's current refresh token.
    pub refresh_token: String,
}

/// A new account, for `createUser`.
#[derive(InputObject)]
pub struct CreateUserInput {
    /// Used to log in; compared case-insensitively.
    pub email: String,
    /// At least 12 characters.
    pub password: String,
    /// What the account may do.
    pub role: UserRole,
    /// Required for DELEGATION, refused for other roles.
    pub state_code: Option<String>,
    /// For COORDINATOR only.
    pub thematic_areas: Option<Vec<ThematicArea>>,
}

/// Your current password and the new one, for `changePassword`.
#[derive(InputObject)]
pub struct ChangePasswordInput {
    /// Your password now; a wrong one gets INVALID_CREDENTIALS.
    pub current_password: String,
    /// At least 12 characters.
    pub new_password: String,
}

/// The account to deactivate with `deactivateUser`.
#[derive(InputObject)]
pub struct DeactivateUserInput {
    /// Global ID of the user; not your own.
    pub id: ID,
}

/// Narrows `users`; the filters given combine.
#[derive(InputObject)]
#[graphql(name = "UserFilter")]
pub struct UserFilterInput {
    /// Users with this role.
    pub role: Option<UserRole>,
    /// Users speaking for this State (ISO alpha-3; case is ignored): its delegation.
    pub state_code: Option<String>,
    /// True: active users only; false: deactivated ones only.
    pub active: Option<bool>,
}

/// A new session: a 15-minute access token and a 30-day refresh token that rotates on use.
#[derive(SimpleObject)]
pub struct AuthPayload {
    /// Send as `Authorization: Bearer <accessToken>`.
    pub access_token: Option<String>,
    /// Single use: `refreshSession` returns the next one. Reusing a spent one ends the session.
    pub refresh_token: Option<String>,
    /// When the access token expires.
    pub expires_at: Option<DateTime>,
    /// The user the session is for.
    pub user: Option<User>,
    /// Why no session was opened or refreshed; empty on success.
    pub user_errors: Vec<UserError>,
}

impl Payload for AuthPayload {
    type Value = Session;
    fn ok(s: Session) -> Self {
        Self {
            access_token: Some(s.access_token),
            refresh_token: Some(s.refresh_token),
            expires_at: Some(DateTime(s.expires_at)),
            user: Some(User(s.user)),
            user_errors: vec![],
        }
    }
    fn refused(user_errors: Vec<UserError>) -> Self {
        Self {
            access_token: None,
            refresh_token: None,
            expires_at: None,
            user: None,
            user_errors,
        }
    }
}

/// What `logout` did.
#[derive(SimpleObject)]
pub struct LogoutPayload {
    /// True when the session was ended.
    pub ok: bool,
    /// Why the session was not ended (an unknown token, or a session already ended);
    /// empty on success.
    pub user_errors: Vec<UserError>,
}

impl Payload for LogoutPayload {
    type Value = ();
    fn ok((): ()) -> Self {
        Self {
            ok: true,
            user_errors: vec![],
        }
    }
    fn refused(user_errors: Vec<UserError>) -> Self {
        Self {
            ok: false,
            user_errors,
        }
    }
}

/// What `changePassword` did.
#[derive(SimpleObject)]
pub struct ChangePasswordPayload {
    /// True when the password was changed.
    pub ok: bool,
    /// Why the password was not changed; empty on success.
    pub user_errors: Vec<UserError>,
}

impl Payload for ChangePasswordPayload {
    type Value = ();
    fn ok((): ()) -> Self {
        Self {
            ok: true,
            user_errors: vec![],
        }
    }
    fn refused(user_errors: Vec<UserError>) -> Self {
        Self {
            ok: false,
            user_errors,
        }
    }
}

crate::api::errors::payload!(UserPayload, user, User, user::Model);
