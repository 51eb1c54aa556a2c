//! Drawing a [`Chart`] with plotters on its SVG backend, then wrapping the document so that
//! it is accessible: a `role="img"` root labelled by its first two children, `<title>` and
//! `<desc>`.
//!
//! Layout decisions, made once here:
//! - Text is at least 13 px: plotters writes `font-size` as the style's size ÷ 1.24, so the
//!   smallest style is `TEXT` (17 → 13.7 px). Widths of text are plotters' own naive
//!   estimate (no font files: the SVG is laid out the same on every machine), about
//!   `CHAR_WIDTH` px a character.
//! - The legend (plotters' series labels) sits in a column right of the plot, so that it
//!   never covers a bar or a mark.
//! - Category labels are wrapped onto up to three lines under their group of bars; when a
//!   word does not fit its slot they are written vertically instead. Data labels go above
//!   each bar, vertically when the figure is wider than the bar's slot.
//! - A timeline gives each row [`ROW_HEIGHT`] px: up to [`MAX_TIMELINE_ROWS`] rows are drawn
//!   and the chart grows taller than [`HEIGHT`] when they need it (a list of States is read
//!   row by row; squeezing 60 rows into 450 px would make 5 px rows nobody can read). Rows
//!   beyond that are left out of the drawing with a note saying so; the CSV keeps every row,
//!   and callers order rows by importance.

use std::error::Error;

use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::{Bars, Chart, ChartBody, HEIGHT, MarkStyle, Timeline, WIDTH};
use crate::kernel::figures;

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type Drawn = Result<(), Box<dyn Error>>;

const FONT: &str = "sans-serif";
/// The style size of ordinary text: 13.7 px once plotters divides by 1.24.
const TEXT: f64 = 17.0;
/// The style size of the heading: 17.7 px.
const HEADING: f64 = 22.0;
/// Plotters' estimate of a character's width at [`TEXT`], in px.
const CHAR_WIDTH: f64 = 7.8;
/// Height of a line of text at [`TEXT`], with its leading.
const LINE: i32 = 18;
/// Room the caption (the heading) takes above the plot.
const CAPTION: i32 = 40;
/// Height of one timeline row.
pub const ROW_HEIGHT: u32 = 24;
/// Most rows a timeline draws.
pub const MAX_TIMELINE_ROWS: usize = 30;
/// The widest legend column.
const MAX_LEGEND: i32 = 230;

/// Okabe–Ito colours: told apart by people with colour-blindness, dark enough on white.
const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
];
const INK: RGBColor = RGBColor(34, 34, 34);
const GRID: RGBColor = RGBColor(221, 221, 221);
const REFERENCE_COLOURS: [RGBColor; 2] = [RGBColor(213, 94, 0), RGBColor(120, 60, 150)];

fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

fn text_width(text: &str) -> i32 {
    (text.chars().count() as f64 * CHAR_WIDTH).ceil() as i32
}

fn style(pos: Pos) -> TextStyle<'static> {
    TextStyle::from((FONT, TEXT).into_font())
        .color(&INK)
        .pos(pos)
}

fn to_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// The chart's height: [`HEIGHT`], or taller for a timeline with many rows.
pub fn height(chart: &Chart) -> u32 {
    match &chart.body {
        ChartBody::Bars(_) => HEIGHT,
        ChartBody::Timeline(t) => {
            let rows = t.rows.len().min(MAX_TIMELINE_ROWS) as u32;
            // Caption, x-axis labels and margins take 110 px; a note on left-out rows one
            // more line.
            let note = if t.rows.len() > MAX_TIMELINE_ROWS {
                24
            } else {
                0
            };
            HEIGHT.max(110 + rows * ROW_HEIGHT + note)
        }
    }
}

/// The note under a timeline whose rows do not all fit.
pub fn omitted_note(chart: &Chart) -> Option<String> {
    match &chart.body {
        ChartBody::Timeline(t) => omitted(t.rows.len()),
        ChartBody::Bars(_) => None,
    }
}

fn omitted(rows: usize) -> Option<String> {
    (rows > MAX_TIMELINE_ROWS).then(|| {
        format!(
            "The first {} of {} rows are drawn; the CSV holds every row.",
            figures::count(MAX_TIMELINE_ROWS as i64),
            figures::count(rows as i64)
        )
    })
}

/// The whole SVG document.
pub fn document(chart: &Chart) -> String {
    let height = height(chart);
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height)).into_drawing_area();
        let drawn = draw(&root, chart);
        if let Err(e) = drawn.and_then(|()| root.present().map_err(Into::into)) {
            // The buffer holds what was drawn; plotters closes the open tags when the
            // backend drops, so the document stays well-formed.
            tracing::warn!(error = %e, title = %chart.title, "a chart could not be drawn whole");
        }
    }
    wrap(chart, height, &buf)
}

/// Replaces plotters' opening `<svg …>` tag with an accessible one and puts `<title>` and
/// `<desc>` first. The ids derive from the text, so that several charts inlined in one
/// HTML page do not share ids and the same chart always reads the same (stable `ETag`s).
fn wrap(chart: &Chart, height: u32, drawn: &str) -> String {
    let body = drawn
        .find('>')
        .map_or("</svg>\n", |i| &drawn[i + 1..])
        .trim_start_matches('\n');
    let mut description = chart.description.clone();
    if let Some(note) = omitted_note(chart) {
        description.push(' ');
        description.push_str(&note);
    }
    let id = format!("chart-{:016x}", fnv(&[&chart.title, &description]));
    let mut out = String::with_capacity(drawn.len() + 512);
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{WIDTH}\" \
         height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" \
         preserveAspectRatio=\"xMidYMid meet\" style=\"max-width:100%;height:auto\" \
         role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">\n"
    ));
    out.push_str(&format!(
        "<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n",
        escape(&chart.title),
        escape(&description)
    ));
    out.push_str(body);
    out
}

/// XML-escapes text for an element's content or an attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0: dropped.
            c if c.is_control() && !matches!(c, '\n' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

/// FNV-1a, 64 bits: a stable hash (std's `DefaultHasher` may change between releases).
fn fnv(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0u8]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

fn draw(root: &Area<'_>, chart: &Chart) -> Drawn {
    root.fill(&WHITE)?;
    match &chart.body {
        ChartBody::Bars(b) => bars(root, &chart.title, b),
        ChartBody::Timeline(t) => timeline(root, &chart.title, t),
    }
}

/// The legend column's width for these labels.
fn legend_width(labels: &[String]) -> i32 {
    let widest = labels.iter().map(|l| text_width(l)).max().unwrap_or(0);
    (widest + 60).min(MAX_LEGEND)
}

/// How a legend entry is drawn.
#[derive(Clone, Copy)]
enum Key {
    /// A filled square: a series of bars.
    Swatch(RGBColor),
    /// A line with a point: the share.
    Line(RGBColor),
    /// A dashed line: a reference, or today.
    Dashed(RGBColor),
    /// A mark of a timeline, in its style.
    Mark(MarkStyle, RGBColor),
}

/// The legend, in its own column: a chart context of its own on `area` whose empty series
/// carry the labels, drawn by plotters' series labels. (On the plot's own context the
/// legend would have to lie inside the plotting area, which clips its keys, and would
/// cover bars.)
fn draw_legend(area: &Area<'_>, entries: &[(String, Key)]) -> Drawn {
    if entries.is_empty() {
        return Ok(());
    }
    let mut chart = ChartBuilder::on(area)
        .margin_top(CAPTION + 10)
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)?;
    for (name, key) in entries {
        let anno = chart
            .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())?
            .label(name.as_str());
        // One closure per kind of key: each is its own element type.
        match *key {
            Key::Swatch(c) => {
                anno.legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 18, y + 6)], c.filled())
                });
            }
            Key::Line(c) => {
                anno.legend(move |(x, y)| {
                    EmptyElement::at((x, y))
                        + PathElement::new(vec![(0, 0), (18, 0)], c.stroke_width(2))
                        + Circle::new((9, 0), 4, c.filled())
                });
            }
            Key::Dashed(c) => {
                anno.legend(move |(x, y)| {
                    DashedPathElement::new(vec![(x, y), (x + 20, y)], 5, 3, c.stroke_width(2))
                });
            }
            Key::Mark(MarkStyle::Open, c) => {
                anno.legend(move |(x, y)| Circle::new((x + 9, y), 6, c.filled()));
            }
            Key::Mark(MarkStyle::Extended, c) => {
                anno.legend(move |(x, y)| {
                    EmptyElement::at((x + 9, y))
                        + Polygon::new(vec![(0, -8), (8, 0), (0, 8), (-8, 0)], c.filled())
                });
            }
            Key::Mark(MarkStyle::Completed, c) => {
                anno.legend(move |(x, y)| Circle::new((x + 9, y), 6, c.stroke_width(2)));
            }
            Key::Mark(MarkStyle::Superseded, c) => {
                anno.legend(move |(x, y)| Circle::new((x + 9, y), 5, c.mix(0.35).filled()));
            }
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .legend_area_size(26)
        .margin(4)
        .label_font((FONT, TEXT).into_font().color(&INK))
        .draw()?;
    Ok(())
}

/// "No data", in the middle of the plot.
fn no_data(root: &Area<'_>, at: (i32, i32)) -> Drawn {
    root.draw(&Text::new(
        "No data",
        at,
        style(Pos::new(HPos::Center, VPos::Center)),
    ))?;
    Ok(())
}

/// Wraps `label` into lines of at most `max` characters, at spaces; `None` when a word is
/// longer than `max` or it takes more than three lines.
fn wrap_label(label: &str, max: usize) -> Option<Vec<String>> {
    let mut lines: Vec<String> = Vec::new();
    for word in label.split_whitespace() {
        if word.chars().count() > max {
            return None;
        }
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= max => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    (lines.len() <= 3).then_some(lines)
}

fn bars(root: &Area<'_>, title: &str, b: &Bars) -> Drawn {
    let n = b.categories.len();
    let series_count = b.series.len().max(1);
    let mut legend: Vec<String> = b.series.iter().map(|s| s.name.clone()).collect();
    if let Some(share) = &b.share {
        legend.push(share.series.name.clone());
    }
    legend.extend(b.references.iter().map(|r| r.name.clone()));
    let legend_w = legend_width(&legend);
    let right_axis = if b.share.is_some() { 75 } else { 0 };

    // The left axis' extent: every bar and every reference on it, and zero.
    let mut values: Vec<f64> = b
        .series
        .iter()
        .flat_map(|s| s.values.iter().flatten().map(|v| to_f64(*v)))
        .collect();
    values.extend(
        b.references
            .iter()
            .filter(|r| !r.on_share_axis)
            .map(|r| to_f64(r.value)),
    );
    let max = values.iter().copied().fold(0.0_f64, f64::max);
    let min = values.iter().copied().fold(0.0_f64, f64::min);
    let tick_text =
        figures::grouped(Decimal::from_f64_retain(max.max(-min).round()).unwrap_or_default());
    let left_axis = 45 + text_width(&tick_text);

    let (main, side) = root.split_horizontally(WIDTH as i32 - legend_w);
    let plot_w = WIDTH as i32 - 20 - left_axis - right_axis - legend_w;
    let slot = f64::from(plot_w.max(1)) / n.max(1) as f64;
    let max_chars = ((slot - 6.0) / CHAR_WIDTH).floor().max(1.0) as usize;
    let wrapped: Option<Vec<Vec<String>>> = b
        .categories
        .iter()
        .map(|c| wrap_label(c, max_chars))
        .collect();
    let longest = b
        .categories
        .iter()
        .map(|c| text_width(c))
        .max()
        .unwrap_or(0);
    let label_area = match &wrapped {
        Some(lines) => lines.iter().map(Vec::len).max().unwrap_or(1) as i32 * LINE + 10,
        None => longest.min(150) + 12,
    };
    // The axis' own label below the category labels.
    let x_area = label_area + LINE + 12;
    let plot_h = HEIGHT as i32 - 10 - CAPTION - x_area - 10;

    // Data labels: horizontal when every figure fits its bar's slot, else vertical. A zero
    // has no bar and no label (a column of "0"s on the axis reads as noise); the CSV and the
    // description hold it.
    let bar_slot = slot * 0.8 / series_count as f64;
    let labels: Vec<Vec<Option<String>>> = b
        .series
        .iter()
        .map(|s| {
            s.values
                .iter()
                .map(|v| v.filter(|d| !d.is_zero()).map(figures::grouped))
                .collect()
        })
        .collect();
    let widest_label = labels
        .iter()
        .flatten()
        .flatten()
        .map(|l| text_width(l))
        .max()
        .unwrap_or(0);
    let vertical_labels = f64::from(widest_label) > bar_slot + 4.0;
    let headroom = if vertical_labels {
        widest_label + 8
    } else {
        LINE + 4
    };
    let usable = f64::from((plot_h - headroom).max(plot_h / 3));
    let top = if max > 0.0 {
        max * f64::from(plot_h) / usable
    } else {
        1.0
    };
    let bottom = if min < 0.0 { min * 1.1 } else { 0.0 };

    let mut chart = ChartBuilder::on(&main)
        .margin_top(10)
        .margin_left(10)
        .margin_bottom(10)
        .margin_right(10)
        .caption(title, (FONT, HEADING).into_font().color(&INK))
        .x_label_area_size(x_area)
        .y_label_area_size(left_axis)
        .right_y_label_area_size(right_axis)
        .build_cartesian_2d(0.0..n.max(1) as f64, bottom..top)?
        .set_secondary_coord(0.0..n.max(1) as f64, 0.0..100.0);

    let y_fmt = |v: &f64| {
        figures::grouped(
            Decimal::from_f64_retain((*v * 100.0).round() / 100.0)
                .unwrap_or_default()
                .normalize(),
        )
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(6)
        .max_light_lines(0)
        .bold_line_style(GRID)
        .axis_style(INK)
        .label_style((FONT, TEXT).into_font().color(&INK))
        .axis_desc_style((FONT, TEXT).into_font().color(&INK))
        .y_label_formatter(&y_fmt)
        .x_desc(b.x_label.as_str())
        .y_desc(b.y_label.as_str())
        .draw()?;
    if let Some(share) = &b.share {
        chart
            .configure_secondary_axes()
            .y_labels(6)
            .axis_style(INK)
            .label_style((FONT, TEXT).into_font().color(&INK))
            .axis_desc_style((FONT, TEXT).into_font().color(&INK))
            .y_label_formatter(&|v: &f64| format!("{v:.0} %"))
            .y_desc(share.axis_label.as_str())
            .draw()?;
    }

    if n == 0 {
        let (x0, y0) = chart.backend_coord(&(0.0, bottom));
        let (x1, y1) = chart.backend_coord(&(1.0, top));
        no_data(root, ((x0 + x1) / 2, (y0 + y1) / 2))?;
    }

    // Category labels, centred under their group.
    for (i, category) in b.categories.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(i as f64 + 0.5, bottom));
        match &wrapped {
            Some(all) => {
                for (k, line) in all[i].iter().enumerate() {
                    root.draw(&Text::new(
                        line.clone(),
                        (x, y + 6 + k as i32 * LINE),
                        style(Pos::new(HPos::Center, VPos::Top)),
                    ))?;
                }
            }
            None => {
                root.draw(&Text::new(
                    category.clone(),
                    (x, y + 6),
                    style(Pos::new(HPos::Right, VPos::Center)).transform(FontTransform::Rotate270),
                ))?;
            }
        }
    }

    let mut keys: Vec<(String, Key)> = Vec::new();
    // The bars, grouped: series k of category i spans a fifth of the slot's margins.
    for (k, s) in b.series.iter().enumerate() {
        let c = colour(k);
        let width = 0.8 / series_count as f64;
        let rects: Vec<Rectangle<(f64, f64)>> = s
            .values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                let v = to_f64((*v)?);
                let x0 = i as f64 + 0.1 + k as f64 * width;
                Some(Rectangle::new([(x0, 0.0), (x0 + width, v)], c.filled()))
            })
            .collect();
        chart.draw_series(rects)?;
        keys.push((s.name.clone(), Key::Swatch(c)));
        for (i, label) in labels[k].iter().enumerate() {
            let (Some(label), Some(Some(v))) = (label, s.values.get(i)) else {
                continue;
            };
            let v = to_f64(*v);
            let x = i as f64 + 0.1 + (k as f64 + 0.5) * width;
            let (px, py) = chart.backend_coord(&(x, v.max(0.0)));
            let text = if vertical_labels {
                Text::new(
                    label.clone(),
                    (px, py - 4),
                    style(Pos::new(HPos::Left, VPos::Center)).transform(FontTransform::Rotate270),
                )
            } else {
                Text::new(
                    label.clone(),
                    (px, py - 3),
                    style(Pos::new(HPos::Center, VPos::Bottom)),
                )
            };
            root.draw(&text)?;
        }
    }

    if let Some(share) = &b.share {
        let points: Vec<(f64, f64)> = share
            .series
            .values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| Some((i as f64 + 0.5, to_f64((*v)?).clamp(0.0, 100.0))))
            .collect();
        let line_style = INK.stroke_width(2);
        chart.draw_secondary_series(LineSeries::new(points, line_style).point_size(4))?;
        keys.push((share.series.name.clone(), Key::Line(INK)));
        for (i, v) in share.series.values.iter().enumerate() {
            let Some(v) = v else { continue };
            let at = chart
                .borrow_secondary()
                .backend_coord(&(i as f64 + 0.5, to_f64(*v).clamp(0.0, 100.0)));
            // Beside the point, below it near the top of the axis.
            let (dy, v_pos) = if to_f64(*v) > 90.0 {
                (6, VPos::Top)
            } else {
                (-6, VPos::Bottom)
            };
            root.draw(&Text::new(
                figures::percent(*v),
                (at.0 + 6, at.1 + dy),
                style(Pos::new(HPos::Left, v_pos)),
            ))?;
        }
    }

    for (r, reference) in b.references.iter().enumerate() {
        let c = REFERENCE_COLOURS[r % REFERENCE_COLOURS.len()];
        let value = to_f64(reference.value);
        let line = [(0.0, value), (n.max(1) as f64, value)];
        let dashed = DashedLineSeries::new(line, 8, 5, c.stroke_width(2));
        if reference.on_share_axis {
            chart.draw_secondary_series(dashed)?;
        } else {
            chart.draw_series(dashed)?;
        }
        keys.push((reference.name.clone(), Key::Dashed(c)));
        let end = if reference.on_share_axis {
            chart
                .borrow_secondary()
                .backend_coord(&(n.max(1) as f64, value.clamp(0.0, 100.0)))
        } else {
            chart.backend_coord(&(n.max(1) as f64, value))
        };
        let figure = if reference.on_share_axis {
            figures::percent(reference.value)
        } else {
            figures::grouped(reference.value)
        };
        root.draw(&Text::new(
            figure,
            (end.0 - 4, end.1 - 4),
            style(Pos::new(HPos::Right, VPos::Bottom)).color(&c),
        ))?;
    }

    draw_legend(&side, &keys)
}

/// A day as a fractional year: 2020-07-02 → about 2020.5. Whole years fall on ticks.
fn year_of(day: NaiveDate) -> f64 {
    let days = if day.leap_year() { 366.0 } else { 365.0 };
    f64::from(day.year()) + f64::from(day.ordinal0()) / days
}

fn style_name(s: MarkStyle) -> &'static str {
    match s {
        MarkStyle::Open => "Open",
        MarkStyle::Extended => "Extended",
        MarkStyle::Completed => "Completed",
        MarkStyle::Superseded => "Superseded",
    }
}

/// The mark of a style at a backend point, in a colour.
fn mark<'a, DB: DrawingBackend + 'a>(
    at: (i32, i32),
    s: MarkStyle,
    c: RGBColor,
) -> DynElement<'a, DB, (i32, i32)> {
    match s {
        MarkStyle::Open => (EmptyElement::at(at) + Circle::new((0, 0), 6, c.filled())).into_dyn(),
        MarkStyle::Extended => (EmptyElement::at(at)
            + Polygon::new(vec![(0, -8), (8, 0), (0, 8), (-8, 0)], c.filled()))
        .into_dyn(),
        MarkStyle::Completed => {
            (EmptyElement::at(at) + Circle::new((0, 0), 6, c.stroke_width(2))).into_dyn()
        }
        MarkStyle::Superseded => {
            (EmptyElement::at(at) + Circle::new((0, 0), 5, c.mix(0.35).filled())).into_dyn()
        }
    }
}

fn timeline(root: &Area<'_>, title: &str, t: &Timeline) -> Drawn {
    let rows = &t.rows[..t.rows.len().min(MAX_TIMELINE_ROWS)];
    let n = rows.len();
    let mut series: Vec<&str> = Vec::new();
    let mut styles: Vec<MarkStyle> = Vec::new();
    for m in rows.iter().flat_map(|r| &r.marks) {
        if !series.contains(&m.series.as_str()) {
            series.push(m.series.as_str());
        }
        if !styles.contains(&m.style) {
            styles.push(m.style);
        }
    }
    styles.sort_by_key(|s| *s as u8);
    let mut legend: Vec<String> = series.iter().map(|s| (*s).to_owned()).collect();
    legend.extend(styles.iter().map(|s| style_name(*s).to_owned()));
    if t.today.is_some() {
        legend.push("Today".to_owned());
    }
    let legend_w = legend_width(&legend);
    let longest = rows.iter().map(|r| text_width(&r.label)).max().unwrap_or(0);
    let left_axis = longest.min(260) + 40;

    let mut days: Vec<NaiveDate> = rows
        .iter()
        .flat_map(|r| r.marks.iter().map(|m| m.date))
        .collect();
    days.extend(t.today);
    let lo = days.iter().min().map_or(2010.0, |d| f64::from(d.year()));
    let hi = days
        .iter()
        .max()
        .map_or(2030.0, |d| f64::from(d.year()) + 1.0);
    let hi = hi.max(lo + 2.0);
    let span = (hi - lo) as usize;

    let height = root.dim_in_pixel().1 as i32;
    let note_h = if t.rows.len() > MAX_TIMELINE_ROWS {
        24
    } else {
        0
    };
    let x_area = 2 * LINE + 20;
    let (main, side) = root.split_horizontally(WIDTH as i32 - legend_w);
    let mut chart = ChartBuilder::on(&main)
        .margin_top(10)
        .margin_left(10)
        .margin_bottom(10 + note_h)
        .margin_right(10)
        .caption(title, (FONT, HEADING).into_font().color(&INK))
        .x_label_area_size(x_area)
        .y_label_area_size(left_axis)
        .build_cartesian_2d(lo..hi, 0.0..n.max(1) as f64)?;
    let x_fmt = |v: &f64| {
        if (v - v.round()).abs() < 1e-6 {
            format!("{}", v.round() as i64)
        } else {
            String::new()
        }
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(span.clamp(1, 10))
        .max_light_lines(0)
        .bold_line_style(GRID)
        .axis_style(INK)
        .label_style((FONT, TEXT).into_font().color(&INK))
        .axis_desc_style((FONT, TEXT).into_font().color(&INK))
        .x_label_formatter(&x_fmt)
        .x_desc(t.x_label.as_str())
        .y_desc(t.y_label.as_str())
        .draw()?;

    if n == 0 {
        let (x0, y0) = chart.backend_coord(&(lo, 0.0));
        let (x1, y1) = chart.backend_coord(&(hi, 1.0));
        no_data(root, ((x0 + x1) / 2, (y0 + y1) / 2))?;
    }

    let mut keys: Vec<(String, Key)> = series
        .iter()
        .enumerate()
        .map(|(k, name)| ((*name).to_owned(), Key::Mark(MarkStyle::Open, colour(k))))
        .collect();
    keys.extend(styles.iter().map(|s| {
        (
            style_name(*s).to_owned(),
            Key::Mark(*s, RGBColor(96, 96, 96)),
        )
    }));

    let centre = |i: usize| n as f64 - i as f64 - 0.5;
    let right_edge = chart.backend_coord(&(hi, 0.0)).0;
    for (i, row) in rows.iter().enumerate() {
        let y = centre(i);
        // A light line between rows, and the row's label.
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(lo, y - 0.5), (hi, y - 0.5)],
            GRID,
        )))?;
        let (lx, ly) = chart.backend_coord(&(lo, y));
        root.draw(&Text::new(
            row.label.clone(),
            (lx - 8, ly),
            style(Pos::new(HPos::Right, VPos::Center)),
        ))?;
        let mut marks: Vec<&super::Mark> = row.marks.iter().collect();
        marks.sort_by_key(|m| m.date);
        for (j, m) in marks.iter().enumerate() {
            let Some(k) = series.iter().position(|s| *s == m.series) else {
                continue;
            };
            let c = colour(k);
            let at = chart.backend_coord(&(year_of(m.date), y));
            // A superseded deadline is joined to the next one of its series.
            if m.style == MarkStyle::Superseded
                && let Some(next) = marks[j + 1..].iter().find(|n| n.series == m.series)
            {
                let to = chart.backend_coord(&(year_of(next.date), y));
                root.draw(&PathElement::new(vec![at, to], c.mix(0.35).stroke_width(2)))?;
            }
            root.draw(&mark(at, m.style, c))?;
            // Only the deadline in force is labelled, with its month and year ("Aug 2030"):
            // longer notes, or notes beside superseded and completed marks, would run into
            // the row labels and each other in a plot this narrow. The marks' styles say what
            // they are; the CSV and the description give every date and note.
            if matches!(m.style, MarkStyle::Open | MarkStyle::Extended) {
                let label = figures::month_year(m.date);
                // Right of the mark, or left of it near the right edge.
                let width = text_width(&label);
                let (x, h) = if at.0 + 12 + width > right_edge {
                    (at.0 - 12, HPos::Right)
                } else {
                    (at.0 + 12, HPos::Left)
                };
                root.draw(&Text::new(
                    label,
                    (x, at.1),
                    style(Pos::new(h, VPos::Center)),
                ))?;
            }
        }
    }

    if let Some(today) = t.today {
        let x = year_of(today);
        let top = n.max(1) as f64;
        chart.draw_series(DashedLineSeries::new(
            [(x, 0.0), (x, top)],
            6,
            4,
            REFERENCE_COLOURS[0].stroke_width(2),
        ))?;
        keys.push(("Today".to_owned(), Key::Dashed(REFERENCE_COLOURS[0])));
        // Its date is in the description: written at the top of the line it would run
        // into the title.
    }

    draw_legend(&side, &keys)?;

    if let Some(note) = omitted(t.rows.len()) {
        root.draw(&Text::new(
            note,
            (10, height - 10),
            style(Pos::new(HPos::Left, VPos::Bottom)),
        ))?;
    }
    Ok(())
}
