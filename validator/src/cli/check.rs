//! Checking one document: one engine pass with the Qualys rules observing it, merged into one report.

use std::io::{BufRead, BufReader};

use qschema_validator::engine::{validate, validate_split, DocumentInput, Options};
use qschema_validator::report::{rules as ids, Report, ValidationError};
use qschema_validator::rules::Context;

use super::inputs::{Input, Source};
use super::results::{Failure, FailureKind, FileResult, Outcome, VersionResult};
use super::select::Selected;
use super::store::{Loaded, SchemaKey, Store};

/// Read buffer for documents on disk.
const READ_BUFFER: usize = 256 * 1024;

/// Everything a check needs besides the document.
pub struct Settings<'a> {
    /// Engine options (limits, max errors).
    pub options: &'a Options,
    /// Context of the rules pass (endpoint).
    pub context: &'a Context,
}

fn open(input: &Input) -> Result<Box<dyn BufRead + '_>, Failure> {
    match &input.source {
        Source::File(p) => std::fs::File::open(p)
            .map(|f| Box::new(BufReader::with_capacity(READ_BUFFER, f)) as Box<dyn BufRead>)
            .map_err(|e| Failure {
                kind: FailureKind::Io,
                message: format!("cannot read {}: {e}", p.display()),
            }),
        Source::Stdin(bytes) => Ok(Box::new(bytes.as_slice())),
        Source::Loaded(_, bytes) => Ok(Box::new(bytes.as_slice())),
        Source::Unreadable(message) => Err(Failure {
            kind: FailureKind::Io,
            message: message.clone(),
        }),
    }
}

/// Check `input` as selected.
pub fn check(input: &Input, selected: &Selected, store: &Store, settings: &Settings) -> FileResult {
    match selected {
        Selected::One(key) => {
            let loaded = match store.get(key) {
                Ok(l) => l,
                Err(f) => return FileResult::failed(&input.display, f.kind, f.message),
            };
            let outcome = match check_one(input, &loaded, store, settings) {
                Ok(report) => Outcome::Checked(report),
                Err(f) => Outcome::Failed(f),
            };
            FileResult {
                display: input.display.clone(),
                schema: Some(loaded.label.clone()),
                version: loaded.version.clone(),
                outcome,
            }
        }
        Selected::Unnamed(failure) => {
            let checked = store
                .get(&SchemaKey::WellFormedOnly)
                .and_then(|loaded| check_one(input, &loaded, store, settings));
            match checked {
                // Not even well-formed: that is the answer (exit 1), not "no schema".
                Ok(report) if !report.is_valid() => FileResult {
                    display: input.display.clone(),
                    schema: Some("none".to_string()),
                    version: None,
                    outcome: Outcome::Checked(report),
                },
                Ok(_) => FileResult::failed(&input.display, failure.kind, failure.message.clone()),
                Err(f) => FileResult::failed(&input.display, f.kind, f.message),
            }
        }
        Selected::All(target, keys) => {
            let versions = keys
                .iter()
                .map(|(version, key)| VersionResult {
                    version: version.clone(),
                    outcome: store
                        .get(key)
                        .and_then(|loaded| check_one(input, &loaded, store, settings)),
                })
                .collect();
            FileResult {
                display: input.display.clone(),
                schema: Some(target.label()),
                version: None,
                outcome: Outcome::Versions(versions),
            }
        }
    }
}

/// Whether the engine's report says the document could be read as XML to its end.
fn well_formed(report: &Report) -> bool {
    !report.aborted
        && !report.errors.iter().any(|e| {
            e.rule == ids::NOT_WELL_FORMED || e.rule == ids::ENCODING || e.rule == ids::LIMIT
        })
}

fn check_one(
    input: &Input,
    loaded: &Loaded,
    store: &Store,
    settings: &Settings,
) -> Result<Report, Failure> {
    let reader = open(input)?;
    let doc = DocumentInput {
        display_name: &input.display,
        path: input.path(),
    };
    // Already narrowed to the run's context by the store; narrowing again here would copy every
    // rule regex per document, each copy with a cold cache.
    let rules = &loaded.rules;
    let mut observer = (!rules.is_empty()).then(|| rules.observer(settings.context));
    let mut report = match observer.as_mut() {
        Some(o) => validate_split(
            reader,
            &doc,
            loaded.compiled.as_ref(),
            store.resolver_for(loaded),
            settings.options,
            o,
            &|| Box::new(rules.observer(settings.context)),
        ),
        None => validate(
            reader,
            &doc,
            loaded.compiled.as_ref(),
            store.resolver_for(loaded),
            settings.options,
        ),
    };
    if let Some(prefix) = &loaded.declared_prefix {
        for e in &mut report.errors {
            if let Some(at) = &mut e.declared_at {
                if !at.contains('/') {
                    at.insert_str(0, prefix);
                }
            }
        }
    }
    // The rules ran in the engine's pass; their findings count only if it read the whole document.
    if let Some(o) = observer {
        if well_formed(&report) {
            merge(&mut report, o.into_errors(), settings.options.max_errors);
        }
    }
    Ok(report)
}

/// Add rule errors (skipping those at an element the schema already reported a value error
/// for, e.g. a uniqueId that fails the XSD pattern too), in document order, under the cap.
fn merge(report: &mut Report, rule_errors: Vec<ValidationError>, max_errors: usize) {
    if rule_errors.is_empty() {
        return;
    }
    // When the engine dropped errors past its cap, a rule error after the last kept one could
    // displace an earlier (dropped) engine error: keep only rule errors before that point.
    let horizon = report
        .truncated
        .then(|| report.errors.last().map(|e| (e.line, e.column)))
        .flatten();
    let fresh: Vec<ValidationError> = rule_errors
        .into_iter()
        .filter(|r| horizon.is_none_or(|h| (r.line, r.column) <= h))
        .filter(|r| {
            !report
                .errors
                .iter()
                .any(|e| e.rule == ids::INVALID_VALUE && e.path == r.path)
        })
        .collect();
    report.errors.extend(fresh);
    report.errors.sort_by_key(|e| (e.line, e.column));
    if max_errors > 0 && report.errors.len() > max_errors {
        report.errors.truncate(max_errors);
        report.truncated = true;
    }
}
