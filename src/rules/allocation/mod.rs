//! Optimal allocation of offered amounts to needs (docs/domain.md §5): pure, exact, deterministic.
//!
//! A flow network source → need (capacity: the need's remaining amount) → offer (one arc
//! per eligible pair) → sink (capacity: the offer's remaining amount). The allocation is a
//! minimum-cost maximum flow with cost −score on pair arcs: it allocates as much as possible
//! in total and, among such allocations, maximises Σ amount × score. Amounts are integer
//! cents of the base currency and scores are scaled to integers, so the optimum is exact.
//!
//! The solver is a primal network simplex (`simplex`) on the circulation form of the
//! network. Successive shortest paths ([`allocate_ssp`], Dijkstra on reduced costs stopped at
//! the sink, potentials from the network's layered shape) is the reference it is tested
//! against, and the fallback should the simplex reach its pivot limit.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Scores (0 to 1) are multiplied by this and rounded to integer costs.
pub const SCORE_SCALE: f64 = 1_000_000.0;

/// An eligible need–offer pair and its score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pair {
    pub need: usize,
    pub offer: usize,
    /// 0 to 1.
    pub score: f64,
}

/// The amount allocated to one pair, in base-currency cents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Assignment {
    /// Index into the `pairs` given to [`allocate`].
    pub pair: usize,
    pub amount: i64,
}

struct Arc {
    to: usize,
    cap: i64,
    cost: i64,
}

struct Network {
    arcs: Vec<Arc>,
    /// Outgoing arc indices per node; arc `i ^ 1` is the reverse of arc `i`.
    out: Vec<Vec<usize>>,
}

impl Network {
    fn new(nodes: usize) -> Self {
        Self {
            arcs: Vec::new(),
            out: vec![Vec::new(); nodes],
        }
    }

    fn add(&mut self, from: usize, to: usize, cap: i64, cost: i64) -> usize {
        let id = self.arcs.len();
        self.arcs.push(Arc { to, cap, cost });
        self.out[from].push(id);
        self.arcs.push(Arc {
            to: from,
            cap: 0,
            cost: -cost,
        });
        self.out[to].push(id + 1);
        id
    }
}

fn scaled(score: f64) -> i64 {
    (score.clamp(0.0, 1.0) * SCORE_SCALE).round() as i64
}

/// Allocates `need_caps[i]` and `offer_caps[j]` (cents, ≥ 0) over `pairs`. Returns the
/// positive assignments in pair order.
///
/// Solved by the network simplex (`simplex`); should it ever hit its pivot limit, by
/// successive shortest paths ([`allocate_ssp`]). Both are exact.
pub fn allocate(need_caps: &[i64], offer_caps: &[i64], pairs: &[Pair]) -> Vec<Assignment> {
    allocate_simplex(need_caps, offer_caps, pairs)
        .unwrap_or_else(|| allocate_ssp(need_caps, offer_caps, pairs))
}

/// The network simplex on the circulation form of the problem; None at the pivot limit.
pub fn allocate_simplex(
    need_caps: &[i64],
    offer_caps: &[i64],
    pairs: &[Pair],
) -> Option<Vec<Assignment>> {
    let (n, m) = (need_caps.len(), offer_caps.len());
    let (source, sink) = (n + m, n + m + 1);
    let nodes = n + m + 2;
    // Worth of one cent allocated: more than any cycle can gain in score.
    let c = (SCORE_SCALE as i64) * (nodes as i64 + 1) + 1;
    let mut arcs: Vec<(usize, usize, i64, i64)> = Vec::with_capacity(n + m + pairs.len() + 1);
    let mut pair_arc = Vec::with_capacity(pairs.len());
    // The starting tree (see `simplex::solve`): the source under the root, the sink under
    // the source (by the arc sink → source), each offer under the sink, each need under its
    // best-scored offer. Its first pivots then each send flow along a need's best pair.
    let mut tree: Vec<Option<usize>> = vec![None; nodes];
    let mut best_score = vec![i64::MIN; n];
    for p in pairs {
        let ok = p.need < n && p.offer < m && need_caps[p.need] > 0 && offer_caps[p.offer] > 0;
        pair_arc.push(ok.then_some(arcs.len()));
        if ok {
            let cap = need_caps[p.need].min(offer_caps[p.offer]);
            let score = scaled(p.score);
            if score > best_score[p.need] {
                best_score[p.need] = score;
                tree[p.need] = Some(arcs.len());
            }
            arcs.push((p.need, n + p.offer, cap, -score));
        }
    }
    for (i, &cap) in need_caps.iter().enumerate() {
        arcs.push((source, i, cap.max(0), 0));
    }
    for (j, &cap) in offer_caps.iter().enumerate() {
        tree[n + j] = Some(arcs.len());
        arcs.push((n + j, sink, cap.max(0), 0));
    }
    let total: i64 = need_caps.iter().map(|c| (*c).max(0)).sum();
    tree[sink] = Some(arcs.len());
    arcs.push((sink, source, total, -c));
    let flow = simplex::solve(nodes, &arcs, &tree, 100 * arcs.len() + 10_000)?;
    Some(
        pair_arc
            .iter()
            .enumerate()
            .filter_map(|(i, a)| {
                let f = a.map(|a| flow[a]).unwrap_or(0);
                (f > 0).then_some(Assignment { pair: i, amount: f })
            })
            .collect(),
    )
}

/// Successive shortest paths: the reference solver.
pub fn allocate_ssp(need_caps: &[i64], offer_caps: &[i64], pairs: &[Pair]) -> Vec<Assignment> {
    let (n, m) = (need_caps.len(), offer_caps.len());
    let source = n + m;
    let sink = source + 1;
    let mut net = Network::new(n + m + 2);
    for (i, &cap) in need_caps.iter().enumerate() {
        if cap > 0 {
            net.add(source, i, cap, 0);
        }
    }
    for (j, &cap) in offer_caps.iter().enumerate() {
        if cap > 0 {
            net.add(n + j, sink, cap, 0);
        }
    }
    let pair_arcs: Vec<Option<usize>> = pairs
        .iter()
        .map(|p| {
            (p.need < n && p.offer < m && need_caps[p.need] > 0 && offer_caps[p.offer] > 0)
                .then(|| net.add(p.need, n + p.offer, i64::MAX / 4, -scaled(p.score)))
        })
        .collect();

    // Potentials for the layered network: source 0, needs 0, offer = cheapest arc into it,
    // sink = cheapest offer. Every reduced cost of a forward arc is then ≥ 0.
    let mut potential = vec![0i64; n + m + 2];
    for (p, arc) in pairs.iter().zip(&pair_arcs) {
        if let Some(a) = arc {
            let c = net.arcs[*a].cost;
            potential[n + p.offer] = potential[n + p.offer].min(c);
        }
    }
    potential[sink] = (0..m).map(|j| potential[n + j]).min().unwrap_or(0).min(0);

    let nodes = n + m + 2;
    let mut dist = vec![i64::MAX; nodes];
    let mut prev_arc = vec![usize::MAX; nodes];
    loop {
        dist.fill(i64::MAX);
        prev_arc.fill(usize::MAX);
        dist[source] = 0;
        let mut heap = BinaryHeap::new();
        heap.push(Reverse((0i64, source)));
        while let Some(Reverse((d, u))) = heap.pop() {
            if d > dist[u] {
                continue;
            }
            // Nodes farther than the sink cannot be on this shortest path: stop here.
            if u == sink {
                break;
            }
            for &a in &net.out[u] {
                let arc = &net.arcs[a];
                if arc.cap <= 0 {
                    continue;
                }
                let reduced = arc.cost + potential[u] - potential[arc.to];
                let nd = d + reduced;
                if nd < dist[arc.to] {
                    dist[arc.to] = nd;
                    prev_arc[arc.to] = a;
                    heap.push(Reverse((nd, arc.to)));
                }
            }
        }
        if dist[sink] == i64::MAX {
            break;
        }
        // Johnson's update, capped at the sink's distance so that reduced costs stay
        // non-negative for nodes the early stop left unsettled.
        let reach = dist[sink];
        for v in 0..nodes {
            potential[v] += dist[v].min(reach);
        }
        // Bottleneck along the path, then push.
        let mut push = i64::MAX;
        let mut v = sink;
        while v != source {
            let a = prev_arc[v];
            push = push.min(net.arcs[a].cap);
            v = net.arcs[a ^ 1].to;
        }
        let mut v = sink;
        while v != source {
            let a = prev_arc[v];
            net.arcs[a].cap -= push;
            net.arcs[a ^ 1].cap += push;
            v = net.arcs[a ^ 1].to;
        }
    }

    pair_arcs
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let flow = a.map(|a| net.arcs[a ^ 1].cap).unwrap_or(0);
            (flow > 0).then_some(Assignment {
                pair: i,
                amount: flow,
            })
        })
        .collect()
}

/// Σ amount and Σ amount × scaled score of an allocation: what [`allocate`] maximises, in
/// that order.
pub fn objective(pairs: &[Pair], assignments: &[Assignment]) -> (i64, i128) {
    assignments.iter().fold((0, 0), |(t, w), a| {
        (
            t + a.amount,
            w + i128::from(a.amount) * i128::from(scaled(pairs[a.pair].score)),
        )
    })
}

mod simplex;

#[cfg(test)]
mod tests;
