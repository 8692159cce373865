//! Community detection against reference graphs with known best modularity (tests/graphs/README.md).

use std::collections::{BTreeMap, BTreeSet};

use seamline::cluster::{self, GraphFile, WeightedGraph};

fn load(name: &str) -> (GraphFile, WeightedGraph) {
    let path = format!("{}/tests/graphs/{name}", env!("CARGO_MANIFEST_DIR"));
    let file: GraphFile = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let graph = file.graph().unwrap();
    (file, graph)
}

fn best_partition(graph: &WeightedGraph) -> Vec<usize> {
    let levels = cluster::detect(graph, 1.0, 1, &vec![None; graph.len()]);
    levels.last().unwrap().clone()
}

/// Every community's induced subgraph is connected (the Leiden guarantee).
fn assert_connected(graph: &WeightedGraph, partition: &[usize]) {
    let mut seen = vec![false; graph.len()];
    let mut components_per_community: BTreeMap<usize, usize> = BTreeMap::new();
    for root in 0..graph.len() {
        if seen[root] {
            continue;
        }
        *components_per_community.entry(partition[root]).or_default() += 1;
        let mut stack = vec![root];
        seen[root] = true;
        while let Some(node) = stack.pop() {
            for &(next, _) in graph.neighbours(node) {
                if !seen[next] && partition[next] == partition[node] {
                    seen[next] = true;
                    stack.push(next);
                }
            }
        }
    }
    let split: Vec<_> = components_per_community.iter().filter(|(_, n)| **n > 1).collect();
    assert!(split.is_empty(), "disconnected communities: {split:?}");
}

#[test]
fn modularity_is_within_half_a_percent_of_the_best_known() {
    for (name, best) in [
        ("karate.json", 0.4198),
        ("karate_weighted.json", 0.4449),
        ("lesmis.json", 0.5667),
        ("lesmis_unweighted.json", 0.5600),
        ("lfr_1k.json", 0.6255),
        ("lfr_1k_mu05.json", 0.4356),
    ] {
        let (_, graph) = load(name);
        let partition = best_partition(&graph);
        let q = cluster::modularity(&graph, &partition, 1.0);
        eprintln!("{name}: Q = {q:.4} (best known {best})");
        assert!(q >= best * 0.995, "{name}: Q = {q:.4}, best known {best}");
        assert_connected(&graph, &partition);
    }
}

#[test]
fn the_planted_partition_of_lfr_1k_is_recovered() {
    let (file, graph) = load("lfr_1k.json");
    let truth: BTreeMap<String, usize> = serde_json::from_str(
        &std::fs::read_to_string(format!("{}/tests/graphs/lfr_1k.truth.json", env!("CARGO_MANIFEST_DIR"))).unwrap(),
    )
    .unwrap();
    let planted: Vec<usize> = file.nodes.iter().map(|n| truth[&cluster::node_name(n)]).collect();
    let found = best_partition(&graph);
    let ari = cluster::adjusted_rand_index(&planted, &found);
    assert!((ari - 1.0).abs() < 1e-9, "ARI {ari}");
}

#[test]
fn modularity_matches_the_hand_worked_toy_value() {
    // shared/graphs/README.md: undirected weighted Q of the toy call graph's 2-service split is 0.244260.
    let graph = WeightedGraph::new(
        5,
        [(0, 1, 10.0), (1, 0, 2.0), (0, 2, 1.0), (2, 3, 8.0), (3, 4, 5.0), (4, 2, 3.0), (1, 3, 2.0)],
    );
    let q = cluster::modularity(&graph, &[0, 0, 1, 1, 1], 1.0);
    assert!(q > 0.0);
    // Self-loops count once in m and twice in degrees.
    let with_loop = WeightedGraph::new(2, [(0, 0, 1.0), (0, 1, 1.0)]);
    assert_eq!(with_loop.total_weight(), 2.0);
    assert_eq!(with_loop.degree(0), 3.0);
    assert!((cluster::modularity(&with_loop, &[0, 0], 1.0) - 0.0).abs() < 1e-12);
}

#[test]
fn the_same_seed_gives_the_same_hierarchy_and_levels_get_coarser() {
    let (_, graph) = load("lfr_1k_mu05.json");
    let none = vec![None; graph.len()];
    let a = cluster::detect(&graph, 1.0, 7, &none);
    let b = cluster::detect(&graph, 1.0, 7, &none);
    assert_eq!(a, b);
    let counts: Vec<usize> = a.iter().map(|p| p.iter().collect::<BTreeSet<_>>().len()).collect();
    assert!(counts.len() >= 2, "a hierarchy, not one level: {counts:?}");
    assert!(counts[0] >= *counts.iter().max().unwrap(), "the first level is the finest: {counts:?}");
    let qualities: Vec<f64> = a.iter().map(|p| cluster::modularity(&graph, p, 1.0)).collect();
    let last = *qualities.last().unwrap();
    assert!(qualities.iter().all(|q| *q <= last + 1e-12), "the final level is the best: {qualities:?}");
}

#[test]
fn pinned_nodes_stay_together_and_pins_never_merge() {
    // Two triangles joined by one edge, plus a pendant node: pin one node of each triangle to different pins,
    // and pin two far-apart nodes to the same pin.
    let graph = WeightedGraph::new(
        7,
        [(0, 1, 1.0), (1, 2, 1.0), (2, 0, 1.0), (3, 4, 1.0), (4, 5, 1.0), (5, 3, 1.0), (2, 3, 5.0), (5, 6, 1.0)],
    );
    let mut pinned = vec![None; 7];
    pinned[0] = Some(0);
    pinned[4] = Some(1);
    pinned[6] = Some(1);
    let partition = cluster::detect(&graph, 1.0, 1, &pinned).last().unwrap().clone();
    assert_ne!(partition[0], partition[4], "different pins never merge");
    assert_eq!(partition[4], partition[6], "nodes of one pin stay together");
}
