//! Tests of the suggestion, one file per section: the score's terms, what the suggestion
//! chooses, exactness against enumeration, and the bound's parts. The helpers and the
//! property strategies that several sections use are here.

use proptest::prelude::*;

use super::*;

mod bound;
mod choices;
mod exactness;
mod score;

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
