//! The call graph: resolves each call chain to the function it calls, through imports, barrels, classes,
//! instances and CommonJS exports (rules: `docs/coupling-rules.md` §1). Takes facts and resolution; returns,
//! per call, the called definition when known, or the local module it calls into when only that is known.

use crate::facts::{Chain, DefinitionKind, Link, NAMESPACE, Place, SourceFacts};
use crate::resolve::{Symbols, Target};

/// A function or method: a module and an index into its `facts.definitions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FunctionId {
    pub module: usize,
    pub definition: usize,
}

/// What one call leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Callee {
    Function(FunctionId),
    /// A call on a local module (or a local class instance) whose definition was not found.
    Unresolved {
        module: usize,
    },
    /// A package, a built-in, or a value of unknown type: not part of the graph.
    Outside,
}

impl Callee {
    pub fn function(self) -> Option<FunctionId> {
        match self {
            Callee::Function(f) => Some(f),
            _ => None,
        }
    }
}

/// Per module, per call (parallel to `facts.calls`).
pub struct CallGraph {
    pub callees: Vec<Vec<Callee>>,
}

impl CallGraph {
    /// The resolved callee of call `i` of module `m`.
    pub fn function(&self, m: usize, i: usize) -> Option<FunctionId> {
        self.callees[m][i].function()
    }
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

/// Resolves callees and function references (`orderController.list` passed as a route handler).
pub struct Resolver<'a> {
    pub modules: &'a [SourceFacts],
    pub targets: &'a [Vec<Target>],
    pub symbols: &'a Symbols<'a>,
}

impl Resolver<'_> {
    /// The function a reference like `list`, `orderController.list` or `this.handle` names, seen from `place`.
    pub fn reference(&self, m: usize, place: &Place, path: &str) -> Option<FunctionId> {
        let mut parts = path.split('.');
        let root = parts.next()?.to_owned();
        let mut links: Vec<Link> = parts.map(|p| Link { name: p.to_owned(), args: None }).collect();
        match links.last_mut() {
            Some(last) => last.args = Some(Vec::new()),
            None => links.push(Link { name: String::new(), args: Some(Vec::new()) }),
        }
        let chain = Chain { root, links, place: place.clone(), assigned_to: None, decorates: None };
        self.callee(m, &chain).function()
    }

    pub fn callee(&self, m: usize, call: &Chain) -> Callee {
        let Some(first) = call.links.first() else { return Callee::Outside };
        let called_directly = first.name.is_empty() && first.args.is_some();
        let method = (!first.name.is_empty() && first.args.is_some()).then_some(first.name.as_str());
        let found = |f: Option<FunctionId>, module: usize| f.map_or(Callee::Unresolved { module }, Callee::Function);

        if call.root == "this" {
            let Some(class) = call.place.class.as_deref() else { return Callee::Outside };
            if let Some(method) = method {
                return found(self.definition(m, &format!("{class}.{method}")), m);
            }
            // `this.field.method()`, the field holding an instance of a known class.
            let (Some(call_link), true) = (call.links.get(1), first.args.is_none()) else { return Callee::Outside };
            let Some(method) = call_link.args.as_ref().map(|_| call_link.name.as_str()) else { return Callee::Outside };
            let facts = &self.modules[m].facts;
            let Some(field) = facts.fields.iter().find(|f| f.class == class && f.field == first.name) else {
                return Callee::Outside;
            };
            return self.method_of_class(m, &field.type_name, method);
        }
        // `require('./orders').create()`: the module the literal names, then its export.
        if call.root == "require"
            && let (Some(Some(args)), Some(next)) = (Some(first.args.as_ref()), call.links.get(1))
            && let (Some(crate::facts::Arg::Str { value, .. }), Some(_)) = (args.first(), next.args.as_ref())
        {
            let specifier: String =
                value.iter().map(|p| if let crate::facts::Piece::Text(t) = p { t.as_str() } else { "" }).collect();
            let facts = &self.modules[m].facts;
            let Some(target) = facts.imports.iter().zip(&self.targets[m]).find_map(|(import, target)| match target {
                Target::Module(t) if import.specifier == specifier => Some(*t),
                _ => None,
            }) else {
                return Callee::Outside;
            };
            let defining = self.symbols.defining_module(target, &next.name);
            return found(self.definition(defining, &self.local_name(defining, &next.name)), target);
        }
        if let Some(class) = call.root.strip_prefix("new ") {
            return method.map_or(Callee::Outside, |method| self.method_of_class(m, class, method));
        }
        if called_directly {
            if let Some(f) = self.definition(m, &call.root) {
                return Callee::Function(f);
            }
            let Some((target, imported)) = self.import_binding(m, &call.root) else { return Callee::Outside };
            let exported = if imported == NAMESPACE { "default" } else { imported };
            let defining = self.symbols.defining_module(target, exported);
            return found(self.definition(defining, &self.local_name(defining, exported)), target);
        }
        let Some(method) = method else { return Callee::Outside };
        // `Class.staticMethod()` of a local class.
        if let Some(f) = self.definition(m, &format!("{}.{method}", call.root)) {
            return Callee::Function(f);
        }
        // `const mailer = new Mailer(); mailer.send()`.
        let facts = &self.modules[m].facts;
        let instance = facts
            .instances
            .iter()
            .find(|i| i.name == call.root && i.function.as_deref() == Some(call.place.function.as_str()))
            .or_else(|| facts.instances.iter().find(|i| i.name == call.root && i.function.is_none()));
        if let Some(instance) = instance {
            return self.method_of_class(m, &instance.type_name, method);
        }
        let Some((target, imported)) = self.import_binding(m, &call.root) else { return Callee::Outside };
        if imported == NAMESPACE {
            // `ns.f()`, `const repo = require('./repo'); repo.f()`: an exported function, an object-literal method,
            // or a method of the class (or instance) the module exports.
            let defining = self.symbols.defining_module(target, method);
            if let Some(f) = self.definition(defining, &self.local_name(defining, method)) {
                return Callee::Function(f);
            }
            let class = self.local_name(target, "default");
            return found(self.definition(target, &format!("{class}.{method}")), target);
        }
        // `import { OrderService } …; OrderService.create()`: a static method of an imported class, or a method of
        // an imported instance.
        let defining = self.symbols.defining_module(target, imported);
        found(self.definition(defining, &format!("{}.{method}", self.local_name(defining, imported))), defining)
    }

    fn method_of_class(&self, m: usize, class: &str, method: &str) -> Callee {
        match self.class_named(m, class) {
            Some((module, class)) => self
                .definition(module, &format!("{class}.{method}"))
                .map_or(Callee::Unresolved { module }, Callee::Function),
            None => Callee::Outside,
        }
    }

    /// The module and class name of a class visible in module `m` as `name`.
    fn class_named(&self, m: usize, name: &str) -> Option<(usize, String)> {
        let is_class = |d: &crate::facts::Definition| {
            matches!(d.kind, DefinitionKind::Class | DefinitionKind::AbstractClass) && d.name == name
        };
        if self.modules[m].facts.definitions.iter().any(is_class) {
            return Some((m, name.to_owned()));
        }
        self.symbols.imported_definition(m, name)
    }

    fn import_binding(&self, m: usize, local: &str) -> Option<(usize, &str)> {
        self.symbols.import_binding(m, local)
    }

    fn local_name(&self, m: usize, exported: &str) -> String {
        self.symbols.local_name(m, exported)
    }

    fn definition(&self, m: usize, name: &str) -> Option<FunctionId> {
        self.symbols.function(m, name).map(|definition| FunctionId { module: m, definition })
    }
}
