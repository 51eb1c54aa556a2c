//! The file of a meeting document: uploaded by the ISU, read by whoever may read the
//! document. What a file says it is must be what it is: the media type is one of
//! [`ALLOWED`], and its first bytes (and, for text, every byte) must agree. Text and
//! Markdown files give the document their text as it is, HTML its text without the markup,
//! PDF the text `pdf-extract` finds ([`crate::kernel::extract`]); a PDF whose text cannot be
//! read, and DOCX and XLSX files, leave the document the text it had.

use entity::enums::UserRole;
use entity::meeting_document;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::visibility;
use crate::auth::Viewer;
use crate::kernel::blobs::{BlobError, BlobReader, Blobs, ChunkSource};
use crate::kernel::clock::now;
use crate::kernel::error::ServiceError;
use crate::kernel::extract;
use crate::kernel::uow::{Audited, Uow};
use crate::kernel::validate::LONG_TEXT;

/// The media types a document's file may have, with the extension of its download name.
pub const ALLOWED: [(&str, &str); 6] = [
    ("application/pdf", "pdf"),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    ("text/plain", "txt"),
    ("text/markdown", "md"),
    ("text/html", "html"),
];

/// The media type of a `Content-Type` header, when it is one of [`ALLOWED`]: parameters
/// (`; charset=utf-8`) and case aside.
pub fn allowed(content_type: &str) -> Option<&'static str> {
    let essence = content_type.split(';').next()?.trim().to_ascii_lowercase();
    ALLOWED.iter().find(|(m, _)| *m == essence).map(|(m, _)| *m)
}

fn is_text(media: &str) -> bool {
    media.starts_with("text/")
}

/// How long a PDF's text may take to come out, waiting for its turn included.
const PDF_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);

/// How much of a text file is kept to make the document's text: the longest text, or for
/// HTML four times that, as its markup goes.
fn text_room(media: &str) -> usize {
    if media == "text/html" {
        4 * LONG_TEXT
    } else {
        LONG_TEXT
    }
}

/// `text` cut to the longest a document's text may be.
fn at_most_long(text: String) -> String {
    match text.char_indices().nth(LONG_TEXT) {
        Some((end, _)) => text[..end].to_owned(),
        None => text,
    }
}

/// Why an upload was refused.
#[derive(Debug)]
pub enum Refusal {
    /// The document does not exist, or the uploader may not see it.
    NotFound,
    /// The media type is not allowed.
    Unsupported,
    /// The content is not what its media type says.
    NotWhatItSays(&'static str),
    /// Larger than the limit.
    TooLarge(u64),
    /// The body stopped before its end.
    Cut,
    Service(ServiceError),
}

impl From<ServiceError> for Refusal {
    fn from(e: ServiceError) -> Self {
        Self::Service(e)
    }
}

impl From<sea_orm::DbErr> for Refusal {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Service(e.into())
    }
}

/// Checks the content against its media type as it passes, and keeps the text of a text
/// file (up to the longest searchable text).
struct Checked<S> {
    source: S,
    media: &'static str,
    seen: u64,
    /// The bytes of an incomplete UTF-8 sequence at the end of the last piece.
    carry: Vec<u8>,
    text: String,
    /// Characters in `text`, and how many it may hold.
    kept: usize,
    room: usize,
    mismatch: Option<&'static str>,
}

impl<S: ChunkSource> ChunkSource for Checked<S> {
    async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, String> {
        let Some(piece) = self.source.next_chunk().await? else {
            if is_text(self.media) && !self.carry.is_empty() {
                self.mismatch = Some("a text file must be UTF-8");
                return Err("not UTF-8".into());
            }
            return Ok(None);
        };
        if self.seen == 0 && !piece.is_empty() {
            let magic: &[u8] = match self.media {
                "application/pdf" => b"%PDF-",
                m if m.contains("officedocument") => b"PK\x03\x04",
                _ => b"",
            };
            if !piece.starts_with(magic) {
                self.mismatch = Some("the file does not start as its media type says");
                return Err("wrong type".into());
            }
        }
        self.seen += piece.len() as u64;
        if is_text(self.media) {
            let mut bytes = std::mem::take(&mut self.carry);
            bytes.extend_from_slice(&piece);
            match std::str::from_utf8(&bytes) {
                Ok(s) => self.keep(s),
                Err(e) if e.error_len().is_none() => {
                    let (good, rest) = bytes.split_at(e.valid_up_to());
                    self.keep(std::str::from_utf8(good).unwrap_or_default());
                    self.carry = rest.to_vec();
                }
                Err(_) => {
                    self.mismatch = Some("a text file must be UTF-8");
                    return Err("not UTF-8".into());
                }
            }
        }
        Ok(Some(piece))
    }
}

impl<S> Checked<S> {
    fn keep(&mut self, s: &str) {
        let before = self.text.len();
        self.text
            .extend(s.chars().take(self.room.saturating_sub(self.kept)));
        self.kept += self.text[before..].chars().count();
    }
}

/// Stores `source` as the file of document `id` (ISU staff), replacing any earlier one:
/// the row names the new file in the same transaction as its audit entry (the old and new
/// SHA-256), then the old file is deleted. A text file's content becomes the document's
/// text.
pub async fn upload<S: ChunkSource>(
    db: &DatabaseConnection,
    blobs: &Blobs,
    viewer: &Viewer,
    id: Uuid,
    content_type: &str,
    source: S,
    max: u64,
) -> Result<meeting_document::Model, Refusal> {
    let staff = viewer.require_role(&[UserRole::IsuStaff, UserRole::IsuAdmin])?;
    let Some(current) = meeting_document::Entity::find_by_id(id).one(db).await? else {
        return Err(Refusal::NotFound);
    };
    let Some(media) = allowed(content_type) else {
        return Err(Refusal::Unsupported);
    };
    let mut checked = Checked {
        source,
        media,
        seen: 0,
        carry: Vec::new(),
        text: String::new(),
        kept: 0,
        room: text_room(media),
        mismatch: None,
    };
    let stored = match blobs.put(&mut checked, max).await {
        Ok(s) => s,
        Err(_) if checked.mismatch.is_some() => {
            return Err(Refusal::NotWhatItSays(checked.mismatch.unwrap_or_default()));
        }
        Err(BlobError::TooLarge { max }) => return Err(Refusal::TooLarge(max)),
        Err(BlobError::Cut(_)) => return Err(Refusal::Cut),
        Err(BlobError::Db(e)) => return Err(e.into()),
        Err(e) => return Err(ServiceError::Internal(e.to_string()).into()),
    };
    let extracted = match media {
        "text/html" => Some(extract::html_text(&checked.text)),
        "application/pdf" => {
            let read = read_back(blobs, stored.id, stored.bytes);
            extract::pdf_text_within(read, PDF_TIME_LIMIT).await
        }
        m if is_text(m) => Some(checked.text),
        _ => None,
    };
    let text = extracted
        .filter(|t| !t.trim().is_empty())
        .map(at_most_long)
        .or_else(|| current.text.clone());
    let next = meeting_document::Model {
        media_type: Some(media.to_owned()),
        byte_size: i64::try_from(stored.bytes).ok(),
        sha256: Some(stored.sha256.clone()),
        blob_id: Some(stored.id),
        text,
        updated_at: now(),
        ..current.clone()
    };
    let written = async {
        let uow = Uow::begin(db, Some(staff.user_id), "uploadMeetingDocumentFile").await?;
        let updated = meeting_document::ActiveModel::from(next)
            .reset_all()
            .update(uow.txn())
            .await?;
        uow.record(
            meeting_document::Model::ENTITY_TYPE,
            updated.id,
            Some(serde_json::json!({"sha256": current.sha256, "byteSize": current.byte_size})),
            Some(
                serde_json::json!({"sha256": updated.sha256, "byteSize": updated.byte_size,
                "mediaType": updated.media_type}),
            ),
        )
        .await?;
        uow.commit().await?;
        Ok::<_, sea_orm::DbErr>(updated)
    }
    .await;
    match written {
        Ok(updated) => {
            if let Some(old) = current.blob_id {
                // A failure leaves the old file for the sweep; the upload stands.
                let _ = blobs.delete(old).await;
            }
            Ok(updated)
        }
        Err(e) => {
            let _ = blobs.delete(stored.id).await;
            Err(e.into())
        }
    }
}

/// The stored file `id` of `bytes` bytes, whole; `None` when it cannot be read.
async fn read_back(blobs: &Blobs, id: Uuid, bytes: u64) -> Option<Vec<u8>> {
    let mut reader = blobs.open(id, bytes).await.ok()??;
    let mut all = Vec::with_capacity(usize::try_from(bytes).ok()?);
    while let Some(piece) = reader.next_chunk().await.ok()? {
        all.extend_from_slice(&piece);
    }
    Some(all)
}

/// The document `id` and its file, for whoever may read the document; None when it does
/// not exist, may not be read, or has no file.
pub async fn download(
    db: &DatabaseConnection,
    blobs: &Blobs,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Option<(meeting_document::Model, BlobReader)>, ServiceError> {
    let Some(doc) = meeting_document::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    if !visibility::may_read(viewer, doc.access) {
        return Ok(None);
    }
    let (Some(blob), Some(bytes)) = (doc.blob_id, doc.byte_size) else {
        return Ok(None);
    };
    let reader = blobs
        .open(blob, u64::try_from(bytes).unwrap_or_default())
        .await
        .map_err(|e| match e {
            BlobError::Db(e) => ServiceError::Db(e),
            other => ServiceError::Internal(other.to_string()),
        })?;
    Ok(reader.map(|r| (doc, r)))
}

/// How long a stored file may go unnamed before [`sweep`] deletes it: an upload names its
/// file before its request ends, long before this.
pub const SWEEP_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// Deletes the stored files that no document names and that were stored before `before`
/// (their IDs are time-ordered UUIDs): what a process that died mid-upload, or a failed
/// delete of a replaced file, left behind. Returns how many.
pub async fn sweep(
    db: &DatabaseConnection,
    blobs: &Blobs,
    before: chrono::DateTime<chrono::Utc>,
) -> Result<usize, ServiceError> {
    let blob_error = |e: BlobError| match e {
        BlobError::Db(e) => ServiceError::Db(e),
        other => ServiceError::Internal(other.to_string()),
    };
    let named: std::collections::HashSet<Uuid> = meeting_document::Entity::find()
        .select_only()
        .column(meeting_document::Column::BlobId)
        .filter(meeting_document::Column::BlobId.is_not_null())
        .into_tuple::<Option<Uuid>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let cutoff = before.timestamp();
    let mut deleted = 0;
    for id in blobs.ids().await.map_err(blob_error)? {
        let stored_at = id.get_timestamp().map(|t| t.to_unix().0);
        let old = stored_at.is_some_and(|secs| i64::try_from(secs).unwrap_or(i64::MAX) < cutoff);
        if old && !named.contains(&id) {
            blobs.delete(id).await.map_err(blob_error)?;
            deleted += 1;
        }
    }
    Ok(deleted)
}

/// The name a download is saved under: the symbol (or the title), letters, digits, `.`, `-`
/// and `_` only, at most 80 characters, with the media type's extension.
pub fn file_name(doc: &meeting_document::Model) -> String {
    let base = doc.symbol.as_deref().unwrap_or(&doc.title);
    let mut name: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    if name.trim_matches('_').is_empty() {
        name = "document".into();
    }
    let language = sea_orm::ActiveEnum::to_value(&doc.language).to_lowercase();
    let extension = ALLOWED
        .iter()
        .find(|(m, _)| Some(*m) == doc.media_type.as_deref())
        .map_or("bin", |(_, e)| e);
    format!("{name}-{language}.{extension}")
}
