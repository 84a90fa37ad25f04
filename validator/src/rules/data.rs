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

/// One rule as written in `rules.toml`. Which of the optional fields a rule needs depends on
/// its `kind` (checked by [`crate::rules::RuleSet::from_toml`]):
///
/// - `mutually-exclusive-children`: `element` (path suffix, e.g. `OptionProfile/detection`) and
///   `children` (at most one of them may be present);
/// - `value-pattern`: `pattern` (the `regex` crate's syntax, implicitly anchored like an XSD
///   pattern) and `elements` (path suffixes whose trimmed text must match) and/or
///   `criteria_fields` (`Criteria` `field` values whose trimmed text must match; each item of
///   a comma-separated list for the `IN` and `NOT IN` operators);
/// - `forbidden-operator`: `operator` (e.g. `NOT EQUALS`), `actions` (`delete`, `update`) and
///   `endpoints` (module/object path segments, e.g. `am/hostasset`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleData {
    /// Stable kebab-case id, e.g. `qualys-unique-id-pattern`.
    pub id: String,
    /// `mutually-exclusive-children`, `value-pattern` or `forbidden-operator`.
    pub kind: String,
    /// One-line description.
    pub description: String,
    /// The release note the rule comes from.
    pub source: RuleSource,
    /// Schema files of the same folder the rule applies to (`finding.xsd`); empty: any document.
    #[serde(default)]
    pub files: Vec<String>,
    /// Element path suffix (`mutually-exclusive-children`).
    pub element: Option<String>,
    /// Child element names (`mutually-exclusive-children`).
    #[serde(default)]
    pub children: Vec<String>,
    /// Pattern (`value-pattern`).
    pub pattern: Option<String>,
    /// Element path suffixes (`value-pattern`).
    #[serde(default)]
    pub elements: Vec<String>,
    /// `Criteria` fields (`value-pattern`).
    #[serde(default)]
    pub criteria_fields: Vec<String>,
    /// Operator (`forbidden-operator`).
    pub operator: Option<String>,
    /// Request actions (`forbidden-operator`).
    #[serde(default)]
    pub actions: Vec<String>,
    /// Module/object endpoint segments (`forbidden-operator`).
    #[serde(default)]
    pub endpoints: Vec<String>,
}
