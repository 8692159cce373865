//! The incremental cache: each file's facts stored under a hash of its path, language and content, so that a
//! file parsed once is never parsed again while it stays the same.
//!
//! Takes the cache folder; `Cache::open` returns the entries the last run left (none, with a diagnostic, when the
//! store was written by another seamline build or is corrupt or truncated), `Cache::store` writes this run's.
//!
//! The store is one pack file, `facts.bin`: a header naming the format and the seamline build, the entries
//! (key, length, MessagePack of `SourceFacts`) sorted by key, and a BLAKE3 checksum of everything before it.
//! It is read whole in one system call and written to a temporary file that is renamed over the old one, so
//! concurrent runs never see a torn store: each reads a complete pack and the last to finish leaves its own.
//! A pack that fails any check is ignored as a whole, because one flipped bit could make facts wrong silently.

pub mod analysis;

use std::collections::HashMap;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::facts::SourceFacts;
use crate::model::{Diagnostic, Language};

/// The default cache folder, under the analysed root.
pub const DEFAULT_DIR: &str = ".seamline-cache";
/// The pack file inside the cache folder.
pub const PACK_FILE: &str = "facts.bin";
const MAGIC: &[u8; 16] = b"seamline-cache\n\0";
/// The layout of the pack itself; the encoding of the facts is covered by the build fingerprint.
const FORMAT: u32 = 1;
const CHECKSUM_LEN: usize = 32;

/// BLAKE3 of what a file's facts depend on.
pub type Key = [u8; 32];

/// The entries of the last run, read from the cache folder.
pub struct Cache {
    dir: PathBuf,
    /// How diagnostics name the pack file.
    label: String,
    fingerprint: String,
    pack: Vec<u8>,
    entries: HashMap<Key, Range<usize>>,
}

/// What one file contributes to the next pack.
pub enum Entry {
    /// Found in the pack: its bytes are copied over.
    Reused(Key),
    /// Parsed in this run.
    New(Key, Vec<u8>),
}

impl Cache {
    /// Opens the cache in `dir` for this build of seamline. A missing pack is an empty cache; a pack from another
    /// build, a truncated or corrupt one gives an empty cache and a diagnostic naming `label` (how the report
    /// refers to the pack file, in this and `store`'s diagnostics).
    pub fn open(dir: &Path, label: &str) -> (Cache, Option<Diagnostic>) {
        Cache::open_as(dir, label, build_fingerprint())
    }

    fn open_as(dir: &Path, label: &str, fingerprint: String) -> (Cache, Option<Diagnostic>) {
        let mut cache = Cache {
            dir: dir.to_path_buf(),
            label: label.to_owned(),
            fingerprint,
            pack: Vec::new(),
            entries: HashMap::new(),
        };
        let pack = match std::fs::read(dir.join(PACK_FILE)) {
            Ok(pack) => pack,
            // No pack yet; or the folder is a file, which `store` reports.
            Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory) => {
                return (cache, None);
            }
            Err(e) => return (cache, Some(ignored(label, &format!("cannot be read ({e})")))),
        };
        match index(&pack, &cache.fingerprint) {
            Ok(entries) => {
                cache.pack = pack;
                cache.entries = entries;
                (cache, None)
            }
            Err(reason) => (cache, Some(ignored(label, reason))),
        }
    }

    /// The key of a file: its facts depend on its path (diagnostics name it), language, whether an `--include`
    /// forced it in, and its bytes.
    pub fn key(path: &str, language: Language, forced: bool, content: &[u8]) -> Key {
        let mut hasher = blake3::Hasher::new();
        let language: &[u8] = match language {
            Language::Javascript => b"javascript",
            Language::Jsx => b"jsx",
            Language::Typescript => b"typescript",
            Language::Tsx => b"tsx",
        };
        for part in [path.as_bytes(), language, &[u8::from(forced)]] {
            add_part(&mut hasher, part);
        }
        hasher.update(content);
        *hasher.finalize().as_bytes()
    }

    /// The key standing for a file that could not be read: its path and the error. The same error on the next run
    /// gives the same key; no key of a readable file can equal it (those start with the path's length, this with
    /// a zero length).
    pub fn unreadable_key(path: &str, error: &str) -> Key {
        let mut hasher = blake3::Hasher::new();
        for part in [&b""[..], path.as_bytes(), error.as_bytes()] {
            add_part(&mut hasher, part);
        }
        *hasher.finalize().as_bytes()
    }

    /// The facts stored under `key`, if any (an entry that does not decode counts as absent).
    pub fn get(&self, key: &Key) -> Option<SourceFacts> {
        let range = self.entries.get(key)?;
        rmp_serde::from_slice(&self.pack[range.clone()]).ok()
    }

    /// Number of entries read from the pack.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Writes the next pack: this run's entries, plus entries of the last pack this run did not use (another
    /// branch's files, the other side of a `diff`) as long as the pack stays at most twice this run's size.
    /// Returns a diagnostic when the folder cannot be written; the analysis itself is unaffected.
    pub fn store(&self, entries: Vec<Entry>) -> Option<Diagnostic> {
        let mut next: Vec<(Key, &[u8])> = Vec::with_capacity(entries.len());
        for entry in &entries {
            match entry {
                Entry::Reused(key) => {
                    if let Some(range) = self.entries.get(key) {
                        next.push((*key, &self.pack[range.clone()]));
                    }
                }
                Entry::New(key, bytes) => next.push((*key, bytes)),
            }
        }
        next.sort_unstable_by_key(|entry| entry.0);
        next.dedup_by(|a, b| a.0 == b.0);
        let limit = (2 * next.len()).max(1_000);
        let mut old: Vec<(&Key, &Range<usize>)> = self.entries.iter().collect();
        old.sort_unstable_by(|a, b| a.0.cmp(b.0));
        for (key, range) in old {
            if next.len() >= limit {
                break;
            }
            if next.binary_search_by(|(k, _)| k.cmp(key)).is_err() {
                next.push((*key, &self.pack[range.clone()]));
            }
        }
        next.sort_unstable_by_key(|entry| entry.0);
        match write_pack(&self.dir, &self.fingerprint, &next) {
            Ok(()) => None,
            Err(e) => Some(Diagnostic::warning(
                "cache-unwritable",
                &self.label,
                0,
                format!("the cache could not be written ({e}); the next run parses every file again"),
            )),
        }
    }
}

/// Adds `part` to a key, length first, so that parts cannot run into each other.
fn add_part(hasher: &mut blake3::Hasher, part: &[u8]) {
    hasher.update(&(part.len() as u64).to_le_bytes());
    hasher.update(part);
}

/// MessagePack of one file's facts (field names kept, so optional fields round-trip).
pub fn encode(facts: &SourceFacts) -> Option<Vec<u8>> {
    rmp_serde::to_vec_named(facts).ok()
}

fn ignored(label: &str, reason: &str) -> Diagnostic {
    Diagnostic::warning("cache-ignored", label, 0, format!("the cache {reason}; it was ignored and rebuilt"))
}

/// The build of seamline: its version and the size and modification time of the running executable, so that a
/// rebuilt binary (whose facts may differ) never trusts another build's entries.
fn build_fingerprint() -> String {
    let version = env!("CARGO_PKG_VERSION");
    let stamp = std::env::current_exe().and_then(std::fs::metadata).ok().map(|m| {
        let modified = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        format!("{} {}", m.len(), modified.map_or(0, |d| d.as_nanos()))
    });
    format!("seamline {version} {}", stamp.unwrap_or_default())
}

/// Checks the pack and maps each key to its bytes.
fn index(pack: &[u8], fingerprint: &str) -> Result<HashMap<Key, Range<usize>>, &'static str> {
    let mut reader = Reader { pack, at: 0 };
    check_header(&mut reader, MAGIC, FORMAT, fingerprint)?;
    if pack.len() < reader.at + 8 + CHECKSUM_LEN {
        return Err("is truncated");
    }
    let body = checked_body(pack)?;
    let reader = &mut Reader { pack: body, at: reader.at };
    let count = reader.u64()?;
    let mut entries = HashMap::with_capacity(count.min(1 << 24) as usize);
    for _ in 0..count {
        let key: Key = reader.take(32)?.try_into().map_err(|_| "is corrupt")?;
        let len = reader.u32()? as usize;
        let start = reader.at;
        reader.take(len)?;
        entries.insert(key, start..start + len);
    }
    if reader.at != body.len() {
        return Err("is corrupt (trailing bytes)");
    }
    Ok(entries)
}

struct Reader<'a> {
    pack: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], &'static str> {
        let end = self.at.checked_add(n).filter(|&end| end <= self.pack.len()).ok_or("is truncated")?;
        let bytes = &self.pack[self.at..end];
        self.at = end;
        Ok(bytes)
    }

    fn u32(&mut self) -> Result<u32, &'static str> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().map_err(|_| "is truncated")?))
    }

    fn u64(&mut self) -> Result<u64, &'static str> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().map_err(|_| "is truncated")?))
    }
}

/// Writes the pack atomically.
fn write_pack(dir: &Path, fingerprint: &str, entries: &[(Key, &[u8])]) -> std::io::Result<()> {
    write_checked(dir, PACK_FILE, |out| {
        write_header(out, MAGIC, FORMAT, fingerprint)?;
        out.write_all(&(entries.len() as u64).to_le_bytes())?;
        for (key, bytes) in entries {
            let len = u32::try_from(bytes.len()).map_err(|_| std::io::Error::other("an entry is larger than 4 GB"))?;
            out.write_all(key)?;
            out.write_all(&len.to_le_bytes())?;
            out.write_all(bytes)?;
        }
        Ok(())
    })
}

/// The header every stored file starts with: what it is, its layout and the build of seamline that wrote it.
fn write_header(out: &mut dyn Write, magic: &[u8; 16], format: u32, fingerprint: &str) -> std::io::Result<()> {
    out.write_all(magic)?;
    out.write_all(&format.to_le_bytes())?;
    out.write_all(&(fingerprint.len() as u32).to_le_bytes())?;
    out.write_all(fingerprint.as_bytes())
}

/// Reads the header `write_header` wrote; any difference means the file is not for this build.
fn check_header(reader: &mut Reader, magic: &[u8; 16], format: u32, fingerprint: &str) -> Result<(), &'static str> {
    if reader.take(magic.len())? != magic {
        return Err("is not a seamline cache");
    }
    if reader.u32()? != format {
        return Err("was written by another version of seamline");
    }
    let stored = reader.u32()? as usize;
    if reader.take(stored)? != fingerprint.as_bytes() {
        return Err("was written by another version or build of seamline");
    }
    Ok(())
}

/// Writes `file` in the cache folder atomically (a temporary file renamed over it), followed by the BLAKE3 of
/// what `write` produced; marks the folder as a cache for git and backup tools.
fn write_checked(
    dir: &Path,
    file: &str,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, content) in [
        (".gitignore", "# Written by seamline: its incremental cache.\n*\n"),
        ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n# seamline's incremental cache.\n"),
    ] {
        let path = dir.join(name);
        if !path.exists() {
            std::fs::write(path, content)?;
        }
    }
    // Streamed through the checksum into the file: a pack can be hundreds of megabytes, so it is never built in
    // memory a second time.
    let temporary = tempfile::NamedTempFile::new_in(dir)?;
    let mut out =
        Checksummed { inner: std::io::BufWriter::with_capacity(1 << 16, temporary), hasher: blake3::Hasher::new() };
    write(&mut out)?;
    let checksum = out.hasher.finalize();
    let mut inner = out.inner;
    inner.write_all(checksum.as_bytes())?;
    let temporary = inner.into_inner().map_err(|e| e.into_error())?;
    temporary.persist(dir.join(file)).map_err(|e| e.error)?;
    Ok(())
}

/// Splits a stored file into what it holds and its trailing checksum, which must match.
fn checked_body(bytes: &[u8]) -> Result<&[u8], &'static str> {
    if bytes.len() < CHECKSUM_LEN {
        return Err("is truncated");
    }
    let (body, checksum) = bytes.split_at(bytes.len() - CHECKSUM_LEN);
    if blake3::hash(body).as_bytes() != checksum {
        return Err("is corrupt or truncated (checksum mismatch)");
    }
    Ok(body)
}

/// A writer that hashes what passes through it.
struct Checksummed<W: Write> {
    inner: W,
    hasher: blake3::Hasher,
}

impl<W: Write> Write for Checksummed<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.hasher.update(&buf[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::FileFacts;

    fn facts(path: &str) -> SourceFacts {
        let mut parser = tree_sitter::Parser::new();
        let source = "import { a } from './a';\nconst Q = 'SELECT * FROM orders';\nexport function f() { return db.query(Q); }\n";
        let facts = crate::parse::source_facts(&mut parser, source, Language::Typescript, path).unwrap();
        SourceFacts { path: path.to_owned(), language: Language::Typescript, lines: 3, generated: false, facts }
    }

    fn stored(dir: &Path, fingerprint: &str, items: &[(&str, &[u8])]) -> Vec<Key> {
        let (cache, diagnostic) = Cache::open_as(dir, "cache", fingerprint.to_owned());
        assert!(diagnostic.is_none());
        let mut keys = Vec::new();
        let mut entries = Vec::new();
        for (path, content) in items {
            let key = Cache::key(path, Language::Typescript, false, content);
            entries.push(Entry::New(key, encode(&facts(path)).unwrap()));
            keys.push(key);
        }
        assert!(cache.store(entries).is_none());
        keys
    }

    #[test]
    fn facts_round_trip_through_the_pack() {
        let dir = tempfile::tempdir().unwrap();
        let keys = stored(dir.path(), "build-a", &[("src/a.ts", b"a"), ("src/b.ts", b"b")]);
        let (cache, diagnostic) = Cache::open_as(dir.path(), "cache", "build-a".to_owned());
        assert_eq!(diagnostic, None);
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.get(&keys[0]), Some(facts("src/a.ts")));
        assert_eq!(cache.get(&keys[1]), Some(facts("src/b.ts")));
        assert_ne!(cache.get(&keys[1]).map(|f| f.facts), Some(FileFacts::default()));
        assert!(dir.path().join(".gitignore").is_file() && dir.path().join("CACHEDIR.TAG").is_file());
    }

    #[test]
    fn keys_change_with_path_language_forcing_and_content() {
        let base = Cache::key("a.ts", Language::Typescript, false, b"x");
        assert_eq!(base, Cache::key("a.ts", Language::Typescript, false, b"x"));
        assert_ne!(base, Cache::key("b.ts", Language::Typescript, false, b"x"));
        assert_ne!(base, Cache::key("a.ts", Language::Tsx, false, b"x"));
        assert_ne!(base, Cache::key("a.ts", Language::Typescript, true, b"x"));
        assert_ne!(base, Cache::key("a.ts", Language::Typescript, false, b"y"));
        // Length prefixes keep the parts apart: moving a byte from the path into the content changes the key.
        assert_ne!(Cache::key("a.t", Language::Typescript, false, b"sx"), base);
        let unreadable = Cache::unreadable_key("a.ts", "Permission denied");
        assert_eq!(unreadable, Cache::unreadable_key("a.ts", "Permission denied"));
        assert_ne!(unreadable, Cache::unreadable_key("a.ts", "Is a directory"));
        assert_ne!(unreadable, Cache::unreadable_key("b.ts", "Permission denied"));
    }

    #[test]
    fn another_build_is_ignored_with_a_diagnostic() {
        let dir = tempfile::tempdir().unwrap();
        stored(dir.path(), "build-a", &[("src/a.ts", b"a")]);
        let (cache, diagnostic) = Cache::open_as(dir.path(), "cache", "build-b".to_owned());
        assert!(cache.is_empty());
        let diagnostic = diagnostic.expect("a diagnostic");
        assert_eq!(diagnostic.code, "cache-ignored");
        assert!(diagnostic.message.contains("another version or build"), "{}", diagnostic.message);
    }

    #[test]
    fn every_truncation_and_every_flipped_byte_is_caught() {
        let dir = tempfile::tempdir().unwrap();
        stored(dir.path(), "build-a", &[("src/a.ts", b"a"), ("src/b.ts", b"b")]);
        let pack = std::fs::read(dir.path().join(PACK_FILE)).unwrap();
        for len in 0..pack.len() {
            assert!(index(&pack[..len], "build-a").is_err(), "truncated to {len} bytes");
        }
        for at in 0..pack.len() {
            let mut damaged = pack.clone();
            damaged[at] ^= 0x10;
            assert!(index(&damaged, "build-a").is_err(), "byte {at} flipped");
        }
        assert!(index(&pack, "build-a").is_ok());
    }

    #[test]
    fn unused_entries_are_carried_over_up_to_twice_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let keys = stored(dir.path(), "build-a", &[("src/a.ts", b"a"), ("src/b.ts", b"b")]);
        let (cache, _) = Cache::open_as(dir.path(), "cache", "build-a".to_owned());
        let c = Cache::key("src/c.ts", Language::Typescript, false, b"c");
        let entries = vec![Entry::Reused(keys[0]), Entry::New(c, encode(&facts("src/c.ts")).unwrap())];
        assert!(cache.store(entries).is_none());
        let (cache, _) = Cache::open_as(dir.path(), "cache", "build-a".to_owned());
        assert_eq!(cache.len(), 3);
        assert_eq!(cache.get(&keys[1]), Some(facts("src/b.ts")));
        assert_eq!(cache.get(&c), Some(facts("src/c.ts")));
    }
}
