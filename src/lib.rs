//! seamline: shows where a JavaScript/TypeScript monolith should be cut into services, and in what order.
//!
//! The pipeline is a chain of stages, one module each, passing plain serde data:
//! discover → parse (facts) → resolve → graph → report. [`analyze`] runs them in order.

pub mod alloc;
pub mod boundaries;
pub mod cache;
pub mod call_graph;
pub mod check;
pub mod cli;
pub mod cluster;
pub mod config;
pub mod coupling;
pub mod data_access;
pub mod diff;
pub mod discover;
pub mod disk;
pub mod error;
pub mod facts;
pub mod git;
pub mod graph;
pub mod lang;
pub mod model;
pub mod output;
pub mod parse;
pub mod report;
pub mod resolve;
pub mod roles;
pub mod routes;
pub mod sql;

use indicatif::{ProgressBar, ProgressStyle};

pub use config::Config;
pub use error::Error;
pub use model::Analysis;

use model::{Module, Summary};

/// Runs every stage on `config.root` and returns the analysis. Problems with single files become
/// diagnostics; only unusable input (no such root, bad globs) is an error. With `config.cache_dir`, unchanged files
/// are not parsed again, and the last run's analysis is returned as it is when nothing it depends on changed.
pub fn analyze(config: &Config) -> Result<Analysis, Error> {
    // Deep syntax trees are walked with bounded recursion, but a large stack is cheap (it is only reserved) and
    // keeps a pathological file from ending the whole run.
    let mut pool = rayon::ThreadPoolBuilder::new().stack_size(64 << 20);
    if let Some(jobs) = config.jobs {
        pool = pool.num_threads(jobs.max(1));
    }
    let pool = pool.build().map_err(|e| Error::Usage(format!("--jobs: {e}")))?;
    pool.install(|| run_stages(config))
}

fn run_stages(config: &Config) -> Result<Analysis, Error> {
    let root = &config.root;
    let mut clock = StageClock::new(config.verbose);
    let found = discover::discover(root, &config.discover)?;
    clock.lap("discover");
    let Some(cache_dir) = config.cache_dir.as_deref() else {
        let progress = progress_bar(config.progress, found.files.len());
        let parsed = parse::parse_all(root, &found.files, &|| progress.inc(1));
        progress.finish_and_clear();
        clock.lap("parse + facts");
        return analyse_parsed(config, &found, parsed, &disk::Disk::new(root), &mut clock);
    };
    run_cached(config, cache_dir, found, &mut clock)
}

/// The run with a cache: the analysis of the last run when nothing it was computed from changed, otherwise every
/// stage again with the facts of unchanged files taken from the cache. Problems with the cache itself are added to
/// the returned analysis but never stored with it, so a reused analysis does not repeat an old run's problems.
fn run_cached(
    config: &Config,
    dir: &std::path::Path,
    found: discover::Discovery,
    clock: &mut StageClock,
) -> Result<Analysis, Error> {
    let root = &config.root;
    let sources = parse::read_all(root, &found.files);
    let key = cache::analysis::input_key(&config.analysis_settings(), &found, &sources);
    let label = cache_label(root, dir, cache::analysis::ANALYSIS_FILE);
    let (stored, problem) = cache::analysis::load(dir, &label, &key, root);
    let mut problems: Vec<model::Diagnostic> = problem.into_iter().collect();
    if let Some(analysis) = stored {
        clock.note("cache: analysis reused, nothing it depends on changed");
        clock.lap("cache");
        return Ok(with_diagnostics(analysis, problems));
    }

    let (facts, problem) = cache::Cache::open(dir, &cache_label(root, dir, cache::PACK_FILE));
    problems.extend(problem);
    let progress = progress_bar(config.progress, found.files.len());
    let mut parsed = parse::parse_with_cache(&found.files, sources, &facts, &|| progress.inc(1));
    progress.finish_and_clear();
    clock.note(&format!("cache: {} modules reused, {} parsed", parsed.reused, parsed.modules.len() - parsed.reused));
    let unwritable = facts.store(std::mem::take(&mut parsed.cache_entries));
    // The pack can be as large as the sources: let it go before the later stages build theirs.
    drop(facts);
    clock.lap("parse + facts");

    let disk = disk::Disk::new(root);
    let analysis = analyse_parsed(config, &found, parsed, &disk, clock)?;
    // A folder that did not take the facts will not take the analysis either: one warning is enough.
    if unwritable.is_none() {
        problems.extend(cache::analysis::store(dir, &label, &key, &disk.observations(), &analysis));
        clock.lap("cache");
    }
    problems.extend(unwritable);
    Ok(with_diagnostics(analysis, problems))
}

/// `analysis` with `extra` diagnostics among its own, in order and counted.
fn with_diagnostics(mut analysis: Analysis, extra: Vec<model::Diagnostic>) -> Analysis {
    if !extra.is_empty() {
        analysis.diagnostics.extend(extra);
        analysis.diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        analysis.diagnostics.dedup();
        analysis.summary.diagnostics = analysis.diagnostics.len();
    }
    analysis
}

/// The stages after parsing; `disk` reads (and remembers) the other files they need.
fn analyse_parsed(
    config: &Config,
    found: &discover::Discovery,
    mut parsed: parse::Parsed,
    disk: &disk::Disk,
    clock: &mut StageClock,
) -> Result<Analysis, Error> {
    let resolution = resolve::resolve(disk, &parsed.modules, &found.manifests);
    clock.lap("resolve");
    // The stages after parsing are single-threaded; those that do not need each other run side by side.
    let symbols = resolve::Symbols::new(&parsed.modules, &resolution.targets);
    let (graph, calls) = rayon::join(
        || graph::build(&parsed.modules, &resolution.targets, &symbols),
        || call_graph::build(&parsed.modules, &resolution.targets, &symbols),
    );
    let roles =
        roles::classify_all(&parsed.modules, &graph.packages_of, &resolution.entry_modules, &resolution.package_dirs);
    clock.lap("graph + call graph");

    let resolver = call_graph::Resolver { modules: &parsed.modules, targets: &resolution.targets, symbols: &symbols };
    let (data, entry_points) = rayon::join(
        || {
            data_access::analyze(&data_access::Input {
                disk,
                modules: &parsed.modules,
                targets: &resolution.targets,
                symbols: &symbols,
                calls: &calls,
                roles: &roles,
                schema_files: &found.schema_files,
                dialect: config.sql_dialect,
                transaction_depth: config.transaction_depth,
            })
        },
        || {
            let constants = data_access::constants::Constants::new(&parsed.modules, &symbols);
            routes::find(&parsed.modules, &resolver, &constants, &resolution.bins)
        },
    );
    clock.lap("data access + routes");
    let coupled = coupling::analyze(&coupling::Input {
        modules: &parsed.modules,
        roles: &roles,
        import_arcs: &graph.import_arcs,
        calls: &calls,
        dependencies: &graph.dependencies,
        module_tables: &data.module_tables,
        tables: &data.tables,
        transactions: &data.transactions,
        package_dirs: &resolution.package_dirs,
        options: &config.coupling,
    });
    clock.lap("coupling");
    let roles = roles::refine(&roles::Refinement {
        modules: &parsed.modules,
        roles: &roles,
        dependents: &coupled.metrics.iter().map(|m| m.dependents.len()).collect::<Vec<_>>(),
        module_tables: &data.module_tables,
        model_modules: &data.model_modules,
        wiring: &entry_points.wiring,
        infrastructure: &config.infrastructure,
    })?;
    let mut routes_of: Vec<Vec<model::ModuleRoute>> = vec![Vec::new(); parsed.modules.len()];
    let index: std::collections::HashMap<&str, usize> =
        parsed.modules.iter().enumerate().map(|(i, m)| (m.path.as_str(), i)).collect();
    for route in &entry_points.routes {
        if let Some(&m) = index.get(route.module.as_str()) {
            let (method, path, handler) = (route.method.clone(), route.path.clone(), route.handler.clone());
            routes_of[m].push(model::ModuleRoute { method, path, handler });
        }
    }

    let modules: Vec<Module> = parsed
        .modules
        .iter()
        .zip(&roles)
        .zip(data.module_tables)
        .zip(coupled.metrics)
        .zip(routes_of)
        .map(|((((m, role), tables), metrics), routes)| Module {
            path: m.path.clone(),
            language: m.language,
            role: *role,
            lines: m.lines,
            functions: m.facts.function_count(),
            tables,
            ca: metrics.ca,
            ce: metrics.ce,
            instability: metrics.instability,
            fan_in: metrics.fan_in,
            fan_out: metrics.fan_out,
            abstractness: metrics.abstractness,
            distance: metrics.distance,
            routes,
            context: None,
        })
        .collect();
    let mut modules = modules;
    let mut boundary_options = config.boundaries.clone();
    boundary_options.cluster_tests |= config.roles.cluster_tests;
    boundary_options.cluster_ui |= config.roles.cluster_ui;
    let proposal = boundaries::propose(&boundaries::Input {
        modules: &modules,
        coupling: &coupled.coupling,
        arcs: &coupled.arcs,
        call_sites: &coupled.call_sites,
        sites: &coupled.sites,
        routes: &entry_points.routes,
        transactions: &data.transactions,
        options: &boundary_options,
    })?;
    for (module, context) in modules.iter_mut().zip(&proposal.module_context) {
        module.context = context.clone();
    }
    let cross_context_calls = cross_context_calls(&coupled.sites, &modules);
    clock.lap("boundaries");

    let mut diagnostics = found.diagnostics.clone();
    diagnostics.extend(parsed.diagnostics);
    diagnostics.extend(parsed.modules.iter().flat_map(|m| m.facts.diagnostics.iter().cloned()));
    diagnostics.extend(resolution.diagnostics);
    diagnostics.extend(graph.diagnostics);
    diagnostics.extend(data.diagnostics);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();

    let mut skipped = found.skipped.clone();
    skipped.extend(parsed.skipped);
    skipped.sort_by(|a, b| a.path.cmp(&b.path));

    let summary = Summary {
        files: found.files.len() + found.skipped.len(),
        modules: modules.len(),
        lines: modules.iter().map(|m| m.lines).sum(),
        functions: modules.iter().map(|m| m.functions).sum(),
        external_packages: graph.external_dependencies.len(),
        diagnostics: diagnostics.len(),
        skipped: skipped.len(),
        tables: data.tables.len(),
        sql_statements: data.sql.len(),
        transactions: data.transactions.len(),
        calls: coupled.resolved_calls,
        unresolved_calls: coupled.unresolved_calls,
        routes: entry_points.routes.len(),
        cycles: coupled.cycles.len(),
    };
    // Every module's facts are millions of small allocations; freeing them one by one would hold up the report
    // (half a second on 30,000 modules), so they are freed beside it.
    let facts = std::mem::take(&mut parsed.modules);
    std::thread::spawn(move || drop(facts));
    Ok(Analysis {
        schema_version: model::SCHEMA_VERSION.to_owned(),
        tool: model::Tool { name: "seamline".to_owned(), version: env!("CARGO_PKG_VERSION").to_owned() },
        root: config.root_label.clone(),
        summary,
        modules,
        dependencies: graph.dependencies,
        external_dependencies: graph.external_dependencies,
        tables: data.tables,
        sql: data.sql,
        transactions: data.transactions,
        routes: entry_points.routes,
        calls: coupled.calls,
        cycles: coupled.cycles,
        cross_context_calls,
        coupling: coupled.coupling,
        directories: coupled.directories,
        contexts: proposal.contexts,
        extraction_order: proposal.extraction_order,
        quality: proposal.quality,
        levels: proposal.levels,
        warnings: proposal.warnings,
        skipped,
        diagnostics,
        meta: None,
    })
}

/// Call sites between modules of two different contexts, sorted by caller path, line and callee.
fn cross_context_calls(sites: &[coupling::CallSite], modules: &[Module]) -> Vec<model::CallSiteRef> {
    let mut calls: Vec<(&str, usize, model::CallSiteRef)> = sites
        .iter()
        .filter(|s| {
            let (a, b) = (&modules[s.from_module].context, &modules[s.to_module].context);
            a.is_some() && b.is_some() && a != b
        })
        .map(|s| {
            let from = &modules[s.from_module].path;
            let to = format!("{}#{}", modules[s.to_module].path, s.to_function);
            (
                from.as_str(),
                s.line,
                model::CallSiteRef { from: format!("{from}#{}", s.from_function), to, line: s.line },
            )
        })
        .collect();
    calls.sort();
    calls.dedup();
    calls.into_iter().map(|(_, _, call)| call).collect()
}

/// Prints how long each stage took, on stderr, when asked to (`--verbose`).
struct StageClock {
    enabled: bool,
    last: std::time::Instant,
}

impl StageClock {
    fn new(enabled: bool) -> Self {
        Self { enabled, last: std::time::Instant::now() }
    }

    /// A line of its own among the stage timings.
    fn note(&self, message: &str) {
        if self.enabled {
            eprintln!("seamline: {message}");
        }
    }

    fn lap(&mut self, stage: &str) {
        if self.enabled {
            eprintln!("seamline: {stage}: {:.2?}", self.last.elapsed());
        }
        self.last = std::time::Instant::now();
    }
}

/// How the report names a cache file: relative to the root when the cache lives under it, as given otherwise.
fn cache_label(root: &std::path::Path, dir: &std::path::Path, file: &str) -> String {
    let pack = dir.join(file);
    let relative = pack.strip_prefix(root).unwrap_or(&pack);
    relative.to_string_lossy().replace('\\', "/")
}

/// A progress bar on stderr, or a hidden one when `visible` is false (not a terminal, or `--quiet`).
fn progress_bar(visible: bool, len: usize) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) = ProgressStyle::with_template("{spinner} parsing {pos}/{len} files {wide_bar} {eta}") {
        bar.set_style(style);
    }
    bar
}
