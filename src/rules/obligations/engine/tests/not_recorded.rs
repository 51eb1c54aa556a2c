//! NOT_RECORDED: what fell due before a State's records begin, with no fulfilment recorded.

use super::*;

/// E = 2010-08-01: initial report due 2011-01-28, the report on year Y due 30 April Y+1,
/// clearance due 2020-08-01.
fn early_contaminated(records_begin: RecordsBegin) -> StateFacts {
    StateFacts {
        contaminated: true,
        records_begin,
        ..party("2009-03-18")
    }
}

#[test]
fn what_fell_due_before_the_records_begin_is_not_recorded() {
    let begin = RecordsBegin::on(d("2020-04-30"));
    let s = early_contaminated(begin);
    let reports = [annual(2017, Some("2018-05-10"))];
    let list = obligations(&s, &reports, &[], d("2026-12-06"), &Rules::default());
    let status = |kind, year| find(&list, kind, year).status;
    let table = [
        (
            K::InitialTransparencyReport,
            None,
            S::NotRecorded,
            "due 2011, nothing recorded",
        ),
        (
            K::AnnualTransparencyReport,
            Some(2017),
            S::Met,
            "before, but recorded: met",
        ),
        (
            K::AnnualTransparencyReport,
            Some(2018),
            S::NotRecorded,
            "due 2019-04-30",
        ),
        (
            K::AnnualTransparencyReport,
            Some(2019),
            S::Overdue,
            "due on the first day",
        ),
        (
            K::AnnualTransparencyReport,
            Some(2020),
            S::Overdue,
            "due after it",
        ),
        (
            K::AnnualTransparencyReport,
            Some(2026),
            S::Upcoming,
            "not due yet",
        ),
        (K::Clearance, None, S::Overdue, "due 2020-08-01, after it"),
    ];
    for (kind, year, expected, case) in table {
        assert_eq!(status(kind, year), expected, "{case}");
    }
}

#[test]
fn without_a_start_nothing_is_not_recorded() {
    let s = early_contaminated(RecordsBegin::default());
    let list = obligations(&s, &[], &[], d("2026-12-06"), &Rules::default());
    assert!(list.iter().all(|o| o.status != S::NotRecorded));
    assert_eq!(
        find(&list, K::InitialTransparencyReport, None).status,
        S::Overdue
    );
}

#[test]
fn a_start_after_today_leaves_what_is_not_yet_due_alone() {
    // Records said to begin in 2030: only what has fallen due can be unknown.
    let s = early_contaminated(RecordsBegin::on(d("2030-01-01")));
    let list = obligations(&s, &[], &[], d("2026-12-06"), &Rules::default());
    let status = |year| find(&list, K::AnnualTransparencyReport, Some(year)).status;
    assert_eq!(status(2026), S::Upcoming, "due 2027-04-30");
    assert_eq!(status(2025), S::NotRecorded, "due 2026-04-30");
}

#[test]
fn the_deadline_in_force_decides_and_each_kind_has_its_own_start() {
    // Clearance extended from 2020-08-01 to 2025-08-01.
    let extensions = [ext(K::Clearance, "2025-08-01")];
    let table = [
        (
            RecordsBegin::on(d("2024-01-01")),
            S::Overdue,
            "extended deadline within the records",
        ),
        (
            RecordsBegin::on(d("2026-01-01")),
            S::NotRecorded,
            "extended deadline before them",
        ),
        (
            RecordsBegin::on(d("2026-01-01")).with(K::Clearance, d("2010-08-01")),
            S::Overdue,
            "clearance's own start",
        ),
    ];
    for (begin, expected, case) in table {
        let s = early_contaminated(begin);
        let list = obligations(&s, &[], &extensions, d("2026-12-06"), &Rules::default());
        assert_eq!(find(&list, K::Clearance, None).status, expected, "{case}");
    }
    // The override of one kind leaves the others at the deployment's start.
    let s =
        early_contaminated(RecordsBegin::on(d("2026-01-01")).with(K::Clearance, d("2010-08-01")));
    let list = obligations(&s, &[], &extensions, d("2026-12-06"), &Rules::default());
    assert_eq!(
        find(&list, K::InitialTransparencyReport, None).status,
        S::NotRecorded
    );
}

#[test]
fn a_completion_before_the_records_begin_is_met() {
    let mut s = early_contaminated(RecordsBegin::on(d("2026-01-01")));
    s.clearance_completed_on = Some(d("2019-08-31"));
    let list = obligations(&s, &[], &[], d("2026-12-06"), &Rules::default());
    assert_eq!(find(&list, K::Clearance, None).status, S::Met);
}

#[test]
fn only_upcoming_due_soon_and_overdue_are_open() {
    for (status, open) in [
        (S::Upcoming, true),
        (S::DueSoon, true),
        (S::Overdue, true),
        (S::Met, false),
        (S::NotRecorded, false),
    ] {
        assert_eq!(status.is_open(), open, "{status:?}");
    }
}

#[test]
fn an_extension_shows_the_obligation_applies() {
    // No stockpile flag, no completion: an extension granted is enough to owe it.
    let s = party("2009-03-18");
    let extensions = [ext(K::StockpileDestruction, "2021-08-01")];
    let list = obligations(&s, &[], &extensions, d("2020-01-01"), &Rules::default());
    let o = find(&list, K::StockpileDestruction, None);
    assert_eq!(
        (o.original_due_date, o.due_date),
        (d("2018-08-01"), d("2021-08-01"))
    );
    assert!(
        obligations(&s, &[], &[], d("2020-01-01"), &Rules::default())
            .iter()
            .all(|o| o.kind != K::StockpileDestruction)
    );
}
