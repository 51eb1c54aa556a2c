//! The obligations engine (docs/domain.md §3): what a State owes under Articles 3, 4 and 7, on a
//! date T, with due dates, extensions, status and fulfilment.

use chrono::{Datelike, Days, Months, NaiveDate};

use super::{
    ExtensionFact, ExtensionRefusal, Obligation, ObligationKind, ObligationStatus, RecordsBegin,
    ReportFact, ReportKind, Rules, Standing, StateFacts, entry_into_force,
};

/// Article 7(1): the initial report is due 180 days after entry into force.
pub const INITIAL_REPORT_DAYS: u64 = 180;
/// Article 3(2): eight years to destroy stockpiles.
pub const STOCKPILE_MONTHS: u32 = 8 * 12;
/// Article 4(1): ten years to clear contaminated areas.
pub const CLEARANCE_MONTHS: u32 = 10 * 12;
/// Article 3(3): one extension moves the stockpile deadline by at most four years.
pub const STOCKPILE_EXTENSION_MONTHS: u32 = 4 * 12;
/// Article 4(5): one extension moves the clearance deadline by at most five years.
pub const CLEARANCE_EXTENSION_MONTHS: u32 = 5 * 12;

/// Entry into force of a bound State, or None when it owes nothing.
fn bound_entry_into_force(state: &StateFacts) -> Option<NaiveDate> {
    match state.standing {
        Standing::StateParty | Standing::Withdrawn => state.deposit_date.map(entry_into_force),
        Standing::NotBound => None,
    }
}

fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// 30 April of `year`.
fn april_30(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 4, 30)
}

/// The status rule: MET when fulfilled; else, after the due date, NOT_RECORDED when it fell
/// due before `records_begin` (the day the records of its State and kind begin) and
/// OVERDUE otherwise; DUE_SOON within `rules.due_soon_days`; else UPCOMING.
pub fn status(
    due: NaiveDate,
    fulfilled_on: Option<NaiveDate>,
    records_begin: Option<NaiveDate>,
    today: NaiveDate,
    rules: &Rules,
) -> ObligationStatus {
    if fulfilled_on.is_some() {
        return ObligationStatus::Met;
    }
    let days = (due - today).num_days();
    if days < 0 {
        if records_begin.is_some_and(|since| due < since) {
            ObligationStatus::NotRecorded
        } else {
            ObligationStatus::Overdue
        }
    } else if days <= rules.due_soon_days {
        ObligationStatus::DueSoon
    } else {
        ObligationStatus::Upcoming
    }
}

/// A deadline: the treaty date and the date in force after extensions.
#[derive(Clone, Copy)]
struct Deadline {
    original: NaiveDate,
    in_force: NaiveDate,
    extended: bool,
}

impl Deadline {
    fn treaty(d: NaiveDate) -> Self {
        Self {
            original: d,
            in_force: d,
            extended: false,
        }
    }
}

/// When one obligation is computed: the day, the State's records and the rule values.
#[derive(Clone, Copy)]
struct AsOf<'a> {
    today: NaiveDate,
    records_begin: &'a RecordsBegin,
    rules: &'a Rules,
}

fn make(
    kind: ObligationKind,
    reporting_year: Option<i32>,
    deadline: Deadline,
    fulfilled_on: Option<NaiveDate>,
    at: AsOf<'_>,
) -> Obligation {
    let today = at.today;
    Obligation {
        kind,
        reporting_year,
        due_date: deadline.in_force,
        original_due_date: deadline.original,
        extended: deadline.extended,
        status: status(
            deadline.in_force,
            fulfilled_on,
            at.records_begin.of(kind),
            today,
            at.rules,
        ),
        fulfilled_on,
        days_remaining: (deadline.in_force - today).num_days(),
    }
}

/// The treaty deadline of an Article 3 or 4 obligation, and the deadline in force after the
/// extensions of that kind (the latest one).
fn extended_deadline(
    treaty: NaiveDate,
    kind: ObligationKind,
    extensions: &[ExtensionFact],
) -> Deadline {
    extensions
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| e.new_deadline)
        .max()
        .map_or(Deadline::treaty(treaty), |d| Deadline {
            original: treaty,
            in_force: d,
            extended: true,
        })
}

/// Whether an Article 3 or 4 obligation binds the State: it holds stockpiles (is
/// contaminated), or a completion or an extension of that kind is recorded, each of which
/// shows the obligation existed.
fn applies(state: &StateFacts, extensions: &[ExtensionFact], kind: ObligationKind) -> bool {
    let (flag, completed) = match kind {
        ObligationKind::StockpileDestruction => (
            state.holds_stockpiles,
            state.stockpile_destruction_completed_on,
        ),
        ObligationKind::Clearance => (state.contaminated, state.clearance_completed_on),
        ObligationKind::InitialTransparencyReport | ObligationKind::AnnualTransparencyReport => {
            return true;
        }
    };
    flag || completed.is_some() || extensions.iter().any(|e| e.kind == kind)
}

fn earliest_submission(
    reports: &[ReportFact],
    kind: ReportKind,
    year: Option<i32>,
) -> Option<NaiveDate> {
    reports
        .iter()
        .filter(|r| r.kind == kind && year.is_none_or(|y| r.reporting_year == y))
        .filter_map(|r| r.submitted_on)
        .min()
}

/// Every obligation of `state` as of `today`, in due-date order (ties: kind order, then
/// reporting year).
///
/// - Only a bound State (party or withdrawn) with a deposit date owes anything.
/// - Initial report: entry into force + 180 days, always listed.
/// - Annual reports: one for every 30 April strictly after the initial report's due date,
///   covering the year before; listed from the first up to and including the first one due
///   after `today` (a report due on `today` is not "after" it).
/// - Stockpile destruction (+ 96 months) and clearance (+ 120 months) when they apply (the
///   flag, a completion or an extension of that kind); the due date in force is the latest
///   extension of that kind, `original_due_date` the treaty's.
/// - With a withdrawal date recorded, whatever is due (in force) after it is dropped.
/// - Fulfilment: the earliest submission of the matching report (drafts never count, late
///   ones do), or the recorded completion date.
/// - Status: [`status`], with the day the State's records of that kind begin.
pub fn obligations(
    state: &StateFacts,
    reports: &[ReportFact],
    extensions: &[ExtensionFact],
    today: NaiveDate,
    rules: &Rules,
) -> Vec<Obligation> {
    let Some(eif) = bound_entry_into_force(state) else {
        return Vec::new();
    };
    let at = AsOf {
        today,
        records_begin: &state.records_begin,
        rules,
    };
    let mut list = Vec::new();

    // Article 7(1).
    let initial_due = eif
        .checked_add_days(Days::new(INITIAL_REPORT_DAYS))
        .unwrap_or(NaiveDate::MAX);
    list.push(make(
        ObligationKind::InitialTransparencyReport,
        None,
        Deadline::treaty(initial_due),
        earliest_submission(reports, ReportKind::Initial, None),
        at,
    ));

    // Article 7(2): every 30 April strictly after the initial report's due date, up to and
    // including the first one due after today.
    let mut year = initial_due.year();
    while let Some(due) = april_30(year) {
        if due > initial_due {
            let covered = year - 1;
            list.push(make(
                ObligationKind::AnnualTransparencyReport,
                Some(covered),
                Deadline::treaty(due),
                earliest_submission(reports, ReportKind::Annual, Some(covered)),
                at,
            ));
            if due > today {
                break;
            }
        }
        year += 1;
    }

    // Article 3.
    if applies(state, extensions, ObligationKind::StockpileDestruction) {
        let treaty = add_months(eif, STOCKPILE_MONTHS);
        list.push(make(
            ObligationKind::StockpileDestruction,
            None,
            extended_deadline(treaty, ObligationKind::StockpileDestruction, extensions),
            state.stockpile_destruction_completed_on,
            at,
        ));
    }

    // Article 4.
    if applies(state, extensions, ObligationKind::Clearance) {
        let treaty = add_months(eif, CLEARANCE_MONTHS);
        list.push(make(
            ObligationKind::Clearance,
            None,
            extended_deadline(treaty, ObligationKind::Clearance, extensions),
            state.clearance_completed_on,
            at,
        ));
    }

    // Article 20: a withdrawn State owes nothing due after its withdrawal took effect (the
    // due date in force, after extensions). A State party that has notified its withdrawal
    // and recorded the date it takes effect is treated the same: nothing falling due after
    // that date will be owed.
    if let Some(withdrawal) = state.withdrawal_effective_date {
        list.retain(|o| o.due_date <= withdrawal);
    }

    list.sort_by_key(|o| (o.due_date, o.kind, o.reporting_year));
    list
}

/// Checks a new extension of `kind` to `new_deadline` against the State's obligations and
/// the extensions already granted: it must lie after the deadline in force and at most one
/// treaty step after it (Article 3(3): 48 months; Article 4(5): 60 months; exactly the step is
/// allowed). Reports, and obligations the State does not have, are `NotApplicable`.
pub fn extension_allowed(
    state: &StateFacts,
    extensions: &[ExtensionFact],
    kind: ObligationKind,
    new_deadline: NaiveDate,
) -> Result<(), ExtensionRefusal> {
    let Some(eif) = bound_entry_into_force(state) else {
        return Err(ExtensionRefusal::NotApplicable);
    };
    let (treaty, step) = match kind {
        ObligationKind::StockpileDestruction
            if applies(state, extensions, ObligationKind::StockpileDestruction) =>
        {
            (
                add_months(eif, STOCKPILE_MONTHS),
                STOCKPILE_EXTENSION_MONTHS,
            )
        }
        ObligationKind::Clearance if applies(state, extensions, ObligationKind::Clearance) => (
            add_months(eif, CLEARANCE_MONTHS),
            CLEARANCE_EXTENSION_MONTHS,
        ),
        _ => return Err(ExtensionRefusal::NotApplicable),
    };
    let current = extended_deadline(treaty, kind, extensions).in_force;
    if new_deadline <= current {
        return Err(ExtensionRefusal::NotLater { current });
    }
    let latest_allowed = add_months(current, step);
    if new_deadline > latest_allowed {
        return Err(ExtensionRefusal::TooLong {
            current,
            latest_allowed,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
