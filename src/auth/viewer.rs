//! The viewer: who is asking, resolved once per request from the bearer token.
//!
//! The token is only a claim: the user row and the session are checked on every request,
//! so a deactivated user or an ended session loses access at once, and a changed role
//! applies at once. A server keeps the sessions it found live ([`LiveSessions`]) under the
//! `sessions` stamp, which every change to an account and every revocation moves, in the
//! same transaction, on every server's database (see [`crate::kernel::stamps`]): a request
//! reads the stamps (one statement, which the registry's cache shares) and the account only
//! when the stamp moved since.
//! Ownership rules live in services, which take the viewer, because a guard cannot see
//! the object being read.

use std::sync::Arc;

use entity::enums::{ThematicArea, UserRole, split_values};
use entity::{refresh_token, user};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::jwt::JwtKeys;
use crate::kernel::error::{Code, ServiceError};
use crate::kernel::stamps::{RequestStamps, StampedMap};

/// The name of the sessions' counter in `cache_stamps`.
pub const SESSIONS_STAMP: &str = "sessions";

/// Live sessions held by one server: the account of each (user, session) a token was
/// checked for, without its password hash, under the `sessions` stamp. At most
/// [`LiveSessions::CAPACITY`] of them.
pub struct LiveSessions(StampedMap<(Uuid, Uuid), Arc<user::Model>>);

impl LiveSessions {
    pub const CAPACITY: usize = 10_000;
}

impl Default for LiveSessions {
    fn default() -> Self {
        Self(StampedMap::new(Self::CAPACITY))
    }
}

#[derive(Clone)]
pub struct Principal {
    pub user_id: Uuid,
    pub role: UserRole,
    /// The State a DELEGATION speaks for.
    pub state_code: Option<String>,
    pub thematic_areas: Vec<ThematicArea>,
    /// The login session (refresh token family) the access token belongs to.
    pub session_id: Uuid,
    /// The account as read when the token was checked, for `me`: a query reads it once.
    pub account: Arc<user::Model>,
}

/// Everything but the account row, whose password hash stays out of logs.
impl std::fmt::Debug for Principal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Principal")
            .field("user_id", &self.user_id)
            .field("role", &self.role)
            .field("state_code", &self.state_code)
            .field("thematic_areas", &self.thematic_areas)
            .field("session_id", &self.session_id)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Debug, Default)]
pub struct Viewer(Option<Principal>);

impl Viewer {
    pub fn anonymous() -> Self {
        Self(None)
    }

    pub fn authenticated(principal: Principal) -> Self {
        Self(Some(principal))
    }

    pub fn principal(&self) -> Option<&Principal> {
        self.0.as_ref()
    }

    pub fn require(&self) -> Result<&Principal, ServiceError> {
        self.0.as_ref().ok_or_else(|| {
            ServiceError::refused(Code::Unauthenticated, &[], "You must be logged in.")
        })
    }

    /// The principal when its role is one of `roles`.
    pub fn require_role(&self, roles: &[UserRole]) -> Result<&Principal, ServiceError> {
        let p = self.require()?;
        if roles.contains(&p.role) {
            Ok(p)
        } else {
            Err(ServiceError::refused(
                Code::Forbidden,
                &[],
                "Your role does not allow this.",
            ))
        }
    }

    /// True when the viewer speaks for the State `code`: its delegation, or ISU staff.
    pub fn acts_for(&self, code: &str) -> bool {
        self.is_isu()
            || self.0.as_ref().is_some_and(|p| {
                p.role == UserRole::Delegation && p.state_code.as_deref() == Some(code)
            })
    }

    /// The principal when it acts for the State `code`; FORBIDDEN otherwise.
    pub fn require_acting_for(&self, code: &str) -> Result<&Principal, ServiceError> {
        let p = self.require()?;
        if self.acts_for(code) {
            Ok(p)
        } else {
            Err(ServiceError::refused(
                Code::Forbidden,
                &[],
                format!("You do not act for {code}."),
            ))
        }
    }

    pub fn is_admin(&self) -> bool {
        self.has_role(&[UserRole::IsuAdmin])
    }

    /// ISU_ADMIN or ISU_STAFF.
    pub fn is_isu(&self) -> bool {
        self.has_role(&[UserRole::IsuAdmin, UserRole::IsuStaff])
    }

    fn has_role(&self, roles: &[UserRole]) -> bool {
        self.0.as_ref().is_some_and(|p| roles.contains(&p.role))
    }
}

/// Why a bearer token was refused. The client gets one message for all of them.
#[derive(Debug)]
pub enum TokenRefusal {
    Invalid,
    SessionEnded,
    Fault(ServiceError),
}

/// Resolves the `Authorization` header. No header is an anonymous viewer; a header that
/// does not hold a valid, live token is refused. `stamps` is the request's reading of the
/// stamps, shared with the caches its resolvers use.
pub async fn resolve(
    db: &DatabaseConnection,
    keys: &JwtKeys,
    sessions: &LiveSessions,
    stamps: &RequestStamps,
    authorization: Option<&str>,
) -> Result<Viewer, TokenRefusal> {
    let Some(header) = authorization else {
        return Ok(Viewer::anonymous());
    };
    let token = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .ok_or(TokenRefusal::Invalid)?
        .trim();
    let claims = keys.verify(token).map_err(|_| TokenRefusal::Invalid)?;
    let user_id = Uuid::parse_str(&claims.sub).map_err(|_| TokenRefusal::Invalid)?;
    let session_id = Uuid::parse_str(&claims.sid).map_err(|_| TokenRefusal::Invalid)?;
    let fault = |e: sea_orm::DbErr| TokenRefusal::Fault(e.into());

    let stamp = stamps.of(db, SESSIONS_STAMP).await.map_err(fault)?;
    let key = (user_id, session_id);
    if let Some(user) = stamp.and_then(|at| sessions.0.get(at, &key)) {
        return Ok(authenticated(user, session_id));
    }
    // One statement: the active user, provided the session still has a live refresh token.
    let live_session = Query::select()
        .expr(Expr::val(1))
        .from(refresh_token::Entity)
        .and_where(refresh_token::Column::FamilyId.eq(session_id))
        .and_where(refresh_token::Column::UserId.eq(user_id))
        .and_where(refresh_token::Column::RevokedAt.is_null())
        .to_owned();
    let mut user = user::Entity::find_by_id(user_id)
        .filter(user::Column::Active.eq(true))
        .filter(Expr::exists(live_session))
        .one(db)
        .await
        .map_err(fault)?
        .ok_or(TokenRefusal::SessionEnded)?;
    user.password_hash.clear();
    let user = Arc::new(user);
    if let Some(at) = stamp {
        sessions.0.insert(at, key, Arc::clone(&user));
    }
    Ok(authenticated(user, session_id))
}

fn authenticated(user: Arc<user::Model>, session_id: Uuid) -> Viewer {
    Viewer::authenticated(Principal {
        user_id: user.id,
        role: user.role,
        state_code: user.state_code.clone(),
        thematic_areas: split_values(&user.thematic_areas),
        session_id,
        account: user,
    })
}
