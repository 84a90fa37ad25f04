//! Data-driven tests of simple-type value checking.
//!
//! Every `tests/fixtures/datatypes/<group>/<name>.toml` declares user types (`[[type]]`, built
//! by hand into a `Schema`, in order; `xs:NAME` names a built-in) and cases (`[[case]]`: a type,
//! values that must be valid and values that must be invalid). The messages of the invalid
//! values are snapshotted per fixture. `problems/` fixtures also snapshot the schema problems
//! `SimpleTypeChecker::new` reports; `xsd/` fixtures build the schema from an XSD string.

use std::collections::HashMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use qschema_model::{
    Builtin, Content, ElementType, Facets, FileId, Location, Schema, SchemaKind, SimpleType,
    SimpleTypeId, SourceFile, Variety, WhiteSpace,
};
use qschema_validator::datatypes::{InScope, SimpleTypeChecker};
use serde::Deserialize;

#[path = "datatypes/xmllint.rs"]
mod xmllint;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    /// An XSD schema text (for `xsd/` fixtures) instead of `[[type]]` tables.
    schema: Option<String>,
    #[serde(default, rename = "type")]
    types: Vec<TypeDef>,
    #[serde(default, rename = "case")]
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TypeDef {
    name: String,
    #[serde(default)]
    anonymous: bool,
    base: Option<String>,
    list: Option<String>,
    union: Option<Vec<String>>,
    length: Option<u64>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    #[serde(default)]
    pattern: Vec<String>,
    #[serde(default)]
    enumeration: Vec<String>,
    white_space: Option<String>,
    min_inclusive: Option<String>,
    min_exclusive: Option<String>,
    max_inclusive: Option<String>,
    max_exclusive: Option<String>,
    total_digits: Option<u32>,
    fraction_digits: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    #[serde(rename = "type")]
    ty: String,
    valid: Vec<String>,
    invalid: Vec<String>,
    /// Values where xmllint's verdict differs from ours (the fixture says why).
    #[serde(default)]
    xmllint_differs: Vec<String>,
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/datatypes")
}

/// Resolve a type reference: `xs:NAME`, a fixture/XSD type name, `element:NAME` (the simple
/// type or simple content of a global element) or `attribute:ELEMENT/@NAME`.
fn resolve(schema: &Schema, names: &HashMap<String, SimpleTypeId>, r: &str) -> SimpleTypeId {
    if let Some((element, attribute)) = r
        .strip_prefix("attribute:")
        .and_then(|p| p.split_once("/@"))
    {
        let id = schema
            .global(element)
            .unwrap_or_else(|| panic!("no element {element}"));
        let ElementType::Complex(c) = schema.element(id).ty else {
            panic!("element {element} has no attributes");
        };
        return schema
            .complex_type(c)
            .attributes
            .iter()
            .find(|a| a.name == attribute)
            .unwrap_or_else(|| panic!("no attribute {attribute} on {element}"))
            .ty;
    }
    if let Some(element) = r.strip_prefix("element:") {
        let id = schema
            .global(element)
            .unwrap_or_else(|| panic!("no element {element}"));
        return match schema.element(id).ty {
            ElementType::Simple(t) => t,
            ElementType::Complex(c) => match schema.complex_type(c).content {
                Content::Simple(t) => t,
                _ => panic!("element {element} has no simple content"),
            },
            ElementType::Undeclared => panic!("element {element} undeclared"),
        };
    }
    if let Some(local) = r.strip_prefix("xs:") {
        return Builtin::from_name(local)
            .unwrap_or_else(|| panic!("unknown built-in {r}"))
            .id();
    }
    names
        .get(r)
        .copied()
        .or_else(|| schema.named_simple_types.get(r).copied())
        .unwrap_or_else(|| panic!("unknown type {r}"))
}

fn build_schema(path: &Path, fixture: &Fixture) -> (Schema, HashMap<String, SimpleTypeId>) {
    let display = path.file_name().unwrap().to_string_lossy().to_string();
    let mut names = HashMap::new();
    if let Some(xsd) = &fixture.schema {
        let resolver = qschema_model::MemoryResolver::default();
        let schema = qschema_model::xsd::load_str(xsd, Path::new(&display), &resolver)
            .unwrap_or_else(|e| panic!("{display}: schema does not load: {e}"));
        return (schema, names);
    }
    let mut schema = Schema::new(SchemaKind::Xsd, SourceFile::new(path, display));
    for (i, def) in fixture.types.iter().enumerate() {
        let variety = match (&def.base, &def.list, &def.union) {
            (Some(b), None, None) => Variety::Restriction {
                base: resolve(&schema, &names, b),
            },
            (None, Some(item), None) => Variety::List {
                item: resolve(&schema, &names, item),
            },
            (None, None, Some(members)) => Variety::Union {
                members: members
                    .iter()
                    .map(|m| resolve(&schema, &names, m))
                    .collect(),
            },
            _ => panic!("type {}: exactly one of base, list, union", def.name),
        };
        let white_space = def.white_space.as_deref().map(|w| match w {
            "preserve" => WhiteSpace::Preserve,
            "replace" => WhiteSpace::Replace,
            "collapse" => WhiteSpace::Collapse,
            other => panic!("bad white_space {other}"),
        });
        let facets = Facets {
            length: def.length,
            min_length: def.min_length,
            max_length: def.max_length,
            patterns: def.pattern.clone(),
            enumeration: def.enumeration.clone(),
            enumeration_namespaces: Vec::new(),
            white_space,
            max_inclusive: def.max_inclusive.clone(),
            max_exclusive: def.max_exclusive.clone(),
            min_inclusive: def.min_inclusive.clone(),
            min_exclusive: def.min_exclusive.clone(),
            total_digits: def.total_digits,
            fraction_digits: def.fraction_digits,
            fixed: Vec::new(),
        };
        let id = schema.push_simple_type(SimpleType {
            name: (!def.anonymous).then(|| def.name.clone()),
            builtin: None,
            variety,
            facets,
            documentation: Vec::new(),
            location: Location {
                file: FileId(0),
                line: i as u32 + 1,
                column: 1,
            },
        });
        if !def.anonymous {
            schema.named_simple_types.insert(def.name.clone(), id);
        }
        names.insert(def.name.clone(), id);
    }
    (schema, names)
}

/// Run one fixture: returns the snapshot text and pushes unexpected verdicts to `failures`.
fn check(path: &Path, failures: &mut Vec<String>) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let fixture: Fixture =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (schema, names) = build_schema(path, &fixture);
    let (checker, problems) = SimpleTypeChecker::new_lenient(&schema);
    let mut out = String::new();
    if !problems.is_empty() {
        out.push_str("schema problems:\n");
        for p in &problems {
            writeln!(out, "  {p}").unwrap();
        }
        let strict =
            SimpleTypeChecker::new(&schema).expect_err("new must fail when there are problems");
        assert_eq!(strict.problems, problems);
    }
    let file = path.file_name().unwrap().to_string_lossy();
    for case in &fixture.cases {
        let ty = resolve(&schema, &names, &case.ty);
        for value in &case.valid {
            if let Err(e) = checker.check(&schema, ty, value) {
                failures.push(format!(
                    "{file}: {} {value:?} should be valid: {e}",
                    case.ty
                ));
            }
        }
        for value in &case.invalid {
            match checker.check(&schema, ty, value) {
                Ok(()) => failures.push(format!("{file}: {} {value:?} should be invalid", case.ty)),
                Err(e) => {
                    writeln!(
                        out,
                        "{} {value:?}\n  {}\n  expected: {}",
                        case.ty, e.message, e.expected
                    )
                    .unwrap();
                }
            }
        }
    }
    out
}

fn run_group(group: &str) {
    let dir = fixtures_dir().join(group);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures in {}", dir.display());
    let mut failures = Vec::new();
    for path in &paths {
        let out = check(path, &mut failures);
        let stem = path.file_stem().unwrap().to_string_lossy();
        insta::assert_snapshot!(format!("{group}__{stem}"), out);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn builtins() {
    run_group("builtins");
}

#[test]
fn facets() {
    run_group("facets");
}

#[test]
fn schema_problems() {
    run_group("problems");
}

#[test]
fn from_xsd() {
    run_group("xsd");
}

/// The fixtures agree with xmllint except where they say otherwise (see `datatypes/xmllint.rs`).
#[test]
fn fixtures_agree_with_xmllint() {
    if !xmllint::available() {
        println!("skipped: xmllint not installed");
        return;
    }
    let mut problems = Vec::new();
    for group in ["builtins", "facets", "xsd"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures_dir().join(group))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            let fixture: Fixture =
                toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            problems.extend(xmllint::compare(&path, &fixture));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_builtin_has_a_fixture_case() {
    let mut seen = std::collections::HashSet::new();
    for entry in std::fs::read_dir(fixtures_dir().join("builtins")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let fixture: Fixture = toml::from_str(&text).unwrap();
        seen.extend(fixture.cases.into_iter().map(|c| c.ty));
    }
    let missing: Vec<_> = Builtin::ALL
        .iter()
        .map(|b| format!("xs:{}", b.name()))
        .filter(|n| !seen.contains(n))
        .collect();
    assert!(
        missing.is_empty(),
        "built-ins without a fixture case: {missing:?}"
    );
}

#[test]
fn messages_match_the_xmllint_style() {
    let schema = Schema::new(SchemaKind::Xsd, SourceFile::new("t.xsd", "t.xsd"));
    let checker = SimpleTypeChecker::new(&schema).unwrap();
    let e = checker
        .check(&schema, Builtin::Boolean.id(), ">false")
        .unwrap_err();
    assert_eq!(
        e.message,
        "'>false' is not a valid value of the atomic type 'xs:boolean'"
    );
    assert_eq!(e.expected, "xs:boolean (true, false, 1, 0)");
}

#[test]
fn qname_prefixes_are_checked_through_the_hook() {
    let schema = Schema::new(SchemaKind::Xsd, SourceFile::new("t.xsd", "t.xsd"));
    let checker = SimpleTypeChecker::new(&schema).unwrap();
    let resolve = |p: &str| match p {
        "xs" => Some(Some("http://www.w3.org/2001/XMLSchema".to_string())),
        "" => Some(None),
        _ => None,
    };
    let bound = InScope {
        namespaces: &resolve,
        unparsed_entity: &|_: &str| false,
    };
    let q = Builtin::QName.id();
    assert!(checker
        .check_in_scope(&schema, q, "xs:string", &bound)
        .is_ok());
    assert!(checker.check_in_scope(&schema, q, "local", &bound).is_ok());
    let e = checker
        .check_in_scope(&schema, q, "p:x", &bound)
        .unwrap_err();
    insta::assert_snapshot!(format!("{}\nexpected: {}", e.message, e.expected));
}

/// A QName enumeration compares expanded names when the document's bindings are given: the
/// schema's `p:a` (p = urn:p) is the document's `q:a` when q = urn:p, and not its `p:a`
/// when p = urn:other there. Without bindings, names compare as written.
#[test]
fn qname_enumerations_compare_namespace_and_local_name() {
    let mut schema = Schema::new(SchemaKind::Xsd, SourceFile::new("t.xsd", "t.xsd"));
    let ty = schema.push_simple_type(SimpleType {
        name: Some("names".into()),
        builtin: None,
        variety: Variety::Restriction {
            base: Builtin::QName.id(),
        },
        facets: Facets {
            enumeration: vec!["p:a".into(), "b".into()],
            enumeration_namespaces: vec![("p".into(), "urn:p".into()), ("".into(), "urn:d".into())],
            ..Facets::default()
        },
        documentation: Vec::new(),
        location: Location::default(),
    });
    let checker = SimpleTypeChecker::new(&schema).unwrap();
    let in_doc = |bindings: &[(&str, &str)], p: &str| -> Option<Option<String>> {
        match bindings.iter().find(|(q, _)| *q == p) {
            Some((_, uri)) => Some(Some(uri.to_string())),
            None if p.is_empty() => Some(None),
            None => None,
        }
    };
    let no_entities = |_: &str| false;
    let other_prefix = |p: &str| in_doc(&[("q", "urn:p"), ("", "urn:d")], p);
    let other_prefix = InScope {
        namespaces: &other_prefix,
        unparsed_entity: &no_entities,
    };
    assert!(checker
        .check_in_scope(&schema, ty, "q:a", &other_prefix)
        .is_ok());
    assert!(checker
        .check_in_scope(&schema, ty, "b", &other_prefix)
        .is_ok());
    let same_prefix_other_namespace = |p: &str| in_doc(&[("p", "urn:other")], p);
    let same_prefix_other_namespace = InScope {
        namespaces: &same_prefix_other_namespace,
        unparsed_entity: &no_entities,
    };
    let e = checker
        .check_in_scope(&schema, ty, "p:a", &same_prefix_other_namespace)
        .unwrap_err();
    assert!(e.message.contains("[facet 'enumeration']"), "{}", e.message);
    // `b` without a default namespace is {}b, not the schema's {urn:d}b.
    assert!(checker
        .check_in_scope(&schema, ty, "b", &same_prefix_other_namespace)
        .is_err());
    // No bindings: as written.
    assert!(checker.check(&schema, ty, "p:a").is_ok());
    assert!(checker.check(&schema, ty, "q:a").is_err());
}

/// ENTITY values (and ENTITIES items) must name an unparsed entity of the document: checked
/// in scope, lexically only without one.
#[test]
fn entity_values_name_unparsed_entities_in_scope() {
    let schema = Schema::new(SchemaKind::Xsd, SourceFile::new("t.xsd", "t.xsd"));
    let checker = SimpleTypeChecker::new(&schema).unwrap();
    let resolve = |p: &str| p.is_empty().then_some(None);
    let declared = |name: &str| name == "logo" || name == "photo";
    let scope = InScope {
        namespaces: &resolve,
        unparsed_entity: &declared,
    };
    let (entity, entities) = (Builtin::Entity.id(), Builtin::Entities.id());
    assert!(checker
        .check_in_scope(&schema, entity, "logo", &scope)
        .is_ok());
    assert!(checker
        .check_in_scope(&schema, entities, " logo photo ", &scope)
        .is_ok());
    let e = checker
        .check_in_scope(&schema, entity, "other", &scope)
        .unwrap_err();
    insta::assert_snapshot!(format!("{}\nexpected: {}", e.message, e.expected));
    assert!(checker
        .check_in_scope(&schema, entities, "logo other", &scope)
        .is_err());
    assert!(checker.check(&schema, entity, "other").is_ok());
}

#[test]
fn values_equal_uses_the_value_space() {
    let schema = Schema::new(SchemaKind::Xsd, SourceFile::new("t.xsd", "t.xsd"));
    let checker = SimpleTypeChecker::new(&schema).unwrap();
    let eq = |b: Builtin, x: &str, y: &str| checker.values_equal(&schema, b.id(), x, y).unwrap();
    assert!(eq(Builtin::Decimal, "1.0", "1"));
    assert!(eq(Builtin::Boolean, "true", "1"));
    assert!(eq(Builtin::Token, " a  b ", "a b"));
    assert!(!eq(Builtin::String, " a", "a"));
    assert!(eq(
        Builtin::DateTime,
        "2017-03-15T12:00:00Z",
        "2017-03-15T14:00:00+02:00"
    ));
    assert!(!eq(
        Builtin::DateTime,
        "2017-03-15T12:00:00Z",
        "2017-03-15T12:00:00"
    ));
    assert!(checker
        .values_equal(&schema, Builtin::Int.id(), "x", "1")
        .is_err());
    assert_eq!(checker.normalize(Builtin::Token.id(), " a \n b "), "a b");
}

#[test]
fn circular_and_dangling_types_are_problems_not_hangs() {
    let mut schema = Schema::new(SchemaKind::Xsd, SourceFile::new("t.xsd", "t.xsd"));
    let next = SimpleTypeId(schema.simple_types.len() as u32);
    let at = Location {
        file: FileId(0),
        line: 1,
        column: 1,
    };
    let mk = |name: &str, variety| SimpleType {
        name: Some(name.to_string()),
        builtin: None,
        variety,
        facets: Facets::default(),
        documentation: Vec::new(),
        location: at,
    };
    // a restricts b, b restricts a; u is a union containing itself; d and l point nowhere.
    schema.push_simple_type(mk(
        "a",
        Variety::Restriction {
            base: SimpleTypeId(next.0 + 1),
        },
    ));
    schema.push_simple_type(mk("b", Variety::Restriction { base: next }));
    schema.push_simple_type(mk(
        "u",
        Variety::Union {
            members: vec![SimpleTypeId(next.0 + 2)],
        },
    ));
    schema.push_simple_type(mk(
        "d",
        Variety::Restriction {
            base: SimpleTypeId(9999),
        },
    ));
    schema.push_simple_type(mk(
        "l",
        Variety::List {
            item: SimpleTypeId(8888),
        },
    ));
    let (checker, problems) = SimpleTypeChecker::new_lenient(&schema);
    let mut out: Vec<String> = problems.iter().map(ToString::to_string).collect();
    for id in next.0..next.0 + 5 {
        let e = checker.check(&schema, SimpleTypeId(id), "x").unwrap_err();
        out.push(e.message);
    }
    let e = checker
        .check(&schema, SimpleTypeId(12345), "x")
        .unwrap_err();
    out.push(e.message);
    insta::assert_snapshot!(out.join("\n"));
}

/// A small deterministic generator (no extra dependency) for the property tests below.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// For random values built from lexical-form fragments: nothing panics; a value valid for a
/// built-in is valid for the built-in it derives from; a valid value equals itself.
#[test]
fn builtin_derivation_is_consistent_on_random_values() {
    const PIECES: &[&str] = &[
        "0",
        "1",
        "9",
        "12",
        "-",
        "+",
        ".",
        ":",
        "T",
        "Z",
        "P",
        "Y",
        "M",
        "D",
        "H",
        "S",
        "E",
        "e",
        "INF",
        "NaN",
        "true",
        "a",
        "Z9",
        "=",
        "/",
        " ",
        "\t",
        "\n",
        "2017",
        "-03",
        "-15",
        "T11",
        ":50",
        ":01",
        "+05:30",
        "--",
        "---",
        "é",
        "_",
        "#",
        "%20",
        "aGk=",
        "x:y",
        "24:00:00",
        "9223372036854775808",
        "255",
        "-0",
    ];
    let schema = Schema::new(SchemaKind::Xsd, SourceFile::new("t.xsd", "t.xsd"));
    let checker = SimpleTypeChecker::new(&schema).unwrap();
    let mut rng = Lcg(7);
    let mut valid = 0usize;
    let mut problems = Vec::new();
    for _ in 0..4000 {
        let len = 1 + (rng.next() % 5) as usize;
        let value: String = (0..len)
            .map(|_| PIECES[(rng.next() as usize) % PIECES.len()])
            .collect();
        for b in Builtin::ALL {
            if checker.check(&schema, b.id(), &value).is_err() {
                continue;
            }
            if !matches!(b.primitive(), Builtin::String | Builtin::AnySimpleType) {
                valid += 1;
            }
            if let Some(base) = b.base().filter(|&p| p != Builtin::AnySimpleType) {
                if checker.check(&schema, base.id(), &value).is_err() {
                    problems.push(format!(
                        "{value:?} valid for {} but not for {}",
                        b.name(),
                        base.name()
                    ));
                }
            }
            if !checker
                .values_equal(&schema, b.id(), &value, &value)
                .unwrap_or(false)
            {
                problems.push(format!("{value:?} of {} does not equal itself", b.name()));
            }
        }
    }
    assert!(
        valid > 500,
        "the generator should produce valid non-string values ({valid})"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The schemas shipped in `schemas/`: every simple type is usable (patterns compile, facet
/// values are in their base types) and every default/fixed value is valid for its type.
#[test]
fn shipped_schemas_have_usable_simple_types_and_valid_defaults() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let mut files = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "xsd" || e == "dtd") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(!files.is_empty(), "no schemas under {}", root.display());
    let mut problems = Vec::new();
    for path in &files {
        let shown = path.strip_prefix(&root).unwrap().display().to_string();
        let schema = match qschema_model::load_file(path) {
            Ok(s) => s,
            Err(e) => {
                problems.push(format!("{shown}: does not load: {e}"));
                continue;
            }
        };
        let checker = match SimpleTypeChecker::new(&schema) {
            Ok(c) => c,
            Err(e) => {
                problems.push(format!("{shown}: {e}"));
                continue;
            }
        };
        let constraint_value = |c: &Option<qschema_model::ValueConstraint>| match c {
            Some(
                qschema_model::ValueConstraint::Default(v)
                | qschema_model::ValueConstraint::Fixed(v),
            ) => Some(v.clone()),
            None => None,
        };
        for ct in &schema.complex_types {
            for a in &ct.attributes {
                if let Some(v) = constraint_value(&a.value_constraint) {
                    if let Err(e) = checker.check(&schema, a.ty, &v) {
                        problems.push(format!("{shown}: attribute {} default/fixed: {e}", a.name));
                    }
                }
            }
        }
        for el in &schema.elements {
            let ty = match el.ty {
                ElementType::Simple(t) => Some(t),
                ElementType::Complex(c) => match schema.complex_type(c).content {
                    Content::Simple(t) => Some(t),
                    _ => None,
                },
                ElementType::Undeclared => None,
            };
            if let (Some(ty), Some(v)) = (ty, constraint_value(&el.value_constraint)) {
                if let Err(e) = checker.check(&schema, ty, &v) {
                    problems.push(format!("{shown}: element {} default/fixed: {e}", el.name));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checker is built once per schema and shared by validation threads.
#[test]
fn checker_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<SimpleTypeChecker>();
    assert_send_sync::<qschema_validator::datatypes::ValueError>();
}

/// Real Qualys values from the shared corpus: every WAS `uniqueId` matches the uniqueId
/// pattern, and every detection/test/launch date is an `xs:dateTime`.
#[test]
fn corpus_values_are_valid() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if !corpus.is_dir() {
        println!("skipped: ../shared not present");
        return;
    }
    let mut schema = Schema::new(SchemaKind::Xsd, SourceFile::new("t.xsd", "t.xsd"));
    let unique_id = schema.push_simple_type(SimpleType {
        name: Some("uniqueIdType".into()),
        builtin: None,
        variety: Variety::Restriction {
            base: Builtin::String.id(),
        },
        facets: Facets {
            patterns: vec!["[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}".into()],
            ..Facets::default()
        },
        documentation: Vec::new(),
        location: Location::default(),
    });
    let checker = SimpleTypeChecker::new(&schema).unwrap();
    let leaf = regex::Regex::new(
        r"<(uniqueId|firstDetectedDate|lastDetectedDate|lastTestedDate|launchedDate)>([^<]*)<",
    )
    .unwrap();
    let mut dirs = vec![corpus.join("was")];
    let (mut checked, mut problems) = (0, Vec::new());
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for cap in leaf.captures_iter(&text) {
                let ty = if &cap[1] == "uniqueId" {
                    unique_id
                } else {
                    Builtin::DateTime.id()
                };
                checked += 1;
                if let Err(e) = checker.check(&schema, ty, &cap[2]) {
                    problems.push(format!("{}: {}: {e}", path.display(), &cap[1]));
                }
            }
        }
    }
    assert!(
        checked > 100,
        "expected many corpus values, found {checked}"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
