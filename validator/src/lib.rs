//! qschema-validator: validates XML payloads against a [`qschema_model::Schema`].
//!
//! The engine makes one streaming pass over the document; every error is collected as a
//! [`report::ValidationError`] with line, column, element path and a stable rule id.

pub mod datatypes;
pub mod engine;
pub mod path;
pub mod placement;
pub mod report;
pub mod rules;

pub use engine::{validate, CompileError, CompiledSchema, DocumentInput, Options};
