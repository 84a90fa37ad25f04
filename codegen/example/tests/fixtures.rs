//! The code generated for every fixture schema of `codegen/tests/fixtures/` at work:
//!
//! * `<stem>.xml` and `<stem>.<case>.xml`: reads, round-trips (parse → write → parse gives an equal value), and the
//!   written XML is valid against the fixture schema (checked with the project's validator
//!   engine, and with `xmllint` if installed);
//! * `<stem>.lenient-<what>.xml`: not schema-valid, but readable (values a later release may
//!   add, whitespace around non-string scalars): reads and round-trips;
//! * `<stem>.bad-<what>.xml`: does not read; the located errors are snapshotted.

use std::path::{Path, PathBuf};
use std::process::Command;

use qschema_codegen_example::fixtures::DOCUMENT_TYPES;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn documents() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(fixture_dir())
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    out.sort();
    out
}

fn root_element(xml: &str) -> String {
    let opts = qschema_runtime::roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    qschema_runtime::roxmltree::Document::parse_with_options(xml, opts)
        .map(|d| d.root_element().tag_name().name().to_string())
        .unwrap_or_default()
}

fn xmllint(schema: &Path, xml: &str, name: &str) -> Option<Result<(), String>> {
    Command::new("xmllint").arg("--version").output().ok()?;
    let dir = std::env::temp_dir().join(format!("qschema-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let file = dir.join(name);
    std::fs::write(&file, xml).ok()?;
    let flag = if schema.extension().is_some_and(|e| e == "xsd") {
        "--schema"
    } else {
        "--dtdvalid"
    };
    let out = Command::new("xmllint")
        .args(["--noout", "--nonet", flag])
        .arg(schema)
        .arg(&file)
        .output()
        .ok()?;
    Some(if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    })
}

/// Validate with the project's own engine (`qschema-validator`).
fn engine(schema: &Path, xml: &str, name: &str) -> Result<(), String> {
    use qschema_validator::engine::{validate, CompiledSchema, DocumentInput, Options};
    let loaded = qschema_model::load_file(schema).map_err(|e| e.to_string())?;
    let compiled = CompiledSchema::compile(loaded).map_err(|e| e.to_string())?;
    let doc = DocumentInput {
        display_name: name,
        path: None,
    };
    let report = validate(
        xml.as_bytes(),
        &doc,
        Some(&compiled),
        &qschema_model::FsResolver,
        &Options::default(),
    );
    match report.errors.as_slice() {
        [] => Ok(()),
        errors => Err(errors
            .iter()
            .map(|e| {
                format!(
                    "{}:{}: {} [{}] {}",
                    e.line, e.column, e.path, e.rule, e.message
                )
            })
            .collect::<Vec<_>>()
            .join("\n")),
    }
}

/// The one check for a fixture document; returns the error text for `bad-` documents.
fn check(path: &Path) -> Result<Option<String>, String> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_string();
    let (stem, kind) = match name.trim_end_matches(".xml").split_once('.') {
        Some((s, k)) => (s.to_string(), k.to_string()),
        None => (name.trim_end_matches(".xml").to_string(), String::new()),
    };
    let xml = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
    let root = root_element(&xml);
    // A bad document may have the wrong root: use the fixture's first document type.
    let doc = DOCUMENT_TYPES
        .iter()
        .find(|(s, r, _)| *s == stem && *r == root)
        .or_else(|| {
            DOCUMENT_TYPES
                .iter()
                .find(|(s, _, _)| *s == stem && kind.starts_with("bad-"))
        })
        .ok_or_else(|| format!("{name}: no document type for <{root}> in {stem}"))?;
    let result = (doc.2)(&xml);
    if kind.starts_with("bad-") {
        return match result {
            Ok(written) => Err(format!("{name}: a bad document was read:\n{written}")),
            Err(qschema_runtime::RoundTripError::Read(e)) => Ok(Some(format!("{name}: {e}"))),
            Err(e) => Err(format!("{name}: {e}")),
        };
    }
    let written = result.map_err(|e| format!("{name}: {e}"))?;
    if !kind.starts_with("lenient-") {
        let ext = if fixture_dir().join(format!("{stem}.xsd")).exists() {
            "xsd"
        } else {
            "dtd"
        };
        let schema = fixture_dir().join(format!("{stem}.{ext}"));
        engine(&schema, &written, &name).map_err(|e| {
            format!("{name}: the validator rejects the written XML:\n{e}\n{written}")
        })?;
        if let Some(Err(e)) = xmllint(&schema, &written, &name) {
            return Err(format!(
                "{name}: the written XML is not valid:\n{e}\n{written}"
            ));
        }
    }
    Ok(None)
}

#[test]
fn fixture_documents() {
    let docs = documents();
    assert!(docs.len() >= 20, "fixture documents missing");
    let mut failures = Vec::new();
    let mut errors = String::new();
    for d in &docs {
        match check(d) {
            Ok(Some(e)) => {
                errors.push_str(&e);
                errors.push('\n');
            }
            Ok(None) => {}
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    insta::assert_snapshot!("bad_documents", errors);
}

#[test]
fn every_fixture_schema_has_a_valid_document() {
    for (stem, _, _) in DOCUMENT_TYPES {
        assert!(
            fixture_dir().join(format!("{stem}.xml")).exists(),
            "fixture {stem} has no {stem}.xml"
        );
    }
}
