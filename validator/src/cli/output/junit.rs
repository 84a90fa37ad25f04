//! JUnit XML: one testsuite, one testcase per file; invalid files have a `<failure>`, files
//! that could not be checked an `<error>`.

use crate::cli::results::{FileResult, Outcome, Summary};

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
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
            escape(&r.display)
        ));
        let body = match &r.outcome {
            Outcome::Failed(f) => Some(format!(
                "    <error type=\"{}\" message=\"{}\"/>\n",
                f.kind.id(),
                escape(&f.message)
            )),
            _ if r.is_valid() => None,
            Outcome::Checked(report) => {
                let text: Vec<String> = report
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
                    escape(&text.join("\n"))
                ))
            }
            Outcome::Versions(vs) => {
                let text: Vec<String> = vs
                    .iter()
                    .map(|v| match &v.outcome {
                        Ok(rep) => format!("{}: {} errors", v.version, rep.errors.len()),
                        Err(f) => format!("{}: [{}] {}", v.version, f.kind.id(), f.message),
                    })
                    .collect();
                Some(format!(
                    "    <failure type=\"invalid\" message=\"accepted by no version\">{}</failure>\n",
                    escape(&text.join("\n"))
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
