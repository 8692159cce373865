//! Scores a proposal honestly (modularity and the decomposition metrics of the microservice-identification
//! literature) and warns about the risks that make a split a distributed monolith.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::algo::tarjan_scc;
use petgraph::graph::DiGraph;

use super::{Proposal, sorted_names};
use crate::model::{Context, Quality, Warning, round4};

pub fn score(p: &Proposal, contexts: &[Context], modularity: f64) -> Quality {
    let k = p.members.len();
    let calls: Vec<(usize, usize, usize)> =
        p.input.call_sites.iter().filter_map(|(&(a, b), &n)| Some((p.context_of[a]?, p.context_of[b]?, n))).collect();

    let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut directed: Vec<(usize, usize, usize)> = Vec::new();
    for (&(a, b), &n) in p.input.call_sites.iter() {
        if p.context_of[a].is_some() && p.context_of[b].is_some() {
            pairs.insert((a.min(b), a.max(b)));
            directed.push((a, b, n));
        }
    }
    let context = |m: usize| p.context_of[m].unwrap_or(0);
    let sizes: Vec<usize> = p.members.iter().map(Vec::len).collect();
    let sm = structural_modularity(&sizes, pairs.iter().map(|&(a, b)| (context(a), context(b))));
    let icp = inter_call_percentage(calls.iter().copied());
    let ifn = interface_number(k, directed.iter().map(|&(a, b, _)| (context(a), b, context(b))));
    let ned = non_extreme_distribution(&sizes, p.input.options.ned_bounds);

    let internal: f64 = contexts.iter().map(|c| c.internal_weight).sum();
    let external: f64 = contexts.iter().map(|c| c.external_weight).sum::<f64>() / 2.0;
    let cross_weight_share = if internal + external > 0.0 { external / (internal + external) } else { 0.0 };

    let options = p.input.options;
    let (verdict, reason, cleanest_seams) = if k <= 1 {
        ("nothing-to-split", format!("the coupling graph forms {k} context: there is no seam to cut along"), Vec::new())
    } else if modularity < options.weak_modularity || cross_weight_share > options.weak_cross_share {
        let mut seams: Vec<&Context> = contexts.iter().collect();
        let share = |c: &Context| c.external_weight / (c.internal_weight + c.external_weight).max(f64::MIN_POSITIVE);
        seams.sort_by(|a, b| share(a).total_cmp(&share(b)).then_with(|| a.name.cmp(&b.name)));
        let reason = format!(
            "the proposal is weak (modularity {:.3}, {:.0}% of the coupling weight crosses contexts): keep a modular \
             monolith and cut only the cleanest seams",
            modularity,
            cross_weight_share * 100.0
        );
        ("modular-monolith", reason, seams.iter().take(3).map(|c| c.name.clone()).collect())
    } else {
        let reason = format!(
            "{k} contexts with modularity {:.3}; {:.0}% of the coupling weight crosses contexts",
            modularity,
            cross_weight_share * 100.0
        );
        ("split", reason, Vec::new())
    };
    Quality {
        modularity: round4(modularity),
        sm: round4(sm),
        icp: round4(icp),
        ifn: round4(ifn),
        ned: round4(ned),
        cross_weight_share: round4(cross_weight_share),
        verdict: verdict.to_owned(),
        reason,
        cleanest_seams,
    }
}

/// Context cycles as sorted name lists, smallest first.
pub fn context_cycles(p: &Proposal) -> Vec<Vec<String>> {
    let k = p.members.len();
    let mut graph: DiGraph<usize, ()> = DiGraph::new();
    let nodes: Vec<_> = (0..k).map(|c| graph.add_node(c)).collect();
    let mut seen = BTreeSet::new();
    for &(a, b) in p.input.arcs.keys() {
        if let (Some(ca), Some(cb)) = (p.context_of[a], p.context_of[b])
            && ca != cb
            && seen.insert((ca, cb))
        {
            graph.add_edge(nodes[ca], nodes[cb], ());
        }
    }
    let mut cycles: Vec<Vec<String>> = tarjan_scc(&graph)
        .into_iter()
        .filter(|component| component.len() > 1)
        .map(|component| sorted_names(p, component.iter().map(|n| graph[*n])))
        .collect();
    cycles.sort_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
    cycles
}

pub fn warnings(p: &Proposal, contexts: &[Context]) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for cycle in context_cycles(p) {
        warnings.push(Warning {
            kind: "context-cycle".to_owned(),
            message: format!("contexts {} depend on each other in a cycle", cycle.join(", ")),
            contexts: cycle,
        });
    }
    let mut contested: BTreeMap<&str, &Vec<String>> = BTreeMap::new();
    for context in contexts {
        for table in &context.tables_contested {
            contested.insert(&table.table, &table.writers);
        }
    }
    for (table, writers) in contested {
        warnings.push(Warning {
            kind: "write-write-table".to_owned(),
            message: format!("table {table} is written by {} contexts: {}", writers.len(), writers.join(", ")),
            contexts: writers.clone(),
        });
    }
    for transaction in p.input.transactions {
        let involved =
            sorted_names(p, transaction.modules.iter().filter_map(|path| p.context_of[*p.index.get(path.as_str())?]));
        if involved.len() > 1 {
            warnings.push(Warning {
                kind: "cross-context-transaction".to_owned(),
                message: format!(
                    "transaction in {} ({}:{}) changes {} across contexts {}: it needs a saga or a rethink",
                    transaction.function,
                    transaction.path,
                    transaction.line,
                    transaction.tables.join(", "),
                    involved.join(", ")
                ),
                contexts: involved,
            });
        }
    }
    // Synchronous call chains through three or more contexts.
    let mut chains: BTreeMap<(usize, usize, usize), String> = BTreeMap::new();
    let mut outgoing: BTreeMap<(usize, &str), Vec<&crate::coupling::CallSite>> = BTreeMap::new();
    for site in p.input.sites {
        outgoing.entry((site.from_module, site.from_function.as_str())).or_default().push(site);
    }
    let modules = p.input.modules;
    for first in p.input.sites {
        let (Some(a), Some(b)) = (p.context_of[first.from_module], p.context_of[first.to_module]) else { continue };
        if a == b {
            continue;
        }
        for second in outgoing.get(&(first.to_module, first.to_function.as_str())).into_iter().flatten() {
            let Some(c) = p.context_of[second.to_module] else { continue };
            if c != a && c != b {
                chains.entry((a, b, c)).or_insert_with(|| {
                    format!(
                        "{}#{} → {}#{} → {}#{}",
                        modules[first.from_module].path,
                        first.from_function,
                        modules[first.to_module].path,
                        first.to_function,
                        modules[second.to_module].path,
                        second.to_function
                    )
                });
            }
        }
    }
    for ((a, b, c), example) in chains {
        let names = [p.names[a].clone(), p.names[b].clone(), p.names[c].clone()];
        warnings.push(Warning {
            kind: "call-chain".to_owned(),
            message: format!("a synchronous call chain crosses {} → {} → {}: {example}", names[0], names[1], names[2]),
            contexts: names.to_vec(),
        });
    }
    let others = contexts.len().saturating_sub(1);
    for context in contexts {
        let callers: BTreeSet<&String> = context.api.iter().flat_map(|f| &f.callers).collect();
        if others >= 3 && callers.len() * 2 >= others && callers.len() >= 3 {
            warnings.push(Warning {
                kind: "api-hotspot".to_owned(),
                message: format!(
                    "context {} would be called from {} of the {others} other contexts: extracting it puts a network hop \
                     on most paths",
                    context.name,
                    callers.len()
                ),
                contexts: vec![context.name.clone()],
            });
        }
    }
    warnings.sort();
    warnings
}

/// Structural modularity (Jin et al., TSE 2019): mean cohesion μ_i/N_i² minus mean coupling σ_ij/(N_i·N_j), over
/// undirected edges between distinct modules given as (context of one end, context of the other).
pub fn structural_modularity(sizes: &[usize], edges: impl Iterator<Item = (usize, usize)>) -> f64 {
    let k = sizes.len();
    if k == 0 {
        return 0.0;
    }
    let mut intra = vec![0.0; k];
    let mut inter: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for (a, b) in edges {
        if a == b {
            intra[a] += 1.0;
        } else {
            *inter.entry((a.min(b), a.max(b))).or_default() += 1.0;
        }
    }
    let size = |c: usize| sizes[c].max(1) as f64;
    let cohesion = (0..k).map(|c| intra[c] / (size(c) * size(c))).sum::<f64>() / k as f64;
    let coupling = if k > 1 {
        inter.iter().map(|(&(a, b), s)| s / (size(a) * size(b))).sum::<f64>() / (k * (k - 1) / 2) as f64
    } else {
        0.0
    };
    cohesion - coupling
}

/// Inter-call percentage (Jin et al. 2019): calls as (caller context, callee context, count), each pair weighted
/// ln(count) + 1; the share of weight between different contexts.
pub fn inter_call_percentage(calls: impl Iterator<Item = (usize, usize, usize)>) -> f64 {
    let weight = |n: usize| (n as f64).ln() + 1.0;
    let (mut total, mut crossing) = (0.0, 0.0);
    for (a, b, n) in calls {
        total += weight(n);
        if a != b {
            crossing += weight(n);
        }
    }
    if total > 0.0 { crossing / total } else { 0.0 }
}

/// Interface number (Jin et al. 2019): modules called from another context, averaged over the `k` contexts.
/// Calls are (caller context, callee module, callee context).
pub fn interface_number(k: usize, calls: impl Iterator<Item = (usize, usize, usize)>) -> f64 {
    let mut interfaces: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (from, module, to) in calls {
        if from != to {
            interfaces.insert((to, module));
        }
    }
    if k > 0 { interfaces.len() as f64 / k as f64 } else { 0.0 }
}

/// Non-extreme distribution (Kalia et al., Mono2Micro 2021): the share of modules in contexts whose size is outside
/// the bounds (lower is better).
pub fn non_extreme_distribution(sizes: &[usize], (low, high): (usize, usize)) -> f64 {
    let total: usize = sizes.iter().sum();
    let extreme: usize = sizes.iter().filter(|n| **n < low || **n > high).sum();
    if total > 0 { extreme as f64 / total as f64 } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-worked toy case of the reference set: classes A–E, services S1 = {A, B, C}, S2 = {D, E}, calls
    /// A→B 10, B→C 1, C→A 2, A→D 3, D→E 5, E→D 1, B→B 4, E→A 1, C→D 1.
    #[test]
    fn decomposition_metrics_match_the_hand_worked_toy() {
        let service = |class: char| usize::from(class >= 'D');
        let calls = [
            ("A", "B", 10),
            ("B", "C", 1),
            ("C", "A", 2),
            ("A", "D", 3),
            ("D", "E", 5),
            ("E", "D", 1),
            ("B", "B", 4),
            ("E", "A", 1),
            ("C", "D", 1),
        ];
        let between: Vec<(char, char, usize)> = calls
            .iter()
            .map(|(a, b, n)| (a.chars().next().unwrap(), b.chars().next().unwrap(), *n))
            .filter(|(a, b, _)| a != b)
            .collect();
        let sizes = [3, 2];
        let undirected: BTreeSet<(char, char)> = between.iter().map(|&(a, b, _)| (a.min(b), a.max(b))).collect();
        let sm = structural_modularity(&sizes, undirected.iter().map(|&(a, b)| (service(a), service(b))));
        assert!((sm - (-0.208_333)).abs() < 1e-6, "SM {sm}");
        let icp = inter_call_percentage(between.iter().map(|&(a, b, n)| (service(a), service(b), n)));
        assert!((icp - 0.299_086).abs() < 1e-6, "ICP {icp}");
        let ifn = interface_number(2, between.iter().map(|&(a, b, _)| (service(a), b as usize, service(b))));
        assert!((ifn - 1.0).abs() < 1e-12, "IFN {ifn}");
        assert!((non_extreme_distribution(&sizes, (5, 20)) - 1.0).abs() < 1e-12);
        assert!((non_extreme_distribution(&sizes, (3, 20)) - 0.4).abs() < 1e-12);
    }
}
