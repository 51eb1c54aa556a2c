//! Properties over generated States and dates.

use super::*;

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
                    records_begin: RecordsBegin::default(),
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
        S::NotRecorded => 4,
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
                c.state.holds_stockpiles
                    || c.state.stockpile_destruction_completed_on.is_some()
                    || c.extensions.iter().any(|e| e.kind == K::StockpileDestruction),
                STOCKPILE_MONTHS,
            ),
            (
                K::Clearance,
                c.state.contaminated
                    || c.state.clearance_completed_on.is_some()
                    || c.extensions.iter().any(|e| e.kind == K::Clearance),
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
        // The flag, a completion or an extension of the kind shows the obligation.
        let applies = c.extensions.iter().any(|e| e.kind == kind)
            || if clearance {
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
