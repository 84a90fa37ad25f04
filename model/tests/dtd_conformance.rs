//! The W3C XML 1.0 conformance suite (`../shared/conformance/xmlconf`) against the DTD front end.
//!
//! Every `valid` and `invalid` XML 1.0 test document's DTD (internal subset, then the external
//! subset its DOCTYPE names, resolved relative to the test file) must load without a syntax
//! error: an invalid document is still well-formed, so its DTD must parse. Valid documents must
//! not produce declaration-level findings either. A handful of `invalid` tests that violate a
//! declaration-level validity constraint must produce the matching finding.
//!
//! Skipped, with the reason counted and printed: XML 1.1 tests (`VERSION="1.1"`,
//! `RECOMMENDATION="XML1.1"`/`NS1.1`), tests limited to editions 1-4 (`EDITION` without 5:
//! the parser implements the fifth edition's name characters), and documents in encodings this
//! harness cannot decode (only UTF-8, UTF-16 with a byte-order mark and ISO-8859-1/US-ASCII).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use qschema_model::dtd::{load_document_dtd, parse_doctype, DocumentDtd};
use qschema_model::{LoadError, Resolver, Schema};

fn suite() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance/xmlconf");
    dir.join("xmlconf.xml").exists().then_some(dir)
}

/// Decode a test file: UTF-8, UTF-16 (byte-order mark), or ISO-8859-1/US-ASCII when the XML
/// or text declaration says so. `None` for anything else.
fn decode(bytes: &[u8]) -> Option<String> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16(&units).ok();
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16(&units).ok();
    }
    let head: String = bytes.iter().take(200).map(|&b| b as char).collect();
    let declared = head
        .strip_prefix("<?xml")
        .and_then(|h| h.split("?>").next())
        .and_then(|d| d.split("encoding").nth(1))
        .map(|e| {
            e.trim_start_matches([' ', '=', '"', '\''])
                .split(['"', '\''])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase()
        });
    match declared.as_deref() {
        None | Some("utf-8") | Some("utf8") => std::str::from_utf8(bytes).ok().map(str::to_string),
        Some("iso-8859-1") | Some("latin1") | Some("us-ascii") | Some("iso_8859-1") => {
            Some(bytes.iter().map(|&b| b as char).collect())
        }
        Some(_) => std::str::from_utf8(bytes).ok().map(str::to_string),
    }
}

/// Reads test files with [`decode`], remembering the ones it could not decode.
#[derive(Default)]
struct TestResolver {
    undecodable: RefCell<Vec<PathBuf>>,
}

impl Resolver for TestResolver {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        let bytes = std::fs::read(path)?;
        decode(&bytes).ok_or_else(|| {
            self.undecodable.borrow_mut().push(path.to_path_buf());
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "encoding not supported by the test harness",
            )
        })
    }
}

/// One `<TEST>` of the suite.
#[derive(Debug)]
struct TestCase {
    id: String,
    kind: String,
    path: PathBuf,
    attributes: HashMap<String, String>,
}

/// The attributes of a start tag's text (`NAME="v"` / `NAME='v'`).
fn attributes(tag: &str) -> HashMap<String, String> {
    static ATTRIBUTE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r#"([A-Za-z:_-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')"#).unwrap()
    });
    ATTRIBUTE
        .captures_iter(tag)
        .map(|c| {
            (
                c[1].to_string(),
                c.get(2).or(c.get(3)).unwrap().as_str().to_string(),
            )
        })
        .collect()
}

/// Every TEST of the contributor index files that `xmlconf.xml` includes via entities.
fn test_cases(root: &Path) -> Vec<TestCase> {
    let main = std::fs::read_to_string(root.join("xmlconf.xml")).unwrap();
    let entity = regex::Regex::new(r#"<!ENTITY\s+\S+\s+SYSTEM\s+"([^"]+)""#).unwrap();
    let testcases_base = regex::Regex::new(r#"<TESTCASES[^>]*xml:base="([^"]*)""#).unwrap();
    let tag = regex::Regex::new(r"<TEST\s([^>]*)>").unwrap();
    let mut cases = Vec::new();
    for index in entity.captures_iter(&main) {
        let index_path = root.join(&index[1]);
        let Ok(text) = std::fs::read(&index_path) else {
            continue;
        };
        let text = decode(&text).unwrap();
        let base = index_path.parent().unwrap().to_path_buf();
        let inner_base = testcases_base
            .captures(&text)
            .map(|c| base.join(&c[1]))
            .unwrap_or(base);
        for t in tag.captures_iter(&text) {
            let attrs = attributes(&t[1]);
            cases.push(TestCase {
                id: attrs["ID"].clone(),
                kind: attrs["TYPE"].clone(),
                path: inner_base.join(&attrs["URI"]),
                attributes: attrs,
            });
        }
    }
    cases
}

/// Why a test is outside the scope of an XML 1.0 (fifth edition) DTD parser, if it is.
fn skip_reason(case: &TestCase) -> Option<&'static str> {
    let a = &case.attributes;
    if a.get("VERSION").is_some_and(|v| v == "1.1")
        || a.get("RECOMMENDATION")
            .is_some_and(|r| r == "XML1.1" || r == "NS1.1")
    {
        return Some("XML 1.1");
    }
    if a.get("EDITION")
        .is_some_and(|e| !e.split_whitespace().any(|x| x == "5"))
    {
        return Some("editions 1-4 only");
    }
    None
}

/// Byte range of the `<!DOCTYPE ...>` declaration in a document's prolog (XML declaration,
/// comments, processing instructions and whitespace skipped; quotes and `[...]` respected).
fn find_doctype(text: &str) -> Option<(usize, usize)> {
    let mut i = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    loop {
        let rest = text.get(i..)?;
        let trimmed = rest.trim_start_matches([' ', '\t', '\r', '\n']);
        i += rest.len() - trimmed.len();
        if trimmed.starts_with("<?") {
            i += trimmed.find("?>")? + 2;
        } else if trimmed.starts_with("<!--") {
            i += trimmed.find("-->")? + 3;
        } else if trimmed.starts_with("<!DOCTYPE") {
            break;
        } else {
            return None;
        }
    }
    let start = i;
    let bytes = text.as_bytes();
    let mut j = start + 9;
    let mut in_subset = false;
    let mut quote: Option<u8> = None;
    while j < bytes.len() {
        let b = bytes[j];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if in_subset && text.get(j..).is_some_and(|r| r.starts_with("<!--")) => {
                j += text.get(j..)?.find("-->")? + 2
            }
            None if in_subset && text.get(j..).is_some_and(|r| r.starts_with("<?")) => {
                j += text.get(j..)?.find("?>")? + 1
            }
            None if b == b'[' => in_subset = true,
            None if b == b']' => in_subset = false,
            None if b == b'>' && !in_subset => return Some((start, j + 1)),
            None => {}
        }
        j += 1;
    }
    None
}

/// What happened to one test.
enum Outcome {
    Skipped(&'static str),
    Loaded(Box<Schema>),
    Failed(String),
}

/// Load the DTD of one test document.
fn check(case: &TestCase, resolver: &TestResolver) -> Outcome {
    if let Some(reason) = skip_reason(case) {
        return Outcome::Skipped(reason);
    }
    let Ok(text) = resolver.read(&case.path) else {
        return Outcome::Skipped("encoding not supported by the harness");
    };
    let Some((start, end)) = find_doctype(&text) else {
        return Outcome::Skipped("no DOCTYPE");
    };
    let decl = &text[start..end];
    let doctype = match parse_doctype(decl) {
        Ok(d) => d,
        Err(e) => return Outcome::Failed(format!("parse_doctype: {e} at byte {}", e.offset)),
    };
    let before = &text[..start];
    let line = before.matches('\n').count() as u32 + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
    let external_subset = doctype.local_system_path(&case.path);
    let input = DocumentDtd {
        document: &case.path,
        document_text_line: line,
        document_text_column: column,
        doctype: &doctype,
        external_subset,
    };
    resolver.undecodable.borrow_mut().clear();
    match load_document_dtd(&input, resolver) {
        Ok(schema) => Outcome::Loaded(Box::new(schema)),
        Err(_) if !resolver.undecodable.borrow().is_empty() => {
            Outcome::Skipped("encoding not supported by the harness")
        }
        Err(LoadError::Io { path, source }) => {
            Outcome::Failed(format!("{}: {source}", path.display()))
        }
        Err(e) => Outcome::Failed(e.to_string()),
    }
}

#[test]
fn conformance_valid_and_invalid_documents_load() {
    let Some(root) = suite() else {
        println!("skipped: ../shared not present");
        return;
    };
    let resolver = TestResolver::default();
    let cases = test_cases(&root);
    assert!(cases.len() > 2000, "found only {} tests", cases.len());
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut valid_with_findings = Vec::new();
    let mut not_wf_rejected = 0;
    let mut not_wf_loaded = 0;
    let mut invalid_with_findings = 0;
    // Set QSCHEMA_CONFORMANCE_VERBOSE=1 to list every not-wf test and what happened to it.
    let verbose = std::env::var_os("QSCHEMA_CONFORMANCE_VERBOSE").is_some();
    for case in &cases {
        let outcome = check(case, &resolver);
        match (&outcome, case.kind.as_str()) {
            (Outcome::Skipped(reason), kind) => {
                *counts
                    .entry(format!("{kind}: skipped ({reason})"))
                    .or_default() += 1
            }
            (Outcome::Failed(message), "not-wf" | "error") => {
                not_wf_rejected += 1;
                if verbose {
                    println!(
                        "not-wf rejected: {} {}",
                        case.id,
                        message.lines().next().unwrap_or("")
                    );
                }
            }
            (Outcome::Loaded(_), "not-wf" | "error") => {
                not_wf_loaded += 1;
                if verbose {
                    println!(
                        "not-wf loaded: {} [{}] {}",
                        case.id,
                        case.attributes
                            .get("SECTIONS")
                            .map(String::as_str)
                            .unwrap_or(""),
                        case.path.display()
                    );
                }
            }
            (Outcome::Failed(message), kind) => {
                *counts.entry(format!("{kind}: FAILED")).or_default() += 1;
                failures.push(format!(
                    "{} ({kind}) {}:\n  {}",
                    case.id,
                    case.path.display(),
                    message.replace('\n', "\n  ")
                ));
            }
            (Outcome::Loaded(schema), kind) => {
                *counts.entry(format!("{kind}: loaded")).or_default() += 1;
                if kind == "invalid" && !schema.findings.is_empty() {
                    invalid_with_findings += 1;
                }
                if kind == "valid" {
                    let findings: Vec<String> = schema
                        .findings
                        .iter()
                        .map(|f| {
                            format!(
                                "[{}] {} @ {}",
                                f.rule,
                                f.message,
                                schema.display_location(f.location)
                            )
                        })
                        .collect();
                    if !findings.is_empty() {
                        valid_with_findings.push(format!("{}: {}", case.id, findings.join("; ")));
                    }
                }
            }
        }
    }
    for (what, n) in &counts {
        println!("{what}: {n}");
    }
    println!("invalid tests with a declaration-level finding (the others violate document-level constraints): {invalid_with_findings}");
    println!("not-wf/error tests (informational; most are errors in the document body): {not_wf_rejected} rejected by the DTD loader, {not_wf_loaded} loaded");
    assert!(
        failures.is_empty(),
        "{} valid/invalid tests failed to load:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        valid_with_findings.is_empty(),
        "{} valid tests got declaration-level findings:\n{}",
        valid_with_findings.len(),
        valid_with_findings.join("\n")
    );
}

/// `invalid` tests (and one `error` test: an undeclared parameter entity) about declaration-level validity constraints report the matching finding.
#[test]
fn conformance_declaration_level_findings() {
    let Some(root) = suite() else {
        println!("skipped: ../shared not present");
        return;
    };
    let expected = [
        ("id03", "dtd-multiple-id-attributes"),
        ("id04", "dtd-id-attribute-default"),
        ("id05", "dtd-id-attribute-default"),
        ("ibm-invalid-P56-ibm56i03.xml", "dtd-id-attribute-default"),
        ("ibm-invalid-P56-ibm56i05.xml", "dtd-id-attribute-default"),
        ("ibm-invalid-P56-ibm56i06.xml", "dtd-multiple-id-attributes"),
        ("el04", "dtd-duplicate-element-declaration"),
        (
            "ibm-invalid-P45-ibm45i01.xml",
            "dtd-duplicate-element-declaration",
        ),
        ("el05", "dtd-duplicate-mixed-name"),
        ("inv-dtd01", "dtd-duplicate-mixed-name"),
        ("ibm-invalid-P51-ibm51i03.xml", "dtd-duplicate-mixed-name"),
        ("inv-dtd02", "dtd-unparsed-entity-notation"),
        (
            "ibm-invalid-P76-ibm76i01.xml",
            "dtd-unparsed-entity-notation",
        ),
        ("attr04", "dtd-undeclared-notation"),
        ("attr09", "dtd-attribute-default-invalid"),
        ("attr10", "dtd-attribute-default-invalid"),
        ("attr11", "dtd-attribute-default-invalid"),
        ("attr12", "dtd-attribute-default-invalid"),
        ("attr14", "dtd-attribute-default-invalid"),
        ("attr15", "dtd-attribute-default-invalid"),
        ("attr13", "dtd-attribute-default-invalid"),
        ("attr16", "dtd-attribute-default-invalid"),
        (
            "ibm-invalid-P60-ibm60i03.xml",
            "dtd-attribute-default-invalid",
        ),
        (
            "ibm-invalid-P60-ibm60i04.xml",
            "dtd-attribute-default-invalid",
        ),
        ("ibm-invalid-P49-ibm49i01.xml", "dtd-pe-nesting"),
        ("ibm-invalid-P50-ibm50i01.xml", "dtd-pe-nesting"),
        ("ibm-invalid-P51-ibm51i01.xml", "dtd-pe-nesting"),
        (
            "ibm-invalid-P69-ibm69i01.xml",
            "dtd-undeclared-parameter-entity",
        ),
    ];
    let resolver = TestResolver::default();
    let cases = test_cases(&root);
    let mut problems = Vec::new();
    for (id, rule) in expected {
        let Some(case) = cases.iter().find(|c| c.id == id) else {
            problems.push(format!("{id}: not in the suite"));
            continue;
        };
        assert!(
            case.kind == "invalid" || case.kind == "error",
            "{id} is a {} test",
            case.kind
        );
        match check(case, &resolver) {
            Outcome::Loaded(schema) => {
                let rules: Vec<&str> = schema.findings.iter().map(|f| f.rule.as_str()).collect();
                if !rules.contains(&rule) {
                    problems.push(format!("{id}: expected finding {rule}, got {rules:?}"));
                }
            }
            Outcome::Skipped(reason) => problems.push(format!("{id}: skipped ({reason})")),
            Outcome::Failed(message) => problems.push(format!("{id}: failed to load: {message}")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `not-wf` tests (and `error` tests a processor may reject) whose mistake is in the DTD are
/// rejected with a diagnostic.
#[test]
fn conformance_dtd_well_formedness_errors_are_rejected() {
    let Some(root) = suite() else {
        println!("skipped: ../shared not present");
        return;
    };
    let expected = [
        "content02",                   // occurrence indicator on #PCDATA group
        "sgml07",                      // SGML-style omitted tag minimization
        "sgml11",                      // CDATA as element content
        "attlist09",                   // #CONREF default
        "o-p56fail2",                  // NUMBER attribute type
        "o-p46fail6",                  // content model after a complete one
        "dtd03",                       // PE reference without ';'
        "dtd05",                       // unquoted system id
        "cond01",                      // <![CDATA[ as a conditional section
        "uri01",                       // fragment identifier in a system id
        "not-wf-sa-064",               // no space before the default value
        "not-wf-sa-082",               // external entity in an attribute default
        "not-wf-sa-125",               // #PCDATA not first
        "not-wf-sa-160",               // PE in an entity value in the internal subset
        "not-wf-sa-180",               // entity used in a default before its declaration
        "not-wf-not-sa-006",           // INCLUDE without '['
        "not-wf-not-sa-008",           // '%' alone in an entity value
        "ibm-not-wf-P45-ibm45n08.xml", // <!Element
        "ibm-not-wf-P47-ibm47n02.xml", // bad content spec
        "ibm-not-wf-P50-ibm50n04.xml", // bad separator in a sequence
        "ibm-not-wf-P62-ibm62n08.xml", // malformed INCLUDE section
        "ibm-not-wf-P63-ibm63n01.xml", // lower-case ignore
    ];
    let resolver = TestResolver::default();
    let cases = test_cases(&root);
    let mut problems = Vec::new();
    for id in expected {
        let Some(case) = cases.iter().find(|c| c.id == id) else {
            problems.push(format!("{id}: not in the suite"));
            continue;
        };
        assert!(
            case.kind == "not-wf" || case.kind == "error",
            "{id} is a {} test",
            case.kind
        );
        // Tests are checked as the valid/invalid ones are, skip rules included.
        match check(case, &resolver) {
            Outcome::Failed(message) => println!("{id}: {}", message.lines().next().unwrap_or("")),
            Outcome::Loaded(_) => {
                problems.push(format!("{id}: loaded, but its DTD is not well-formed"))
            }
            Outcome::Skipped(reason) => problems.push(format!("{id}: skipped ({reason})")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
