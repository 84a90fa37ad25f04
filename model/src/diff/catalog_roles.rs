//! Request/response roles of a schema file, from the project's `schemas/catalog.toml`
//! (`[[schema]]` entries: `api`, `file`, `roots = [{ element, role }]`).
//!
//! A file `schemas/<api>/<version>/<file>` is looked up by its api folder and file name in the
//! `catalog.toml` two folders above its version folder. Files elsewhere have no entry.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::error::DiffError;
use super::roles::RoleSpec;

#[derive(Deserialize)]
struct CatalogFile {
    #[serde(default)]
    schema: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    api: String,
    file: String,
    #[serde(default)]
    roots: Vec<Root>,
}

#[derive(Deserialize)]
struct Root {
    element: String,
    role: String,
}

/// The catalog's roles for the schema file at `path`, with a description for the report
/// (`None` when the file is not under a folder with a `catalog.toml` entry for it).
pub fn lookup(path: &Path) -> Result<Option<(RoleSpec, String)>, DiffError> {
    let Some((catalog, api, file)) = locate(path) else {
        return Ok(None);
    };
    let text = match std::fs::read_to_string(&catalog) {
        Ok(t) => t,
        Err(_) => return Ok(None),
    };
    let parsed: CatalogFile = toml::from_str(&text).map_err(|e| DiffError::Catalog {
        path: catalog.clone(),
        message: e.to_string().lines().next().unwrap_or("").to_string(),
    })?;
    let Some(entry) = parsed
        .schema
        .iter()
        .find(|e| e.api == api && e.file == file)
    else {
        return Ok(None);
    };
    let mut request = Vec::new();
    let mut response = Vec::new();
    let mut parts = Vec::new();
    for r in &entry.roots {
        match r.role.as_str() {
            "request" => request.push(r.element.clone()),
            "response" => response.push(r.element.clone()),
            other => {
                return Err(DiffError::Catalog {
                    path: catalog,
                    message: format!(
                        "root {} of {api}/{file} has unknown role '{other}'",
                        r.element
                    ),
                })
            }
        }
        parts.push(format!("{} ({})", r.element, r.role));
    }
    let text = format!("catalog roots: {}", parts.join(", "));
    Ok(Some((RoleSpec::Roots { request, response }, text)))
}

/// `(schemas/catalog.toml, api, file name)` for `schemas/<api>/<version>/<file>`.
fn locate(path: &Path) -> Option<(PathBuf, String, String)> {
    let abs = std::fs::canonicalize(path).ok()?;
    let file = abs.file_name()?.to_str()?.to_string();
    let version_dir = abs.parent()?;
    let api_dir = version_dir.parent()?;
    let api = api_dir.file_name()?.to_str()?.to_string();
    let root = api_dir.parent()?;
    let catalog = root.join("catalog.toml");
    catalog.is_file().then_some((catalog, api, file))
}
