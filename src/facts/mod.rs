//! Per-file facts: what one source file imports, exports and defines, as plain serde data.
//!
//! Takes a parsed tree (see `extract`), returns `FileFacts`; later stages never see tree-sitter.

mod extract;

use serde::{Deserialize, Serialize};

pub use extract::extract;

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
    pub diagnostics: Vec<Diagnostic>,
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
