//! An expert of the resource base: listed with their consent, erased (the row deleted) at
//! their request. `email` and `phone` are the ISU's alone.

use sea_orm::entity::prelude::*;

use crate::enums::Gender;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "experts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub full_name: String,
    pub gender: Gender,
    /// The State whose national the expert is (ISO 3166-1 alpha-3).
    pub nationality_code: Option<String>,
    pub organization: Option<String>,
    /// Comma-separated thematic areas (`enums::join_values`), at least one.
    pub areas: String,
    /// Comma-separated assistance types.
    pub assistance_types: String,
    /// Comma-separated UN languages.
    pub languages: String,
    /// Comma-separated regional groups the expert has worked in.
    pub regions: String,
    pub years_of_experience: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub biography: Option<String>,
    pub available_from: Option<Date>,
    pub available_until: Option<Date>,
    /// ISU staff only.
    pub email: Option<String>,
    /// ISU staff only.
    pub phone: Option<String>,
    /// No consent, no listing: required, never in the future.
    pub consent_given_on: Date,
    /// Inactive experts are the ISU's to see, and never suggested.
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
