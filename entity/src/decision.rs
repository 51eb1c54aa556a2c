//! A decision, recommendation or conclusion of a meeting, and where its implementation
//! stands.

use sea_orm::entity::prelude::*;

use crate::enums::{Access, DecisionKind, ImplementationStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "decisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub kind: DecisionKind,
    /// Where it stands in the meeting's record, e.g. "para. 27(c)".
    pub reference: String,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    pub access: Access,
    /// Who must act, in the meeting's words.
    pub responsible: String,
    /// The State that must act, when it is one State.
    pub responsible_state: Option<String>,
    pub due_on: Option<Date>,
    pub status: ImplementationStatus,
    #[sea_orm(column_type = "Text", nullable)]
    pub management_response: Option<String>,
    /// The action plan actions' numbers, ascending, between commas: ",3,44," ("" for
    /// none), so that a filter finds ",44,".
    #[sea_orm(column_type = "Text")]
    pub action_plan_actions: String,
    pub superseded_by: Option<Uuid>,
    /// Increases by one on every change; updates name the version they saw.
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
