//! [`CompiledSchema`]: a schema plus everything the engine precomputes for it.

use std::path::Path;

use qschema_model::automaton::{self, ContentAutomaton};
use qschema_model::{Builtin, ComplexTypeId, Content, Schema, SimpleTypeId, Variety};

use crate::datatypes::{SimpleTypeChecker, TypeProblem};

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
///
/// Compiling never fails on content models or simple types that cannot be used: those are
/// reported per document as `schema-finding` errors (see [`CompiledSchema::problems`]) and the
/// affected elements/values are reported invalid rather than silently accepted.
#[derive(Debug)]
pub struct CompiledSchema {
    schema: Schema,
    /// Per complex type: its automaton (`None` when its content has no particle, or the
    /// particle could not be compiled; see `problems`).
    automata: Vec<Option<ContentAutomaton>>,
    checker: SimpleTypeChecker,
    problems: Vec<SchemaProblem>,
    /// Per simple type: whether its values are IDs or IDREF(S) (see [`carries_ids`]).
    id_types: Vec<bool>,
}

/// A part of the schema the engine cannot use (reported with every document).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaProblem {
    /// `file:line:col` in the schema.
    pub location: String,
    /// What is wrong.
    pub message: String,
}

impl CompiledSchema {
    /// Compile `schema` (content automata for every complex type, value checkers).
    /// Currently always succeeds (problems are kept in [`CompiledSchema::problems`]); the
    /// `Result` leaves room for hard failures.
    pub fn compile(schema: Schema) -> Result<CompiledSchema, CompileError> {
        let mut problems = Vec::new();
        // Uncompilable content models are already findings when the schema was loaded through
        // `qschema_model::load_with` (reported as `schema-finding`); list them here otherwise.
        let already_found = schema
            .findings
            .iter()
            .any(|f| f.rule == automaton::INVALID_CONTENT_MODEL_RULE);
        let automata = schema
            .complex_types
            .iter()
            .map(|ct| match &ct.content {
                Content::Elements { particle, .. } => {
                    match ContentAutomaton::compile(&schema, particle) {
                        Ok(a) => Some(a),
                        Err(_) if already_found => None,
                        Err(e) => {
                            problems.push(SchemaProblem {
                                location: schema.display_location(e.location),
                                message: format!("content model cannot be used: {}", e.message),
                            });
                            None
                        }
                    }
                }
                _ => None,
            })
            .collect();
        let (checker, type_problems) = SimpleTypeChecker::new_lenient(&schema);
        problems.extend(
            type_problems
                .into_iter()
                .map(|p: TypeProblem| SchemaProblem {
                    location: p.location,
                    message: p.message,
                }),
        );
        let id_types = (0..schema.simple_types.len())
            .map(|i| carries_ids(&schema, SimpleTypeId(i as u32)))
            .collect();
        Ok(CompiledSchema {
            schema,
            automata,
            checker,
            problems,
            id_types,
        })
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

    /// Parts of the schema that cannot be used for validation (uncompilable content models,
    /// unusable simple types).
    pub fn problems(&self) -> &[SchemaProblem] {
        &self.problems
    }

    /// The automaton of a complex type with element content.
    pub(crate) fn automaton(&self, ct: ComplexTypeId) -> Option<&ContentAutomaton> {
        self.automata.get(ct.index()).and_then(Option::as_ref)
    }

    /// The simple-type checker.
    pub(crate) fn checker(&self) -> &SimpleTypeChecker {
        &self.checker
    }

    /// Whether values of simple type `ty` are IDs or IDREF(S) (XSD; looked up, not derived
    /// again for every value).
    pub(crate) fn carries_ids(&self, ty: SimpleTypeId) -> bool {
        self.id_types.get(ty.index()).copied().unwrap_or(false)
    }
}

/// Whether values of simple type `ty` are IDs or IDREF(S) (only then does the validator's
/// `xsd_id_use` find anything, so a value need not be normalized for it otherwise).
fn carries_ids(schema: &Schema, ty: SimpleTypeId) -> bool {
    let item = match schema.simple_types.get(ty.index()).map(|s| &s.variety) {
        Some(Variety::List { item }) => Some(*item),
        _ => None,
    };
    matches!(
        schema.builtin_base(ty),
        Some(Builtin::Id | Builtin::IdRef | Builtin::IdRefs)
    ) || item.is_some_and(|item| schema.builtin_base(item) == Some(Builtin::IdRef))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn compiled_schema_is_send_and_sync() {
        assert_send_sync::<CompiledSchema>();
    }
}
