//! The command line: clap arguments → `Config`, then analysis, rendering and writing. Returns the exit code.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

use crate::config::Config;
use crate::error::{EXIT_OK, EXIT_USAGE, Error};
use crate::output::write_atomically;
use crate::report;

const EXIT_CODES: &str = "Exit codes:\n  0  the analysis ran\n  1  a check failed\n  2  unusable input or arguments (missing path, unknown format, unreadable config)";

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
    }
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
    let mut json = serde_json::to_string_pretty(&output).map_err(|e| Error::Render(e.to_string()))?;
    json.push('\n');
    std::io::stdout()
        .lock()
        .write_all(json.as_bytes())
        .map_err(|e| Error::Write { path: "<stdout>".into(), source: e })?;
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
    let mut out = serde_json::to_string_pretty(&results).map_err(|e| Error::Render(e.to_string()))?;
    out.push('\n');
    std::io::stdout()
        .lock()
        .write_all(out.as_bytes())
        .map_err(|e| Error::Write { path: "<stdout>".into(), source: e })?;
    Ok(EXIT_OK)
}

fn analyze(args: AnalyzeArgs) -> Result<i32, Error> {
    if !args.path.is_dir() {
        return Err(Error::Usage(format!("{}: no such directory", args.path.display())));
    }
    if let Some(config) = &args.config
        && !config.is_file()
    {
        return Err(Error::Usage(format!("--config {}: no such file", config.display())));
    }
    let label = crate::config::root_label(&args.path);
    let mut config = Config::load(args.path.clone(), label, args.config.as_deref())?;
    if !args.include.is_empty() {
        config.discover.include = args.include;
    }
    if !args.exclude.is_empty() {
        config.discover.exclude.extend(args.exclude);
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
    if let Some(dir) = &args.output_dir {
        for format in &formats {
            let rendered = report::render(&analysis, *format, options)?;
            write_atomically(&dir.join(format!("report.{}", format.extension())), &rendered)?;
        }
    } else {
        let rendered = report::render(&analysis, formats[0], options)?;
        match &args.output {
            Some(path) => write_atomically(path, &rendered)?,
            None => {
                let mut stdout = std::io::stdout().lock();
                // A closed pipe (`seamline analyze | head`) is the reader's choice, not an error.
                if let Err(e) = stdout.write_all(rendered.as_bytes()).and_then(|()| stdout.flush())
                    && e.kind() != std::io::ErrorKind::BrokenPipe
                {
                    return Err(Error::Write { path: "<stdout>".into(), source: e });
                }
            }
        }
    }
    if !args.quiet {
        let s = &analysis.summary;
        eprintln!(
            "seamline: {} modules, {} dependencies, {} diagnostics{}",
            s.modules,
            analysis.dependencies.len(),
            s.diagnostics,
            if args.verbose { format!(" in {:.2?}", started.elapsed()) } else { String::new() }
        );
    }
    Ok(EXIT_OK)
}
