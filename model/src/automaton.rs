//! (being written)
/// Add non-determinism findings for every content model of `schema`.
pub fn add_determinism_findings(_schema: &mut crate::Schema) {}
