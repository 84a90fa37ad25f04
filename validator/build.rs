//! Rebuild when anything under `schemas/` changes: the `validate` binary embeds that folder
//! with `include_dir!`, which does not notice files that are added or removed.

fn main() {
    println!("cargo:rerun-if-changed=../schemas");
    println!("cargo:rerun-if-changed=build.rs");
}
