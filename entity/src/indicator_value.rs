//! A value of a RECORDED indicator for one year, as the ISU entered it; one per indicator
//! and year (recording again replaces it; the audit log keeps both).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "indicator_values")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub indicator_id: Uuid,
    pub year: i32,
    pub numerator: i32,
    /// For PERCENT indicators.
    pub denominator: Option<i32>,
    /// The States counted in the numerator, ascending, between commas: ",AFG,ALB," ("" when
    /// not given).
    #[sea_orm(column_type = "Text")]
    pub state_codes: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    pub recorded_by: Option<Uuid>,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
