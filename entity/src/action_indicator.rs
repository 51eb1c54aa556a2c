//! An indicator of an action plan's action: how it is measured, its baseline and target.

use sea_orm::entity::prelude::*;

use crate::enums::{IndicatorComputation, IndicatorUnit};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "action_indicators")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The plan, for the code's uniqueness in it.
    pub plan_id: Uuid,
    pub action_id: Uuid,
    /// As numbered in the plan, e.g. "2.1"; unique in the plan.
    pub code: String,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    pub unit: IndicatorUnit,
    pub computation: IndicatorComputation,
    /// What the denominator counts, in words.
    pub population: Option<String>,
    pub baseline_year: Option<i32>,
    /// Baseline and target in tenths (a percentage or a count, to one decimal).
    pub baseline_tenths: Option<i64>,
    pub target_tenths: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
