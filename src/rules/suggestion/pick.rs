//! The first incumbent: a greedy selection by gain per cost, then improving swaps.

use super::problem::Problem;

/// A selection changed one candidate at a time, for the first incumbent.
pub(super) struct Pick<'p> {
    problem: &'p Problem,
    pub(super) taken: Vec<bool>,
    in_group: Vec<u32>,
    /// Chosen candidates per region bit.
    in_region: [u32; 8],
    pub(super) cost: i64,
    points: i64,
    balance: i64,
}

impl<'p> Pick<'p> {
    pub(super) fn new(problem: &'p Problem) -> Self {
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

    pub(super) fn score(&self) -> i64 {
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
    pub(super) fn improve(&mut self) {
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
