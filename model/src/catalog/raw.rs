//! The on-disk shape of `catalog.toml` and `versions.toml` (serde), before validation.
//! Fields whose value can be wrong in a way only validation sees carry their span.

use serde::Deserialize;
use toml::Spanned;

/// `catalog.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCatalog {
    pub format: Spanned<u32>,
    pub schemes: Vec<Spanned<String>>,
    #[serde(default)]
    pub platform: Vec<RawPlatform>,
    pub private_cloud: Option<RawPrivateCloud>,
    #[serde(default)]
    pub schema: Vec<RawSchema>,
}

/// `[[platform]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPlatform {
    pub host: Spanned<String>,
    pub name: String,
}

/// `[private_cloud]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPrivateCloud {
    pub name: String,
    pub prefix: Spanned<String>,
    pub min_labels: Spanned<u32>,
}

/// `[[schema]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSchema {
    pub name: Spanned<String>,
    pub api: Spanned<String>,
    pub file: Spanned<String>,
    pub kind: Spanned<String>,
    pub paths: Vec<Spanned<String>>,
    pub roots: Spanned<Vec<RawRoot>>,
}

/// `roots = [{ element, role }]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRoot {
    pub element: Spanned<String>,
    pub role: Spanned<String>,
}

/// `versions.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVersions {
    pub format: Spanned<u32>,
    #[serde(default)]
    pub version: Vec<RawVersion>,
}

/// `[[version]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVersion {
    pub api: Spanned<String>,
    pub label: Spanned<String>,
    pub release: String,
    pub date: Option<Spanned<String>>,
    pub label_basis: String,
    pub files: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    pub changed: Vec<Spanned<String>>,
    #[serde(default)]
    pub known_unknowns: Vec<String>,
    #[serde(default)]
    pub release_notes: Vec<RawReleaseNote>,
    #[serde(default)]
    pub reconstructed: Vec<RawReconstructed>,
    #[serde(default)]
    pub payload: Vec<RawPayload>,
}

/// `[[version.release_notes]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawReleaseNote {
    pub seed: String,
    pub file: Spanned<String>,
    pub verbatim: String,
}

/// `[[version.reconstructed]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawReconstructed {
    pub file: Spanned<String>,
    pub what: String,
    pub from: Vec<String>,
}

/// `[[version.payload]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPayload {
    pub source: Spanned<String>,
    pub path: String,
    pub sample: Option<String>,
    pub file: Spanned<String>,
    pub expect: Spanned<String>,
    #[serde(default)]
    pub errors: Vec<String>,
    pub note: Option<String>,
}
