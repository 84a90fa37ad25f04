//! The XSD front end and the schema diff never panic: thousands of seeded mutations of every
//! XSD of the repository (`schemas/` and the fixtures) either load, and then diff against the
//! original both ways, or fail with diagnostics that carry a position.
//!
//! The mutations work on lines and attributes, so most of them stay well-formed and reach the
//! lowering: a line removed, repeated or moved, an attribute removed, a quoted value replaced by
//! another value of the same file, a schema fragment (particle, facet, attribute, identity
//! constraint...) inserted, a few characters cut out.

mod seeded;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use seeded::Rng;

use qschema_model::diff::{diff_schemas, Directions, RoleSpec};
use qschema_model::{automaton, xsd, FsResolver, LoadError, Schema};

/// Mutations per schema file.
const PER_FILE: usize = 40;

/// Fragments inserted at random places.
const PIECES: &[&str] = &[
    "<",
    ">",
    "\"",
    "/>",
    " ref=\"x\"",
    " type=\"xs:int\"",
    " type=\"Unknown\"",
    " minOccurs=\"0\"",
    " maxOccurs=\"unbounded\"",
    " maxOccurs=\"0\"",
    " minOccurs=\"5\"",
    " abstract=\"true\"",
    " nillable=\"true\"",
    " default=\"1\"",
    " fixed=\"x\"",
    " substitutionGroup=\"a\"",
    " mixed=\"true\"",
    " block=\"#all\"",
    " final=\"#all\"",
    " use=\"prohibited\"",
    " form=\"qualified\"",
    "<xs:sequence>",
    "</xs:sequence>",
    "<xs:choice>",
    "</xs:choice>",
    "<xs:all>",
    "</xs:all>",
    "<xs:any/>",
    "<xs:anyAttribute/>",
    "<xs:element name=\"a\"/>",
    "<xs:group ref=\"g\"/>",
    "<xs:attributeGroup ref=\"g\"/>",
    "<xs:attribute name=\"a\"/>",
    "<xs:complexType>",
    "</xs:complexType>",
    "<xs:simpleType>",
    "</xs:simpleType>",
    "<xs:restriction base=\"xs:string\">",
    "</xs:restriction>",
    "<xs:extension base=\"xs:anyType\">",
    "</xs:extension>",
    "<xs:simpleContent>",
    "<xs:complexContent>",
    "<xs:pattern value=\"[a-z\"/>",
    "<xs:enumeration value=\"\"/>",
    "<xs:length value=\"-1\"/>",
    "<xs:totalDigits value=\"0\"/>",
    "<xs:minInclusive value=\"5\"/>",
    "<xs:maxExclusive value=\"1\"/>",
    "<xs:list itemType=\"xs:int\"/>",
    "<xs:union memberTypes=\"xs:int xs:date\"/>",
    "<xs:key name=\"k\"><xs:selector xpath=\".//a\"/><xs:field xpath=\"@id\"/></xs:key>",
    "<xs:keyref name=\"r\" refer=\"k\"><xs:selector xpath=\"a\"/><xs:field xpath=\"b\"/></xs:keyref>",
    "<xs:include schemaLocation=\"missing.xsd\"/>",
    "<xs:import namespace=\"urn:x\"/>",
    " xmlns:tns=\"urn:t\"",
    " targetNamespace=\"urn:t\"",
    "<!--",
    "&#0;",
    "xs:QName",
    "xs:ID",
    "é",
];

/// Every `.xsd` under the repository's `schemas/` and this crate's XSD fixtures, with its text.
fn inputs() -> Vec<(PathBuf, String)> {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stack = vec![
        crate_dir.join("../schemas"),
        crate_dir.join("tests/fixtures/xsd"),
    ];
    let mut out = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("schema folder") {
            let path = entry.expect("folder entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "xsd") {
                let bytes = std::fs::read(&path).expect("schema file");
                let text = qschema_model::encoding::decode(bytes).expect("schema text");
                out.push((path, text));
            }
        }
    }
    out.sort();
    assert!(out.len() > 60, "expected the repository's XSDs");
    out
}

/// The quoted attribute values of `text` (the names and types a mutation can swap in).
fn quoted_values(text: &str) -> Vec<&str> {
    text.split("=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(value, _)| value))
        .collect()
}

/// A character boundary of `line`, at random.
fn boundary(rng: &mut Rng, line: &str) -> usize {
    let bounds: Vec<usize> = (0..=line.len())
        .filter(|&k| line.is_char_boundary(k))
        .collect();
    bounds[rng.below(bounds.len())]
}

/// One to three mutations of `text`.
fn mutate(rng: &mut Rng, text: &str, values: &[&str]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for _ in 0..=rng.below(3) {
        if lines.is_empty() {
            break;
        }
        let i = rng.below(lines.len());
        match rng.below(7) {
            0 => {
                lines.remove(i);
            }
            1 => {
                let line = lines[i].clone();
                let at = rng.below(lines.len() + 1);
                lines.insert(at, line);
            }
            2 => {
                let line = lines.remove(i);
                let at = rng.below(lines.len() + 1);
                lines.insert(at, line);
            }
            3 if !values.is_empty() => {
                let line = &lines[i];
                let starts: Vec<usize> = line.match_indices("=\"").map(|(k, _)| k + 2).collect();
                if starts.is_empty() {
                    continue;
                }
                let start = starts[rng.below(starts.len())];
                if let Some(len) = line[start..].find('"') {
                    let value = values[rng.below(values.len())];
                    lines[i] = format!("{}{value}{}", &line[..start], &line[start + len..]);
                }
            }
            4 => {
                let line = &lines[i];
                let start = boundary(rng, line);
                let rest = &line[start..];
                if let Some(end) = rest.find("\" ").or_else(|| rest.find('"')) {
                    let end = start + end + 1;
                    if line[start..end].contains('=') {
                        lines[i] = format!("{}{}", &line[..start], &line[end..]);
                    }
                }
            }
            5 => {
                let line = &lines[i];
                let start = boundary(rng, line);
                let end = (start + rng.below(10)).min(line.len());
                let end = (end..=line.len())
                    .find(|&k| line.is_char_boundary(k))
                    .unwrap_or(line.len());
                lines[i] = format!("{}{}", &line[..start], &line[end..]);
            }
            _ => {
                let line = &lines[i];
                let at = boundary(rng, line);
                let piece = PIECES[rng.below(PIECES.len())];
                lines[i] = format!("{}{piece}{}", &line[..at], &line[at..]);
            }
        }
    }
    lines.join("\n")
}

/// Load `text` as the schema at `path`; it must load (and then diff against `original` both
/// ways) or fail with located diagnostics, and nothing may panic. Whether it loaded.
fn check(path: &Path, text: &str, original: Option<&Schema>) -> bool {
    let whole = RoleSpec::Whole(Directions {
        request: true,
        response: true,
    });
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut schema = xsd::load_str(text, path, &FsResolver)?;
        automaton::add_determinism_findings(&mut schema);
        if let Some(original) = original {
            diff_schemas(original, &schema, &whole, &whole);
            diff_schemas(&schema, original, &whole, &whole);
        }
        Ok::<_, LoadError>(())
    }));
    match result {
        Err(_) => panic!("panicked on a mutation of {}:\n{text}", path.display()),
        Ok(Err(e)) => {
            assert!(
                !e.diagnostics().is_empty() || matches!(e, LoadError::Io { .. }),
                "{}: rejected without diagnostics ({e}):\n{text}",
                path.display()
            );
            for d in e.diagnostics() {
                assert!(
                    d.line > 0 && d.column > 0,
                    "no position: {d} for a mutation of {}:\n{text}",
                    path.display()
                );
            }
            false
        }
        Ok(Ok(())) => true,
    }
}

#[test]
fn mutated_schemas_load_or_fail_cleanly() {
    let mut rng = Rng(0x5eed_0bad_c0de);
    let (mut cases, mut loaded) = (0, 0);
    for (path, text) in inputs() {
        let original = xsd::load_str(&text, &path, &FsResolver).ok();
        let values = quoted_values(&text);
        for _ in 0..PER_FILE {
            let mutated = mutate(&mut rng, &text, &values);
            cases += 1;
            loaded += usize::from(check(&path, &mutated, original.as_ref()));
        }
    }
    println!("{cases} mutated schemas, {loaded} loaded and diffed both ways");
    // Mutations that still load are what reach the lowering and the diff: keep them common.
    assert!(
        loaded * 20 > cases,
        "only {loaded} of {cases} mutations loaded: the mutations no longer reach the lowering"
    );
}
