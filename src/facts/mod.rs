//! Per-file facts: what one source file imports, exports and defines, as plain serde data.
//!
//! Takes a parsed tree (see `extract`), returns `FileFacts`; later stages never see tree-sitter.

mod ancestry;
mod data;
mod extract;
mod fields;
mod patterns;
mod scopes;

use serde::{Deserialize, Serialize};

pub use extract::extract;
pub use fields::{FieldIds, KindNames};
pub use patterns::Patterns;

use crate::model::{Diagnostic, ImportKind, Language};

/// Name used for a namespace binding (`import * as ns`, `const m = require('m')`).
pub const NAMESPACE: &str = "*";
/// Name used for a default export or import.
pub const DEFAULT: &str = "default";

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct FileFacts {
    pub imports: Vec<ImportFact>,
    pub exports: Vec<ExportFact>,
    pub definitions: Vec<Definition>,
    /// String-valued constants and class fields (table names, SQL held in a constant).
    pub constants: Vec<Constant>,
    /// Strings whose literal text looks like SQL.
    pub sql_texts: Vec<SqlText>,
    /// Every call, as a chain (`knex('t').where(…).first()`), in source order.
    pub calls: Vec<Chain>,
    /// Instance fields whose class is known: `this.x = new X()`, `x = new X()`, `constructor(private x: X)`.
    pub fields: Vec<FieldType>,
    /// Variables holding an instance: `const mailer = new Mailer()`.
    pub instances: Vec<Instance>,
    pub diagnostics: Vec<Diagnostic>,
}

/// One piece of a string built at run time.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "type", content = "value", rename_all = "kebab-case")]
pub enum Piece {
    Text(String),
    /// An identifier or member path (`TABLE`, `this.table`, `q.FIND_ORDER`) whose value may be a constant.
    Ref(String),
    /// Any other expression: its value is unknown.
    Unknown(String),
}

/// Where code sits: the nearest named function (`Class.method`, `fn`, `<anonymous>`) and class.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Place {
    pub function: String,
    pub class: Option<String>,
    pub line: usize,
    /// Byte range, for "is this inside that callback" questions.
    pub start: usize,
    pub end: usize,
}

/// `const NAME = …`, a class field, or a string exported as `module.exports = { NAME: '…' }`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Constant {
    pub name: String,
    pub value: Vec<Piece>,
    /// Declared inside this function; `None` at module level.
    pub function: Option<String>,
    /// A field of this class.
    pub class: Option<String>,
    pub line: usize,
}

/// The class of an instance field.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FieldType {
    pub class: String,
    pub field: String,
    pub type_name: String,
}

/// `const name = new TypeName()`, in a function or (`function: None`) at module level.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Instance {
    pub function: Option<String>,
    pub name: String,
    pub type_name: String,
    /// The constructor's arguments (`new Router({ prefix: '/api' })`).
    pub args: Vec<Arg>,
}

/// A string, template or concatenation whose literal text looks like SQL.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SqlText {
    pub value: Vec<Piece>,
    pub place: Place,
    /// Bound to this constant name: attributed to the constant's uses rather than to its declaration.
    pub constant: Option<String>,
    /// Written inside a function (so a bound constant is function-local).
    pub in_function: bool,
}

/// A call expression flattened into a root and links: `prisma.user.findMany(x)` is root `prisma` with links
/// `user` (a property) and `findMany(x)` (a call). A call of the root itself is a link with an empty name.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Chain {
    pub root: String,
    pub links: Vec<Link>,
    pub place: Place,
    /// `const X = <chain>` → `X`; `module.exports = <chain>` → `default`.
    pub assigned_to: Option<String>,
    /// For a decorator call, what it decorates: a class, a field, a method or a constructor parameter.
    pub decorates: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Link {
    pub name: String,
    /// `None` for a property access, `Some` for a call.
    pub args: Option<Vec<Arg>>,
}

/// A call argument, as far as data access cares.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Arg {
    Str {
        value: Vec<Piece>,
        line: usize,
    },
    Ref {
        path: String,
        line: usize,
    },
    Func {
        params: Vec<String>,
        start: usize,
        end: usize,
    },
    Array {
        items: Vec<Arg>,
    },
    Object {
        entries: Vec<(String, Arg)>,
    },
    Bool {
        value: bool,
    },
    /// A call used as an argument (`asyncHandler(controller.create)`): its own arguments.
    Call {
        callee: String,
        args: Vec<Arg>,
    },
    Other,
}

/// One statement or call that loads another module.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ImportFact {
    pub specifier: String,
    pub kind: ImportKind,
    /// 1-based line of the statement.
    pub line: usize,
    /// Names it binds: `imported` is the exported name in the target (`default`, `*` for the namespace).
    pub bindings: Vec<Binding>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Binding {
    pub imported: String,
    pub local: String,
}

/// One name a module makes available to importers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ExportFact {
    /// `export function f`, `export { a as b }`, `module.exports.x = …`: `local` may itself be an imported binding.
    Local { exported: String, local: String },
    /// `export { a as b } from 'm'`, `export * as ns from 'm'` (`imported` = `*`), `exports.x = require('m')`.
    Reexport { exported: String, imported: String, specifier: String },
    /// `export * from 'm'`, `module.exports = require('m')`.
    Star { specifier: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DefinitionKind {
    Function,
    Method,
    Class,
    AbstractClass,
    Interface,
}

/// A function, method, class or interface with its 1-based line span.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Definition {
    /// `Class.method` for methods of a named class.
    pub name: String,
    pub kind: DefinitionKind,
    pub start_line: usize,
    pub end_line: usize,
    /// Byte range of the whole definition.
    pub start: usize,
    pub end: usize,
    /// Parameter names (destructured parameters are left out).
    pub params: Vec<String>,
    /// Decorator names (`Transactional` for `@Transactional()`).
    pub decorators: Vec<String>,
}

impl FileFacts {
    /// Functions and methods, the unit counted in `modules[].functions`.
    pub fn function_count(&self) -> usize {
        self.definitions.iter().filter(|d| matches!(d.kind, DefinitionKind::Function | DefinitionKind::Method)).count()
    }
}

/// Facts of a parsed source file, together with its identity.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SourceFacts {
    pub path: String,
    pub language: Language,
    pub lines: usize,
    /// Looks machine-written but was kept by an explicit `--include`.
    pub generated: bool,
    pub facts: FileFacts,
}
