//! The JSON report. Shape (stable; `format` changes if it ever does; object keys are printed
//! in alphabetical order):
//!
//! ```text
//! {
//!   "format": "qschema-schema-diff/1",
//!   "old": "<path as given>", "new": "<path as given>",
//!   "audience": "all" | "response-consumer" | "tolerant-reader" | "validating-reader" | "request-producer",
//!   "summary": { "breaking": n, "warning": n, "info": n, "not-applicable": n },
//!   "schemas": [ {
//!     "name": "scan.xsd", "status": "added" | "removed" | "changed" | "unchanged",
//!     "old-file": "<path>" | null, "new-file": "<path>" | null,
//!     "directions": "<how request/response directions were decided>",
//!     "summary": { ...as above, for this schema... },
//!     "changes": [ {
//!       "rule": "enum-value-added",
//!       "severity": "breaking" | "warning" | "info",   // worst verdict for the selected audiences
//!       "path": "type:WasScanResultStatus",
//!       "directions": "request" | "response" | "request+response",
//!       "old": { "path": ..., "file": ..., "line": n } | null,
//!       "new": { "path": ..., "file": ..., "line": n } | null,
//!       "description": "...",
//!       "verdicts": { "tolerant-reader": v | null, "validating-reader": v | null, "request-producer": v | null }
//!     } ]
//!   } ]
//! }
//! ```
//!
//! Changes no selected audience sees are left out of `changes` and counted as `not-applicable`.

use serde_json::{json, Value};

use super::report::{Change, Counts, Report, Site};
use super::verdict::AudienceFilter;

/// Render the report as pretty-printed JSON (with a trailing newline).
pub fn render(report: &Report, filter: AudienceFilter) -> String {
    let mut out = serde_json::to_string_pretty(&to_value(report, filter)).unwrap_or_default();
    out.push('\n');
    out
}

/// The report as a JSON value.
pub fn to_value(report: &Report, filter: AudienceFilter) -> Value {
    let schemas: Vec<Value> = report
        .schemas
        .iter()
        .map(|s| {
            json!({
                "name": s.name,
                "status": s.status,
                "old-file": s.old_file,
                "new-file": s.new_file,
                "directions": s.directions,
                "summary": counts(Counts::of(&s.changes, filter)),
                "changes": s.changes.iter().filter_map(|c| change(c, filter)).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "format": "qschema-schema-diff/1",
        "old": report.old,
        "new": report.new,
        "audience": filter.name(),
        "summary": counts(report.counts(filter)),
        "schemas": schemas,
    })
}

fn counts(c: Counts) -> Value {
    json!({
        "breaking": c.breaking,
        "warning": c.warning,
        "info": c.info,
        "not-applicable": c.not_applicable,
    })
}

fn site(s: &Option<Site>) -> Value {
    match s {
        Some(s) => json!({ "path": s.path, "file": s.file, "line": s.line }),
        None => Value::Null,
    }
}

fn change(c: &Change, filter: AudienceFilter) -> Option<Value> {
    let severity = c.severity(filter)?;
    Some(json!({
        "rule": c.rule,
        "severity": severity,
        "path": c.path,
        "directions": c.directions.label(),
        "old": site(&c.old),
        "new": site(&c.new),
        "description": c.description,
        "verdicts": c.verdicts,
    }))
}
