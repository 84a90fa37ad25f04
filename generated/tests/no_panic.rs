//! Reading never panics: hostile payloads (`tests/fixtures/payloads/hostile/`) and every
//! document of the W3C XML conformance suite (`../shared/conformance/xmlconf`), read as
//! bytes and lossily decoded, go through every document type and come back as `Ok` or a
//! located `Err`.

use std::path::{Path, PathBuf};

use qschema_types::registry::DOCUMENT_TYPES;

fn xml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "xml") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The one check: every document type reads `bytes` without panicking; errors are located.
fn check(name: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for d in DOCUMENT_TYPES {
        if let Err(qschema_types::runtime::RoundTripError::Read(e)) = (d.round_trip)(&text) {
            assert!(
                e.line >= 1 && e.path.starts_with('/'),
                "{name}: unlocated error {e:?}"
            );
        }
    }
}

#[test]
fn hostile_payloads() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/payloads/hostile");
    let files = xml_files(&dir);
    assert!(
        !files.is_empty(),
        "no hostile fixtures in {}",
        dir.display()
    );
    for f in files {
        let bytes = std::fs::read(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        check(&f.display().to_string(), &bytes);
    }
}

#[test]
fn xml_conformance_suite() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance/xmlconf");
    if !dir.is_dir() {
        assert!(
            std::env::var_os("QSCHEMA_REQUIRE_SHARED").is_none(),
            "QSCHEMA_REQUIRE_SHARED is set but ../shared/conformance/xmlconf is missing"
        );
        println!("skipped: ../shared not present");
        return;
    }
    let files = xml_files(&dir);
    assert!(
        files.len() > 1000,
        "conformance suite incomplete: {}",
        files.len()
    );
    for f in &files {
        let bytes = std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        check(&f.display().to_string(), &bytes);
    }
    println!(
        "read {} conformance documents with {} document types",
        files.len(),
        DOCUMENT_TYPES.len()
    );
}
