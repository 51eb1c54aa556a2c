//! Proposals that match an offer to a need.

use sea_orm::entity::prelude::*;

use crate::enums::MatchStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "match_proposals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub need_id: Uuid,
    pub offer_id: Uuid,
    /// In the need's currency.
    pub amount_cents: Option<i64>,
    pub currency: Option<String>,
    /// The same amount in the offer's currency, fixed when proposed.
    pub offer_amount_cents: Option<i64>,
    pub status: MatchStatus,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
