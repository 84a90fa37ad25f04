//! Source texts with line maps, and the registry of files read while loading a DTD.

use std::cell::Cell;
use std::path::{Component, Path, PathBuf};

use crate::location::{FileId, Location, SourceFile};
use crate::resolver::normalize;

/// A text the scanner reads: a whole file, a document's internal subset, or the replacement
/// text of an internal parameter entity. Line ends are normalized to `\n` (XML 1.0 §2.11).
#[derive(Debug)]
pub(crate) struct Source {
    /// The text, line ends normalized.
    pub text: String,
    /// Which file positions in this text belong to.
    pub file: FileId,
    /// The file relative system identifiers are resolved against (the declaring file).
    pub path: PathBuf,
    /// Byte offsets where lines start.
    line_starts: Vec<usize>,
    /// Line and column of the text's first character in its file.
    base: (u32, u32),
    /// The last position computed: (byte offset, line index, 1-based column). The scanner
    /// mostly moves forward, so counting from there keeps long lines linear.
    last: Cell<(usize, usize, u32)>,
}

impl Source {
    /// A source whose first character is at `base` (line, column) of `file`.
    pub fn new(text: &str, file: FileId, path: &Path, base: (u32, u32)) -> Source {
        let text = normalize_line_ends(text);
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Source {
            text,
            file,
            path: path.to_path_buf(),
            line_starts,
            base,
            last: Cell::new((0, 0, 1)),
        }
    }

    /// The location of byte offset `offset`.
    pub fn location(&self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let (last_offset, last_line, last_column) = self.last.get();
        let (start, start_column) = if last_line == line_index && last_offset <= offset {
            (last_offset, last_column)
        } else {
            (self.line_starts.get(line_index).copied().unwrap_or(0), 1)
        };
        let column = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0) as u32
            + start_column;
        self.last.set((offset, line_index, column));
        let (line, column) = if line_index == 0 {
            (self.base.0, self.base.1 + column - 1)
        } else {
            (self.base.0 + line_index as u32, column)
        };
        Location {
            file: self.file,
            line,
            column,
        }
    }
}

/// Replace `\r\n` and lone `\r` by `\n`.
pub(crate) fn normalize_line_ends(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Line and column (1-based) just after `text`, counting `\r\n`, `\r` and `\n` as line ends.
pub(crate) fn end_position(text: &str) -> (u32, u32) {
    let normalized = normalize_line_ends(text);
    let line = normalized.matches('\n').count() as u32 + 1;
    let last = normalized.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = normalized
        .get(last..)
        .map(|s| s.chars().count())
        .unwrap_or(0) as u32
        + 1;
    (line, column)
}

/// The files read while loading, in [`FileId`] order, with stable display names.
#[derive(Debug)]
pub(crate) struct FileRegistry {
    /// The files (file 0 is the entry file).
    pub files: Vec<SourceFile>,
    /// The folder display names are relative to.
    root: PathBuf,
}

impl FileRegistry {
    /// A registry whose entry file (file 0) is `entry`.
    pub fn new(entry: &Path) -> FileRegistry {
        let root = entry.parent().map(normalize).unwrap_or_default();
        let mut registry = FileRegistry {
            files: Vec::new(),
            root,
        };
        registry.add(entry);
        registry
    }

    /// The id of `path`, registering it on first sight.
    pub fn add(&mut self, path: &Path) -> FileId {
        let normalized = normalize(path);
        if let Some(i) = self.files.iter().position(|f| f.path == normalized) {
            return FileId(i as u32);
        }
        let display = display_name(&self.root, &normalized);
        self.files.push(SourceFile::new(normalized, display));
        FileId((self.files.len() - 1) as u32)
    }

    /// How `file` is shown in messages.
    pub fn display(&self, file: FileId) -> &str {
        self.files
            .get(file.0 as usize)
            .map(|f| f.display.as_str())
            .unwrap_or("<unknown>")
    }
}

/// `path` relative to `root` (with `..` steps when needed); just the file name when the two
/// cannot be related lexically (one absolute, one relative), so dumps never show machine paths.
fn display_name(root: &Path, path: &Path) -> String {
    if root.is_absolute() == path.is_absolute() {
        let root_parts: Vec<Component> = root.components().collect();
        let path_parts: Vec<Component> = path.components().collect();
        let common = root_parts
            .iter()
            .zip(&path_parts)
            .take_while(|(a, b)| a == b)
            .count();
        let root_rest = root_parts.get(common..).unwrap_or(&[]);
        let path_rest = path_parts.get(common..).unwrap_or(&[]);
        let ups = root_rest.len();
        let leading_parent = root_rest.iter().any(|c| matches!(c, Component::ParentDir));
        let shared = !path.is_absolute() || common > 1;
        if !leading_parent && (ups == 0 || shared) {
            let mut parts: Vec<String> = vec!["..".to_string(); ups];
            parts.extend(
                path_rest
                    .iter()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned()),
            );
            return parts.join("/");
        }
    }
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_with_base() {
        let s = Source::new("ab\r\ncd\ref", FileId(0), Path::new("x"), (3, 5));
        assert_eq!(s.text, "ab\ncd\nef");
        assert_eq!((s.location(1).line, s.location(1).column), (3, 6));
        assert_eq!((s.location(4).line, s.location(4).column), (4, 2));
        assert_eq!((s.location(6).line, s.location(6).column), (5, 1));
        assert_eq!(end_position("a\r\nbc"), (2, 3));
    }

    #[test]
    fn display_names_are_relative() {
        let mut r = FileRegistry::new(Path::new("/a/b/main.dtd"));
        assert_eq!(r.display(FileId(0)), "main.dtd");
        let sub = r.add(Path::new("/a/b/sub/../inc/x.ent"));
        assert_eq!(r.display(sub), "inc/x.ent");
        let up = r.add(Path::new("/a/c/y.ent"));
        assert_eq!(r.display(up), "../c/y.ent");
        assert_eq!(r.add(Path::new("/a/b/main.dtd")), FileId(0));
        let rel = FileRegistry::new(Path::new("main.dtd"));
        assert_eq!(rel.display(FileId(0)), "main.dtd");
    }
}
