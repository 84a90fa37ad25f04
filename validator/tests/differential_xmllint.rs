//! Differential test against xmllint (libxml2): for every payload fixture and every corpus
//! payload that is checked against a schema, `xmllint --nonet --noout --dtdvalid F` /
//! `--schema F` with the same local schema file must reach the same VERDICT as `validate`
//! (schema errors only: the Qualys rules are ours alone). Known, justified disagreements are
//! data in `xmllint_disagreements.toml`. Skips with a message when xmllint is not installed.

mod cli_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use cli_support::{payloads_dir, repo_root, shared_dir, validate, xmllint_available};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Disagreements {
    #[serde(default)]
    disagreement: Vec<Disagreement>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Disagreement {
    /// `fixtures/<file>` or `corpus/<path>`.
    payload: String,
    /// Our verdict.
    ours: bool,
    /// xmllint's verdict.
    xmllint: bool,
    /// Why the two differ and why ours is right (or acceptable).
    reason: String,
}

#[derive(Debug, Deserialize)]
struct Payloads {
    payload: Vec<PayloadCase>,
}

#[derive(Debug, Deserialize)]
struct PayloadCase {
    file: String,
    #[serde(default)]
    args: Vec<String>,
    exit: i32,
}

#[derive(Debug, Deserialize)]
struct Corpus {
    corpus: Vec<CorpusCase>,
}

#[derive(Debug, Deserialize)]
struct CorpusCase {
    path: String,
    #[serde(default)]
    args: Vec<String>,
    version: Option<String>,
}

/// One payload to compare: how to run `validate` on it.
struct Subject {
    id: String,
    cwd: PathBuf,
    args: Vec<String>,
}

/// Our schema-only verdict and the schema file used, or `None` when the payload is not
/// checked against a schema (rules only, or not checked at all).
fn ours(s: &Subject) -> Option<(bool, PathBuf)> {
    let mut args = vec!["--format", "json"];
    args.extend(s.args.iter().map(String::as_str));
    let run = validate(&args, &s.cwd, None);
    let json = run.json();
    let f = &json["files"][0];
    if !f["failure"].is_null() {
        return None;
    }
    let schema = f["schema"].as_str()?;
    let file = match f["version"].as_str() {
        Some(version) => {
            let (api, name) = schema.split_once('/')?;
            repo_root()
                .join("schemas")
                .join(api)
                .join(version)
                .join(name)
        }
        None if schema.ends_with(".xsd") || schema.ends_with(".dtd") => s.cwd.join(schema),
        None => return None,
    };
    let schema_errors = f["errors"]
        .as_array()?
        .iter()
        .filter(|e| !e["rule"].as_str().unwrap_or("").starts_with("qualys-"))
        .count();
    Some((schema_errors == 0, file))
}

/// xmllint's verdict with the same settings: `--noent` (substitute entities) where we were
/// given `--allow-local-entities`.
fn xmllint(schema: &Path, doc: &Path, entities: bool) -> (bool, String) {
    let flag = if schema.extension().is_some_and(|e| e == "xsd") {
        "--schema"
    } else {
        "--dtdvalid"
    };
    let mut cmd = Command::new("xmllint");
    if entities {
        cmd.arg("--noent");
    }
    let out = cmd
        .args(["--nonet", "--noout", flag])
        .arg(schema)
        .arg(doc)
        .output()
        .expect("xmllint runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .take(3)
            .collect::<Vec<_>>()
            .join(" | "),
    )
}

fn subjects() -> Vec<Subject> {
    let mut out = Vec::new();
    let text =
        std::fs::read_to_string(payloads_dir().join("expected.toml")).expect("expected.toml");
    let payloads: Payloads = toml::from_str(&text).expect("expected.toml parses");
    for p in payloads.payload {
        if p.exit == 2 || p.args.iter().any(|a| a == "--rules-only") {
            continue;
        }
        let mut args = p.args.clone();
        args.push(p.file.clone());
        out.push(Subject {
            id: format!("fixtures/{}", p.file),
            cwd: payloads_dir(),
            args,
        });
    }
    if let Some(shared) = shared_dir() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus_expectations.toml");
        let text = std::fs::read_to_string(path).expect("corpus_expectations.toml");
        let corpus: Corpus = toml::from_str(&text).expect("corpus table parses");
        for c in corpus.corpus {
            if c.args.iter().any(|a| a == "--rules-only") {
                continue;
            }
            let mut args = c.args.clone();
            if let Some(v) = &c.version {
                args.extend(["--version".to_string(), v.clone()]);
            }
            args.push(c.path.clone());
            out.push(Subject {
                id: format!("corpus/{}", c.path),
                cwd: shared.join("corpus"),
                args,
            });
        }
    } else {
        println!("note: ../shared not present, corpus payloads not compared");
    }
    out
}

#[test]
fn verdicts_agree_with_xmllint() {
    if !xmllint_available() {
        println!("skipped: xmllint not installed (apt-get install -y libxml2-utils)");
        return;
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/xmllint_disagreements.toml");
    let text = std::fs::read_to_string(&path).expect("xmllint_disagreements.toml");
    let known: Disagreements = toml::from_str(&text).expect("disagreements parse");
    for d in &known.disagreement {
        assert!(d.ours != d.xmllint, "{}: not a disagreement", d.payload);
        assert!(
            !d.reason.trim().is_empty(),
            "{}: give the reason",
            d.payload
        );
    }
    let mut problems = Vec::new();
    let mut compared = 0;
    let mut seen_known = Vec::new();
    for s in subjects() {
        let Some((our_verdict, schema)) = ours(&s) else {
            continue;
        };
        let doc = s
            .cwd
            .join(s.args.last().expect("the document is the last argument"));
        let entities = s.args.iter().any(|a| a == "--allow-local-entities");
        let (their_verdict, their_message) = xmllint(&schema, &doc, entities);
        compared += 1;
        let known_here = known
            .disagreement
            .iter()
            .find(|d| d.payload == s.id && d.ours == our_verdict && d.xmllint == their_verdict);
        match (our_verdict == their_verdict, known_here) {
            (true, _) => {}
            (false, Some(_)) => seen_known.push(s.id.clone()),
            (false, None) => problems.push(format!(
                "{}: validate says {}, xmllint says {} ({their_message}) against {}",
                s.id,
                if our_verdict { "valid" } else { "invalid" },
                if their_verdict { "valid" } else { "invalid" },
                schema.display()
            )),
        }
    }
    for d in &known.disagreement {
        let present = shared_dir().is_some() || d.payload.starts_with("fixtures/");
        if present && !seen_known.contains(&d.payload) {
            problems.push(format!("{}: listed as a disagreement but the verdicts now agree (or it is no longer compared): remove it", d.payload));
        }
    }
    println!("compared {compared} payloads with xmllint");
    assert!(compared > 20, "too few payloads compared: {compared}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
