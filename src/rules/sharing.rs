//! Sharing an assessed total among States parties (docs/domain.md §7): pure, exact arithmetic
//! in `Decimal` and integer cents. No database, no GraphQL.
//!
//! Each State's exact share is `total × rate / Σ rates`. Every State first gets its share
//! rounded down to the cent; the cents left over (fewer than the number of States) go one
//! each to the largest remainders, ties broken by State code. So the shares sum to exactly
//! the total, and each differs from its exact value by less than one cent (the
//! largest-remainder method, as used for the UN scale of assessments' rounding).

use rust_decimal::Decimal;

/// One State's rate on the scale used (e.g. its UN scale of assessment rate, in percent).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rate {
    pub state_code: String,
    pub rate: Decimal,
}

/// Why a total cannot be shared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SharingError {
    NoStates,
    /// Rates must be positive.
    NotPositive(String),
    Duplicate(String),
    /// The arithmetic would overflow `Decimal` (absurd totals or rates).
    Overflow,
}

/// Shares `total_cents` (≥ 0) by `rates`; returns cents per State in the order given.
pub fn share(total_cents: i64, rates: &[Rate]) -> Result<Vec<i64>, SharingError> {
    if rates.is_empty() {
        return Err(SharingError::NoStates);
    }
    let mut codes: Vec<&str> = rates.iter().map(|r| r.state_code.as_str()).collect();
    codes.sort_unstable();
    if let Some(w) = codes.windows(2).find(|w| w[0] == w[1]) {
        return Err(SharingError::Duplicate(w[0].to_owned()));
    }
    if let Some(r) = rates.iter().find(|r| r.rate <= Decimal::ZERO) {
        return Err(SharingError::NotPositive(r.state_code.clone()));
    }
    let sum = rates
        .iter()
        .try_fold(Decimal::ZERO, |acc, r| acc.checked_add(r.rate))
        .ok_or(SharingError::Overflow)?;
    let total = Decimal::from(total_cents);
    // Floors and remainders as exact fractions n / sum: floor = ⌊total × rate / sum⌋,
    // remainder = total × rate − floor × sum (in [0, sum)), compared without division.
    let mut floors = Vec::with_capacity(rates.len());
    let mut remainders = Vec::with_capacity(rates.len());
    for r in rates {
        let product = total.checked_mul(r.rate).ok_or(SharingError::Overflow)?;
        let floor = product
            .checked_div(sum)
            .ok_or(SharingError::Overflow)?
            .floor();
        // Division may round in its last digit: correct the floor so that
        // 0 ≤ product − floor × sum < sum holds exactly.
        let mut floor = floor;
        let mut rem = product
            .checked_sub(floor.checked_mul(sum).ok_or(SharingError::Overflow)?)
            .ok_or(SharingError::Overflow)?;
        while rem.is_sign_negative() && !rem.is_zero() {
            floor -= Decimal::ONE;
            rem += sum;
        }
        while rem >= sum {
            floor += Decimal::ONE;
            rem -= sum;
        }
        floors.push(i64::try_from(floor).map_err(|_| SharingError::Overflow)?);
        remainders.push(rem);
    }
    let given: i64 = floors.iter().sum();
    let left = usize::try_from(total_cents - given).map_err(|_| SharingError::Overflow)?;
    let mut order: Vec<usize> = (0..rates.len()).collect();
    order.sort_by(|&a, &b| {
        remainders[b]
            .cmp(&remainders[a])
            .then_with(|| rates[a].state_code.cmp(&rates[b].state_code))
    });
    for &i in order.iter().take(left) {
        floors[i] += 1;
    }
    Ok(floors)
}

/// True when a State was bound by the Convention on some day of `year`: its entry into
/// force (Article 17) is on or before 31 December, and any withdrawal took effect after
/// 1 January (Article 20). Only such States may be invoiced for the year.
pub fn in_force_during(
    deposit: Option<chrono::NaiveDate>,
    withdrawal_effective: Option<chrono::NaiveDate>,
    year: i32,
) -> bool {
    let (Some(first), Some(last)) = (
        chrono::NaiveDate::from_ymd_opt(year, 1, 1),
        chrono::NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return false;
    };
    deposit.is_some_and(|d| crate::rules::obligations::entry_into_force(d) <= last)
        && withdrawal_effective.is_none_or(|w| w > first)
}

/// Equal rates for every State: the scale used when none was ever given.
pub fn equal_rates(codes: &[String]) -> Vec<Rate> {
    codes
        .iter()
        .map(|c| Rate {
            state_code: c.clone(),
            rate: Decimal::ONE,
        })
        .collect()
}

/// spent ÷ budget, 0 when the budget is 0 (the contract's `executionRate`).
pub fn execution_rate(spent_cents: i64, budget_cents: i64) -> f64 {
    if budget_cents == 0 {
        0.0
    } else {
        spent_cents as f64 / budget_cents as f64
    }
}

/// The Working Capital Reserve's target: `months` twelfths of the approved budget,
/// rounded half up to the cent.
pub fn reserve_target(budget_cents: i64, months: u32) -> i64 {
    let exact = Decimal::from(budget_cents) * Decimal::from(months) / Decimal::from(12);
    i64::try_from(
        exact.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
    )
    .unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rates(list: &[(&str, &str)]) -> Vec<Rate> {
        list.iter()
            .map(|(c, r)| Rate {
                state_code: (*c).to_owned(),
                rate: r.parse().expect("decimal"),
            })
            .collect()
    }

    #[test]
    fn remainders_go_to_the_largest_fractions_then_by_code() {
        // 100.00 in three equal parts: 33.34, 33.33, 33.33, the extra cent by code.
        let r = rates(&[("CHE", "1"), ("AUT", "1"), ("BEL", "1")]);
        assert_eq!(share(10_000, &r), Ok(vec![3_333, 3_334, 3_333]));
        // 10.00 by 1:2: 3.333… and 6.666…: the larger remainder (6.666) takes the cent.
        let r = rates(&[("AAA", "1"), ("BBB", "2")]);
        assert_eq!(share(1_000, &r), Ok(vec![333, 667]));
    }

    #[test]
    fn un_scale_rates_share_exactly() {
        let r = rates(&[
            ("DEU", "6.111"),
            ("FRA", "4.318"),
            ("CHE", "1.134"),
            ("LAO", "0.007"),
        ]);
        let s = share(60_000_000, &r).expect("shares");
        assert_eq!(s.iter().sum::<i64>(), 60_000_000);
        assert_eq!(s, vec![31_690_579, 22_392_394, 5_880_726, 36_301]);
    }

    #[test]
    fn bad_scales_are_refused() {
        assert_eq!(share(100, &[]), Err(SharingError::NoStates));
        assert_eq!(
            share(100, &rates(&[("AAA", "1"), ("AAA", "2")])),
            Err(SharingError::Duplicate("AAA".into()))
        );
        assert_eq!(
            share(100, &rates(&[("AAA", "1"), ("BBB", "0")])),
            Err(SharingError::NotPositive("BBB".into()))
        );
        assert_eq!(
            share(100, &rates(&[("AAA", "-1")])),
            Err(SharingError::NotPositive("AAA".into()))
        );
    }

    #[test]
    fn states_are_in_force_from_entry_into_force_until_withdrawal() {
        let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day);
        // Deposited 2025-09-05: in force from 2026-03-01.
        assert!(!in_force_during(d(2025, 9, 5), None, 2025));
        assert!(in_force_during(d(2025, 9, 5), None, 2026));
        // Deposited 2025-07-31: in force from 2026-01-01, not in 2025.
        assert!(!in_force_during(d(2025, 7, 31), None, 2025));
        assert!(in_force_during(d(2025, 7, 31), None, 2026));
        // Withdrawal effective 2025-03-06: bound part of 2025, not in 2026.
        assert!(in_force_during(d(2008, 12, 3), d(2025, 3, 6), 2025));
        assert!(!in_force_during(d(2008, 12, 3), d(2025, 3, 6), 2026));
        assert!(!in_force_during(d(2008, 12, 3), d(2026, 1, 1), 2026));
        assert!(!in_force_during(None, None, 2026));
    }

    #[test]
    fn the_reserve_target_is_months_of_budget() {
        assert_eq!(reserve_target(60_000_000, 3), 15_000_000);
        assert_eq!(reserve_target(100, 1), 8); // 8.33 cents
        assert_eq!(reserve_target(6, 1), 1); // 0.5 rounds up
        assert_eq!(reserve_target(0, 3), 0);
        assert_eq!(execution_rate(0, 0), 0.0);
        assert_eq!(execution_rate(250, 1_000), 0.25);
    }

    fn scale() -> impl Strategy<Value = Vec<Rate>> {
        proptest::collection::btree_map("[A-Z]{3}", (1u64..10_000_000, 0u32..6), 1..40).prop_map(
            |m| {
                m.into_iter()
                    .map(|(code, (mantissa, scale))| Rate {
                        state_code: code,
                        rate: Decimal::new(i64::try_from(mantissa).unwrap_or(1), scale),
                    })
                    .collect()
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn shares_sum_exactly_and_each_is_within_a_cent(total in 0i64..100_000_000_000, rates in scale()) {
            let s = share(total, &rates).expect("valid scale");
            prop_assert_eq!(s.iter().sum::<i64>(), total);
            let sum: Decimal = rates.iter().map(|r| r.rate).sum();
            for (cents, r) in s.iter().zip(&rates) {
                let exact = Decimal::from(total) * r.rate / sum;
                let diff = (Decimal::from(*cents) - exact).abs();
                prop_assert!(diff < Decimal::ONE, "{} got {} exact {}", r.state_code, cents, exact);
                prop_assert!(*cents >= 0);
            }
        }

        #[test]
        fn a_larger_rate_never_gets_a_smaller_share(total in 0i64..10_000_000_000, rates in scale()) {
            let s = share(total, &rates).expect("valid scale");
            for i in 0..rates.len() {
                for j in 0..rates.len() {
                    if rates[i].rate > rates[j].rate {
                        prop_assert!(s[i] >= s[j]);
                    }
                }
            }
        }

        #[test]
        fn the_order_of_the_scale_does_not_change_any_share(total in 0i64..10_000_000_000, rates in scale()) {
            let s = share(total, &rates).expect("valid scale");
            let mut reversed = rates.clone();
            reversed.reverse();
            let mut r = share(total, &reversed).expect("valid scale");
            r.reverse();
            prop_assert_eq!(s, r);
        }
    }
}
