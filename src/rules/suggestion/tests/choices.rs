//! What the suggestion chooses: one delegate per State first, new regions, the gender
//! target, affected and low-income States, the budget's edges, ties and determinism.

use super::*;

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
