//! The on-disk form of Qualys rules: `schemas/<api>/<version>/rules.toml`.
//!
//! ```toml
//! [[rule]]
//! id = "qualys-unique-id-pattern"
//! kind = "value-pattern"
//! description = "uniqueId is a lowercase UUID"
//! source = { seed = "003_2e34ab0db4c1ef6a.txt", section = "WAS API: Unique ID for Findings" }
//! files = ["finding.xsd"]
//! pattern = "[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}"
//! elements = ["Finding/uniqueId"]
//! criteria_fields = ["uniqueId"]
//! ```

use serde::Deserialize;

/// A whole `rules.toml` file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// The rules, in file order.
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleData>,
}

/// Where a rule comes from: a release note and its section.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RuleSource {
    /// The release-note file (seed) name, e.g. `003_2e34ab0db4c1ef6a.txt`.
    pub seed: String,
    /// The section title in that note.
    pub section: String,
}

/// One rule as written in `rules.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleData {
    /// Stable kebab-case id, e.g. `qualys-unique-id-pattern`.
    pub id: String,
    /// One-line description.
    pub description: String,
    /// The release note the rule comes from.
    pub source: RuleSource,
    /// Schema files of the same folder the rule applies to (`finding.xsd`); empty: any document.
    #[serde(default)]
    pub files: Vec<String>,
    /// What the rule checks.
    #[serde(flatten)]
    pub kind: RuleKindData,
}

/// The generic rule kinds.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum RuleKindData {
    /// At most one of `children` may appear in an element matching `element`.
    MutuallyExclusiveChildren {
        /// Element path suffix, e.g. `OptionProfile/detection`.
        element: String,
        /// Child element names of which at most one may be present.
        children: Vec<String>,
    },
    /// Text of the matching elements (and values of matching `Criteria`) must match `pattern`.
    ValuePattern {
        /// Pattern (the `regex` crate's syntax; implicitly anchored like an XSD pattern).
        pattern: String,
        /// Element path suffixes whose trimmed text must match, e.g. `Finding/uniqueId`.
        #[serde(default)]
        elements: Vec<String>,
        /// `Criteria` `field` attribute values whose trimmed text must match (each item of a
        /// comma-separated list for the `IN` and `NOT IN` operators).
        #[serde(default)]
        criteria_fields: Vec<String>,
    },
    /// A `Criteria` `operator` that requests to the given endpoints must not use.
    ForbiddenOperator {
        /// The operator, e.g. `NOT EQUALS`.
        operator: String,
        /// Request actions (the path segment after the API version), e.g. `delete`, `update`.
        actions: Vec<String>,
        /// Module/object path segments, e.g. `am/hostasset`.
        endpoints: Vec<String>,
    },
}
