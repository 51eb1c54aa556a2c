//! The instance in search order (States far from the critical slope first), with what the
//! bound precomputes.

use std::collections::{BTreeMap, BTreeSet};

use super::bound::{Piece, Work, envelope, steepest_first};
use super::terms::{Lattice, Terms, region_bit, region_mask};
use super::{Approved, Candidate, GENDER_STEPS, Policy};

/// One usable candidate, in search order.
#[derive(Debug)]
pub(super) struct Item {
    /// Index into the candidates.
    pub(super) index: usize,
    /// Rank of its State in search order.
    pub(super) group: usize,
    pub(super) region: u8,
    pub(super) female: bool,
    /// Points × 100 of the application on its own.
    pub(super) value: i64,
    pub(super) cost: i64,
}

/// A State's candidates are the positions from the previous State's `end` to its own.
#[derive(Debug)]
pub(super) struct Group {
    pub(super) end: usize,
    /// The first-delegate bonus, 0 when the State already has an approved delegate.
    pub(super) bonus: i64,
}

/// What remains from a position on, for the cheap parts of the bound.
#[derive(Clone, Copy, Debug)]
pub(super) struct Rest {
    pub(super) regions: u8,
    pub(super) women: i64,
    pub(super) men: i64,
    pub(super) cheapest: i64,
}

/// The instance in search order, with everything the bound precomputes.
pub(super) struct Problem {
    pub(super) items: Vec<Item>,
    pub(super) groups: Vec<Group>,
    pub(super) terms: Terms,
    pub(super) budget: i64,
    pub(super) approved_regions: u8,
    /// `100·F − T·N` of the approved delegates.
    pub(super) balance: i64,
    /// `rest[p]`: the items at positions ≥ p; one more entry for the end.
    pub(super) rest: Vec<Rest>,
    /// Per gender multiplier: every State's envelope pieces, steepest first.
    pub(super) lists: Vec<Vec<Piece>>,
    pub(super) lattice: Lattice,
}

impl Problem {
    pub(super) fn new(
        candidates: &[Candidate],
        approved: &Approved,
        budget: i64,
        policy: &Policy,
    ) -> Self {
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
pub(super) fn scaled(terms: &Terms, k: i64, value: i64, female: bool) -> i128 {
    i128::from(GENDER_STEPS * value)
        - i128::from(terms.gender * k) * i128::from(terms.shift(female))
}
