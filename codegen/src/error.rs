//! Errors of code generation.

use std::path::PathBuf;

/// Why code could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// The schema did not load: the model's located diagnostics (file:line:column).
    #[error("{0}")]
    Load(#[from] qschema_model::LoadError),
    /// An option is malformed (e.g. an attribute that is not Rust syntax).
    #[error("invalid option {option}: {message}")]
    Option {
        /// Which option.
        option: String,
        /// What is wrong.
        message: String,
    },
    /// Writing an output file failed.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// `OUT_DIR` is not set and no output directory was given.
    #[error("no output directory: set Config::out_dir or run from a build script (OUT_DIR)")]
    NoOutDir,
    /// The generator produced code that does not parse (a bug in qschema-codegen).
    #[error("internal error: generated code for {schema} does not parse: {message}")]
    Internal {
        /// The schema's entry file.
        schema: String,
        /// The syn error.
        message: String,
    },
    /// Reading the repository's schema folder failed.
    #[error("{}: {message}", path.display())]
    Layout {
        /// The file or folder.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}
