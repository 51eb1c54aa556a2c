//! GraphQL types of a history import.

use async_graphql::{InputObject, Object, SimpleObject};

use crate::domain::history::import::{Counts, Summary};

/// A history file to import (README, "Importing the history").
#[derive(InputObject)]
pub struct ImportHistoryInput {
    /// The file's name, kept in the audit entry; at most 200 characters.
    pub file_name: String,
    /// The file's text: CSV with a header, at most 10,000 lines (and 1 MiB, the largest
    /// request body).
    pub csv: String,
}

/// What one kind of line did.
#[derive(SimpleObject)]
pub struct ImportCounts {
    /// Rows written that were not recorded before.
    pub created: i32,
    /// Rows recorded before that the file changed.
    pub updated: i32,
    /// Lines that matched what is recorded: nothing written.
    pub unchanged: i32,
}

fn int(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl From<Counts> for ImportCounts {
    fn from(c: Counts) -> Self {
        Self {
            created: int(c.created),
            updated: int(c.updated),
            unchanged: int(c.unchanged),
        }
    }
}

/// What an import did. Importing the same file again changes nothing: every count but
/// `unchanged` is 0, and no audit entry is written.
pub struct HistoryImport(pub Summary);

/// What an import did. Importing the same file again changes nothing: every count but
/// `unchanged` is 0, and no audit entry is written.
#[Object]
impl HistoryImport {
    /// Hex SHA-256 of the file: the id of its audit entry (entity type `HistoryImport`).
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }
    /// Records read, blank lines aside.
    async fn lines(&self) -> i32 {
        int(self.0.lines)
    }
    /// Report lines: reports created as SUBMITTED (or PUBLISHED with a link), marked
    /// imported.
    async fn reports(&self) -> ImportCounts {
        self.0.reports.into()
    }
    /// Extension lines.
    async fn extensions(&self) -> ImportCounts {
        self.0.extensions.into()
    }
    /// Completion lines: the State's completion date, and the line's provenance.
    async fn completions(&self) -> ImportCounts {
        self.0.completions.into()
    }
    /// records_begin lines, one count per kind they set.
    async fn records_begin(&self) -> ImportCounts {
        self.0.records_begin.into()
    }
}

crate::api::errors::payload!(ImportHistoryPayload, import, HistoryImport, Summary);
