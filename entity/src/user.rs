//! Accounts of ISU staff, delegations and coordinators.

use sea_orm::entity::prelude::*;

use crate::enums::UserRole;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Stored lower-cased so that logins are case-insensitive and unique.
    #[sea_orm(unique)]
    pub email: String,
    /// Argon2id PHC string. Never leaves the auth module.
    pub password_hash: String,
    pub role: UserRole,
    /// The State a DELEGATION speaks for (ISO alpha-3).
    pub state_code: Option<String>,
    /// Comma-separated thematic areas of a COORDINATOR.
    pub thematic_areas: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
