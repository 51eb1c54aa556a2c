//! A document of a meeting: its record (symbol, language, access) and, once uploaded, its
//! file (kept by `kernel::blobs` under `blob_id`).

use sea_orm::entity::prelude::*;

use crate::enums::{Access, DocumentKind, Language};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_documents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub kind: DocumentKind,
    /// The official symbol, e.g. "CCM/MSP/2024/7"; unique with the language.
    pub symbol: Option<String>,
    pub title: String,
    pub language: Language,
    pub published_on: Option<Date>,
    pub access: Access,
    /// The State that submitted it (working papers, statements).
    pub submitted_by: Option<String>,
    /// The searchable text: extracted from the file where possible, else as given.
    #[sea_orm(column_type = "Text", nullable)]
    pub text: Option<String>,
    pub media_type: Option<String>,
    pub byte_size: Option<i64>,
    pub sha256: Option<String>,
    /// Where `kernel::blobs` keeps the file.
    pub blob_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
