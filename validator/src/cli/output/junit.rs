//! JUnit XML: one testsuite, one testcase per file; invalid files have a `<failure>`, files
//! that could not be checked an `<error>`.

use crate::cli::results::{FileResult, Outcome, Summary};

/// Escape text for an attribute value or character data. Line breaks and tabs are written as
/// character references so that attribute values keep them (a parser would turn them into
/// spaces otherwise); characters XML 1.0 cannot carry at all become U+FFFD.
fn escape(s: &str, in_attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\n' | '\t' if in_attribute => out.push_str(&format!("&#{};", c as u32)),
            '\n' | '\t' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{fffe}' | '\u{ffff}') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Escape an attribute value.
fn attribute(s: &str) -> String {
    escape(s, true)
}

/// Escape character data.
fn text(s: &str) -> String {
    escape(s, false)
}

/// The whole document: the testsuite (whose counts need the whole run) around the testcases.
pub(super) fn document(testcases: &str, summary: &Summary) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuite name=\"validate\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\">\n",
        summary.files, summary.invalid, summary.failed
    ));
    out.push_str(testcases);
    out.push_str("</testsuite>\n");
    out
}

/// The testcase of one file.
pub(super) fn file(r: &FileResult) -> String {
    let mut out = String::new();
    {
        out.push_str(&format!(
            "  <testcase classname=\"validate\" name=\"{}\"",
            attribute(&r.display)
        ));
        let body = match &r.outcome {
            Outcome::Failed(f) => Some(format!(
                "    <error type=\"{}\" message=\"{}\"/>\n",
                f.kind.id(),
                attribute(&f.message)
            )),
            _ if r.is_valid() => None,
            Outcome::Checked(report) => {
                let lines: Vec<String> = report
                    .errors
                    .iter()
                    .map(|e| {
                        format!(
                            "{}:{}:{} [{}] {}: {}",
                            r.display, e.line, e.column, e.rule, e.path, e.message
                        )
                    })
                    .collect();
                Some(format!(
                    "    <failure type=\"invalid\" message=\"{} error{}\">{}</failure>\n",
                    report.errors.len(),
                    if report.errors.len() == 1 { "" } else { "s" },
                    text(&lines.join("\n"))
                ))
            }
            Outcome::Versions(vs) => {
                let lines: Vec<String> = vs
                    .iter()
                    .map(|v| match &v.outcome {
                        Ok(rep) => format!("{}: {} errors", v.version, rep.errors.len()),
                        Err(f) => format!("{}: [{}] {}", v.version, f.kind.id(), f.message),
                    })
                    .collect();
                Some(format!(
                    "    <failure type=\"invalid\" message=\"accepted by no version\">{}</failure>\n",
                    text(&lines.join("\n"))
                ))
            }
        };
        match body {
            Some(b) => {
                out.push_str(">\n");
                out.push_str(&b);
                out.push_str("  </testcase>\n");
            }
            None => out.push_str("/>\n"),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_values_keep_line_breaks_and_text_loses_nothing_xml_can_carry() {
        assert_eq!(attribute("a\nb\tc\rd"), "a&#10;b&#9;c&#13;d");
        assert_eq!(text("a\nb\tc\rd"), "a\nb\tc&#13;d");
        assert_eq!(
            text("<&>\u{1b}\u{fffe}\u{9b}"),
            "&lt;&amp;&gt;\u{FFFD}\u{FFFD}\u{9b}"
        );
    }

    #[test]
    fn the_output_is_well_formed_xml_whatever_the_names() {
        let xml = format!(
            "<t name=\"{}\">{}</t>",
            attribute("x\ny\u{ffff}\"'"),
            text("\u{0}\u{fffe}]]>")
        );
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        assert_eq!(
            doc.root_element().attribute("name"),
            Some("x\ny\u{FFFD}\"'")
        );
    }
}
