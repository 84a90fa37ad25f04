//! Every schema file in the repository (the model's, validator's and tests' fixtures, good and
//! malformed, and `schemas/`) either generates code that parses as Rust or fails with the
//! model's located load error: never a panic, never an internal error.

use std::path::{Path, PathBuf};

use qschema_codegen::{CodegenError, Options};

fn schema_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = ["model", "validator", "tests", "schemas", "codegen/tests"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "dtd" || x == "xsd") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_schema_in_the_repository_generates_or_fails_located() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = schema_files(&root);
    assert!(
        files.len() > 30,
        "too few schema files found: {}",
        files.len()
    );
    let (mut generated, mut refused) = (0, 0);
    for f in &files {
        match qschema_codegen::generate_file(f, &Options::default()) {
            Ok(code) => {
                syn::parse_file(&code)
                    .unwrap_or_else(|e| panic!("{}: output does not parse: {e}", f.display()));
                generated += 1;
            }
            Err(CodegenError::Load(e)) => {
                assert!(!e.to_string().is_empty(), "{}: empty error", f.display());
                refused += 1;
            }
            Err(e) => panic!("{}: {e}", f.display()),
        }
    }
    println!("{generated} schemas generated, {refused} refused with located errors");
}
