//! The history file (README, "Importing the history"): CSV with a header, one record per
//! line. Parsing is pure: every line's own faults are found here, together; what needs the
//! database (the State, its entry into force, what is already recorded) is checked in
//! [`super::import`].

use chrono::NaiveDate;

use crate::kernel::validate::{self, BRIEF_TEXT, ENTRY_TEXT, Lines, SHORT_TEXT};
use crate::rules::obligations::ObligationKind;

/// Most lines in one file (the header aside).
pub const MAX_LINES: usize = 10_000;
/// Most bytes of one file.
pub const MAX_BYTES: usize = 4 * 1024 * 1024;
/// Most faults listed for one file: past it, one more entry says how many were left out.
pub const MAX_FAULTS: usize = 200;
/// Most addresses in `sources`, and the longest address.
pub const MAX_SOURCES: usize = 20;
pub const MAX_URL: usize = 2_000;

/// The columns a file may have, in the order the README lists them. `record`, `state` and
/// `kind` are required; the others may be left out of the header.
pub const COLUMNS: [&str; 18] = [
    "record",
    "state",
    "kind",
    "year",
    "submitted_on",
    "link",
    "previous_deadline",
    "new_deadline",
    "granted_on",
    "granted_on_precision",
    "granted_at",
    "reference",
    "completed_on",
    "since",
    "precision",
    "declared",
    "confidence",
    "sources",
];

/// How exact a date is.
pub const PRECISIONS: [&str; 5] = ["day", "month", "year", "on_or_before", "approximate"];

/// One fault of one line: 1-based line number of the file (the header is line 1), the
/// column, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    pub line: usize,
    pub field: String,
    pub reason: String,
}

/// Provenance a line may carry: how exact its date is, how sure the source, and where.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Provenance {
    pub precision: Option<String>,
    pub confidence: Option<String>,
    /// Space-separated addresses.
    pub sources: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportKind {
    Initial,
    Annual,
}

/// What one line records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    /// A transparency report submitted before the system: SUBMITTED, or PUBLISHED with a link.
    Report {
        kind: ReportKind,
        /// The year covered; None for an initial report (the year of entry into force).
        year: Option<i32>,
        submitted_on: NaiveDate,
        link: Option<String>,
    },
    /// An extension of an Article 3 or 4 deadline.
    Extension {
        kind: ObligationKind,
        previous_deadline: NaiveDate,
        new_deadline: NaiveDate,
        granted_on: NaiveDate,
        /// How exact `granted_on` is (`precision` is the new deadline's).
        granted_on_precision: Option<String>,
        granted_at: String,
        reference: Option<String>,
        provenance: Provenance,
    },
    /// Stockpile destruction or clearance completed.
    Completion {
        kind: ObligationKind,
        completed_on: NaiveDate,
        declared: Option<String>,
        provenance: Provenance,
    },
    /// From this day on the State's records of these kinds are complete.
    RecordsBegin {
        kinds: Vec<ObligationKind>,
        since: NaiveDate,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub line: usize,
    /// ISO alpha-3, upper case.
    pub state: String,
    pub record: Record,
}

/// The cells of one line by column name; a column missing from the header reads empty.
struct Cells<'a> {
    line: usize,
    values: Vec<Option<&'a str>>,
    faults: &'a mut Vec<Fault>,
    /// Columns this record type reads: any other non-empty cell is a fault.
    read: Vec<&'static str>,
}

impl Cells<'_> {
    fn fault(&mut self, field: &str, reason: impl Into<String>) {
        self.faults.push(Fault {
            line: self.line,
            field: field.to_owned(),
            reason: reason.into(),
        });
    }

    fn text(&mut self, column: &'static str) -> Option<String> {
        self.read.push(column);
        let i = COLUMNS.iter().position(|c| *c == column)?;
        self.values[i]
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    fn required(&mut self, column: &'static str) -> Option<String> {
        let v = self.text(column);
        if v.is_none() {
            self.fault(column, "is required for this record");
        }
        v
    }

    fn bounded(&mut self, column: &'static str, max: usize) -> Option<String> {
        let v = self.text(column)?;
        if v.chars().count() > max {
            self.fault(column, format!("is longer than {max} characters"));
            return None;
        }
        if validate::has_control(&v, Lines::One) {
            self.fault(column, "holds a line break or control character");
            return None;
        }
        Some(v)
    }

    fn date(&mut self, column: &'static str, required: bool) -> Option<NaiveDate> {
        let v = if required {
            self.required(column)?
        } else {
            self.text(column)?
        };
        match NaiveDate::parse_from_str(&v, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                self.fault(
                    column,
                    format!("`{}` is not a date (YYYY-MM-DD)", short(&v)),
                );
                None
            }
        }
    }

    fn one_of(&mut self, column: &'static str, allowed: &[&str]) -> Option<String> {
        let v = self.text(column)?.to_lowercase();
        if allowed.contains(&v.as_str()) {
            Some(v)
        } else {
            self.fault(
                column,
                format!("`{}` is not one of {}", short(&v), allowed.join(", ")),
            );
            None
        }
    }

    fn url(&mut self, column: &'static str, text: &str) -> bool {
        let ok = (text.starts_with("https://") || text.starts_with("http://"))
            && text.len() <= MAX_URL
            && !text.chars().any(|c| c.is_whitespace() || c.is_control());
        if !ok {
            self.fault(
                column,
                format!(
                    "`{}` is not an http(s) address of at most {MAX_URL} characters",
                    short(text)
                ),
            );
        }
        ok
    }

    fn precision(&mut self, column: &'static str) -> Option<String> {
        self.one_of(column, &PRECISIONS)
    }

    fn provenance(&mut self) -> Provenance {
        let precision = self.precision("precision");
        let confidence = self.one_of("confidence", &["verified", "reported"]);
        let sources = self.text("sources").filter(|s| {
            let list: Vec<&str> = s.split_whitespace().collect();
            if list.len() > MAX_SOURCES {
                self.fault(
                    "sources",
                    format!("lists more than {MAX_SOURCES} addresses"),
                );
                return false;
            }
            list.iter().all(|u| self.url("sources", u))
        });
        Provenance {
            precision,
            confidence,
            sources: sources.map(|s| s.split_whitespace().collect::<Vec<_>>().join(" ")),
        }
    }

    /// Faults every non-empty cell this record does not read.
    fn unused(&mut self, record: &str) {
        for (i, column) in COLUMNS.iter().enumerate() {
            let filled = self.values[i].is_some_and(|v| !v.trim().is_empty());
            if filled && !self.read.contains(column) {
                self.fault(
                    column,
                    format!("is not used by `{record}` lines: leave it empty"),
                );
            }
        }
    }
}

/// At most 40 characters of a value, for a message.
fn short(v: &str) -> String {
    let mut s: String = v.chars().take(40).collect();
    if v.chars().count() > 40 {
        s.push('…');
    }
    s
}

fn report_kind(cells: &mut Cells<'_>) -> Option<ReportKind> {
    match cells.one_of("kind", &["initial", "annual"])?.as_str() {
        "initial" => Some(ReportKind::Initial),
        _ => Some(ReportKind::Annual),
    }
}

fn article_kind(cells: &mut Cells<'_>) -> Option<ObligationKind> {
    match cells
        .one_of("kind", &["stockpile_destruction", "clearance"])?
        .as_str()
    {
        "stockpile_destruction" => Some(ObligationKind::StockpileDestruction),
        _ => Some(ObligationKind::Clearance),
    }
}

fn parse_line(cells: &mut Cells<'_>, today: NaiveDate) -> Option<(String, Record)> {
    let record = cells.required("record").map(|r| r.to_lowercase());
    let state = cells.required("state").map(|s| s.to_uppercase());
    if let Some(s) = &state
        && (s.len() != 3 || !s.bytes().all(|b| b.is_ascii_uppercase()))
    {
        let s = s.clone();
        cells.fault(
            "state",
            format!("`{}` is not an ISO alpha-3 code", short(&s)),
        );
    }
    cells.required("kind");
    let not_future = |cells: &mut Cells<'_>, column: &str, d: Option<NaiveDate>| {
        if d.is_some_and(|d| d > today) {
            cells.fault(column, format!("lies in the future (today is {today})"));
        }
    };
    let parsed = match record.as_deref()? {
        "report" => {
            let kind = report_kind(cells);
            let year = cells.text("year");
            let year = match (kind, year) {
                (_, Some(y)) => match y.parse::<i32>() {
                    Ok(y) if validate::YEARS.contains(&y) => Some(y),
                    _ => {
                        cells.fault("year", format!("`{}` is not a year from 2010", short(&y)));
                        None
                    }
                },
                (Some(ReportKind::Annual), None) => {
                    cells.fault("year", "is required for an annual report");
                    None
                }
                _ => None,
            };
            let submitted_on = cells.date("submitted_on", true);
            not_future(cells, "submitted_on", submitted_on);
            let link = cells
                .bounded("link", MAX_URL)
                .filter(|l| cells.url("link", &l.clone()));
            Record::Report {
                kind: kind?,
                year,
                submitted_on: submitted_on?,
                link,
            }
        }
        "extension" => {
            let kind = article_kind(cells);
            let previous_deadline = cells.date("previous_deadline", true);
            let new_deadline = cells.date("new_deadline", true);
            if let (Some(p), Some(n)) = (previous_deadline, new_deadline)
                && n <= p
            {
                cells.fault(
                    "new_deadline",
                    format!("{n} is not after the previous deadline, {p}"),
                );
            }
            let granted_on = cells.date("granted_on", true);
            not_future(cells, "granted_on", granted_on);
            let granted_on_precision = cells.precision("granted_on_precision");
            let granted_at = cells.bounded("granted_at", BRIEF_TEXT);
            if granted_at.is_none() && cells.faults.iter().all(|f| f.field != "granted_at") {
                cells.fault(
                    "granted_at",
                    "is required: the meeting that granted it, e.g. 9MSP",
                );
            }
            let reference = cells.bounded("reference", SHORT_TEXT);
            let provenance = cells.provenance();
            Record::Extension {
                kind: kind?,
                previous_deadline: previous_deadline?,
                new_deadline: new_deadline?,
                granted_on: granted_on?,
                granted_on_precision,
                granted_at: granted_at?,
                reference,
                provenance,
            }
        }
        "completion" => {
            let kind = article_kind(cells);
            let completed_on = cells.date("completed_on", true);
            not_future(cells, "completed_on", completed_on);
            let declared = cells.bounded("declared", ENTRY_TEXT);
            let provenance = cells.provenance();
            Record::Completion {
                kind: kind?,
                completed_on: completed_on?,
                declared,
                provenance,
            }
        }
        "records_begin" => {
            let kinds = match cells
                .one_of(
                    "kind",
                    &[
                        "initial",
                        "annual",
                        "stockpile_destruction",
                        "clearance",
                        "all",
                    ],
                )
                .as_deref()
            {
                Some("initial") => Some(vec![ObligationKind::InitialTransparencyReport]),
                Some("annual") => Some(vec![ObligationKind::AnnualTransparencyReport]),
                Some("stockpile_destruction") => Some(vec![ObligationKind::StockpileDestruction]),
                Some("clearance") => Some(vec![ObligationKind::Clearance]),
                Some(_) => Some(ObligationKind::ALL.to_vec()),
                None => None,
            };
            let since = cells.date("since", true);
            not_future(cells, "since", since);
            Record::RecordsBegin {
                kinds: kinds?,
                since: since?,
            }
        }
        other => {
            let other = other.to_owned();
            cells.fault(
                "record",
                format!(
                    "`{}` is not one of report, extension, completion, records_begin",
                    short(&other)
                ),
            );
            return None;
        }
    };
    let name = record.unwrap_or_default();
    cells.unused(&name);
    Some((state?, parsed))
}

/// Parses a whole file: its lines, or every fault found (at most [`MAX_FAULTS`], then one
/// entry saying how many more).
pub fn parse(text: &str, today: NaiveDate) -> Result<Vec<Line>, Vec<Fault>> {
    let file_fault = |reason: String| {
        vec![Fault {
            line: 1,
            field: "file".into(),
            reason,
        }]
    };
    if text.len() > MAX_BYTES {
        return Err(file_fault(format!(
            "the file is larger than {} MiB",
            MAX_BYTES / 1024 / 1024
        )));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Err(e) => return Err(file_fault(format!("the header cannot be read: {e}"))),
    };
    let mut faults = Vec::new();
    let mut positions = Vec::new();
    for (i, name) in header.iter().enumerate() {
        match COLUMNS.iter().position(|c| c == name) {
            Some(p) if positions.iter().any(|(q, _)| *q == p) => faults.push(Fault {
                line: 1,
                field: name.clone(),
                reason: "appears twice in the header".into(),
            }),
            Some(p) => positions.push((p, i)),
            None => faults.push(Fault {
                line: 1,
                field: short(name),
                reason: format!("is not a column of a history file ({})", COLUMNS.join(", ")),
            }),
        }
    }
    for required in ["record", "state", "kind"] {
        if !header.iter().any(|h| h == required) {
            faults.push(Fault {
                line: 1,
                field: required.into(),
                reason: "the header must name this column".into(),
            });
        }
    }
    if !faults.is_empty() {
        return Err(faults);
    }
    let mut lines = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut line = 1;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let at = e.position().map_or(line + 1, |p| p.line() as usize);
                faults.push(Fault {
                    line: at,
                    field: "file".into(),
                    reason: format!("cannot be read as CSV: {e}"),
                });
                break;
            }
        }
        // A record's position is where reading began, blank lines before it included.
        line = crate::kernel::csv_lines::line_of(text, &record, line);
        if lines.len() + faults.len() >= MAX_LINES {
            faults.push(Fault {
                line,
                field: "file".into(),
                reason: format!("a file holds at most {MAX_LINES} lines"),
            });
            break;
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut values = vec![None; COLUMNS.len()];
        for (p, i) in &positions {
            values[*p] = record.get(*i);
        }
        let mut cells = Cells {
            line,
            values,
            faults: &mut faults,
            read: Vec::new(),
        };
        if let Some((state, parsed)) = parse_line(&mut cells, today) {
            lines.push(Line {
                line,
                state,
                record: parsed,
            });
        }
    }
    if faults.is_empty() {
        Ok(lines)
    } else {
        Err(faults)
    }
}

/// Cuts `faults` to [`MAX_FAULTS`], with one more entry saying how many were left out.
pub fn capped(mut faults: Vec<Fault>) -> Vec<Fault> {
    faults.sort_by_key(|f| f.line);
    if faults.len() > MAX_FAULTS {
        let more = faults.len() - MAX_FAULTS;
        let last = faults[MAX_FAULTS].line;
        faults.truncate(MAX_FAULTS);
        faults.push(Fault {
            line: last,
            field: "file".into(),
            reason: format!("{more} more faults from this line on are not listed"),
        });
    }
    faults
}

#[cfg(test)]
mod tests;
