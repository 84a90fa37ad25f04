//! The checked-in generated files are what `cargo xtask codegen` writes now (regenerated in
//! memory and compared, like rust-analyzer's `ensure_file_contents`).

use std::path::Path;

#[test]
fn generated_files_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = qschema_codegen::types_crate::generate(&root)
        .unwrap_or_else(|e| panic!("cannot generate the types crate: {e}"));
    assert!(
        files.keys().any(|p| p.ends_with("registry.rs")),
        "the generator produced no registry"
    );
    let stale = qschema_codegen::types_crate::stale_files(&root, &files);
    assert!(
        stale.is_empty(),
        "generated files are stale; run `cargo xtask codegen`:\n{}",
        stale
            .iter()
            .map(|p| format!("  {}", p.display()))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn every_schema_version_has_a_module() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let entries = qschema_codegen::types_crate::schema_entries(&root.join("schemas"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!entries.is_empty(), "no schemas found");
    for e in entries {
        let file = e.path.file_name().and_then(|f| f.to_str()).unwrap_or("");
        let has_root = qschema_types::registry::DOCUMENT_TYPES
            .iter()
            .any(|d| d.api == e.api && d.version == e.version && d.schema == file);
        assert!(
            has_root,
            "no document type generated for {}",
            e.path.display()
        );
    }
}

#[test]
fn every_catalog_root_of_every_version_has_a_document_type() {
    use qschema_model::catalog::{Api, Catalog};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let catalog = Catalog::load(&root.join("schemas")).unwrap_or_else(|e| panic!("{e}"));
    let mut checked = 0;
    for api in Api::ALL {
        for version in catalog.versions(api) {
            for file in &version.files {
                let roots = catalog.roles(api, file).unwrap_or(&[]);
                assert!(
                    !roots.is_empty(),
                    "the catalog names no root for {api}/{file}"
                );
                for r in roots {
                    let found = qschema_types::registry::find(
                        api.as_str(),
                        &version.label,
                        file,
                        &r.element,
                    );
                    assert!(
                        found.is_some(),
                        "no document type for <{}> of {api}/{}/{file}",
                        r.element,
                        version.label
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 20, "only {checked} roots checked");
    assert!(qschema_types::registry::find("was", "2.25", "finding.xsd", "NoSuchRoot").is_none());
}
