//! Status: days remaining, the due-soon window, and the order of the list.

use super::*;

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
