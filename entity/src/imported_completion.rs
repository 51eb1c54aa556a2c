//! A completion of stockpile destruction or clearance as a history file declared it, with
//! its provenance: the date itself is the State's (`states.*_completed_on`), which the
//! import sets; this row keeps how well it is known, so the ISU can review what it
//! inherited.

use sea_orm::entity::prelude::*;

use crate::enums::ObligationKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "imported_completions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub state_code: String,
    /// STOCKPILE_DESTRUCTION or CLEARANCE.
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: ObligationKind,
    pub completed_on: Date,
    /// day, month, year, on_or_before or approximate.
    pub precision: Option<String>,
    /// Where and how it was announced.
    #[sea_orm(column_type = "Text", nullable)]
    pub declared: Option<String>,
    /// verified or reported.
    pub confidence: Option<String>,
    /// Space-separated addresses.
    #[sea_orm(column_type = "Text", nullable)]
    pub sources: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
