//! The build.rs API in use: one DTD and one XSD from `schemas/`, with options, plus every
//! fixture schema of `codegen/tests/fixtures/` (so the code generated for each construct is
//! compiled and exercised by this crate's tests).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let repo = manifest.join("../..");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);

    // A real DTD and a real XSD, the way a user's build.rs would do it.
    qschema_codegen::Config::new()
        .schema(repo.join("schemas/vm/8.11.2/schedule_scan_list_output.dtd"))
        .schema(repo.join("schemas/was/2019-notes/finding.xsd"))
        .type_attribute("Finding", "#[non_exhaustive]")
        .type_attribute("FindingType", "#[derive(PartialOrd, Ord)]")
        .schema_location(
            "schedule_scan_list_output.dtd",
            "https://qualysapi.qualys.com/api/2.0/fo/schedule/scan/schedule_scan_list_output.dtd",
        )
        .schema_location(
            "finding.xsd",
            "https://qualysapi.qualys.com/qps/xsd/3.0/was/finding.xsd",
        )
        .compile()?;

    // Every fixture schema, plus a table of their document types for the tests.
    let fixtures = manifest.join("../tests/fixtures");
    println!("cargo:rerun-if-changed={}", fixtures.display());
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&fixtures)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "dtd" || e == "xsd"))
        .collect();
    paths.sort();
    qschema_codegen::compile_schemas(&paths)?;

    // The same enumerations with strict enums (file `xsd_enumerations_strict.rs`).
    qschema_codegen::Config::new()
        .schema(fixtures.join("xsd_enumerations.xsd"))
        .version_label("strict")
        .strict_enums(true)
        .compile()?;

    let mut modules = String::new();
    let mut table = String::from("/// (fixture stem, root element, round trip)\npub const DOCUMENT_TYPES: &[(&str, &str, RoundTrip)] = &[\n");
    for p in &paths {
        let stem = stem(p);
        writeln!(
            modules,
            "#[allow(missing_docs)]\npub mod {stem} {{ include!(concat!(env!(\"OUT_DIR\"), \"/{stem}.rs\")); }}"
        )?;
        let schema = qschema_model_load(p)?;
        for root in qschema_codegen::document_roots(&schema) {
            writeln!(
                table,
                "    (\"{stem}\", \"{}\", |xml| ::qschema_runtime::round_trip(xml, {stem}::{}::{}, {stem}::{}::{})),",
                root.element, root.type_name, root.from_fn, root.type_name, root.to_fn
            )?;
        }
    }
    table.push_str("];\n");
    std::fs::write(
        out_dir.join("fixture_modules.rs"),
        format!("{modules}\n{table}"),
    )?;
    Ok(())
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_string()
}

fn qschema_model_load(p: &Path) -> Result<qschema_codegen::Schema, qschema_codegen::CodegenError> {
    qschema_codegen::load_schema(p)
}
