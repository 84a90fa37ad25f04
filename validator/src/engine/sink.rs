//! Collecting errors up to `max_errors`.

use crate::report::{Report, ValidationError};

/// Where the engine puts its errors.
pub(crate) struct Sink {
    report: Report,
    max: usize,
}

/// Returned by checks that stop the pass (not well-formed, limit, I/O).
#[derive(Debug)]
pub(crate) struct Abort;

impl Sink {
    /// Keep at most `max` errors (0 = all).
    pub(crate) fn new(max: usize) -> Sink {
        Sink {
            report: Report::default(),
            max,
        }
    }

    /// Record an error (dropped, with `truncated` set, beyond the cap).
    pub(crate) fn push(&mut self, e: ValidationError) {
        if self.max != 0 && self.report.errors.len() >= self.max {
            self.report.truncated = true;
        } else {
            self.report.errors.push(e);
        }
    }

    /// Record a fatal error and mark the report aborted. The error that stopped the pass is
    /// always kept, even beyond the cap.
    pub(crate) fn fatal(&mut self, e: ValidationError) -> Abort {
        if self.full() {
            self.report.truncated = true;
        }
        self.report.errors.push(e);
        self.report.aborted = true;
        Abort
    }

    /// Whether a fatal error stopped the pass.
    pub(crate) fn aborted(&self) -> bool {
        self.report.aborted
    }

    /// Add the errors of a later part of the document (as [`Sink::push`] would have, and the
    /// last one as [`Sink::fatal`] when that part was `aborted`).
    pub(crate) fn append(
        &mut self,
        errors: impl ExactSizeIterator<Item = ValidationError>,
        truncated: bool,
        aborted: bool,
    ) {
        let last = errors.len().saturating_sub(1);
        for (i, e) in errors.enumerate() {
            if aborted && i == last {
                let _ = self.fatal(e);
            } else {
                self.push(e);
            }
        }
        self.report.truncated |= truncated;
    }

    /// Whether the cap is reached: callers may skip building an error (and call
    /// [`Sink::dropped`] instead).
    pub(crate) fn full(&self) -> bool {
        self.max != 0 && self.report.errors.len() >= self.max
    }

    /// Count an error that was not built because the cap is reached.
    pub(crate) fn dropped(&mut self) {
        self.report.truncated = true;
    }

    /// The finished report.
    pub(crate) fn into_report(self) -> Report {
        self.report
    }
}

/// Build an error value.
#[allow(clippy::too_many_arguments)]
pub(crate) fn error(
    (line, column): (u32, u32),
    path: String,
    rule: &str,
    message: String,
    found: Option<String>,
    expected: Option<String>,
    declared_at: Option<String>,
) -> ValidationError {
    ValidationError {
        line,
        column,
        path,
        rule: rule.to_string(),
        message,
        found,
        expected,
        declared_at,
    }
}
