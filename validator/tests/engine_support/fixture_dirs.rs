// The engine fixtures (`tests/fixtures/engine/*/`: a `doc.xml` and maybe a `schema.dtd` or
// `schema.xsd`), for the tests that run every one of them through the engine: the robustness
// test and the plain-markup reader's unit tests (`src/engine/driver/leaf.rs`). The including
// module has `CompiledSchema` in scope.

use std::path::{Path, PathBuf};

/// The fixtures' folders, sorted.
pub fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/engine");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("doc.xml").exists())
        .collect();
    dirs.sort();
    dirs
}

/// The fixture's schema, compiled, if it has one.
pub fn schema(dir: &Path) -> Option<super::CompiledSchema> {
    ["schema.dtd", "schema.xsd"]
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.exists())
        .map(|p| {
            let loaded = qschema_model::load_file(&p).expect("schema");
            super::CompiledSchema::compile(loaded).expect("compile")
        })
}
