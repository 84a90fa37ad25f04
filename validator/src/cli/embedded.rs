//! The schema folder (`schemas/`: DTDs, XSDs, catalog, manifest, rules) embedded in the binary,
//! so `validate` needs no other file and works from any directory.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use qschema_model::MemoryResolver;

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

/// A resolver serving every embedded file under [`ROOT`].
pub fn resolver() -> MemoryResolver {
    let mut r = MemoryResolver::new();
    add_dir(&SCHEMAS, &mut r);
    r
}

fn add_dir(dir: &Dir<'static>, r: &mut MemoryResolver) {
    for f in dir.files() {
        if let Some(text) = f.contents_utf8() {
            r.insert(path_of(f.path()), text);
        }
    }
    for d in dir.dirs() {
        add_dir(d, r);
    }
}
