//! The command line: clap arguments → `Config`, then analysis, rendering and writing. Returns the exit code.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

use crate::config::Config;
use crate::error::{EXIT_OK, EXIT_USAGE, Error};
use crate::output::write_atomically;
use crate::report;

const EXIT_CODES: &str = "Exit codes:\n  0  the analysis ran\n  1  a check failed\n  2  unusable input or arguments (missing path, unknown format, unreadable config)\n  3  the report was written but is incomplete: some source files could not be read (see the error-level diagnostics)";

/// Shows where a JavaScript/TypeScript monolith should be cut into services, and in what order.
#[derive(Debug, Parser)]
#[command(name = "seamline", version, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once per process: boxing the large variant would only add an indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
enum Command {
    /// Analyse a repository and write a report (JSON by default) to stdout or --output.
    #[command(after_help = EXIT_CODES)]
    Analyze(AnalyzeArgs),
    /// Write a commented starter seamline.toml from the current proposal, ready for a domain expert to edit.
    Init(InitArgs),
    /// Cluster any weighted graph given as JSON ({"nodes": [...], "edges": [[a, b, w], ...]}) and print the partition
    /// ({node: community}) with its modularity and every level of the hierarchy.
    Cluster(ClusterArgs),
    /// Show which tables SQL statements read and write: reads a JSON array of {"id", "sql", "dialect"?}
    /// and prints {"id", "kind", "reads", "writes", "schema", "approximate", "dynamic_tables"} for each.
    Sql(SqlArgs),
    /// Compare coupling between two git revisions or two saved JSON reports: deltas per module, folder and context,
    /// new and removed cross-context dependencies, cycles, shared tables and transactions, moved modules, and how
    /// stable the proposal is. Revisions are read from git objects; nothing is checked out.
    Diff(DiffArgs),
    /// Evaluate the [[rules]] of seamline.toml; exit code 1 when an error-severity rule has a violation that the
    /// baseline does not list.
    #[command(after_help = EXIT_CODES)]
    Check(CheckArgs),
    /// Record the current violations of the rules in a baseline file, so that `check --baseline` fails only on new
    /// ones.
    Baseline(BaselineArgs),
}

#[derive(Debug, Args)]
struct DiffArgs {
    /// OLD and NEW: each a report JSON file or a git revision; `OLD..NEW` as one argument also works.
    #[arg(value_name = "OLD NEW", num_args = 0..=2)]
    sides: Vec<String>,
    /// A git revision; give it twice, old then new (`--rev main --rev HEAD`).
    #[arg(long = "rev", value_name = "REV")]
    revs: Vec<String>,
    /// The folder to analyse at each revision, inside the repository.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// text, json or md.
    #[arg(long, default_value = "text")]
    format: String,
    /// Write the diff to this file (atomically) instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
    #[command(flatten)]
    analysis: AnalysisArgs,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// The repository root to analyse.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Check this saved JSON report instead of analysing PATH (the rules still come from the config).
    #[arg(long)]
    report: Option<PathBuf>,
    /// Known violations (written by `seamline baseline`): reported, but never a failure.
    #[arg(long)]
    baseline: Option<PathBuf>,
    /// text, json or sarif.
    #[arg(long, default_value = "text")]
    format: String,
    /// Write the result to this file (atomically) instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
    #[command(flatten)]
    analysis: AnalysisArgs,
}

#[derive(Debug, Args)]
struct BaselineArgs {
    /// The repository root to analyse.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Use this saved JSON report instead of analysing PATH.
    #[arg(long)]
    report: Option<PathBuf>,
    /// Where to write the baseline (default: seamline-baseline.json in the root).
    #[arg(long, short)]
    output: Option<PathBuf>,
    #[command(flatten)]
    analysis: AnalysisArgs,
}

#[derive(Debug, Args)]
struct InitArgs {
    /// The repository root.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Where to write the config (default: seamline.toml in the root).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Replace an existing config file.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
struct ClusterArgs {
    /// The graph file; `-` reads stdin.
    #[arg(long)]
    graph: PathBuf,
    /// Resolution: above 1 gives more, smaller communities; below 1 fewer, larger ones.
    #[arg(long, default_value_t = 1.0)]
    resolution: f64,
    /// Seed of the node visiting order: the same seed always gives the same partition.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[derive(Debug, Args)]
struct SqlArgs {
    /// JSON file with the statements; `-` reads stdin.
    #[arg(long)]
    input: PathBuf,
    /// Dialect for statements that name none.
    #[arg(long, default_value = "postgres")]
    sql_dialect: crate::sql::SqlDialect,
}

#[derive(Debug, Args)]
struct AnalyzeArgs {
    /// The repository root to analyse.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Report formats, comma-separated: json, html, md, mermaid, dot. Several need --output-dir.
    #[arg(long, default_value = "json")]
    format: String,
    /// Write the report to this file (atomically) instead of stdout.
    #[arg(long, short, conflicts_with = "output_dir")]
    output: Option<PathBuf>,
    /// Write one report per format into this folder (`report.json`, `report.html`, `report.md`…), each atomically.
    #[arg(long)]
    output_dir: Option<PathBuf>,
    /// Mermaid output as a C4 container diagram of the target architecture.
    #[arg(long)]
    c4: bool,
    /// Add a `meta` object (absolute root, seamline version, time of the run); off by default so reports stay
    /// byte-identical.
    #[arg(long)]
    meta: bool,
    #[command(flatten)]
    analysis: AnalysisArgs,
}

/// How to analyse: the options `analyze`, `check`, `baseline` and `diff` share.
#[derive(Debug, Clone, Args)]
struct AnalysisArgs {
    /// Config file; defaults to seamline.toml in the root when it exists.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Worker threads (default: one per core). The report is the same whatever the number.
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Only analyse files matching this root-relative glob (repeatable).
    #[arg(long = "include", value_name = "GLOB")]
    include: Vec<String>,
    /// Leave out files matching this root-relative glob (repeatable).
    #[arg(long = "exclude", value_name = "GLOB")]
    exclude: Vec<String>,
    /// Dialect of embedded SQL: postgres (default), mysql, sqlite, mssql or generic.
    #[arg(long)]
    sql_dialect: Option<crate::sql::SqlDialect>,
    /// How deep calls made inside a transaction are followed for its tables (default 4).
    #[arg(long, value_name = "N")]
    transaction_depth: Option<usize>,
    /// Clustering resolution: above 1 proposes more, smaller contexts; below 1 fewer, larger ones.
    #[arg(long)]
    resolution: Option<f64>,
    /// Clustering seed: the same seed always gives the same proposal.
    #[arg(long)]
    seed: Option<u64>,
    /// Unit of the `directories` roll-up: file (none), dir (folders, the default) or package.
    #[arg(long, value_enum)]
    granularity: Option<crate::coupling::Granularity>,
    /// Folder depth of the `dir` roll-up (default 2).
    #[arg(long, value_name = "N")]
    depth: Option<usize>,
    /// Extra detail: `calls` keeps every function-level call edge even above the size limit.
    #[arg(long, value_name = "WHAT", value_parser = ["calls"])]
    detail: Vec<String>,
    /// Keep test modules in clustering.
    #[arg(long)]
    cluster_tests: bool,
    /// Keep UI modules in clustering.
    #[arg(long)]
    cluster_ui: bool,
    /// Folder of the incremental cache (default: .seamline-cache under the analysed root). Unchanged files are
    /// not parsed again; the report is the same with or without it.
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Parse every file; neither read nor write the cache.
    #[arg(long, conflicts_with = "cache_dir")]
    no_cache: bool,
    /// No progress bar and no summary line on stderr.
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// Stage timings on stderr.
    #[arg(long, short)]
    verbose: bool,
}

/// Parses the arguments and runs the command; returns the process exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            // One clear line: clap's first line without its usage block.
            let rendered = e.to_string();
            let first = rendered.lines().next().unwrap_or_default().trim_start_matches("error: ");
            eprintln!("seamline: {first}");
            return EXIT_USAGE;
        }
        Err(e) => {
            let _ = e.print();
            return EXIT_OK;
        }
    };
    match execute(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("seamline: {e}");
            e.exit_code()
        }
    }
}

fn execute(cli: Cli) -> Result<i32, Error> {
    match cli.command {
        Command::Analyze(args) => analyze(args),
        Command::Sql(args) => sql_tables(args),
        Command::Cluster(args) => cluster_graph(args),
        Command::Init(args) => init(args),
        Command::Diff(args) => diff(args),
        Command::Check(args) => check(args),
        Command::Baseline(args) => baseline(args),
    }
}

/// Writes `text` to `output` atomically, or to stdout. A closed pipe (`seamline analyze | head`) is the reader's
/// choice, not an error.
fn emit(text: &str, output: Option<&std::path::Path>) -> Result<(), Error> {
    emit_with(output, |out| out.write_all(text.as_bytes()))
}

/// Like `emit`, for content written piece by piece (a streamed report).
fn emit_with(
    output: Option<&std::path::Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    match output {
        Some(path) => crate::output::write_atomically_with(path, write),
        None => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            match write(&mut stdout).and_then(|()| stdout.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(Error::Write { path: "<stdout>".into(), source: e })
                }
                _ => Ok(()),
            }
        }
    }
}

fn read_report(path: &std::path::Path) -> Result<crate::Analysis, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
    let analysis: crate::Analysis = serde_json::from_str(&text)
        .map_err(|e| Error::Usage(format!("{}: not a seamline JSON report ({e})", path.display())))?;
    if analysis.schema_version != crate::model::SCHEMA_VERSION {
        return Err(Error::Usage(format!(
            "{}: report schema {} is not {}",
            path.display(),
            analysis.schema_version,
            crate::model::SCHEMA_VERSION
        )));
    }
    Ok(analysis)
}

/// One side of a diff: a saved report, or a git revision analysed from its objects.
fn diff_side(side: &str, force_revision: bool, args: &DiffArgs) -> Result<(crate::Analysis, crate::diff::Side), Error> {
    let as_file = std::path::Path::new(side);
    if !force_revision && as_file.is_file() {
        let analysis = read_report(as_file)?;
        let summary = crate::diff::side(&analysis, side.to_owned(), None);
        return Ok((analysis, summary));
    }
    let tree = crate::git::export(&args.root, side)?;
    // Both revisions are read with today's config (pins, renames), so that context names stay comparable; a
    // revision's own seamline.toml is used only when the work tree has none.
    let mut options = args.analysis.clone();
    if options.config.is_none() {
        let current = args.root.join(crate::config::CONFIG_FILE);
        options.config = current.is_file().then_some(current);
    }
    let mut config = load_config(tree.root(), crate::config::root_label(&args.root), &options)?;
    // `diff --rev` never writes into the repository: a cache is used only where `--cache-dir` puts it.
    config.cache_dir = options.cache_dir.clone().filter(|_| !options.no_cache);
    let analysis = crate::analyze(&config)?;
    let summary = crate::diff::side(&analysis, side.to_owned(), Some(tree.commit.clone()));
    Ok((analysis, summary))
}

fn diff(args: DiffArgs) -> Result<i32, Error> {
    let format = args.format.as_str();
    if !matches!(format, "text" | "json" | "md") {
        return Err(Error::Usage(format!("--format {format}: expected text, json or md")));
    }
    let (old, new, revisions) = match (args.sides.as_slice(), args.revs.as_slice()) {
        ([], [old, new]) => (old.clone(), new.clone(), true),
        ([range], []) if range.contains("..") && !std::path::Path::new(range).is_file() => {
            let (old, new) = range.split_once("..").unwrap_or_default();
            let new = new.trim_start_matches('.');
            if old.is_empty() || new.is_empty() {
                return Err(Error::Usage(format!("{range}: expected OLD..NEW")));
            }
            (old.to_owned(), new.to_owned(), true)
        }
        ([old, new], []) => (old.clone(), new.clone(), false),
        _ => {
            return Err(Error::Usage(
                "diff needs OLD and NEW: two reports or revisions, OLD..NEW, or --rev twice".into(),
            ));
        }
    };
    let (old_analysis, old_side) = diff_side(&old, revisions, &args)?;
    let (new_analysis, new_side) = diff_side(&new, revisions, &args)?;
    let diff = crate::diff::diff(&old_analysis, &new_analysis, (old_side, new_side));
    let text = match format {
        "json" => report::pretty_json(&diff)?,
        "md" => crate::diff::render::markdown(&diff),
        _ => crate::diff::render::text(&diff),
    };
    emit(&text, args.output.as_deref())?;
    Ok(EXIT_OK)
}

/// The analysis a check or baseline works on, and the config that holds the rules.
fn checked_analysis(
    path: &std::path::Path,
    report: Option<&std::path::Path>,
    args: &AnalysisArgs,
) -> Result<(crate::Analysis, Config), Error> {
    let config = load_config(path, crate::config::root_label(path), args)?;
    if config.rules.is_empty() {
        let file = config.file.as_ref().map_or("seamline.toml".to_owned(), |f| f.display().to_string());
        return Err(Error::Usage(format!("{file}: no [[rules]] to check (see the README's CI section)")));
    }
    let analysis = match report {
        Some(report) => read_report(report)?,
        None => crate::analyze(&config)?,
    };
    Ok((analysis, config))
}

fn check(args: CheckArgs) -> Result<i32, Error> {
    let format = args.format.as_str();
    if !matches!(format, "text" | "json" | "sarif") {
        return Err(Error::Usage(format!("--format {format}: expected text, json or sarif")));
    }
    let baseline = match &args.baseline {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Error::Usage(format!("--baseline {}: {e}", path.display())))?;
            Some(
                crate::check::Baseline::parse(&text)
                    .map_err(|e| Error::Usage(format!("--baseline {}: {e}", path.display())))?,
            )
        }
        None => None,
    };
    let (analysis, config) = checked_analysis(&args.path, args.report.as_deref(), &args.analysis)?;
    let result = crate::check::check(&config.rules, &analysis, baseline.as_ref()).map_err(Error::Usage)?;
    let text = match format {
        "json" => report::pretty_json(&result)?,
        "sarif" => {
            let config_file = config
                .file
                .as_ref()
                .map(|f| f.strip_prefix(&args.path).unwrap_or(f).to_string_lossy().replace('\\', "/"));
            crate::check::sarif::render(&result, config_file.as_deref())
        }
        _ => crate::check::text(&result),
    };
    emit(&text, args.output.as_deref())?;
    if format != "text" && !args.analysis.quiet {
        eprint!("{}", crate::check::text(&result).lines().last().map(|l| format!("{l}\n")).unwrap_or_default());
    }
    Ok(if result.failed { crate::error::EXIT_CHECK_FAILED } else { EXIT_OK })
}

fn baseline(args: BaselineArgs) -> Result<i32, Error> {
    let (analysis, config) = checked_analysis(&args.path, args.report.as_deref(), &args.analysis)?;
    let result = crate::check::check(&config.rules, &analysis, None).map_err(Error::Usage)?;
    let baseline = crate::check::Baseline::of(&result.violations);
    let target = args.output.clone().unwrap_or_else(|| args.path.join("seamline-baseline.json"));
    write_atomically(&target, &baseline.to_json())?;
    if !args.analysis.quiet {
        eprintln!("seamline: wrote {} ({} known violations)", target.display(), baseline.violations.len());
    }
    Ok(EXIT_OK)
}

fn init(args: InitArgs) -> Result<i32, Error> {
    if !args.path.is_dir() {
        return Err(Error::Usage(format!("{}: no such directory", args.path.display())));
    }
    let target = args.output.clone().unwrap_or_else(|| args.path.join(crate::config::CONFIG_FILE));
    if target.exists() && !args.force {
        return Err(Error::Usage(format!("{} exists; pass --force to replace it", target.display())));
    }
    let config = Config::load(args.path.clone(), crate::config::root_label(&args.path), None)?;
    let analysis = crate::analyze(&config)?;
    write_atomically(&target, &crate::report::starter_config(&analysis, &config))?;
    eprintln!("seamline: wrote {} ({} proposed contexts)", target.display(), analysis.contexts.len());
    Ok(EXIT_OK)
}

fn cluster_graph(args: ClusterArgs) -> Result<i32, Error> {
    if !(args.resolution.is_finite() && args.resolution > 0.0) {
        return Err(Error::Usage(format!("--resolution {}: expected a positive number", args.resolution)));
    }
    let text = if args.graph.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin()).map_err(|e| Error::Usage(format!("stdin: {e}")))?
    } else {
        std::fs::read_to_string(&args.graph).map_err(|e| Error::Usage(format!("{}: {e}", args.graph.display())))?
    };
    let file: crate::cluster::GraphFile = serde_json::from_str(&text)
        .map_err(|e| Error::Usage(format!("{}: not a graph file ({e})", args.graph.display())))?;
    let output = crate::cluster::cluster_file(&file, args.resolution, args.seed)
        .map_err(|e| Error::Usage(format!("{}: {e}", args.graph.display())))?;
    emit(&report::pretty_json(&output)?, None)?;
    Ok(EXIT_OK)
}

fn sql_tables(args: SqlArgs) -> Result<i32, Error> {
    #[derive(serde::Deserialize)]
    struct Input {
        id: serde_json::Value,
        sql: String,
        dialect: Option<String>,
    }
    let text = if args.input.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin()).map_err(|e| Error::Usage(format!("stdin: {e}")))?
    } else {
        std::fs::read_to_string(&args.input).map_err(|e| Error::Usage(format!("{}: {e}", args.input.display())))?
    };
    let inputs: Vec<Input> =
        serde_json::from_str(&text).map_err(|e| Error::Usage(format!("{}: {e}", args.input.display())))?;
    let mut results = Vec::with_capacity(inputs.len());
    for input in inputs {
        let dialect = match &input.dialect {
            Some(d) => d.parse()?,
            None => args.sql_dialect,
        };
        let t = crate::sql::analyze(&input.sql, dialect);
        results.push(serde_json::json!({
            "id": input.id, "kind": t.kind, "reads": t.reads, "writes": t.writes, "schema": t.schema,
            "approximate": t.approximate, "dynamic_tables": t.dynamic_tables,
        }));
    }
    emit(&report::pretty_json(&results)?, None)?;
    Ok(EXIT_OK)
}

/// The config for analysing `path` with these options: the config file (`--config`, else `path/seamline.toml`),
/// then the command-line options over it. `label` names the root in reports.
/// The cache folder for an analysis of `root`: `--cache-dir`, none with `--no-cache`, else `.seamline-cache`
/// under the root.
fn cache_dir(root: &std::path::Path, args: &AnalysisArgs) -> Option<PathBuf> {
    if args.no_cache {
        return None;
    }
    Some(args.cache_dir.clone().unwrap_or_else(|| root.join(crate::cache::DEFAULT_DIR)))
}

fn load_config(path: &std::path::Path, label: String, args: &AnalysisArgs) -> Result<Config, Error> {
    if path.is_file() {
        return Err(Error::Usage(format!("{}: is a file, not a directory", path.display())));
    }
    if !path.is_dir() {
        return Err(Error::Usage(format!("{}: no such directory", path.display())));
    }
    if let Some(config) = &args.config
        && !config.is_file()
    {
        return Err(Error::Usage(format!("--config {}: no such file", config.display())));
    }
    let mut config = Config::load(path.to_path_buf(), label, args.config.as_deref())?;
    if !args.include.is_empty() {
        config.discover.include = args.include.clone();
    }
    if !args.exclude.is_empty() {
        config.discover.exclude.extend(args.exclude.iter().cloned());
    }
    config.roles.cluster_tests |= args.cluster_tests;
    config.roles.cluster_ui |= args.cluster_ui;
    config.jobs = args.jobs;
    if let Some(dialect) = args.sql_dialect {
        config.sql_dialect = dialect;
    }
    if let Some(depth) = args.transaction_depth {
        config.transaction_depth = depth;
    }
    if let Some(granularity) = args.granularity {
        config.coupling.granularity = granularity;
    }
    if let Some(depth) = args.depth {
        if depth == 0 {
            return Err(Error::Usage("--depth must be at least 1".to_owned()));
        }
        config.coupling.depth = depth;
    }
    config.coupling.detail_calls |= args.detail.iter().any(|d| d == "calls");
    if let Some(resolution) = args.resolution {
        if !(resolution.is_finite() && resolution > 0.0) {
            return Err(Error::Usage(format!("--resolution {resolution}: expected a positive number")));
        }
        config.boundaries.resolution = resolution;
    }
    if let Some(seed) = args.seed {
        config.boundaries.seed = seed;
    }
    config.progress = !args.quiet && std::io::stderr().is_terminal();
    config.verbose = args.verbose;
    config.cache_dir = cache_dir(path, args);
    Ok(config)
}

fn analyze(args: AnalyzeArgs) -> Result<i32, Error> {
    let config = load_config(&args.path, crate::config::root_label(&args.path), &args.analysis)?;
    let formats = report::parse_formats(&args.format)?;
    if formats.len() > 1 && args.output_dir.is_none() {
        return Err(Error::Usage("several formats need --output-dir".to_owned()));
    }
    let started = Instant::now();
    let mut analysis = crate::analyze(&config)?;
    if args.meta {
        let root = std::fs::canonicalize(&config.root).unwrap_or_else(|_| config.root.clone());
        let seconds =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        analysis.meta =
            Some(crate::model::Meta { absolute_root: root.to_string_lossy().into_owned(), unix_time: seconds });
    }
    let options = report::RenderOptions { c4: args.c4 };
    let writing = Instant::now();
    if let Some(dir) = &args.output_dir {
        // One thread per format: the JSON of a large monolith streams while the HTML renders.
        let analysis = &analysis;
        let written: Vec<Result<(), Error>> = std::thread::scope(|scope| {
            let writers: Vec<_> = formats
                .iter()
                .map(|format| {
                    let path = dir.join(format!("report.{}", format.extension()));
                    scope.spawn(move || {
                        crate::output::write_atomically_with(&path, |out| {
                            report::write(analysis, *format, options, out)
                        })
                    })
                })
                .collect();
            writers.into_iter().map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
        });
        written.into_iter().collect::<Result<(), Error>>()?;
    } else {
        emit_with(args.output.as_deref(), |out| report::write(&analysis, formats[0], options, out))?;
    }
    if args.analysis.verbose {
        eprintln!("seamline: reports: {:.2?}", writing.elapsed());
    }
    if !args.analysis.quiet {
        let s = &analysis.summary;
        eprintln!(
            "seamline: {} modules, {} dependencies, {} diagnostics{}",
            s.modules,
            analysis.dependencies.len(),
            s.diagnostics,
            if args.analysis.verbose { format!(" in {:.2?}", started.elapsed()) } else { String::new() }
        );
    }
    // CI can tell a complete report from one that left files out without parsing it.
    let incomplete = analysis.diagnostics.iter().any(|d| d.level == crate::model::Level::Error);
    // The process ends right after this: freeing the report's millions of small allocations one by one would
    // only delay the exit, so a thread of its own does it while the process winds up.
    std::thread::spawn(move || drop(analysis));
    Ok(if incomplete { crate::error::EXIT_INCOMPLETE } else { EXIT_OK })
}
