//! Table-driven and property tests of the obligations engine, one file per section, from the examples and edge
//! cases of docs/domain.md §2–§3. Expected dates in the tables were computed independently of the
//! engine (by hand and with a separate calendar), never read back from it.

use chrono::{Datelike, Duration, Months, NaiveDate};
use proptest::prelude::*;

use super::*;
use crate::rules::obligations::{
    ExtensionFact, ExtensionRefusal, ObligationKind as K, ObligationStatus as S, RecordsBegin,
    ReportFact, ReportKind, Rules, Standing, StateFacts, entry_into_force,
};

mod due_dates;
mod extensions;
mod fulfilment;
mod not_recorded;
mod properties;
mod status;
mod who_owes;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn party(deposit: &str) -> StateFacts {
    StateFacts {
        standing: Standing::StateParty,
        deposit_date: Some(d(deposit)),
        withdrawal_effective_date: None,
        holds_stockpiles: false,
        contaminated: false,
        stockpile_destruction_completed_on: None,
        clearance_completed_on: None,
        records_begin: RecordsBegin::default(),
    }
}

fn affected(deposit: &str) -> StateFacts {
    StateFacts {
        holds_stockpiles: true,
        contaminated: true,
        ..party(deposit)
    }
}

/// Lithuania: deposit 2011-03-24 (in force 2011-09-01), withdrawal effective 2025-03-06.
fn lithuania() -> StateFacts {
    StateFacts {
        standing: Standing::Withdrawn,
        withdrawal_effective_date: Some(d("2025-03-06")),
        ..party("2011-03-24")
    }
}

fn ext(kind: K, new_deadline: &str) -> ExtensionFact {
    ExtensionFact {
        kind,
        new_deadline: d(new_deadline),
    }
}

fn annual(year: i32, submitted_on: Option<&str>) -> ReportFact {
    ReportFact {
        kind: ReportKind::Annual,
        reporting_year: year,
        submitted_on: submitted_on.map(d),
    }
}

fn initial(submitted_on: Option<&str>) -> ReportFact {
    ReportFact {
        kind: ReportKind::Initial,
        reporting_year: 0,
        submitted_on: submitted_on.map(d),
    }
}

fn find(list: &[Obligation], kind: K, year: Option<i32>) -> &Obligation {
    list.iter()
        .find(|o| o.kind == kind && o.reporting_year == year)
        .unwrap_or_else(|| panic!("no {kind:?} {year:?} in {list:#?}"))
}

fn has(list: &[Obligation], kind: K) -> bool {
    list.iter().any(|o| o.kind == kind)
}

fn annual_years(list: &[Obligation]) -> Vec<i32> {
    list.iter()
        .filter(|o| o.kind == K::AnnualTransparencyReport)
        .filter_map(|o| o.reporting_year)
        .collect()
}

fn all(state: &StateFacts, today: &str) -> Vec<Obligation> {
    obligations(state, &[], &[], d(today), &Rules::default())
}

/// The status rule of docs/domain.md §3, written out again independently of the engine.
fn expected_status(
    due: NaiveDate,
    fulfilled_on: Option<NaiveDate>,
    today: NaiveDate,
    due_soon_days: i64,
) -> S {
    if fulfilled_on.is_some() {
        S::Met
    } else if today > due {
        S::Overdue
    } else if (due - today).num_days() <= due_soon_days {
        S::DueSoon
    } else {
        S::Upcoming
    }
}
