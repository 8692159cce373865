//! Workspace packages: every `package.json` with a `name`, and how `name/sub` maps to a file
//! through `exports`, `module` and `main`.

use crate::disk::Disk;
use std::collections::BTreeMap;

use serde_json::Value;

use super::paths;
use crate::model::Diagnostic;

/// `exports` conditions tried in this order.
const CONDITIONS: &[&str] = &["import", "require", "node", "default", "types"];

#[derive(Debug, Clone)]
pub struct Package {
    /// Root-relative folder (`""` for the root package).
    pub dir: String,
    pub manifest: Value,
}

#[derive(Debug, Default)]
pub struct Packages {
    /// By package name; the first manifest in path order wins a duplicated name.
    pub by_name: BTreeMap<String, Package>,
    /// Every manifest, named or not, by folder.
    pub by_dir: BTreeMap<String, Value>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Packages {
    /// Reads the manifests found by discovery.
    pub fn load(disk: &Disk, manifests: &[String]) -> Packages {
        let mut packages = Packages::default();
        for file in manifests {
            let Some(text) = disk.read(file) else { continue };
            // Node and npm accept a byte-order mark before the JSON (Windows editors write one).
            let manifest: Value = match serde_json::from_str(text.trim_start_matches('\u{feff}')) {
                Ok(v) => v,
                Err(e) => {
                    packages.diagnostics.push(Diagnostic::warning(
                        "config-error",
                        file,
                        0,
                        format!("cannot parse: {e}"),
                    ));
                    continue;
                }
            };
            let dir = paths::parent(file).to_owned();
            if let Some(name) = manifest.get("name").and_then(Value::as_str) {
                packages
                    .by_name
                    .entry(name.to_owned())
                    .or_insert(Package { dir: dir.clone(), manifest: manifest.clone() });
            }
            packages.by_dir.insert(dir, manifest);
        }
        packages
    }

    /// Splits a bare specifier into a known package and its subpath (`"."` or `"./x"`).
    pub fn split(&self, specifier: &str) -> Option<(&Package, String)> {
        let name = package_name(specifier);
        let package = self.by_name.get(name)?;
        let rest = &specifier[name.len()..];
        Some((package, format!(".{rest}")))
    }
}

/// The package a bare specifier names: `@scope/name` or `name`.
pub fn package_name(specifier: &str) -> &str {
    let mut slashes = specifier.match_indices('/').map(|(i, _)| i);
    let end = if specifier.starts_with('@') { slashes.nth(1) } else { slashes.next() };
    end.map_or(specifier, |i| &specifier[..i])
}

/// Package-relative targets for `subpath` from the manifest, in the order to try them.
pub fn entry_targets(manifest: &Value, subpath: &str) -> Vec<String> {
    if let Some(exports) = manifest.get("exports")
        && let Some(target) = exports_target(exports, subpath)
    {
        return vec![target];
    }
    if subpath == "." {
        ["module", "main"]
            .iter()
            .filter_map(|field| manifest.get(*field)?.as_str())
            .map(str::to_owned)
            .chain(["index".to_owned()])
            .collect()
    } else {
        vec![subpath.to_owned()]
    }
}

/// Resolves `exports` for a subpath: a string, a conditions object, or a subpath map with `*` patterns.
fn exports_target(exports: &Value, subpath: &str) -> Option<String> {
    let is_subpath_map = exports.as_object().is_some_and(|map| map.keys().any(|k| k.starts_with('.')));
    if !is_subpath_map {
        return if subpath == "." { conditional(exports) } else { None };
    }
    let map = exports.as_object()?;
    if let Some(value) = map.get(subpath) {
        return conditional(value);
    }
    // The longest matching `*` pattern wins, as in Node.
    let (value, star) = map
        .iter()
        .filter_map(|(key, value)| {
            let (prefix, suffix) = key.split_once('*')?;
            let matched = subpath.len() >= prefix.len() + suffix.len()
                && subpath.starts_with(prefix)
                && subpath.ends_with(suffix);
            matched.then(|| (prefix.len(), value, &subpath[prefix.len()..subpath.len() - suffix.len()]))
        })
        .max_by_key(|(len, _, _)| *len)
        .map(|(_, value, star)| (value, star))?;
    conditional(value).map(|target| target.replace('*', star))
}

fn conditional(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => items.iter().find_map(conditional),
        Value::Object(map) => CONDITIONS.iter().find_map(|c| map.get(*c).and_then(conditional)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn package_names_and_exports() {
        assert_eq!(package_name("@shop/orders/money"), "@shop/orders");
        assert_eq!(package_name("lodash/fp"), "lodash");
        assert_eq!(package_name("react"), "react");
        let manifest = json!({
            "main": "dist/index.js",
            "exports": {
                ".": { "types": "./dist/index.d.ts", "import": "./dist/index.mjs", "require": "./dist/index.cjs" },
                "./money": "./dist/money.js",
                "./*": { "default": "./dist/*.js" }
            }
        });
        assert_eq!(entry_targets(&manifest, "."), vec!["./dist/index.mjs"]);
        assert_eq!(entry_targets(&manifest, "./money"), vec!["./dist/money.js"]);
        assert_eq!(entry_targets(&manifest, "./tax/vat"), vec!["./dist/tax/vat.js"]);
        assert_eq!(
            entry_targets(&json!({"main": "lib/a.js", "module": "esm/a.js"}), "."),
            vec!["esm/a.js", "lib/a.js", "index"]
        );
        assert_eq!(entry_targets(&json!({"exports": "./x.js"}), "."), vec!["./x.js"]);
    }
}
