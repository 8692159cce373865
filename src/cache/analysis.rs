//! The whole-analysis entry: the last run's [`Analysis`], stored under a key of everything it was computed from,
//! so that an unchanged repository is not analysed again.
//!
//! Takes the cache folder and an input key ([`input_key`]: the build, the analysis settings, the discovered files
//! and every source's bytes); `load` returns the stored analysis only when the key matches, the file is intact
//! and every observation of the files the later stages read ([`Observation`]: tsconfigs, manifests, schema files,
//! asset probes) still holds. `store` writes this run's.
//!
//! `analysis.bin`: the header of every cache file (magic, layout, build), the input key, the length and
//! MessagePack of the observations, the MessagePack of the analysis (field names kept), and a BLAKE3 checksum of
//! everything before it. Written like the facts pack: a temporary file renamed over the old one.

use std::io::Write;
use std::path::Path;

use super::{
    Key, Reader, add_part, build_fingerprint, check_header, checked_body, ignored, write_checked, write_header,
};
use crate::discover::Discovery;
use crate::disk::Observation;
use crate::model::{Analysis, Diagnostic};
use crate::parse::Source;

/// The analysis file inside the cache folder.
pub const ANALYSIS_FILE: &str = "analysis.bin";
const MAGIC: &[u8; 16] = b"seamline-result\n";
const FORMAT: u32 = 1;

/// The key of an analysis: its settings ([`crate::Config::analysis_settings`]), what discovery found (the files,
/// what it skipped and why, manifests, schema files, its diagnostics) and each source's key, which covers the
/// file's path, language and bytes. The build is checked by the header; the other files read later by the
/// observations.
pub fn input_key(settings: &str, found: &Discovery, sources: &[Source]) -> Key {
    let mut hasher = blake3::Hasher::new();
    add_part(&mut hasher, settings.as_bytes());
    let Discovery { files, skipped, manifests, schema_files, diagnostics } = found;
    add_part(&mut hasher, format!("{files:?} {skipped:?} {manifests:?} {schema_files:?} {diagnostics:?}").as_bytes());
    for source in sources {
        add_part(&mut hasher, &source.key);
    }
    *hasher.finalize().as_bytes()
}

/// The stored analysis when it was computed from inputs with `key` and every observation still holds under
/// `root`; a diagnostic naming `label` when the file is damaged or from another build.
pub fn load(dir: &Path, label: &str, key: &Key, root: &Path) -> (Option<Analysis>, Option<Diagnostic>) {
    load_as(dir, label, &build_fingerprint(), key, root)
}

fn load_as(
    dir: &Path,
    label: &str,
    fingerprint: &str,
    key: &Key,
    root: &Path,
) -> (Option<Analysis>, Option<Diagnostic>) {
    let bytes = match std::fs::read(dir.join(ANALYSIS_FILE)) {
        Ok(bytes) => bytes,
        Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory) => {
            return (None, None);
        }
        Err(e) => return (None, Some(ignored(label, &format!("cannot be read ({e})")))),
    };
    match decode(&bytes, fingerprint, key, root) {
        Ok(analysis) => (analysis, None),
        Err(reason) => (None, Some(ignored(label, reason))),
    }
}

/// `Ok(None)` for an intact entry of other inputs: the repository changed since, which is no problem.
fn decode(bytes: &[u8], fingerprint: &str, key: &Key, root: &Path) -> Result<Option<Analysis>, &'static str> {
    let mut reader = Reader { pack: bytes, at: 0 };
    check_header(&mut reader, MAGIC, FORMAT, fingerprint)?;
    // The key is compared before the checksum: a changed repository should not cost hashing the whole entry.
    if reader.take(key.len())? != key {
        return Ok(None);
    }
    let body = checked_body(bytes)?;
    let mut reader = Reader { pack: body, at: reader.at };
    let len = usize::try_from(reader.u64()?).map_err(|_| "is corrupt")?;
    let observations: Vec<Observation> = rmp_serde::from_slice(reader.take(len)?).map_err(|_| "is corrupt")?;
    if !observations.iter().all(|o| o.holds(root)) {
        return Ok(None);
    }
    let analysis = rmp_serde::from_slice(&body[reader.at..]).map_err(|_| "is corrupt")?;
    Ok(Some(analysis))
}

/// Writes the entry for `analysis`; a diagnostic when the folder cannot be written (the analysis is unaffected).
pub fn store(
    dir: &Path,
    label: &str,
    key: &Key,
    observations: &[Observation],
    analysis: &Analysis,
) -> Option<Diagnostic> {
    store_as(dir, label, &build_fingerprint(), key, observations, analysis)
}

fn store_as(
    dir: &Path,
    label: &str,
    fingerprint: &str,
    key: &Key,
    observations: &[Observation],
    analysis: &Analysis,
) -> Option<Diagnostic> {
    let written = write_checked(dir, ANALYSIS_FILE, |out| {
        write_header(out, MAGIC, FORMAT, fingerprint)?;
        out.write_all(key)?;
        let observations = rmp_serde::to_vec_named(observations).map_err(std::io::Error::other)?;
        out.write_all(&(observations.len() as u64).to_le_bytes())?;
        out.write_all(&observations)?;
        // Streamed: the analysis of a large repository is over a hundred megabytes.
        rmp_serde::encode::write_named(&mut Out(out), analysis).map_err(std::io::Error::other)
    });
    written.err().map(|e| {
        Diagnostic::warning(
            "cache-unwritable",
            label,
            0,
            format!("the cache could not be written ({e}); the next run analyses the repository again"),
        )
    })
}

/// `rmp_serde` wants a sized writer.
struct Out<'a>(&'a mut dyn Write);

impl Write for Out<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analysis_of(fixture: &str) -> Analysis {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(fixture);
        crate::analyze(&crate::Config::for_root(&root).unwrap()).unwrap()
    }

    fn key(text: &str) -> Key {
        *blake3::hash(text.as_bytes()).as_bytes()
    }

    #[test]
    fn an_analysis_round_trips_only_under_its_key_and_build() {
        let dir = tempfile::tempdir().unwrap();
        let analysis = analysis_of("ecommerce-express");
        assert!(!analysis.modules.is_empty() && !analysis.transactions.is_empty());
        assert!(store_as(dir.path(), "cache", "build-a", &key("a"), &[], &analysis).is_none());
        let root = dir.path();
        assert_eq!(load_as(dir.path(), "cache", "build-a", &key("a"), root), (Some(analysis), None));
        assert_eq!(load_as(dir.path(), "cache", "build-a", &key("b"), root), (None, None));
        let (stored, diagnostic) = load_as(dir.path(), "cache", "build-b", &key("a"), root);
        assert_eq!(stored, None);
        assert!(diagnostic.unwrap().message.contains("another version or build"));
    }

    #[test]
    fn an_observation_that_no_longer_holds_means_no_analysis() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(root.join("tsconfig.json"), "{}").unwrap();
        let disk = crate::disk::Disk::new(&root);
        disk.read("tsconfig.json");
        let cache = dir.path().join("cache");
        let analysis = analysis_of("ecommerce-express");
        assert!(store_as(&cache, "cache", "build-a", &key("a"), &disk.observations(), &analysis).is_none());
        assert!(load_as(&cache, "cache", "build-a", &key("a"), &root).0.is_some());
        std::fs::write(root.join("tsconfig.json"), "{\"compilerOptions\": {\"baseUrl\": \"src\"}}").unwrap();
        assert_eq!(load_as(&cache, "cache", "build-a", &key("a"), &root), (None, None));
    }

    #[test]
    fn every_truncation_and_every_flipped_byte_is_caught() {
        let dir = tempfile::tempdir().unwrap();
        let mut analysis = analysis_of("ecommerce-express");
        // Small enough to damage every byte in turn.
        analysis.modules.truncate(2);
        analysis.dependencies.clear();
        analysis.sql.truncate(1);
        assert!(store_as(dir.path(), "cache", "build-a", &key("a"), &[], &analysis).is_none());
        let bytes = std::fs::read(dir.path().join(ANALYSIS_FILE)).unwrap();
        assert_eq!(decode(&bytes, "build-a", &key("a"), dir.path()), Ok(Some(analysis)));
        // The key sits right after the header; a flip there reads as another repository, never as its analysis.
        let key_at = MAGIC.len() + 4 + 4 + "build-a".len();
        for len in 0..bytes.len() {
            assert!(!matches!(decode(&bytes[..len], "build-a", &key("a"), dir.path()), Ok(Some(_))), "cut at {len}");
        }
        for at in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x10;
            let decoded = decode(&damaged, "build-a", &key("a"), dir.path());
            if (key_at..key_at + 32).contains(&at) {
                assert_eq!(decoded, Ok(None), "byte {at} flipped");
            } else {
                assert!(decoded.is_err(), "byte {at} flipped");
            }
        }
    }
}
