//! qschema-codegen: Rust types from the schema model (being written).
