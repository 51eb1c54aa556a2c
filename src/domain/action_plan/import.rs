//! Importing an action plan from a CSV file (README, "Action plans: import"): the plan's
//! actions and their indicators, as adopted, for the ISU to load; the project ships no
//! adopted wording of its own.
//!
//! The command line imports a whole file (`ccm-isu action-plan import`); through the API the
//! same plan is built by calling `createActionPlan`, `addPlanAction` and `addActionIndicator`
//! in that order. A file is imported whole or not at all:
//! - [`parse`] reads it and checks every line on its own, with the checks the mutations
//!   apply ([`super::plans`]), and across lines (an action's section and text agree on every
//!   line that names it; an indicator code appears once). Every bad line is listed.
//! - [`import`] checks it against the database (the plan of exactly that title and those
//!   years is reused, another plan over any of them refuses the file; an action or an
//!   indicator already in the plan must be as the file gives it), then writes what is new in
//!   one transaction with one audit entry (`ActionPlanImport`, its id the file's SHA-256,
//!   with the counts). A file that adds nothing writes nothing, not even an entry: importing
//!   the same file again changes nothing. What the plan holds that the file does not name
//!   stays.
//!
//! Refusals are under `input.csv.<line>.<column>` (the header is line 1), each message
//! starting `line <n>:`; at most [`MAX_FAULTS`] are listed.

use std::collections::HashMap;

use entity::enums::{IndicatorComputation, IndicatorUnit};
use entity::{action_indicator, action_plan, action_plan_year, plan_action};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, Iterable,
    QueryFilter, Set,
};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::plans::{self, Fields, NewIndicator, check_action, check_indicator, check_plan};
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusal, Refusals, ServiceError};
use crate::kernel::uow::Uow;

/// The header a file must have, exactly, in this order.
pub const COLUMNS: [&str; 11] = [
    "section",
    "action_number",
    "action_text",
    "indicator_code",
    "indicator_text",
    "unit",
    "computation",
    "population",
    "baseline_year",
    "baseline",
    "target",
];
/// The indicator's columns: all empty on the line of an action without indicators.
const INDICATOR_COLUMNS: std::ops::Range<usize> = 3..11;
/// Most rows of one file (the header and blank lines aside).
pub const MAX_ROWS: usize = 1_000;
/// Most bytes of one file.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// Most faults listed for one file: past it, one more entry says how many were left out.
pub const MAX_FAULTS: usize = 200;
/// Most digits before the decimal point of a baseline or target (the checks bound it further).
const MAX_DIGITS: usize = 9;

/// The plan a file is imported into: reused when one has exactly this title and these
/// years, created when no plan covers any of them.
#[derive(Clone, Debug)]
pub struct PlanHeading {
    pub title: String,
    pub first_year: i32,
    pub last_year: i32,
}

/// An action as the file gives it, from the first line that names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileAction {
    pub line: usize,
    pub number: i32,
    /// Trimmed, as stored.
    pub section: String,
    pub text: String,
}

/// An indicator as the file gives it, checked as `addActionIndicator` checks it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileIndicator {
    pub line: usize,
    /// The number of its action.
    pub action: i32,
    pub code: String,
    pub text: String,
    pub unit: IndicatorUnit,
    pub computation: IndicatorComputation,
    pub population: Option<String>,
    pub baseline_year: Option<i32>,
    pub baseline_tenths: Option<i64>,
    pub target_tenths: Option<i64>,
}

/// A file, parsed and checked line by line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanFile {
    /// Rows read (blank lines aside).
    pub rows: usize,
    /// In the order they first appear.
    pub actions: Vec<FileAction>,
    pub indicators: Vec<FileIndicator>,
}

/// What one kind of row did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub created: usize,
    pub unchanged: usize,
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Hex SHA-256 of the file's bytes: the audit entry's id.
    pub sha256: String,
    /// Rows read (blank lines aside).
    pub rows: usize,
    pub plan_id: Uuid,
    /// False when the plan was there already.
    pub plan_created: bool,
    pub actions: Counts,
    pub indicators: Counts,
}

impl Summary {
    /// Whether the import changed anything.
    pub fn changed(&self) -> bool {
        self.plan_created || self.actions.created + self.indicators.created > 0
    }
}

/// One fault: the line (the header is 1), the column (or `file`) and the refusal, whose
/// message starts with the line.
type Fault = (usize, Refusal);

fn fault(line: usize, column: &str, message: impl std::fmt::Display) -> Fault {
    let at = line.to_string();
    (
        line,
        Refusal::new(
            Code::InvalidInput,
            &["input", "csv", &at, column],
            format!("line {line}: {message}"),
        ),
    )
}

/// The refusal of a file: its faults by line, at most [`MAX_FAULTS`], then one entry
/// saying how many more there are.
fn refused(mut faults: Vec<Fault>) -> ServiceError {
    faults.sort_by_key(|(line, _)| *line);
    if faults.len() > MAX_FAULTS {
        let more = faults.len() - MAX_FAULTS;
        let from = faults[MAX_FAULTS].0;
        faults.truncate(MAX_FAULTS);
        faults.push(fault(
            from,
            "file",
            format!("{more} more faults from this line on are not listed"),
        ));
    }
    ServiceError::Refused(faults.into_iter().map(|(_, r)| r).collect())
}

/// The refusals the shared checks pushed for `line`, each message starting with the line.
fn of_line(line: usize, r: Refusals) -> Vec<Fault> {
    match r.finish() {
        Ok(()) => Vec::new(),
        Err(ServiceError::Refused(list)) => list
            .into_iter()
            .map(|mut refusal| {
                refusal.message = format!("line {line}: {}", refusal.message);
                (line, refusal)
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// The column of an action's field, as the shared checks name it.
fn action_column(field: &'static str) -> &'static str {
    match field {
        "number" => "action_number",
        "text" => "action_text",
        other => other,
    }
}

/// The column of an indicator's field, as the shared checks name it.
fn indicator_column(field: &'static str) -> &'static str {
    match field {
        "code" => "indicator_code",
        "text" => "indicator_text",
        "baselineYear" => "baseline_year",
        other => other,
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

/// A value of a string-backed enum, written as stored (`PERCENT`, `RECORDED`).
fn enum_cell<E: ActiveEnum<Value = String> + Iterable>(
    faults: &mut Vec<Fault>,
    line: usize,
    column: &str,
    cell: &str,
) -> Option<E> {
    if cell.is_empty() {
        faults.push(fault(line, column, format!("`{column}` is required")));
        return None;
    }
    E::try_from_value(&cell.to_owned()).ok().or_else(|| {
        let allowed: Vec<String> = E::iter().map(|e| e.to_value()).collect();
        faults.push(fault(
            line,
            column,
            format!(
                "`{column}` `{}` is not one of {}",
                short(cell),
                allowed.join(", ")
            ),
        ));
        None
    })
}

/// A whole number, or None for an empty cell; Err(()) after a fault.
fn whole(
    faults: &mut Vec<Fault>,
    line: usize,
    column: &str,
    cell: &str,
) -> Result<Option<i32>, ()> {
    if cell.is_empty() {
        return Ok(None);
    }
    match cell.parse::<i32>() {
        Ok(n) => Ok(Some(n)),
        Err(_) => {
            faults.push(fault(
                line,
                column,
                format!("`{column}` `{}` is not a whole number", short(cell)),
            ));
            Err(())
        }
    }
}

/// A baseline or target: digits with at most one decimal ("40", "40.5"), or None for an
/// empty cell; Err(()) after a fault. Exact: the shared check keeps tenths.
fn decimal(
    faults: &mut Vec<Fault>,
    line: usize,
    column: &str,
    cell: &str,
) -> Result<Option<f64>, ()> {
    if cell.is_empty() {
        return Ok(None);
    }
    let (whole, tenth) = cell.split_once('.').unwrap_or((cell, "0"));
    let digits = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
    };
    if digits(whole, MAX_DIGITS) && digits(tenth, 1) {
        let w: i64 = whole.parse().unwrap_or_default();
        let t: i64 = tenth.parse().unwrap_or_default();
        #[allow(clippy::cast_precision_loss)] // At most 10^10 tenths: exact in an f64.
        return Ok(Some((w * 10 + t) as f64 / 10.0));
    }
    faults.push(fault(
        line,
        column,
        format!(
            "`{column}` `{}` is not a number with at most one decimal, e.g. 40.5",
            short(cell)
        ),
    ));
    Err(())
}

/// Reads one row (already of the header's width) into `file`, or its faults.
fn parse_row(
    line: usize,
    cells: &[&str],
    file: &mut PlanFile,
    actions: &mut HashMap<i32, usize>,
    codes: &mut HashMap<String, usize>,
    faults: &mut Vec<Fault>,
) {
    let before = faults.len();
    let at = line.to_string();
    let prefix = ["input", "csv", at.as_str()];
    let cell = |column: &str| {
        COLUMNS
            .iter()
            .position(|c| *c == column)
            .and_then(|i| cells.get(i))
            .map_or("", |c| c.trim())
    };

    let number = match whole(faults, line, "action_number", cell("action_number")) {
        Ok(None) => {
            faults.push(fault(line, "action_number", "`action_number` is required"));
            None
        }
        Ok(Some(n)) => Some(n),
        Err(()) => None,
    };
    let mut r = Refusals::default();
    let action_fields = Fields {
        prefix: &prefix,
        name: action_column,
    };
    // A number that did not parse is faulted above: 1 stands in so that the section and
    // text are still checked.
    check_action(
        &mut r,
        action_fields,
        number.unwrap_or(1),
        cell("section"),
        cell("action_text"),
    );

    let has_indicator = INDICATOR_COLUMNS
        .clone()
        .any(|i| cells.get(i).is_some_and(|c| !c.trim().is_empty()));
    let mut indicator = None;
    if has_indicator {
        let unit = enum_cell::<IndicatorUnit>(faults, line, "unit", cell("unit"));
        let computation =
            enum_cell::<IndicatorComputation>(faults, line, "computation", cell("computation"));
        let baseline_year = whole(faults, line, "baseline_year", cell("baseline_year"));
        let baseline = decimal(faults, line, "baseline", cell("baseline"));
        let target = decimal(faults, line, "target", cell("target"));
        let population = Some(cell("population").to_owned()).filter(|p| !p.is_empty());
        // What did not parse is faulted above and stands in neutrally here, so that the
        // rest of the line is still checked.
        let new = NewIndicator {
            action_id: Uuid::nil(),
            code: cell("indicator_code").to_owned(),
            text: cell("indicator_text").to_owned(),
            unit: unit.unwrap_or(IndicatorUnit::Count),
            computation: computation.unwrap_or(IndicatorComputation::Recorded),
            population,
            baseline_year: baseline_year.ok().flatten(),
            baseline: baseline.ok().flatten(),
            target: target.ok().flatten(),
        };
        let checked = check_indicator(
            &mut r,
            Fields {
                prefix: &prefix,
                name: indicator_column,
            },
            &new,
        );
        if let (Some(unit), Some(computation)) = (unit, computation) {
            indicator = Some(FileIndicator {
                line,
                action: number.unwrap_or_default(),
                code: checked.code,
                text: new.text.trim().to_owned(),
                unit,
                computation,
                population: checked.population,
                baseline_year: new.baseline_year,
                baseline_tenths: checked.baseline_tenths,
                target_tenths: checked.target_tenths,
            });
        }
    }
    faults.extend(of_line(line, r));
    if faults.len() > before {
        return;
    }
    let Some(number) = number else { return };

    let section = cell("section").to_owned();
    let text = cell("action_text").to_owned();
    match actions.get(&number).and_then(|i| file.actions.get(*i)) {
        Some(first) => {
            for (column, given, earlier) in [
                ("section", &section, &first.section),
                ("action_text", &text, &first.text),
            ] {
                if given != earlier {
                    faults.push(fault(
                        line,
                        column,
                        format!(
                            "`{column}` differs from action {number}'s on line {}: every line of an action gives the same",
                            first.line
                        ),
                    ));
                }
            }
        }
        None => {
            actions.insert(number, file.actions.len());
            file.actions.push(FileAction {
                line,
                number,
                section,
                text,
            });
        }
    }
    if let Some(i) = indicator {
        if let Some(first) = codes.get(&i.code) {
            faults.push(fault(
                line,
                "indicator_code",
                format!("indicator {} is already on line {first}", i.code),
            ));
        } else {
            codes.insert(i.code.clone(), line);
            file.indicators.push(i);
        }
    }
}

/// Parses and checks a whole file: its actions and indicators, or every fault found (the
/// refusal lists at most [`MAX_FAULTS`]).
pub fn parse(text: &str) -> Result<PlanFile, ServiceError> {
    if text.len() > MAX_BYTES {
        return Err(refused(vec![fault(
            1,
            "file",
            format!("the file is larger than {} MiB", MAX_BYTES / 1024 / 1024),
        )]));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_owned()).collect(),
        Err(e) => {
            return Err(refused(vec![fault(
                1,
                "file",
                format!("the header cannot be read: {e}"),
            )]));
        }
    };
    if header != COLUMNS {
        return Err(refused(vec![fault(
            1,
            "file",
            format!(
                "the header must be exactly {} (it is {})",
                COLUMNS.join(","),
                short(&header.join(","))
            ),
        )]));
    }
    let mut file = PlanFile::default();
    let mut actions = HashMap::new();
    let mut codes = HashMap::new();
    let mut faults = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut line = 1;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let at = e.position().map_or(line + 1, |p| {
                    usize::try_from(p.line()).unwrap_or(usize::MAX)
                });
                faults.push(fault(at, "file", format!("cannot be read as CSV: {e}")));
                break;
            }
        }
        // A record's position is where reading began, blank lines before it included.
        line = crate::kernel::csv_lines::line_of(text, &record, line);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        file.rows += 1;
        if file.rows > MAX_ROWS {
            faults.push(fault(
                line,
                "file",
                format!("a file holds at most {MAX_ROWS} rows"),
            ));
            break;
        }
        if record.len() != COLUMNS.len() {
            faults.push(fault(
                line,
                "file",
                format!(
                    "has {} columns; the header has {}",
                    record.len(),
                    COLUMNS.len()
                ),
            ));
            continue;
        }
        let cells: Vec<&str> = record.iter().collect();
        parse_row(
            line,
            &cells,
            &mut file,
            &mut actions,
            &mut codes,
            &mut faults,
        );
    }
    if faults.is_empty() && file.rows == 0 {
        faults.push(fault(1, "file", "the file holds no action"));
    }
    if faults.is_empty() {
        Ok(file)
    } else {
        Err(refused(faults))
    }
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The columns in which `stored`, an indicator already in the plan, differs from `given`.
fn differences(
    given: &FileIndicator,
    stored: &action_indicator::Model,
    stored_action: Option<i32>,
) -> Vec<&'static str> {
    [
        ("action_number", stored_action != Some(given.action)),
        ("indicator_text", stored.text != given.text),
        ("unit", stored.unit != given.unit),
        ("computation", stored.computation != given.computation),
        ("population", stored.population != given.population),
        ("baseline_year", stored.baseline_year != given.baseline_year),
        ("baseline", stored.baseline_tenths != given.baseline_tenths),
        ("target", stored.target_tenths != given.target_tenths),
    ]
    .into_iter()
    .filter_map(|(column, differs)| differs.then_some(column))
    .collect()
}

/// The faults of `file` against the plan's actions (by number) and indicators (by code).
fn against_plan(
    file: &PlanFile,
    actions: &HashMap<i32, plan_action::Model>,
    indicators: &HashMap<String, action_indicator::Model>,
) -> Vec<Fault> {
    let mut faults = Vec::new();
    for a in &file.actions {
        let Some(stored) = actions.get(&a.number) else {
            continue;
        };
        for (column, differs) in [
            ("section", stored.section != a.section),
            ("action_text", stored.text != a.text),
        ] {
            if differs {
                faults.push(fault(
                    a.line,
                    column,
                    format!(
                        "action {} is already in the plan with another `{column}`: an import adds to a plan, it does not change it",
                        a.number
                    ),
                ));
            }
        }
    }
    let numbers: HashMap<Uuid, i32> = actions.values().map(|a| (a.id, a.number)).collect();
    for i in &file.indicators {
        let Some(stored) = indicators.get(&i.code) else {
            continue;
        };
        let differ = differences(i, stored, numbers.get(&stored.action_id).copied());
        if let Some(first) = differ.first() {
            faults.push(fault(
                i.line,
                first,
                format!(
                    "indicator {} is already in the plan with another {}: an import adds to a plan, it does not change it",
                    i.code,
                    differ
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    faults
}

fn concurrent() -> ServiceError {
    ServiceError::refused(
        Code::Conflict,
        &["input", "csv"],
        "The plan was being written at the same time: try again.",
    )
}

/// Parses, checks and writes `text` (named `name` in the audit entry) into the plan of
/// `heading`; `actor` is None for the system (the command line, the demo).
pub async fn import(
    db: &DatabaseConnection,
    actor: Option<Uuid>,
    action: &'static str,
    heading: &PlanHeading,
    name: &str,
    text: &str,
) -> Result<Summary, ServiceError> {
    let mut r = Refusals::default();
    check_plan(
        &mut r,
        &heading.title,
        heading.first_year,
        heading.last_year,
    );
    r.finish()?;
    let file = parse(text)?;
    let title = heading.title.trim();
    let (first, last) = (heading.first_year, heading.last_year);

    let uow = Uow::begin(db, actor, action).await?;
    let txn = uow.txn();
    let plan = match plans::overlapping(txn, first, last).await? {
        Some(p) if p.title == title && p.first_year == first && p.last_year == last => Some(p),
        Some(p) => {
            uow.rollback().await?;
            return Err(ServiceError::refused(
                Code::AlreadyExists,
                &["input", "firstYear"],
                format!(
                    "The years overlap {} ({}–{}): a file goes into the plan of exactly its title and years, and plans do not overlap.",
                    p.title, p.first_year, p.last_year
                ),
            ));
        }
        None => None,
    };
    let (actions, indicators) = match &plan {
        Some(p) => (
            plan_action::Entity::find()
                .filter(plan_action::Column::PlanId.eq(p.id))
                .all(txn)
                .await?
                .into_iter()
                .map(|a| (a.number, a))
                .collect(),
            action_indicator::Entity::find()
                .filter(action_indicator::Column::PlanId.eq(p.id))
                .all(txn)
                .await?
                .into_iter()
                .map(|i| (i.code.clone(), i))
                .collect(),
        ),
        None => (HashMap::new(), HashMap::new()),
    };
    let faults = against_plan(&file, &actions, &indicators);
    if !faults.is_empty() {
        uow.rollback().await?;
        return Err(refused(faults));
    }

    let t = now();
    let plan_created = plan.is_none();
    let plan = match plan {
        Some(p) => p,
        None => {
            let created = action_plan::ActiveModel {
                id: Set(Uuid::now_v7()),
                title: Set(title.to_owned()),
                adopted_at_meeting_id: Set(None),
                first_year: Set(first),
                last_year: Set(last),
                created_at: Set(t),
                updated_at: Set(t),
            }
            .insert(txn)
            .await?;
            // One row per year, keyed by the year: a plan written at the same time over
            // one of these years fails here.
            let years = (first..=last).map(|year| action_plan_year::ActiveModel {
                year: Set(year),
                plan_id: Set(created.id),
            });
            let written = action_plan_year::Entity::insert_many(years)
                .exec_without_returning(txn)
                .await
                .map_err(ServiceError::from);
            match written {
                Err(e) if e.is_unique_violation() => {
                    uow.rollback().await?;
                    return Err(concurrent());
                }
                other => other?,
            };
            created
        }
    };

    let mut summary = Summary {
        sha256: sha256_hex(text),
        rows: file.rows,
        plan_id: plan.id,
        plan_created,
        actions: Counts::default(),
        indicators: Counts::default(),
    };
    let mut action_ids: HashMap<i32, Uuid> = actions.values().map(|a| (a.number, a.id)).collect();
    let mut new_actions = Vec::new();
    for a in &file.actions {
        if actions.contains_key(&a.number) {
            summary.actions.unchanged += 1;
            continue;
        }
        let id = Uuid::now_v7();
        action_ids.insert(a.number, id);
        new_actions.push(plan_action::ActiveModel {
            id: Set(id),
            plan_id: Set(plan.id),
            number: Set(a.number),
            section: Set(a.section.clone()),
            text: Set(a.text.clone()),
            created_at: Set(t),
        });
    }
    summary.actions.created = new_actions.len();
    let mut new_indicators = Vec::new();
    for i in &file.indicators {
        if indicators.contains_key(&i.code) {
            summary.indicators.unchanged += 1;
            continue;
        }
        let action_id = action_ids
            .get(&i.action)
            .copied()
            .ok_or_else(|| ServiceError::Internal("an indicator without its action".into()))?;
        new_indicators.push(action_indicator::ActiveModel {
            id: Set(Uuid::now_v7()),
            plan_id: Set(plan.id),
            action_id: Set(action_id),
            code: Set(i.code.clone()),
            text: Set(i.text.clone()),
            unit: Set(i.unit),
            computation: Set(i.computation),
            population: Set(i.population.clone()),
            baseline_year: Set(i.baseline_year),
            baseline_tenths: Set(i.baseline_tenths),
            target_tenths: Set(i.target_tenths),
            created_at: Set(t),
        });
    }
    summary.indicators.created = new_indicators.len();
    if !summary.changed() {
        uow.rollback().await?;
        return Ok(summary);
    }

    // In batches, well within either database's limit on a statement's parameters.
    let mut written = Ok(());
    for batch in new_actions.chunks(100) {
        written = plan_action::Entity::insert_many(batch.to_vec())
            .exec_without_returning(txn)
            .await
            .map(|_| ());
        if written.is_err() {
            break;
        }
    }
    if written.is_ok() {
        for batch in new_indicators.chunks(100) {
            written = action_indicator::Entity::insert_many(batch.to_vec())
                .exec_without_returning(txn)
                .await
                .map(|_| ());
            if written.is_err() {
                break;
            }
        }
    }
    match written.map_err(ServiceError::from) {
        Err(e) if e.is_unique_violation() => {
            uow.rollback().await?;
            return Err(concurrent());
        }
        other => other?,
    }
    uow.record(
        "ActionPlanImport",
        &summary.sha256,
        None,
        Some(json!({
            "file": name,
            "plan": {"id": plan.id, "title": plan.title, "firstYear": plan.first_year,
                     "lastYear": plan.last_year},
            "summary": summary,
        })),
    )
    .await?;
    uow.commit().await?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "section,action_number,action_text,indicator_code,indicator_text,unit,computation,population,baseline_year,baseline,target\n";

    fn file(rows: &str) -> Result<PlanFile, ServiceError> {
        parse(&format!("{HEADER}{rows}"))
    }

    /// The refusals' (field path, message).
    fn faults(rows: &str) -> Vec<(String, String)> {
        match file(rows) {
            Err(ServiceError::Refused(r)) => r
                .into_iter()
                .map(|r| (r.field.unwrap_or_default().join("."), r.message))
                .collect(),
            other => panic!("refused: {other:?}"),
        }
    }

    #[test]
    fn rows_of_one_action_make_one_action_and_its_indicators() {
        let f = file(
            "Transparency,44,Report.,44.1,Share on time,PERCENT,RECORDED,States parties,2020,40.5,100\n\
             Transparency,44,Report.,44.2,On time,PERCENT,ANNUAL_REPORTS_ON_TIME,,,,\n\
             \n\
             Universalization,10,Join.,,,,,,,,\n",
        )
        .expect("parses");
        assert_eq!(f.rows, 3);
        assert_eq!(
            f.actions
                .iter()
                .map(|a| (a.line, a.number))
                .collect::<Vec<_>>(),
            [(2, 44), (5, 10)]
        );
        assert_eq!(f.indicators.len(), 2);
        assert_eq!(f.indicators[0].baseline_tenths, Some(405));
        assert_eq!(f.indicators[0].target_tenths, Some(1000));
        assert_eq!(
            f.indicators[0].population.as_deref(),
            Some("States parties")
        );
        assert_eq!(f.indicators[1].population, None);
        assert_eq!(
            f.indicators[1].computation,
            IndicatorComputation::AnnualReportsOnTime
        );
    }

    #[test]
    fn every_bad_line_is_listed_with_its_line_and_column() {
        let found = faults(
            "S,1,T,1.1,I,COUNT,RECORDED,,,,\n\
             S,1,T,1.2,I,PERCENTS,RECORDED,,,,\n\
             S,1,T,1.3,I,COUNT,GUESSED,,,,\n\
             S,1,T,1.1,I,COUNT,RECORDED,,,,\n\
             S,1,Other,1.4,I,COUNT,RECORDED,,,,\n\
             S,2,T,2.1,I,COUNT,RECORDED,,,forty,\n\
             S,3,T,3.1,I,COUNT,RECORDED,,\n\
             S,4,T,4.1,I,PERCENT,RECORDED,,,40.55,101\n\
             S,x,T,,,,,,,,\n\
             S,5,T,5.1,I,PERCENT,NEW_STATES_PARTIES,,1999,,\n",
        );
        let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "input.csv.3.unit",
                "input.csv.4.computation",
                "input.csv.5.indicator_code",
                "input.csv.6.action_text",
                "input.csv.7.baseline",
                "input.csv.8.file",
                "input.csv.9.baseline",
                "input.csv.9.target",
                "input.csv.10.action_number",
                "input.csv.11.baseline_year",
                "input.csv.11.unit",
            ],
            "{found:?}"
        );
        assert!(
            found[0]
                .1
                .starts_with("line 3: `unit` `PERCENTS` is not one of PERCENT, COUNT")
        );
        assert_eq!(found[2].1, "line 5: indicator 1.1 is already on line 2");
        assert!(
            found[3].1.contains("differs from action 1's on line 2"),
            "{found:?}"
        );
        assert_eq!(
            found[7].1,
            "line 9: `target` must be a number from 0 to 100."
        );
    }

    #[test]
    fn the_header_is_exact_and_the_file_not_empty() {
        let wrong = parse("section,action_number\nS,1\n");
        assert!(
            matches!(wrong, Err(ServiceError::Refused(r)) if r[0].message.starts_with("line 1: the header must be exactly"))
        );
        assert!(
            matches!(parse(HEADER), Err(ServiceError::Refused(r)) if r[0].message == "line 1: the file holds no action")
        );
    }

    #[test]
    fn texts_with_control_characters_and_empty_indicator_fields_are_refused() {
        let found = faults("S\u{7},1,T,1.1,,COUNT,RECORDED,,,,\n");
        let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            ["input.csv.2.section", "input.csv.2.indicator_text"]
        );
    }

    #[test]
    fn more_faults_than_the_cap_are_counted_not_listed() {
        let rows = "S,1,T,1.1,I,BAD,RECORDED,,,,\n".repeat(MAX_FAULTS + 5);
        let found = faults(&rows);
        assert_eq!(found.len(), MAX_FAULTS + 1);
        assert!(
            found[MAX_FAULTS]
                .1
                .ends_with("5 more faults from this line on are not listed")
        );
    }
}
