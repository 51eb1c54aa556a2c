//! Reading the audit log; entries are written by [`crate::kernel::uow`], in the transaction
//! of each change.

use chrono::{DateTime, Utc};
use entity::audit_entry;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::kernel::error::ServiceError;
use crate::kernel::pagination::{self, Direction, Page, PageRequest};
use entity::enums::UserRole;

#[derive(Debug, Default)]
pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub actor_id: Option<Uuid>,
    pub since: Option<DateTime<Utc>>,
}

/// Newest first. ISU_ADMIN only.
pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: AuditFilter,
    page: PageRequest,
) -> Result<Page<audit_entry::Model>, ServiceError> {
    viewer.require_role(&[UserRole::IsuAdmin])?;
    let mut cond = Condition::all();
    if let Some(t) = filter.entity_type {
        cond = cond.add(audit_entry::Column::EntityType.eq(t));
    }
    if let Some(id) = filter.entity_id {
        cond = cond.add(audit_entry::Column::EntityId.eq(id));
    }
    if let Some(a) = filter.actor_id {
        cond = cond.add(audit_entry::Column::ActorId.eq(a));
    }
    if let Some(since) = filter.since {
        cond = cond.add(audit_entry::Column::At.gte(since));
    }
    let after = match page.after {
        Some(key) => Some(Uuid::parse_str(&key).map_err(|_| {
            ServiceError::refused(
                crate::kernel::error::Code::InvalidInput,
                &["after"],
                "Invalid cursor.",
            )
        })?),
        None => None,
    };
    Ok(pagination::fetch(
        db,
        audit_entry::Entity::find().filter(cond),
        audit_entry::Column::Id,
        Direction::Descending,
        after,
        page.limit,
    )
    .await?)
}

pub async fn get(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Option<audit_entry::Model>, ServiceError> {
    if !viewer.is_admin() {
        return Ok(None);
    }
    Ok(audit_entry::Entity::find_by_id(id).one(db).await?)
}

/// The entries of `ids`, for administrators (the rule of [`get`]), in one statement.
pub async fn get_many(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<Vec<audit_entry::Model>, ServiceError> {
    if !viewer.is_admin() || ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(audit_entry::Entity::find()
        .filter(audit_entry::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}
