//! The XML 1.0 DTD front end: a hand-written DTD parser lowering into the IR.
//!
//! Entry points:
//! - [`load`] / [`load_str`]: an external DTD file (what `<!DOCTYPE x SYSTEM "x.dtd">` names).
//! - [`parse_doctype`] + [`load_document_dtd`]: the DTD of a document: its internal subset
//!   (read first; its declarations take precedence) and then its external subset.
//!
//! Lowering conventions (relied on by the validator, codegen and diff):
//! - [`SchemaKind::Dtd`]; every element is global and in `globals`, with its own anonymous
//!   [`ComplexType`](crate::ir::ComplexType): `EMPTY` is `Content::Empty`, `ANY` is `Content::Any`,
//!   `(#PCDATA)` is `Content::Simple(xs:string)`, `(#PCDATA|a|b)*` is a `choice*` with
//!   `mixed: true`, children models are `mixed: false` (`?` `*` `+` set min/max).
//! - Names referenced (content models, ATTLIST, the DOCTYPE name) but never declared get an
//!   element of type `ElementType::Undeclared`; attributes listed for such a name are kept in
//!   `Schema::undeclared_attributes`.
//! - Attributes: `dtd_type` as written, `ty` the XSD built-in of the same name (`CDATA` is
//!   `xs:string`), enumerations anonymous restrictions of `NMTOKEN` (`NOTATION`);
//!   `#REQUIRED` is required, everything else optional with a `Default`/`Fixed` constraint
//!   whose value is attribute-value normalized. The first definition of an attribute binds.
//! - General entities go into `schema.entities`, notations into `schema.notations` (first
//!   declaration wins).
//! - Comments directly before a declaration become its documentation (for an ATTLIST: of each
//!   attribute it declares). Comments before the first declaration document the schema
//!   (`schema.documentation`): only the first one (Qualys's `<!-- QUALYS ... DTD -->` line).
//!   Later comments before the first declaration that a blank line sets apart are file notes
//!   (our provenance headers) and document nothing, so they never show up in a schema diff.
//! - Syntax errors are [`LoadError::Invalid`] with every diagnostic found (the parser skips
//!   to the next `<!` after an error; at most 100 are reported). Declaration-level validity
//!   constraints are `schema.findings`, rules: `dtd-duplicate-element-declaration`,
//!   `dtd-multiple-id-attributes`, `dtd-id-attribute-default`, `dtd-duplicate-mixed-name`,
//!   `dtd-duplicate-enumeration-token`, `dtd-notation-on-empty-element`,
//!   `dtd-multiple-notation-attributes`, `dtd-undeclared-notation`,
//!   `dtd-attribute-default-invalid`, `dtd-pe-nesting`, `dtd-unparsed-entity-notation`,
//!   `dtd-duplicate-notation-declaration`, `dtd-undeclared-entity` (in an attribute default),
//!   `dtd-undeclared-parameter-entity` (between declarations; skipped; inside a declaration it
//!   is a syntax error, as the declaration cannot be read), `dtd-xml-space-declaration`.
//!   In a document whose DTD is only an internal subset without parameter-entity references,
//!   an entity used in a default before its declaration is a syntax error (WFC), not a finding.
//!   Content-model non-determinism findings are NOT added here: [`crate::load_with`] adds them
//!   (callers of [`load`], [`load_str`] or [`load_document_dtd`] call
//!   [`crate::automaton::add_determinism_findings`] themselves).
//! - Locations: elements, ATTLISTs and entities at the `<!` of their declaration, attributes at
//!   their name in the ATTLIST, particles at their name or `(` in the content model. Text that
//!   comes from an internal parameter entity is located at the `%name;` reference.
//! - `EntityDecl::external_declaration` is true for declarations in the external subset or in
//!   any parameter entity (XML 1.0 §2.9 counts internal ones too).
//! - External entities are read only from local files, through the [`Resolver`]; total
//!   entity expansion is bounded ([`EXPANSION_LIMIT`] bytes) and recursion is an error. A path
//!   that exists on disk but is not a regular file (`/dev/zero`, a FIFO, a folder) or is larger
//!   than the limit is refused before the resolver reads it.
//!   General entities are stored as written (only attribute defaults expand them).
//! - Not handled: `standalone="yes"` (an undeclared parameter entity is then a
//!   well-formedness error; here it is always the validity finding), encodings other than
//!   what the resolver returns (UTF-8 text).

mod ast;
mod attlist_decl;
mod attr_value;
mod chars;
mod checks;
mod doctype;
mod element_decl;
mod entities;
mod entity_decl;
mod lower;
mod parser;
mod reader;
mod source;
mod subset;
mod system_id;
mod text_decl;

use std::path::{Path, PathBuf};
use std::rc::Rc;

pub use doctype::{parse_doctype, Doctype, DoctypeError};
pub use parser::EXPANSION_LIMIT;
pub(crate) use text_decl::pseudo_attributes;
pub use text_decl::strip_text_declaration;

use crate::error::LoadError;
use crate::ir::{Schema, SchemaKind};
use crate::location::{FileId, Location};
use crate::resolver::Resolver;
use parser::Parser;
use source::{FileRegistry, Source};

/// Load an external DTD file through `resolver`.
pub fn load(path: &Path, resolver: &dyn Resolver) -> Result<Schema, LoadError> {
    let text = read_dtd(path, resolver)?;
    load_str(&text, path, resolver)
}

/// Read a DTD file through `resolver`, refusing devices, folders and oversized files.
fn read_dtd(path: &Path, resolver: &dyn Resolver) -> Result<String, LoadError> {
    let io_error = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(problem) = system_id::unsafe_to_read(path) {
        return Err(io_error(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{problem}; not read as a DTD"),
        )));
    }
    resolver.read(path).map_err(io_error)
}

/// Load an external DTD whose text is `text`, read from `path` (relative system identifiers
/// resolve against it; it is shown by file name in messages).
pub fn load_str(text: &str, path: &Path, resolver: &dyn Resolver) -> Result<Schema, LoadError> {
    let mut parser = Parser::new(resolver, FileRegistry::new(path));
    parse_external_subset(&mut parser, text, path);
    finish(parser, None)
}

/// A document's DTD, for [`load_document_dtd`].
#[derive(Clone, Debug)]
pub struct DocumentDtd<'a> {
    /// The document (file 0 of the schema; its internal subset's locations point into it,
    /// and system identifiers in the internal subset resolve against it).
    pub document: &'a Path,
    /// 1-based line in the document where the text given to [`parse_doctype`] starts.
    pub document_text_line: u32,
    /// 1-based column (in characters) where that text starts.
    pub document_text_column: u32,
    /// The split DOCTYPE declaration.
    pub doctype: &'a Doctype,
    /// The external subset, already resolved to a local file by the caller (through the
    /// catalog, or relative to the document); `None` to read no external subset.
    pub external_subset: Option<PathBuf>,
}

/// Load a document's DTD: the internal subset first (its declarations take precedence), then
/// the external subset. `schema.doctype_name` is set, and the DOCTYPE name always has an
/// element (undeclared if nothing declares it). File 0 is the document.
pub fn load_document_dtd(
    input: &DocumentDtd,
    resolver: &dyn Resolver,
) -> Result<Schema, LoadError> {
    let mut parser = Parser::new(resolver, FileRegistry::new(input.document));
    let doctype = input.doctype;
    if let Some(subset) = &doctype.internal_subset {
        let (line, column) = (
            doctype.internal_subset_line.max(1),
            doctype.internal_subset_column.max(1),
        );
        let base = if line == 1 {
            (
                input.document_text_line,
                input.document_text_column + column - 1,
            )
        } else {
            (input.document_text_line + line - 1, column)
        };
        let src = Rc::new(Source::new(subset, FileId(0), input.document, base));
        parser.reader.push(src, None, false, None);
        parser.parse_subset();
        while parser.reader.pop().is_some() {}
    }
    if doctype.system_id.is_none() && !parser.pe_reference_seen {
        internal_subset_only_rules(&mut parser);
    }
    if let (Some(path), false) = (&input.external_subset, parser.aborted) {
        let text = read_dtd(path, resolver)?;
        parse_external_subset(&mut parser, &text, path);
    }
    let location = Location {
        file: FileId(0),
        line: input.document_text_line,
        column: input.document_text_column,
    };
    finish(parser, Some((doctype.name.as_str(), location)))
}

/// In a document whose DTD is only an internal subset without parameter-entity references,
/// an entity referenced before its declaration is a well-formedness error (WFC: Entity
/// Declared), not the validity finding it is otherwise.
fn internal_subset_only_rules(parser: &mut Parser) {
    let (errors, findings): (Vec<_>, Vec<_>) = std::mem::take(&mut parser.findings)
        .into_iter()
        .partition(|f| f.rule == "dtd-undeclared-entity");
    parser.findings = findings;
    for f in errors {
        let message = format!(
            "{} (a document whose DTD is only an internal subset must declare entities before using them)",
            f.message
        );
        parser.error_at(f.location, message);
    }
}

/// Parse `text`, an external subset read from `path`.
fn parse_external_subset(parser: &mut Parser, text: &str, path: &Path) {
    let file = parser.files.add(path);
    let src = Rc::new(Source::new(text_decl::strip_bom(text), file, path, (1, 1)));
    parser.reader.push(src, None, true, None);
    match parser.text_declaration() {
        Ok(()) => parser.parse_subset(),
        Err(_) if !parser.aborted => parser.parse_subset(),
        Err(_) => {}
    }
    while parser.reader.pop().is_some() {}
}

/// Turn the parse results into a schema (or the collected diagnostics).
fn finish(parser: Parser, doctype: Option<(&str, Location)>) -> Result<Schema, LoadError> {
    if !parser.diagnostics.is_empty() {
        return Err(LoadError::Invalid(parser.diagnostics));
    }
    let mut files = parser.files.files.into_iter();
    let entry = files
        .next()
        .unwrap_or_else(|| crate::location::SourceFile::new("", ""));
    let mut schema = Schema::new(SchemaKind::Dtd, entry);
    schema.files.extend(files);
    schema.entities = parser.entities;
    schema.notations = parser.notations;
    schema.documentation = parser.schema_docs;
    schema.findings = parser.findings;
    schema.doctype_name = doctype.map(|(name, _)| name.to_string());
    schema.references_parameter_entities = parser.pe_reference_seen;
    lower::lower(&mut schema, &parser.decls, doctype);
    checks::check(&mut schema, &parser.decls);
    Ok(schema)
}

#[cfg(test)]
mod tests;
