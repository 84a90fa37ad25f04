//! Differential check of the datatype fixtures against xmllint (libxml2), the reference.
//!
//! Every fixture case is turned into an XSD plus one document holding every value (one element
//! per line), validated with `xmllint --schema`. Where xmllint's verdict differs from the
//! fixture's, the value must be listed in the case's `xmllint_differs` (with a comment in the
//! fixture saying why we follow the XSD specification instead); listed values that no longer
//! differ fail too, so the list stays exact.

use std::fmt::Write;
use std::path::Path;
use std::process::Command;

use super::{Case, Fixture, TypeDef};

/// Whether `xmllint` can be run.
pub fn available() -> bool {
    Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Text and attribute content with `&`, `<`, `"` and tab/newline/CR as references, so that
/// the value reaches the validator exactly.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// Whether a value can appear in an XML 1.0 document at all.
fn is_xml_text(value: &str) -> bool {
    value
        .chars()
        .all(|c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..))
}

fn facets_xml(def: &TypeDef) -> String {
    let mut out = String::new();
    let mut single = |name: &str, value: Option<String>| {
        if let Some(v) = value {
            let _ = write!(out, r#"<xs:{name} value="{}"/>"#, escape(&v));
        }
    };
    single("length", def.length.map(|v| v.to_string()));
    single("minLength", def.min_length.map(|v| v.to_string()));
    single("maxLength", def.max_length.map(|v| v.to_string()));
    single("totalDigits", def.total_digits.map(|v| v.to_string()));
    single("fractionDigits", def.fraction_digits.map(|v| v.to_string()));
    single("minInclusive", def.min_inclusive.clone());
    single("minExclusive", def.min_exclusive.clone());
    single("maxInclusive", def.max_inclusive.clone());
    single("maxExclusive", def.max_exclusive.clone());
    single("whiteSpace", def.white_space.clone());
    for e in &def.enumeration {
        let _ = write!(out, r#"<xs:enumeration value="{}"/>"#, escape(e));
    }
    for p in &def.pattern {
        let _ = write!(out, r#"<xs:pattern value="{}"/>"#, escape(p));
    }
    out
}

/// The fixture's `[[type]]` tables as XSD simple types (anonymous ones get their fixture name:
/// only verdicts are compared).
fn types_xml(types: &[TypeDef]) -> String {
    let mut out = String::new();
    for def in types {
        let facets = facets_xml(def);
        let body = match (&def.base, &def.list, &def.union) {
            (Some(base), _, _) => {
                format!(r#"<xs:restriction base="{base}">{facets}</xs:restriction>"#)
            }
            (_, Some(item), _) => format!(r#"<xs:list itemType="{item}"/>"#),
            (_, _, Some(members)) => format!(r#"<xs:union memberTypes="{}"/>"#, members.join(" ")),
            _ => String::new(),
        };
        let body = if def.base.is_none() && !facets.is_empty() {
            // Facets on a list or union type: a restriction of the anonymous list/union.
            format!(
                "<xs:restriction><xs:simpleType>{body}</xs:simpleType>{facets}</xs:restriction>"
            )
        } else {
            body
        };
        let _ = writeln!(
            out,
            r#"<xs:simpleType name="{}">{body}</xs:simpleType>"#,
            def.name
        );
    }
    out
}

/// Run xmllint over every case of a fixture; returns one line per unexpected difference.
pub fn compare(path: &Path, fixture: &Fixture) -> Vec<String> {
    let file = path
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let mut declarations = String::new();
    // (line in the document, case index, value, fixture verdict)
    let mut rows: Vec<(usize, usize, String, bool)> = Vec::new();
    let mut doc = String::from("<dt-root>\n");
    for (i, case) in fixture.cases.iter().enumerate() {
        let (element, attribute) = element_for(case, i, &mut declarations);
        for (value, valid) in case
            .valid
            .iter()
            .map(|v| (v, true))
            .chain(case.invalid.iter().map(|v| (v, false)))
        {
            if !is_xml_text(value) {
                continue;
            }
            let line = doc.lines().count() + 1;
            match &attribute {
                Some(a) => {
                    let _ = writeln!(doc, r#"<{element} {a}="{}"/>"#, escape(value));
                }
                None => {
                    let _ = writeln!(doc, "<{element}>{}</{element}>", escape(value));
                }
            }
            rows.push((line, i, value.clone(), valid));
        }
    }
    doc.push_str("</dt-root>\n");
    let root = r#"<xs:element name="dt-root"><xs:complexType><xs:choice minOccurs="0" maxOccurs="unbounded"><xs:any processContents="strict"/></xs:choice></xs:complexType></xs:element>"#;
    let schema = match &fixture.schema {
        Some(text) => {
            let Some(end) = text.rfind("</xs:schema>") else {
                return vec![format!("{file}: schema has no </xs:schema>")];
            };
            format!("{}{declarations}{root}\n{}", &text[..end], &text[end..])
        }
        None => format!(
            "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n{}{declarations}{root}\n</xs:schema>\n",
            types_xml(&fixture.types)
        ),
    };
    let dir = std::env::temp_dir().join(format!("qschema-datatypes-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let stem = path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let xsd_path = dir.join(format!("{stem}.xsd"));
    let doc_path = dir.join(format!("{stem}.xml"));
    std::fs::write(&xsd_path, schema).unwrap();
    std::fs::write(&doc_path, &doc).unwrap();
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd_path)
        .arg(&doc_path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !matches!(output.status.code(), Some(0 | 3)) {
        return vec![format!("{file}: xmllint could not run the check: {stderr}")];
    }
    let doc_name = doc_path.to_string_lossy().to_string();
    let failing: std::collections::HashSet<usize> = stderr
        .lines()
        .filter(|l| l.contains("Schemas validity error"))
        .filter_map(|l| l.strip_prefix(&format!("{doc_name}:")))
        .filter_map(|l| l.split(':').next()?.parse().ok())
        .collect();
    let mut problems = Vec::new();
    for (i, case) in fixture.cases.iter().enumerate() {
        let differs: Vec<&String> = rows
            .iter()
            .filter(|(line, c, _, valid)| *c == i && failing.contains(line) == *valid)
            .map(|(_, _, v, _)| v)
            .collect();
        for v in &differs {
            if !case.xmllint_differs.contains(v) {
                problems.push(format!("{file}: {} {v:?}: xmllint disagrees (add to xmllint_differs with the reason, or fix)", case.ty));
            }
        }
        for v in &case.xmllint_differs {
            if !differs.contains(&v) {
                problems.push(format!(
                    "{file}: {} {v:?} is in xmllint_differs but xmllint agrees",
                    case.ty
                ));
            }
        }
    }
    problems
}

/// The element (and attribute) carrying a case's values in the document; declares a global
/// element of the case's type when needed.
fn element_for(case: &Case, i: usize, declarations: &mut String) -> (String, Option<String>) {
    if let Some((element, attribute)) = case
        .ty
        .strip_prefix("attribute:")
        .and_then(|p| p.split_once("/@"))
    {
        return (element.to_string(), Some(attribute.to_string()));
    }
    if let Some(element) = case.ty.strip_prefix("element:") {
        return (element.to_string(), None);
    }
    let name = format!("dt-c{i}");
    let _ = writeln!(
        declarations,
        r#"<xs:element name="{name}" type="{}"/>"#,
        case.ty
    );
    (name, None)
}
