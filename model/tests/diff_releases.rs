//! The diffs between adjacent versions of `schemas/` (in the order of `schemas/versions.toml`)
//! reproduce the release notes' "DTD or XSD changes" and nothing else.
//!
//! For each adjacent pair: the exact `file rule path directions` lines are in
//! `fixtures/diff/releases/<api>__<old>__<new>.txt`; the files with changes are exactly the
//! version's `changed` list in `versions.toml`; the Markdown and JSON reports are snapshots.
//! Nothing is filtered out: the reconstruction's provenance headers are file notes, not schema
//! documentation (see the DTD front end's comment convention), so they never show up here.

use std::path::{Path, PathBuf};

use qschema_model::catalog::{Api, Catalog};
use qschema_model::diff::{diff_paths, json, markdown, AudienceFilter, DiffOptions, Report};

fn expected_lines(api: Api, old: &str, new: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff/releases")
        .join(format!("{api}__{old}__{new}.txt"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut v: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    v.sort();
    v
}

/// Diff one adjacent pair and check it against its expectation file and `versions.toml`.
fn check(catalog: &Catalog, api: Api, old: &str, new: &str) -> Report {
    // Relative to the model crate (the test's working directory): stable report paths.
    let dir = |v: &str| PathBuf::from("../schemas").join(api.as_str()).join(v);
    let report = diff_paths(&dir(old), &dir(new), &DiffOptions::default())
        .unwrap_or_else(|e| panic!("{api} {old} -> {new}: {e}"));

    let mut got: Vec<String> = report
        .schemas
        .iter()
        .flat_map(|s| {
            s.changes
                .iter()
                .map(move |c| format!("{} {} {} {}", s.name, c.rule, c.path, c.directions.label()))
        })
        .collect();
    got.sort();
    assert_eq!(got, expected_lines(api, old, new), "{api} {old} -> {new}");

    let mut changed: Vec<&str> = report
        .schemas
        .iter()
        .filter(|s| !s.changes.is_empty())
        .map(|s| s.name.as_str())
        .collect();
    changed.sort();
    let mut listed: Vec<&str> = catalog
        .version(api, new)
        .map(|v| v.changed.iter().map(String::as_str).collect())
        .unwrap_or_default();
    listed.sort();
    assert_eq!(
        changed, listed,
        "{api} {new}: files with changes vs versions.toml `changed`"
    );
    report
}

#[test]
fn adjacent_versions_reproduce_the_release_notes() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let catalog = Catalog::load(&schemas).unwrap_or_else(|e| panic!("catalog: {e}"));
    let mut pairs = 0;
    for api in Api::ALL {
        let labels: Vec<String> = catalog
            .versions(api)
            .iter()
            .map(|v| v.label.clone())
            .collect();
        for w in labels.windows(2) {
            let (old, new) = (&w[0], &w[1]);
            let report = check(&catalog, api, old, new);
            let name = format!("release__{api}__{old}__{new}");
            insta::assert_snapshot!(
                format!("{name}__md"),
                markdown::render(&report, AudienceFilter::All)
            );
            insta::assert_snapshot!(
                format!("{name}__json"),
                json::render(&report, AudienceFilter::All)
            );
            pairs += 1;
        }
    }
    assert!(
        pairs >= 5,
        "expected at least 5 adjacent version pairs, found {pairs}"
    );
}

#[test]
fn a_version_compared_with_itself_has_no_changes() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let catalog = Catalog::load(&schemas).unwrap_or_else(|e| panic!("catalog: {e}"));
    for api in Api::ALL {
        for v in catalog.versions(api) {
            let dir = schemas.join(api.as_str()).join(&v.label);
            let report = diff_paths(&dir, &dir, &DiffOptions::default())
                .unwrap_or_else(|e| panic!("{api} {}: {e}", v.label));
            let changes: Vec<_> = report.changes().collect();
            assert!(changes.is_empty(), "{api} {}: {changes:#?}", v.label);
        }
    }
}
