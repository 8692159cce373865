//! A check result as SARIF 2.1.0 for code-scanning interfaces: takes the result (and where the config file is, for
//! repository-wide rules); returns the SARIF log as JSON text. Every result carries its stable key as a partial
//! fingerprint, and baselined violations are marked as suppressed, so pull requests show only new ones.

use serde_json::{Value, json};

use super::CheckResult;

pub fn render(result: &CheckResult, config_path: Option<&str>) -> String {
    let rules: Vec<Value> = result
        .rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.kind,
                "shortDescription": { "text": r.description },
                "fullDescription": { "text": format!("{} (seamline rule `{}` from seamline.toml)", r.description, r.kind) },
                "defaultConfiguration": { "level": r.severity.as_str() },
                "properties": { "tags": ["architecture", "coupling"] },
            })
        })
        .collect();
    let results: Vec<Value> = result
        .violations
        .iter()
        .map(|v| {
            let rule_index = result.rules.iter().position(|r| r.id == v.rule).unwrap_or(0);
            let location = match (&v.location, config_path) {
                (Some(l), _) => Some((l.path.as_str(), l.line)),
                (None, Some(config)) => Some((config, 0)),
                (None, None) => None,
            };
            let mut entry = json!({
                "ruleId": v.rule,
                "ruleIndex": rule_index,
                "level": v.severity.as_str(),
                "message": { "text": v.message },
                "partialFingerprints": { "seamlineKey/v1": v.key },
            });
            if let Some((path, line)) = location {
                let mut physical = json!({ "artifactLocation": { "uri": uri(path), "uriBaseId": "%SRCROOT%" } });
                if line > 0 {
                    physical["region"] = json!({ "startLine": line });
                }
                entry["locations"] = json!([{ "physicalLocation": physical }]);
            }
            if v.baselined {
                entry["suppressions"] =
                    json!([{ "kind": "external", "justification": "listed in the seamline baseline" }]);
                entry["baselineState"] = json!("unchanged");
            } else {
                entry["baselineState"] = json!("new");
            }
            entry
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "seamline",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

/// A root-relative path as a URI reference: each segment percent-encoded where URIs need it.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b'@' | b'+' | b'$' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_become_uri_references() {
        assert_eq!(super::uri("src/a b/[id].ts"), "src/a%20b/%5Bid%5D.ts");
        assert_eq!(super::uri("src/ü.js"), "src/%C3%BC.js");
    }
}
