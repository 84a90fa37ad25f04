//! A document split across threads (`--jobs N`, records validated at once) gets exactly the
//! report one thread makes: the same errors, lines, columns and paths, the same exit code.
//! Each case runs with 1 thread and with 2, 3, 5 and 8, at the smallest split size, so the
//! parts start at many different records; the valid cases must really be split (the engine's
//! `QSCHEMA_TRACE_SPLIT` trace says a part was joined).

mod cli_support;

/// The repository's finding schema, by version.
const FINDING: &[&str] = &["--version", "recorded-2020-2023"];
/// The schedule list DTD, by version.
const SCHEDULES: &[&str] = &["--version", "8.11.2"];

/// Records in each generated document.
const RECORDS: usize = 400;

/// One run, with the split traced: exit code, stdout, stderr.
fn run(args: &[&str], file: &std::path::Path) -> (i32, String, String) {
    let dir = file.parent().expect("the document's folder");
    let mut args = args.to_vec();
    args.push(file.to_str().expect("a UTF-8 path"));
    let run = cli_support::validate_with_env(&args, dir, None, &[("QSCHEMA_TRACE_SPLIT", "1")]);
    (run.code, run.stdout, run.stderr)
}

/// Write `doc`, validate it with one thread and with several, and compare. `joins`: whether
/// some split run must have joined a part (`None`: either way). The split runs' traces.
fn check(name: &str, schema: &[&str], extra: &[&str], doc: &[u8], joins: Option<bool>) -> String {
    let dir = cli_support::scratch(&format!("split-{name}"));
    let file = dir.join(format!("{name}.xml"));
    std::fs::write(&file, doc).expect("document written");
    let base: Vec<&str> = ["--format", "json", "--split-min-bytes", "2048"]
        .into_iter()
        .chain(schema.iter().copied())
        .chain(extra.iter().copied())
        .collect();
    let with = |jobs: &str| {
        let mut args = base.clone();
        args.extend(["--jobs", jobs]);
        run(&args, &file)
    };
    let (code, single, _) = with("1");
    assert!(code == 0 || code == 1, "{name}: exit {code}\n{single}");
    let mut traces = String::new();
    for jobs in ["2", "3", "5", "8"] {
        let (split_code, split, trace) = with(jobs);
        assert_eq!(
            split_code, code,
            "{name}, {jobs} threads: exit code\n{trace}"
        );
        assert_eq!(split, single, "{name}, {jobs} threads: report\n{trace}");
        traces.push_str(&trace);
    }
    if let Some(joins) = joins {
        assert_eq!(
            traces.contains("joined"),
            joins,
            "{name}: a part was joined\n{traces}"
        );
    }
    traces
}

/// One finding record; `body` goes before its end tag.
fn finding(i: usize, body: &str) -> String {
    format!(
        "    <Finding>\n      <id>{i}</id>\n      <uniqueId>8a2c4d51-6d28-2b92-e053-{i:012}</uniqueId>\n      <qid>150004</qid>\n      <name><![CDATA[Path-Based Vulnerabilit\u{e9} {i}]]></name>\n      <type>VULNERABILITY</type>\n{body}      <isIgnored>false</isIgnored>\n    </Finding>\n"
    )
}

/// `head`, `RECORDS` records (record `i` made by `record(i)`), `tail`.
fn document(head: &str, record: impl Fn(usize) -> String, tail: &str) -> String {
    let records: String = (1..=RECORDS).map(record).collect();
    format!("{head}{records}{tail}")
}

/// A finding response whose records are made by `record(i)`.
fn findings(record: impl Fn(usize) -> String) -> String {
    let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ServiceResponse xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"https://qualysapi.qualys.com/qps/xsd/3.0/was/finding.xsd\">\n  <responseCode>SUCCESS</responseCode>\n  <count>400</count>\n  <hasMoreRecords>false</hasMoreRecords>\n  <data>\n";
    document(head, record, "  </data>\n</ServiceResponse>\n")
}

/// One scan of the schedule list; `extra` goes after its ID.
fn scan(i: usize, extra: &str) -> String {
    format!(
        "      <SCAN>\n        <ID>{i}</ID>\n{extra}        <ACTIVE>1</ACTIVE>\n        <TITLE><![CDATA[Schedule {i}]]></TITLE>\n        <USER_LOGIN>acme_ac</USER_LOGIN>\n        <TARGET><![CDATA[10.10.10.2-10.10.10.30]]></TARGET>\n        <NETWORK_ID><![CDATA[0]]></NETWORK_ID>\n        <ISCANNER_NAME><![CDATA[External Scanner]]></ISCANNER_NAME>\n        <USER_ENTERED_IPS>\n          <RANGE>\n            <START>10.10.10.2</START>\n            <END>10.10.10.30</END>\n          </RANGE>\n        </USER_ENTERED_IPS>\n        <OPTION_PROFILE>\n          <TITLE><![CDATA[Authenticated Scan v.1]]></TITLE>\n          <DEFAULT_FLAG>0</DEFAULT_FLAG>\n        </OPTION_PROFILE>\n        <SCHEDULE>\n          <MONTHLY frequency_months=\"1\" day_of_month=\"12\"></MONTHLY>\n          <START_DATE_UTC>2017-10-12T18:10:00Z</START_DATE_UTC>\n          <START_HOUR>13</START_HOUR>\n          <START_MINUTE>10</START_MINUTE>\n          <TIME_ZONE>\n            <TIME_ZONE_CODE>BR-AM1</TIME_ZONE_CODE>\n            <TIME_ZONE_DETAILS>(GMT-0500) Brazil: America/Manaus</TIME_ZONE_DETAILS>\n          </TIME_ZONE>\n          <DST_SELECTED>0</DST_SELECTED>\n        </SCHEDULE>\n      </SCAN>\n"
    )
}

/// A schedule list whose scans are made by `record(i)`.
fn schedules(record: impl Fn(usize) -> String) -> String {
    let head = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<!DOCTYPE SCHEDULE_SCAN_LIST_OUTPUT SYSTEM \"https://qualysapi.qualys.com/api/2.0/fo/schedule/scan/schedule_scan_list_output.dtd\">\n<SCHEDULE_SCAN_LIST_OUTPUT>\n  <RESPONSE>\n    <DATETIME>2017-10-13T08:33:04Z</DATETIME>\n    <SCHEDULE_SCAN_LIST>\n";
    let tail = "    </SCHEDULE_SCAN_LIST>\n  </RESPONSE>\n</SCHEDULE_SCAN_LIST_OUTPUT>\n";
    document(head, record, tail)
}

/// Every 37th record (so errors fall before and after the parts' starts).
fn sparse(i: usize) -> bool {
    i % 37 == 5
}

/// `extra` in every 37th record ([`sparse`]), nothing in the others.
fn sometimes(i: usize, extra: &'static str) -> &'static str {
    if sparse(i) {
        extra
    } else {
        ""
    }
}

#[test]
fn valid_documents_are_split_and_stay_valid() {
    check(
        "valid-xsd",
        FINDING,
        &[],
        findings(|i| finding(i, "")).as_bytes(),
        Some(true),
    );
    check(
        "valid-dtd",
        SCHEDULES,
        &[],
        schedules(|i| scan(i, "")).as_bytes(),
        Some(true),
    );
}

#[test]
fn schema_errors_keep_their_lines_and_paths() {
    let bad_long = findings(|i| finding(i, sometimes(i, "      <qid>x</qid>\n")));
    check("bad-value", FINDING, &[], bad_long.as_bytes(), Some(true));
    let undeclared = findings(|i| finding(i, sometimes(i, "      <unknown/>\n")));
    check(
        "undeclared",
        FINDING,
        &[],
        undeclared.as_bytes(),
        Some(true),
    );
    let dtd = schedules(|i| scan(i, sometimes(i, "        <ID>2</ID>\n")));
    check("dtd-content", SCHEDULES, &[], dtd.as_bytes(), Some(true));
    let capped = findings(|i| {
        finding(
            i,
            if i % 3 == 0 {
                "      <qid>x</qid>\n"
            } else {
                ""
            },
        )
    });
    check(
        "max-errors",
        FINDING,
        &["--max-errors", "40"],
        capped.as_bytes(),
        Some(true),
    );
}

#[test]
fn qualys_rule_findings_keep_their_paths() {
    let upper = findings(|i| {
        let record = finding(i, "");
        if sparse(i) {
            record.replace("8a2c4d51-6d28-2b92-e053", "8A2C4D51-6D28-2B92-E053")
        } else {
            record
        }
    });
    check("rules", FINDING, &[], upper.as_bytes(), Some(true));
}

#[test]
fn end_tags_that_are_not_boundaries_are_not_joined_at() {
    // Every record's end tag also appears in a comment and in a CDATA section before it: a
    // part that starts there starts in the wrong state and is never used.
    let decoys = findings(|i| {
        let body =
            format!("      <!-- </Finding> -->\n      <name><![CDATA[</Finding>{i}]]></name>\n");
        finding(i, &body)
    });
    let traces = check("decoys", FINDING, &[], decoys.as_bytes(), None);
    assert!(
        traces.contains("not after an end tag of this pass"),
        "{traces}"
    );
}

#[test]
fn line_ends_and_long_lines_are_counted_as_one_thread_counts_them() {
    let bad = findings(|i| finding(i, sometimes(i, "      <qid>x</qid>\n")));
    check(
        "crlf",
        FINDING,
        &[],
        bad.replace('\n', "\r\n").as_bytes(),
        Some(true),
    );
    check(
        "cr",
        FINDING,
        &[],
        bad.replace('\n', "\r").as_bytes(),
        Some(true),
    );
    check(
        "one-line",
        FINDING,
        &[],
        bad.replace('\n', "").as_bytes(),
        Some(true),
    );
    let bom = [b"\xEF\xBB\xBF".as_slice(), bad.replace('\n', "").as_bytes()].concat();
    check("bom-one-line", FINDING, &[], &bom, Some(true));
}

#[test]
fn fatal_errors_late_in_the_document_stop_it_as_one_thread_does() {
    let unclosed = findings(|i| finding(i, if i == 350 { "      <qid>1\n" } else { "" }));
    check(
        "not-well-formed",
        FINDING,
        &[],
        unclosed.as_bytes(),
        Some(true),
    );
    let mut bytes = findings(|i| finding(i, "")).into_bytes();
    let at = bytes.len() * 7 / 8;
    let at = at + bytes[at..].iter().position(|&b| b == b'>').unwrap_or(0) + 1;
    bytes.insert(at, 0xFF);
    check("bad-utf8", FINDING, &[], &bytes, Some(true));
    let text = findings(|i| {
        if sparse(i) {
            format!("junk{}", finding(i, ""))
        } else {
            finding(i, "")
        }
    });
    check(
        "text-between-records",
        FINDING,
        &[],
        text.as_bytes(),
        Some(true),
    );
}

/// A `<list>` of 2,000 items, item `i` made by `item(i)`.
fn item_list(item: impl Fn(usize) -> String) -> String {
    let items: String = (1..=2000).map(item).collect();
    format!("<?xml version=\"1.0\"?>\n<list>\n{items}</list>\n")
}

/// Items with an ID from item `from` on (`i{i}`, items before have text and no ID); item
/// `forward.0` also refers to item `forward.1`, item `dangling` to an ID no item has, and item
/// `duplicate.0` has the ID of item `duplicate.1` instead of its own.
fn items_with_ids(
    from: usize,
    forward: (usize, usize),
    dangling: usize,
    duplicate: (usize, usize),
) -> impl Fn(usize) -> String {
    move |i| {
        if i < from {
            format!("  <item>text {i}</item>\n")
        } else if i == forward.0 {
            format!("  <item id=\"i{i}\" ref=\"i{}\">text</item>\n", forward.1)
        } else if i == dangling {
            format!("  <item id=\"i{i}\" ref=\"i5\">text</item>\n")
        } else if i == duplicate.0 {
            format!("  <item id=\"i{}\">text</item>\n", duplicate.1)
        } else {
            format!("  <item id=\"i{i}\">text</item>\n")
        }
    }
}

#[test]
fn ids_across_parts_are_checked_by_one_thread() {
    // The DTD declares ID and IDREF attributes: they span the parts, so no part with one is
    // joined, and a duplicate ID or a dangling IDREF far from the ID is still found.
    let dir = cli_support::scratch("split-ids-dtd");
    let dtd = dir.join("list.dtd");
    let declarations = "<!ELEMENT list (item*)>\n<!ELEMENT item (#PCDATA)>\n<!ATTLIST item id ID #IMPLIED ref IDREF #IMPLIED>\n";
    std::fs::write(&dtd, declarations).expect("DTD written");
    let dtd = dtd.to_string_lossy().into_owned();
    let schema = ["--schema", dtd.as_str()];
    // IDs only in the second half (the first part is split before any): a duplicate far from
    // the first, a reference forward and one to nothing.
    let with_ids = item_list(items_with_ids(1001, (1200, 1800), 1300, (1900, 1500)));
    // The pass before a part with IDs has seen IDs itself: not in the snapshot's state.
    let traces = check("ids", &schema, &[], with_ids.as_bytes(), None);
    assert!(traces.contains("not in the snapshot's state"), "{traces}");
    let plain = item_list(items_with_ids(usize::MAX, (0, 0), 0, (0, 0)));
    check("no-ids", &schema, &[], plain.as_bytes(), Some(true));
    // IDs only in the last 2% of the items: inside the last part (kept for a worker: the pass
    // before waits for it) with 2 and 3 threads, so the pass before reaches it in the
    // snapshot's state and the worker's results are dropped as they cannot be joined.
    let late_ids = item_list(items_with_ids(1961, (1965, 1990), 1970, (1995, 1966)));
    let traces = check("late-ids", &schema, &[], late_ids.as_bytes(), None);
    assert!(traces.contains("cannot be joined"), "{traces}");
}
