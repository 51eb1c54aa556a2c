//! Due dates: every deadline from entry into force, and the annual list.

use super::*;

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
