//! The score: each term as documented, and the gender term exact for any target.

use super::*;

#[test]
fn each_term_of_the_score_counts_as_documented() {
    let mut affected_low = cand("AAA", true, 10);
    affected_low.affected = true;
    affected_low.income = Some(IncomeGroup::Low);
    let mut lower_middle = cand("AAA", false, 10);
    lower_middle.income = Some(IncomeGroup::LowerMiddle);
    lower_middle.region = Some(RegionalGroup::AsiaPacific);
    let mut no_region = cand("BBB", false, 10);
    no_region.region = None;
    no_region.income = None;
    let c = [affected_low, lower_middle, no_region];
    let none = Approved::default();
    let p = Policy::default();
    // (chosen, approved, score in points × 100)
    let cases: [(&[usize], &Approved, i64); 7] = [
        // Nothing chosen, nothing approved: N = 0, no penalty.
        (&[], &none, 0),
        // 100 + 60 + 40, first of AAA 1000, Africa 300; one woman for a 50% target: |100 − 50|.
        (&[0], &none, 150_000 - 150 * 50),
        // Two of AAA: one first-delegate bonus; 100 + 20; two regions; one woman, one man.
        (&[0, 1], &none, 20_000 + 12_000 + 100_000 + 60_000),
        // No region covers nothing; income None earns nothing.
        (&[2], &none, 10_000 + 100_000 - 150 * 50),
        // Repeated and out-of-range indices count once / not at all.
        (&[2, 2, 7], &none, 10_000 + 100_000 - 150 * 50),
        (
            &[0],
            &approved(&["AAA"], &[RegionalGroup::Africa], 0, 1),
            20_000,
        ),
        (
            &[1],
            &approved(&[], &[RegionalGroup::Africa], 3, 3),
            12_000 + 100_000 + 30_000 - 150 * 100,
        ),
    ];
    for (picked, a, expected) in cases {
        assert_eq!(score(&c, a, picked, &p), expected, "{picked:?} with {a:?}");
    }
}

#[test]
fn the_gender_term_is_exact_for_any_target() {
    let c = [
        cand("AAA", true, 10),
        cand("BBB", false, 10),
        cand("CCC", false, 10),
    ];
    let a = Approved::default();
    // One woman, two men: |100·1 − T·3|.
    for (t, dev) in [
        (0, 100),
        (33, 1),
        (50, 50),
        (60, 80),
        (100, 200),
        (150, 200),
    ] {
        let linear = 3 * 10_000 + 3 * 100_000 + 30_000;
        assert_eq!(
            score(&c, &a, &[0, 1, 2], &target(t)),
            linear - 150 * dev,
            "target {t}"
        );
    }
}
