//! Reading needs, with the visibility rule in one place.

use entity::assistance_need;
use entity::enums::UserRole;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::auth::Viewer;

/// ISU staff and coordinators see every need; a delegation its own State's.
pub fn need_visible(viewer: &Viewer, need: &assistance_need::Model) -> bool {
    match viewer.principal() {
        None => false,
        Some(p) => match p.role {
            UserRole::IsuAdmin | UserRole::IsuStaff | UserRole::Coordinator => true,
            UserRole::Delegation => p.state_code.as_deref() == Some(need.state_code.as_str()),
        },
    }
}

/// The needs declared in a report that the viewer may see, oldest first.
pub async fn needs_of_report(
    db: &DatabaseConnection,
    viewer: &Viewer,
    report_id: Uuid,
) -> Result<Vec<assistance_need::Model>, DbErr> {
    if viewer.principal().is_none() {
        return Ok(vec![]);
    }
    Ok(assistance_need::Entity::find()
        .filter(assistance_need::Column::SourceReportId.eq(report_id))
        .order_by_asc(assistance_need::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|n| need_visible(viewer, n))
        .collect())
}

pub async fn get_need(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Option<assistance_need::Model>, DbErr> {
    Ok(assistance_need::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|n| need_visible(viewer, n)))
}
