//! A State party's assessed contribution for a year.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub year: i32,
    pub state_code: String,
    /// The State's rate on the scale used, an exact decimal string.
    pub rate: String,
    pub amount_cents: i64,
    /// Sum of payments, kept with the amount so that a conditional update refuses an
    /// over-payment even under concurrent recording.
    pub received_cents: i64,
    pub currency: String,
    pub issued_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
