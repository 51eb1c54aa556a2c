//! Documents typeset from plain data: PDF by typst used as a library, HTML by minijinja,
//! both from one [`Document`] and templates kept in `templates/reports/` (compiled into the
//! binary), with typst's own fonts embedded (typst-assets), so rendering reads no file and
//! no system font.
//!
//! The data reach typst as JSON that the template reads with `json(...)`, and the charts as
//! SVG files of a virtual file system: no text of a user is ever spliced into typst markup
//! or HTML unescaped. At most [`MAX_CONCURRENT_RENDERS`] documents render at once
//! ([`Gate`]); the rest wait up to a bound and are then refused ([`GateError::Busy`]). Knows no domain.

mod html;
mod pdf;
#[cfg(test)]
mod tests;
mod view;

use std::time::Duration;

use chrono::NaiveDate;
use serde::Serialize;
use tokio::sync::Semaphore;

/// Documents rendered at once in the process (typst takes a core while it lays out).
pub const MAX_CONCURRENT_RENDERS: usize = 2;

/// A report: a title page block, a table of contents, numbered sections.
#[derive(Clone, Debug, Serialize)]
pub struct Document {
    /// "Annual report of the Implementation Support Unit, 2025".
    pub title: String,
    pub subtitle: Option<String>,
    /// Who issues it ("Implementation Support Unit of the Convention on Cluster Munitions").
    pub author: String,
    /// The date of issue (today).
    pub issued_on: NaiveDate,
    /// The data are as of this day.
    pub as_of: NaiveDate,
    /// The document's language (`en`).
    pub lang: String,
    pub sections: Vec<Section>,
}

/// A numbered section; its subsections are numbered under it (1.1, 1.2).
#[derive(Clone, Debug, Serialize)]
pub struct Section {
    pub heading: String,
    pub blocks: Vec<Block>,
    pub subsections: Vec<Section>,
}

/// What a section holds, in order.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A paragraph of plain text.
    Paragraph {
        text: String,
    },
    /// Label–value pairs ("Entry into force: 1 August 2010").
    Facts {
        items: Vec<Fact>,
    },
    Table(Table),
    /// A chart: its SVG (from `kernel::charts::svg`) and a caption.
    Figure(Figure),
}

#[derive(Clone, Debug, Serialize)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// A table with a caption; numeric columns are right-aligned.
#[derive(Clone, Debug, Serialize)]
pub struct Table {
    pub caption: String,
    pub columns: Vec<Column>,
    /// One cell per column in each row, already formatted.
    pub rows: Vec<Vec<String>>,
    /// Said instead of the table when there are no rows ("No needs recorded.").
    pub empty: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Column {
    pub title: String,
    pub numeric: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Figure {
    pub caption: String,
    /// The chart's SVG document.
    pub svg: String,
}

/// Why a document could not be rendered: a template or layout error (a defect, logged
/// with typst's diagnostics).
#[derive(Debug, thiserror::Error)]
#[error("the document could not be typeset: {0}")]
pub struct TypesetError(pub String);

/// Why [`Gate::run`] gave no document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GateError {
    /// Every render slot stayed taken for the whole wait: answer 503 with
    /// `Retry-After: retry_after_secs`.
    Busy { retry_after_secs: u64 },
    /// The render panicked on the blocking pool (a defect; logged).
    Panicked,
}

/// The document as PDF: a title block with the date of issue and the "as of" date, a table
/// of contents, numbered headings, page numbers ("Page 3 of 12"), tables, the charts as
/// vector images. CPU-bound: run it on the blocking pool, behind the [`Gate`].
pub fn pdf(document: &Document) -> Result<Vec<u8>, TypesetError> {
    pdf::render(document)
}

/// The document as one HTML page: the same content, the charts inline as SVG, its style in
/// a `<style>` element; no script, no request to any host (not even its own).
pub fn html(document: &Document) -> Result<String, TypesetError> {
    html::render(document)
}

/// Seconds a refused caller is told to wait before asking again (`Retry-After`): about
/// the time a large report takes to render in release.
pub const RETRY_AFTER_SECS: u64 = 5;

/// At most [`MAX_CONCURRENT_RENDERS`] renders at once in the process: a semaphore whose
/// permit a render holds on the blocking pool until it ends, even when the request that
/// asked for it has gone (a dropped future cannot free a core typst is still using).
pub struct Gate {
    slots: Semaphore,
}

/// The process's gate, the one [`Gate::run`] enters.
static GATE: Gate = Gate::new(MAX_CONCURRENT_RENDERS);

impl Gate {
    /// A gate of its own with `slots` renders at once (the app has one, [`Gate::run`]'s;
    /// tests make theirs so as not to take the app's slots).
    pub const fn new(slots: usize) -> Self {
        Gate {
            slots: Semaphore::const_new(slots),
        }
    }

    /// Runs `render` on the blocking pool once a slot is free, waiting at most `wait`;
    /// [`GateError::Busy`] when no slot came free in time.
    pub async fn run<T: Send + 'static>(
        wait: Duration,
        render: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, GateError> {
        GATE.enter(wait, render).await
    }

    /// [`Gate::run`] through this gate.
    pub async fn enter<T: Send + 'static>(
        &'static self,
        wait: Duration,
        render: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, GateError> {
        let busy = GateError::Busy {
            retry_after_secs: RETRY_AFTER_SECS,
        };
        let permit = match tokio::time::timeout(wait, self.slots.acquire()).await {
            Ok(Ok(permit)) => permit,
            // Timed out, or the semaphore was closed (we never close it).
            Ok(Err(_)) | Err(_) => return Err(busy),
        };
        tokio::task::spawn_blocking(move || {
            let _slot = permit;
            render()
        })
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "a document render panicked");
            GateError::Panicked
        })
    }
}
