//! Where the records of one State and kind of obligation begin, as a history import set
//! it: what fell due before this day is known only as far as it was imported. States
//! without a row follow the deployment's date (`ISU_RECORDS_SINCE`).

use sea_orm::entity::prelude::*;

use crate::enums::ObligationKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "records_begin")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub state_code: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: ObligationKind,
    pub since: Date,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
