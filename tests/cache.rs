//! The incremental cache as users meet it: an unchanged repository's analysis reused, a changed file parsed
//! alone, a changed setting or tsconfig noticed, damaged or foreign caches ignored with a diagnostic, an
//! unwritable cache, concurrent runs, and the report never depending on any of it.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

#[path = "support/files.rs"]
mod files;
use files::copy_dir;

fn seamline() -> Command {
    Command::cargo_bin("seamline").unwrap()
}

/// A private copy of the e-commerce fixture (its cache must not leak between tests).
fn monolith() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ecommerce-express"), dir.path());
    let _ = std::fs::remove_dir_all(dir.path().join(".seamline-cache"));
    dir
}

fn analyze(root: &Path, extra: &[&str]) -> Output {
    seamline().arg("analyze").arg(root).args(["--format", "json", "--verbose"]).args(extra).output().unwrap()
}

fn report(out: &Output) -> Value {
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// What `--verbose` says the cache gave: the whole analysis, or how many modules' facts (reused, parsed).
#[derive(Debug, PartialEq)]
enum Reuse {
    Analysis,
    Modules(usize, usize),
}

fn reuse(out: &Output) -> Reuse {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr.lines().find_map(|l| l.strip_prefix("seamline: cache: ")).expect("a cache line");
    if line.starts_with("analysis reused") {
        return Reuse::Analysis;
    }
    let numbers: Vec<usize> = line.split(' ').filter_map(|w| w.trim_end_matches(',').parse().ok()).collect();
    Reuse::Modules(numbers[0], numbers[1])
}

fn pack(root: &Path) -> PathBuf {
    root.join(".seamline-cache/facts.bin")
}

fn stored_analysis(root: &Path) -> PathBuf {
    root.join(".seamline-cache/analysis.bin")
}

/// Takes the stored analysis away, so that the next run goes through the facts.
fn forget_analysis(root: &Path) {
    std::fs::remove_file(stored_analysis(root)).unwrap();
}

/// The report with the cache's own diagnostics taken out, and those diagnostics.
fn without_cache_diagnostics(mut report: Value) -> (Value, Vec<Value>) {
    let diagnostics = report["diagnostics"].as_array_mut().unwrap();
    let (cache, rest): (Vec<Value>, Vec<Value>) =
        diagnostics.drain(..).partition(|d| d["code"].as_str().unwrap().starts_with("cache-"));
    *diagnostics = rest;
    let count = report["summary"]["diagnostics"].as_u64().unwrap() - cache.len() as u64;
    report["summary"]["diagnostics"] = count.into();
    (report, cache)
}

#[test]
fn a_second_run_reuses_the_analysis_and_reports_the_same() {
    let root = monolith();
    let fresh = analyze(root.path(), &["--no-cache"]);
    assert!(!root.path().join(".seamline-cache").exists(), "--no-cache writes nothing");
    let first = analyze(root.path(), &[]);
    let modules = report(&first)["modules"].as_array().unwrap().len();
    assert!(modules > 5);
    assert_eq!(reuse(&first), Reuse::Modules(0, modules));
    assert!(pack(root.path()).is_file() && stored_analysis(root.path()).is_file());
    assert_eq!(
        std::fs::read_to_string(root.path().join(".seamline-cache/.gitignore")).unwrap().lines().last(),
        Some("*")
    );
    let second = analyze(root.path(), &[]);
    assert_eq!(reuse(&second), Reuse::Analysis);
    forget_analysis(root.path());
    let third = analyze(root.path(), &[]);
    assert_eq!(reuse(&third), Reuse::Modules(modules, 0), "without the analysis, every module's facts are reused");
    assert_eq!(first.stdout, fresh.stdout, "the report does not depend on the cache");
    assert_eq!(second.stdout, fresh.stdout);
    assert_eq!(third.stdout, fresh.stdout);
}

#[test]
fn a_changed_file_is_parsed_alone() {
    let root = monolith();
    let first = analyze(root.path(), &[]);
    let modules = report(&first)["modules"].as_array().unwrap().len();
    let changed = root.path().join("src/services/paymentService.js");
    let mut text = std::fs::read_to_string(&changed).unwrap();
    text.push_str("\nasync function audit(db) { return db.query('SELECT id FROM payment_audit'); }\nmodule.exports.audit = audit;\n");
    std::fs::write(&changed, text).unwrap();

    let second = analyze(root.path(), &[]);
    assert_eq!(reuse(&second), Reuse::Modules(modules - 1, 1));
    let fresh = analyze(root.path(), &["--no-cache"]);
    assert_eq!(second.stdout, fresh.stdout);
    let second_report = report(&second);
    let tables: Vec<&str> =
        second_report["tables"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert!(tables.contains(&"payment_audit"), "the changed file's new facts are used: {tables:?}");
}

#[test]
fn damaged_caches_are_ignored_with_a_diagnostic_and_rebuilt() {
    let root = monolith();
    let fresh = report(&analyze(root.path(), &["--no-cache"]));
    report(&analyze(root.path(), &[]));
    let good = std::fs::read(pack(root.path())).unwrap();
    let modules = fresh["modules"].as_array().unwrap().len();

    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x01;
    let mut foreign = good.clone();
    let version = env!("CARGO_PKG_VERSION").as_bytes();
    let at = foreign.windows(version.len()).position(|w| w == version).expect("the version in the header");
    foreign[at] = if foreign[at] == b'9' { b'8' } else { b'9' };
    let damages: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated", good[..good.len() - 100].to_vec(), "checksum"),
        ("cut inside the header", good[..20].to_vec(), "truncated"),
        ("one bit flipped", flipped, "checksum"),
        ("empty", Vec::new(), "truncated"),
        ("not a cache", b"{\"hello\": \"world\"}".repeat(10), "not a seamline cache"),
        ("another version", foreign, "another version"),
    ];
    for (what, bytes, reason) in damages {
        std::fs::write(pack(root.path()), &bytes).unwrap();
        forget_analysis(root.path());
        let out = analyze(root.path(), &[]);
        assert_eq!(reuse(&out), Reuse::Modules(0, modules), "{what}: nothing reused");
        let (rest, cache) = without_cache_diagnostics(report(&out));
        assert_eq!(rest, fresh, "{what}: the report is right");
        assert_eq!(cache.len(), 1, "{what}: {cache:?}");
        assert_eq!(cache[0]["code"], "cache-ignored");
        assert_eq!(cache[0]["level"], "warning");
        assert_eq!(cache[0]["path"], ".seamline-cache/facts.bin");
        assert!(cache[0]["message"].as_str().unwrap().contains(reason), "{what}: {}", cache[0]["message"]);
        // Rebuilt: the next run trusts it again.
        forget_analysis(root.path());
        let again = analyze(root.path(), &[]);
        assert_eq!(reuse(&again), Reuse::Modules(modules, 0), "{what}: rebuilt");
        assert_eq!(report(&again), fresh);
    }

    // A folder where the pack should be: unreadable, and unwritable too.
    forget_analysis(root.path());
    std::fs::remove_file(pack(root.path())).unwrap();
    std::fs::create_dir(pack(root.path())).unwrap();
    let out = analyze(root.path(), &[]);
    let (rest, cache) = without_cache_diagnostics(report(&out));
    assert_eq!(rest, fresh);
    let codes: Vec<&str> = cache.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["cache-ignored", "cache-unwritable"]);
    assert!(!stored_analysis(root.path()).exists(), "a folder that did not take the facts is not given the analysis");
}

#[test]
fn a_damaged_analysis_is_ignored_with_a_diagnostic_that_is_not_kept() {
    let root = monolith();
    let fresh = report(&analyze(root.path(), &["--no-cache"]));
    let modules = fresh["modules"].as_array().unwrap().len();
    report(&analyze(root.path(), &[]));
    let good = std::fs::read(stored_analysis(root.path())).unwrap();
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x01;
    let damages: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated", good[..good.len() - 100].to_vec(), "checksum"),
        ("cut inside the header", good[..20].to_vec(), "truncated"),
        ("one bit flipped", flipped, "checksum"),
        ("not a cache", b"{\"hello\": \"world\"}".repeat(10), "not a seamline cache"),
    ];
    for (what, bytes, reason) in damages {
        std::fs::write(stored_analysis(root.path()), &bytes).unwrap();
        let out = analyze(root.path(), &[]);
        assert_eq!(reuse(&out), Reuse::Modules(modules, 0), "{what}: the facts are still good");
        let (rest, cache) = without_cache_diagnostics(report(&out));
        assert_eq!(rest, fresh, "{what}: the report is right");
        assert_eq!(cache.len(), 1, "{what}: {cache:?}");
        assert_eq!(cache[0]["code"], "cache-ignored");
        assert_eq!(cache[0]["path"], ".seamline-cache/analysis.bin");
        assert!(cache[0]["message"].as_str().unwrap().contains(reason), "{what}: {}", cache[0]["message"]);
        // Rewritten, and without this run's complaint about it.
        let again = analyze(root.path(), &[]);
        assert_eq!(reuse(&again), Reuse::Analysis, "{what}: rewritten");
        assert_eq!(report(&again), fresh, "{what}: the reused analysis does not repeat the old diagnostic");
    }
}

/// A repository whose one import resolves only through a tsconfig that extends a config under `node_modules`,
/// a folder analysis never walks.
fn aliased() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("package.json", r#"{"name": "aliased"}"#);
    write("tsconfig.json", r#"{"extends": "@company/tsconfig"}"#);
    write("node_modules/@company/tsconfig/tsconfig.json", "{}");
    write("src/app.ts", "import { total } from '@lib/money';\nexport const shown = total(1);\n");
    write("src/lib/money.ts", "export function total(n: number) { return n; }\n");
    dir
}

#[test]
fn a_changed_file_outside_the_sources_is_noticed() {
    let root = aliased();
    let unresolved = report(&analyze(root.path(), &[]));
    assert_eq!(unresolved["dependencies"].as_array().unwrap().len(), 0);
    assert_eq!(reuse(&analyze(root.path(), &[])), Reuse::Analysis);

    // The extended config, under node_modules, now maps the alias: the import resolves.
    std::fs::write(
        root.path().join("node_modules/@company/tsconfig/tsconfig.json"),
        r#"{"compilerOptions": {"baseUrl": "../../..", "paths": {"@lib/*": ["src/lib/*"]}}}"#,
    )
    .unwrap();
    let out = analyze(root.path(), &[]);
    assert_eq!(reuse(&out), Reuse::Modules(2, 0));
    let resolved = report(&out);
    assert_eq!(resolved, report(&analyze(root.path(), &["--no-cache"])));
    assert_eq!(resolved["dependencies"][0]["to"], "src/lib/money.ts");

    // A tsconfig appearing nearer to the sources takes over.
    assert_eq!(reuse(&analyze(root.path(), &[])), Reuse::Analysis);
    std::fs::write(root.path().join("src/tsconfig.json"), "{}").unwrap();
    let out = analyze(root.path(), &[]);
    assert_eq!(reuse(&out), Reuse::Modules(2, 0));
    assert_eq!(report(&out), unresolved);
}

#[test]
fn a_changed_setting_is_noticed() {
    let root = monolith();
    let before = analyze(root.path(), &[]);
    report(&before);
    assert_eq!(reuse(&analyze(root.path(), &[])), Reuse::Analysis);
    let contexts = report(&before)["contexts"].as_array().unwrap().len();
    assert!(contexts > 1);
    std::fs::write(root.path().join("seamline.toml"), "[clustering]\nresolution = 0.01\n").unwrap();
    let out = analyze(root.path(), &[]);
    assert!(matches!(reuse(&out), Reuse::Modules(_, 0)));
    let after = report(&out);
    assert_eq!(after, report(&analyze(root.path(), &["--no-cache"])));
    assert_ne!(after["contexts"], report(&before)["contexts"]);
}

#[test]
fn an_unwritable_cache_folder_is_a_warning_not_a_failure() {
    let root = monolith();
    let fresh = report(&analyze(root.path(), &["--no-cache"]));
    let blocker = root.path().join("not-a-folder");
    std::fs::write(&blocker, "a file where the cache folder should be").unwrap();
    let out = analyze(root.path(), &["--cache-dir", blocker.to_str().unwrap()]);
    let (rest, cache) = without_cache_diagnostics(report(&out));
    assert_eq!(rest, fresh);
    assert_eq!(cache.len(), 1);
    assert_eq!(cache[0]["code"], "cache-unwritable");
    assert_eq!(cache[0]["path"], "not-a-folder/facts.bin");
}

#[test]
fn cache_dir_puts_the_cache_elsewhere_and_no_cache_conflicts_with_it() {
    let root = monolith();
    let elsewhere = tempfile::tempdir().unwrap();
    let first = analyze(root.path(), &["--cache-dir", elsewhere.path().to_str().unwrap()]);
    report(&first);
    assert!(elsewhere.path().join("facts.bin").is_file());
    assert!(!root.path().join(".seamline-cache").exists());
    let second = analyze(root.path(), &["--cache-dir", elsewhere.path().to_str().unwrap()]);
    assert_eq!(reuse(&second), Reuse::Analysis);

    let out = analyze(root.path(), &["--no-cache", "--cache-dir", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr).trim_end().lines().count(), 1);
}

#[test]
fn concurrent_runs_share_the_cache_safely() {
    let root = monolith();
    let fresh = analyze(root.path(), &["--no-cache"]).stdout;
    for round in 0..3 {
        let runs: Vec<_> = (0..4)
            .map(|_| {
                std::process::Command::new(assert_cmd::cargo::cargo_bin("seamline"))
                    .arg("analyze")
                    .arg(root.path())
                    .args(["--format", "json", "--quiet"])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for run in runs {
            let out = run.wait_with_output().unwrap();
            assert_eq!(out.status.code(), Some(0), "round {round}: {}", String::from_utf8_lossy(&out.stderr));
            assert_eq!(out.stdout, fresh, "round {round}: every concurrent run gives the same report");
        }
        let after = analyze(root.path(), &[]);
        assert_eq!(reuse(&after), Reuse::Analysis, "round {round}: the analysis left behind is whole");
        assert_eq!(after.stdout, fresh);
        forget_analysis(root.path());
        let after = analyze(root.path(), &[]);
        let modules = report(&after)["modules"].as_array().unwrap().len();
        assert_eq!(reuse(&after), Reuse::Modules(modules, 0), "round {round}: the pack left behind is whole");
    }
}
