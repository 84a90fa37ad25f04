//! Errors of the catalog loader: every one names a file, and a line and column when the
//! TOML parser or a span gives one.

use std::path::PathBuf;

use crate::error::Diagnostic;

/// Why a catalog could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// `catalog.toml` or `versions.toml` could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A file is not valid TOML, or does not have the expected structure (unknown key,
    /// missing key, wrong value type): one diagnostic per file that failed to parse.
    #[error("{}", format_diagnostics(.0))]
    Syntax(Vec<Diagnostic>),
    /// The files parse, but their content is inconsistent (unknown api, duplicate label,
    /// a version listing a file the catalog does not know...). Every problem found is listed.
    #[error("{}", format_diagnostics(.0))]
    Invalid(Vec<Diagnostic>),
}

fn format_diagnostics(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

impl CatalogError {
    /// The diagnostics of a `Syntax` or `Invalid` error (empty for I/O errors).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            CatalogError::Syntax(d) | CatalogError::Invalid(d) => d,
            CatalogError::Io { .. } => &[],
        }
    }
}
