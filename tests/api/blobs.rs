//! The file store both ways, in the database (on SQLite or PostgreSQL) and in a directory:
//! files go in and come out in pieces, a failed upload leaves nothing, and `db copy`
//! carries the database's files.

use ccm_isu::kernel::blobs::{BlobError, Blobs, CHUNK, ChunkSource, Stored};
use sha2::{Digest, Sha256};

use crate::helpers::*;

/// A source that gives `data` in pieces of `piece` bytes, then fails when `cut` says so.
struct Pieces {
    data: Vec<u8>,
    at: usize,
    piece: usize,
    cut_after: Option<usize>,
}

impl Pieces {
    fn new(data: Vec<u8>, piece: usize) -> Self {
        Self {
            data,
            at: 0,
            piece,
            cut_after: None,
        }
    }
}

impl ChunkSource for Pieces {
    async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, String> {
        if self.cut_after.is_some_and(|n| self.at >= n) {
            return Err("connection reset".into());
        }
        if self.at >= self.data.len() {
            return Ok(None);
        }
        let end = (self.at + self.piece).min(self.data.len());
        let out = self.data[self.at..end].to_vec();
        self.at = end;
        Ok(Some(out))
    }
}

/// 600 KiB and a few bytes of varied content: three pieces of storage.
fn content() -> Vec<u8> {
    (0..(600 * 1024 + 17))
        .map(|i: u32| (i % 251) as u8)
        .collect()
}

fn sha256(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn read_all(blobs: &Blobs, stored: &Stored) -> Result<Vec<u8>, BlobError> {
    let mut reader = blobs.open(stored.id, stored.bytes).await?.expect("stored");
    let mut out = Vec::new();
    while let Some(piece) = reader.next_chunk().await? {
        assert!(piece.len() <= CHUNK, "a piece of {} bytes", piece.len());
        out.extend(piece);
    }
    Ok(out)
}

async fn exercise(blobs: &Blobs) {
    let data = content();
    let stored = blobs
        .put(Pieces::new(data.clone(), 100_003), 1 << 20)
        .await
        .expect("stored");
    assert_eq!(stored.bytes, data.len() as u64);
    assert_eq!(stored.sha256, sha256(&data));
    assert_eq!(read_all(blobs, &stored).await.expect("read"), data);
    assert_eq!(blobs.ids().await.expect("ids"), vec![stored.id]);

    // Too large, and cut off midway: refused, and nothing is left of either.
    let too_large = blobs.put(Pieces::new(data.clone(), 65_536), 300_000).await;
    assert!(
        matches!(too_large, Err(BlobError::TooLarge { max: 300_000 })),
        "{too_large:?}"
    );
    let mut cut = Pieces::new(data.clone(), 65_536);
    cut.cut_after = Some(400_000);
    let cut = blobs.put(cut, 1 << 20).await;
    assert!(matches!(cut, Err(BlobError::Cut(_))), "{cut:?}");
    assert_eq!(blobs.ids().await.expect("ids"), vec![stored.id]);

    // A replacement is a new file; the old one goes when deleted, the new one stays whole.
    let replacement = blobs
        .put(Pieces::new(b"second version".to_vec(), 5), 1 << 20)
        .await
        .expect("stored");
    assert_ne!(replacement.id, stored.id);
    blobs.delete(stored.id).await.expect("deleted");
    assert!(
        blobs
            .open(stored.id, stored.bytes)
            .await
            .expect("open")
            .is_none()
    );
    assert_eq!(
        read_all(blobs, &replacement).await.expect("read"),
        b"second version"
    );
    // A file that is not the size its owner recorded is an error, not a short download.
    let wrong = Stored {
        bytes: replacement.bytes + 1,
        ..replacement.clone()
    };
    assert!(matches!(
        read_all(blobs, &wrong).await,
        Err(BlobError::Incomplete(_))
    ));
    // An empty file is a file.
    let empty = blobs
        .put(Pieces::new(Vec::new(), 1), 10)
        .await
        .expect("stored");
    assert_eq!(
        (empty.bytes, empty.sha256.as_str()),
        (0, sha256(b"").as_str())
    );
    assert_eq!(read_all(blobs, &empty).await.expect("read"), b"");
    blobs.delete(empty.id).await.expect("deleted");
    blobs
        .delete(empty.id)
        .await
        .expect("deleting twice is nothing");
}

#[tokio::test]
async fn the_database_store_keeps_files_in_pieces_and_db_copy_carries_them() {
    let app = spawn_app().await;
    let blobs = Blobs::new(app.db.clone(), None);
    exercise(&blobs).await;
    let kept = blobs
        .put(Pieces::new(content(), 1 << 16), 1 << 20)
        .await
        .expect("stored");
    let (_target, url) = TestDatabase::create().await;
    let to = sea_orm::Database::connect(url.as_str())
        .await
        .expect("target");
    let copied = ccm_isu::copy::copy(&app.db, &to).await.expect("copied");
    let chunks = copied
        .iter()
        .find(|t| t.table == "blob_chunks")
        .expect("blob_chunks copied");
    // The replacement (1 piece) and the kept file (3 pieces).
    assert_eq!(chunks.rows, 4);
    let copy = Blobs::new(to, None);
    assert_eq!(read_all(&copy, &kept).await.expect("read"), content());
}

#[tokio::test]
async fn the_directory_store_keeps_whole_files_and_no_partial_ones() {
    let dir = std::env::temp_dir().join(format!("ccm-isu-blobs-{}", uuid::Uuid::now_v7()));
    let blobs = Blobs::new(spawn_app().await.db.clone(), Some(dir.clone()));
    exercise(&blobs).await;
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.len(),
        1,
        "only the replacement, no partial file: {names:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
