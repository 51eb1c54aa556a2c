//! Pure treaty date rules: no database, no GraphQL. See docs/domain.md §2 and §3.
//!
//! - [`entry_into_force`]: Article 17.
//! - [`engine`]: the obligations of a State on a date T (Articles 3, 4 and 7), with their
//!   due dates, extensions, status and fulfilment; and the checks on a new extension.
//! - [`milestones`]: extension requests: the meeting that decides one, the last day to
//!   submit it, the elements it must set out.

pub mod engine;
pub mod milestones;

use chrono::{Datelike, NaiveDate};

pub use engine::{extension_allowed, obligations};

/// What a State owes. Mirrors the contract's `ObligationKind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObligationKind {
    /// Article 7(1): within 180 days of entry into force.
    InitialTransparencyReport,
    /// Article 7(2): by 30 April, covering the previous calendar year.
    AnnualTransparencyReport,
    /// Article 3(2): destroy stockpiles within 8 years of entry into force.
    StockpileDestruction,
    /// Article 4(1): clear contaminated areas within 10 years of entry into force.
    Clearance,
}

impl ObligationKind {
    /// Every kind, in the order of the contract.
    pub const ALL: [Self; 4] = [
        Self::InitialTransparencyReport,
        Self::AnnualTransparencyReport,
        Self::StockpileDestruction,
        Self::Clearance,
    ];

    /// The treaty provision, e.g. "Article 7(2)".
    pub fn article(self) -> &'static str {
        match self {
            Self::InitialTransparencyReport => "Article 7(1)",
            Self::AnnualTransparencyReport => "Article 7(2)",
            Self::StockpileDestruction => "Article 3(2)",
            Self::Clearance => "Article 4(1)",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ObligationStatus {
    Upcoming,
    DueSoon,
    Overdue,
    Met,
    /// Fell due before the records begin for its State and kind, and no fulfilment is
    /// recorded: whether it was met is not known, so it is not called overdue.
    NotRecorded,
}

impl ObligationStatus {
    /// Still to be done, as far as the records tell: neither met nor lost in the time before
    /// the records begin. Deadline lists, calendars, matching and eligibility act on these.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Met | Self::NotRecorded)
    }
}

/// From when the records of a State are complete, per kind of obligation: what fell due
/// before that day and shows no fulfilment is NOT_RECORDED. `None` for a kind: complete
/// since the Convention began (nothing is NOT_RECORDED).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecordsBegin([Option<NaiveDate>; 4]);

impl RecordsBegin {
    /// Every kind's records begin on `since`.
    pub fn on(since: NaiveDate) -> Self {
        Self([Some(since); 4])
    }

    /// The same with `kind`'s records beginning on `since` instead.
    #[must_use]
    pub fn with(mut self, kind: ObligationKind, since: NaiveDate) -> Self {
        self.0[kind as usize] = Some(since);
        self
    }

    /// When `kind`'s records begin.
    pub fn of(&self, kind: ObligationKind) -> Option<NaiveDate> {
        self.0[kind as usize]
    }

    /// Whether an obligation of `kind` due on `due` lies within the records: due on or
    /// after the day they begin.
    pub fn covers(&self, kind: ObligationKind, due: NaiveDate) -> bool {
        self.of(kind).is_none_or(|since| due >= since)
    }
}

/// Whether a State is bound at all: only States parties (and withdrawn States, for what fell
/// due before their withdrawal took effect) have obligations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    StateParty,
    Withdrawn,
    /// Signatories and non-parties owe nothing under Articles 3, 4 and 7.
    NotBound,
}

/// The facts about a State that its obligations depend on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateFacts {
    pub standing: Standing,
    /// Article 17 entry into force is computed from it; None → no obligations.
    pub deposit_date: Option<NaiveDate>,
    /// Article 20: the day a withdrawal takes effect. Nothing due after it is owed.
    pub withdrawal_effective_date: Option<NaiveDate>,
    pub holds_stockpiles: bool,
    pub contaminated: bool,
    pub stockpile_destruction_completed_on: Option<NaiveDate>,
    pub clearance_completed_on: Option<NaiveDate>,
    /// From when what the State did is recorded, per kind.
    pub records_begin: RecordsBegin,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportKind {
    Initial,
    Annual,
}

/// A transparency report as far as deadlines care: which one it is and when it was submitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportFact {
    pub kind: ReportKind,
    /// For ANNUAL: the calendar year covered.
    pub reporting_year: i32,
    /// None while it is a draft.
    pub submitted_on: Option<NaiveDate>,
}

/// An extension granted by a Meeting of States Parties or Review Conference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExtensionFact {
    pub kind: ObligationKind,
    pub new_deadline: NaiveDate,
}

/// Configurable rule values (docs/domain.md §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    /// An open obligation due within this many days is DUE_SOON.
    pub due_soon_days: i64,
}

impl Default for Rules {
    fn default() -> Self {
        Self { due_soon_days: 90 }
    }
}

/// One obligation of one State, as of T.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Obligation {
    pub kind: ObligationKind,
    /// For ANNUAL_TRANSPARENCY_REPORT: the calendar year the report covers.
    pub reporting_year: Option<i32>,
    /// The deadline in force: the treaty date, or the latest extension.
    pub due_date: NaiveDate,
    /// The treaty date, before any extension.
    pub original_due_date: NaiveDate,
    pub extended: bool,
    pub status: ObligationStatus,
    pub fulfilled_on: Option<NaiveDate>,
    /// due_date − T in days; negative when overdue.
    pub days_remaining: i64,
}

/// Why a new extension is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExtensionRefusal {
    /// The State has no such obligation (no stockpiles, no contamination, not bound, or the
    /// kind is a report, which the Convention does not extend).
    NotApplicable,
    /// The new deadline is not after the deadline in force.
    NotLater { current: NaiveDate },
    /// The step from the deadline in force is longer than the treaty allows.
    TooLong {
        current: NaiveDate,
        latest_allowed: NaiveDate,
    },
}
/// The Convention entered into force on 1 August 2010 for the first 30 States.
pub const CONVENTION_ENTRY_INTO_FORCE: NaiveDate = match NaiveDate::from_ymd_opt(2010, 8, 1) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// The last day on which an instrument counted towards the first 30 (the 30th was deposited
/// on 16 February 2010).
pub const LAST_ORIGINAL_DEPOSIT: NaiveDate = match NaiveDate::from_ymd_opt(2010, 2, 16) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// Article 17: entry into force for a State that deposits its instrument on `deposit`.
///
/// Deposits up to 16 February 2010 took effect with the Convention on 1 August 2010; later
/// ones on the first day of the sixth month after the month of deposit.
pub fn entry_into_force(deposit: NaiveDate) -> NaiveDate {
    if deposit <= LAST_ORIGINAL_DEPOSIT {
        return CONVENTION_ENTRY_INTO_FORCE;
    }
    // Months counted from year 0: the month of deposit plus six.
    let months = deposit.year() * 12 + deposit.month0() as i32 + 6;
    let (year, month0) = (months.div_euclid(12), months.rem_euclid(12));
    NaiveDate::from_ymd_opt(year, month0 as u32 + 1, 1).unwrap_or(CONVENTION_ENTRY_INTO_FORCE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    #[test]
    fn article_17_examples_from_the_domain() {
        for (deposit, eif) in [
            ("2008-12-03", "2010-08-01"),
            ("2010-02-16", "2010-08-01"),
            ("2010-02-17", "2010-08-01"),
            ("2010-03-01", "2010-09-01"),
            ("2011-09-08", "2012-03-01"),
            ("2012-07-17", "2013-01-01"),
            ("2023-08-03", "2024-02-01"),
            ("2025-09-05", "2026-03-01"),
            ("2020-01-01", "2020-07-01"),
            ("2020-01-31", "2020-07-01"),
            ("2019-12-31", "2020-06-01"),
            ("2019-12-01", "2020-06-01"),
            ("2021-07-15", "2022-01-01"),
        ] {
            assert_eq!(entry_into_force(d(deposit)), d(eif), "deposit {deposit}");
        }
    }

    #[test]
    fn every_row_of_the_shipped_registry_follows_article_17() {
        let rows =
            crate::domain::states::registry::parse(crate::domain::states::registry::EMBEDDED_CSV)
                .expect("registry parses");
        assert_eq!(rows.len(), 125);
        for r in rows {
            if let (Some(deposit), Some(eif)) = (r.deposit_date, r.entry_into_force_date) {
                assert_eq!(entry_into_force(deposit), eif, "{}", r.code);
            }
        }
    }
}
