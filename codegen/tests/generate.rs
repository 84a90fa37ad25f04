//! Snapshots of the code generated for the fixture schemas in `tests/fixtures/` (one per
//! construct, DTD and XSD), the located errors for the bad schemas in `tests/fixtures/bad/`,
//! and the `Config` API.

use std::path::{Path, PathBuf};

use qschema_codegen::{CodegenError, Config, Options};

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "dtd" || e == "xsd"))
        .collect();
    out.sort();
    out
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_string()
}

/// The one check: generate `path` with `options`, snapshot it under `name`.
fn check(path: &Path, options: &Options, name: &str) {
    let code = qschema_codegen::generate_file(path, options)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let again = qschema_codegen::generate_file(path, options).unwrap_or_default();
    assert_eq!(
        code,
        again,
        "{}: output differs between two runs",
        path.display()
    );
    insta::assert_snapshot!(name, code);
}

#[test]
fn fixture_schemas() {
    let all = fixtures("");
    assert!(all.len() >= 15, "fixtures missing");
    for path in all {
        check(&path, &Options::default(), &stem(&path));
    }
}

#[test]
fn strict_enums_have_no_unknown_variant() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xsd_enumerations.xsd");
    let options = Options {
        strict_enums: true,
        ..Options::default()
    };
    check(&path, &options, "xsd_enumerations_strict");
}

#[test]
fn bad_schemas_give_located_errors() {
    let bad = fixtures("bad");
    assert!(!bad.is_empty());
    let mut report = String::new();
    for path in bad {
        match qschema_codegen::generate_file(&path, &Options::default()) {
            Ok(_) => panic!("{}: generated code for a bad schema", path.display()),
            Err(e @ CodegenError::Load(_)) => {
                let msg = e.to_string();
                let located = msg.lines().all(|l| {
                    l.split(':')
                        .nth(2)
                        .is_some_and(|c| c.trim().parse::<u32>().is_ok())
                });
                assert!(located, "{}: not file:line:column: {msg}", path.display());
                report.push_str(&format!("{}:\n{msg}\n\n", stem(&path)));
            }
            Err(e) => panic!("{}: not a load error: {e}", path.display()),
        }
    }
    insta::assert_snapshot!("bad_schemas", report);
}

#[test]
fn missing_schema_file_is_an_io_error() {
    let err = qschema_codegen::generate_file(Path::new("no/such/file.xsd"), &Options::default())
        .expect_err("a missing file must fail");
    assert!(err.to_string().contains("no/such/file.xsd"), "{err}");
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qschema-codegen-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

#[test]
fn config_writes_one_file_per_schema_with_user_attributes() {
    let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let out = temp_dir("config");
    Config::new()
        .schema(fx.join("xsd_all.xsd"))
        .schemas(&[fx.join("dtd_choice.dtd")])
        .out_dir(&out)
        .type_attribute("Preferences", "#[non_exhaustive]")
        .field_attribute("Preferences.limit_results", "#[doc = \"user doc\"]")
        .schema_location("dtd_choice.dtd", "https://example.invalid/choice.dtd")
        .schema_location("xsd_all.xsd", "https://example.invalid/all.xsd")
        .compile()
        .unwrap_or_else(|e| panic!("{e}"));
    let all = std::fs::read_to_string(out.join("xsd_all.rs")).unwrap_or_default();
    assert!(
        all.contains("#[non_exhaustive]\npub struct Preferences"),
        "{all}"
    );
    let before_field = all
        .split("pub limit_results")
        .next()
        .unwrap_or("")
        .trim_end();
    assert!(
        before_field
            .lines()
            .last()
            .is_some_and(|l| l.contains("user doc")),
        "{all}"
    );
    assert!(!all.contains("#!["), "inner attributes are not includable");
    assert!(
        !all.contains("//!"),
        "inner doc comments are not includable"
    );
    assert!(all.contains("\"https://example.invalid/all.xsd\""), "{all}");
    let choice = std::fs::read_to_string(out.join("dtd_choice.rs")).unwrap_or_default();
    assert!(
        choice.contains("https://example.invalid/choice.dtd"),
        "{choice}"
    );
}

#[test]
fn config_version_label_names_the_file() {
    let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut c = Config::new();
    c.version_label("pre-8.11.2");
    assert_eq!(c.output_file_name(&fx.join("x.dtd")), "x_pre_8_11_2.rs");
    c.version_label("8.11.2");
    assert_eq!(c.output_file_name(&fx.join("x.dtd")), "x_8_11_2.rs");
}

#[test]
fn config_rejects_bad_attributes_and_bad_schemas() {
    let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let out = temp_dir("config-bad");
    let err = Config::new()
        .schema(fx.join("xsd_all.xsd"))
        .out_dir(&out)
        .type_attribute("Preferences", "not an attribute")
        .compile()
        .expect_err("must fail");
    assert!(matches!(err, CodegenError::Option { .. }), "{err}");
    let err = Config::new()
        .schema(fx.join("bad/unclosed.dtd"))
        .out_dir(&out)
        .compile()
        .expect_err("must fail");
    assert!(matches!(err, CodegenError::Load(_)), "{err}");
}

#[test]
fn stale_files_are_listed() {
    let root = temp_dir("stale");
    std::fs::create_dir_all(root.join("generated/src")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(root.join("generated/src/lib.rs"), "fresh").unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(root.join("generated/src/old.rs"), "left over")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut expected = std::collections::BTreeMap::new();
    expected.insert(PathBuf::from("generated/src/lib.rs"), "fresh".to_string());
    expected.insert(PathBuf::from("generated/src/vm/mod.rs"), "new".to_string());
    let stale = qschema_codegen::types_crate::stale_files(&root, &expected);
    assert_eq!(
        stale,
        vec![
            PathBuf::from("generated/src/old.rs"),
            PathBuf::from("generated/src/vm/mod.rs")
        ]
    );
}

#[test]
fn compile_schemas_needs_an_out_dir() {
    // Integration tests run without OUT_DIR (the example crate's build.rs uses
    // compile_schemas with one); the environment is only read, never changed.
    if std::env::var_os("OUT_DIR").is_some() {
        return;
    }
    let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let err = qschema_codegen::compile_schemas(&[fx.join("xsd_all.xsd")]).expect_err("no OUT_DIR");
    assert!(matches!(err, CodegenError::NoOutDir), "{err}");
}
