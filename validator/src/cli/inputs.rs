//! Input discovery: files, directories (recursive, `*.xml`, sorted) and `-` for stdin.

use std::io::Read;
use std::path::{Path, PathBuf};

/// Where a document comes from.
#[derive(Clone, Debug)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// Standard input, read fully into memory (it cannot be read twice).
    Stdin(std::sync::Arc<Vec<u8>>),
    /// A small file on disk, read into memory once (see [`Input::loaded`]).
    Loaded(PathBuf, Vec<u8>),
    /// The argument could not be turned into a document (missing file, unreadable folder).
    Unreadable(String),
}

/// One document to validate, in output order.
#[derive(Clone, Debug)]
pub struct Input {
    /// How the document is named in output.
    pub display: String,
    /// Where its bytes are.
    pub source: Source,
}

impl Input {
    /// The file path, for files.
    pub fn path(&self) -> Option<&Path> {
        match &self.source {
            Source::File(p) | Source::Loaded(p, _) => Some(p),
            _ => None,
        }
    }

    /// This input with a file of at most `limit` bytes read into memory, so sniffing the
    /// prolog, validating and the rules pass read it once, without a file open and a large
    /// read buffer each; a pipe, FIFO or device is read into memory whatever its size (up to
    /// [`MAX_STREAM_BYTES`]). Larger regular files, and files that cannot be opened (their
    /// error is reported when they are checked), are returned as they are.
    pub fn loaded(&self, limit: u64) -> std::borrow::Cow<'_, Input> {
        use std::borrow::Cow;
        let Source::File(path) = &self.source else {
            return Cow::Borrowed(self);
        };
        let Ok(mut file) = std::fs::File::open(path) else {
            return Cow::Borrowed(self);
        };
        let len = match file.metadata() {
            Ok(m) if m.is_file() && m.len() <= limit => m.len(),
            Ok(m) if m.is_file() => return Cow::Borrowed(self),
            // A pipe, FIFO or device cannot be read twice (sniffing the prolog, then
            // validating): read it into memory once.
            _ => {
                return Cow::Owned(Input {
                    display: self.display.clone(),
                    source: match read_capped(file) {
                        Ok(bytes) => Source::Loaded(path.clone(), bytes),
                        Err(e) => Source::Unreadable(e),
                    },
                })
            }
        };
        match read_sized(&mut file, len as usize) {
            Ok(bytes) => Cow::Owned(Input {
                display: self.display.clone(),
                source: Source::Loaded(path.clone(), bytes),
            }),
            Err(_) => Cow::Borrowed(self),
        }
    }
}

/// All of `file`, whose size was `len` when it was opened: read into a buffer of that size
/// (plus one byte, so the read that sees the end needs no other buffer), without the `statx`
/// and `lseek` that `File::read_to_end` spends on finding the size again, and without zeroing
/// the buffer first (`Read::read_to_end` reads into its spare capacity). A file that grew
/// meanwhile is read to its new end.
fn read_sized(file: &mut std::fs::File, len: usize) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(len.saturating_add(1));
    let limit = u64::try_from(len.saturating_add(1)).unwrap_or(u64::MAX);
    let read = (&mut *file).take(limit).read_to_end(&mut bytes)?;
    if read > len {
        // Longer than when it was opened: read the rest.
        file.read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

/// Expand the command-line paths into documents. Never fails as a whole: problems become
/// [`Source::Unreadable`] inputs so they are reported in order with the rest.
pub fn discover(paths: &[PathBuf]) -> Vec<Input> {
    let mut out = Vec::new();
    let mut stdin_used = false;
    for p in paths {
        if p.as_os_str() == "-" {
            let source = if stdin_used {
                Source::Unreadable("stdin (`-`) was given more than once".to_string())
            } else {
                stdin_used = true;
                read_stdin()
            };
            out.push(Input {
                display: "<stdin>".to_string(),
                source,
            });
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let before = out.len();
                walk(p, &mut out);
                if out.len() == before {
                    out.push(Input {
                        display: p.display().to_string(),
                        source: Source::Unreadable("no *.xml files in this directory".to_string()),
                    });
                }
            }
            // A pipe, FIFO or device (`/dev/stdin`, `<(...)`) too: read when it is checked
            // (see [`Input::loaded`]), not here, so it holds back no file before it.
            Ok(_) => out.push(Input {
                display: p.display().to_string(),
                source: Source::File(p.clone()),
            }),
            Err(e) => out.push(Input {
                display: p.display().to_string(),
                source: Source::Unreadable(format!("cannot read: {e}")),
            }),
        }
    }
    out
}

/// The most bytes read into memory from standard input, a pipe or a device (files on disk
/// are streamed and have no such limit).
pub const MAX_STREAM_BYTES: u64 = 512 * 1024 * 1024;

/// All of `reader`, up to [`MAX_STREAM_BYTES`].
fn read_capped(reader: impl Read) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_STREAM_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_STREAM_BYTES {
        return Err(format!(
            "more than {} MiB from a pipe or device (save it to a file: files are streamed)",
            MAX_STREAM_BYTES / (1024 * 1024)
        ));
    }
    Ok(bytes)
}

fn read_stdin() -> Source {
    match read_capped(std::io::stdin().lock()) {
        Ok(bytes) => Source::Stdin(std::sync::Arc::new(bytes)),
        Err(e) => Source::Unreadable(format!("stdin: {e}")),
    }
}

fn is_xml(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
}

/// Collect `*.xml` below `dir`, sorted by path; symlinked directories are not followed (no
/// loops), symlinked files are. The entries' types come from the directory listing itself
/// (`d_type`; std falls back to `lstat` where the file system does not give it), so only
/// symbolic links cost a `stat` each.
fn walk(dir: &Path, out: &mut Vec<Input>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            out.push(Input {
                display: dir.display().to_string(),
                source: Source::Unreadable(format!("cannot read directory: {e}")),
            });
            return;
        }
    };
    let mut found: Vec<(PathBuf, std::fs::FileType)> = Vec::new();
    for entry in entries {
        match entry.and_then(|e| Ok((e.path(), e.file_type()?))) {
            Ok(pair) => found.push(pair),
            Err(e) => out.push(Input {
                display: dir.display().to_string(),
                source: Source::Unreadable(format!("cannot read directory entry: {e}")),
            }),
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    for (p, kind) in found {
        if kind.is_dir() {
            walk(&p, out);
        } else if is_xml(&p) {
            if let Some(source) = entry_source(&p, kind) {
                out.push(Input {
                    display: p.display().to_string(),
                    source,
                });
            }
        }
    }
}

/// What a `*.xml` directory entry of type `kind` is checked as: a regular file (or a link to
/// one) is read; a link to a directory is skipped (`None`: links are not followed, so no
/// loops); a dangling link, a pipe, a socket or a device is reported, never dropped silently.
fn entry_source(p: &Path, kind: std::fs::FileType) -> Option<Source> {
    if kind.is_file() {
        return Some(Source::File(p.to_path_buf()));
    }
    if !kind.is_symlink() {
        return Some(Source::Unreadable(
            "not a regular file (pipe, socket or device): not read in a directory".to_string(),
        ));
    }
    match std::fs::metadata(p) {
        Ok(m) if m.is_file() => Some(Source::File(p.to_path_buf())),
        Ok(m) if m.is_dir() => None,
        Ok(_) => Some(Source::Unreadable(
            "not a regular file (symbolic link to a pipe or device)".to_string(),
        )),
        Err(e) => Some(Source::Unreadable(format!(
            "cannot read (symbolic link): {e}"
        ))),
    }
}
