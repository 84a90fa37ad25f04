//! What the generator can be told (shared by [`crate::Config`] and `cargo xtask codegen`).

/// Options of one generation run.
#[derive(Clone, Debug)]
pub struct Options {
    /// Path of the runtime crate in generated code (default `::qschema_runtime`).
    pub runtime_path: String,
    /// Enumerations reject values the schema does not list (no `Unknown(String)` variant).
    pub strict_enums: bool,
    /// Extra attributes for generated types: (Rust type name, or `.` for every type; attribute).
    pub type_attributes: Vec<(String, String)>,
    /// Extra attributes for fields: (`Type.field` with Rust names, or `.` for every field;
    /// attribute).
    pub field_attributes: Vec<(String, String)>,
    /// The schema's public location, written by `to_xml`: as the DOCTYPE system id of DTD
    /// documents, as `xsi:noNamespaceSchemaLocation` (or `xsi:schemaLocation` with the target
    /// namespace) on XSD documents. Nothing is written when `None`.
    pub schema_location: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            runtime_path: "::qschema_runtime".to_string(),
            strict_enums: false,
            type_attributes: Vec::new(),
            field_attributes: Vec::new(),
            schema_location: None,
        }
    }
}
