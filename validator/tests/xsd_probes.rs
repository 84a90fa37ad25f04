//! XSD feature probes against xmllint: every probe in `tests/fixtures/xsd-probes/*.toml` (a
//! small schema, the files it includes or imports, and documents named for what their author
//! expected) is run through `validate --schema` and `xmllint --noout --nonet --schema`. The two
//! must reach the same verdict (valid, invalid, or schema refused), unless
//! `xsd-probes/xmllint.toml` lists the case with both verdicts and the reason; a listed case
//! that agrees again fails the test, so the list stays true. Skipped without xmllint.

mod cli_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use cli_support::{repo_root, scratch, validate, xmllint_available};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProbeFile {
    probe: Vec<Probe>,
}

/// A schema and the documents checked against it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Probe {
    name: String,
    schema: String,
    /// Other schema files beside `schema.xsd` (included or imported).
    #[serde(default)]
    files: BTreeMap<String, String>,
    /// Document name -> document.
    docs: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Differences {
    #[serde(default)]
    difference: Vec<Difference>,
}

/// A reviewed disagreement.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Difference {
    /// `probe.document`.
    case: String,
    /// Our verdict: `valid`, `invalid` or `schema-error`.
    ours: String,
    /// xmllint's verdict.
    xmllint: String,
    /// Why ours is right, or why the difference is acceptable.
    reason: String,
}

fn probes_dir() -> PathBuf {
    repo_root().join("validator/tests/fixtures/xsd-probes")
}

fn load_probes() -> Vec<Probe> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(probes_dir())
        .expect("xsd-probes folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .filter(|p| p.file_name().is_some_and(|n| n != "xmllint.toml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .flat_map(|p| {
            let text = std::fs::read_to_string(p).expect("read probes");
            let file: ProbeFile =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            file.probe
        })
        .collect()
}

/// `validate --schema schema.xsd doc.xml` in `dir`.
fn ours(dir: &Path) -> &'static str {
    let run = validate(&["--quiet", "--schema", "schema.xsd", "doc.xml"], dir, None);
    match run.code {
        0 => "valid",
        1 => "invalid",
        _ => "schema-error",
    }
}

/// `xmllint --noout --nonet --schema schema.xsd doc.xml` in `dir` (exit 5: the schema does not
/// compile; an error message counts as invalid whatever the exit status).
fn xmllint(dir: &Path) -> &'static str {
    let out = Command::new("xmllint")
        .current_dir(dir)
        .args(["--noout", "--nonet", "--schema", "schema.xsd", "doc.xml"])
        .output()
        .expect("run xmllint");
    let text = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(5) => "schema-error",
        Some(0) if !text.lines().any(|l| l.contains(" error :")) => "valid",
        _ => "invalid",
    }
}

#[test]
fn xsd_probes_agree_with_xmllint() {
    if !xmllint_available() {
        println!("skipped: xmllint not installed");
        return;
    }
    let text = std::fs::read_to_string(probes_dir().join("xmllint.toml")).expect("xmllint.toml");
    let listed: Differences = toml::from_str(&text).expect("xmllint.toml");
    let mut listed: BTreeMap<String, Difference> = listed
        .difference
        .into_iter()
        .map(|d| (d.case.clone(), d))
        .collect();
    let root = scratch("xsd-probes");
    let mut problems = Vec::new();
    let (mut cases, mut agree) = (0, 0);
    for probe in load_probes() {
        for (doc_name, doc) in &probe.docs {
            cases += 1;
            let case = format!("{}.{doc_name}", probe.name);
            let dir = root.join(&case);
            std::fs::create_dir_all(&dir).expect("case folder");
            std::fs::write(dir.join("schema.xsd"), &probe.schema).expect("write schema");
            for (file, text) in &probe.files {
                std::fs::write(dir.join(file), text).expect("write schema file");
            }
            std::fs::write(dir.join("doc.xml"), doc).expect("write doc");
            let (o, x) = (ours(&dir), xmllint(&dir));
            match listed.remove(&case) {
                None if o == x => agree += 1,
                None => problems.push(format!("{case}: ours {o}, xmllint {x} (not listed)")),
                Some(d) if d.ours == o && d.xmllint == x && !d.reason.trim().is_empty() => {}
                Some(d) => problems.push(format!(
                    "{case}: ours {o}, xmllint {x}, but xmllint.toml lists ours {}, xmllint {}",
                    d.ours, d.xmllint
                )),
            }
        }
    }
    problems.extend(
        listed
            .keys()
            .map(|case| format!("{case}: listed in xmllint.toml but no such probe")),
    );
    println!(
        "XSD probes vs xmllint: {cases} cases, {agree} agree ({:.1}%), {} differ as listed",
        100.0 * agree as f64 / cases.max(1) as f64,
        cases - agree - problems.len().min(cases - agree)
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
