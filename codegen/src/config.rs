//! The prost-build-style API for `build.rs`.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), qschema_codegen::CodegenError> {
//!     qschema_codegen::Config::new()
//!         .schema("schemas/was/2.25/finding.xsd")
//!         .type_attribute("Finding", "#[derive(Default)]")
//!         .compile()
//! }
//! // src/lib.rs: include!(concat!(env!("OUT_DIR"), "/finding.rs"));
//! ```

use std::path::{Path, PathBuf};

use crate::error::CodegenError;
use crate::naming::module_name;
use crate::options::Options;

/// Generates Rust files from schema files, one `<schema file stem>.rs` per schema.
#[derive(Clone, Debug, Default)]
pub struct Config {
    schemas: Vec<PathBuf>,
    out_dir: Option<PathBuf>,
    version_label: Option<String>,
    options: Options,
    schema_locations: Vec<(String, String)>,
}

impl Config {
    /// A configuration with default options.
    pub fn new() -> Config {
        Config::default()
    }

    /// Add a `.dtd` or `.xsd` file.
    pub fn schema(&mut self, path: impl AsRef<Path>) -> &mut Config {
        self.schemas.push(path.as_ref().to_path_buf());
        self
    }

    /// Add several schema files.
    pub fn schemas<P: AsRef<Path>>(&mut self, paths: &[P]) -> &mut Config {
        for p in paths {
            self.schema(p);
        }
        self
    }

    /// A version label (e.g. `8.11.2`); output files are named `<stem>_<label>.rs`
    /// (label as a module name, `v8_11_2`), so several versions can share one `OUT_DIR`.
    pub fn version_label(&mut self, label: impl Into<String>) -> &mut Config {
        self.version_label = Some(label.into());
        self
    }

    /// Where to write (default: the `OUT_DIR` of the build script).
    pub fn out_dir(&mut self, dir: impl AsRef<Path>) -> &mut Config {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Add attributes (e.g. `#[derive(Hash)]`) to the generated type with this Rust name, or
    /// to every type with `"."`.
    pub fn type_attribute(
        &mut self,
        ty: impl Into<String>,
        attribute: impl Into<String>,
    ) -> &mut Config {
        self.options
            .type_attributes
            .push((ty.into(), attribute.into()));
        self
    }

    /// Add attributes to the field `Type.field` (Rust names), or to every field with `"."`.
    pub fn field_attribute(
        &mut self,
        field: impl Into<String>,
        attribute: impl Into<String>,
    ) -> &mut Config {
        self.options
            .field_attributes
            .push((field.into(), attribute.into()));
        self
    }

    /// Enumerations reject unlisted values instead of keeping them as `Unknown(String)`.
    pub fn strict_enums(&mut self, strict: bool) -> &mut Config {
        self.options.strict_enums = strict;
        self
    }

    /// The path of the runtime crate in generated code (default `::qschema_runtime`).
    pub fn runtime_path(&mut self, path: impl Into<String>) -> &mut Config {
        self.options.runtime_path = path.into();
        self
    }

    /// The public location `to_xml` cites for the schema file named `file_name` (e.g. the
    /// URL from the catalog): the DOCTYPE system id of DTD documents, the
    /// `xsi:noNamespaceSchemaLocation` of XSD documents. Without one, nothing is cited.
    pub fn schema_location(
        &mut self,
        file_name: impl Into<String>,
        system_id: impl Into<String>,
    ) -> &mut Config {
        self.schema_locations
            .push((file_name.into(), system_id.into()));
        self
    }

    /// The output file name for a schema path.
    pub fn output_file_name(&self, schema: &Path) -> String {
        let stem = schema
            .file_stem()
            .and_then(|s| s.to_str())
            .map(module_name)
            .unwrap_or_else(|| "schema".to_string());
        match &self.version_label {
            Some(l) => format!("{stem}_{}.rs", module_name(l).trim_start_matches('v')),
            None => format!("{stem}.rs"),
        }
    }

    /// Load every schema, generate, write the files, and print `cargo:rerun-if-changed=`
    /// for every file each schema read (and `cargo:warning=` for the schema's
    /// declaration-level findings). Stops at the first schema that fails to load
    /// (the error carries the model's file:line:column diagnostics).
    pub fn compile(&self) -> Result<(), CodegenError> {
        let out_dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(CodegenError::NoOutDir)?,
        };
        for path in &self.schemas {
            println!("cargo:rerun-if-changed={}", path.display());
            let schema = qschema_model::load_file(path)?;
            for f in &schema.files {
                println!("cargo:rerun-if-changed={}", f.path.display());
            }
            // Declaration-level findings (e.g. a non-deterministic content model, which the
            // generated readers resolve greedily) are shown as build warnings.
            for f in &schema.findings {
                println!(
                    "cargo:warning={}: {} [{}]",
                    schema.display_location(f.location),
                    f.message,
                    f.rule
                );
            }
            let mut options = self.options.clone();
            let file_name = path.file_name().and_then(|f| f.to_str()).unwrap_or("");
            options.schema_location = self
                .schema_locations
                .iter()
                .find(|(f, _)| f == file_name)
                .map(|(_, s)| s.clone());
            let code = crate::generate(&schema, &options)?;
            let target = out_dir.join(self.output_file_name(path));
            std::fs::write(&target, code).map_err(|source| CodegenError::Write {
                path: target.clone(),
                source,
            })?;
        }
        Ok(())
    }
}

/// Generate code for `paths` into `OUT_DIR` with default options.
pub fn compile_schemas<P: AsRef<Path>>(paths: &[P]) -> Result<(), CodegenError> {
    Config::new().schemas(paths).compile()
}
