//! The document as both templates read it: sections flattened in reading order with their
//! level and number (the HTML template has no recursion, and typst numbers headings itself
//! from the level), dates spelt out, each cell beside its column's alignment, tables and
//! figures numbered as typst numbers them (separately, empty tables not counted).

use serde::Serialize;

use super::{Block, Column, Document, Fact, Section};
use crate::kernel::figures::long_date;

/// The deepest heading level kept: HTML has `h6` and the title takes `h1`, so sections go
/// `h2`..`h6`; deeper subsections are set at this level (no report nests that far).
const MAX_LEVEL: usize = 5;

#[derive(Serialize)]
pub(super) struct View<'a> {
    pub title: &'a str,
    pub subtitle: Option<&'a str>,
    pub author: &'a str,
    pub lang: &'a str,
    /// "6 December 2026", and the ISO date for HTML's `<time datetime>`.
    pub issued_on: String,
    pub issued_on_iso: String,
    pub as_of: String,
    pub as_of_iso: String,
    pub sections: Vec<SectionView<'a>>,
}

#[derive(Serialize)]
pub(super) struct SectionView<'a> {
    /// 1 for a section, 2 for its subsections, …
    pub level: usize,
    /// "1." for a section, "1.2" for a subsection: as typst numbers the PDF's headings
    /// (the template's `heading(numbering: …)`); the HTML prints it itself.
    pub number: String,
    /// The HTML element id, `section-1-2`.
    pub anchor: String,
    /// `h2`..`h6`.
    pub tag: String,
    pub heading: &'a str,
    pub blocks: Vec<BlockView<'a>>,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(super) enum BlockView<'a> {
    Paragraph {
        text: &'a str,
    },
    Facts {
        items: &'a [Fact],
    },
    Table {
        /// "Table 3" in HTML; 0 for an empty table (not drawn, not numbered).
        number: usize,
        caption: &'a str,
        columns: &'a [Column],
        rows: Vec<Vec<Cell<'a>>>,
        empty: &'a str,
    },
    Figure {
        number: usize,
        caption: &'a str,
        /// Where typst reads the SVG: `/figure-N.svg`.
        path: String,
        /// The SVG for HTML, prepared for inlining and marked safe; absent for typst.
        #[serde(skip_serializing_if = "Option::is_none")]
        svg: Option<minijinja::Value>,
    },
}

#[derive(Serialize)]
pub(super) struct Cell<'a> {
    pub text: &'a str,
    pub numeric: bool,
}

/// Whether the view carries the charts' SVG (HTML) or only their paths (typst, which reads
/// them as files).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Charts {
    Paths,
    Inline,
}

impl<'a> View<'a> {
    pub fn of(document: &'a Document, charts: Charts) -> Self {
        let mut builder = Builder {
            charts,
            tables: 0,
            figures: 0,
            sections: Vec::new(),
        };
        for (i, section) in document.sections.iter().enumerate() {
            builder.section(section, 1, &(i + 1).to_string());
        }
        View {
            title: &document.title,
            subtitle: document.subtitle.as_deref(),
            author: &document.author,
            lang: &document.lang,
            issued_on: long_date(document.issued_on),
            issued_on_iso: document.issued_on.to_string(),
            as_of: long_date(document.as_of),
            as_of_iso: document.as_of.to_string(),
            sections: builder.sections,
        }
    }
}

/// The figures' SVG in document order: figure N is `/figure-N.svg`.
pub(super) fn figures(document: &Document) -> Vec<&str> {
    fn walk<'a>(section: &'a Section, out: &mut Vec<&'a str>) {
        for block in &section.blocks {
            if let Block::Figure(f) = block {
                out.push(&f.svg);
            }
        }
        for sub in &section.subsections {
            walk(sub, out);
        }
    }
    let mut out = Vec::new();
    for section in &document.sections {
        walk(section, &mut out);
    }
    out
}

/// The path typst reads figure `number` from.
pub(super) fn figure_path(number: usize) -> String {
    format!("/figure-{number}.svg")
}

struct Builder<'a> {
    charts: Charts,
    tables: usize,
    figures: usize,
    sections: Vec<SectionView<'a>>,
}

impl<'a> Builder<'a> {
    fn section(&mut self, section: &'a Section, level: usize, number: &str) {
        let level = level.min(MAX_LEVEL);
        let blocks = section.blocks.iter().map(|b| self.block(b)).collect();
        self.sections.push(SectionView {
            level,
            number: if level == 1 {
                format!("{number}.")
            } else {
                number.to_owned()
            },
            anchor: format!("section-{}", number.replace('.', "-")),
            tag: format!("h{}", level + 1),
            heading: &section.heading,
            blocks,
        });
        for (i, sub) in section.subsections.iter().enumerate() {
            self.section(sub, level + 1, &format!("{number}.{}", i + 1));
        }
    }

    fn block(&mut self, block: &'a Block) -> BlockView<'a> {
        match block {
            Block::Paragraph { text } => BlockView::Paragraph { text },
            Block::Facts { items } => BlockView::Facts { items },
            Block::Table(t) => {
                let number = if t.rows.is_empty() {
                    0
                } else {
                    self.tables += 1;
                    self.tables
                };
                // One cell per column: a short row is padded with empty cells and a long one
                // cut, so that a builder's slip cannot shift every following cell of the
                // table (typst fills a table's cells in order).
                let rows = t
                    .rows
                    .iter()
                    .map(|row| {
                        t.columns
                            .iter()
                            .enumerate()
                            .map(|(i, c)| Cell {
                                text: row.get(i).map(String::as_str).unwrap_or(""),
                                numeric: c.numeric,
                            })
                            .collect()
                    })
                    .collect();
                BlockView::Table {
                    number,
                    caption: &t.caption,
                    columns: &t.columns,
                    rows,
                    empty: &t.empty,
                }
            }
            Block::Figure(f) => {
                self.figures += 1;
                BlockView::Figure {
                    number: self.figures,
                    caption: &f.caption,
                    path: figure_path(self.figures),
                    svg: (self.charts == Charts::Inline)
                        .then(|| minijinja::Value::from_safe_string(inline_svg(&f.svg))),
                }
            }
        }
    }
}

/// A chart's SVG document made an element of an HTML page: anything before the `<svg`
/// element dropped (an XML declaration or doctype is not allowed inside HTML), and the
/// root's `xmlns`/`xmlns:xlink` attributes removed, which HTML's parser implies for an inline
/// `<svg>`; they are namespace names, not addresses, but a page that holds no `http://` at
/// all is one we can check for off-host references by a plain search.
pub(super) fn inline_svg(svg: &str) -> String {
    let Some(start) = svg.find("<svg") else {
        // Not an SVG document: said as text (escaped), never inlined as markup.
        return minijinja::HtmlEscape(svg).to_string();
    };
    let svg = &svg[start..];
    let Some(end) = svg.find('>') else {
        return minijinja::HtmlEscape(svg).to_string();
    };
    let (open, rest) = svg.split_at(end);
    let mut open = open.to_owned();
    for attr in ["xmlns", "xmlns:xlink"] {
        if let Some(at) = open.find(&format!(" {attr}=")) {
            let value_start = at + attr.len() + 2;
            let quote = open[value_start..].chars().next();
            if let Some(q @ ('"' | '\'')) = quote
                && let Some(len) = open[value_start + 1..].find(q)
            {
                open.replace_range(at..value_start + 1 + len + 1, "");
            }
        }
    }
    open + rest
}
