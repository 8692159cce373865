//! Constant propagation for strings: resolves `TABLE`, `this.table`, `Repo.TABLE`, `q.FIND_ORDER` to the string
//! constant they name, in the module, its classes, or the module an import points to (through barrels).

use crate::facts::{Constant, NAMESPACE, Piece, Place, SourceFacts};
use crate::resolve::Symbols;
use crate::sql::PLACEHOLDER;

/// Constants are followed through at most this many references (`A = B`, `B = C`…): cycles end here.
const MAX_DEPTH: usize = 8;

/// A constant: module index and index into its `facts.constants`.
pub type ConstantId = (usize, usize);

/// The lexical scope a reference is read in.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub function: Option<&'a str>,
    pub class: Option<&'a str>,
}

impl<'a> Scope<'a> {
    pub fn of(place: &'a Place) -> Self {
        Scope { function: Some(place.function.as_str()), class: place.class.as_deref() }
    }

    fn of_constant(constant: &'a Constant) -> Self {
        Scope { function: constant.function.as_deref(), class: constant.class.as_deref() }
    }
}

/// A string assembled from pieces.
pub struct Rendered {
    pub text: String,
    /// Every piece had a known value.
    pub constant: bool,
}

pub struct Constants<'a> {
    modules: &'a [SourceFacts],
    symbols: &'a Symbols<'a>,
}

impl<'a> Constants<'a> {
    pub fn new(modules: &'a [SourceFacts], symbols: &'a Symbols<'a>) -> Self {
        Self { modules, symbols }
    }

    pub fn get(&self, id: ConstantId) -> &'a Constant {
        &self.modules[id.0].facts.constants[id.1]
    }

    /// The constant a reference names, seen from `scope` in module `m`.
    pub fn find(&self, m: usize, scope: Scope, path: &str) -> Option<ConstantId> {
        let constants = &self.modules[m].facts.constants;
        let position = |pred: &dyn Fn(&Constant) -> bool| constants.iter().position(pred).map(|i| (m, i));
        if let Some(field) = path.strip_prefix("this.") {
            let class = scope.class?;
            return position(&|c| c.class.as_deref() == Some(class) && c.name == field);
        }
        match path.split_once('.') {
            None => {
                let in_function = scope.function.and_then(|f| {
                    position(&|c| c.class.is_none() && c.function.as_deref() == Some(f) && c.name == path)
                });
                in_function
                    .or_else(|| position(&|c| c.class.is_none() && c.function.is_none() && c.name == path))
                    .or_else(|| {
                        let (target, imported) = self.import_binding(m, path)?;
                        (imported != NAMESPACE).then(|| self.exported(target, imported))?
                    })
            }
            Some((object, property)) if !property.contains('.') => {
                if let Some(id) = position(&|c| c.class.as_deref() == Some(object) && c.name == property) {
                    return Some(id);
                }
                // A member of a constant object: `TABLES.ORDERS`.
                let in_function = scope.function.and_then(|f| {
                    position(&|c| c.class.is_none() && c.function.as_deref() == Some(f) && c.name == path)
                });
                if let Some(id) =
                    in_function.or_else(|| position(&|c| c.class.is_none() && c.function.is_none() && c.name == path))
                {
                    return Some(id);
                }
                let (target, imported) = self.import_binding(m, object)?;
                if imported == NAMESPACE {
                    return self.exported(target, property);
                }
                let defining = self.symbols.defining_module(target, imported);
                let member = format!("{}.{property}", self.local_name(defining, imported));
                let constants = &self.modules[defining].facts.constants;
                if let Some(i) =
                    constants.iter().position(|c| c.class.is_none() && c.function.is_none() && c.name == member)
                {
                    return Some((defining, i));
                }
                // A static field of an imported class.
                let defining = self.symbols.defining_module(target, imported);
                let class = self.local_name(defining, imported);
                let fields = &self.modules[defining].facts.constants;
                fields
                    .iter()
                    .position(|c| c.class.as_deref() == Some(class.as_str()) && c.name == property)
                    .map(|i| (defining, i))
            }
            _ => None,
        }
    }

    /// The module-level constant exported as `name` by module `m` (following re-exports).
    fn exported(&self, m: usize, name: &str) -> Option<ConstantId> {
        let defining = self.symbols.defining_module(m, name);
        let local = self.local_name(defining, name);
        let constants = &self.modules[defining].facts.constants;
        constants
            .iter()
            .position(|c| c.class.is_none() && c.function.is_none() && c.name == local)
            .map(|i| (defining, i))
    }

    fn local_name(&self, m: usize, exported: &str) -> String {
        self.symbols.local_name(m, exported)
    }

    fn import_binding(&self, m: usize, local: &str) -> Option<(usize, &'a str)> {
        self.symbols.import_binding(m, local)
    }

    /// Assembles pieces read in `scope` of module `m`: constants inlined, anything else a numbered placeholder.
    pub fn render(&self, m: usize, scope: Scope, pieces: &[Piece]) -> Rendered {
        let mut next = 0;
        self.render_with(m, scope, pieces, &mut next, 0)
    }

    fn render_with(&self, m: usize, scope: Scope, pieces: &[Piece], next: &mut usize, depth: usize) -> Rendered {
        let mut rendered = Rendered { text: String::new(), constant: true };
        for piece in pieces {
            let value = match piece {
                Piece::Text(text) => Some(text.clone()),
                Piece::Ref(path) if depth < MAX_DEPTH => self.find(m, scope, path).and_then(|id| {
                    let constant = self.get(id);
                    let inner = self.render_with(id.0, Scope::of_constant(constant), &constant.value, next, depth + 1);
                    inner.constant.then_some(inner.text)
                }),
                Piece::Ref(_) | Piece::Unknown(_) => None,
            };
            match value {
                Some(text) => rendered.text.push_str(&text),
                None => {
                    *next += 1;
                    rendered.text.push_str(&format!("{PLACEHOLDER}{next}"));
                    rendered.constant = false;
                }
            }
        }
        rendered
    }

    /// The string value of a call argument: a literal (constants inlined) or a reference to a constant.
    pub fn arg_value(&self, m: usize, scope: Scope, arg: Option<&crate::facts::Arg>) -> Option<String> {
        match arg? {
            crate::facts::Arg::Str { value, .. } => {
                let rendered = self.render(m, scope, value);
                rendered.constant.then_some(rendered.text)
            }
            crate::facts::Arg::Ref { path, .. } => self.value(m, scope, path),
            _ => None,
        }
    }

    /// The string value of a reference, when it is a constant.
    pub fn value(&self, m: usize, scope: Scope, path: &str) -> Option<String> {
        let rendered = self.render(m, scope, &[Piece::Ref(path.to_owned())]);
        rendered.constant.then_some(rendered.text)
    }
}
