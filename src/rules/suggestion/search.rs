//! The exact search: position by position over Pareto frontiers, cut by the bound, in
//! rounds of decreasing aspiration.

use std::cmp::Ordering;

use super::bound::{Run, Work, envelope, nearest_balances, scan};
use super::pick::Pick;
use super::problem::{Problem, scaled};
use super::{GENDER_STEPS, SLOTS};

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
pub(super) struct Best {
    pub(super) score: i64,
    cost: i64,
    pub(super) chosen: Vec<usize>,
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
pub(super) struct Search<'p> {
    problem: &'p Problem,
    /// The selection being extended.
    current: State,
    links: Vec<Link>,
    /// The extensions of the current layer.
    next: Vec<State>,
    pub(super) best: Best,
    nodes: u64,
    node_limit: u64,
    pub(super) aborted: bool,
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
    pub(super) fn new(problem: &'p Problem, node_limit: u64) -> Self {
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
    pub(super) fn run(&mut self) {
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
