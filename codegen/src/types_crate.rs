//! The layout of the checked-in `qschema-types` crate, generated from `schemas/` by
//! `cargo xtask codegen` and checked by the crate's freshness test.
//!
//! Every `schemas/<api>/<version>/<file>.{dtd,xsd}` becomes the module
//! `qschema_types::<api>::<version module>::<file module>` in
//! `generated/src/<api>/<version module>/<file module>.rs`, where module names come from
//! [`crate::naming::module_name`] (`8.11.2` → `v8_11_2`, `pre-8.11.2` → `pre_8_11_2`,
//! `2019-notes` → `v2019_notes`). Folders and files are taken in byte order of their names,
//! so the output is the same on every machine.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use qschema_model::catalog::{Api, Catalog};

use crate::error::CodegenError;
use crate::naming::module_name;
use crate::options::Options;
use crate::GENERATED_HEADER;

/// One schema file found under `schemas/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaEntry {
    /// `vm` or `was`.
    pub api: String,
    /// The version folder name (`8.11.2`, `pre-2.25`).
    pub version: String,
    /// The schema file.
    pub path: PathBuf,
}

fn layout_err(path: &Path, message: impl Into<String>) -> CodegenError {
    CodegenError::Layout {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

fn sorted_dir(dir: &Path) -> Result<Vec<PathBuf>, CodegenError> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| layout_err(dir, format!("cannot read folder: {e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    out.sort();
    Ok(out)
}

/// Every `.dtd`/`.xsd` in `schemas/<api>/<version>/`, sorted.
pub fn schema_entries(schemas_dir: &Path) -> Result<Vec<SchemaEntry>, CodegenError> {
    let mut out = Vec::new();
    for api_dir in sorted_dir(schemas_dir)?.into_iter().filter(|p| p.is_dir()) {
        let api = api_dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        for version_dir in sorted_dir(&api_dir)?.into_iter().filter(|p| p.is_dir()) {
            let version = version_dir
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string();
            for file in sorted_dir(&version_dir)? {
                let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
                if ext == "dtd" || ext == "xsd" {
                    out.push(SchemaEntry {
                        api: api.clone(),
                        version: version.clone(),
                        path: file,
                    });
                }
            }
        }
    }
    Ok(out)
}

/// The catalog of `schemas/` (`None` when the folder has no catalog).
fn load_catalog(schemas_dir: &Path) -> Result<Option<Catalog>, CodegenError> {
    if !schemas_dir
        .join(qschema_model::catalog::CATALOG_FILE)
        .exists()
    {
        return Ok(None);
    }
    Catalog::load(schemas_dir)
        .map(Some)
        .map_err(|e| layout_err(schemas_dir, format!("the catalog does not load: {e}")))
}

/// The public locations of the schemas, by file name: the first public path of each schema
/// on the first platform host of the catalog (`https://host/path`).
pub fn schema_locations(catalog: &Catalog) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(platform) = catalog.platforms().first() {
        for s in catalog.schemas() {
            if let Some(path) = s.paths.first() {
                out.insert(s.file.clone(), format!("https://{}{path}", platform.host));
            }
        }
    }
    out
}

/// The doc comment of a version module: label, release and date from `versions.toml`.
fn version_doc(catalog: Option<&Catalog>, api: &str, label: &str) -> String {
    let mut doc = format!("/// Version `{label}` (`schemas/{api}/{label}/`)");
    let info = api
        .parse::<Api>()
        .ok()
        .and_then(|a| catalog.and_then(|c| c.version(a, label)));
    match info {
        Some(v) => {
            doc.push_str(&format!(": {}", crate::emit::escape_markdown(&v.release)));
            if let Some(d) = &v.date {
                doc.push_str(&format!(" ({d})"));
            }
            doc.push_str(".\n");
        }
        None => doc.push_str(".\n"),
    }
    doc
}

/// A version module: (version label, [(file module, its doc comment)]).
type VersionModule = (String, Vec<(String, String)>);

/// The api folder name behind an api module name.
fn versions_api_label(entries: &[SchemaEntry], api_mod: &str) -> String {
    entries
        .iter()
        .find(|e| module_name(&e.api) == api_mod)
        .map_or_else(|| api_mod.to_string(), |e| e.api.clone())
}

fn with_header(body: &str) -> String {
    format!("{GENERATED_HEADER}\n\n{body}")
}

/// Every file of `generated/src/`, by path relative to the repository root.
pub fn generate(repo_root: &Path) -> Result<BTreeMap<PathBuf, String>, CodegenError> {
    let schemas_dir = repo_root.join("schemas");
    let entries = schema_entries(&schemas_dir)?;
    let catalog = load_catalog(&schemas_dir)?;
    let locations = catalog.as_ref().map(schema_locations).unwrap_or_default();
    let src = PathBuf::from("generated/src");
    let mut files = BTreeMap::new();
    let mut registry = Vec::new();
    let mut tree: BTreeMap<String, BTreeMap<String, VersionModule>> = BTreeMap::new();
    for e in &entries {
        let api = module_name(&e.api);
        let vmod = module_name(&e.version);
        let stem = e
            .path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("schema");
        let fmod = module_name(stem);
        let versions = tree.entry(api.clone()).or_default();
        let (label, mods) = versions
            .entry(vmod.clone())
            .or_insert_with(|| (e.version.clone(), Vec::new()));
        if label != &e.version {
            return Err(layout_err(
                &e.path,
                format!(
                    "version folders {label:?} and {:?} map to the same module {vmod}",
                    e.version
                ),
            ));
        }
        let display = format!("schemas/{}/{}/{}", e.api, e.version, file_name(&e.path));
        if mods.iter().any(|(m, _)| m == &fmod) {
            return Err(layout_err(
                &e.path,
                format!("two schema files map to module {fmod}"),
            ));
        }
        let schema = qschema_model::load_file(&e.path)?;
        let mut doc = format!("/// Generated from `{display}`.\n");
        for block in &schema.documentation {
            doc.push_str("///\n");
            for line in block.lines().map(str::trim).filter(|l| !l.is_empty()) {
                doc.push_str(&format!("/// {}\n", crate::emit::escape_markdown(line)));
            }
        }
        mods.push((fmod.clone(), doc));
        let options = Options {
            schema_location: locations.get(&file_name(&e.path)).cloned(),
            ..Options::default()
        };
        let code = crate::generate(&schema, &options)?;
        for root in crate::document_roots(&schema) {
            registry.push((e.clone(), api.clone(), vmod.clone(), fmod.clone(), root));
        }
        files.insert(
            src.join(&api).join(&vmod).join(format!("{fmod}.rs")),
            with_header(&code),
        );
    }
    let mut lib = String::from(
        "//! qschema-types: Rust types for every version of the Qualys schemas in `schemas/`.\n\
         //!\n\
         //! Module path: `qschema_types::<api>::<version>::<schema>`, e.g.\n\
         //! `qschema_types::vm::v8_11_2::schedule_scan_list_output`. Version labels become module\n\
         //! names by lowercasing, turning other characters into `_` and putting `v` before a\n\
         //! leading digit (`8.11.2` → `v8_11_2`, `pre-8.11.2` → `pre_8_11_2`).\n\
         //!\n\
         //! The schemas are reconstructions (from release notes and real payloads; the official\n\
         //! files are not available): `schemas/versions.toml` says what each version rests on.\n\
         //! Regenerate with `cargo xtask codegen`.\n\n\
         pub use qschema_runtime as runtime;\n\n\
         // Generated modules keep the generator's formatting (prettyplease): `cargo fmt`\n\
         // leaves them alone, so the freshness test stays green after formatting.\n\
         #[rustfmt::skip]\n\
         pub mod registry;\n",
    );
    files.insert(
        src.join("registry.rs"),
        with_header(&registry_file(&registry)?),
    );
    for (api, versions) in &tree {
        lib.push_str(&format!("#[rustfmt::skip]\npub mod {api};\n"));
        let mut api_mod =
            format!("//! The `{api}` API schemas, one module per version folder.\n\n");
        for (vmod, (label, mods)) in versions {
            let api_label = versions_api_label(&entries, api);
            api_mod.push_str(&version_doc(catalog.as_ref(), &api_label, label));
            api_mod.push_str(&format!("pub mod {vmod};\n"));
            let mut vm = format!("//! `{api}` schemas of version `{label}`.\n\n");
            for (fmod, doc) in mods {
                vm.push_str(&format!("{doc}pub mod {fmod};\n"));
            }
            files.insert(src.join(api).join(vmod).join("mod.rs"), with_header(&vm));
        }
        files.insert(src.join(api).join("mod.rs"), with_header(&api_mod));
    }
    files.insert(src.join("lib.rs"), with_header(&lib));
    Ok(files)
}

type RegistryRow = (SchemaEntry, String, String, String, crate::DocumentRoot);

/// `registry.rs`: every document type of every version, for run-time lookup.
fn registry_file(rows: &[RegistryRow]) -> Result<String, CodegenError> {
    use quote::{format_ident, quote};
    let mut entries = Vec::new();
    let mut fns = Vec::new();
    for (i, (e, api, vmod, fmod, root)) in rows.iter().enumerate() {
        let f = format_ident!("round_trip_{}", i);
        let (a, v, m) = (
            format_ident!("{}", api),
            format_ident!("{}", vmod),
            format_ident!("{}", fmod),
        );
        let t = format_ident!("{}", root.type_name);
        let (from, to) = (
            format_ident!("{}", root.from_fn),
            format_ident!("{}", root.to_fn),
        );
        let api_s = &e.api;
        let version = &e.version;
        let schema = file_name(&e.path);
        let element = &root.element;
        entries.push(quote! {
            DocumentType { api: #api_s, version: #version, schema: #schema, root: #element, round_trip: #f },
        });
        fns.push(quote! {
            fn #f(xml: &str) -> ::core::result::Result<::std::string::String, RoundTripError> {
                round_trip(xml, crate::#a::#v::#m::#t::#from, crate::#a::#v::#m::#t::#to)
            }
        });
    }
    let tokens = quote! {
        use qschema_runtime::{round_trip, RoundTripError};

        /// One document type: a root element of one schema file of one version.
        #[derive(Clone, Copy, Debug)]
        pub struct DocumentType {
            /// `vm` or `was`.
            pub api: &'static str,
            /// The version folder (`8.11.2`).
            pub version: &'static str,
            /// The schema file (`finding.xsd`).
            pub schema: &'static str,
            /// The root element name.
            pub root: &'static str,
            /// Parse, write and parse again with the generated type; the written XML.
            pub round_trip: fn(&str) -> ::core::result::Result<::std::string::String, RoundTripError>,
        }

        /// Every document type, by api, version folder, schema file and root element.
        pub const DOCUMENT_TYPES: &[DocumentType] = &[#(#entries)*];

        /// The document type for a root element of a schema file of a version.
        pub fn find(api: &str, version: &str, schema: &str, root: &str) -> ::core::option::Option<&'static DocumentType> {
            DOCUMENT_TYPES
                .iter()
                .find(|d| d.api == api && d.version == version && d.schema == schema && d.root == root)
        }

        #(#fns)*
    };
    let file: syn::File = syn::parse2(tokens).map_err(|e| CodegenError::Internal {
        schema: "registry".into(),
        message: e.to_string(),
    })?;
    Ok(format!(
        "//! Every generated document type, for tools and tests that choose one at run time.\n\n{}",
        prettyplease::unparse(&file)
    ))
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .and_then(|f| f.to_str())
        .unwrap_or("")
        .to_string()
}

/// Files that differ from `expected`: missing or changed ones, and `.rs` files under
/// `generated/src/` that would no longer be generated. Paths relative to `repo_root`.
pub fn stale_files(repo_root: &Path, expected: &BTreeMap<PathBuf, String>) -> Vec<PathBuf> {
    let mut stale = Vec::new();
    for (path, contents) in expected {
        match std::fs::read_to_string(repo_root.join(path)) {
            Ok(on_disk) if on_disk == *contents => {}
            _ => stale.push(path.clone()),
        }
    }
    let mut stack = vec![repo_root.join("generated/src")];
    while let Some(dir) = stack.pop() {
        let Ok(read) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in read.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                if let Ok(rel) = p.strip_prefix(repo_root) {
                    if !expected.contains_key(rel) {
                        stale.push(rel.to_path_buf());
                    }
                }
            }
        }
    }
    stale.sort();
    stale
}
