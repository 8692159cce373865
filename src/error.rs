//! The library's error type and the process exit codes it maps to.

use std::path::PathBuf;

/// Exit code: the analysis ran and nothing failed.
pub const EXIT_OK: i32 = 0;
/// Exit code: the analysis ran and a check failed.
pub const EXIT_CHECK_FAILED: i32 = 1;
/// Exit code: unusable input or arguments (missing path, unknown format, unreadable or invalid config).
pub const EXIT_USAGE: i32 = 2;
/// Exit code: the report was written but is incomplete: some source files could not be taken in (an
/// error-level diagnostic: unreadable files, names that are not UTF-8).
pub const EXIT_INCOMPLETE: i32 = 3;

/// Errors that stop a run. Problems with single input files never do: they become diagnostics.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Unusable arguments or input; the message is one line a user can act on.
    #[error("{0}")]
    Usage(String),
    #[error("cannot read config {path}: {message}")]
    Config { path: PathBuf, message: String },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Render(String),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) | Error::Config { .. } => EXIT_USAGE,
            Error::Write { .. } | Error::Render(_) => EXIT_USAGE,
        }
    }
}
