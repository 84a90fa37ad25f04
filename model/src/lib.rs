//! qschema-model: the Qualys schemas as one neutral model.
//!
//! Two front ends lower into the same IR ([`ir::Schema`]):
//! [`dtd`] (hand-written XML 1.0 DTD parser) and [`xsd`] (XSD 1.0 on roxmltree).
//! [`catalog`] maps public schema URLs to the versioned local files in `schemas/`.
//! [`automaton`] compiles content models into deterministic automata, [`xsd_regex`] translates
//! XSD patterns for the `regex` crate, [`dump`] prints a stable text form, and [`diff`]
//! compares two schemas. [`values`] parses and orders the XSD values that need it (decimals,
//! dates and times, durations) for the schema checks, the diff and the validator.
//!
//! Loading is the only I/O: it goes through a [`resolver::Resolver`] and never the network.

pub mod automaton;
pub mod catalog;
pub mod diff;
pub mod dtd;
pub mod dump;
pub mod encoding;
pub mod error;
pub mod identity;
pub mod ir;
pub mod location;
pub mod resolver;
pub mod values;
pub mod xml_chars;
pub mod xsd;
pub mod xsd_regex;

use std::path::Path;

pub use error::{Diagnostic, LoadError};
pub use identity::{ConstraintPath, IdentityConstraint, IdentityKind, NameTest};
pub use ir::*;
pub use location::{FileId, Location, SourceFile};
pub use resolver::{FsResolver, MemoryResolver, Resolver};

/// Load a DTD (`.dtd`) or XSD (`.xsd`) file from disk, with everything it includes.
pub fn load_file(path: &Path) -> Result<Schema, LoadError> {
    load_with(path, &FsResolver)
}

/// Load a DTD or XSD file through `resolver` (chosen by the file extension; anything that is
/// not `.xsd` is read as a DTD).
pub fn load_with(path: &Path, resolver: &dyn Resolver) -> Result<Schema, LoadError> {
    let is_xsd = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xsd"));
    let mut schema = if is_xsd {
        xsd::load(path, resolver)?
    } else {
        dtd::load(path, resolver)?
    };
    automaton::add_determinism_findings(&mut schema);
    Ok(schema)
}
