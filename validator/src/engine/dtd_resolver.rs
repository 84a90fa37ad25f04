//! What a document's DTD may read. The external subset (the schema in force, or the DOCTYPE's
//! own local file when [`Options::load_external_dtd`] asks for it) and the files beside it are
//! read through the schema resolver. Anything else is an external parameter entity the
//! document's internal subset declares: untrusted input, held to the same policy as external
//! general entities (read only with [`Options::allow_local_external_entities`], only regular
//! files inside the document's folder after following symbolic links, at most
//! [`Options::max_expanded_bytes`] bytes).

use std::path::{Path, PathBuf};

use qschema_model::{resolver::normalize, Resolver};

use super::local_files::{document_folder, inside_folder};
use super::options::Options;

/// A [`Resolver`] for one document's DTD (see the module docs).
pub(crate) struct DocumentDtdResolver<'r> {
    /// The schema resolver (disk or embedded files).
    inner: &'r dyn Resolver,
    /// The folder of the external subset, if one is read.
    external_dir: Option<PathBuf>,
    /// The document's folder, when local external entities may be read.
    document_dir: Option<PathBuf>,
    /// The limits (`max_expanded_bytes`: the most bytes one external parameter entity may
    /// have) and how messages name them.
    opts: &'r Options,
}

impl<'r> DocumentDtdResolver<'r> {
    /// The resolver for the document at `document` with external subset `external`.
    pub(crate) fn new(
        inner: &'r dyn Resolver,
        external: Option<&Path>,
        document: Option<&Path>,
        opts: &'r Options,
    ) -> DocumentDtdResolver<'r> {
        DocumentDtdResolver {
            inner,
            external_dir: external.and_then(document_folder),
            document_dir: document
                .filter(|_| opts.allow_local_external_entities)
                .and_then(document_folder),
            opts,
        }
    }

    /// The file `path` names, when it is a regular file inside the document's folder.
    fn inside_document_dir(&self, path: &Path) -> Result<PathBuf, String> {
        let Some(dir) = &self.document_dir else {
            return Err(format!("external parameter entities of the document's internal subset are not loaded (enable {} to read local files next to the document)", self.opts.option_name("allow_local_external_entities")));
        };
        inside_folder(dir, path)
            .ok_or_else(|| "not a readable file inside the document's folder".to_string())
    }
}

impl Resolver for DocumentDtdResolver<'_> {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        if self
            .external_dir
            .as_deref()
            .is_some_and(|dir| under(dir, path))
        {
            return self.inner.read(path);
        }
        let refused = |m: String| std::io::Error::new(std::io::ErrorKind::PermissionDenied, m);
        let file = self.inside_document_dir(path).map_err(refused)?;
        let meta = std::fs::metadata(&file)?;
        if !meta.is_file() {
            return Err(refused("not a regular file".to_string()));
        }
        let limit = self.opts.max_expanded_bytes;
        if meta.len() > limit as u64 {
            return Err(refused(format!(
                "larger than {} ({} bytes)",
                self.opts.option_name("max_expanded_bytes"),
                limit
            )));
        }
        self.inner.read(&file)
    }
}

/// Whether `path` is inside folder `dir`: compared after following symbolic links when both
/// are on disk, lexically otherwise (embedded schema files have virtual paths; a bare `.`
/// never matches lexically).
fn under(dir: &Path, path: &Path) -> bool {
    match (dir.canonicalize(), path.canonicalize()) {
        (Ok(dir), Ok(path)) => path.starts_with(dir),
        _ => dir != Path::new(".") && normalize(path).starts_with(dir),
    }
}

#[cfg(test)]
mod tests {
    use super::under;
    use std::path::Path;

    #[test]
    fn under_compares_virtual_paths_lexically_and_never_matches_a_bare_dot() {
        let virtual_dir = Path::new("qschema-virtual/vm/8.11.2");
        assert!(under(virtual_dir, &virtual_dir.join("parts.ent")));
        assert!(!under(virtual_dir, Path::new("/etc/passwd")));
        assert!(!under(virtual_dir, &virtual_dir.join("../other.ent")));
        assert!(!under(Path::new("."), Path::new("qschema-virtual/x.ent")));
        assert!(!under(Path::new("."), Path::new("/etc/passwd")));
    }
}
