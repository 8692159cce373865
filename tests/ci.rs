//! seamline in CI: a git repository of `fixtures/ci-gate` with commits that add a cross-context call, a
//! write-write shared table, an import cycle and a cross-context transaction. `diff --rev` shows each with its
//! location, `check` fails on each, a baseline suppresses the old ones but not a new one, a commit removing them
//! passes, diffing revisions never touches the work tree, and the SARIF output validates against the official
//! SARIF 2.1.0 schema.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

#[path = "support/files.rs"]
mod files;
use files::copy_dir;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ci-gate")
}

fn git(dir: &Path, args: &[&str]) -> String {
    let output = std::process::Command::new("git")
        .args(["-c", "user.name=seamline test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git is installed");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} does not contain {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// The four violations, as one commit's edits.
fn add_violations(root: &Path) {
    // A call from orders into billing (and with it an import cycle: billing already imports orders).
    edit(
        root,
        "src/orders/orderService.js",
        "const { productPage } = require('../catalog/catalogService');\n",
        "const { productPage } = require('../catalog/catalogService');\nconst { history } = require('../billing/billingService');\n",
    );
    edit(
        root,
        "src/orders/orderService.js",
        "module.exports = { placeOrder, orderDetails };",
        "async function orderPayments(id) {\n  return history(id);\n}\n\nmodule.exports = { placeOrder, orderDetails, orderPayments };",
    );
    // Catalog writes the orders table: a write-write shared table.
    edit(
        root,
        "src/catalog/productRepository.js",
        "module.exports = { findProduct, renameProduct };",
        "async function markOrdered(orderId) {\n  await pool.query('UPDATE orders SET status = $2 WHERE id = $1', [orderId, 'ordered']);\n}\n\nmodule.exports = { findProduct, renameProduct, markOrdered };",
    );
    // Billing's transaction changes the orders table through orders' repository: a cross-context transaction.
    edit(
        root,
        "src/orders/orderRepository.js",
        "module.exports = { insertOrder, findOrder };",
        "async function markPaid(client, id) {\n  await client.query('UPDATE orders SET paid = true WHERE id = $1', [id]);\n}\n\nmodule.exports = { insertOrder, findOrder, markPaid };",
    );
    edit(
        root,
        "src/billing/billingService.js",
        "const { orderDetails } = require('../orders/orderService');\n",
        "const { orderDetails } = require('../orders/orderService');\nconst { markPaid } = require('../orders/orderRepository');\n",
    );
    edit(
        root,
        "src/billing/billingService.js",
        "    await insertPayment(client, orderId, order.total_cents);\n",
        "    await insertPayment(client, orderId, order.total_cents);\n    await markPaid(client, orderId);\n",
    );
}

/// A repository with three commits: `base` (clean), `violations` (the four above), `another` (one more call
/// from orders into billing), and the work tree at `another`.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(&fixture(), root);
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "base"]);
    git(root, &["tag", "base"]);
    add_violations(root);
    git(root, &["commit", "-q", "-am", "violations"]);
    git(root, &["tag", "violations"]);
    edit(
        root,
        "src/orders/orderService.js",
        "const { insertOrder, findOrder } = require('./orderRepository');\n",
        "const { insertOrder, findOrder } = require('./orderRepository');\nconst { paymentsFor } = require('../billing/paymentRepository');\n",
    );
    edit(
        root,
        "src/orders/orderService.js",
        "  return findOrder(id);\n",
        "  await paymentsFor(id);\n  return findOrder(id);\n",
    );
    git(root, &["commit", "-q", "-am", "another"]);
    git(root, &["tag", "another"]);
    dir
}

fn seamline(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("seamline").unwrap().current_dir(dir).args(args).output().unwrap()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)))
}

fn check_code(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", ".", "--format", "json", "-q"];
    all.extend_from_slice(args);
    let output = seamline(dir, &all);
    (output.status.code().unwrap(), json(&output))
}

fn keys(result: &Value, baselined: bool) -> Vec<String> {
    result["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["baselined"].as_bool() == Some(baselined))
        .map(|v| format!("{} {}", v["rule"].as_str().unwrap(), v["key"].as_str().unwrap()))
        .collect()
}

#[test]
fn diff_between_revisions_with_a_cache_gives_the_same_diff() {
    let repo = repository();
    let args = ["diff", "--rev", "base", "--rev", "violations", "--format", "json", "-q"];
    let fresh = seamline(repo.path(), &args);
    assert_eq!(fresh.status.code(), Some(0), "{}", String::from_utf8_lossy(&fresh.stderr));
    let cache = tempfile::tempdir().unwrap();
    let with_cache: Vec<&str> = args.iter().copied().chain(["--cache-dir", cache.path().to_str().unwrap()]).collect();
    // The first run fills the cache from both revisions; the second finds the facts of both and the analysis of
    // the revision analysed last; a third, the other way round, must still give its own diff.
    for run in 0..2 {
        let out = seamline(repo.path(), &with_cache);
        assert_eq!(out.stdout, fresh.stdout, "run {run}: {}", String::from_utf8_lossy(&out.stderr));
    }
    assert!(cache.path().join("facts.bin").is_file() && cache.path().join("analysis.bin").is_file());
    assert!(!repo.path().join(".seamline-cache").exists(), "diff --rev never writes into the repository");
    let reversed = ["diff", "--rev", "violations", "--rev", "base", "--format", "json", "-q"];
    let reversed_cached: Vec<&str> =
        reversed.iter().copied().chain(["--cache-dir", cache.path().to_str().unwrap()]).collect();
    assert_eq!(seamline(repo.path(), &reversed_cached).stdout, seamline(repo.path(), &reversed).stdout);
}

#[test]
fn diff_between_revisions_shows_each_new_problem_with_its_location() {
    let repo = repository();
    let out = seamline(repo.path(), &["diff", "--rev", "base", "--rev", "violations", "--format", "json", "-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let diff = json(&out);
    let added = |section: &str| diff[section]["added"].as_array().unwrap().clone();

    let deps = added("cross_context_dependencies");
    let call = deps
        .iter()
        .find(|d| d["kind"] == "call" && d["from_context"] == "orders" && d["to_context"] == "billing")
        .unwrap_or_else(|| panic!("no new orders → billing call in {deps:#?}"));
    assert_eq!(call["path"], "src/orders/orderService.js");
    assert_eq!(call["line"], 29, "the line of `return history(id)`");
    assert_eq!(call["detail"], "src/orders/orderService.js#orderPayments → src/billing/billingService.js#history");
    let import = deps.iter().find(|d| d["kind"] == "import" && d["from_context"] == "orders").unwrap();
    assert_eq!((import["path"].as_str(), import["line"].as_u64()), (Some("src/orders/orderService.js"), Some(6)));

    let contested = added("contested_tables");
    assert_eq!(contested.len(), 1, "{contested:#?}");
    assert_eq!(contested[0]["table"], "orders");
    assert_eq!(contested[0]["contexts"], serde_json::json!(["catalog", "orders"]));
    assert_eq!(
        (contested[0]["path"].as_str(), contested[0]["line"].as_u64()),
        (Some("src/catalog/productRepository.js"), Some(15))
    );

    let cycles = added("cycles");
    assert_eq!(cycles.len(), 1, "{cycles:#?}");
    assert_eq!(
        cycles[0]["modules"],
        serde_json::json!(["src/billing/billingService.js", "src/orders/orderService.js"])
    );
    assert!(cycles[0]["line"].as_u64().unwrap() > 0);

    let transactions = added("cross_context_transactions");
    assert_eq!(transactions.len(), 1, "{transactions:#?}");
    assert_eq!(transactions[0]["function"], "charge");
    assert_eq!(transactions[0]["contexts"], serde_json::json!(["billing", "orders"]));
    assert_eq!(
        (transactions[0]["path"].as_str(), transactions[0]["line"].as_u64()),
        (Some("src/billing/billingService.js"), Some(12))
    );

    // Pinned contexts keep every module where it was: the proposal is perfectly stable.
    assert_eq!(diff["moved_modules"], serde_json::json!([]));
    assert_eq!(diff["stability"]["adjusted_rand_index"], 1.0);
    assert_eq!(diff["stability"]["mojofm"], 100.0);
    let orders =
        diff["modules"].as_array().unwrap().iter().find(|m| m["name"] == "src/orders/orderService.js").unwrap();
    assert_eq!(orders["change"]["ce"], 1, "orderService now also depends on billingService: {orders}");
    // The orders context now depends on billing too, shares the orders table with catalog and a transaction with
    // billing; so does its folder.
    let context = diff["contexts"].as_array().unwrap().iter().find(|c| c["name"] == "orders").unwrap();
    assert_eq!(
        context["change"],
        serde_json::json!({"ca": 0, "ce": 1, "instability": 0.1667, "shared_tables": 1, "shared_transactions": 1})
    );
    let folder = diff["directories"].as_array().unwrap().iter().find(|d| d["name"] == "src/orders").unwrap();
    assert_eq!(
        (folder["change"]["ce"].as_i64(), folder["change"]["shared_tables"].as_i64()),
        (Some(1), Some(1)),
        "{folder}"
    );

    // The same changes, as text and as a pull-request comment; `base..violations` is the same as two --rev.
    let text = seamline(repo.path(), &["diff", "base..violations", "-q"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("call orders → billing") && text.contains("src/orders/orderService.js:29"), "{text}");
    let md =
        String::from_utf8(seamline(repo.path(), &["diff", "base..violations", "--format", "md", "-q"]).stdout).unwrap();
    assert!(md.starts_with("## seamline diff: base → violations") && md.contains("### New import cycles (1)"), "{md}");

    // Reversed, the same problems are removed, and comparing saved reports gives the same answer as revisions.
    let back =
        json(&seamline(repo.path(), &["diff", "--rev", "violations", "--rev", "base", "--format", "json", "-q"]));
    assert_eq!(back["cycles"]["removed"].as_array().unwrap().len(), 1);
    assert_eq!(back["contested_tables"]["removed"][0]["table"], "orders");
}

#[test]
fn check_fails_on_each_violation_and_the_baseline_only_lets_known_ones_through() {
    let repo = repository();
    let root = repo.path();
    git(root, &["checkout", "-q", "base"]);
    let (code, result) = check_code(root, &[]);
    assert_eq!((code, keys(&result, false)), (0, Vec::<String>::new()), "the base commit is clean");

    git(root, &["checkout", "-q", "violations"]);
    let (code, result) = check_code(root, &[]);
    assert_eq!(code, 1);
    let found = keys(&result, false);
    for expected in [
        "no-dependency:orders->billing call:src/orders/orderService.js#orderPayments → src/billing/billingService.js#history",
        "no-dependency:orders->billing import:src/orders/orderService.js->src/billing/billingService.js",
        "no-write-write-table table:orders",
        "max-cycles cycle:src/billing/billingService.js,src/orders/orderService.js",
        "no-cross-context-transaction transaction:src/billing/billingService.js#charge",
    ] {
        assert!(found.contains(&expected.to_owned()), "{expected} missing from {found:#?}");
    }
    assert_eq!(found.len(), 5, "{found:#?}");
    // Each violation points at the offending line.
    let lines: Vec<(String, u64)> = result["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["location"]["path"].as_str().unwrap().to_owned(), v["location"]["line"].as_u64().unwrap()))
        .collect();
    assert!(lines.contains(&("src/catalog/productRepository.js".to_owned(), 15)), "{lines:?}");
    assert!(lines.contains(&("src/billing/billingService.js".to_owned(), 12)), "{lines:?}");

    // Record them; with the baseline the same commit passes.
    let baseline = root.join("baseline.json");
    let out = seamline(root, &["baseline", ".", "--output", baseline.to_str().unwrap(), "-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let (code, result) = check_code(root, &["--baseline", "baseline.json"]);
    assert_eq!((code, keys(&result, false).len(), keys(&result, true).len()), (0, 0, 5));

    // One more call from orders into billing is new: it fails, the known ones stay suppressed.
    git(root, &["checkout", "-q", "another"]);
    let (code, result) = check_code(root, &["--baseline", "baseline.json"]);
    assert_eq!(code, 1);
    assert_eq!(
        keys(&result, false),
        vec![
            "no-dependency:orders->billing call:src/orders/orderService.js#orderDetails → src/billing/paymentRepository.js#paymentsFor",
            "no-dependency:orders->billing import:src/orders/orderService.js->src/billing/paymentRepository.js",
        ]
    );
    assert_eq!(keys(&result, true).len(), 5);

    // A commit removing them passes, with or without the baseline (fixed entries never fail).
    git(root, &["checkout", "-q", "base", "--", "src"]);
    git(root, &["commit", "-q", "-am", "remove them"]);
    let (code, result) = check_code(root, &["--baseline", "baseline.json"]);
    assert_eq!((code, keys(&result, false).len(), result["fixed"].as_array().unwrap().len()), (0, 0, 5));
    assert_eq!(check_code(root, &[]).0, 0);

    // Text output names file, line, severity and rule; a broken baseline is unusable input.
    let text = seamline(root, &["check", ".", "--report", "/nonexistent.json"]);
    assert_eq!(text.status.code(), Some(2));
    std::fs::write(root.join("bad.json"), "{\"seamline_baseline\": 9, \"violations\": []}").unwrap();
    let bad = seamline(root, &["check", ".", "--baseline", "bad.json"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("baseline format 9"));
}

#[test]
fn a_rule_naming_an_unknown_context_or_a_config_without_rules_is_unusable_input() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    let config = dir.path().join("seamline.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace("to = \"billing\"", "to = \"biling\"")).unwrap();
    let out = seamline(dir.path(), &["check", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no context named 'biling'"));
    std::fs::write(&config, "[contexts.orders]\nmodules = [\"src/orders/**\"]\n").unwrap();
    let out = seamline(dir.path(), &["check", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no [[rules]]"));
}

/// Every file under `root` (`.git` included) with its content, so any change to the work tree, index or refs shows.
fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().unwrap();
            (e.path().to_path_buf(), std::fs::read(e.path()).unwrap(), meta.modified().unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn diffing_revisions_never_touches_the_work_tree() {
    let repo = repository();
    let root = repo.path();
    // An uncommitted edit and an untracked file must survive exactly as they are.
    edit(
        root,
        "src/catalog/catalogService.js",
        "return findProduct(id);",
        "return findProduct(id); // work in progress",
    );
    std::fs::write(root.join("notes.txt"), "untracked").unwrap();
    // `git status` refreshes the index's stat cache itself, so it runs before the snapshots, not between them.
    let status = git(root, &["status", "--porcelain"]);
    let before = snapshot(root);
    let out = seamline(root, &["diff", "--rev", "base", "--rev", "violations", "--format", "json", "-q"]);
    assert_eq!(out.status.code(), Some(0));
    let after = snapshot(root);
    let changed: Vec<_> = before.iter().zip(&after).filter(|(a, b)| a != b).map(|(a, _)| a.0.clone()).collect();
    assert!(before.len() == after.len() && changed.is_empty(), "the repository changed: {changed:?}");
    assert_eq!(git(root, &["status", "--porcelain"]), status);
    assert!(status.contains(" M src/catalog/catalogService.js") && status.contains("?? notes.txt"), "{status}");
    // The revisions were read, not the work tree: the uncommitted edit is in neither side.
    let diff = json(&out);
    assert_eq!(diff["old"]["commit"].as_str().unwrap().len(), 40);
    assert_ne!(diff["old"]["commit"], diff["new"]["commit"]);
}

#[test]
fn sarif_output_validates_against_the_official_schema() {
    let repo = repository();
    let root = repo.path();
    git(root, &["checkout", "-q", "violations"]);
    let out = seamline(root, &["baseline", ".", "--output", "baseline.json", "-q"]);
    assert_eq!(out.status.code(), Some(0));
    git(root, &["checkout", "-q", "another"]);
    let out = seamline(root, &["check", ".", "--format", "sarif", "--baseline", "baseline.json", "-q"]);
    assert_eq!(out.status.code(), Some(1));
    let sarif = json(&out);
    let schema: Value = serde_json::from_str(include_str!("sarif/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> =
        validator.iter_errors(&sarif).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 5);
    assert!(
        rules
            .iter()
            .all(|r| r["shortDescription"]["text"].is_string() && r["defaultConfiguration"]["level"] == "error")
    );
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 7);
    let new: Vec<&Value> = results.iter().filter(|r| r.get("suppressions").is_none()).collect();
    assert_eq!(new.len(), 2, "only the two new ones are unsuppressed");
    for result in &new {
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "src/orders/orderService.js");
        assert!(location["region"]["startLine"].as_u64().unwrap() > 0);
        assert!(result["partialFingerprints"]["seamlineKey/v1"].is_string());
    }
    // A mutated log must fail, or the validation above proves nothing.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn every_rule_kind_finds_what_it_describes_and_only_errors_fail() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(&fixture(), root);
    // Orders reaches past catalog's API into its repository.
    edit(
        root,
        "src/orders/orderService.js",
        "const { productPage } = require('../catalog/catalogService');\n",
        "const { productPage } = require('../catalog/catalogService');\nconst { findProduct } = require('../catalog/productRepository');\n",
    );
    edit(
        root,
        "src/orders/orderService.js",
        "  return findOrder(id);\n",
        "  await findProduct(id);\n  return findOrder(id);\n",
    );
    let rules = |api_severity: &str| {
        let config = std::fs::read_to_string(fixture().join("seamline.toml")).unwrap();
        let pins = config.split("[[rules]]").next().unwrap().to_owned();
        format!(
            "{pins}[[rules]]\nkind = \"api-only\"\ncontext = \"catalog\"\napi = [\"src/catalog/catalogService.js\"]\nseverity = \"{api_severity}\"\n\
             [[rules]]\nkind = \"max-instability\"\npaths = [\"src/orders/**\"]\nmax = 0.5\nseverity = \"warning\"\n\
             [[rules]]\nkind = \"min-modularity\"\nmin = 0.99\nseverity = \"note\"\n\
             [[rules]]\nkind = \"max-cycles\"\nscope = \"contexts\"\nmax = 0\n"
        )
    };
    std::fs::write(root.join("seamline.toml"), rules("error")).unwrap();
    let (code, result) = check_code(root, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        keys(&result, false),
        vec![
            "api-only:catalog call:src/orders/orderService.js#orderDetails → src/catalog/productRepository.js#findProduct",
            "api-only:catalog import:src/orders/orderService.js->src/catalog/productRepository.js",
            "max-instability module:src/orders/orderService.js",
            "min-modularity modularity",
        ]
    );
    let instability = &result["violations"][2]["message"];
    assert_eq!(instability, "src/orders/orderService.js has instability 0.8 (at most 0.5 allowed)");
    // The same violations as warnings and notes only: reported, exit code 0.
    std::fs::write(root.join("seamline.toml"), rules("warning")).unwrap();
    let (code, result) = check_code(root, &[]);
    assert_eq!((code, keys(&result, false).len()), (0, 4));
}
