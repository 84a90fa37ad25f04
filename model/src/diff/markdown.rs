//! The Markdown report: a summary table of counts by verdict, then one section per schema
//! with its changes grouped by verdict, breaking first.

use std::fmt::Write;

use super::report::{Change, Counts, Report, Site};
use super::verdict::{Audience, AudienceFilter, Verdict};

/// Render a review-ready Markdown report for the selected audiences.
pub fn render(report: &Report, filter: AudienceFilter) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Schema diff\n");
    let _ = writeln!(out, "- old: `{}`", report.old);
    let _ = writeln!(out, "- new: `{}`", report.new);
    let audiences: Vec<&str> = Audience::ALL
        .iter()
        .filter(|a| filter.includes(**a))
        .map(|a| a.name())
        .collect();
    let _ = writeln!(
        out,
        "- audience: {} ({})\n",
        filter.name(),
        audiences.join(", ")
    );
    let _ = writeln!(
        out,
        "Verdicts per audience: tolerant-reader reads responses and ignores unknown elements; \
         validating-reader validates responses against its old schema; request-producer writes \
         requests; n/a: the audience never sees the changed component. Rules: \
         `model/src/diff/RULES.md`.\n"
    );
    let _ = writeln!(out, "## Summary\n");
    let _ = writeln!(out, "| schema | status | breaking | warning | info |");
    let _ = writeln!(out, "| --- | --- | ---: | ---: | ---: |");
    for s in &report.schemas {
        let c = Counts::of(&s.changes, filter);
        let status = serde_json::to_value(s.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {status} | {} | {} | {} |",
            s.name, c.breaking, c.warning, c.info
        );
    }
    let t = report.counts(filter);
    let _ = writeln!(
        out,
        "| **total** | | **{}** | **{}** | **{}** |",
        t.breaking, t.warning, t.info
    );
    if t.not_applicable > 0 {
        let _ = writeln!(
            out,
            "\n{} change(s) affect no selected audience and are not listed.",
            t.not_applicable
        );
    }
    for s in &report.schemas {
        let _ = writeln!(out, "\n## {}\n", s.name);
        match (&s.old_file, &s.new_file) {
            (Some(o), Some(n)) => {
                let _ = writeln!(out, "`{o}` → `{n}`\n");
            }
            (Some(o), None) => {
                let _ = writeln!(out, "`{o}` (removed)\n");
            }
            (None, Some(n)) => {
                let _ = writeln!(out, "`{n}` (added)\n");
            }
            (None, None) => {}
        }
        let _ = writeln!(out, "Directions: {}.", s.directions);
        if s.changes.is_empty() {
            let _ = writeln!(out, "\nNo changes.");
            continue;
        }
        if s.changes.iter().all(|c| c.severity(filter).is_none()) {
            let _ = writeln!(out, "\nNo changes for the selected audience(s).");
            continue;
        }
        for v in [Verdict::Breaking, Verdict::Warning, Verdict::Info] {
            let group: Vec<&Change> = s
                .changes
                .iter()
                .filter(|c| c.severity(filter) == Some(v))
                .collect();
            if group.is_empty() {
                continue;
            }
            let title = match v {
                Verdict::Breaking => "Breaking",
                Verdict::Warning => "Warning",
                Verdict::Info => "Info",
            };
            let _ = writeln!(out, "\n### {title} ({})\n", group.len());
            for c in group {
                write_change(&mut out, c);
            }
        }
    }
    out
}

fn write_change(out: &mut String, c: &Change) {
    let _ = writeln!(out, "- **`{}`** `{}`: {}  ", c.rule, c.path, c.description);
    let _ = writeln!(out, "  old: {} · new: {}  ", site(&c.old), site(&c.new));
    let verdicts: Vec<String> = Audience::ALL
        .iter()
        .map(|a| {
            let v = match c.verdicts.get(*a) {
                Some(Verdict::Breaking) => "**breaking**".to_string(),
                Some(v) => v.name().to_string(),
                None => "n/a".to_string(),
            };
            format!("{}: {v}", a.name())
        })
        .collect();
    let _ = writeln!(
        out,
        "  {} content; {}",
        c.directions.label(),
        verdicts.join(", ")
    );
}

fn site(s: &Option<Site>) -> String {
    match s {
        Some(s) if s.line == 0 => format!("`{}` `{}`", s.file, s.path),
        Some(s) => format!("`{}:{}` `{}`", s.file, s.line, s.path),
        None => "—".to_string(),
    }
}
