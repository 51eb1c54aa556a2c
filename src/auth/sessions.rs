//! Sessions: login (throttled by [`super::throttle`]), rotation of refresh tokens (with the grace window for
//! two tabs), logout, and ending a user's sessions. Accounts themselves are
//! `domain::users`.

use chrono::{DateTime, Duration, Utc};
use entity::{refresh_token, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, Set, sea_query::Expr,
};
use serde_json::json;
use uuid::Uuid;

use super::jwt::JwtKeys;
use super::password;
use super::throttle;
use super::tokens;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, ServiceError};
use crate::kernel::uow::Uow;

pub const REFRESH_TOKEN_TTL: Duration = Duration::days(30);
/// How long a rotated refresh token may still be presented and answer the same successor
/// pair: two tabs of one browser refresh at the same moment, and the slower one must not
/// end the session. After it, a rotated token presented again is taken as stolen.
pub const REFRESH_GRACE: Duration = Duration::seconds(20);
/// What a successful login or refresh hands to the client.
#[derive(Debug)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_at: DateTime<Utc>,
    pub user: user::Model,
}

/// Emails are compared lower-cased and trimmed.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A light check: one `@`, something on each side, no spaces, a dot in the domain.
pub fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && (domain.contains('.') || domain == "localhost")
        && !email.chars().any(char::is_whitespace)
        && email.len() <= MAX_EMAIL_LEN
}

/// Longest email address (RFC 5321's path limit), checked before anything is stored.
pub const MAX_EMAIL_LEN: usize = 254;

fn invalid_credentials() -> ServiceError {
    ServiceError::refused(
        Code::InvalidCredentials,
        &[],
        "The email or the password is incorrect.",
    )
}

fn session_refused(message: &str) -> ServiceError {
    ServiceError::refused(Code::Unauthenticated, &["input", "refreshToken"], message)
}

/// Signs the access token and stores a new refresh token in `family`.
async fn open_session(
    conn: &impl ConnectionTrait,
    keys: &JwtKeys,
    user: &user::Model,
    family: Uuid,
    refresh: String,
) -> Result<(String, String, DateTime<Utc>), ServiceError> {
    let t = now();
    refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.id),
        family_id: Set(family),
        token_hash: Set(tokens::digest(&refresh)),
        expires_at: Set(t + REFRESH_TOKEN_TTL),
        rotated_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(t),
    }
    .insert(conn)
    .await?;
    let role = sea_orm::ActiveEnum::to_value(&user.role);
    let (access, expires_at) = keys
        .issue(user.id, &role, family, t)
        .map_err(|e| ServiceError::Internal(format!("jwt: {e}")))?;
    Ok((access, refresh, expires_at))
}

/// Checks the password and opens a session. Unknown emails, wrong passwords and
/// deactivated accounts get the same refusal, after the same work. The attempt is reserved
/// in the throttle before the password is hashed.
pub async fn login(
    db: &DatabaseConnection,
    keys: &JwtKeys,
    email: &str,
    password_given: String,
    client_addr: &str,
) -> Result<Session, ServiceError> {
    let email = normalize_email(email);
    if email.len() > MAX_EMAIL_LEN {
        return Err(ServiceError::refused(
            Code::InvalidInput,
            &["input", "email"],
            format!("An email address has at most {MAX_EMAIL_LEN} characters."),
        ));
    }
    let attempt = throttle::reserve(db, &email, client_addr).await?;
    if password_given.chars().count() > password::MAX_PASSWORD_CHARS {
        // No account has such a password: a failure, without the hashing work.
        return Err(invalid_credentials());
    }
    let found = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(db)
        .await?;
    let ok = password::verify(
        password_given,
        found.as_ref().map(|u| u.password_hash.clone()),
    )
    .await;
    let user = match found {
        Some(u) if ok && u.active => u,
        // The reservation stays: it is the failure's count.
        _ => return Err(invalid_credentials()),
    };
    attempt.succeeded(db).await?;

    let uow = Uow::begin(db, Some(user.id), "login").await?;
    let family = Uuid::now_v7();
    let (access_token, refresh_token, expires_at) =
        open_session(uow.txn(), keys, &user, family, tokens::new_refresh_token()?).await?;
    uow.record(
        "Session",
        family,
        None,
        Some(json!({ "userId": user.id, "clientAddress": client_addr })),
    )
    .await?;
    uow.commit().await?;
    Ok(Session {
        access_token,
        refresh_token,
        expires_at,
        user,
    })
}

/// Revokes every live token of a session.
async fn revoke_family(conn: &impl ConnectionTrait, family: Uuid) -> Result<(), ServiceError> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now()))
        .filter(refresh_token::Column::FamilyId.eq(family))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Rotates a refresh token: the presented one is spent and its successor is issued in the
/// same session. The successor is derived from the presented token
/// ([`JwtKeys::successor_of`]), so the same token presented again within
/// [`REFRESH_GRACE`] answers the same pair (two tabs refreshing at once both stay logged
/// in) with nothing stored that could replay it. Presented again after the grace window,
/// it was copied: the whole session is revoked, and that revocation and its reason are
/// written even though the request is refused.
pub async fn refresh(
    db: &DatabaseConnection,
    keys: &JwtKeys,
    presented: &str,
) -> Result<Session, ServiceError> {
    let digest = tokens::digest(presented);
    let Some(row) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(digest))
        .one(db)
        .await?
    else {
        return Err(session_refused("The refresh token is not valid."));
    };
    if row.revoked_at.is_some() {
        return Err(session_refused("This session has ended. Log in again."));
    }
    if let Some(rotated_at) = row.rotated_at {
        return replay_or_end(db, keys, presented, &row, rotated_at).await;
    }
    if row.expires_at <= now() {
        return Err(session_refused(
            "The refresh token has expired. Log in again.",
        ));
    }
    let user = active_user(db, row.user_id).await?;

    // A rotation is not audited: the unit of work records nothing here.
    let uow = Uow::begin(db, Some(user.id), "refreshSession").await?;
    // Spend the token only if nobody else did in the meantime (two concurrent refreshes).
    let spent = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RotatedAt, Expr::value(now()))
        .filter(refresh_token::Column::Id.eq(row.id))
        .filter(refresh_token::Column::RotatedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(uow.txn())
        .await?;
    if spent.rows_affected != 1 {
        uow.rollback().await?;
        // Another request rotated it first, and has committed: answer what it answered.
        let Some(row) = refresh_token::Entity::find_by_id(row.id).one(db).await? else {
            return Err(session_refused("The refresh token is not valid."));
        };
        return match (row.revoked_at, row.rotated_at) {
            (None, Some(rotated_at)) => replay_or_end(db, keys, presented, &row, rotated_at).await,
            _ => Err(session_refused("This session has ended. Log in again.")),
        };
    }
    let successor = keys.successor_of(presented);
    let (access_token, refresh_token, expires_at) =
        open_session(uow.txn(), keys, &user, row.family_id, successor).await?;
    uow.commit().await?;
    Ok(Session {
        access_token,
        refresh_token,
        expires_at,
        user,
    })
}

/// The account a session belongs to, when it is still active.
async fn active_user(db: &DatabaseConnection, id: Uuid) -> Result<user::Model, ServiceError> {
    user::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|u| u.active)
        .ok_or_else(|| session_refused("This account is not active."))
}

/// A rotated token presented again: within [`REFRESH_GRACE`], the pair its rotation issued
/// (the access token signed again with the same claims, the refresh token derived again);
/// after it, or when that pair is gone, the end of the session, recorded with its reason.
async fn replay_or_end(
    db: &DatabaseConnection,
    keys: &JwtKeys,
    presented: &str,
    row: &refresh_token::Model,
    rotated_at: DateTime<Utc>,
) -> Result<Session, ServiceError> {
    let since = now() - rotated_at;
    if since <= REFRESH_GRACE {
        let successor = keys.successor_of(presented);
        let next = refresh_token::Entity::find()
            .filter(refresh_token::Column::TokenHash.eq(tokens::digest(&successor)))
            .filter(refresh_token::Column::FamilyId.eq(row.family_id))
            .filter(refresh_token::Column::RevokedAt.is_null())
            .one(db)
            .await?;
        if let Some(next) = next {
            let user = active_user(db, row.user_id).await?;
            let role = sea_orm::ActiveEnum::to_value(&user.role);
            let (access_token, expires_at) = keys
                .issue(user.id, &role, row.family_id, next.created_at)
                .map_err(|e| ServiceError::Internal(format!("jwt: {e}")))?;
            return Ok(Session {
                access_token,
                refresh_token: successor,
                expires_at,
                user,
            });
        }
    }
    let uow = Uow::begin(db, Some(row.user_id), "refreshSession").await?;
    revoke_family(uow.txn(), row.family_id).await?;
    uow.record(
        "Session",
        row.family_id,
        None,
        Some(json!({
            "ended": "refresh token reused",
            "secondsAfterRotation": since.num_seconds(),
            "graceSeconds": REFRESH_GRACE.num_seconds(),
        })),
    )
    .await?;
    uow.commit().await?;
    tracing::warn!(session = %row.family_id, "refresh token reused; session revoked");
    Err(session_refused(
        "This refresh token was already used; the session has been ended. Log in again.",
    ))
}

/// Ends the session the refresh token belongs to, with its access tokens.
pub async fn logout(db: &DatabaseConnection, presented: &str) -> Result<(), ServiceError> {
    let Some(row) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(tokens::digest(presented)))
        .one(db)
        .await?
    else {
        return Err(session_refused("The refresh token is not valid."));
    };
    if row.revoked_at.is_some() {
        return Err(session_refused("This session has already ended."));
    }
    let uow = Uow::begin(db, Some(row.user_id), "logout").await?;
    revoke_family(uow.txn(), row.family_id).await?;
    uow.record("Session", row.family_id, None, None).await?;
    uow.commit().await?;
    Ok(())
}

/// Ends every session of `user` but `except` (the caller's own, when changing a password),
/// with their access tokens, in the transaction of the change that calls for it.
pub async fn end_sessions(
    conn: &impl ConnectionTrait,
    user: Uuid,
    except: Option<Uuid>,
) -> Result<(), DbErr> {
    let mut ended = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now()))
        .filter(refresh_token::Column::UserId.eq(user))
        .filter(refresh_token::Column::RevokedAt.is_null());
    if let Some(keep) = except {
        ended = ended.filter(refresh_token::Column::FamilyId.ne(keep));
    }
    ended.exec(conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            normalize_email("  Jane.Doe@Example.ORG "),
            "jane.doe@example.org"
        );
        assert!(is_plausible_email("a@b.org"));
        assert!(is_plausible_email("admin@localhost"));
        assert!(!is_plausible_email("no-at-sign"));
        assert!(!is_plausible_email("a@b@c.org"));
        assert!(!is_plausible_email("a b@c.org"));
        assert!(!is_plausible_email("@c.org"));
        assert!(!is_plausible_email("a@nodot"));
    }
}
