//! Article 7 transparency reports.

use sea_orm::entity::prelude::*;

use crate::enums::{ReportKind, ReportStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "transparency_reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub state_code: String,
    pub kind: ReportKind,
    /// ANNUAL: the calendar year covered. INITIAL: the year of entry into force.
    pub reporting_year: i32,
    pub status: ReportStatus,
    /// Increases by one on every change; updates name the version they saw.
    pub version: i32,
    /// From the obligations engine when the report was created.
    pub due_date: Date,
    pub submitted_at: Option<DateTimeUtc>,
    pub on_time: Option<bool>,
    pub published_at: Option<DateTimeUtc>,
    /// Versioned JSON of the Article 7(1)(a)–(n) sections, so later templates can follow.
    #[sea_orm(column_type = "Text")]
    pub sections: String,
    /// Loaded from a history file: submitted (or published) before the system existed, with
    /// no sections.
    pub imported: bool,
    /// Where the published report can be read, for an imported one.
    #[sea_orm(column_type = "Text", nullable)]
    pub published_url: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
