//! Turning the parsed TOML files into a [`Catalog`], checking their consistency.
//! Every problem is collected as a [`Diagnostic`] with file, line and column.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;

use super::raw::{RawCatalog, RawPayload, RawSchema, RawVersion, RawVersions};
use super::types::{
    Api, Expectation, PayloadRecord, PayloadSource, Platform, PrivateCloudRule, Reconstruction,
    ReleaseNoteSource, Role, RootRole, SchemaInfo, VersionInfo,
};
use super::url::is_domain;
use super::{Catalog, CatalogError};
use crate::error::Diagnostic;
use crate::ir::SchemaKind;
use crate::location::line_col;

/// The only file format version this loader reads.
const FORMAT: u32 = 1;

/// A TOML text and the name it is shown under.
#[derive(Clone, Copy)]
pub(crate) struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

impl Source<'_> {
    fn diag(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let (line, column) = line_col(self.text, span.start);
        Diagnostic {
            file: self.name.to_string(),
            line,
            column,
            message: message.into(),
        }
    }

    fn parse<T: DeserializeOwned>(&self) -> Result<T, Diagnostic> {
        toml::from_str(self.text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|s| line_col(self.text, s.start))
                .unwrap_or((0, 0));
            Diagnostic {
                file: self.name.to_string(),
                line,
                column,
                message: e
                    .message()
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join("; "),
            }
        })
    }
}

/// Parse and check both files.
pub(crate) fn build(
    catalog: Source<'_>,
    versions_src: Source<'_>,
) -> Result<Catalog, CatalogError> {
    let raw_catalog = catalog.parse::<RawCatalog>();
    let raw_versions = versions_src.parse::<RawVersions>();
    let (raw_catalog, raw_versions) = match (raw_catalog, raw_versions) {
        (Ok(c), Ok(v)) => (c, v),
        (c, v) => {
            let errors = [c.err(), v.err()].into_iter().flatten().collect();
            return Err(CatalogError::Syntax(errors));
        }
    };
    let mut diags = Vec::new();
    // What the files declare, valid or not: checks of one entry against another use these,
    // so that one broken entry is reported once instead of cascading.
    let declared: BTreeSet<(Api, String)> = raw_catalog
        .schema
        .iter()
        .filter_map(|s| {
            Some((
                s.api.get_ref().parse::<Api>().ok()?,
                s.file.get_ref().clone(),
            ))
        })
        .collect();
    let declared_at: Vec<(Api, String, Range<usize>)> = raw_catalog
        .schema
        .iter()
        .filter_map(|s| {
            let api = s.api.get_ref().parse::<Api>().ok()?;
            Some((api, s.file.get_ref().clone(), s.file.span()))
        })
        .collect();
    let listed: BTreeSet<(Api, String)> = raw_versions
        .version
        .iter()
        .filter_map(|v| Some((v.api.get_ref().parse::<Api>().ok()?, v)))
        .flat_map(|(api, v)| {
            v.files
                .get_ref()
                .iter()
                .map(move |f| (api, f.get_ref().clone()))
        })
        .collect();
    let (schemes, platforms, private_cloud, schemas) =
        check_catalog(catalog, raw_catalog, &mut diags);
    let versions = check_versions(versions_src, raw_versions, &declared, &mut diags);
    for (api, file, span) in &declared_at {
        if !listed.contains(&(*api, file.clone())) {
            diags.push(catalog.diag(
                span.clone(),
                format!(
                    "schema {api}/{file} is in no version of {}",
                    versions_src.name
                ),
            ));
        }
    }
    if diags.is_empty() {
        Ok(Catalog {
            schemes,
            platforms,
            private_cloud,
            schemas,
            versions,
        })
    } else {
        Err(CatalogError::Invalid(diags))
    }
}

type CatalogParts = (
    Vec<String>,
    Vec<Platform>,
    Option<PrivateCloudRule>,
    Vec<SchemaInfo>,
);

fn check_format(src: Source<'_>, format: &Spanned<u32>, diags: &mut Vec<Diagnostic>) {
    if *format.get_ref() != FORMAT {
        diags.push(src.diag(
            format.span(),
            format!(
                "unsupported format {} (this loader reads format {FORMAT})",
                format.get_ref()
            ),
        ));
    }
}

fn check_catalog(src: Source<'_>, raw: RawCatalog, diags: &mut Vec<Diagnostic>) -> CatalogParts {
    check_format(src, &raw.format, diags);
    let mut schemes = Vec::new();
    if raw.schemes.is_empty() {
        diags.push(src.diag(raw.format.span(), "`schemes` is empty"));
    }
    for s in &raw.schemes {
        match s.get_ref().as_str() {
            "http" | "https" if !schemes.contains(s.get_ref()) => schemes.push(s.get_ref().clone()),
            "http" | "https" => {
                diags.push(src.diag(s.span(), format!("duplicate scheme '{}'", s.get_ref())))
            }
            other => diags.push(src.diag(
                s.span(),
                format!("unsupported scheme '{other}' (expected 'http' or 'https')"),
            )),
        }
    }

    let mut platforms: Vec<Platform> = Vec::new();
    for p in raw.platform {
        let host = p.host.get_ref();
        if host.is_empty() || !is_domain(host, 2) || host.to_ascii_lowercase() != *host {
            diags.push(src.diag(
                p.host.span(),
                format!("platform host '{host}' is not a lower-case domain name"),
            ));
        } else if platforms.iter().any(|q| q.host == *host) {
            diags.push(src.diag(p.host.span(), format!("duplicate platform host '{host}'")));
        } else {
            platforms.push(Platform {
                host: host.clone(),
                name: p.name,
            });
        }
    }

    let private_cloud = raw.private_cloud.and_then(|pc| {
        let prefix = pc.prefix.get_ref();
        let mut ok = true;
        if prefix.is_empty() || !prefix.ends_with('.') || prefix.to_ascii_lowercase() != *prefix {
            diags.push(src.diag(
                pc.prefix.span(),
                format!("private-cloud prefix '{prefix}' must be lower case and end with '.'"),
            ));
            ok = false;
        }
        if *pc.min_labels.get_ref() == 0 {
            diags.push(src.diag(pc.min_labels.span(), "min_labels must be at least 1"));
            ok = false;
        }
        ok.then(|| PrivateCloudRule {
            name: pc.name,
            prefix: prefix.clone(),
            min_labels: *pc.min_labels.get_ref(),
        })
    });

    let mut schemas: Vec<SchemaInfo> = Vec::new();
    let mut all_paths: HashSet<String> = HashSet::new();
    for s in raw.schema {
        if let Some(info) = check_schema(src, s, &schemas, &mut all_paths, diags) {
            schemas.push(info);
        }
    }
    (schemes, platforms, private_cloud, schemas)
}

fn parse_api(src: Source<'_>, api: &Spanned<String>, diags: &mut Vec<Diagnostic>) -> Option<Api> {
    match api.get_ref().parse::<Api>() {
        Ok(a) => Some(a),
        Err(e) => {
            diags.push(src.diag(api.span(), e.to_string()));
            None
        }
    }
}

fn check_schema(
    src: Source<'_>,
    s: RawSchema,
    known: &[SchemaInfo],
    all_paths: &mut HashSet<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<SchemaInfo> {
    let before = diags.len();
    let api = parse_api(src, &s.api, diags);
    let name = s.name.get_ref();
    if name.is_empty() || known.iter().any(|k| k.name == *name) {
        diags.push(src.diag(
            s.name.span(),
            format!("schema name '{name}' is empty or duplicate"),
        ));
    }
    let file = s.file.get_ref();
    if !is_file_name(file) {
        diags.push(src.diag(s.file.span(), format!("'{file}' is not a plain file name")));
    }
    if let Some(api) = api {
        if known.iter().any(|k| k.api == api && k.file == *file) {
            diags.push(src.diag(s.file.span(), format!("duplicate schema file {api}/{file}")));
        }
    }
    let kind = match s.kind.get_ref().as_str() {
        "dtd" => Some(SchemaKind::Dtd),
        "xsd" => Some(SchemaKind::Xsd),
        other => {
            diags.push(src.diag(
                s.kind.span(),
                format!("unknown kind '{other}' (expected 'dtd' or 'xsd')"),
            ));
            None
        }
    };
    if let Some(kind) = kind {
        let ext = match kind {
            SchemaKind::Dtd => ".dtd",
            SchemaKind::Xsd => ".xsd",
        };
        if !file.ends_with(ext) {
            diags.push(src.diag(
                s.file.span(),
                format!(
                    "file '{file}' of kind {} must end with '{ext}'",
                    s.kind.get_ref()
                ),
            ));
        }
    }
    if s.paths.is_empty() {
        diags.push(src.diag(
            s.file.span(),
            format!("schema '{name}' has no public paths"),
        ));
    }
    let mut paths = Vec::new();
    for p in &s.paths {
        let path = p.get_ref();
        if !path.starts_with('/')
            || path.contains(['?', '#'])
            || path.chars().any(char::is_whitespace)
        {
            diags.push(src.diag(
                p.span(),
                format!("path '{path}' must start with '/' and have no query, fragment or space"),
            ));
        } else if !all_paths.insert(path.clone()) {
            diags.push(src.diag(p.span(), format!("path '{path}' is listed twice")));
        } else {
            paths.push(path.clone());
        }
    }
    if s.roots.get_ref().is_empty() {
        diags.push(src.diag(s.roots.span(), format!("schema '{name}' has no roots")));
    }
    let mut roots: Vec<RootRole> = Vec::new();
    for r in s.roots.into_inner() {
        let role = match r.role.get_ref().as_str() {
            "request" => Some(Role::Request),
            "response" => Some(Role::Response),
            other => {
                diags.push(src.diag(
                    r.role.span(),
                    format!("unknown role '{other}' (expected 'request' or 'response')"),
                ));
                None
            }
        };
        let element = r.element.into_inner();
        if element.is_empty() {
            diags.push(src.diag(r.role.span(), "root element name is empty"));
        } else if roots.iter().any(|x| x.element == element) {
            diags.push(src.diag(r.role.span(), format!("root '{element}' is listed twice")));
        }
        if let Some(role) = role {
            roots.push(RootRole { element, role });
        }
    }
    if diags.len() != before {
        return None;
    }
    Some(SchemaInfo {
        name: s.name.into_inner(),
        api: api?,
        file: s.file.into_inner(),
        kind: kind?,
        paths,
        roots,
    })
}

/// A plain file or folder name: no separators, not `.`/`..`, only `[A-Za-z0-9._-]`.
fn is_file_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// The leading four-digit year of a free-text date, if any.
fn year(date: &str) -> Option<u32> {
    let head = date.get(..4)?;
    head.chars()
        .all(|c| c.is_ascii_digit())
        .then(|| head.parse().ok())
        .flatten()
}

fn check_versions(
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
