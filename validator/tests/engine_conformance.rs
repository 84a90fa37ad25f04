//! The engine on James Clark's `xmltest` cases of the W3C XML conformance suite
//! (`../shared/conformance/xmlconf/xmltest`), standalone ones only (`ENTITIES="none"`, fifth edition): `not-wf`
//! documents must be rejected as not well-formed, `valid` ones accepted (against their internal
//! subset), `invalid` ones reported with a validity error. Cases the engine gets wrong are listed
//! in a snapshot (known gaps), so a change in either direction shows. Skipped without `../shared`.

use std::path::{Path, PathBuf};

use qschema_validator::engine::{validate, DocumentInput, Options};
use qschema_validator::report::{rules, Report};

fn suite() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance/xmlconf/xmltest");
    p.exists().then_some(p)
}

/// `(id, type, uri)` of every standalone test in the index.
fn cases(index: &str) -> Vec<(String, String, String)> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
        let end = tag[start..].find('"')? + start;
        Some(tag[start..end].to_string())
    };
    index
        .split("<TEST ")
        .skip(1)
        .filter_map(|t| {
            let tag = &t[..t.find('>')?];
            if attr(tag, "ENTITIES")? != "none" {
                return None;
            }
            // Editions 1-4 only (the engine implements the fifth edition's name rules).
            if attr(tag, "EDITION").is_some_and(|e| !e.split_whitespace().any(|x| x == "5")) {
                return None;
            }
            Some((attr(tag, "ID")?, attr(tag, "TYPE")?, attr(tag, "URI")?))
        })
        .collect()
}

fn run(path: &Path) -> Report {
    let file = std::fs::File::open(path).expect("test file");
    let doc = DocumentInput {
        display_name: "t.xml",
        path: Some(path),
    };
    validate(
        std::io::BufReader::new(file),
        &doc,
        None,
        &qschema_model::FsResolver,
        &Options::default(),
    )
}

fn well_formedness_error(r: &Report) -> bool {
    r.errors
        .iter()
        .any(|e| e.rule == rules::NOT_WELL_FORMED || e.rule == rules::ENCODING)
}

#[test]
fn xmltest_standalone_cases() {
    let Some(root) = suite() else {
        println!("skipped: ../shared not present");
        return;
    };
    let index = std::fs::read_to_string(root.join("xmltest.xml")).expect("index");
    let mut wrong = String::new();
    let (mut total, mut passed) = (0, 0);
    for (id, kind, uri) in cases(&index) {
        let report = run(&root.join(&uri));
        let ok = match kind.as_str() {
            "not-wf" => well_formedness_error(&report),
            "valid" => report.is_valid(),
            "invalid" => !report.is_valid() && !well_formedness_error(&report),
            _ => continue,
        };
        total += 1;
        if ok {
            passed += 1;
        } else {
            let first = report
                .errors
                .first()
                .map(|e| format!("{}:{} [{}] {}", e.line, e.column, e.rule, e.message))
                .unwrap_or_else(|| "no error".to_string());
            wrong.push_str(&format!("{id} ({kind}): {first}\n"));
        }
    }
    let out = format!("{passed} of {total} standalone cases handled as the suite says\n{wrong}");
    insta::assert_snapshot!("xmltest-standalone", out);
}
