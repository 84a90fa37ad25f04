//! The schema folder (`schemas/`: DTDs, XSDs, catalog, manifest, rules) embedded in the binary,
//! so `validate` needs no other file and works from any directory.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use qschema_model::resolver::normalize;
use qschema_model::Resolver;

static SCHEMAS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../schemas");

/// The virtual folder the embedded files live under (never looked up on disk).
pub const ROOT: &str = "embedded-schemas";

/// The virtual path of an embedded file given relative to `schemas/`.
pub fn path_of(relative: &Path) -> PathBuf {
    Path::new(ROOT).join(relative)
}

/// The text of an embedded file (relative to `schemas/`), if it exists and is UTF-8.
pub fn text(relative: &Path) -> Option<&'static str> {
    SCHEMAS.get_file(relative).and_then(|f| f.contents_utf8())
}

/// Serves every embedded file under [`ROOT`], straight from the binary (nothing is copied
/// until a schema load reads a file).
#[derive(Clone, Copy, Debug, Default)]
pub struct EmbeddedResolver;

impl Resolver for EmbeddedResolver {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        let normalized = normalize(path);
        normalized
            .strip_prefix(ROOT)
            .ok()
            .and_then(text)
            .map(str::to_string)
            .ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!("{} is not among the embedded schema files", path.display()),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_embedded_files_by_normalized_path_only() {
        let r = EmbeddedResolver;
        let direct = r
            .read(&path_of(Path::new("catalog.toml")))
            .expect("catalog is embedded");
        let dotted = r
            .read(&Path::new(ROOT).join("vm/./../catalog.toml"))
            .expect("dot segments are resolved");
        assert_eq!(direct, dotted);
        assert!(r.read(Path::new("catalog.toml")).is_err(), "outside ROOT");
        assert!(r.read(&path_of(Path::new("vm/nope.dtd"))).is_err());
    }
}
