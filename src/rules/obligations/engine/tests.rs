//! Table-driven and property tests of the obligations engine, from the examples and edge
//! cases of docs/domain.md §2–§3. Expected dates in the tables were computed independently of the
//! engine (by hand and with a separate calendar), never read back from it.

use chrono::{Datelike, Duration, Months, NaiveDate};
use proptest::prelude::*;

use super::*;
use crate::rules::obligations::{
    ExtensionFact, ExtensionRefusal, ObligationKind as K, ObligationStatus as S, ReportFact,
    ReportKind, Rules, Standing, StateFacts, entry_into_force,
};

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

// ---------------------------------------------------------------------------------------------
// Due dates
// ---------------------------------------------------------------------------------------------

#[test]
fn every_deadline_follows_from_entry_into_force() {
    // deposit, entry into force, initial due, first annual (year covered, due), stockpile, clearance
    let table = [
        // docs/domain.md: E = 2010-08-01.
        (
            "2009-03-18",
            "2010-08-01",
            "2011-01-28",
            2010,
            "2011-04-30",
            "2018-08-01",
            "2020-08-01",
        ),
        // The first instrument (3 December 2008) and the 30th (16 February 2010).
        (
            "2008-12-03",
            "2010-08-01",
            "2011-01-28",
            2010,
            "2011-04-30",
            "2018-08-01",
            "2020-08-01",
        ),
        (
            "2010-02-16",
            "2010-08-01",
            "2011-01-28",
            2010,
            "2011-04-30",
            "2018-08-01",
            "2020-08-01",
        ),
        // The day after the 30th: first day of the sixth month after February is 1 August.
        (
            "2010-02-17",
            "2010-08-01",
            "2011-01-28",
            2010,
            "2011-04-30",
            "2018-08-01",
            "2020-08-01",
        ),
        // docs/domain.md: E = 2025-05-01.
        (
            "2024-11-20",
            "2025-05-01",
            "2025-10-28",
            2025,
            "2026-04-30",
            "2033-05-01",
            "2035-05-01",
        ),
        // First and last day of a month; the initial due date crosses a leap February.
        (
            "2015-03-01",
            "2015-09-01",
            "2016-02-28",
            2015,
            "2016-04-30",
            "2023-09-01",
            "2025-09-01",
        ),
        (
            "2015-03-31",
            "2015-09-01",
            "2016-02-28",
            2015,
            "2016-04-30",
            "2023-09-01",
            "2025-09-01",
        ),
        // A December deposit: the year rolls over.
        (
            "2019-12-31",
            "2020-06-01",
            "2020-11-28",
            2020,
            "2021-04-30",
            "2028-06-01",
            "2030-06-01",
        ),
        // A deposit on 29 February.
        (
            "2012-02-29",
            "2012-08-01",
            "2013-01-28",
            2012,
            "2013-04-30",
            "2020-08-01",
            "2022-08-01",
        ),
        // Initial due before 30 April of its year: that 30 April is the first annual.
        (
            "2024-04-10",
            "2024-10-01",
            "2025-03-30",
            2024,
            "2025-04-30",
            "2032-10-01",
            "2034-10-01",
        ),
        // Initial due exactly on 30 April: that 30 April does not count (strictly after).
        (
            "2024-05-15",
            "2024-11-01",
            "2025-04-30",
            2025,
            "2026-04-30",
            "2032-11-01",
            "2034-11-01",
        ),
        // Initial due after 30 April of its year: the first annual is a year on.
        (
            "2024-06-10",
            "2024-12-01",
            "2025-05-30",
            2025,
            "2026-04-30",
            "2032-12-01",
            "2034-12-01",
        ),
        // Lithuania.
        (
            "2011-03-24",
            "2011-09-01",
            "2012-02-28",
            2011,
            "2012-04-30",
            "2019-09-01",
            "2021-09-01",
        ),
    ];
    for (deposit, eif, initial_due, first_year, first_due, stockpile, clearance) in table {
        assert_eq!(entry_into_force(d(deposit)), d(eif), "deposit {deposit}");
        // On the day of entry into force: the initial report and the first annual only.
        let list = all(&affected(deposit), eif);
        let i = find(&list, K::InitialTransparencyReport, None);
        assert_eq!(
            (i.due_date, i.original_due_date, i.extended),
            (d(initial_due), d(initial_due), false),
            "deposit {deposit}"
        );
        assert_eq!(annual_years(&list), vec![first_year], "deposit {deposit}");
        let a = find(&list, K::AnnualTransparencyReport, Some(first_year));
        assert_eq!(a.due_date, d(first_due), "deposit {deposit}");
        let st = find(&list, K::StockpileDestruction, None);
        assert_eq!(
            (st.due_date, st.original_due_date, st.extended),
            (d(stockpile), d(stockpile), false),
            "deposit {deposit}"
        );
        let cl = find(&list, K::Clearance, None);
        assert_eq!(
            (cl.due_date, cl.original_due_date, cl.extended),
            (d(clearance), d(clearance), false),
            "deposit {deposit}"
        );
        assert_eq!(list.len(), 4, "deposit {deposit}: {list:#?}");
    }
}

#[test]
fn the_annual_list_runs_from_the_first_report_to_the_first_one_due_after_today() {
    // E = 2010-08-01: the first annual covers 2010 and is due 2011-04-30.
    let table: [(&str, &[i32]); 8] = [
        ("2009-01-01", &[2010]),
        ("2010-08-01", &[2010]),
        ("2011-04-29", &[2010]),
        // Due on T is not "due after T": the next one is listed too.
        ("2011-04-30", &[2010, 2011]),
        ("2011-05-01", &[2010, 2011]),
        ("2012-04-30", &[2010, 2011, 2012]),
        ("2013-01-01", &[2010, 2011, 2012]),
        (
            "2025-03-01",
            &[
                2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023,
                2024,
            ],
        ),
    ];
    for (today, years) in table {
        let list = all(&party("2009-03-18"), today);
        assert_eq!(annual_years(&list), years.to_vec(), "T = {today}");
        for o in list
            .iter()
            .filter(|o| o.kind == K::AnnualTransparencyReport)
        {
            let y = o.reporting_year.expect("annual reports name their year");
            assert_eq!(o.due_date, d(&format!("{}-04-30", y + 1)));
            assert_eq!(o.original_due_date, o.due_date);
            assert!(!o.extended);
        }
    }
}

#[test]
fn lao_pdr_on_1_march_2025_owes_its_2024_report_in_60_days_and_is_late_on_clearance() {
    let mut lao = party("2009-03-18");
    lao.contaminated = true;
    let list = all(&lao, "2025-03-01");
    let a = find(&list, K::AnnualTransparencyReport, Some(2024));
    assert_eq!(
        (a.due_date, a.status, a.days_remaining),
        (d("2025-04-30"), S::DueSoon, 60)
    );
    assert_eq!(
        list.last(),
        Some(a),
        "the list ends with the next report due after T"
    );
    assert_eq!(annual_years(&list), (2010..=2024).collect::<Vec<_>>());
    let c = find(&list, K::Clearance, None);
    assert_eq!(
        (
            c.due_date,
            c.original_due_date,
            c.extended,
            c.status,
            c.fulfilled_on
        ),
        (d("2020-08-01"), d("2020-08-01"), false, S::Overdue, None)
    );
    assert_eq!(
        c.days_remaining,
        -(d("2025-03-01") - d("2020-08-01")).num_days()
    );
    assert!(
        !has(&list, K::StockpileDestruction),
        "Lao PDR holds no stockpiles"
    );
    // Nothing was submitted: every report due before T is overdue.
    for o in &list[..list.len() - 1] {
        assert_eq!(o.status, S::Overdue, "{o:?}");
    }
}

#[test]
fn a_state_whose_entry_into_force_is_ahead_has_only_upcoming_obligations() {
    // Deposited 2025-09-05, in force 2026-03-01; T is before entry into force.
    let list = all(&affected("2025-09-05"), "2025-11-01");
    let got: Vec<_> = list
        .iter()
        .map(|o| (o.kind, o.reporting_year, o.due_date, o.status))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                K::InitialTransparencyReport,
                None,
                d("2026-08-28"),
                S::Upcoming
            ),
            (
                K::AnnualTransparencyReport,
                Some(2026),
                d("2027-04-30"),
                S::Upcoming
            ),
            (K::StockpileDestruction, None, d("2034-03-01"), S::Upcoming),
            (K::Clearance, None, d("2036-03-01"), S::Upcoming),
        ]
    );
    assert_eq!(
        find(&list, K::InitialTransparencyReport, None).days_remaining,
        (d("2026-08-28") - d("2025-11-01")).num_days()
    );
}

// ---------------------------------------------------------------------------------------------
// Who owes what
// ---------------------------------------------------------------------------------------------

#[test]
fn signatories_non_parties_and_states_without_a_deposit_owe_nothing() {
    let mut signatory = affected("2010-01-01");
    signatory.standing = Standing::NotBound;
    let mut no_deposit = affected("2010-01-01");
    no_deposit.deposit_date = None;
    let mut withdrawn_without_deposit = lithuania();
    withdrawn_without_deposit.deposit_date = None;
    for s in [signatory, no_deposit, withdrawn_without_deposit] {
        assert!(all(&s, "2025-01-01").is_empty(), "{s:?}");
        for kind in [K::StockpileDestruction, K::Clearance] {
            assert_eq!(
                extension_allowed(&s, &[], kind, d("2030-01-01")),
                Err(ExtensionRefusal::NotApplicable),
                "{s:?}"
            );
        }
    }
}

#[test]
fn articles_3_and_4_apply_only_to_states_that_hold_stockpiles_or_are_contaminated() {
    let t = "2025-03-01";
    let none = party("2009-03-18");
    let list = all(&none, t);
    assert!(!has(&list, K::StockpileDestruction) && !has(&list, K::Clearance));

    let mut stock = party("2009-03-18");
    stock.holds_stockpiles = true;
    let list = all(&stock, t);
    assert!(has(&list, K::StockpileDestruction) && !has(&list, K::Clearance));

    let mut contaminated = party("2009-03-18");
    contaminated.contaminated = true;
    let list = all(&contaminated, t);
    assert!(!has(&list, K::StockpileDestruction) && has(&list, K::Clearance));
}

#[test]
fn a_recorded_completion_date_lists_articles_3_and_4_as_met_even_when_late() {
    let mut s = party("2009-03-18");
    // Neither flag set: the completion dates alone make the obligations apply.
    s.stockpile_destruction_completed_on = Some(d("2015-06-01"));
    s.clearance_completed_on = Some(d("2022-01-01"));
    let list = all(&s, "2025-03-01");
    let st = find(&list, K::StockpileDestruction, None);
    assert_eq!(
        (st.due_date, st.status, st.fulfilled_on, st.days_remaining),
        (
            d("2018-08-01"),
            S::Met,
            Some(d("2015-06-01")),
            -(d("2025-03-01") - d("2018-08-01")).num_days()
        )
    );
    let cl = find(&list, K::Clearance, None);
    assert_eq!(
        (cl.due_date, cl.status, cl.fulfilled_on),
        (d("2020-08-01"), S::Met, Some(d("2022-01-01"))),
        "completed after the deadline still meets it"
    );
}

#[test]
fn lithuania_owes_nothing_due_after_its_withdrawal_took_effect() {
    let mut ltu = lithuania();
    // Hypothetical Article 3 and 4 facts, to show what falls before the withdrawal.
    ltu.holds_stockpiles = true;
    ltu.stockpile_destruction_completed_on = Some(d("2015-03-23"));
    ltu.contaminated = true; // clearance due 2021-09-01
    for today in ["2025-03-01", "2025-03-06", "2025-03-07", "2026-06-01"] {
        let list = all(&ltu, today);
        assert!(
            list.iter().all(|o| o.due_date <= d("2025-03-06")),
            "T = {today}: {list:#?}"
        );
        assert_eq!(
            annual_years(&list),
            (2011..=2023).collect::<Vec<_>>(),
            "T = {today}: the 2024 report, due 2025-04-30, is not owed"
        );
        assert_eq!(
            find(&list, K::InitialTransparencyReport, None).due_date,
            d("2012-02-28")
        );
        assert_eq!(find(&list, K::StockpileDestruction, None).status, S::Met);
        assert_eq!(find(&list, K::Clearance, None).due_date, d("2021-09-01"));
    }
}

#[test]
fn a_withdrawn_state_before_its_withdrawal_still_stops_at_the_next_report_due() {
    // T = 2015-01-01: the annual list stops at the 2014 report due 2015-04-30, as for any
    // State party, then is cut at the withdrawal date (which removes nothing here).
    let list = all(&lithuania(), "2015-01-01");
    assert_eq!(annual_years(&list), vec![2011, 2012, 2013, 2014]);
}

#[test]
fn a_withdrawal_drops_an_obligation_by_its_extended_due_date() {
    let mut s = lithuania();
    s.contaminated = true;
    // Treaty clearance date 2021-09-01 (kept), extended to 2026-09-01 (after withdrawal).
    let list = obligations(
        &s,
        &[],
        &[ext(K::Clearance, "2026-09-01")],
        d("2025-01-01"),
        &Rules::default(),
    );
    assert!(!has(&list, K::Clearance), "{list:#?}");
    // Extended to a date on the withdrawal date itself: still owed.
    let list = obligations(
        &s,
        &[],
        &[ext(K::Clearance, "2025-03-06")],
        d("2025-01-01"),
        &Rules::default(),
    );
    assert_eq!(find(&list, K::Clearance, None).due_date, d("2025-03-06"));
}

#[test]
fn a_state_party_with_a_recorded_withdrawal_date_owes_nothing_due_after_it() {
    // Notice given; the withdrawal takes effect six months later (Article 20). Whatever
    // falls due after that date will never be owed.
    let mut s = party("2009-03-18");
    s.withdrawal_effective_date = Some(d("2025-03-06"));
    let list = all(&s, "2025-01-01");
    assert_eq!(annual_years(&list), (2010..=2023).collect::<Vec<_>>());
}

// ---------------------------------------------------------------------------------------------
// Fulfilment
// ---------------------------------------------------------------------------------------------

#[test]
fn a_report_submitted_late_still_fulfils_its_obligation() {
    let reports = [
        annual(2023, Some("2024-07-01")),
        initial(Some("2011-06-15")),
    ];
    let list = obligations(
        &party("2009-03-18"),
        &reports,
        &[],
        d("2025-03-01"),
        &Rules::default(),
    );
    let a = find(&list, K::AnnualTransparencyReport, Some(2023));
    assert_eq!(
        (a.due_date, a.status, a.fulfilled_on),
        (d("2024-04-30"), S::Met, Some(d("2024-07-01")))
    );
    assert_eq!(
        a.days_remaining,
        (d("2024-04-30") - d("2025-03-01")).num_days()
    );
    let i = find(&list, K::InitialTransparencyReport, None);
    assert_eq!(
        (i.due_date, i.status, i.fulfilled_on),
        (d("2011-01-28"), S::Met, Some(d("2011-06-15")))
    );
}

#[test]
fn drafts_do_not_fulfil_and_only_the_report_for_the_same_year_does() {
    let reports = [
        annual(2022, None),               // a draft
        annual(2021, Some("2023-04-01")), // the 2021 report, not the 2022 one
        initial(None),                    // a draft
    ];
    let list = obligations(
        &party("2009-03-18"),
        &reports,
        &[],
        d("2025-03-01"),
        &Rules::default(),
    );
    let a22 = find(&list, K::AnnualTransparencyReport, Some(2022));
    assert_eq!((a22.status, a22.fulfilled_on), (S::Overdue, None));
    assert_eq!(
        find(&list, K::AnnualTransparencyReport, Some(2021)).status,
        S::Met
    );
    let i = find(&list, K::InitialTransparencyReport, None);
    assert_eq!((i.status, i.fulfilled_on), (S::Overdue, None));
}

#[test]
fn the_earliest_submission_is_the_fulfilment_date() {
    let reports = [
        initial(Some("2011-03-01")),
        initial(Some("2011-01-20")),
        initial(None),
        annual(2010, Some("2011-05-02")),
        annual(2010, Some("2011-04-29")),
    ];
    let list = obligations(
        &party("2009-03-18"),
        &reports,
        &[],
        d("2012-01-01"),
        &Rules::default(),
    );
    assert_eq!(
        find(&list, K::InitialTransparencyReport, None).fulfilled_on,
        Some(d("2011-01-20"))
    );
    assert_eq!(
        find(&list, K::AnnualTransparencyReport, Some(2010)).fulfilled_on,
        Some(d("2011-04-29"))
    );
}

#[test]
fn an_initial_report_fulfils_the_initial_obligation_only() {
    let reports = [initial(Some("2011-01-10"))];
    let list = obligations(
        &party("2009-03-18"),
        &reports,
        &[],
        d("2011-05-01"),
        &Rules::default(),
    );
    assert_eq!(
        find(&list, K::InitialTransparencyReport, None).status,
        S::Met
    );
    assert_eq!(
        find(&list, K::AnnualTransparencyReport, Some(2010)).status,
        S::Overdue
    );
}

// ---------------------------------------------------------------------------------------------
// Extensions
// ---------------------------------------------------------------------------------------------

#[test]
fn extensions_in_sequence_move_the_deadline_to_the_latest_and_keep_the_treaty_date() {
    let s = affected("2009-03-18");
    // Stored in any order; reports cannot be extended: their "extensions" are ignored.
    let extensions = [
        ext(K::StockpileDestruction, "2026-08-01"),
        ext(K::StockpileDestruction, "2022-08-01"),
        ext(K::AnnualTransparencyReport, "2030-08-01"),
        ext(K::InitialTransparencyReport, "2030-08-01"),
        ext(K::StockpileDestruction, "2024-02-29"),
    ];
    let list = obligations(&s, &[], &extensions, d("2025-03-01"), &Rules::default());
    let st = find(&list, K::StockpileDestruction, None);
    assert_eq!(
        (
            st.due_date,
            st.original_due_date,
            st.extended,
            st.status,
            st.days_remaining
        ),
        (
            d("2026-08-01"),
            d("2018-08-01"),
            true,
            S::Upcoming,
            (d("2026-08-01") - d("2025-03-01")).num_days()
        )
    );
    let cl = find(&list, K::Clearance, None);
    assert_eq!(
        (cl.due_date, cl.original_due_date, cl.extended),
        (d("2020-08-01"), d("2020-08-01"), false),
        "a stockpile extension does not move clearance"
    );
    let i = find(&list, K::InitialTransparencyReport, None);
    assert_eq!((i.due_date, i.extended), (d("2011-01-28"), false));
    for o in list
        .iter()
        .filter(|o| o.kind == K::AnnualTransparencyReport)
    {
        assert!(!o.extended);
        assert_eq!((o.due_date.month(), o.due_date.day()), (4, 30));
    }
}

#[test]
fn clearance_extensions_in_sequence() {
    let mut s = party("2009-03-18");
    s.contaminated = true;
    let extensions = [
        ext(K::Clearance, "2025-08-01"),
        ext(K::Clearance, "2030-08-01"),
    ];
    let list = obligations(&s, &[], &extensions, d("2025-03-01"), &Rules::default());
    let c = find(&list, K::Clearance, None);
    assert_eq!(
        (c.due_date, c.original_due_date, c.extended, c.status),
        (d("2030-08-01"), d("2020-08-01"), true, S::Upcoming)
    );
}

/// case, State, extensions granted, kind, new deadline, expected answer.
type ExtensionCase<'a> = (
    &'a str,
    &'a StateFacts,
    &'a [ExtensionFact],
    K,
    &'a str,
    Result<(), ExtensionRefusal>,
);

#[test]
fn extension_requests_are_checked_against_the_deadline_in_force_and_the_treaty_step() {
    let s = affected("2009-03-18"); // stockpile due 2018-08-01, clearance due 2020-08-01
    let clean = party("2009-03-18");
    let first_clearance = [ext(K::Clearance, "2025-08-01")];
    let leap = [
        ext(K::StockpileDestruction, "2020-02-29"),
        ext(K::Clearance, "2024-02-29"),
    ];
    let stockpile_seq = [
        ext(K::StockpileDestruction, "2020-08-01"),
        ext(K::StockpileDestruction, "2022-08-01"),
    ];
    let not_later = |c: &str| -> Result<(), ExtensionRefusal> {
        Err(ExtensionRefusal::NotLater { current: d(c) })
    };
    let too_long = |c: &str, l: &str| -> Result<(), ExtensionRefusal> {
        Err(ExtensionRefusal::TooLong {
            current: d(c),
            latest_allowed: d(l),
        })
    };
    let table: [ExtensionCase; 22] = [
        // Stockpiles: four years at a time (Article 3(3)).
        (
            "stockpile: the same date is not later",
            &s,
            &[],
            K::StockpileDestruction,
            "2018-08-01",
            not_later("2018-08-01"),
        ),
        (
            "stockpile: an earlier date is not later",
            &s,
            &[],
            K::StockpileDestruction,
            "2017-01-01",
            not_later("2018-08-01"),
        ),
        (
            "stockpile: one day later",
            &s,
            &[],
            K::StockpileDestruction,
            "2018-08-02",
            Ok(()),
        ),
        (
            "stockpile: exactly four years",
            &s,
            &[],
            K::StockpileDestruction,
            "2022-08-01",
            Ok(()),
        ),
        (
            "stockpile: four years and a day",
            &s,
            &[],
            K::StockpileDestruction,
            "2022-08-02",
            too_long("2018-08-01", "2022-08-01"),
        ),
        (
            "stockpile: five years",
            &s,
            &[],
            K::StockpileDestruction,
            "2023-08-01",
            too_long("2018-08-01", "2022-08-01"),
        ),
        (
            "stockpile: a third extension measured from the second",
            &s,
            &stockpile_seq,
            K::StockpileDestruction,
            "2026-08-01",
            Ok(()),
        ),
        (
            "stockpile: a third extension beyond four years of the second",
            &s,
            &stockpile_seq,
            K::StockpileDestruction,
            "2026-08-02",
            too_long("2022-08-01", "2026-08-01"),
        ),
        (
            "stockpile: a third extension before the second",
            &s,
            &stockpile_seq,
            K::StockpileDestruction,
            "2021-08-01",
            not_later("2022-08-01"),
        ),
        // Clearance: five years at a time (Article 4(5)).
        (
            "clearance: exactly five years",
            &s,
            &[],
            K::Clearance,
            "2025-08-01",
            Ok(()),
        ),
        (
            "clearance: five years and a day",
            &s,
            &[],
            K::Clearance,
            "2025-08-02",
            too_long("2020-08-01", "2025-08-01"),
        ),
        (
            "clearance: a second extension measured from the first",
            &s,
            &first_clearance,
            K::Clearance,
            "2030-08-01",
            Ok(()),
        ),
        (
            "clearance: a second extension beyond five years of the first",
            &s,
            &first_clearance,
            K::Clearance,
            "2030-08-02",
            too_long("2025-08-01", "2030-08-01"),
        ),
        (
            "clearance: a second extension before the first",
            &s,
            &first_clearance,
            K::Clearance,
            "2024-01-01",
            not_later("2025-08-01"),
        ),
        (
            "clearance: a stockpile extension does not move the clearance deadline",
            &s,
            &stockpile_seq,
            K::Clearance,
            "2025-08-02",
            too_long("2020-08-01", "2025-08-01"),
        ),
        // From 29 February: + 4 years is 29 February again; + 5 years clamps to 28 February.
        (
            "stockpile: from 29 February, four years",
            &s,
            &leap,
            K::StockpileDestruction,
            "2024-02-29",
            Ok(()),
        ),
        (
            "stockpile: from 29 February, a day more",
            &s,
            &leap,
            K::StockpileDestruction,
            "2024-03-01",
            too_long("2020-02-29", "2024-02-29"),
        ),
        (
            "clearance: from 29 February, five years",
            &s,
            &leap,
            K::Clearance,
            "2029-02-28",
            Ok(()),
        ),
        (
            "clearance: from 29 February, a day more",
            &s,
            &leap,
            K::Clearance,
            "2029-03-01",
            too_long("2024-02-29", "2029-02-28"),
        ),
        // Nothing to extend.
        (
            "a report kind",
            &s,
            &[],
            K::AnnualTransparencyReport,
            "2030-01-01",
            Err(ExtensionRefusal::NotApplicable),
        ),
        (
            "the initial report",
            &s,
            &[],
            K::InitialTransparencyReport,
            "2030-01-01",
            Err(ExtensionRefusal::NotApplicable),
        ),
        (
            "clearance for a State with no contamination",
            &clean,
            &[],
            K::Clearance,
            "2025-08-01",
            Err(ExtensionRefusal::NotApplicable),
        ),
    ];
    for (case, state, extensions, kind, new_deadline, expected) in table {
        assert_eq!(
            extension_allowed(state, extensions, kind, d(new_deadline)),
            expected,
            "{case}"
        );
    }
    assert_eq!(
        extension_allowed(&clean, &[], K::StockpileDestruction, d("2020-08-01")),
        Err(ExtensionRefusal::NotApplicable),
        "stockpile destruction for a State that never held stockpiles"
    );
    let mut completed = clean.clone();
    completed.clearance_completed_on = Some(d("2023-01-01"));
    assert_eq!(
        extension_allowed(&completed, &[], K::Clearance, d("2025-08-01")),
        Ok(()),
        "a State that completed clearance had the obligation (a past extension may be recorded)"
    );
}

// ---------------------------------------------------------------------------------------------
// Status
// ---------------------------------------------------------------------------------------------

#[test]
fn status_and_days_remaining_at_the_boundaries() {
    // Clearance for E = 2010-08-01 is due 2020-08-01.
    let mut s = party("2009-03-18");
    s.contaminated = true;
    let table = [
        ("2020-08-01", S::DueSoon, 0, "due today"),
        ("2020-08-02", S::Overdue, -1, "one day late"),
        ("2021-08-01", S::Overdue, -365, "a year late"),
        ("2020-05-03", S::DueSoon, 90, "90 days ahead"),
        ("2020-05-02", S::Upcoming, 91, "91 days ahead"),
        ("2019-08-01", S::Upcoming, 366, "a year ahead (leap)"),
    ];
    for (today, status, days, case) in table {
        let c = find(&all(&s, today), K::Clearance, None).clone();
        assert_eq!(
            (c.status, c.days_remaining),
            (status, days),
            "{case}: T = {today}"
        );
    }
}

#[test]
fn the_due_soon_window_is_configurable() {
    let mut s = party("2009-03-18");
    s.contaminated = true;
    let rules = Rules { due_soon_days: 30 };
    let at = |today: &str| {
        find(
            &obligations(&s, &[], &[], d(today), &rules),
            K::Clearance,
            None,
        )
        .status
    };
    assert_eq!(at("2020-07-02"), S::DueSoon, "30 days ahead");
    assert_eq!(at("2020-07-01"), S::Upcoming, "31 days ahead");
    let rules = Rules { due_soon_days: 0 };
    let list = obligations(&s, &[], &[], d("2020-08-01"), &rules);
    assert_eq!(find(&list, K::Clearance, None).status, S::DueSoon);
}

#[test]
fn met_obligations_keep_their_days_remaining() {
    let reports = [annual(2024, Some("2025-02-01"))];
    let list = obligations(
        &party("2009-03-18"),
        &reports,
        &[],
        d("2025-03-01"),
        &Rules::default(),
    );
    let a = find(&list, K::AnnualTransparencyReport, Some(2024));
    assert_eq!((a.status, a.days_remaining), (S::Met, 60));
}

#[test]
fn the_list_is_ordered_by_due_date_then_kind_then_year() {
    let s = affected("2009-03-18");
    // Stockpile and clearance both extended to 30 April 2025, the day the 2024 report is due.
    let extensions = [
        ext(K::Clearance, "2025-04-30"),
        ext(K::StockpileDestruction, "2021-08-01"),
        ext(K::StockpileDestruction, "2025-04-30"),
    ];
    let list = obligations(&s, &[], &extensions, d("2025-03-01"), &Rules::default());
    let tail: Vec<_> = list
        .iter()
        .rev()
        .take(3)
        .rev()
        .map(|o| (o.kind, o.reporting_year, o.due_date))
        .collect();
    assert_eq!(
        tail,
        vec![
            (K::AnnualTransparencyReport, Some(2024), d("2025-04-30")),
            (K::StockpileDestruction, None, d("2025-04-30")),
            (K::Clearance, None, d("2025-04-30")),
        ]
    );
    assert_eq!(list[0].kind, K::InitialTransparencyReport);
    assert!(list.windows(2).all(|w| {
        (w[0].due_date, w[0].kind, w[0].reporting_year)
            < (w[1].due_date, w[1].kind, w[1].reporting_year)
    }));
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

fn date_between(from: NaiveDate, to: NaiveDate) -> impl Strategy<Value = NaiveDate> {
    (0..=(to - from).num_days()).prop_map(move |n| from + Duration::days(n))
}

fn ymd(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

#[derive(Clone, Debug)]
struct Case {
    state: StateFacts,
    reports: Vec<ReportFact>,
    extensions: Vec<ExtensionFact>,
    today: NaiveDate,
}

fn treaty_plus(eif: NaiveDate, months: u32) -> NaiveDate {
    eif.checked_add_months(Months::new(months))
        .expect("in range")
}

/// 0–3 increasing extensions of `kind`, each within one treaty step of the previous deadline.
fn chain(kind: K, treaty: NaiveDate, steps: &[i64]) -> Vec<ExtensionFact> {
    let mut deadline = treaty;
    steps
        .iter()
        .map(|days| {
            deadline += Duration::days(*days);
            ExtensionFact {
                kind,
                new_deadline: deadline,
            }
        })
        .collect()
}

fn arb_case() -> impl Strategy<Value = Case> {
    let report = (
        any::<bool>(),
        2008i32..2042,
        proptest::option::of(date_between(ymd(2010, 1, 1), ymd(2042, 12, 31))),
    )
        .prop_map(|(is_initial, year, submitted_on)| ReportFact {
            kind: if is_initial {
                ReportKind::Initial
            } else {
                ReportKind::Annual
            },
            reporting_year: year,
            submitted_on,
        });
    (
        (
            date_between(ymd(2008, 12, 3), ymd(2030, 12, 31)),
            date_between(ymd(2010, 1, 1), ymd(2040, 12, 31)),
            proptest::option::of(1i64..9000),
            any::<bool>(),
            any::<bool>(),
        ),
        (
            proptest::option::of(-300i64..6000),
            proptest::option::of(-300i64..8000),
            proptest::collection::vec(report, 0..16),
            // Steps within one treaty step: 48 months are never fewer than 1460 days, 60
            // months never fewer than 1826.
            proptest::collection::vec(1i64..=1460, 0..=3),
            proptest::collection::vec(1i64..=1825, 0..=3),
            any::<bool>(),
            proptest::option::of(date_between(ymd(2010, 1, 1), ymd(2045, 12, 31))),
        ),
    )
        .prop_map(
            |(
                (deposit, today, withdrawal, stockpiles, contaminated),
                (stock_done, clear_done, reports, st_steps, cl_steps, reverse, noise),
            )| {
                let eif = entry_into_force(deposit);
                let state = StateFacts {
                    standing: if withdrawal.is_some() {
                        Standing::Withdrawn
                    } else {
                        Standing::StateParty
                    },
                    deposit_date: Some(deposit),
                    withdrawal_effective_date: withdrawal.map(|n| deposit + Duration::days(n)),
                    holds_stockpiles: stockpiles,
                    contaminated,
                    stockpile_destruction_completed_on: stock_done.map(|n| eif + Duration::days(n)),
                    clearance_completed_on: clear_done.map(|n| eif + Duration::days(n)),
                };
                let mut extensions = chain(
                    K::StockpileDestruction,
                    treaty_plus(eif, STOCKPILE_MONTHS),
                    &st_steps,
                );
                extensions.extend(chain(
                    K::Clearance,
                    treaty_plus(eif, CLEARANCE_MONTHS),
                    &cl_steps,
                ));
                if let Some(n) = noise {
                    extensions.push(ExtensionFact {
                        kind: K::AnnualTransparencyReport,
                        new_deadline: n,
                    });
                }
                if reverse {
                    extensions.reverse();
                }
                Case {
                    state,
                    reports,
                    extensions,
                    today,
                }
            },
        )
}

fn run(c: &Case, today: NaiveDate, rules: &Rules) -> Vec<Obligation> {
    obligations(&c.state, &c.reports, &c.extensions, today, rules)
}

fn eif_of(c: &Case) -> NaiveDate {
    entry_into_force(c.state.deposit_date.expect("cases have a deposit"))
}

/// The annual reports owed, by brute force over every 30 April of the period: (year, due).
fn annual_oracle(c: &Case) -> Vec<(i32, NaiveDate)> {
    let initial_due = eif_of(c) + Duration::days(180);
    let eligible: Vec<(i32, NaiveDate)> = (2000..2060)
        .map(|y| (y - 1, ymd(y, 4, 30)))
        .filter(|(_, due)| *due > initial_due)
        .collect();
    let next_after_today = eligible
        .iter()
        .map(|(_, due)| *due)
        .find(|due| *due > c.today);
    eligible
        .into_iter()
        .filter(|(_, due)| *due <= c.today || Some(*due) == next_after_today)
        .filter(|(_, due)| c.state.withdrawal_effective_date.is_none_or(|w| *due <= w))
        .collect()
}

fn rank(s: S) -> u8 {
    match s {
        S::Upcoming => 0,
        S::DueSoon => 1,
        S::Overdue => 2,
        S::Met => 3,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_due_date_and_no_treaty_date_precede_entry_into_force(c in arb_case()) {
        let eif = eif_of(&c);
        for o in run(&c, c.today, &Rules::default()) {
            prop_assert!(o.due_date >= eif && o.original_due_date >= eif, "{o:?}");
        }
    }

    #[test]
    fn annual_reports_come_one_a_year_from_the_first_eligible_year_to_the_first_due_after_today(
        c in arb_case()
    ) {
        let list = run(&c, c.today, &Rules::default());
        let annual: Vec<&Obligation> =
            list.iter().filter(|o| o.kind == K::AnnualTransparencyReport).collect();
        let got: Vec<(i32, NaiveDate)> = annual
            .iter()
            .map(|o| (o.reporting_year.unwrap_or(i32::MIN), o.due_date))
            .collect();
        prop_assert_eq!(&got, &annual_oracle(&c));
        for (year, due) in &got {
            prop_assert_eq!(*due, ymd(year + 1, 4, 30));
        }
        for w in got.windows(2) {
            prop_assert_eq!(w[1].0, w[0].0 + 1, "consecutive years, no gaps");
        }
        let initial_due = eif_of(&c) + Duration::days(180);
        if let Some((year, due)) = got.first() {
            prop_assert!(*due > initial_due);
            prop_assert!(ymd(*year, 4, 30) <= initial_due, "the first eligible year");
        }
        if c.state.withdrawal_effective_date.is_none() {
            prop_assert!(!got.is_empty());
            let last = got[got.len() - 1].1;
            prop_assert!(last > c.today, "the list reaches the next report due after T");
            prop_assert_eq!(got.iter().filter(|(_, due)| *due > c.today).count(), 1);
        } else {
            // Withdrawn: the State party's list, cut at the withdrawal date.
            let mut as_party = c.clone();
            as_party.state.standing = Standing::StateParty;
            as_party.state.withdrawal_effective_date = None;
            let w = c.state.withdrawal_effective_date.unwrap_or(NaiveDate::MAX);
            let expected: Vec<Obligation> = run(&as_party, c.today, &Rules::default())
                .into_iter()
                .filter(|o| o.due_date <= w)
                .collect();
            prop_assert_eq!(&list, &expected);
        }
    }

    #[test]
    fn status_depends_only_on_due_date_fulfilment_and_today(
        c in arb_case(),
        shifts in proptest::collection::vec(-2000i64..2000, 1..4),
        due_soon_days in 0i64..200,
    ) {
        let rules = Rules { due_soon_days };
        let list = run(&c, c.today, &rules);
        for o in &list {
            prop_assert_eq!(
                o.status,
                expected_status(o.due_date, o.fulfilled_on, c.today, due_soon_days),
                "{:?}", o
            );
        }
        for shift in shifts {
            let other = c.today + Duration::days(shift);
            for m in run(&c, other, &rules) {
                prop_assert_eq!(
                    m.status,
                    expected_status(m.due_date, m.fulfilled_on, other, due_soon_days)
                );
                let Some(o) = list
                    .iter()
                    .find(|o| o.kind == m.kind && o.reporting_year == m.reporting_year)
                else {
                    continue;
                };
                // Moving T changes neither the dates nor the fulfilment...
                prop_assert_eq!(
                    (m.due_date, m.original_due_date, m.extended, m.fulfilled_on),
                    (o.due_date, o.original_due_date, o.extended, o.fulfilled_on)
                );
                // ...and an open obligation only moves forward: UPCOMING → DUE_SOON → OVERDUE.
                if o.fulfilled_on.is_none() {
                    prop_assert_eq!(
                        rank(m.status).cmp(&rank(o.status)),
                        if rank(m.status) == rank(o.status) {
                            std::cmp::Ordering::Equal
                        } else {
                            other.cmp(&c.today)
                        }
                    );
                }
            }
        }
    }

    #[test]
    fn days_remaining_is_due_date_minus_today(c in arb_case()) {
        for o in run(&c, c.today, &Rules::default()) {
            prop_assert_eq!(o.days_remaining, (o.due_date - c.today).num_days(), "{:?}", o);
            prop_assert_eq!(o.days_remaining < 0, o.due_date < c.today);
        }
    }

    #[test]
    fn the_list_is_sorted_by_due_date_kind_and_year_without_duplicates(c in arb_case()) {
        let list = run(&c, c.today, &Rules::default());
        for w in list.windows(2) {
            prop_assert!(
                (w[0].due_date, w[0].kind, w[0].reporting_year)
                    < (w[1].due_date, w[1].kind, w[1].reporting_year),
                "{:?}", w
            );
        }
        let initials = list.iter().filter(|o| o.kind == K::InitialTransparencyReport).count();
        let withdrawn_before = c.state.withdrawal_effective_date
            .is_some_and(|w| w < eif_of(&c) + Duration::days(180));
        prop_assert_eq!(initials, usize::from(!withdrawn_before));
    }

    #[test]
    fn fulfilment_is_the_earliest_matching_submission_or_the_completion_date(c in arb_case()) {
        for o in run(&c, c.today, &Rules::default()) {
            let expected = match o.kind {
                K::InitialTransparencyReport => c.reports.iter()
                    .filter(|r| r.kind == ReportKind::Initial)
                    .filter_map(|r| r.submitted_on)
                    .min(),
                K::AnnualTransparencyReport => c.reports.iter()
                    .filter(|r| r.kind == ReportKind::Annual && Some(r.reporting_year) == o.reporting_year)
                    .filter_map(|r| r.submitted_on)
                    .min(),
                K::StockpileDestruction => c.state.stockpile_destruction_completed_on,
                K::Clearance => c.state.clearance_completed_on,
            };
            prop_assert_eq!(o.fulfilled_on, expected, "{:?}", o);
            prop_assert_eq!(o.status == S::Met, expected.is_some());
        }
    }

    #[test]
    fn articles_3_and_4_are_listed_when_they_apply_with_the_treaty_date_and_the_latest_extension(
        c in arb_case()
    ) {
        let list = run(&c, c.today, &Rules::default());
        let eif = eif_of(&c);
        for (kind, applies, months) in [
            (
                K::StockpileDestruction,
                c.state.holds_stockpiles || c.state.stockpile_destruction_completed_on.is_some(),
                STOCKPILE_MONTHS,
            ),
            (
                K::Clearance,
                c.state.contaminated || c.state.clearance_completed_on.is_some(),
                CLEARANCE_MONTHS,
            ),
        ] {
            let treaty = treaty_plus(eif, months);
            let latest = c.extensions.iter().filter(|e| e.kind == kind).map(|e| e.new_deadline).max();
            let in_force = latest.unwrap_or(treaty);
            let owed = applies && c.state.withdrawal_effective_date.is_none_or(|w| in_force <= w);
            let found: Vec<&Obligation> = list.iter().filter(|o| o.kind == kind).collect();
            prop_assert_eq!(found.len(), usize::from(owed));
            if let Some(o) = found.first() {
                prop_assert_eq!(
                    (o.original_due_date, o.due_date, o.extended, o.reporting_year),
                    (treaty, in_force, latest.is_some(), None)
                );
            }
        }
    }

    #[test]
    fn an_extension_is_allowed_exactly_after_the_deadline_in_force_within_one_treaty_step(
        c in arb_case(),
        clearance in any::<bool>(),
        offset in -400i64..2200,
    ) {
        let (kind, treaty_months, step) = if clearance {
            (K::Clearance, CLEARANCE_MONTHS, CLEARANCE_EXTENSION_MONTHS)
        } else {
            (K::StockpileDestruction, STOCKPILE_MONTHS, STOCKPILE_EXTENSION_MONTHS)
        };
        let applies = if clearance {
            c.state.contaminated || c.state.clearance_completed_on.is_some()
        } else {
            c.state.holds_stockpiles || c.state.stockpile_destruction_completed_on.is_some()
        };
        let current = c.extensions.iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.new_deadline)
            .max()
            .unwrap_or(treaty_plus(eif_of(&c), treaty_months));
        let latest_allowed = treaty_plus(current, step);
        let new_deadline = current + Duration::days(offset);
        let got = extension_allowed(&c.state, &c.extensions, kind, new_deadline);
        let expected = if !applies {
            Err(ExtensionRefusal::NotApplicable)
        } else if new_deadline <= current {
            Err(ExtensionRefusal::NotLater { current })
        } else if new_deadline > latest_allowed {
            Err(ExtensionRefusal::TooLong { current, latest_allowed })
        } else {
            Ok(())
        };
        prop_assert_eq!(&got, &expected);
        // Reports are never extended.
        for report in [K::InitialTransparencyReport, K::AnnualTransparencyReport] {
            prop_assert_eq!(
                extension_allowed(&c.state, &c.extensions, report, new_deadline),
                Err(ExtensionRefusal::NotApplicable)
            );
        }
        // Once granted, the new deadline is the one in force.
        if got.is_ok() {
            let mut granted = c.clone();
            granted.extensions.push(ExtensionFact { kind, new_deadline });
            let list = run(&granted, c.today, &Rules::default());
            if let Some(o) = list.iter().find(|o| o.kind == kind) {
                prop_assert_eq!((o.due_date, o.extended), (new_deadline, true));
            } else {
                prop_assert!(c.state.withdrawal_effective_date.is_some_and(|w| new_deadline > w));
            }
        }
    }
}
