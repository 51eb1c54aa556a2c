//! A chart's figures as CSV, with the `csv` crate: the same numbers the drawing shows, as
//! plain decimals (no thousands separators) that spreadsheets read as numbers.

use super::{Bars, Chart, ChartBody, MarkStyle, Timeline};

/// A cell of text: one that a spreadsheet would run as a formula (starting with `=`, `+`,
/// `-`, `@`, tab or carriage return) gets a leading apostrophe. Labels may come from what
/// people typed (State or meeting names).
fn text(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

fn style_name(s: MarkStyle) -> &'static str {
    match s {
        MarkStyle::Open => "open",
        MarkStyle::Extended => "extended",
        MarkStyle::Completed => "completed",
        MarkStyle::Superseded => "superseded",
    }
}

/// The document; `csv` only fails writing to a failing writer, and a `Vec` does not fail:
/// should it, what was written so far is returned (and the failure logged).
pub fn document(chart: &Chart) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let written = match &chart.body {
        ChartBody::Bars(b) => bars(&mut w, b),
        ChartBody::Timeline(t) => timeline(&mut w, t),
    };
    if let Err(e) = written.and_then(|()| w.flush().map_err(Into::into)) {
        tracing::warn!(error = %e, title = %chart.title, "a chart's CSV could not be written whole");
    }
    w.into_inner()
        .unwrap_or_else(|e| e.into_inner().get_ref().clone())
}

fn bars(w: &mut csv::Writer<Vec<u8>>, b: &Bars) -> csv::Result<()> {
    let mut header = vec![text(&b.x_label)];
    header.extend(b.series.iter().map(|s| text(&s.name)));
    if let Some(share) = &b.share {
        header.push(text(&share.series.name));
    }
    header.extend(b.references.iter().map(|r| text(&r.name)));
    w.write_record(&header)?;
    for (i, category) in b.categories.iter().enumerate() {
        let mut row = vec![text(category)];
        row.extend(b.series.iter().map(|s| {
            s.values
                .get(i)
                .copied()
                .flatten()
                .map(|v| v.to_string())
                .unwrap_or_default()
        }));
        if let Some(share) = &b.share {
            // One decimal, as the drawing's labels print it.
            row.push(
                share
                    .series
                    .values
                    .get(i)
                    .copied()
                    .flatten()
                    .map(|v| {
                        let mut r = v.round_dp_with_strategy(
                            1,
                            rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                        );
                        r.rescale(1);
                        r.to_string()
                    })
                    .unwrap_or_default(),
            );
        }
        row.extend(b.references.iter().map(|r| r.value.to_string()));
        w.write_record(&row)?;
    }
    Ok(())
}

fn timeline(w: &mut csv::Writer<Vec<u8>>, t: &Timeline) -> csv::Result<()> {
    w.write_record([
        text(&t.y_label).as_str(),
        "Series",
        text(&t.x_label).as_str(),
        "Style",
        "Note",
    ])?;
    for row in &t.rows {
        for m in &row.marks {
            w.write_record([
                text(&row.label).as_str(),
                text(&m.series).as_str(),
                m.date.to_string().as_str(),
                style_name(m.style),
                text(&m.note).as_str(),
            ])?;
        }
    }
    Ok(())
}
