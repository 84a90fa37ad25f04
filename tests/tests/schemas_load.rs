//! Every schema file of every version in `schemas/` loads through its front end, has no
//! declaration-level findings, and its model dump is pinned by an insta snapshot.

use qschema_model::catalog::{Api, Catalog};
use qschema_tests::repo_root;

#[test]
fn every_schema_version_loads_and_matches_its_snapshot() {
    let schemas = repo_root().join("schemas");
    let catalog = Catalog::load(&schemas).expect("schemas/ catalog loads");
    let mut loaded = 0;
    for api in Api::ALL {
        for version in catalog.versions(api) {
            for file in &version.files {
                let rel = catalog
                    .file_path(api, &version.label, file)
                    .expect("listed file has a path");
                let path = schemas.join(&rel);
                let schema = qschema_model::load_file(&path)
                    .unwrap_or_else(|e| panic!("{} does not load:\n{e}", rel.display()));
                assert!(
                    schema.findings.is_empty(),
                    "{} has declaration-level findings: {:#?}",
                    rel.display(),
                    schema.findings
                );
                let name = format!("{}__{}__{}", api, version.label, file).replace('.', "_");
                insta::assert_snapshot!(name, qschema_model::dump::dump(&schema));
                loaded += 1;
            }
        }
    }
    assert!(
        loaded >= 10,
        "expected at least ten schema files, loaded {loaded}"
    );
}
