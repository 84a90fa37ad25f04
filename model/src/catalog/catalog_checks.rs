//! Checks of `catalog.toml`: schemes, platform hosts, the private-cloud rule, and every
//! schema with its paths, kind and roots.

use std::collections::HashSet;

use super::build::{check_format, is_file_name, parse_api, Source};
use super::raw::{RawCatalog, RawSchema};
use super::types::{Platform, PrivateCloudRule, Role, RootRole, SchemaInfo};
use super::url::is_domain;
use crate::error::Diagnostic;
use crate::ir::SchemaKind;

/// The checked parts of `catalog.toml`: schemes, platforms, private-cloud rule, schemas.
pub(crate) type CatalogParts = (
    Vec<String>,
    Vec<Platform>,
    Option<PrivateCloudRule>,
    Vec<SchemaInfo>,
);

pub(crate) fn check_catalog(
    src: Source<'_>,
    raw: RawCatalog,
    diags: &mut Vec<Diagnostic>,
) -> CatalogParts {
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
