//! The JSON contract (schema v1): plain serde types that `analyze` returns and every report renders.
//!
//! Field names are a public interface for planning tools: rename nothing, only add.

use serde::{Deserialize, Serialize};

/// Rounds a reported ratio to 4 decimals, so reports stay byte-stable and readable.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Version of the JSON contract; bumped only on a breaking change.
pub const SCHEMA_VERSION: &str = "1";

/// Everything one run found, in a stable order: lists are sorted, maps are ordered.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Analysis {
    pub schema_version: String,
    pub tool: Tool,
    /// The analysed root as the user gave it.
    pub root: String,
    pub summary: Summary,
    pub modules: Vec<Module>,
    pub dependencies: Vec<Dependency>,
    pub external_dependencies: Vec<ExternalDependency>,
    /// Every table seen in code or schema, with the modules that read and write it.
    pub tables: Vec<Table>,
    /// Every SQL statement found in source, where it runs.
    pub sql: Vec<SqlStatement>,
    /// Transaction scopes and the tables they change together.
    pub transactions: Vec<Transaction>,
    /// HTTP routes, scheduled jobs, consumers and bin scripts.
    pub routes: Vec<Route>,
    /// Function-level call edges (left out above `--detail calls`'s threshold; see `summary.calls`).
    pub calls: Vec<CallEdge>,
    /// Import cycles (type-only imports left out), smallest first; each a sorted list of modules.
    pub cycles: Vec<Vec<String>>,
    pub coupling: Coupling,
    /// Coupling rolled up to folders (or packages).
    pub directories: Vec<Directory>,
    /// Files found but left out of the analysis, with the reason.
    pub skipped: Vec<SkippedFile>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Summary {
    /// Source files considered, skipped ones included.
    pub files: usize,
    /// Modules analysed (source files not skipped).
    pub modules: usize,
    pub lines: usize,
    pub functions: usize,
    pub external_packages: usize,
    pub diagnostics: usize,
    pub skipped: usize,
    pub tables: usize,
    pub sql_statements: usize,
    pub transactions: usize,
    /// Call sites resolved to a local function.
    pub calls: usize,
    /// Call sites on a local module or class that resolve to no definition.
    pub unresolved_calls: usize,
    pub routes: usize,
    pub cycles: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Javascript,
    Jsx,
    Typescript,
    Tsx,
}

/// What a module is for; `test` and `ui` modules stay in the graph but are left out of clustering by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Domain,
    Infrastructure,
    Entrypoint,
    Test,
    Ui,
    Generated,
    /// Schema migrations and seed scripts: their table access is not application data access.
    Migration,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Module {
    /// Root-relative, forward slashes.
    pub path: String,
    pub language: Language,
    pub role: Role,
    pub lines: usize,
    pub functions: usize,
    pub tables: ModuleTables,
    /// Afferent coupling: distinct modules depending on this one.
    pub ca: usize,
    /// Efferent coupling: distinct modules this one depends on.
    pub ce: usize,
    /// ce / (ca + ce), `null` when both are 0.
    pub instability: Option<f64>,
    /// Incoming import statements plus call sites.
    pub fan_in: usize,
    /// Outgoing import statements plus call sites.
    pub fan_out: usize,
    /// Interfaces and abstract classes over all classes and interfaces (TypeScript modules declaring either).
    pub abstractness: Option<f64>,
    /// |abstractness + instability − 1|.
    pub distance: Option<f64>,
    pub routes: Vec<ModuleRoute>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct ModuleRoute {
    pub method: String,
    pub path: String,
    pub handler: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Route {
    /// `GET`, `POST`…, or `CRON`, `QUEUE`, `CONSUMER`, `EVENT`, `BIN` for other entry points.
    pub method: String,
    /// Full path with mount prefixes, or the schedule, queue, event or command name.
    pub path: String,
    /// `path#function` of the handler (`path#<inline>` for an inline function).
    pub handler: String,
    /// The module that registers it.
    pub module: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct CallEdge {
    /// `path#function`.
    pub from: String,
    pub to: String,
    pub count: usize,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Coupling {
    pub shared_tables: Vec<SharedTable>,
    pub shared_transactions: Vec<SharedTransaction>,
    /// The combined coupling graph: one undirected edge per module pair with any evidence.
    pub edges: Vec<CouplingEdge>,
    /// Parallel to `cycles`: the import edges between the members of each cycle.
    pub cycle_edges: Vec<Vec<[String; 2]>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SharedTable {
    pub a: String,
    pub b: String,
    pub tables: Vec<String>,
    /// `write-write`, `read-write` or `read-read`: the worst over the shared tables.
    pub mode: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SharedTransaction {
    pub a: String,
    pub b: String,
    pub transactions: usize,
    pub tables: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CouplingEdge {
    pub a: String,
    pub b: String,
    pub weight: f64,
    pub reasons: CouplingReasons,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct CouplingReasons {
    pub calls: usize,
    pub imports: usize,
    pub tables: Vec<String>,
    pub transactions: usize,
    pub foreign_keys: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Directory {
    pub path: String,
    pub modules: usize,
    pub ca: usize,
    pub ce: usize,
    pub instability: Option<f64>,
}

/// The tables one module touches, by mode; each list sorted.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ModuleTables {
    pub reads: Vec<String>,
    pub writes: Vec<String>,
    /// Tables whose schema it changes (DDL).
    pub schema: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Table {
    pub name: String,
    /// Modules reading it, migrations and seeds left out.
    pub readers: Vec<String>,
    /// Modules writing it, migrations and seeds left out.
    pub writers: Vec<String>,
    /// The first file (in path order) that creates it, if any.
    pub defined_in: Option<String>,
    pub foreign_keys: Vec<ForeignKeyRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ForeignKeyRef {
    pub column: String,
    /// The referenced table.
    pub references: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SqlStatement {
    pub path: String,
    pub line: usize,
    pub kind: crate::sql::StatementKind,
    pub reads: Vec<String>,
    pub writes: Vec<String>,
    pub schema: Vec<String>,
    /// Tables found by the lexical fallback because the parser rejected the text.
    pub approximate: bool,
    /// Table positions filled by values seamline cannot know.
    pub dynamic_tables: usize,
    /// The statement as analysed: constants inlined, unknown substitutions as `__seamline_dyn_N`.
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Transaction {
    pub path: String,
    /// The enclosing function (`Class.method`, `fn`, `<anonymous>`).
    pub function: String,
    /// Where the scope opens.
    pub line: usize,
    /// Tables read or written in the scope and by the functions it calls (up to the depth limit).
    pub tables: Vec<String>,
    /// Tables read or written by statements written inside the scope itself.
    pub direct_tables: Vec<String>,
    /// The scope's module and the modules of called functions that contributed tables.
    pub modules: Vec<String>,
}

/// How one import statement loads its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImportKind {
    // Alphabetical, so that sorted `kinds` lists read in the order of their serialized names.
    Dynamic,
    Import,
    Reexport,
    Require,
    TypeOnly,
}

/// All statements from one module to another, folded into one edge.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Dependency {
    pub from: String,
    pub to: String,
    /// Sorted set of the statements' kinds.
    pub kinds: Vec<ImportKind>,
    /// Number of statements.
    pub weight: usize,
    /// Sorted 1-based lines of the statements in `from`.
    pub lines: Vec<usize>,
    /// Modules that define the imported names when `to` only re-exports them (barrels); `to` itself is left out.
    pub defined_in: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ExternalDependency {
    pub package: String,
    /// Sorted importing modules.
    pub modules: Vec<String>,
    /// Number of statements naming the package.
    pub count: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    Minified,
    Generated,
    TooLarge,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SkippedFile {
    pub path: String,
    pub reason: SkipReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Warning,
    Error,
}

/// A problem with one input that did not stop the run.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Diagnostic {
    pub level: Level,
    /// Stable kebab-case code: `unresolved-import`, `dynamic-import`, `parse-error`, `read-error`, `config-error`.
    pub code: String,
    pub path: String,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    pub message: String,
}

impl Diagnostic {
    pub fn warning(code: &str, path: &str, line: usize, message: impl Into<String>) -> Self {
        Self { level: Level::Warning, code: code.to_owned(), path: path.to_owned(), line, message: message.into() }
    }

    pub fn error(code: &str, path: &str, line: usize, message: impl Into<String>) -> Self {
        Self { level: Level::Error, code: code.to_owned(), path: path.to_owned(), line, message: message.into() }
    }

    /// Diagnostics are listed by path, then line, then code.
    pub fn sort_key(&self) -> (&str, usize, &str, &str) {
        (&self.path, self.line, &self.code, &self.message)
    }
}
