//! No input makes the engine panic: every fixture document, cut short at many positions and
//! with bytes replaced by markup characters, invalid UTF-8 or control characters, is validated
//! against its schema (or none). Each run must finish with a report; a cut-short document must
//! never be reported valid.

use std::path::Path;

use qschema_validator::engine::{validate, CompiledSchema, DocumentInput, Options};

#[path = "engine_support/fixture_dirs.rs"]
mod fixture_dirs;
use fixture_dirs::{fixtures, schema};

fn run(
    bytes: &[u8],
    dir: &Path,
    schema: Option<&CompiledSchema>,
) -> qschema_validator::report::Report {
    let path = dir.join("doc.xml");
    let doc = DocumentInput {
        display_name: "doc.xml",
        path: Some(&path),
    };
    validate(
        bytes,
        &doc,
        schema,
        &qschema_model::FsResolver,
        &Options::default(),
    )
}

#[test]
fn mutated_fixture_documents_never_panic() {
    let mut runs = 0;
    for dir in fixtures() {
        let original = std::fs::read(dir.join("doc.xml")).expect("doc");
        let schema = schema(&dir);
        let root_closed = |b: &[u8]| {
            // A cut that still contains the whole root element may legitimately be valid
            // (NULs: the high bytes of a UTF-16LE document).
            String::from_utf8_lossy(b)
                .trim_end_matches(|c: char| c.is_whitespace() || c == '\0')
                .ends_with('>')
        };
        for cut in (0..original.len()).step_by(2) {
            let part = &original[..cut];
            let report = run(part, &dir, schema.as_ref());
            runs += 1;
            if !root_closed(part) {
                assert!(
                    !report.is_valid(),
                    "{}: cut at {cut} reported valid",
                    dir.display()
                );
            }
        }
        for (i, replacement) in (0..original.len()).step_by(3).zip(
            [b'<', b'>', b'&', b'"', 0xFF, 0x01, b']', b'/', 0xC3]
                .iter()
                .cycle(),
        ) {
            let mut mutated = original.clone();
            mutated[i] = *replacement;
            let _ = run(&mutated, &dir, schema.as_ref());
            runs += 1;
        }
    }
    assert!(runs > 1000, "only {runs} runs");
}

/// A thread reuses the memory of its earlier passes (buffers, path frames, validator pools),
/// never their state: every fixture validated right after documents cut short inside nested
/// elements (with IDs defined, frames, namespaces and paths left open) gets exactly the report
/// it gets on a thread that never ran a pass.
#[test]
fn a_pass_keeps_nothing_of_the_previous_documents() {
    let dirs = fixtures();
    let fresh: Vec<_> = dirs
        .iter()
        .map(|dir| {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let doc = std::fs::read(dir.join("doc.xml")).expect("doc");
                run(&doc, &dir, schema(&dir).as_ref())
            })
            .join()
            .expect("fresh thread")
        })
        .collect();
    let mut compared = 0;
    for (i, dir) in dirs.iter().enumerate() {
        let doc = std::fs::read(dir.join("doc.xml")).expect("doc");
        let schema = schema(dir);
        // Dirty this thread: every other fixture, cut at two thirds (inside nested elements).
        for other in &dirs {
            let bytes = std::fs::read(other.join("doc.xml")).expect("doc");
            let cut = &bytes[..bytes.len() * 2 / 3];
            let _ = run(cut, other, self::schema(other).as_ref());
        }
        assert_eq!(
            run(&doc, dir, schema.as_ref()),
            fresh[i],
            "{}",
            dir.display()
        );
        compared += 1;
    }
    assert!(compared > 10, "only {compared} fixtures compared");
}

/// Events cut by the end of the bytes read so far are parsed whole once more are read: the
/// same document, with the first read's end (8 KiB in) falling on each of its bytes in turn
/// (a padding comment of its own line moves it), gets the same report every time. The
/// document has what the reader treats apart: a DOCTYPE whose internal subset holds `>`,
/// a text that starts with U+FEFF (quick-xml drops a byte order mark at the start of the
/// bytes it is given), CR LF, a CDATA section, a PI, entity references, attributes with `>`.
#[test]
fn events_cut_by_the_end_of_the_bytes_read_are_parsed_whole() {
    let body = "<!DOCTYPE r [\n<!ELEMENT r (e|f|g)*>\n<!ELEMENT e EMPTY>\n\
        <!ELEMENT f (#PCDATA)>\n<!ATTLIST f a CDATA #IMPLIED>\n<!ENTITY ent \"x > y\">\n\
        <!-- a comment with > inside -->\n]>\n<r>\n \t<e>\u{FEFF}</e>\n\
        <f a=\"1 > 0\">caf\u{e9} &ent; <![CDATA[ <not markup> ]]></f><?pi data?>\n    <g/>\n\
        <!-- c -->\n<f>\r\ntext\r</f>\n<h/>\n</r>\n";
    let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!--";
    let doc = |pad: usize| format!("{head}{}-->\n{body}", "p".repeat(pad)).into_bytes();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let first_read = 8 * 1024;
    // The padding that puts the read's end just before the body, then on each of its bytes.
    let before = first_read - head.len() - "-->\n".len();
    let reference = run(&doc(10), dir, None);
    let messages: Vec<&str> = reference
        .errors
        .iter()
        .map(|e| e.message.as_str())
        .collect();
    assert_eq!(reference.errors.len(), 4, "{messages:?}");
    assert!(
        reference.errors[0].message.contains("EMPTY"),
        "{messages:?}"
    );
    for pad in before - body.len()..=before {
        let report = run(&doc(pad), dir, None);
        assert_eq!(report, reference, "padding {pad}: {report:#?}");
    }
}
