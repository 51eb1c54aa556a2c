//! Charts as SVG, drawn by plotters on its SVG backend, and the same figures as CSV.
//!
//! A [`Chart`] is plain data: a title and a description (the SVG's `<title>` and `<desc>`,
//! read by screen readers), axis labels with their units, and either grouped bars per
//! category (with an optional share on a percent axis and reference lines) or a timeline of
//! dated marks per row. [`svg`] draws it at [`WIDTH`]×[`HEIGHT`] with a `viewBox`, so it
//! scales down to a phone; [`csv()`] writes the same figures, one row per category (or per
//! mark), for spreadsheets and screen-reader users. Figures are `Decimal`s: drawing turns
//! them into coordinates, labels print them as they are. Knows no domain.

pub mod drawing;
mod table;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use rust_decimal::Decimal;

pub use drawing::{MAX_TIMELINE_ROWS, ROW_HEIGHT};

/// Width of every chart, in SVG user units.
pub const WIDTH: u32 = 800;
/// Height of every chart, in SVG user units.
pub const HEIGHT: u32 = 450;

/// One chart: what it shows, and its figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// The SVG's `<title>` and the heading above the plot ("Annual reports, 2011–2026").
    pub title: String,
    /// The SVG's `<desc>`: one or two sentences saying what is drawn and the main figures.
    pub description: String,
    pub body: ChartBody,
}

/// What a chart draws.
#[derive(Clone, Debug, PartialEq)]
pub enum ChartBody {
    Bars(Bars),
    Timeline(Timeline),
}

/// Grouped bars per category: one bar per series in each category, each with its figure
/// written above it; optionally a line of shares (0–100 %) on a right-hand axis, and
/// horizontal reference lines (a baseline, a target).
#[derive(Clone, Debug, PartialEq)]
pub struct Bars {
    /// The horizontal axis' label ("Reporting year").
    pub x_label: String,
    /// The left axis' label, with its unit ("Reports", "CHF").
    pub y_label: String,
    /// The categories along the horizontal axis, in order.
    pub categories: Vec<String>,
    /// The bars: each series has one value per category.
    pub series: Vec<Series>,
    /// A share per category on the right-hand axis (0–100), drawn as a line with points.
    pub share: Option<Share>,
    /// Horizontal lines across the plot.
    pub references: Vec<Reference>,
}

/// One series of bars (or of shares): a name for the legend and one value per category.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    /// One per category; `None` where there is no figure (nothing is drawn, the CSV cell is
    /// empty).
    pub values: Vec<Option<Decimal>>,
}

/// The line of shares on the right-hand axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Share {
    /// The right-hand axis' label ("On time (%)").
    pub axis_label: String,
    pub series: Series,
}

/// A horizontal reference line, named in the legend.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    pub name: String,
    pub value: Decimal,
    /// On the share axis (a target share) rather than the left axis.
    pub on_share_axis: bool,
}

/// Rows (States, say) with dated marks on a time axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    /// The time axis' label ("Deadline").
    pub x_label: String,
    /// The rows' axis label ("State party").
    pub y_label: String,
    pub rows: Vec<TimelineRow>,
    /// A vertical line at this day ("today"), when given.
    pub today: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TimelineRow {
    pub label: String,
    pub marks: Vec<Mark>,
}

/// One dated mark of a row; its style (shape and colour, named in the legend) follows its
/// kind.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub date: NaiveDate,
    /// The legend's name of its kind ("Stockpile destruction", "Clearance").
    pub series: String,
    pub style: MarkStyle,
    /// Written beside the mark and in the CSV ("extended", "completed 2019-05-01").
    pub note: String,
}

/// How a mark is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkStyle {
    /// A deadline in force, not met.
    Open,
    /// A deadline in force that an extension set.
    Extended,
    /// An obligation met (drawn hollow).
    Completed,
    /// A deadline that an extension replaced (drawn faint, joined to the new one).
    Superseded,
}

/// The chart as an SVG document, [`WIDTH`]×[`HEIGHT`] with a `viewBox`, its first children
/// a `<title>` and a `<desc>`. A timeline with more rows than fit grows taller (see
/// [`drawing`]); its `viewBox` says its height.
pub fn svg(chart: &Chart) -> String {
    drawing::document(chart)
}

/// The chart's figures as CSV (UTF-8, a header row, `\r\n` line ends): for bars one row per
/// category with a column per series (and the share, and each reference); for a timeline
/// one row per mark (row label, series, date, style, note).
pub fn csv(chart: &Chart) -> Vec<u8> {
    table::document(chart)
}
