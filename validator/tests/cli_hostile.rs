//! Hostile and broken input through the binary. Decision (documented in `--help`): a document
//! that is not well-formed, not UTF-8, or hits a security limit is INVALID (exit 1, with a
//! located error); exit 2 is kept for problems of the run itself (unreadable file, no schema).
//! Every case must finish (a hang guard kills runs after two minutes); no timing is asserted.

mod cli_support;

use cli_support::{scratch, validate};

const FINDING_ROOT: &str = "<ServiceResponse xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"https://qualysapi.qualys.com/qps/xsd/3.0/was/finding.xsd\">";

/// Run on `bytes` written to a scratch file; return (exit code, rules of the errors).
fn run_on(name: &str, bytes: &[u8], extra: &[&str]) -> (i32, Vec<String>, serde_json::Value) {
    let dir = scratch(name);
    std::fs::write(dir.join("doc.xml"), bytes).expect("write the hostile document");
    let mut args = vec!["--format", "json"];
    args.extend(extra);
    args.push("doc.xml");
    let run = validate(&args, &dir, None);
    let json = run.json();
    let rules = json["files"][0]["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["rule"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    (run.code, rules, json)
}

#[test]
fn deep_nesting_stops_at_the_depth_limit() {
    let depth = 100_000;
    let mut doc = format!("<?xml version=\"1.0\"?>\n{FINDING_ROOT}\n");
    doc.push_str(&"<data>".repeat(depth));
    doc.push_str(&"</data>".repeat(depth));
    doc.push_str("</ServiceResponse>\n");
    let (code, rules, _) = run_on("deep", doc.as_bytes(), &[]);
    assert_eq!(code, 1);
    assert!(
        rules.contains(&"xml-limit-exceeded".to_string()),
        "{rules:?}"
    );
    let (code, rules, _) = run_on("deep-flag", doc.as_bytes(), &["--max-depth", "8"]);
    assert_eq!(code, 1);
    assert!(
        rules.contains(&"xml-limit-exceeded".to_string()),
        "{rules:?}"
    );
}

#[test]
fn quadratic_blowup_stops_at_the_expansion_byte_limit() {
    let big = "x".repeat(100_000);
    let refs = "&big;".repeat(2_000);
    let doc = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE ServiceResponse [<!ENTITY big \"{big}\">]>\n{FINDING_ROOT}<responseCode>{refs}</responseCode></ServiceResponse>\n"
    );
    let (code, rules, _) = run_on("quadratic", doc.as_bytes(), &[]);
    assert_eq!(code, 1);
    assert!(
        rules.contains(&"xml-limit-exceeded".to_string()),
        "{rules:?}"
    );
}

#[test]
fn entity_expansion_limit_is_a_flag() {
    let doc = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE ServiceResponse [<!ENTITY e \"SUCCESS\">]>\n{FINDING_ROOT}<responseCode>&e;</responseCode><count>0</count></ServiceResponse>\n"
    );
    let (code, rules, _) = run_on("expansions-ok", doc.as_bytes(), &[]);
    assert_eq!(
        (code, rules.len()),
        (0, 0),
        "one expansion is fine: {rules:?}"
    );
    let (code, rules, _) = run_on(
        "expansions-limit",
        doc.as_bytes(),
        &["--max-entity-expansions", "0"],
    );
    assert_eq!(code, 1);
    assert!(
        rules.contains(&"xml-limit-exceeded".to_string()),
        "{rules:?}"
    );
}

/// The messages of the first file's errors.
fn messages(json: &serde_json::Value) -> Vec<String> {
    json["files"][0]["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["message"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn size_limits_are_flags_and_their_messages_name_them() {
    // A 2 MiB text run (over the default 1 MiB attribute limit, under the 8 MiB text limit)
    // and a 1.5 MiB attribute value (over the default attribute limit).
    let text = "x".repeat(2 * 1024 * 1024);
    let doc = format!(
        "<?xml version=\"1.0\"?>\n{FINDING_ROOT}<responseCode>SUCCESS</responseCode><count>0</count><!--{text}--></ServiceResponse>\n"
    );
    let (code, rules, _) = run_on("text-default", doc.as_bytes(), &[]);
    assert_eq!((code, rules.len()), (0, 0), "under the defaults: {rules:?}");
    let (code, rules, json) = run_on(
        "text-lowered",
        doc.as_bytes(),
        &["--max-text-bytes", "1000", "--max-attribute-bytes", "1000"],
    );
    assert_eq!(code, 1);
    assert_eq!(rules, ["xml-limit-exceeded"]);
    let m = messages(&json);
    assert!(
        m[0].contains("(--max-attribute-bytes / --max-text-bytes)"),
        "{m:?}"
    );

    let value = "v".repeat(1536 * 1024);
    let doc = format!(
        "<?xml version=\"1.0\"?>\n<ServiceResponse xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" note=\"{value}\" xsi:noNamespaceSchemaLocation=\"https://qualysapi.qualys.com/qps/xsd/3.0/was/finding.xsd\"><responseCode>SUCCESS</responseCode></ServiceResponse>\n"
    );
    let (code, rules, json) = run_on("attribute-default", doc.as_bytes(), &[]);
    assert_eq!(code, 1);
    assert_eq!(rules, ["xml-limit-exceeded"]);
    let m = messages(&json);
    assert!(m[0].contains("(--max-attribute-bytes)"), "{m:?}");
    // Raised, the value is read and the document checked on: `note` is not declared.
    let (code, rules, _) = run_on(
        "attribute-raised",
        doc.as_bytes(),
        &["--max-attribute-bytes", "2000000"],
    );
    assert_eq!(code, 1);
    assert!(
        !rules.is_empty() && !rules.contains(&"xml-limit-exceeded".to_string()),
        "{rules:?}"
    );

    // Simple content past --max-text-bytes: named, and its value is not checked.
    let doc = format!(
        "<?xml version=\"1.0\"?>\n{FINDING_ROOT}<responseCode>{}</responseCode></ServiceResponse>\n",
        "S".repeat(5000)
    );
    let (code, rules, json) = run_on(
        "content-lowered",
        doc.as_bytes(),
        &["--max-text-bytes", "4000"],
    );
    assert_eq!(code, 1);
    assert!(
        rules.contains(&"xml-limit-exceeded".to_string()),
        "{rules:?}"
    );
    let m = messages(&json);
    assert!(m.iter().any(|m| m.contains("(--max-text-bytes)")), "{m:?}");
}

#[test]
fn broken_bytes_are_located_errors_not_crashes() {
    let cases: [(&str, Vec<u8>, &[&str]); 7] = [
        ("empty", Vec::new(), &["xml-not-well-formed"]),
        // The root start tag is beyond what prolog sniffing reads: still a located error.
        (
            "huge-attribute",
            format!("<?xml version=\"1.0\"?>\n<a x=\"{}\"/>\n", "y".repeat(1_100_000)).into_bytes(),
            &["xml-limit-exceeded"],
        ),
        ("truncated", format!("<?xml version=\"1.0\"?>\n{FINDING_ROOT}<responseCode>SUCC").into_bytes(), &["xml-not-well-formed"]),
        // Either answer is right for bytes 00..FF: control characters and invalid UTF-8.
        ("garbage", (0u8..=255).cycle().take(4096).collect(), &["xml-not-well-formed", "xml-encoding"]),
        // UTF-16 is decoded (engine::decode); declaring it in an 8-bit document is an error.
        ("utf16-declared-not-utf16", b"<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>".to_vec(), &["xml-encoding"]),
        ("nul", format!("<?xml version=\"1.0\"?>\n{FINDING_ROOT}<responseCode>A\u{0}B</responseCode></ServiceResponse>").into_bytes(), &["xml-not-well-formed"]),
        ("unknown-encoding", b"<?xml version=\"1.0\" encoding=\"x-klingon\"?>\n<a>\xe9</a>".to_vec(), &["xml-encoding"]),
    ];
    for (name, bytes, acceptable) in cases {
        let (code, rules, json) = run_on(name, &bytes, &[]);
        assert_eq!(code, 1, "{name}: {json}");
        assert!(
            rules.iter().any(|r| acceptable.contains(&r.as_str())),
            "{name}: expected one of {acceptable:?}, got {rules:?}"
        );
        let first = &json["files"][0]["errors"][0];
        assert!(
            first["line"].as_u64().is_some_and(|l| l >= 1),
            "{name}: no line: {first}"
        );
    }
}

#[test]
fn many_files_in_parallel_keep_their_order() {
    let dir = scratch("many");
    let ok = format!("<?xml version=\"1.0\"?>\n{FINDING_ROOT}<responseCode>SUCCESS</responseCode><count>0</count></ServiceResponse>\n");
    let bad = format!("<?xml version=\"1.0\"?>\n{FINDING_ROOT}<responseCode>SUCCESS</responseCode><count>x</count></ServiceResponse>\n");
    for i in 0..200 {
        let text = if i % 7 == 0 { &bad } else { &ok };
        std::fs::write(dir.join(format!("f{i:03}.xml")), text).expect("write");
    }
    let run = validate(&["--format", "json", "."], &dir, None);
    let json = run.json();
    let files = json["files"].as_array().expect("files");
    assert_eq!(files.len(), 200);
    for (i, f) in files.iter().enumerate() {
        assert_eq!(f["path"], format!("./f{i:03}.xml"));
        assert_eq!(f["valid"], i % 7 != 0, "{}", f["path"]);
    }
    assert_eq!(run.code, 1);
}
