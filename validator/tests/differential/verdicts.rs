//! The two validators on one document: our engine in process (the schema compiled once per
//! file, as `validate` does) and `xmllint --noout --nonet --dtdvalid F` / `--schema F` as a
//! process reading the document from stdin.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use qschema_model::FsResolver;
use qschema_validator::engine::{validate, CompiledSchema, DocumentInput, Options};
use qschema_validator::report::rules as ids;
use qschema_validator::rules::{Context, RuleSet};

/// What one validator said about one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// No error.
    pub valid: bool,
    /// The lines of the errors, in report order (line 0, "no position", left out).
    pub lines: Vec<usize>,
    /// Read to the end as XML (no well-formedness, encoding or limit error).
    pub well_formed: bool,
    /// The first error's message (`None` when valid).
    pub first: Option<String>,
    /// Every error message (ours: as reported; xmllint's: after `-:LINE: `).
    pub messages: Vec<String>,
    /// The first few messages, for the failure report.
    pub summary: String,
}

/// Our engine's verdict. Only the engine runs (no Qualys rules pass), so every error is a
/// schema or well-formedness error, like xmllint's.
pub fn ours(compiled: &CompiledSchema, doc_path: &Path, text: &str) -> Verdict {
    let doc = DocumentInput {
        display_name: "-",
        path: Some(doc_path),
    };
    let report = validate(
        text.as_bytes(),
        &doc,
        Some(compiled),
        &FsResolver,
        &Options::default(),
    );
    Verdict {
        valid: report.is_valid(),
        well_formed: !report.aborted
            && !report.errors.iter().any(|e| {
                e.rule == ids::NOT_WELL_FORMED || e.rule == ids::ENCODING || e.rule == ids::LIMIT
            }),
        lines: report
            .errors
            .iter()
            .map(|e| e.line as usize)
            .filter(|l| *l > 0)
            .collect(),
        first: report.errors.first().map(|e| e.message.clone()),
        messages: report.errors.iter().map(|e| e.message.clone()).collect(),
        summary: report
            .errors
            .iter()
            .take(3)
            .map(|e| format!("{}: [{}] {}", e.line, e.rule, e.message))
            .collect::<Vec<_>>()
            .join(" | "),
    }
}

/// xmllint's verdict on `text` (read from stdin) against `schema`. Its error lines are the
/// `-:LINE: ... error ...` lines of stderr (warnings left out). Exit 0 is valid; 1 (not
/// well-formed), 3 and 4 (invalid) are invalid; anything else is a harness error.
pub fn xmllint(schema: &Path, text: &str) -> Result<Verdict, String> {
    let flag = if schema.extension().is_some_and(|e| e == "xsd") {
        "--schema"
    } else {
        "--dtdvalid"
    };
    let mut child = Command::new("xmllint")
        .args(["--noout", "--nonet", flag])
        .arg(schema)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run xmllint: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let bytes = text.as_bytes().to_vec();
    // Write from another thread so a full stderr pipe cannot deadlock us.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&bytes);
    });
    let out = child
        .wait_with_output()
        .map_err(|e| format!("xmllint failed: {e}"))?;
    let _ = writer.join();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let errors = error_lines(&stderr);
    let valid = match out.status.code() {
        Some(0) => true,
        Some(1 | 3 | 4) => false,
        other => {
            return Err(format!(
                "xmllint exited with {other:?} on {}: {stderr}",
                schema.display()
            ))
        }
    };
    Ok(Verdict {
        valid,
        well_formed: out.status.code() != Some(1),
        lines: errors.iter().map(|(l, _)| *l).filter(|l| *l > 0).collect(),
        first: errors.first().map(|(_, m)| m.clone()),
        messages: errors.iter().map(|(_, m)| m.clone()).collect(),
        summary: errors
            .iter()
            .take(3)
            .map(|(l, m)| format!("{l}: {m}"))
            .collect::<Vec<_>>()
            .join(" | "),
    })
}

/// The `-:LINE: ... error ...` messages of xmllint's stderr, with their lines. A message
/// that goes on over several lines (a value with a newline in it) is joined with `\n`;
/// parser errors' source excerpt and caret lines are left out; warnings are left out.
fn error_lines(stderr: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut continuing = false;
    for l in stderr.lines() {
        if let Some((num, msg)) = l.strip_prefix("-:").and_then(|r| r.split_once(':')) {
            if let Ok(line) = num.parse::<usize>() {
                continuing = msg.contains("validity error");
                if msg.contains("error") {
                    out.push((line, msg.trim().to_string()));
                }
                continue;
            }
        }
        if l.starts_with("- ") || l.starts_with("Document ") {
            continuing = false;
        } else if continuing {
            if let Some((_, m)) = out.last_mut() {
                m.push('\n');
                m.push_str(l);
            }
        }
    }
    out
}

/// The Qualys rules beside a schema file (`schemas/<api>/<version>/rules.toml`) that apply
/// to it, as `validate` loads them; empty when there are none.
pub fn rules_for(schema: &Path) -> RuleSet {
    let file = schema.file_name().map(|f| f.to_string_lossy().into_owned());
    let path = schema.with_file_name("rules.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) => RuleSet::from_toml(&text, &path.display().to_string())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .applying_to(file.as_deref()),
        Err(_) => RuleSet::new(),
    }
}

/// How many findings the Qualys rules layer (rule ids `qualys-*`, which xmllint has no
/// counterpart for) reports on a well-formed document; not part of the comparison.
pub fn rules_findings(rules: &RuleSet, context: &Context, text: &str) -> usize {
    let relevant = rules.relevant(context);
    if relevant.is_empty() {
        return 0;
    }
    relevant
        .check(text.as_bytes(), context)
        .map_or(0, |errors| errors.len())
}
