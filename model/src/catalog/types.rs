//! The public data of the catalog: apis, schemas with their roles, versions with their
//! provenance, and the result of resolving a schema location.

use std::fmt;
use std::str::FromStr;

use crate::ir::SchemaKind;

/// One of the Qualys APIs whose schemas the project holds (the first folder level of `schemas/`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Api {
    /// The VM/PC API v2 (DTDs), folder `vm`.
    Vm,
    /// The WAS API 3.0 (XSDs), folder `was`.
    Was,
}

impl Api {
    /// Every api, in folder-name order.
    pub const ALL: [Api; 2] = [Api::Vm, Api::Was];

    /// The folder name (`vm`, `was`), also the spelling in the TOML files.
    pub fn as_str(self) -> &'static str {
        match self {
            Api::Vm => "vm",
            Api::Was => "was",
        }
    }
}

impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an [`Api`] from a string that is neither `vm` nor `was`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown api '{0}' (expected 'vm' or 'was')")]
pub struct UnknownApi(pub String);

impl FromStr for Api {
    type Err = UnknownApi;
    fn from_str(s: &str) -> Result<Api, UnknownApi> {
        Api::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| UnknownApi(s.to_string()))
    }
}

/// Whether content is sent to the API or returned by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Request content (WAS: everything reachable from `ServiceRequest`).
    Request,
    /// Response content (the VM `*_output`/`*_info` DTDs; WAS: reachable from `ServiceResponse`).
    Response,
}

impl Role {
    /// `request` or `response`, the spelling in `catalog.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Request => "request",
            Role::Response => "response",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A root element of a schema and the role of everything reachable from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RootRole {
    /// The root element's name (`SCHEDULE_SCAN_LIST_OUTPUT`, `ServiceRequest`...).
    pub element: String,
    /// Request or response.
    pub role: Role,
}

/// One schema of the catalog (all versions of one file of one api).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaInfo {
    /// Short name (`schedule_scan_list_output`, `scan`, `finding`...).
    pub name: String,
    /// The api it belongs to.
    pub api: Api,
    /// File name inside a version folder (`scan.xsd`).
    pub file: String,
    /// DTD or XSD.
    pub kind: SchemaKind,
    /// Every public path the API serves it under (`/qps/xsd/3.0/was/scan.xsd`, `.../wasscan.xsd`).
    pub paths: Vec<String>,
    /// Root elements with their roles.
    pub roots: Vec<RootRole>,
}

/// A platform the Qualys API runs on (one row of the release notes' URL tables).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Platform {
    /// Lower-case host name (`qualysapi.qg3.apps.qualys.com`).
    pub host: String,
    /// Display name (`Qualys US Platform 3`).
    pub name: String,
}

/// The rule for Qualys Private Cloud hosts (`qualysapi.<customer_base_url>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrivateCloudRule {
    /// Display name of the platform.
    pub name: String,
    /// Lower-case prefix the host must start with (`qualysapi.`).
    pub prefix: String,
    /// Minimum number of dot-separated labels after the prefix.
    pub min_labels: u32,
}

/// What a schema location resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogHit {
    /// The api.
    pub api: Api,
    /// The schema's short name (`scan` also for `wasscan.xsd`).
    pub schema: String,
    /// The local file name inside a version folder (`scan.xsd`).
    pub file: String,
    /// DTD or XSD.
    pub kind: SchemaKind,
    /// The platform the host belongs to (`Qualys US Platform 3`, or the private-cloud name).
    pub platform: String,
}

/// How a payload recorded in `versions.toml` was obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PayloadSource {
    /// A file of the shared corpus (`path` is relative to the corpus folder).
    Corpus,
    /// A sample printed in a release note (`path` is the seed file name).
    Seed,
}

/// The recorded result of checking a payload against its version's file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Expectation {
    /// The payload validates.
    Valid,
    /// It is well-formed and has genuine validity errors (listed).
    Invalid,
    /// The documentation sample is not well-formed XML (listed).
    NotWellFormed,
    /// Another module's payload: only its envelope is in scope.
    OutOfScope,
}

impl Expectation {
    /// The spelling in `versions.toml` (`valid`, `invalid`, `not-well-formed`, `out-of-scope`).
    pub fn as_str(self) -> &'static str {
        match self {
            Expectation::Valid => "valid",
            Expectation::Invalid => "invalid",
            Expectation::NotWellFormed => "not-well-formed",
            Expectation::OutOfScope => "out-of-scope",
        }
    }
}

/// A payload that belongs to a version, with the result of checking it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayloadRecord {
    /// Corpus file or release-note sample.
    pub source: PayloadSource,
    /// Corpus path (a folder path ending in `/` stands for a group of files named in `note`)
    /// or seed file name.
    pub path: String,
    /// For seed samples: which sample of the release note.
    pub sample: Option<String>,
    /// The schema file of the version it was checked against.
    pub file: String,
    /// The result.
    pub expect: Expectation,
    /// The genuine errors (for `Invalid` and `NotWellFormed`).
    pub errors: Vec<String>,
    /// Remarks (results against other versions...).
    pub note: Option<String>,
}

/// The verbatim parts of one file that come from a release note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseNoteSource {
    /// Seed file name of the release note.
    pub seed: String,
    /// The schema file.
    pub file: String,
    /// What is verbatim.
    pub verbatim: String,
}

/// The reconstructed parts of one file and their evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reconstruction {
    /// The schema file.
    pub file: String,
    /// What was reconstructed.
    pub what: String,
    /// The evidence it was reconstructed from.
    pub from: Vec<String>,
}

/// One version (snapshot folder) of an api.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionInfo {
    /// The api.
    pub api: Api,
    /// Folder name and label (`8.11.2`, `2019-notes`...).
    pub label: String,
    /// The release it stands for, in words.
    pub release: String,
    /// Date or period if known (free text: `2017-11`, `2019`, `2020/2023`).
    pub date: Option<String>,
    /// Why the label is what it is.
    pub label_basis: String,
    /// The schema files in the folder.
    pub files: Vec<String>,
    /// The files that differ from the previous version of the api (beyond the header's
    /// version line).
    pub changed: Vec<String>,
    /// Verbatim parts and the release notes they come from.
    pub release_notes: Vec<ReleaseNoteSource>,
    /// Reconstructed parts and their evidence.
    pub reconstructed: Vec<Reconstruction>,
    /// Payloads that belong to this version, with their check results.
    pub payloads: Vec<PayloadRecord>,
    /// What is not known about this version.
    pub known_unknowns: Vec<String>,
}

impl VersionInfo {
    /// Whether the version folder holds `file`.
    pub fn contains(&self, file: &str) -> bool {
        self.files.iter().any(|f| f == file)
    }
}
