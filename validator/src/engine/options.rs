//! Engine options (limits) and the description of the document being validated.

use std::path::Path;

/// Limits and switches for one validation run. [`Options::default`] is safe for hostile input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Keep at most this many errors (then [`crate::report::Report::truncated`] is set);
    /// 0 = unlimited. Default 1000.
    pub max_errors: usize,
    /// Maximum element nesting depth. Default 256.
    pub max_depth: usize,
    /// Maximum number of entity references expanded in the whole document (billion laughs).
    /// Default 10,000.
    pub max_entity_expansions: usize,
    /// Maximum total number of bytes produced by entity expansion in the whole document
    /// (quadratic blowup). Default 10 MiB.
    pub max_expanded_bytes: usize,
    /// Maximum size of one attribute value, in bytes (raw and after expansion). Default 1 MiB.
    pub max_attribute_bytes: usize,
    /// Maximum text accumulated for one simple-content element, and maximum size of one text
    /// run, comment, CDATA section or processing instruction. Default 8 MiB.
    pub max_text_bytes: usize,
    /// Expand external parsed entities that resolve to local files in the document's folder.
    /// Default false: such references are an `xml-entity` error. URLs are never fetched.
    pub allow_local_external_entities: bool,
    /// When no schema is given, also read the external DTD subset the DOCTYPE names (a local
    /// file, resolved against the document's folder; URLs are never fetched) together with the
    /// internal subset, as a validating XML processor does. Default false: without a schema
    /// only the internal subset is used.
    pub load_external_dtd: bool,
    /// Validating-processor mode: a document without a DTD (no DOCTYPE, or a DOCTYPE that
    /// declares nothing usable) is invalid, reported as a `no-dtd` error at its root element
    /// (xmllint `--valid`: "no DTD found"). Default false: such a document is only checked for
    /// well-formedness.
    pub require_dtd: bool,
    /// Namespaces in XML 1.0 processing (default true): names are QNames, prefixes must be
    /// bound, `xmlns` attributes bind them, and entity, notation and PI target names contain no
    /// colon. False reads plain XML 1.0, where `a:b:c` is just a name (DTD validation only: an
    /// XSD needs namespaces).
    pub namespace_aware: bool,
    /// Threads one document may be validated on (default 1). With more, a document of at
    /// least [`Options::split_min_bytes`] read from a file ([`DocumentInput::path`], which the
    /// reader given to the engine must read from its start; UTF-8 only) is split at the end
    /// tags of its records and the parts are validated at once, each thread reading the file
    /// itself. A part is used only once the pass before it has reached its start in the state
    /// it started from, so the report is the one a single thread makes.
    pub split_threads: usize,
    /// The smallest document [`Options::split_threads`] splits, in bytes (default 8 MiB); no
    /// part is smaller than a sixteenth of it.
    pub split_min_bytes: u64,
    /// How a message about a limit or switch names it: as the field of this struct
    /// (`max_depth`, the default) or as `validate`'s command-line flag (`--max-depth`), so a
    /// reader knows what to change.
    pub option_names: OptionNames,
}

/// How messages name the fields of [`Options`] (see [`Options::option_names`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OptionNames {
    /// The field names: `max_text_bytes`.
    #[default]
    Fields,
    /// The `validate` flags: `--max-text-bytes`.
    Flags,
}

impl Options {
    /// The name of the option held by the field `field` (e.g. `"max_depth"`), as messages
    /// write it.
    pub fn option_name(&self, field: &str) -> String {
        match (self.option_names, field) {
            (OptionNames::Fields, _) => field.to_string(),
            (OptionNames::Flags, "allow_local_external_entities") => {
                "--allow-local-entities".to_string()
            }
            (OptionNames::Flags, _) => format!("--{}", field.replace('_', "-")),
        }
    }
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_errors: 1000,
            max_depth: 256,
            max_entity_expansions: 10_000,
            max_expanded_bytes: 10 * 1024 * 1024,
            max_attribute_bytes: 1024 * 1024,
            max_text_bytes: 8 * 1024 * 1024,
            allow_local_external_entities: false,
            load_external_dtd: false,
            require_dtd: false,
            namespace_aware: true,
            split_threads: 1,
            split_min_bytes: 8 * 1024 * 1024,
            option_names: OptionNames::Fields,
        }
    }
}

/// The document being validated.
#[derive(Clone, Copy, Debug)]
pub struct DocumentInput<'a> {
    /// How the document is named in messages (`scan.xml`, `<stdin>`).
    pub display_name: &'a str,
    /// Its path on disk, if it has one: relative external entities resolve against its folder.
    pub path: Option<&'a Path>,
}
