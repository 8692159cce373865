//! Coupling between two analyses of one repository (two commits, or two saved reports). Takes the old and the new
//! analysis; returns what changed: coupling per module, folder and context, dependencies that cross contexts,
//! cycles, shared and contested tables, cross-context transactions, modules that moved, and how stable the proposal
//! is. `render` writes it as text or Markdown; the JSON is the serde form of [`Diff`].

pub mod render;
pub mod stability;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::{Analysis, round4};

pub use stability::Stability;

#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub schema_version: String,
    pub old: Side,
    pub new: Side,
    /// Modules whose coupling changed, added and removed modules included.
    pub modules: Vec<Delta>,
    /// Folders (the `directories` roll-up) whose coupling changed.
    pub directories: Vec<Delta>,
    /// Every context, paired old → new by overlap.
    pub contexts: Vec<Delta>,
    /// Imports and calls between modules of two different contexts.
    pub cross_context_dependencies: Changes<CrossDependency>,
    /// Import cycles between modules: `added` are new cycles, `removed` broken ones.
    pub cycles: Changes<Cycle>,
    /// Cycles between contexts (sorted context names).
    pub context_cycles: Changes<Vec<String>>,
    /// Tables that two or more contexts read or write.
    pub shared_tables: Changes<TableUse>,
    /// Tables that two or more contexts write.
    pub contested_tables: Changes<TableUse>,
    /// Transactions whose tables belong to modules of two or more contexts.
    pub cross_context_transactions: Changes<CrossTransaction>,
    /// Modules whose proposed context changed (old context named as its matching new context says).
    pub moved_modules: Vec<MovedModule>,
    pub stability: Stability,
}

#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// The revision or report file, as given.
    pub label: String,
    /// The commit a revision named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    pub modules: usize,
    pub contexts: usize,
    pub modularity: f64,
    pub cycles: usize,
    pub verdict: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Changes<T> {
    pub added: Vec<T>,
    pub removed: Vec<T>,
}

impl<T> Changes<T> {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Metrics {
    pub ca: usize,
    pub ce: usize,
    pub instability: Option<f64>,
    /// Tables it touches that something outside it touches too.
    pub shared_tables: usize,
    /// Transactions that involve it and something outside it.
    pub shared_transactions: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Delta {
    /// Module path, folder, or new context name (old name for a removed context).
    pub name: String,
    /// The old context's name, for contexts, when it differs from `name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_name: Option<String>,
    pub old: Option<Metrics>,
    pub new: Option<Metrics>,
    pub change: MetricsChange,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct MetricsChange {
    pub ca: i64,
    pub ce: i64,
    /// `null` when either side has no instability.
    pub instability: Option<f64>,
    pub shared_tables: i64,
    pub shared_transactions: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct CrossDependency {
    /// `import` or `call`.
    pub kind: String,
    pub from: String,
    pub to: String,
    pub from_context: String,
    pub to_context: String,
    /// For calls, `caller → callee` as `path#function`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Where it is written: the importing or calling file and line.
    pub path: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cycle {
    pub modules: Vec<String>,
    /// An import that closes the cycle.
    pub path: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct TableUse {
    pub table: String,
    pub contexts: Vec<String>,
    /// A statement touching it from a context that does not own it (0 when none is known).
    pub path: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct CrossTransaction {
    pub path: String,
    pub function: String,
    pub line: usize,
    pub contexts: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct MovedModule {
    pub path: String,
    pub from: String,
    pub to: String,
}

/// Compares two analyses; `old_commit`/`new_commit` are recorded when the sides are git revisions.
pub fn diff(old: &Analysis, new: &Analysis, labels: (Side, Side)) -> Diff {
    let (old_contexts, new_contexts) = (old.context_by_module(), new.context_by_module());
    let stability = stability::compare(&old_contexts, &new_contexts);
    // Old context name → the new name it continues as.
    let renamed: BTreeMap<&str, &str> =
        stability.matched_contexts.iter().map(|m| (m.old.as_str(), m.new.as_str())).collect();

    let moved_modules = old_contexts
        .iter()
        .filter_map(|(path, old_context)| {
            let new_context = new_contexts.get(path)?;
            let continues_as = renamed.get(old_context).copied().unwrap_or(old_context);
            (continues_as != *new_context).then(|| MovedModule {
                path: (*path).to_owned(),
                from: (*old_context).to_owned(),
                to: (*new_context).to_owned(),
            })
        })
        .collect();

    Diff {
        schema_version: "1".to_owned(),
        modules: module_deltas(old, new),
        directories: directory_deltas(old, new),
        contexts: context_deltas(old, new, &stability),
        cross_context_dependencies: changes(cross_dependencies(old), cross_dependencies(new)),
        cycles: changes(cycles(old), cycles(new)),
        context_cycles: changes(context_cycles(old), context_cycles(new)),
        shared_tables: changes(table_uses(old, false), table_uses(new, false)),
        contested_tables: changes(table_uses(old, true), table_uses(new, true)),
        cross_context_transactions: changes(cross_transactions(old), cross_transactions(new)),
        moved_modules,
        stability,
        old: labels.0,
        new: labels.1,
    }
}

/// A side's summary line.
pub fn side(analysis: &Analysis, label: String, commit: Option<String>) -> Side {
    Side {
        label,
        commit,
        modules: analysis.modules.len(),
        contexts: analysis.contexts.len(),
        modularity: analysis.quality.modularity,
        cycles: analysis.cycles.len(),
        verdict: analysis.quality.verdict.clone(),
    }
}

/// Items keyed by identity (`Keyed::key`, which leaves out line numbers so that moving code is no change).
trait Keyed {
    fn key(&self) -> String;
}

fn changes<T: Keyed + Ord>(old: Vec<T>, new: Vec<T>) -> Changes<T> {
    let old_keys: BTreeSet<String> = old.iter().map(Keyed::key).collect();
    let new_keys: BTreeSet<String> = new.iter().map(Keyed::key).collect();
    let mut added: Vec<T> = new.into_iter().filter(|x| !old_keys.contains(&x.key())).collect();
    let mut removed: Vec<T> = old.into_iter().filter(|x| !new_keys.contains(&x.key())).collect();
    added.sort();
    removed.sort();
    Changes { added, removed }
}

impl Keyed for CrossDependency {
    fn key(&self) -> String {
        format!("{}|{}|{}|{}", self.kind, self.from, self.to, self.detail.as_deref().unwrap_or_default())
    }
}

impl Keyed for Cycle {
    fn key(&self) -> String {
        self.modules.join("|")
    }
}

impl Keyed for Vec<String> {
    fn key(&self) -> String {
        self.join("|")
    }
}

impl Keyed for TableUse {
    fn key(&self) -> String {
        self.table.clone()
    }
}

impl Keyed for CrossTransaction {
    fn key(&self) -> String {
        format!("{}#{}", self.path, self.function)
    }
}

/// Module path of a `path#function` reference.
fn module_of<'a>(reference: &'a str, paths: &BTreeSet<&str>) -> &'a str {
    // Paths may contain `#`: take the longest known module path that the reference starts with.
    let mut cut = reference.len();
    while let Some(i) = reference[..cut].rfind('#') {
        if paths.contains(&reference[..i]) {
            return &reference[..i];
        }
        cut = i;
    }
    reference.split('#').next().unwrap_or(reference)
}

/// Every import and call between modules of two different contexts, located at its first line.
pub(crate) fn cross_dependencies(analysis: &Analysis) -> Vec<CrossDependency> {
    let context = analysis.context_by_module();
    let paths: BTreeSet<&str> = analysis.modules.iter().map(|m| m.path.as_str()).collect();
    let mut out = Vec::new();
    for d in &analysis.dependencies {
        if let (Some(a), Some(b)) = (context.get(d.from.as_str()), context.get(d.to.as_str()))
            && a != b
        {
            out.push(CrossDependency {
                kind: "import".to_owned(),
                from: d.from.clone(),
                to: d.to.clone(),
                from_context: (*a).to_owned(),
                to_context: (*b).to_owned(),
                detail: None,
                path: d.from.clone(),
                line: d.lines.first().copied().unwrap_or(0),
            });
        }
    }
    let mut seen = BTreeSet::new();
    for call in &analysis.cross_context_calls {
        let (from, to) = (module_of(&call.from, &paths), module_of(&call.to, &paths));
        let (Some(a), Some(b)) = (context.get(from), context.get(to)) else { continue };
        // One entry per caller and callee; the first call site locates it.
        if a != b && seen.insert((call.from.as_str(), call.to.as_str())) {
            out.push(CrossDependency {
                kind: "call".to_owned(),
                from: from.to_owned(),
                to: to.to_owned(),
                from_context: (*a).to_owned(),
                to_context: (*b).to_owned(),
                detail: Some(format!("{} → {}", call.from, call.to)),
                path: from.to_owned(),
                line: call.line,
            });
        }
    }
    out.sort();
    out
}

pub(crate) fn cycles(analysis: &Analysis) -> Vec<Cycle> {
    let lines: BTreeMap<(&str, &str), usize> = analysis
        .dependencies
        .iter()
        .map(|d| ((d.from.as_str(), d.to.as_str()), d.lines.first().copied().unwrap_or(0)))
        .collect();
    analysis
        .cycles
        .iter()
        .enumerate()
        .map(|(i, members)| {
            let edge = analysis.coupling.cycle_edges.get(i).and_then(|edges| edges.first());
            let (path, line) = match edge {
                Some([a, b]) => (a.clone(), lines.get(&(a.as_str(), b.as_str())).copied().unwrap_or(0)),
                None => (members.first().cloned().unwrap_or_default(), 0),
            };
            Cycle { modules: members.clone(), path, line }
        })
        .collect()
}

fn context_cycles(analysis: &Analysis) -> Vec<Vec<String>> {
    analysis.warnings.iter().filter(|w| w.kind == "context-cycle").map(|w| w.contexts.clone()).collect()
}

/// Tables that two or more contexts touch (`writes_only`: write), each located at a statement from a context other
/// than the table's owner.
pub(crate) fn table_uses(analysis: &Analysis, writes_only: bool) -> Vec<TableUse> {
    let context = analysis.context_by_module();
    let owner: BTreeMap<&str, &str> = analysis
        .contexts
        .iter()
        .flat_map(|c| c.tables_owned.iter().map(move |t| (t.as_str(), c.name.as_str())))
        .collect();
    let mut out = Vec::new();
    for table in &analysis.tables {
        let users: Vec<&String> = if writes_only {
            table.writers.iter().collect()
        } else {
            table.readers.iter().chain(&table.writers).collect()
        };
        let contexts: BTreeSet<&str> = users.iter().filter_map(|m| context.get(m.as_str()).copied()).collect();
        if contexts.len() < 2 {
            continue;
        }
        let owner = owner.get(table.name.as_str()).copied();
        let site = analysis.sql.iter().find(|s| {
            let touches = s.writes.contains(&table.name) || (!writes_only && s.reads.contains(&table.name));
            touches && context.get(s.path.as_str()).is_some_and(|c| Some(*c) != owner)
        });
        out.push(TableUse {
            table: table.name.clone(),
            contexts: contexts.into_iter().map(str::to_owned).collect(),
            path: site.map(|s| s.path.clone()).unwrap_or_default(),
            line: site.map_or(0, |s| s.line),
        });
    }
    out
}

pub(crate) fn cross_transactions(analysis: &Analysis) -> Vec<CrossTransaction> {
    let context = analysis.context_by_module();
    analysis
        .transactions
        .iter()
        .filter_map(|t| {
            let contexts: BTreeSet<&str> = t.modules.iter().filter_map(|m| context.get(m.as_str()).copied()).collect();
            (contexts.len() > 1).then(|| CrossTransaction {
                path: t.path.clone(),
                function: t.function.clone(),
                line: t.line,
                contexts: contexts.into_iter().map(str::to_owned).collect(),
            })
        })
        .collect()
}

/// Shared tables and transactions of each group of modules (a module, a folder, a context), keyed by group.
fn shared_counts(analysis: &Analysis, group_of: &dyn Fn(&str) -> Option<String>) -> BTreeMap<String, (usize, usize)> {
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut count = |users: &mut dyn Iterator<Item = &String>, slot: fn(&mut (usize, usize)) -> &mut usize| {
        let groups: BTreeSet<Option<String>> = users.map(|m| group_of(m)).collect();
        if groups.len() > 1 {
            for group in groups.into_iter().flatten() {
                *slot(counts.entry(group).or_default()) += 1;
            }
        }
    };
    for table in &analysis.tables {
        count(&mut table.readers.iter().chain(&table.writers), |c| &mut c.0);
    }
    for transaction in &analysis.transactions {
        count(&mut transaction.modules.iter(), |c| &mut c.1);
    }
    counts
}

fn metrics(ca: usize, ce: usize, instability: Option<f64>, shared: Option<&(usize, usize)>) -> Metrics {
    let (shared_tables, shared_transactions) = shared.copied().unwrap_or_default();
    Metrics { ca, ce, instability, shared_tables, shared_transactions }
}

fn delta(name: String, old_name: Option<String>, old: Option<Metrics>, new: Option<Metrics>) -> Option<Delta> {
    if old == new {
        return None;
    }
    let zero = Metrics::default();
    let (o, n) = (old.as_ref().unwrap_or(&zero), new.as_ref().unwrap_or(&zero));
    let signed = |a: usize, b: usize| b as i64 - a as i64;
    let change = MetricsChange {
        ca: signed(o.ca, n.ca),
        ce: signed(o.ce, n.ce),
        instability: match (o.instability, n.instability) {
            (Some(a), Some(b)) => Some(round4(b - a)),
            _ => None,
        },
        shared_tables: signed(o.shared_tables, n.shared_tables),
        shared_transactions: signed(o.shared_transactions, n.shared_transactions),
    };
    Some(Delta { name, old_name, old, new, change })
}

fn module_deltas(old: &Analysis, new: &Analysis) -> Vec<Delta> {
    let side = |a: &Analysis| -> BTreeMap<String, Metrics> {
        let shared = shared_counts(a, &|m| Some(m.to_owned()));
        a.modules.iter().map(|m| (m.path.clone(), metrics(m.ca, m.ce, m.instability, shared.get(&m.path)))).collect()
    };
    paired(side(old), side(new))
}

fn directory_deltas(old: &Analysis, new: &Analysis) -> Vec<Delta> {
    let side = |a: &Analysis| -> BTreeMap<String, Metrics> {
        let folders: Vec<&str> = a.directories.iter().map(|d| d.path.as_str()).collect();
        let folder_of = |module: &str| -> Option<String> {
            folders
                .iter()
                .filter(|f| {
                    let inside = module.strip_prefix(**f).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
                    inside || f.is_empty() || **f == "."
                })
                .max_by_key(|f| f.len())
                .map(|f| (*f).to_owned())
        };
        let shared = shared_counts(a, &folder_of);
        a.directories
            .iter()
            .map(|d| (d.path.clone(), metrics(d.ca, d.ce, d.instability, shared.get(&d.path))))
            .collect()
    };
    paired(side(old), side(new))
}

fn paired(old: BTreeMap<String, Metrics>, new: BTreeMap<String, Metrics>) -> Vec<Delta> {
    let names: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    names
        .into_iter()
        .filter_map(|name| delta(name.clone(), None, old.get(name).cloned(), new.get(name).cloned()))
        .collect()
}

fn context_deltas(old: &Analysis, new: &Analysis, stability: &Stability) -> Vec<Delta> {
    let side = |a: &Analysis| -> BTreeMap<String, Metrics> {
        let contexts = a.context_by_module();
        let shared = shared_counts(a, &|m| contexts.get(m).map(|c| (*c).to_owned()));
        a.contexts.iter().map(|c| (c.name.clone(), metrics(c.ca, c.ce, c.instability, shared.get(&c.name)))).collect()
    };
    let (old_side, new_side) = (side(old), side(new));
    let mut out = Vec::new();
    for m in &stability.matched_contexts {
        let old_name = (m.old != m.new).then(|| m.old.clone());
        let (o, n) = (old_side.get(&m.old).cloned(), new_side.get(&m.new).cloned());
        if let Some(d) = delta(m.new.clone(), old_name, o, n) {
            out.push(d);
        }
    }
    for name in &stability.added_contexts {
        out.extend(delta(name.clone(), None, None, new_side.get(name).cloned()));
    }
    for name in &stability.removed_contexts {
        out.extend(delta(name.clone(), None, old_side.get(name).cloned(), None));
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.old_name.cmp(&b.old_name)));
    out
}
