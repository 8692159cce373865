//! The JSON contract's schema, committed as `docs/report.schema.json`: it must equal the schema generated from the
//! Rust types (run with `SEAMLINE_UPDATE_SCHEMA=1` to regenerate it after a deliberate change), and it must validate
//! the report of every fixture.

use std::path::Path;

fn committed_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/report.schema.json")
}

fn generated() -> String {
    let schema = schemars::schema_for!(seamline::Analysis);
    let mut text = serde_json::to_string_pretty(&schema).unwrap();
    text.push('\n');
    text
}

#[test]
fn the_committed_schema_matches_the_types() {
    let generated = generated();
    if std::env::var_os("SEAMLINE_UPDATE_SCHEMA").is_some() {
        std::fs::write(committed_path(), &generated).unwrap();
    }
    let committed = std::fs::read_to_string(committed_path()).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/report.schema.json drifted from the Rust types; review the change and run \
         SEAMLINE_UPDATE_SCHEMA=1 cargo test --test schema"
    );
}

#[test]
fn the_schema_validates_every_fixture_report() {
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(committed_path()).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema is valid JSON Schema");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut checked = 0;
    for entry in std::fs::read_dir(fixtures).unwrap() {
        let root = entry.unwrap().path();
        if !root.join("expected.json").is_file() {
            continue;
        }
        let analysis = seamline::analyze(&seamline::Config::for_root(&root).unwrap()).unwrap();
        let report = serde_json::to_value(&analysis).unwrap();
        let errors: Vec<String> =
            validator.iter_errors(&report).map(|e| format!("{} at {}", e, e.instance_path())).take(5).collect();
        assert!(errors.is_empty(), "{}: {}", root.display(), errors.join("; "));
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} fixtures checked");

    // The schema has teeth: a report missing a field, or with a wrong type, is rejected.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/roles");
    let mut report =
        serde_json::to_value(seamline::analyze(&seamline::Config::for_root(&root).unwrap()).unwrap()).unwrap();
    report.as_object_mut().unwrap().remove("summary");
    assert!(!validator.is_valid(&report));
    let mut report =
        serde_json::to_value(seamline::analyze(&seamline::Config::for_root(&root).unwrap()).unwrap()).unwrap();
    report["modules"][0]["role"] = serde_json::json!("wizard");
    assert!(!validator.is_valid(&report));
}
