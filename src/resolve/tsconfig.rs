//! `tsconfig.json`/`jsconfig.json`: the nearest config per folder, its `extends` chain, `baseUrl` and `paths`.

use crate::disk::Disk;
use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use super::paths;
use crate::model::Diagnostic;

/// The resolution settings of one effective config (after `extends`).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct TsConfig {
    /// Root-relative folder of `baseUrl`, when set.
    pub base_url: Option<String>,
    /// `paths` patterns, most specific first.
    pub paths: Vec<PathPattern>,
    /// Folder the substitutions are relative to: `baseUrl`, else the folder of the config declaring `paths`.
    pub paths_base: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PathPattern {
    prefix: String,
    /// `None` for an exact pattern without `*`.
    suffix: Option<String>,
    substitutions: Vec<String>,
}

impl TsConfig {
    /// Candidate root-relative paths for `specifier` from the first matching `paths` pattern; `None` when no pattern matches.
    pub fn path_candidates(&self, specifier: &str) -> Option<Vec<String>> {
        let pattern = self.paths.iter().find(|p| p.matches(specifier))?;
        let star = match &pattern.suffix {
            Some(suffix) => &specifier[pattern.prefix.len()..specifier.len() - suffix.len()],
            None => "",
        };
        let candidates = pattern
            .substitutions
            .iter()
            .filter_map(|s| paths::join(&self.paths_base, &s.replacen('*', star, 1)))
            .collect();
        Some(candidates)
    }
}

impl PathPattern {
    fn new(pattern: &str, substitutions: Vec<String>) -> Self {
        match pattern.split_once('*') {
            Some((prefix, suffix)) => Self { prefix: prefix.into(), suffix: Some(suffix.into()), substitutions },
            None => Self { prefix: pattern.into(), suffix: None, substitutions },
        }
    }

    fn matches(&self, specifier: &str) -> bool {
        match &self.suffix {
            None => specifier == self.prefix,
            Some(suffix) => {
                specifier.len() >= self.prefix.len() + suffix.len()
                    && specifier.starts_with(&self.prefix)
                    && specifier.ends_with(suffix.as_str())
            }
        }
    }

    /// TypeScript prefers exact patterns, then the longest prefix.
    fn specificity(&self) -> (bool, usize) {
        (self.suffix.is_none(), self.prefix.len())
    }
}

/// Finds and caches the nearest config of each folder.
pub struct TsConfigs<'a> {
    disk: &'a Disk,
    by_dir: HashMap<String, Option<Arc<TsConfig>>>,
    loaded: HashMap<String, Option<Arc<TsConfig>>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What one config file declares itself, before merging with what it extends.
#[derive(Default, Clone)]
struct Layer {
    base_url: Option<String>,
    paths: Option<(Vec<PathPattern>, String)>,
}

impl<'a> TsConfigs<'a> {
    pub fn new(disk: &'a Disk) -> Self {
        Self { disk, by_dir: HashMap::new(), loaded: HashMap::new(), diagnostics: Vec::new() }
    }

    /// The effective config for files in folder `dir`, from the nearest `tsconfig.json` or `jsconfig.json` upwards.
    pub fn nearest(&mut self, dir: &str) -> Option<Arc<TsConfig>> {
        if let Some(found) = self.by_dir.get(dir) {
            return found.clone();
        }
        let found = ["tsconfig.json", "jsconfig.json"]
            .iter()
            .map(|name| paths::child(dir, name))
            .find(|file| self.disk.is_file(file))
            .map(|file| self.load(&file))
            .unwrap_or_else(|| if dir.is_empty() { None } else { self.nearest(paths::parent(dir)) });
        self.by_dir.insert(dir.to_owned(), found.clone());
        found
    }

    fn load(&mut self, file: &str) -> Option<Arc<TsConfig>> {
        if let Some(config) = self.loaded.get(file) {
            return config.clone();
        }
        let layer = self.layer(file, &mut Vec::new());
        let config = layer.map(|layer| {
            let (mut patterns, declared_in) = layer.paths.unwrap_or_default();
            patterns.sort_by_key(|p| std::cmp::Reverse(p.specificity()));
            let paths_base = layer.base_url.clone().unwrap_or(declared_in);
            Arc::new(TsConfig { base_url: layer.base_url, paths: patterns, paths_base })
        });
        self.loaded.insert(file.to_owned(), config.clone());
        config
    }

    /// Reads `file` and what it extends; later layers override earlier ones key by key.
    fn layer(&mut self, file: &str, chain: &mut Vec<String>) -> Option<Layer> {
        if chain.iter().any(|f| f == file) {
            // An `extends` cycle: stop rather than loop, and say so as tsc would.
            let cycle = chain.iter().chain(std::iter::once(&file.to_owned())).cloned().collect::<Vec<_>>().join(" → ");
            let first = chain.first().cloned().unwrap_or_else(|| file.to_owned());
            self.diagnostics.push(Diagnostic::warning("config-error", &first, 0, format!("`extends` cycle: {cycle}")));
            return None;
        }
        chain.push(file.to_owned());
        let text = self.disk.read(file)?;
        let json: Value = match json5::from_str(&text) {
            Ok(json) => json,
            Err(e) => {
                self.diagnostics.push(Diagnostic::warning("config-error", file, 0, format!("cannot parse: {e}")));
                return None;
            }
        };
        let dir = paths::parent(file).to_owned();
        let mut merged = Layer::default();
        let extends: Vec<&str> = match json.get("extends") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        for base in extends {
            if let Some(base_file) = self.extended_file(&dir, base)
                && let Some(layer) = self.layer(&base_file, chain)
            {
                merged.base_url = layer.base_url.or(merged.base_url);
                merged.paths = layer.paths.or(merged.paths);
            }
        }
        let options = json.get("compilerOptions");
        if let Some(base_url) = options.and_then(|o| o.get("baseUrl")).and_then(Value::as_str) {
            merged.base_url = paths::join(&dir, base_url);
        }
        if let Some(Value::Object(map)) = options.and_then(|o| o.get("paths")) {
            let patterns = map
                .iter()
                .map(|(pattern, targets)| {
                    let subs = targets.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned);
                    PathPattern::new(pattern, subs.collect())
                })
                .collect();
            merged.paths = Some((patterns, dir));
        }
        chain.pop();
        Some(merged)
    }

    /// The file an `extends` entry names: a relative path (`.json` optional) or a package under `node_modules`.
    fn extended_file(&self, dir: &str, base: &str) -> Option<String> {
        let candidates: Vec<String> = if base.starts_with('.') || base.starts_with('/') {
            let path = paths::join(dir, base)?;
            vec![path.clone(), format!("{path}.json")]
        } else {
            let path = paths::join("node_modules", base)?;
            vec![path.clone(), format!("{path}.json"), format!("{path}/tsconfig.json")]
        };
        candidates.into_iter().find(|c| self.disk.is_file(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extends_chains_and_path_bases() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("packages/api/src")).unwrap();
        std::fs::write(
            root.join("tsconfig.base.json"),
            "{ // comment\n \"compilerOptions\": { \"paths\": { \"@lib/*\": [\"libs/*\", \"other/*\"], \"@lib/core\": [\"core/index.ts\"], }, }, }",
        )
        .unwrap();
        std::fs::write(root.join("packages/api/tsconfig.json"), r#"{"extends": ["../../tsconfig.base.json"]}"#)
            .unwrap();
        let disk = crate::disk::Disk::new(root);
        let mut configs = TsConfigs::new(&disk);
        let config = configs.nearest("packages/api/src").unwrap();
        assert_eq!(config.base_url, None);
        assert_eq!(config.paths_base, "");
        assert_eq!(config.path_candidates("@lib/core"), Some(vec!["core/index.ts".to_owned()]));
        assert_eq!(config.path_candidates("@lib/x/y"), Some(vec!["libs/x/y".to_owned(), "other/x/y".to_owned()]));
        assert_eq!(config.path_candidates("lodash"), None);
        assert!(configs.diagnostics.is_empty());
    }
}
