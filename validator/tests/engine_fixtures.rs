//! Data-driven engine tests: every folder under `tests/fixtures/engine/` holds a `doc.xml`, and
//! optionally a `schema.dtd` or `schema.xsd` to validate against (none: the document's own
//! DOCTYPE, if any) and an `options.toml` (`max_errors`, `max_depth`,
//! `allow_local_external_entities`, `load_external_dtd`, `require_dtd`, `namespace_aware`). The
//! error list (`line:col path [rule] message`) is an insta snapshot named after the folder.
//!
//! Every fixture is also run through xmllint (libxml2) in the matching mode, which must reach
//! the same verdict and report its first error on a line where the engine reports one too,
//! unless the fixture's `xmllint.toml` says how and why the two differ (see
//! [`engine_fixtures_agree_with_xmllint`]).

mod cli_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use qschema_validator::engine::{validate, CompiledSchema, DocumentInput, Options};
use qschema_validator::report::Report;
use serde::Deserialize;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/engine")
}

fn options(dir: &Path) -> Options {
    let mut opts = Options::default();
    let Ok(text) = std::fs::read_to_string(dir.join("options.toml")) else {
        return opts;
    };
    let table: toml::Table = text.parse().expect("options.toml");
    for (k, v) in table {
        match (k.as_str(), v) {
            ("max_errors", toml::Value::Integer(n)) => opts.max_errors = n as usize,
            ("max_depth", toml::Value::Integer(n)) => opts.max_depth = n as usize,
            ("allow_local_external_entities", toml::Value::Boolean(b)) => {
                opts.allow_local_external_entities = b
            }
            ("load_external_dtd", toml::Value::Boolean(b)) => opts.load_external_dtd = b,
            ("require_dtd", toml::Value::Boolean(b)) => opts.require_dtd = b,
            ("namespace_aware", toml::Value::Boolean(b)) => opts.namespace_aware = b,
            (k, _) => panic!("unknown option {k} in {}", dir.display()),
        }
    }
    opts
}

/// Validate the fixture in `dir` and render the report.
fn check(dir: &Path) -> String {
    render(&run(dir))
}

/// Validate the fixture in `dir`.
fn run(dir: &Path) -> Report {
    let schema_path = ["schema.dtd", "schema.xsd"]
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.exists());
    let compiled = schema_path.map(|p| {
        let schema =
            qschema_model::load_file(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        CompiledSchema::compile(schema).expect("compile")
    });
    let doc_path = dir.join("doc.xml");
    let file = std::fs::File::open(&doc_path).expect("doc.xml");
    let doc = DocumentInput {
        display_name: "doc.xml",
        path: Some(&doc_path),
    };
    validate(
        std::io::BufReader::new(file),
        &doc,
        compiled.as_ref(),
        &qschema_model::FsResolver,
        &options(dir),
    )
}

/// The report as the snapshot shows it.
fn render(report: &Report) -> String {
    let mut out = String::new();
    for e in &report.errors {
        out.push_str(&format!(
            "{}:{} {} [{}] {}\n",
            e.line, e.column, e.path, e.rule, e.message
        ));
        if let Some(f) = &e.found {
            out.push_str(&format!("    found: {f}\n"));
        }
        if let Some(x) = &e.expected {
            out.push_str(&format!("    expected: {x}\n"));
        }
        if let Some(d) = &e.declared_at {
            out.push_str(&format!("    declared at: {d}\n"));
        }
    }
    if report.errors.is_empty() {
        out.push_str("valid\n");
    }
    if report.truncated {
        out.push_str("(truncated)\n");
    }
    if report.aborted {
        out.push_str("(aborted)\n");
    }
    out
}

/// The fixture folders, sorted.
fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .expect("fixtures folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("doc.xml").exists())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no fixtures");
    dirs
}

#[test]
fn engine_fixtures() {
    for dir in fixture_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let out = check(&dir);
        // Every fixture whose name starts with `valid` must be valid, every other one must not.
        assert_eq!(
            out == "valid\n",
            name.starts_with("valid"),
            "{name}:\n{out}"
        );
        insta::assert_snapshot!(name, out);
    }
}

/// How a fixture's verdict or lines differ from xmllint's, and why (`xmllint.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KnownDifference {
    /// `verdict` (valid/invalid differ, or xmllint cannot compile the schema) or `line`
    /// (both invalid, xmllint's first error is on a line the engine reports nothing on).
    differs: String,
    /// Why the engine is right (or the difference is by design).
    reason: String,
}

/// What xmllint says of a fixture: its verdict and the lines of its errors.
struct XmllintRun {
    valid: bool,
    lines: Vec<u32>,
    text: String,
}

/// Run xmllint on the fixture in `dir` (invalid when it fails or prints an error) in the mode
/// the engine runs it: `--schema` /
/// `--dtdvalid` with the fixture's schema, `--valid` for a document with a DOCTYPE and no
/// schema or one that must have a DTD (`--noent` when the fixture allows local external
/// entities), plain well-formedness otherwise.
fn xmllint(dir: &Path) -> XmllintRun {
    let options = std::fs::read_to_string(dir.join("options.toml")).unwrap_or_default();
    let mut cmd = Command::new("xmllint");
    cmd.current_dir(dir).args(["--noout", "--nonet"]);
    if dir.join("schema.xsd").exists() {
        cmd.args(["--schema", "schema.xsd"]);
    } else if dir.join("schema.dtd").exists() {
        cmd.args(["--dtdvalid", "schema.dtd"]);
    } else if options.contains("require_dtd = true")
        || std::fs::read(dir.join("doc.xml")).is_ok_and(|b| b.windows(9).any(|w| w == b"<!DOCTYPE"))
    {
        cmd.arg("--valid");
    }
    if options.contains("allow_local_external_entities = true") {
        cmd.arg("--noent");
    }
    let out = cmd.arg("doc.xml").output().expect("run xmllint");
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    let lines = text
        .lines()
        .filter_map(|l| l.strip_prefix("doc.xml:"))
        .filter_map(|rest| rest.split(':').next()?.parse().ok())
        .collect();
    // libxml2 reports namespace errors, and some validity errors (a nondeterministic DTD
    // content model), without failing the exit status: an error message is an error.
    let valid = out.status.success() && !text.lines().any(|l| l.contains(" error :"));
    XmllintRun { valid, lines, text }
}

/// The engine fixtures against xmllint: the same verdict, and xmllint's first error on a line
/// the engine reports an error on, except where a fixture's `xmllint.toml` says otherwise (an
/// entry that no longer differs fails the test, so the list stays true).
#[test]
fn engine_fixtures_agree_with_xmllint() {
    if !cli_support::xmllint_available() {
        println!("skipped: xmllint not installed");
        return;
    }
    let mut problems = Vec::new();
    let (mut agree, mut known) = (0, 0);
    for dir in fixture_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let report = run(&dir);
        let theirs = xmllint(&dir);
        let ours_valid = report.errors.is_empty();
        let differs = if ours_valid != theirs.valid {
            Some("verdict")
        } else if !ours_valid
            && theirs
                .lines
                .first()
                .is_some_and(|l| !report.errors.iter().any(|e| e.line == *l))
        {
            Some("line")
        } else {
            None
        };
        let listed: Option<KnownDifference> = std::fs::read_to_string(dir.join("xmllint.toml"))
            .ok()
            .map(|t| toml::from_str(&t).unwrap_or_else(|e| panic!("{name}/xmllint.toml: {e}")));
        match (differs, &listed) {
            (None, None) => agree += 1,
            (Some(d), Some(k)) if k.differs == d && !k.reason.trim().is_empty() => known += 1,
            (Some(d), _) => problems.push(format!(
                "{name}: {d} differs from xmllint (ours: {}; xmllint: {}):\n{}{}",
                if ours_valid { "valid" } else { "invalid" },
                if theirs.valid { "valid" } else { "invalid" },
                render(&report),
                theirs.text
            )),
            (None, Some(k)) => problems.push(format!(
                "{name}: xmllint.toml says the {} differs, but it agrees now: remove the entry",
                k.differs
            )),
        }
    }
    println!("engine fixtures vs xmllint: {agree} agree, {known} differ as listed");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
