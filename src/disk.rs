//! The files the stages after parsing read or look for besides the sources: manifests, tsconfigs (and what they
//! extend, even under `node_modules`), schema files, and the files an import may name (assets).
//!
//! Takes the analysed root; every read and probe goes through [`Disk`], which remembers what it saw. The
//! observations come back sorted from [`Disk::observations`], so a stored analysis can later check that each still
//! holds ([`Observation::holds`]) before it is reused: these files are inputs of the analysis like the sources.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// The analysed root, with a record of what the stages read from it.
pub struct Disk {
    root: PathBuf,
    /// Answers to the probes other than reads.
    seen: Mutex<BTreeMap<(Probe, String), Seen>>,
    /// Texts read so far: a file read twice in one run (a tsconfig that several others extend) gives the same text
    /// both times, the one its observation describes.
    texts: Mutex<BTreeMap<String, Option<String>>>,
}

/// What was asked about a root-relative path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Probe {
    /// Its text was read.
    Read,
    /// Whether it is a regular file (after symbolic links).
    IsFile,
    /// Whether it is a regular file reached without going through a symbolic link.
    IsRealFile,
}

/// The answer, kept small: a read is remembered by a hash of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Seen {
    Text([u8; 32]),
    Unreadable,
    Yes,
    No,
}

/// One probe and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    pub probe: Probe,
    pub path: String,
    pub seen: Seen,
}

impl Disk {
    pub fn new(root: &Path) -> Disk {
        Disk { root: root.to_path_buf(), seen: Mutex::new(BTreeMap::new()), texts: Mutex::new(BTreeMap::new()) }
    }

    /// The text of `path` (relative to the root), or `None` when it cannot be read as UTF-8 text.
    pub fn read(&self, path: &str) -> Option<String> {
        let mut texts = self.texts.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(text) = texts.get(path) {
            return text.clone();
        }
        let text = read(&self.root, path);
        texts.insert(path.to_owned(), text.clone());
        text
    }

    /// Whether `path` is a regular file, following symbolic links.
    pub fn is_file(&self, path: &str) -> bool {
        self.answer(Probe::IsFile, path)
    }

    /// Whether `path` is a regular file that is not reached through a symbolic link (discovery does not follow
    /// links, so a file behind one is not part of the analysed tree).
    pub fn is_real_file(&self, path: &str) -> bool {
        self.answer(Probe::IsRealFile, path)
    }

    /// Every probe made so far with its answer, sorted by probe and path (reads first).
    pub fn observations(&self) -> Vec<Observation> {
        let texts = self.texts.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let reads = texts.iter().map(|(path, text)| Observation {
            probe: Probe::Read,
            path: path.clone(),
            seen: seen_text(text.as_deref()),
        });
        let seen = self.lock();
        let probes =
            seen.iter().map(|((probe, path), seen)| Observation { probe: *probe, path: path.clone(), seen: *seen });
        reads.chain(probes).collect()
    }

    /// The answer for `path`, asked once per run: resolution asks about the same asset paths from many modules,
    /// and one run must see one state of the disk anyway.
    fn answer(&self, probe: Probe, path: &str) -> bool {
        let key = (probe, path.to_owned());
        if let Some(seen) = self.lock().get(&key) {
            return *seen == Seen::Yes;
        }
        let seen = ask(&self.root, probe, path);
        *self.lock().entry(key).or_insert(seen) == Seen::Yes
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<(Probe, String), Seen>> {
        self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Observation {
    /// Whether asking again under `root` gives the same answer.
    pub fn holds(&self, root: &Path) -> bool {
        ask(root, self.probe, &self.path) == self.seen
    }
}

fn read(root: &Path, path: &str) -> Option<String> {
    std::fs::read_to_string(root.join(path)).ok()
}

/// A read remembered by the hash of its text.
fn seen_text(text: Option<&str>) -> Seen {
    text.map_or(Seen::Unreadable, |t| Seen::Text(*blake3::hash(t.as_bytes()).as_bytes()))
}

fn ask(root: &Path, probe: Probe, path: &str) -> Seen {
    let full = root.join(path);
    let yes = match probe {
        Probe::Read => return seen_text(read(root, path).as_deref()),
        Probe::IsFile => full.is_file(),
        Probe::IsRealFile => {
            full.is_file()
                && match (full.canonicalize(), root.canonicalize()) {
                    (Ok(real), Ok(root)) => real == root.join(path),
                    _ => true,
                }
        }
    };
    if yes { Seen::Yes } else { Seen::No }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observations_hold_until_the_files_change() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("tsconfig.json"), "{}").unwrap();
        let disk = Disk::new(root);
        assert_eq!(disk.read("tsconfig.json").as_deref(), Some("{}"));
        assert_eq!(disk.read("missing.json"), None);
        assert!(disk.is_file("tsconfig.json"));
        assert!(!disk.is_file("logo.svg"));
        assert!(disk.is_real_file("tsconfig.json"));
        let observations = disk.observations();
        assert_eq!(observations.len(), 5);
        assert!(observations.iter().all(|o| o.holds(root)));

        // Each kind of change breaks exactly the observations that depended on it.
        std::fs::write(root.join("tsconfig.json"), "{\"extends\": \"./base\"}").unwrap();
        std::fs::write(root.join("logo.svg"), "<svg/>").unwrap();
        let broken: Vec<(Probe, &str)> =
            observations.iter().filter(|o| !o.holds(root)).map(|o| (o.probe, o.path.as_str())).collect();
        assert_eq!(broken, [(Probe::Read, "tsconfig.json"), (Probe::IsFile, "logo.svg")]);
        // Within the run, the first answers stand: one run sees one state of the disk.
        assert_eq!(disk.read("tsconfig.json").as_deref(), Some("{}"));
        assert!(!disk.is_file("logo.svg"));
        assert_eq!(disk.observations(), observations);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_behind_a_symbolic_link_is_a_file_but_not_a_real_one() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("real.css"), "a{}").unwrap();
        std::os::unix::fs::symlink(root.join("real.css"), root.join("link.css")).unwrap();
        let disk = Disk::new(root);
        assert!(disk.is_file("link.css"));
        assert!(!disk.is_real_file("link.css"));
        assert!(disk.is_real_file("real.css"));
    }
}
