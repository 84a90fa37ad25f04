//! The report model: what the renderers print and the exit code is decided from.

use serde::Serialize;

use super::verdict::{AudienceFilter, Directions, Verdict, Verdicts};

/// Where a changed component is in one version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Site {
    /// Display path of the component (`SCAN/NOTIFICATIONS`, `type:Finding/uniqueId`,
    /// `SCAN/@id`).
    pub path: String,
    /// The source file, as displayed by the model (relative to the schema's folder).
    pub file: String,
    /// 1-based line (0 when unknown, e.g. built-in types).
    pub line: u32,
}

/// One change between the two versions of a schema.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The rule id (see [`super::rules::RULES`]).
    pub rule: &'static str,
    /// Display path of the changed component.
    pub path: String,
    /// Where it is in the old version (`None` for something that only exists in the new one
    /// and has no enclosing component there).
    pub old: Option<Site>,
    /// Where it is in the new version.
    pub new: Option<Site>,
    /// One-line human description.
    pub description: String,
    /// Whether the changed component is request content, response content or both.
    pub directions: Directions,
    /// Verdict per audience (`None` where the audience never sees the component).
    pub verdicts: Verdicts,
}

impl Change {
    /// The most serious verdict among the selected audiences.
    pub fn severity(&self, filter: AudienceFilter) -> Option<Verdict> {
        self.verdicts.worst(filter)
    }
}

/// Whether a schema exists in both versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SchemaStatus {
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
    /// In both, with changes.
    Changed,
    /// In both, without changes.
    Unchanged,
}

/// The diff of one schema (one file pair).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SchemaDiff {
    /// The schema's file name (`scan.xsd`).
    pub name: String,
    /// Added, removed, changed or unchanged.
    pub status: SchemaStatus,
    /// The old file as given (relative to the compared folder), if any.
    pub old_file: Option<String>,
    /// The new file, if any.
    pub new_file: Option<String>,
    /// How request/response directions were decided for this schema, e.g.
    /// `catalog: response` or `no catalog entry: every component counted as request and response`.
    pub directions: String,
    /// The changes, in model order (global elements, then named types; depth first).
    pub changes: Vec<Change>,
}

/// The whole diff of two files or two version folders.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The old side as given.
    pub old: String,
    /// The new side as given.
    pub new: String,
    /// One entry per schema, sorted by name.
    pub schemas: Vec<SchemaDiff>,
}

/// Counts of changes by their most serious verdict for the selected audiences.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Breaking for at least one selected audience.
    pub breaking: usize,
    /// Warning at worst.
    pub warning: usize,
    /// Info at worst.
    pub info: usize,
    /// Not seen by any selected audience (e.g. response-only content for request producers).
    #[serde(rename = "not-applicable")]
    pub not_applicable: usize,
}

impl Counts {
    /// Count `changes` for the selected audiences.
    pub fn of(changes: &[Change], filter: AudienceFilter) -> Counts {
        let mut c = Counts::default();
        for ch in changes {
            match ch.severity(filter) {
                Some(Verdict::Breaking) => c.breaking += 1,
                Some(Verdict::Warning) => c.warning += 1,
                Some(Verdict::Info) => c.info += 1,
                None => c.not_applicable += 1,
            }
        }
        c
    }

    /// Add another count.
    pub fn add(&mut self, other: Counts) {
        self.breaking += other.breaking;
        self.warning += other.warning;
        self.info += other.info;
        self.not_applicable += other.not_applicable;
    }
}

impl Report {
    /// Every change of every schema.
    pub fn changes(&self) -> impl Iterator<Item = &Change> {
        self.schemas.iter().flat_map(|s| s.changes.iter())
    }

    /// Counts over all schemas.
    pub fn counts(&self, filter: AudienceFilter) -> Counts {
        let mut total = Counts::default();
        for s in &self.schemas {
            total.add(Counts::of(&s.changes, filter));
        }
        total
    }

    /// The most serious verdict of any change for the selected audiences.
    pub fn worst(&self, filter: AudienceFilter) -> Option<Verdict> {
        self.changes().filter_map(|c| c.severity(filter)).max()
    }
}
