//! (being written)
use crate::{LoadError, Resolver, Schema};
use std::path::Path;
/// Load an XSD file.
pub fn load(path: &Path, _resolver: &dyn Resolver) -> Result<Schema, LoadError> {
    Err(LoadError::Invalid(vec![crate::Diagnostic { file: path.display().to_string(), line: 0, column: 0, message: "XSD front end not written yet".into() }]))
}
