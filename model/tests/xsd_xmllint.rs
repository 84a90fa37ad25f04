//! Differential test against libxml2 (`xmllint --schema`, offline): every well-formed fixture
//! compiles there too and every malformed one is rejected there too, except the listed
//! deliberate differences (each must still differ, so the list stays true). Skipped when
//! xmllint is not installed (CI installs it).

mod xsd_common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Fixtures where libxml2 and this front end disagree on purpose, with the reason.
const DIFFERENCES: &[(&str, &str, &str)] = &[
    (
        "wellformed",
        "attributes",
        "xml:lang/xml:space/xml:base/xml:id are built in here; libxml2 needs xml.xsd imported with a schemaLocation",
    ),
    (
        "malformed",
        "bad_content_restriction",
        "libxml2 does not check that a complexContent restriction narrows the base's particle",
    ),
    (
        "wellformed",
        "include_self",
        "a schema document including itself adds no components and no XSD 1.0 rule forbids it; libxml2 refuses it (\"cannot include itself\")",
    ),
    (
        "malformed",
        "notation_used_directly",
        "XSD 1.0 Part 2, 3.2.19 makes a direct use of xs:NOTATION (without enumeration values) a schema error; libxml2 loads the schema and only rejects the values",
    ),
    (
        "malformed",
        "inconsistent_elements",
        "libxml2 does not check Element Declarations Consistent (one name, one type per content model)",
    ),
    (
        "wellformed",
        "date_bounds_incomparable",
        "XSD 1.0 Part 2, 3.2.7.4 makes a dateTime with a timezone and one without, less than 14 hours apart, incomparable, so minInclusive is not greater than maxInclusive; libxml2 refuses the pair",
    ),
];

fn xmllint_available() -> bool {
    Command::new("xmllint")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether xmllint compiles the schema (an instance that does not match is fine: exit 3;
/// a schema that does not compile is exit 5).
fn check(path: &Path) -> bool {
    let mut child = Command::new("xmllint")
        .args(["--nonet", "--noout", "--schema"])
        .arg(path)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run xmllint");
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(b"<x/>").expect("write instance");
    }
    let status = child.wait().expect("xmllint exit");
    status.code() != Some(5)
}

#[test]
fn fixtures_agree_with_xmllint() {
    if !xmllint_available() {
        println!("skipped: xmllint not installed");
        return;
    }
    let mut problems = Vec::new();
    for (group, should_compile) in [("wellformed", true), ("malformed", false)] {
        for (name, path) in xsd_common::fixtures(group) {
            let differs = DIFFERENCES
                .iter()
                .any(|(g, n, _)| *g == group && *n == name);
            let compiles = check(&path);
            match (compiles == should_compile, differs) {
                (true, false) | (false, true) => {}
                (false, false) => problems.push(format!(
                    "{group}/{name}: xmllint {} it",
                    if compiles { "accepts" } else { "rejects" }
                )),
                (true, true) => problems.push(format!(
                    "{group}/{name} is listed as a difference but xmllint agrees now"
                )),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
