//! Every payload of the shared corpus (`../shared/corpus`) validates against the schema version
//! it belongs to, or has exactly the genuine errors `corpus_expectations.toml` states.
//! Skips (with a message) when `../shared` is not present.

mod cli_support;

use std::collections::BTreeSet;
use std::path::Path;

use cli_support::{shared_dir, validate};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    corpus: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    /// Path relative to the corpus folder.
    path: String,
    /// Extra arguments (`--endpoint`, `--rules-only`).
    #[serde(default)]
    args: Vec<String>,
    /// The version the payload belongs to (passed as `--version`).
    version: Option<String>,
    /// The schema `validate` must auto-detect.
    schema: String,
    /// Whether it is valid against that version.
    valid: bool,
    /// Its genuine errors when it is not: `rule line path`.
    #[serde(default)]
    errors: Vec<String>,
    /// The versions `--all-versions` reports as accepting it (schema-checked payloads).
    accepted_by: Option<Vec<String>>,
    /// Why.
    why: String,
}

fn table() -> Vec<Entry> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus_expectations.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let t: Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    t.corpus
}

fn check(corpus: &Path, e: &Entry) -> Vec<String> {
    let mut args = vec!["--format", "json"];
    args.extend(e.args.iter().map(String::as_str));
    if let Some(v) = &e.version {
        args.extend(["--version", v]);
    }
    args.push(&e.path);
    let run = validate(&args, corpus, None);
    let mut problems = Vec::new();
    let json = run.json();
    let file = &json["files"][0];
    let schema = file["schema"].as_str().unwrap_or("");
    if schema != e.schema {
        problems.push(format!(
            "{}: schema {schema:?}, expected {:?}",
            e.path, e.schema
        ));
    }
    let errors: Vec<String> = file["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| {
                    format!(
                        "{} {} {}",
                        x["rule"].as_str().unwrap_or(""),
                        x["line"],
                        x["path"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let want_code = if e.valid { 0 } else { 1 };
    if run.code != want_code || errors != e.errors {
        problems.push(format!(
            "{} ({}): exit {} (expected {want_code}), errors {errors:#?} (expected {:#?}), failure {}",
            e.path, e.why, run.code, e.errors, file["failure"]
        ));
    }
    problems
}

#[test]
fn corpus_payloads_get_their_stated_verdict() {
    let Some(shared) = shared_dir() else {
        println!("skipped: ../shared not present");
        return;
    };
    let corpus = shared.join("corpus");
    let entries = table();
    for e in &entries {
        assert!(!e.why.trim().is_empty(), "{}: say why", e.path);
        assert_eq!(
            e.valid,
            e.errors.is_empty(),
            "{}: valid iff no errors",
            e.path
        );
    }
    let listed: BTreeSet<&str> = entries.iter().map(|e| e.path.as_str()).collect();
    let mut on_disk = BTreeSet::new();
    let mut stack = vec![corpus.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)
            .expect("corpus is readable")
            .flatten()
        {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "xml") {
                let rel = p.strip_prefix(&corpus).expect("below the corpus");
                on_disk.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let unlisted: Vec<&String> = on_disk
        .iter()
        .filter(|p| !listed.contains(p.as_str()))
        .collect();
    assert!(
        unlisted.is_empty(),
        "corpus payloads without a stated verdict: {unlisted:?}"
    );
    let problems: Vec<String> = entries.iter().flat_map(|e| check(&corpus, e)).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn corpus_drift_across_schema_versions() {
    let Some(shared) = shared_dir() else {
        println!("skipped: ../shared not present");
        return;
    };
    let corpus = shared.join("corpus");
    let mut problems = Vec::new();
    let mut checked = 0;
    for e in table() {
        let Some(want) = &e.accepted_by else {
            continue;
        };
        let mut args = vec!["--format", "json", "--all-versions"];
        args.extend(e.args.iter().map(String::as_str));
        args.push(&e.path);
        let json = validate(&args, &corpus, None).json();
        let got: Vec<String> = json["files"][0]["versions"]
            .as_array()
            .map(|vs| {
                vs.iter()
                    .filter(|v| v["valid"] == true)
                    .filter_map(|v| v["version"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if &got != want {
            problems.push(format!(
                "{}: accepted by {got:?}, expected {want:?}",
                e.path
            ));
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} drift expectations");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_whole_corpus_in_one_run_is_ordered_and_counted() {
    let Some(shared) = shared_dir() else {
        println!("skipped: ../shared not present");
        return;
    };
    // Directory recursion over the WAS responses: sorted order, one result per file.
    let run = validate(
        &["--format", "json", "was/finding"],
        &shared.join("corpus"),
        None,
    );
    let json = run.json();
    let paths: Vec<&str> = json["files"]
        .as_array()
        .expect("files array")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert_eq!(paths.len(), 9, "{paths:?}");
    assert_eq!(json["summary"]["files"], 9);
    assert_eq!(run.code, 0, "{}", run.stdout);
}
