//! Configuration: built from `seamline.toml` (read from the root, or `--config`) and then command-line flags.
//!
//! No clap types here: the CLI fills a `Config`, tests build one directly.

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
    /// Worker threads; `None` uses one per core.
    pub jobs: Option<usize>,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// Print each stage's duration on stderr.
    pub verbose: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DiscoverOptions {
    /// Root-relative globs; when any is given only matching files are analysed.
    pub include: Vec<String>,
    /// Root-relative globs of files to leave out.
    pub exclude: Vec<String>,
    /// Files larger than this many bytes are skipped. *Default:* 1 MB.
    pub max_file_size: u64,
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        Self { include: Vec::new(), exclude: Vec::new(), max_file_size: DEFAULT_MAX_FILE_SIZE }
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
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRoles {
    pub cluster_tests: Option<bool>,
    pub cluster_ui: Option<bool>,
}

impl Config {
    /// Defaults for `root`, reading `root/seamline.toml` when present.
    pub fn for_root(root: impl Into<PathBuf>) -> Result<Config, Error> {
        let root = root.into();
        let label = root.to_string_lossy().into_owned();
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
            jobs: None,
            progress: false,
            verbose: false,
        };
        let path = match explicit {
            Some(path) => Some(path.to_path_buf()),
            None => Some(config.root.join(CONFIG_FILE)).filter(|p| p.is_file()),
        };
        if let Some(path) = path {
            let file = read_file_config(&path)?;
            config.apply(file, &path)?;
        }
        Ok(config)
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
        self.roles.cluster_tests = file.roles.cluster_tests.unwrap_or(self.roles.cluster_tests);
        self.roles.cluster_ui = file.roles.cluster_ui.unwrap_or(self.roles.cluster_ui);
        self.transaction_depth = file.transactions.depth.unwrap_or(self.transaction_depth);
        Ok(())
    }
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
