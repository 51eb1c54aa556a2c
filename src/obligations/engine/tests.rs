//! Table-driven and property tests of the obligations engine, from the examples and edge
//! cases of domain.md §2–§3.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::obligations::{
    ExtensionFact, ExtensionRefusal, ObligationKind as K, ObligationStatus as S, ReportFact,
    ReportKind, Rules, Standing, StateFacts, entry_into_force,
};

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

fn find(list: &[Obligation], kind: K, year: Option<i32>) -> &Obligation {
    list.iter()
        .find(|o| o.kind == kind && o.reporting_year == year)
        .unwrap_or_else(|| panic!("no {kind:?} {year:?} in {list:#?}"))
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

#[test]
fn the_first_thirty_states_have_the_2010_dates_of_the_domain() {
    let mut s = party("2009-03-18");
    s.holds_stockpiles = true;
    s.contaminated = true;
    let list = all(&s, "2011-02-01");
    assert_eq!(
        find(&list, K::InitialTransparencyReport, None).due_date,
        d("2011-01-28")
    );
    let first = find(&list, K::AnnualTransparencyReport, Some(2010));
    assert_eq!(first.due_date, d("2011-04-30"));
    assert_eq!(
        find(&list, K::StockpileDestruction, None).due_date,
        d("2018-08-01")
    );
    assert_eq!(find(&list, K::Clearance, None).due_date, d("2020-08-01"));
    assert_eq!(
        annual_years(&list),
        vec![2010],
        "the next report due after T ends the list"
    );
}

#[test]
fn a_2025_entry_into_force_first_reports_on_2025() {
    // Deposited 2024-11-20: entry into force 2025-05-01.
    let list = all(&party("2024-11-20"), "2025-06-01");
    assert_eq!(
        find(&list, K::InitialTransparencyReport, None).due_date,
        d("2025-10-28")
    );
    assert_eq!(
        find(&list, K::AnnualTransparencyReport, Some(2025)).due_date,
        d("2026-04-30")
    );
    assert_eq!(annual_years(&list), vec![2025]);
}

#[test]
fn deposits_around_the_thirtieth_instrument_enter_into_force_on_1_august_2010() {
    for deposit in ["2010-02-16", "2010-02-17"] {
        let list = all(&party(deposit), "2011-02-01");
        assert_eq!(
            find(&list, K::InitialTransparencyReport, None).due_date,
            d("2011-01-28"),
            "{deposit}"
        );
    }
}

#[test]
fn first_and_last_days_of_a_month_and_december_deposits() {
    assert_eq!(entry_into_force(d("2015-03-01")), d("2015-09-01"));
    assert_eq!(entry_into_force(d("2015-03-31")), d("2015-09-01"));
    let list = all(&party("2019-12-31"), "2020-01-10");
    // Entry into force 2020-06-01; initial due 2020-11-28; first annual covers 2020.
    assert_eq!(
        find(&list, K::InitialTransparencyReport, None).due_date,
        d("2020-11-28")
    );
    assert_eq!(
        find(&list, K::AnnualTransparencyReport, Some(2020)).due_date,
        d("2021-04-30")
    );
}

#[test]
fn a_state_whose_entry_into_force_is_ahead_owes_nothing_yet() {
    // Vanuatu-like: deposited 2025-09-05, in force 2026-03-01.
    let list = all(&party("2025-09-05"), "2025-11-01");
    assert!(list.iter().all(|o| o.status == S::Upcoming), "{list:#?}");
    assert_eq!(
        find(&list, K::InitialTransparencyReport, None).due_date,
        d("2026-08-28")
    );
    assert_eq!(annual_years(&list), vec![2026]);
}

#[test]
fn a_withdrawn_state_owes_nothing_due_after_its_withdrawal() {
    let mut ltu = party("2011-03-24");
    ltu.standing = Standing::Withdrawn;
    ltu.withdrawal_effective_date = Some(d("2025-03-06"));
    let list = all(&ltu, "2025-03-01");
    assert!(list.iter().all(|o| o.due_date <= d("2025-03-06")));
    assert_eq!(
        annual_years(&list).last(),
        Some(&2023),
        "the 2024 report, due 2025-04-30, is not owed"
    );
    assert_eq!(annual_years(&list).first(), Some(&2011));
}

#[test]
fn signatories_and_states_without_a_deposit_owe_nothing() {
    let mut s = party("2010-01-01");
    s.standing = Standing::NotBound;
    assert!(all(&s, "2025-01-01").is_empty());
    let mut s = party("2010-01-01");
    s.deposit_date = None;
    assert!(all(&s, "2025-01-01").is_empty());
}

#[test]
fn an_initial_report_due_after_30_april_pushes_the_first_annual_a_year_on() {
    // Deposited 2024-06-10: in force 2024-12-01, initial due 2025-05-30.
    let list = all(&party("2024-06-10"), "2025-06-01");
    assert_eq!(
        find(&list, K::InitialTransparencyReport, None).due_date,
        d("2025-05-30")
    );
    assert_eq!(annual_years(&list), vec![2025]);
    assert_eq!(
        find(&list, K::AnnualTransparencyReport, Some(2025)).due_date,
        d("2026-04-30")
    );
}

#[test]
fn an_initial_report_due_exactly_on_30_april_does_not_count_that_day() {
    // Deposited 2024-05-15: in force 2024-11-01, initial due 2025-04-30 exactly.
    let list = all(&party("2024-05-15"), "2025-05-01");
    assert_eq!(
        find(&list, K::InitialTransparencyReport, None).due_date,
        d("2025-04-30")
    );
    assert_eq!(
        annual_years(&list),
        vec![2025],
        "first annual is due 2026-04-30"
    );
}

#[test]
fn a_late_report_still_fulfils_its_obligation() {
    let reports = [
        ReportFact {
            kind: ReportKind::Annual,
            reporting_year: 2023,
            submitted_on: Some(d("2024-07-01")),
        },
        ReportFact {
            kind: ReportKind::Annual,
            reporting_year: 2022,
            submitted_on: None,
        },
        ReportFact {
            kind: ReportKind::Initial,
            reporting_year: 2010,
            submitted_on: Some(d("2011-01-10")),
        },
    ];
    let list = obligations(
        &party("2009-03-18"),
        &reports,
        &[],
        d("2025-03-01"),
        &Rules::default(),
    );
    let late = find(&list, K::AnnualTransparencyReport, Some(2023));
    assert_eq!(late.status, S::Met);
    assert_eq!(late.fulfilled_on, Some(d("2024-07-01")));
    assert_eq!(
        find(&list, K::AnnualTransparencyReport, Some(2022)).status,
        S::Overdue,
        "a draft does not fulfil"
    );
    assert_eq!(
        find(&list, K::InitialTransparencyReport, None).status,
        S::Met
    );
}

#[test]
fn lao_pdr_on_1_march_2025() {
    let mut lao = party("2009-03-18");
    lao.contaminated = true;
    let list = all(&lao, "2025-03-01");
    let annual = find(&list, K::AnnualTransparencyReport, Some(2024));
    assert_eq!(
        (annual.due_date, annual.status, annual.days_remaining),
        (d("2025-04-30"), S::DueSoon, 60)
    );
    assert_eq!(list.last().map(|o| o.reporting_year), Some(Some(2024)));
    let clearance = find(&list, K::Clearance, None);
    assert_eq!(
        (clearance.due_date, clearance.status),
        (d("2020-08-01"), S::Overdue)
    );
    assert!(!clearance.extended);
}

#[test]
fn extensions_in_sequence_move_the_deadline_and_keep_the_treaty_date() {
    let mut s = party("2009-03-18");
    s.contaminated = true;
    s.holds_stockpiles = true;
    let ext = [
        ExtensionFact {
            kind: K::Clearance,
            new_deadline: d("2025-08-01"),
        },
        ExtensionFact {
            kind: K::Clearance,
            new_deadline: d("2030-08-01"),
        },
        ExtensionFact {
            kind: K::AnnualTransparencyReport,
            new_deadline: d("2030-08-01"),
        },
    ];
    let list = obligations(&s, &[], &ext, d("2025-03-01"), &Rules::default());
    let c = find(&list, K::Clearance, None);
    assert_eq!(
        (c.due_date, c.original_due_date, c.extended, c.status),
        (d("2030-08-01"), d("2020-08-01"), true, S::Upcoming)
    );
    let st = find(&list, K::StockpileDestruction, None);
    assert!(!st.extended);
    assert!(annual_years(&list).iter().all(|y| {
        find(&list, K::AnnualTransparencyReport, Some(*y))
            .due_date
            .format("%m-%d")
            .to_string()
            == "04-30"
    }));
}

#[test]
fn completion_dates_make_articles_3_and_4_met() {
    let mut s = party("2009-03-18");
    s.stockpile_destruction_completed_on = Some(d("2015-06-01"));
    s.clearance_completed_on = Some(d("2022-01-01"));
    let list = all(&s, "2025-03-01");
    let st = find(&list, K::StockpileDestruction, None);
    assert_eq!(
        (st.status, st.fulfilled_on),
        (S::Met, Some(d("2015-06-01")))
    );
    assert_eq!(
        find(&list, K::Clearance, None).status,
        S::Met,
        "completed late still meets it"
    );
}

#[test]
fn status_boundaries() {
    let r = Rules::default();
    let due = d("2025-04-30");
    assert_eq!(status(due, None, due, &r), S::DueSoon);
    assert_eq!(status(due, None, d("2025-05-01"), &r), S::Overdue);
    assert_eq!(
        status(due, None, d("2025-01-30"), &r),
        S::DueSoon,
        "90 days ahead"
    );
    assert_eq!(
        status(due, None, d("2025-01-29"), &r),
        S::Upcoming,
        "91 days ahead"
    );
    assert_eq!(
        status(due, Some(d("2026-01-01")), d("2027-01-01"), &r),
        S::Met
    );
    let list = all(&party("2009-03-18"), "2025-05-01");
    assert_eq!(
        find(&list, K::AnnualTransparencyReport, Some(2024)).days_remaining,
        -1
    );
}

#[test]
fn extensions_are_checked_against_the_deadline_in_force_and_the_treaty_step() {
    let mut s = party("2009-03-18");
    s.contaminated = true;
    s.holds_stockpiles = true;
    assert_eq!(
        extension_allowed(&s, &[], K::Clearance, d("2020-08-01")),
        Err(ExtensionRefusal::NotLater {
            current: d("2020-08-01")
        })
    );
    assert_eq!(
        extension_allowed(&s, &[], K::Clearance, d("2025-08-01")),
        Ok(())
    );
    assert_eq!(
        extension_allowed(&s, &[], K::Clearance, d("2025-08-02")),
        Err(ExtensionRefusal::TooLong {
            current: d("2020-08-01"),
            latest_allowed: d("2025-08-01")
        })
    );
    assert_eq!(
        extension_allowed(&s, &[], K::StockpileDestruction, d("2022-08-01")),
        Ok(())
    );
    assert!(matches!(
        extension_allowed(&s, &[], K::StockpileDestruction, d("2022-08-02")),
        Err(ExtensionRefusal::TooLong { .. })
    ));
    let first = [ExtensionFact {
        kind: K::Clearance,
        new_deadline: d("2025-08-01"),
    }];
    assert_eq!(
        extension_allowed(&s, &first, K::Clearance, d("2030-08-01")),
        Ok(())
    );
    assert!(matches!(
        extension_allowed(&s, &first, K::Clearance, d("2024-01-01")),
        Err(ExtensionRefusal::NotLater { .. })
    ));
    assert_eq!(
        extension_allowed(&s, &[], K::AnnualTransparencyReport, d("2030-01-01")),
        Err(ExtensionRefusal::NotApplicable)
    );
    let clean = party("2009-03-18");
    assert_eq!(
        extension_allowed(&clean, &[], K::Clearance, d("2025-08-01")),
        Err(ExtensionRefusal::NotApplicable)
    );
}

fn arb_date(from: i32, to: i32) -> impl Strategy<Value = NaiveDate> {
    let start = NaiveDate::from_ymd_opt(from, 1, 1).unwrap_or_default();
    let days = (NaiveDate::from_ymd_opt(to, 12, 31).unwrap_or_default() - start).num_days();
    (0..=days).prop_map(move |n| start + chrono::Duration::days(n))
}

fn arb_case() -> impl Strategy<Value = (StateFacts, Vec<ReportFact>, Vec<ExtensionFact>, NaiveDate)>
{
    (
        arb_date(2008, 2030),
        arb_date(2010, 2040),
        any::<bool>(),
        any::<bool>(),
        proptest::collection::vec(
            (2009i32..2041, proptest::option::of(arb_date(2010, 2042))),
            0..12,
        ),
        proptest::collection::vec(1u32..60, 0..4),
    )
        .prop_map(|(deposit, today, stockpiles, contaminated, reps, steps)| {
            let mut s = StateFacts {
                standing: Standing::StateParty,
                deposit_date: Some(deposit),
                withdrawal_effective_date: None,
                holds_stockpiles: stockpiles,
                contaminated,
                stockpile_destruction_completed_on: None,
                clearance_completed_on: None,
            };
            s.holds_stockpiles |= !contaminated;
            let reports = reps
                .into_iter()
                .map(|(y, on)| ReportFact {
                    kind: ReportKind::Annual,
                    reporting_year: y,
                    submitted_on: on,
                })
                .collect();
            let eif = entry_into_force(deposit);
            let mut deadline = eif
                .checked_add_months(chrono::Months::new(CLEARANCE_MONTHS))
                .unwrap_or(eif);
            let extensions = steps
                .into_iter()
                .map(|m| {
                    deadline = deadline
                        .checked_add_months(chrono::Months::new(m))
                        .unwrap_or(deadline);
                    ExtensionFact {
                        kind: K::Clearance,
                        new_deadline: deadline,
                    }
                })
                .collect();
            (s, reports, extensions, today)
        })
}

proptest! {
    #[test]
    fn no_due_date_precedes_entry_into_force((s, reports, ext, today) in arb_case()) {
        let eif = entry_into_force(s.deposit_date.unwrap_or_default());
        for o in obligations(&s, &reports, &ext, today, &Rules::default()) {
            prop_assert!(o.due_date >= eif && o.original_due_date >= eif, "{o:?}");
        }
    }

    #[test]
    fn annual_reports_come_one_a_year_without_gaps((s, reports, ext, today) in arb_case()) {
        let list = obligations(&s, &reports, &ext, today, &Rules::default());
        let annual: Vec<&Obligation> = list.iter().filter(|o| o.kind == K::AnnualTransparencyReport).collect();
        prop_assert!(!annual.is_empty());
        for w in annual.windows(2) {
            prop_assert_eq!(w[1].reporting_year, w[0].reporting_year.map(|y| y + 1));
        }
        let initial = find(&list, K::InitialTransparencyReport, None).due_date;
        let first = annual[0];
        prop_assert!(first.due_date > initial);
        prop_assert!(april_30(first.due_date.year() - 1).is_none_or(|prev| prev <= initial), "the first is the first 30 April after the initial");
        let last = annual[annual.len() - 1];
        prop_assert!(last.due_date > today, "the list reaches the next report due after T");
        prop_assert!(annual.iter().filter(|o| o.due_date > today).count() == 1);
    }

    #[test]
    fn status_depends_only_on_due_date_fulfilment_and_today((s, reports, ext, today) in arb_case(), shift in -800i64..800) {
        let rules = Rules::default();
        for o in obligations(&s, &reports, &ext, today, &rules) {
            prop_assert_eq!(o.status, status(o.due_date, o.fulfilled_on, today, &rules));
            prop_assert_eq!(o.days_remaining, (o.due_date - today).num_days());
            let other = today + chrono::Duration::days(shift);
            let moved = obligations(&s, &reports, &ext, other, &rules);
            if let Some(same) = moved.iter().find(|m| m.kind == o.kind && m.reporting_year == o.reporting_year) {
                prop_assert_eq!(same.due_date, o.due_date);
                prop_assert_eq!(same.status, status(o.due_date, o.fulfilled_on, other, &rules));
            }
        }
    }
}
