//! The bound's parts: the nearest gender balances, the score lattice, a State's envelope and
//! the greedy over runs.

use super::*;

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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]
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
