//! The release notes' schema fragments appear in exactly the versions they belong to:
//! from the version that introduced them on, and not before. Checked on the model, not on text.

use qschema_model::catalog::{Api, Catalog};
use qschema_model::{Content, ElementType, Schema, Term};
use qschema_tests::repo_root;

/// A fact about one schema file that holds from `since` (a version label) on.
struct Fragment {
    api: Api,
    file: &'static str,
    since: &'static str,
    what: &'static str,
    holds: fn(&Schema) -> bool,
}

/// Names of the element children of a global element's content model.
fn children(schema: &Schema, element: &str) -> Vec<String> {
    let Some(id) = schema.global(element) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let ElementType::Complex(ct) = schema.element(id).ty {
        if let Content::Elements { particle, .. } = &schema.complex_type(ct).content {
            collect(schema, &particle.term, &mut out);
        }
    }
    out
}

fn collect(schema: &Schema, term: &Term, out: &mut Vec<String>) {
    match term {
        Term::Element(id) => out.push(schema.element(*id).name.clone()),
        Term::Sequence(ps) | Term::Choice(ps) | Term::All(ps) => {
            for p in ps {
                collect(schema, &p.term, out);
            }
        }
        Term::Any(_) => {}
    }
}

/// Every element declaration (global or local) with this name.
fn elements_named<'a>(
    schema: &'a Schema,
    name: &'a str,
) -> impl Iterator<Item = &'a qschema_model::ElementDecl> + 'a {
    schema.elements.iter().filter(move |e| e.name == name)
}

/// Enumeration values reachable from a simple type's restriction chain.
fn enumeration(schema: &Schema, ty: qschema_model::SimpleTypeId) -> Vec<String> {
    schema
        .restriction_chain(ty)
        .into_iter()
        .flat_map(|id| schema.simple_type(id).facets.enumeration.clone())
        .collect()
}

fn patterns(schema: &Schema, ty: qschema_model::SimpleTypeId) -> Vec<String> {
    schema
        .restriction_chain(ty)
        .into_iter()
        .flat_map(|id| schema.simple_type(id).facets.patterns.clone())
        .collect()
}

/// The simple type of an element's text (simple type or simple content).
fn text_type(
    schema: &Schema,
    e: &qschema_model::ElementDecl,
) -> Option<qschema_model::SimpleTypeId> {
    match e.ty {
        ElementType::Simple(t) => Some(t),
        ElementType::Complex(ct) => match schema.complex_type(ct).content {
            Content::Simple(t) => Some(t),
            _ => None,
        },
        ElementType::Undeclared => None,
    }
}

const UNIQUE_ID: &str = "[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}";

fn fragments() -> Vec<Fragment> {
    vec![
        Fragment {
            api: Api::Vm,
            file: "schedule_scan_list_output.dtd",
            since: "8.11.2",
            what: "SCAN ends with NOTIFICATIONS?",
            holds: |s| children(s, "SCAN").last().map(String::as_str) == Some("NOTIFICATIONS"),
        },
        Fragment {
            api: Api::Vm,
            file: "schedule_scan_list_output.dtd",
            since: "8.11.2",
            what: "BEFORE_LAUNCH is (TIME, UNIT, MESSAGE)",
            holds: |s| children(s, "BEFORE_LAUNCH") == ["TIME", "UNIT", "MESSAGE"],
        },
        Fragment {
            api: Api::Vm,
            file: "schedule_scan_list_output.dtd",
            since: "8.11.2",
            what: "DISTRIBUTION_GROUP is (ID, TITLE)",
            holds: |s| children(s, "DISTRIBUTION_GROUP") == ["ID", "TITLE"],
        },
        Fragment {
            api: Api::Vm,
            file: "option_profile_info.dtd",
            since: "8.11.2",
            what: "DETECTION_INCLUDE has QRDI_CHECKS",
            holds: |s| {
                children(s, "DETECTION_INCLUDE")
                    .iter()
                    .any(|c| c == "QRDI_CHECKS")
            },
        },
        Fragment {
            api: Api::Was,
            file: "scan.xsd",
            since: "2.25",
            what: "WasScanResultStatus has SCANNER_NOT_AVAILABLE",
            holds: |s| {
                s.named_simple_types
                    .get("WasScanResultStatus")
                    .is_some_and(|&t| {
                        enumeration(s, t)
                            .iter()
                            .any(|v| v == "SCANNER_NOT_AVAILABLE")
                    })
            },
        },
        Fragment {
            api: Api::Was,
            file: "optionprofile.xsd",
            since: "2019-notes",
            what: "detectionScope allows EVERYTHING",
            holds: |s| {
                elements_named(s, "detectionScope")
                    .filter_map(|e| text_type(s, e))
                    .any(|t| enumeration(s, t).iter().any(|v| v == "EVERYTHING"))
            },
        },
        Fragment {
            api: Api::Was,
            file: "finding.xsd",
            since: "2019-notes",
            what: "Finding has uniqueId with the UUID pattern",
            holds: |s| {
                elements_named(s, "uniqueId")
                    .filter_map(|e| text_type(s, e))
                    .any(|t| patterns(s, t).iter().any(|p| p == UNIQUE_ID))
            },
        },
    ]
}

#[test]
fn fragments_appear_from_their_release_on_and_not_before() {
    let schemas = repo_root().join("schemas");
    let catalog = Catalog::load(&schemas).expect("catalog loads");
    for f in fragments() {
        let versions = catalog.versions(f.api);
        let since = versions
            .iter()
            .position(|v| v.label == f.since)
            .unwrap_or_else(|| panic!("no version {} of {}", f.since, f.api));
        assert!(
            since > 0,
            "{}: there must be a version before {}",
            f.what,
            f.since
        );
        for (i, v) in versions.iter().enumerate() {
            let Some(rel) = catalog.file_path(f.api, &v.label, f.file) else {
                continue;
            };
            let schema = qschema_model::load_file(&schemas.join(&rel)).expect("schema loads");
            let expected = i >= since;
            assert_eq!(
                (f.holds)(&schema),
                expected,
                "{} in {}/{}: expected {}",
                f.what,
                v.label,
                f.file,
                if expected { "present" } else { "absent" }
            );
        }
    }
}
