//! Documents of meetings: their records. Only the ISU writes; each write is audited.

use chrono::NaiveDate;
use entity::enums::{Access, DocumentKind, Language, UserRole};
use entity::{meeting, meeting_document};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::visibility;
use crate::auth::Viewer;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::pagination::{self, Direction, Page, PageRequest};
use crate::kernel::uow::{Audited, Uow};
use crate::kernel::validate::{self, LONG_TEXT, Lines, SHORT_TEXT};

/// Longest symbol, e.g. "CCM/MSP/2024/WP.3/Rev.1".
pub const SYMBOL_TEXT: usize = 100;

/// `addMeetingDocument`'s input, in service terms.
#[derive(Debug)]
pub struct NewDocument {
    pub meeting_id: Uuid,
    pub kind: DocumentKind,
    pub symbol: Option<String>,
    pub title: String,
    pub language: Language,
    pub published_on: Option<NaiveDate>,
    pub access: Access,
    pub submitted_by: Option<String>,
    pub text: Option<String>,
}

impl Audited for meeting_document::Model {
    const ENTITY_TYPE: &'static str = "MeetingDocument";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        json!({
            "meetingId": self.meeting_id,
            "kind": self.kind,
            "symbol": self.symbol,
            "title": self.title,
            "language": self.language,
            "publishedOn": self.published_on,
            "access": self.access,
            "submittedBy": self.submitted_by,
            "text": self.text,
            "mediaType": self.media_type,
            "byteSize": self.byte_size,
            "sha256": self.sha256,
        })
    }
}

/// `addMeetingDocument`: ISU staff. The meeting must exist; the symbol is unique in its
/// language; the submitting State must exist.
pub async fn add(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewDocument,
) -> Result<meeting_document::Model, ServiceError> {
    let staff = viewer.require_role(&[UserRole::IsuStaff, UserRole::IsuAdmin])?;
    add_as(db, Some(staff.user_id), "addMeetingDocument", new).await
}

/// Records a document; `actor` is None for the system (seeding).
pub async fn add_as(
    db: &DatabaseConnection,
    actor: Option<Uuid>,
    action: &'static str,
    new: NewDocument,
) -> Result<meeting_document::Model, ServiceError> {
    let mut r = Refusals::default();
    let field = |f: &'static str| ["input", f];
    validate::required(&mut r, &field("title"), &new.title, SHORT_TEXT, Lines::One);
    let symbol = validate::trimmed(new.symbol);
    validate::optional(
        &mut r,
        &field("symbol"),
        symbol.as_deref(),
        SYMBOL_TEXT,
        Lines::One,
    );
    let text = validate::trimmed(new.text);
    validate::optional(
        &mut r,
        &field("text"),
        text.as_deref(),
        LONG_TEXT,
        Lines::Many,
    );
    if meeting::Entity::find_by_id(new.meeting_id)
        .one(db)
        .await?
        .is_none()
    {
        r.push(Code::NotFound, &field("meetingId"), "No such meeting.");
    }
    let submitted_by = validate::trimmed(new.submitted_by).map(|c| c.to_uppercase());
    if let Some(code) = &submitted_by
        && crate::domain::states::service::by_code(db, code)
            .await?
            .is_none()
    {
        r.push(
            Code::NotFound,
            &field("submittedByStateCode"),
            format!("No State has the code {code}."),
        );
    }
    r.finish()?;
    let already = || {
        ServiceError::refused(
            Code::AlreadyExists,
            &["input", "symbol"],
            "A document with this symbol already exists in this language.",
        )
    };
    if let Some(s) = &symbol
        && meeting_document::Entity::find()
            .filter(meeting_document::Column::Symbol.eq(s.as_str()))
            .filter(meeting_document::Column::Language.eq(new.language))
            .one(db)
            .await?
            .is_some()
    {
        return Err(already());
    }
    let t = now();
    let uow = Uow::begin(db, actor, action).await?;
    let inserted = meeting_document::ActiveModel {
        id: Set(Uuid::now_v7()),
        meeting_id: Set(new.meeting_id),
        kind: Set(new.kind),
        symbol: Set(symbol),
        title: Set(new.title.trim().to_owned()),
        language: Set(new.language),
        published_on: Set(new.published_on),
        access: Set(new.access),
        submitted_by: Set(submitted_by),
        text: Set(text),
        media_type: Set(None),
        byte_size: Set(None),
        sha256: Set(None),
        blob_id: Set(None),
        created_at: Set(t),
        updated_at: Set(t),
    }
    .insert(uow.txn())
    .await
    .map_err(ServiceError::from);
    let created = match inserted {
        Err(e) if e.is_unique_violation() => return Err(already()),
        other => other?,
    };
    uow.created(&created).await?;
    uow.commit().await?;
    Ok(created)
}

/// The documents of `ids` that `viewer` may read.
pub async fn get_many(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<Vec<meeting_document::Model>, DbErr> {
    meeting_document::Entity::find()
        .filter(meeting_document::Column::Id.is_in(ids.iter().copied()))
        .filter(visibility::readable(
            viewer,
            meeting_document::Column::Access,
        ))
        .all(db)
        .await
}

/// A meeting's documents that `viewer` may read, oldest first, of `kind` when given.
pub async fn of_meeting(
    db: &DatabaseConnection,
    viewer: &Viewer,
    meeting_id: Uuid,
    kind: Option<DocumentKind>,
    page: PageRequest,
) -> Result<Page<meeting_document::Model>, ServiceError> {
    let mut q = meeting_document::Entity::find()
        .filter(meeting_document::Column::MeetingId.eq(meeting_id))
        .filter(visibility::readable(
            viewer,
            meeting_document::Column::Access,
        ));
    if let Some(k) = kind {
        q = q.filter(meeting_document::Column::Kind.eq(k));
    }
    let after = page.after_id()?;
    Ok(pagination::fetch(
        db,
        q,
        meeting_document::Column::Id,
        Direction::Ascending,
        after,
        page.limit,
    )
    .await?)
}
