//! Why a diff could not be computed.

use std::path::PathBuf;

use crate::error::LoadError;

/// An error of the diff (exit code 2 in the commands).
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// One or more schemas did not load; every failure is listed with its located diagnostics.
    #[error("{}", format_load_errors(.0))]
    Load(Vec<(PathBuf, LoadError)>),
    /// A folder could not be listed.
    #[error("{}: cannot read folder: {source}", path.display())]
    Folder {
        /// The folder.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The two sides are not both files or both folders, or a side does not exist.
    #[error("{0}")]
    Usage(String),
    /// The catalog next to the schemas could not be read.
    #[error("{}: invalid catalog: {message}", path.display())]
    Catalog {
        /// The catalog file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

fn format_load_errors(errors: &[(PathBuf, LoadError)]) -> String {
    errors
        .iter()
        .map(|(path, e)| match e {
            LoadError::Io { .. } => e.to_string(),
            LoadError::Invalid(_) => format!("{}: schema does not load:\n{e}", path.display()),
        })
        .collect::<Vec<_>>()
        .join("\n")
}
