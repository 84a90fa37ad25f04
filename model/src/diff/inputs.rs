//! What is compared: two schema files, or two version folders whose files are paired by name.

use std::path::{Path, PathBuf};

use crate::ir::Schema;

use super::catalog_roles;
use super::diff_schemas;
use super::error::DiffError;
use super::report::{Change, Report, SchemaDiff, SchemaStatus, Site};
use super::roles::{RoleSpec, Roles};
use super::rules::rule_by_id;
use super::verdict::{Directions, Verdicts};

/// Options of a diff.
#[derive(Clone, Copy, Debug, Default)]
pub struct DiffOptions {
    /// Count every component as this direction instead of using the catalog roles.
    pub direction: Option<Directions>,
}

/// Compare two schema files or two folders of schema files (`.dtd`/`.xsd`, paired by name).
pub fn diff_paths(old: &Path, new: &Path, options: &DiffOptions) -> Result<Report, DiffError> {
    let pairs = pair_inputs(old, new)?;
    let mut errors = Vec::new();
    let mut schemas = Vec::new();
    for (name, o, n) in pairs {
        let (Some(op), Some(np)) = (&o, &n) else {
            one_side(&name, &o, &n, options, &mut errors, &mut schemas)?;
            continue;
        };
        let os = load(op, &mut errors);
        let ns = load(np, &mut errors);
        let (Some(os), Some(ns)) = (os, ns) else {
            continue;
        };
        let (mut old_spec, mut old_text) = role_spec(op, options)?;
        let (mut new_spec, mut new_text) = role_spec(np, options)?;
        // One side in `schemas/`, the other elsewhere (a local copy being edited): the
        // catalog's roles hold for both.
        if options.direction.is_none() {
            match (
                catalog_roles::lookup(op)?.is_some(),
                catalog_roles::lookup(np)?.is_some(),
            ) {
                (true, false) => {
                    new_spec = old_spec.clone();
                    new_text = old_text.clone();
                }
                (false, true) => {
                    old_spec = new_spec.clone();
                    old_text = new_text.clone();
                }
                _ => {}
            }
        }
        let changes = diff_schemas(&os, &ns, &old_spec, &new_spec);
        let directions = if old_text == new_text {
            new_text
        } else {
            format!("old: {old_text}; new: {new_text}")
        };
        let directions = with_unreachable(directions, &os, &old_spec, &ns, &new_spec);
        schemas.push(SchemaDiff {
            name,
            status: if changes.is_empty() {
                SchemaStatus::Unchanged
            } else {
                SchemaStatus::Changed
            },
            old_file: Some(show(op)),
            new_file: Some(show(np)),
            directions,
            changes,
        });
    }
    if !errors.is_empty() {
        return Err(DiffError::Load(errors));
    }
    Ok(Report {
        old: show(old),
        new: show(new),
        schemas,
    })
}

fn with_unreachable(
    text: String,
    os: &Schema,
    ospec: &RoleSpec,
    ns: &Schema,
    nspec: &RoleSpec,
) -> String {
    let mut names: Vec<String> = Vec::new();
    for (s, spec) in [(os, ospec), (ns, nspec)] {
        if let RoleSpec::Roots { .. } = spec {
            for c in Roles::compute(s, spec).unreachable {
                let n = match c {
                    super::roles::Component::Element(n) => n,
                    super::roles::Component::ComplexType(n)
                    | super::roles::Component::SimpleType(n) => format!("type:{n}"),
                };
                if !names.contains(&n) {
                    names.push(n);
                }
            }
        }
    }
    if names.is_empty() {
        text
    } else {
        format!(
            "{text}; not reachable from a root, so counted in every direction of the schema: {}",
            names.join(", ")
        )
    }
}

fn one_side(
    name: &str,
    o: &Option<PathBuf>,
    n: &Option<PathBuf>,
    options: &DiffOptions,
    errors: &mut Vec<(PathBuf, crate::error::LoadError)>,
    schemas: &mut Vec<SchemaDiff>,
) -> Result<(), DiffError> {
    let (path, rule, status, verb) = match (o, n) {
        (Some(p), None) => (p, "schema-removed", SchemaStatus::Removed, "removed"),
        (None, Some(p)) => (p, "schema-added", SchemaStatus::Added, "added"),
        _ => return Ok(()),
    };
    // Load it anyway: an invalid schema is an error even when it has no counterpart.
    if load(path, errors).is_none() {
        return Ok(());
    }
    let (spec, text) = role_spec(path, options)?;
    let directions = spec.directions();
    let Some(r) = rule_by_id(rule) else {
        return Ok(());
    };
    let site = Site {
        path: "(schema)".into(),
        file: name.to_string(),
        line: 0,
    };
    let (old_site, new_site) = if o.is_some() {
        (Some(site), None)
    } else {
        (None, Some(site))
    };
    schemas.push(SchemaDiff {
        name: name.to_string(),
        status,
        old_file: o.as_deref().map(show),
        new_file: n.as_deref().map(show),
        directions: text,
        changes: vec![Change {
            rule: r.id,
            path: "(schema)".into(),
            old: old_site,
            new: new_site,
            description: format!("schema {name} {verb}"),
            directions,
            verdicts: Verdicts::classify(r, directions),
        }],
    });
    Ok(())
}

fn load(path: &Path, errors: &mut Vec<(PathBuf, crate::error::LoadError)>) -> Option<Schema> {
    match crate::load_file(path) {
        Ok(s) => Some(s),
        Err(e) => {
            // The same file on both sides: report its diagnostics once.
            if !errors.iter().any(|(p, _)| p == path) {
                errors.push((path.to_path_buf(), e));
            }
            None
        }
    }
}

/// The role spec of one schema file: `--direction`, else the catalog, else both directions.
fn role_spec(path: &Path, options: &DiffOptions) -> Result<(RoleSpec, String), DiffError> {
    if let Some(d) = options.direction {
        return Ok((
            RoleSpec::Whole(d),
            format!("--direction: every component counted as {}", d.label()),
        ));
    }
    if let Some(found) = catalog_roles::lookup(path)? {
        return Ok(found);
    }
    Ok((
        RoleSpec::Whole(Directions::BOTH),
        "no catalog entry: every component counted as request and response content".to_string(),
    ))
}

type Pair = (String, Option<PathBuf>, Option<PathBuf>);

fn pair_inputs(old: &Path, new: &Path) -> Result<Vec<Pair>, DiffError> {
    match (old.is_dir(), new.is_dir()) {
        (true, true) => {
            let o = list(old)?;
            let n = list(new)?;
            let mut names: Vec<String> = o.iter().chain(n.iter()).cloned().collect();
            names.sort();
            names.dedup();
            Ok(names
                .into_iter()
                .map(|name| {
                    let op = o.contains(&name).then(|| old.join(&name));
                    let np = n.contains(&name).then(|| new.join(&name));
                    (name, op, np)
                })
                .collect())
        }
        (false, false) => {
            for p in [old, new] {
                if !p.is_file() {
                    return Err(DiffError::Usage(format!(
                        "{}: no such file or folder",
                        p.display()
                    )));
                }
            }
            let name_of = |p: &Path| {
                p.file_name()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default()
            };
            let (on, nn) = (name_of(old), name_of(new));
            let name = if on == nn {
                nn
            } else {
                format!("{on} -> {nn}")
            };
            Ok(vec![(
                name,
                Some(old.to_path_buf()),
                Some(new.to_path_buf()),
            )])
        }
        _ => Err(DiffError::Usage(format!(
            "{} and {} must both be schema files or both be version folders",
            old.display(),
            new.display()
        ))),
    }
}

/// The `.dtd` and `.xsd` files of a folder (not recursive), by name.
fn list(dir: &Path) -> Result<Vec<String>, DiffError> {
    let entries = std::fs::read_dir(dir).map_err(|source| DiffError::Folder {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for e in entries {
        let e = e.map_err(|source| DiffError::Folder {
            path: dir.to_path_buf(),
            source,
        })?;
        let p = e.path();
        let is_schema = p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| x.eq_ignore_ascii_case("dtd") || x.eq_ignore_ascii_case("xsd"));
        if is_schema && p.is_file() {
            if let Some(n) = p.file_name().and_then(|n| n.to_str()) {
                out.push(n.to_string());
            }
        }
    }
    out.sort();
    Ok(out)
}

fn show(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}
