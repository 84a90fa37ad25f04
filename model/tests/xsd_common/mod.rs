//! Shared by the XSD test suites: finding the fixtures.

use std::path::{Path, PathBuf};

/// The fixtures of `fixtures/xsd/{dir}`: `name.xsd` files and `name/main.xsd` folders (a
/// schema with the files it includes or imports), sorted by name.
pub fn fixtures(dir: &str) -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/xsd")
        .join(dir);
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&root).expect("fixture folder") {
        let path = entry.expect("fixture entry").path();
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        if path.is_dir() {
            out.push((name, path.join("main.xsd")));
        } else if path.extension().is_some_and(|e| e == "xsd") {
            out.push((name, path));
        }
    }
    out.sort();
    out
}
