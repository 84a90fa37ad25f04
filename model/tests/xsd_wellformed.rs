//! Data-driven well-formed-XSD suite: every schema in `fixtures/xsd/wellformed/` (a `*.xsd`
//! file, or a folder with a `main.xsd` and the files it includes or imports) must load; each
//! schema's `dump` is an insta snapshot. They are loaded the way users load them
//! (`load_with`, which adds the declaration-level findings such as non-deterministic content
//! models); a valid fixture has none.

mod xsd_common;

use std::path::Path;

use xsd_common::fixtures;

use qschema_model::{dump::dump, FsResolver, Schema};

/// Load a schema that must be accepted, and is valid (no findings).
fn check(path: &Path) -> Schema {
    match qschema_model::load_with(path, &FsResolver) {
        Ok(schema) => {
            assert!(
                schema.findings.is_empty(),
                "{}: {:?}",
                path.display(),
                schema.findings
            );
            schema
        }
        Err(e) => panic!("{} must load, but:\n{e}", path.display()),
    }
}

#[test]
fn wellformed_schemas_load_and_dump() {
    let all = fixtures("wellformed");
    assert!(!all.is_empty());
    for (name, path) in all {
        let schema = check(&path);
        insta::assert_snapshot!(name, dump(&schema));
    }
}
