//! Needs for assistance declared by States (Article 6).

use sea_orm::entity::prelude::*;

use crate::enums::{NeedStatus, ThematicArea};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assistance_needs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub state_code: String,
    pub thematic_area: ThematicArea,
    /// Comma-separated assistance types.
    pub assistance_types: String,
    pub title: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    /// Integer minor units (cents) of `currency`: exact on every database.
    pub amount_cents: Option<i64>,
    pub currency: Option<String>,
    /// Cents of `currency` covered by AGREED and DELIVERED proposals.
    pub covered_cents: i64,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub status: NeedStatus,
    /// The Article 7 report that declared it.
    pub source_report_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
