//! Applications for sponsorship to attend a meeting, one delegate each.

use sea_orm::entity::prelude::*;

use crate::enums::{ApplicationStatus, Gender};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sponsorship_applications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub state_code: String,
    /// Personal data: shown only to the ISU and the delegate's own State.
    pub delegate_name: String,
    pub delegate_gender: Gender,
    pub delegate_position: Option<String>,
    /// Personal data, like the name.
    pub delegate_email: Option<String>,
    /// Cents of the meeting's currency.
    pub travel_cents: i64,
    pub requested_days: i32,
    pub status: ApplicationStatus,
    /// Cents of the meeting's currency; set only while APPROVED (the audit log keeps
    /// what a withdrawn application had).
    pub approved_cents: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub justification: Option<String>,
    pub submitted_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub decision_note: Option<String>,
    pub applied_by: Option<Uuid>,
    pub decided_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
