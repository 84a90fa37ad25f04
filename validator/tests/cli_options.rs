//! Options of the `validate` binary: output formats, stdin, directory recursion, version
//! selection and drift (`--all-versions`), `--quiet`, `--max-errors`, `--schema` (file and
//! URL), running from anywhere, and exit code 2 for usage, I/O and schema errors.

mod cli_support;

use std::path::Path;

use cli_support::{payloads_dir, repo_root, scratch, validate, Run};

fn in_payloads(args: &[&str]) -> Run {
    validate(args, &payloads_dir(), None)
}

const MIXED: [&str; 3] = [
    "seed-003-count-finding-response.xml",
    "own-finding-bad-uniqueid-response.xml",
    "seed-000-search-wasscan-response.xml",
];

#[test]
fn every_output_format_on_valid_and_invalid_files() {
    for format in ["human", "json", "github", "junit"] {
        let mut args = vec!["--format", format];
        args.extend(MIXED);
        let run = in_payloads(&args);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        insta::assert_snapshot!(format!("mixed.{format}"), run.stdout);
    }
}

#[test]
fn a_file_that_cannot_be_checked_makes_the_run_exit_2() {
    let mut args = vec!["--format", "json"];
    args.extend(MIXED);
    args.push("own-no-schema.xml");
    let run = in_payloads(&args);
    assert_eq!(run.code, 2);
    let json = run.json();
    assert_eq!(json["summary"]["files"], 4);
    assert_eq!(json["summary"]["valid"], 1);
    assert_eq!(json["summary"]["invalid"], 2);
    assert_eq!(json["summary"]["failed"], 1);
    assert_eq!(json["files"][3]["failure"]["kind"], "no-schema");
    let junit = in_payloads(&["--format", "junit", "own-no-schema.xml", MIXED[0]]);
    insta::assert_snapshot!("failure.junit", junit.stdout);
    let github = in_payloads(&["--format", "github", "own-no-schema.xml"]);
    insta::assert_snapshot!("failure.github", github.stdout);
}

#[test]
fn stdin_is_read_with_dash_and_gets_the_same_errors() {
    let file = "seed-000-search-wasscan-response.xml";
    let bytes = std::fs::read(payloads_dir().join(file)).expect("fixture");
    let from_stdin = validate(
        &["--format", "json", "--version", "2.25", "-"],
        &payloads_dir(),
        Some(&bytes),
    );
    let from_file = in_payloads(&["--format", "json", "--version", "2.25", file]);
    assert_eq!(from_stdin.code, 1);
    let a = from_stdin.json();
    let b = from_file.json();
    assert_eq!(a["files"][0]["path"], "<stdin>");
    assert_eq!(a["files"][0]["errors"], b["files"][0]["errors"]);
    let human = validate(&["--version", "2.25", "-"], &payloads_dir(), Some(&bytes));
    insta::assert_snapshot!("stdin.human", human.stdout);
}

/// The `path` of each file in a JSON report, in output order.
fn file_paths(json: &serde_json::Value) -> Vec<&str> {
    json["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect()
}

#[test]
fn directories_are_searched_recursively_for_xml_in_sorted_order() {
    let dir = scratch("recursion");
    let src = payloads_dir();
    let copies = [
        ("b/z.xml", "seed-003-count-finding-response.xml"),
        (
            "a/deep/er/y.XML",
            "seed-003-update-optionprofile-response.xml",
        ),
        ("a/x.xml", "own-finding-bad-uniqueid-response.xml"),
        ("a/notes.txt", "seed-003-count-finding-response.xml"),
        ("c.xml", "seed-003-count-finding-response.xml"),
    ];
    for (to, from) in copies {
        let to = dir.join(to);
        std::fs::create_dir_all(to.parent().expect("has a parent")).expect("mkdir");
        std::fs::copy(src.join(from), &to).expect("copy");
    }
    std::fs::create_dir_all(dir.join("empty")).expect("mkdir");
    let run = validate(&["--format", "json", "a", "b", "c.xml"], &dir, None);
    let json = run.json();
    let paths = file_paths(&json);
    assert_eq!(paths, ["a/deep/er/y.XML", "a/x.xml", "b/z.xml", "c.xml"]);
    assert_eq!(run.code, 1, "a/x.xml is invalid");
    let empty = validate(&["--format", "json", "empty"], &dir, None);
    assert_eq!(empty.code, 2, "a folder without *.xml is an input error");
    assert_eq!(empty.json()["files"][0]["failure"]["kind"], "io-error");
}

#[cfg(unix)]
#[test]
fn symlinked_files_are_followed_and_symlinked_directories_are_not() {
    use std::os::unix::fs::symlink;
    let dir = scratch("symlinks");
    let src = payloads_dir();
    std::fs::create_dir_all(dir.join("real/inner")).expect("mkdir");
    std::fs::create_dir_all(dir.join("top/named.xml")).expect("mkdir");
    let file = "seed-003-count-finding-response.xml";
    std::fs::copy(src.join(file), dir.join("real/inner/a.xml")).expect("copy");
    std::fs::copy(src.join(file), dir.join("top/named.xml/b.xml")).expect("copy");
    symlink(dir.join("real/inner/a.xml"), dir.join("top/link.xml")).expect("symlink");
    symlink(dir.join("real/inner"), dir.join("top/linked-dir")).expect("symlink");
    symlink(dir.join("real/missing.xml"), dir.join("top/dangling.xml")).expect("symlink");
    symlink(dir.join("real/inner"), dir.join("top/dir-link.xml")).expect("symlink");
    let run = validate(&["--format", "json", "top"], &dir, None);
    let json = run.json();
    let paths = file_paths(&json);
    // A folder named *.xml is searched; links to folders (whatever their name) are skipped; a
    // link to nothing is reported as not checked (never silently dropped).
    assert_eq!(
        paths,
        ["top/dangling.xml", "top/link.xml", "top/named.xml/b.xml"]
    );
    assert_eq!(json["files"][0]["failure"]["kind"], "io-error");
    assert_eq!(run.code, 2);
}

#[cfg(target_os = "linux")]
#[test]
fn pipes_and_fifos_are_read_once() {
    let file = "seed-003-count-finding-response.xml";
    let bytes = std::fs::read(payloads_dir().join(file)).expect("fixture");
    // `/dev/stdin` is a pipe here: sniffing the prolog must not consume what validation reads.
    let piped = validate(
        &["--format", "json", "/dev/stdin"],
        &payloads_dir(),
        Some(&bytes),
    );
    assert_eq!(piped.code, 0, "{}", piped.stdout);
    let dir = scratch("fifo-in-directory");
    let fifo = dir.join("fifo.xml");
    let _ = std::fs::remove_file(&fifo);
    match std::process::Command::new("mkfifo").arg(&fifo).status() {
        Ok(s) if s.success() => {}
        _ => {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
    }
    // In a directory, a FIFO is reported, not read (nobody may ever write to it).
    let run = validate(&["--format", "json", "."], &dir, None);
    assert_eq!(file_paths(&run.json()), ["./fifo.xml"]);
    assert_eq!(run.json()["files"][0]["failure"]["kind"], "io-error");
    assert_eq!(run.code, 2);
}

#[test]
fn file_names_with_line_breaks_and_controls_keep_every_format_readable() {
    let dir = scratch("odd-names");
    let name = "bad\nname\u{1b}[2J\u{202e}.xml";
    let bytes = std::fs::read(payloads_dir().join(MIXED[1])).expect("fixture");
    std::fs::write(dir.join(name), bytes).expect("write");

    // JUnit: well-formed, and the attribute gives the name back (ESC, which XML 1.0 cannot
    // carry, as U+FFFD).
    let junit = validate(&["--format", "junit", name], &dir, None);
    assert_eq!(junit.code, 1);
    let doc = roxmltree::Document::parse(&junit.stdout)
        .unwrap_or_else(|e| panic!("JUnit output is not XML ({e}):\n{}", junit.stdout));
    let case = doc
        .descendants()
        .find(|n| n.has_tag_name("testcase"))
        .expect("a testcase");
    assert_eq!(
        case.attribute("name"),
        Some(name.replace('\u{1b}', "\u{fffd}").as_str())
    );

    // Human and GitHub: one line per location, nothing that acts on a terminal.
    for (format, shown) in [
        ("human", "bad\\u{a}name\\u{1b}[2J\\u{202e}.xml"),
        ("github", "bad%0Aname\\u{1b}[2J\\u{202e}.xml"),
    ] {
        let run = validate(&["--format", format, name], &dir, None);
        assert_eq!(run.code, 1);
        assert!(
            !run.stdout.contains('\u{1b}') && !run.stdout.contains('\u{202e}'),
            "{format}: {}",
            run.stdout
        );
        assert!(run.stdout.contains(shown), "{format}: {}", run.stdout);
    }
}

#[test]
fn all_versions_reports_which_versions_accept_each_file() {
    let files = [
        "own-schedule-full-notifications.xml",
        "seed-003-get-finding-response.xml",
        "seed-000-search-wasscan-response.xml",
    ];
    let mut args = vec!["--format", "json", "--all-versions"];
    args.extend(files);
    let run = in_payloads(&args);
    let json = run.json();
    let accepted = |i: usize| -> Vec<String> {
        json["files"][i]["versions"]
            .as_array()
            .expect("versions")
            .iter()
            .filter(|v| v["valid"] == true)
            .filter_map(|v| v["version"].as_str().map(str::to_string))
            .collect()
    };
    assert_eq!(accepted(0), ["8.11.2"], "AFTER_COMPLETES is 8.11.2-only");
    assert_eq!(
        accepted(1),
        ["2019-notes", "recorded-2020-2023"],
        "uniqueId exists from the 2019 notes on"
    );
    assert!(accepted(2).is_empty(), "`>false` is never a boolean");
    assert_eq!(run.code, 1, "one file is accepted by no version");
    let mut human_args = vec!["--all-versions"];
    human_args.extend(files);
    insta::assert_snapshot!("all-versions.human", in_payloads(&human_args).stdout);
}

#[test]
fn quiet_prints_nothing_on_success_and_only_the_summary_otherwise() {
    let ok = in_payloads(&["--quiet", MIXED[0]]);
    assert_eq!((ok.code, ok.stdout.as_str()), (0, ""));
    let bad = in_payloads(&["-q", MIXED[0], MIXED[1]]);
    assert_eq!(bad.code, 1);
    assert_eq!(bad.stdout, "2 files: 1 valid, 1 invalid, 1 error\n");
}

#[test]
fn max_errors_caps_errors_per_file() {
    let dir = scratch("max-errors");
    let mut doc = String::from(
        "<?xml version=\"1.0\"?>\n<ServiceResponse xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"https://qualysapi.qualys.com/qps/xsd/3.0/was/finding.xsd\">\n<responseCode>SUCCESS</responseCode>\n<count>50</count>\n<data>\n",
    );
    for i in 0..50 {
        doc.push_str(&format!(
            "<Finding><id>{i}</id><uniqueId>NOT-A-UUID-{i}</uniqueId></Finding>\n"
        ));
    }
    doc.push_str("</data>\n</ServiceResponse>\n");
    std::fs::write(dir.join("many.xml"), doc).expect("write");
    let run = validate(
        &["--format", "json", "--max-errors", "3", "many.xml"],
        &dir,
        None,
    );
    let json = run.json();
    assert_eq!(json["files"][0]["errors"].as_array().map(Vec::len), Some(3));
    assert_eq!(json["files"][0]["truncated"], true);
    assert_eq!(json["summary"]["errors"], 3);
    assert_eq!(json["summary"]["truncated"], 1);
    let all = validate(
        &["--format", "json", "--max-errors", "0", "many.xml"],
        &dir,
        None,
    );
    assert_eq!(
        all.json()["files"][0]["errors"].as_array().map(Vec::len),
        Some(50)
    );
    let human = validate(&["--max-errors", "1", "many.xml"], &dir, None);
    assert!(
        human
            .stdout
            .contains("more errors were found than shown (--max-errors 1)"),
        "{}",
        human.stdout
    );
    assert!(
        human
            .stdout
            .contains("1 file: 0 valid, 1 invalid, 1 error shown (1 file has more: --max-errors)"),
        "{}",
        human.stdout
    );
    let uncut = validate(&["--max-errors", "0", "many.xml"], &dir, None);
    assert!(
        uncut
            .stdout
            .ends_with("1 file: 0 valid, 1 invalid, 50 errors\n"),
        "{}",
        uncut.stdout
    );
}

#[test]
fn schema_may_be_given_as_a_catalog_url() {
    let run = in_payloads(&[
        "--format",
        "json",
        "--schema",
        "https://qualysapi.qualys.com/qps/xsd/3.0/was/finding.xsd",
        "--version",
        "2019-notes",
        "seed-003-search-finding-uniqueid-request.xml",
    ]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json()["files"][0]["version"], "2019-notes");
}

#[test]
fn the_binary_needs_no_file_besides_itself_and_runs_from_anywhere() {
    let dir = scratch("standalone");
    let exe = dir.join("validate-copy");
    std::fs::copy(env!("CARGO_BIN_EXE_validate"), &exe).expect("copy the binary");
    std::fs::copy(
        payloads_dir().join("seed-003-get-finding-response.xml"),
        dir.join("doc.xml"),
    )
    .expect("copy a payload");
    // Other test threads fork while the copy is being written; until their children exec,
    // they hold the file open for writing and running it fails with ETXTBSY: retry.
    let mut attempts = 0;
    let out = loop {
        match std::process::Command::new(&exe)
            .args(["--format", "json", "doc.xml"])
            .current_dir(&dir)
            .output()
        {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && attempts < 100 => {
                attempts += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => break other.expect("the copy runs"),
        }
    };
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let root = repo_root();
    let from_elsewhere = validate(
        &[root
            .join("tests/fixtures/payloads/seed-003-count-finding-response.xml")
            .to_str()
            .expect("utf-8 path")],
        Path::new("/"),
        None,
    );
    assert_eq!(from_elsewhere.code, 0, "{}", from_elsewhere.stdout);
}

#[test]
fn usage_errors_exit_2_with_a_message() {
    let cases: [&[&str]; 7] = [
        &["--no-such-flag", "x.xml"],
        &[],
        &["--format", "yaml", "x.xml"],
        &["--endpoint", "/api/2.0/fo/scan/", "x.xml"],
        &[
            "--schema",
            "custom/inventory.xsd",
            "--version",
            "2.25",
            "x.xml",
        ],
        &["--all-versions", "--version", "2.25", "x.xml"],
        &["--rules-only", "--schema", "custom/inventory.xsd", "x.xml"],
    ];
    for args in cases {
        let run = in_payloads(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(!run.stderr.trim().is_empty(), "{args:?}: no message");
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
}

#[test]
fn io_and_schema_errors_exit_2_per_file() {
    let dir = scratch("schema-errors");
    std::fs::write(dir.join("broken.xsd"), "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element name=\"a\" type=\"nope\"/></xs:schema>").expect("write");
    // Loads, but violates Unique Particle Attribution: `a{1,2} a?` cannot tell which particle a
    // second <a> is (libxml2 2.9.14 misses this one; it refuses the plainer `a? a`).
    std::fs::write(
        dir.join("ambiguous.xsd"),
        "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element name=\"INVENTORY\"><xs:complexType><xs:sequence><xs:element name=\"a\" maxOccurs=\"2\"/><xs:element name=\"a\" minOccurs=\"0\"/></xs:sequence></xs:complexType></xs:element></xs:schema>",
    )
    .expect("write");
    // Declares US-ASCII but has a byte above 0x7F on line 2.
    std::fs::write(
        dir.join("misencoded.xsd"),
        b"<?xml version=\"1.0\" encoding=\"US-ASCII\"?>\n<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><!-- caf\xe9 --></xs:schema>\n",
    )
    .expect("write");
    std::fs::copy(
        payloads_dir().join("custom/inventory-xsd-valid.xml"),
        dir.join("doc.xml"),
    )
    .expect("copy");
    let cases: [(&[&str], &str); 6] = [
        (&["missing.xml"], "io-error"),
        (&["--schema", "nowhere.xsd", "doc.xml"], "schema-error"),
        (&["--schema", "broken.xsd", "doc.xml"], "schema-error"),
        (&["--schema", "ambiguous.xsd", "doc.xml"], "schema-error"),
        (&["--schema", "misencoded.xsd", "doc.xml"], "schema-error"),
        (
            &["--schema", "https://example.com/x.xsd", "doc.xml"],
            "unknown-schema",
        ),
    ];
    for (args, kind) in cases {
        let mut full = vec!["--format", "json"];
        full.extend(args);
        let run = validate(&full, &dir, None);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stdout);
        assert_eq!(run.json()["files"][0]["failure"]["kind"], kind, "{args:?}");
    }
    // A schema file that cannot be decoded: the file, and where in it.
    let run = validate(
        &["--format", "json", "--schema", "misencoded.xsd", "doc.xml"],
        &dir,
        None,
    );
    let message = run.json()["files"][0]["failure"]["message"].to_string();
    assert!(
        message.contains("misencoded.xsd")
            && message.contains("line 2, column 64")
            && message.contains("US-ASCII"),
        "{message}"
    );
    let rules_version = in_payloads(&[
        "--format",
        "json",
        "--rules-only",
        "--version",
        "9.9",
        MIXED[0],
    ]);
    assert_eq!(rules_version.code, 2);
    assert_eq!(
        rules_version.json()["files"][0]["failure"]["kind"],
        "schema-error"
    );
    let version = in_payloads(&["--format", "json", "--version", "9.9", MIXED[0]]);
    assert_eq!(version.code, 2);
    assert_eq!(
        version.json()["files"][0]["failure"]["kind"],
        "schema-error"
    );
    insta::assert_snapshot!(
        "missing-file.human",
        validate(&["missing.xml"], &dir, None).stdout
    );
}

#[test]
fn help_documents_the_exit_codes_and_rules_are_listed() {
    let help = in_payloads(&["--help"]);
    assert_eq!(help.code, 0);
    for needle in [
        "Exit status:",
        "  0  every document is valid",
        "  1  at least one",
        "  2  usage error",
    ] {
        assert!(help.stdout.contains(needle), "--help lacks {needle:?}");
    }
    let rules = in_payloads(&["--list-rules"]);
    assert_eq!(rules.code, 0);
    insta::assert_snapshot!("list-rules", rules.stdout);
    let schemas = in_payloads(&["--list-schemas"]);
    assert_eq!(schemas.code, 0);
    insta::assert_snapshot!("list-schemas", schemas.stdout);
}
