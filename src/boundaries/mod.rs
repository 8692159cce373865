//! Boundaries: proposes bounded contexts by clustering the combined coupling graph, names them, gives each the
//! tables it should own, scores the proposal, warns about distributed-monolith risks, and plans the extraction
//! order. Rules: `docs/boundaries.md`. Takes the analysis so far (plain contract data); returns contract data.

mod naming;
mod plan;
mod quality;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::cluster::{self, WeightedGraph};
use crate::coupling::CallSite;
use crate::model::{
    ApiFunction, ClusterLevel, ContestedTable, Context, ContextRoute, Coupling, ExtractionStep, Module, Quality, Role,
    Route, Transaction, Warning, round4,
};

/// How contexts are proposed (`[clustering]`, `[contexts.*]`, `rename`, `merge`, `forbid_merge` in `seamline.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub resolution: f64,
    pub seed: u64,
    /// Globs of modules left out of clustering.
    pub exclude: Vec<String>,
    /// Context name → globs of modules pinned to it.
    pub pins: BTreeMap<String, Vec<String>>,
    /// Proposed name → the name to use.
    pub rename: BTreeMap<String, String>,
    /// Pairs of contexts to merge (the merged context keeps the first name).
    pub merge: Vec<[String; 2]>,
    /// Pairs of pinned contexts that must stay apart.
    pub forbid_merge: Vec<[String; 2]>,
    pub cluster_tests: bool,
    pub cluster_ui: bool,
    /// NED's size bounds: contexts with fewer or more modules count as extreme.
    pub ned_bounds: (usize, usize),
    /// Below this modularity the verdict is a modular monolith.
    pub weak_modularity: f64,
    /// Above this share of coupling weight crossing contexts the verdict is a modular monolith.
    pub weak_cross_share: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            resolution: 1.0,
            seed: 1,
            exclude: Vec::new(),
            pins: BTreeMap::new(),
            rename: BTreeMap::new(),
            merge: Vec::new(),
            forbid_merge: Vec::new(),
            cluster_tests: false,
            cluster_ui: false,
            ned_bounds: (5, 20),
            weak_modularity: 0.3,
            weak_cross_share: 0.5,
        }
    }
}

pub struct Input<'a> {
    pub modules: &'a [Module],
    pub coupling: &'a Coupling,
    /// Module arcs (imports and calls) between distinct modules.
    pub arcs: &'a BTreeMap<(usize, usize), usize>,
    /// Call sites between distinct modules, per pair.
    pub call_sites: &'a BTreeMap<(usize, usize), usize>,
    pub sites: &'a [CallSite],
    pub routes: &'a [Route],
    pub transactions: &'a [Transaction],
    pub options: &'a Options,
}

pub struct Output {
    pub contexts: Vec<Context>,
    /// Parallel to the modules.
    pub module_context: Vec<Option<String>>,
    pub extraction_order: Vec<ExtractionStep>,
    pub quality: Quality,
    pub levels: Vec<ClusterLevel>,
    pub warnings: Vec<Warning>,
}

/// What the plan and the scores need to know about the proposal.
pub(crate) struct Proposal<'a> {
    pub input: &'a Input<'a>,
    /// Context index per module, `None` when left out.
    pub context_of: Vec<Option<usize>>,
    pub names: Vec<String>,
    pub members: Vec<Vec<usize>>,
    pub index: HashMap<&'a str, usize>,
    /// Per module: pinned by the config.
    pub pinned: Vec<bool>,
}

pub fn propose(input: &Input) -> Result<Output, crate::error::Error> {
    let modules = input.modules;
    let options = input.options;
    let index: HashMap<&str, usize> = modules.iter().enumerate().map(|(i, m)| (m.path.as_str(), i)).collect();
    let exclude = crate::config::glob_set(&options.exclude, "[clustering] exclude")?;
    let mut pin_of: Vec<Option<usize>> = vec![None; modules.len()];
    let pin_names: Vec<&String> = options.pins.keys().collect();
    for (pin, globs_of_pin) in options.pins.values().enumerate() {
        let set = crate::config::glob_set(globs_of_pin, &format!("[contexts.{}] modules", pin_names[pin]))?;
        for (m, module) in modules.iter().enumerate() {
            if pin_of[m].is_none() && set.as_ref().is_some_and(|s| s.is_match(&module.path)) {
                pin_of[m] = Some(pin);
            }
        }
    }
    let takes_part = |m: usize| {
        let role_ok = match modules[m].role {
            Role::Domain => true,
            Role::Test => options.cluster_tests,
            Role::Ui => options.cluster_ui,
            _ => false,
        };
        pin_of[m].is_some() || (role_ok && !exclude.as_ref().is_some_and(|e| e.is_match(&modules[m].path)))
    };
    // A module coupled to no other clustered module would only become a context of its own: leave it out.
    let mut coupled: BTreeSet<usize> = BTreeSet::new();
    for edge in &input.coupling.edges {
        if let (Some(&a), Some(&b)) = (index.get(edge.a.as_str()), index.get(edge.b.as_str()))
            && takes_part(a)
            && takes_part(b)
        {
            coupled.insert(a);
            coupled.insert(b);
        }
    }
    let participants: Vec<usize> =
        (0..modules.len()).filter(|m| takes_part(*m) && (coupled.contains(m) || pin_of[*m].is_some())).collect();
    let node_of: HashMap<usize, usize> = participants.iter().enumerate().map(|(node, m)| (*m, node)).collect();
    let edges = input.coupling.edges.iter().filter_map(|e| {
        let (a, b) = (index.get(e.a.as_str())?, index.get(e.b.as_str())?);
        Some((*node_of.get(a)?, *node_of.get(b)?, e.weight))
    });
    let graph = WeightedGraph::new(participants.len(), edges);
    let pinned: Vec<Option<usize>> = participants.iter().map(|m| pin_of[*m]).collect();
    let levels = cluster::detect(&graph, options.resolution, options.seed, &pinned);
    let final_partition = levels.last().cloned().unwrap_or_default();

    // Groups of the final level, then names (pinned groups take their pin's name), renames and merges.
    let group_count = final_partition.iter().max().map_or(0, |c| c + 1);
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); group_count];
    for (node, &group) in final_partition.iter().enumerate() {
        groups[group].push(participants[node]);
    }
    groups.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| modules[a[0]].path.cmp(&modules[b[0]].path)));
    let owners = ownership(modules, &groups);
    let mut taken: BTreeSet<String> = options.pins.keys().cloned().collect();
    let mut names = Vec::with_capacity(groups.len());
    for (g, members) in groups.iter().enumerate() {
        let pin = members.iter().find_map(|m| pin_of[*m]);
        let name = match pin {
            Some(pin) => pin_names[pin].clone(),
            None => {
                let paths: Vec<&str> = members.iter().map(|m| modules[*m].path.as_str()).collect();
                let owned: Vec<String> =
                    owners.iter().filter(|(_, o)| **o == g).map(|(t, _)| (*t).to_owned()).collect();
                let chosen = naming::choose(&naming::candidates(&paths, &owned), &taken);
                options.rename.get(&chosen).cloned().unwrap_or(chosen)
            }
        };
        taken.insert(name.clone());
        names.push(name);
    }
    for [keep, absorb] in &options.merge {
        let (Some(k), Some(a)) = (names.iter().position(|n| n == keep), names.iter().position(|n| n == absorb)) else {
            let missing = if names.contains(keep) { absorb } else { keep };
            return Err(crate::error::Error::Usage(format!("merge: no context named '{missing}' in the proposal")));
        };
        if k != a {
            let moved = std::mem::take(&mut groups[a]);
            groups[k].extend(moved);
            groups[k].sort();
        }
    }
    let kept: Vec<usize> = (0..groups.len()).filter(|g| !groups[*g].is_empty()).collect();
    let groups: Vec<Vec<usize>> = kept.iter().map(|g| groups[*g].clone()).collect();
    let names: Vec<String> = kept.iter().map(|g| names[*g].clone()).collect();

    let mut context_of = vec![None; modules.len()];
    for (c, members) in groups.iter().enumerate() {
        for m in members {
            context_of[*m] = Some(c);
        }
    }
    let pinned_modules = pin_of.iter().map(Option::is_some).collect();
    let proposal = Proposal { input, context_of, names, members: groups, index, pinned: pinned_modules };
    let contexts = contexts(&proposal);
    let module_context = proposal.context_of.iter().map(|c| c.map(|c| proposal.names[c].clone())).collect();
    let levels = levels
        .iter()
        .enumerate()
        .map(|(level, partition)| ClusterLevel {
            level,
            contexts: partition.iter().max().map_or(0, |c| c + 1),
            modularity: round4(cluster::modularity(&graph, partition, options.resolution)),
            partition: participants.iter().zip(partition).map(|(m, c)| (modules[*m].path.clone(), *c)).collect(),
        })
        .collect();
    let final_nodes: Vec<usize> = participants.iter().map(|m| proposal.context_of[*m].unwrap_or(0)).collect();
    let quality = quality::score(&proposal, &contexts, cluster::modularity(&graph, &final_nodes, options.resolution));
    let warnings = quality::warnings(&proposal, &contexts);
    let extraction_order = plan::order(&proposal, &contexts, &warnings);
    Ok(Output { contexts, module_context, extraction_order, quality, levels, warnings })
}

/// Table → group that owns it: the group with most writing modules, then most reading modules, then the first.
fn ownership<'m>(modules: &'m [Module], groups: &[Vec<usize>]) -> BTreeMap<&'m str, usize> {
    let mut counts: BTreeMap<&str, BTreeMap<usize, (usize, usize)>> = BTreeMap::new();
    for (g, members) in groups.iter().enumerate() {
        for m in members {
            let tables = &modules[*m].tables;
            for t in &tables.writes {
                counts.entry(t).or_default().entry(g).or_default().0 += 1;
            }
            for t in &tables.reads {
                counts.entry(t).or_default().entry(g).or_default().1 += 1;
            }
        }
    }
    counts
        .into_iter()
        .filter_map(|(table, by_group)| {
            let best = by_group.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))?;
            Some((table, *best.0))
        })
        .collect()
}

fn contexts(p: &Proposal) -> Vec<Context> {
    let modules = p.input.modules;
    let owners = ownership(modules, &p.members);
    let mut writers: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for (c, members) in p.members.iter().enumerate() {
        for m in members {
            for t in &modules[*m].tables.writes {
                writers.entry(t).or_default().insert(c);
            }
        }
    }
    let mut arcs_in: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); p.members.len()];
    let mut arcs_out: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); p.members.len()];
    for &(a, b) in p.input.arcs.keys() {
        if let (Some(ca), Some(cb)) = (p.context_of[a], p.context_of[b])
            && ca != cb
        {
            arcs_out[ca].insert(cb);
            arcs_in[cb].insert(ca);
        }
    }
    let mut internal = vec![0.0; p.members.len()];
    let mut external = vec![0.0; p.members.len()];
    for edge in &p.input.coupling.edges {
        let (Some(&a), Some(&b)) = (p.index.get(edge.a.as_str()), p.index.get(edge.b.as_str())) else { continue };
        match (p.context_of[a], p.context_of[b]) {
            (Some(ca), Some(cb)) if ca == cb => internal[ca] += edge.weight,
            (Some(ca), Some(cb)) => {
                external[ca] += edge.weight;
                external[cb] += edge.weight;
            }
            _ => {}
        }
    }
    let mut api: Vec<BTreeMap<String, (BTreeSet<usize>, usize)>> = vec![BTreeMap::new(); p.members.len()];
    for site in p.input.sites {
        if let (Some(from), Some(to)) = (p.context_of[site.from_module], p.context_of[site.to_module])
            && from != to
        {
            let function = format!("{}#{}", modules[site.to_module].path, site.to_function);
            let entry = api[to].entry(function).or_default();
            entry.0.insert(from);
            entry.1 += 1;
        }
    }
    p.members
        .iter()
        .enumerate()
        .map(|(c, members)| {
            let paths: BTreeSet<&str> = members.iter().map(|m| modules[*m].path.as_str()).collect();
            let touched = |f: fn(&Module) -> &Vec<String>| -> BTreeSet<&str> {
                members.iter().flat_map(|m| f(&modules[*m]).iter().map(String::as_str)).collect()
            };
            let (reads, writes) = (touched(|m| &m.tables.reads), touched(|m| &m.tables.writes));
            let owned: Vec<String> = owners.iter().filter(|(_, o)| **o == c).map(|(t, _)| (*t).to_owned()).collect();
            let contested = writes
                .iter()
                .filter(|t| writers.get(*t).is_some_and(|w| w.len() > 1))
                .map(|t| ContestedTable {
                    table: (*t).to_owned(),
                    writers: sorted_names(p, writers[*t].iter().copied()),
                })
                .collect();
            let tables_read = reads
                .iter()
                .filter(|t| !writes.contains(*t) && !owned.iter().any(|o| o == *t))
                .map(|t| (*t).to_owned())
                .collect();
            let mut routes: Vec<ContextRoute> = p
                .input
                .routes
                .iter()
                .filter(|r| paths.contains(r.handler.split('#').next().unwrap_or_default()))
                .map(|r| ContextRoute { method: r.method.clone(), path: r.path.clone() })
                .collect();
            routes.sort_by(|a, b| (&a.path, &a.method).cmp(&(&b.path, &b.method)));
            routes.dedup();
            let (ca, ce) = (arcs_in[c].len(), arcs_out[c].len());
            Context {
                name: p.names[c].clone(),
                modules: paths.iter().map(|s| (*s).to_owned()).collect(),
                tables_owned: owned,
                tables_read,
                tables_contested: contested,
                pinned: members.iter().filter(|m| p.pinned[**m]).map(|m| modules[*m].path.clone()).collect(),
                ca,
                ce,
                instability: crate::coupling::instability(ca, ce),
                internal_weight: round4(internal[c]),
                external_weight: round4(external[c]),
                routes,
                api: api[c]
                    .iter()
                    .map(|(function, (callers, count))| ApiFunction {
                        function: function.clone(),
                        callers: sorted_names(p, callers.iter().copied()),
                        count: *count,
                    })
                    .collect(),
            }
        })
        .collect()
}

pub(crate) fn sorted_names(p: &Proposal, contexts: impl Iterator<Item = usize>) -> Vec<String> {
    let mut names: Vec<String> = contexts.map(|c| p.names[c].clone()).collect();
    names.sort();
    names.dedup();
    names
}
