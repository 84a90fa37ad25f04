//! The rule table is data (`qschema_model::diff::RULES`) and `RULES.md` documents it: keep them equal.

use qschema_model::diff::rules::{markdown_table, RULES};

#[test]
fn rules_md_contains_the_rule_table() {
    let doc = include_str!("../src/diff/RULES.md");
    let table = markdown_table();
    assert!(
        doc.contains(&table),
        "model/src/diff/RULES.md is out of date; its table must be:\n{table}"
    );
}

#[test]
fn rule_ids_are_unique_and_kebab_case() {
    for (i, r) in RULES.iter().enumerate() {
        assert!(
            r.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}",
            r.id
        );
        assert!(
            RULES[..i].iter().all(|o| o.id != r.id),
            "duplicate rule {}",
            r.id
        );
    }
}
