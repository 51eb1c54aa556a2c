//! Who owes what: parties, signatories, withdrawals, Articles 3 and 4 by facts.

use super::*;

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
