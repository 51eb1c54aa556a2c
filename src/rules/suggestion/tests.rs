use proptest::prelude::*;

use super::*;

const REGIONS: [RegionalGroup; 5] = [
    RegionalGroup::Africa,
    RegionalGroup::AsiaPacific,
    RegionalGroup::EasternEurope,
    RegionalGroup::LatinAmericaCaribbean,
    RegionalGroup::WesternEuropeOthers,
];

/// A candidate of `state` in Africa, upper-middle income, not affected.
fn cand(state: &str, female: bool, cost: i64) -> Candidate {
    Candidate {
        state_code: state.to_owned(),
        region: Some(RegionalGroup::Africa),
        income: Some(IncomeGroup::UpperMiddle),
        affected: false,
        female,
        cost_cents: cost,
    }
}

fn approved(states: &[&str], regions: &[RegionalGroup], female: u32, total: u32) -> Approved {
    Approved {
        state_codes: states.iter().map(|s| (*s).to_owned()).collect(),
        regions: regions.to_vec(),
        female,
        total,
    }
}

fn target(percent: u32) -> Policy {
    Policy {
        female_target_percent: percent,
        ..Policy::default()
    }
}

/// Asserts the suggestion is consistent and returns its chosen indices.
fn chosen(c: &[Candidate], a: &Approved, budget: i64, policy: &Policy) -> Vec<usize> {
    let s = suggest(c, a, budget, policy);
    assert!(s.proven_optimal);
    assert!(s.total_cents <= budget.max(0));
    assert_eq!(s.score, score(c, a, &s.chosen, policy));
    assert_eq!(
        s.total_cents,
        s.chosen.iter().map(|&i| c[i].cost_cents).sum::<i64>()
    );
    assert!(s.chosen.windows(2).all(|w| w[0] < w[1]));
    s.chosen
}

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

#[test]
fn one_delegate_per_state_comes_before_second_delegates() {
    // AAA's second delegate is cheaper than BBB's first, but BBB's first earns the bonus.
    let c = [
        cand("AAA", false, 100),
        cand("AAA", true, 100),
        cand("BBB", true, 150),
    ];
    assert_eq!(
        chosen(&c, &Approved::default(), 250, &Policy::default()),
        vec![0, 2]
    );
}

#[test]
fn second_delegates_come_once_every_state_has_one() {
    let c = [
        cand("AAA", false, 100),
        cand("AAA", true, 100),
        cand("BBB", true, 150),
    ];
    assert_eq!(
        chosen(&c, &Approved::default(), 350, &Policy::default()),
        vec![0, 1, 2]
    );
    // With AAA's first delegate already approved, BBB's first is preferred to AAA's second.
    let a = approved(&["AAA"], &[], 0, 1);
    let c = [cand("AAA", true, 100), cand("BBB", true, 150)];
    assert_eq!(chosen(&c, &a, 150, &Policy::default()), vec![1]);
}

#[test]
fn regions_already_covered_by_approvals_earn_nothing_more() {
    let mut asia = cand("BBB", false, 120);
    asia.region = Some(RegionalGroup::AsiaPacific);
    let c = [cand("AAA", false, 100), asia];
    // Without approvals, Africa's cheaper candidate wins the tie on points.
    assert_eq!(
        chosen(&c, &Approved::default(), 120, &Policy::default()),
        vec![0]
    );
    // With Africa covered, only Asia-Pacific earns the regional bonus.
    let a = approved(&["ZZZ"], &[RegionalGroup::Africa], 0, 1);
    assert_eq!(chosen(&c, &a, 120, &Policy::default()), vec![1]);
}

#[test]
fn the_gender_target_decides_between_equal_candidates() {
    // Two men approved; a woman and a man of equal points, budget for one.
    let c = [cand("AAA", false, 100), cand("BBB", true, 100)];
    let a = approved(&["XXX"], &[RegionalGroup::Africa], 0, 2);
    assert_eq!(chosen(&c, &a, 100, &target(50)), vec![1]);
    assert_eq!(chosen(&c, &a, 100, &target(100)), vec![1]);
    assert_eq!(chosen(&c, &a, 100, &target(0)), vec![0]);
    // Balance can outweigh a cheaper candidate: at 50%, the woman costs a little more.
    let c = [cand("AAA", false, 100), cand("BBB", true, 101)];
    assert_eq!(chosen(&c, &a, 101, &target(50)), vec![1]);
    // At a 0% target every woman costs 150 points, more than a delegate's 100 are worth…
    let c = [cand("AAA", true, 100)];
    let a = approved(&["AAA"], &[RegionalGroup::Africa], 0, 2);
    assert_eq!(chosen(&c, &a, 100, &target(0)), Vec::<usize>::new());
    // …and at 50% she is worth it.
    assert_eq!(chosen(&c, &a, 100, &target(50)), vec![0]);
}

#[test]
fn affected_and_low_income_states_come_first() {
    let mut affected = cand("AAA", false, 100);
    affected.affected = true;
    let mut low = cand("BBB", false, 100);
    low.income = Some(IncomeGroup::Low);
    let mut lower_middle = cand("CCC", false, 100);
    lower_middle.income = Some(IncomeGroup::LowerMiddle);
    let upper_middle = cand("DDD", false, 100);
    let c = [upper_middle, lower_middle, low, affected];
    let a = approved(&["ZZZ"], &[RegionalGroup::Africa], 0, 0);
    let p = target(0); // men only: no gender term in the way
    assert_eq!(chosen(&c, &a, 100, &p), vec![3]);
    assert_eq!(chosen(&c, &a, 200, &p), vec![2, 3]);
    assert_eq!(chosen(&c, &a, 300, &p), vec![1, 2, 3]);
    assert_eq!(chosen(&c, &a, 400, &p), vec![0, 1, 2, 3]);
}

#[test]
fn an_empty_or_spent_budget_chooses_nothing() {
    let c = [cand("AAA", true, 100), cand("BBB", false, 50)];
    let a = approved(&["ZZZ"], &[], 1, 3);
    for budget in [0, -1, -1_000_000, 49] {
        let s = suggest(&c, &a, budget, &Policy::default());
        assert!(s.chosen.is_empty(), "budget {budget}");
        assert_eq!((s.total_cents, s.score), (0, -150 * 50));
        assert!(s.proven_optimal);
    }
    let s = suggest(&[], &Approved::default(), 1_000, &Policy::default());
    assert_eq!(
        s,
        Suggestion {
            chosen: vec![],
            total_cents: 0,
            score: 0,
            proven_optimal: true
        }
    );
}

#[test]
fn everything_is_chosen_when_everything_fits() {
    let c: Vec<Candidate> = (0..30)
        .map(|i| cand(&format!("S{}", i % 7), i % 3 == 0, 1_000 + i))
        .collect();
    let total: i64 = c.iter().map(|x| x.cost_cents).sum();
    assert_eq!(
        chosen(&c, &Approved::default(), total, &Policy::default()),
        (0..30).collect::<Vec<_>>()
    );
}

#[test]
fn ties_go_to_the_cheaper_then_to_the_lower_indices() {
    // Identical candidates: the lowest indices.
    let c = [
        cand("AAA", false, 100),
        cand("BBB", false, 100),
        cand("BBB", false, 100),
        cand("AAA", false, 100),
    ];
    let a = approved(&["AAA", "BBB"], &[RegionalGroup::Africa], 0, 0);
    assert_eq!(chosen(&c, &a, 200, &target(0)), vec![0, 1]);
    // Equal points, different costs: the cheaper.
    let c = [cand("AAA", false, 101), cand("BBB", false, 100)];
    assert_eq!(chosen(&c, &a, 201, &target(0)), vec![0, 1]);
    assert_eq!(chosen(&c, &a, 200, &target(0)), vec![1]);
    // Equal score and cost from different States: the lower index.
    let c = [
        cand("CCC", false, 60),
        cand("AAA", false, 50),
        cand("BBB", false, 50),
        cand("AAA", false, 40),
    ];
    assert_eq!(chosen(&c, &a, 100, &target(0)), vec![0, 3]);
}

#[test]
fn the_same_input_gives_the_same_suggestion() {
    let (c, a, budget, p) = meeting(60, 7);
    let first = suggest(&c, &a, budget, &p);
    assert!(first.proven_optimal);
    for _ in 0..3 {
        assert_eq!(suggest(&c, &a, budget, &p), first);
    }
}

#[test]
fn a_realistic_meeting_is_solved_exactly() {
    for seed in 0..3 {
        let (c, a, budget, p) = meeting(100, seed);
        let s = suggest(&c, &a, budget, &p);
        assert!(s.proven_optimal, "seed {seed}");
        assert!(s.total_cents <= budget);
        assert_eq!(s.score, score(&c, &a, &s.chosen, &p));
    }
}

/// A meeting like the benchmark's: about `n × 0.6` States, 5 regions, costs 1 500–8 000
/// CHF in cents, half the demand fundable.
fn meeting(n: usize, seed: u64) -> (Vec<Candidate>, Approved, i64, Policy) {
    let mut x = seed
        .wrapping_mul(2_862_933_555_777_941_757)
        .wrapping_add(3_037_000_493);
    let mut next = |m: u64| {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (x >> 33) % m
    };
    let states = (n as u64 * 3 / 5).max(1);
    let c: Vec<Candidate> = (0..n)
        .map(|_| {
            let s = next(states);
            Candidate {
                state_code: format!("S{s:03}"),
                region: Some(REGIONS[(s % 5) as usize]),
                income: Some(
                    [
                        IncomeGroup::Low,
                        IncomeGroup::LowerMiddle,
                        IncomeGroup::UpperMiddle,
                    ][(s % 3) as usize],
                ),
                affected: s % 4 == 0,
                female: next(2) == 0,
                cost_cents: 150_000 + next(650_001) as i64,
            }
        })
        .collect();
    let budget = c.iter().map(|x| x.cost_cents).sum::<i64>() / 2;
    (c, Approved::default(), budget, Policy::default())
}

/// The objective of distinct ascending indices, written out again independently of
/// [`score`] (sorted vectors instead of sets and masks), as the brute force's reference.
fn reference(c: &[Candidate], a: &Approved, picked: &[usize], p: &Policy) -> i64 {
    let t = Terms::new(p);
    let mut states: Vec<&str> = picked
        .iter()
        .map(|&i| c[i].state_code.as_str())
        .filter(|s| !a.state_codes.iter().any(|x| x == s))
        .collect();
    states.sort_unstable();
    states.dedup();
    let mut regions: Vec<RegionalGroup> = picked
        .iter()
        .filter_map(|&i| c[i].region)
        .filter(|r| !a.regions.contains(r))
        .collect();
    regions.sort_by_key(|r| region_bit(Some(*r)));
    regions.dedup();
    let items: i64 = picked.iter().map(|&i| t.value(&c[i])).sum();
    let women = i64::from(a.female) + picked.iter().filter(|&&i| c[i].female).count() as i64;
    let all = i64::from(a.total) + picked.len() as i64;
    items + t.first * states.len() as i64 + t.region * regions.len() as i64
        - t.gender * (100 * women - t.target * all).abs()
}

/// The suggestion by enumeration of every subset that fits, under the documented
/// tie-break: highest score, then lowest cost, then smallest index vector. The objective is
/// kept incrementally with counters (the best is checked against [`reference`]).
fn brute_force(c: &[Candidate], a: &Approved, budget: i64, p: &Policy) -> (i64, i64, Vec<usize>) {
    struct Walk<'a> {
        c: &'a [Candidate],
        t: Terms,
        budget: i64,
        /// Per candidate: its State's slot, or None when the State has an approved delegate.
        state: Vec<Option<usize>>,
        /// Per candidate: its region's slot, or None when covered already or absent.
        region: Vec<Option<usize>>,
        per_state: Vec<u32>,
        per_region: [u32; 5],
        picked: Vec<usize>,
        best: (i64, i64, Vec<usize>),
    }
    impl Walk<'_> {
        fn go(&mut self, k: usize, cost: i64, items: i64, women: i64, all: i64) {
            if k == self.c.len() {
                let states = self.per_state.iter().filter(|&&n| n > 0).count() as i64;
                let regions = self.per_region.iter().filter(|&&n| n > 0).count() as i64;
                let s = items + self.t.first * states + self.t.region * regions
                    - self.t.gender * (100 * women - self.t.target * all).abs();
                let better = (s, -cost) > (self.best.0, -self.best.1)
                    || ((s, cost) == (self.best.0, self.best.1) && self.picked < self.best.2);
                if better {
                    self.best = (s, cost, self.picked.clone());
                }
                return;
            }
            let x = &self.c[k];
            if x.cost_cents > 0 && cost + x.cost_cents <= self.budget {
                let (st, rg) = (self.state[k], self.region[k]);
                st.inspect(|&i| self.per_state[i] += 1);
                rg.inspect(|&i| self.per_region[i] += 1);
                self.picked.push(k);
                let value = self.t.value(x);
                let w = i64::from(x.female);
                self.go(
                    k + 1,
                    cost + x.cost_cents,
                    items + value,
                    women + w,
                    all + 1,
                );
                self.picked.pop();
                st.inspect(|&i| self.per_state[i] -= 1);
                rg.inspect(|&i| self.per_region[i] -= 1);
            }
            self.go(k + 1, cost, items, women, all);
        }
    }
    let mut codes: Vec<&str> = c.iter().map(|x| x.state_code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let mut walk = Walk {
        c,
        t: Terms::new(p),
        budget,
        state: c
            .iter()
            .map(|x| {
                let approved = a.state_codes.contains(&x.state_code);
                (!approved).then(|| codes.binary_search(&x.state_code.as_str()).unwrap())
            })
            .collect(),
        region: c
            .iter()
            .map(|x| {
                let r = x.region.filter(|r| !a.regions.contains(r))?;
                REGIONS.iter().position(|y| *y == r)
            })
            .collect(),
        per_state: vec![0; codes.len()],
        per_region: [0; 5],
        picked: vec![],
        best: (i64::MIN, 0, vec![]),
    };
    walk.go(0, 0, 0, i64::from(a.female), i64::from(a.total));
    assert_eq!(reference(c, a, &walk.best.2, p), walk.best.0);
    walk.best
}

/// A candidate of one of `states` States.
fn candidate_strategy(states: u8) -> impl Strategy<Value = Candidate> {
    (
        0..states,
        0usize..6,
        0usize..5,
        any::<bool>(),
        any::<bool>(),
        prop_oneof![1i64..=12, 150_000i64..=800_000],
    )
        .prop_map(|(s, r, inc, affected, female, cost_cents)| Candidate {
            state_code: format!("S{s}"),
            region: REGIONS.get(r).copied(),
            income: [
                IncomeGroup::Low,
                IncomeGroup::LowerMiddle,
                IncomeGroup::UpperMiddle,
                IncomeGroup::High,
            ]
            .get(inc)
            .copied(),
            affected,
            female,
            cost_cents,
        })
}

fn approved_strategy() -> impl Strategy<Value = Approved> {
    (
        proptest::collection::vec(0u8..8, 0..4),
        proptest::collection::vec(0usize..5, 0..3),
        0u32..6,
        0u32..6,
    )
        .prop_map(|(states, regions, female, more)| Approved {
            state_codes: states.iter().map(|s| format!("S{s}")).collect(),
            regions: regions.iter().map(|&r| REGIONS[r]).collect(),
            female,
            total: female + more,
        })
}

/// Up to `n` candidates, of few States (several per State) or of many.
fn candidates_strategy(
    n: std::ops::RangeInclusive<usize>,
) -> impl Strategy<Value = Vec<Candidate>> {
    prop_oneof![Just(2u8), 1u8..8, 8u8..24].prop_flat_map(move |states| {
        proptest::collection::vec(candidate_strategy(states), n.clone())
    })
}

/// Any weights of a plausible size, in points.
fn weights_strategy() -> impl Strategy<Value = Weights> {
    let points = (
        0i64..300,
        0i64..100,
        0i64..100,
        0i64..100,
        0i64..1500,
        0i64..500,
        0i64..300,
    );
    points.prop_map(
        |(delegate, affected, low, lower_middle, first, region, gender)| Weights {
            delegate,
            affected,
            low_income: low,
            lower_middle_income: lower_middle,
            first_delegate_of_state: first,
            regional_group: region,
            gender_per_person: gender,
        },
    )
}

/// Mostly the default weights, with the targets at the edges and in between.
fn policy_strategy() -> impl Strategy<Value = Policy> {
    (
        prop_oneof![Just(50u32), Just(0), Just(100), Just(40), 0u32..=100],
        prop_oneof![3 => Just(Weights::default()), 1 => weights_strategy()],
    )
        .prop_map(|(female_target_percent, weights)| Policy {
            female_target_percent,
            weights,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]
    #[test]
    fn the_suggestion_matches_brute_force(
        c in candidates_strategy(0..=20),
        a in approved_strategy(),
        share in -10i64..=110,
        p in policy_strategy(),
    ) {
        let demand: i64 = c.iter().map(|x| x.cost_cents).sum();
        let budget = demand * share / 100;
        let s = suggest(&c, &a, budget, &p);
        let (best, cost, picked) = brute_force(&c, &a, budget, &p);
        prop_assert!(s.proven_optimal);
        prop_assert!(s.total_cents <= budget.max(0));
        prop_assert_eq!(score(&c, &a, &picked, &p), best);
        prop_assert_eq!((s.score, s.total_cents, &s.chosen), (best, cost, &picked));
    }

    #[test]
    fn score_agrees_with_the_reference_on_any_subset(
        c in candidates_strategy(0..=16),
        a in approved_strategy(),
        p in policy_strategy(),
        mask in any::<u16>(),
        noise in proptest::collection::vec(0usize..20, 0..3),
    ) {
        let picked: Vec<usize> = (0..c.len()).filter(|i| mask >> i & 1 == 1).collect();
        // Repeated and out-of-range indices change nothing.
        let mut messy = picked.clone();
        messy.extend(noise.iter().filter_map(|&k| picked.get(k).copied().or(Some(c.len() + k))));
        messy.reverse();
        prop_assert_eq!(score(&c, &a, &picked, &p), reference(&c, &a, &picked, &p));
        prop_assert_eq!(score(&c, &a, &messy, &p), reference(&c, &a, &picked, &p));
    }
}

proptest! {
    #[test]
    fn the_nearest_balances_are_those_of_enumeration(
        balance in -600i64..600,
        women in 0i64..8,
        men in 0i64..8,
        target in prop_oneof![Just(0i64), Just(50), Just(100), 0i64..=100],
    ) {
        let (mut above, mut below) = (None::<i64>, None::<i64>);
        for f in 0..=women {
            for m in 0..=men {
                let d = balance + 100 * f - target * (f + m);
                if d >= 0 { above = Some(above.map_or(d, |x| x.min(d))); }
                if d <= 0 { below = Some(below.map_or(d, |x| x.max(d))); }
            }
        }
        prop_assert_eq!(nearest_balances(balance, women, men, target), (above, below));
    }
}

#[test]
fn the_node_limit_returns_a_fitting_unproven_selection() {
    let (c, a, budget, p) = meeting(120, 3);
    let full = suggest(&c, &a, budget, &p);
    assert!(full.proven_optimal);
    for limit in [0, 1, 10, 200] {
        let s = suggest_within(&c, &a, budget, &p, limit);
        assert!(!s.proven_optimal, "limit {limit}");
        assert!(s.total_cents <= budget);
        assert_eq!(s.score, score(&c, &a, &s.chosen, &p));
        assert!(s.score <= full.score);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]
    #[test]
    fn larger_meetings_are_proven_and_fit(
        c in candidates_strategy(20..=60),
        a in approved_strategy(),
        share in 0i64..=100,
        p in policy_strategy(),
        masks in proptest::collection::vec(any::<u64>(), 30),
    ) {
        let demand: i64 = c.iter().map(|x| x.cost_cents).sum();
        let budget = demand * share / 100;
        let s = suggest(&c, &a, budget, &p);
        prop_assert!(s.proven_optimal);
        prop_assert!(s.total_cents <= budget);
        prop_assert_eq!(s.score, score(&c, &a, &s.chosen, &p));
        // No random selection that fits does better.
        for mask in masks {
            let picked: Vec<usize> = (0..c.len()).filter(|&i| mask >> (i % 64) & 1 == 1).collect();
            let cost: i64 = picked.iter().map(|&i| c[i].cost_cents).sum();
            if cost <= budget {
                prop_assert!((score(&c, &a, &picked, &p), -cost) <= (s.score, -s.total_cents));
            }
        }
    }

    #[test]
    fn every_score_is_on_the_lattice(
        c in candidates_strategy(0..=10),
        a in approved_strategy(),
        p in policy_strategy(),
        mask in any::<u16>(),
    ) {
        let t = Terms::new(&p);
        let lattice = Lattice::new(&t);
        let picked: Vec<usize> = (0..c.len()).filter(|i| mask >> i & 1 == 1).collect();
        let s = i128::from(score(&c, &a, &picked, &p));
        prop_assert_eq!(lattice.round_down(s), s);
        prop_assert!(lattice.round_down(s + 1) <= s + 1);
    }

    #[test]
    fn a_states_envelope_is_above_every_subset_and_touches_the_best(
        items in proptest::collection::vec((1i128..50, -30i128..60), 0..7),
        bonus in prop_oneof![Just(0i128), 0i128..100],
    ) {
        let mut pieces = Vec::new();
        envelope(&items, bonus, 0, &mut Work::default(), &mut pieces);
        prop_assert!(pieces.windows(2).all(|w| steepest_first(&w[0], &w[1]) != Ordering::Greater));
        prop_assert!(pieces.iter().all(|q| q.cost > 0 && q.value > 0));
        // The envelope's value at `t` (the greedy over its pieces), doubled to stay exact.
        let at = |t: i128| {
            let (mut left, mut v2) = (t, 0i128);
            for q in &pieces {
                let c = q.cost.min(left);
                v2 += 2 * q.value * c / q.cost;
                left -= c;
            }
            v2
        };
        let mut best = 0i128;
        for mask in 0u32..1 << items.len() {
            let chosen: Vec<&(i128, i128)> =
                items.iter().enumerate().filter(|(i, _)| mask >> i & 1 == 1).map(|(_, x)| x).collect();
            let cost: i128 = chosen.iter().map(|x| x.0).sum();
            let value: i128 =
                chosen.iter().map(|x| x.1).sum::<i128>() + if chosen.is_empty() { 0 } else { bonus };
            prop_assert!(at(cost) + 1 >= 2 * value, "subset {mask:b}: {} < {}", at(cost), 2 * value);
            best = best.max(value);
        }
        // At the full cost of its pieces, the envelope is the best subset's value.
        let total: i128 = pieces.iter().map(|q| q.cost).sum();
        prop_assert_eq!(at(total), 2 * best);
    }

    #[test]
    fn the_greedy_over_runs_is_the_greedy_piece_by_piece(
        global in proptest::collection::vec((1i128..40, 1i128..40), 0..12),
        local in proptest::collection::vec((1i128..40, 1i128..40), 0..4),
        budget in 0i128..300,
        need in -20i128..400,
    ) {
        let piece = |&(cost, value): &(i128, i128)| Piece { cost, value, group: 1 };
        let mut list: Vec<Piece> = global.iter().map(piece).collect();
        list.sort_by(steepest_first);
        let mut local: Vec<Piece> = local.iter().map(piece).collect();
        local.sort_by(steepest_first);
        let mut run = Run::default();
        run.fill(&list, 0);
        // The reference: merge, then take piece by piece.
        let mut all = list.clone();
        all.extend(local.iter().copied());
        all.sort_by(steepest_first);
        let mut g = Greedy { rest: budget, gained: 0, spent: 0, need, reached: (need <= 0).then_some(0) };
        for q in &all {
            if !g.piece(q) {
                break;
            }
        }
        prop_assert_eq!(scan(&run, &local, budget, need), (g.gained, g.reached));
    }
}
