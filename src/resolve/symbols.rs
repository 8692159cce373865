//! Follows imported names through re-exports (barrels) to the module that defines them,
//! so that a barrel does not look like a hub that everything depends on.

use std::collections::{HashMap, HashSet};

use super::Target;
use crate::facts::{DEFAULT, DefinitionKind, ExportFact, NAMESPACE, SourceFacts};

/// Answers "which module defines name N exported by module M?" and "what does local name X import?".
pub struct Symbols<'a> {
    modules: &'a [SourceFacts],
    /// Per module, parallel to its imports.
    resolved: &'a [Vec<Target>],
    /// Per module: specifier → its resolved target.
    targets: Vec<HashMap<&'a str, &'a Target>>,
    /// Per module: function or method name → its first definition (generated files define thousands, and every
    /// call looks one up).
    functions: Vec<HashMap<&'a str, usize>>,
}

impl<'a> Symbols<'a> {
    pub fn new(modules: &'a [SourceFacts], targets: &'a [Vec<Target>]) -> Self {
        let by_specifier = modules
            .iter()
            .zip(targets)
            .map(|(m, t)| m.facts.imports.iter().map(|i| i.specifier.as_str()).zip(t.iter()).collect())
            .collect();
        let functions = modules
            .iter()
            .map(|m| {
                let mut first = HashMap::new();
                for (i, d) in m.facts.definitions.iter().enumerate() {
                    if matches!(d.kind, DefinitionKind::Function | DefinitionKind::Method) {
                        first.entry(d.name.as_str()).or_insert(i);
                    }
                }
                first
            })
            .collect();
        Self { modules, resolved: targets, targets: by_specifier, functions }
    }

    /// The index of the first function or method of module `m` named `name`.
    pub fn function(&self, m: usize, name: &str) -> Option<usize> {
        self.functions[m].get(name).copied()
    }

    /// The local module and exported name an import binding `local` of module `m` refers to.
    pub fn import_binding(&self, m: usize, local: &str) -> Option<(usize, &'a str)> {
        let facts = &self.modules[m].facts;
        facts.imports.iter().zip(&self.resolved[m]).find_map(|(import, target)| {
            let binding = import.bindings.iter().find(|b| b.local == local)?;
            match target {
                Target::Module(t) => Some((*t, binding.imported.as_str())),
                _ => None,
            }
        })
    }

    /// The local name behind export `exported` of module `m` (the export's own name when it is not an alias).
    pub fn local_name(&self, m: usize, exported: &str) -> String {
        self.modules[m]
            .facts
            .exports
            .iter()
            .find_map(|e| match e {
                ExportFact::Local { exported: name, local } if name == exported => Some(local.clone()),
                _ => None,
            })
            .unwrap_or_else(|| exported.to_owned())
    }

    /// Where an imported binding is defined: the defining module (through barrels) and its local name there.
    /// A namespace or plain `require` binding stands for the module's default export.
    pub fn imported_definition(&self, m: usize, local: &str) -> Option<(usize, String)> {
        let (target, imported) = self.import_binding(m, local)?;
        let exported = if imported == NAMESPACE { DEFAULT } else { imported };
        let defining = self.defining_module(target, exported);
        Some((defining, self.local_name(defining, exported)))
    }

    /// The module defining `name` as exported by `module`; `module` itself when it defines it or it cannot be traced.
    pub fn defining_module(&self, module: usize, name: &str) -> usize {
        self.find(module, name, &mut HashSet::new()).unwrap_or(module)
    }

    fn module_target(&self, module: usize, specifier: &str) -> Option<usize> {
        match self.targets[module].get(specifier) {
            Some(Target::Module(m)) => Some(*m),
            _ => None,
        }
    }

    /// Follows `name` in `target` (a module reached through `specifier` of `module`), or the module as a whole for `*`.
    fn follow(&self, target: usize, imported: &str, seen: &mut HashSet<(usize, String)>) -> usize {
        if imported == NAMESPACE { target } else { self.find(target, imported, seen).unwrap_or(target) }
    }

    fn find(&self, module: usize, name: &str, seen: &mut HashSet<(usize, String)>) -> Option<usize> {
        if !seen.insert((module, name.to_owned())) {
            return None;
        }
        let facts = &self.modules[module].facts;
        for export in &facts.exports {
            match export {
                ExportFact::Local { exported, local } if exported == name => {
                    // `import { a } from './x'; export { a }` re-exports an imported binding.
                    let binding = facts.imports.iter().find_map(|i| {
                        let b = i.bindings.iter().find(|b| &b.local == local)?;
                        Some((i.specifier.as_str(), b.imported.as_str()))
                    });
                    return Some(
                        match binding.and_then(|(spec, imported)| Some((self.module_target(module, spec)?, imported))) {
                            Some((target, imported)) => self.follow(target, imported, seen),
                            None => module,
                        },
                    );
                }
                ExportFact::Reexport { exported, imported, specifier } if exported == name => {
                    return Some(match self.module_target(module, specifier) {
                        Some(target) => self.follow(target, imported, seen),
                        None => module,
                    });
                }
                _ => {}
            }
        }
        // `export *` never re-exports a default export.
        if name == DEFAULT {
            return None;
        }
        facts.exports.iter().find_map(|export| match export {
            ExportFact::Star { specifier } => self.find(self.module_target(module, specifier)?, name, seen),
            _ => None,
        })
    }
}
