//! Follows imported names through re-exports (barrels) to the module that defines them,
//! so that a barrel does not look like a hub that everything depends on.

use std::collections::{HashMap, HashSet};

use super::Target;
use crate::facts::{DEFAULT, ExportFact, NAMESPACE, SourceFacts};

/// Answers "which module defines name N exported by module M?".
pub struct Symbols<'a> {
    modules: &'a [SourceFacts],
    /// Per module: specifier → its resolved target.
    targets: Vec<HashMap<&'a str, &'a Target>>,
}

impl<'a> Symbols<'a> {
    pub fn new(modules: &'a [SourceFacts], targets: &'a [Vec<Target>]) -> Self {
        let targets = modules
            .iter()
            .zip(targets)
            .map(|(m, t)| m.facts.imports.iter().map(|i| i.specifier.as_str()).zip(t.iter()).collect())
            .collect();
        Self { modules, targets }
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
