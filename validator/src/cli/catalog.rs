//! The embedded catalog: schema URLs and endpoints to (api, file), and the versions of each.
//! A thin adapter over `qschema_model::catalog`, so the rest of the CLI does not depend on its
//! details.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use qschema_model::catalog::{Api, Catalog};
use qschema_validator::rules::Endpoint;

use super::embedded;

/// A schema of the catalog, independent of version.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target {
    /// The api folder (`vm`, `was`).
    pub api: String,
    /// The file in a version folder (`finding.xsd`).
    pub file: String,
}

impl Target {
    /// `was/finding.xsd`.
    pub fn label(&self) -> String {
        format!("{}/{}", self.api, self.file)
    }
}

/// The catalog and manifest embedded in the binary.
pub struct SchemaCatalog {
    catalog: Catalog,
    /// Answers given so far: a run's documents mostly name the same schema.
    memo: Mutex<Memo>,
}

/// Answers of [`SchemaCatalog::resolve_url`] and [`SchemaCatalog::versions`], at most
/// [`MEMO_ENTRIES`] of each (documents may name any URL).
#[derive(Default)]
struct Memo {
    urls: HashMap<String, Result<Target, String>>,
    versions: HashMap<Target, Vec<String>>,
}

/// Answers kept per kind, at most.
const MEMO_ENTRIES: usize = 64;

/// Keep `answer` for `key` in `memo` while it has room.
fn remember<K: std::hash::Hash + Eq, V: Clone>(memo: &mut HashMap<K, V>, key: K, answer: &V) {
    if memo.len() < MEMO_ENTRIES {
        memo.insert(key, answer.clone());
    }
}

impl SchemaCatalog {
    /// Load `catalog.toml` and `versions.toml` from the embedded schema folder.
    pub fn embedded() -> Result<SchemaCatalog, String> {
        let cat = embedded::text("catalog.toml".as_ref())
            .ok_or("catalog.toml is not embedded in this binary")?;
        let ver = embedded::text("versions.toml".as_ref())
            .ok_or("versions.toml is not embedded in this binary")?;
        let catalog = Catalog::from_toml(cat, ver).map_err(|e| e.to_string())?;
        Ok(SchemaCatalog {
            catalog,
            memo: Mutex::default(),
        })
    }

    /// The schema a public location names (DOCTYPE system id, noNamespaceSchemaLocation).
    pub fn resolve_url(&self, url: &str) -> Result<Target, String> {
        if let Some(known) = self.memo().urls.get(url) {
            return known.clone();
        }
        let answer = self.resolve_url_uncached(url);
        remember(&mut self.memo().urls, url.to_string(), &answer);
        answer
    }

    fn memo(&self) -> std::sync::MutexGuard<'_, Memo> {
        self.memo.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// [`SchemaCatalog::resolve_url`], looked up in the catalog.
    fn resolve_url_uncached(&self, url: &str) -> Result<Target, String> {
        if let Some(hit) = self.catalog.resolve_url(url) {
            return Ok(Target {
                api: hit.api.as_str().to_string(),
                file: hit.file,
            });
        }
        let known_path = self
            .catalog
            .schemas()
            .iter()
            .flat_map(|s| s.paths.iter())
            .any(|p| url.trim().ends_with(p.as_str()));
        Err(if known_path {
            "its host is not a Qualys API platform of the catalog".to_string()
        } else {
            "no Qualys schema of the catalog is served at that path".to_string()
        })
    }

    /// The schema of a WAS endpoint (`/qps/rest/3.0/search/was/finding` -> `was/finding.xsd`),
    /// found through the catalog path the API serves the schema under.
    pub fn resolve_endpoint(&self, endpoint: &Endpoint) -> Option<Target> {
        let url = format!(
            "https://qualysapi.qualys.com/qps/xsd/{}/{}/{}.xsd",
            endpoint.version, endpoint.module, endpoint.object
        );
        self.resolve_url(&url).ok()
    }

    /// The versions of `target`'s api that hold its file, oldest first.
    pub fn versions(&self, target: &Target) -> Vec<String> {
        if let Some(known) = self.memo().versions.get(target) {
            return known.clone();
        }
        let answer = self.versions_uncached(target);
        remember(&mut self.memo().versions, target.clone(), &answer);
        answer
    }

    /// [`SchemaCatalog::versions`], looked up in the catalog.
    fn versions_uncached(&self, target: &Target) -> Vec<String> {
        let Ok(api) = target.api.parse::<Api>() else {
            return Vec::new();
        };
        self.catalog
            .versions(api)
            .iter()
            .filter(|v| v.contains(&target.file))
            .map(|v| v.label.clone())
            .collect()
    }

    /// Every schema of the catalog with the public paths it is served under.
    pub fn schemas(&self) -> Vec<(Target, Vec<String>)> {
        self.catalog
            .schemas()
            .iter()
            .map(|s| {
                (
                    Target {
                        api: s.api.as_str().to_string(),
                        file: s.file.clone(),
                    },
                    s.paths.clone(),
                )
            })
            .collect()
    }

    /// Every version label of every api, oldest first within an api.
    pub fn all_versions(&self) -> Vec<(String, String)> {
        Api::ALL
            .iter()
            .flat_map(|api| {
                self.catalog
                    .versions(*api)
                    .iter()
                    .map(move |v| (api.as_str().to_string(), v.label.clone()))
            })
            .collect()
    }

    /// The path of `target` in version `version`, relative to `schemas/`.
    pub fn relative_path(target: &Target, version: &str) -> PathBuf {
        PathBuf::from(&target.api).join(version).join(&target.file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_kept_and_stay_the_same() {
        let catalog = SchemaCatalog::embedded().expect("the embedded catalog");
        let url = "https://qualysapi.qualys.com/qps/xsd/3.0/was/finding.xsd";
        let first = catalog.resolve_url(url);
        let target = first.clone().expect("finding.xsd is in the catalog");
        assert_eq!(target.label(), "was/finding.xsd");
        assert_eq!(catalog.resolve_url(url), first);
        let versions = catalog.versions(&target);
        assert!(!versions.is_empty());
        assert_eq!(catalog.versions(&target), versions);
        // Unknown URLs: the same error each time; only so many answers are kept.
        for i in 0..2 * MEMO_ENTRIES {
            let unknown = format!("https://example.com/{i}.xsd");
            let answer = catalog.resolve_url(&unknown);
            assert!(answer.is_err());
            assert_eq!(catalog.resolve_url(&unknown), answer);
        }
        assert_eq!(catalog.memo().urls.len(), MEMO_ENTRIES);
        assert_eq!(catalog.resolve_url(url), first);
    }
}
