//! What validation reports: errors with position, element path and rule id.

use serde::Serialize;

/// One validation error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ValidationError {
    /// 1-based line of the offending construct in the document.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Element path, e.g. `/ServiceResponse/data/Finding[3]/uniqueId` (attributes: `.../@name`).
    pub path: String,
    /// Stable kebab-case rule id (see [`rules`] for the engine's ids; Qualys rules use ids
    /// such as `qualys-unique-id-pattern`).
    pub rule: String,
    /// One-line human message in xmllint's style, naming what was found and what was expected.
    pub message: String,
    /// What was found, when it can be said briefly (an element name, a value).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    /// What was expected, when it can be said briefly (`one of ID, ACTIVE`, `xs:boolean`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// Where the schema declaration behind the rule is (`schedule_scan_list_output.dtd:12:1`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_at: Option<String>,
}

/// The verdict on one document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Errors in document order (capped at the `max_errors` option).
    pub errors: Vec<ValidationError>,
    /// True when more errors were found than were kept.
    pub truncated: bool,
    /// True when the document could not be read to its end (not well-formed, limit reached,
    /// I/O error): later errors may be missing.
    pub aborted: bool,
}

impl Report {
    /// Whether the document is valid.
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Rule ids used by the engine. Stable: pipelines may filter on them.
pub mod rules {
    /// The document is not well-formed XML.
    pub const NOT_WELL_FORMED: &str = "xml-not-well-formed";
    /// The document is not UTF-8 (or declares an unsupported encoding).
    pub const ENCODING: &str = "xml-encoding";
    /// A security limit was reached (entity expansion, nesting depth, size).
    pub const LIMIT: &str = "xml-limit-exceeded";
    /// An entity reference could not be resolved.
    pub const ENTITY: &str = "xml-entity";
    /// The document has no DTD to validate against (validating-processor mode).
    pub const NO_DTD: &str = "no-dtd";
    /// A `standalone="yes"` document depends on external markup declarations (XML 1.0 VC:
    /// Standalone Document Declaration).
    pub const STANDALONE: &str = "standalone-declaration";
    /// The root element is not the one the schema allows.
    pub const ROOT: &str = "root-element";
    /// An element is not declared.
    pub const UNDECLARED_ELEMENT: &str = "undeclared-element";
    /// A child element is not allowed here by the content model.
    pub const UNEXPECTED_ELEMENT: &str = "unexpected-element";
    /// Required child elements are missing at the end of an element.
    pub const MISSING_ELEMENT: &str = "missing-element";
    /// Text is not allowed in this element.
    pub const UNEXPECTED_TEXT: &str = "unexpected-text";
    /// An element declared EMPTY has content.
    pub const NOT_EMPTY: &str = "element-not-empty";
    /// An attribute is not declared.
    pub const UNDECLARED_ATTRIBUTE: &str = "undeclared-attribute";
    /// A required attribute is missing.
    pub const MISSING_ATTRIBUTE: &str = "missing-attribute";
    /// An attribute or text value is not valid for its type.
    pub const INVALID_VALUE: &str = "invalid-value";
    /// A value differs from a fixed value.
    pub const FIXED_VALUE: &str = "fixed-value";
    /// ID values must be unique.
    pub const DUPLICATE_ID: &str = "duplicate-id";
    /// IDREF targets must exist.
    pub const DANGLING_IDREF: &str = "dangling-idref";
    /// xsi:nil misuse.
    pub const NIL: &str = "xsi-nil";
    /// xsi:type misuse.
    pub const XSI_TYPE: &str = "xsi-type";
    /// XSD identity constraints: a duplicate unique or key, a key field without a value, a
    /// keyref without its key.
    pub const IDENTITY: &str = "identity-constraint";
    /// A declaration-level finding of the schema itself.
    pub const SCHEMA_FINDING: &str = "schema-finding";
}
