//! Budget lines of a workplan, and what has been spent against each.

use sea_orm::entity::prelude::*;

use crate::enums::BudgetCategory;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "budget_lines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workplan_id: Uuid,
    pub activity_id: Option<Uuid>,
    pub category: BudgetCategory,
    pub description: String,
    /// Cents of the workplan's currency.
    pub amount_cents: i64,
    /// Sum of expenditures, kept with the amount so that a conditional update refuses an
    /// overspend even under concurrent recording.
    pub spent_cents: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
