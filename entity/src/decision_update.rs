//! One step of a decision's follow-up: who, when, the status it set, why, and the evidence.

use sea_orm::entity::prelude::*;

use crate::enums::ImplementationStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "decision_updates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub decision_id: Uuid,
    pub at: DateTimeUtc,
    /// None for the system (seeding).
    pub by_user: Option<Uuid>,
    pub status: ImplementationStatus,
    #[sea_orm(column_type = "Text", nullable)]
    pub comment: Option<String>,
    pub evidence_document_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
