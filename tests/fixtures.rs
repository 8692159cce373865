//! Every fixture's module edges, roles, external packages and diagnostics equal its hand-written `expected.json`.
//!
//! The expected files are derived from `docs/module-graph-rules.md`, not from seamline's output.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The parts of the report that `expected.json` pins down.
fn project(analysis: &seamline::Analysis, with_skipped: bool) -> Value {
    let report = serde_json::to_value(analysis).unwrap();
    let pick = |list: &str, keys: &[&str]| -> Value {
        report[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| keys.iter().map(|k| ((*k).to_owned(), item[*k].clone())).collect::<serde_json::Map<_, _>>())
            .map(Value::Object)
            .collect()
    };
    let mut projected = json!({
        "modules": pick("modules", &["path", "role"]),
        "dependencies": pick("dependencies", &["from", "to", "kinds", "defined_in"]),
        "external_dependencies": pick("external_dependencies", &["package", "count"]),
        "diagnostics": pick("diagnostics", &["code", "path", "line"]),
    });
    if with_skipped {
        projected["skipped"] = pick("skipped", &["path", "reason"]);
    }
    // Data access: modules touching a table, the table list, SQL statements, transactions.
    projected["module_tables"] = report["modules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| ["reads", "writes", "schema"].iter().any(|k| !m["tables"][k].as_array().unwrap().is_empty()))
        .map(|m| {
            let t = &m["tables"];
            json!({"path": m["path"], "reads": t["reads"], "writes": t["writes"], "schema": t["schema"]})
        })
        .collect();
    projected["tables"] = pick("tables", &["name", "readers", "writers", "defined_in", "foreign_keys"]);
    projected["sql"] = pick("sql", &["path", "line", "kind", "reads", "writes", "approximate", "dynamic_tables"]);
    projected["transactions"] =
        pick("transactions", &["path", "function", "line", "tables", "direct_tables", "modules"]);
    // Coupling: entry points, calls, metrics, cycles, directories, shared data, the combined graph.
    projected["routes"] = pick("routes", &["method", "path", "handler", "module"]);
    projected["calls"] = pick("calls", &["from", "to", "count"]);
    projected["summary_calls"] =
        json!({"calls": report["summary"]["calls"], "unresolved_calls": report["summary"]["unresolved_calls"]});
    projected["module_metrics"] =
        pick("modules", &["path", "ca", "ce", "instability", "fan_in", "fan_out", "abstractness", "distance"]);
    projected["cycles"] = report["cycles"].clone();
    projected["cycle_edges"] = report["coupling"]["cycle_edges"].clone();
    projected["directories"] = pick("directories", &["path", "modules", "ca", "ce", "instability"]);
    projected["shared_tables"] = report["coupling"]["shared_tables"].clone();
    projected["shared_transactions"] = report["coupling"]["shared_transactions"].clone();
    projected["coupling_edges"] = report["coupling"]["edges"].clone();
    // The proposal, as reviewed: contexts, the extraction order, the verdict and the warnings.
    projected["proposal"] = json!({
        "contexts": pick("contexts", &["name", "modules", "tables_owned", "tables_read", "tables_contested", "pinned"]),
        "extraction_order": pick("extraction_order", &["step", "context", "terms", "tables_to_move", "transactions_to_break"]),
        "verdict": report["quality"]["verdict"],
        "cleanest_seams": report["quality"]["cleanest_seams"],
        "warnings": pick("warnings", &["kind", "contexts"]),
        "left_out": report["modules"].as_array().unwrap().iter().filter(|m| m["context"].is_null()).map(|m| m["path"].clone()).collect::<Vec<_>>(),
    });
    projected
}

/// Entries missing from and unexpected in each section, one per line.
fn differences(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (section, want) in expected.as_object().unwrap() {
        // A snapshot object (the proposal) is compared whole.
        if !want.is_array() {
            if want != &actual[section] {
                out.push(format!("  {section}: expected {want:#}\n  got {:#}", actual[section]));
            }
            continue;
        }
        let lines =
            |v: &Value| -> BTreeSet<String> { v.as_array().into_iter().flatten().map(Value::to_string).collect() };
        let (want, got) = (lines(want), lines(&actual[section]));
        out.extend(want.difference(&got).map(|l| format!("  {section}: missing    {l}")));
        out.extend(got.difference(&want).map(|l| format!("  {section}: unexpected {l}")));
        if out.is_empty() && expected[section] != actual[section] {
            out.push(format!("  {section}: same entries, different order"));
        }
    }
    out
}

fn check(name: &str) {
    let root = fixtures_dir().join(name);
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(root.join("expected.json")).unwrap())
        .expect("expected.json parses");
    let mut config = seamline::Config::for_root(&root).unwrap();
    config.jobs = Some(2);
    let analysis = seamline::analyze(&config).unwrap();
    let actual = project(&analysis, expected.get("skipped").is_some());
    let diff = differences(&expected, &actual);
    assert!(diff.is_empty(), "fixture {name} differs from expected.json:\n{}", diff.join("\n"));
}

macro_rules! fixtures {
    ($($test:ident => $dir:literal,)*) => {
        $( #[test] fn $test() { check($dir); } )*

        #[test]
        fn every_fixture_has_a_test() {
            let listed: BTreeSet<&str> = [$($dir),*].into_iter().collect();
            let on_disk: BTreeSet<String> = std::fs::read_dir(fixtures_dir())
                .unwrap()
                .filter_map(|e| e.ok())
                .filter(|e| e.path().join("expected.json").is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            let on_disk: BTreeSet<&str> = on_disk.iter().map(String::as_str).collect();
            assert_eq!(listed, on_disk, "fixtures with expected.json and tests listed here must match");
        }
    };
}

fixtures! {
    barrels => "barrels",
    cjs_esm_interop => "cjs-esm-interop",
    coupling_metrics => "coupling-metrics",
    discovery => "discovery",
    dynamic_imports => "dynamic-imports",
    ecommerce_express => "ecommerce-express",
    express_mounted_routes => "express-mounted-routes",
    js_extension_to_ts => "js-extension-to-ts",
    jsconfig_paths => "jsconfig-paths",
    orm_knex => "orm-knex",
    orm_mongoose => "orm-mongoose",
    orm_prisma => "orm-prisma",
    orm_sequelize => "orm-sequelize",
    orm_typeorm => "orm-typeorm",
    roles => "roles",
    routes_koa_fastify_hapi => "routes-koa-fastify-hapi",
    schema_and_migrations => "schema-and-migrations",
    sql_constants_across_modules => "sql-constants-across-modules",
    sql_raw_strings => "sql-raw-strings",
    transactions => "transactions",
    ts_nest_di => "ts-nest-di",
    tsconfig_extends => "tsconfig-extends",
    tsconfig_paths_baseurl => "tsconfig-paths-baseurl",
    tsconfig_paths_no_baseurl => "tsconfig-paths-no-baseurl",
    type_only_cycles => "type-only-cycles",
    workspaces_exports => "workspaces-exports",
}
