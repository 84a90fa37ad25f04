//! The validation engine: one streaming pass over a document with quick-xml, checking
//! well-formedness (with namespaces), expanding entities under limits, and validating against a
//! [`CompiledSchema`] (DTD or XSD) as it goes.
//!
//! Memory is bounded by nesting depth and schema size, never by document size: the document is
//! never collected; only the text of simple-content elements is accumulated (up to
//! [`Options::max_text_bytes`]): about 7 MiB of resident memory on the 100 MB payloads of
//! `cargo xtask bench` (its measured speeds, and where the time goes, are in the README,
//! "Performance"). The steady state allocates almost nothing per element: paths and validator
//! frames reuse their buffers, names are borrowed from the reader, and a thread keeps its
//! buffers for its next document.
//!
//! With [`Options::split_threads`] above 1, a large file is validated by several passes at
//! once, each from a record boundary, joined only where verified ([`validate_split`] for an
//! observed pass); the report is the one a single pass makes.
//!
//! Checks beyond the schema run in the same pass through an [`Observer`] ([`validate_with`]);
//! the `validate` binary's Qualys rules ([`crate::rules::RulesObserver`]) are one.
//!
//! Errors carry line:column (start tag, attribute name, or start of the text run), the element
//! path, a rule id from [`crate::report::rules`], an xmllint-style message, and where possible
//! `found`, `expected` and `declared_at`. Schema findings (and parts of the schema the engine
//! cannot use) are reported first, at line 0, with rule `schema-finding`. IDREFs are checked at
//! the end of the document. Not-well-formed input, a reached limit or an I/O error stops the
//! pass ([`crate::report::Report::aborted`]); that error is kept even beyond `max_errors`.
//!
//! Limits and approximations (also listed in the final report of the engine's author):
//! - Documents in UTF-16 or another declared encoding are decoded to UTF-8 before the pass
//!   ([`decode`]). External parsed entities, DTD and XSD files and external parameter
//!   entities are read whole in the encoding their byte order mark or declaration names
//!   (`qschema_model::encoding::decode`, which shares the decision with [`decode`]); a text
//!   declaration without an encoding is an error.
//! - One tag, text run, comment or CDATA section is read whole by quick-xml: it is capped at
//!   `max(max_attribute_bytes, max_text_bytes) + 64 KiB` (8 MiB with the defaults), so a huge
//!   attribute value is refused after at most that many bytes.
//! - Unparsed-entity and notation checks follow the DTD; an XSD `ENTITY` value must name an
//!   unparsed entity the document's DTD declares (an XSD `NOTATION` value is one of its
//!   type's enumeration values, which the schema loader requires to name declared
//!   notations), and `QName`/`NOTATION` enumerations compare namespace and local name.
//! - XSD identity constraints (`validate/identity.rs`) are checked for the elements that are
//!   validated (not below a skip wildcard or an undeclared element); their tables hold every
//!   key-sequence of a scope until it ends.
//!
//! ```no_run
//! use qschema_validator::engine::{validate, CompiledSchema, DocumentInput, Options};
//! # fn demo(schema: qschema_model::Schema) -> Result<(), Box<dyn std::error::Error>> {
//! let compiled = CompiledSchema::compile(schema)?;
//! let file = std::io::BufReader::new(std::fs::File::open("scan.xml")?);
//! let doc = DocumentInput { display_name: "scan.xml", path: Some(std::path::Path::new("scan.xml")) };
//! let report = validate(file, &doc, Some(&compiled), &qschema_model::FsResolver, &Options::default());
//! for e in &report.errors {
//!     println!("{}:{}: {} [{}] {}", e.line, e.column, e.path, e.rule, e.message);
//! }
//! # Ok(()) }
//! ```

mod byte_classes;
mod chars;
mod compile;
pub mod decode;
mod doctype;
mod driver;
mod dtd_resolver;
mod dtd_values;
mod entities;
mod input;
mod local_files;
mod messages;
mod namespaces;
mod observer;
mod options;
mod sink;
mod string_pool;
mod validate;
mod xml_decl;

pub use compile::{CompileError, CompiledSchema, SchemaProblem};
pub use doctype::real_end as doctype_end;
pub use observer::{ObservedStart, Observer, ObserverFactory, SavedState};
pub use options::{DocumentInput, OptionNames, Options};

/// The quick-xml settings the engine reads documents with (the checks it turns off are the
/// engine's own). For tools that measure or mirror the engine's reader, such as the
/// benchmark's tokenizer floor (`examples/tokenizer_floor.rs`).
pub fn configure_reader(config: &mut quick_xml::reader::Config) {
    driver::configure(config);
}

use std::io::BufRead;

use qschema_model::Resolver;

use crate::report::Report;

/// Validate one document in a single streaming pass.
///
/// - `reader`: the document's bytes, in UTF-8 or any encoding [`decode`] reads (UTF-16,
///   declared 8-bit and CJK encodings), decoded before the pass.
/// - `schema`: the schema to validate against; `None` validates against the document's own
///   internal DTD subset (and the external subset its DOCTYPE names, with
///   [`Options::load_external_dtd`]), and checks well-formedness when there is none
///   ([`Options::require_dtd`] makes that an error).
///   When the document has a DOCTYPE with an internal subset and `schema` came from a DTD file
///   ([`CompiledSchema::source_path`]), the two are combined with
///   `qschema_model::dtd::load_document_dtd` and that combined schema is used for this document.
/// - `resolver`: reads the external DTD again when it must be combined with an internal subset.
///   External parsed entities, and external parameter entities the internal subset declares,
///   are read from the file system only when [`Options::allow_local_external_entities`] is
///   set, and only regular files in the document's folder (never a URL).
///
/// Never panics on any input. A document that is not well-formed (or hits a limit, or fails to
/// read) stops at the first such error with [`Report::aborted`] set.
pub fn validate<R: BufRead>(
    reader: R,
    doc: &DocumentInput,
    schema: Option<&CompiledSchema>,
    resolver: &dyn Resolver,
    opts: &Options,
) -> Report {
    run(reader, doc, schema, resolver, opts, None, None)
}

/// [`validate()`], with `observer` seeing the document's elements and text during the same pass
/// (see [`Observer`]).
pub fn validate_with<R: BufRead>(
    reader: R,
    doc: &DocumentInput,
    schema: Option<&CompiledSchema>,
    resolver: &dyn Resolver,
    opts: &Options,
    observer: &mut dyn Observer,
) -> Report {
    run(reader, doc, schema, resolver, opts, Some(observer), None)
}

/// [`validate_with`] on up to [`Options::split_threads`] threads for a large document read
/// from a file: `make_observer` makes the observer of each extra thread, which takes over the
/// state of `observer` where its part starts ([`Observer::save`]). The report is the one a
/// single thread makes (see [`Options::split_threads`]).
pub fn validate_split<R: BufRead>(
    reader: R,
    doc: &DocumentInput,
    schema: Option<&CompiledSchema>,
    resolver: &dyn Resolver,
    opts: &Options,
    observer: &mut dyn Observer,
    make_observer: &ObserverFactory,
) -> Report {
    run(
        reader,
        doc,
        schema,
        resolver,
        opts,
        Some(observer),
        Some(make_observer),
    )
}

/// Decode, decide whether to split, and run the pass.
fn run<'a, 'f: 'a, R: BufRead>(
    reader: R,
    doc: &'a DocumentInput<'a>,
    schema: Option<&'a CompiledSchema>,
    resolver: &dyn Resolver,
    opts: &'a Options,
    observer: Option<&'a mut dyn Observer>,
    observers: Option<&'a ObserverFactory<'f>>,
) -> Report {
    let utf8 = match decode::utf8_input(reader) {
        Ok(utf8) => utf8,
        Err(problem) => return decode::problem_report(problem),
    };
    let env = driver::Env {
        doc,
        given: schema,
        opts,
    };
    // A split needs the file's bytes as the pass reads them, and observers for the workers.
    let unchanged = matches!(utf8, decode::Utf8Input::Unchanged(_));
    let split = (unchanged && (observer.is_none() || observers.is_some()))
        .then(|| driver::split_source(doc, opts, observers))
        .flatten();
    driver::run(utf8, &env, resolver, observer, split)
}
