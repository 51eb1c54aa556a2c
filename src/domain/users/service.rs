//! Accounts and roles: creating users (ISU administrators, or the system at first start),
//! listing and reading them, changing one's password, deactivating. Passwords are hashed and
//! sessions ended through `auth`, which knows users but no domain.

use entity::enums::{ThematicArea, UserRole, join_values};
use entity::{state, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::auth::Viewer;
use crate::auth::sessions::{end_sessions, is_plausible_email, normalize_email};
use crate::auth::{password, throttle, tokens};
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::pagination::{self, Direction, Page, PageRequest};
use crate::kernel::uow::{Audited, Uow};

/// JSON of a user for the audit log; the password hash never goes there.
pub fn audit_json(u: &user::Model) -> serde_json::Value {
    json!({
        "id": u.id,
        "email": u.email,
        "role": u.role,
        "stateCode": u.state_code,
        "thematicAreas": u.thematic_areas.split(',').filter(|s| !s.is_empty()).collect::<Vec<_>>(),
        "active": u.active,
    })
}

impl Audited for user::Model {
    const ENTITY_TYPE: &'static str = "User";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        audit_json(self)
    }
}

/// A user to create, as given by an administrator or the command line.
#[derive(Debug)]
pub struct NewUser {
    pub email: String,
    pub password: String,
    pub role: UserRole,
    pub state_code: Option<String>,
    pub thematic_areas: Vec<ThematicArea>,
}

/// Creates a user after validating every field; `actor` is None for the system itself.
/// Role checks are the caller's (see [`create_user_as`]).
pub async fn create_user(
    db: &DatabaseConnection,
    actor: Option<Uuid>,
    action: &'static str,
    new: NewUser,
) -> Result<user::Model, ServiceError> {
    let email = normalize_email(&new.email);
    let mut refusals = Refusals::default();
    if !is_plausible_email(&email) {
        refusals.push(
            Code::InvalidInput,
            &["input", "email"],
            "Enter a valid email address.",
        );
    }
    if let Err(m) = password::check_policy(&new.password, &[&email]) {
        refusals.push(Code::InvalidInput, &["input", "password"], m);
    }
    let state_code = new.state_code.map(|c| c.trim().to_uppercase());
    match (new.role, &state_code) {
        (UserRole::Delegation, None) => refusals.push(
            Code::InvalidInput,
            &["input", "stateCode"],
            "A DELEGATION user needs the State it speaks for.",
        ),
        (UserRole::Delegation, Some(code)) => {
            let exists = state::Entity::find()
                .filter(state::Column::Code.eq(code.as_str()))
                .count(db)
                .await?
                > 0;
            if !exists {
                refusals.push(
                    Code::InvalidInput,
                    &["input", "stateCode"],
                    format!("No State has the code {code}."),
                );
            }
        }
        (_, Some(_)) => refusals.push(
            Code::InvalidInput,
            &["input", "stateCode"],
            "Only DELEGATION users are bound to a State.",
        ),
        (_, None) => {}
    }
    if new.role != UserRole::Coordinator && !new.thematic_areas.is_empty() {
        refusals.push(
            Code::InvalidInput,
            &["input", "thematicAreas"],
            "Only COORDINATOR users follow thematic areas.",
        );
    }
    refusals.finish()?;

    let mut areas = new.thematic_areas;
    areas.dedup();
    let hash = password::hash(new.password).await?;
    let t = now();
    let uow = Uow::begin(db, actor, action).await?;
    let inserted = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email),
        password_hash: Set(hash),
        role: Set(new.role),
        state_code: Set(state_code),
        thematic_areas: Set(join_values(&areas)),
        active: Set(true),
        created_at: Set(t),
        updated_at: Set(t),
    }
    .insert(uow.txn())
    .await
    .map_err(ServiceError::from);
    let created = match inserted {
        Err(e) if e.is_unique_violation() => {
            return Err(ServiceError::refused(
                Code::AlreadyExists,
                &["input", "email"],
                "A user with this email already exists.",
            ));
        }
        other => other?,
    };
    uow.created(&created).await?;
    uow.commit().await?;
    Ok(created)
}

/// `createUser`: ISU_ADMIN only.
pub async fn create_user_as(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewUser,
) -> Result<user::Model, ServiceError> {
    let admin = viewer.require_role(&[UserRole::IsuAdmin])?;
    create_user(db, Some(admin.user_id), "createUser", new).await
}

/// Changes the viewer's own password and ends every other session of the user. The check
/// of the current password counts in the login throttle of the account and `client_addr`.
pub async fn change_password(
    db: &DatabaseConnection,
    viewer: &Viewer,
    current: String,
    new_password: String,
    client_addr: &str,
) -> Result<(), ServiceError> {
    let me = viewer.require()?;
    let Some(u) = user::Entity::find_by_id(me.user_id).one(db).await? else {
        return Err(ServiceError::refused(
            Code::Unauthenticated,
            &[],
            "You must be logged in.",
        ));
    };
    // The current password is guessed like a login's, so it is throttled like one.
    let attempt = throttle::reserve(db, &u.email, client_addr).await?;
    if current.chars().count() > password::MAX_PASSWORD_CHARS
        || !password::verify(current.clone(), Some(u.password_hash.clone())).await
    {
        return Err(ServiceError::refused(
            Code::InvalidCredentials,
            &["input", "currentPassword"],
            "The current password is incorrect.",
        ));
    }
    attempt.succeeded(db).await?;
    if let Err(m) = password::check_policy(&new_password, &[&u.email]) {
        return Err(ServiceError::refused(
            Code::InvalidInput,
            &["input", "newPassword"],
            m,
        ));
    }
    if new_password == current {
        return Err(ServiceError::refused(
            Code::InvalidInput,
            &["input", "newPassword"],
            "The new password must differ from the current one.",
        ));
    }
    let hash = password::hash(new_password).await?;
    let uow = Uow::begin(db, Some(me.user_id), "changePassword").await?;
    let before = audit_json(&u);
    let mut am: user::ActiveModel = u.into();
    am.password_hash = Set(hash);
    am.updated_at = Set(now());
    let updated = am.update(uow.txn()).await?;
    end_sessions(uow.txn(), me.user_id, Some(me.session_id)).await?;
    let mut after = audit_json(&updated);
    after["passwordChanged"] = json!(true);
    uow.record(
        user::Model::ENTITY_TYPE,
        updated.audit_id(),
        Some(before),
        Some(after),
    )
    .await?;
    uow.commit().await?;
    Ok(())
}

/// Deactivates a user and ends all its sessions. ISU_ADMIN only; not oneself, so the last
/// administrator cannot lock everybody out.
pub async fn deactivate_user(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<user::Model, ServiceError> {
    let admin = viewer.require_role(&[UserRole::IsuAdmin])?;
    let Some(u) = user::Entity::find_by_id(id).one(db).await? else {
        return Err(ServiceError::refused(
            Code::NotFound,
            &["input", "id"],
            "No such user.",
        ));
    };
    if u.id == admin.user_id {
        return Err(ServiceError::refused(
            Code::InvalidInput,
            &["input", "id"],
            "You cannot deactivate your own account.",
        ));
    }
    if !u.active {
        return Err(ServiceError::refused(
            Code::InvalidStateTransition,
            &["input", "id"],
            "This user is already deactivated.",
        ));
    }
    let uow = Uow::begin(db, Some(admin.user_id), "deactivateUser").await?;
    let before = u.clone();
    let mut am: user::ActiveModel = u.into();
    am.active = Set(false);
    am.updated_at = Set(now());
    let updated = am.update(uow.txn()).await?;
    end_sessions(uow.txn(), id, None).await?;
    uow.changed(&before, &updated).await?;
    uow.commit().await?;
    Ok(updated)
}

#[derive(Debug, Default)]
pub struct UserFilter {
    pub role: Option<UserRole>,
    pub state_code: Option<String>,
    pub active: Option<bool>,
}

/// Users ordered by email. ISU_ADMIN only.
pub async fn list_users(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: UserFilter,
    page: PageRequest,
) -> Result<Page<user::Model>, ServiceError> {
    viewer.require_role(&[UserRole::IsuAdmin])?;
    let mut cond = Condition::all();
    if let Some(r) = filter.role {
        cond = cond.add(user::Column::Role.eq(r));
    }
    if let Some(c) = filter.state_code {
        cond = cond.add(user::Column::StateCode.eq(c.trim().to_uppercase()));
    }
    if let Some(a) = filter.active {
        cond = cond.add(user::Column::Active.eq(a));
    }
    Ok(pagination::fetch(
        db,
        user::Entity::find().filter(cond),
        user::Column::Email,
        Direction::Ascending,
        page.after,
        page.limit,
    )
    .await?)
}

/// A user the viewer may see: administrators see everyone, others only themselves.
pub async fn get_user(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Option<user::Model>, ServiceError> {
    let Some(me) = viewer.principal() else {
        return Ok(None);
    };
    if !viewer.is_admin() && me.user_id != id {
        return Ok(None);
    }
    Ok(user::Entity::find_by_id(id).one(db).await?)
}

/// The users of `ids` the viewer may see (the rule of [`get_user`]), in one statement.
pub async fn get_users(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<Vec<user::Model>, ServiceError> {
    let Some(me) = viewer.principal() else {
        return Ok(Vec::new());
    };
    let visible: Vec<Uuid> = ids
        .iter()
        .copied()
        .filter(|id| viewer.is_admin() || me.user_id == *id)
        .collect();
    if visible.is_empty() {
        return Ok(Vec::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(visible))
        .all(db)
        .await?)
}

/// Makes sure an administrator exists: the configured one, or `admin@localhost` with a
/// random password that is logged once. Returns the generated password, if any.
pub async fn ensure_admin(
    db: &DatabaseConnection,
    configured: Option<(String, String)>,
) -> Result<Option<String>, ServiceError> {
    let admins = user::Entity::find()
        .filter(user::Column::Role.eq(UserRole::IsuAdmin))
        .filter(user::Column::Active.eq(true))
        .count(db)
        .await?;
    if admins > 0 {
        return Ok(None);
    }
    let (email, password, generated) = match configured {
        Some((email, password)) => (email, password, false),
        None => (
            "admin@localhost".to_owned(),
            tokens::random_secret(18)?,
            true,
        ),
    };
    create_user(
        db,
        None,
        "bootstrapAdmin",
        NewUser {
            email,
            password: password.clone(),
            role: UserRole::IsuAdmin,
            state_code: None,
            thematic_areas: vec![],
        },
    )
    .await?;
    Ok(generated.then_some(password))
}
