//! The parts of the bound: a State's concave envelope, the greedy of the fractional
//! knapsack over runs of pieces, and the balances still reachable.

use std::cmp::Ordering;

use super::terms::gcd;

/// A segment of a State's concave envelope: `value` more for `cost` more (cost > 0).
#[derive(Clone, Copy, Debug)]
pub(super) struct Piece {
    pub(super) cost: i128,
    pub(super) value: i128,
    /// Rank of the State, so the scan can skip decided States.
    pub(super) group: usize,
}

/// Steeper (more value per cost) first.
pub(super) fn steepest_first(a: &Piece, b: &Piece) -> Ordering {
    (b.value * a.cost).cmp(&(a.value * b.cost))
}

/// Appends to `out`, steepest first, the rising pieces of the upper concave envelope of
/// (cost, value) over the subsets of one State's candidates `items` (cost > 0, any value),
/// where a nonempty subset also earns `bonus` (≥ 0). The envelope's vertices are among
/// the single candidates with the bonus and the prefixes, in density order, of the
/// candidates of positive value with the bonus: for each λ ≥ 0 one of these maximises
/// `bonus·[S ≠ ∅] + Σ_S (v − λ·c)`.
pub(super) fn envelope(
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
pub(super) struct Work {
    points: Vec<(i128, i128)>,
    rising: Vec<Piece>,
    hull: Vec<(i128, i128)>,
    pub(super) items: Vec<(i128, i128)>,
    pub(super) open: Vec<usize>,
    pub(super) local: Vec<Piece>,
}

/// The pieces of the States after the current one, steepest first, with prefix sums of
/// their costs and values: the bound's greedy then jumps over runs of whole pieces.
#[derive(Debug, Default)]
pub(super) struct Run {
    pieces: Vec<Piece>,
    /// `cost[i]`: the cost of the first `i` pieces.
    cost: Vec<i128>,
    value: Vec<i128>,
}

impl Run {
    /// The pieces of `list` of States ranked after `after`.
    pub(super) fn fill(&mut self, list: &[Piece], after: usize) {
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
pub(super) struct Greedy {
    pub(super) rest: i128,
    pub(super) gained: i128,
    pub(super) spent: i128,
    pub(super) need: i128,
    /// The least cost at which `gained` reached `need`.
    pub(super) reached: Option<i128>,
}

impl Greedy {
    /// Takes `piece`, or the part of it that fits; false once the budget is spent.
    pub(super) fn piece(&mut self, piece: &Piece) -> bool {
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
pub(super) fn scan(run: &Run, local: &[Piece], budget: i128, need: i128) -> (i128, Option<i128>) {
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
pub(super) fn nearest_balances(
    balance: i64,
    women: i64,
    men: i64,
    target: i64,
) -> (Option<i64>, Option<i64>) {
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
