//! Extensions of Article 3 and Article 4 deadlines granted by Meetings of States Parties.

use sea_orm::entity::prelude::*;

use crate::enums::ObligationKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deadline_extensions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub state_code: String,
    pub kind: ObligationKind,
    /// The deadline in force when the extension was granted.
    pub previous_deadline: Date,
    pub new_deadline: Date,
    pub granted_on: Date,
    /// The meeting that granted it, e.g. "10MSP".
    pub granted_at: Option<String>,
    /// Loaded from a history file rather than recorded in the system.
    pub imported: bool,
    /// The meeting's decision, e.g. "CCM/MSP/2019/13, para. 21".
    pub decision_reference: Option<String>,
    /// How exact `new_deadline` is: day, month, year, on_or_before or approximate.
    pub precision: Option<String>,
    /// How exact `granted_on` is, in the same terms.
    pub granted_on_precision: Option<String>,
    /// verified (an official or primary source) or reported (a secondary one).
    pub confidence: Option<String>,
    /// Space-separated addresses of the sources.
    #[sea_orm(column_type = "Text", nullable)]
    pub sources: Option<String>,
    /// The meeting's decision that granted it.
    pub decision_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
