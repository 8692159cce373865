//! The call graph: resolves each call chain to the function it calls, through imports, barrels, classes and
//! CommonJS exports. Takes facts and resolution; returns, per call, the called definition when known.

use crate::facts::{DefinitionKind, ExportFact, NAMESPACE, SourceFacts};
use crate::resolve::{Symbols, Target};

/// A function or method: a module and an index into its `facts.definitions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FunctionId {
    pub module: usize,
    pub definition: usize,
}

/// Per module, per call (parallel to `facts.calls`): the called function, when it could be resolved.
pub struct CallGraph {
    pub callees: Vec<Vec<Option<FunctionId>>>,
}

pub fn build(modules: &[SourceFacts], targets: &[Vec<Target>], symbols: &Symbols) -> CallGraph {
    let resolver = Resolver { modules, targets, symbols };
    let callees = modules
        .iter()
        .enumerate()
        .map(|(m, module)| module.facts.calls.iter().map(|call| resolver.callee(m, call)).collect())
        .collect();
    CallGraph { callees }
}

struct Resolver<'a> {
    modules: &'a [SourceFacts],
    targets: &'a [Vec<Target>],
    symbols: &'a Symbols<'a>,
}

impl Resolver<'_> {
    fn callee(&self, m: usize, call: &crate::facts::Chain) -> Option<FunctionId> {
        let first = call.links.first()?;
        let called_directly = first.name.is_empty() && first.args.is_some();
        let method = (!first.name.is_empty() && first.args.is_some()).then_some(first.name.as_str());
        if call.root == "this" {
            let class = call.place.class.as_deref()?;
            if let Some(method) = method {
                return self.definition(m, &format!("{class}.{method}"));
            }
            // `this.field.method()`, the field holding an instance of a known class.
            let (field, call_link) = (first, call.links.get(1)?);
            if field.args.is_some() || call_link.args.is_none() {
                return None;
            }
            let facts = &self.modules[m].facts;
            let field_type = facts.fields.iter().find(|f| f.class == class && f.field == field.name)?;
            let (module, class) = self.class_named(m, &field_type.type_name)?;
            return self.definition(module, &format!("{class}.{}", call_link.name));
        }
        if let Some(class) = call.root.strip_prefix("new ") {
            let (module, class) = self.class_named(m, class)?;
            return self.definition(module, &format!("{class}.{}", method?));
        }
        if called_directly {
            if let Some(f) = self.definition(m, &call.root) {
                return Some(f);
            }
            let (target, imported) = self.import_binding(m, &call.root)?;
            let exported = if imported == NAMESPACE { "default" } else { imported };
            let defining = self.symbols.defining_module(target, exported);
            return self.definition(defining, &self.local_name(defining, exported));
        }
        let method = method?;
        // `Class.staticMethod()` of a local class.
        if let Some(f) = self.definition(m, &format!("{}.{method}", call.root)) {
            return Some(f);
        }
        let (target, imported) = self.import_binding(m, &call.root)?;
        if imported == NAMESPACE {
            // `ns.f()`, `const repo = require('./repo'); repo.f()`: an exported function, an object-literal method,
            // or a method of the class (or instance) the module exports.
            let defining = self.symbols.defining_module(target, method);
            if let Some(f) = self.definition(defining, &self.local_name(defining, method)) {
                return Some(f);
            }
            let class = self.local_name(target, "default");
            return self.definition(target, &format!("{class}.{method}"));
        }
        // `import { OrderService } …; OrderService.create()`: a static method of an imported class.
        let defining = self.symbols.defining_module(target, imported);
        self.definition(defining, &format!("{}.{method}", self.local_name(defining, imported)))
    }

    /// The module and class name of a class visible in module `m` as `name`.
    fn class_named(&self, m: usize, name: &str) -> Option<(usize, String)> {
        if self.modules[m].facts.definitions.iter().any(|d| d.kind == DefinitionKind::Class && d.name == name) {
            return Some((m, name.to_owned()));
        }
        let (target, imported) = self.import_binding(m, name)?;
        let exported = if imported == NAMESPACE { "default" } else { imported };
        let defining = self.symbols.defining_module(target, exported);
        Some((defining, self.local_name(defining, exported)))
    }

    /// The module and exported name an import binding `local` of module `m` refers to.
    fn import_binding(&self, m: usize, local: &str) -> Option<(usize, &str)> {
        let facts = &self.modules[m].facts;
        facts.imports.iter().zip(&self.targets[m]).find_map(|(import, target)| {
            let binding = import.bindings.iter().find(|b| b.local == local)?;
            match target {
                Target::Module(t) => Some((*t, binding.imported.as_str())),
                _ => None,
            }
        })
    }

    /// The local name behind an export of module `m`.
    fn local_name(&self, m: usize, exported: &str) -> String {
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

    fn definition(&self, m: usize, name: &str) -> Option<FunctionId> {
        self.modules[m]
            .facts
            .definitions
            .iter()
            .position(|d| d.name == name && matches!(d.kind, DefinitionKind::Function | DefinitionKind::Method))
            .map(|definition| FunctionId { module: m, definition })
    }
}
