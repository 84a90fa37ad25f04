//! JSON output: one document for the whole run.
//!
//! `{"files":[{"path","valid","schema","version","errors":[...],"truncated","aborted",
//! "failure"?,"versions"?}],"summary":{"files","valid","invalid","failed","errors"}}`

use qschema_validator::report::ValidationError;
use serde::Serialize;

use crate::cli::results::{FileResult, Outcome, Summary};

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

pub(super) fn render(results: &[FileResult], summary: &Summary) -> String {
    let files = results.iter().map(file_json).collect();
    let run = Run { files, summary };
    let mut s = serde_json::to_string_pretty(&run)
        .unwrap_or_else(|e| format!("{{\"error\":\"cannot serialize the results: {e}\"}}"));
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
