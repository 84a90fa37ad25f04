//! The XSD front end on the schema text of the release notes (`../shared/seeds`, read in place):
//! seed 003 shows the `detection` element that optionprofile.xsd gained in 2019. Its element
//! declaration is cut out of the note (the surrounding schema is elided there), repaired of
//! the PDF garbling the seeds README lists, put into a minimal schema with stand-ins for the
//! two types the excerpt references, and lowered.

use std::path::{Path, PathBuf};

use qschema_model::{
    xsd, Builtin, Content, ElementType, MemoryResolver, Schema, Term, ValueConstraint,
};

/// `../shared/seeds` beside the repository, if present (required when
/// `QSCHEMA_REQUIRE_SHARED=1`, as in CI).
fn seeds() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("QSCHEMA_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        panic!("../shared is required (QSCHEMA_REQUIRE_SHARED=1) but missing");
    }
    println!("skipped: ../shared not present");
    None
}

/// Load the seed excerpt `element` (one local `xs:element`) as the content of a complex type
/// `Excerpt`, in a schema with the `extra` declarations.
fn check(element: &str, extra: &str) -> Schema {
    let text = format!(
        "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" elementFormDefault=\"qualified\">\n<xs:complexType name=\"Excerpt\"><xs:all>\n{element}\n</xs:all></xs:complexType>\n{extra}\n</xs:schema>\n"
    );
    xsd::load_str(&text, Path::new("seed-003.xsd"), &MemoryResolver::new())
        .unwrap_or_else(|e| panic!("the seed's declaration must load:\n{e}\n{text}"))
}

#[test]
fn detection_scope_from_the_2019_release_note() {
    let Some(dir) = seeds() else {
        return;
    };
    let note = std::fs::read_to_string(dir.join("003_2e34ab0db4c1ef6a.txt")).expect("seed 003");
    let start = note
        .find("<xs:element name=\"detection\"")
        .expect("the note shows the detection element");
    let end = note[start..]
        .find("</xs:element>\n\n")
        .map(|i| start + i + "</xs:element>".len())
        .expect("end of the detection element");
    let element = &note[start..end];
    let stand_ins = r#"<xs:complexType name="DetectionCategoryList"/>
<xs:complexType name="SearchListlist"/>"#;
    let schema = check(element, stand_ins);
    let Content::Elements { particle, .. } = &schema
        .complex_type(schema.named_complex_types["Excerpt"])
        .content
    else {
        panic!("the wrapper has element content");
    };
    let Term::All(wrapped) = &particle.term else {
        panic!("xs:all");
    };
    let Term::Element(detection) = wrapped[0].term else {
        panic!("detection");
    };
    assert_eq!(schema.element(detection).name, "detection");
    assert_eq!(wrapped[0].min, 0);
    let ElementType::Complex(ty) = schema.element(detection).ty else {
        panic!("detection has a complex type");
    };
    let Content::Elements { particle, .. } = &schema.complex_type(ty).content else {
        panic!("detection has element content");
    };
    let Term::Sequence(children) = &particle.term else {
        panic!("a sequence");
    };
    let names: Vec<&str> = children
        .iter()
        .map(|p| match p.term {
            Term::Element(id) => schema.element(id).name.as_str(),
            _ => "?",
        })
        .collect();
    assert_eq!(
        names,
        [
            "detectionScope",
            "xssPowerMode",
            "detectionCategories",
            "includedSearchlLists",
            "excludedSearchlLists"
        ]
    );
    assert!(children.iter().all(|p| p.min == 0));
    let Term::Element(scope) = children[0].term else {
        panic!("detectionScope");
    };
    let scope = schema.element(scope);
    assert_eq!(
        scope.value_constraint,
        Some(ValueConstraint::Default("CORE".to_string()))
    );
    let ElementType::Simple(scope_type) = scope.ty else {
        panic!("detectionScope is simple");
    };
    assert_eq!(schema.builtin_base(scope_type), Some(Builtin::String));
    let st = schema.simple_type(scope_type);
    assert!(st.name.is_none(), "an anonymous enumeration");
    assert_eq!(st.facets.enumeration, ["CORE", "EVERYTHING"]);
    // Located in the wrapper: the excerpt starts on line 3.
    assert_eq!(schema.element(detection).location.line, 3);
}

#[test]
fn the_garbled_excerpts_are_reported_not_guessed() {
    let Some(dir) = seeds() else {
        return;
    };
    // The notes' excerpts as printed (with the PDF's `7?>` and elisions) are not schemas.
    let note = std::fs::read_to_string(dir.join("003_2e34ab0db4c1ef6a.txt")).expect("seed 003");
    let start = note.find("<?xml version").expect("an excerpt");
    let end = note[start..].find("</xs:schema>").expect("its end") + start + "</xs:schema>".len();
    let err = xsd::load_str(
        &note[start..end],
        Path::new("excerpt.xsd"),
        &MemoryResolver::new(),
    )
    .expect_err("the printed excerpt is not well-formed");
    let d = &err.diagnostics()[0];
    assert_eq!(
        (d.line, d.message.contains("not well-formed")),
        (1, true),
        "{d}"
    );
}
