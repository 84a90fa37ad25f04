//! Every payload that belongs to one of our schemas reads into the generated types of its
//! version and round-trips (parse → write → parse gives an equal value), and the written XML
//! is valid against the schema (checked with the project's validator engine, and with
//! `xmllint` when it is installed).
//!
//! Which payload belongs to which version comes from data: `schemas/versions.toml`
//! (`[[version.payload]]` with `source = "corpus"`, read from `../shared/corpus`) and
//! `tests/fixtures/payloads/expected.toml` (the repository's own payloads, so this runs in a
//! fresh clone too).

use std::path::{Path, PathBuf};
use std::process::Command;

use qschema_types::registry;
use qschema_types::runtime::roxmltree;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// What a payload is expected to do with the generated types.
#[derive(Debug)]
enum Expect {
    /// Reads, round-trips, and the written XML is schema-valid.
    RoundTrip,
    /// Does not read, and the error's path is one of these (validator paths; `[n]`
    /// indices are ignored in the comparison). Payloads whose only errors are facets or
    /// Qualys rules may read: the types do not check those (that is the validator's job).
    Invalid(Vec<String>),
    /// Under a folder entry: round-trips, or fails inside one of these element paths
    /// (other modules' objects the project has no schema for).
    RoundTripOrOutOfScope(String),
}

fn strip_indices(path: &str) -> String {
    let mut out = String::new();
    let mut skip = false;
    for c in path.chars() {
        match c {
            '[' => skip = true,
            ']' => skip = false,
            _ if !skip => out.push(c),
            _ => {}
        }
    }
    out
}

fn root_element(xml: &str) -> Option<String> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(xml, opts)
        .ok()
        .map(|d| d.root_element().tag_name().name().to_string())
}

fn xmllint_available() -> bool {
    Command::new("xmllint").arg("--version").output().is_ok()
}

/// Validate `xml` against the schema file with xmllint; `Err` with its output when invalid.
fn xmllint(schema: &Path, xml: &str, name: &str) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("qschema-types-payloads-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let file = dir.join(name.replace('/', "_"));
    std::fs::write(&file, xml).map_err(|e| e.to_string())?;
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
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// Validate `xml` with the project's own engine (`qschema-validator`).
fn engine_validate(schema: &Path, xml: &str, name: &str) -> Result<(), String> {
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
    if report.errors.is_empty() {
        Ok(())
    } else {
        Err(report
            .errors
            .iter()
            .map(|e| {
                format!(
                    "{}:{}: {} [{}] {}",
                    e.line, e.column, e.path, e.rule, e.message
                )
            })
            .collect::<Vec<_>>()
            .join("\n"))
    }
}

/// The one check: read `xml` with the document type of (api, version, schema file) and
/// compare with the expectation. Returns a failure message.
fn check(
    name: &str,
    xml: &str,
    api: &str,
    version: &str,
    schema: &str,
    expect: &Expect,
) -> Result<(), String> {
    let root = root_element(xml).ok_or_else(|| format!("{name}: not well-formed"))?;
    // A wrong root element is an error of the schema's own document type.
    let fallback = || {
        registry::DOCUMENT_TYPES
            .iter()
            .find(|d| d.api == api && d.version == version && d.schema == schema)
            .filter(|_| matches!(expect, Expect::Invalid(_)))
    };
    let doc = registry::find(api, version, schema, &root)
        .or_else(fallback)
        .ok_or_else(|| {
            format!("{name}: no generated type for {api}/{version}/{schema} <{root}>")
        })?;
    let result = (doc.round_trip)(xml);
    match (expect, result) {
        (Expect::RoundTrip | Expect::RoundTripOrOutOfScope(_), Ok(written)) => {
            let schema_path = repo_root()
                .join("schemas")
                .join(api)
                .join(version)
                .join(schema);
            engine_validate(&schema_path, &written, name).map_err(|e| {
                format!("{name}: the validator rejects the written XML ({api}/{version}/{schema}):\n{e}\n{written}")
            })?;
            if xmllint_available() {
                xmllint(&schema_path, &written, name)
                    .map_err(|e| format!("{name}: written XML is not valid against {api}/{version}/{schema}:\n{e}\n{written}"))?;
            }
            Ok(())
        }
        (
            Expect::RoundTripOrOutOfScope(prefix),
            Err(qschema_types::runtime::RoundTripError::Read(e)),
        ) if strip_indices(&e.path).starts_with(prefix.as_str()) => Ok(()),
        (Expect::RoundTrip | Expect::RoundTripOrOutOfScope(_), Err(e)) => {
            Err(format!("{name} ({api}/{version}/{schema}): {e}"))
        }
        (Expect::Invalid(_), Ok(_)) => Ok(()),
        (Expect::Invalid(paths), Err(qschema_types::runtime::RoundTripError::Read(e))) => {
            let ours = strip_indices(&e.path);
            let ours = ours.split("/@").next().unwrap_or("").to_string();
            if paths
                .iter()
                .any(|p| strip_indices(p).split("/@").next() == Some(ours.as_str()))
            {
                Ok(())
            } else {
                Err(format!("{name}: failed at {e}, expected one of {paths:?}"))
            }
        }
        (Expect::Invalid(_), Err(e)) => Err(format!("{name}: read but did not round-trip: {e}")),
    }
}

fn read_toml(path: &Path) -> toml::Table {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.parse()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn s<'a>(t: &'a toml::Value, key: &str) -> &'a str {
    t.get(key).and_then(|v| v.as_str()).unwrap_or("")
}

#[test]
fn repository_payload_fixtures_round_trip() {
    let dir = repo_root().join("tests/fixtures/payloads");
    let expected = read_toml(&dir.join("expected.toml"));
    let mut failures = Vec::new();
    let mut checked = 0;
    for p in expected
        .get("payload")
        .and_then(|p| p.as_array())
        .into_iter()
        .flatten()
    {
        let schema = s(p, "schema");
        let version = s(p, "version");
        let Some((api, file)) = schema.split_once('/') else {
            continue;
        };
        if version.is_empty() || !(api == "vm" || api == "was") {
            continue;
        }
        let expect = match p.get("exit").and_then(|e| e.as_integer()) {
            Some(0) => Expect::RoundTrip,
            Some(1) => Expect::Invalid(
                p.get("errors")
                    .and_then(|e| e.as_array())
                    .into_iter()
                    .flatten()
                    .map(|e| s(e, "path").to_string())
                    .collect(),
            ),
            _ => continue,
        };
        let name = s(p, "file");
        let Ok(xml) = std::fs::read_to_string(dir.join(name)) else {
            continue; // not UTF-8 (hostile input): nothing to read into types
        };
        if root_element(&xml).is_none() {
            continue; // not well-formed: the validator's fixtures cover it
        }
        checked += 1;
        if let Err(e) = check(name, &xml, api, version, file, &expect) {
            failures.push(e);
        }
    }
    println!("checked {checked} repository payloads");
    assert!(checked > 10, "too few payloads found ({checked})");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn corpus_payloads_round_trip_in_their_versions() {
    let corpus = repo_root().join("../shared/corpus");
    if !corpus.is_dir() {
        assert!(
            std::env::var_os("QSCHEMA_REQUIRE_SHARED").is_none(),
            "QSCHEMA_REQUIRE_SHARED is set but ../shared/corpus is missing"
        );
        println!("skipped: ../shared not present");
        return;
    }
    let versions = read_toml(&repo_root().join("schemas/versions.toml"));
    let mut failures = Vec::new();
    let mut checked = 0;
    for v in versions
        .get("version")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
    {
        let (api, label) = (s(v, "api"), s(v, "label"));
        for p in v
            .get("payload")
            .and_then(|p| p.as_array())
            .into_iter()
            .flatten()
        {
            if s(p, "source") != "corpus" {
                continue;
            }
            let (path, file, expect) = (s(p, "path"), s(p, "file"), s(p, "expect"));
            let full = corpus.join(path);
            let files: Vec<PathBuf> = if full.is_dir() {
                let mut f: Vec<PathBuf> = std::fs::read_dir(&full)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|e| e.path())
                    .collect();
                f.sort();
                f
            } else {
                vec![full.clone()]
            };
            let exp = match (expect, full.is_dir()) {
                ("valid", false) => Expect::RoundTrip,
                ("valid", true) => Expect::RoundTripOrOutOfScope("/ServiceRequest/data/".into()),
                _ => continue,
            };
            for f in files {
                let name = f.strip_prefix(&corpus).unwrap_or(&f).display().to_string();
                let xml = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{name}: {e}"));
                checked += 1;
                if let Err(e) = check(&name, &xml, api, label, file, &exp) {
                    failures.push(e);
                }
            }
        }
    }
    println!("checked {checked} corpus payloads");
    assert!(checked > 20, "too few corpus payloads found ({checked})");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_schema_checks_can_fail() {
    let schema = repo_root().join("schemas/was/2019-notes/finding.xsd");
    let bad = "<?xml version=\"1.0\"?>\n<ServiceResponse><bogus/></ServiceResponse>\n";
    assert!(engine_validate(&schema, bad, "bad.xml").is_err());
    if xmllint_available() {
        assert!(xmllint(&schema, bad, "bad.xml").is_err());
    }
}

/// Which version reads which corpus payload: every single-file corpus payload of
/// `versions.toml` against every version of its api (payloads newer than a version may fail
/// against it; the snapshot records where).
#[test]
fn corpus_version_matrix() {
    let corpus = repo_root().join("../shared/corpus");
    if !corpus.is_dir() {
        println!("skipped: ../shared not present");
        return;
    }
    let versions = read_toml(&repo_root().join("schemas/versions.toml"));
    let all: Vec<&toml::Value> = versions
        .get("version")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut out = String::new();
    for v in &all {
        let api = s(v, "api");
        for p in v
            .get("payload")
            .and_then(|p| p.as_array())
            .into_iter()
            .flatten()
        {
            let (path, file) = (s(p, "path"), s(p, "file"));
            let full = corpus.join(path);
            if s(p, "source") != "corpus" || !full.is_file() || !seen.insert(path.to_string()) {
                continue;
            }
            let xml = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{path}: {e}"));
            let root = root_element(&xml).unwrap_or_default();
            out.push_str(&format!("{path} ({file}, <{root}>)\n"));
            for other in all.iter().filter(|o| s(o, "api") == api) {
                let label = s(other, "label");
                let verdict = match registry::find(api, label, file, &root) {
                    None => "no such document type".to_string(),
                    Some(d) => match (d.round_trip)(&xml) {
                        Ok(_) => "reads and round-trips".to_string(),
                        Err(e) => e.to_string().lines().next().unwrap_or("").to_string(),
                    },
                };
                out.push_str(&format!("  {label}: {verdict}\n"));
            }
        }
    }
    insta::assert_snapshot!("corpus_version_matrix", out);
}
