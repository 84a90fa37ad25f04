//! The `schema-diff` binary: exit codes 0/1/2 with `--fail-on` and `--audience`, located
//! errors on bad input. One table of runs, one `check()` helper.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(rel)
}

struct Run {
    /// Arguments; `@case/file` is replaced by the fixture path.
    args: &'static [&'static str],
    exit: i32,
    /// Substrings stdout must contain.
    stdout: &'static [&'static str],
    /// Substrings stderr must contain.
    stderr: &'static [&'static str],
}

const RUNS: &[Run] = &[
    // Identical schemas: nothing to report, exit 0.
    Run {
        args: &[
            "@dtd-text-only-changes/old.dtd",
            "@dtd-text-only-changes/new.dtd",
        ],
        exit: 0,
        stdout: &["No changes."],
        stderr: &[],
    },
    // A new optional child: breaking for validating readers (no catalog: both directions).
    Run {
        args: &[
            "@dtd-child-optional-added/old.dtd",
            "@dtd-child-optional-added/new.dtd",
        ],
        exit: 1,
        stdout: &[
            "child-optional-added",
            "validating-reader: **breaking**",
            "no catalog entry",
        ],
        stderr: &[],
    },
    // ... but only info for tolerant readers.
    Run {
        args: &[
            "@dtd-child-optional-added/old.dtd",
            "@dtd-child-optional-added/new.dtd",
            "--audience",
            "tolerant-reader",
        ],
        exit: 0,
        stdout: &["child-optional-added"],
        stderr: &[],
    },
    // ... and only info for request producers.
    Run {
        args: &[
            "@dtd-child-optional-added/old.dtd",
            "@dtd-child-optional-added/new.dtd",
            "--audience",
            "request-producer",
        ],
        exit: 0,
        stdout: &[],
        stderr: &[],
    },
    // Response-only content: request producers never see it.
    Run {
        args: &[
            "@dtd-child-optional-added/old.dtd",
            "@dtd-child-optional-added/new.dtd",
            "--direction",
            "response",
            "--audience",
            "request-producer",
        ],
        exit: 0,
        stdout: &["affect no selected audience"],
        stderr: &[],
    },
    // An enum value added: a warning for tolerant readers.
    Run {
        args: &[
            "@xsd-enumeration/old.xsd",
            "@xsd-enumeration/new.xsd",
            "--direction",
            "response",
            "--audience",
            "tolerant-reader",
        ],
        exit: 0,
        stdout: &["enum-value-added"],
        stderr: &[],
    },
    Run {
        args: &[
            "@xsd-enumeration/old.xsd",
            "@xsd-enumeration/new.xsd",
            "--direction",
            "response",
            "--audience",
            "tolerant-reader",
            "--fail-on",
            "warning",
        ],
        exit: 1,
        stdout: &["enum-value-added"],
        stderr: &[],
    },
    // A value removed in a request: breaking for producers.
    Run {
        args: &[
            "@xsd-enumeration/old.xsd",
            "@xsd-enumeration/new.xsd",
            "--direction",
            "request",
            "--audience",
            "request-producer",
            "--format",
            "json",
        ],
        exit: 1,
        stdout: &[
            "\"format\": \"qschema-schema-diff/1\"",
            "\"rule\": \"enum-value-removed\"",
            "\"request-producer\": \"breaking\"",
        ],
        stderr: &[],
    },
    Run {
        args: &[
            "@xsd-enumeration/old.xsd",
            "@xsd-enumeration/new.xsd",
            "--fail-on",
            "never",
        ],
        exit: 0,
        stdout: &[],
        stderr: &[],
    },
    // Version folders: files paired by name; a file on one side only is a schema added/removed.
    Run {
        args: &["@folders/old", "@folders/new"],
        exit: 1,
        stdout: &[
            "| fresh.xsd | added | 0 | 0 | 1 |",
            "| gone.dtd | removed | 1 | 0 | 0 |",
            "| same.dtd | unchanged | 0 | 0 | 0 |",
            "`schema-removed`",
            "`schema-added`",
        ],
        stderr: &[],
    },
    // Bad input: located diagnostics, exit 2.
    Run {
        args: &["@invalid/broken.dtd", "@dtd-child-optional-added/new.dtd"],
        exit: 2,
        stdout: &[],
        stderr: &["broken.dtd:1:18:", "broken.dtd:3:20:"],
    },
    Run {
        args: &["@xsd-enumeration/old.xsd", "@invalid/unresolved.xsd"],
        exit: 2,
        stdout: &[],
        stderr: &["unresolved.xsd:3:3: type 'Missing' is not defined"],
    },
    Run {
        args: &["@invalid/malformed.xsd", "@xsd-enumeration/new.xsd"],
        exit: 2,
        stdout: &[],
        stderr: &["malformed.xsd:3:1:"],
    },
    Run {
        args: &["@invalid/missing.xsd", "@xsd-enumeration/new.xsd"],
        exit: 2,
        stdout: &[],
        stderr: &["missing.xsd: no such file or folder"],
    },
    Run {
        args: &["@invalid", "@xsd-enumeration/new.xsd"],
        exit: 2,
        stdout: &[],
        stderr: &["must both be schema files or both be version folders"],
    },
    Run {
        args: &[
            "@xsd-enumeration/old.xsd",
            "@xsd-enumeration/new.xsd",
            "--audience",
            "everyone",
        ],
        exit: 2,
        stdout: &[],
        stderr: &["invalid value 'everyone'"],
    },
];

fn check(run: &Run) {
    let args: Vec<String> = run
        .args
        .iter()
        .map(|a| match a.strip_prefix('@') {
            Some(rel) => fixture(rel).to_string_lossy().into_owned(),
            None => a.to_string(),
        })
        .collect();
    let out = Command::new(env!("CARGO_BIN_EXE_schema-diff"))
        .args(&args)
        .output()
        .expect("schema-diff runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    let context = format!(
        "schema-diff {}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        run.args.join(" ")
    );
    assert_eq!(out.status.code(), Some(run.exit), "exit code of {context}");
    for s in run.stdout {
        assert!(stdout.contains(s), "stdout lacks {s:?}: {context}");
    }
    for s in run.stderr {
        assert!(stderr.contains(s), "stderr lacks {s:?}: {context}");
    }
    assert!(!stderr.contains("panicked"), "{context}");
}

#[test]
fn exit_codes_and_errors() {
    for run in RUNS {
        check(run);
    }
}

#[test]
fn version_folders_of_the_project() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let out = Command::new(env!("CARGO_BIN_EXE_schema-diff"))
        .args([schemas.join("vm/pre-8.11.2"), schemas.join("vm/8.11.2")])
        .args(["--audience", "tolerant-reader"])
        .output()
        .expect("schema-diff runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    // New optional response elements do not break tolerant readers.
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("`SCAN/NOTIFICATIONS`"), "{stdout}");
    assert!(
        stdout.contains("catalog roots: SCHEDULE_SCAN_LIST_OUTPUT (response)"),
        "{stdout}"
    );
}

#[test]
fn a_local_copy_is_classified_with_the_catalog_roles_of_its_counterpart() {
    let official =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/was/2019-notes/finding.xsd");
    let text = std::fs::read_to_string(&official).expect("finding.xsd of 2019-notes");
    let optional = r#"<xs:element name="uniqueId" type="uniqueId" minOccurs="0"/>"#;
    assert!(
        text.contains(optional),
        "the 2019-notes finding.xsd declares an optional uniqueId"
    );
    let dir = std::env::temp_dir().join(format!("qschema-diff-local-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let local = dir.join("finding.xsd");
    std::fs::write(
        &local,
        text.replace(optional, r#"<xs:element name="uniqueId" type="uniqueId"/>"#),
    )
    .expect("write the local copy");
    let out = Command::new(env!("CARGO_BIN_EXE_schema-diff"))
        .arg(&official)
        .arg(&local)
        .args(["--format", "json"])
        .output()
        .expect("schema-diff runs");
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON report");
    let schema = &report["schemas"][0];
    assert!(
        schema["directions"]
            .as_str()
            .unwrap_or("")
            .starts_with("catalog roots: ServiceRequest (request)"),
        "{stdout}"
    );
    let changes = schema["changes"].as_array().cloned().unwrap_or_default();
    assert_eq!(changes.len(), 1, "{stdout}");
    assert_eq!(changes[0]["rule"], "child-became-required");
    assert_eq!(changes[0]["path"], "type:Finding/uniqueId");
    assert_eq!(changes[0]["verdicts"]["request-producer"], "breaking");
    assert_eq!(out.status.code(), Some(1));
}
