#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]
use ccm_isu::budget::sharing::{Rate, share};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use rust_decimal::Decimal;
fn rate() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        2 => (1i64..=1_000_000_000, 0u32..=12).prop_map(|(m, s)| Decimal::new(m, s)),
        2 => (1i64..=i64::MAX, 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s)),
        1 => (any::<u32>(), any::<u32>(), any::<u32>(), 0u32..=28).prop_map(|(lo, mid, hi, s)| Decimal::from_parts(lo, mid, hi, false, s)),
    ]
}
#[test]
fn probe() {
    let mut runner = TestRunner::deterministic();
    let strat = (
        prop_oneof![0i64..=10_000_000_000_000, 0i64..=i64::MAX],
        prop::collection::btree_map("[A-Z]{3}", rate(), 1..40),
    );
    let (mut ok, mut err, mut bad) = (0, 0, 0);
    for _ in 0..20000 {
        let (total, m) = strat.new_tree(&mut runner).unwrap().current();
        let rates: Vec<Rate> = m
            .into_iter()
            .map(|(c, r)| Rate {
                state_code: c,
                rate: if r.is_zero() { Decimal::ONE } else { r },
            })
            .collect();
        let rs = rates.clone();
        match std::panic::catch_unwind(move || share(total, &rs)) {
            Ok(Ok(v)) => {
                ok += 1;
                if v.iter().map(|&x| i128::from(x)).sum::<i128>() != i128::from(total)
                    || v.iter().any(|&x| x < 0)
                {
                    bad += 1;
                    if bad < 4 {
                        println!(
                            "BAD total {total} rates {:?} -> {v:?}",
                            rates.iter().map(|r| r.rate.to_string()).collect::<Vec<_>>()
                        );
                    }
                }
            }
            Ok(Err(_)) => err += 1,
            Err(_) => {
                bad += 1;
                println!(
                    "PANIC total {total} rates {:?}",
                    rates.iter().map(|r| r.rate.to_string()).collect::<Vec<_>>()
                );
            }
        }
    }
    println!("share ok {ok} err {err} bad {bad}");
}
