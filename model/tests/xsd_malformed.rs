//! Data-driven malformed-XSD suite: every schema in `fixtures/xsd/malformed/` (a `*.xsd` file,
//! or a folder with a `main.xsd` and the files it includes) must fail to load with located
//! diagnostics; each file's diagnostics are an insta snapshot.

mod xsd_common;

use std::path::Path;

use xsd_common::fixtures;

use qschema_model::{xsd, FsResolver};

/// Load a schema that must be rejected; its diagnostics, one per line.
fn check(path: &Path) -> String {
    match xsd::load(path, &FsResolver) {
        Ok(_) => panic!("{} loaded, but it must be rejected", path.display()),
        Err(e) => {
            assert!(
                !e.diagnostics().is_empty(),
                "{}: an invalid schema needs located diagnostics, got {e}",
                path.display()
            );
            let folder = path.parent().expect("fixture folder");
            for d in e.diagnostics() {
                assert!(d.line > 0 && d.column > 0, "unlocated diagnostic: {d}");
                let text = std::fs::read_to_string(folder.join(&d.file)).expect("diagnosed file");
                let at = text
                    .lines()
                    .nth(d.line as usize - 1)
                    .and_then(|l| l.chars().nth(d.column as usize - 1));
                // Declaration errors point at the start tag of the element concerned; parse
                // errors and stray text at the offending character.
                if !d.message.contains("not well-formed") && !d.message.contains("unexpected text")
                {
                    assert_eq!(at, Some('<'), "{d} does not point at a start tag");
                } else {
                    assert!(at.is_some(), "{d} points past the end of its line");
                }
            }
            e.to_string()
        }
    }
}

#[test]
fn malformed_schemas_are_rejected_with_located_diagnostics() {
    let all = fixtures("malformed");
    assert!(all.len() >= 14, "expected at least 14 malformed fixtures");
    for (name, path) in all {
        insta::assert_snapshot!(name, check(&path));
    }
}
