//! Where schema files come from: the disk, or an in-memory set (embedded schemas).
//! The model never touches the network; a resolver only ever maps a path to local text.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// Supplies the text of schema files (the entry file, includes, imports, external entities).
pub trait Resolver {
    /// Read the file at `path` (already joined against the including file's folder).
    fn read(&self, path: &Path) -> std::io::Result<String>;
}

/// The largest schema file (or external entity) [`FsResolver`] reads: 64 MiB.
pub const MAX_SCHEMA_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads regular files from the local file system, up to [`MAX_SCHEMA_FILE_BYTES`].
#[derive(Clone, Copy, Debug, Default)]
pub struct FsResolver;

impl Resolver for FsResolver {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        let meta = std::fs::metadata(path)?;
        if !meta.is_file() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a regular file (devices, pipes and folders are never read as schemas)",
            ));
        }
        if meta.len() > MAX_SCHEMA_FILE_BYTES {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "{} bytes is more than the {MAX_SCHEMA_FILE_BYTES}-byte limit for a schema file",
                    meta.len()
                ),
            ));
        }
        text_of(std::fs::read(path)?)
    }
}

/// The text of a file in the encoding its byte order mark or XML (text) declaration names
/// (UTF-8 otherwise; a UTF-16 byte order mark is kept as U+FEFF, like a UTF-8 one): see
/// [`crate::encoding::decode`].
fn text_of(bytes: Vec<u8>) -> std::io::Result<String> {
    crate::encoding::decode(bytes)
        .map_err(|m| std::io::Error::new(std::io::ErrorKind::InvalidData, m))
}

/// Serves files from memory, keyed by normalized path (for schemas embedded in a binary).
#[derive(Clone, Debug, Default)]
pub struct MemoryResolver {
    files: BTreeMap<PathBuf, String>,
}

impl MemoryResolver {
    /// An empty set.
    pub fn new() -> MemoryResolver {
        MemoryResolver::default()
    }

    /// Add (or replace) a file.
    pub fn insert(&mut self, path: impl AsRef<Path>, text: impl Into<String>) {
        self.files.insert(normalize(path.as_ref()), text.into());
    }
}

impl Resolver for MemoryResolver {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        self.files.get(&normalize(path)).cloned().ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{} is not among the embedded schema files", path.display()),
            )
        })
    }
}

/// Lexically normalize a path: drop `.` and resolve `..` against earlier components.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}
