//! The module graph: folds resolved import statements into one weighted edge per pair of modules,
//! counts external packages, and reports local imports that lead nowhere.
//!
//! Takes facts and their resolution; returns plain contract data (`Dependency`, `ExternalDependency`).

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::facts::{NAMESPACE, SourceFacts};
use crate::model::{Dependency, Diagnostic, ExternalDependency, ImportKind};
use crate::resolve::{Symbols, Target};

#[derive(Default)]
struct EdgeBuilder {
    kinds: BTreeSet<ImportKind>,
    weight: usize,
    lines: BTreeSet<usize>,
    defined_in: BTreeSet<usize>,
}

/// Edges, external packages and `unresolved-import` diagnostics, each sorted.
pub struct ModuleGraph {
    pub dependencies: Vec<Dependency>,
    pub external_dependencies: Vec<ExternalDependency>,
    pub diagnostics: Vec<Diagnostic>,
    /// Per module, the third-party packages it imports (for role rules).
    pub packages_of: Vec<BTreeSet<String>>,
    /// Import arcs for coupling metrics: (from, to) → non-type-only statements, with barrel hops replaced by the
    /// modules that define the imported names (`docs/coupling-rules.md` §3).
    pub import_arcs: BTreeMap<(usize, usize), usize>,
}

/// What one module's imports contribute; modules are independent until their externals are merged.
#[derive(Default)]
struct ModuleImports<'a> {
    edges: BTreeMap<usize, EdgeBuilder>,
    arcs: BTreeMap<usize, usize>,
    externals: Vec<&'a str>,
    packages: BTreeSet<String>,
    diagnostics: Vec<Diagnostic>,
}

/// Builds the graph, one module at a time in parallel. `targets` is parallel to each module's imports.
pub fn build(modules: &[SourceFacts], targets: &[Vec<Target>], symbols: &Symbols) -> ModuleGraph {
    let per_module: Vec<ModuleImports> = modules
        .par_iter()
        .zip(targets)
        .enumerate()
        .map(|(from, (module, targets))| imports_of(from, module, targets, symbols))
        .collect();

    let mut edges: BTreeMap<(usize, usize), EdgeBuilder> = BTreeMap::new();
    let mut import_arcs: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut externals: BTreeMap<&str, (BTreeSet<usize>, usize)> = BTreeMap::new();
    let mut diagnostics = Vec::new();
    let mut packages_of = Vec::with_capacity(modules.len());
    for (from, module) in per_module.into_iter().enumerate() {
        // Keys ascend with `from`, so these are appends.
        edges.extend(module.edges.into_iter().map(|(to, edge)| ((from, to), edge)));
        import_arcs.extend(module.arcs.into_iter().map(|(to, count)| ((from, to), count)));
        for package in module.externals {
            let entry = externals.entry(package).or_default();
            entry.0.insert(from);
            entry.1 += 1;
        }
        diagnostics.extend(module.diagnostics);
        packages_of.push(module.packages);
    }

    let path = |m: &usize| modules[*m].path.clone();
    let dependencies = edges
        .into_iter()
        .map(|((from, to), e)| Dependency {
            from: path(&from),
            to: path(&to),
            kinds: e.kinds.into_iter().collect(),
            weight: e.weight,
            lines: e.lines.into_iter().collect(),
            defined_in: e.defined_in.iter().map(path).collect(),
        })
        .collect();
    let external_dependencies = externals
        .into_iter()
        .map(|(package, (importers, count))| ExternalDependency {
            package: package.to_owned(),
            modules: importers.iter().map(path).collect(),
            count,
        })
        .collect();
    ModuleGraph { dependencies, external_dependencies, diagnostics, packages_of, import_arcs }
}

/// The edges, arcs, packages and unresolved imports of module `from`.
fn imports_of<'a>(from: usize, module: &'a SourceFacts, targets: &'a [Target], symbols: &Symbols) -> ModuleImports<'a> {
    let mut out = ModuleImports::default();
    for (import, target) in module.facts.imports.iter().zip(targets) {
        match target {
            Target::Module(to) if *to != from => {
                let edge = out.edges.entry(*to).or_default();
                edge.kinds.insert(import.kind);
                edge.weight += 1;
                edge.lines.insert(import.line);
                // Where this statement's names really come from: `to` itself, or modules behind a barrel.
                let mut reaches = BTreeSet::new();
                let named: Vec<&str> = if import.kind == ImportKind::Dynamic {
                    Vec::new()
                } else {
                    import.bindings.iter().map(|b| b.imported.as_str()).filter(|n| *n != NAMESPACE).collect()
                };
                if named.is_empty() || import.bindings.iter().any(|b| b.imported == NAMESPACE) {
                    reaches.insert(*to);
                }
                for name in named {
                    let definer = symbols.defining_module(*to, name);
                    reaches.insert(definer);
                    if definer != *to {
                        edge.defined_in.insert(definer);
                    }
                }
                if import.kind != ImportKind::TypeOnly {
                    for target in reaches.into_iter().filter(|t| *t != from) {
                        *out.arcs.entry(target).or_default() += 1;
                    }
                }
            }
            Target::External(package) => {
                out.externals.push(package);
                out.packages.insert(package.clone());
            }
            Target::Unresolved(reason) => {
                out.diagnostics.push(Diagnostic::warning(
                    "unresolved-import",
                    &module.path,
                    import.line,
                    reason.clone(),
                ));
            }
            Target::Module(_) | Target::Asset | Target::Builtin => {}
        }
    }
    out
}
