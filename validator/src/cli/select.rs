//! Schema selection for one document: `--schema`, else the schema the document names, else
//! the endpoint's; then the version (`--version`, latest, or all).

use std::path::PathBuf;

use qschema_validator::rules::Endpoint;

use super::args::Args;
use super::catalog::{SchemaCatalog, Target};
use super::prolog::Prolog;
use super::results::{Failure, FailureKind};
use super::store::SchemaKey;

/// What a document will be checked against.
#[derive(Clone, Debug)]
pub enum Selected {
    /// One schema.
    One(SchemaKey),
    /// Every version of a catalog schema (`--all-versions`).
    All(Target, Vec<(String, SchemaKey)>),
    /// The document names no schema, or one the catalog does not know: it fails with this
    /// failure, unless it is not even well-formed, which is then reported instead (a better
    /// answer for garbage input, and one a pipeline can act on: exit 1, not 2).
    Unnamed(Failure),
}

fn fail(kind: FailureKind, message: String) -> Failure {
    Failure { kind, message }
}

/// Choose the schema for a document with prolog `prolog`.
pub fn select(
    args: &Args,
    prolog: &Prolog,
    catalog: &SchemaCatalog,
    endpoint: Option<&Endpoint>,
) -> Result<Selected, Failure> {
    if args.rules_only {
        return Ok(Selected::One(SchemaKey::RulesOnly {
            version: args.version.clone(),
        }));
    }
    if let Some(schema) = &args.schema {
        if !schema.contains("://") {
            return Ok(Selected::One(SchemaKey::Disk(PathBuf::from(schema))));
        }
        let target = catalog.resolve_url(schema).map_err(|e| {
            fail(
                FailureKind::UnknownSchema,
                format!("--schema {schema}: {e}"),
            )
        })?;
        return versions(args, catalog, target);
    }
    if let Some(problem) = &prolog.problem {
        // Usually not well-formed, which the well-formedness check then reports (exit 1).
        return Ok(Selected::Unnamed(fail(
            FailureKind::NoSchema,
            format!("cannot find the schema the document names: {problem}"),
        )));
    }
    if let Some(url) = prolog.schema_url() {
        return match catalog.resolve_url(url) {
            Ok(target) => versions(args, catalog, target),
            Err(e) => Ok(Selected::Unnamed(fail(
                FailureKind::UnknownSchema,
                format!("the document names schema `{url}`, which is not in the catalog: {e} (give --schema to validate it anyway)"),
            ))),
        };
    }
    if let Some(ep) = endpoint {
        if let Some(target) = catalog.resolve_endpoint(ep) {
            return versions(args, catalog, target);
        }
        return Ok(Selected::Unnamed(fail(
            FailureKind::NoSchema,
            format!(
                "the document names no schema and endpoint {ep} has none in the catalog (give --schema, or --rules-only to apply only the Qualys rules)"
            ),
        )));
    }
    let root = prolog.root.as_deref().unwrap_or("?");
    Ok(Selected::Unnamed(fail(
        FailureKind::NoSchema,
        format!(
            "the document (root <{root}>) names no schema: no DOCTYPE system id and no xsi:noNamespaceSchemaLocation (give --schema, or --endpoint for a request)"
        ),
    )))
}

fn versions(args: &Args, catalog: &SchemaCatalog, target: Target) -> Result<Selected, Failure> {
    let all = catalog.versions(&target);
    if all.is_empty() {
        return Err(fail(
            FailureKind::SchemaLoad,
            format!("no version of {} is embedded", target.label()),
        ));
    }
    let key = |v: &String| SchemaKey::Embedded {
        target: target.clone(),
        version: v.clone(),
    };
    if args.all_versions {
        let keys = all.iter().map(|v| (v.clone(), key(v))).collect();
        return Ok(Selected::All(target, keys));
    }
    match &args.version {
        Some(v) if all.contains(v) => Ok(Selected::One(key(v))),
        Some(v) => Err(fail(
            FailureKind::SchemaLoad,
            format!(
                "{} has no version `{v}` (versions: {})",
                target.label(),
                all.join(", ")
            ),
        )),
        None => match all.last() {
            Some(v) => Ok(Selected::One(key(v))),
            None => Err(fail(
                FailureKind::SchemaLoad,
                format!("no version of {} is embedded", target.label()),
            )),
        },
    }
}
