//! Edge cases of the scanner, parameter-entity expansion and lowering, on in-memory files.

use std::path::{Path, PathBuf};

use super::{load_document_dtd, load_str, parse_doctype, DocumentDtd, EXPANSION_LIMIT};
use crate::ir::{Content, ElementType, EntityValue, Schema, ValueConstraint};
use crate::{LoadError, MemoryResolver};

/// Load `main` (at `dtd/main.dtd`) with the other `files` available.
fn load(main: &str, files: &[(&str, &str)]) -> Result<Schema, LoadError> {
    let mut resolver = MemoryResolver::new();
    for (path, text) in files {
        resolver.insert(path, *text);
    }
    load_str(main, Path::new("dtd/main.dtd"), &resolver)
}

/// The diagnostics of a load that must fail, as `file:line:column: message` lines.
fn errors(main: &str, files: &[(&str, &str)]) -> Vec<String> {
    match load(main, files) {
        Ok(_) => panic!("loaded:\n{main}"),
        Err(e) => e.diagnostics().iter().map(|d| d.to_string()).collect(),
    }
}

fn content(schema: &Schema, name: &str) -> Content {
    let id = schema.global(name).expect("element exists");
    match schema.element(id).ty {
        ElementType::Complex(ty) => schema.complex_type(ty).content.clone(),
        other => panic!("{name} is {other:?}"),
    }
}

fn entity(schema: &Schema, name: &str) -> String {
    match &schema.entities[name].value {
        EntityValue::Internal(v) => v.clone(),
        other => panic!("{name} is {other:?}"),
    }
}

#[test]
fn parameter_entity_counts_as_whitespace() {
    let schema = load("<!ENTITY % e 'EMPTY'><!ELEMENT a%e;><!ELEMENT%e2;>", &[]);
    assert!(
        schema.is_err(),
        "an undeclared PE inside a declaration is an error"
    );
    let schema = load("<!ENTITY % e 'EMPTY'><!ELEMENT a%e;>", &[]).unwrap();
    assert_eq!(content(&schema, "a"), Content::Empty);
}

#[test]
fn char_reference_defers_a_parameter_entity_reference() {
    let schema = load(
        "<!ENTITY % a '&#37;b;'><!ENTITY % b 'x'><!ENTITY g '%a;'><!ENTITY h '&#38;amp;'>",
        &[],
    )
    .unwrap();
    assert_eq!(entity(&schema, "g"), "x");
    assert_eq!(entity(&schema, "h"), "&amp;");
}

#[test]
fn external_entities_resolve_against_the_declaring_file() {
    let files = [
        (
            "dtd/sub/a.ent",
            "<?xml version='1.0' encoding='UTF-8'?>\n<!ENTITY % b SYSTEM 'b.ent'>%b;",
        ),
        ("dtd/sub/b.ent", "\u{FEFF}<!ELEMENT from-b EMPTY>"),
    ];
    let schema = load("<!ENTITY % a SYSTEM 'sub/a.ent'>\n%a;", &files).unwrap();
    let displays: Vec<&str> = schema.files.iter().map(|f| f.display.as_str()).collect();
    assert_eq!(displays, ["main.dtd", "sub/a.ent", "sub/b.ent"]);
    let loc = schema.element(schema.global("from-b").unwrap()).location;
    assert_eq!(schema.display_location(loc), "sub/b.ent:1:1");
}

#[test]
fn external_entity_in_entity_value_is_included() {
    let files = [("dtd/v.ent", "<?xml encoding='UTF-8'?>from &#x66;ile")];
    let schema = load(
        "<!ENTITY % v SYSTEM 'v.ent'><!ENTITY g 'value %v;'>",
        &files,
    )
    .unwrap();
    assert_eq!(entity(&schema, "g"), "value from file");
}

#[test]
fn recursion_through_an_external_entity_value_is_an_error() {
    let files = [("dtd/r.ent", "<!ENTITY g '%r;'>")];
    let errs = errors("<!ENTITY % r SYSTEM 'r.ent'>%r;", &files);
    assert!(
        errs.iter()
            .any(|e| e.contains("recursive reference to parameter entity %r;")),
        "{errs:?}"
    );
}

#[test]
fn expansion_limit_stops_loading_once() {
    let mut dtd = String::from("<!ENTITY % l0 '0123456789012345678901234567890123456789'>\n");
    for i in 1..12 {
        dtd.push_str(&format!(
            "<!ENTITY % l{i} '{}'>\n",
            format!("%l{};", i - 1).repeat(8)
        ));
    }
    dtd.push_str("%l11;\n<!ELEMENT x (y>\n");
    let errs = errors(&dtd, &[]);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains(&EXPANSION_LIMIT.to_string()), "{errs:?}");
}

#[test]
fn wide_top_level_bomb_is_bounded() {
    // No entity value grows: the bomb is in the number of top-level references.
    let mut dtd =
        String::from("<!ENTITY % a '<!-- 0123456789012345678901234567890123456789 -->'>\n");
    dtd.push_str(&"%a;".repeat(EXPANSION_LIMIT / 40));
    let errs = errors(&dtd, &[]);
    assert!(errs[0].contains("exceeds the limit"), "{errs:?}");
}

#[test]
fn too_many_errors_stop_loading() {
    let errs = errors(&"<!BOGUS>\n".repeat(1000), &[]);
    assert_eq!(errs.len(), super::parser::MAX_DIAGNOSTICS + 1);
    assert!(errs.last().unwrap().contains("too many errors"));
}

#[test]
fn attribute_defaults_are_normalized_with_entities() {
    let schema = load(
        "<!ENTITY lt2 '&#38;#60;'><!ENTITY sp ' x  y '><!ELEMENT a EMPTY>\
         <!ATTLIST a c CDATA '&lt2;&sp;' t NMTOKENS '&sp;' f CDATA #FIXED '&#x20;&#10;'>",
        &[],
    )
    .unwrap();
    let ElementType::Complex(ty) = schema.element(schema.global("a").unwrap()).ty else {
        panic!()
    };
    let values: Vec<Option<ValueConstraint>> = schema
        .complex_type(ty)
        .attributes
        .iter()
        .map(|a| a.value_constraint.clone())
        .collect();
    assert_eq!(
        values,
        [
            Some(ValueConstraint::Default("< x  y ".into())),
            Some(ValueConstraint::Default("x y".into())),
            Some(ValueConstraint::Fixed(" \n".into())),
        ]
    );
    let errs = errors(
        "<!ENTITY lt '<'><!ENTITY raw '<'><!ELEMENT a EMPTY><!ATTLIST a c CDATA '&raw;'>",
        &[],
    );
    assert!(
        errs[0].contains("'<' is not allowed in an attribute value"),
        "{errs:?}"
    );
}

#[test]
fn crlf_and_tabs_give_exact_positions() {
    let errs = errors("<!ELEMENT a EMPTY>\r\n\r\n\t<!ELEMENT b (c d)>", &[]);
    assert_eq!(errs, ["main.dtd:3:17: expected ',', '|' or ')' in the content model of <!ELEMENT b ...>, found 'd'"]);
}

#[test]
fn internal_subset_restrictions() {
    let doctype = parse_doctype(
        "<!DOCTYPE d [\n<!ENTITY % p 'EMPTY'>\n<!ELEMENT d %p;>\n<!ENTITY % c '<![INCLUDE[ <!ELEMENT e EMPTY> ]]>'>%c;\n<!ENTITY g '%p;'>\n]>",
    )
    .unwrap();
    let input = DocumentDtd {
        document: Path::new("docs/doc.xml"),
        document_text_line: 3,
        document_text_column: 5,
        doctype: &doctype,
        external_subset: None,
    };
    let err = load_document_dtd(&input, &MemoryResolver::new()).unwrap_err();
    let errs: Vec<String> = err.diagnostics().iter().map(|d| d.to_string()).collect();
    assert_eq!(
        errs,
        [
            "doc.xml:5:13: parameter-entity references are not allowed inside markup declarations in the internal subset",
            "doc.xml:6:51: conditional sections (<![INCLUDE[ and <![IGNORE[) are only allowed in the external subset and external parameter entities",
            "doc.xml:7:12: parameter-entity reference %p; inside an entity value is not allowed in the internal subset",
        ]
    );
}

#[test]
fn document_dtd_reads_internal_then_external_subset() {
    let mut resolver = MemoryResolver::new();
    resolver.insert(
        "schemas/ext.dtd",
        "<!ELEMENT d (e)>\n<!ENTITY who 'external'>\n<!ENTITY % in-ext 'yes'>",
    );
    let doctype = parse_doctype(
        " d SYSTEM 'ext.dtd' [<!ENTITY who 'internal'><!ENTITY % ext SYSTEM '../schemas/more.ent'>%ext;]",
    )
    .unwrap();
    resolver.insert("schemas/more.ent", "<!ELEMENT e EMPTY>");
    let input = DocumentDtd {
        document: Path::new("payloads/doc.xml"),
        document_text_line: 1,
        document_text_column: 10,
        doctype: &doctype,
        external_subset: Some(PathBuf::from("schemas/ext.dtd")),
    };
    let schema = load_document_dtd(&input, &resolver).unwrap();
    assert_eq!(schema.doctype_name.as_deref(), Some("d"));
    assert_eq!(entity(&schema, "who"), "internal");
    assert!(!schema.entities["who"].external_declaration);
    let displays: Vec<&str> = schema.files.iter().map(|f| f.display.as_str()).collect();
    assert_eq!(
        displays,
        ["doc.xml", "../schemas/more.ent", "../schemas/ext.dtd"]
    );
    let e = schema.element(schema.global("e").unwrap());
    assert_eq!(
        schema.display_location(e.location),
        "../schemas/more.ent:1:1"
    );
    let who = schema.entities["who"].location;
    assert_eq!(schema.display_location(who), "doc.xml:1:31");
}

#[test]
fn missing_external_subset_is_an_io_error() {
    let doctype = parse_doctype("<!DOCTYPE d SYSTEM 'nowhere.dtd'>").unwrap();
    let input = DocumentDtd {
        document: Path::new("doc.xml"),
        document_text_line: 1,
        document_text_column: 1,
        doctype: &doctype,
        external_subset: Some(PathBuf::from("nowhere.dtd")),
    };
    assert!(matches!(
        load_document_dtd(&input, &MemoryResolver::new()),
        Err(LoadError::Io { .. })
    ));
}

#[test]
fn pe_frames_end_inside_literals_are_errors_not_panics() {
    let files = [("dtd/half.ent", "<!ATTLIST a b CDATA 'unterminated")];
    let errs = errors(
        "<!ELEMENT a EMPTY><!ENTITY % h SYSTEM 'half.ent'>%h;'>",
        &files,
    );
    assert_eq!(errs[0], "half.ent:1:21: unterminated value for attribute 'b': no closing ' before the end of the entity");
}

#[test]
fn entity_used_before_declaration_is_an_error_only_in_a_lone_internal_subset() {
    let load_doc = |decl: &str| {
        let doctype = parse_doctype(decl).unwrap();
        let input = DocumentDtd {
            document: Path::new("doc.xml"),
            document_text_line: 1,
            document_text_column: 1,
            doctype: &doctype,
            external_subset: None,
        };
        load_document_dtd(&input, &MemoryResolver::new())
    };
    let subset = "[<!ELEMENT doc EMPTY><!ATTLIST doc a CDATA '&e;'><!ENTITY e 'v'>]>";
    let err = load_doc(&format!("<!DOCTYPE doc {subset}")).unwrap_err();
    assert!(
        err.to_string()
            .contains("doc.xml:1:58: the default value refers to entity &e;"),
        "{err}"
    );
    let schema = load_doc(&format!("<!DOCTYPE doc SYSTEM 'x.dtd' {subset}")).unwrap();
    let rules: Vec<&str> = schema.findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(rules, ["dtd-undeclared-entity"]);
}

#[test]
fn particles_types_and_attributes_are_located_exactly() {
    let schema = load(
        "<!ELEMENT a (b, (c | d)*)>\n  <!ATTLIST a x (p|q) #IMPLIED>\n<!ELEMENT m (#PCDATA | b)*>",
        &[],
    )
    .unwrap();
    let at = |loc| schema.display_location(loc);
    let a = schema.element(schema.global("a").unwrap());
    assert_eq!(at(a.location), "main.dtd:1:1");
    let ElementType::Complex(ty) = a.ty else {
        panic!()
    };
    let ty = schema.complex_type(ty);
    assert_eq!(at(ty.location), "main.dtd:1:1");
    let Content::Elements {
        particle,
        mixed: false,
    } = &ty.content
    else {
        panic!()
    };
    assert_eq!(at(particle.location), "main.dtd:1:13");
    let crate::ir::Term::Sequence(items) = &particle.term else {
        panic!()
    };
    let locations: Vec<String> = items.iter().map(|p| at(p.location)).collect();
    assert_eq!(locations, ["main.dtd:1:14", "main.dtd:1:17"]);
    let crate::ir::Term::Choice(inner) = &items[1].term else {
        panic!()
    };
    assert_eq!(at(inner[1].location), "main.dtd:1:22");
    let attribute = &ty.attributes[0];
    assert_eq!(at(attribute.location), "main.dtd:2:15");
    assert_eq!(
        at(schema.simple_type(attribute.ty).location),
        "main.dtd:2:15"
    );
    let c = schema.element(schema.global("c").unwrap());
    assert_eq!(
        (at(c.location), c.ty),
        ("main.dtd:1:18".to_string(), ElementType::Undeclared)
    );
    let m = schema.element(schema.global("m").unwrap());
    let ElementType::Complex(mty) = m.ty else {
        panic!()
    };
    let Content::Elements {
        particle,
        mixed: true,
    } = &schema.complex_type(mty).content
    else {
        panic!()
    };
    assert_eq!(at(particle.location), "main.dtd:3:13");
    let crate::ir::Term::Choice(names) = &particle.term else {
        panic!()
    };
    assert_eq!(at(names[0].location), "main.dtd:3:24");
}

/// The two examples of XML 1.0 Appendix D (expansion of entity and character references).
#[test]
fn appendix_d_examples() {
    let schema = load(
        "<!ENTITY example \"<p>An ampersand (&#38;#38;) may be escaped numerically (&#38;#38;#38;) or with a general entity (&amp;amp;).</p>\" >\n\
         <!ENTITY % xx '&#37;zz;'>\n\
         <!ENTITY % zz '&#60;!ENTITY tricky \"error-prone\" >' >\n\
         %xx;",
        &[],
    )
    .unwrap();
    assert_eq!(
        entity(&schema, "example"),
        "<p>An ampersand (&#38;) may be escaped numerically (&#38;#38;) or with a general entity (&amp;amp;).</p>"
    );
    assert_eq!(entity(&schema, "tricky"), "error-prone");
    assert_eq!(
        schema.display_location(schema.entities["tricky"].location),
        "main.dtd:4:1"
    );
}

#[test]
fn deep_parameter_entity_chains_hit_the_nesting_limit() {
    let mut dtd = String::from("<!ENTITY % p0 '<!ELEMENT deep EMPTY>'>\n");
    for i in 1..=1000 {
        dtd.push_str(&format!("<!ENTITY % p{i} '&#37;p{};'>\n", i - 1));
    }
    dtd.push_str("%p1000;\n");
    let errs = errors(&dtd, &[]);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("nested more than"), "{errs:?}");
    dtd = dtd.replace("%p1000;", "%p150;");
    let schema = load(&dtd, &[]).unwrap();
    assert!(schema.global("deep").is_some());
}

#[cfg(unix)]
#[test]
fn devices_and_directories_are_not_read_as_entities() {
    let resolver = crate::FsResolver;
    let dtd = "<!ENTITY % zero SYSTEM '/dev/zero'>%zero;\n<!ENTITY % dir SYSTEM '/'>%dir;";
    let err = load_str(dtd, Path::new("main.dtd"), &resolver).unwrap_err();
    let errs: Vec<String> = err.diagnostics().iter().map(|d| d.to_string()).collect();
    assert_eq!(
        errs,
        [
            "main.dtd:1:36: external parameter entity %zero; ('/dev/zero') is not a regular file; not read",
            "main.dtd:2:27: external parameter entity %dir; ('/') is not a regular file; not read",
        ]
    );
}

#[cfg(unix)]
#[test]
fn a_device_is_not_read_as_a_dtd() {
    let err = super::load(Path::new("/dev/zero"), &crate::FsResolver).unwrap_err();
    assert!(err.to_string().contains("is not a regular file"), "{err}");
}

#[test]
fn declaration_cut_by_a_pe_between_declarations_is_an_error() {
    // WFC: PE Between Declarations (the PE starts a declaration that ends after it).
    let errs = errors("<!ENTITY % start \"<!ELEMENT leopard \">\n%start;ANY>", &[]);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("WFC: PE Between Declarations"), "{errs:?}");
    // Inside a declaration it is only the validity constraint (a finding).
    let schema = load(
        "<!ENTITY % open \"(a\">\n<!ELEMENT e %open;)>\n<!ELEMENT a EMPTY>",
        &[],
    )
    .unwrap();
    assert!(schema.findings.iter().any(|f| f.rule == "dtd-pe-nesting"));
    // Whole declarations in a PE between declarations are fine.
    let schema = load("<!ENTITY % decls \"<!ELEMENT a EMPTY>\">\n%decls;", &[]).unwrap();
    assert!(schema.findings.is_empty(), "{:?}", schema.findings);
}

#[test]
fn parameter_entity_references_are_recorded() {
    let with = load("<!ENTITY % e \"<!ELEMENT a EMPTY>\">\n%e;", &[]).unwrap();
    assert!(with.references_parameter_entities);
    let undeclared = load("<!ELEMENT a EMPTY>\n%nowhere;", &[]).unwrap();
    assert!(undeclared.references_parameter_entities);
    let without = load(
        "<!ENTITY % e \"x\">\n<!ELEMENT a EMPTY>\n<!-- %e; -->\n<?pi %e;?>\n<!ATTLIST a x CDATA \"%e;\">",
        &[],
    );
    assert!(!without.unwrap().references_parameter_entities);
}
