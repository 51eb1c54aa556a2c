//! The sponsorship suggestion (docs/domain.md §6): which pending eligible applications to fund
//! from the remaining budget. Pure: no database, no GraphQL; exact and deterministic.
//!
//! # Objective
//!
//! A selection is a set of candidates whose costs add up to at most the remaining budget.
//! Its score is an integer in points × 100 (so the gender term is exact), the sum of:
//!
//! - for each chosen application, `100 × delegate`, plus `100 × affected` if its State is
//!   affected, plus `100 × low_income` if its income group is LOW or
//!   `100 × lower_middle_income` if it is LOWER_MIDDLE;
//! - `100 × first_delegate_of_state` once for each State that has no approved delegate
//!   (`Approved::state_codes`) and at least one chosen application: one delegate per State
//!   before second delegates;
//! - `100 × regional_group` for each regional group of a chosen application that
//!   `Approved::regions` does not already cover (an application without a region covers
//!   nothing);
//! - minus `gender_per_person × |100·F − T·N|`, where `F` women among `N` delegates are
//!   counted over the approved (`Approved::female`, `Approved::total`) and the chosen, and
//!   `T` is `female_target_percent`: `gender_per_person` points for each person the
//!   delegation is away from the target share `T/100`. With no delegate at all it is 0.
//!
//! The suggestion is the selection of highest score; among equal scores, the one of lower
//! total cost; among equal costs, the lexicographically smallest vector of ascending
//! indices. Weights are clamped to 0..=1 000 000 points and the target to 0..=100 percent,
//! in [`score`] and [`suggest`] alike. A candidate whose cost is not positive breaks the
//! [`Candidate`] contract and is never chosen.
//!
//! "One delegate per State before second delegates" is a weighing, not a rule: with the
//! default weights a first delegate is worth at least 1 000 + 100 − 150 points and a second
//! one at most 200 + 150, so a first delegate beats any one second delegate, but several
//! cheap second delegates can beat one expensive first delegate.
//!
//! # Algorithm
//!
//! Exact: dynamic programming over Pareto frontiers, cut by a bound (the scheme of
//! Pisinger's *minknap* for the knapsack problem, with the State, region and gender terms).
//! The candidates that fit the budget are put in a fixed order, State by State. Position
//! by position, every selection kept of the candidates decided so far is extended without
//! and with the next candidate, and an extension is dropped when
//! - another one beats it whatever comes after: the rest of the search sees only its cost,
//!   score, regions covered, balance `100·F − T·N` and whether the current State has a
//!   candidate chosen (the exact rule, which also settles the tie-break, is on
//!   `Search::frontier`); or
//! - its bound shows that no completion beats the best selection found.
//!
//! The bound never falls below the score of any completion:
//! - the points earned, plus the bonus of every uncovered region that an undecided
//!   candidate could still cover;
//! - plus a fractional knapsack, within the budget left, over the *concave envelopes* of
//!   the undecided States: the upper concave hull of (cost, value) over the subsets of one
//!   State, whose vertices are among its single candidates with the State's bonus and the
//!   prefixes, in density order, of its candidates of positive value (for each λ ≥ 0 one of
//!   these maximises `bonus·[S ≠ ∅] + Σ_S (v − λ·c)`); the pieces of all States are taken
//!   steepest first (a binary search over prefix sums) until the budget is spent;
//! - the gender term enters linearly: `−g·|D| ≤ −g·u·D − g·min(|D| − u·D)` for any
//!   `u ∈ [−1, 1]`, the minimum over the balances `D` still reachable with the undecided
//!   women and men. `u` runs over `k/4`, `k = −4..=4`, each with its own pieces sorted
//!   once; the bound is convex in `u`, so a descent from the `u` that served last finds the
//!   least in two or three evaluations.
//!
//! The bound is rounded down to the scores a selection can have (the linear terms are
//! multiples of the weights' gcd, and `D` moves in steps of `gcd(100 − T, T)`). A selection
//! whose bound only equals the best score is kept while the cheapest completion reaching
//! that score (read off the same envelopes) costs no more than the best selection.
//!
//! States whose envelope pieces lie far from the critical slope of the root relaxation
//! come first and the undecided "core" last, so the frontiers stay narrow until the end; a
//! State's candidates come by density, bonus included. A greedy selection (best gain per
//! cost, then improving swaps) is the first incumbent; the search then runs with an
//! *aspiration*, as if a selection scoring a little below the root bound were known, which
//! cuts far more and is exact whenever a selection that good exists (the aspiration is
//! lowered until one does, down to the incumbent).
//!
//! A node is one selection at one position. After [`NODE_LIMIT`] nodes (all rounds
//! together) the best selection found is returned with `proven_optimal: false`; it always
//! fits the budget. Everything is integer and the order is total (no hashing, clock or
//! threads), so the same input gives the same suggestion.
//!
//! # Files
//!
//! - this one: the contract (candidates, approvals, weights, the suggestion), [`score`] and
//!   [`suggest`];
//! - `terms`: the objective in points × 100 and the lattice of the scores it can take;
//! - `bound`: the bound's parts: a State's concave envelope, the fractional knapsack over
//!   runs of pieces, the nearest reachable balances;
//! - `problem`: the instance in search order, with what the bound precomputes;
//! - `search`: the search over Pareto frontiers, with its aspiration rounds;
//! - `pick`: the greedy selection and its improving swaps, the first incumbent.

mod bound;
mod pick;
mod problem;
mod search;
mod terms;

use std::collections::BTreeSet;

use crate::kernel::vocabulary::{IncomeGroup, RegionalGroup};

use problem::Problem;
use search::Search;
use terms::{Terms, region_bit, region_mask};

// The tests (suggestion/tests/) reach the internals through `use super::*`.
#[cfg(test)]
use bound::{Greedy, Piece, Run, Work, envelope, nearest_balances, scan, steepest_first};
#[cfg(test)]
use std::cmp::Ordering;
#[cfg(test)]
use terms::Lattice;

/// Nodes the search may visit before it returns the best selection found, unproven: about
/// two seconds on a slow machine, so a request never hangs on an unlucky meeting. Meetings
/// of 200 applications take some 5 000 to 50 000 (bench/README.md).
pub const NODE_LIMIT: u64 = 2_000_000;

/// The gender multipliers of the bound are `k / GENDER_STEPS`, `k` in `±GENDER_STEPS`.
const GENDER_STEPS: i64 = 4;

/// How many gender multipliers there are.
const SLOTS: usize = 2 * GENDER_STEPS as usize + 1;

/// Weights beyond this many points are clamped, so no sum can overflow.
const MAX_WEIGHT: i64 = 1_000_000;

/// One pending, eligible application, at its requested total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// ISO alpha-3 of the applying State.
    pub state_code: String,
    /// The State's regional group, for regional coverage; `None` covers nothing.
    pub region: Option<RegionalGroup>,
    /// The State's income group, for the low-income priorities.
    pub income: Option<IncomeGroup>,
    /// A pending Article 3 or 4 obligation, or cluster munition victims.
    pub affected: bool,
    /// The delegate is a woman, for the gender balance.
    pub female: bool,
    /// Requested total in cents of the meeting's currency; > 0.
    pub cost_cents: i64,
}

/// What is already approved for the meeting: counted for "one delegate per State first",
/// regional coverage and gender balance, but not chosen again.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Approved {
    /// States with an approved delegate: no first-delegate bonus for them.
    pub state_codes: Vec<String>,
    /// Regional groups already covered: no regional bonus for them.
    pub regions: Vec<RegionalGroup>,
    /// Approved women, counted in the gender balance.
    pub female: u32,
    /// All approved delegates, counted in the gender balance.
    pub total: u32,
}

/// The objective's points; see the module docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Weights {
    /// Every sponsored delegate.
    pub delegate: i64,
    /// A delegate of an affected State (obligations pending, or victims).
    pub affected: i64,
    /// A delegate of a LOW income State.
    pub low_income: i64,
    /// A delegate of a LOWER_MIDDLE income State.
    pub lower_middle_income: i64,
    /// Once per State without an approved delegate: one per State before second ones.
    pub first_delegate_of_state: i64,
    /// Once per regional group not yet covered by approvals.
    pub regional_group: i64,
    /// Per person away from the gender target.
    pub gender_per_person: i64,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            delegate: 100,
            affected: 60,
            low_income: 40,
            lower_middle_income: 20,
            first_delegate_of_state: 1000,
            regional_group: 300,
            gender_per_person: 150,
        }
    }
}

/// The balance target and the weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Target share of women among sponsored delegates, in percent (0..=100).
    pub female_target_percent: u32,
    /// Points of each term of the objective.
    pub weights: Weights,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            female_target_percent: 50,
            weights: Weights::default(),
        }
    }
}

/// The chosen applications.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// Indices into the candidates, ascending.
    pub chosen: Vec<usize>,
    /// Sum of the chosen costs; never above the budget.
    pub total_cents: i64,
    /// The objective's value, in points × 100.
    pub score: i64,
    /// True when the search proved this selection optimal.
    pub proven_optimal: bool,
}

/// The objective of a selection (indices into `candidates`), in points × 100. Indices out
/// of range are ignored and repeated ones count once, so any slice has a score.
pub fn score(
    candidates: &[Candidate],
    approved: &Approved,
    chosen: &[usize],
    policy: &Policy,
) -> i64 {
    let terms = Terms::new(policy);
    let approved_states: BTreeSet<&str> = approved.state_codes.iter().map(String::as_str).collect();
    let approved_regions = region_mask(&approved.regions);
    let picked: BTreeSet<usize> = chosen
        .iter()
        .copied()
        .filter(|&i| i < candidates.len())
        .collect();
    let mut states = BTreeSet::new();
    let mut regions = 0u8;
    let mut points = 0i64;
    let mut balance = terms.balance(approved);
    for &i in &picked {
        let c = &candidates[i];
        points += terms.value(c);
        if !approved_states.contains(c.state_code.as_str()) {
            states.insert(c.state_code.as_str());
        }
        regions |= region_bit(c.region);
        balance += terms.shift(c.female);
    }
    points
        + terms.first * states.len() as i64
        + terms.region * i64::from((regions & !approved_regions).count_ones())
        - terms.gender * balance.abs()
}

/// The best selection whose total fits `budget_cents` (see the module docs), searched
/// within [`NODE_LIMIT`] nodes.
pub fn suggest(
    candidates: &[Candidate],
    approved: &Approved,
    budget_cents: i64,
    policy: &Policy,
) -> Suggestion {
    suggest_within(candidates, approved, budget_cents, policy, NODE_LIMIT)
}

/// [`suggest`] with another node limit: for tests of the unproven path, and for callers
/// that must answer faster.
pub fn suggest_within(
    candidates: &[Candidate],
    approved: &Approved,
    budget_cents: i64,
    policy: &Policy,
    node_limit: u64,
) -> Suggestion {
    let problem = Problem::new(candidates, approved, budget_cents, policy);
    let mut search = Search::new(&problem, node_limit);
    search.run();
    let chosen = search.best.chosen;
    let total_cents = chosen.iter().map(|&i| candidates[i].cost_cents).sum();
    debug_assert_eq!(
        search.best.score,
        score(candidates, approved, &chosen, policy)
    );
    Suggestion {
        chosen,
        total_cents,
        score: search.best.score,
        proven_optimal: !search.aborted,
    }
}

#[cfg(test)]
mod tests;
