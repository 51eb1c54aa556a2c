//! Requests to extend an Article 3 or Article 4 deadline, from the first draft to the
//! meeting's decision.

use sea_orm::entity::prelude::*;

use crate::enums::{ExtensionOutcome, ExtensionRequestStatus, ObligationKind};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "extension_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub state_code: String,
    /// STOCKPILE_DESTRUCTION or CLEARANCE.
    pub kind: ObligationKind,
    /// The deadline in force when the request was opened.
    pub current_deadline: Date,
    pub requested_deadline: Date,
    /// The Meeting of States Parties or Review Conference asked to decide it.
    pub meeting_id: Uuid,
    /// The same obligation was extended before the request was opened: a clearance request
    /// then also reports on that extension (Article 4(8)).
    pub extended_before: bool,
    pub status: ExtensionRequestStatus,
    pub submitted_on: Option<Date>,
    pub outcome: Option<ExtensionOutcome>,
    pub granted_deadline: Option<Date>,
    pub decided_on: Option<Date>,
    /// The meeting's decision in the records.
    pub decision_id: Option<Uuid>,
    /// The extension a grant created.
    pub extension_id: Option<Uuid>,
    /// The earlier granted request for the same obligation.
    pub previous_id: Option<Uuid>,
    pub withdrawn_on: Option<Date>,
    #[sea_orm(column_type = "Text", nullable)]
    pub withdrawal_reason: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
