//! Password attempts counted per throttle key, shared by every server process so that the
//! limits hold across a cluster. The key is a digest: neither the email nor the address
//! that was tried is stored, and its length is fixed whatever the client sent.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "auth_throttles")]
pub struct Model {
    /// SHA-256 hex of the throttle's kind and subject (account, address, or both).
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// Attempts reserved in the current window (a success gives its reservation back).
    pub attempts: i32,
    /// When the window closes: the row is then reset on the next attempt, or pruned.
    pub window_ends_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
