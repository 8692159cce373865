//! The SQL corpus (`tests/sql/corpus.json`, hand-written expectations by `docs/data-access-rules.md` §3):
//! precision and recall of (statement, table, mode) must each be at least 0.99, and kinds must match.

use std::collections::BTreeSet;

use seamline::sql::{self, SqlDialect};
use serde_json::Value;

#[test]
fn corpus_precision_and_recall() {
    let corpus: Vec<Value> =
        serde_json::from_str(include_str!("sql/corpus.json")).expect("tests/sql/corpus.json parses");
    assert!(corpus.len() >= 300, "the corpus has {} statements", corpus.len());
    let (mut expected, mut found) = (BTreeSet::new(), BTreeSet::new());
    let mut problems = Vec::new();
    for entry in &corpus {
        let id = entry["id"].as_str().unwrap();
        let dialect: SqlDialect = entry["dialect"].as_str().unwrap().parse().unwrap();
        let result = sql::analyze(entry["sql"].as_str().unwrap(), dialect);
        for (mode, got) in [("reads", &result.reads), ("writes", &result.writes), ("schema", &result.schema)] {
            for table in entry[mode].as_array().unwrap() {
                expected.insert((id.to_owned(), table.as_str().unwrap().to_owned(), mode));
            }
            for table in got {
                found.insert((id.to_owned(), table.clone(), mode));
            }
        }
        let kind = serde_json::to_value(result.kind).unwrap();
        if kind != entry["kind"] {
            problems.push(format!("{id}: kind {kind} (expected {})", entry["kind"]));
        }
        if entry["approximate"].as_bool().unwrap() != result.approximate {
            problems.push(format!("{id}: approximate {} ({:?})", result.approximate, result.parse_error));
        }
        let dynamic = entry.get("dynamic_tables").and_then(Value::as_u64).unwrap_or(0) as usize;
        if dynamic != result.dynamic_tables {
            problems.push(format!("{id}: dynamic_tables {} (expected {dynamic})", result.dynamic_tables));
        }
    }
    let hits = expected.intersection(&found).count() as f64;
    let precision = hits / found.len() as f64;
    let recall = hits / expected.len() as f64;
    for missing in expected.difference(&found) {
        problems.push(format!("missing    {missing:?}"));
    }
    for extra in found.difference(&expected) {
        problems.push(format!("unexpected {extra:?}"));
    }
    eprintln!("corpus: {} statements, precision {precision:.4}, recall {recall:.4}", corpus.len());
    eprintln!("{}", problems.join("\n"));
    assert!(precision >= 0.99 && recall >= 0.99, "precision {precision:.4}, recall {recall:.4}");
    assert!(problems.len() * 100 <= corpus.len(), "{} problems in {} statements", problems.len(), corpus.len());
}
