//! Exactness: the suggestion against a brute force over every subset that fits, the score
//! against an independent reference, larger meetings against random selections, and the
//! node limit.

use super::*;

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
}
