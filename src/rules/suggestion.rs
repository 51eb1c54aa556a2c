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

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use crate::kernel::vocabulary::{IncomeGroup, RegionalGroup};

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

/// The policy with every term in points × 100, clamped to the documented ranges.
#[derive(Clone, Copy, Debug)]
struct Terms {
    delegate: i64,
    affected: i64,
    low_income: i64,
    lower_middle_income: i64,
    first: i64,
    region: i64,
    /// Per unit of `|100·F − T·N|`, which is already × 100.
    gender: i64,
    /// `T`, in percent.
    target: i64,
}

impl Terms {
    fn new(policy: &Policy) -> Self {
        let w = policy.weights;
        let points = |x: i64| x.clamp(0, MAX_WEIGHT) * 100;
        Self {
            delegate: points(w.delegate),
            affected: points(w.affected),
            low_income: points(w.low_income),
            lower_middle_income: points(w.lower_middle_income),
            first: points(w.first_delegate_of_state),
            region: points(w.regional_group),
            gender: w.gender_per_person.clamp(0, MAX_WEIGHT),
            target: i64::from(policy.female_target_percent.min(100)),
        }
    }

    /// The points of one application on its own.
    fn value(&self, c: &Candidate) -> i64 {
        let income = match c.income {
            Some(IncomeGroup::Low) => self.low_income,
            Some(IncomeGroup::LowerMiddle) => self.lower_middle_income,
            Some(IncomeGroup::UpperMiddle | IncomeGroup::High) | None => 0,
        };
        self.delegate + if c.affected { self.affected } else { 0 } + income
    }

    /// How one more delegate moves the balance `100·F − T·N`.
    fn shift(&self, female: bool) -> i64 {
        if female {
            100 - self.target
        } else {
            -self.target
        }
    }

    /// The balance `100·F − T·N` of the approved delegates alone.
    fn balance(&self, approved: &Approved) -> i64 {
        100 * i64::from(approved.female) - self.target * i64::from(approved.total)
    }
}

/// One bit per regional group, so coverage is a mask.
fn region_bit(region: Option<RegionalGroup>) -> u8 {
    match region {
        None => 0,
        Some(RegionalGroup::Africa) => 1,
        Some(RegionalGroup::AsiaPacific) => 2,
        Some(RegionalGroup::EasternEurope) => 4,
        Some(RegionalGroup::LatinAmericaCaribbean) => 8,
        Some(RegionalGroup::WesternEuropeOthers) => 16,
    }
}

fn region_mask(regions: &[RegionalGroup]) -> u8 {
    regions.iter().fold(0, |m, r| m | region_bit(Some(*r)))
}

/// A segment of a State's concave envelope: `value` more for `cost` more (cost > 0).
#[derive(Clone, Copy, Debug)]
struct Piece {
    cost: i128,
    value: i128,
    /// Rank of the State, so the scan can skip decided States.
    group: usize,
}

/// Steeper (more value per cost) first.
fn steepest_first(a: &Piece, b: &Piece) -> Ordering {
    (b.value * a.cost).cmp(&(a.value * b.cost))
}

/// Appends to `out`, steepest first, the rising pieces of the upper concave envelope of
/// (cost, value) over the subsets of one State's candidates `items` (cost > 0, any value),
/// where a nonempty subset also earns `bonus` (≥ 0). The envelope's vertices are among
/// the single candidates with the bonus and the prefixes, in density order, of the
/// candidates of positive value with the bonus: for each λ ≥ 0 one of these maximises
/// `bonus·[S ≠ ∅] + Σ_S (v − λ·c)`.
fn envelope(
    items: &[(i128, i128)],
    bonus: i128,
    group: usize,
    work: &mut Work,
    out: &mut Vec<Piece>,
) {
    let start = out.len();
    if bonus == 0 {
        out.extend(
            items
                .iter()
                .filter(|(_, v)| *v > 0)
                .map(|&(cost, value)| Piece { cost, value, group }),
        );
        out[start..].sort_by(steepest_first);
        return;
    }
    let points = &mut work.points;
    points.clear();
    points.extend(items.iter().map(|&(c, v)| (c, bonus + v)));
    let rising = &mut work.rising;
    rising.clear();
    rising.extend(
        items
            .iter()
            .filter(|(_, v)| *v > 0)
            .map(|&(cost, value)| Piece { cost, value, group }),
    );
    rising.sort_by(steepest_first);
    let (mut c, mut v) = (0, bonus);
    for p in rising.iter() {
        c += p.cost;
        v += p.value;
        points.push((c, v));
    }
    points.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    points.dedup_by(|later, earlier| later.0 == earlier.0);
    let hull = &mut work.hull;
    hull.clear();
    hull.push((0, 0));
    for &p in points.iter() {
        while let [.., o, a] = hull[..] {
            // Drop `a` unless it lies strictly above the chord from `o` to `p`.
            if (a.0 - o.0) * (p.1 - o.1) - (a.1 - o.1) * (p.0 - o.0) >= 0 {
                hull.pop();
            } else {
                break;
            }
        }
        hull.push(p);
    }
    for w in hull.windows(2) {
        let (cost, value) = (w[1].0 - w[0].0, w[1].1 - w[0].1);
        if value <= 0 {
            break;
        }
        out.push(Piece { cost, value, group });
    }
}

/// Reusable buffers, so the bound allocates nothing per node.
#[derive(Default)]
struct Work {
    points: Vec<(i128, i128)>,
    rising: Vec<Piece>,
    hull: Vec<(i128, i128)>,
    items: Vec<(i128, i128)>,
    open: Vec<usize>,
    local: Vec<Piece>,
}

/// The pieces of the States after the current one, steepest first, with prefix sums of
/// their costs and values: the bound's greedy then jumps over runs of whole pieces.
#[derive(Debug, Default)]
struct Run {
    pieces: Vec<Piece>,
    /// `cost[i]`: the cost of the first `i` pieces.
    cost: Vec<i128>,
    value: Vec<i128>,
}

impl Run {
    /// The pieces of `list` of States ranked after `after`.
    fn fill(&mut self, list: &[Piece], after: usize) {
        self.pieces.clear();
        self.pieces
            .extend(list.iter().filter(|q| q.group > after).copied());
        self.cost.clear();
        self.value.clear();
        let (mut c, mut v) = (0, 0);
        self.cost.push(c);
        self.value.push(v);
        for q in &self.pieces {
            c += q.cost;
            v += q.value;
            self.cost.push(c);
            self.value.push(v);
        }
    }
}

/// The greedy of the fractional knapsack, piece by piece or a run at a time.
struct Greedy {
    rest: i128,
    gained: i128,
    spent: i128,
    need: i128,
    /// The least cost at which `gained` reached `need`.
    reached: Option<i128>,
}

impl Greedy {
    /// Takes `piece`, or the part of it that fits; false once the budget is spent.
    fn piece(&mut self, piece: &Piece) -> bool {
        let fits = piece.cost <= self.rest;
        let take = if fits {
            piece.value
        } else {
            ceil_div(piece.value * self.rest, piece.cost)
        };
        if self.reached.is_none() && self.gained + take >= self.need {
            self.reached =
                Some(self.spent + ceil_div((self.need - self.gained) * piece.cost, piece.value));
        }
        self.gained += take;
        if fits {
            self.rest -= piece.cost;
            self.spent += piece.cost;
        }
        fits
    }

    /// Takes the pieces `i..j` of `run`, as far as they fit; false once the budget is spent.
    fn run(&mut self, run: &Run, i: usize, j: usize) -> bool {
        let cost = run.cost[j] - run.cost[i];
        if cost > self.rest {
            // The whole pieces are i..m; piece m fits only in part.
            let limit = self.rest + run.cost[i];
            let m = i + run.cost[i..=j].partition_point(|&c| c <= limit) - 1;
            self.run(run, i, m);
            return self.piece(&run.pieces[m]);
        }
        let value = run.value[j] - run.value[i];
        if self.reached.is_none() && self.gained + value >= self.need {
            // The first m with value[m] − value[i] ≥ need − gained: piece m − 1 crosses.
            let target = self.need - self.gained + run.value[i];
            let m = i + 1 + run.value[i + 1..=j].partition_point(|&v| v < target);
            let q = &run.pieces[m - 1];
            let before = run.value[m - 1] - run.value[i];
            self.reached = Some(
                self.spent + run.cost[m - 1] - run.cost[i]
                    + ceil_div((self.need - self.gained - before) * q.cost, q.value),
            );
        }
        self.gained += value;
        self.rest -= cost;
        self.spent += cost;
        true
    }
}

/// The value of the fractional knapsack over `run` merged with `local` (the current
/// State's pieces), within `budget`; and the least cost at which it reaches `need`, if it
/// does.
fn scan(run: &Run, local: &[Piece], budget: i128, need: i128) -> (i128, Option<i128>) {
    let mut g = Greedy {
        rest: budget,
        gained: 0,
        spent: 0,
        need,
        reached: (need <= 0).then_some(0),
    };
    let mut i = 0;
    for l in local.iter().map(Some).chain([None]) {
        let j = match l {
            Some(l) => {
                i + run.pieces[i..].partition_point(|q| steepest_first(q, l) != Ordering::Greater)
            }
            None => run.pieces.len(),
        };
        if !g.run(run, i, j) {
            break;
        }
        i = j;
        if l.is_some_and(|l| !g.piece(l)) {
            break;
        }
    }
    (g.gained, g.reached)
}
/// `⌈a / b⌉` for `b > 0`.
fn ceil_div(a: i128, b: i128) -> i128 {
    -((-a).div_euclid(b))
}

/// The balances `100·F − T·N` reachable from `balance` by adding up to `women` women and
/// `men` men: the least ≥ 0 and the greatest ≤ 0, when there are such.
fn nearest_balances(balance: i64, women: i64, men: i64, target: i64) -> (Option<i64>, Option<i64>) {
    let (up, down) = (100 - target, target);
    // Balances keep their residue modulo `step`: nothing can come nearer than these.
    let step = gcd(up, down).max(1);
    let ideal = (balance.rem_euclid(step), -(-balance).rem_euclid(step));
    let mut near: (Option<i64>, Option<i64>) = (None, None);
    let note = |near: &mut (Option<i64>, Option<i64>), d: i64| {
        if d >= 0 {
            near.0 = Some(near.0.map_or(d, |x| x.min(d)));
        }
        if d <= 0 {
            near.1 = Some(near.1.map_or(d, |x| x.max(d)));
        }
    };
    // Adding women only raises the balance: start at the last count that leaves it < 0.
    let first = if balance >= 0 || up == 0 {
        0
    } else {
        ((-balance - 1) / up).min(women)
    };
    for f in first..=women {
        let base = balance + up * f;
        if down == 0 || men == 0 || base < 0 {
            note(&mut near, base);
        } else {
            let m = (base / down).min(men);
            note(&mut near, base - down * m);
            if m < men {
                note(&mut near, base - down * (m + 1));
            }
        }
        // More women only move every balance up.
        if up == 0 || base - down * men > 0 || near == (Some(ideal.0), Some(ideal.1)) {
            break;
        }
    }
    near
}

/// The scores a selection can have are multiples of `modulus`: the linear terms are
/// multiples of the weights' gcd, and the balance `100·F − T·N` of the approved and of each
/// delegate is a multiple of `gcd(100, T)`. A bound rounds down to them, which cuts the
/// selections that could only tie on score.
#[derive(Clone, Copy, Debug)]
struct Lattice {
    modulus: i128,
}

impl Lattice {
    fn new(t: &Terms) -> Self {
        let linear = [
            t.delegate,
            t.affected,
            t.low_income,
            t.lower_middle_income,
            t.first,
            t.region,
        ]
        .into_iter()
        .fold(0, gcd);
        let step = gcd(100, t.target);
        Self {
            modulus: i128::from(gcd(linear, t.gender * step)),
        }
    }

    fn round_down(&self, x: i128) -> i128 {
        if self.modulus <= 1 {
            x
        } else {
            x - x.rem_euclid(self.modulus)
        }
    }
}

fn gcd(a: i64, b: i64) -> i64 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// One usable candidate, in search order.
#[derive(Debug)]
struct Item {
    /// Index into the candidates.
    index: usize,
    /// Rank of its State in search order.
    group: usize,
    region: u8,
    female: bool,
    /// Points × 100 of the application on its own.
    value: i64,
    cost: i64,
}

/// A State's candidates are the positions from the previous State's `end` to its own.
#[derive(Debug)]
struct Group {
    end: usize,
    /// The first-delegate bonus, 0 when the State already has an approved delegate.
    bonus: i64,
}

/// What remains from a position on, for the cheap parts of the bound.
#[derive(Clone, Copy, Debug)]
struct Rest {
    regions: u8,
    women: i64,
    men: i64,
    cheapest: i64,
}

/// The instance in search order, with everything the bound precomputes.
struct Problem {
    items: Vec<Item>,
    groups: Vec<Group>,
    terms: Terms,
    budget: i64,
    approved_regions: u8,
    /// `100·F − T·N` of the approved delegates.
    balance: i64,
    /// `rest[p]`: the items at positions ≥ p; one more entry for the end.
    rest: Vec<Rest>,
    /// Per gender multiplier: every State's envelope pieces, steepest first.
    lists: Vec<Vec<Piece>>,
    lattice: Lattice,
}

impl Problem {
    fn new(candidates: &[Candidate], approved: &Approved, budget: i64, policy: &Policy) -> Self {
        let terms = Terms::new(policy);
        let approved_states: BTreeSet<&str> =
            approved.state_codes.iter().map(String::as_str).collect();
        let mut by_state: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, c) in candidates.iter().enumerate() {
            if c.cost_cents > 0 && c.cost_cents <= budget {
                by_state.entry(c.state_code.as_str()).or_default().push(i);
            }
        }
        let mut work = Work::default();
        let mut first_pieces = Vec::new();
        let states: Vec<(i64, Vec<usize>, std::ops::Range<usize>)> = by_state
            .into_iter()
            .map(|(state, mut members)| {
                let bonus = if approved_states.contains(state) {
                    0
                } else {
                    terms.first
                };
                let density = |i: usize| {
                    (
                        i128::from(bonus + terms.value(&candidates[i])),
                        i128::from(candidates[i].cost_cents),
                    )
                };
                members.sort_by(|&a, &b| {
                    let ((va, ca), (vb, cb)) = (density(a), density(b));
                    (vb * ca).cmp(&(va * cb)).then(ca.cmp(&cb)).then(a.cmp(&b))
                });
                let items: Vec<(i128, i128)> = members
                    .iter()
                    .map(|&i| {
                        (
                            i128::from(candidates[i].cost_cents),
                            i128::from(terms.value(&candidates[i])),
                        )
                    })
                    .collect();
                let start = first_pieces.len();
                envelope(
                    &items,
                    i128::from(bonus),
                    first_pieces.len(),
                    &mut work,
                    &mut first_pieces,
                );
                (bonus, members, start..first_pieces.len())
            })
            .collect();
        // The critical slope of the root relaxation (without the gender term): the States
        // whose pieces are all far from it are all but decided by the bound, so they come
        // first, while the frontiers are narrow; the undecided core comes last.
        let mut sorted = first_pieces.clone();
        sorted.sort_by(steepest_first);
        let mut left = i128::from(budget.max(0));
        let mut critical = Piece {
            cost: 1,
            value: 0,
            group: 0,
        };
        for piece in &sorted {
            if piece.cost > left {
                critical = *piece;
                break;
            }
            left -= piece.cost;
        }
        let distance = |range: &std::ops::Range<usize>| {
            first_pieces[range.clone()]
                .iter()
                .map(|q| (q.value * critical.cost - critical.value * q.cost).abs())
                .min()
                .unwrap_or(i128::MAX)
        };
        let mut states: Vec<(i128, i64, Vec<usize>)> = states
            .into_iter()
            .map(|(bonus, members, range)| (distance(&range), bonus, members))
            .collect();
        // Farthest first; ties by the smallest candidate index, so the order is total.
        states.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.first().cmp(&b.2.first())));

        let mut items: Vec<Item> = Vec::new();
        let mut groups = Vec::new();
        for (rank, (_, bonus, members)) in states.iter().enumerate() {
            for &i in members {
                let c = &candidates[i];
                let (value, region) = (terms.value(c), region_bit(c.region));
                items.push(Item {
                    index: i,
                    group: rank,
                    region,
                    female: c.female,
                    value,
                    cost: c.cost_cents,
                });
            }
            groups.push(Group {
                end: items.len(),
                bonus: *bonus,
            });
        }

        let mut rest = vec![
            Rest {
                regions: 0,
                women: 0,
                men: 0,
                cheapest: i64::MAX,
            };
            items.len() + 1
        ];
        for (p, it) in items.iter().enumerate().rev() {
            let next = rest[p + 1];
            rest[p] = Rest {
                regions: next.regions | it.region,
                women: next.women + i64::from(it.female),
                men: next.men + i64::from(!it.female),
                cheapest: next.cheapest.min(it.cost),
            };
        }

        let mut lists = Vec::new();
        for k in -GENDER_STEPS..=GENDER_STEPS {
            let mut list = Vec::new();
            let mut start = 0;
            for (rank, g) in groups.iter().enumerate() {
                let members: Vec<(i128, i128)> = items[start..g.end]
                    .iter()
                    .map(|it| (i128::from(it.cost), scaled(&terms, k, it.value, it.female)))
                    .collect();
                envelope(
                    &members,
                    i128::from(GENDER_STEPS * g.bonus),
                    rank,
                    &mut work,
                    &mut list,
                );
                start = g.end;
            }
            list.sort_by(steepest_first);
            lists.push(list);
        }

        let balance = terms.balance(approved);
        Self {
            items,
            groups,
            terms,
            budget,
            approved_regions: region_mask(&approved.regions),
            balance,
            rest,
            lists,
            lattice: Lattice::new(&terms),
        }
    }
}

/// An item's value × `GENDER_STEPS` with the gender term at multiplier `k / GENDER_STEPS`.
fn scaled(terms: &Terms, k: i64, value: i64, female: bool) -> i128 {
    i128::from(GENDER_STEPS * value)
        - i128::from(terms.gender * k) * i128::from(terms.shift(female))
}

/// What the bound of a node needs besides the search's state.
struct Node {
    pos: usize,
    /// Budget left.
    left: i128,
    /// The current State's first-delegate bonus, if still to earn.
    bonus: i64,
    /// Points earned, plus every region still coverable.
    fixed: i128,
    /// The reachable balances nearest to 0, from above and below.
    above: Option<i64>,
    below: Option<i64>,
}

/// The best score of one key in [`Search::frontier`]'s sweep: among the selections of
/// lower cost, and among those of the current cost (with where it is).
struct Top {
    key: Key,
    cheaper: Option<i64>,
    pending: Option<(i64, usize)>,
}

/// What the rest of the search sees of a selection, besides its cost and score.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Key {
    covered: u8,
    balance: i64,
    touched: bool,
}

/// The best selection so far.
#[derive(Clone, Debug)]
struct Best {
    score: i64,
    cost: i64,
    chosen: Vec<usize>,
    /// False while `score` is an aspiration, not a selection's.
    found: bool,
}

/// A selection of the items before some position: all that the rest depends on.
#[derive(Clone, Copy, Debug)]
struct State {
    cost: i64,
    /// The applications' points and the State bonuses earned.
    points: i64,
    /// Regions covered, approvals included.
    covered: u8,
    /// `100·F − T·N` over approved and chosen.
    balance: i64,
    /// The State of the next position already has a candidate chosen.
    touched: bool,
    /// Its chosen candidates, a chain in [`Search::links`].
    chain: usize,
}

impl State {
    fn key(&self) -> Key {
        Key {
            covered: self.covered,
            balance: self.balance,
            touched: self.touched,
        }
    }
}

/// One chosen candidate and the link to the others of its selection.
struct Link {
    index: usize,
    next: usize,
}

/// The end of a chain.
const END: usize = usize::MAX;

/// The search, one position at a time: every selection of the items before it that the
/// bound keeps is extended without and with the item, and the extensions are reduced to
/// their frontier (see [`Search::frontier`]) before the next position.
struct Search<'p> {
    problem: &'p Problem,
    /// The selection being extended.
    current: State,
    links: Vec<Link>,
    /// The extensions of the current layer.
    next: Vec<State>,
    best: Best,
    nodes: u64,
    node_limit: u64,
    aborted: bool,
    work: Work,
    /// The gender multiplier that served last, where the bound's descent starts.
    lead: usize,
    /// The bound of the last node found promising, rounded down to the lattice.
    lattice_bound: i64,
    /// Per gender multiplier: the pieces of the States after `run_rank`.
    runs: Vec<Run>,
    run_rank: Option<usize>,
}

impl<'p> Search<'p> {
    fn new(problem: &'p Problem, node_limit: u64) -> Self {
        Self {
            problem,
            current: State {
                cost: 0,
                points: 0,
                covered: problem.approved_regions,
                balance: problem.balance,
                touched: false,
                chain: END,
            },
            links: Vec::new(),
            next: Vec::new(),
            best: Best {
                score: i64::MIN,
                cost: i64::MAX,
                chosen: Vec::new(),
                found: false,
            },
            nodes: 0,
            node_limit,
            aborted: false,
            work: Work::default(),
            lead: GENDER_STEPS as usize,
            lattice_bound: i64::MAX,
            runs: (0..SLOTS).map(|_| Run::default()).collect(),
            run_rank: None,
        }
    }

    /// Searches with an aspiration first: the bound prunes far more once the best score is
    /// known, so it is first run as if a selection scoring `aim` (a fraction of the way from
    /// the root bound down to the first incumbent) were known. If one at least as good turns
    /// up, the search is exact all the same: no selection scoring `aim` or more was cut.
    /// Otherwise the optimum is below `aim` and the next, lower aim is tried, down to the
    /// incumbent itself.
    fn run(&mut self) {
        let root = self.current;
        self.consider();
        self.greedy();
        let incumbent = self.best.clone();
        let top = match self.problem.items.first() {
            Some(first) => {
                self.fill_runs(first.group);
                if self.promising(0) {
                    self.lattice_bound
                } else {
                    incumbent.score
                }
            }
            None => incumbent.score,
        };
        let gap = top.saturating_sub(incumbent.score);
        for share in [8, 4, 2] {
            let aim = top - gap / share;
            if aim <= incumbent.score {
                continue;
            }
            self.best = Best {
                score: aim,
                cost: i64::MAX,
                chosen: Vec::new(),
                found: false,
            };
            self.layers(root);
            if self.best.found {
                return;
            }
            if self.aborted {
                self.best = incumbent;
                return;
            }
        }
        self.best = incumbent;
        self.layers(root);
    }

    /// Makes `runs` hold the pieces of the States after `rank`.
    fn fill_runs(&mut self, rank: usize) {
        if self.run_rank != Some(rank) {
            for (run, list) in self.runs.iter_mut().zip(&self.problem.lists) {
                run.fill(list, rank);
            }
            self.run_rank = Some(rank);
        }
    }

    /// The search proper, from the `root` selection (see [`Search`]).
    fn layers(&mut self, root: State) {
        let p = self.problem;
        self.links.clear();
        self.current = root;
        let mut layer = vec![root];
        for (pos, item) in p.items.iter().enumerate() {
            // Whether the next position is of the same State, so `touched` carries over.
            let same = p.items.get(pos + 1).is_some_and(|x| x.group == item.group);
            self.fill_runs(item.group);
            self.next.clear();
            for &state in &layer {
                self.nodes += 1;
                if self.nodes > self.node_limit {
                    self.aborted = true;
                    return;
                }
                self.current = state;
                let left = p.budget - state.cost;
                // With nothing left that fits, the selection is final and already considered.
                if p.rest[pos].cheapest > left || !self.promising(pos) {
                    continue;
                }
                self.next.push(State {
                    touched: same && state.touched,
                    ..state
                });
                if item.cost <= left {
                    let bonus = if state.touched {
                        0
                    } else {
                        p.groups[item.group].bonus
                    };
                    self.links.push(Link {
                        index: item.index,
                        next: state.chain,
                    });
                    self.current = State {
                        cost: state.cost + item.cost,
                        points: state.points + item.value + bonus,
                        covered: state.covered | item.region,
                        balance: state.balance + p.terms.shift(item.female),
                        touched: same,
                        chain: self.links.len() - 1,
                    };
                    self.consider();
                    self.next.push(self.current);
                }
            }
            let bonus = if same { p.groups[item.group].bonus } else { 0 };
            layer = self.frontier(bonus);
        }
    }

    fn score_of(&self, s: &State) -> i64 {
        let p = self.problem;
        let new_regions = (s.covered & !p.approved_regions).count_ones();
        s.points + p.terms.region * i64::from(new_regions) - p.terms.gender * s.balance.abs()
    }

    /// The candidate indices of a chain, ascending.
    fn indices(&self, mut chain: usize, out: &mut Vec<usize>) {
        out.clear();
        while let Some(link) = self.links.get(chain) {
            out.push(link.index);
            chain = link.next;
        }
        out.sort_unstable();
    }

    /// Keeps the current selection if it beats the best under the tie-break.
    fn consider(&mut self) {
        let (score, cost) = (self.score_of(&self.current), self.current.cost);
        let order = if self.best.found {
            score.cmp(&self.best.score).then(self.best.cost.cmp(&cost))
        } else if score >= self.best.score {
            Ordering::Greater
        } else {
            Ordering::Less
        };
        if order == Ordering::Less {
            return;
        }
        let mut chosen = Vec::new();
        self.indices(self.current.chain, &mut chosen);
        if order == Ordering::Greater || chosen < self.best.chosen {
            self.best = Best {
                score,
                cost,
                chosen,
                found: true,
            };
        }
    }

    /// The selections of `next` that no other one beats whatever comes after. Selection A
    /// beats B when `score(A) − loss` exceeds `score(B)` at no higher cost, or equals it at
    /// a lower cost, where `loss` is the most A can lose to B on a common extension:
    /// `g·(|D_A − D_B| + |D_B| − |D_A|)` as the balances `D` move together, plus the regional
    /// bonus of each region A covers and B does not, plus the current State's bonus
    /// (`bonus`) if A has a candidate of it and B has none. Or when both have the same key,
    /// score and cost and A's set is lexicographically smaller: with positive costs, equal
    /// totals mean neither set is a prefix of the other, so the sets' order is the order of
    /// their extensions.
    fn frontier(&mut self, bonus: i64) -> Vec<State> {
        let t = self.problem.terms;
        let mut states = std::mem::take(&mut self.next);
        let mut scored: Vec<(i64, State)> =
            states.drain(..).map(|s| (self.score_of(&s), s)).collect();
        scored.sort_by(|(sa, a), (sb, b)| {
            a.cost
                .cmp(&b.cost)
                .then(sb.cmp(sa))
                .then((a.covered, a.balance, a.touched).cmp(&(b.covered, b.balance, b.touched)))
        });
        let mut out: Vec<State> = Vec::new();
        let mut tops: Vec<Top> = Vec::new();
        let mut block = None;
        let (mut mine, mut theirs) = (Vec::new(), Vec::new());
        for (score, s) in scored {
            if block != Some(s.cost) {
                for k in &mut tops {
                    if let Some((top, _)) = k.pending.take() {
                        k.cheaper = Some(k.cheaper.map_or(top, |c| c.max(top)));
                    }
                }
                block = Some(s.cost);
            }
            let key = s.key();
            let (mut beaten, mut tie, mut own) = (false, None, None);
            for (i, k) in tops.iter().enumerate() {
                let a = k.key;
                if a == key {
                    own = Some(i);
                }
                let loss = t.gender
                    * ((a.balance - key.balance).abs() + key.balance.abs() - a.balance.abs())
                    + t.region * i64::from((a.covered & !key.covered).count_ones())
                    + if a.touched && !key.touched { bonus } else { 0 };
                if k.cheaper.is_some_and(|c| c - loss >= score) {
                    beaten = true;
                    break;
                }
                if let Some((top, at)) = k.pending {
                    if top - loss > score {
                        beaten = true;
                        break;
                    }
                    if a == key && top == score {
                        tie = Some(at);
                    }
                }
            }
            if beaten {
                continue;
            }
            if let Some(at) = tie {
                self.indices(s.chain, &mut mine);
                self.indices(out[at].chain, &mut theirs);
                if mine < theirs {
                    out[at] = s;
                }
                continue;
            }
            out.push(s);
            let entry = (score, out.len() - 1);
            match own {
                Some(i) => {
                    let k = &mut tops[i];
                    if k.pending.is_none_or(|(top, _)| score > top) {
                        k.pending = Some(entry);
                    }
                }
                None => tops.push(Top {
                    key,
                    cheaper: None,
                    pending: Some(entry),
                }),
            }
        }
        self.next = states;
        out
    }

    /// A first incumbent, so the bound cuts from the start (see [`Pick::improve`]).
    fn greedy(&mut self) {
        let mut pick = Pick::new(self.problem);
        pick.improve();
        let (score, cost) = (pick.score(), pick.cost);
        let mut chosen: Vec<usize> = (0..pick.taken.len())
            .filter(|&q| pick.taken[q])
            .map(|q| self.problem.items[q].index)
            .collect();
        chosen.sort_unstable();
        let better = (score, -cost) > (self.best.score, -self.best.cost)
            || ((score, cost) == (self.best.score, self.best.cost) && chosen < self.best.chosen);
        if better {
            self.best = Best {
                score,
                cost,
                chosen,
                found: true,
            };
        }
    }

    /// Whether some completion of the current selection with the items from `pos` on may
    /// beat the best under the tie-break; see the module docs for the bound.
    fn promising(&mut self, pos: usize) -> bool {
        let p = self.problem;
        let t = &p.terms;
        let rest = p.rest[pos];
        let s = self.current;
        let left = i128::from(p.budget - s.cost);
        let rank = p.items[pos].group;
        let group = &p.groups[rank];
        let (above, below) = nearest_balances(s.balance, rest.women, rest.men, t.target);
        let reachable = (rest.regions & !s.covered).count_ones();
        let new_regions = (s.covered & !p.approved_regions).count_ones();
        let node = Node {
            pos,
            left,
            bonus: if s.touched { 0 } else { group.bonus },
            fixed: i128::from(s.points)
                + i128::from(t.region) * i128::from(new_regions + reachable),
            above,
            below,
        };
        self.work.open.clear();
        self.work
            .open
            .extend((pos..group.end).filter(|&q| i128::from(p.items[q].cost) <= left));

        // The bound is convex in the multiplier: descend from the one that served last.
        let best = i128::from(self.best.score);
        let best_cost = i128::from(self.best.cost);
        let cost = i128::from(s.cost);
        let mut seen = [None::<i128>; SLOTS];
        let (mut bound, mut cheapest) = (i128::MAX, 0i128);
        let mut at = self.lead;
        loop {
            let mut next = at;
            for slot in [
                Some(at),
                at.checked_sub(1),
                Some(at + 1).filter(|&s| s < SLOTS),
            ]
            .into_iter()
            .flatten()
            {
                let value = match seen[slot] {
                    Some(v) => v,
                    None => {
                        let (v, reach) = self.relax(&node, slot);
                        seen[slot] = Some(v);
                        bound = bound.min(v);
                        cheapest = cheapest.max(reach.unwrap_or(i128::MAX));
                        let rounded = p.lattice.round_down(bound);
                        if rounded < best
                            || (rounded == best && cost.saturating_add(cheapest) > best_cost)
                        {
                            self.lead = slot;
                            return false;
                        }
                        v
                    }
                };
                if seen[next].is_none_or(|n| value < n) {
                    next = slot;
                }
            }
            if next == at {
                self.lead = at;
                let rounded = p.lattice.round_down(bound);
                self.lattice_bound = i64::try_from(rounded).unwrap_or(i64::MAX);
                return true;
            }
            at = next;
        }
    }

    /// The bound of `node` at gender multiplier `slot − GENDER_STEPS` over `GENDER_STEPS`,
    /// and the least cost at which it reaches the best score.
    fn relax(&mut self, node: &Node, slot: usize) -> (i128, Option<i128>) {
        let p = self.problem;
        let t = &p.terms;
        let k = slot as i64 - GENDER_STEPS;
        let rank = p.items[node.pos].group;
        let work = &mut self.work;
        let mut items = std::mem::take(&mut work.items);
        items.clear();
        items.extend(work.open.iter().map(|&q| {
            let it = &p.items[q];
            (i128::from(it.cost), scaled(t, k, it.value, it.female))
        }));
        let mut local = std::mem::take(&mut work.local);
        local.clear();
        envelope(
            &items,
            i128::from(GENDER_STEPS * node.bonus),
            rank,
            work,
            &mut local,
        );
        // min over the reachable D of (S·|D| − k·D), S = GENDER_STEPS.
        let slack = [
            node.above.map(|d| (GENDER_STEPS - k) * d),
            node.below.map(|d| (GENDER_STEPS + k) * -d),
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(0);
        let base = i128::from(GENDER_STEPS) * node.fixed
            - i128::from(t.gender * k) * i128::from(self.current.balance)
            - i128::from(t.gender) * i128::from(slack);
        let need = i128::from(GENDER_STEPS) * i128::from(self.best.score) - base;
        let (gain, reached) = scan(&self.runs[slot], &local, node.left, need);
        work.items = items;
        work.local = local;
        ((base + gain).div_euclid(i128::from(GENDER_STEPS)), reached)
    }
}

/// A selection changed one candidate at a time, for the first incumbent.
struct Pick<'p> {
    problem: &'p Problem,
    taken: Vec<bool>,
    in_group: Vec<u32>,
    /// Chosen candidates per region bit.
    in_region: [u32; 8],
    cost: i64,
    points: i64,
    balance: i64,
}

impl<'p> Pick<'p> {
    fn new(problem: &'p Problem) -> Self {
        Self {
            problem,
            taken: vec![false; problem.items.len()],
            in_group: vec![0; problem.groups.len()],
            in_region: [0; 8],
            cost: 0,
            points: 0,
            balance: problem.balance,
        }
    }

    fn covered(&self) -> u8 {
        (0..8).fold(self.problem.approved_regions, |m, r| {
            if self.in_region[r] > 0 { m | 1 << r } else { m }
        })
    }

    fn score(&self) -> i64 {
        let p = self.problem;
        let new_regions = (self.covered() & !p.approved_regions).count_ones();
        self.points + p.terms.region * i64::from(new_regions) - p.terms.gender * self.balance.abs()
    }

    /// Takes (`on`) or drops the item at `q`.
    fn set(&mut self, q: usize, on: bool) {
        let p = self.problem;
        let it = &p.items[q];
        let sign = if on { 1 } else { -1 };
        let g = it.group;
        if on {
            if self.in_group[g] == 0 {
                self.points += p.groups[g].bonus;
            }
            self.in_group[g] += 1;
        } else {
            self.in_group[g] -= 1;
            if self.in_group[g] == 0 {
                self.points -= p.groups[g].bonus;
            }
        }
        if it.region != 0 {
            let r = it.region.trailing_zeros() as usize;
            if on {
                self.in_region[r] += 1;
            } else {
                self.in_region[r] -= 1;
            }
        }
        self.taken[q] = on;
        self.cost += sign * it.cost;
        self.points += sign * it.value;
        self.balance += sign * p.terms.shift(it.female);
    }

    /// Adds the candidate of best gain per cost while one gains and fits; then makes the
    /// best improving swap of a chosen candidate for another (or addition) until none is
    /// left, for a bounded number of rounds.
    fn improve(&mut self) {
        let p = self.problem;
        let n = p.items.len();
        loop {
            let base = self.score();
            let mut best: Option<(i64, i64, usize)> = None;
            for q in 0..n {
                let c = p.items[q].cost;
                if self.taken[q] || self.cost + c > p.budget {
                    continue;
                }
                self.set(q, true);
                let gain = self.score() - base;
                self.set(q, false);
                let steeper = best.is_none_or(|(bg, bc, _)| {
                    i128::from(gain) * i128::from(bc) > i128::from(bg) * i128::from(c)
                });
                if gain > 0 && steeper {
                    best = Some((gain, c, q));
                }
            }
            match best {
                Some((_, _, q)) => self.set(q, true),
                None => break,
            }
        }
        for _ in 0..n + 8 {
            let base = (self.score(), -self.cost);
            let mut best: Option<((i64, i64), Option<usize>, usize)> = None;
            for out in (0..n).map(Some).chain([None]) {
                if let Some(o) = out {
                    if !self.taken[o] {
                        continue;
                    }
                    self.set(o, false);
                }
                for q in 0..n {
                    if self.taken[q] || Some(q) == out || self.cost + p.items[q].cost > p.budget {
                        continue;
                    }
                    self.set(q, true);
                    let value = (self.score(), -self.cost);
                    self.set(q, false);
                    if value > base && best.is_none_or(|(b, _, _)| value > b) {
                        best = Some((value, out, q));
                    }
                }
                if let Some(o) = out {
                    self.set(o, true);
                }
            }
            match best {
                Some((_, out, q)) => {
                    if let Some(o) = out {
                        self.set(o, false);
                    }
                    self.set(q, true);
                }
                None => break,
            }
        }
    }
}
#[cfg(test)]
mod tests;
