//! Every Qualys rule shipped in `schemas/*/*/rules.toml` is exercised through the binary by the
//! payload fixtures (`tests/fixtures/payloads/expected.toml`): at least one case where it
//! reports an error, and at least one case that passes a payload the rule examines.

mod cli_support;

use std::collections::{BTreeMap, BTreeSet};

use cli_support::{payloads_dir, repo_root, validate};
use serde::Deserialize;

#[derive(Deserialize)]
struct RuleFile {
    rule: Vec<RuleId>,
}

#[derive(Deserialize)]
struct RuleId {
    id: String,
}

#[derive(Deserialize)]
struct Expected {
    payload: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    file: String,
    #[serde(default)]
    args: Vec<String>,
    exit: i32,
    #[serde(default)]
    errors: Vec<Error>,
}

#[derive(Deserialize)]
struct Error {
    rule: String,
}

/// Ids of every shipped rule.
fn shipped_rules() -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for api in std::fs::read_dir(repo_root().join("schemas"))
        .expect("schemas/")
        .flatten()
    {
        let Ok(versions) = std::fs::read_dir(api.path()) else {
            continue;
        };
        for v in versions.flatten() {
            let p = v.path().join("rules.toml");
            if let Ok(text) = std::fs::read_to_string(&p) {
                let f: RuleFile =
                    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                ids.extend(f.rule.into_iter().map(|r| r.id));
            }
        }
    }
    ids
}

/// The payloads each rule examines when it passes: a rule "passes" a case when the case is
/// valid and the payload contains what the rule looks at (named here per rule, as data).
const EXAMINED: [(&str, &str); 3] = [
    ("qualys-detection-mutually-exclusive", "<detection>"),
    ("qualys-unique-id-pattern", "field=\"uniqueId\""),
    ("qualys-not-equals-forbidden", "operator=\"NOT EQUALS\""),
];

#[test]
fn every_rule_has_failing_and_passing_cases() {
    let text =
        std::fs::read_to_string(payloads_dir().join("expected.toml")).expect("expected.toml");
    let expected: Expected = toml::from_str(&text).expect("expected.toml parses");
    let examined: BTreeMap<&str, &str> = EXAMINED.into_iter().collect();
    let rules = shipped_rules();
    assert!(!rules.is_empty(), "no rules.toml found");
    for id in &rules {
        let failing = expected
            .payload
            .iter()
            .filter(|c| c.errors.iter().any(|e| &e.rule == id))
            .count();
        assert!(
            failing > 0,
            "{id}: no fixture case where it reports an error"
        );
        let needle = examined
            .get(id.as_str())
            .unwrap_or_else(|| panic!("{id}: say in EXAMINED what payloads it examines"));
        let passing: Vec<&Case> = expected
            .payload
            .iter()
            .filter(|c| c.exit == 0)
            .filter(|c| {
                std::fs::read_to_string(payloads_dir().join(&c.file))
                    .is_ok_and(|t| t.contains(needle))
            })
            .collect();
        assert!(
            !passing.is_empty(),
            "{id}: no valid fixture case containing {needle:?}"
        );
        // And the passing cases really pass through the binary (not only on paper).
        for c in passing {
            let mut args: Vec<&str> = vec!["--format", "json"];
            args.extend(c.args.iter().map(String::as_str));
            args.push(&c.file);
            let run = validate(&args, &payloads_dir(), None);
            assert_eq!(run.code, 0, "{id}: {} should pass: {}", c.file, run.stdout);
        }
    }
}
