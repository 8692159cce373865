//! Louvain community detection (Blondel et al. 2008) with the refinement phase of Leiden (Traag et al. 2019),
//! made deterministic: nodes are visited in a seeded order, ties keep the current community, then take the
//! lowest id. Refinement only merges a node into a sub-community it is connected to, so aggregated nodes are
//! connected; a last pass splits any community that still is not.

use super::{Partition, WeightedGraph};

/// Gains smaller than this are rounding noise, not improvements.
const EPSILON: f64 = 1e-12;

/// Every level found, finest first; each maps original nodes to community ids (numbered by first appearance).
pub fn louvain(
    graph: &WeightedGraph,
    resolution: f64,
    seed: u64,
    pinned: &[Option<usize>],
    from: Option<&[usize]>,
) -> Vec<Partition> {
    let mut levels: Vec<Partition> = Vec::new();
    // `members[a]`: original nodes inside aggregate node `a`.
    let mut members: Vec<Vec<usize>> = (0..graph.len()).map(|i| vec![i]).collect();
    let mut current = graph.clone();
    // Pinned nodes start together, per pin, and never move.
    let mut fixed: Vec<Option<usize>> = pinned.to_vec();
    // A later iteration starts from the previous result (as Leiden does), pins kept.
    let mut start: Vec<usize> = match from {
        Some(partition) => {
            let pins = initial(&fixed);
            renumber(
                &(0..graph.len())
                    .map(|v| if fixed[v].is_some() { graph.len() + pins[v] } else { partition[v] })
                    .collect::<Vec<_>>(),
            )
        }
        None => initial(&fixed),
    };
    loop {
        let order = visiting_order(current.len(), seed.wrapping_add(levels.len() as u64));
        let communities = local_moving(&current, resolution, &order, start, &fixed);
        let refined = refine(&current, resolution, &order, &communities);

        let mut flat = vec![0; graph.len()];
        for (aggregate, nodes) in members.iter().enumerate() {
            for &node in nodes {
                flat[node] = communities[aggregate];
            }
        }
        let flat = renumber(&split_disconnected(graph, &flat, pinned));
        if levels.last() != Some(&flat) {
            levels.push(flat);
        }

        let groups = renumber(&refined);
        let count = groups.iter().max().map_or(0, |m| m + 1);
        if count == current.len() {
            break; // nothing merged: converged
        }
        let mut next_members = vec![Vec::new(); count];
        let mut next_start = vec![0; count];
        let mut next_fixed = vec![None; count];
        for (node, &group) in groups.iter().enumerate() {
            next_members[group].extend(members[node].iter().copied());
            next_start[group] = communities[node];
            if fixed[node].is_some() {
                next_fixed[group] = fixed[node];
            }
        }
        current = current.aggregate(&groups, count);
        members = next_members;
        fixed = next_fixed;
        start = renumber(&next_start);
    }
    levels
}

/// Each node alone, except pinned nodes, which share one community per pin.
fn initial(pinned: &[Option<usize>]) -> Vec<usize> {
    let mut first_of_pin = std::collections::HashMap::new();
    (0..pinned.len())
        .map(|node| match pinned[node] {
            Some(pin) => *first_of_pin.entry(pin).or_insert(node),
            None => node,
        })
        .collect()
}

/// A seeded permutation of `0..n` (splitmix64 Fisher–Yates); seed 0 keeps index order.
fn visiting_order(n: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    if seed == 0 {
        return order;
    }
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    for i in (1..n).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

/// Moves nodes to the neighbouring community with the best modularity gain until no move improves it.
fn local_moving(
    graph: &WeightedGraph,
    resolution: f64,
    order: &[usize],
    start: Vec<usize>,
    fixed: &[Option<usize>],
) -> Vec<usize> {
    let n = graph.len();
    let two_m = 2.0 * graph.total_weight();
    let mut community = start;
    if two_m == 0.0 {
        return community;
    }
    let mut total = vec![0.0; n];
    for node in 0..n {
        total[community[node]] += graph.degree(node);
    }
    let mut weight_to = vec![0.0; n];
    let mut touched: Vec<usize> = Vec::new();
    loop {
        let mut moved = false;
        // Modularity gained in this pass (times 2m): a pass gaining almost nothing ends the loop, as in the
        // reference implementations, instead of shuffling nodes between near-equal communities.
        let mut gained = 0.0;
        for &node in order {
            if fixed[node].is_some() {
                continue;
            }
            let own = community[node];
            let degree = graph.degree(node);
            for &(neighbour, w) in graph.neighbours(node) {
                if neighbour == node {
                    continue;
                }
                let c = community[neighbour];
                if weight_to[c] == 0.0 {
                    touched.push(c);
                }
                weight_to[c] += w;
            }
            total[own] -= degree;
            let gain =
                |c: usize, weight_to: &[f64], total: &[f64]| weight_to[c] - resolution * total[c] * degree / two_m;
            let mut best = own;
            let own_gain = gain(own, &weight_to, &total);
            let mut best_gain = own_gain;
            for &c in &touched {
                let g = gain(c, &weight_to, &total);
                if g > best_gain + EPSILON || ((g - best_gain).abs() <= EPSILON && best != own && c < best) {
                    best = c;
                    best_gain = g;
                }
            }
            total[best] += degree;
            if best != own {
                community[node] = best;
                moved = true;
                gained += best_gain - own_gain;
            }
            for &c in &touched {
                weight_to[c] = 0.0;
            }
            touched.clear();
        }
        if !moved || gained / two_m < MIN_PASS_GAIN {
            return community;
        }
    }
}

/// A local-moving pass that raises modularity by less than this ends the phase.
const MIN_PASS_GAIN: f64 = 1e-7;

/// Leiden's refinement: within each community, starting from singletons, a node joins a sub-community it is
/// connected to when both are well connected to the community and the move does not lower modularity.
fn refine(graph: &WeightedGraph, resolution: f64, order: &[usize], communities: &[usize]) -> Vec<usize> {
    let n = graph.len();
    let two_m = 2.0 * graph.total_weight();
    let mut refined: Vec<usize> = (0..n).collect();
    if two_m == 0.0 {
        return refined;
    }
    let mut community_total = vec![0.0; n];
    for node in 0..n {
        community_total[communities[node]] += graph.degree(node);
    }
    // For each node: weight to the rest of its community.
    let inside = |node: usize| -> f64 {
        graph
            .neighbours(node)
            .iter()
            .filter(|(v, _)| *v != node && communities[*v] == communities[node])
            .map(|(_, w)| w)
            .sum()
    };
    let mut sub_total: Vec<f64> = (0..n).map(|v| graph.degree(v)).collect();
    // Weight from each sub-community to the rest of its community.
    let mut sub_inside: Vec<f64> = (0..n).map(inside).collect();
    let mut singleton = vec![true; n];
    let mut weight_to = vec![0.0; n];
    let mut touched = Vec::new();
    for &node in order {
        if !singleton[node] {
            continue;
        }
        let c = communities[node];
        let degree = graph.degree(node);
        let well_connected =
            |inner: f64, total: f64| inner >= resolution * total * (community_total[c] - total) / two_m;
        if !well_connected(sub_inside[node], degree) {
            continue;
        }
        for &(neighbour, w) in graph.neighbours(node) {
            if neighbour == node || communities[neighbour] != c {
                continue;
            }
            let s = refined[neighbour];
            if weight_to[s] == 0.0 {
                touched.push(s);
            }
            weight_to[s] += w;
        }
        let mut best = refined[node];
        let mut best_gain = 0.0;
        for &s in &touched {
            if s == refined[node] || !well_connected(sub_inside[s], sub_total[s]) {
                continue;
            }
            // Pinned nodes never move, so one community never holds two pins: no pin check is needed here.
            let g = weight_to[s] - resolution * sub_total[s] * degree / two_m;
            if g > best_gain + EPSILON || ((g - best_gain).abs() <= EPSILON && g > 0.0 && s < best) {
                best = s;
                best_gain = g;
            }
        }
        if best != refined[node] {
            let old = refined[node];
            refined[node] = best;
            singleton[node] = false;
            singleton[best] = false;
            sub_total[best] += degree;
            sub_total[old] -= degree;
            // Edges between the node and its new sub-community are now internal to it.
            sub_inside[best] += sub_inside[node] - 2.0 * weight_to[best];
        }
        for &s in &touched {
            weight_to[s] = 0.0;
        }
        touched.clear();
    }
    refined
}

/// Splits every community whose induced subgraph is disconnected into its connected parts, except communities
/// holding pinned nodes: a pin is the user's decision to keep those modules together.
fn split_disconnected(graph: &WeightedGraph, communities: &[usize], pinned: &[Option<usize>]) -> Vec<usize> {
    let n = graph.len();
    let mut part = vec![usize::MAX; n];
    let mut next = 0;
    let pinned_communities: std::collections::BTreeSet<usize> =
        (0..n).filter(|v| pinned[*v].is_some()).map(|v| communities[v]).collect();
    for community in &pinned_communities {
        for v in (0..n).filter(|v| communities[*v] == *community) {
            part[v] = next;
        }
        next += 1;
    }
    let mut stack = Vec::new();
    for root in 0..n {
        if part[root] != usize::MAX {
            continue;
        }
        part[root] = next;
        stack.push(root);
        while let Some(node) = stack.pop() {
            for &(neighbour, w) in graph.neighbours(node) {
                if w > 0.0 && part[neighbour] == usize::MAX && communities[neighbour] == communities[node] {
                    part[neighbour] = next;
                    stack.push(neighbour);
                }
            }
        }
        next += 1;
    }
    part
}

/// Community ids renumbered 0, 1, 2… in order of first appearance, so equal partitions compare equal.
pub fn renumber(communities: &[usize]) -> Vec<usize> {
    let mut ids = std::collections::HashMap::new();
    communities
        .iter()
        .map(|c| {
            let next = ids.len();
            *ids.entry(*c).or_insert(next)
        })
        .collect()
}
