//! A primal network simplex for the allocation's flow problem, with block-search pricing.
//!
//! The network is turned into a circulation: the arc sink → source carries the allocated
//! total at cost −C per cent, C larger than any cycle's worth of score, so a minimum-cost
//! circulation allocates as much as possible first and then maximises the score.
//!
//! Every node also has an artificial zero-cost arc to an artificial root. The starting tree
//! is the caller's (a parent arc per node, pointing towards the root, carrying no flow: a
//! strongly feasible tree), the artificial arcs completing it; with no tree given, every
//! node hangs from the root. In a circulation the artificial arcs can never carry flow (no
//! arc leaves the root), so potentials stay bounded by real path costs and fit `i64`.

/// Pricing scans blocks of `√arcs × BLOCK_FACTOR` arcs. Measured on the benchmark data
/// (bench/README.md): 1.0 (LEMON's default) took 110 ms on 1 000², 0.3 took 47 ms, 0.05 took
/// 22 ms. With the starting tree of the allocation, 0.02 took 0.66 s on 10 000² with scarce
/// supply where 0.05 took 0.81 s and 0.01 0.84 s. Short blocks suit this network, where most
/// arcs are pair arcs whose reduced costs change little between pivots.
const BLOCK_FACTOR: f64 = 0.02;

/// The minimum-cost circulation of `arcs` (from, to, capacity, cost per unit), starting from
/// the tree `tree` names (`tree[x]`: the arc from `x` to its parent, else the artificial arc
/// to the root). The flow on each arc, or `None` when the pivot limit was reached or `tree`
/// has a cycle (the caller then falls back to successive shortest paths).
pub fn solve(
    nodes: usize,
    arcs: &[(usize, usize, i64, i64)],
    tree: &[Option<usize>],
    max_pivots: usize,
) -> Option<Vec<i64>> {
    let m = arcs.len();
    let n = nodes;
    let root = n;
    // Arcs 0..m are real; m..m+n are artificial x → root.
    let total = m + n;
    let mut src: Vec<usize> = Vec::with_capacity(total);
    let mut dst: Vec<usize> = Vec::with_capacity(total);
    let mut cap: Vec<i64> = Vec::with_capacity(total);
    let mut cost: Vec<i64> = Vec::with_capacity(total);
    for &(s, t, c, w) in arcs {
        src.push(s);
        dst.push(t);
        cap.push(c);
        cost.push(w);
    }
    let art = 0;
    for x in 0..n {
        src.push(x);
        dst.push(root);
        cap.push(i64::MAX / 4);
        cost.push(art);
    }
    let mut flow = vec![0i64; total];
    // +1: at its lower bound, −1: at its upper bound, 0: in the tree or without capacity;
    // `state × reduced cost < 0` marks a violation (as in LEMON).
    let mut state: Vec<i8> = cap.iter().map(|&c| i8::from(c > 0)).collect();
    // The starting tree: each node hangs from its parent by the arc `tree` names (leaving
    // it, with capacity), else from the root by its artificial arc. Every tree arc carries
    // no flow and points towards the root, so the tree is strongly feasible.
    let mut pred: Vec<usize> = (0..n)
        .map(|x| match tree.get(x).copied().flatten() {
            Some(a) if a < m && src[a] == x && cap[a] > 0 => a,
            _ => m + x,
        })
        .chain([usize::MAX])
        .collect();
    let mut parent: Vec<usize> = pred[..n].iter().map(|&a| dst[a]).collect();
    parent.push(usize::MAX);
    // Each node's children, and where a node sits among its parent's: removing a child is
    // O(1) (the root may start with every node as its child).
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n + 1];
    let mut slot = vec![0usize; n + 1];
    for x in 0..n {
        state[pred[x]] = 0;
        slot[x] = children[parent[x]].len();
        children[parent[x]].push(x);
    }
    let mut depth = vec![0usize; n + 1];
    let mut pi = vec![0i64; n + 1];
    // Potentials and depths down from the root; a node not reached sits on a cycle of
    // `tree`, which is then no tree.
    let mut stack = vec![root];
    let mut reached = 0usize;
    while let Some(x) = stack.pop() {
        for &c in &children[x] {
            // cost + pi[c] − pi[x] = 0 on the arc c → x.
            pi[c] = pi[x] - cost[pred[c]];
            depth[c] = depth[x] + 1;
            reached += 1;
            stack.push(c);
        }
    }
    if reached != n {
        return None;
    }

    let block = (((total as f64).sqrt() * BLOCK_FACTOR) as usize).max(10);
    let mut next = 0usize;
    let mut pivots = 0usize;
    let (mut path_u, mut path_v, mut chain) = (Vec::new(), Vec::new(), Vec::new());
    loop {
        // Block search: the most violating arc among the next `block` arcs, scanning at most
        // once around.
        let mut best = usize::MAX;
        let mut best_v: i64 = 0;
        let mut scanned = 0;
        while scanned < total {
            let end = (scanned + block).min(total);
            for _ in scanned..end {
                let a = next;
                next += 1;
                if next == total {
                    next = 0;
                }
                let v = -i64::from(state[a]) * (cost[a] + pi[src[a]] - pi[dst[a]]);
                if v > best_v {
                    best_v = v;
                    best = a;
                }
            }
            scanned = end;
            if best != usize::MAX {
                break;
            }
        }
        if best == usize::MAX {
            break;
        }
        pivots += 1;
        if pivots > max_pivots {
            return None;
        }
        let e = best;
        // Push along e forwards (u → v) from its lower bound, backwards from its upper one.
        let (u, v) = if state[e] > 0 {
            (src[e], dst[e])
        } else {
            (dst[e], src[e])
        };
        let residual = |a: usize, from: usize, flow: &[i64]| -> i64 {
            if src[a] == from {
                cap[a] - flow[a]
            } else {
                flow[a]
            }
        };
        let mut delta = residual(e, u, &flow);
        // Leaving arc: first minimum found walking from v up (the cycle after e), then from
        // u up; `leave_side` says which side of the join it is on.
        let mut leave = e;
        let mut leave_on_u = false;
        let (mut a, mut b) = (u, v);
        // Walk up to the join.
        path_u.clear();
        path_v.clear();
        while a != b {
            if depth[a] >= depth[b] {
                path_u.push(a);
                a = parent[a];
            } else {
                path_v.push(b);
                b = parent[b];
            }
        }
        // Along the cycle the flow goes u → v (e), then v up to the join, then down to u.
        // Leaving arc by the strongly-feasible-tree rule (as in LEMON): strict on u's side
        // (scanned from u up), non-strict on v's side (from v up), so degenerate pivots
        // cannot cycle.
        for &x in &path_u {
            let r = residual(pred[x], parent[x], &flow);
            if r < delta {
                delta = r;
                leave = pred[x];
                leave_on_u = true;
            }
        }
        for &x in &path_v {
            let r = residual(pred[x], x, &flow);
            if r <= delta {
                delta = r;
                leave = pred[x];
                leave_on_u = false;
            }
        }
        // Augment.
        if delta > 0 {
            let push = |a: usize, from: usize, flow: &mut [i64]| {
                if src[a] == from {
                    flow[a] += delta;
                } else {
                    flow[a] -= delta;
                }
            };
            push(e, u, &mut flow);
            for &x in &path_v {
                push(pred[x], x, &mut flow);
            }
            for &x in &path_u {
                push(pred[x], parent[x], &mut flow);
            }
        }
        if leave == e {
            state[e] = if flow[e] == 0 { 1 } else { -1 };
            continue;
        }
        // The subtree below the leaving arc is re-hung from e.
        let (w, attach) = if leave_on_u { (u, v) } else { (v, u) };
        // The child end of the leaving arc.
        let cut = if pred[src[leave]] == leave {
            src[leave]
        } else {
            dst[leave]
        };
        // Reverse the path w → … → cut.
        chain.clear();
        chain.push(w);
        while *chain.last().unwrap_or(&w) != cut {
            let last = *chain.last().unwrap_or(&w);
            chain.push(parent[last]);
        }
        // Detach `cut` from its parent.
        unlink(&mut children, &mut slot, parent[cut], cut);
        state[leave] = if flow[leave] == 0 { 1 } else { -1 };
        for i in (1..chain.len()).rev() {
            let (lower, upper) = (chain[i - 1], chain[i]);
            // upper becomes the child of lower, through the arc that joined them.
            unlink(&mut children, &mut slot, upper, lower);
            slot[upper] = children[lower].len();
            children[lower].push(upper);
            parent[upper] = lower;
            pred[upper] = pred[lower];
        }
        parent[w] = attach;
        pred[w] = e;
        slot[w] = children[attach].len();
        children[attach].push(w);
        state[e] = 0;
        // Potentials and depths of the moved subtree.
        stack.clear();
        stack.push(w);
        while let Some(x) = stack.pop() {
            let p = parent[x];
            let a = pred[x];
            pi[x] = if src[a] == x {
                pi[p] - cost[a]
            } else {
                pi[p] + cost[a]
            };
            depth[x] = depth[p] + 1;
            stack.extend(children[x].iter().copied());
        }
    }
    // Artificial arcs must be empty for a feasible circulation.
    if flow[m..].iter().any(|&f| f != 0) {
        return None;
    }
    flow.truncate(m);
    Some(flow)
}

/// Removes `child` from `parent`'s children, where `slot` says it sits.
fn unlink(children: &mut [Vec<usize>], slot: &mut [usize], parent: usize, child: usize) {
    let at = slot[child];
    debug_assert_eq!(children[parent][at], child);
    children[parent].swap_remove(at);
    if let Some(&moved) = children[parent].get(at) {
        slot[moved] = at;
    }
}
