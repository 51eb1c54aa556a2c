//! Extensions: deadlines moved in sequence, and requests checked against the treaty.

use super::*;

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
