//! The XSD 1.0 front end: reads a W3C XML Schema (with its local includes and imports) with
//! roxmltree and lowers it into the neutral IR ([`crate::ir::Schema`], `SchemaKind::Xsd`).
//!
//! Lowering conventions (the validator, codegen and diff rely on them):
//! - Top-level elements are in `globals`; local declarations are separate [`ElementDecl`]s with
//!   `ElementScope::Local(owner complex type)`; `ref=` particles point at the global element.
//!   Components of another namespace (imports) are keyed `{namespace}local` in the name maps,
//!   target-namespace ones by their local name. Named types are registered in
//!   `named_complex_types`/`named_simple_types`; anonymous types have `name: None`. The
//!   element, complex type and user simple type arenas are in document order (by location;
//!   the synthetic `anyType` first; declarations expanded from one named group at each use
//!   share the group's locations and stay in use order).
//! - An element's type is `ElementType::Simple` for simple types (built-in, named, anonymous)
//!   and `ElementType::Complex` otherwise. No type at all means `xs:anyType`: one complex type
//!   per schema named `anyType` (not listed in `named_complex_types`, like the simple
//!   built-ins), with a lax `##any` wildcard particle `0..unbounded`, `mixed: true`, and a
//!   lax `##any` attribute wildcard.
//! - Complex type content, attributes and attribute wildcard are the EFFECTIVE ones after
//!   derivation; `derivation` records method and base of explicit derivations only:
//!   - complexContent extension: `Sequence[base particle, own particle]` (an empty side
//!     dropped), attributes = base's then own, attribute wildcard = union;
//!   - complexContent restriction: own particle; base attributes overridden in place by own
//!     ones of the same name, `use="prohibited"` removes them; own wildcard;
//!   - simpleContent extension: `Content::Simple(base simple type)` plus attributes;
//!   - simpleContent restriction: `Content::Simple` of a new anonymous simple type restricting
//!     the base's simple content type (or the inline `xs:simpleType`) with the facets; without
//!     facets, that type itself;
//!   - no particle (or only empty groups like `<xs:sequence/>`): `Content::Empty`, or
//!     `Content::Simple(xs:string)` when `mixed="true"` (for derivations such a type is still
//!     mixed content with an empty particle: it can be extended with elements).
//! - Named model groups and attribute groups are expanded inline, a fresh particle tree (with
//!   fresh local element declarations owned by the using type) per use. Groups no type uses
//!   are still checked (a trial expansion whose declarations are dropped).
//! - Substitution groups are expanded: a `ref=` to a head with members is a `Choice` (with
//!   the reference's occurrences) of the head and its transitive members in document order,
//!   abstract ones left out unless nothing else remains; an untyped member takes its head's
//!   type; `block="substitution"` stops it.
//! - `xs:redefine` includes its document; each redefining component replaces the original
//!   everywhere (same name in the name maps); inside the redefinition its own name means the
//!   original, which stays in the arenas (a named type no name map lists).
//! - Facets are stored per derivation step, values as written, patterns checked with
//!   [`crate::xsd_regex`].
//! - `use="prohibited"` only matters in a restriction, where it removes the base's attribute;
//!   elsewhere it is no attribute use (XSD 1.0 3.4.2), so XSD schemas never contain
//!   `AttributeUseKind::Prohibited`.
//! - A `ref=` attribute use carries the global declaration's location, the reference's
//!   documentation followed by the declaration's, the reference's `use` and (if given) value
//!   constraint. `xml:lang`/`xml:space`/`xml:base`/`xml:id` are built in. Annotations the IR
//!   has no place for (on element references, group references, compositors, derivations,
//!   facets, wildcards) are read and checked, not kept.
//! - Every problem is a located [`Diagnostic`](crate::Diagnostic); all are collected, sorted
//!   by file and position. Identity constraints (`xs:unique`/`xs:key`/`xs:keyref`) go into
//!   `Schema::identity_constraints` with their restricted XPath parsed and every keyref's
//!   `refer=` resolved. URLs in `schemaLocation` are never fetched. A reference into another
//!   namespace needs an `xs:import` of it in the referring document (src-resolve). Unknown attributes and elements in the XSD namespace are errors.
//! - Checked beyond resolution: occurrences, circular groups and derivations, facet values
//!   and applicability, facets against the base's (no widening, fixed facets kept; bounds of
//!   numeric types only), simpleContent restriction types derived from the base's, patterns, default/fixed values (enumerations; numbers, booleans,
//!   dates/times, durations, hex binary),
//!   Element Declarations Consistent, attribute restriction rules (types, wildcards), one ID
//!   attribute per type, list item types, mixed consistency of derivations, substitution
//!   group cycles, member types and the head's `final`, complexContent restrictions using only
//!   elements of the base, the schema for schemas' child order (annotations first). Not
//!   checked: the occurrence ranges and group mappings of particle restriction (XSD 1.0
//!   3.9.6), calendar validity of dates (February 30), strings/URIs/base64 lexical forms.
//! - Limits against hostile input: XML nesting 200 levels (checked before parsing),
//!   content-model/anonymous-type nesting 100, 200 000 particles and types in all, 1000
//!   schema documents.

mod attributes;
mod checks;
mod complex_types;
mod content_extension;
mod content_order;
mod content_restriction;
mod derived_attributes;
mod diagnostics;
mod documentation;
mod documents;
mod elements;
mod facet_restriction;
mod facets;
mod id_attributes;
mod identity;
mod identity_paths;
mod lexical;
mod limits;
mod lower;
mod names;
mod nesting;
mod notation_uses;
pub(crate) mod ordering;
mod patterns;
mod redefine;
mod registration;
mod reorder;
mod simple_types;
mod substitution;
mod type_derivation;
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
///
/// ```
/// use qschema_model::{xsd, ElementType, MemoryResolver};
/// use std::path::Path;
///
/// let text = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
///   <xs:element name="count" type="xs:int"/>
/// </xs:schema>"#;
/// let schema = xsd::load_str(text, Path::new("a.xsd"), &MemoryResolver::new()).unwrap();
/// let count = schema.global("count").unwrap();
/// assert!(matches!(schema.element(count).ty, ElementType::Simple(_)));
///
/// let err = xsd::load_str("<xs:schema", Path::new("b.xsd"), &MemoryResolver::new()).unwrap_err();
/// assert!(err.to_string().starts_with("b.xsd:1:"));
/// ```
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
                line_starts: lower::line_starts(&t.text),
                ascii_lines: lower::ascii_lines(&t.text),
                imports: root
                    .children()
                    .filter(|c| values::is_xsd(*c, "import"))
                    .map(|c| {
                        c.attribute("namespace")
                            .filter(|n| !n.is_empty())
                            .map(str::to_string)
                    })
                    .collect(),
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
