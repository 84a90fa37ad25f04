//! The document's `<!DOCTYPE ...>`: its name, and the schema it brings (the internal subset,
//! combined with the external DTD given to [`super::validate`]).

use std::path::Path;

use indexmap::IndexMap;
use qschema_model::dtd::{self, DocumentDtd};
use qschema_model::{automaton, EntityDecl, LoadError, Resolver, SchemaKind};

use super::compile::CompiledSchema;
use super::options::DocumentInput;

/// What a DOCTYPE contributes to validating one document.
#[derive(Debug)]
pub(crate) struct DocumentSchema {
    /// The document type name.
    pub name: String,
    /// A schema compiled for this document (internal subset, possibly combined with the
    /// external DTD); `None` to keep using the schema given by the caller.
    pub compiled: Option<CompiledSchema>,
    /// General entities declared by the internal subset (used even when validating against an
    /// XSD).
    pub entities: Option<IndexMap<String, EntityDecl>>,
    /// Whether the document type name constrains the root (DTD validation only).
    pub names_root: bool,
}

impl DocumentSchema {
    /// The schema compiled for this document, if any.
    pub(crate) fn schema(&self) -> Option<&CompiledSchema> {
        self.compiled.as_ref()
    }
}

/// A DOCTYPE problem: position in the document and message.
pub(crate) type DoctypeFailure = ((u32, u32), String);

/// Split the DOCTYPE (`text` = what follows `<!DOCTYPE`, starting at document position
/// `text_pos`) and load what it brings.
pub(crate) fn load(
    text: &str,
    text_pos: (u32, u32),
    doc: &DocumentInput,
    given: Option<&CompiledSchema>,
    resolver: &dyn Resolver,
) -> Result<DocumentSchema, DoctypeFailure> {
    let doctype = dtd::parse_doctype(text).map_err(|e| {
        let (l, c) = qschema_model::location::line_col(text, e.offset);
        (shift(text_pos, l, c), format!("DOCTYPE: {}", e.message))
    })?;
    let given_kind = given.map(|g| g.schema().kind);
    let names_root = given_kind != Some(SchemaKind::Xsd);
    if doctype.internal_subset.is_none() {
        return Ok(DocumentSchema {
            name: doctype.name.clone(),
            compiled: None,
            entities: None,
            names_root,
        });
    }
    let external = match (given_kind, given.and_then(CompiledSchema::source_path)) {
        (Some(SchemaKind::Dtd), Some(p)) => Some(p.to_path_buf()),
        _ => None,
    };
    let document = doc.path.unwrap_or(Path::new(doc.display_name));
    let input = DocumentDtd {
        document,
        document_text_line: text_pos.0,
        document_text_column: text_pos.1,
        doctype: &doctype,
        external_subset: external,
    };
    let mut schema = match dtd::load_document_dtd(&input, resolver) {
        Ok(s) => s,
        Err(LoadError::Invalid(diags)) => {
            let d = diags.first();
            let pos = d.map(|d| (d.line, d.column)).unwrap_or(text_pos);
            let more = if diags.len() > 1 {
                format!(" (and {} more problems)", diags.len() - 1)
            } else {
                String::new()
            };
            let message = d.map(|d| d.message.clone()).unwrap_or_default();
            return Err((pos, format!("internal DTD subset: {message}{more}")));
        }
        Err(e) => return Err((text_pos, format!("cannot load the document's DTD: {e}"))),
    };
    if let Some(f) = schema.files.first_mut() {
        f.display = doc.display_name.to_string();
    }
    let entities = Some(schema.entities.clone());
    if given_kind == Some(SchemaKind::Xsd) {
        // The XSD stays in force; the internal subset only contributes entities.
        return Ok(DocumentSchema {
            name: doctype.name.clone(),
            compiled: None,
            entities,
            names_root: false,
        });
    }
    automaton::add_determinism_findings(&mut schema);
    let compiled = CompiledSchema::compile(schema)
        .map_err(|e| (text_pos, format!("cannot compile the document's DTD: {e}")))?;
    Ok(DocumentSchema {
        name: doctype.name.clone(),
        compiled: Some(compiled),
        entities,
        names_root: true,
    })
}

/// Position of (line, column) of a text that starts at `base`.
fn shift(base: (u32, u32), line: u32, column: u32) -> (u32, u32) {
    if line <= 1 {
        (base.0, base.1 + column.saturating_sub(1))
    } else {
        (base.0 + line - 1, column)
    }
}
