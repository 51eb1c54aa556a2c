//! A good practice of the resource base: a State's experience in a thematic area, written up
//! in meeting documents, with the experts who can speak to it.

use sea_orm::entity::prelude::*;

use crate::enums::ThematicArea;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "good_practices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub area: ThematicArea,
    /// The State whose experience it is.
    pub state_code: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
