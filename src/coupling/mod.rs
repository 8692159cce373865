//! Coupling: module and directory metrics (Ca, Ce, instability, fan-in/out, abstractness), import cycles,
//! shared-table and shared-transaction coupling, and the combined coupling graph that clustering consumes.
//! Rules: `docs/coupling-rules.md`. Takes the graph, call graph and data-access results; returns contract data.

mod cycles;
mod shared;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::call_graph::{CallGraph, Callee};
use crate::facts::{DefinitionKind, SourceFacts};
use crate::model::{
    CallEdge, Coupling, Dependency, Directory, Language, ModuleTables, Role, Table, Transaction, round4,
};

/// Weights of the combined coupling graph (`[coupling]` in `seamline.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    pub call: f64,
    pub import: f64,
    pub table: f64,
    pub transaction: f64,
    pub foreign_key: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights { call: 1.0, import: 1.0, table: 2.0, transaction: 1.0, foreign_key: 0.5 }
    }
}

/// The unit directories are rolled up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    File,
    #[default]
    Dir,
    Package,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub weights: Weights,
    pub granularity: Granularity,
    /// Folder depth of the `dir` roll-up.
    pub depth: usize,
    /// Keep every call edge even in large repositories.
    pub detail_calls: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { weights: Weights::default(), granularity: Granularity::Dir, depth: 2, detail_calls: false }
    }
}

/// Above this many call edges, `calls` is left out of the report unless `--detail calls` asks for it.
pub const CALL_EDGE_LIMIT: usize = 20_000;

pub struct Input<'a> {
    pub modules: &'a [SourceFacts],
    pub roles: &'a [Role],
    pub import_arcs: &'a BTreeMap<(usize, usize), usize>,
    pub calls: &'a CallGraph,
    pub dependencies: &'a [Dependency],
    pub module_tables: &'a [ModuleTables],
    pub tables: &'a [Table],
    pub transactions: &'a [Transaction],
    pub package_dirs: &'a BTreeSet<String>,
    pub options: &'a Options,
}

/// Per-module metrics, parallel to the modules.
#[derive(Debug, Clone, Default)]
pub struct ModuleMetrics {
    pub ca: usize,
    pub ce: usize,
    pub instability: Option<f64>,
    pub fan_in: usize,
    pub fan_out: usize,
    pub abstractness: Option<f64>,
    pub distance: Option<f64>,
    /// Modules with an arc into this one (for the fan-in infrastructure rule).
    pub dependents: BTreeSet<usize>,
}

/// One resolved call site, for the extraction plan (`calls_to_replace`) and the public API of contexts.
#[derive(Debug, Clone)]
pub struct CallSite {
    pub from_module: usize,
    pub from_function: String,
    pub to_module: usize,
    pub to_function: String,
    pub line: usize,
}

pub struct Result {
    pub metrics: Vec<ModuleMetrics>,
    /// Arcs between distinct modules with their weight (import statements + call sites).
    pub arcs: BTreeMap<(usize, usize), usize>,
    /// Call sites between distinct modules.
    pub call_sites: BTreeMap<(usize, usize), usize>,
    /// Every resolved call site between distinct modules.
    pub sites: Vec<CallSite>,
    pub calls: Vec<CallEdge>,
    pub resolved_calls: usize,
    pub unresolved_calls: usize,
    pub cycles: Vec<Vec<String>>,
    pub coupling: Coupling,
    pub directories: Vec<Directory>,
}

pub fn analyze(input: &Input) -> Result {
    let n = input.modules.len();
    // Arcs between distinct modules with their weight (statements + call sites), and call sites per pair.
    let mut arcs: BTreeMap<(usize, usize), usize> = input.import_arcs.clone();
    let mut call_sites: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut edges: BTreeMap<(String, String), usize> = BTreeMap::new();
    let (mut resolved_calls, mut unresolved_calls) = (0, 0);
    let mut sites = Vec::new();
    for (m, module) in input.modules.iter().enumerate() {
        for (call, callee) in module.facts.calls.iter().zip(&input.calls.callees[m]) {
            let target = match callee {
                Callee::Function(f) => {
                    resolved_calls += 1;
                    let to = &input.modules[f.module];
                    let from = format!("{}#{}", module.path, call.place.function);
                    let to_function = &to.facts.definitions[f.definition].name;
                    *edges.entry((from, format!("{}#{to_function}", to.path))).or_default() += 1;
                    if f.module != m {
                        sites.push(CallSite {
                            from_module: m,
                            from_function: call.place.function.clone(),
                            to_module: f.module,
                            to_function: to_function.clone(),
                            line: call.place.line,
                        });
                    }
                    f.module
                }
                Callee::Unresolved { module: target } => {
                    unresolved_calls += 1;
                    *target
                }
                Callee::Outside => continue,
            };
            if target != m {
                *arcs.entry((m, target)).or_default() += 1;
                *call_sites.entry((m, target)).or_default() += 1;
            }
        }
    }

    let mut metrics = vec![ModuleMetrics::default(); n];
    for (&(from, to), &weight) in &arcs {
        metrics[from].fan_out += weight;
        metrics[to].fan_in += weight;
        metrics[to].dependents.insert(from);
    }
    let mut dependencies_of = vec![BTreeSet::new(); n];
    for &(from, to) in arcs.keys() {
        dependencies_of[from].insert(to);
    }
    for (m, metric) in metrics.iter_mut().enumerate() {
        metric.ca = metric.dependents.len();
        metric.ce = dependencies_of[m].len();
        metric.instability = instability(metric.ca, metric.ce);
        metric.abstractness = abstractness(&input.modules[m]);
        metric.distance = match (metric.abstractness, metric.instability) {
            (Some(a), Some(i)) => Some(round4((a + i - 1.0).abs())),
            _ => None,
        };
    }

    let mut calls: Vec<CallEdge> = edges.into_iter().map(|((from, to), count)| CallEdge { from, to, count }).collect();
    if calls.len() > CALL_EDGE_LIMIT && !input.options.detail_calls {
        calls.clear();
    }
    let (cycles, cycle_edges) = cycles::find(input.modules, input.dependencies);
    let mut coupling = shared::coupling(input, &arcs, &call_sites);
    coupling.cycle_edges = cycle_edges;
    let directories = directories(input, &arcs);
    Result { metrics, arcs, call_sites, sites, calls, resolved_calls, unresolved_calls, cycles, coupling, directories }
}

/// ce / (ca + ce), `None` when both are 0 (shared by modules, folders and contexts).
pub fn instability(ca: usize, ce: usize) -> Option<f64> {
    (ca + ce > 0).then(|| round4(ce as f64 / (ca + ce) as f64))
}

/// Interfaces and abstract classes over classes and interfaces, for TypeScript modules that declare either.
fn abstractness(module: &SourceFacts) -> Option<f64> {
    if !matches!(module.language, Language::Typescript | Language::Tsx) {
        return None;
    }
    let kinds = module.facts.definitions.iter().map(|d| d.kind);
    let abstract_ =
        kinds.clone().filter(|k| matches!(k, DefinitionKind::Interface | DefinitionKind::AbstractClass)).count();
    let concrete = kinds.filter(|k| *k == DefinitionKind::Class).count();
    (abstract_ > 0).then(|| round4(abstract_ as f64 / (abstract_ + concrete) as f64))
}

/// The folder (or package) a module is rolled up into.
fn group_of(path: &str, options: &Options, package_dirs: &BTreeSet<String>) -> Option<String> {
    let dir = crate::resolve::paths::parent(path);
    match options.granularity {
        Granularity::File => None,
        Granularity::Dir => {
            let parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).take(options.depth.max(1)).collect();
            Some(if parts.is_empty() { ".".to_owned() } else { parts.join("/") })
        }
        Granularity::Package => {
            let mut dir = dir;
            loop {
                if package_dirs.contains(dir) {
                    return Some(if dir.is_empty() { ".".to_owned() } else { dir.to_owned() });
                }
                if dir.is_empty() {
                    return Some(".".to_owned());
                }
                dir = crate::resolve::paths::parent(dir);
            }
        }
    }
}

fn directories(input: &Input, arcs: &BTreeMap<(usize, usize), usize>) -> Vec<Directory> {
    let groups: Vec<Option<String>> =
        input.modules.iter().map(|m| group_of(&m.path, input.options, input.package_dirs)).collect();
    let mut members: BTreeMap<&str, usize> = BTreeMap::new();
    for group in groups.iter().flatten() {
        *members.entry(group).or_default() += 1;
    }
    let mut incoming: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut outgoing: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for &(from, to) in arcs.keys() {
        if let (Some(a), Some(b)) = (&groups[from], &groups[to])
            && a != b
        {
            outgoing.entry(a).or_default().insert(b);
            incoming.entry(b).or_default().insert(a);
        }
    }
    members
        .into_iter()
        .map(|(path, modules)| {
            let ca = incoming.get(path).map_or(0, BTreeSet::len);
            let ce = outgoing.get(path).map_or(0, BTreeSet::len);
            Directory { path: path.to_owned(), modules, ca, ce, instability: instability(ca, ce) }
        })
        .collect()
}
