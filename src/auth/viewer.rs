//! The viewer: who is asking, resolved once per request from the bearer token.
//!
//! The token is only a claim: the user row is read on every request, so a deactivated
//! user or an ended session loses access at once, and a changed role applies at once.
//! Ownership rules live in services, which take the viewer, because a guard cannot see
//! the object being read.

use entity::enums::{ThematicArea, UserRole, split_values};
use entity::{refresh_token, user};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use super::jwt::JwtKeys;
use crate::error::{Code, ServiceError};

#[derive(Clone, Debug)]
pub struct Principal {
    pub user_id: Uuid,
    pub role: UserRole,
    /// The State a DELEGATION speaks for.
    pub state_code: Option<String>,
    pub thematic_areas: Vec<ThematicArea>,
    /// The login session (refresh token family) the access token belongs to.
    pub session_id: Uuid,
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
/// does not hold a valid, live token is refused.
pub async fn resolve(
    db: &DatabaseConnection,
    keys: &JwtKeys,
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
    let user = user::Entity::find_by_id(user_id)
        .one(db)
        .await
        .map_err(fault)?
        .filter(|u| u.active)
        .ok_or(TokenRefusal::SessionEnded)?;
    let live = refresh_token::Entity::find()
        .filter(refresh_token::Column::FamilyId.eq(session_id))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .count(db)
        .await
        .map_err(fault)?;
    if live == 0 {
        return Err(TokenRefusal::SessionEnded);
    }
    Ok(Viewer::authenticated(Principal {
        user_id,
        role: user.role,
        state_code: user.state_code,
        thematic_areas: split_values(&user.thematic_areas),
        session_id,
    }))
}
