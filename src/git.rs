//! Reads one revision of a git repository straight from its objects (with gix). Takes a path inside the
//! repository and a revision (`main`, `HEAD~3`, a commit id); writes the files seamline reads (sources, manifests,
//! tsconfigs, schema files, ignore files) from that revision's tree into a private directory, and returns it.
//! Nothing is checked out: the repository's work tree, index and HEAD are never touched.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::model::Language;

/// A revision's files, written into a temporary directory that is removed when this is dropped.
pub struct RevisionTree {
    dir: tempfile::TempDir,
    /// Where the analysed root lies inside `dir` (the same subfolder as in the repository).
    root: PathBuf,
    /// Full id of the commit the revision names.
    pub commit: String,
    /// Files written.
    pub files: usize,
}

impl RevisionTree {
    /// The analysed root inside the exported tree.
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

/// Whether seamline would read a file of this name: everything else in the tree (images, binaries, docs) is left
/// out, which keeps the export fast on large repositories.
fn wanted(name: &str) -> bool {
    Language::from_path(name).is_some()
        || name.ends_with(".json")
        || name.ends_with(".sql")
        || name.ends_with(".prisma")
        || matches!(name, ".gitignore" | ".ignore" | "seamline.toml")
}

/// Writes the files of `revision` under `path`'s folder in its repository into a new temporary directory.
pub fn export(path: &Path, revision: &str) -> Result<RevisionTree, Error> {
    let fail = |what: String| Error::Usage(format!("--rev {revision}: {what}"));
    let absolute = path.canonicalize().map_err(|e| fail(format!("{}: {e}", path.display())))?;
    let repo =
        gix::discover(&absolute).map_err(|e| fail(format!("{} is not in a git repository ({e})", path.display())))?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| fail("a bare repository has no folder to analyse".to_owned()))?
        .canonicalize()
        .map_err(|e| fail(e.to_string()))?;
    let prefix = absolute.strip_prefix(&workdir).map_err(|_| fail("the path is outside the repository".to_owned()))?;
    let id = repo.rev_parse_single(revision).map_err(|e| fail(format!("no such revision ({e})")))?;
    let commit = id.object().map_err(|e| fail(e.to_string()))?.peel_to_commit().map_err(|e| fail(e.to_string()))?;
    let mut tree = commit.tree().map_err(|e| fail(e.to_string()))?;
    if !prefix.as_os_str().is_empty() {
        let entry = tree
            .peel_to_entry_by_path(prefix)
            .map_err(|e| fail(e.to_string()))?
            .ok_or_else(|| fail(format!("{} does not exist in this revision", prefix.display())))?;
        tree = entry.object().map_err(|e| fail(e.to_string()))?.peel_to_tree().map_err(|e| fail(e.to_string()))?;
    }
    let mut recorder = gix::traverse::tree::Recorder::default();
    tree.traverse().breadthfirst(&mut recorder).map_err(|e| fail(e.to_string()))?;

    let dir = tempfile::Builder::new().prefix("seamline-rev-").tempdir().map_err(|e| fail(e.to_string()))?;
    let root = dir.path().join(prefix);
    std::fs::create_dir_all(&root).map_err(|e| fail(e.to_string()))?;
    let mut files = 0;
    for entry in recorder.records {
        // Symlinks and submodules are left out, as the directory walk does not follow links out of the root.
        if !entry.mode.is_blob() {
            continue;
        }
        let relative = entry.filepath.to_string();
        let name = relative.rsplit('/').next().unwrap_or_default();
        if !wanted(name) || relative.split('/').any(|part| part == ".." || part.is_empty()) {
            continue;
        }
        let object = repo.find_object(entry.oid).map_err(|e| fail(e.to_string()))?;
        let target = root.join(&relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| fail(e.to_string()))?;
        }
        std::fs::write(&target, &object.data).map_err(|e| fail(format!("{}: {e}", target.display())))?;
        files += 1;
    }
    Ok(RevisionTree { dir, root, commit: commit.id.to_string(), files })
}
