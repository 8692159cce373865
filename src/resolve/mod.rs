//! Resolution: maps every import specifier of every module to a module, an external package, a Node built-in,
//! a non-source file, or nothing (a diagnostic), as Node and TypeScript would.
//!
//! Takes the per-file facts and the discovered manifests; returns one `Target` per import fact.

mod builtins;
pub mod packages;
pub mod paths;
mod symbols;
pub mod tsconfig;

use crate::disk::Disk;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

pub use packages::package_name;
pub use symbols::Symbols;

use crate::facts::SourceFacts;
use crate::model::Diagnostic;
use packages::Packages;
use tsconfig::{TsConfig, TsConfigs};

/// Extensions probed for an extension-less specifier, in TypeScript's order of preference.
const PROBE_EXTENSIONS: &[&str] = &[".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"];
/// TypeScript's ESM convention: `./x.js` in source names `./x.ts`.
const JS_TO_TS: &[(&str, &[&str])] = &[
    (".js", &[".ts", ".tsx"]),
    (".jsx", &[".tsx"]),
    (".mjs", &[".mts"]),
    (".cjs", &[".cts"]),
    (".d.ts", &[".ts", ".tsx"]),
];
/// Build output folders mapped back to `src/` when the output is absent.
const BUILD_DIRS: &[&str] = &["dist", "lib", "build", "out"];

/// Where one import specifier leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Index into the module list.
    Module(usize),
    /// An existing file that is not an analysed module (JSON, CSS, a skipped file).
    Asset,
    /// A third-party package, by name.
    External(String),
    Builtin,
    /// A local-looking specifier that leads nowhere: the reason.
    Unresolved(String),
}

/// Resolution of every module's imports.
pub struct Resolution {
    /// Parallel to each module's `facts.imports`.
    pub targets: Vec<Vec<Target>>,
    /// Modules that are the target of a `bin` entry, or of the root manifest's `main`.
    pub entry_modules: BTreeSet<usize>,
    /// `bin` commands and the module each runs, sorted.
    pub bins: Vec<(String, usize)>,
    /// Folders holding a `package.json`.
    pub package_dirs: BTreeSet<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Resolves all imports of all modules. `modules` must be sorted by path.
pub fn resolve(disk: &Disk, modules: &[SourceFacts], manifests: &[String]) -> Resolution {
    let packages = Packages::load(disk, manifests);
    let mut configs = TsConfigs::new(disk);
    let index: HashMap<&str, usize> = modules.iter().enumerate().map(|(i, m)| (m.path.as_str(), i)).collect();
    // Configs are looked up once per folder, before the parallel part, so the resolver needs no locks.
    let dirs: BTreeSet<&str> = modules.iter().map(|m| paths::parent(&m.path)).collect();
    let config_of: HashMap<&str, Option<Arc<TsConfig>>> = dirs.into_iter().map(|d| (d, configs.nearest(d))).collect();
    let resolver = Resolver { disk, index, packages: &packages };

    let targets = modules
        .par_iter()
        .map(|module| {
            let config = config_of.get(paths::parent(&module.path)).cloned().flatten();
            module
                .facts
                .imports
                .iter()
                .map(|i| resolver.resolve(&module.path, &i.specifier, config.as_deref()))
                .collect()
        })
        .collect();

    let mut entry_modules = BTreeSet::new();
    let mut bins = Vec::new();
    for (dir, manifest) in &packages.by_dir {
        // `"bin": "cli.js"` is a command named after the package.
        let package = manifest.get("name").and_then(|n| n.as_str()).unwrap_or_default();
        let mut entries: Vec<(String, &str)> = match manifest.get("bin") {
            Some(serde_json::Value::String(bin)) => {
                vec![(package.rsplit('/').next().unwrap_or_default().to_owned(), bin.as_str())]
            }
            Some(serde_json::Value::Object(commands)) => {
                commands.iter().filter_map(|(name, v)| Some((name.clone(), v.as_str()?))).collect()
            }
            _ => Vec::new(),
        };
        let commands = entries.len();
        if dir.is_empty()
            && let Some(main) = manifest.get("main").and_then(|m| m.as_str())
        {
            entries.push((String::new(), main));
        }
        for (i, (name, entry)) in entries.into_iter().enumerate() {
            if let Some(path) = paths::join(dir, entry)
                && let Some(Target::Module(m)) = resolver.file(&path)
            {
                entry_modules.insert(m);
                if i < commands {
                    bins.push((name, m));
                }
            }
        }
    }
    bins.sort();

    let mut diagnostics = packages.diagnostics.clone();
    diagnostics.extend(configs.diagnostics);
    Resolution { targets, entry_modules, bins, package_dirs: packages.by_dir.keys().cloned().collect(), diagnostics }
}

struct Resolver<'a> {
    disk: &'a Disk,
    index: HashMap<&'a str, usize>,
    packages: &'a Packages,
}

impl Resolver<'_> {
    fn resolve(&self, from: &str, specifier: &str, config: Option<&TsConfig>) -> Target {
        // Bundler suffixes (`./x?raw`, `./x#hash`) do not change the file.
        let specifier = specifier.split(['?']).next().unwrap_or(specifier);
        let unresolved = || Target::Unresolved(format!("cannot resolve '{specifier}' from {from}"));
        if specifier.starts_with("./") || specifier.starts_with("../") || specifier == "." || specifier == ".." {
            return match paths::join(paths::parent(from), specifier) {
                Some(path) => self.file(&path).unwrap_or_else(unresolved),
                None => Target::Unresolved(format!("'{specifier}' from {from} leads outside the analysed root")),
            };
        }
        if let Some(rooted) = specifier.strip_prefix('/') {
            return self.file(rooted).unwrap_or_else(unresolved);
        }
        if builtins::is_builtin(specifier) {
            return Target::Builtin;
        }
        if let Some(config) = config {
            if let Some(candidates) = config.path_candidates(specifier) {
                return candidates.iter().find_map(|c| self.file(c)).unwrap_or_else(unresolved);
            }
            if let Some(base) = &config.base_url
                && let Some(target) = paths::join(base, specifier).and_then(|p| self.file(&p))
            {
                return target;
            }
        }
        if let Some((package, subpath)) = self.packages.split(specifier) {
            return self.package_entry(&package.dir, &package.manifest, &subpath).unwrap_or_else(unresolved);
        }
        if ["#", "~/", "@/"].iter().any(|p| specifier.starts_with(p)) {
            return unresolved();
        }
        Target::External(package_name(specifier).to_owned())
    }

    /// A root-relative path as Node probes it: module first, then an existing non-source file.
    fn file(&self, path: &str) -> Option<Target> {
        if let Some(module) = self.module(path, true) {
            return Some(Target::Module(module));
        }
        self.exists(path).then_some(Target::Asset)
    }

    fn module(&self, path: &str, try_dir: bool) -> Option<usize> {
        let hit = |p: &str| self.index.get(p).copied();
        if let Some(m) = hit(path) {
            return Some(m);
        }
        if let Some(m) = PROBE_EXTENSIONS.iter().find_map(|ext| hit(&format!("{path}{ext}"))) {
            return Some(m);
        }
        for (js, ts) in JS_TO_TS {
            if let Some(stem) = path.strip_suffix(js)
                && let Some(m) = ts.iter().find_map(|ext| hit(&format!("{stem}{ext}")))
            {
                return Some(m);
            }
        }
        if !try_dir {
            return None;
        }
        // A folder: its package.json `main`, then its index file.
        if let Some(manifest) = self.packages.by_dir.get(path)
            && let Some(main) = manifest.get("main").and_then(|m| m.as_str())
            && let Some(m) = paths::join(path, main).and_then(|p| self.module(&p, false))
        {
            return Some(m);
        }
        PROBE_EXTENSIONS.iter().find_map(|ext| hit(&format!("{path}/index{ext}")))
    }

    /// A file that is not a module (an asset). A file reached through a symbolic link does not count: discovery
    /// does not follow links, so such an import stays unresolved and is reported instead of vanishing.
    fn exists(&self, path: &str) -> bool {
        self.disk.is_real_file(path)
            || PROBE_EXTENSIONS.iter().any(|ext| self.disk.is_real_file(&format!("{path}{ext}")))
    }

    /// `name/sub` inside a workspace package, mapping absent build output back to `src/`.
    fn package_entry(&self, dir: &str, manifest: &serde_json::Value, subpath: &str) -> Option<Target> {
        let targets = packages::entry_targets(manifest, subpath);
        for target in &targets {
            let Some(path) = paths::join(dir, target) else { continue };
            if let Some(m) = self.module(&path, true) {
                return Some(Target::Module(m));
            }
            let inside = path.strip_prefix(dir).unwrap_or(&path).trim_start_matches('/');
            if let Some((first, rest)) = inside.split_once('/')
                && BUILD_DIRS.contains(&first)
            {
                // Build output keeps the source layout but not its extension (`dist/x.mjs` from `src/x.ts`).
                let source = paths::child(&paths::child(dir, "src"), rest);
                let stripped = [".d.ts", ".mjs", ".cjs", ".js"].iter().find_map(|ext| source.strip_suffix(ext));
                if let Some(m) = self.module(&source, true).or_else(|| stripped.and_then(|s| self.module(s, true))) {
                    return Some(Target::Module(m));
                }
            }
        }
        targets.iter().filter_map(|t| paths::join(dir, t)).find(|p| self.exists(p)).map(|_| Target::Asset)
    }
}
