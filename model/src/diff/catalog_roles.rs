//! Request/response roles of a schema file, from the project's catalog
//! ([`crate::catalog::Catalog`]: the `roots` of each schema in `schemas/catalog.toml`).
//!
//! A file `schemas/<api>/<version>/<file>` is looked up by its api folder and file name in the
//! catalog of the folder two levels above its version folder (when that folder holds a
//! `catalog.toml`). Files elsewhere have no entry.

use std::path::{Path, PathBuf};

use crate::catalog::{Api, Catalog, Role, CATALOG_FILE};

use super::error::DiffError;
use super::roles::RoleSpec;

/// The catalog's roles for the schema file at `path`, with a description for the report
/// (`None` when the file is not in a version folder of a catalogued `schemas/` folder).
pub fn lookup(path: &Path) -> Result<Option<(RoleSpec, String)>, DiffError> {
    let Some((schemas_dir, api, file)) = locate(path) else {
        return Ok(None);
    };
    let Ok(api) = api.parse::<Api>() else {
        return Ok(None);
    };
    let catalog = Catalog::load(&schemas_dir).map_err(|e| DiffError::Catalog {
        path: schemas_dir.join(CATALOG_FILE),
        message: e.to_string(),
    })?;
    let Some(roots) = catalog.roles(api, &file) else {
        return Ok(None);
    };
    let mut request = Vec::new();
    let mut response = Vec::new();
    let mut parts = Vec::new();
    for r in roots {
        match r.role {
            Role::Request => request.push(r.element.clone()),
            Role::Response => response.push(r.element.clone()),
        }
        parts.push(format!("{} ({})", r.element, r.role.as_str()));
    }
    let text = format!("catalog roots: {}", parts.join(", "));
    Ok(Some((RoleSpec::Roots { request, response }, text)))
}

/// `(schemas folder, api folder name, file name)` for `schemas/<api>/<version>/<file>`.
fn locate(path: &Path) -> Option<(PathBuf, String, String)> {
    let abs = std::fs::canonicalize(path).ok()?;
    let file = abs.file_name()?.to_str()?.to_string();
    let version_dir = abs.parent()?;
    let api_dir = version_dir.parent()?;
    let api = api_dir.file_name()?.to_str()?.to_string();
    let schemas_dir = api_dir.parent()?;
    schemas_dir
        .join(CATALOG_FILE)
        .is_file()
        .then(|| (schemas_dir.to_path_buf(), api, file))
}
