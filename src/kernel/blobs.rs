//! Where uploaded files live: in the database (the embedded default), in pieces of at most
//! [`CHUNK`] bytes, or as files in a directory (`ISU_DOCUMENT_DIR`). Either way a file goes
//! in and comes out piece by piece: no request holds more than one piece of it.
//!
//! Every upload is stored under a new ID: a replacement is a new file, and the old one is
//! deleted once nothing names it, so that a download under way never mixes two versions. An
//! upload that fails (too large, cut off) leaves nothing behind. A process that dies in the
//! middle of an upload to the database may leave pieces that nothing names; the owner of the
//! IDs sweeps them ([`Blobs::ids`]).

use std::path::PathBuf;

use entity::blob_chunk;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;

/// The largest piece: a database row, or one read of a file.
pub const CHUNK: usize = 256 * 1024;

/// What an upload stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    /// Where it is kept: name it to open or delete it.
    pub id: Uuid,
    pub bytes: u64,
    /// Hex SHA-256 of the content.
    pub sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// More than the upload's limit: nothing is stored.
    #[error("the file is larger than {max} bytes")]
    TooLarge { max: u64 },
    /// The source failed before its end (a connection cut off): nothing is stored.
    #[error("the upload stopped before its end: {0}")]
    Cut(String),
    /// A stored file is not the size its owner recorded (deleted while read, or damaged).
    #[error("the stored file {0} is not the size recorded for it")]
    Incomplete(Uuid),
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Where an upload comes from, one piece at a time (an HTTP body, a file, a test's pieces).
pub trait ChunkSource: Send {
    /// The next piece; `Ok(None)` at the end; `Err` when the source broke off.
    fn next_chunk(
        &mut self,
    ) -> impl std::future::Future<Output = Result<Option<Vec<u8>>, String>> + Send;
}

/// The store, as configured.
#[derive(Clone, Debug)]
pub enum Blobs {
    Database(DatabaseConnection),
    Directory(PathBuf),
}

/// Collects a source's pieces into pieces of exactly [`CHUNK`] bytes (the last shorter),
/// counting and hashing them, and refusing past `max` bytes.
struct Pieces<S> {
    source: S,
    buffer: Vec<u8>,
    ended: bool,
    bytes: u64,
    max: u64,
    hash: Sha256,
}

impl<S: ChunkSource> Pieces<S> {
    fn new(source: S, max: u64) -> Self {
        Self {
            source,
            buffer: Vec::with_capacity(CHUNK),
            ended: false,
            bytes: 0,
            max,
            hash: Sha256::new(),
        }
    }

    /// The next piece to store, or None after the last.
    async fn next(&mut self) -> Result<Option<Vec<u8>>, BlobError> {
        while !self.ended && self.buffer.len() < CHUNK {
            match self.source.next_chunk().await.map_err(BlobError::Cut)? {
                Some(data) => {
                    self.bytes += data.len() as u64;
                    if self.bytes > self.max {
                        return Err(BlobError::TooLarge { max: self.max });
                    }
                    self.hash.update(&data);
                    self.buffer.extend_from_slice(&data);
                }
                None => self.ended = true,
            }
        }
        if self.buffer.is_empty() {
            return Ok(None);
        }
        let rest = if self.buffer.len() > CHUNK {
            self.buffer.split_off(CHUNK)
        } else {
            Vec::with_capacity(CHUNK)
        };
        Ok(Some(std::mem::replace(&mut self.buffer, rest)))
    }

    fn stored(self, id: Uuid) -> Stored {
        Stored {
            id,
            bytes: self.bytes,
            sha256: self
                .hash
                .finalize()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
        }
    }
}

impl Blobs {
    /// The database store, or the directory one when `dir` is given.
    pub fn new(db: DatabaseConnection, dir: Option<PathBuf>) -> Self {
        match dir {
            Some(d) => Self::Directory(d),
            None => Self::Database(db),
        }
    }

    fn path(dir: &std::path::Path, id: Uuid) -> PathBuf {
        dir.join(id.to_string())
    }

    /// Stores what `source` gives, at most `max` bytes, under a new ID.
    pub async fn put<S: ChunkSource>(&self, source: S, max: u64) -> Result<Stored, BlobError> {
        let id = Uuid::now_v7();
        let mut pieces = Pieces::new(source, max);
        match self {
            Self::Database(db) => {
                let mut seq = 0;
                let written = async {
                    while let Some(data) = pieces.next().await? {
                        blob_chunk::Entity::insert(blob_chunk::ActiveModel {
                            key: Set(id),
                            seq: Set(seq),
                            data: Set(data),
                        })
                        .exec_without_returning(db)
                        .await?;
                        seq += 1;
                    }
                    Ok::<(), BlobError>(())
                }
                .await;
                if let Err(e) = written {
                    // Nothing stays of a failed upload (a second failure leaves the pieces
                    // to the sweep).
                    let _ = self.delete(id).await;
                    return Err(e);
                }
            }
            Self::Directory(dir) => {
                tokio::fs::create_dir_all(dir).await?;
                let partial = dir.join(format!(".{id}.part"));
                let written = async {
                    let mut file = tokio::fs::File::create(&partial).await?;
                    while let Some(data) = pieces.next().await? {
                        file.write_all(&data).await?;
                    }
                    file.sync_all().await?;
                    tokio::fs::rename(&partial, Self::path(dir, id)).await?;
                    Ok::<(), BlobError>(())
                }
                .await;
                if let Err(e) = written {
                    let _ = tokio::fs::remove_file(&partial).await;
                    return Err(e);
                }
            }
        }
        Ok(pieces.stored(id))
    }

    /// Opens the file `id` of `bytes` bytes (as its owner recorded); None when it is not
    /// stored.
    pub async fn open(&self, id: Uuid, bytes: u64) -> Result<Option<BlobReader>, BlobError> {
        let source = match self {
            Self::Database(db) => {
                let any = blob_chunk::Entity::find()
                    .select_only()
                    .column(blob_chunk::Column::Seq)
                    .filter(blob_chunk::Column::Key.eq(id))
                    .filter(blob_chunk::Column::Seq.eq(0))
                    .into_tuple::<i32>()
                    .one(db)
                    .await?;
                if any.is_none() && bytes > 0 {
                    return Ok(None);
                }
                Reading::Database {
                    db: db.clone(),
                    seq: 0,
                }
            }
            Self::Directory(dir) => match tokio::fs::File::open(Self::path(dir, id)).await {
                Ok(file) => Reading::File(file),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(e.into()),
            },
        };
        Ok(Some(BlobReader {
            id,
            left: bytes,
            source,
        }))
    }

    /// Deletes the file `id`; nothing when it is not stored.
    pub async fn delete(&self, id: Uuid) -> Result<(), BlobError> {
        match self {
            Self::Database(db) => {
                blob_chunk::Entity::delete_many()
                    .filter(blob_chunk::Column::Key.eq(id))
                    .exec(db)
                    .await?;
            }
            Self::Directory(dir) => match tokio::fs::remove_file(Self::path(dir, id)).await {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
                _ => {}
            },
        }
        Ok(())
    }

    /// Every stored ID, for a sweep of what nothing names.
    pub async fn ids(&self) -> Result<Vec<Uuid>, BlobError> {
        match self {
            Self::Database(db) => Ok(blob_chunk::Entity::find()
                .select_only()
                .column(blob_chunk::Column::Key)
                .filter(blob_chunk::Column::Seq.eq(0))
                .order_by_asc(blob_chunk::Column::Key)
                .into_tuple::<Uuid>()
                .all(db)
                .await?),
            Self::Directory(dir) => {
                let mut out = Vec::new();
                let mut entries = match tokio::fs::read_dir(dir).await {
                    Ok(e) => e,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
                    Err(e) => return Err(e.into()),
                };
                while let Some(entry) = entries.next_entry().await? {
                    if let Some(id) = entry.file_name().to_str().and_then(|n| n.parse().ok()) {
                        out.push(id);
                    }
                }
                out.sort();
                Ok(out)
            }
        }
    }
}

enum Reading {
    Database { db: DatabaseConnection, seq: i32 },
    File(tokio::fs::File),
}

/// A stored file, read piece by piece.
pub struct BlobReader {
    id: Uuid,
    /// Bytes still to come.
    left: u64,
    source: Reading,
}

impl BlobReader {
    /// The next piece (at most [`CHUNK`] bytes); None at the end.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, BlobError> {
        if self.left == 0 {
            return Ok(None);
        }
        let data = match &mut self.source {
            Reading::Database { db, seq } => {
                let row = blob_chunk::Entity::find_by_id((self.id, *seq))
                    .one(db)
                    .await?;
                *seq += 1;
                row.map(|r| r.data).unwrap_or_default()
            }
            Reading::File(file) => {
                let want = usize::try_from(self.left).unwrap_or(CHUNK).min(CHUNK);
                let mut data = vec![0; want];
                let mut filled = 0;
                while filled < want {
                    let n = file.read(&mut data[filled..]).await?;
                    if n == 0 {
                        break;
                    }
                    filled += n;
                }
                data.truncate(filled);
                data
            }
        };
        if data.is_empty() || data.len() as u64 > self.left {
            return Err(BlobError::Incomplete(self.id));
        }
        self.left -= data.len() as u64;
        Ok(Some(data))
    }
}

/// A source borrowed: the caller keeps it, to ask it afterwards why it stopped.
impl<T: ChunkSource> ChunkSource for &mut T {
    fn next_chunk(
        &mut self,
    ) -> impl std::future::Future<Output = Result<Option<Vec<u8>>, String>> + Send {
        (**self).next_chunk()
    }
}
