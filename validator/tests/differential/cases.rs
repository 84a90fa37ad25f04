//! The payloads to mutate (fixtures and corpus payloads that belong to a schema version) and
//! the schema files each one is checked against: its own version and every other version of
//! the same schema file in `schemas/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use qschema_model::catalog::{Api, Catalog};
use serde::Deserialize;

/// One payload that belongs to a schema.
pub struct Base {
    /// `fixtures/<path>` or `corpus/<path>`: the stable name in case ids.
    pub id: String,
    /// The file.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// The schema files to check it against, its own version first.
    pub targets: Vec<Target>,
    /// The endpoint a request is sent to (`--endpoint` in the expectation table), for the
    /// Qualys rules layer.
    pub endpoint: Option<String>,
}

/// A schema file a payload is checked against.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    /// `was/2.25/finding.xsd`, or the path of a custom schema below the fixtures.
    pub label: String,
    /// The file.
    pub path: PathBuf,
}

#[derive(Deserialize)]
struct Fixtures {
    payload: Vec<Entry>,
}

#[derive(Deserialize)]
struct Corpus {
    corpus: Vec<Entry>,
}

/// The fields both expectation tables share.
#[derive(Deserialize)]
struct Entry {
    #[serde(alias = "path")]
    file: String,
    schema: Option<String>,
    version: Option<String>,
    #[serde(default)]
    args: Vec<String>,
}

/// Fixtures that are not a payload of a schema version in the ordinary sense: hostile input
/// (its own tests), external entities (need `--allow-local-entities` and the file's folder)
/// and documents in other encodings (the mutations edit UTF-8 text; the encodings have their
/// own expectations in `expected.toml` and the engine's decoding tests).
const SKIPPED_FIXTURE_DIRS: [&str; 3] = ["hostile/", "entities/", "encodings/"];

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The schema files a payload checked against `schema` (`was/finding.xsd` or a custom file)
/// in `version` is checked against: that version first, then every other version holding
/// the file.
fn targets(
    repo: &Path,
    catalog: &Catalog,
    dir: &Path,
    schema: &str,
    version: Option<&str>,
) -> Vec<Target> {
    let Some((api, file)) = schema.split_once('/') else {
        return Vec::new();
    };
    let Ok(api_id) = api.parse::<Api>() else {
        // A custom schema beside the fixtures (`custom/inventory.dtd`).
        return vec![Target {
            label: schema.to_string(),
            path: dir.join(schema),
        }];
    };
    let mut out: Vec<Target> = catalog
        .versions(api_id)
        .iter()
        .filter(|v| v.contains(file))
        .map(|v| Target {
            label: format!("{api}/{}/{file}", v.label),
            path: repo.join("schemas").join(api).join(&v.label).join(file),
        })
        .collect();
    if let Some(own) = version {
        let own_label = format!("{api}/{own}/{file}");
        out.sort_by_key(|t| t.label != own_label);
    }
    out
}

/// Every base payload: the fixtures, and the corpus payloads when `shared` is given.
pub fn bases(
    repo: &Path,
    fixtures_dir: &Path,
    corpus_table: &Path,
    shared: Option<&Path>,
) -> Vec<Base> {
    let catalog = Catalog::load(&repo.join("schemas")).expect("schemas/ catalog loads");
    let mut by_id: BTreeMap<String, Base> = BTreeMap::new();
    let fixtures: Fixtures =
        toml::from_str(&read(&fixtures_dir.join("expected.toml"))).expect("expected.toml parses");
    let mut sources: Vec<(String, PathBuf, Entry)> = fixtures
        .payload
        .into_iter()
        .filter(|p| !SKIPPED_FIXTURE_DIRS.iter().any(|d| p.file.starts_with(d)))
        .map(|p| {
            (
                format!("fixtures/{}", p.file),
                fixtures_dir.to_path_buf(),
                p,
            )
        })
        .collect();
    if let Some(shared) = shared {
        let corpus: Corpus = toml::from_str(&read(corpus_table)).expect("corpus table parses");
        let dir = shared.join("corpus");
        sources.extend(
            corpus
                .corpus
                .into_iter()
                .map(|c| (format!("corpus/{}", c.file), dir.clone(), c)),
        );
    }
    for (id, dir, entry) in sources {
        let Some(schema) = entry
            .schema
            .as_deref()
            .filter(|s| s.ends_with(".xsd") || s.ends_with(".dtd"))
        else {
            continue;
        };
        if by_id.contains_key(&id) {
            continue;
        }
        let targets = targets(repo, &catalog, &dir, schema, entry.version.as_deref());
        if targets.is_empty() {
            continue;
        }
        let path = dir.join(&entry.file);
        let endpoint = entry
            .args
            .iter()
            .position(|a| a == "--endpoint")
            .and_then(|i| entry.args.get(i + 1))
            .cloned();
        by_id.insert(
            id.clone(),
            Base {
                id,
                text: read(&path),
                path,
                targets,
                endpoint,
            },
        );
    }
    by_id.into_values().collect()
}
