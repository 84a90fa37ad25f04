//! The outcome of checking one input, and the run's summary and exit code.

use qschema_validator::report::Report;

/// Why a document could not be checked at all (exit code 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// The file or stdin could not be read.
    Io,
    /// The document names no schema and none was given.
    NoSchema,
    /// The document names a schema URL the catalog does not know.
    UnknownSchema,
    /// The schema could not be loaded or compiled (or a version does not exist).
    SchemaLoad,
}

impl FailureKind {
    /// Stable id, used like a rule id in every output format.
    pub fn id(self) -> &'static str {
        match self {
            FailureKind::Io => "io-error",
            FailureKind::NoSchema => "no-schema",
            FailureKind::UnknownSchema => "unknown-schema",
            FailureKind::SchemaLoad => "schema-error",
        }
    }
}

/// A document that could not be checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// What kind of problem.
    pub kind: FailureKind,
    /// One-line explanation, naming what was looked for.
    pub message: String,
}

/// The verdict of one schema version on a document (`--all-versions`).
#[derive(Clone, Debug)]
pub struct VersionResult {
    /// Version label.
    pub version: String,
    /// The report against that version (or why it could not be checked).
    pub outcome: Result<Report, Failure>,
}

/// What happened to one input.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Validated against one schema.
    Checked(Report),
    /// Validated against every version of its schema.
    Versions(Vec<VersionResult>),
    /// Not checked.
    Failed(Failure),
}

/// The result for one input, in input order.
#[derive(Clone, Debug)]
pub struct FileResult {
    /// How the input is named.
    pub display: String,
    /// The schema used: `was/finding.xsd`, a file path, or `none`.
    pub schema: Option<String>,
    /// The version used (catalog schemas).
    pub version: Option<String>,
    /// What happened.
    pub outcome: Outcome,
}

impl FileResult {
    /// A file that could not be checked.
    pub fn failed(display: &str, kind: FailureKind, message: String) -> FileResult {
        FileResult {
            display: display.to_string(),
            schema: None,
            version: None,
            outcome: Outcome::Failed(Failure { kind, message }),
        }
    }

    /// Valid: no errors (with `--all-versions`: at least one version accepts it).
    pub fn is_valid(&self) -> bool {
        match &self.outcome {
            Outcome::Checked(r) => r.is_valid(),
            Outcome::Versions(v) => v
                .iter()
                .any(|v| v.outcome.as_ref().is_ok_and(|r| r.is_valid())),
            Outcome::Failed(_) => false,
        }
    }

    /// Number of errors reported for the file (failures count as one).
    pub fn error_count(&self) -> usize {
        match &self.outcome {
            Outcome::Checked(r) => r.errors.len(),
            Outcome::Versions(_) if self.is_valid() => 0,
            Outcome::Versions(v) => v
                .iter()
                .map(|v| match &v.outcome {
                    Ok(r) => r.errors.len(),
                    Err(_) => 1,
                })
                .min()
                .unwrap_or(0),
            Outcome::Failed(_) => 1,
        }
    }

    /// Whether more errors were found than kept (`--max-errors`): the count of
    /// [`FileResult::error_count`] is then a lower bound.
    pub fn truncated(&self) -> bool {
        match &self.outcome {
            Outcome::Checked(r) => r.truncated,
            Outcome::Versions(_) if self.is_valid() => false,
            Outcome::Versions(v) => v
                .iter()
                .any(|v| v.outcome.as_ref().is_ok_and(|r| r.truncated)),
            Outcome::Failed(_) => false,
        }
    }

    /// 0 valid, 1 invalid, 2 not checked.
    pub fn exit_code(&self) -> u8 {
        match &self.outcome {
            Outcome::Failed(_) => 2,
            Outcome::Versions(v) if v.iter().all(|v| v.outcome.is_err()) && !v.is_empty() => 2,
            _ if self.is_valid() => 0,
            _ => 1,
        }
    }
}

/// Totals over a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Inputs.
    pub files: usize,
    /// Valid inputs.
    pub valid: usize,
    /// Invalid inputs (checked, with errors).
    pub invalid: usize,
    /// Inputs that could not be checked.
    pub failed: usize,
    /// Errors over all inputs (those kept: see `truncated`).
    pub errors: usize,
    /// Inputs with more errors than `--max-errors` kept (then `errors` is a lower bound).
    pub truncated: usize,
}

impl Summary {
    /// Totals of `results`.
    #[cfg(test)]
    pub fn of(results: &[FileResult]) -> Summary {
        let mut s = Summary::default();
        for r in results {
            s.add(r.exit_code(), r.error_count(), r.truncated());
        }
        s
    }

    /// Count one more file, with its exit code, error count and whether errors were cut.
    pub fn add(&mut self, exit_code: u8, errors: usize, truncated: bool) {
        self.truncated += usize::from(truncated);
        self.files += 1;
        match exit_code {
            0 => self.valid += 1,
            1 => self.invalid += 1,
            _ => self.failed += 1,
        }
        self.errors += errors;
    }

    /// `3 files: 2 valid, 1 invalid, 5 errors` (and `, 1 not checked` when some were not;
    /// `5 errors shown (1 file has more: --max-errors)` when errors were cut).
    pub fn line(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut s = format!(
            "{}: {} valid, {} invalid",
            plural(self.files, "file", "files"),
            self.valid,
            self.invalid
        );
        if self.failed > 0 {
            s.push_str(&format!(", {} not checked", self.failed));
        }
        s.push_str(&format!(", {}", plural(self.errors, "error", "errors")));
        if self.truncated > 0 {
            let has = if self.truncated == 1 { "has" } else { "have" };
            s.push_str(&format!(
                " shown ({} {has} more: --max-errors)",
                plural(self.truncated, "file", "files")
            ));
        }
        s
    }
}
