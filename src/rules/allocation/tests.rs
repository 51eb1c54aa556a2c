use proptest::prelude::*;

use super::*;

fn pair(need: usize, offer: usize, score: f64) -> Pair {
    Pair { need, offer, score }
}

fn totals(need_caps: &[i64], offer_caps: &[i64], pairs: &[Pair], a: &[Assignment]) {
    for (i, cap) in need_caps.iter().enumerate() {
        let got: i64 = a
            .iter()
            .filter(|x| pairs[x.pair].need == i)
            .map(|x| x.amount)
            .sum();
        assert!(got <= *cap, "need {i}: {got} > {cap}");
    }
    for (j, cap) in offer_caps.iter().enumerate() {
        let got: i64 = a
            .iter()
            .filter(|x| pairs[x.pair].offer == j)
            .map(|x| x.amount)
            .sum();
        assert!(got <= *cap, "offer {j}: {got} > {cap}");
    }
}

#[test]
fn a_greedy_choice_would_lose_coverage_and_the_optimum_does_not() {
    // Offer 0 fits both needs, offer 1 only need 0. Greedy by score gives offer 0 to need 0
    // and leaves need 1 uncovered; the optimum covers both.
    let pairs = [pair(0, 0, 0.9), pair(1, 0, 0.5), pair(0, 1, 0.4)];
    let a = allocate(&[100, 100], &[100, 100], &pairs);
    let (total, _) = objective(&pairs, &a);
    assert_eq!(total, 200);
    assert!(a.iter().any(|x| x.pair == 1 && x.amount == 100));
}

#[test]
fn among_maximal_allocations_the_best_scored_wins() {
    let pairs = [pair(0, 0, 0.2), pair(0, 1, 0.8)];
    let a = allocate(&[50], &[100, 100], &pairs);
    assert_eq!(
        a,
        vec![Assignment {
            pair: 1,
            amount: 50
        }]
    );
}

#[test]
fn empty_and_zero_capacities_allocate_nothing() {
    assert!(allocate(&[], &[], &[]).is_empty());
    assert!(allocate(&[0], &[10], &[pair(0, 0, 1.0)]).is_empty());
    assert!(allocate(&[10], &[0], &[pair(0, 0, 1.0)]).is_empty());
}

#[test]
fn capacities_hold_on_a_large_instance() {
    let (n, m) = (300usize, 300usize);
    let need_caps: Vec<i64> = (0..n).map(|i| 1_000 + (i as i64 * 7919) % 50_000).collect();
    let offer_caps: Vec<i64> = (0..m)
        .map(|j| 2_000 + (j as i64 * 104_729) % 80_000)
        .collect();
    let pairs: Vec<Pair> = (0..n)
        .flat_map(|i| {
            (0..10).map(move |k| pair(i, (i * 31 + k * 17) % m, ((i + k) % 97) as f64 / 97.0))
        })
        .collect();
    let a = allocate(&need_caps, &offer_caps, &pairs);
    totals(&need_caps, &offer_caps, &pairs, &a);
    assert!(a.iter().all(|x| x.amount > 0));
}

/// The best (total, weighted score) over every integer allocation of a tiny instance.
fn brute_force(need_caps: &[i64], offer_caps: &[i64], pairs: &[Pair]) -> (i64, i128) {
    fn go(
        k: usize,
        pairs: &[Pair],
        need_left: &mut Vec<i64>,
        offer_left: &mut Vec<i64>,
        acc: (i64, i128),
        best: &mut (i64, i128),
    ) {
        if k == pairs.len() {
            *best = (*best).max(acc);
            return;
        }
        let p = pairs[k];
        let most = need_left[p.need].min(offer_left[p.offer]);
        for x in 0..=most {
            need_left[p.need] -= x;
            offer_left[p.offer] -= x;
            go(
                k + 1,
                pairs,
                need_left,
                offer_left,
                (
                    acc.0 + x,
                    acc.1 + i128::from(x) * i128::from(scaled(p.score)),
                ),
                best,
            );
            need_left[p.need] += x;
            offer_left[p.offer] += x;
        }
    }
    let mut best = (0, 0);
    go(
        0,
        pairs,
        &mut need_caps.to_vec(),
        &mut offer_caps.to_vec(),
        (0, 0),
        &mut best,
    );
    best
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn the_allocation_matches_brute_force_on_small_instances(
        need_caps in proptest::collection::vec(0i64..5, 1..4),
        offer_caps in proptest::collection::vec(0i64..5, 1..4),
        raw in proptest::collection::vec((0usize..3, 0usize..3, 0u32..=10), 0..6),
    ) {
        let mut pairs: Vec<Pair> = raw
            .into_iter()
            .filter(|(i, j, _)| *i < need_caps.len() && *j < offer_caps.len())
            .map(|(i, j, s)| pair(i, j, f64::from(s) / 10.0))
            .collect();
        pairs.sort_by_key(|p| (p.need, p.offer));
        pairs.dedup_by_key(|p| (p.need, p.offer));
        let best = brute_force(&need_caps, &offer_caps, &pairs);
        let a = allocate_ssp(&need_caps, &offer_caps, &pairs);
        totals(&need_caps, &offer_caps, &pairs, &a);
        prop_assert_eq!(objective(&pairs, &a), best);
        let s = allocate_simplex(&need_caps, &offer_caps, &pairs).expect("within the pivot limit");
        totals(&need_caps, &offer_caps, &pairs, &s);
        prop_assert_eq!(objective(&pairs, &s), best);
    }

    #[test]
    fn the_simplex_and_shortest_paths_agree_on_larger_instances(
        need_caps in proptest::collection::vec(0i64..10_000, 1..40),
        offer_caps in proptest::collection::vec(0i64..10_000, 1..40),
        raw in proptest::collection::vec((0usize..40, 0usize..40, 0u32..=1000), 0..300),
    ) {
        let mut pairs: Vec<Pair> = raw
            .into_iter()
            .filter(|(i, j, _)| *i < need_caps.len() && *j < offer_caps.len())
            .map(|(i, j, s)| pair(i, j, f64::from(s) / 1000.0))
            .collect();
        pairs.sort_by_key(|p| (p.need, p.offer));
        pairs.dedup_by_key(|p| (p.need, p.offer));
        let ssp = allocate_ssp(&need_caps, &offer_caps, &pairs);
        let simplex = allocate_simplex(&need_caps, &offer_caps, &pairs).expect("within the pivot limit");
        totals(&need_caps, &offer_caps, &pairs, &simplex);
        prop_assert_eq!(objective(&pairs, &simplex), objective(&pairs, &ssp));
    }
}

/// The simplex starts from the tree it is given, or from the root alone; both reach the
/// optimum, and a "tree" with a cycle is refused rather than followed.
#[test]
fn the_simplex_starts_from_a_given_tree_or_the_root_and_refuses_a_cycle() {
    // a → b and b → a, 5 units each at −1 a unit: the circulation sends 5 round.
    let arcs = [(0, 1, 5, -1), (1, 0, 5, -1)];
    let from_root = super::simplex::solve(2, &arcs, &[None, None], 100);
    assert_eq!(from_root, Some(vec![5, 5]));
    let from_tree = super::simplex::solve(2, &arcs, &[Some(0), None], 100);
    assert_eq!(from_tree, Some(vec![5, 5]));
    // Each node's parent arc leads to the other: no root is reached.
    assert_eq!(
        super::simplex::solve(2, &arcs, &[Some(0), Some(1)], 100),
        None
    );
    // An arc that does not leave the node it is named for is not followed.
    let ignored = super::simplex::solve(2, &arcs, &[Some(1), None], 100);
    assert_eq!(ignored, Some(vec![5, 5]));
}
