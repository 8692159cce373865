//! Writes reports atomically: a temporary file beside the target, then a rename, so an interrupted
//! run never leaves half a report behind.

use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Writes `contents` to `path` atomically, creating missing parent folders.
pub fn write_atomically(path: &Path, contents: &str) -> Result<(), Error> {
    write_atomically_with(path, |out| out.write_all(contents.as_bytes()))
}

/// Writes what `write` produces to `path` atomically, creating missing parent folders. The content is streamed
/// to the temporary file, so a report of hundreds of megabytes is never held in memory whole.
pub fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let write_error = |source| Error::Write { path: path.to_path_buf(), source };
    // `/dev/null`, a FIFO or a terminal: renaming over it would replace the device, so write straight to it.
    if path.metadata().is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let mut out = std::io::BufWriter::new(std::fs::OpenOptions::new().write(true).open(path).map_err(write_error)?);
        return write(&mut out).and_then(|()| out.flush()).map_err(write_error);
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(write_error)?;
    let file = tempfile::NamedTempFile::new_in(dir).map_err(write_error)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    write(&mut out).map_err(write_error)?;
    let file = out.into_inner().map_err(|e| write_error(e.into_error()))?;
    // A temporary file is private (0600); a report should get the permissions of an ordinary new file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = path.metadata().map(|m| m.permissions().mode()).unwrap_or(0o644);
        file.as_file().set_permissions(std::fs::Permissions::from_mode(mode)).map_err(write_error)?;
    }
    file.as_file().sync_all().map_err(write_error)?;
    file.persist(path).map_err(|e| write_error(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_files_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out/report.json");
        write_atomically(&target, "{}\n").unwrap();
        write_atomically(&target, "{\"a\": 1}\n").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "{\"a\": 1}\n");
        assert_eq!(std::fs::read_dir(dir.path().join("out")).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(target.metadata().unwrap().permissions().mode() & 0o777, 0o644);
        }
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_written_not_replaced() {
        let null = Path::new("/dev/null");
        write_atomically(null, "report").unwrap();
        assert!(!null.metadata().unwrap().is_file(), "/dev/null is still a device");
    }
}
