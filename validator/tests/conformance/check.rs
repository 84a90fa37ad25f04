//! Judging one case: what our engine says, and (optionally) what xmllint says.

use std::path::Path;
use std::process::{Command, Stdio};

use qschema_validator::engine::{validate, DocumentInput, Options};
use qschema_validator::report::{rules, Report};

use super::index::{Case, Kind};

/// The verdict on one case.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Whether the processor did what the suite expects.
    pub pass: bool,
    /// What the processor said (its first error, or "no error").
    pub said: String,
}

/// Run our engine on the case as a validating processor: the external DTD subset and
/// external parameter entities in local files are read, a document without a DTD is invalid;
/// namespace processing only for the Namespaces in XML tests.
pub fn ours(case: &Case) -> Outcome {
    let report = match std::fs::File::open(&case.path) {
        Ok(file) => run(std::io::BufReader::new(file), &case.path, case.namespaces),
        Err(e) => {
            return Outcome {
                pass: false,
                said: format!("cannot open: {e}"),
            }
        }
    };
    let wf_error = report
        .errors
        .iter()
        .find(|e| e.rule == rules::NOT_WELL_FORMED || e.rule == rules::ENCODING);
    let pass = match case.kind {
        Kind::Valid => report.is_valid(),
        Kind::Invalid => !report.is_valid() && wf_error.is_none(),
        Kind::NotWf => wf_error.is_some(),
    };
    let shown = match case.kind {
        Kind::Valid | Kind::Invalid => wf_error.or(report.errors.first()),
        Kind::NotWf => report.errors.first(),
    };
    let said = shown.map_or_else(
        || "no error".to_string(),
        |e| format!("{}:{} [{}] {}", e.line, e.column, e.rule, e.message),
    );
    let said = without_machine_paths(&said);
    Outcome { pass, said }
}

/// Messages may name files by absolute path: keep them relative to the suite folder, so the
/// snapshot is the same on every machine.
fn without_machine_paths(message: &str) -> String {
    const SUITE: &str = "/conformance/xmlconf/";
    message
        .split(' ')
        .map(|word| match word.find(SUITE) {
            Some(i) => &word[i + SUITE.len()..],
            None => word,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn run<R: std::io::BufRead>(reader: R, path: &Path, namespaces: bool) -> Report {
    let doc = DocumentInput {
        display_name: "t.xml",
        path: Some(path),
    };
    let opts = Options {
        allow_local_external_entities: true,
        load_external_dtd: true,
        require_dtd: true,
        namespace_aware: namespaces,
        ..Options::default()
    };
    validate(reader, &doc, None, &qschema_model::FsResolver, &opts)
}

/// xmllint's exit code on the case, run as the issue says: `--noout --valid` for valid and
/// invalid cases, `--noout --loaddtd` for not-wf cases (`--nonet` always). `None` when it could
/// not run or was killed.
pub fn xmllint(case: &Case) -> Option<i32> {
    let mode = match case.kind {
        Kind::Valid | Kind::Invalid => "--valid",
        Kind::NotWf => "--loaddtd",
    };
    Command::new("xmllint")
        .args(["--noout", "--nonet", mode])
        .arg(&case.path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?
        .code()
}

/// Whether xmllint's exit code counts as a pass, the way the issue counted: valid = exit 0,
/// invalid and not-wf = any failure. With `strict`, an invalid case passes only with a
/// validity error (exit 3 or 4), not a well-formedness error (exit 1).
pub fn xmllint_pass(kind: Kind, code: Option<i32>, strict: bool) -> bool {
    match kind {
        Kind::Valid => code == Some(0),
        Kind::Invalid if strict => matches!(code, Some(3) | Some(4)),
        Kind::Invalid | Kind::NotWf => code.is_some_and(|c| c != 0),
    }
}
