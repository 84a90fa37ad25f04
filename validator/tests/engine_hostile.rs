//! Hostile input, generated on the fly and streamed: each must fail fast (seconds in a debug
//! build) with the right rule, in bounded memory.

use std::io::{BufReader, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use qschema_validator::engine::{validate, DocumentInput, Options};
use qschema_validator::report::{rules, Report};

/// A reader producing `head`, then `count` copies of `body`, then `tail`, without ever holding
/// more than one copy; counts the bytes handed out.
struct Generated {
    parts: Vec<(Vec<u8>, u64)>,
    part: usize,
    offset: usize,
    done: u64,
    served: Arc<AtomicU64>,
}

impl Generated {
    fn new(head: &str, body: &str, count: u64, tail: &str) -> (Generated, Arc<AtomicU64>) {
        let served = Arc::new(AtomicU64::new(0));
        let g = Generated {
            parts: vec![
                (head.as_bytes().to_vec(), 1),
                (body.as_bytes().to_vec(), count),
                (tail.as_bytes().to_vec(), 1),
            ],
            part: 0,
            offset: 0,
            done: 0,
            served: served.clone(),
        };
        (g, served)
    }
}

impl Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let Some((bytes, count)) = self.parts.get(self.part) else {
                return Ok(0);
            };
            if self.done >= *count || bytes.is_empty() {
                self.part += 1;
                self.done = 0;
                self.offset = 0;
                continue;
            }
            let rest = &bytes[self.offset..];
            let n = rest.len().min(out.len());
            out[..n].copy_from_slice(&rest[..n]);
            self.offset += n;
            if self.offset == bytes.len() {
                self.offset = 0;
                self.done += 1;
            }
            self.served.fetch_add(n as u64, Ordering::Relaxed);
            return Ok(n);
        }
    }
}

fn run(reader: impl Read, opts: &Options) -> (Report, Duration) {
    let start = Instant::now();
    let doc = DocumentInput {
        display_name: "generated.xml",
        path: None,
    };
    let report = validate(
        BufReader::new(reader),
        &doc,
        None,
        &qschema_model::MemoryResolver::new(),
        opts,
    );
    (report, start.elapsed())
}

fn only_error(report: &Report) -> String {
    assert_eq!(report.errors.len(), 1, "{:#?}", report.errors);
    let e = &report.errors[0];
    format!(
        "{}:{} {} [{}] {}",
        e.line, e.column, e.path, e.rule, e.message
    )
}

#[test]
fn deep_nesting_is_refused_at_max_depth() {
    let (g, _) = Generated::new("", "<a>", 10_000, "");
    let (report, took) = run(g, &Options::default());
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(report.aborted);
    let e = &report.errors[0];
    assert_eq!((e.rule.as_str(), e.line, e.column), (rules::LIMIT, 1, 769));
    assert_eq!(e.path.matches("/a").count(), 256);
    assert_eq!(
        e.message,
        "Excessive depth in document: more than 256 nested elements (max_depth)"
    );
}

#[test]
fn deep_nesting_within_a_raised_limit_validates_without_recursion() {
    let opts = Options {
        max_depth: 20_000,
        ..Options::default()
    };
    let depth = 10_000;
    let (g, _) = Generated::new("", "<a>", depth, &"</a>".repeat(depth as usize));
    let (report, took) = run(g, &opts);
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(report.is_valid(), "{:#?}", report.errors);
}

#[test]
fn huge_attribute_value_is_refused_without_buffering_it() {
    let opts = Options::default();
    let (g, served) = Generated::new(
        "<a x=\"",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        100 * 1024 * 1024 / 32,
        "\"/>",
    );
    let (report, took) = run(g, &opts);
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(report.aborted);
    assert_eq!(
        only_error(&report),
        "1:1 / [xml-limit-exceeded] A single tag, text run, comment or CDATA section exceeds 8454144 bytes (max_attribute_bytes / max_text_bytes)"
    );
    let read = served.load(Ordering::Relaxed);
    assert!(
        read < 16 * 1024 * 1024,
        "read {read} bytes of the 100 MB value"
    );
}

#[test]
fn attribute_over_max_attribute_bytes_is_refused() {
    let opts = Options {
        max_attribute_bytes: 1000,
        max_text_bytes: 1000,
        ..Options::default()
    };
    let doc = format!("<a>\n <b y=\"{}\"/></a>", "v".repeat(5000));
    let (report, _) = run(doc.as_bytes(), &opts);
    assert_eq!(
        only_error(&report),
        "2:5 /a [xml-limit-exceeded] Attribute y is longer than 1000 bytes (max_attribute_bytes)"
    );
}

#[test]
fn quadratic_blowup_is_stopped_by_max_expanded_bytes() {
    let big = "x".repeat(100_000);
    let head = format!("<!DOCTYPE a [<!ENTITY big \"{big}\">]>\n<a>");
    let (g, _) = Generated::new(&head, "&big;", 20_000, "</a>");
    let (report, took) = run(g, &Options::default());
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(report.aborted);
    // (The internal subset declares no elements, so `a` is also undeclared.)
    let e = report.errors.last().expect("an error");
    assert_eq!(e.rule, rules::LIMIT, "{e:?}");
    assert!(e.message.contains("max_expanded_bytes"), "{}", e.message);
    assert_eq!(e.line, 2);
}

#[test]
fn billion_laughs_in_an_attribute_is_stopped() {
    let mut decls = String::from("<!ENTITY l0 \"lol\">");
    for i in 1..10 {
        decls.push_str(&format!(
            "<!ENTITY l{i} \"{}\">",
            format!("&l{};", i - 1).repeat(10)
        ));
    }
    let doc = format!("<!DOCTYPE a [{decls}]>\n<a x=\"&l9;\"/>");
    let (report, took) = run(doc.as_bytes(), &Options::default());
    assert!(took < Duration::from_secs(5), "took {took:?}");
    let e = &report.errors[0];
    assert_eq!((e.rule.as_str(), e.line, e.column), (rules::LIMIT, 2, 7));
}

#[test]
fn invalid_utf8_is_located() {
    let mut doc = b"<a>\n  <b>ok</b>\n  <c>\xC3\x28</c>\n</a>".to_vec();
    doc.extend_from_slice(b"\n");
    let (report, _) = run(&doc[..], &Options::default());
    assert_eq!(
        only_error(&report),
        "3:6 /a/c [xml-encoding] Input is not proper UTF-8, indicate encoding ! Bytes: 0xC3"
    );
}

#[test]
fn large_valid_stream_is_validated_in_one_pass() {
    // 200,000 sibling elements (~5 MB) without a schema: well-formedness only.
    let (g, served) = Generated::new("<r>", "<item a=\"1\">text</item>\n", 200_000, "</r>");
    let (report, took) = run(g, &Options::default());
    assert!(report.is_valid(), "{:#?}", report.errors);
    assert!(took < Duration::from_secs(30), "took {took:?}");
    assert!(served.load(Ordering::Relaxed) > 4_000_000);
}

#[test]
fn many_attributes_in_one_tag_stay_fast() {
    // 20,000 distinct attributes (~300 KB tag) and a duplicate at the end.
    let mut doc = String::from("<a");
    for i in 0..20_000 {
        doc.push_str(&format!(" a{i}=\"v\""));
    }
    doc.push_str(" a7=\"dup\"/>");
    let (report, took) = run(doc.as_bytes(), &Options::default());
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert_eq!(
        only_error(&report),
        "1:208894 / [xml-not-well-formed] Attribute a7 redefined"
    );
}

#[test]
fn many_prefixed_attributes_stay_fast() {
    // 20,000 prefixed attributes, then a namespaced duplicate (same namespace, other prefix).
    let mut doc = String::from("<a xmlns:p=\"urn:x\" xmlns:q=\"urn:x\"");
    for i in 0..20_000 {
        doc.push_str(&format!(" p:a{i}=\"v\""));
    }
    doc.push_str(" q:a7=\"dup\"/>");
    let (report, took) = run(doc.as_bytes(), &Options::default());
    assert!(took < Duration::from_secs(10), "took {took:?}");
    let e = &report.errors[0];
    assert_eq!(
        (e.rule.as_str(), e.message.as_str()),
        (
            rules::NOT_WELL_FORMED,
            "Namespaced Attribute a7 in 'urn:x' redefined"
        )
    );
}

#[test]
fn simple_content_text_budget_is_shared_by_nested_elements() {
    // `a` is an xs:int: its text is kept for checking. Nesting it (an error, recovered by
    // validating the child against the same declaration) must not multiply the text budget.
    let xsd = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a" type="xs:int"/></xs:schema>"#;
    let schema = qschema_model::xsd::load_str(
        xsd,
        std::path::Path::new("a.xsd"),
        &qschema_model::MemoryResolver::new(),
    )
    .expect("schema");
    let compiled = qschema_validator::engine::CompiledSchema::compile(schema).expect("compile");
    let opts = Options {
        max_text_bytes: 100_000,
        max_attribute_bytes: 1000,
        ..Options::default()
    };
    let text = "1".repeat(60_000);
    let doc = format!("<a>{text}<a>{text}<a>{text}</a></a></a>");
    let input = DocumentInput {
        display_name: "nested.xml",
        path: None,
    };
    let report = validate(
        doc.as_bytes(),
        &input,
        Some(&compiled),
        &qschema_model::MemoryResolver::new(),
        &opts,
    );
    let limits: Vec<&str> = report
        .errors
        .iter()
        .filter(|e| e.rule == rules::LIMIT)
        .map(|e| e.path.as_str())
        .collect();
    assert_eq!(limits, ["/a/a", "/a/a/a"], "{:#?}", report.errors);
}

#[test]
fn an_unfinished_doctype_is_located() {
    // quick-xml ends the declaration at the `>` after the literal: the pass sees it goes on.
    let doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY e \"x>\">";
    let (report, _) = run(doc.as_bytes(), &Options::default());
    assert_eq!(
        only_error(&report),
        "2:1 / [xml-not-well-formed] DOCTYPE not finished: the input ends inside it"
    );
}

#[test]
fn an_overlong_doctype_is_refused_without_reading_it_all() {
    let opts = Options {
        max_text_bytes: 1000,
        ..Options::default()
    };
    // A comment in the internal subset that never ends: quick-xml balances its `<` and `>`.
    let (g, served) = Generated::new("\n<!DOCTYPE a [<!-- ", "x > ", 1 << 20, "-->]><a/>");
    let (report, _) = run(g, &opts);
    assert_eq!(
        only_error(&report),
        "2:1 / [xml-not-well-formed] DOCTYPE declaration longer than 1000 bytes"
    );
    let read = served.load(Ordering::Relaxed);
    assert!(read < 1 << 20, "read {read} bytes of the 4 MB declaration");
}
