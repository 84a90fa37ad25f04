//! Tests of the schema catalog (`qschema_model::catalog`) on the project's real `schemas/`
//! folder, on fixture edits (`tests/catalog/invalid/*.toml`) of a small frozen catalog
//! (`tests/catalog/base/`), on the
//! schema locations of `tests/catalog/urls.txt`, and (when `../shared` is present) on the
//! corpus payloads that `versions.toml` records.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use qschema_model::catalog::{Api, Catalog, CatalogError, Expectation, PayloadSource};
use serde::Deserialize;

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn schemas_dir() -> PathBuf {
    crate_dir().join("../schemas")
}

fn fixtures() -> PathBuf {
    crate_dir().join("tests/catalog")
}

/// The shared evidence folder, or `None` (after saying so) when it is absent.
fn shared() -> Option<PathBuf> {
    let dir = crate_dir().join("../../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: ../shared not present");
        None
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn catalog() -> Catalog {
    Catalog::load(&schemas_dir()).unwrap_or_else(|e| panic!("schemas/ does not load:\n{e}"))
}

/// `\t`, `\n`, `\s` escapes of `urls.txt`.
fn unescape(line: &str) -> String {
    line.replace("\\t", "\t")
        .replace("\\n", "\n")
        .replace("\\s", " ")
}

#[test]
fn resolve_url_fixture() {
    let catalog = catalog();
    let mut out = String::new();
    for line in read(&fixtures().join("urls.txt")).lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let result = match catalog.resolve_url(&unescape(line)) {
            Some(hit) => format!(
                "{}/{} (schema {}, {:?}) on {}",
                hit.api, hit.file, hit.schema, hit.kind, hit.platform
            ),
            None => "not resolved".to_string(),
        };
        writeln!(out, "{line}\n    => {result}").unwrap();
    }
    insta::assert_snapshot!("resolve_url", out);
}

#[test]
fn every_platform_scheme_and_path_resolves_to_its_schema() {
    let catalog = catalog();
    let mut hosts: Vec<String> = catalog.platforms().iter().map(|p| p.host.clone()).collect();
    assert_eq!(hosts.len(), 6, "the release notes list six platforms");
    let rule = catalog.private_cloud().expect("a private-cloud rule");
    hosts.push(format!("{}customer.example.com", rule.prefix));
    for host in &hosts {
        for scheme in catalog.schemes() {
            for schema in catalog.schemas() {
                for path in &schema.paths {
                    for h in [host.clone(), host.to_ascii_uppercase()] {
                        let url = format!("{scheme}://{h}{path}");
                        let hit = catalog
                            .resolve_url(&url)
                            .unwrap_or_else(|| panic!("{url} does not resolve"));
                        assert_eq!(
                            (hit.api, hit.file.as_str()),
                            (schema.api, schema.file.as_str()),
                            "{url}"
                        );
                        assert_eq!(hit.kind, schema.kind, "{url}");
                        assert_eq!(hit.schema, schema.name, "{url}");
                    }
                }
            }
        }
    }
}

/// A stable text form of everything the catalog exposes about versions and schemas.
fn summary(catalog: &Catalog) -> String {
    let mut out = String::new();
    for api in Api::ALL {
        writeln!(out, "api {api}").unwrap();
        for v in catalog.versions(api) {
            let count = |e: Expectation| v.payloads.iter().filter(|p| p.expect == e).count();
            writeln!(
                out,
                "  {} (date {}): files {:?}, changed {:?}; payloads: {} valid, {} invalid, {} not-well-formed, {} out-of-scope; {} verbatim sources, {} reconstructions, {} known unknowns",
                v.label,
                v.date.as_deref().unwrap_or("unknown"),
                v.files,
                v.changed,
                count(Expectation::Valid),
                count(Expectation::Invalid),
                count(Expectation::NotWellFormed),
                count(Expectation::OutOfScope),
                v.release_notes.len(),
                v.reconstructed.len(),
                v.known_unknowns.len(),
            )
            .unwrap();
        }
    }
    for s in catalog.schemas() {
        let roles = catalog
            .roles(s.api, &s.file)
            .unwrap_or_default()
            .iter()
            .map(|r| format!("{} = {}", r.element, r.role))
            .collect::<Vec<_>>()
            .join(", ");
        let latest = catalog
            .latest_version(s.api, &s.file)
            .map(|v| v.label.as_str())
            .unwrap_or("-");
        writeln!(
            out,
            "schema {} ({}/{}, {:?}): paths {:?}; roots {roles}; latest {latest}",
            s.name, s.api, s.file, s.kind, s.paths
        )
        .unwrap();
        for v in catalog.versions(s.api) {
            let path = catalog
                .file_path(s.api, &v.label, &s.file)
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "-".to_string());
            writeln!(out, "  {} -> {path}", v.label).unwrap();
        }
    }
    out
}

#[test]
fn versions_schemas_and_roles() {
    insta::assert_snapshot!("summary", summary(&catalog()));
}

#[test]
fn from_toml_equals_load() {
    let dir = schemas_dir();
    let embedded = Catalog::from_toml(
        &read(&dir.join("catalog.toml")),
        &read(&dir.join("versions.toml")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(embedded, catalog());
}

#[test]
fn file_path_and_latest_version_follow_the_version_files() {
    let catalog = catalog();
    for s in catalog.schemas() {
        let versions = catalog.versions(s.api);
        assert!(!versions.is_empty());
        for v in versions {
            let expected = v
                .contains(&s.file)
                .then(|| Path::new(s.api.as_str()).join(&v.label).join(&s.file));
            assert_eq!(catalog.file_path(s.api, &v.label, &s.file), expected);
        }
        let newest = versions.iter().rev().find(|v| v.contains(&s.file));
        assert_eq!(catalog.latest_version(s.api, &s.file), newest);
        assert_eq!(catalog.file_path(s.api, "no-such-version", &s.file), None);
    }
    assert_eq!(catalog.latest_version(Api::Vm, "scan.xsd"), None);
    assert_eq!(catalog.roles(Api::Vm, "scan.xsd"), None);
    assert_eq!(catalog.file_path(Api::Vm, "8.11.2", "scan.xsd"), None);
}

/// Every file under `schemas/` except the catalog, the manifest, the README and the
/// validator's `rules.toml` files, relative to `schemas/`.
fn files_on_disk() -> BTreeSet<PathBuf> {
    let root = schemas_dir();
    let mut out = BTreeSet::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(&root).unwrap_or(&path).to_path_buf();
            let depth = rel.components().count();
            let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let manifest = depth == 1
                && (name == "catalog.toml" || name == "versions.toml" || name == "README.md");
            let rules = depth == 3 && name == "rules.toml";
            if !manifest && !rules {
                out.insert(rel);
            }
        }
    }
    out
}

#[test]
fn listed_files_exist_and_no_file_is_orphaned() {
    let listed: BTreeSet<PathBuf> = catalog().all_files().into_iter().collect();
    let on_disk = files_on_disk();
    let missing: Vec<_> = listed.difference(&on_disk).collect();
    let orphans: Vec<_> = on_disk.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "listed in versions.toml but missing: {missing:?}"
    );
    assert!(
        orphans.is_empty(),
        "under schemas/ but not in versions.toml: {orphans:?}"
    );
}

/// The text of a schema file without its header's `Version:` line.
fn without_version_line(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("Version:"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn adjacent_snapshots_differ_exactly_in_the_changed_files() {
    let catalog = catalog();
    for api in Api::ALL {
        for pair in catalog.versions(api).windows(2) {
            let [old, new] = pair else { continue };
            for file in &new.files {
                if !old.contains(file) {
                    assert!(
                        new.changed.contains(file),
                        "{api}/{}/{file} is new but not in `changed`",
                        new.label
                    );
                    continue;
                }
                let a = read(&schemas_dir().join(api.as_str()).join(&old.label).join(file));
                let b = read(&schemas_dir().join(api.as_str()).join(&new.label).join(file));
                let same = without_version_line(&a) == without_version_line(&b);
                let changed = new.changed.contains(file);
                assert_eq!(
                    !same, changed,
                    "{api}: {file} from {} to {}: differs = {}, listed in `changed` = {changed}",
                    old.label, new.label, !same
                );
            }
        }
    }
}

#[test]
fn every_file_is_labelled_as_a_reconstruction_of_its_version() {
    let catalog = catalog();
    for api in Api::ALL {
        for v in catalog.versions(api) {
            for file in &v.files {
                let path = schemas_dir().join(api.as_str()).join(&v.label).join(file);
                let text = read(&path);
                let header: String = text.lines().take(12).collect::<Vec<_>>().join("\n");
                let version_line =
                    format!("Version: {} (snapshot schemas/{api}/{}/)", v.label, v.label);
                assert!(
                    header.contains(&version_line),
                    "{}: no '{version_line}'",
                    path.display()
                );
                assert!(
                    header.contains("RECONSTRUCTION") && header.contains("NOT Qualys's official"),
                    "{}: the header must say it is a reconstruction",
                    path.display()
                );
                let first = text.lines().next().unwrap_or("");
                let expected_start = if file.ends_with(".dtd") {
                    "<!-- QUALYS "
                } else {
                    "<?xml "
                };
                assert!(
                    first.starts_with(expected_start),
                    "{}: starts with {first:?}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn names_round_trip() {
    for api in Api::ALL {
        assert_eq!(api.as_str().parse::<Api>(), Ok(api));
        assert_eq!(api.to_string(), api.as_str());
    }
    let err = "VM".parse::<Api>().expect_err("names are lower case");
    assert_eq!(err.to_string(), "unknown api 'VM' (expected 'vm' or 'was')");
    let catalog = catalog();
    for s in catalog.schemas() {
        for r in &s.roots {
            assert!(["request", "response"].contains(&r.role.as_str()));
        }
    }
    let expectations: BTreeSet<&str> = Api::ALL
        .into_iter()
        .flat_map(|a| catalog.versions(a))
        .flat_map(|v| v.payloads.iter().map(|p| p.expect.as_str()))
        .collect();
    assert_eq!(
        expectations,
        BTreeSet::from(["invalid", "not-well-formed", "out-of-scope", "valid"])
    );
}

#[test]
fn load_of_a_folder_without_catalog_is_an_io_error() {
    let dir = fixtures().join("no-such-folder");
    match Catalog::load(&dir) {
        Err(CatalogError::Io { path, .. }) => {
            assert!(path.ends_with("catalog.toml"), "{}", path.display())
        }
        other => panic!("expected an I/O error, got {other:?}"),
    }
}

/// One fixture edit of the base `catalog.toml` or `versions.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    file: String,
    find: String,
    replace: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    edit: Vec<Edit>,
}

/// The frozen base catalog the invalid fixtures edit (`tests/catalog/base/`).
fn base() -> (String, String) {
    let dir = fixtures().join("base");
    (
        read(&dir.join("catalog.toml")),
        read(&dir.join("versions.toml")),
    )
}

#[test]
fn the_base_of_the_invalid_fixtures_is_valid() {
    let (catalog_toml, versions_toml) = base();
    let catalog =
        Catalog::from_toml(&catalog_toml, &versions_toml).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(catalog.versions(Api::Vm).len(), 3);
    assert_eq!(catalog.versions(Api::Was).len(), 2);
}

/// Apply a fixture's edits to the base catalog and report what loading says.
fn check(case: &Path) -> String {
    let fixture: Case =
        toml::from_str(&read(case)).unwrap_or_else(|e| panic!("{}: {e}", case.display()));
    let (mut catalog_toml, mut versions_toml) = base();
    for edit in &fixture.edit {
        let text = match edit.file.as_str() {
            "catalog.toml" => &mut catalog_toml,
            "versions.toml" => &mut versions_toml,
            other => panic!("{}: unknown file {other}", case.display()),
        };
        assert!(
            text.contains(&edit.find),
            "{}: {:?} is not in {}",
            case.display(),
            edit.find,
            edit.file
        );
        *text = text.replacen(&edit.find, &edit.replace, 1);
    }
    match Catalog::from_toml(&catalog_toml, &versions_toml) {
        Ok(_) => panic!(
            "{}: the edited catalog loads, but it must not",
            case.display()
        ),
        Err(e) => {
            assert!(
                !e.diagnostics().is_empty(),
                "{}: no diagnostics",
                case.display()
            );
            e.to_string()
        }
    }
}

#[test]
fn invalid_catalogs_report_file_line_and_column() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(fixtures().join("invalid"))
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|e| e.unwrap_or_else(|e| panic!("{e}")).path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 15, "fixtures missing");
    for case in cases {
        let name = case
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("case")
            .to_string();
        insta::assert_snapshot!(format!("invalid_{name}"), check(&case));
    }
}

/// Corpus files recorded in versions.toml (folder entries end in `/`).
fn recorded_corpus_paths(catalog: &Catalog) -> Vec<(Api, String, String)> {
    Api::ALL
        .into_iter()
        .flat_map(|api| catalog.versions(api).iter().map(move |v| (api, v)))
        .flat_map(|(api, v)| {
            v.payloads
                .iter()
                .filter(|p| p.source == PayloadSource::Corpus)
                .map(move |p| (api, p.path.clone(), p.file.clone()))
        })
        .collect()
}

#[test]
fn every_corpus_payload_belongs_to_a_version() {
    let Some(shared) = shared() else { return };
    let corpus = shared.join("corpus");
    let catalog = catalog();
    let recorded = recorded_corpus_paths(&catalog);
    for (_, path, _) in &recorded {
        assert!(
            corpus.join(path).exists(),
            "versions.toml records corpus/{path}, which does not exist"
        );
    }
    let mut stack = vec![corpus.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(&corpus)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            if rel == "README.md" {
                continue;
            }
            let covered = recorded
                .iter()
                .any(|(_, p, _)| *p == rel || (p.ends_with('/') && rel.starts_with(p.as_str())));
            assert!(covered, "corpus/{rel} is not recorded in versions.toml");
        }
    }
}

/// The schema location a payload cites: its DOCTYPE system id or its
/// `xsi:noNamespaceSchemaLocation`.
fn cited_location(text: &str) -> Option<String> {
    let re = regex::Regex::new(
        r#"(?s)(?:<!DOCTYPE\s+\S+\s+SYSTEM|noNamespaceSchemaLocation=)\s*"([^"]*)""#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    re.captures(text)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_string())
}

#[test]
fn locations_cited_by_recorded_payloads_resolve_to_their_file() {
    let Some(shared) = shared() else { return };
    let catalog = catalog();
    let mut checked = 0;
    for (api, path, file) in recorded_corpus_paths(&catalog) {
        if path.ends_with('/') {
            continue;
        }
        let text = read(&shared.join("corpus").join(&path));
        let Some(location) = cited_location(&text) else {
            continue;
        };
        let hit = catalog
            .resolve_url(&location)
            .unwrap_or_else(|| panic!("corpus/{path} cites {location}, which does not resolve"));
        assert_eq!(
            (hit.api, hit.file.as_str()),
            (api, file.as_str()),
            "corpus/{path}"
        );
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} payloads cite a location");
}

#[test]
fn seed_payloads_name_existing_release_notes() {
    let Some(shared) = shared() else { return };
    let catalog = catalog();
    for api in Api::ALL {
        for v in catalog.versions(api) {
            for p in v
                .payloads
                .iter()
                .filter(|p| p.source == PayloadSource::Seed)
            {
                assert!(
                    shared.join("seeds").join(&p.path).is_file(),
                    "{api}/{}: no seed {}",
                    v.label,
                    p.path
                );
            }
            for n in &v.release_notes {
                assert!(
                    shared.join("seeds").join(&n.seed).is_file(),
                    "{api}/{}: no seed {}",
                    v.label,
                    n.seed
                );
            }
        }
    }
}

/// Hosts in the release notes that are PDF garbling of a platform host, not platforms.
const GARBLED_HOSTS: [&str; 1] = ["qualysapi.qgl.apps.qualys.in"];

#[test]
fn every_host_of_the_release_notes_is_a_platform() {
    let Some(shared) = shared() else { return };
    let catalog = catalog();
    let re = regex::Regex::new(r"https?://(qualysapi\.[A-Za-z0-9.-]*[A-Za-z0-9])")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut hosts = BTreeSet::new();
    for seed in [
        "000_fe204c3ce2c8c0ff.txt",
        "002_548cecd7e6575f93.txt",
        "003_2e34ab0db4c1ef6a.txt",
    ] {
        let text = read(&shared.join("seeds").join(seed));
        for c in re.captures_iter(&text) {
            if let Some(m) = c.get(1) {
                hosts.insert(m.as_str().to_ascii_lowercase());
            }
        }
    }
    assert!(hosts.len() >= 6, "{hosts:?}");
    let platforms: BTreeSet<&str> = catalog
        .platforms()
        .iter()
        .map(|p| p.host.as_str())
        .collect();
    for host in &hosts {
        if GARBLED_HOSTS.contains(&host.as_str()) {
            assert!(!platforms.contains(host.as_str()));
            continue;
        }
        assert!(
            platforms.contains(host.as_str()),
            "{host} of the release notes is not a platform"
        );
    }
    let missing: Vec<_> = platforms.iter().filter(|p| !hosts.contains(**p)).collect();
    assert!(
        missing.is_empty(),
        "platforms not in the release notes: {missing:?}"
    );
}

/// Whether `text` matches `pattern`, where `*` stands for any run of characters except `/`.
fn glob_match(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, rest)) => {
            let Some(tail) = text.strip_prefix(head) else {
                return false;
            };
            tail.char_indices()
                .map(|(i, _)| i)
                .chain([tail.len()])
                .take_while(|&i| !tail[..i].contains('/'))
                .any(|i| glob_match(rest, &tail[i..]))
        }
    }
}

/// Every file under `dir`, as `/`-separated paths relative to it.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

#[test]
fn cited_evidence_exists() {
    let Some(shared) = shared() else { return };
    let catalog = catalog();
    let seed_re = regex::Regex::new(r"\d{3}_[0-9a-f]{16}\.txt").unwrap_or_else(|e| panic!("{e}"));
    let corpus_re = regex::Regex::new(r"\b(?:vm|was|other-requests)/[A-Za-z0-9_*./-]+\.xml")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut texts = vec![(
        "versions.toml".to_string(),
        read(&schemas_dir().join("versions.toml")),
    )];
    for rel in catalog.all_files() {
        texts.push((rel.display().to_string(), read(&schemas_dir().join(&rel))));
    }
    let corpus_files = files_under(&shared.join("corpus"));
    let mut cited = 0;
    for (name, text) in &texts {
        for m in seed_re.find_iter(text) {
            assert!(
                shared.join("seeds").join(m.as_str()).is_file(),
                "{name} cites seed {}",
                m.as_str()
            );
            cited += 1;
        }
        for m in corpus_re.find_iter(text) {
            assert!(
                corpus_files.iter().any(|f| glob_match(m.as_str(), f)),
                "{name} cites corpus {}",
                m.as_str()
            );
            cited += 1;
        }
    }
    assert!(cited > 50, "only {cited} citations found");
}

#[test]
fn glob_matcher_of_the_evidence_test() {
    let cases = [
        (
            "was/*/recorded-*.xml",
            "was/finding/recorded-1-finding.xml",
            true,
        ),
        (
            "was/*/recorded-*.xml",
            "was/finding/sub/recorded-1.xml",
            false,
        ),
        (
            "was/*/recorded-*.xml",
            "was/finding/handwritten-c.xml",
            false,
        ),
        ("vm/a.xml", "vm/a.xml", true),
        ("vm/a.xml", "vm/b.xml", false),
        ("*", "", true),
    ];
    for (pattern, text, expected) in cases {
        assert_eq!(glob_match(pattern, text), expected, "{pattern} ~ {text}");
    }
}
