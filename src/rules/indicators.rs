//! Computed indicators of an action plan (issue 20): for each computed
//! [`IndicatorComputation`] and a calendar year, the set of what the indicator counts (the
//! denominator) and the part of it that meets the indicator (the numerator), from plain
//! facts. No database, no GraphQL. [`compute`] (a whole year) and [`compute_in`] (a
//! [`Period`]) dispatch on the computation and give the [`Figure`] an `IndicatorValue`
//! shows; the functions they call give the sets themselves ([`Count`]). The vocabulary
//! ([`IndicatorComputation`], [`IndicatorUnit`]) is the stored one, shared through
//! `kernel::vocabulary`.
//!
//! # A year's value is history
//!
//! Each figure for year Y is computed from what was on record at its **cut-off**, the end of
//! 31 December of Y: submissions, completions, extensions granted, matches agreed and
//! sponsorships approved after that day are left out. Data that arrive later therefore never
//! change a past year's value; only corrections of the past do (a history import, a changed
//! start of the records, an edited date). The dates the indicators read are calendar days
//! (UTC), as the obligations engine reads them.
//!
//! The year under way is figured so far ([`Period::so_far`]): its cut-off is today, and
//! "fell due in the year" means fell due by today (an annual report due on 30 April is not
//! counted before that day). On 31 December the figure so far is the whole year's; a year
//! that has not begun has no figure.
//!
//! # Which States count in a year
//!
//! The indicators about States parties build on the obligations engine
//! ([`super::obligations`], docs/domain.md §2–§3): entry into force E from the deposit date,
//! the initial report due E + 180 days, an annual report due every 30 April strictly after
//! it, stockpile destruction due E + 96 months and clearance E + 120 months, moved by
//! extensions, and nothing owed that falls due after a withdrawal took effect. The engine is
//! run as of the cut-off, on the facts known at the cut-off.
//!
//! - **Bound in the year.** A State counts in year Y only when it is bound (a State party or
//!   a withdrawn State with a deposit date), its entry into force is on or before the
//!   cut-off, and any withdrawal took effect after 1 January of Y: it was a party on at least
//!   one day of the year, the rule the contributions already follow (§7).
//! - **The year of withdrawal.** In that year a withdrawn State still counts for what the
//!   engine says it owed, that is obligations due (in force) on or before the day the
//!   withdrawal took effect; from the next year on it is in no denominator. Lithuania
//!   (withdrawal effective 6 March 2025) counts in 2025 for its initial report (due 2012),
//!   not for the annual report due on 30 April 2025; in 2026 not at all. A withdrawal
//!   taking effect on 1 January leaves the State out of that whole year.
//! - **Not recorded.** As on the deadlines page (§3), an obligation whose due date in force
//!   lies before the records of its State and kind begin, with no fulfilment recorded by the
//!   cut-off, is not known either way: the State is put in [`Count::not_recorded`], in neither
//!   the denominator nor the numerator, so that rates are over the States whose records tell.
//! - **Applicability of Articles 3 and 4** is judged on everything known now (the "holds
//!   stockpiles" and "contaminated" flags, a completion, an extension of that kind), since
//!   any of them shows the obligation existed from entry into force; only the completion
//!   date and the extensions are cut off at the year's end. Setting a flag, or recording an
//!   extension, for a State not known before to have the obligation corrects the past: it
//!   changes earlier years too.
//!
//! # The definitions
//!
//! "31 December of Y" below is the cut-off: for the year under way, read "today".
//!
//! - [`initial_reports_on_time`] (INITIAL_REPORTS_ON_TIME): the States whose initial Article
//!   7 report fell due on or before 31 December of Y, over all years (the denominator grows);
//!   the numerator, those whose initial report was submitted on or before its due date. A
//!   report submitted on the due date is on time; a late one fulfils the obligation but is
//!   never on time.
//! - [`annual_reports_on_time`] (ANNUAL_REPORTS_ON_TIME): the States owing the annual report
//!   due on 30 April of Y, the one covering Y − 1 (the engine's rule: a 30 April strictly
//!   after the initial report's due date, not after the withdrawal); the numerator, those
//!   that submitted it on or before that 30 April. This is the compliance figure of the
//!   reporting year Y − 1 (§4), filed under the year in which the report fell due.
//! - [`stockpile_destruction_completed_on_time`] (STOCKPILE_DESTRUCTION_COMPLETED_ON_TIME):
//!   the States with an Article 3 obligation whose deadline in force, as extended by the
//!   extensions granted on or before 31 December of Y, fell on or before that day; the
//!   numerator, those that completed destruction on or before that deadline. An extension is
//!   the deadline: a State that completes within its extension is on time. A State that
//!   completes before its deadline falls due enters the figure in the year of the deadline.
//! - [`clearance_completed`] (CLEARANCE_COMPLETED): the States with an Article 4 obligation
//!   (bound in Y), whatever their deadline; the numerator, those whose completion of
//!   clearance is dated on or before 31 December of Y. The denominator keeps the States
//!   that completed in earlier years.
//! - [`new_states_parties`] (NEW_STATES_PARTIES): the States whose entry into force falls in
//!   Y; a count, with no denominator. A State becomes a State party when the Convention
//!   enters into force for it (Article 17; Vienna Convention on the Law of Treaties, Article
//!   2(1)(g): a party is a State "for which the treaty is in force"), not when it deposits
//!   its instrument: a deposit of 5 September 2025 makes a new State party of 2026. The 2010
//!   figure counts every State for which the Convention entered into force on 1 August 2010.
//!   A State that later withdrew still counts in the year it became a party.
//! - [`needs_with_agreed_match`] (NEEDS_WITH_AGREED_MATCH): the needs of assistance open on
//!   at least one day of Y (declared on or before 31 December and not closed, i.e. met or
//!   withdrawn, before 1 January); the numerator, those with at least one match that stood
//!   AGREED or DELIVERED at the end of the year (agreed on or before 31 December and not
//!   declined by then). Needs are counted, each with its State; a State can so be both
//!   counted and missing.
//! - [`sponsored_women`] (SPONSORED_WOMEN): the delegates sponsored at the meetings that
//!   start in Y (their applications approved on or before 31 December and not withdrawn by
//!   then); the numerator, the women among them. Applications are counted, each with its
//!   State, whatever the State's standing (signatories and invited non-parties are
//!   sponsored too).
//!
//! The needs and the delegates are counted whatever the standing of their State: they are
//! items, and the State is there to say who they belong to.
//!
//! # Values
//!
//! [`Count::value`] follows the contract's `IndicatorValue.value`: for PERCENT, 100 ×
//! numerator ÷ denominator rounded to one decimal (halves up), 0 when the denominator is
//! empty or absent; for COUNT, the numerator. [`Count::tenths`] gives the same value exactly,
//! in tenths, as baselines and targets are stored. A NEW_STATES_PARTIES indicator has no
//! denominator and is a COUNT ([`allows`]).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use uuid::Uuid;

use crate::kernel::vocabulary::{IndicatorComputation, IndicatorUnit};

use super::obligations::{
    self, ExtensionFact, Obligation, ObligationKind, ReportFact, Rules, Standing, StateFacts,
    entry_into_force,
};

/// The computed indicators, in the order of the contract: every
/// [`IndicatorComputation`] but RECORDED.
pub const COMPUTED: [IndicatorComputation; 7] = [
    IndicatorComputation::InitialReportsOnTime,
    IndicatorComputation::AnnualReportsOnTime,
    IndicatorComputation::StockpileDestructionCompletedOnTime,
    IndicatorComputation::ClearanceCompleted,
    IndicatorComputation::NewStatesParties,
    IndicatorComputation::NeedsWithAgreedMatch,
    IndicatorComputation::SponsoredWomen,
];

/// Whether the system computes `computation` (everything but RECORDED).
pub fn is_computed(computation: IndicatorComputation) -> bool {
    computation != IndicatorComputation::Recorded
}

/// Whether an indicator computed by `computation` may be shown in `unit`:
/// NEW_STATES_PARTIES has no denominator, so it is a COUNT only; the others may be either.
pub fn allows(computation: IndicatorComputation, unit: IndicatorUnit) -> bool {
    computation != IndicatorComputation::NewStatesParties || unit == IndicatorUnit::Count
}

/// Something counted that belongs to a State: a State (its ISO alpha-3 code) or an [`Item`].
pub trait Counted: Ord {
    /// The ISO alpha-3 code of the State it is or belongs to.
    fn state_code(&self) -> &str;
}

impl Counted for String {
    fn state_code(&self) -> &str {
        self
    }
}

/// A need or a sponsorship application, with the State it belongs to. Ordered by State,
/// then ID.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Item {
    pub state_code: String,
    pub id: Uuid,
}

impl Counted for Item {
    fn state_code(&self) -> &str {
        &self.state_code
    }
}

/// One indicator's sets for one year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Count<K: Ord> {
    /// What the indicator counts; None for a plain count (NEW_STATES_PARTIES).
    pub denominator: Option<BTreeSet<K>>,
    /// What meets the indicator: always within the denominator when there is one.
    pub numerator: BTreeSet<K>,
    /// States whose obligation fell due before their records begin, with nothing recorded by
    /// the cut-off: in neither set (docs/domain.md §3, NOT_RECORDED).
    pub not_recorded: BTreeSet<K>,
}

impl<K: Ord> Default for Count<K> {
    /// Empty sets, with an (empty) denominator.
    fn default() -> Self {
        Self {
            denominator: Some(BTreeSet::new()),
            numerator: BTreeSet::new(),
            not_recorded: BTreeSet::new(),
        }
    }
}

impl<K: Ord> Count<K> {
    /// The denominator without the numerator: who to follow up. Empty without a denominator.
    pub fn missing(&self) -> BTreeSet<&K> {
        self.denominator
            .iter()
            .flatten()
            .filter(|k| !self.numerator.contains(k))
            .collect()
    }

    /// The contract's value: PERCENT, 100 × numerator ÷ denominator to one decimal (0 when
    /// the denominator is empty or absent); COUNT, the numerator.
    pub fn value(&self, unit: IndicatorUnit) -> f64 {
        tenths_to_value(self.tenths(unit))
    }

    /// [`Self::value`] in tenths, exactly: the form baselines and targets are stored in.
    pub fn tenths(&self, unit: IndicatorUnit) -> i64 {
        let denominator = self.denominator.as_ref().map(BTreeSet::len);
        tenths(unit, self.numerator.len(), denominator)
    }
}

impl<K: Counted> Count<K> {
    /// The sizes and the States, as an `IndicatorValue` shows them.
    pub fn figure(&self) -> Figure {
        Figure {
            denominator: self.denominator.as_ref().map(BTreeSet::len),
            numerator: self.numerator.len(),
            not_recorded: self.not_recorded.len(),
            states: codes(self.numerator.iter()),
            missing: codes(self.missing().into_iter()),
        }
    }
}

fn codes<'a, K: Counted + 'a>(items: impl Iterator<Item = &'a K>) -> BTreeSet<String> {
    items.map(|k| k.state_code().to_owned()).collect()
}

/// The value in tenths, in exact integer arithmetic. PERCENT: 1000 × `numerator` ÷
/// `denominator` rounded half up (0 without a denominator or with an empty one); COUNT: 10 ×
/// `numerator`.
pub fn tenths(unit: IndicatorUnit, numerator: usize, denominator: Option<usize>) -> i64 {
    let whole = |n: u128| i64::try_from(n).unwrap_or(i64::MAX);
    let num = numerator as u128;
    match (unit, denominator) {
        (IndicatorUnit::Count, _) => whole(10 * num),
        (IndicatorUnit::Percent, Some(den)) if den > 0 => {
            let den = den as u128;
            whole((2000 * num + den) / (2 * den))
        }
        (IndicatorUnit::Percent, _) => 0,
    }
}

pub fn tenths_to_value(tenths: i64) -> f64 {
    tenths as f64 / 10.0
}

/// A year's figure as an `IndicatorValue` shows it: the sizes of the sets and the States.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figure {
    /// None for a plain count.
    pub denominator: Option<usize>,
    pub numerator: usize,
    /// States left out because their records do not tell.
    pub not_recorded: usize,
    /// The States counted in the numerator (for needs and delegates: the States they belong
    /// to).
    pub states: BTreeSet<String>,
    /// The States with something in the denominator that is not in the numerator.
    pub missing: BTreeSet<String>,
}

impl Figure {
    /// As [`Count::value`].
    pub fn value(&self, unit: IndicatorUnit) -> f64 {
        tenths_to_value(self.tenths(unit))
    }

    /// As [`Count::tenths`].
    pub fn tenths(&self, unit: IndicatorUnit) -> i64 {
        tenths(unit, self.numerator, self.denominator)
    }
}

// -------------------------------------------------------------------------------------------
// Facts
// -------------------------------------------------------------------------------------------

/// An extension of an Article 3 or 4 deadline, with the day it was granted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GrantedExtension {
    pub kind: ObligationKind,
    pub new_deadline: NaiveDate,
    /// From this day on the deadline in force is `new_deadline`.
    pub granted_on: NaiveDate,
}

/// What the indicators about States parties know of one State.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateRecord {
    /// ISO alpha-3.
    pub code: String,
    /// As the obligations engine takes them (the completion dates are those recorded now;
    /// the indicators cut them off at the year's end).
    pub facts: StateFacts,
    /// Its submitted (or published) reports, with their submission days; drafts may be left
    /// out or given without a day.
    pub reports: Vec<ReportFact>,
    pub extensions: Vec<GrantedExtension>,
}

/// A match that reached AGREED (DELIVERED ones did too, on their way).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AgreedMatch {
    /// The day it became AGREED.
    pub agreed_on: NaiveDate,
    /// The day it was declined after that, if it was.
    pub declined_on: Option<NaiveDate>,
}

/// A need of assistance, with when it was open and its agreed matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Need {
    pub id: Uuid,
    pub state_code: String,
    /// The day it was declared (recorded).
    pub declared_on: NaiveDate,
    /// The day it last stopped being open (became MET or WITHDRAWN); None while it is open
    /// (OPEN or PARTIALLY_MET).
    pub closed_on: Option<NaiveDate>,
    pub matches: Vec<AgreedMatch>,
}

/// A sponsorship application, as far as the sponsored delegates are concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delegate {
    /// The application's ID.
    pub id: Uuid,
    pub state_code: String,
    /// The first day of the meeting applied for.
    pub meeting_starts_on: NaiveDate,
    /// The delegate stated their gender as female.
    pub woman: bool,
    /// The day the ISU approved it; None when it never was.
    pub approved_on: Option<NaiveDate>,
    /// The day it was withdrawn, if it was.
    pub withdrawn_on: Option<NaiveDate>,
}

/// Every fact the computed indicators read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub states: Vec<StateRecord>,
    pub needs: Vec<Need>,
    pub delegates: Vec<Delegate>,
}

/// The figure of `computation` for the whole of `year` (cut off on 31 December); None for
/// RECORDED, which is not computed, and for a year the calendar does not have.
pub fn compute(computation: IndicatorComputation, year: i32, facts: &Facts) -> Option<Figure> {
    compute_in(computation, Period::year(year)?, facts)
}

/// The figure of `computation` over `period`; None for RECORDED, which is not computed.
pub fn compute_in(
    computation: IndicatorComputation,
    period: Period,
    facts: &Facts,
) -> Option<Figure> {
    use IndicatorComputation as C;
    let states = facts.states.as_slice();
    Some(match computation {
        C::Recorded => return None,
        C::InitialReportsOnTime => initial_reports_on_time(states, period).figure(),
        C::AnnualReportsOnTime => annual_reports_on_time(states, period).figure(),
        C::StockpileDestructionCompletedOnTime => {
            stockpile_destruction_completed_on_time(states, period).figure()
        }
        C::ClearanceCompleted => clearance_completed(states, period).figure(),
        C::NewStatesParties => new_states_parties(states, period).figure(),
        C::NeedsWithAgreedMatch => needs_with_agreed_match(&facts.needs, period).figure(),
        C::SponsoredWomen => sponsored_women(&facts.delegates, period).figure(),
    })
}

// -------------------------------------------------------------------------------------------
// The period and the States bound in it
// -------------------------------------------------------------------------------------------

/// The part of a calendar year a figure is taken over: from 1 January to its cut-off, 31
/// December for a year that is over, or the day a figure of the current year is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Period {
    year: i32,
    first: NaiveDate,
    last: NaiveDate,
    cut_off: NaiveDate,
}

impl Period {
    /// The whole of `year`; None for a year the calendar does not have.
    pub fn year(year: i32) -> Option<Self> {
        let first = NaiveDate::from_ymd_opt(year, 1, 1)?;
        let last = NaiveDate::from_ymd_opt(year, 12, 31)?;
        Some(Self {
            year,
            first,
            last,
            cut_off: last,
        })
    }

    /// `year` as far as `today`: the whole year once it is over, up to `today` while it
    /// runs, None before it begins (a year to come has no value yet).
    pub fn so_far(year: i32, today: NaiveDate) -> Option<Self> {
        let whole = Self::year(year)?;
        (today >= whole.first).then(|| Self {
            cut_off: whole.last.min(today),
            ..whole
        })
    }

    pub fn year_number(&self) -> i32 {
        self.year
    }

    /// The last day whose events count: 31 December, or the day of a current year's figure.
    pub fn cut_off(&self) -> NaiveDate {
        self.cut_off
    }
}

/// Entry into force of a bound State (a State party or a withdrawn State with a deposit
/// date), as the engine computes it.
fn entry_into_force_of(facts: &StateFacts) -> Option<NaiveDate> {
    match facts.standing {
        Standing::StateParty | Standing::Withdrawn => facts.deposit_date.map(entry_into_force),
        Standing::NotBound => None,
    }
}

/// Bound on at least one day of `period`: in force by the cut-off, and any withdrawal took
/// effect after 1 January.
fn bound_in(facts: &StateFacts, period: Period) -> bool {
    entry_into_force_of(facts).is_some_and(|eif| eif <= period.cut_off)
        && facts
            .withdrawal_effective_date
            .is_none_or(|w| w > period.first)
}

impl StateRecord {
    /// The engine's obligations of the State as of `cut_off`, from what was on record then:
    /// submissions, completions and grants dated after it are left out, while the Article 3
    /// and 4 obligations apply as everything known now shows.
    fn obligations_at(&self, cut_off: NaiveDate) -> Vec<Obligation> {
        let f = &self.facts;
        let shown = |flag: bool, completed: Option<NaiveDate>, kind: ObligationKind| {
            flag || completed.is_some() || self.extensions.iter().any(|e| e.kind == kind)
        };
        let facts = StateFacts {
            holds_stockpiles: shown(
                f.holds_stockpiles,
                f.stockpile_destruction_completed_on,
                ObligationKind::StockpileDestruction,
            ),
            contaminated: shown(
                f.contaminated,
                f.clearance_completed_on,
                ObligationKind::Clearance,
            ),
            stockpile_destruction_completed_on: f
                .stockpile_destruction_completed_on
                .filter(|d| *d <= cut_off),
            clearance_completed_on: f.clearance_completed_on.filter(|d| *d <= cut_off),
            ..f.clone()
        };
        let reports: Vec<ReportFact> = self
            .reports
            .iter()
            .filter(|r| r.submitted_on.is_some_and(|d| d <= cut_off))
            .copied()
            .collect();
        let extensions: Vec<ExtensionFact> = self
            .extensions
            .iter()
            .filter(|e| e.granted_on <= cut_off)
            .map(|e| ExtensionFact {
                kind: e.kind,
                new_deadline: e.new_deadline,
            })
            .collect();
        obligations::obligations(&facts, &reports, &extensions, cut_off, &Rules::default())
    }
}

/// The common shape of the four obligation indicators: for each State bound in `period`,
/// the obligation `pick` chooses among those the engine lists as of the cut-off. It is not
/// recorded when unfulfilled and due before the records begin; else the State is in the
/// denominator, and in the numerator when `meets` says so.
fn by_obligation(
    states: &[StateRecord],
    period: Period,
    pick: impl Fn(&Obligation) -> bool,
    meets: impl Fn(&Obligation) -> bool,
) -> Count<String> {
    let mut count = Count::default();
    for s in states.iter().filter(|s| bound_in(&s.facts, period)) {
        let list = s.obligations_at(period.cut_off);
        let Some(o) = list.iter().find(|o| pick(o)) else {
            continue;
        };
        let code = s.code.clone();
        if o.fulfilled_on.is_none() && !s.facts.records_begin.covers(o.kind, o.due_date) {
            count.not_recorded.insert(code);
            continue;
        }
        if meets(o) {
            count.numerator.insert(code.clone());
        }
        count.denominator.get_or_insert_default().insert(code);
    }
    count
}

/// Fulfilled on or before the due date in force.
fn on_time(o: &Obligation) -> bool {
    o.fulfilled_on.is_some_and(|d| d <= o.due_date)
}

// -------------------------------------------------------------------------------------------
// The indicators
// -------------------------------------------------------------------------------------------

/// INITIAL_REPORTS_ON_TIME: States whose initial report fell due on or before the cut-off /
/// those that submitted it by its due date.
pub fn initial_reports_on_time(states: &[StateRecord], period: Period) -> Count<String> {
    by_obligation(
        states,
        period,
        |o| o.kind == ObligationKind::InitialTransparencyReport && o.due_date <= period.cut_off,
        on_time,
    )
}

/// ANNUAL_REPORTS_ON_TIME: States owing the annual report due on 30 April of the year
/// (covering the year before), once that day is reached / those that submitted it by then.
pub fn annual_reports_on_time(states: &[StateRecord], period: Period) -> Count<String> {
    by_obligation(
        states,
        period,
        |o| {
            o.kind == ObligationKind::AnnualTransparencyReport
                && o.reporting_year.and_then(|y| y.checked_add(1)) == Some(period.year)
                && o.due_date <= period.cut_off
        },
        on_time,
    )
}

/// STOCKPILE_DESTRUCTION_COMPLETED_ON_TIME: States whose Article 3 deadline in force
/// (extensions granted by the cut-off included) fell on or before the cut-off / those that
/// completed destruction by that deadline.
pub fn stockpile_destruction_completed_on_time(
    states: &[StateRecord],
    period: Period,
) -> Count<String> {
    by_obligation(
        states,
        period,
        |o| o.kind == ObligationKind::StockpileDestruction && o.due_date <= period.cut_off,
        on_time,
    )
}

/// CLEARANCE_COMPLETED: States with an Article 4 obligation / those whose completion of
/// clearance is dated on or before the cut-off.
pub fn clearance_completed(states: &[StateRecord], period: Period) -> Count<String> {
    by_obligation(
        states,
        period,
        |o| o.kind == ObligationKind::Clearance,
        |o| o.fulfilled_on.is_some(),
    )
}

/// NEW_STATES_PARTIES: the States for which the Convention entered into force from 1
/// January to the cut-off. A count: no denominator.
pub fn new_states_parties(states: &[StateRecord], period: Period) -> Count<String> {
    Count {
        denominator: None,
        numerator: states
            .iter()
            .filter(|s| {
                entry_into_force_of(&s.facts)
                    .is_some_and(|e| (period.first..=period.cut_off).contains(&e))
            })
            .map(|s| s.code.clone())
            .collect(),
        not_recorded: BTreeSet::new(),
    }
}

/// NEEDS_WITH_AGREED_MATCH: needs open on at least one day of the period / those with a
/// match standing AGREED or DELIVERED at the cut-off.
pub fn needs_with_agreed_match(needs: &[Need], period: Period) -> Count<Item> {
    let Period { first, cut_off, .. } = period;
    let mut count = Count::default();
    for n in needs
        .iter()
        .filter(|n| n.declared_on <= cut_off && n.closed_on.is_none_or(|c| c >= first))
    {
        let item = Item {
            state_code: n.state_code.clone(),
            id: n.id,
        };
        if n.matches
            .iter()
            .any(|m| m.agreed_on <= cut_off && m.declined_on.is_none_or(|d| d > cut_off))
        {
            count.numerator.insert(item.clone());
        }
        count.denominator.get_or_insert_default().insert(item);
    }
    count
}

/// SPONSORED_WOMEN: delegates sponsored at the meetings that start in the year (approved by
/// the cut-off and not withdrawn by then) / the women among them.
pub fn sponsored_women(delegates: &[Delegate], period: Period) -> Count<Item> {
    let Period {
        first,
        last,
        cut_off,
        ..
    } = period;
    let mut count = Count::default();
    for a in delegates.iter().filter(|a| {
        (first..=last).contains(&a.meeting_starts_on)
            && a.approved_on.is_some_and(|d| d <= cut_off)
            && a.withdrawn_on.is_none_or(|d| d > cut_off)
    }) {
        let item = Item {
            state_code: a.state_code.clone(),
            id: a.id,
        };
        if a.woman {
            count.numerator.insert(item.clone());
        }
        count.denominator.get_or_insert_default().insert(item);
    }
    count
}

#[cfg(test)]
mod tests {
    //! Table tests from the definitions above. Expected due dates were worked out by hand
    //! (and with a separate calendar), never read back from the engine.

    use super::*;
    use crate::rules::obligations::{ObligationKind as K, RecordsBegin, ReportKind};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    /// A State party that deposited on `deposit`, with nothing else recorded.
    fn party(code: &str, deposit: &str) -> StateRecord {
        StateRecord {
            code: code.to_owned(),
            facts: StateFacts {
                standing: Standing::StateParty,
                deposit_date: Some(d(deposit)),
                withdrawal_effective_date: None,
                holds_stockpiles: false,
                contaminated: false,
                stockpile_destruction_completed_on: None,
                clearance_completed_on: None,
                records_begin: RecordsBegin::default(),
            },
            reports: Vec::new(),
            extensions: Vec::new(),
        }
    }

    impl StateRecord {
        fn initial(mut self, submitted_on: &str) -> Self {
            self.reports.push(ReportFact {
                kind: ReportKind::Initial,
                reporting_year: 0,
                submitted_on: Some(d(submitted_on)),
            });
            self
        }
        fn draft_initial(mut self) -> Self {
            self.reports.push(ReportFact {
                kind: ReportKind::Initial,
                reporting_year: 0,
                submitted_on: None,
            });
            self
        }
        fn annual(mut self, covering: i32, submitted_on: &str) -> Self {
            self.reports.push(ReportFact {
                kind: ReportKind::Annual,
                reporting_year: covering,
                submitted_on: Some(d(submitted_on)),
            });
            self
        }
        fn stockpiles(mut self) -> Self {
            self.facts.holds_stockpiles = true;
            self
        }
        fn destroyed(mut self, on: &str) -> Self {
            self.facts.holds_stockpiles = false;
            self.facts.stockpile_destruction_completed_on = Some(d(on));
            self
        }
        fn contaminated(mut self) -> Self {
            self.facts.contaminated = true;
            self
        }
        fn cleared(mut self, on: &str) -> Self {
            self.facts.contaminated = false;
            self.facts.clearance_completed_on = Some(d(on));
            self
        }
        fn extended(mut self, kind: K, to: &str, granted_on: &str) -> Self {
            self.extensions.push(GrantedExtension {
                kind,
                new_deadline: d(to),
                granted_on: d(granted_on),
            });
            self
        }
        fn withdrawn(mut self, effective: &str) -> Self {
            self.facts.standing = Standing::Withdrawn;
            self.facts.withdrawal_effective_date = Some(d(effective));
            self
        }
        /// A State party that notified its withdrawal, effective on `effective`.
        fn notified(mut self, effective: &str) -> Self {
            self.facts.withdrawal_effective_date = Some(d(effective));
            self
        }
        fn signatory(mut self) -> Self {
            self.facts.standing = Standing::NotBound;
            self
        }
        fn records_since(mut self, kind: K, since: &str) -> Self {
            self.facts.records_begin = self.facts.records_begin.with(kind, d(since));
            self
        }
    }

    /// Lithuania: deposit 2011-03-24 (in force 2011-09-01, initial report due 2012-02-28),
    /// withdrawal effective 2025-03-06.
    fn lithuania() -> StateRecord {
        party("LTU", "2011-03-24").withdrawn("2025-03-06")
    }

    fn set(codes: &[&str]) -> BTreeSet<String> {
        codes.iter().map(|c| (*c).to_owned()).collect()
    }

    /// Where each of `codes` lands in `count`: "num" (numerator, hence denominator too),
    /// "den" (denominator only), "nr" (not recorded) or "-" (nowhere).
    fn place(count: &Count<String>, code: &str) -> &'static str {
        let code = code.to_owned();
        let in_den = count
            .denominator
            .as_ref()
            .is_some_and(|s| s.contains(&code));
        match (
            count.numerator.contains(&code),
            in_den,
            count.not_recorded.contains(&code),
        ) {
            (true, true, false) => "num",
            (false, true, false) => "den",
            (false, false, true) => "nr",
            (false, false, false) => "-",
            other => panic!("{code} is in inconsistent sets: {other:?}"),
        }
    }

    /// case, State, year, expected place.
    type Case = (&'static str, StateRecord, i32, &'static str);

    /// The whole of `year`.
    fn y(year: i32) -> Period {
        Period::year(year).expect("a calendar year")
    }

    fn check(f: fn(&[StateRecord], Period) -> Count<String>, cases: Vec<Case>) {
        for (case, state, year, expected) in cases {
            let code = state.code.clone();
            let count = f(std::slice::from_ref(&state), y(year));
            assert_eq!(place(&count, &code), expected, "{case} ({year})");
        }
    }

    // ---------------------------------------------------------------------------------------
    // INITIAL_REPORTS_ON_TIME
    // ---------------------------------------------------------------------------------------

    #[test]
    fn initial_reports_fall_due_180_days_after_entry_into_force_and_count_when_on_time() {
        // Deposit 2021-01-15: in force 2021-07-01, initial report due 2021-12-28.
        // Deposit 2021-02-10: in force 2021-08-01, initial report due 2022-01-28.
        let jul = || party("JUL", "2021-01-15");
        let aug = || party("AUG", "2021-02-10");
        check(
            initial_reports_on_time,
            vec![
                (
                    "submitted on the due date: on time",
                    jul().initial("2021-12-28"),
                    2021,
                    "num",
                ),
                (
                    "submitted well before",
                    jul().initial("2021-09-01"),
                    2021,
                    "num",
                ),
                ("a day late", jul().initial("2021-12-29"), 2021, "den"),
                (
                    "late, still late the next year",
                    jul().initial("2021-12-29"),
                    2022,
                    "den",
                ),
                (
                    "submitted after the year: not seen in it",
                    jul().initial("2022-01-05"),
                    2021,
                    "den",
                ),
                (
                    "submitted late the next year",
                    jul().initial("2022-01-05"),
                    2022,
                    "den",
                ),
                ("never submitted", jul(), 2021, "den"),
                ("a draft does not count", jul().draft_initial(), 2021, "den"),
                ("in force in the year, due the next year", aug(), 2021, "-"),
                (
                    "due on 28 January",
                    aug().initial("2022-01-28"),
                    2022,
                    "num",
                ),
                (
                    "the denominator keeps earlier years",
                    aug().initial("2022-01-28"),
                    2030,
                    "num",
                ),
                ("not yet in force", jul(), 2020, "-"),
                ("a signatory owes nothing", jul().signatory(), 2021, "-"),
            ],
        );
    }

    #[test]
    fn initial_reports_of_a_withdrawn_state_count_up_to_the_year_its_withdrawal_took_effect() {
        check(
            initial_reports_on_time,
            vec![
                ("Lithuania before its withdrawal", lithuania(), 2024, "den"),
                (
                    "Lithuania in the year of withdrawal",
                    lithuania(),
                    2025,
                    "den",
                ),
                ("Lithuania after its withdrawal", lithuania(), 2026, "-"),
                (
                    "on time, in the year of withdrawal",
                    lithuania().initial("2012-02-28"),
                    2025,
                    "num",
                ),
                (
                    "withdrawal effective on 1 January: not that year",
                    party("WD1", "2011-03-24").withdrawn("2026-01-01"),
                    2026,
                    "-",
                ),
                (
                    "... but the year before",
                    party("WD1", "2011-03-24").withdrawn("2026-01-01"),
                    2025,
                    "den",
                ),
                (
                    "withdrawal effective on 2 January: bound on 1 January",
                    party("WD2", "2011-03-24").withdrawn("2026-01-02"),
                    2026,
                    "den",
                ),
                (
                    "withdrawal notified, not yet effective: still a party",
                    party("WD3", "2011-03-24").notified("2027-06-30"),
                    2026,
                    "den",
                ),
            ],
        );
    }

    #[test]
    fn initial_reports_due_before_the_records_begin_are_not_recorded_unless_a_submission_is() {
        // In force 2010-08-01, initial report due 2011-01-28; records begin 2026-01-01.
        let early =
            || party("OLD", "2009-12-03").records_since(K::InitialTransparencyReport, "2026-01-01");
        check(
            initial_reports_on_time,
            vec![
                ("nothing recorded", early(), 2015, "nr"),
                (
                    "an imported submission on time",
                    early().initial("2011-01-20"),
                    2015,
                    "num",
                ),
                (
                    "an imported late submission",
                    early().initial("2011-03-01"),
                    2015,
                    "den",
                ),
                (
                    "submitted after the year: not known then",
                    early().initial("2016-05-01"),
                    2015,
                    "nr",
                ),
                (
                    "submitted late in the year",
                    early().initial("2016-05-01"),
                    2016,
                    "den",
                ),
                (
                    "due on the day the records begin: recorded",
                    party("NEW", "2009-12-03")
                        .records_since(K::InitialTransparencyReport, "2011-01-28"),
                    2011,
                    "den",
                ),
                (
                    "records of another kind do not matter",
                    party("OTH", "2009-12-03").records_since(K::Clearance, "2026-01-01"),
                    2015,
                    "den",
                ),
            ],
        );
    }

    // ---------------------------------------------------------------------------------------
    // ANNUAL_REPORTS_ON_TIME
    // ---------------------------------------------------------------------------------------

    #[test]
    fn annual_reports_due_on_30_april_of_the_year_cover_the_year_before() {
        let old = || party("OLD", "2009-12-03"); // in force 2010-08-01
        check(
            annual_reports_on_time,
            vec![
                (
                    "submitted on 30 April itself",
                    old().annual(2023, "2024-04-30"),
                    2024,
                    "num",
                ),
                (
                    "submitted in January",
                    old().annual(2023, "2024-01-15"),
                    2024,
                    "num",
                ),
                (
                    "submitted on 1 May",
                    old().annual(2023, "2024-05-01"),
                    2024,
                    "den",
                ),
                (
                    "submitted the next year",
                    old().annual(2023, "2025-01-01"),
                    2024,
                    "den",
                ),
                ("never submitted", old(), 2024, "den"),
                (
                    "the report for the wrong year",
                    old().annual(2024, "2024-04-01"),
                    2024,
                    "den",
                ),
                (
                    "the first annual report covers 2010",
                    old().annual(2010, "2011-04-30"),
                    2011,
                    "num",
                ),
                ("no annual report due in 2010", old(), 2010, "-"),
                ("a signatory owes nothing", old().signatory(), 2024, "-"),
            ],
        );
    }

    #[test]
    fn the_first_annual_report_is_due_on_the_first_30_april_strictly_after_the_initial_report() {
        check(
            annual_reports_on_time,
            vec![
                // In force 2022-11-01: initial report due 2023-04-30 itself.
                (
                    "initial due on 30 April: no annual that day",
                    party("A", "2022-05-10"),
                    2023,
                    "-",
                ),
                (
                    "... the first is due a year later",
                    party("A", "2022-05-10"),
                    2024,
                    "den",
                ),
                // In force 2023-11-01: initial report due 2024-04-29.
                (
                    "initial due the day before",
                    party("B", "2023-05-10"),
                    2024,
                    "den",
                ),
                // In force 2023-12-01: initial report due 2024-05-29.
                (
                    "initial due after 30 April",
                    party("C", "2023-06-10"),
                    2024,
                    "-",
                ),
                (
                    "... owed the year after",
                    party("C", "2023-06-10"),
                    2025,
                    "den",
                ),
                // In force 2024-02-01: initial report due 2024-07-30.
                ("in force in the year", party("D", "2023-08-03"), 2024, "-"),
            ],
        );
    }

    #[test]
    fn annual_reports_of_a_withdrawn_state_are_owed_only_when_due_by_the_withdrawal() {
        check(
            annual_reports_on_time,
            vec![
                ("Lithuania the year before", lithuania(), 2024, "den"),
                (
                    "Lithuania: due 30 April 2025, after 6 March",
                    lithuania(),
                    2025,
                    "-",
                ),
                ("Lithuania after its withdrawal", lithuania(), 2026, "-"),
                (
                    "withdrawal effective on 30 April: still owed",
                    party("W30", "2009-12-03").withdrawn("2024-04-30"),
                    2024,
                    "den",
                ),
                (
                    "withdrawal effective on 29 April: not owed",
                    party("W29", "2009-12-03").withdrawn("2024-04-29"),
                    2024,
                    "-",
                ),
            ],
        );
    }

    #[test]
    fn annual_reports_due_before_the_records_begin_are_not_recorded() {
        let s =
            || party("OLD", "2009-12-03").records_since(K::AnnualTransparencyReport, "2024-05-01");
        check(
            annual_reports_on_time,
            vec![
                ("due before the records begin", s(), 2024, "nr"),
                (
                    "... unless a submission is recorded",
                    s().annual(2023, "2024-06-01"),
                    2024,
                    "den",
                ),
                ("due after they begin", s(), 2025, "den"),
            ],
        );
    }

    // ---------------------------------------------------------------------------------------
    // STOCKPILE_DESTRUCTION_COMPLETED_ON_TIME
    // ---------------------------------------------------------------------------------------

    #[test]
    fn stockpile_destruction_counts_when_completed_by_the_deadline_in_force() {
        // In force 2010-08-01: stockpile destruction due 2018-08-01.
        let s = || party("STK", "2009-12-03").stockpiles();
        check(
            stockpile_destruction_completed_on_time,
            vec![
                (
                    "completed on the deadline itself",
                    s().destroyed("2018-08-01"),
                    2018,
                    "num",
                ),
                (
                    "completed a day late",
                    s().destroyed("2018-08-02"),
                    2018,
                    "den",
                ),
                ("late stays late", s().destroyed("2018-08-02"), 2019, "den"),
                ("not completed", s(), 2018, "den"),
                ("deadline not yet fallen", s(), 2017, "-"),
                (
                    "completed early: counted from the deadline's year",
                    s().destroyed("2015-05-01"),
                    2015,
                    "-",
                ),
                (
                    "... and then on time",
                    s().destroyed("2015-05-01"),
                    2018,
                    "num",
                ),
                (
                    "completed after the year: not seen in it",
                    s().destroyed("2019-02-01"),
                    2018,
                    "den",
                ),
                (
                    "no stockpiles: no obligation",
                    party("NON", "2009-12-03"),
                    2018,
                    "-",
                ),
                // In force 2020-06-01: due 2028-06-01.
                (
                    "a later entry into force",
                    party("LAT", "2019-12-31").stockpiles(),
                    2025,
                    "-",
                ),
                (
                    "due on 1 June 2028",
                    party("LAT", "2019-12-31").stockpiles(),
                    2028,
                    "den",
                ),
            ],
        );
    }

    #[test]
    fn an_extended_deadline_is_the_deadline_from_the_day_it_is_granted() {
        let s = || party("EXT", "2009-12-03").stockpiles(); // due 2018-08-01
        check(
            stockpile_destruction_completed_on_time,
            vec![
                (
                    "extended before the deadline: not due in 2018",
                    s().extended(K::StockpileDestruction, "2022-08-01", "2017-09-06"),
                    2018,
                    "-",
                ),
                (
                    "completed within the extension: on time",
                    s().extended(K::StockpileDestruction, "2022-08-01", "2017-09-06")
                        .destroyed("2022-08-01"),
                    2022,
                    "num",
                ),
                (
                    "completed after the extension: late",
                    s().extended(K::StockpileDestruction, "2022-08-01", "2017-09-06")
                        .destroyed("2022-08-02"),
                    2022,
                    "den",
                ),
                (
                    "granted on 31 December: counts for that year",
                    s().extended(K::StockpileDestruction, "2022-08-01", "2018-12-31"),
                    2018,
                    "-",
                ),
                (
                    "granted on 1 January: not yet in the year before",
                    s().extended(K::StockpileDestruction, "2022-08-01", "2019-01-01"),
                    2018,
                    "den",
                ),
                (
                    "... and in force from its year",
                    s().extended(K::StockpileDestruction, "2022-08-01", "2019-01-01"),
                    2019,
                    "-",
                ),
                (
                    "extensions in sequence: the latest granted by then",
                    s().extended(K::StockpileDestruction, "2020-08-01", "2017-09-06")
                        .extended(K::StockpileDestruction, "2024-08-01", "2021-09-01"),
                    2020,
                    "den",
                ),
                (
                    "... the second one moves it again",
                    s().extended(K::StockpileDestruction, "2020-08-01", "2017-09-06")
                        .extended(K::StockpileDestruction, "2024-08-01", "2021-09-01"),
                    2021,
                    "-",
                ),
                (
                    "a clearance extension does not move it",
                    s().contaminated()
                        .extended(K::Clearance, "2025-08-01", "2019-09-01"),
                    2018,
                    "den",
                ),
                (
                    "an extension alone shows the obligation",
                    party("EXO", "2009-12-03").extended(
                        K::StockpileDestruction,
                        "2022-08-01",
                        "2017-09-06",
                    ),
                    2022,
                    "den",
                ),
            ],
        );
    }

    #[test]
    fn stockpile_destruction_of_withdrawn_states_and_before_the_records_begin() {
        check(
            stockpile_destruction_completed_on_time,
            vec![
                // Lithuania in force 2011-09-01: due 2019-09-01; completed 2015-03-17.
                (
                    "Lithuania in the year of withdrawal",
                    lithuania().destroyed("2015-03-17"),
                    2025,
                    "num",
                ),
                (
                    "Lithuania after it",
                    lithuania().destroyed("2015-03-17"),
                    2026,
                    "-",
                ),
                (
                    "withdrawal before the deadline: owed nothing",
                    party("WDS", "2009-12-03")
                        .stockpiles()
                        .withdrawn("2018-07-31"),
                    2018,
                    "-",
                ),
                (
                    "deadline before the records begin, nothing recorded",
                    party("NRS", "2009-12-03")
                        .stockpiles()
                        .records_since(K::StockpileDestruction, "2020-01-01"),
                    2018,
                    "nr",
                ),
                (
                    "... a completion recorded before them tells",
                    party("NRS", "2009-12-03")
                        .destroyed("2018-05-01")
                        .records_since(K::StockpileDestruction, "2020-01-01"),
                    2018,
                    "num",
                ),
            ],
        );
    }

    // ---------------------------------------------------------------------------------------
    // CLEARANCE_COMPLETED
    // ---------------------------------------------------------------------------------------

    #[test]
    fn clearance_counts_every_state_with_the_obligation_and_those_that_completed_by_year_end() {
        let s = || party("CLR", "2009-12-03").contaminated(); // in force 2010-08-01
        check(
            clearance_completed,
            vec![
                ("contaminated, not completed", s(), 2020, "den"),
                (
                    "completed on 31 December",
                    s().cleared("2020-12-31"),
                    2020,
                    "num",
                ),
                (
                    "... not yet the year before",
                    s().cleared("2020-12-31"),
                    2019,
                    "den",
                ),
                (
                    "completed on 1 January of the next year",
                    s().cleared("2021-01-01"),
                    2020,
                    "den",
                ),
                (
                    "completed long ago: still counted",
                    s().cleared("2012-03-01"),
                    2024,
                    "num",
                ),
                ("in force in its first year", s(), 2010, "den"),
                ("not contaminated", party("NON", "2009-12-03"), 2020, "-"),
                // Deposit 2020-06-15: in force 2020-12-01. Deposit 2020-07-15: 2021-01-01.
                (
                    "in force on 1 December",
                    party("DEC", "2020-06-15").contaminated(),
                    2020,
                    "den",
                ),
                (
                    "in force on 1 January next",
                    party("JAN", "2020-07-15").contaminated(),
                    2020,
                    "-",
                ),
                (
                    "... counted from then",
                    party("JAN", "2020-07-15").contaminated(),
                    2021,
                    "den",
                ),
                (
                    "an extension alone shows the obligation, from entry into force",
                    party("EXC", "2009-12-03").extended(K::Clearance, "2025-08-01", "2019-09-01"),
                    2015,
                    "den",
                ),
                ("a signatory", s().signatory(), 2020, "-"),
            ],
        );
    }

    #[test]
    fn clearance_of_withdrawn_states_and_before_the_records_begin() {
        check(
            clearance_completed,
            vec![
                (
                    "deadline (2020-08-01) by the withdrawal: counted in its year",
                    party("WC1", "2009-12-03")
                        .contaminated()
                        .withdrawn("2025-03-06"),
                    2025,
                    "den",
                ),
                (
                    "... not after",
                    party("WC1", "2009-12-03")
                        .contaminated()
                        .withdrawn("2025-03-06"),
                    2026,
                    "-",
                ),
                (
                    "deadline after the withdrawal: owed nothing",
                    party("WC2", "2009-12-03")
                        .contaminated()
                        .extended(K::Clearance, "2025-08-01", "2019-09-01")
                        .withdrawn("2025-03-06"),
                    2025,
                    "-",
                ),
                (
                    "deadline before the records begin, nothing recorded",
                    party("NRC", "2009-12-03")
                        .contaminated()
                        .records_since(K::Clearance, "2025-06-01"),
                    2022,
                    "nr",
                ),
                (
                    "extended past the start of the records: recorded",
                    party("NRC", "2009-12-03")
                        .contaminated()
                        .extended(K::Clearance, "2025-08-01", "2019-09-01")
                        .records_since(K::Clearance, "2025-06-01"),
                    2022,
                    "den",
                ),
                (
                    "... a completion recorded before them tells",
                    party("NRC", "2009-12-03")
                        .cleared("2020-03-01")
                        .records_since(K::Clearance, "2025-06-01"),
                    2022,
                    "num",
                ),
            ],
        );
    }

    // ---------------------------------------------------------------------------------------
    // NEW_STATES_PARTIES
    // ---------------------------------------------------------------------------------------

    #[test]
    fn new_states_parties_are_those_for_which_the_convention_entered_into_force_in_the_year() {
        let states = vec![
            party("ORG", "2008-12-03"),             // the first 30: 2010-08-01
            party("FEB", "2010-02-16"),             // 2010-08-01
            party("JUN", "2010-06-30"),             // 2010-12-01
            party("JUL", "2010-07-20"),             // 2011-01-01
            lithuania(),                            // 2011-09-01, withdrew 2025
            party("SEP", "2025-09-05"),             // 2026-03-01
            party("DEC", "2019-12-31"),             // 2020-06-01
            party("SIG", "2010-03-01").signatory(), // not bound
        ];
        for (year, expected) in [
            (2009, set(&[])),
            (2010, set(&["FEB", "JUN", "ORG"])),
            (2011, set(&["JUL", "LTU"])),
            (2019, set(&[])),
            (2020, set(&["DEC"])),
            (2025, set(&[])),
            (2026, set(&["SEP"])),
        ] {
            let count = new_states_parties(&states, y(year));
            assert_eq!(count.numerator, expected, "{year}");
            assert_eq!(count.denominator, None, "{year}: a plain count");
            assert!(count.missing().is_empty());
            assert_eq!(count.value(IndicatorUnit::Count), expected.len() as f64);
        }
    }

    // ---------------------------------------------------------------------------------------
    // NEEDS_WITH_AGREED_MATCH
    // ---------------------------------------------------------------------------------------

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn need(
        n: u128,
        declared: &str,
        closed: Option<&str>,
        matches: &[(&str, Option<&str>)],
    ) -> Need {
        Need {
            id: id(n),
            state_code: format!("S{n:02}"),
            declared_on: d(declared),
            closed_on: closed.map(d),
            matches: matches
                .iter()
                .map(|(agreed, declined)| AgreedMatch {
                    agreed_on: d(agreed),
                    declined_on: declined.map(d),
                })
                .collect(),
        }
    }

    #[test]
    fn needs_open_in_the_year_count_with_a_match_standing_agreed_at_its_end() {
        // case, need, expected place in 2024.
        let cases: Vec<(&str, Need, &str)> = vec![
            ("open, no match", need(1, "2023-05-01", None, &[]), "den"),
            (
                "declared and matched on 31 December",
                need(2, "2024-12-31", None, &[("2024-12-31", None)]),
                "num",
            ),
            (
                "declared on 1 January of the next year",
                need(3, "2025-01-01", None, &[]),
                "-",
            ),
            (
                "met on 1 January: open that day",
                need(4, "2023-03-01", Some("2024-01-01"), &[("2024-01-01", None)]),
                "num",
            ),
            (
                "met on 31 December of the year before",
                need(5, "2023-03-01", Some("2023-12-31"), &[("2023-12-31", None)]),
                "-",
            ),
            (
                "agreed the next year",
                need(6, "2024-02-01", None, &[("2025-01-01", None)]),
                "den",
            ),
            (
                "agreed the year before, still open",
                need(7, "2022-02-01", None, &[("2023-06-01", None)]),
                "num",
            ),
            (
                "agreed, then declined in the year",
                need(8, "2024-02-01", None, &[("2024-03-01", Some("2024-06-01"))]),
                "den",
            ),
            (
                "declined only the next year",
                need(9, "2024-02-01", None, &[("2024-03-01", Some("2025-02-01"))]),
                "num",
            ),
            (
                "one declined, another standing",
                need(
                    10,
                    "2024-02-01",
                    None,
                    &[("2024-03-01", Some("2024-04-01")), ("2024-05-01", None)],
                ),
                "num",
            ),
            (
                "withdrawn in the year, unmatched",
                need(11, "2022-02-01", Some("2024-07-01"), &[]),
                "den",
            ),
            (
                "closed after the year",
                need(
                    12,
                    "2024-02-01",
                    Some("2025-03-01"),
                    &[("2025-03-01", None)],
                ),
                "den",
            ),
        ];
        for (case, n, expected) in cases {
            let item = Item {
                state_code: n.state_code.clone(),
                id: n.id,
            };
            let count = needs_with_agreed_match(std::slice::from_ref(&n), y(2024));
            let got = match (
                count.numerator.contains(&item),
                count
                    .denominator
                    .as_ref()
                    .is_some_and(|s| s.contains(&item)),
            ) {
                (true, true) => "num",
                (false, true) => "den",
                (false, false) => "-",
                (true, false) => panic!("{case}: in the numerator only"),
            };
            assert_eq!(got, expected, "{case}");
        }
    }

    #[test]
    fn needs_are_counted_one_by_one_with_their_states() {
        let mut a = need(1, "2024-01-10", None, &[("2024-02-01", None)]);
        let mut b = need(2, "2024-01-10", None, &[]);
        let c = need(3, "2024-01-10", None, &[("2024-02-01", None)]);
        a.state_code = "LAO".into();
        b.state_code = "LAO".into();
        let count = needs_with_agreed_match(&[a, b, c], y(2024));
        assert_eq!(count.denominator.as_ref().map(BTreeSet::len), Some(3));
        assert_eq!(count.numerator.len(), 2);
        let figure = count.figure();
        assert_eq!(
            figure,
            Figure {
                denominator: Some(3),
                numerator: 2,
                not_recorded: 0,
                states: set(&["LAO", "S03"]),
                missing: set(&["LAO"]),
            }
        );
        assert_eq!(figure.value(IndicatorUnit::Percent), 66.7);
        assert_eq!(count.value(IndicatorUnit::Percent), 66.7);
        assert_eq!(figure.value(IndicatorUnit::Count), 2.0);
    }

    // ---------------------------------------------------------------------------------------
    // SPONSORED_WOMEN
    // ---------------------------------------------------------------------------------------

    fn delegate(
        n: u128,
        starts: &str,
        woman: bool,
        approved: Option<&str>,
        withdrawn: Option<&str>,
    ) -> Delegate {
        Delegate {
            id: id(n),
            state_code: format!("S{n:02}"),
            meeting_starts_on: d(starts),
            woman,
            approved_on: approved.map(d),
            withdrawn_on: withdrawn.map(d),
        }
    }

    #[test]
    fn sponsored_delegates_of_the_years_meetings_and_the_women_among_them() {
        // case, application, year, expected place.
        let cases: Vec<(&str, Delegate, i32, &str)> = vec![
            (
                "an approved woman",
                delegate(1, "2025-09-15", true, Some("2025-07-01"), None),
                2025,
                "num",
            ),
            (
                "an approved man",
                delegate(2, "2025-09-15", false, Some("2025-07-01"), None),
                2025,
                "den",
            ),
            (
                "never approved",
                delegate(3, "2025-09-15", true, None, None),
                2025,
                "-",
            ),
            (
                "approved, then withdrawn",
                delegate(
                    4,
                    "2025-09-15",
                    true,
                    Some("2025-07-01"),
                    Some("2025-09-01"),
                ),
                2025,
                "-",
            ),
            (
                "withdrawn after the year",
                delegate(
                    5,
                    "2025-09-15",
                    true,
                    Some("2025-07-01"),
                    Some("2026-01-05"),
                ),
                2025,
                "num",
            ),
            (
                "a meeting starting on 31 December",
                delegate(6, "2024-12-31", true, Some("2024-11-01"), None),
                2024,
                "num",
            ),
            (
                "... belongs to the year it starts in",
                delegate(6, "2024-12-31", true, Some("2024-11-01"), None),
                2025,
                "-",
            ),
            (
                "a meeting starting on 1 January",
                delegate(7, "2025-01-01", false, Some("2024-12-01"), None),
                2025,
                "den",
            ),
            (
                "approved after the year",
                delegate(8, "2025-12-15", true, Some("2026-01-02"), None),
                2025,
                "-",
            ),
        ];
        for (case, a, year, expected) in cases {
            let item = Item {
                state_code: a.state_code.clone(),
                id: a.id,
            };
            let count = sponsored_women(std::slice::from_ref(&a), y(year));
            let got = match (
                count.numerator.contains(&item),
                count
                    .denominator
                    .as_ref()
                    .is_some_and(|s| s.contains(&item)),
            ) {
                (true, true) => "num",
                (false, true) => "den",
                (false, false) => "-",
                (true, false) => panic!("{case}: in the numerator only"),
            };
            assert_eq!(got, expected, "{case}");
        }
    }

    #[test]
    fn two_delegates_of_one_state_are_two() {
        let mut a = delegate(1, "2025-09-15", true, Some("2025-07-01"), None);
        let mut b = delegate(2, "2025-09-15", false, Some("2025-07-01"), None);
        a.state_code = "KHM".into();
        b.state_code = "KHM".into();
        let count = sponsored_women(&[a, b], y(2025));
        assert_eq!(count.value(IndicatorUnit::Percent), 50.0);
        let figure = count.figure();
        assert_eq!((figure.denominator, figure.numerator), (Some(2), 1));
        assert_eq!(figure.states, set(&["KHM"]));
        assert_eq!(figure.missing, set(&["KHM"]));
    }

    // ---------------------------------------------------------------------------------------
    // Values, the dispatcher, and stability
    // ---------------------------------------------------------------------------------------

    fn sized(numerator: usize, denominator: Option<usize>) -> Count<String> {
        let codes = |n: usize| (0..n).map(|i| format!("S{i:03}")).collect::<BTreeSet<_>>();
        Count {
            denominator: denominator.map(codes),
            numerator: codes(numerator),
            not_recorded: BTreeSet::new(),
        }
    }

    #[test]
    fn values_follow_the_contract() {
        for (num, den, percent, count) in [
            (0, Some(0), 0.0, 0.0),
            (0, Some(5), 0.0, 0.0),
            (5, Some(5), 100.0, 5.0),
            (1, Some(3), 33.3, 1.0),
            (2, Some(3), 66.7, 2.0),
            (1, Some(8), 12.5, 1.0),
            (1, Some(16), 6.3, 1.0),  // 6.25: halves round up
            (3, Some(16), 18.8, 3.0), // 18.75
            (1, Some(200), 0.5, 1.0),
            (1, Some(2001), 0.0, 1.0), // 0.04997…
            (107, Some(112), 95.5, 107.0),
            (4, None, 0.0, 4.0),
        ] {
            let c = sized(num, den);
            assert_eq!(c.value(IndicatorUnit::Percent), percent, "{num}/{den:?}");
            assert_eq!(c.value(IndicatorUnit::Count), count, "{num}/{den:?}");
            assert_eq!(c.figure().value(IndicatorUnit::Percent), percent);
            assert_eq!(
                c.tenths(IndicatorUnit::Percent) as f64 / 10.0,
                percent,
                "{num}/{den:?}"
            );
            assert_eq!(c.figure().tenths(IndicatorUnit::Count), 10 * num as i64);
            assert_eq!(c.missing().len(), den.unwrap_or(num) - num);
        }
    }

    #[test]
    fn every_computation_but_recorded_is_computed() {
        use IndicatorComputation as C;
        // No wildcard: a computation added to the contract does not compile here until it
        // is placed.
        let computed = |c: C| match c {
            C::Recorded => false,
            C::InitialReportsOnTime
            | C::AnnualReportsOnTime
            | C::StockpileDestructionCompletedOnTime
            | C::ClearanceCompleted
            | C::NewStatesParties
            | C::NeedsWithAgreedMatch
            | C::SponsoredWomen => true,
        };
        let mut all = vec![C::Recorded];
        all.extend(COMPUTED);
        for c in all {
            assert_eq!(is_computed(c), computed(c), "{c:?}");
            assert_eq!(COMPUTED.contains(&c), computed(c), "{c:?}");
            assert_eq!(compute(c, 2020, &sample()).is_some(), computed(c), "{c:?}");
            assert!(allows(c, IndicatorUnit::Count), "{c:?}");
            assert_eq!(
                allows(c, IndicatorUnit::Percent),
                c != C::NewStatesParties,
                "{c:?}"
            );
        }
        let distinct: std::collections::HashSet<_> = COMPUTED.iter().collect();
        assert_eq!(distinct.len(), 7);
    }

    fn sample() -> Facts {
        Facts {
            states: vec![
                party("AAA", "2009-12-03")
                    .initial("2011-01-28")
                    .annual(2019, "2020-04-30")
                    .stockpiles()
                    .destroyed("2018-06-01")
                    .contaminated(),
                party("BBB", "2009-12-03")
                    .initial("2011-02-01")
                    .stockpiles()
                    .extended(K::StockpileDestruction, "2022-08-01", "2017-09-06"),
                party("CCC", "2019-07-10"), // in force 2020-01-01, initial due 2020-06-29
                lithuania(),
            ],
            needs: vec![need(1, "2020-03-01", None, &[("2020-05-01", None)])],
            delegates: vec![delegate(1, "2020-11-16", true, Some("2020-10-01"), None)],
        }
    }

    #[test]
    fn the_dispatcher_computes_each_indicator() {
        let facts = sample();
        assert_eq!(compute(IndicatorComputation::Recorded, 2020, &facts), None);
        let figure = |c| compute(c, 2020, &facts).expect("computed");
        let initial = figure(IndicatorComputation::InitialReportsOnTime);
        assert_eq!(
            (initial.denominator, initial.numerator),
            (Some(4), 1),
            "{initial:?}"
        );
        assert_eq!(initial.missing, set(&["BBB", "CCC", "LTU"]));
        assert_eq!(initial.value(IndicatorUnit::Percent), 25.0);
        let annual = figure(IndicatorComputation::AnnualReportsOnTime);
        assert_eq!((annual.denominator, annual.numerator), (Some(3), 1));
        assert_eq!(annual.states, set(&["AAA"]));
        let stockpile = figure(IndicatorComputation::StockpileDestructionCompletedOnTime);
        assert_eq!((stockpile.denominator, stockpile.numerator), (Some(1), 1));
        let clearance = figure(IndicatorComputation::ClearanceCompleted);
        assert_eq!((clearance.denominator, clearance.numerator), (Some(1), 0));
        assert_eq!(clearance.missing, set(&["AAA"]));
        let new = figure(IndicatorComputation::NewStatesParties);
        assert_eq!((new.denominator, new.numerator), (None, 1));
        assert_eq!(new.states, set(&["CCC"]));
        let needs = figure(IndicatorComputation::NeedsWithAgreedMatch);
        assert_eq!((needs.denominator, needs.numerator), (Some(1), 1));
        let women = figure(IndicatorComputation::SponsoredWomen);
        assert_eq!((women.denominator, women.numerator), (Some(1), 1));
    }

    #[test]
    fn later_data_never_change_a_past_years_value() {
        let before = sample();
        let mut after = before.clone();
        // Everything below is dated 2021 or later.
        for s in &mut after.states {
            let later = s
                .clone()
                .initial("2021-01-01")
                .annual(2020, "2021-04-30")
                .annual(2019, "2021-02-01");
            *s = match s.code.as_str() {
                "AAA" => later
                    .extended(K::Clearance, "2025-08-01", "2021-09-01")
                    .cleared("2022-05-05"),
                "BBB" => later
                    .extended(K::StockpileDestruction, "2026-08-01", "2021-09-01")
                    .destroyed("2021-03-01"),
                _ => later,
            };
        }
        after.states.push(party("DDD", "2020-07-01")); // in force 2021-01-01
        after.needs[0].closed_on = Some(d("2021-02-01"));
        after.needs[0].matches[0].declined_on = Some(d("2021-01-15"));
        after
            .needs
            .push(need(2, "2021-01-01", None, &[("2021-02-01", None)]));
        after.delegates[0].withdrawn_on = Some(d("2021-01-10"));
        after
            .delegates
            .push(delegate(2, "2021-03-01", false, Some("2021-01-05"), None));
        for c in COMPUTED {
            for year in 2010..=2020 {
                assert_eq!(
                    compute(c, year, &before),
                    compute(c, year, &after),
                    "{c:?} {year}"
                );
            }
        }
        // ... while they do count from their own year.
        assert_ne!(
            compute(IndicatorComputation::NewStatesParties, 2021, &before),
            compute(IndicatorComputation::NewStatesParties, 2021, &after)
        );
    }

    #[test]
    fn a_year_the_calendar_does_not_have_has_no_figure() {
        let facts = sample();
        for c in COMPUTED {
            assert_eq!(compute(c, i32::MAX, &facts), None, "{c:?}");
            assert_eq!(compute(c, i32::MIN, &facts), None, "{c:?}");
        }
        assert_eq!(Period::year(i32::MAX), None);
        assert_eq!(Period::so_far(i32::MAX, d("2026-01-01")), None);
    }

    // ---------------------------------------------------------------------------------------
    // The current year, so far
    // ---------------------------------------------------------------------------------------

    fn so_far(year: i32, today: &str) -> Period {
        Period::so_far(year, d(today)).expect("the year has begun")
    }

    #[test]
    fn a_period_runs_from_1_january_to_its_cut_off() {
        assert_eq!(Period::so_far(2025, d("2024-12-31")), None, "not begun");
        let first_day = so_far(2025, "2025-01-01");
        assert_eq!(
            (first_day.year_number(), first_day.cut_off()),
            (2025, d("2025-01-01"))
        );
        assert_eq!(
            so_far(2024, "2025-03-01"),
            y(2024),
            "a year that is over is whole"
        );
        assert_eq!(so_far(2024, "2024-12-31"), y(2024));
        assert_eq!(y(2024).cut_off(), d("2024-12-31"));
    }

    #[test]
    fn a_current_years_figure_counts_what_fell_due_and_happened_so_far() {
        // Deposit 2024-08-03: in force 2025-02-01, initial report due 2025-07-31.
        let young = || party("YNG", "2024-08-03");
        let old = || party("OLD", "2009-12-03").annual(2024, "2025-04-30");
        for (case, count, code, expected) in [
            (
                "initial report not due yet",
                initial_reports_on_time(&[young()], so_far(2025, "2025-07-30")),
                "YNG",
                "-",
            ),
            (
                "initial report due today",
                initial_reports_on_time(&[young()], so_far(2025, "2025-07-31")),
                "YNG",
                "den",
            ),
            (
                "annual report not due yet",
                annual_reports_on_time(&[old()], so_far(2025, "2025-04-29")),
                "OLD",
                "-",
            ),
            (
                "annual report due and submitted today",
                annual_reports_on_time(&[old()], so_far(2025, "2025-04-30")),
                "OLD",
                "num",
            ),
            (
                "in force from 1 February, not yet",
                clearance_completed(&[young().contaminated()], so_far(2025, "2025-01-31")),
                "YNG",
                "-",
            ),
            (
                "in force from 1 February",
                clearance_completed(&[young().contaminated()], so_far(2025, "2025-02-01")),
                "YNG",
                "den",
            ),
            (
                "a new State party not yet",
                new_states_parties(&[young()], so_far(2025, "2025-01-31")),
                "YNG",
                "-",
            ),
            (
                "a new State party from 1 February",
                new_states_parties(&[young()], so_far(2025, "2025-02-01")),
                "YNG",
                "num",
            ),
        ] {
            // A plain count has no denominator: its numerator is what it counts.
            let got = match (&count.denominator, count.numerator.contains(code)) {
                (None, true) => "num",
                (None, false) => "-",
                (Some(_), _) => place(&count, code),
            };
            assert_eq!(got, expected, "{case}");
        }

        let n = need(1, "2025-06-01", None, &[("2025-06-10", None)]);
        let needs = |today| needs_with_agreed_match(std::slice::from_ref(&n), so_far(2025, today));
        assert!(
            needs("2025-05-31")
                .denominator
                .unwrap_or_default()
                .is_empty()
        );
        assert_eq!(needs("2025-06-09").missing().len(), 1);
        assert_eq!(needs("2025-06-10").numerator.len(), 1);

        let a = delegate(1, "2025-09-15", true, Some("2025-07-01"), None);
        let women = |today| sponsored_women(std::slice::from_ref(&a), so_far(2025, today));
        assert!(women("2025-06-30").numerator.is_empty());
        assert_eq!(women("2025-07-01").numerator.len(), 1);
    }

    #[test]
    fn on_31_december_the_year_so_far_is_the_whole_year() {
        let facts = sample();
        for c in COMPUTED {
            assert_eq!(
                compute_in(c, so_far(2020, "2020-12-31"), &facts),
                compute(c, 2020, &facts),
                "{c:?}"
            );
        }
    }
}
