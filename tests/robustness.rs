//! Hostile real-world inputs: binary and badly encoded files, huge and deeply nested sources, odd file
//! types (FIFOs, dangling symlinks, symlink loops), broken manifests and configs, undecodable file names.
//!
//! What every run must do: exit 0 (2 only for an unusable root, 3 when files had to be left out), print a valid JSON report, never
//! panic, overflow the stack or hang, and turn each bad input into a diagnostic (or a `skipped`
//! entry with its reason) rather than a silent drop.
//!
//! `// Fixed (was: …` comments record what the binary did before the fix each test guards. None is ignored.
//! Every run has a timeout so that a hang fails the test instead of the suite.

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

fn seamline() -> Command {
    Command::cargo_bin("seamline").unwrap()
}

/// Generous for a debug build; hangs are caught, not waited out.
const TIMEOUT: Duration = Duration::from_secs(120);
/// For inputs that must be quick (FIFOs, symlink loops): a block shows up as a timeout.
const SHORT_TIMEOUT: Duration = Duration::from_secs(20);

fn write(root: &Path, rel: &str, content: impl AsRef<[u8]>) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// A small healthy repository: `src/a.js` imports `src/b.js`. Hostile items are added next to it.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "src/a.js", "import { b } from './b';\nexport function a() { return b(); }\n");
    write(dir.path(), "src/b.js", "export function b() { return 1; }\n");
    dir
}

fn analyze_with(root: &Path, extra: &[&str], timeout: Duration) -> Output {
    seamline().arg("analyze").arg(root).arg("-q").args(extra).timeout(timeout).output().unwrap()
}

fn analyze(root: &Path) -> Output {
    analyze_with(root, &[], TIMEOUT)
}

/// Exit 0 (3 when the report is incomplete), no panic, no stack overflow, stdout is a JSON report.
fn ok_report(out: &Output) -> Value {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(!stderr.contains("overflowed its stack"), "stack overflow: {stderr}");
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "exit status {:?} (no code = killed by a signal or by the test timeout); stderr: {stderr}",
        out.status
    );
    let report: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}); stderr: {stderr}"));
    assert_eq!(report["tool"]["name"], "seamline");
    // Exit code 3 says the report is incomplete: exactly when a file could not be taken in (an error diagnostic).
    let incomplete = report["diagnostics"].as_array().unwrap().iter().any(|d| d["level"] == "error");
    assert_eq!(out.status.code(), Some(if incomplete { 3 } else { 0 }), "{:?}", report["diagnostics"]);
    report
}

/// (level, code, path, line, message) of every diagnostic.
fn diagnostics(report: &Value) -> Vec<(String, String, String, u64, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["level"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
                d["path"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn diag(level: &str, code: &str, path: &str, line: u64, message: &str) -> (String, String, String, u64, String) {
    (level.to_owned(), code.to_owned(), path.to_owned(), line, message.to_owned())
}

fn diagnosed(report: &Value, path: &str) -> bool {
    diagnostics(report).iter().any(|d| d.2 == path)
}

/// The `lines` of the dependency `from -> to`, if there is one.
fn edge(report: &Value, from: &str, to: &str) -> Option<Vec<u64>> {
    report["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["from"] == from && d["to"] == to)
        .map(|d| d["lines"].as_array().unwrap().iter().map(|l| l.as_u64().unwrap()).collect())
}

fn skipped(report: &Value) -> Vec<(String, String)> {
    report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["path"].as_str().unwrap().to_owned(), s["reason"].as_str().unwrap().to_owned()))
        .collect()
}

fn module<'a>(report: &'a Value, path: &str) -> Option<&'a Value> {
    report["modules"].as_array().unwrap().iter().find(|m| m["path"] == path)
}

fn healthy_part_survives(report: &Value) {
    assert_eq!(edge(report, "src/a.js", "src/b.js"), Some(vec![1]), "the healthy import must survive");
}

/// Deterministic noise with a NUL every 97 bytes (xorshift64; no `rand` needed).
fn noise(len: usize) -> Vec<u8> {
    let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|i| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            if i % 97 == 0 { 0 } else { (s >> 32) as u8 }
        })
        .collect()
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo").arg(path).status().expect("mkfifo is available");
    assert!(status.success());
}

// ---------------------------------------------------------------------------------------------
// 1. Binary content in a .js file
// ---------------------------------------------------------------------------------------------

#[test]
fn binary_file_with_a_js_name_becomes_a_diagnostic() {
    // Fixed (was: exit 0 and valid JSON, but no diagnostic: 100 kB of noise is listed only as
    // `skipped: [{"path": "src/x.js", "reason": "minified"}]` (few newlines and U+FFFD expansion make
    // the average line long), and the `not-utf8` diagnostic is dropped because the skip wins.
    // (Noise with a newline every ~40 bytes is parsed instead and gets `not-utf8` + `parse-error`.)
    let dir = repo();
    write(dir.path(), "src/x.js", noise(100_000));
    let report = ok_report(&analyze(dir.path()));
    healthy_part_survives(&report);
    assert!(
        diagnosed(&report, "src/x.js"),
        "a binary file should be reported as a diagnostic (e.g. `not-utf8` or a `binary` code), not as minified: {:?} / skipped {:?}",
        diagnostics(&report),
        skipped(&report)
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Invalid UTF-8 inside a string literal
// ---------------------------------------------------------------------------------------------

#[test]
fn invalid_utf8_in_a_string_literal_is_read_lossily_and_reported() {
    let dir = repo();
    write(dir.path(), "src/x.js", b"import { b } from './b';\nconst s = \"ab\xff\xfecd\";\nexport const z = b();\n");
    let report = ok_report(&analyze(dir.path()));
    healthy_part_survives(&report);
    assert_eq!(
        diagnostics(&report),
        vec![diag(
            "warning",
            "not-utf8",
            "src/x.js",
            2,
            "invalid UTF-8; the file was read with replacement characters"
        )]
    );
    assert_eq!(edge(&report, "src/x.js", "src/b.js"), Some(vec![1]), "the file is still analysed");
}

// ---------------------------------------------------------------------------------------------
// 3. UTF-8 byte-order mark
// ---------------------------------------------------------------------------------------------

#[test]
fn bom_before_an_import_on_line_one_keeps_the_edge() {
    let dir = repo();
    write(dir.path(), "src/x.js", b"\xef\xbb\xbfimport x from './y';\nexport const z = x;\n");
    write(dir.path(), "src/y.js", "export default 1;\n");
    let report = ok_report(&analyze(dir.path()));
    healthy_part_survives(&report);
    assert_eq!(edge(&report, "src/x.js", "src/y.js"), Some(vec![1]));
    assert_eq!(diagnostics(&report), vec![]);
}

#[test]
fn bom_in_package_json_is_tolerated() {
    // Fixed (was: a BOM before `{` in package.json (common from Windows editors; Node and npm strip it)
    // gives {"level": "warning", "code": "config-error", "path": "package.json", "line": 0,
    // "message": "cannot parse: expected value at line 1 column 1"}. (A BOM in tsconfig.json is fine.)
    let dir = repo();
    write(dir.path(), "package.json", b"\xef\xbb\xbf{ \"name\": \"app\", \"dependencies\": { \"lodash\": \"1\" } }\n");
    let report = ok_report(&analyze(dir.path()));
    healthy_part_survives(&report);
    assert_eq!(diagnostics(&report), vec![]);
}

// ---------------------------------------------------------------------------------------------
// 4. CRLF line endings
// ---------------------------------------------------------------------------------------------

#[test]
fn crlf_line_endings_keep_import_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "src/a.js",
        "// header\r\n\r\nimport { b } from './b';\r\n// c\r\nimport c from './c';\r\nexport function a() { return b() + c; }\r\n",
    );
    write(dir.path(), "src/b.js", "export function b() {\r\n  return 1;\r\n}\r\n");
    write(dir.path(), "src/c.js", "\r\n\r\n\r\nexport default 3;\r\n");
    let report = ok_report(&analyze(dir.path()));
    assert_eq!(edge(&report, "src/a.js", "src/b.js"), Some(vec![3]));
    assert_eq!(edge(&report, "src/a.js", "src/c.js"), Some(vec![5]));
    assert_eq!(module(&report, "src/a.js").unwrap()["lines"], 6);
    assert_eq!(report["summary"]["lines"], 13);
    assert_eq!(diagnostics(&report), vec![]);
}

// ---------------------------------------------------------------------------------------------
// 5. A 10 MB minified bundle
// ---------------------------------------------------------------------------------------------

fn bundle(min_len: usize) -> String {
    let mut text = String::from("import {b} from \"./b\";");
    let mut i = 0;
    while text.len() < min_len {
        text.push_str(&format!("function f{i}(a){{return a+{i}*b()}}var v{i}=f{i}({i});"));
        i += 1;
    }
    text.push('\n');
    text
}

#[test]
fn ten_megabyte_minified_bundle_is_skipped_with_a_reason() {
    let dir = repo();
    write(dir.path(), "src/bundle.js", bundle(10_000_000));
    // Under the 1 MB size limit, a one-line file is recognised by its average line length.
    write(dir.path(), "src/small-bundle.js", bundle(500_000));
    let report = ok_report(&analyze(dir.path()));
    healthy_part_survives(&report);
    assert_eq!(
        skipped(&report),
        vec![
            ("src/bundle.js".to_owned(), "too-large".to_owned()),
            ("src/small-bundle.js".to_owned(), "minified".to_owned()),
        ]
    );
    assert_eq!(diagnostics(&report), vec![]);
}

#[test]
fn forced_ten_megabyte_bundle_finishes() {
    // Fixed (was: with the size limit raised and `--include 'src/**'` (which also bypasses the minified check) the
    // run was killed by a 120 s timeout at ~840 MB: the call graph scanned every definition of the module for
    // each call (`Resolver::definition`, quadratic), and every definition scanned its preceding siblings for
    // decorators (the program node's 300,000 children). Now definitions are indexed per module
    // (`Symbols::function`) and decorators are looked for only where they can sit: 6.4 s and 931 MB in a
    // release build, about 26 s in the debug suite.
    let dir = repo();
    write(dir.path(), "src/bundle.js", bundle(10_000_000));
    write(dir.path(), "seamline.toml", "[discover]\nmax_file_size = 20000000\n");
    let report = ok_report(&analyze_with(dir.path(), &["--include", "src/**"], TIMEOUT));
    assert_eq!(edge(&report, "src/bundle.js", "src/b.js"), Some(vec![1]));
}

// ---------------------------------------------------------------------------------------------
// 6. A 200,000-line generated (not minified) file
// ---------------------------------------------------------------------------------------------

#[test]
fn two_hundred_thousand_line_file_is_skipped_by_size_and_parses_when_allowed() {
    let dir = repo();
    let mut big = String::from("import { b } from './b';\n");
    for i in 0..200_000 {
        big.push_str(&format!("export const a{i} = {i};\n"));
    }
    write(dir.path(), "src/big.js", &big);

    // Default limit (1 MB): the ~5 MB file is skipped and says so.
    let report = ok_report(&analyze(dir.path()));
    healthy_part_survives(&report);
    assert_eq!(skipped(&report), vec![("src/big.js".to_owned(), "too-large".to_owned())]);

    // Limit raised: it is parsed (≈10 s, ≈240 MB in a debug build).
    write(dir.path(), "seamline.toml", "[discover]\nmax_file_size = 20000000\n");
    let report = ok_report(&analyze(dir.path()));
    assert_eq!(skipped(&report), vec![]);
    assert_eq!(module(&report, "src/big.js").unwrap()["lines"], 200_001);
    assert_eq!(edge(&report, "src/big.js", "src/b.js"), Some(vec![1]));
    assert_eq!(diagnostics(&report), vec![]);
}

// ---------------------------------------------------------------------------------------------
// 7. Nesting 10,000 deep. Each level is on its own line: on a single line the file is skipped as
//    `minified` (average line length) before any recursion happens, which hides the problem.
//    Every crash below is a stack overflow in a rayon worker (exit 134, SIGABRT):
//      thread '<unknown>' (…) has overflowed its stack
//      fatal runtime error: stack overflow, aborting
//    In a debug build the depth that overflows is ~820 for nested calls and ~1,500 for `+` chains.
// ---------------------------------------------------------------------------------------------

const DEPTH: usize = 10_000;

/// `src/deep.js` = an import of `./b` + `body`; returns the report after asserting a clean run.
fn deep(body: &str) -> (tempfile::TempDir, Output) {
    let dir = repo();
    write(dir.path(), "src/deep.js", format!("import {{ b }} from './b';\n{body}"));
    write(dir.path(), "src/db.js", "module.exports = { query() {} };\n");
    let out = analyze(dir.path());
    (dir, out)
}

/// What a run on a pathological-but-valid file must give: the file is analysed (its import is found)
/// and, where a depth limit was hit, a diagnostic says so.
fn deep_survives(out: &Output, expect_diagnostic: bool) {
    let report = ok_report(out);
    healthy_part_survives(&report);
    assert_eq!(edge(&report, "src/deep.js", "src/b.js"), Some(vec![1]), "the deep file is still analysed");
    if expect_diagnostic {
        assert!(
            diagnosed(&report, "src/deep.js"),
            "a depth limit should become a diagnostic on src/deep.js: {:?}",
            diagnostics(&report)
        );
    }
}

#[test]
fn deep_nesting_on_one_line_is_skipped_as_minified() {
    let (_dir, out) = deep(&format!("const x = {}1{};\n", "(".repeat(DEPTH), ")".repeat(DEPTH)));
    let report = ok_report(&out);
    assert_eq!(skipped(&report), vec![("src/deep.js".to_owned(), "minified".to_owned())]);
}

#[test]
fn deeply_nested_parentheses() {
    // Fixed (was: exit 134, stack overflow in facts/data.rs:550 `is_string_like`
    // (parenthesized_expression recursion, reached from Reader::declarator, data.rs:272).
    let (_dir, out) = deep(&format!("const x = {}1{};\n", "(\n".repeat(DEPTH), ")\n".repeat(DEPTH)));
    deep_survives(&out, false);
}

#[test]
fn deeply_nested_arrays() {
    let (_dir, out) = deep(&format!("const x = {}1{};\n", "[\n".repeat(DEPTH), "]\n".repeat(DEPTH)));
    deep_survives(&out, false);
}

#[test]
fn deeply_nested_arrow_functions() {
    let (_dir, out) = deep(&format!("const x = {}1;\n", "() =>\n".repeat(DEPTH)));
    deep_survives(&out, false);
}

#[test]
fn deeply_nested_calls() {
    // Fixed (was: exit 134, stack overflow in the mutual recursion Reader::args -> Reader::arg, from
    // Reader::call_chain -> flatten; then, with bounded recursion, minutes: every call looked up its parents with
    // tree-sitter's `Node::parent`, which descends from the root, so 10,000 nested calls cost 10,000² steps
    // (17.6 s in a release build). Parents now come from facts/ancestry.rs (0.35 s), and the depth limit on
    // arguments is a `nesting-too-deep` diagnostic.
    let (_dir, out) =
        deep(&format!("function f(a) {{ return a; }}\nconst x = {}1{};\n", "f(\n".repeat(DEPTH), ")\n".repeat(DEPTH)));
    deep_survives(&out, true);
}

#[test]
fn deeply_nested_arrays_and_objects_as_call_arguments() {
    // Fixed (was: exit 134 for both, stack overflow in Reader::arg (facts/data.rs:497 `array` and
    // data.rs:506 `object` arms recurse without a depth limit).
    for (open, close) in [("[\n", "]\n"), ("{a:\n", "}\n")] {
        let (_dir, out) =
            deep(&format!("function f(a) {{ return a; }}\nf({}1{});\n", open.repeat(DEPTH), close.repeat(DEPTH)));
        deep_survives(&out, false);
    }
}

#[test]
fn long_member_chain() {
    let chain: String = (0..DEPTH).map(|i| format!("\n.p{i}")).collect();
    let (_dir, out) = deep(&format!("const a = {{}};\nconst x = a{chain};\n"));
    deep_survives(&out, false);
}

#[test]
fn long_plus_chain() {
    // Fixed (was: exit 134 already at 1,500 terms (debug), stack overflow in facts/data.rs:548
    // `is_string_like` recursing into the left operand of each `+`. Generated string building
    // (`'a' +\n'b' +\n…`) is realistic input.
    let terms = vec!["'s'"; DEPTH].join(" +\n");
    let (_dir, out) = deep(&format!("const x = {terms};\n"));
    deep_survives(&out, false);
}

#[test]
fn deeply_nested_sql_in_a_template_literal_is_a_sql_parse_error() {
    let (_dir, out) = deep(&format!(
        "const db = require('./db');\nfunction q() {{ return db.query(`SELECT {}1{} FROM t`); }}\nmodule.exports = {{ q }};\n",
        "(\n".repeat(DEPTH),
        ")\n".repeat(DEPTH)
    ));
    deep_survives(&out, true);
    let report = ok_report(&out);
    assert_eq!(
        diagnostics(&report),
        vec![diag(
            "warning",
            "sql-parse-error",
            "src/deep.js",
            3,
            "SQL could not be parsed (sql parser error: recursion limit exceeded); tables were read lexically and are approximate"
        )]
    );
    let sql = &report["sql"][0];
    assert_eq!(sql["reads"], serde_json::json!(["t"]));
    assert_eq!(sql["approximate"], true);
}

#[test]
fn deeply_nested_sql_built_by_concatenation() {
    // Fixed (was: exit 134, stack overflow in facts/data.rs:548 `is_string_like` (reached from
    // Reader::arg, data.rs:489) on `db.query('SELECT (' +\n'(' +\n… ' FROM t')` — sqlparser never runs.
    let (_dir, out) = deep(&format!(
        "const db = require('./db');\nfunction q() {{ return db.query('SELECT {}1{} FROM t'); }}\nmodule.exports = {{ q }};\n",
        // 10,000 `+` terms in all: the concatenation nests 10,000 deep.
        "(' +\n'".repeat(DEPTH / 2),
        ")' +\n'".repeat(DEPTH / 2)
    ));
    deep_survives(&out, false);
}

#[test]
fn deeply_nested_functions_and_classes_finish_quickly() {
    // Fixed (was: quadratic in the nesting depth: 10,000 nested `function fN(){` took 62 s (debug) and 6.7 s
    // (release); nested `class { m() { return … }}` 78 s (release) at 10,000. Each fact climbed to the root with
    // `Node::parent` to find its function and class. Now the enclosing scopes come from an index
    // (facts/scopes.rs) and parents from facts/ancestry.rs: 0.17 s and 0.79 s (release).
    let funcs: String = (0..DEPTH).map(|i| format!("function f{i}() {{\n")).collect();
    let (_dir, out) = deep(&format!("{funcs}return 1;{}", "}\n".repeat(DEPTH)));
    deep_survives(&out, false);
    let (_dir, out) =
        deep(&format!("const X = {}1{};\n", "class { m() { return\n".repeat(DEPTH), "}}\n".repeat(DEPTH)));
    deep_survives(&out, false);
}

// ---------------------------------------------------------------------------------------------
// 8. Empty repository, README only
// ---------------------------------------------------------------------------------------------

#[test]
fn empty_repository_and_readme_only_give_an_empty_report() {
    let empty = tempfile::tempdir().unwrap();
    let readme = tempfile::tempdir().unwrap();
    write(readme.path(), "README.md", "# Hello\n");
    for dir in [empty.path(), readme.path()] {
        let report = ok_report(&analyze(dir));
        assert_eq!(report["summary"]["files"], 0);
        assert_eq!(report["modules"], serde_json::json!([]));
        assert_eq!(report["dependencies"], serde_json::json!([]));
        assert_eq!(report["skipped"], serde_json::json!([]));
        assert_eq!(diagnostics(&report), vec![]);
        assert_eq!(report["quality"]["verdict"], "nothing-to-split");
    }
}

// ---------------------------------------------------------------------------------------------
// 9. PATH is a regular file
// ---------------------------------------------------------------------------------------------

#[test]
fn path_that_is_a_regular_file_is_a_usage_error() {
    let dir = repo();
    let file = dir.path().join("src/a.js");
    let out = seamline().arg("analyze").arg(&file).arg("-q").timeout(TIMEOUT).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(out.stdout.is_empty());
    assert_eq!(stderr.trim_end().lines().count(), 1, "one-line error: {stderr}");
    assert!(stderr.contains(&*file.to_string_lossy()), "names the path: {stderr}");
    assert!(stderr.contains("is a file, not a directory"), "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// 10. Unreadable files: permission denied (not testable as root), dangling symlink, FIFO
// ---------------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn unreadable_file_is_a_read_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = repo();
    write(dir.path(), "src/c.js", "import { b } from './b';\nexport const c = b;\n");
    let c = dir.path().join("src/c.js");
    std::fs::set_permissions(&c, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&c).is_ok() {
        // Running as root: mode 000 does not stop reads, so there is nothing to test here.
        eprintln!("skipped: running as root, chmod 000 has no effect");
        std::fs::set_permissions(&c, std::fs::Permissions::from_mode(0o644)).unwrap();
        return;
    }
    let report = ok_report(&analyze(dir.path()));
    std::fs::set_permissions(&c, std::fs::Permissions::from_mode(0o644)).unwrap();
    healthy_part_survives(&report);
    assert_eq!(
        diagnostics(&report),
        vec![diag("error", "read-error", "src/c.js", 0, "cannot read: Permission denied (os error 13)")]
    );
}

#[cfg(unix)]
#[test]
fn files_that_disappear_or_turn_into_folders_after_discovery_are_read_errors() {
    // Mid-run changes, made deterministic: discovery lists the files, then one is deleted and one replaced by a
    // folder before parsing reads them.
    let dir = repo();
    write(dir.path(), "src/gone.js", "export const gone = 1;\n");
    write(dir.path(), "src/folder.js", "export const folder = 1;\n");
    let found = seamline::discover::discover(dir.path(), &seamline::config::DiscoverOptions::default()).unwrap();
    std::fs::remove_file(dir.path().join("src/gone.js")).unwrap();
    std::fs::remove_file(dir.path().join("src/folder.js")).unwrap();
    std::fs::create_dir(dir.path().join("src/folder.js")).unwrap();
    let parsed = seamline::parse::parse_all(dir.path(), &found.files, &|| {});
    let paths: Vec<&str> = parsed.modules.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(paths, ["src/a.js", "src/b.js"], "the rest is parsed");
    let diagnostics: Vec<(&str, &str, &str)> =
        parsed.diagnostics.iter().map(|d| (d.code.as_str(), d.path.as_str(), d.message.as_str())).collect();
    assert_eq!(
        diagnostics,
        [
            ("read-error", "src/folder.js", "cannot read: Is a directory (os error 21)"),
            ("read-error", "src/gone.js", "cannot read: No such file or directory (os error 2)"),
        ]
    );
    assert!(parsed.diagnostics.iter().all(|d| d.level == seamline::model::Level::Error), "the report is incomplete");
}

#[cfg(unix)]
#[test]
fn dangling_symlink_and_fifo_do_not_block_and_their_importers_are_told() {
    // Neither is a regular file, so discovery leaves both out without a word; what surfaces is the
    // importer's `unresolved-import`. Reading the FIFO would block forever: the short timeout guards it.
    let dir = repo();
    std::os::unix::fs::symlink("nowhere.js", dir.path().join("src/gone.js")).unwrap();
    mkfifo(&dir.path().join("src/pipe.js"));
    write(dir.path(), "src/d.js", "import g from './gone';\nimport p from './pipe';\nexport const d = [g, p];\n");
    let report = ok_report(&analyze_with(dir.path(), &[], SHORT_TIMEOUT));
    healthy_part_survives(&report);
    assert_eq!(
        diagnostics(&report),
        vec![
            diag("warning", "unresolved-import", "src/d.js", 1, "cannot resolve './gone' from src/d.js"),
            diag("warning", "unresolved-import", "src/d.js", 2, "cannot resolve './pipe' from src/d.js"),
        ]
    );
}

#[cfg(unix)]
#[test]
fn fifo_named_gitignore_does_not_hang() {
    // Fixed (was: hangs forever (killed by the timeout). The `ignore` walker opens the FIFO as a gitignore file
    // and blocks in open(2): ignore::gitignore::GitignoreBuilder::add <- ignore::dir::Ignore::add_child). Now
    // discovery checks each folder's ignore files first: at the root ignore files are then not applied (a
    // warning), in a subfolder the folder is left out (an error: the report is incomplete, exit 3).
    // A FIFO named seamline.toml, package.json, tsconfig.json or schema.sql is ignored without blocking.
    let dir = repo();
    mkfifo(&dir.path().join(".gitignore"));
    let report = ok_report(&analyze_with(dir.path(), &[], SHORT_TIMEOUT));
    healthy_part_survives(&report);
    assert!(diagnosed(&report, ".gitignore"), "the unusable ignore file should be a diagnostic");

    // In a subfolder: that folder is left out and the report says it is incomplete.
    let dir = repo();
    write(dir.path(), "src/lib/x.js", "export const x = 1;\n");
    mkfifo(&dir.path().join("src/lib/.gitignore"));
    let out = analyze_with(dir.path(), &[], SHORT_TIMEOUT);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    healthy_part_survives(&report);
    assert!(module(&report, "src/lib/x.js").is_none());
    assert!(
        diagnostics(&report).contains(&diag(
            "error",
            "ignore-file-unusable",
            "src/lib/.gitignore",
            0,
            "not a regular file (a FIFO or device); its folder was left out"
        )),
        "{:?}",
        diagnostics(&report)
    );
}

// ---------------------------------------------------------------------------------------------
// 11. Symlink loops
// ---------------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn symlink_loops_do_not_hang() {
    use std::os::unix::fs::symlink;
    let dir = repo();
    let src = dir.path().join("src");
    symlink(".", src.join("loop")).unwrap();
    symlink("loop_b", src.join("loop_a")).unwrap();
    symlink("loop_a", src.join("loop_b")).unwrap();
    symlink("x2.js", src.join("x1.js")).unwrap();
    symlink("x1.js", src.join("x2.js")).unwrap();
    write(dir.path(), "src/l.js", "import x from './x1';\nimport y from './loop_a/b';\nexport const l = [x, y];\n");
    let report = ok_report(&analyze_with(dir.path(), &[], SHORT_TIMEOUT));
    healthy_part_survives(&report);
    let modules: Vec<_> = report["modules"].as_array().unwrap().iter().map(|m| m["path"].as_str().unwrap()).collect();
    assert_eq!(modules, vec!["src/a.js", "src/b.js", "src/l.js"], "symlinks are never followed");
    assert_eq!(
        diagnostics(&report),
        vec![
            diag("warning", "unresolved-import", "src/l.js", 1, "cannot resolve './x1' from src/l.js"),
            diag("warning", "unresolved-import", "src/l.js", 2, "cannot resolve './loop_a/b' from src/l.js"),
        ]
    );
}

#[cfg(unix)]
#[test]
fn imports_through_symlinks_inside_the_root_are_not_silently_dropped() {
    // Fixed (was: `./loop/loop/b` (through `src/loop -> .`) and `./alias` (`src/alias.js -> b.js`) give
    // neither an edge nor a diagnostic: resolve/mod.rs `exists` uses `is_file()`, which follows the link,
    // so the import resolves to an asset and disappears, while discovery never follows symlinks.
    use std::os::unix::fs::symlink;
    let dir = repo();
    symlink(".", dir.path().join("src/loop")).unwrap();
    symlink("b.js", dir.path().join("src/alias.js")).unwrap();
    write(
        dir.path(),
        "src/t.js",
        "import { b } from './loop/loop/b';\nimport { b as c } from './alias';\nexport const t = [b, c];\n",
    );
    let report = ok_report(&analyze_with(dir.path(), &[], SHORT_TIMEOUT));
    healthy_part_survives(&report);
    let via_link = |line: u64| {
        edge(&report, "src/t.js", "src/b.js").is_some_and(|lines| lines.contains(&line))
            || diagnostics(&report).iter().any(|d| d.2 == "src/t.js" && d.3 == line)
    };
    assert!(via_link(1), "import through the directory symlink: no edge and no diagnostic");
    assert!(via_link(2), "import of a symlinked file: no edge and no diagnostic");
}

// ---------------------------------------------------------------------------------------------
// 12. tsconfig `extends` cycles
// ---------------------------------------------------------------------------------------------

fn ts_repo(tsconfig: &str, base: Option<&str>) -> tempfile::TempDir {
    let dir = repo();
    write(dir.path(), "tsconfig.json", tsconfig);
    if let Some(base) = base {
        write(dir.path(), "tsconfig.base.json", base);
    }
    write(dir.path(), "src/lib/util.ts", "export const u = 1;\n");
    write(dir.path(), "src/main.ts", "import { u } from '@lib/util';\nexport const m = u;\n");
    dir
}

#[test]
fn tsconfig_extends_cycles_terminate_and_keep_paths_aliases() {
    let self_extending = ts_repo(
        r#"{ "extends": "./tsconfig.json", "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["src/lib/*"] } } }"#,
        None,
    );
    let mutual = ts_repo(
        r#"{ "extends": "./tsconfig.base.json", "compilerOptions": { "baseUrl": "." } }"#,
        Some(r#"{ "extends": "./tsconfig.json", "compilerOptions": { "paths": { "@lib/*": ["src/lib/*"] } } }"#),
    );
    for dir in [&self_extending, &mutual] {
        let report = ok_report(&analyze_with(dir.path(), &[], SHORT_TIMEOUT));
        healthy_part_survives(&report);
        assert_eq!(edge(&report, "src/main.ts", "src/lib/util.ts"), Some(vec![1]), "the alias still resolves");
    }
}

#[test]
fn tsconfig_extends_cycle_is_reported() {
    // Fixed (was: the cycle is cut silently (resolve/tsconfig.rs `layer`: "an `extends` cycle: stop
    // rather than loop") with no diagnostic; tsc reports it as an error ("Circularity detected…").
    let dir = ts_repo(
        r#"{ "extends": "./tsconfig.json", "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["src/lib/*"] } } }"#,
        None,
    );
    let report = ok_report(&analyze_with(dir.path(), &[], SHORT_TIMEOUT));
    assert!(
        diagnostics(&report).iter().any(|d| d.1 == "config-error" && d.2 == "tsconfig.json"),
        "{:?}",
        diagnostics(&report)
    );
}

// ---------------------------------------------------------------------------------------------
// 13. package.json that is not JSON
// ---------------------------------------------------------------------------------------------

#[test]
fn broken_package_json_is_a_config_error_at_the_root_and_in_a_subfolder() {
    let dir = repo();
    write(dir.path(), "package.json", "{ \"name\": ");
    write(dir.path(), "packages/sub/package.json", "{ \"name\": ");
    write(dir.path(), "packages/sub/src/s.js", "export const s = 1;\n");
    write(
        dir.path(),
        "src/m.js",
        "import { s } from '../packages/sub/src/s';\nimport lodash from 'lodash';\nexport const m = s;\n",
    );
    let report = ok_report(&analyze(dir.path()));
    healthy_part_survives(&report);
    let message = "cannot parse: EOF while parsing a value at line 1 column 10";
    assert_eq!(
        diagnostics(&report),
        vec![
            diag("warning", "config-error", "package.json", 0, message),
            diag("warning", "config-error", "packages/sub/package.json", 0, message),
        ]
    );
    assert_eq!(edge(&report, "src/m.js", "packages/sub/src/s.js"), Some(vec![1]));
    assert_eq!(report["external_dependencies"][0]["package"], "lodash");
}

// ---------------------------------------------------------------------------------------------
// 14. 1 MB SQL string and 1 MB template literal
// ---------------------------------------------------------------------------------------------

#[test]
fn megabyte_sql_and_template_literal_are_analysed() {
    // Exactly 1 MB files exceed the default 1,000,000-byte limit (`too-large`), and a 1 MB single line is
    // `minified`; so: (a) ~920 kB multi-line SQL and ~950 kB template under the default limit,
    // (b) a 1 MB single-line SQL string with the limit raised and `--include` (which skips the minified check).
    let dir = repo();
    write(dir.path(), "src/db.js", "module.exports = { query() {} };\n");
    let ids: Vec<String> =
        (0..14_500).map(|i| (0..10).map(|j| (i * 10 + j).to_string()).collect::<Vec<_>>().join(",")).collect();
    let sql = format!("SELECT id, name FROM users WHERE id IN ({})", ids.join(",\n"));
    write(
        dir.path(),
        "src/q.js",
        format!(
            "const db = require('./db');\nasync function find() {{\n  return db.query(`{sql}`);\n}}\nmodule.exports = {{ find }};\n"
        ),
    );
    let body: Vec<String> = (0..33_000).map(|i| format!("line {i} of text ${{x}} more")).collect();
    write(
        dir.path(),
        "src/t.js",
        format!("import {{ b }} from './b';\nconst x = b();\nexport const t = `{}`;\n", body.join("\n")),
    );
    let report = ok_report(&analyze(dir.path()));
    healthy_part_survives(&report);
    assert_eq!(skipped(&report), vec![]);
    assert_eq!(diagnostics(&report), vec![]);
    let sql = &report["sql"][0];
    assert_eq!((sql["path"].as_str(), sql["line"].as_u64()), (Some("src/q.js"), Some(3)));
    assert_eq!(sql["kind"], "select");
    assert_eq!(sql["reads"], serde_json::json!(["users"]));
    assert_eq!(sql["approximate"], false);
    assert_eq!(edge(&report, "src/t.js", "src/b.js"), Some(vec![1]));

    let big = tempfile::tempdir().unwrap();
    write(big.path(), "src/db.js", "module.exports = { query() {} };\n");
    let mut in_list = String::new();
    let mut i = 0;
    while in_list.len() < 1_000_000 {
        in_list.push_str(&format!("{i},"));
        i += 1;
    }
    in_list.pop();
    write(
        big.path(),
        "src/q.js",
        format!(
            "const db = require(\"./db\");\nasync function find() {{\n  return db.query(\"SELECT id, name FROM users WHERE id IN ({in_list})\");\n}}\nmodule.exports = {{ find }};\n"
        ),
    );
    write(big.path(), "seamline.toml", "[discover]\nmax_file_size = 20000000\n");
    let report = ok_report(&analyze_with(big.path(), &["--include", "src/**"], TIMEOUT));
    assert_eq!(diagnostics(&report), vec![]);
    assert_eq!(report["sql"][0]["reads"], serde_json::json!(["users"]));
    assert_eq!(report["sql"][0]["approximate"], false);
}

// ---------------------------------------------------------------------------------------------
// 15. File names that are not UTF-8
// ---------------------------------------------------------------------------------------------

#[cfg(target_os = "linux")]
#[test]
fn non_utf8_file_and_folder_names_are_not_silently_dropped() {
    // Fixed (was: `src/\xff.js` and `src/d\xfe/q.js` vanish without a trace: no module, no `skipped`
    // entry, no diagnostic (discover.rs `relative` returns None for a non-UTF-8 component and the walk
    // `continue`s). Desired: the file analysed under a lossy name, or at least a diagnostic naming it.
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = repo();
    let src = dir.path().join("src");
    std::fs::write(src.join(OsStr::from_bytes(b"\xff.js")), "import { b } from './b';\nexport const z = b();\n")
        .unwrap();
    let folder = src.join(OsStr::from_bytes(b"d\xfe"));
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("q.js"), "export const q = 1;\n").unwrap();
    let report = ok_report(&analyze(dir.path()));
    healthy_part_survives(&report);
    let mentioned = |needle: &str| {
        module(&report, needle).is_some() || diagnostics(&report).iter().any(|d| d.2 == needle || d.4.contains(needle))
    };
    assert!(mentioned("src/\u{FFFD}.js"), "modules or diagnostics should name src/\\xff.js");
    assert!(mentioned("src/d\u{FFFD}/q.js"), "modules or diagnostics should name src/d\\xfe/q.js");
}
