//! Collecting located load errors while reading an XSD, and turning them into [`Diagnostic`]s.

use crate::error::Diagnostic;
use crate::location::{Location, SourceFile};

/// The diagnostics found so far, each at a [`Location`] (resolved to a file name at the end).
#[derive(Debug, Default)]
pub(crate) struct Diags {
    list: Vec<(Location, String)>,
}

impl Diags {
    /// Record an error at `at`.
    pub(crate) fn error(&mut self, at: Location, message: impl Into<String>) {
        self.list.push((at, message.into()));
    }

    /// Whether nothing was recorded.
    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The diagnostics, sorted by file, line and column, without exact duplicates.
    pub(crate) fn into_diagnostics(self, files: &[SourceFile]) -> Vec<Diagnostic> {
        let mut list = self.list;
        list.sort_by_key(|a| a.0);
        list.dedup();
        list.into_iter()
            .map(|(loc, message)| Diagnostic {
                file: files
                    .get(loc.file.0 as usize)
                    .map(|f| f.display.clone())
                    .unwrap_or_default(),
                line: loc.line,
                column: loc.column,
                message,
            })
            .collect()
    }
}
