//! Meetings of the Convention and their sponsorship budgets.

use sea_orm::entity::prelude::*;

use crate::enums::MeetingKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meetings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: MeetingKind,
    pub title: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub venue: Option<String>,
    pub application_deadline: Option<Date>,
    /// Integer cents of `currency`; None when the meeting has no sponsorship programme.
    pub sponsorship_budget_cents: Option<i64>,
    /// Daily subsistence allowance, cents of `currency`.
    pub dsa_cents: Option<i64>,
    /// The currency of the budget, the allowance and every application's amounts.
    pub currency: Option<String>,
    /// Sum of approved amounts, kept with the budget so that a conditional update can
    /// refuse an approval that would overspend it, even under concurrent decisions.
    pub committed_cents: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
