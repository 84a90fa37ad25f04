//! Data-driven engine tests: every folder under `tests/fixtures/engine/` holds a `doc.xml`, and
//! optionally a `schema.dtd` or `schema.xsd` to validate against (none: the document's own
//! DOCTYPE, if any) and an `options.toml` (`max_errors`, `max_depth`,
//! `allow_local_external_entities`, `load_external_dtd`, `require_dtd`, `namespace_aware`). The error list (`line:col path [rule] message`) is an insta
//! snapshot named after the folder.

use std::path::{Path, PathBuf};

use qschema_validator::engine::{validate, CompiledSchema, DocumentInput, Options};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/engine")
}

fn options(dir: &Path) -> Options {
    let mut opts = Options::default();
    let Ok(text) = std::fs::read_to_string(dir.join("options.toml")) else {
        return opts;
    };
    let table: toml::Table = text.parse().expect("options.toml");
    for (k, v) in table {
        match (k.as_str(), v) {
            ("max_errors", toml::Value::Integer(n)) => opts.max_errors = n as usize,
            ("max_depth", toml::Value::Integer(n)) => opts.max_depth = n as usize,
            ("allow_local_external_entities", toml::Value::Boolean(b)) => {
                opts.allow_local_external_entities = b
            }
            ("load_external_dtd", toml::Value::Boolean(b)) => opts.load_external_dtd = b,
            ("require_dtd", toml::Value::Boolean(b)) => opts.require_dtd = b,
            ("namespace_aware", toml::Value::Boolean(b)) => opts.namespace_aware = b,
            (k, _) => panic!("unknown option {k} in {}", dir.display()),
        }
    }
    opts
}

/// Validate the fixture in `dir` and render the report.
fn check(dir: &Path) -> String {
    let schema_path = ["schema.dtd", "schema.xsd"]
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.exists());
    let compiled = schema_path.map(|p| {
        let schema =
            qschema_model::load_file(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        CompiledSchema::compile(schema).expect("compile")
    });
    let doc_path = dir.join("doc.xml");
    let file = std::fs::File::open(&doc_path).expect("doc.xml");
    let doc = DocumentInput {
        display_name: "doc.xml",
        path: Some(&doc_path),
    };
    let report = validate(
        std::io::BufReader::new(file),
        &doc,
        compiled.as_ref(),
        &qschema_model::FsResolver,
        &options(dir),
    );
    let mut out = String::new();
    for e in &report.errors {
        out.push_str(&format!(
            "{}:{} {} [{}] {}\n",
            e.line, e.column, e.path, e.rule, e.message
        ));
        if let Some(f) = &e.found {
            out.push_str(&format!("    found: {f}\n"));
        }
        if let Some(x) = &e.expected {
            out.push_str(&format!("    expected: {x}\n"));
        }
        if let Some(d) = &e.declared_at {
            out.push_str(&format!("    declared at: {d}\n"));
        }
    }
    if report.errors.is_empty() {
        out.push_str("valid\n");
    }
    if report.truncated {
        out.push_str("(truncated)\n");
    }
    if report.aborted {
        out.push_str("(aborted)\n");
    }
    out
}

#[test]
fn engine_fixtures() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .expect("fixtures folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("doc.xml").exists())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no fixtures");
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let out = check(&dir);
        // Every fixture whose name starts with `valid` must be valid, every other one must not.
        assert_eq!(
            out == "valid\n",
            name.starts_with("valid"),
            "{name}:\n{out}"
        );
        insta::assert_snapshot!(name, out);
    }
}
