//! File helpers shared by the integration tests.

use std::path::Path;

/// Copies the tree `from` into `to` (created as needed), leaving out `.seamline-cache` folders: other tests
/// analyse the fixtures in place and write their cache there meanwhile.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().filter_entry(|e| e.file_name() != ".seamline-cache") {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
