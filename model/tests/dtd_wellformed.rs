//! Well-formed DTD fixtures: every `fixtures/dtd/wellformed/*.dtd` loads, and the dump of the
//! model (elements, types, attributes, entities, notations, findings) is snapshotted.
//! A fixture `x.dtd` with a sibling `x.xml` is loaded as that document's DTD instead
//! (internal subset plus the external subset its DOCTYPE names). Files only referenced by
//! other fixtures (external parameter entities, external subsets) live in `parts/`.

use std::path::{Path, PathBuf};

use qschema_model::{dump::dump, FsResolver};

mod dtd_support;
use dtd_support::load_fixture;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dtd/wellformed")
}

/// Load one fixture (a `.dtd`, or a `.xml` document with a DOCTYPE) and render its dump.
fn check(path: &Path) -> String {
    match load_fixture(path) {
        Ok(schema) => dump(&schema),
        Err(e) => panic!("{} did not load:\n{e}", path.display()),
    }
}

#[test]
fn wellformed_fixtures() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let ext = p.extension().and_then(|e| e.to_str());
            ext == Some("xml") || ext == Some("dtd")
        })
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 10,
        "expected at least 10 well-formed fixtures"
    );
    for path in paths {
        let name = path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace('.', "_");
        insta::assert_snapshot!(name, check(&path));
    }
}

/// Every DTD shipped in the repository's `schemas/` folder loads without syntax errors.
#[test]
fn repository_schemas_load() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let mut stack = vec![root];
    let mut count = 0;
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "dtd") {
                if let Err(e) = qschema_model::load_with(&path, &FsResolver) {
                    panic!("{} did not load:\n{e}", path.display());
                }
                count += 1;
            }
        }
    }
    println!("{count} repository DTDs loaded");
}
