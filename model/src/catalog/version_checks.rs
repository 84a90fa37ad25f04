//! Checks of `versions.toml`: apis, labels, chronological order, files, `changed`, and
//! the provenance and payload entries of every version.

use std::collections::{BTreeMap, BTreeSet};

use toml::Spanned;

use super::build::{check_format, is_file_name, parse_api, year, Source};
use super::raw::{RawPayload, RawVersion, RawVersions};
use super::types::{
    Api, Expectation, PayloadRecord, PayloadSource, Reconstruction, ReleaseNoteSource, VersionInfo,
};
use crate::error::Diagnostic;

pub(crate) fn check_versions(
    src: Source<'_>,
    raw: RawVersions,
    declared: &BTreeSet<(Api, String)>,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<Api, Vec<VersionInfo>> {
    check_format(src, &raw.format, diags);
    let mut out: BTreeMap<Api, Vec<VersionInfo>> = BTreeMap::new();
    let mut last_year: BTreeMap<Api, u32> = BTreeMap::new();
    // Labels seen so far per api, including those of versions with errors.
    let mut seen: BTreeMap<Api, Vec<String>> = BTreeMap::new();
    // With a version of unknown api, which version is the first of its api is unknown.
    let unknown_api = raw
        .version
        .iter()
        .any(|v| v.api.get_ref().parse::<Api>().is_err());
    for v in raw.version {
        let Some(api) = parse_api(src, &v.api, diags) else {
            continue;
        };
        let labels = seen.entry(api).or_default();
        let first = labels.is_empty() && !unknown_api;
        let duplicate = labels.contains(v.label.get_ref());
        labels.push(v.label.get_ref().clone());
        if let Some(date) = &v.date {
            if let Some(y) = year(date.get_ref()) {
                if last_year.get(&api).is_some_and(|&prev| y < prev) {
                    diags.push(src.diag(
                        date.span(),
                        format!("date '{}' is earlier than the previous {api} version's: versions must be in chronological order", date.get_ref()),
                    ));
                }
                last_year.insert(api, y);
            }
        }
        let ctx = VersionContext {
            api,
            first,
            duplicate,
            declared,
        };
        if let Some(info) = check_version(src, &ctx, v, diags) {
            out.entry(api).or_default().push(info);
        }
    }
    out
}

/// What checking one version needs to know about the others.
struct VersionContext<'a> {
    api: Api,
    /// No earlier version of the api (valid or not) was seen.
    first: bool,
    /// An earlier version of the api has the same label.
    duplicate: bool,
    /// Every (api, file) the catalog declares.
    declared: &'a BTreeSet<(Api, String)>,
}

fn check_version(
    src: Source<'_>,
    ctx: &VersionContext<'_>,
    v: RawVersion,
    diags: &mut Vec<Diagnostic>,
) -> Option<VersionInfo> {
    let before = diags.len();
    let (api, first) = (ctx.api, ctx.first);
    let label = v.label.get_ref();
    if !is_file_name(label) {
        diags.push(src.diag(
            v.label.span(),
            format!("label '{label}' is not a valid folder name"),
        ));
    } else if ctx.duplicate {
        diags.push(src.diag(
            v.label.span(),
            format!("duplicate {api} version label '{label}'"),
        ));
    }
    let known = |f: &str| ctx.declared.contains(&(api, f.to_string()));
    if v.files.get_ref().is_empty() {
        diags.push(src.diag(
            v.files.span(),
            format!("version {api}/{label} lists no files"),
        ));
    }
    let mut files: Vec<String> = Vec::new();
    for f in v.files.get_ref() {
        let name = f.get_ref();
        if !known(name) {
            diags.push(src.diag(
                f.span(),
                format!("{api}/{name} is not a schema of catalog.toml"),
            ));
        } else if files.contains(name) {
            diags.push(src.diag(f.span(), format!("{name} is listed twice")));
        } else {
            files.push(name.clone());
        }
    }
    let listed: BTreeSet<&str> = v
        .files
        .get_ref()
        .iter()
        .map(|f| f.get_ref().as_str())
        .collect();
    let in_version = |f: &Spanned<String>, what: &str, diags: &mut Vec<Diagnostic>| {
        if !listed.contains(f.get_ref().as_str()) {
            diags.push(src.diag(
                f.span(),
                format!(
                    "{what} names {}, which version {api}/{label} does not list in `files`",
                    f.get_ref()
                ),
            ));
        }
    };
    if first && !v.changed.is_empty() {
        diags.push(src.diag(
            v.label.span(),
            format!("{api}/{label} is the first {api} version: `changed` must be empty"),
        ));
    }
    for c in &v.changed {
        in_version(c, "`changed`", diags);
    }
    for n in &v.release_notes {
        in_version(&n.file, "a release_notes entry", diags);
    }
    for r in &v.reconstructed {
        in_version(&r.file, "a reconstructed entry", diags);
    }
    let mut payloads = Vec::new();
    for p in v.payload {
        in_version(&p.file, "a payload entry", diags);
        if let Some(record) = check_payload(src, p, diags) {
            payloads.push(record);
        }
    }
    if diags.len() != before {
        return None;
    }
    Some(VersionInfo {
        api,
        label: v.label.into_inner(),
        release: v.release,
        date: v.date.map(Spanned::into_inner),
        label_basis: v.label_basis,
        files,
        changed: v.changed.into_iter().map(Spanned::into_inner).collect(),
        release_notes: v
            .release_notes
            .into_iter()
            .map(|n| ReleaseNoteSource {
                seed: n.seed,
                file: n.file.into_inner(),
                verbatim: n.verbatim,
            })
            .collect(),
        reconstructed: v
            .reconstructed
            .into_iter()
            .map(|r| Reconstruction {
                file: r.file.into_inner(),
                what: r.what,
                from: r.from,
            })
            .collect(),
        payloads,
        known_unknowns: v.known_unknowns,
    })
}

fn check_payload(
    src: Source<'_>,
    p: RawPayload,
    diags: &mut Vec<Diagnostic>,
) -> Option<PayloadRecord> {
    let source = match p.source.get_ref().as_str() {
        "corpus" => Some(PayloadSource::Corpus),
        "seed" => Some(PayloadSource::Seed),
        other => {
            diags.push(src.diag(
                p.source.span(),
                format!("unknown payload source '{other}' (expected 'corpus' or 'seed')"),
            ));
            None
        }
    };
    let expect = match p.expect.get_ref().as_str() {
        "valid" => Some(Expectation::Valid),
        "invalid" => Some(Expectation::Invalid),
        "not-well-formed" => Some(Expectation::NotWellFormed),
        "out-of-scope" => Some(Expectation::OutOfScope),
        other => {
            diags.push(src.diag(
                p.expect.span(),
                format!("unknown expectation '{other}' (expected valid, invalid, not-well-formed or out-of-scope)"),
            ));
            None
        }
    };
    if let Some(e) = expect {
        let needs_errors = matches!(e, Expectation::Invalid | Expectation::NotWellFormed);
        if needs_errors && p.errors.is_empty() {
            diags.push(src.diag(
                p.expect.span(),
                format!("a payload expected {} must list its errors", e.as_str()),
            ));
        }
        if !needs_errors && !p.errors.is_empty() {
            diags.push(src.diag(
                p.expect.span(),
                format!("a payload expected {} cannot list errors", e.as_str()),
            ));
        }
    }
    if source == Some(PayloadSource::Seed) && p.sample.is_none() {
        diags.push(src.diag(
            p.source.span(),
            "a seed payload must say which `sample` it is",
        ));
    }
    Some(PayloadRecord {
        source: source?,
        path: p.path,
        sample: p.sample,
        file: p.file.into_inner(),
        expect: expect?,
        errors: p.errors,
        note: p.note,
    })
}
