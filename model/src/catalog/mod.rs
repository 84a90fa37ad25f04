//! The schema catalog: which Qualys schema files exist in which version, and which public
//! location (a DOCTYPE system id, an `xsi:noNamespaceSchemaLocation`) means which schema.
//!
//! The catalog is data: `schemas/catalog.toml` (platform hosts, the private-cloud host rule,
//! every schema with its public paths, kind and root roles) and `schemas/versions.toml`
//! (every version of every api in chronological order, with its files and provenance).
//! The version `V` of file `F` of api `A` is the local file `schemas/A/V/F`.
//! Nothing here touches the network: a location is only ever mapped to a local file.
//!
//! ```
//! use qschema_model::catalog::{Api, Catalog};
//! let catalog = Catalog::from_toml(
//!     include_str!("../../../schemas/catalog.toml"),
//!     include_str!("../../../schemas/versions.toml"),
//! )
//! .unwrap();
//! let hit = catalog
//!     .resolve_url("https://qualysapi.qg3.apps.qualys.com/qps/xsd/3.0/was/wasscan.xsd")
//!     .unwrap();
//! assert_eq!((hit.api, hit.file.as_str()), (Api::Was, "scan.xsd"));
//! let latest = catalog.latest_version(Api::Was, "scan.xsd").unwrap();
//! assert!(catalog.file_path(Api::Was, &latest.label, "scan.xsd").is_some());
//! ```

mod build;
mod catalog_checks;
mod error;
mod raw;
mod types;
mod url;
mod version_checks;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use error::CatalogError;
pub use types::{
    Api, CatalogHit, Expectation, PayloadRecord, PayloadSource, Platform, PrivateCloudRule,
    Reconstruction, ReleaseNoteSource, Role, RootRole, SchemaInfo, UnknownApi, VersionInfo,
};

/// File name of the catalog inside the schemas folder.
pub const CATALOG_FILE: &str = "catalog.toml";
/// File name of the version manifest inside the schemas folder.
pub const VERSIONS_FILE: &str = "versions.toml";

/// The loaded and checked catalog (see the module documentation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catalog {
    schemes: Vec<String>,
    platforms: Vec<Platform>,
    private_cloud: Option<PrivateCloudRule>,
    schemas: Vec<SchemaInfo>,
    versions: BTreeMap<Api, Vec<VersionInfo>>,
}

impl Catalog {
    /// Load `catalog.toml` and `versions.toml` from `schemas_dir` (the project's `schemas/`).
    /// Errors name the file as `schemas_dir/<file>`.
    pub fn load(schemas_dir: &Path) -> Result<Catalog, CatalogError> {
        let read = |name: &str| {
            let path = schemas_dir.join(name);
            std::fs::read_to_string(&path)
                .map(|text| (path.display().to_string(), text))
                .map_err(|source| CatalogError::Io { path, source })
        };
        let (catalog_name, catalog_text) = read(CATALOG_FILE)?;
        let (versions_name, versions_text) = read(VERSIONS_FILE)?;
        build::build(
            build::Source {
                name: &catalog_name,
                text: &catalog_text,
            },
            build::Source {
                name: &versions_name,
                text: &versions_text,
            },
        )
    }

    /// Build the catalog from the texts of `catalog.toml` and `versions.toml` (for embedded
    /// copies). Errors name the files `catalog.toml` and `versions.toml`.
    pub fn from_toml(catalog_toml: &str, versions_toml: &str) -> Result<Catalog, CatalogError> {
        build::build(
            build::Source {
                name: CATALOG_FILE,
                text: catalog_toml,
            },
            build::Source {
                name: VERSIONS_FILE,
                text: versions_toml,
            },
        )
    }

    /// The schema a public location stands for: `http(s)://<platform host>/<path>` with a
    /// platform host of the release notes or a private-cloud host (`qualysapi.<domain>`),
    /// compared case-insensitively (an explicit default port is accepted), and a path listed
    /// for a schema (case-sensitive). Surrounding whitespace is ignored. `None` for anything
    /// else, including a query or fragment.
    pub fn resolve_url(&self, url: &str) -> Option<CatalogHit> {
        let parts = url::split(url)?;
        if !self.schemes.contains(&parts.scheme) {
            return None;
        }
        let platform = self.platform_of(&parts.host)?;
        let schema = self
            .schemas
            .iter()
            .find(|s| s.paths.iter().any(|p| p == parts.path))?;
        Some(CatalogHit {
            api: schema.api,
            schema: schema.name.clone(),
            file: schema.file.clone(),
            kind: schema.kind,
            platform: platform.to_string(),
        })
    }

    /// The platform name of a lower-case host, if the catalog accepts the host.
    fn platform_of(&self, host: &str) -> Option<&str> {
        if let Some(p) = self.platforms.iter().find(|p| p.host == host) {
            return Some(&p.name);
        }
        let rule = self.private_cloud.as_ref()?;
        let rest = host.strip_prefix(rule.prefix.as_str())?;
        url::is_domain(rest, rule.min_labels).then_some(rule.name.as_str())
    }

    /// Every version of `api`, oldest first (empty if the api has none).
    pub fn versions(&self, api: Api) -> &[VersionInfo] {
        self.versions.get(&api).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The version of `api` labelled `label`.
    pub fn version(&self, api: Api, label: &str) -> Option<&VersionInfo> {
        self.versions(api).iter().find(|v| v.label == label)
    }

    /// The newest version of `api` that contains `file`.
    pub fn latest_version(&self, api: Api, file: &str) -> Option<&VersionInfo> {
        self.versions(api).iter().rev().find(|v| v.contains(file))
    }

    /// The path of `file` in version `version` of `api`, relative to the schemas folder
    /// (`was/2.25/scan.xsd`); `None` when that version does not exist or lacks the file.
    pub fn file_path(&self, api: Api, version: &str, file: &str) -> Option<PathBuf> {
        let v = self.version(api, version)?;
        v.contains(file)
            .then(|| Path::new(api.as_str()).join(&v.label).join(file))
    }

    /// Every schema file of every version, as paths relative to the schemas folder, in
    /// api and chronological order.
    pub fn all_files(&self) -> Vec<PathBuf> {
        self.versions
            .iter()
            .flat_map(|(api, vs)| {
                vs.iter().flat_map(move |v| {
                    v.files
                        .iter()
                        .map(move |f| Path::new(api.as_str()).join(&v.label).join(f))
                })
            })
            .collect()
    }

    /// Every schema of the catalog, in catalog order, with its roles.
    pub fn schemas(&self) -> &[SchemaInfo] {
        &self.schemas
    }

    /// The schema of `api` stored under `file`.
    pub fn schema(&self, api: Api, file: &str) -> Option<&SchemaInfo> {
        self.schemas.iter().find(|s| s.api == api && s.file == file)
    }

    /// The root elements of `file` of `api` with their request/response roles.
    pub fn roles(&self, api: Api, file: &str) -> Option<&[RootRole]> {
        self.schema(api, file).map(|s| s.roots.as_slice())
    }

    /// The platforms of the release notes' URL tables.
    pub fn platforms(&self) -> &[Platform] {
        &self.platforms
    }

    /// The private-cloud host rule, if the catalog has one.
    pub fn private_cloud(&self) -> Option<&PrivateCloudRule> {
        self.private_cloud.as_ref()
    }

    /// The accepted URL schemes (`http`, `https`).
    pub fn schemes(&self) -> &[String] {
        &self.schemes
    }
}
