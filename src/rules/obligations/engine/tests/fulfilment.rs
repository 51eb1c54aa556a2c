//! Fulfilment: which submission fulfils which obligation, and when.

use super::*;

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
