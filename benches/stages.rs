//! Criterion benchmarks of each pipeline stage and of the whole analysis, on generated monoliths.
//!
//! `cargo bench --bench stages` runs the 1,000-module monolith; `SEAMLINE_BENCH_MODULES=1000,10000,50000` picks
//! the sizes. The monoliths come from the planted-domain generator (`tests/support/synth.rs`, 50 modules per
//! domain, 10 % cross-domain calls, JavaScript, seed 1) and are written once to `target/bench-data/synth-N/`.
//!
//! Each stage is timed alone on the real output of the stages before it, prepared once outside the timing; the
//! wiring repeats `seamline::analyze` (src/lib.rs), so a new stage input there needs the same change here.

#[path = "../tests/support/synth.rs"]
mod synth;

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use seamline::report::{Format, RenderOptions};
use seamline::{Config, boundaries, call_graph, coupling, data_access, discover, graph, parse, resolve, roles, routes};

fn sizes() -> Vec<usize> {
    let spec = std::env::var("SEAMLINE_BENCH_MODULES").unwrap_or_else(|_| "1000".to_owned());
    spec.split(',').map(|s| s.trim().parse().expect("SEAMLINE_BENCH_MODULES: comma-separated module counts")).collect()
}

/// The monolith of about `modules` modules, generated on first use.
fn monolith(modules: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-data/synth-{modules}"));
    let options = synth::SynthOptions {
        domains: (modules / 50).max(1),
        modules_per_domain: 50,
        cross_rate: 0.1,
        typescript: false,
        seed: 1,
    };
    if !dir.join("planted.json").is_file() {
        synth::generate(&dir, &options).expect("the bench monolith can be written");
    }
    dir
}

fn stages(c: &mut Criterion) {
    for modules in sizes() {
        let root = monolith(modules);
        let mut config = Config::load(root.clone(), "monolith".to_owned(), None).expect("default config");
        config.cache_dir = None;
        let mut group = c.benchmark_group("stages");
        group.sample_size(10).sampling_mode(SamplingMode::Flat).warm_up_time(Duration::from_millis(500));
        group.measurement_time(Duration::from_secs(if modules >= 10_000 { 20 } else { 5 }));
        let id = |stage: &str| BenchmarkId::new(stage, modules);

        group.bench_function(id("discover"), |b| b.iter(|| discover::discover(&root, &config.discover).unwrap()));
        let found = discover::discover(&root, &config.discover).unwrap();

        group.bench_function(id("parse+facts"), |b| b.iter(|| parse::parse_all(&root, &found.files, &|| {})));
        let parsed = parse::parse_all(&root, &found.files, &|| {});
        let modules_facts = &parsed.modules;

        let disk = seamline::disk::Disk::new(&root);
        group.bench_function(id("resolve"), |b| b.iter(|| resolve::resolve(&disk, modules_facts, &found.manifests)));
        let resolution = resolve::resolve(&disk, modules_facts, &found.manifests);

        group.bench_function(id("graph"), |b| {
            b.iter(|| {
                let symbols = resolve::Symbols::new(modules_facts, &resolution.targets);
                let graph = graph::build(modules_facts, &resolution.targets, &symbols);
                let calls = call_graph::build(modules_facts, &resolution.targets, &symbols);
                (graph, calls)
            })
        });
        let symbols = resolve::Symbols::new(modules_facts, &resolution.targets);
        let graph = graph::build(modules_facts, &resolution.targets, &symbols);
        let calls = call_graph::build(modules_facts, &resolution.targets, &symbols);
        let roles =
            roles::classify_all(modules_facts, &graph.packages_of, &resolution.entry_modules, &resolution.package_dirs);

        let data_input = data_access::Input {
            disk: &disk,
            modules: modules_facts,
            targets: &resolution.targets,
            symbols: &symbols,
            calls: &calls,
            roles: &roles,
            schema_files: &found.schema_files,
            dialect: config.sql_dialect,
            transaction_depth: config.transaction_depth,
        };
        group.bench_function(id("sql+data-access"), |b| b.iter(|| data_access::analyze(&data_input)));
        let data = data_access::analyze(&data_input);

        let coupling_input = coupling::Input {
            modules: modules_facts,
            roles: &roles,
            import_arcs: &graph.import_arcs,
            calls: &calls,
            dependencies: &graph.dependencies,
            module_tables: &data.module_tables,
            tables: &data.tables,
            transactions: &data.transactions,
            package_dirs: &resolution.package_dirs,
            options: &config.coupling,
        };
        group.bench_function(id("coupling"), |b| b.iter(|| coupling::analyze(&coupling_input)));
        let coupled = coupling::analyze(&coupling_input);

        // Clustering and the extraction plan need the finished modules (roles refined, routes attached): take them
        // from a whole analysis, which the report stages need anyway.
        let analysis = seamline::analyze(&config).unwrap();
        let resolver = call_graph::Resolver { modules: modules_facts, targets: &resolution.targets, symbols: &symbols };
        let constants = data_access::constants::Constants::new(modules_facts, &symbols);
        let entry_points = routes::find(modules_facts, &resolver, &constants, &resolution.bins);
        let cluster_input = boundaries::Input {
            modules: &analysis.modules,
            coupling: &coupled.coupling,
            arcs: &coupled.arcs,
            call_sites: &coupled.call_sites,
            sites: &coupled.sites,
            routes: &entry_points.routes,
            transactions: &data.transactions,
            options: &config.boundaries,
        };
        group.bench_function(id("cluster+plan"), |b| b.iter(|| boundaries::propose(&cluster_input).unwrap()));

        let options = RenderOptions { c4: false };
        group.bench_function(id("report-json"), |b| {
            b.iter(|| seamline::report::render(&analysis, Format::Json, options).unwrap())
        });
        group.bench_function(id("report-html"), |b| {
            b.iter(|| seamline::report::render(&analysis, Format::Html, options).unwrap())
        });
        group.bench_function(id("end-to-end"), |b| {
            b.iter(|| {
                let analysis = seamline::analyze(&config).unwrap();
                let json = seamline::report::render(&analysis, Format::Json, options).unwrap();
                let html = seamline::report::render(&analysis, Format::Html, options).unwrap();
                (json.len(), html.len())
            })
        });
        group.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
