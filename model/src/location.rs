//! Source files and positions inside them.

use std::path::PathBuf;

/// Index of a [`SourceFile`] in [`crate::ir::Schema::files`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A position in a source file. Lines and columns are 1-based; columns count characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Location {
    /// Which file.
    pub file: FileId,
    /// 1-based line (0 for synthetic declarations such as the XSD built-ins).
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// A file read while loading a schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// The path the file was read from (may be a virtual path for embedded schemas).
    pub path: PathBuf,
    /// How the file is shown in messages and dumps: the path relative to the entry file's
    /// folder when it lies inside it, else as given. Stable across machines.
    pub display: String,
}

impl SourceFile {
    /// A source file shown as `display`.
    pub fn new(path: impl Into<PathBuf>, display: impl Into<String>) -> SourceFile {
        SourceFile {
            path: path.into(),
            display: display.into(),
        }
    }
}

/// Convert a byte offset in `text` to a 1-based (line, column) pair, columns in characters.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let mut safe = offset;
    while !text.is_char_boundary(safe) {
        safe -= 1;
    }
    let before = &text[..safe];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before[line_start..].chars().count() as u32 + 1;
    (line, column)
}
