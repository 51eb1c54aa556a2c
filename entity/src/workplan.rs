//! The ISU's yearly results-based workplan and budget.

use sea_orm::entity::prelude::*;

use crate::enums::WorkplanStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workplans")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// One workplan per year: a unique index refuses a second.
    #[sea_orm(unique)]
    pub year: i32,
    pub title: String,
    pub currency: String,
    pub status: WorkplanStatus,
    /// Bumped by every change (transition, activity, line): each transition names the
    /// version it saw, so nobody submits a plan that changed under them.
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
