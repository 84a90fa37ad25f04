//! Rules pass tests: each rule kind passes and fails, with positions and paths.

use super::*;

const RULES: &str = r#"
[[rule]]
id = "t-exclusive"
kind = "mutually-exclusive-children"
description = "d"
source = { seed = "s.txt", section = "S" }
element = "OptionProfile/detection"
children = ["a", "b", "c"]

[[rule]]
id = "t-pattern"
kind = "value-pattern"
description = "d"
source = { seed = "s.txt", section = "S" }
files = ["finding.xsd"]
pattern = "[a-f0-9]{4}"
elements = ["Finding/uniqueId"]
criteria_fields = ["uniqueId"]

[[rule]]
id = "t-operator"
kind = "forbidden-operator"
description = "d"
source = { seed = "s.txt", section = "S" }
operator = "NOT EQUALS"
actions = ["delete", "update"]
endpoints = ["am/asset"]
"#;

fn run(doc: &str, endpoint: Option<&str>) -> Vec<(String, u32, u32, String)> {
    let set = RuleSet::from_toml(RULES, "t.toml").expect("test rules load");
    let context = Context {
        endpoint: endpoint.map(|e| Endpoint::parse(e).expect("test endpoint parses")),
    };
    let alone: Vec<_> = set
        .check(doc.as_bytes(), &context)
        .expect("well-formed test document")
        .into_iter()
        .map(|e| (e.rule, e.line, e.column, e.path))
        .collect();
    // The same rules as an observer of the engine's pass find the same violations.
    let mut observer = set.observer(&context);
    let doc_input = crate::engine::DocumentInput {
        display_name: "t.xml",
        path: None,
    };
    let report = crate::engine::validate_with(
        doc.as_bytes(),
        &doc_input,
        None,
        &qschema_model::FsResolver,
        &crate::engine::Options::default(),
        &mut observer,
    );
    assert!(report.is_valid(), "{:?}", report.errors);
    let observed: Vec<_> = observer
        .into_errors()
        .into_iter()
        .map(|e| (e.rule, e.line, e.column, e.path))
        .collect();
    assert_eq!(observed, alone, "observer and stand-alone pass differ");
    alone
}

fn owned(v: &[(&str, u32, u32, &str)]) -> Vec<(String, u32, u32, String)> {
    v.iter()
        .map(|(r, l, c, p)| (r.to_string(), *l, *c, p.to_string()))
        .collect()
}

#[test]
fn mutually_exclusive_children() {
    let ok = "<R><OptionProfile><detection><a/><a/></detection></OptionProfile></R>";
    assert_eq!(run(ok, None), owned(&[]));
    let bad = "<R>\n<OptionProfile><detection>\n  <a>1</a>\n  <x/>\n  <b/><c/>\n</detection></OptionProfile>\n<detection><a/><b/></detection></R>";
    assert_eq!(
        run(bad, None),
        owned(&[
            ("t-exclusive", 5, 3, "/R/OptionProfile/detection/b"),
            ("t-exclusive", 5, 7, "/R/OptionProfile/detection/c"),
        ])
    );
}

#[test]
fn value_pattern_on_elements_and_criteria() {
    let doc = "<R><data><Finding><uniqueId>ab12</uniqueId></Finding><Finding><uniqueId> AB12 </uniqueId></Finding>\n\
<Finding><uniqueId><![CDATA[ffff]]></uniqueId></Finding></data>\n\
<filters><Criteria field=\"uniqueId\" operator=\"EQUALS\">zz</Criteria>\
<Criteria field=\"uniqueId\" operator=\"IN\">abcd, 12345,0000</Criteria>\
<Criteria field=\"qid\" operator=\"EQUALS\">zz</Criteria></filters></R>";
    assert_eq!(
        run(doc, None),
        owned(&[
            ("t-pattern", 1, 63, "/R/data/Finding[2]/uniqueId"),
            ("t-pattern", 3, 10, "/R/filters/Criteria"),
            ("t-pattern", 3, 68, "/R/filters/Criteria[2]"),
        ])
    );
}

#[test]
fn forbidden_operator_only_for_listed_endpoints_and_actions() {
    let doc = "<ServiceRequest><filters>\n<Criteria field=\"name\" operator=\"NOT EQUALS\">x</Criteria>\n</filters></ServiceRequest>";
    assert_eq!(run(doc, None), owned(&[]));
    assert_eq!(run(doc, Some("/qps/rest/2.0/search/am/asset")), owned(&[]));
    assert_eq!(run(doc, Some("/qps/rest/2.0/delete/am/tag")), owned(&[]));
    assert_eq!(
        run(doc, Some("/qps/rest/2.0/delete/am/asset")),
        owned(&[(
            "t-operator",
            2,
            1,
            "/ServiceRequest/filters/Criteria/@operator"
        )])
    );
    let spaced = doc.replace("NOT EQUALS", "not  equals");
    assert_eq!(
        run(&spaced, Some("https://h/qps/rest/2.0/update/am/asset/5")).len(),
        1
    );
}

#[test]
fn applying_to_filters_by_schema_file() {
    let set = RuleSet::from_toml(RULES, "t.toml").expect("test rules load");
    let ids = |s: RuleSet| s.rules().iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    assert_eq!(
        ids(set.applying_to(Some("scan.xsd"))),
        ["t-exclusive", "t-operator"]
    );
    assert_eq!(set.applying_to(Some("finding.xsd")).rules().len(), 3);
    assert_eq!(set.applying_to(None).rules().len(), 3);
}

#[test]
fn bad_rule_data_is_reported_with_origin_and_id() {
    let cases = [
        ("[[rule]]\nid='x'\nkind='nope'\ndescription=''\nsource={seed='s',section='t'}", "unknown kind"),
        ("[[rule]]\nid='x'\nkind='value-pattern'\ndescription=''\nsource={seed='s',section='t'}\npattern='('\nelements=['a']", "bad pattern"),
        ("[[rule]]\nid='x'\nkind='forbidden-operator'\ndescription=''\nsource={seed='s',section='t'}\noperator='X'", "needs `actions`"),
        ("[[rule]]\nid='x'\nkind='value-pattern'\ndescription=''\nsource={seed='s',section='t'}\nbogus=1", "unknown field"),
    ];
    for (text, expected) in cases {
        let err = RuleSet::from_toml(text, "f.toml")
            .expect_err(expected)
            .to_string();
        assert!(err.starts_with("f.toml"), "{err}");
        assert!(err.contains(expected), "{err}");
    }
}

#[test]
fn stops_with_partial_results_on_malformed_input() {
    let set = RuleSet::from_toml(RULES, "t.toml").expect("test rules load");
    let doc = "<R><Finding><uniqueId>XX</uniqueId></Finding>\n<a></b></R>";
    let err = set
        .check(doc.as_bytes(), &Context::default())
        .expect_err("mismatched end tag");
    assert_eq!(err.line, 2);
    assert_eq!(err.partial.len(), 1);
}

#[test]
fn shipped_rule_files_load() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let mut seen = 0;
    for api in ["vm", "was"] {
        let Ok(dirs) = std::fs::read_dir(root.join(api)) else {
            continue;
        };
        for d in dirs.flatten() {
            let p = d.path().join("rules.toml");
            if let Ok(text) = std::fs::read_to_string(&p) {
                RuleSet::from_toml(&text, &p.display().to_string())
                    .unwrap_or_else(|e| panic!("{e}"));
                seen += 1;
            }
        }
    }
    assert!(seen >= 3, "expected the WAS rules files, found {seen}");
}

#[test]
fn relevant_drops_operator_rules_that_cannot_fire() {
    let set = RuleSet::from_toml(RULES, "t.toml").expect("test rules load");
    let ids = |s: RuleSet| s.rules().iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    let with = |e: &str| Context {
        endpoint: Some(Endpoint::parse(e).expect("test endpoint parses")),
    };
    assert_eq!(
        ids(set.relevant(&Context::default())),
        ["t-exclusive", "t-pattern"]
    );
    assert_eq!(
        ids(set.relevant(&with("/qps/rest/2.0/search/am/asset"))),
        ["t-exclusive", "t-pattern"]
    );
    assert_eq!(
        ids(set.relevant(&with("/qps/rest/2.0/delete/am/asset"))),
        ["t-exclusive", "t-pattern", "t-operator"]
    );
}
