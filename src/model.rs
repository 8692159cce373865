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
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct Analysis {
    pub schema_version: String,
    pub tool: Tool,
    /// The analysed root as the user gave it, or only its folder name when given as an absolute path.
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
    /// Every resolved call site whose caller and callee sit in different proposed contexts, in path and line
    /// order: what `seamline check` and `seamline diff` locate cross-context calls by.
    #[serde(default)]
    pub cross_context_calls: Vec<CallSiteRef>,
    pub coupling: Coupling,
    /// Coupling rolled up to folders (or packages).
    pub directories: Vec<Directory>,
    /// Proposed bounded contexts, largest first.
    pub contexts: Vec<Context>,
    /// Strangler-fig extraction steps, leaves first.
    pub extraction_order: Vec<ExtractionStep>,
    pub quality: Quality,
    /// Every level of the clustering hierarchy, finest first; the last is the proposal.
    pub levels: Vec<ClusterLevel>,
    /// Distributed-monolith risks in the proposal.
    pub warnings: Vec<Warning>,
    /// Files found but left out of the analysis, with the reason.
    pub skipped: Vec<SkippedFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// Machine-specific facts, only with `--meta` (they would make reports differ between machines and runs).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub meta: Option<Meta>,
}

impl Analysis {
    /// Module path → its proposed context, for the modules that have one.
    pub fn context_by_module(&self) -> std::collections::BTreeMap<&str, &str> {
        self.modules.iter().filter_map(|m| Some((m.path.as_str(), m.context.as_deref()?))).collect()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct Meta {
    pub absolute_root: String,
    /// Seconds since the Unix epoch when the report was written.
    pub unix_time: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Javascript,
    Jsx,
    Typescript,
    Tsx,
}

/// What a module is for; `test` and `ui` modules stay in the graph but are left out of clustering by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
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

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
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
    /// The proposed context, or `null` when left out of clustering (infrastructure, tests, UI, entry points…).
    pub context: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, schemars::JsonSchema)]
pub struct ModuleRoute {
    pub method: String,
    pub path: String,
    pub handler: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, schemars::JsonSchema)]
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

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, schemars::JsonSchema)]
pub struct CallEdge {
    /// `path#function`.
    pub from: String,
    pub to: String,
    pub count: usize,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct Coupling {
    pub shared_tables: Vec<SharedTable>,
    pub shared_transactions: Vec<SharedTransaction>,
    /// The combined coupling graph: one undirected edge per module pair with any evidence.
    pub edges: Vec<CouplingEdge>,
    /// Parallel to `cycles`: the import edges between the members of each cycle.
    pub cycle_edges: Vec<Vec<[String; 2]>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct SharedTable {
    pub a: String,
    pub b: String,
    pub tables: Vec<String>,
    /// `write-write`, `read-write` or `read-read`: the worst over the shared tables.
    pub mode: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct SharedTransaction {
    pub a: String,
    pub b: String,
    pub transactions: usize,
    pub tables: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct CouplingEdge {
    pub a: String,
    pub b: String,
    pub weight: f64,
    pub reasons: CouplingReasons,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct CouplingReasons {
    pub calls: usize,
    pub imports: usize,
    pub tables: Vec<String>,
    pub transactions: usize,
    pub foreign_keys: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct Directory {
    pub path: String,
    pub modules: usize,
    pub ca: usize,
    pub ce: usize,
    pub instability: Option<f64>,
}

/// The tables one module touches, by mode; each list sorted.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct ModuleTables {
    pub reads: Vec<String>,
    pub writes: Vec<String>,
    /// Tables whose schema it changes (DDL).
    pub schema: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
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

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ForeignKeyRef {
    pub column: String,
    /// The referenced table.
    pub references: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
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

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
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

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct ExternalDependency {
    pub package: String,
    /// Sorted importing modules.
    pub modules: Vec<String>,
    /// Number of statements naming the package.
    pub count: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    Minified,
    Generated,
    TooLarge,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct SkippedFile {
    pub path: String,
    pub reason: SkipReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Warning,
    Error,
}

/// A problem with one input that did not stop the run.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Diagnostic {
    pub level: Level,
    /// Stable kebab-case code: `unresolved-import`, `dynamic-import`, `parse-error`, `read-error`, `not-utf8`,
    /// `binary-file`, `path-not-utf8`, `config-error`, `sql-parse-error`, `dynamic-table`, `nesting-too-deep`,
    /// `ignore-file-unusable`, `cache-ignored`, `cache-unwritable`.
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

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct Context {
    pub name: String,
    pub modules: Vec<String>,
    /// Tables this context writes most (ties broken by reads).
    pub tables_owned: Vec<String>,
    /// Tables it only reads, owned elsewhere.
    pub tables_read: Vec<String>,
    /// Tables it writes that other contexts write too.
    pub tables_contested: Vec<ContestedTable>,
    /// Modules pinned to it by the config.
    pub pinned: Vec<String>,
    pub ca: usize,
    pub ce: usize,
    pub instability: Option<f64>,
    /// Coupling weight between its own modules.
    pub internal_weight: f64,
    /// Coupling weight between its modules and modules of other contexts.
    pub external_weight: f64,
    pub routes: Vec<ContextRoute>,
    /// Its would-be public API: functions other contexts call in it.
    pub api: Vec<ApiFunction>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct ContestedTable {
    pub table: String,
    /// Every context that writes it.
    pub writers: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct ContextRoute {
    pub method: String,
    pub path: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct ApiFunction {
    /// `path#function`.
    pub function: String,
    /// Contexts calling it.
    pub callers: Vec<String>,
    /// Call sites.
    pub count: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct ExtractionStep {
    pub step: usize,
    pub context: String,
    /// Lower is extracted earlier: `10·inbound_modules + 5·shared_tables + 5·crossing_transactions + size`.
    pub score: f64,
    pub terms: StepTerms,
    /// Calls from the rest of the monolith into the context: each becomes an API call.
    pub calls_to_replace: Vec<CallSiteRef>,
    /// Calls out of the context that the new service will need.
    pub dependencies: Vec<CallSiteRef>,
    pub tables_to_move: Vec<String>,
    pub tables_shared: Vec<SharedWith>,
    pub transactions_to_break: Vec<TransactionRef>,
    /// Routes to re-point at the gateway.
    pub routes: Vec<ContextRoute>,
    /// Context cycles it sits in.
    pub cycles: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct StepTerms {
    /// Modules of the remaining monolith that depend on it.
    pub inbound_modules: usize,
    /// Tables it shares with the remaining monolith (contested ones included).
    pub shared_tables: usize,
    /// Transactions crossing the new boundary.
    pub crossing_transactions: usize,
    /// Its share of the remaining clustered modules (0–1).
    pub size: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, schemars::JsonSchema)]
pub struct CallSiteRef {
    /// `path#function` of the caller.
    pub from: String,
    /// `path#function` of the callee.
    pub to: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct SharedWith {
    pub table: String,
    /// Contexts (or `monolith` for modules outside any context) that also touch it.
    pub with: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct TransactionRef {
    pub path: String,
    pub function: String,
    pub line: usize,
    pub tables: Vec<String>,
    /// Contexts whose modules take part.
    pub contexts: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct Quality {
    /// Newman modularity of the proposal on the coupling graph.
    pub modularity: f64,
    /// Structural modularity (Jin et al. 2019).
    pub sm: f64,
    /// Inter-call percentage (Jin et al. 2019), calls weighted ln(n) + 1.
    pub icp: f64,
    /// Interface number: modules called from other contexts, averaged over contexts.
    pub ifn: f64,
    /// Non-extreme distribution (Mono2Micro): share of modules in contexts outside the size bounds.
    pub ned: f64,
    /// Share of the coupling weight that crosses context boundaries.
    pub cross_weight_share: f64,
    /// `split`, `modular-monolith` or `nothing-to-split`.
    pub verdict: String,
    /// Why, in one sentence.
    pub reason: String,
    /// With a `modular-monolith` verdict: the contexts with the cleanest seams.
    pub cleanest_seams: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct ClusterLevel {
    pub level: usize,
    pub contexts: usize,
    pub modularity: f64,
    /// Module path → community number at this level.
    pub partition: std::collections::BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, schemars::JsonSchema)]
pub struct Warning {
    /// `context-cycle`, `write-write-table`, `cross-context-transaction`, `call-chain`, `api-hotspot`.
    pub kind: String,
    pub message: String,
    pub contexts: Vec<String>,
}
