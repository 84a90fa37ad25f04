//! The XSD 1.0 front end: reads a W3C XML Schema (with its local includes and imports) with
//! roxmltree and lowers it into the neutral IR ([`crate::ir::Schema`], `SchemaKind::Xsd`).
//!
//! Lowering conventions (the validator, codegen and diff rely on them):
//! - Top-level elements are in `globals`; local declarations are separate [`ElementDecl`]s with
//!   `ElementScope::Local(owner complex type)`; `ref=` particles point at the global element.
//!   Components of another namespace (imports) are keyed `{namespace}local` in the name maps,
//!   target-namespace ones by their local name.
//! - An element's type is `ElementType::Simple` for simple types (built-in, named, anonymous)
//!   and `ElementType::Complex` otherwise. No type at all means `xs:anyType`: one complex type
//!   per schema named `anyType` (not listed in `named_complex_types`, like the simple
//!   built-ins), with a lax `##any` wildcard particle `0..unbounded`, `mixed: true`, and a
//!   lax `##any` attribute wildcard.
//! - Complex type content, attributes and attribute wildcard are the EFFECTIVE ones after
//!   derivation (see [`complex_types`]); `derivation` records method and base of explicit
//!   derivations only. Named model groups and attribute groups are expanded inline.
//! - Facets are stored per derivation step, values as written.
//! - A `ref=` attribute use carries the global declaration's location and documentation.
//! - Every problem is a located [`Diagnostic`](crate::Diagnostic); all are collected.
//!   Unsupported constructs (`xs:redefine`, `substitutionGroup`, `xs:key`/`xs:keyref`/
//!   `xs:unique`) are errors, never silently dropped. URLs in `schemaLocation` are never fetched.
//! - Unreferenced named model groups and attribute groups are not checked.

mod attributes;
mod checks;
mod complex_types;
mod diagnostics;
mod documentation;
mod documents;
mod elements;
mod facets;
mod lower;
mod names;
mod patterns;
mod simple_types;
mod values;
mod wildcards;

use std::path::Path;

use roxmltree::Document;

use crate::ir::{Schema, SchemaKind};
use crate::location::SourceFile;
use crate::resolver::{normalize, Resolver};
use crate::LoadError;

#[cfg(doc)]
use crate::ir::ElementDecl;

/// Load the XSD file at `path` (and the local files it includes or imports) through `resolver`.
pub fn load(path: &Path, resolver: &dyn Resolver) -> Result<Schema, LoadError> {
    let text = resolver.read(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    load_str(&text, path, resolver)
}

/// Load an XSD given as `text`, read from `path` (used to resolve relative includes and
/// imports through `resolver`, and shown by its file name in messages).
pub fn load_str(text: &str, path: &Path, resolver: &dyn Resolver) -> Result<Schema, LoadError> {
    let entry_dir = path.parent().map(normalize).unwrap_or_default();
    let display = documents::display_path(&entry_dir, &normalize(path));
    let mut schema = Schema::new(SchemaKind::Xsd, SourceFile::new(path, display));
    let mut diags = diagnostics::Diags::default();
    let texts = documents::read_all(text.to_string(), path, resolver, &mut schema, &mut diags);
    let parsed: Vec<(usize, Document)> = texts
        .iter()
        .enumerate()
        .filter(|(_, t)| t.usable)
        .filter_map(|(i, t)| {
            Document::parse_with_options(&t.text, documents::parsing_options())
                .ok()
                .map(|doc| (i, doc))
        })
        .collect();
    let docs = parsed
        .iter()
        .filter_map(|(i, doc)| {
            let t = texts.get(*i)?;
            let root = doc.root_element();
            Some(lower::Doc {
                doc,
                file: t.file,
                tns: t.tns.clone(),
                chameleon: t.chameleon,
                elements_qualified: root.attribute("elementFormDefault").map(str::trim)
                    == Some("qualified"),
                attributes_qualified: root.attribute("attributeFormDefault").map(str::trim)
                    == Some("qualified"),
            })
        })
        .collect();
    let lowerer = lower::Lowerer::new(schema, docs, diags);
    let (schema, diags) = lowerer.run();
    if diags.is_empty() {
        Ok(schema)
    } else {
        Err(LoadError::Invalid(diags.into_diagnostics(&schema.files)))
    }
}
