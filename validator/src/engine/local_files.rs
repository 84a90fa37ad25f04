//! The document's folder, and whether a local file is inside it: the one confinement rule for
//! everything a document may make the engine read (external general entities, external
//! parameter entities of its internal subset).

use std::path::{Path, PathBuf};

/// The folder of the document at `document` (`.` for a bare file name).
pub(crate) fn document_folder(document: &Path) -> Option<PathBuf> {
    document.parent().map(|p| {
        if p.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            p.to_path_buf()
        }
    })
}

/// `file` with symbolic links followed, when it exists and lies inside `dir` (also with
/// symbolic links followed).
pub(crate) fn inside_folder(dir: &Path, file: &Path) -> Option<PathBuf> {
    match (file.canonicalize(), dir.canonicalize()) {
        (Ok(file), Ok(dir)) => file.starts_with(&dir).then_some(file),
        _ => None,
    }
}
