//! The W3C XML conformance suite (`../shared/conformance/xmlconf`), run by one index walker
//! over `xmlconf.xml`: the XML 1.0 (fifth edition) and Namespaces 1.0 tests whose entities
//! are none or parameter entities in local files. Every `valid` case must validate, every
//! `invalid` case must be reported invalid without a well-formedness error, every `not-wf`
//! case must be rejected as not well-formed (or in an unusable encoding).
//!
//! Prints pass counts per category and contributor (`--nocapture`), beside xmllint's when it
//! is installed, and writes them to `$CARGO_TARGET_TMPDIR/conformance/report.txt`. The failing cases are kept in a snapshot; the pass counts must match
//! `conformance_baseline.toml` (below = regression, above = raise the baseline).
//! Skipped without `../shared`. `CONFORMANCE_NO_XMLLINT=1` skips the xmllint column;
//! `CONFORMANCE_SHOW_ALL=1` prints what the engine said on every case (with `--nocapture`).

mod cli_support;
#[path = "conformance/mod.rs"]
mod support;

use std::path::Path;

use cli_support::{shared_dir, xmllint_available};
use rayon::prelude::*;
use support::{check, index, tally};

#[test]
fn xml_conformance_suite() {
    let Some(shared) = shared_dir() else {
        println!("skipped: ../shared not present");
        return;
    };
    let suite = shared.join("conformance/xmlconf");
    let cases = index::cases(&suite).unwrap_or_else(|e| panic!("reading the suite index: {e}"));
    let ours: Vec<check::Outcome> = cases.par_iter().map(check::ours).collect();
    let results = || cases.iter().zip(ours.iter().map(|o| o.pass));
    let counts = tally::per_line(results());
    let contributors = tally::per_contributor(results());

    let xmllint = (std::env::var_os("CONFORMANCE_NO_XMLLINT").is_none() && xmllint_available())
        .then(|| {
            let codes: Vec<Option<i32>> = cases.par_iter().map(check::xmllint).collect();
            let verdicts = |strict| {
                let passes = codes
                    .iter()
                    .zip(&cases)
                    .map(move |(c, case)| check::xmllint_pass(case.kind, *c, strict));
                tally::per_line(cases.iter().zip(passes))
            };
            (verdicts(false), verdicts(true))
        });
    let mut report = tally::table(&counts, xmllint.as_ref().map(|x| &x.0), &contributors);
    if let Some((_, strict)) = &xmllint {
        report.push_str(&format!(
            "\nxmllint 'invalid' counted as any failure, as the issue does; with a validity error \
             and no well-formedness error (how qschema is judged): {}\n",
            strict["invalid"]
        ));
    }
    println!("{report}");
    // Kept for CI's log (`.ci/run` prints it) and for a look after a plain `cargo test`.
    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("conformance");
    if std::fs::create_dir_all(&out_dir).is_ok() {
        let _ = std::fs::write(out_dir.join("report.txt"), &report);
    }

    // The subset: 679 valid, 217 invalid, 988 not-wf cases (and 12 extra).
    let totals: Vec<usize> = tally::LINES.iter().map(|l| counts[l].total).collect();
    assert_eq!(
        totals,
        [679, 217, 988, 12],
        "the subset changed: {counts:?}"
    );

    let mut failures = String::new();
    for (case, outcome) in cases.iter().zip(&ours) {
        if !outcome.pass {
            failures.push_str(&format!(
                "{} ({}, {}) {}: {}\n",
                case.id,
                tally::line(case),
                case.kind.name(),
                case.file,
                outcome.said
            ));
        }
    }
    if std::env::var_os("CONFORMANCE_SHOW_ALL").is_some() {
        for (case, outcome) in cases.iter().zip(&ours) {
            println!(
                "{} ({}) {}: {}",
                case.id,
                case.kind.name(),
                case.file,
                outcome.said
            );
        }
    }
    let summary = tally::table(&counts, None, &contributors);
    insta::assert_snapshot!("failures", format!("{summary}\n{failures}"));

    let baseline = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance_baseline.toml"),
    )
    .unwrap_or_default();
    let problems = tally::against_baseline(&counts, &baseline);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
