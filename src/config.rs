//! Configuration: built from `seamline.toml` (read from the root, or `--config`) and then command-line flags.
//!
//! No clap types here: the CLI fills a `Config`, tests build one directly.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;

/// Default limit above which a source file is skipped as `too-large`.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1_000_000;
/// Default depth to which calls inside a transaction are followed.
pub const DEFAULT_TRANSACTION_DEPTH: usize = 4;
/// Name of the config file looked up in the analysed root.
pub const CONFIG_FILE: &str = "seamline.toml";

/// Everything `analyze` needs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The root to analyse.
    pub root: PathBuf,
    /// The root as the user wrote it, echoed in reports (no absolute machine paths by default).
    pub root_label: String,
    pub discover: DiscoverOptions,
    pub roles: RoleOptions,
    /// Dialect for embedded SQL. *Default:* postgres.
    pub sql_dialect: crate::sql::SqlDialect,
    /// How deep calls made inside a transaction are followed. *Default:* 4.
    pub transaction_depth: usize,
    /// Coupling weights and roll-up.
    pub coupling: crate::coupling::Options,
    /// The fan-in infrastructure rule.
    pub infrastructure: InfrastructureOptions,
    /// Clustering and the domain expert's decisions: pins, renames, merges.
    pub boundaries: crate::boundaries::Options,
    /// Worker threads; `None` uses one per core.
    pub jobs: Option<usize>,
    /// Folder of the incremental cache (facts per file, the last analysis); `None` parses every file. The CLI defaults it to
    /// `.seamline-cache` under the root; the library leaves it off unless asked.
    pub cache_dir: Option<PathBuf>,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// Print each stage's duration on stderr.
    pub verbose: bool,
    /// Architecture rules for `seamline check`, validated.
    pub rules: Vec<crate::check::Rule>,
    /// The config file that was read, if any.
    pub file: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DiscoverOptions {
    /// Root-relative globs; when any is given only matching files are analysed.
    pub include: Vec<String>,
    /// Root-relative globs of files to leave out.
    pub exclude: Vec<String>,
    /// Files larger than this many bytes are skipped. *Default:* 1 MB.
    pub max_file_size: u64,
    /// Skip dependency, vendored and build-output folders (`node_modules`, `vendor`, `dist`, `build`…).
    /// *Default:* true.
    pub skip_build_dirs: bool,
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        Self { include: Vec::new(), exclude: Vec::new(), max_file_size: DEFAULT_MAX_FILE_SIZE, skip_build_dirs: true }
    }
}

/// `docs/coupling-rules.md` §7: modules many others depend on, touching no table, are infrastructure.
#[derive(Debug, Clone, PartialEq)]
pub struct InfrastructureOptions {
    /// At least this many modules depend on it. *Default:* 5.
    pub min_importers: usize,
    /// At least this share of the other modules depends on it. *Default:* 0.2.
    pub share: f64,
    /// Globs of modules that are always infrastructure.
    pub force: Vec<String>,
    /// Globs of modules that are never infrastructure.
    pub never: Vec<String>,
}

impl Default for InfrastructureOptions {
    fn default() -> Self {
        Self { min_importers: 5, share: 0.2, force: Vec::new(), never: Vec::new() }
    }
}

/// Which roles take part in clustering (all roles always stay in the graph).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoleOptions {
    /// Keep `test` modules in clustering. *Default:* false.
    pub cluster_tests: bool,
    /// Keep `ui` modules in clustering. *Default:* false.
    pub cluster_ui: bool,
}

/// The `seamline.toml` file: every key optional, unknown keys rejected.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    #[serde(default)]
    pub discover: FileDiscover,
    #[serde(default)]
    pub roles: FileRoles,
    #[serde(default)]
    pub sql: FileSql,
    #[serde(default)]
    pub transactions: FileTransactions,
    #[serde(default)]
    pub infrastructure: FileInfrastructure,
    #[serde(default)]
    pub coupling: FileCoupling,
    #[serde(default)]
    pub clustering: FileClustering,
    /// `[contexts.NAME] modules = [globs]`: modules pinned to a named context.
    #[serde(default)]
    pub contexts: BTreeMap<String, FileContext>,
    /// Proposed name → name to use.
    #[serde(default)]
    pub rename: BTreeMap<String, String>,
    /// Pairs of contexts to merge; the first name is kept.
    #[serde(default)]
    pub merge: Vec<[String; 2]>,
    /// Pairs of pinned contexts that must never be merged.
    #[serde(default)]
    pub forbid_merge: Vec<[String; 2]>,
    /// Architecture rules for `seamline check`.
    #[serde(default)]
    pub rules: Vec<crate::check::RuleSpec>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileClustering {
    pub resolution: Option<f64>,
    pub seed: Option<u64>,
    pub exclude: Option<Vec<String>>,
    pub ned_bounds: Option<(usize, usize)>,
    pub weak_modularity: Option<f64>,
    pub weak_cross_share: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileContext {
    pub modules: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileInfrastructure {
    pub min_importers: Option<usize>,
    pub share: Option<f64>,
    pub force: Option<Vec<String>>,
    pub never: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileCoupling {
    pub w_call: Option<f64>,
    pub w_import: Option<f64>,
    pub w_table: Option<f64>,
    pub w_tx: Option<f64>,
    pub w_fk: Option<f64>,
    pub granularity: Option<crate::coupling::Granularity>,
    pub depth: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileTransactions {
    pub depth: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSql {
    pub dialect: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileDiscover {
    pub include: Option<Vec<String>>,
    pub exclude: Option<Vec<String>>,
    pub max_file_size: Option<u64>,
    pub skip_build_dirs: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRoles {
    pub cluster_tests: Option<bool>,
    pub cluster_ui: Option<bool>,
}

/// How a report names its root: as given when relative; only the folder's name when absolute, because an absolute
/// path is a fact about the machine, not the repository (reports carry one only with `--meta`).
pub fn root_label(root: &Path) -> String {
    match root.file_name() {
        Some(name) if root.is_absolute() => name.to_string_lossy().into_owned(),
        _ => root.to_string_lossy().into_owned(),
    }
}

impl Config {
    /// Defaults for `root`, reading `root/seamline.toml` when present.
    pub fn for_root(root: impl Into<PathBuf>) -> Result<Config, Error> {
        let root = root.into();
        let label = root_label(&root);
        Config::load(root, label, None)
    }

    /// Defaults, then the config file (`explicit`, else `root/seamline.toml` if it exists).
    pub fn load(root: PathBuf, root_label: String, explicit: Option<&Path>) -> Result<Config, Error> {
        let mut config = Config {
            root,
            root_label,
            discover: DiscoverOptions::default(),
            roles: RoleOptions::default(),
            sql_dialect: crate::sql::SqlDialect::default(),
            transaction_depth: DEFAULT_TRANSACTION_DEPTH,
            coupling: crate::coupling::Options::default(),
            infrastructure: InfrastructureOptions::default(),
            boundaries: crate::boundaries::Options::default(),
            jobs: None,
            cache_dir: None,
            progress: false,
            verbose: false,
            rules: Vec::new(),
            file: None,
        };
        let path = match explicit {
            Some(path) => Some(path.to_path_buf()),
            None => Some(config.root.join(CONFIG_FILE)).filter(|p| p.is_file()),
        };
        if let Some(path) = path {
            let file = read_file_config(&path)?;
            config.apply(file, &path)?;
            config.file = Some(path);
        }
        Ok(config)
    }

    /// Every setting the analysis depends on, as text, for the key of a cached analysis. Settings that cannot
    /// change the result (threads, where the cache lives, progress, timings, `check` rules) are left out. The
    /// destructuring names every field, so a new one cannot be forgotten here.
    pub fn analysis_settings(&self) -> String {
        let Config {
            root: _,
            root_label,
            discover,
            roles,
            sql_dialect,
            transaction_depth,
            coupling,
            infrastructure,
            boundaries,
            jobs: _,
            cache_dir: _,
            progress: _,
            verbose: _,
            rules: _,
            file: _,
        } = self;
        // Derived `Debug` prints every field, floats exactly, and these types hold only ordered collections.
        format!(
            "{root_label:?} {discover:?} {roles:?} {sql_dialect:?} {transaction_depth} {coupling:?} {infrastructure:?} {boundaries:?}"
        )
    }

    fn apply(&mut self, file: FileConfig, path: &Path) -> Result<(), Error> {
        if let Some(dialect) = &file.sql.dialect {
            self.sql_dialect = dialect.parse().map_err(|e: Error| Error::Config {
                path: path.to_path_buf(),
                message: format!("[sql] dialect: {e}"),
            })?;
        }
        let d = file.discover;
        self.discover.include = d.include.unwrap_or(std::mem::take(&mut self.discover.include));
        self.discover.exclude = d.exclude.unwrap_or(std::mem::take(&mut self.discover.exclude));
        self.discover.max_file_size = d.max_file_size.unwrap_or(self.discover.max_file_size);
        self.discover.skip_build_dirs = d.skip_build_dirs.unwrap_or(self.discover.skip_build_dirs);
        self.roles.cluster_tests = file.roles.cluster_tests.unwrap_or(self.roles.cluster_tests);
        self.roles.cluster_ui = file.roles.cluster_ui.unwrap_or(self.roles.cluster_ui);
        self.transaction_depth = file.transactions.depth.unwrap_or(self.transaction_depth);
        let i = file.infrastructure;
        self.infrastructure.min_importers = i.min_importers.unwrap_or(self.infrastructure.min_importers);
        if let Some(share) = i.share {
            if !(0.0..=1.0).contains(&share) {
                let message = format!("[infrastructure] share = {share}: expected a number between 0 and 1");
                return Err(Error::Config { path: path.to_path_buf(), message });
            }
            self.infrastructure.share = share;
        }
        self.infrastructure.force = i.force.unwrap_or(std::mem::take(&mut self.infrastructure.force));
        self.infrastructure.never = i.never.unwrap_or(std::mem::take(&mut self.infrastructure.never));
        let c = file.coupling;
        let w = &mut self.coupling.weights;
        for (value, name, target) in [
            (c.w_call, "w_call", &mut w.call),
            (c.w_import, "w_import", &mut w.import),
            (c.w_table, "w_table", &mut w.table),
            (c.w_tx, "w_tx", &mut w.transaction),
            (c.w_fk, "w_fk", &mut w.foreign_key),
        ] {
            if let Some(value) = value {
                if value < 0.0 || !value.is_finite() {
                    let message = format!("[coupling] {name} = {value}: expected a weight of 0 or more");
                    return Err(Error::Config { path: path.to_path_buf(), message });
                }
                *target = value;
            }
        }
        self.coupling.granularity = c.granularity.unwrap_or(self.coupling.granularity);
        self.coupling.depth = c.depth.unwrap_or(self.coupling.depth);

        let error = |message: String| Error::Config { path: path.to_path_buf(), message };
        let b = &mut self.boundaries;
        let k = file.clustering;
        if let Some(resolution) = k.resolution {
            if !(resolution.is_finite() && resolution > 0.0) {
                return Err(error(format!("[clustering] resolution = {resolution}: expected a positive number")));
            }
            b.resolution = resolution;
        }
        b.seed = k.seed.unwrap_or(b.seed);
        b.exclude = k.exclude.unwrap_or(std::mem::take(&mut b.exclude));
        b.ned_bounds = k.ned_bounds.unwrap_or(b.ned_bounds);
        b.weak_modularity = k.weak_modularity.unwrap_or(b.weak_modularity);
        b.weak_cross_share = k.weak_cross_share.unwrap_or(b.weak_cross_share);
        for (name, context) in file.contexts {
            if context.modules.is_empty() {
                return Err(error(format!("[contexts.{name}] modules: expected at least one module or glob")));
            }
            b.pins.insert(name, context.modules);
        }
        b.rename.extend(file.rename);
        for pair in &file.forbid_merge {
            for name in pair {
                if !b.pins.contains_key(name) {
                    return Err(error(format!(
                        "forbid_merge: '{name}' is not a pinned context; pin its modules under [contexts.{name}]"
                    )));
                }
            }
        }
        for [a, bb] in &file.merge {
            if file.forbid_merge.iter().any(|[x, y]| (x == a && y == bb) || (x == bb && y == a)) {
                return Err(error(format!("merge: '{a}' and '{bb}' are also listed in forbid_merge")));
            }
        }
        b.merge.extend(file.merge);
        b.forbid_merge.extend(file.forbid_merge);
        self.rules = crate::check::rules::compile(&file.rules).map_err(error)?;
        Ok(())
    }
}

/// Compiles path globs from the config (`**` crosses folders, `*` does not); the error names the key.
pub fn glob_set(patterns: &[String], key: &str) -> Result<Option<globset::GlobSet>, Error> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = globset::GlobSetBuilder::new();
    for pattern in patterns {
        let glob = globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map_err(|e| Error::Usage(format!("{key}: {pattern}: {e}")))?;
        builder.add(glob);
    }
    builder.build().map(Some).map_err(|e| Error::Usage(format!("{key}: {e}")))
}

/// Parses a config file; the error names the file and the offending key.
pub fn read_file_config(path: &Path) -> Result<FileConfig, Error> {
    let config_error = |message: String| Error::Config { path: path.to_path_buf(), message };
    let text = std::fs::read_to_string(path).map_err(|e| config_error(e.to_string()))?;
    toml::from_str(&text).map_err(|e| config_error(e.message().to_owned() + &location(&text, e.span())))
}

fn location(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    span.map(|s| format!(" (line {})", text[..s.start.min(text.len())].matches('\n').count() + 1)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seamline.toml");
        std::fs::write(&path, "[discover]\nmax_files = 3\n").unwrap();
        let err = read_file_config(&path).unwrap_err().to_string();
        assert!(err.contains("max_files"), "{err}");
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn file_values_override_defaults() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "[discover]\nmax_file_size = 10\n[roles]\ncluster_ui = true\n")
            .unwrap();
        let config = Config::for_root(dir.path()).unwrap();
        assert_eq!(config.discover.max_file_size, 10);
        assert!(config.roles.cluster_ui);
        assert!(!config.roles.cluster_tests);
    }
}
