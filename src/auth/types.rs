//! GraphQL types of users and sessions.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::enums::split_values;
use entity::user;

use super::service::Session;
use crate::graphql::enums::{ThematicArea, UserRole};
use crate::graphql::errors::{Payload, UserError};
use crate::graphql::ids;
use crate::states::types::StateParty;

/// An account of ISU staff, a delegation or a coordinator.
pub struct User(pub user::Model);

impl User {
    pub const KIND: &'static str = "User";
}

#[Object]
impl User {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn role(&self) -> UserRole {
        self.0.role.into()
    }
    /// The State a DELEGATION user speaks for.
    async fn state(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<StateParty>> {
        let Some(code) = &self.0.state_code else {
            return Ok(None);
        };
        Ok(crate::graphql::loaders::loaders(ctx)?
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
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

#[derive(InputObject)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
}

#[derive(InputObject)]
pub struct RefreshSessionInput {
    pub refresh_token: String,
}

#[derive(InputObject)]
pub struct LogoutInput {
    pub refresh_token: String,
}

#[derive(InputObject)]
pub struct CreateUserInput {
    /// Used to log in; compared case-insensitively.
    pub email: String,
    /// At least 12 characters.
    pub password: String,
    pub role: UserRole,
    /// Required for DELEGATION, refused for other roles.
    pub state_code: Option<String>,
    /// For COORDINATOR only.
    pub thematic_areas: Option<Vec<ThematicArea>>,
}

#[derive(InputObject)]
pub struct ChangePasswordInput {
    pub current_password: String,
    /// At least 12 characters.
    pub new_password: String,
}

#[derive(InputObject)]
pub struct DeactivateUserInput {
    pub id: ID,
}

#[derive(InputObject)]
#[graphql(name = "UserFilter")]
pub struct UserFilterInput {
    pub role: Option<UserRole>,
    pub state_code: Option<String>,
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
    pub expires_at: Option<DateTime<Utc>>,
    pub user: Option<User>,
    pub user_errors: Vec<UserError>,
}

impl Payload for AuthPayload {
    type Value = Session;
    fn ok(s: Session) -> Self {
        Self {
            access_token: Some(s.access_token),
            refresh_token: Some(s.refresh_token),
            expires_at: Some(s.expires_at),
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

#[derive(SimpleObject)]
pub struct LogoutPayload {
    pub ok: bool,
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

#[derive(SimpleObject)]
pub struct ChangePasswordPayload {
    pub ok: bool,
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

crate::graphql::errors::payload!(UserPayload, user, User, user::Model);
