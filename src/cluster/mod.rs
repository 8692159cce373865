//! Clustering: community detection on a weighted undirected graph (Louvain with Leiden-style refinement), the
//! modularity of a partition, and the adjusted Rand index between two partitions.
//! Takes plain node and edge lists; returns partitions as community ids per node.

mod louvain;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use louvain::renumber;

/// Community id per node.
pub type Partition = Vec<usize>;

/// An undirected weighted graph as adjacency lists. Parallel edges are summed; a self-loop is stored once.
#[derive(Debug, Clone, Default)]
pub struct WeightedGraph {
    adjacency: Vec<Vec<(usize, f64)>>,
    degrees: Vec<f64>,
    total: f64,
}

impl WeightedGraph {
    /// Builds the graph; edges with a non-positive or non-finite weight are ignored.
    pub fn new(nodes: usize, edges: impl IntoIterator<Item = (usize, usize, f64)>) -> Self {
        // Both directions of every edge, sorted and summed: far faster than a map per node on large graphs.
        let mut directed: Vec<(usize, usize, f64)> = Vec::new();
        let mut total = 0.0;
        for (a, b, w) in edges {
            if !(w.is_finite() && w > 0.0) || a >= nodes || b >= nodes {
                continue;
            }
            total += w;
            directed.push((a, b, w));
            if a != b {
                directed.push((b, a, w));
            }
        }
        directed.sort_unstable_by_key(|x| (x.0, x.1));
        let mut adjacency: Vec<Vec<(usize, f64)>> = vec![Vec::new(); nodes];
        for (a, b, w) in directed {
            match adjacency[a].last_mut() {
                Some((last, sum)) if *last == b => *sum += w,
                _ => adjacency[a].push((b, w)),
            }
        }
        // A self-loop counts twice in its node's degree (the networkx and igraph convention).
        let degrees = adjacency
            .iter()
            .enumerate()
            .map(|(i, list)| list.iter().map(|&(j, w)| if i == j { 2.0 * w } else { w }).sum())
            .collect();
        WeightedGraph { adjacency, degrees, total }
    }

    pub fn len(&self) -> usize {
        self.adjacency.len()
    }

    pub fn is_empty(&self) -> bool {
        self.adjacency.is_empty()
    }

    pub fn neighbours(&self, node: usize) -> &[(usize, f64)] {
        &self.adjacency[node]
    }

    pub fn degree(&self, node: usize) -> f64 {
        self.degrees[node]
    }

    /// Sum of edge weights, a self-loop counted once.
    pub fn total_weight(&self) -> f64 {
        self.total
    }

    /// The graph of groups: one node per group, edges summed, internal weight as a self-loop.
    fn aggregate(&self, group: &[usize], count: usize) -> WeightedGraph {
        let mut edges = Vec::new();
        for (a, list) in self.adjacency.iter().enumerate() {
            for &(b, w) in list {
                // Each undirected edge once: from its lower end (a self-loop from itself).
                if a <= b {
                    edges.push((group[a], group[b], w));
                }
            }
        }
        WeightedGraph::new(count, edges)
    }
}

/// Newman modularity with resolution γ: Σ_c [ L_c / m − γ (K_c / 2m)² ].
pub fn modularity(graph: &WeightedGraph, partition: &[usize], resolution: f64) -> f64 {
    let m = graph.total_weight();
    if m == 0.0 {
        return 0.0;
    }
    let communities = partition.iter().max().map_or(0, |c| c + 1);
    let mut internal = vec![0.0; communities];
    let mut totals = vec![0.0; communities];
    for node in 0..graph.len() {
        totals[partition[node]] += graph.degree(node);
        for &(other, w) in graph.neighbours(node) {
            if partition[other] == partition[node] && node <= other {
                internal[partition[node]] += w;
            }
        }
    }
    internal.iter().zip(&totals).map(|(l, k)| l / m - resolution * (k / (2.0 * m)).powi(2)).sum()
}

/// Louvain with Leiden-style refinement. Returns every level, finest first; the last is the final proposal.
/// `pinned[node] = Some(p)` keeps the node in pin `p`'s community (nodes of one pin start together, never move,
/// and two pins never merge).
pub fn detect(graph: &WeightedGraph, resolution: f64, seed: u64, pinned: &[Option<usize>]) -> Vec<Partition> {
    assert_eq!(pinned.len(), graph.len(), "one pin slot per node");
    let mut levels = louvain::louvain(graph, resolution, seed, pinned, None);
    // Like Leiden, iterate from the converged partition while that still raises modularity.
    for iteration in 1..=MAX_ITERATIONS {
        let Some(last) = levels.last().cloned() else { break };
        let quality = modularity(graph, &last, resolution);
        let again = louvain::louvain(graph, resolution, seed.wrapping_add(iteration), pinned, Some(&last));
        match again.last() {
            Some(better) if modularity(graph, better, resolution) > quality + MIN_ITERATION_GAIN => {
                levels.push(better.clone());
            }
            _ => break,
        }
    }
    levels
}

/// Upper bound on Leiden-style iterations; in practice two or three suffice.
const MAX_ITERATIONS: u64 = 20;
/// An iteration that raises modularity by less than this ends the search: on the 200,000-node LFR graph later
/// iterations each cost a second for gains below the fourth decimal reported.
const MIN_ITERATION_GAIN: f64 = 1e-5;

/// Adjusted Rand index between two partitions of the same nodes (1 for identical, about 0 for random).
pub fn adjusted_rand_index(a: &[usize], b: &[usize]) -> f64 {
    let n = a.len() as f64;
    let choose2 = |x: f64| x * (x - 1.0) / 2.0;
    let mut table: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    let mut rows: BTreeMap<usize, f64> = BTreeMap::new();
    let mut cols: BTreeMap<usize, f64> = BTreeMap::new();
    for (x, y) in a.iter().zip(b) {
        *table.entry((*x, *y)).or_default() += 1.0;
        *rows.entry(*x).or_default() += 1.0;
        *cols.entry(*y).or_default() += 1.0;
    }
    let index: f64 = table.values().map(|v| choose2(*v)).sum();
    let sum_rows: f64 = rows.values().map(|v| choose2(*v)).sum();
    let sum_cols: f64 = cols.values().map(|v| choose2(*v)).sum();
    let expected = sum_rows * sum_cols / choose2(n);
    let max = (sum_rows + sum_cols) / 2.0;
    if (max - expected).abs() < f64::EPSILON { 1.0 } else { (index - expected) / (max - expected) }
}

/// The JSON graph format of `seamline cluster --graph`: `{"nodes": [...], "edges": [[a, b, w], ...]}`.
#[derive(Debug, Deserialize)]
pub struct GraphFile {
    pub nodes: Vec<serde_json::Value>,
    pub edges: Vec<(serde_json::Value, serde_json::Value, f64)>,
}

/// What `seamline cluster` prints.
#[derive(Debug, Serialize)]
pub struct ClusterOutput {
    /// Node (as written in the input) → community of the final level.
    pub partition: BTreeMap<String, usize>,
    pub modularity: f64,
    pub communities: usize,
    /// Every level, finest first, with its modularity.
    pub levels: Vec<Level>,
}

#[derive(Debug, Serialize)]
pub struct Level {
    pub communities: usize,
    pub modularity: f64,
    pub partition: BTreeMap<String, usize>,
}

/// A node's name in output: strings as they are, numbers as written.
pub fn node_name(node: &serde_json::Value) -> String {
    match node {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl GraphFile {
    /// The graph, with nodes in file order; an edge naming an unknown node is an error.
    pub fn graph(&self) -> Result<WeightedGraph, String> {
        let index: std::collections::HashMap<String, usize> =
            self.nodes.iter().enumerate().map(|(i, n)| (node_name(n), i)).collect();
        if index.len() != self.nodes.len() {
            return Err("duplicate node names".to_owned());
        }
        let mut edges = Vec::with_capacity(self.edges.len());
        for (a, b, w) in &self.edges {
            let find = |n: &serde_json::Value| {
                index.get(&node_name(n)).copied().ok_or_else(|| format!("edge names unknown node {n}"))
            };
            edges.push((find(a)?, find(b)?, *w));
        }
        Ok(WeightedGraph::new(self.nodes.len(), edges))
    }
}

/// Clusters a graph file: the final partition, its modularity, and every level.
pub fn cluster_file(file: &GraphFile, resolution: f64, seed: u64) -> Result<ClusterOutput, String> {
    let graph = file.graph()?;
    let levels = detect(&graph, resolution, seed, &vec![None; graph.len()]);
    let named = |partition: &[usize]| -> BTreeMap<String, usize> {
        file.nodes.iter().zip(partition).map(|(n, c)| (node_name(n), *c)).collect()
    };
    let final_level = levels.last().cloned().unwrap_or_default();
    Ok(ClusterOutput {
        partition: named(&final_level),
        modularity: crate::model::round4(modularity(&graph, &final_level, resolution)),
        communities: final_level.iter().max().map_or(0, |c| c + 1),
        levels: levels
            .iter()
            .map(|p| Level {
                communities: p.iter().max().map_or(0, |c| c + 1),
                modularity: crate::model::round4(modularity(&graph, p, resolution)),
                partition: named(p),
            })
            .collect(),
    })
}
