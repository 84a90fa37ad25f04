//! One fixture folder per change kind: `fixtures/diff/<case>/{old,new}.{dtd,xsd}`; the expected
//! `rule path` (or `rule path directions`) lines in `expected.txt`, exactly those in any order
//! (`#` starts a comment; a folder without `expected.txt`, like `releases/`, is not a case);
//! optional `roots.toml` (`request = [..]`, `response = [..]`; without it every component
//! counts in both directions); and an insta snapshot of the JSON report of each case.

use std::path::{Path, PathBuf};

use qschema_model::diff::{
    diff_schemas, json, AudienceFilter, Directions, Report, RoleSpec, SchemaDiff, SchemaStatus,
};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff")
}

fn side(case: &Path, stem: &str) -> PathBuf {
    for ext in ["dtd", "xsd"] {
        let p = case.join(format!("{stem}.{ext}"));
        if p.is_file() {
            return p;
        }
    }
    panic!("{}: no {stem}.dtd or {stem}.xsd", case.display());
}

fn roles(case: &Path) -> RoleSpec {
    let path = case.join("roots.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return RoleSpec::Whole(Directions::BOTH);
    };
    let value: toml::Table = toml::from_str(&text).expect("roots.toml parses");
    let list = |key: &str| -> Vec<String> {
        value
            .get(key)
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    RoleSpec::Roots {
        request: list("request"),
        response: list("response"),
    }
}

/// Diff one case, compare its `rule path` lines with `expected.txt`, snapshot its JSON.
fn check(case: &Path) {
    let name = case
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("?")
        .to_string();
    let (old_path, new_path) = (side(case, "old"), side(case, "new"));
    let load = |p: &Path| {
        qschema_model::load_file(p)
            .unwrap_or_else(|e| panic!("{name}: {} does not load:\n{e}", p.display()))
    };
    let (old, new) = (load(&old_path), load(&new_path));
    let spec = roles(case);
    let changes = diff_schemas(&old, &new, &spec, &spec);

    let expected_text = std::fs::read_to_string(case.join("expected.txt"))
        .unwrap_or_else(|_| panic!("{name}: missing expected.txt"));
    let mut expected: Vec<String> = expected_text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    expected.sort();
    // `rule path`, or `rule path directions` when the case asserts directions.
    let with_directions = expected.iter().any(|l| l.split_whitespace().count() == 3);
    let mut got: Vec<String> = changes
        .iter()
        .map(|c| {
            if with_directions {
                format!("{} {} {}", c.rule, c.path, c.directions.label())
            } else {
                format!("{} {}", c.rule, c.path)
            }
        })
        .collect();
    got.sort();
    assert_eq!(
        got, expected,
        "case {name}: rule/path lines differ from expected.txt"
    );

    let file = |p: &Path| {
        p.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string()
    };
    let report = Report {
        old: format!("{name}/{}", file(&old_path)),
        new: format!("{name}/{}", file(&new_path)),
        schemas: vec![SchemaDiff {
            name: name.clone(),
            status: if changes.is_empty() {
                SchemaStatus::Unchanged
            } else {
                SchemaStatus::Changed
            },
            old_file: Some(file(&old_path)),
            new_file: Some(file(&new_path)),
            directions: format!("{spec:?}"),
            changes,
        }],
    };
    insta::assert_snapshot!(
        format!("case__{name}"),
        json::render(&report, AudienceFilter::All)
    );
}

#[test]
fn every_fixture_case() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .expect("fixtures/diff exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expected.txt").is_file())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 20,
        "expected the fixture cases, found {}",
        cases.len()
    );
    for case in &cases {
        check(case);
    }
}

/// Every rule of the table is exercised by a fixture case or a release expectation
/// (`schema-added`/`schema-removed` need two folders: `diff_cli.rs` runs `fixtures/diff/folders`).
#[test]
fn every_rule_has_a_case() {
    let mut covered: Vec<String> = vec!["schema-added".into(), "schema-removed".into()];
    let root = fixtures();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures/diff exists")
        .filter_map(|e| e.ok().map(|e| e.path().join("expected.txt")))
        .filter(|p| p.is_file())
        .collect();
    files.extend(
        std::fs::read_dir(root.join("releases"))
            .expect("fixtures/diff/releases exists")
            .filter_map(|e| e.ok().map(|e| e.path())),
    );
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let mut words = line.split_whitespace();
            let first = words.next().unwrap_or("");
            // Release lines start with the schema file name.
            let rule = if first.contains('.') {
                words.next().unwrap_or("")
            } else {
                first
            };
            covered.push(rule.to_string());
        }
    }
    let missing: Vec<&str> = qschema_model::diff::RULES
        .iter()
        .map(|r| r.id)
        .filter(|id| !covered.iter().any(|c| c == id))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a fixture case: {missing:?}"
    );
}
