//! Resolving system identifiers to local files (never the network), and refusing files that
//! must not be read (devices, folders, oversized files).

use std::path::{Path, PathBuf};

use crate::resolver::normalize;

/// Resolve `system_id` against the file `base` when it names a local file (a relative
/// reference, an absolute path or a `file:` URL); `None` for other URL schemes.
pub(crate) fn resolve_local(base: &Path, system_id: &str) -> Option<PathBuf> {
    let id = system_id.split('#').next().unwrap_or("");
    if id.is_empty() {
        return None;
    }
    let id = if let Some(rest) = id.strip_prefix("file://") {
        rest
    } else if let Some(rest) = id.strip_prefix("file:") {
        rest
    } else {
        let scheme_len = id.find(':').unwrap_or(0);
        let is_scheme = scheme_len > 1
            && id
                .get(..scheme_len)
                .unwrap_or("")
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        if is_scheme {
            return None;
        }
        id
    };
    let id = percent_decode(id);
    let joined = match base.parent() {
        Some(dir) => dir.join(&id),
        None => PathBuf::from(&id),
    };
    Some(normalize(&joined))
}

/// Decode `%XX` escapes in a URI reference (leaving malformed ones as written).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let decoded = (b == b'%')
            .then(|| s.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match decoded {
            Some(d) => {
                out.push(d);
                i += 3;
            }
            None => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Why a file on disk must not be read as a DTD or external entity (a device such as `/dev/zero`,
/// a FIFO, or a file larger than the expansion limit would hang or exhaust memory), if so.
/// Paths that are not on disk (in-memory resolvers) are left to the resolver.
pub(crate) fn unsafe_to_read(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return Some("is not a regular file".to_string());
    }
    (meta.len() > super::parser::EXPANSION_LIMIT as u64).then(|| {
        format!(
            "is larger than the expansion limit of {} bytes",
            super::parser::EXPANSION_LIMIT
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_resolution() {
        let base = Path::new("dir/main.dtd");
        assert_eq!(
            resolve_local(base, "x/../y.ent"),
            Some(PathBuf::from("dir/y.ent"))
        );
        assert_eq!(resolve_local(base, "http://example.com/a.dtd"), None);
        assert_eq!(
            resolve_local(base, "a%20b.ent"),
            Some(PathBuf::from("dir/a b.ent"))
        );
        assert_eq!(resolve_local(base, ""), None);
    }
}
