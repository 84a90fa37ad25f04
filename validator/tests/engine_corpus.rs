//! The engine on the real payloads of `../shared/corpus` (never copied into the repo), each
//! against the schema version it belongs to; the error lists are snapshots. Skipped when
//! `../shared` is absent.

use std::path::{Path, PathBuf};

use qschema_validator::engine::{validate, CompiledSchema, DocumentInput, Options};

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    p.exists().then_some(p)
}

fn schemas() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

/// (payload glob folder + prefix, schema path relative to `schemas/`, why this version).
const CASES: &[(&str, &str, &str)] = &[
    (
        "corpus/was/finding/recorded-",
        "was/recorded-2020-2023/finding.xsd",
        "recorded 2020-2023 traffic",
    ),
    (
        "corpus/was/finding/handwritten-",
        "was/recorded-2020-2023/finding.xsd",
        "hand-edited from the same recordings",
    ),
    (
        "corpus/was/wasscan/recorded-",
        "was/recorded-2020-2023/scan.xsd",
        "recorded 2020-2023 traffic",
    ),
    (
        "corpus/vm/schedule_scan_list_output/guide-sample-2017-12",
        "vm/guide-2017-12/schedule_scan_list_output.dtd",
        "guide sample of 2017-12",
    ),
    (
        "corpus/vm/option_profile_info/guide-sample-2018-04",
        "vm/guide-2017-12/option_profile_info.dtd",
        "guide sample, partial",
    ),
    // Negative evidence: the 2017-12 sample is newer than the 8.11.2 DTD and must fail on the
    // elements that version does not know (CLOUD_DETAILS, ELB_DNS, AFTER_COMPLETE).
    (
        "corpus/vm/schedule_scan_list_output/guide-sample-2017-12",
        "vm/8.11.2/schedule_scan_list_output.dtd",
        "older DTD: expected to fail",
    ),
    (
        "corpus/was/finding/recorded-2-",
        "was/pre-2.25/finding.xsd",
        "older XSD: may fail",
    ),
];

/// Validate one payload and render its report.
fn check(payload: &Path, schema: &CompiledSchema) -> String {
    let file = std::fs::File::open(payload).expect("payload");
    let name = payload.file_name().unwrap().to_string_lossy().into_owned();
    let doc = DocumentInput {
        display_name: &name,
        path: Some(payload),
    };
    let report = validate(
        std::io::BufReader::new(file),
        &doc,
        Some(schema),
        &qschema_model::FsResolver,
        &Options::default(),
    );
    let mut out = String::new();
    for e in &report.errors {
        out.push_str(&format!(
            "{}:{} {} [{}] {}\n",
            e.line, e.column, e.path, e.rule, e.message
        ));
    }
    if report.errors.is_empty() {
        out.push_str("valid\n");
    }
    if report.aborted {
        out.push_str("(aborted)\n");
    }
    out
}

#[test]
fn corpus_payloads() {
    let Some(shared) = shared() else {
        println!("skipped: ../shared not present");
        return;
    };
    for (prefix, schema_path, why) in CASES {
        let schema = qschema_model::load_file(&schemas().join(schema_path))
            .unwrap_or_else(|e| panic!("{schema_path}: {e}"));
        let compiled = CompiledSchema::compile(schema).expect("compile");
        let full = shared.join(prefix);
        let dir = full.parent().unwrap();
        let stem = full.file_name().unwrap().to_string_lossy().into_owned();
        let mut payloads: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("corpus folder")
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name().unwrap().to_string_lossy().starts_with(&stem)
                    && p.extension().is_some_and(|e| e == "xml")
            })
            .collect();
        payloads.sort();
        assert!(!payloads.is_empty(), "no payloads for {prefix}");
        for p in payloads {
            let out = format!("schema: {schema_path} ({why})\n{}", check(&p, &compiled));
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let version = schema_path.split('/').nth(1).unwrap_or("");
            insta::assert_snapshot!(format!("corpus-{name}-vs-{version}"), out);
        }
    }
}
