//! Loading and compiling the schemas a run needs, once each, on first use, shared by all
//! files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use qschema_model::{FsResolver, LoadError, Resolver, SchemaKind};
use qschema_validator::rules::{Context, RuleSet};
use qschema_validator::CompiledSchema;

use super::catalog::{SchemaCatalog, Target};
use super::embedded::{self, EmbeddedResolver};
use super::results::{Failure, FailureKind};

/// Which schema (and rules) a document is checked against.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SchemaKey {
    /// A catalog schema embedded in the binary, in one version.
    Embedded {
        /// The schema.
        target: Target,
        /// The version label.
        version: String,
    },
    /// A DTD or XSD file on disk (`--schema FILE`).
    Disk(PathBuf),
    /// No schema: only the Qualys rules (of `version`, or of the latest version of each api).
    RulesOnly {
        /// `--version`, if given.
        version: Option<String>,
    },
    /// No schema could be chosen because the prolog could not be read: check well-formedness
    /// only, so the document's own problem is reported.
    WellFormedOnly,
}

/// A schema ready for validation, with the rules that apply to its documents.
pub struct Loaded {
    /// The compiled schema (`None` for rules-only and well-formedness-only checks).
    pub compiled: Option<CompiledSchema>,
    /// The Qualys rules that apply, already narrowed to the run's context once per run, so
    /// checking can use them as they are (narrowing again per document copies every rule
    /// regex, and each copy starts with a cold cache).
    pub rules: RuleSet,
    /// Shown as the file's schema: `was/finding.xsd`, a path, or `none`.
    pub label: String,
    /// Shown as the file's version.
    pub version: Option<String>,
    /// For embedded schemas, the folder their files are in (`schemas/was/2.25/`): the engine
    /// names declarations relative to it.
    pub declared_prefix: Option<String>,
    embedded: bool,
}

/// Every schema a run needs, each loaded and compiled at most once, on first use, and shared
/// by every document (and thread) that needs it.
pub struct Store<'a> {
    resolver: EmbeddedResolver,
    catalog: &'a SchemaCatalog,
    context: &'a Context,
    cells: Mutex<BTreeMap<SchemaKey, Cell>>,
}

/// A schema slot: empty until its first user loads it.
type Cell = Arc<OnceLock<Result<Arc<Loaded>, Failure>>>;

impl<'a> Store<'a> {
    /// An empty store over the embedded schemas and `catalog`, for a run in `context`.
    pub fn new(catalog: &'a SchemaCatalog, context: &'a Context) -> Store<'a> {
        Store {
            resolver: EmbeddedResolver,
            catalog,
            context,
            cells: Mutex::new(BTreeMap::new()),
        }
    }

    /// The loaded schema for `key`: loaded and compiled by the first caller (others asking
    /// for the same key meanwhile wait for it), then shared.
    pub fn get(&self, key: &SchemaKey) -> Result<Arc<Loaded>, Failure> {
        let cell = {
            let mut cells = self.cells.lock().unwrap_or_else(PoisonError::into_inner);
            match cells.get(key) {
                Some(cell) => Arc::clone(cell),
                None => {
                    let cell: Cell = Arc::new(OnceLock::new());
                    cells.insert(key.clone(), Arc::clone(&cell));
                    cell
                }
            }
        };
        cell.get_or_init(|| {
            load_key(key, &self.resolver, self.catalog).map(|mut loaded| {
                loaded.rules = loaded.rules.relevant(self.context);
                Arc::new(loaded)
            })
        })
        .clone()
    }

    /// The resolver the engine uses for documents checked against `loaded`.
    pub fn resolver_for(&self, loaded: &Loaded) -> &dyn Resolver {
        if loaded.embedded {
            &self.resolver
        } else {
            &FsResolver
        }
    }
}

fn schema_error(message: String) -> Failure {
    Failure {
        kind: FailureKind::SchemaLoad,
        message,
    }
}

fn describe_load_error(what: &str, e: &LoadError) -> String {
    let diags = e.diagnostics();
    match diags.split_first() {
        Some((first, rest)) if !rest.is_empty() => {
            format!(
                "cannot load schema {what}: {first} (and {} more problems)",
                rest.len()
            )
        }
        Some((first, _)) => format!("cannot load schema {what}: {first}"),
        None => format!("cannot load schema {what}: {e}"),
    }
}

/// An XSD whose compiled form has findings (a content model that violates Unique Particle
/// Attribution, one that cannot be compiled, a simple type that cannot be checked) is not a
/// valid schema (XSD 1.0 schema component constraints): no document is checked against it,
/// as `xmllint --schema` refuses to compile it. (A DTD's findings are validity constraints
/// of the document and are reported as its errors.)
fn refuse_invalid_xsd(what: &str, compiled: &CompiledSchema) -> Result<(), Failure> {
    let schema = compiled.schema();
    if schema.kind != SchemaKind::Xsd {
        return Ok(());
    }
    let mut problems = schema
        .findings
        .iter()
        .map(|f| {
            format!(
                "{}: {} [{}]",
                schema.display_location(f.location),
                f.message,
                f.rule
            )
        })
        .chain(
            compiled
                .problems()
                .iter()
                .map(|p| format!("{}: {}", p.location, p.message)),
        );
    let Some(first) = problems.next() else {
        return Ok(());
    };
    let more = problems.count();
    let and_more = match more {
        0 => String::new(),
        n => format!(" (and {n} more problem{})", if n == 1 { "" } else { "s" }),
    };
    Err(schema_error(format!(
        "schema {what} is not a valid XSD, so no document is checked against it: {first}{and_more}"
    )))
}

fn load_key(
    key: &SchemaKey,
    resolver: &EmbeddedResolver,
    catalog: &SchemaCatalog,
) -> Result<Loaded, Failure> {
    match key {
        SchemaKey::Embedded { target, version } => {
            let rel = SchemaCatalog::relative_path(target, version);
            let what = rel.display().to_string();
            let schema = qschema_model::load_with(&embedded::path_of(&rel), resolver)
                .map_err(|e| schema_error(describe_load_error(&what, &e)))?;
            let compiled = CompiledSchema::compile(schema)
                .map_err(|e| schema_error(format!("cannot compile schema {what}: {e}")))?;
            refuse_invalid_xsd(&what, &compiled)?;
            let rules_rel = Path::new(&target.api).join(version).join("rules.toml");
            let origin = format!("schemas/{}", rules_rel.display());
            let rules = match embedded::text(&rules_rel) {
                Some(text) => RuleSet::from_toml(text, &origin)
                    .map_err(|e| schema_error(e.to_string()))?
                    .applying_to(Some(&target.file)),
                None => RuleSet::new(),
            };
            Ok(Loaded {
                compiled: Some(compiled),
                rules,
                label: target.label(),
                version: Some(version.clone()),
                declared_prefix: Some(format!("schemas/{}/{version}/", target.api)),
                embedded: true,
            })
        }
        SchemaKey::Disk(path) => {
            let what = path.display().to_string();
            let schema = qschema_model::load_file(path)
                .map_err(|e| schema_error(describe_load_error(&what, &e)))?;
            let compiled = CompiledSchema::compile(schema)
                .map_err(|e| schema_error(format!("cannot compile schema {what}: {e}")))?;
            refuse_invalid_xsd(&what, &compiled)?;
            // Rules kept beside a schema file on disk apply too (schemas/<api>/<version>/).
            let rules_path = path.with_file_name("rules.toml");
            let file_name = path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            let rules = match std::fs::read_to_string(&rules_path) {
                Ok(text) => RuleSet::from_toml(&text, &rules_path.display().to_string())
                    .map_err(|e| schema_error(e.to_string()))?
                    .applying_to(Some(&file_name)),
                Err(_) => RuleSet::new(),
            };
            Ok(Loaded {
                compiled: Some(compiled),
                rules,
                label: what,
                version: None,
                declared_prefix: None,
                embedded: false,
            })
        }
        SchemaKey::RulesOnly { version } => {
            let mut rules = RuleSet::new();
            let all = catalog.all_versions();
            let mut chosen: Vec<(String, String)> = match version {
                Some(v) => all.into_iter().filter(|(_, l)| l == v).collect(),
                None => {
                    // The latest version of each api.
                    let mut last: BTreeMap<String, String> = BTreeMap::new();
                    for (api, label) in all {
                        last.insert(api, label);
                    }
                    last.into_iter().collect()
                }
            };
            if chosen.is_empty() {
                return Err(schema_error(format!(
                    "no schema version is labelled `{}`",
                    version.as_deref().unwrap_or("")
                )));
            }
            chosen.sort();
            for (api, label) in &chosen {
                let rel = Path::new(api).join(label).join("rules.toml");
                if let Some(text) = embedded::text(&rel) {
                    let set = RuleSet::from_toml(text, &format!("schemas/{}", rel.display()))
                        .map_err(|e| schema_error(e.to_string()))?;
                    rules.extend(set);
                }
            }
            Ok(Loaded {
                compiled: None,
                rules,
                label: "none (Qualys rules only)".to_string(),
                version: version.clone(),
                declared_prefix: None,
                embedded: true,
            })
        }
        SchemaKey::WellFormedOnly => Ok(Loaded {
            compiled: None,
            rules: RuleSet::new(),
            label: "none".to_string(),
            version: None,
            declared_prefix: None,
            embedded: false,
        }),
    }
}
