//! Import cycles: strongly connected components of the import graph without type-only edges.

use std::collections::HashMap;

use petgraph::algo::tarjan_scc;
use petgraph::graph::DiGraph;

use crate::facts::SourceFacts;
use crate::model::{Dependency, ImportKind};

/// Cycles (sorted member paths) and, parallel to them, the import edges between their members.
pub fn find(modules: &[SourceFacts], dependencies: &[Dependency]) -> (Vec<Vec<String>>, Vec<Vec<[String; 2]>>) {
    let index: HashMap<&str, usize> = modules.iter().enumerate().map(|(i, m)| (m.path.as_str(), i)).collect();
    let mut graph: DiGraph<usize, ()> = DiGraph::with_capacity(modules.len(), dependencies.len());
    let nodes: Vec<_> = (0..modules.len()).map(|i| graph.add_node(i)).collect();
    let runtime = |d: &&Dependency| d.kinds.iter().any(|k| *k != ImportKind::TypeOnly);
    for dependency in dependencies.iter().filter(runtime) {
        if let (Some(&a), Some(&b)) = (index.get(dependency.from.as_str()), index.get(dependency.to.as_str())) {
            graph.add_edge(nodes[a], nodes[b], ());
        }
    }
    let mut cycles: Vec<Vec<String>> = tarjan_scc(&graph)
        .into_iter()
        .filter(|component| component.len() > 1)
        .map(|component| {
            let mut members: Vec<String> = component.iter().map(|n| modules[graph[*n]].path.clone()).collect();
            members.sort();
            members
        })
        .collect();
    cycles.sort_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
    // The edges inside each cycle, in dependency order: one pass over the dependencies, not one per cycle.
    let cycle_of: HashMap<&str, usize> =
        cycles.iter().enumerate().flat_map(|(c, members)| members.iter().map(move |m| (m.as_str(), c))).collect();
    let mut edges: Vec<Vec<[String; 2]>> = vec![Vec::new(); cycles.len()];
    for d in dependencies.iter().filter(runtime) {
        if let (Some(from), Some(to)) = (cycle_of.get(d.from.as_str()), cycle_of.get(d.to.as_str()))
            && from == to
        {
            edges[*from].push([d.from.clone(), d.to.clone()]);
        }
    }
    (cycles, edges)
}
