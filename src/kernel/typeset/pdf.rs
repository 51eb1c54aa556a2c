//! PDF by typst used as a library: a [`World`] that holds one template (the main source),
//! the document as `/data.json` and the charts as `/figure-N.svg`, and reads nothing else:
//! no disk, no system font, no package, no clock.
//!
//! The fonts (typst-assets' Libertinus Serif, New Computer Modern, DejaVu Sans Mono) and
//! the standard library are built once per process ([`SHARED`]) and shared by every render;
//! parsing the fonts is the costly part of a first render.

use std::collections::HashMap;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Datelike;
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};

use super::view::{Charts, View, figure_path, figures};
use super::{Document, TypesetError};

/// The template, compiled into the binary.
const TEMPLATE: &str = include_str!("../../../templates/reports/document.typ");

/// How many renders an unused entry of typst's memoization cache (comemo) survives. Each
/// report's data differ, so without eviction the cache would keep every render's layout
/// for the life of the process; typst-cli evicts after each compilation the same way. A
/// few generations keep what renders share (the template's evaluation, text shaping with
/// the same fonts) warm.
const CACHE_GENERATIONS: usize = 5;

/// What every render shares, built on first use.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    /// The template as a typst source, parsed once (`None` only if typst refused its
    /// constant path, which it does not: then every render says so).
    main: Option<Source>,
}

/// How many times [`SHARED`] was built: once per process (a test holds us to it).
static BUILDS: AtomicUsize = AtomicUsize::new(0);

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    BUILDS.fetch_add(1, Ordering::Relaxed);
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
        main: file_id("/document.typ").map(|id| Source::new(id, TEMPLATE.to_owned())),
    }
});

/// How many times the fonts and library were built in this process.
#[cfg(test)]
pub(super) fn shared_builds() -> usize {
    BUILDS.load(Ordering::Relaxed)
}

/// The id of a file at `path` in the project's root. Ids are interned for the life of the
/// process (at most 2^16 of them), so only fixed paths are used: the template, the data, and
/// one per figure number. `None` for a path that leaves the root (none of ours does).
fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// One render's world: the shared fonts and library, this document's files.
struct ReportWorld {
    shared: &'static Shared,
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: Option<Datetime>,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if self.files.contains_key(&id) {
            Err(FileError::NotSource)
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::new(TEMPLATE.as_bytes()));
        }
        self.files.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }

    /// The document's date of issue, whatever the offset: a report is dated the day it is
    /// issued, and the same data give the same PDF.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_with_slash().into())
}

fn path_refused(path: &str) -> TypesetError {
    TypesetError(format!("typst refused the virtual path {path}"))
}

pub(super) fn render(document: &Document) -> Result<Vec<u8>, TypesetError> {
    let data = serde_json::to_vec(&View::of(document, Charts::Paths))
        .map_err(|e| TypesetError(format!("the document could not be serialised: {e}")))?;
    let shared: &'static Shared = &SHARED;
    let main = shared
        .main
        .clone()
        .ok_or_else(|| path_refused("/document.typ"))?;
    let mut files = HashMap::new();
    let data_id = file_id("/data.json").ok_or_else(|| path_refused("/data.json"))?;
    files.insert(data_id, Bytes::new(data));
    for (i, svg) in figures(document).into_iter().enumerate() {
        let path = figure_path(i + 1);
        let id = file_id(&path).ok_or_else(|| path_refused(&path))?;
        files.insert(id, Bytes::from_string(svg.to_owned()));
    }
    let issued = document.issued_on;
    let world = ReportWorld {
        shared,
        main,
        files,
        today: u8::try_from(issued.month())
            .ok()
            .zip(u8::try_from(issued.day()).ok())
            .and_then(|(m, d)| Datetime::from_ymd(issued.year(), m, d)),
    };

    // The output type (typst_layout's `PagedDocument`, which the `typst` crate does not
    // re-export) is the one `typst_pdf::pdf` takes: inferred from that call.
    let compiled = typst::compile(&world).output;
    let result = compiled
        .map_err(|errors| diagnostics(&world, &errors))
        .and_then(|paged| {
            typst_pdf::pdf(&paged, &typst_pdf::PdfOptions::default())
                .map_err(|errors| diagnostics(&world, &errors))
        });
    typst::comemo::evict(CACHE_GENERATIONS);
    result
}

/// typst's errors as one message: each with its line in the template when it points there,
/// and its hints.
fn diagnostics(world: &ReportWorld, errors: &[SourceDiagnostic]) -> TypesetError {
    let messages: Vec<String> = errors
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            let mut message = d.message.to_string();
            if d.span.id() == Some(world.main.id())
                && let Some(range) = world.range(d.span)
                && let Some(before) = TEMPLATE.get(..range.start)
            {
                let line = before.matches('\n').count() + 1;
                message = format!("{message} (document.typ line {line})");
            }
            for hint in &d.hints {
                message.push_str("; hint: ");
                message.push_str(&hint.v);
            }
            message
        })
        .collect();
    TypesetError(messages.join(" | "))
}
