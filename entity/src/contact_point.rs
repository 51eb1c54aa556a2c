//! A person or office a State names to receive the ISU's reminders and notices: its Article 7
//! focal point, its permanent mission in Geneva, its national authority.

use sea_orm::entity::prelude::*;

use crate::enums::{ContactFunction, Language};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_points")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub state_code: String,
    pub name: String,
    pub function: ContactFunction,
    /// Readable by ISU staff and the State's own delegation only.
    pub email: String,
    /// The language its reminders are written in.
    pub language: Language,
    /// Reminders go to active contact points only.
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
