//! JSON output: one document for the whole run.
//!
//! `{"files":[{"path","valid","schema","version","errors":[...],"truncated","aborted",
//! "failure"?,"versions"?}],"summary":{"files","valid","invalid","failed","errors","truncated"}}`

use qschema_validator::report::ValidationError;
use serde::Serialize;

use crate::cli::results::{FileResult, Outcome, Summary};

#[cfg(test)]
#[derive(Serialize)]
struct Run<'a> {
    files: Vec<FileJson<'a>>,
    summary: &'a Summary,
}

#[derive(Serialize)]
struct FailureJson<'a> {
    kind: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct VersionJson<'a> {
    version: &'a str,
    valid: bool,
    errors: &'a [ValidationError],
    #[serde(skip_serializing_if = "Option::is_none")]
    failure: Option<FailureJson<'a>>,
}

#[derive(Serialize)]
struct FileJson<'a> {
    path: &'a str,
    valid: bool,
    schema: Option<&'a str>,
    version: Option<&'a str>,
    errors: &'a [ValidationError],
    truncated: bool,
    aborted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    failure: Option<FailureJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    versions: Option<Vec<VersionJson<'a>>>,
}

/// Pretty JSON of `value`, every line after the first indented by `indent` spaces (pretty JSON
/// escapes line breaks inside strings, so every line break is structure).
fn pretty_indented<T: Serialize>(value: &T, indent: usize) -> String {
    let text = serde_json::to_string_pretty(value)
        .unwrap_or_else(|e| format!("{{\"error\":\"cannot serialize the results: {e}\"}}"));
    text.replace('\n', &format!("\n{:indent$}", ""))
}

/// One file's object, indented as an element of the `files` array (the caller writes the
/// separators: see [`separator`] and [`end()`]).
pub(super) fn file(r: &FileResult) -> String {
    format!("    {}", pretty_indented(&file_json(r), 4))
}

/// What comes before the file at index `index`.
pub(super) fn separator(index: usize) -> &'static str {
    if index == 0 {
        "{\n  \"files\": [\n"
    } else {
        ",\n"
    }
}

/// What comes after the last of `files` files: the summary. Together with [`separator`] and
/// [`file()`] this is exactly `serde_json::to_string_pretty` of the whole run, written as the
/// files finish.
pub(super) fn end(files: usize, summary: &Summary) -> String {
    let head = if files == 0 {
        "{\n  \"files\": [],\n"
    } else {
        "\n  ],\n"
    };
    format!("{head}  \"summary\": {}\n}}\n", pretty_indented(summary, 2))
}

/// The whole run in one piece (what the streamed parts add up to).
#[cfg(test)]
fn render(results: &[FileResult], summary: &Summary) -> String {
    let files = results.iter().map(file_json).collect();
    let run = Run { files, summary };
    let mut s = serde_json::to_string_pretty(&run).unwrap_or_default();
    s.push('\n');
    s
}

fn file_json(r: &FileResult) -> FileJson<'_> {
    let mut f = FileJson {
        path: &r.display,
        valid: r.is_valid(),
        schema: r.schema.as_deref(),
        version: r.version.as_deref(),
        errors: &[],
        truncated: false,
        aborted: false,
        failure: None,
        versions: None,
    };
    match &r.outcome {
        Outcome::Checked(report) => {
            f.errors = &report.errors;
            f.truncated = report.truncated;
            f.aborted = report.aborted;
        }
        Outcome::Failed(fail) => {
            f.failure = Some(FailureJson {
                kind: fail.kind.id(),
                message: &fail.message,
            });
        }
        Outcome::Versions(vs) => {
            f.versions = Some(
                vs.iter()
                    .map(|v| match &v.outcome {
                        Ok(report) => VersionJson {
                            version: &v.version,
                            valid: report.is_valid(),
                            errors: &report.errors,
                            failure: None,
                        },
                        Err(fail) => VersionJson {
                            version: &v.version,
                            valid: false,
                            errors: &[],
                            failure: Some(FailureJson {
                                kind: fail.kind.id(),
                                message: &fail.message,
                            }),
                        },
                    })
                    .collect(),
            );
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::results::{FailureKind, Outcome};
    use qschema_validator::report::Report;

    fn streamed(results: &[FileResult], summary: &Summary) -> String {
        let mut out = String::new();
        for (i, r) in results.iter().enumerate() {
            out.push_str(separator(i));
            out.push_str(&file(r));
        }
        out.push_str(&end(results.len(), summary));
        out
    }

    #[test]
    fn streamed_output_is_the_one_piece_document() {
        let mut report = Report::default();
        report.errors.push(ValidationError {
            line: 3,
            column: 7,
            path: "/a/b".to_string(),
            rule: "invalid-value".to_string(),
            message: "line\nbreak and \"quotes\"".to_string(),
            found: Some("x".to_string()),
            expected: None,
            declared_at: None,
        });
        let checked = FileResult {
            display: "a.xml".to_string(),
            schema: Some("was/finding.xsd".to_string()),
            version: Some("2.25".to_string()),
            outcome: Outcome::Checked(report),
        };
        let failed = FileResult::failed("b.xml", FailureKind::Io, "cannot read".to_string());
        for results in [vec![], vec![failed.clone()], vec![checked, failed]] {
            let summary = Summary::of(&results);
            assert_eq!(streamed(&results, &summary), render(&results, &summary));
        }
    }
}
