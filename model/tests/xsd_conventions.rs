//! The lowering conventions other crates rely on, checked on the IR itself (the dump snapshots
//! show the shape; these check ids, scopes, sharing and locations that a dump cannot).

mod xsd_common;

use std::path::Path;

use qschema_model::{
    xsd, Builtin, ComplexTypeId, Content, DerivationMethod, ElementId, ElementScope, ElementType,
    FsResolver, MaxOccurs, MemoryResolver, NamespaceConstraint, Particle, ProcessContents, Schema,
    Term, TypeRef,
};

/// Load a well-formed fixture by name.
fn check(name: &str) -> Schema {
    let (_, path) = xsd_common::fixtures("wellformed")
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no fixture {name}"));
    xsd::load(&path, &FsResolver).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn particle(schema: &Schema, ty: ComplexTypeId) -> &Particle {
    match &schema.complex_type(ty).content {
        Content::Elements { particle, .. } => particle,
        other => panic!("expected element content, got {other:?}"),
    }
}

fn element_ids(p: &Particle, out: &mut Vec<ElementId>) {
    match &p.term {
        Term::Element(id) => out.push(*id),
        Term::Sequence(v) | Term::Choice(v) | Term::All(v) => {
            v.iter().for_each(|c| element_ids(c, out))
        }
        Term::Any(_) => {}
    }
}

fn complex(schema: &Schema, id: ElementId) -> ComplexTypeId {
    match schema.element(id).ty {
        ElementType::Complex(c) => c,
        other => panic!("expected a complex type, got {other:?}"),
    }
}

fn named(schema: &Schema, name: &str) -> ComplexTypeId {
    schema.named_complex_types[name]
}

#[test]
fn local_elements_are_separate_declarations_scoped_to_their_type() {
    let s = check("local_same_name");
    let root = s.global("ServiceResponse").expect("global");
    let owner = complex(&s, root);
    let mut ids = Vec::new();
    element_ids(particle(&s, owner), &mut ids);
    let outer_id = ids[0];
    assert_eq!(s.element(outer_id).name, "id");
    assert_eq!(s.element(outer_id).scope, ElementScope::Local(owner));
    assert_eq!(
        s.element(outer_id).ty,
        ElementType::Simple(Builtin::Long.id())
    );
    let target_type = complex(&s, ids[1]);
    let mut inner = Vec::new();
    element_ids(particle(&s, target_type), &mut inner);
    let inner_id = inner[0];
    assert_eq!(s.element(inner_id).name, "id");
    assert_ne!(inner_id, outer_id);
    assert_eq!(s.element(inner_id).scope, ElementScope::Local(target_type));
    assert_eq!(
        s.element(inner_id).ty,
        ElementType::Simple(Builtin::String.id())
    );
    // The global `id` is yet another declaration.
    let global_id = s.global("id").expect("global id");
    assert!(global_id != inner_id && global_id != outer_id);
    assert_eq!(s.element(global_id).scope, ElementScope::Global);
    // One local `type` is simple (anonymous enumeration), the other complex.
    assert!(
        matches!(s.element(inner[1]).ty, ElementType::Simple(st) if s.simple_type(st).name.is_none())
    );
    assert!(
        matches!(s.element(ids[2]).ty, ElementType::Complex(c) if s.complex_type(c).name.is_none())
    );
}

#[test]
fn refs_point_at_the_global_declaration_and_recursion_works() {
    let s = check("recursion");
    let rule = s.global("Rule").expect("Rule");
    let mut ids = Vec::new();
    element_ids(particle(&s, complex(&s, rule)), &mut ids);
    assert_eq!(ids[0], rule, "ref=Rule is the global Rule itself");
    let tag = named(&s, "Tag");
    let mut ids = Vec::new();
    element_ids(particle(&s, tag), &mut ids);
    let children = complex(&s, ids[1]);
    let mut inner = Vec::new();
    element_ids(particle(&s, children), &mut inner);
    assert_eq!(s.element(inner[0]).ty, ElementType::Complex(tag));
}

#[test]
fn untyped_elements_share_one_any_type() {
    let s = check("element_values");
    let any = complex(&s, s.global("Anything").expect("Anything"));
    let options = complex(&s, s.global("Options").expect("Options"));
    let mut ids = Vec::new();
    element_ids(particle(&s, options), &mut ids);
    assert_eq!(complex(&s, ids[1]), any, "no type = the same anyType");
    assert_eq!(
        complex(&s, ids[2]),
        any,
        "type=\"xs:anyType\" = the same anyType"
    );
    let ty = s.complex_type(any);
    assert_eq!(ty.name.as_deref(), Some("anyType"));
    assert!(!s.named_complex_types.contains_key("anyType"));
    let Content::Elements { particle, mixed } = &ty.content else {
        panic!("anyType content")
    };
    assert!(*mixed);
    assert_eq!((particle.min, particle.max), (0, MaxOccurs::Unbounded));
    let Term::Any(w) = &particle.term else {
        panic!("anyType particle")
    };
    assert_eq!(w.namespaces, NamespaceConstraint::Any);
    assert_eq!(w.process_contents, ProcessContents::Lax);
    let aw = ty.any_attribute.as_ref().expect("any attribute");
    assert_eq!(
        (&aw.namespaces, aw.process_contents),
        (&NamespaceConstraint::Any, ProcessContents::Lax)
    );
    let anys = s
        .complex_types
        .iter()
        .filter(|t| t.name.as_deref() == Some("anyType"))
        .count();
    assert_eq!(anys, 1);
}

#[test]
fn model_groups_are_expanded_with_fresh_declarations_per_use() {
    let s = check("groups");
    let (user, tag) = (named(&s, "User"), named(&s, "Tag"));
    let (mut a, mut b) = (Vec::new(), Vec::new());
    element_ids(particle(&s, user), &mut a);
    element_ids(particle(&s, tag), &mut b);
    assert_eq!(s.element(a[0]).name, "id");
    assert_eq!(s.element(b[0]).name, "id");
    assert_ne!(a[0], b[0]);
    assert_eq!(s.element(a[0]).scope, ElementScope::Local(user));
    assert_eq!(s.element(b[0]).scope, ElementScope::Local(tag));
    // The group reference's occurrences are on the expanded particle.
    let p = particle(&s, tag);
    assert_eq!((p.min, p.max), (0, MaxOccurs::Unbounded));
    assert!(matches!(p.term, Term::Choice(_)));
}

#[test]
fn derivation_gives_effective_content_and_attributes() {
    let s = check("complex_content");
    let base = named(&s, "Base");
    let extended = named(&s, "Extended");
    let base_particle = particle(&s, base).clone();
    let Term::Sequence(parts) = &particle(&s, extended).term else {
        panic!("extension is a sequence")
    };
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0], base_particle, "base particle first, unchanged");
    let names: Vec<&str> = s
        .complex_type(extended)
        .attributes
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names, ["version", "legacy", "flag"]);
    let d = s.complex_type(extended).derivation.expect("derivation");
    assert_eq!(d.method, DerivationMethod::Extension);
    assert_eq!(d.base, TypeRef::Complex(base));
    let restricted = s.complex_type(named(&s, "Restricted"));
    assert_eq!(
        restricted.attributes.len(),
        1,
        "legacy prohibited, version overridden"
    );
    assert_eq!(
        restricted.derivation.map(|d| d.method),
        Some(DerivationMethod::Restriction)
    );
    // Extension of an empty type: just the own particle.
    assert!(matches!(
        particle(&s, named(&s, "FromEmpty")).term,
        Term::Choice(_)
    ));
}

#[test]
fn empty_and_mixed_conventions() {
    let s = check("empty_and_mixed");
    assert_eq!(s.complex_type(named(&s, "Marker")).content, Content::Empty);
    assert_eq!(
        s.complex_type(named(&s, "EmptySequence")).content,
        Content::Empty
    );
    assert_eq!(
        s.complex_type(named(&s, "Text")).content,
        Content::Simple(Builtin::String.id())
    );
    assert!(matches!(
        s.complex_type(named(&s, "Paragraph")).content,
        Content::Elements { mixed: true, .. }
    ));
}

#[test]
fn simple_content_restriction_makes_an_anonymous_restriction_of_the_base_content() {
    let s = check("simple_content");
    let Content::Simple(st) = s.complex_type(named(&s, "ShortCriteria")).content else {
        panic!("simple content")
    };
    let t = s.simple_type(st);
    assert!(t.name.is_none());
    assert_eq!(t.facets.max_length, Some(64));
    assert_eq!(s.builtin_base(st), Some(Builtin::String));
}

#[test]
fn every_declaration_is_located() {
    for (name, path) in xsd_common::fixtures("wellformed") {
        let s = xsd::load(&path, &FsResolver).unwrap_or_else(|e| panic!("{name}: {e}"));
        let any = s
            .complex_types
            .iter()
            .position(|t| t.name.as_deref() == Some("anyType"));
        for e in &s.elements {
            assert!(e.location.line > 0, "{name}: element {} unlocated", e.name);
        }
        for (i, t) in s.complex_types.iter().enumerate() {
            if Some(i) != any {
                assert!(
                    t.location.line > 0,
                    "{name}: complex type {:?} unlocated",
                    t.name
                );
                for a in &t.attributes {
                    assert!(
                        a.location.line > 0,
                        "{name}: attribute {} unlocated",
                        a.name
                    );
                    assert_ne!(
                        a.use_,
                        qschema_model::AttributeUseKind::Prohibited,
                        "{name}: prohibited uses are removed or dropped"
                    );
                }
                if let Content::Elements { particle, .. } = &t.content {
                    let mut stack = vec![particle];
                    while let Some(p) = stack.pop() {
                        assert!(p.location.line > 0, "{name}: particle unlocated");
                        if let Term::Sequence(v) | Term::Choice(v) | Term::All(v) = &p.term {
                            stack.extend(v.iter());
                        }
                    }
                }
            }
        }
        for t in s.simple_types.iter().filter(|t| t.builtin.is_none()) {
            assert!(
                t.location.line > 0,
                "{name}: simple type {:?} unlocated",
                t.name
            );
        }
        for f in &s.files {
            assert!(
                !f.display.starts_with('/'),
                "{name}: absolute display {}",
                f.display
            );
        }
    }
}

#[test]
fn load_str_through_a_memory_resolver_matches_the_file_system() {
    let (_, path) = xsd_common::fixtures("wellformed")
        .into_iter()
        .find(|(n, _)| n == "include_import")
        .expect("fixture");
    let dir = path.parent().expect("folder");
    let mut mem = MemoryResolver::new();
    for f in ["common/types.xsd", "common/more.xsd", "common/shared.xsd"] {
        let text = std::fs::read_to_string(dir.join(f)).expect("read");
        mem.insert(Path::new("virtual/was").join(f), text);
    }
    let main = std::fs::read_to_string(&path).expect("read");
    let s = xsd::load_str(&main, Path::new("virtual/was/main.xsd"), &mem).expect("loads");
    let from_disk = xsd::load(&path, &FsResolver).expect("loads");
    assert_eq!(
        qschema_model::dump::dump(&s),
        qschema_model::dump::dump(&from_disk)
    );
    let displays: Vec<&str> = s.files.iter().map(|f| f.display.as_str()).collect();
    assert_eq!(
        displays,
        [
            "main.xsd",
            "common/types.xsd",
            "common/shared.xsd",
            "common/more.xsd"
        ]
    );
}

/// Every prefix of every fixture, every fixture with one attribute value blanked or one line
/// deleted or doubled, loads or fails with located diagnostics; nothing panics.
#[test]
fn damaged_schemas_never_panic() {
    let mut all = xsd_common::fixtures("wellformed");
    all.extend(xsd_common::fixtures("malformed"));
    for (name, path) in all {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let mut variants: Vec<String> = Vec::new();
        let step = (text.len() / 40).max(1);
        let mut cut = 0;
        while cut < text.len() {
            if text.is_char_boundary(cut) {
                variants.push(text[..cut].to_string());
            }
            cut += step;
        }
        let quotes: Vec<usize> = text.match_indices('"').map(|(i, _)| i).collect();
        for pair in quotes.chunks(2).step_by(3) {
            if let [a, b] = pair {
                variants.push(format!("{}\"\"{}", &text[..*a], &text[*b + 1..]));
                variants.push(format!("{}\"-1\"{}", &text[..*a], &text[*b + 1..]));
            }
        }
        // Random splices of XSD syntax (a fixed-seed xorshift, so failures reproduce).
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15 ^ text.len() as u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as usize
        };
        let pieces = [
            "<",
            ">",
            "\"",
            "/",
            "xs:",
            "ref=\"a\"",
            "type=\"xs:int\"",
            "minOccurs=\"5\"",
            "<xs:element name=\"q\"/>",
            "<xs:group ref=\"g\"/>",
            "</xs:sequence>",
            "<xs:sequence>",
            "é",
            "&amp;",
            "<!--",
            "unbounded",
            "base=\"T\"",
        ];
        for _ in 0..40 {
            let mut v = text.clone();
            let mut pos = next() % v.len().max(1);
            while !v.is_char_boundary(pos) {
                pos -= 1;
            }
            v.insert_str(pos, pieces[next() % pieces.len()]);
            variants.push(v);
        }
        // Every line deleted, and every line doubled (unclosed tags, duplicates, misplaced
        // declarations...).
        let lines: Vec<&str> = text.lines().collect();
        for i in 0..lines.len() {
            let mut deleted = lines.clone();
            deleted.remove(i);
            variants.push(deleted.join("\n"));
            let mut doubled = lines.clone();
            doubled.insert(i, lines[i]);
            variants.push(doubled.join("\n"));
        }
        for v in variants {
            match xsd::load_str(&v, &path, &FsResolver) {
                Ok(_) => {}
                Err(e) => {
                    for d in e.diagnostics() {
                        assert!(d.line > 0, "{name}: unlocated diagnostic {d}");
                    }
                }
            }
        }
    }
}

/// A schema with `levels` nested anonymous element types.
fn nested(levels: usize) -> String {
    let mut s = String::from(r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">"#);
    for i in 0..levels {
        s.push_str(&format!(
            "<xs:element name=\"e{i}\"><xs:complexType><xs:sequence>"
        ));
    }
    s.push_str(r#"<xs:element name="leaf" type="xs:string"/>"#);
    for _ in 0..levels {
        s.push_str("</xs:sequence></xs:complexType></xs:element>");
    }
    s.push_str("</xs:schema>");
    s
}

#[test]
fn deep_nesting_is_a_located_error_not_a_crash() {
    // Too deep for the XML parser: refused before parsing.
    let text = nested(2000);
    let err =
        xsd::load_str(&text, Path::new("deep.xsd"), &MemoryResolver::new()).expect_err("too deep");
    assert_eq!(err.diagnostics().len(), 1, "{err}");
    assert!(
        err.diagnostics()[0].message.contains("levels deep"),
        "{err}"
    );
    // Parses, but too deep for the lowering.
    let text = nested(60);
    let err =
        xsd::load_str(&text, Path::new("deep.xsd"), &MemoryResolver::new()).expect_err("too deep");
    assert_eq!(err.diagnostics().len(), 1, "{err}");
    assert!(
        err.diagnostics()[0].message.contains("nested more than"),
        "{err}"
    );
    // Just below the limit still loads.
    let ok = nested(30);
    xsd::load_str(&ok, Path::new("ok.xsd"), &MemoryResolver::new()).expect("30 levels load");
}

#[test]
fn exponential_group_expansion_is_cut_off() {
    let mut s = String::from(r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">"#);
    for i in 0..40 {
        s.push_str(&format!(
            "<xs:group name=\"g{i}\"><xs:sequence><xs:group ref=\"g{n}\"/><xs:group ref=\"g{n}\"/></xs:sequence></xs:group>",
            n = i + 1
        ));
        s.push_str(&format!(
            "<xs:attributeGroup name=\"a{i}\"><xs:attributeGroup ref=\"a{n}\"/><xs:attributeGroup ref=\"a{n}\"/></xs:attributeGroup>",
            n = i + 1
        ));
    }
    s.push_str(r#"<xs:group name="g40"><xs:sequence><xs:element name="x" type="xs:string"/></xs:sequence></xs:group>"#);
    s.push_str(r#"<xs:attributeGroup name="a40"><xs:attribute name="x"/></xs:attributeGroup>"#);
    s.push_str(r#"<xs:complexType name="T"><xs:group ref="g0"/><xs:attributeGroup ref="a0"/></xs:complexType>"#);
    s.push_str("</xs:schema>");
    let err = xsd::load_str(&s, Path::new("bomb.xsd"), &MemoryResolver::new()).expect_err("bomb");
    assert!(
        err.diagnostics()
            .iter()
            .any(|d| d.message.contains("expands to more than")),
        "{err}"
    );
}

#[test]
fn arenas_are_in_document_order_and_ids_consistent() {
    for (name, path) in xsd_common::fixtures("wellformed") {
        let s = xsd::load(&path, &FsResolver).unwrap_or_else(|e| panic!("{name}: {e}"));
        let sorted = |locs: Vec<qschema_model::Location>| locs.windows(2).all(|w| w[0] <= w[1]);
        assert!(
            sorted(s.elements.iter().map(|e| e.location).collect()),
            "{name}: elements"
        );
        assert!(
            sorted(s.complex_types.iter().map(|t| t.location).collect()),
            "{name}: complex types"
        );
        assert!(
            sorted(
                s.simple_types
                    .iter()
                    .filter(|t| t.builtin.is_none())
                    .map(|t| t.location)
                    .collect()
            ),
            "{name}: simple types"
        );
        for (key, &id) in &s.globals {
            assert_eq!(s.element(id).scope, ElementScope::Global, "{name}: {key}");
            assert!(key.ends_with(&s.element(id).name), "{name}: {key}");
        }
        for (key, &id) in &s.named_complex_types {
            assert!(key.ends_with(s.complex_type(id).name.as_deref().unwrap_or("?")));
        }
        for (key, &id) in &s.named_simple_types {
            assert!(key.ends_with(s.simple_type(id).name.as_deref().unwrap_or("?")));
        }
        // Every local declaration is in its owner's content model.
        for (i, e) in s.elements.iter().enumerate() {
            if let ElementScope::Local(owner) = e.scope {
                let mut ids = Vec::new();
                element_ids(particle(&s, owner), &mut ids);
                assert!(
                    ids.contains(&ElementId(i as u32)),
                    "{name}: {} not in its owner's content",
                    e.name
                );
            }
        }
    }
}

#[test]
fn redefinition_chains_resolve_outermost_first() {
    let s = check("redefine_chain");
    let status = s.named_simple_types["Status"];
    let element = s.global("status").expect("status");
    assert_eq!(s.element(element).ty, ElementType::Simple(status));
    let chain = s.restriction_chain(status);
    let files: Vec<&str> = chain
        .iter()
        .map(|&id| {
            let t = s.simple_type(id);
            if t.builtin.is_some() {
                "built-in"
            } else {
                s.file(t.location.file).display.as_str()
            }
        })
        .collect();
    assert_eq!(files, ["main.xsd", "middle.xsd", "base.xsd", "built-in"]);
    assert_eq!(s.simple_type(chain[3]).builtin, Some(Builtin::String));
}
