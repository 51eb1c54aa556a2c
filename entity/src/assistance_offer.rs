//! Offers of assistance by States or organisations (Article 6).

use sea_orm::entity::prelude::*;

use crate::enums::OfferStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assistance_offers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// A State provider; exactly one of this and `provider_organization` is set.
    pub provider_state_code: Option<String>,
    pub provider_organization: Option<String>,
    /// Comma-separated thematic areas.
    pub thematic_areas: String,
    /// Comma-separated assistance types.
    pub assistance_types: String,
    pub title: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    pub amount_cents: Option<i64>,
    pub currency: Option<String>,
    /// Cents of `currency` committed by AGREED and DELIVERED proposals.
    pub committed_cents: i64,
    /// Comma-separated regional groups; empty means any region.
    pub target_regions: String,
    /// Comma-separated State codes; empty means any State.
    #[sea_orm(column_type = "Text")]
    pub target_state_codes: String,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub status: OfferStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
