//! A mutation's `Idempotency-Key`, per caller, and the response its first request got.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    /// The caller: a user ID, or "anonymous".
    #[sea_orm(primary_key, auto_increment = false)]
    pub scope: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// SHA-256 of the request body, hex: the same key with another request is refused.
    pub request_hash: String,
    /// The request that holds the key, until its response is stored.
    pub owner: Uuid,
    pub status: Option<i32>,
    /// The response body, once the first request has answered.
    #[sea_orm(column_type = "Text", nullable)]
    pub response: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
