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

    // Structural modularity (Jin et al., TSE 2019): mean cohesion μ_i/N_i² minus mean coupling σ_ij/(N_i·N_j), over
    // undirected call edges between distinct modules.
    let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (&(a, b), _) in p.input.call_sites.iter() {
        if p.context_of[a].is_some() && p.context_of[b].is_some() {
            pairs.insert((a.min(b), a.max(b)));
        }
    }
    let mut intra = vec![0.0; k];
    let mut inter: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for &(a, b) in &pairs {
        let (ca, cb) = (p.context_of[a].unwrap_or(0), p.context_of[b].unwrap_or(0));
        if ca == cb {
            intra[ca] += 1.0;
        } else {
            *inter.entry((ca.min(cb), ca.max(cb))).or_default() += 1.0;
        }
    }
    let size = |c: usize| p.members[c].len() as f64;
    let sm = if k == 0 {
        0.0
    } else {
        let cohesion = (0..k).map(|c| intra[c] / (size(c) * size(c))).sum::<f64>() / k as f64;
        let coupling = if k > 1 {
            inter.iter().map(|(&(a, b), s)| s / (size(a) * size(b))).sum::<f64>() / (k * (k - 1) / 2) as f64
        } else {
            0.0
        };
        cohesion - coupling
    };

    // Inter-call percentage: calls weighted ln(n) + 1, the share between contexts.
    let weight = |n: usize| (n as f64).ln() + 1.0;
    let total: f64 = calls.iter().map(|&(_, _, n)| weight(n)).sum();
    let crossing: f64 = calls.iter().filter(|(a, b, _)| a != b).map(|&(_, _, n)| weight(n)).sum();
    let icp = if total > 0.0 { crossing / total } else { 0.0 };

    // Interface number: modules called from another context, averaged over contexts.
    let mut interfaces: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); k];
    for (&(a, b), _) in p.input.call_sites.iter() {
        if let (Some(ca), Some(cb)) = (p.context_of[a], p.context_of[b])
            && ca != cb
        {
            interfaces[cb].insert(b);
        }
    }
    let ifn = if k > 0 { interfaces.iter().map(BTreeSet::len).sum::<usize>() as f64 / k as f64 } else { 0.0 };

    // Non-extreme distribution: the share of modules in contexts outside the size bounds (lower is better).
    let (low, high) = p.input.options.ned_bounds;
    let clustered: usize = p.members.iter().map(Vec::len).sum();
    let extreme: usize = p.members.iter().map(Vec::len).filter(|n| *n < low || *n > high).sum();
    let ned = if clustered > 0 { extreme as f64 / clustered as f64 } else { 0.0 };

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
            "the proposal is weak (modularity {:.2}, {:.0}% of the coupling weight crosses contexts): keep a modular \
             monolith and cut only the cleanest seams",
            modularity,
            cross_weight_share * 100.0
        );
        ("modular-monolith", reason, seams.iter().take(3).map(|c| c.name.clone()).collect())
    } else {
        let reason = format!(
            "{k} contexts with modularity {:.2}; {:.0}% of the coupling weight crosses contexts",
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
