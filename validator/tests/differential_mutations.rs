//! Differential test against xmllint (libxml2) on generated mutations.
//!
//! For every payload that belongs to a schema version (the payload fixtures and, with
//! `../shared`, the corpus payloads of `corpus_expectations.toml`), the generator in
//! `differential/mutate.rs` makes up to [`PER_KIND`] mutations of each kind (remove,
//! duplicate, reorder a child; undeclared element or attribute; wrong enumeration value,
//! broken `uniqueId`, bad `xs:boolean`/`xs:long`/`xs:int`/`xs:dateTime`; dropped required
//! attribute; broken well-formedness; and, to probe the boundaries, a typed value re-encoded
//! with the same meaning (comment, CDATA, character reference), a foreign default namespace,
//! `xsi:nil`/`xsi:type`, the root renamed to another global element), aimed at what the
//! schema model declares and chosen with
//! a RNG seeded by the payload and the kind (the same cases every run). The payload itself and
//! every mutation are checked against the payload's own version AND every other version of
//! the same schema file, by our engine (in process, engine only: the Qualys rules layer is not
//! run, so every error on both sides is a schema or well-formedness error) and by
//! `xmllint --noout --nonet --dtdvalid F` / `--schema F` with the same local file.
//!
//! Agreement, per case:
//! - verdict: both say valid, or both say invalid;
//! - line (only when both say invalid): the line of xmllint's FIRST error (`-:LINE: ... error`)
//!   is among the lines of our errors.
//!
//! Every disagreement must be covered by an entry of `xmllint_mutation_exceptions.toml` (a
//! case-id pattern, the aspect, and the reason: xmllint is wrong, or the difference is by
//! design); the test fails on any uncovered disagreement and on any entry that covers no
//! disagreement (with `../shared` present: without it, entries may be about corpus cases).
//! Uncovered cases are written to `$CARGO_TARGET_TMPDIR/differential/cases/` for a look.
//!
//! The agreement table (per kind) is printed (`cargo test -p qschema-validator --test
//! differential_mutations -- --nocapture`) and written to
//! `$CARGO_TARGET_TMPDIR/differential/report.txt`.
//!
//! Skips with a message when xmllint is not installed, unless `QSCHEMA_REQUIRE_SHARED=1`.

mod cli_support;
mod differential;

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use cli_support::{payloads_dir, repo_root, shared_dir, xmllint_available};
use differential::cases::{bases, Base, Target};
use differential::exceptions::{self, Aspect};
use differential::mutate::{mutations, Kind, Mutation};
use differential::verdicts::{ours, rules_findings, rules_for, xmllint, Verdict};
use qschema_validator::engine::CompiledSchema;
use qschema_validator::rules::{Context, Endpoint, RuleSet};
use rayon::prelude::*;

/// Mutations of each kind per payload.
const PER_KIND: usize = 3;

/// Cases required with `../shared` (fixtures + corpus).
const MIN_CASES_WITH_SHARED: usize = 2000;

/// One document checked against one schema file.
struct Case {
    id: String,
    kind: Kind,
    base: usize,
    base_is_fixture: bool,
    target: Target,
    mutation: Option<Arc<Mutation>>,
}

/// The outcome of one case.
struct Outcome {
    ours: Verdict,
    theirs: Verdict,
    /// Findings of the Qualys rules layer (not compared: xmllint has no such layer).
    rules: usize,
}

impl Outcome {
    fn verdicts_agree(&self) -> bool {
        self.ours.valid == self.theirs.valid
    }
    /// `Some(agree)` when both say invalid.
    fn lines_agree(&self) -> Option<bool> {
        if self.ours.valid || self.theirs.valid {
            return None;
        }
        Some(
            self.theirs
                .lines
                .first()
                .is_some_and(|l| self.ours.lines.contains(l)),
        )
    }
}

fn compile_all(bases: &[Base]) -> HashMap<PathBuf, CompiledSchema> {
    let mut paths: Vec<PathBuf> = bases
        .iter()
        .flat_map(|b| b.targets.iter().map(|t| t.path.clone()))
        .collect();
    paths.sort();
    paths.dedup();
    paths
        .into_par_iter()
        .map(|p| {
            let schema = qschema_model::load_file(&p)
                .unwrap_or_else(|e| panic!("{} does not load: {e}", p.display()));
            let compiled = CompiledSchema::compile(schema)
                .unwrap_or_else(|e| panic!("{} does not compile: {e}", p.display()));
            (p, compiled)
        })
        .collect()
}

fn make_cases(bases: &[Base]) -> Vec<Case> {
    let per_base: Vec<Vec<Case>> = bases
        .par_iter()
        .enumerate()
        .map(|(i, base)| {
            // Mutations aim at what the payload's OWN version declares.
            let own = base.targets.first().map(|t| t.path.clone());
            let model = own.and_then(|p| qschema_model::load_file(&p).ok());
            let muts: Vec<Arc<Mutation>> = match &model {
                Some(schema) => mutations(&base.text, schema, &base.id, PER_KIND)
                    .into_iter()
                    .map(Arc::new)
                    .collect(),
                None => Vec::new(),
            };
            let mut out = Vec::new();
            for t in &base.targets {
                let version = &t.label;
                out.push(Case {
                    id: format!("{}@{version}#unmutated", base.id),
                    kind: Kind::Unmutated,
                    base: i,
                    base_is_fixture: base.id.starts_with("fixtures/"),
                    target: t.clone(),
                    mutation: None,
                });
                for m in &muts {
                    out.push(Case {
                        id: format!("{}@{version}#{}:{}", base.id, m.kind, m.target),
                        kind: m.kind,
                        base: i,
                        base_is_fixture: base.id.starts_with("fixtures/"),
                        target: t.clone(),
                        mutation: Some(m.clone()),
                    });
                }
            }
            out
        })
        .collect();
    per_base.into_iter().flatten().collect()
}

#[derive(Default)]
struct Row {
    cases: usize,
    verdict_agree: usize,
    both_invalid: usize,
    line_agree: usize,
    listed: usize,
    /// Mutated cases we call invalid.
    ours_invalid_mutated: usize,
    /// ... with an error on the mutation's line.
    ours_at_site: usize,
    /// Cases where the Qualys rules layer reports something.
    rules: usize,
}

fn pct(n: usize, d: usize) -> String {
    if d == 0 {
        "-".to_string()
    } else {
        format!("{:.1}%", 100.0 * n as f64 / d as f64)
    }
}

fn table(
    rows: &BTreeMap<Kind, Row>,
    payloads: usize,
    corpus: bool,
    from_fixtures: usize,
) -> String {
    let mut s = String::new();
    let total = rows.values().fold(Row::default(), |mut a, r| {
        a.cases += r.cases;
        a.verdict_agree += r.verdict_agree;
        a.both_invalid += r.both_invalid;
        a.line_agree += r.line_agree;
        a.listed += r.listed;
        a.ours_invalid_mutated += r.ours_invalid_mutated;
        a.ours_at_site += r.ours_at_site;
        a.rules += r.rules;
        a
    });
    let _ = writeln!(
        s,
        "differential test against xmllint: {} cases from {payloads} payloads ({})",
        total.cases,
        if corpus {
            "fixtures + corpus"
        } else {
            "fixtures only: ../shared not present"
        }
    );
    let _ = writeln!(
        s,
        "({from_fixtures} of them from the repository's own fixtures)"
    );
    let _ = writeln!(
        s,
        "verdict: same valid/invalid; line%: of the cases both call invalid, xmllint's first error \
         line is among ours; site%: of the mutated cases we call invalid, one of our errors is on \
         the mutation's line; listed: disagreements covered by the exceptions file; rules: cases \
         where the Qualys rules layer (qualys-*, not compared: xmllint has none) reports something"
    );
    let _ = writeln!(
        s,
        "{:<26} {:>6} {:>9} {:>8} {:>9} {:>8} {:>7} {:>7} {:>6}",
        "kind", "cases", "verdict", "agree%", "both-inv", "line%", "site%", "listed", "rules"
    );
    for (kind, r) in rows {
        write_row(&mut s, kind.as_str(), r);
    }
    write_row(&mut s, "TOTAL", &total);
    s
}

/// One line of the agreement table.
fn write_row(s: &mut String, label: &str, r: &Row) {
    let _ = writeln!(
        s,
        "{:<26} {:>6} {:>9} {:>8} {:>9} {:>8} {:>7} {:>7} {:>6}",
        label,
        r.cases,
        r.verdict_agree,
        pct(r.verdict_agree, r.cases),
        r.both_invalid,
        pct(r.line_agree, r.both_invalid),
        pct(r.ours_at_site, r.ours_invalid_mutated),
        r.listed,
        r.rules
    );
}

fn sanitize(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[test]
fn mutations_agree_with_xmllint() {
    if !xmllint_available() {
        println!("skipped: xmllint not installed (apt-get install -y libxml2-utils)");
        return;
    }
    let shared = shared_dir();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bases = bases(
        &repo_root(),
        &payloads_dir(),
        &manifest.join("tests/corpus_expectations.toml"),
        shared.as_deref(),
    );
    let exceptions_path = manifest.join("tests/xmllint_mutation_exceptions.toml");
    let known = exceptions::parse(
        &std::fs::read_to_string(&exceptions_path).expect("xmllint_mutation_exceptions.toml"),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", exceptions_path.display()));

    let compiled = compile_all(&bases);
    let mut rule_sets: HashMap<PathBuf, RuleSet> = HashMap::new();
    for t in bases.iter().flat_map(|b| &b.targets) {
        rule_sets
            .entry(t.path.clone())
            .or_insert_with(|| rules_for(&t.path));
    }
    let contexts: Vec<Context> = bases
        .iter()
        .map(|b| Context {
            endpoint: b.endpoint.as_deref().map(|e| {
                Endpoint::parse(e).unwrap_or_else(|err| panic!("{}: endpoint {e}: {err}", b.id))
            }),
        })
        .collect();
    let cases = make_cases(&bases);
    let outcomes: Vec<Result<Outcome, String>> = cases
        .par_iter()
        .map(|c| {
            let base = &bases[c.base];
            let text = c
                .mutation
                .as_ref()
                .map_or(base.text.as_str(), |m| m.text.as_str());
            let schema = compiled.get(&c.target.path).ok_or("schema not compiled")?;
            let ours = ours(schema, &base.path, text);
            let rules = match (ours.well_formed, rule_sets.get(&c.target.path)) {
                (true, Some(set)) => rules_findings(set, &contexts[c.base], text),
                _ => 0,
            };
            Ok(Outcome {
                ours,
                theirs: xmllint(&c.target.path, text)?,
                rules,
            })
        })
        .collect();

    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("differential");
    let cases_dir = out_dir.join("cases");
    let _ = std::fs::remove_dir_all(&cases_dir);
    let mut rows: BTreeMap<Kind, Row> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut used = vec![0usize; known.len()];
    let mut from_fixtures = 0;
    for (c, outcome) in cases.iter().zip(&outcomes) {
        let o = match outcome {
            Ok(o) => o,
            Err(e) => {
                problems.push(format!("{}: {e}", c.id));
                continue;
            }
        };
        let row = rows.entry(c.kind).or_default();
        row.cases += 1;
        if o.rules > 0 {
            row.rules += 1;
        }
        if c.base_is_fixture {
            from_fixtures += 1;
        }
        if let (Some(m), false) = (&c.mutation, o.ours.valid) {
            row.ours_invalid_mutated += 1;
            if o.ours.lines.contains(&m.line) {
                row.ours_at_site += 1;
            }
        }
        let disagreement = if !o.verdicts_agree() {
            Some(Aspect::Verdict)
        } else {
            row.verdict_agree += 1;
            match o.lines_agree() {
                Some(agree) => {
                    row.both_invalid += 1;
                    if agree {
                        row.line_agree += 1;
                        None
                    } else {
                        Some(Aspect::Line)
                    }
                }
                None => None,
            }
        };
        let Some(aspect) = disagreement else {
            continue;
        };
        if let Some(i) = known.iter().position(|k| {
            k.covers(
                &c.id,
                aspect,
                o.ours.valid,
                &o.ours.messages,
                o.theirs.first.as_deref(),
            )
        }) {
            used[i] += 1;
            row.listed += 1;
            continue;
        }
        let verdict = |v: &Verdict| if v.valid { "valid" } else { "invalid" };
        problems.push(format!(
            "{} ({aspect:?}): ours {} [{}] lines {:?}; xmllint {} [{}]{}",
            c.id,
            verdict(&o.ours),
            o.ours.summary,
            o.ours.lines.iter().take(5).collect::<Vec<_>>(),
            verdict(&o.theirs),
            o.theirs.summary,
            c.mutation
                .as_ref()
                .map(|m| format!("; mutation at line {}", m.line))
                .unwrap_or_default()
        ));
        if std::fs::create_dir_all(&cases_dir).is_ok() {
            let text = c
                .mutation
                .as_ref()
                .map_or(bases[c.base].text.as_str(), |m| m.text.as_str());
            let _ = std::fs::write(cases_dir.join(format!("{}.xml", sanitize(&c.id))), text);
        }
    }
    if shared.is_some() {
        for (k, n) in known.iter().zip(&used) {
            if *n == 0 {
                problems.push(format!(
                    "exception `{}` ({:?}) covers no disagreement any more: remove it",
                    k.case, k.aspect
                ));
            }
        }
    }
    let mut report = table(&rows, bases.len(), shared.is_some(), from_fixtures);
    let _ = writeln!(
        report,
        "exceptions (reviewed, {}):",
        exceptions_path.display()
    );
    for (k, n) in known.iter().zip(&used) {
        let _ = writeln!(report, "  {n:>5}  {:?} {}: {}", k.aspect, k.case, k.reason);
    }
    let _ = std::fs::create_dir_all(&out_dir);
    let _ = std::fs::write(out_dir.join("report.txt"), &report);
    println!("{report}");
    println!("(written to {})", out_dir.join("report.txt").display());

    let total: usize = rows.values().map(|r| r.cases).sum();
    if shared.is_some() {
        assert!(
            total >= MIN_CASES_WITH_SHARED,
            "only {total} cases (at least {MIN_CASES_WITH_SHARED} wanted)"
        );
    }
    assert!(total > 0, "no cases generated");
    assert!(
        problems.is_empty(),
        "{} unlisted disagreements or stale exceptions:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The generator itself (no xmllint needed): the same cases every run, every mutation changes
/// the text, its line is inside the mutated text, and every kind is produced somewhere.
#[test]
fn mutations_are_deterministic_and_aimed() {
    let bases = bases(
        &repo_root(),
        &payloads_dir(),
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus_expectations.toml"),
        None,
    );
    let mut kinds = std::collections::BTreeSet::new();
    let mut broken = std::collections::BTreeSet::new();
    for base in &bases {
        let Some(own) = base.targets.first() else {
            continue;
        };
        let schema = qschema_model::load_file(&own.path).expect("schema loads");
        let first = mutations(&base.text, &schema, &base.id, PER_KIND);
        let again = mutations(&base.text, &schema, &base.id, PER_KIND);
        let ids = |ms: &[Mutation]| {
            ms.iter()
                .map(|m| format!("{}:{}:{}", m.kind, m.target, m.line))
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&first), ids(&again), "{}: not deterministic", base.id);
        for m in &first {
            assert_ne!(
                m.text, base.text,
                "{} {}: text unchanged",
                base.id, m.target
            );
            let lines = m.text.lines().count().max(1);
            assert!(
                m.line >= 1 && m.line <= lines + 1,
                "{} {}: line {} outside 1..={lines}",
                base.id,
                m.target,
                m.line
            );
            kinds.insert(m.kind);
            if m.kind == Kind::NotWellFormed {
                if let Some((_, variant)) = m.target.rsplit_once(':') {
                    broken.insert(variant.to_string());
                }
            }
        }
    }
    for kind in Kind::MUTATIONS {
        assert!(kinds.contains(&kind), "no fixture yields a {kind} mutation");
    }
    let all_variants = [
        "end-tag-mismatch",
        "bare-lt",
        "bare-amp",
        "duplicate-attribute",
        "truncated",
        "undeclared-prefix-element",
        "undeclared-prefix-attribute",
        "control-char",
        "cdata-end-in-text",
        "double-hyphen-comment",
        "lt-in-attribute",
    ];
    for v in all_variants {
        assert!(
            broken.contains(v),
            "no fixture yields the not-well-formed variant {v}"
        );
    }
}
