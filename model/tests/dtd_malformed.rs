//! Malformed DTDs: every `fixtures/dtd/malformed/*.dtd` (and `*.xml`, a document whose
//! internal subset is malformed) must fail to load with diagnostics naming file, line and
//! column; the diagnostics of each file are snapshotted.

use std::path::{Path, PathBuf};

use qschema_model::LoadError;

mod dtd_support;
use dtd_support::load_fixture;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dtd/malformed")
}

/// Load one malformed fixture and render its diagnostics, one `file:line:column: message`
/// per line. Panics if the file loads.
fn check(path: &Path) -> String {
    match load_fixture(path) {
        Ok(_) => panic!("{} loaded but is malformed", path.display()),
        Err(LoadError::Io { path, source }) => panic!("{}: cannot read: {source}", path.display()),
        Err(e @ LoadError::Invalid(_)) => {
            let diagnostics = e.diagnostics();
            assert!(!diagnostics.is_empty());
            for d in diagnostics {
                assert!(
                    d.line > 0 && d.column > 0,
                    "diagnostic without a position: {d}"
                );
            }
            diagnostics
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        }
    }
}

#[test]
fn malformed_fixtures() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "dtd" || e == "xml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 14, "expected at least 14 malformed fixtures");
    for path in paths {
        let name = path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace('.', "_");
        insta::assert_snapshot!(name, check(&path));
    }
}
