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

/// The text of a file: UTF-8, or UTF-16 when it starts with a UTF-16 byte order mark (kept,
/// as U+FEFF, like a UTF-8 one). Anything else that is not UTF-8 is an error.
fn text_of(bytes: Vec<u8>) -> std::io::Result<String> {
    let invalid = |m: String| std::io::Error::new(std::io::ErrorKind::InvalidData, m);
    let big_endian = match bytes.get(..2) {
        Some([0xFE, 0xFF]) => true,
        Some([0xFF, 0xFE]) => false,
        _ => return String::from_utf8(bytes).map_err(|e| invalid(format!("not UTF-8: {e}"))),
    };
    if !bytes.len().is_multiple_of(2) {
        return Err(invalid(
            "UTF-16 file with an odd number of bytes".to_string(),
        ));
    }
    let units = bytes.chunks_exact(2).map(|p| match big_endian {
        true => u16::from_be_bytes([p[0], p[1]]),
        false => u16::from_le_bytes([p[0], p[1]]),
    });
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|e| invalid(format!("not UTF-16: {e}")))
}

#[cfg(test)]
mod text_tests {
    use super::text_of;

    #[test]
    fn reads_utf8_and_utf16_with_a_byte_order_mark() {
        assert_eq!(
            text_of(b"<!ELEMENT a EMPTY>".to_vec()).unwrap(),
            "<!ELEMENT a EMPTY>"
        );
        let le: Vec<u8> = "\u{FEFF}<!ELEMENT \u{65E5} EMPTY>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(text_of(le).unwrap(), "\u{FEFF}<!ELEMENT \u{65E5} EMPTY>");
        let be: Vec<u8> = "\u{FEFF}x"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(text_of(be).unwrap(), "\u{FEFF}x");
        assert!(text_of(vec![0xFF, 0xFE, 0x00]).is_err());
        assert!(text_of(vec![0xFF, 0xFE, 0x00, 0xD8]).is_err());
        assert!(text_of(vec![0xC3]).is_err());
    }
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
