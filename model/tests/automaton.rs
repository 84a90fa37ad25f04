//! Content-model automata: acceptance, determinism and language comparison, table-driven.
//!
//! Models are written in DTD content-model syntax extended with XSD counts: `(a, b?)`,
//! `(a | b)*`, `a{2,5}`, `(a, b){0,unbounded}`, and `all(a, b?)` for an `xs:all` group. The
//! small parser below builds the IR by hand (element declarations are created per name), so
//! these tests do not depend on a front end.

use qschema_model::automaton::{compare_languages, ContentAutomaton, LanguageRelation};
use qschema_model::*;
use std::collections::BTreeSet;

struct ModelParser<'a> {
    schema: &'a mut Schema,
    text: Vec<char>,
    pos: usize,
    names: std::collections::HashMap<String, ElementId>,
}

impl ModelParser<'_> {
    fn skip_ws(&mut self) {
        while self.text.get(self.pos).is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
    }
    fn peek(&mut self) -> Option<char> {
        self.skip_ws();
        self.text.get(self.pos).copied()
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn word(&mut self) -> String {
        self.skip_ws();
        let start = self.pos;
        while self
            .text
            .get(self.pos)
            .is_some_and(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
        {
            self.pos += 1;
        }
        self.text[start..self.pos].iter().collect()
    }
    fn loc(&self) -> Location {
        Location {
            file: FileId(0),
            line: 1,
            column: self.pos as u32 + 1,
        }
    }
    fn element(&mut self, name: &str) -> ElementId {
        if let Some(id) = self.names.get(name) {
            // A second particle naming the same element reuses its declaration (as in a DTD).
            return *id;
        }
        let id = self.schema.push_element(ElementDecl {
            name: name.to_string(),
            namespace: None,
            scope: ElementScope::Global,
            ty: ElementType::Simple(Builtin::String.id()),
            nillable: false,
            is_abstract: false,
            block: Blocked::default(),
            value_constraint: None,
            documentation: vec![],
            location: self.loc(),
        });
        self.names.insert(name.to_string(), id);
        id
    }
    fn particle(&mut self) -> Particle {
        self.skip_ws();
        let location = self.loc();
        let term = if self.eat('(') {
            let first = self.particle();
            let mut items = vec![first];
            let mut sep = None;
            while let Some(c @ (',' | '|')) = self.peek() {
                self.pos += 1;
                sep = Some(c);
                items.push(self.particle());
            }
            assert!(self.eat(')'), "expected ')' at {}", self.pos);
            if sep == Some('|') {
                Term::Choice(items)
            } else {
                Term::Sequence(items)
            }
        } else {
            let w = self.word();
            if w == "all" && self.eat('(') {
                let mut items = vec![self.particle()];
                while self.eat(',') {
                    items.push(self.particle());
                }
                assert!(self.eat(')'));
                Term::All(items)
            } else if w == "ANY" {
                Term::Any(Wildcard {
                    namespaces: NamespaceConstraint::Any,
                    process_contents: ProcessContents::Lax,
                })
            } else {
                assert!(!w.is_empty(), "expected a name at {}", self.pos);
                Term::Element(self.element(&w))
            }
        };
        let (min, max) = match self.peek() {
            Some('?') => (0, MaxOccurs::Bounded(1)),
            Some('*') => (0, MaxOccurs::Unbounded),
            Some('+') => (1, MaxOccurs::Unbounded),
            Some('{') => {
                self.pos += 1;
                let min: u32 = self.word().parse().expect("min");
                assert!(self.eat(','));
                let max = self.word();
                assert!(self.peek() == Some('}'));
                let max = if max == "unbounded" {
                    MaxOccurs::Unbounded
                } else {
                    MaxOccurs::Bounded(max.parse().expect("max"))
                };
                (min, max)
            }
            _ => {
                return Particle {
                    min: 1,
                    max: MaxOccurs::Bounded(1),
                    term,
                    location,
                }
            }
        };
        self.pos += 1;
        Particle {
            min,
            max,
            term,
            location,
        }
    }
}

fn parse_model(schema: &mut Schema, text: &str) -> Particle {
    let mut p = ModelParser {
        schema,
        text: text.chars().collect(),
        pos: 0,
        names: Default::default(),
    };
    let particle = p.particle();
    assert_eq!(p.peek(), None, "trailing input in {text}");
    particle
}

fn new_schema() -> Schema {
    Schema::new(SchemaKind::Xsd, SourceFile::new("t.xsd", "t.xsd"))
}

fn compile(text: &str) -> (Schema, ContentAutomaton) {
    let mut schema = new_schema();
    let particle = parse_model(&mut schema, text);
    let auto =
        ContentAutomaton::compile(&schema, &particle).unwrap_or_else(|e| panic!("{text}: {e}"));
    (schema, auto)
}

/// Run the children `input` (space-separated names) and say whether the model accepts them.
fn accepts(auto: &ContentAutomaton, input: &str) -> bool {
    let mut state = auto.start();
    for name in input.split_whitespace() {
        if auto.step(&mut state, name, None).is_err() {
            return false;
        }
    }
    auto.is_accepting(&state)
}

/// (model, accepted inputs, rejected inputs); inputs separated by `;`, `-` = empty sequence.
const ACCEPTANCE: &[(&str, &str, &str)] = &[
    ("(a, b)", "a b", "-; a; b; b a; a b b"),
    ("(a, b?)", "a; a b", "-; b; a b b"),
    ("(a | b)*", "-; a; b a a b", "c; a c"),
    (
        "(a, (b | c)+, d?)",
        "a b; a c b c; a b d",
        "a; a d; a b d d",
    ),
    ("a{2,5}", "a a; a a a a a", "a; a a a a a a; -"),
    ("a{0,3}", "-; a a a", "a a a a"),
    (
        "(a, b){2,3}",
        "a b a b; a b a b a b",
        "a b; a b a; a b a b a b a b",
    ),
    (
        "(a{1,2}, b){2,2}",
        "a b a b; a a b a b; a b a a b",
        "a a a b a b; a b",
    ),
    ("(a?){3,3}", "-; a; a a a", "a a a a"),
    (
        "(a{2,3}){2,2}",
        "a a a a; a a a a a a; a a a a a",
        "a a a; a a a a a a a",
    ),
    ("a{3,unbounded}", "a a a; a a a a a a a", "a a"),
    ("(a, ANY?)", "a; a zz", "zz; a zz zz"),
    ("all(a, b?, c)", "a c; c a; b c a", "a; a a c; a b"),
    ("all(a?, b?){0,1}", "-; b; b a", "a a"),
    // Names alike in length and first and last bytes (one bucket of the group's index).
    (
        "all(aXb, aYb?, aZb, c)",
        "aXb aZb c; c aZb aYb aXb",
        "aXb aZb; aWb aXb aZb c; aXb aXb aZb c; aXb aZb c ab",
    ),
    ("((a, b) | c){0,0}", "-", "a b; c"),
    ("((a, b)|(a, c))", "a b; a c", "a; b c"),
    ("(a?, a)", "a; a a", "-; a a a"),
    // Names alike in length and in all but one byte, and names that are not ASCII.
    (
        "((abcdXyz | abcdQyz), abcdQyz?)",
        "abcdXyz; abcdQyz abcdQyz; abcdXyz abcdQyz",
        "abcdXy; abcdXyzz; abcdXyz abcdXyz; abcdZyz; é",
    ),
    ("(é, aé)", "é aé", "aé é; é é"),
];

/// All groups of many children, in every order tried: each child once in any order, nothing
/// else (the group's name index against the rules themselves).
#[test]
fn large_all_groups() {
    for n in [1, 3, 9, 17, 40, 70] {
        let names: Vec<String> = (0..n)
            .map(|i| match i % 3 {
                0 => format!("e{i}"),
                1 => format!("x{}y", "q".repeat(i % 5)),
                _ => format!("name{i}x"),
            })
            .collect();
        // Distinct names only (the `x…y` pattern repeats).
        let mut unique: Vec<String> = Vec::new();
        for name in names {
            if !unique.contains(&name) {
                unique.push(name);
            }
        }
        let model = format!("all({})", unique.join(", "));
        let (_, auto) = compile(&model);
        let mut order = unique.clone();
        for round in 0..4 {
            let by = round * 7 % order.len().max(1);
            order.rotate_left(by);
            if round % 2 == 1 {
                order.reverse();
            }
            assert!(accepts(&auto, &order.join(" ")), "{model}: {order:?}");
            let missing = order[1..].join(" ");
            assert!(!accepts(&auto, &missing), "{model}: without {}", order[0]);
            let twice = format!("{} {}", order.join(" "), order[order.len() / 2]);
            assert!(!accepts(&auto, &twice), "{model}: twice");
            let unknown = format!("{} e{n}", order.join(" "));
            assert!(!accepts(&auto, &unknown), "{model}: unknown");
        }
    }
}

#[test]
fn acceptance_table() {
    for (model, good, bad) in ACCEPTANCE {
        let (_, auto) = compile(model);
        for input in good.split(';') {
            let input = input.trim().trim_start_matches('-');
            assert!(accepts(&auto, input), "{model} should accept [{input}]");
        }
        for input in bad.split(';') {
            let input = input.trim().trim_start_matches('-');
            assert!(!accepts(&auto, input), "{model} should reject [{input}]");
        }
    }
}

/// (model, expected ambiguity names; empty = deterministic).
const DETERMINISM: &[(&str, &str)] = &[
    ("((a, b) | (a, c))", "a"),
    ("(a?, a)", "a"),
    ("(a, b?)", ""),
    ("(a*, a)", "a"),
    ("(a | b | a)", "a"),
    ("((a, b)*, a?)", "a"),
    ("(a, b)*", ""),
    ("(a{2,5}, b)", ""),
    ("(a{2,5}, a)", "a"),
    ("(a, ANY)", ""),
    ("(a?, ANY)", "a"),
    ("all(a, b, a)", "a"),
    ("all(a, b?)", ""),
];

#[test]
fn determinism_table() {
    for (model, names) in DETERMINISM {
        let (_, auto) = compile(model);
        let mut got: Vec<String> = auto.ambiguities().iter().map(|a| a.name.clone()).collect();
        got.dedup();
        assert_eq!(got.join(" "), *names, "ambiguities of {model}");
    }
}

#[test]
fn ambiguity_names_both_positions() {
    let (_, auto) = compile("((a, b) | (a, c))");
    let amb = &auto.ambiguities()[0];
    assert_eq!(amb.name, "a");
    assert_eq!((amb.first.column, amb.second.column), (3, 12));
}

#[test]
fn findings_are_added_per_content_model() {
    let mut schema = new_schema();
    let particle = parse_model(&mut schema, "(a?, a)");
    let ct = schema.push_complex_type(ComplexType {
        name: None,
        content: Content::Elements {
            particle,
            mixed: false,
        },
        attributes: vec![],
        any_attribute: None,
        derivation: None,
        is_abstract: false,
        block: Blocked::default(),
        documentation: vec![],
        location: Location {
            file: FileId(0),
            line: 7,
            column: 1,
        },
    });
    schema.push_element(ElementDecl {
        name: "SCAN".into(),
        namespace: None,
        scope: ElementScope::Global,
        ty: ElementType::Complex(ct),
        nillable: false,
        is_abstract: false,
        block: Blocked::default(),
        value_constraint: None,
        documentation: vec![],
        location: Location {
            file: FileId(0),
            line: 3,
            column: 1,
        },
    });
    automaton::add_determinism_findings(&mut schema);
    assert_eq!(schema.findings.len(), 1);
    let f = &schema.findings[0];
    assert_eq!(f.rule, "non-deterministic-content-model");
    assert_eq!(f.location.line, 3);
    assert_eq!(
        f.message,
        "Content model of SCAN is not deterministic: element 'a' is matched by two particles (t.xsd:1:2 and t.xsd:1:6)"
    );
}

#[test]
fn huge_counts_do_not_blow_up() {
    let (_, auto) = compile("(a{10000,10000}, b{0,100000})");
    let mut state = auto.start();
    for i in 0..10000 {
        assert!(!auto.is_accepting(&state), "accepting after {i}");
        auto.step(&mut state, "a", None).expect("a accepted");
    }
    assert!(auto.is_accepting(&state));
    assert!(auto.step(&mut state.clone(), "a", None).is_err());
    for _ in 0..500 {
        auto.step(&mut state, "b", None).expect("b accepted");
    }
    assert!(auto.is_accepting(&state));
}

#[test]
fn expected_lists_the_next_names() {
    let (_, auto) = compile("(a, (b | c), d?)");
    let mut state = auto.start();
    auto.step(&mut state, "a", None).unwrap();
    let err = auto.step(&mut state, "d", None).unwrap_err();
    assert_eq!(err.to_string(), "b, c");
    assert!(!err.can_end);
    auto.step(&mut state, "c", None).unwrap();
    let exp = auto.expected(&state);
    assert_eq!(exp.to_string(), "d");
    assert!(exp.can_end);
}

/// (a, b, relation of a to b).
const LANGUAGES: &[(&str, &str, LanguageRelation)] = &[
    ("(a, b)", "(a, b?)", LanguageRelation::Subset),
    ("(a, b?)", "(a, b)", LanguageRelation::Superset),
    ("(a | b)", "(b | a)", LanguageRelation::Equal),
    ("(a, b)", "(b, a)", LanguageRelation::Incomparable),
    ("a{2,5}", "a{1,5}", LanguageRelation::Subset),
    ("a{2,5}", "a{2,6}", LanguageRelation::Subset),
    ("a{1,5}", "a{2,6}", LanguageRelation::Incomparable),
    ("(a, a?)", "a{1,2}", LanguageRelation::Equal),
    ("a*", "(a+)?", LanguageRelation::Equal),
    ("(a, b)*", "(a | b)*", LanguageRelation::Subset),
    ("all(a, b)", "((a, b) | (b, a))", LanguageRelation::Equal),
    ("(a, ANY)", "(a, b)", LanguageRelation::Incomparable),
    ("a{1,100}", "a{1,200}", LanguageRelation::Equal),
];

#[test]
fn language_table() {
    for (a, b, want) in LANGUAGES {
        let mut sa = new_schema();
        let pa = parse_model(&mut sa, a);
        let mut sb = new_schema();
        let pb = parse_model(&mut sb, b);
        let got = compare_languages(&sa, &pa, &sb, &pb).unwrap();
        assert_eq!(got, *want, "{a} vs {b}");
    }
}

/// (DTD text, expected findings `rule: message`, one per line). Loaded through the DTD front
/// end, then [`automaton::add_determinism_findings`] (what `load_with` does).
const DTD_DETERMINISM: &[(&str, &str)] = &[
    (
        "<!ELEMENT SCAN ((ID, TITLE) | (ID, ACTIVE))>\n<!ELEMENT ID EMPTY>\n<!ELEMENT TITLE EMPTY>\n<!ELEMENT ACTIVE EMPTY>",
        "non-deterministic-content-model: Content model of SCAN is not deterministic: element 'ID' is matched by two particles (t.dtd:1:18 and t.dtd:1:32)",
    ),
    (
        "<!ELEMENT R (A?, A)>\n<!ELEMENT A EMPTY>",
        "non-deterministic-content-model: Content model of R is not deterministic: element 'A' is matched by two particles (t.dtd:1:14 and t.dtd:1:18)",
    ),
    ("<!ELEMENT R (A, B?)>\n<!ELEMENT A EMPTY>\n<!ELEMENT B EMPTY>", ""),
    ("<!ELEMENT R (#PCDATA | A | B)*>\n<!ELEMENT A EMPTY>\n<!ELEMENT B EMPTY>", ""),
];

#[test]
fn dtd_content_models_determinism() {
    for (text, want) in DTD_DETERMINISM {
        let mut schema = qschema_model::dtd::load_str(
            text,
            std::path::Path::new("t.dtd"),
            &qschema_model::MemoryResolver::new(),
        )
        .unwrap_or_else(|e| panic!("{text}: {e}"));
        schema
            .findings
            .retain(|f| f.rule == "non-deterministic-content-model");
        automaton::add_determinism_findings(&mut schema);
        let got: Vec<String> = schema
            .findings
            .iter()
            .map(|f| format!("{}: {}", f.rule, f.message))
            .collect();
        assert_eq!(got.join("\n"), *want, "{text}");
    }
}

#[test]
fn nested_counters_split_iterations_correctly() {
    let (_, auto) = compile("(a{1,3}){2,3}");
    for n in 0..12 {
        let input = vec!["a"; n].join(" ");
        assert_eq!(accepts(&auto, &input), (2..=9).contains(&n), "{n} a's");
    }
    // Many ways to split the iterations: still exact at the extremes.
    let (_, auto) = compile("(a{0,10}){0,10}");
    assert!(accepts(&auto, &vec!["a"; 100].join(" ")));
    assert!(!accepts(&auto, &vec!["a"; 101].join(" ")));
}

/// (XSD content of `<xs:complexType name="T">`, expected ambiguity names of type T).
const XSD_DETERMINISM: &[(&str, &str)] = &[
    (
        r###"<xs:choice><xs:element name="a"/><xs:sequence><xs:element name="a"/><xs:element name="b"/></xs:sequence></xs:choice>"###,
        "a",
    ),
    (
        r###"<xs:sequence><xs:element name="a" minOccurs="0"/><xs:any namespace="##any"/></xs:sequence>"###,
        "a",
    ),
    (
        r###"<xs:sequence><xs:element name="a" maxOccurs="1000"/><xs:element name="b"/></xs:sequence>"###,
        "",
    ),
    (
        r###"<xs:all><xs:element name="a"/><xs:element name="b" minOccurs="0"/></xs:all>"###,
        "",
    ),
];

#[test]
fn xsd_content_models_determinism() {
    for (content, want) in XSD_DETERMINISM {
        let text = format!(
            r###"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:complexType name="T">{content}</xs:complexType></xs:schema>"###
        );
        let schema = qschema_model::xsd::load_str(
            &text,
            std::path::Path::new("t.xsd"),
            &qschema_model::MemoryResolver::new(),
        )
        .unwrap_or_else(|e| panic!("{content}: {e}"));
        let id = schema.named_complex_types["T"];
        let Content::Elements { particle, .. } = &schema.complex_types[id.index()].content else {
            panic!("{content}: no particle");
        };
        let auto = ContentAutomaton::compile(&schema, particle).expect("compiles");
        let got: Vec<String> = auto.ambiguities().iter().map(|a| a.name.clone()).collect();
        assert_eq!(got.join(" "), *want, "{content}");
    }
}

/// Every position where `p` can end when started at `start` in `input`: an oracle independent of
/// the automata (backtracking over the particle itself).
fn oracle_ends(schema: &Schema, p: &Particle, input: &[&str], start: usize) -> BTreeSet<usize> {
    let max = match p.max {
        MaxOccurs::Bounded(n) => n as usize,
        // More iterations than children cannot reach a new position (empty ones add nothing).
        MaxOccurs::Unbounded => input.len() + p.min as usize + 1,
    };
    let mut result = BTreeSet::new();
    if p.min == 0 {
        result.insert(start);
    }
    let mut frontier: BTreeSet<usize> = [start].into();
    for i in 1..=max {
        let next: BTreeSet<usize> = frontier
            .iter()
            .flat_map(|&s| oracle_term_ends(schema, &p.term, input, s))
            .collect();
        if i >= p.min as usize {
            result.extend(&next);
        }
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
    result
}

fn oracle_term_ends(schema: &Schema, term: &Term, input: &[&str], s: usize) -> BTreeSet<usize> {
    match term {
        Term::Element(id) => match input.get(s) {
            Some(name) if *name == schema.element(*id).name => [s + 1].into(),
            _ => BTreeSet::new(),
        },
        Term::Any(_) => match input.get(s) {
            Some(_) => [s + 1].into(),
            None => BTreeSet::new(),
        },
        Term::Sequence(items) => items.iter().fold([s].into(), |from, item| {
            from.iter()
                .flat_map(|&f| oracle_ends(schema, item, input, f))
                .collect()
        }),
        Term::Choice(items) => items
            .iter()
            .flat_map(|item| oracle_ends(schema, item, input, s))
            .collect(),
        Term::All(items) => oracle_all_ends(schema, items, 0, input, s),
    }
}

/// An all group: each item at most once, in any order, the required ones all present.
fn oracle_all_ends(
    schema: &Schema,
    items: &[Particle],
    used: u64,
    input: &[&str],
    s: usize,
) -> BTreeSet<usize> {
    let mut result = BTreeSet::new();
    let done = items
        .iter()
        .enumerate()
        .all(|(i, item)| used & (1 << i) != 0 || item.min == 0);
    if done {
        result.insert(s);
    }
    for (i, item) in items.iter().enumerate() {
        if used & (1 << i) != 0 {
            continue;
        }
        for e in oracle_term_ends(schema, &item.term, input, s) {
            result.extend(oracle_all_ends(schema, items, used | (1 << i), input, e));
        }
    }
    result
}

/// Every sequence of up to `len` names from `alphabet`.
fn sequences<'a>(alphabet: &[&'a str], len: usize) -> Vec<Vec<&'a str>> {
    let mut all = vec![vec![]];
    let mut last = vec![vec![]];
    for _ in 0..len {
        last = last
            .iter()
            .flat_map(|seq: &Vec<&'a str>| {
                alphabet.iter().map(move |name| {
                    let mut longer = seq.clone();
                    longer.push(*name);
                    longer
                })
            })
            .collect();
        all.extend(last.iter().cloned());
    }
    all
}

/// The automata (with their in-place fast path for deterministic steps and their general path
/// for several live configurations) accept exactly what the particle describes, on every
/// sequence of up to five children, for every model of the tables above.
#[test]
fn automata_agree_with_a_backtracking_oracle() {
    let models = ACCEPTANCE
        .iter()
        .map(|(m, _, _)| *m)
        .chain(DETERMINISM.iter().map(|(m, _)| *m));
    let inputs = sequences(&["a", "b", "c", "zz"], 5);
    for model in models {
        let mut schema = new_schema();
        let particle = parse_model(&mut schema, model);
        let auto = ContentAutomaton::compile(&schema, &particle)
            .unwrap_or_else(|e| panic!("{model}: {e}"));
        for input in &inputs {
            let expected = oracle_ends(&schema, &particle, input, 0).contains(&input.len());
            let got = accepts(&auto, &input.join(" "));
            assert_eq!(got, expected, "{model} on [{}]", input.join(" "));
        }
    }
}

/// `restart` turns a used state of any automaton into the start state of this one.
#[test]
fn restart_equals_start_from_any_used_state() {
    let autos: Vec<ContentAutomaton> = ["(a, b)", "a{2,5}", "(a?, a)", "all(a, b?, c)"]
        .iter()
        .map(|m| compile(m).1)
        .collect();
    for used_by in &autos {
        let mut used = used_by.start();
        for name in ["a", "a"] {
            let _ = used_by.step(&mut used, name, None);
        }
        for auto in &autos {
            let mut state = used.clone();
            auto.restart(&mut state);
            assert_eq!(state, auto.start());
        }
    }
}
