//! Activities of a workplan: results-based, each with its expected output.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workplan_activities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workplan_id: Uuid,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub output: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub indicator: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub target: Option<String>,
    /// E.g. "LAP action 44".
    pub action_plan_reference: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
