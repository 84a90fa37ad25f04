//! Every payload fixture (`tests/fixtures/payloads/`, verdicts in its `expected.toml`) through the
//! real `validate` binary: exit code, schema, version and the genuine errors (rule, line, path)
//! are asserted from the data; human and JSON output are snapshotted.

mod cli_support;

use std::collections::BTreeSet;
use std::path::Path;

use cli_support::{payloads_dir, validate};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    payload: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// Snapshot name (default: the file stem).
    name: Option<String>,
    /// The fixture, relative to the payloads folder.
    file: String,
    /// Extra arguments.
    #[serde(default)]
    args: Vec<String>,
    /// Expected exit code.
    exit: i32,
    /// Expected schema label (`was/finding.xsd`).
    schema: Option<String>,
    /// Expected version label.
    version: Option<String>,
    /// Expected failure kind, for files that cannot be checked.
    failure: Option<String>,
    /// Expected errors, in order.
    #[serde(default)]
    errors: Vec<ExpectedError>,
    /// Why the verdict is what it is.
    why: String,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
struct ExpectedError {
    rule: String,
    line: u64,
    path: String,
}

fn load() -> Vec<Case> {
    let path = payloads_dir().join("expected.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let expected: Expected =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    expected.payload
}

/// Run one case in JSON and human format; return the differences from the expectation.
fn check(case: &Case) -> Vec<String> {
    let dir = payloads_dir();
    let name = case.name.clone().unwrap_or_else(|| {
        Path::new(&case.file)
            .file_stem()
            .map(|s| s.to_string_lossy().replace('/', "-"))
            .unwrap_or_default()
    });
    let mut args: Vec<&str> = case.args.iter().map(String::as_str).collect();
    args.push(&case.file);

    let mut json_args = vec!["--format", "json"];
    json_args.extend(&args);
    let run = validate(&json_args, &dir, None);
    let mut problems = Vec::new();
    let mut expect = |what: &str, got: String, want: String| {
        if got != want {
            problems.push(format!("{name}: {what}: got {got}, expected {want}"));
        }
    };
    expect("exit code", run.code.to_string(), case.exit.to_string());
    let json = run.json();
    let file = &json["files"][0];
    let text = |v: &serde_json::Value| v.as_str().map(str::to_string);
    expect(
        "schema",
        format!("{:?}", text(&file["schema"])),
        format!("{:?}", case.schema),
    );
    expect(
        "version",
        format!("{:?}", text(&file["version"])),
        format!("{:?}", case.version),
    );
    expect(
        "failure",
        format!("{:?}", text(&file["failure"]["kind"])),
        format!("{:?}", case.failure),
    );
    let got: Vec<ExpectedError> = file["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| ExpectedError {
                    rule: text(&e["rule"]).unwrap_or_default(),
                    line: e["line"].as_u64().unwrap_or(0),
                    path: text(&e["path"]).unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    expect("errors", format!("{got:#?}"), format!("{:#?}", case.errors));
    expect(
        "valid",
        file["valid"].to_string(),
        (case.exit == 0).to_string(),
    );

    let human = validate(&args, &dir, None);
    expect(
        "human exit code",
        human.code.to_string(),
        case.exit.to_string(),
    );
    insta::assert_snapshot!(format!("{name}.human"), human.stdout);
    insta::assert_snapshot!(format!("{name}.json"), run.stdout);
    problems
}

#[test]
fn every_payload_gets_its_expected_verdict_and_errors() {
    let cases = load();
    let problems: Vec<String> = cases.iter().flat_map(check).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn every_fixture_has_an_expectation_and_every_expectation_a_fixture() {
    let cases = load();
    let listed: BTreeSet<String> = cases.iter().map(|c| c.file.clone()).collect();
    let mut on_disk = BTreeSet::new();
    let root = payloads_dir();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)
            .expect("payload folder is readable")
            .flatten()
        {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "xml") {
                let rel = p.strip_prefix(&root).expect("below the root");
                on_disk.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let missing: Vec<_> = on_disk.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&on_disk).collect();
    assert!(
        missing.is_empty(),
        "fixtures without expectation: {missing:?}"
    );
    assert!(stale.is_empty(), "expectations without fixture: {stale:?}");
    for c in &cases {
        assert!(!c.why.trim().is_empty(), "{}: say why", c.file);
        assert_eq!(
            c.exit == 2,
            c.failure.is_some(),
            "{}: exit 2 iff failure",
            c.file
        );
        assert_eq!(
            c.exit == 0,
            c.errors.is_empty() && c.failure.is_none(),
            "{}: exit 0 iff no errors",
            c.file
        );
    }
}
