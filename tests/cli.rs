//! The binary as users run it: exit codes, one-line errors, output files, determinism, untrusted input.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

#[path = "support/files.rs"]
mod files;
use files::copy_dir;

fn seamline() -> Command {
    Command::cargo_bin("seamline").unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name)
}

fn one_line_error(output: &std::process::Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "expected one line, got: {stderr}");
    assert!(stderr.contains(needle), "{stderr:?} should mention {needle:?}");
    assert!(output.stdout.is_empty());
}

#[test]
fn missing_path_is_a_usage_error() {
    let out = seamline().args(["analyze", "/definitely/not/here"]).output().unwrap();
    one_line_error(&out, "no such directory");
}

#[test]
fn unknown_format_is_a_usage_error() {
    let out = seamline().args(["analyze", ".", "--format", "pdf"]).output().unwrap();
    one_line_error(&out, "pdf");
}

#[test]
fn bad_config_names_the_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("seamline.toml"), "[discover]\nmax_size = 1\n").unwrap();
    let out = seamline().arg("analyze").arg(dir.path()).output().unwrap();
    one_line_error(&out, "max_size");
    let out = seamline().arg("analyze").arg(dir.path()).args(["--config", "/no/such.toml"]).output().unwrap();
    one_line_error(&out, "no/such.toml");
}

#[test]
fn help_documents_exit_codes() {
    seamline().args(["analyze", "--help"]).assert().success().stdout(predicate::str::contains("2  unusable input"));
}

#[test]
fn output_file_holds_the_json_report_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("reports/report.json");
    seamline()
        .arg("analyze")
        .arg(fixture("ecommerce-express"))
        .arg("--output")
        .arg(&target)
        .assert()
        .success()
        .stdout(predicate::str::is_empty());
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(report["schema_version"], "1");
    assert_eq!(report["tool"]["name"], "seamline");
    assert!(report["summary"]["modules"].as_u64().unwrap() >= 30);
    // Only the report lands in the folder: no temporary files are left behind.
    assert_eq!(std::fs::read_dir(dir.path().join("reports")).unwrap().count(), 1);
}

#[test]
fn untrusted_names_are_escaped_in_html_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("<img src=x onerror=alert(1)>.js"), "module.exports = 1;\n").unwrap();
    std::fs::write(
        src.join("a.js"),
        "require('./<img src=x onerror=alert(1)>');\nrequire('./<script>alert(2)</script>');\n",
    )
    .unwrap();
    let html = seamline().arg("analyze").arg(dir.path()).args(["--format", "html", "-q"]).output().unwrap();
    let html = String::from_utf8(html.stdout).unwrap();
    let escaped = ["&lt;img src=x onerror=alert(1)&gt;", "&#60;img src=x onerror=alert(1)&#62;"];
    assert!(escaped.iter().any(|e| html.contains(e)), "the path is shown, escaped");
    assert!(!html.contains("<img src=x") && !html.contains("<script>alert"), "no raw markup from the analysed code");
    let md = seamline().arg("analyze").arg(dir.path()).args(["--format", "md", "-q"]).output().unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(!md.contains("<script>") && !md.contains("<img src=x"), "{md}");
}

#[test]
fn bad_files_become_diagnostics_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("latin1.js"), b"// caf\xe9\nrequire('./ok');\n").unwrap();
    std::fs::write(dir.path().join("ok.js"), "module.exports = {};\n").unwrap();
    std::fs::write(dir.path().join("broken.ts"), "import a from './ok';\nexport const = ;\n").unwrap();
    let out = seamline().arg("analyze").arg(dir.path()).arg("-q").output().unwrap();
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<_> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_owned()).collect();
    assert_eq!(codes, vec!["parse-error", "not-utf8"]);
    assert_eq!(report["dependencies"].as_array().unwrap().len(), 2, "both files still contribute their imports");
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_root_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.js"), "module.exports = 1;\n").unwrap();
    let root = tempfile::tempdir().unwrap();
    std::fs::write(root.path().join("index.js"), "require('./linked/secret');\n").unwrap();
    std::os::unix::fs::symlink(outside.path(), root.path().join("linked")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.js"), root.path().join("file-link.js")).unwrap();
    let out = seamline().arg("analyze").arg(root.path()).arg("-q").output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let modules: Vec<_> =
        report["modules"].as_array().unwrap().iter().map(|m| m["path"].as_str().unwrap().to_owned()).collect();
    assert_eq!(modules, vec!["index.js"]);
}

#[test]
fn include_and_exclude_globs_choose_the_files_and_include_keeps_generated_code() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    };
    write("src/orders/service.ts", "import { Order } from '../gen/api';\nexport const a = 1;\n");
    write("src/orders/service.spec.ts", "import { a } from './service';\n");
    write("src/gen/api.ts", "// Code generated by openapi-generator. DO NOT EDIT.\nexport interface Order {}\n");
    write("scripts/seed.js", "require('../src/orders/service');\n");
    let paths = |args: &[&str]| -> Vec<(String, String)> {
        let out = seamline().arg("analyze").arg(dir.path()).arg("-q").args(args).output().unwrap();
        assert!(out.status.success());
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["modules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["path"].as_str().unwrap().to_owned(), m["role"].as_str().unwrap().to_owned()))
            .collect()
    };
    let s = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    assert_eq!(
        paths(&[]),
        vec![
            s("scripts/seed.js", "migration"),
            s("src/orders/service.spec.ts", "test"),
            s("src/orders/service.ts", "domain")
        ]
    );
    assert_eq!(paths(&["--exclude", "*.spec.ts", "--exclude", "scripts"]), vec![s("src/orders/service.ts", "domain")]);
    assert_eq!(
        paths(&["--include", "src/**"]),
        vec![
            s("src/gen/api.ts", "generated"),
            s("src/orders/service.spec.ts", "test"),
            s("src/orders/service.ts", "domain")
        ]
    );
}

#[test]
fn transaction_depth_limits_how_far_callees_are_followed() {
    let tables_with = |args: &[&str]| -> Vec<String> {
        let out = seamline().arg("analyze").arg(fixture("transactions")).arg("-q").args(args).output().unwrap();
        assert!(out.status.success());
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut tables: Vec<String> = report["transactions"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| t["tables"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_owned()))
            .collect();
        tables.sort();
        tables.dedup();
        tables
    };
    // The fixture plants `rate_lookups` five calls deep: beyond the default depth of 4.
    assert!(!tables_with(&[]).contains(&"rate_lookups".to_owned()));
    assert!(tables_with(&["--transaction-depth", "5"]).contains(&"rate_lookups".to_owned()));
}

#[test]
fn directories_follow_granularity_and_depth() {
    let directories = |args: &[&str]| -> Vec<(String, u64)> {
        let out = seamline().arg("analyze").arg(fixture("ecommerce-express")).arg("-q").args(args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["directories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["path"].as_str().unwrap().to_owned(), d["modules"].as_u64().unwrap()))
            .collect()
    };
    let depth_one = directories(&["--depth", "1"]);
    assert_eq!(depth_one.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(), vec![".", "scripts", "src", "test"]);
    assert_eq!(depth_one.iter().map(|(_, n)| n).sum::<u64>(), 46, "every module is in exactly one directory");
    assert!(directories(&[]).iter().any(|(p, _)| p == "src/models"));
    assert_eq!(directories(&["--granularity", "package"]), vec![(".".to_owned(), 46)]);
    assert!(directories(&["--granularity", "file"]).is_empty());
    let out = seamline().arg("analyze").arg(fixture("ecommerce-express")).args(["--depth", "0"]).output().unwrap();
    one_line_error(&out, "--depth");
}

#[test]
fn cluster_command_partitions_a_graph_file() {
    let graph = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/graphs/karate.json");
    let out = seamline().args(["cluster", "--graph"]).arg(&graph).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(result["modularity"], 0.4198);
    assert_eq!(result["partition"].as_object().unwrap().len(), 34);
    assert!(result["levels"].as_array().unwrap().len() >= 2);
    let again = seamline().args(["cluster", "--graph"]).arg(&graph).output().unwrap();
    assert_eq!(out.stdout, again.stdout, "deterministic");

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"nodes": ["a"], "edges": [["a", "zz", 1]]}"#).unwrap();
    let out = seamline().args(["cluster", "--graph"]).arg(&bad).output().unwrap();
    one_line_error(&out, "unknown node");
    let out = seamline().args(["cluster", "--resolution=0", "--graph"]).arg(&graph).output().unwrap();
    one_line_error(&out, "--resolution");
}

/// A copy of the e-commerce fixture with `config` as its `seamline.toml`; returns the report.
fn ecommerce_with_config(config: &str) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("ecommerce-express"), dir.path());
    std::fs::write(dir.path().join("seamline.toml"), config).unwrap();
    let out = seamline().arg("analyze").arg(dir.path()).arg("-q").output().unwrap();
    (dir, out)
}

fn contexts_of(out: &std::process::Output) -> Vec<(String, Vec<String>, Vec<String>)> {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = |v: &serde_json::Value| v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect();
    report["contexts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap().to_owned(), list(&c["modules"]), list(&c["pinned"])))
        .collect()
}

#[test]
fn pins_renames_and_merges_change_the_proposal_as_asked() {
    // Without a config, the proposal has users, products, orders and payments contexts.
    let (_dir, out) = ecommerce_with_config("");
    let names: Vec<String> = contexts_of(&out).into_iter().map(|c| c.0).collect();
    for expected in ["orders", "payments", "products", "users"] {
        assert!(names.contains(&expected.to_owned()), "{names:?}");
    }

    // Pin the email service to a context of its own, named by the expert.
    let (_dir, out) = ecommerce_with_config("[contexts.notifications]\nmodules = [\"src/services/emailService.js\"]\n");
    let contexts = contexts_of(&out);
    let notifications = contexts.iter().find(|c| c.0 == "notifications").expect("the pinned context exists");
    assert!(notifications.1.contains(&"src/services/emailService.js".to_owned()));
    assert_eq!(notifications.2, vec!["src/services/emailService.js".to_owned()], "the report shows what was pinned");

    // Rename a proposed context.
    let (_dir, out) = ecommerce_with_config("[rename]\nusers = \"identity\"\n");
    let names: Vec<String> = contexts_of(&out).into_iter().map(|c| c.0).collect();
    assert!(names.contains(&"identity".to_owned()) && !names.contains(&"users".to_owned()), "{names:?}");

    // Merge two proposed contexts: the first name is kept, the second's modules join it.
    let (_dir, out) = ecommerce_with_config("merge = [[\"orders\", \"payments\"]]\n");
    let contexts = contexts_of(&out);
    assert!(!contexts.iter().any(|c| c.0 == "payments"));
    let orders = contexts.iter().find(|c| c.0 == "orders").unwrap();
    assert!(
        orders.1.contains(&"src/models/Payment.js".to_owned()) && orders.1.contains(&"src/models/Order.js".to_owned())
    );

    // Two pinned contexts never merge, even when the graph would fuse them.
    let config = "forbid_merge = [[\"orders\", \"ledger\"]]\n[contexts.orders]\nmodules = [\"src/models/Order.js\"]\n[contexts.ledger]\nmodules = [\"src/models/OrderItem.js\"]\n";
    let (_dir, out) = ecommerce_with_config(config);
    let contexts = contexts_of(&out);
    let of = |path: &str| contexts.iter().find(|c| c.1.iter().any(|m| m == path)).map(|c| c.0.clone());
    assert_eq!(of("src/models/Order.js").as_deref(), Some("orders"));
    assert_eq!(of("src/models/OrderItem.js").as_deref(), Some("ledger"));
}

#[test]
fn review_loop_config_errors_name_the_key() {
    let (_dir, out) = ecommerce_with_config("forbid_merge = [[\"orders\", \"payments\"]]\n");
    one_line_error(&out, "forbid_merge");
    let (_dir, out) = ecommerce_with_config("[clustering]\nresolutoin = 2.0\n");
    one_line_error(&out, "resolutoin");
    let (_dir, out) = ecommerce_with_config("merge = [[\"orders\", \"nowhere\"]]\n");
    one_line_error(&out, "nowhere");
    let (_dir, out) = ecommerce_with_config("[clustering]\nresolution = -1.0\n");
    one_line_error(&out, "resolution");
}

#[test]
fn init_writes_a_starter_config_that_reads_back_and_pins_when_uncommented() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("ecommerce-express"), dir.path());
    seamline().arg("init").arg(dir.path()).assert().success();
    let written = std::fs::read_to_string(dir.path().join("seamline.toml")).unwrap();
    assert!(written.contains("# [contexts.orders]"), "{written}");
    // As written it changes nothing, and it is a valid config.
    let out = seamline().arg("analyze").arg(dir.path()).arg("-q").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // A second init refuses to overwrite the expert's edits.
    let again = seamline().arg("init").arg(dir.path()).output().unwrap();
    one_line_error(&again, "--force");
    // Uncommenting a block pins those modules.
    let uncommented: String = written
        .lines()
        .skip_while(|l| !l.starts_with("# [contexts.orders]"))
        .take_while(|l| !l.starts_with("# ]"))
        .map(|l| l.trim_start_matches("# ").trim_start_matches('#'))
        .map(|l| l.split("   #").next().unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.path().join("seamline.toml"), format!("{uncommented}\n]\n")).unwrap();
    let out = seamline().arg("analyze").arg(dir.path()).arg("-q").output().unwrap();
    let contexts = contexts_of(&out);
    let orders = contexts.iter().find(|c| c.0 == "orders").unwrap();
    assert!(!orders.2.is_empty() && orders.2 == orders.1, "every module of the block is pinned: {orders:?}");
}

#[test]
fn every_format_is_byte_identical_over_five_runs_with_different_thread_counts() {
    for format in ["json", "md", "html", "mermaid", "dot"] {
        let run = |jobs: &str| {
            let out = seamline()
                .arg("analyze")
                .arg(fixture("ecommerce-express"))
                .args(["--format", format, "--quiet", "--jobs", jobs])
                .output()
                .unwrap();
            assert!(out.status.success());
            out.stdout
        };
        let first = run("1");
        assert!(!first.is_empty());
        for jobs in ["2", "3", "4", "8"] {
            assert_eq!(first, run(jobs), "{format} differs between --jobs 1 and --jobs {jobs}");
        }
    }
}

#[test]
fn several_formats_go_to_an_output_folder_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    seamline()
        .arg("analyze")
        .arg(fixture("ecommerce-express"))
        .args(["--format", "json,html,md,mermaid,dot", "--quiet", "--output-dir"])
        .arg(&out_dir)
        .assert()
        .success()
        .stdout(predicate::str::is_empty());
    let mut names: Vec<String> =
        std::fs::read_dir(&out_dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(
        names,
        vec!["report.dot", "report.html", "report.json", "report.md", "report.mmd"],
        "no temporary files left"
    );
    let out =
        seamline().arg("analyze").arg(fixture("ecommerce-express")).args(["--format", "json,md"]).output().unwrap();
    one_line_error(&out, "--output-dir");
}

#[test]
fn diagrams_show_contexts_and_the_target_architecture() {
    let run = |args: &[&str]| {
        let out = seamline().arg("analyze").arg(fixture("ecommerce-express")).arg("-q").args(args).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let mermaid = run(&["--format", "mermaid"]);
    assert!(mermaid.starts_with("flowchart LR"));
    for context in ["ctx_orders", "ctx_payments", "ctx_products", "ctx_users"] {
        assert!(mermaid.contains(context), "{mermaid}");
    }
    let c4 = run(&["--format", "mermaid", "--c4"]);
    assert!(
        c4.starts_with("C4Container") && c4.contains("ContainerDb(db_orders") && c4.contains("Container(gateway"),
        "{c4}"
    );
    let dot = run(&["--format", "dot"]);
    assert!(
        dot.starts_with("graph contexts {") && dot.trim_end().ends_with('}') && dot.contains("ctx_users --")
            || dot.contains("-- ctx_users"),
        "{dot}"
    );
}

#[test]
fn meta_is_only_added_when_asked() {
    let report = |args: &[&str]| -> serde_json::Value {
        let out = seamline().arg("analyze").arg(fixture("roles")).arg("-q").args(args).output().unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert!(report(&[]).get("meta").is_none());
    let with_meta = report(&["--meta"]);
    assert!(with_meta["meta"]["absolute_root"].as_str().unwrap().starts_with('/'));
    assert!(with_meta["meta"]["unix_time"].as_u64().unwrap() > 0);
}

#[test]
fn build_and_dependency_folders_are_skipped_unless_the_config_says_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    for file in ["src/a.js", "dist/a.js", "node_modules/lib/index.js", "src/vendor/v.js"] {
        let path = dir.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "module.exports = 1;\n").unwrap();
    }
    let modules = |dir: &Path| -> Vec<String> {
        let out = seamline().arg("analyze").arg(dir).arg("-q").output().unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["modules"].as_array().unwrap().iter().map(|m| m["path"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(modules(dir.path()), vec!["src/a.js"]);
    std::fs::write(dir.path().join("seamline.toml"), "[discover]\nskip_build_dirs = false\n").unwrap();
    assert_eq!(modules(dir.path()), vec!["dist/a.js", "node_modules/lib/index.js", "src/a.js", "src/vendor/v.js"]);
}

/// `seamline … | head -c 16`: the reader leaves early, which is its choice; the command still succeeds quietly.
#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    // Each output is far larger than a pipe's buffer (64 KiB), so the writer is still writing when the pipe closes.
    let nodes: Vec<String> = (0..20_000).map(|i| format!("n{i}")).collect();
    let edges: Vec<serde_json::Value> =
        (0..20_000).map(|i| serde_json::json!([nodes[i], nodes[(i * 7 + 1) % 20_000], 1])).collect();
    let graph = dir.path().join("graph.json");
    std::fs::write(&graph, serde_json::json!({ "nodes": nodes, "edges": edges }).to_string()).unwrap();
    let statements: Vec<serde_json::Value> = (0..5_000)
        .map(|i| serde_json::json!({ "id": i, "sql": format!("SELECT * FROM t{i} JOIN u ON u.id = t{i}.u") }))
        .collect();
    let sql = dir.path().join("sql.json");
    std::fs::write(&sql, serde_json::Value::from(statements).to_string()).unwrap();
    let ecommerce = fixture("ecommerce-express");
    let commands: [Vec<&std::ffi::OsStr>; 3] = [
        vec!["analyze".as_ref(), "--quiet".as_ref(), ecommerce.as_os_str()],
        vec!["cluster".as_ref(), "--graph".as_ref(), graph.as_os_str()],
        vec!["sql".as_ref(), "--input".as_ref(), sql.as_os_str()],
    ];
    for args in commands {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("seamline"))
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut start = [0u8; 16];
        child.stdout.take().unwrap().read_exact(&mut start).unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("pipe"), "{args:?}: {stderr}");
    }
}
