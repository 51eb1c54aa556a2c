//! The States registry: one row per State, whatever its status.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::{DepositType, IncomeGroup, RegionalGroup, StateStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "states")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// ISO 3166-1 alpha-3; the key every other table and the API use.
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub status: StateStatus,
    pub regional_group: Option<RegionalGroup>,
    pub income_group: Option<IncomeGroup>,
    pub signature_date: Option<Date>,
    pub deposit_date: Option<Date>,
    pub deposit_type: Option<DepositType>,
    /// Entry into force is never stored: it is computed from `deposit_date` (Article 17).
    pub withdrawal_effective_date: Option<Date>,
    pub holds_stockpiles: bool,
    pub contaminated: bool,
    pub has_victims: bool,
    pub stockpile_destruction_completed_on: Option<Date>,
    pub clearance_completed_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
