//! Data-driven tests of the XSD regex translation: each row is a pattern, values the whole
//! pattern must match, and values it must not match. Error cases are snapshotted.

use qschema_model::xsd_regex::{compile, translate, RegexError};

/// (XSD pattern, must match, must not match)
const CASES: &[(&str, &[&str], &[&str])] = &[
    // Qualys WAS uniqueId
    (
        "[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}",
        &[
            "8a4e9a3c-1f2b-4c3d-9e8f-0123456789ab",
            "00000000-0000-0000-0000-000000000000",
        ],
        &[
            "8A4E9A3C-1F2B-4C3D-9E8F-0123456789AB",
            "8a4e9a3c-1f2b-4c3d-9e8f-0123456789a",
            "8a4e9a3c-1f2b-4c3d-9e8f-0123456789abc",
            " 8a4e9a3c-1f2b-4c3d-9e8f-0123456789ab",
            "8a4e9a3c1f2b4c3d9e8f0123456789ab",
            "",
        ],
    ),
    // implicit anchoring
    ("abc", &["abc"], &["xabcx", "abcx", "xabc", "ab", ""]),
    ("a|bc", &["a", "bc"], &["abc", "b", "c", "ac"]),
    ("(a|b)c", &["ac", "bc"], &["a", "abc"]),
    ("", &[""], &["a"]),
    // ^ and $ are ordinary characters
    ("^a$", &["^a$"], &["a", "^a", "a$"]),
    ("a^b", &["a^b"], &["ab"]),
    ("[$^]+", &["$", "^^$"], &["a", ""]),
    // . matches anything but \n and \r
    (".", &["a", " ", "\t", "é", "😀"], &["\n", "\r", "", "ab"]),
    ("a.c", &["abc", "a.c"], &["a\nc", "a\rc"]),
    // quantifiers
    ("a?", &["", "a"], &["aa"]),
    ("a*", &["", "a", "aaaa"], &["b"]),
    ("a+", &["a", "aaa"], &[""]),
    ("a{2}", &["aa"], &["a", "aaa"]),
    ("a{2,}", &["aa", "aaaaa"], &["a"]),
    ("a{2,3}", &["aa", "aaa"], &["a", "aaaa"]),
    ("a{0,0}b", &["b"], &["ab"]),
    ("(ab){2}", &["abab"], &["ab", "aabb"]),
    // `{` that cannot start a quantifier, and `}`, are ordinary characters (XSD 1.0 Char)
    ("{", &["{"], &["a", ""]),
    ("}", &["}"], &["a"]),
    ("{a}", &["{a}"], &["a"]),
    ("a{2}{3}", &["aa{3}"], &["aaaaaa", "aa"]),
    ("x{1}}", &["x}"], &["x"]),
    ("(a|{)", &["a", "{"], &["{a"]),
    // single-character escapes
    (r"\n\r\t", &["\n\r\t"], &["nrt"]),
    (r"\\\|\.\-\^\?\*\+\{\}\(\)\[\]", &[r"\|.-^?*+{}()[]"], &[""]),
    (r"\.", &["."], &["a"]),
    // multi-character escapes
    (r"\s+", &[" ", "\t\n\r "], &["\u{a0}", "a"]),
    (r"\S+", &["a", "é"], &["a b", " "]),
    (r"\d+", &["0123", "٣"], &["a", "1.5"]),
    (r"\D", &["a", "-"], &["5"]),
    (
        r"\w+",
        &["abc", "ab1", "é", "$", "+"],
        &["a-b", "a b", "a.b", "\u{0}"],
    ),
    (r"\W", &["-", " ", "!", "\u{7}"], &["a", "1"]),
    (
        r"\i\c*",
        &["xs:element", "_a.b-c", ":x", "é1"],
        &["1abc", "-a", "a b", ""],
    ),
    (r"\I", &["1", "-", " "], &["a", ":"]),
    (r"\C", &[" ", "!", "+"], &["a", "1", "-", ".", "·"]),
    // category escapes
    (r"\p{Lu}+", &["ABC", "ÉÀ"], &["abc", "A1"]),
    (r"\p{L}", &["a", "Ж", "中"], &["1", "_"]),
    (r"\P{L}", &["1", "_"], &["a"]),
    (r"\p{Nd}\p{Zs}\p{P}", &["1 !"], &["1 a"]),
    (r"[\p{Ll}\p{Nd}]+", &["abc123"], &["ABC"]),
    (r"\p{Cn}", &["\u{378}"], &["a", "\u{E000}"]),
    (r"\p{Co}\p{Cf}\p{Cc}", &["\u{E000}\u{AD}\u{7}"], &["aaa"]),
    (r"\p{Sc}\p{Sm}\p{Pd}\p{Ps}\p{Pe}", &["$+-()"], &["$+-)("]),
    (
        r"\p{IsArabicPresentationForms-B}",
        &["\u{FE70}", "\u{FEFE}"],
        &["\u{FEFF}"],
    ),
    // block escapes
    (r"\p{IsBasicLatin}+", &["abc~\u{0}"], &["é"]),
    (r"\P{IsBasicLatin}", &["é", "中"], &["a"]),
    (r"\p{IsLatin-1Supplement}", &["é", "\u{a0}"], &["a", "Ā"]),
    (r"\p{IsGreek}", &["α", "Ω"], &["a"]),
    (r"\p{IsCJKUnifiedIdeographs}", &["中"], &["a", "あ"]),
    (r"\p{IsHiragana}", &["あ"], &["中"]),
    (
        r"\p{IsPrivateUse}",
        &["\u{E000}", "\u{F0000}", "\u{10FFFD}"],
        &["a"],
    ),
    (r"\p{IsSpecials}", &["\u{FEFF}", "\u{FFFD}"], &["\u{FFEF}"]),
    (r"\p{IsHighSurrogates}", &[], &["a", "\u{FFFF}"]),
    (r"[\p{IsBasicLatin}-[a-z]]+", &["ABC1"], &["aBC"]),
    // character classes
    ("[abc]", &["a", "c"], &["d", "ab"]),
    ("[^abc]", &["d", "\n"], &["a"]),
    ("[a-z0-9_]+", &["abc_09"], &["ABC"]),
    ("[-a]", &["-", "a"], &["b"]),
    ("[a-]", &["-", "a"], &["b"]),
    ("[^-a]", &["b"], &["-", "a"]),
    (r"[\-\[\]\\]+", &[r"-[]\"], &["a"]),
    (r"[\s\d]+", &["1 2\t3"], &["a"]),
    (r"[^\s]", &["a"], &[" "]),
    (r"[\i-[:]][\c-[:]]*", &["ab", "_x.y"], &["a:b", ":a"]),
    ("[.?*+(){}|]+", &[".?*+(){}|"], &["a"]),
    // subtraction (nested, negated)
    ("[a-z-[aeiou]]+", &["bcd", "xyz"], &["a", "bad"]),
    ("[a-z-[aeiou-[e]]]+", &["bed", "e"], &["a", "bad"]),
    ("[^a-z-[0-9]]", &["A", "-"], &["a", "5"]),
    ("[abc-[b]]", &["a", "c"], &["b"]),
    // unicode literals
    ("é+中", &["éé中"], &["e中"]),
    ("😀{2}", &["😀😀"], &["😀"]),
    // realistic XSD patterns
    (r"\d{4}-\d{2}-\d{2}", &["2017-03-15"], &["2017-3-15"]),
    (
        r"(\+|-)?[0-9]+(\.[0-9]+)?",
        &["+1.5", "-2", "3"],
        &["1.", "+"],
    ),
    (
        r"[A-Z]{2,3}(,[A-Z]{2,3})*",
        &["AB", "AB,CDE"],
        &["AB,", "A"],
    ),
    (
        r"(CORE|EVERYTHING)",
        &["CORE", "EVERYTHING"],
        &["core", "CORE "],
    ),
];

/// Invalid XSD patterns; the errors (with offsets) are snapshotted.
const ERRORS: &[&str] = &[
    "[a-c",
    "[a-",
    "[a-z-",
    "a)",
    "(a",
    "(?:a)",
    "(?=a)",
    "a*?",
    "a+?",
    "a**",
    "*a",
    "a|?",
    r"\1",
    r"\b",
    r"\u0041",
    "a\\",
    "[]",
    "[^]",
    "[^]a]",
    "[z-a]",
    "[a-\\d]",
    "[a-z-0-9]",
    "[a[b]",
    "[a-z-[aeiou]b]",
    "[-[a]]",
    "a{",
    "{{",
    "a{x}",
    "a{3,2}",
    "a{2,x}",
    "a{1",
    "a{99999999999}",
    "]",
    r"\p{Foo}",
    r"\p{IsKlingon}",
    r"\p{Lu",
    r"\pL",
    r"\p{Cs}",
    "é[",
];

#[test]
fn patterns_match_whole_values() {
    let mut failures = Vec::new();
    for &(pattern, good, bad) in CASES {
        let re = match compile(pattern) {
            Ok(re) => re,
            Err(e) => {
                failures.push(format!("{pattern:?}: does not compile: {e}"));
                continue;
            }
        };
        for value in good {
            if !re.is_match(value) {
                failures.push(format!("{pattern:?} should match {value:?} (regex {re})"));
            }
        }
        for value in bad {
            if re.is_match(value) {
                failures.push(format!(
                    "{pattern:?} should not match {value:?} (regex {re})"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn translation_is_anchored() {
    let t = translate("abc").unwrap();
    assert_eq!(t, r"\A(?:abc)\z");
    // A trailing newline must not be accepted (unlike `$`).
    assert!(!compile("abc").unwrap().is_match("abc\n"));
}

#[test]
fn invalid_patterns_report_offsets() {
    let mut out = String::new();
    for pattern in ERRORS {
        match translate(pattern) {
            Ok(t) => panic!("{pattern:?} should be rejected, translated to {t:?}"),
            Err(e) => {
                assert!(matches!(e, RegexError::Syntax { .. }), "{pattern:?}: {e}");
                out.push_str(&format!("{pattern:<16} {e}\n"));
            }
        }
    }
    insta::assert_snapshot!(out);
}

#[test]
fn hostile_nesting_is_an_error_not_a_crash() {
    let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(translate(&deep).is_err());
    let deep_class = format!("{}{}", "[a-[".repeat(10_000), "]".repeat(20_000));
    assert!(translate(&deep_class).is_err());
    // `}` is a plain character, however many.
    assert!(compile(&"}".repeat(10_000)).is_ok());
}

#[test]
fn oversized_repetition_is_unsupported_not_a_panic() {
    match compile("(a{1000}){1000}") {
        Err(RegexError::Unsupported { message }) => assert!(!message.is_empty()),
        other => panic!("expected Unsupported, got {other:?}"),
    }
}

/// A small deterministic generator (no extra dependency) for the robustness test below.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// Every pattern `translate` accepts must compile in the `regex` crate (the translation never
/// produces invalid syntax), and nothing panics, whatever the input.
#[test]
fn accepted_patterns_always_compile() {
    const PIECES: &[&str] = &[
        "a",
        "b",
        "-",
        "^",
        "$",
        ".",
        "|",
        "(",
        ")",
        "[",
        "]",
        "[^",
        "-[",
        "?",
        "*",
        "+",
        "{",
        "}",
        "{2}",
        "{1,3}",
        "{0,}",
        ",",
        "\\",
        "\\d",
        "\\i",
        "\\c",
        "\\W",
        "\\p{L}",
        "\\P{Nd}",
        "\\p{IsBasicLatin}",
        "\\p{IsHighSurrogates}",
        "\\-",
        "\\[",
        "\\]",
        "\\n",
        "é",
        "😀",
        " ",
        "0",
        "9",
        "z",
    ];
    let mut rng = Lcg(42);
    let mut accepted = 0;
    for _ in 0..5_000 {
        let len = (rng.next() % 8) as usize;
        let pattern: String = (0..len)
            .map(|_| PIECES[(rng.next() as usize) % PIECES.len()])
            .collect();
        if let Ok(translated) = translate(&pattern) {
            accepted += 1;
            if let Err(e) = regex::Regex::new(&translated) {
                panic!("{pattern:?} translated to {translated:?}, which does not compile: {e}");
            }
        }
    }
    assert!(
        accepted > 250,
        "the generator should produce many valid patterns ({accepted})"
    );
}

/// Values where xmllint (libxml2) disagrees with the table above, and why we keep ours.
const XMLLINT_DIFFERS: &[(&str, &str, &str)] = &[
    (
        r"\p{L}",
        "中",
        "libxml2's category tables miss CJK ideographs",
    ),
    (
        r"\p{IsSpecials}",
        "\u{FEFF}",
        "libxml2 uses later Unicode blocks; XSD 1.0 lists U+FEFF under Specials",
    ),
    (
        r"\p{Cn}",
        "\u{378}",
        "libxml2's Cn class does not match unassigned code points",
    ),
    (
        r"\p{IsArabicPresentationForms-B}",
        "\u{FEFF}",
        "libxml2 uses later Unicode blocks; XSD 1.0 ends this block at U+FEFE",
    ),
    (
        "[a-z-[aeiou-[e]]]+",
        "bed",
        "libxml2 mishandles nested subtraction",
    ),
    (
        "[a-z-[aeiou-[e]]]+",
        "e",
        "libxml2 mishandles nested subtraction",
    ),
];

/// Patterns we reject that xmllint accepts, and why.
const XMLLINT_ACCEPTS: &[(&str, &str)] = &[
    ("[]", "the grammar needs at least one character in a class"),
    (
        "[a-z-0-9]",
        "'-' is a valid character only first or last in a class (F.1.1)",
    ),
    ("[-[a]]", "a subtraction needs a group to subtract from"),
    (
        "a{3,2}",
        "the maximum of a quantifier must not be below its minimum",
    ),
    (r"\p{IsKlingon}", "unknown block names are errors"),
];

fn xmllint_available() -> bool {
    std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn xml_escape(value: &str) -> String {
    let mut out = String::new();
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push_str(&format!("&#{};", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn is_xml_text(value: &str) -> bool {
    value.chars().all(|c| {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
    })
}

/// Run xmllint with `pattern` on `values` (one element per line); returns the failing lines
/// (`None` when xmllint rejects the pattern itself).
fn xmllint_failing_lines(
    dir: &std::path::Path,
    n: usize,
    pattern: &str,
    values: &[&str],
) -> Option<Vec<usize>> {
    let xsd = dir.join(format!("p{n}.xsd"));
    let xml = dir.join(format!("p{n}.xml"));
    std::fs::write(
        &xsd,
        format!(
            r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="r"><xs:complexType><xs:sequence><xs:element name="v" minOccurs="0" maxOccurs="unbounded"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="{}"/></xs:restriction></xs:simpleType></xs:element></xs:sequence></xs:complexType></xs:element></xs:schema>"#,
            xml_escape(pattern)
        ),
    )
    .unwrap();
    let mut doc = String::from("<r>\n");
    for v in values {
        doc.push_str(&format!("<v>{}</v>\n", xml_escape(v)));
    }
    doc.push_str("</r>\n");
    std::fs::write(&xml, doc).unwrap();
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(&xml)
        .output()
        .unwrap();
    if !matches!(out.status.code(), Some(0 | 3)) {
        return None;
    }
    let prefix = format!("{}:", xml.display());
    Some(
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .filter(|l| l.contains("Schemas validity error"))
            .filter_map(|l| l.strip_prefix(&prefix)?.split(':').next()?.parse().ok())
            .collect(),
    )
}

/// The table agrees with xmllint except where [`XMLLINT_DIFFERS`] and [`XMLLINT_ACCEPTS`] say
/// otherwise (and those lists are exact).
#[test]
fn table_agrees_with_xmllint() {
    if !xmllint_available() {
        println!("skipped: xmllint not installed");
        return;
    }
    let dir = std::env::temp_dir().join(format!("qschema-xsd-regex-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut problems = Vec::new();
    let mut listed_seen = Vec::new();
    for (n, &(pattern, good, bad)) in CASES.iter().enumerate() {
        let values: Vec<(&str, bool)> = good
            .iter()
            .map(|v| (*v, true))
            .chain(bad.iter().map(|v| (*v, false)))
            .filter(|(v, _)| is_xml_text(v))
            .collect();
        let plain: Vec<&str> = values.iter().map(|(v, _)| *v).collect();
        let Some(failing) = xmllint_failing_lines(&dir, n, pattern, &plain) else {
            problems.push(format!("{pattern:?}: xmllint rejects the pattern"));
            continue;
        };
        for (i, &(value, matches)) in values.iter().enumerate() {
            let xmllint_matches = !failing.contains(&(i + 2));
            let listed = XMLLINT_DIFFERS
                .iter()
                .any(|&(p, v, _)| p == pattern && v == value);
            if listed {
                listed_seen.push((pattern, value));
            }
            if (xmllint_matches != matches) != listed {
                problems.push(format!(
                    "{pattern:?} on {value:?}: table says {matches}, xmllint says {xmllint_matches}{}",
                    if listed { " (listed as differing)" } else { "" }
                ));
            }
        }
    }
    for &(p, v, _) in XMLLINT_DIFFERS {
        if !listed_seen.contains(&(p, v)) {
            problems.push(format!(
                "XMLLINT_DIFFERS lists {p:?} on {v:?}, which is not in the table"
            ));
        }
    }
    for (n, pattern) in ERRORS.iter().enumerate() {
        let accepted = xmllint_failing_lines(&dir, 10_000 + n, pattern, &[]).is_some();
        let listed = XMLLINT_ACCEPTS.iter().any(|&(p, _)| p == *pattern);
        if accepted != listed {
            problems.push(format!(
                "{pattern:?}: xmllint {} it, XMLLINT_ACCEPTS {} it",
                if accepted { "accepts" } else { "rejects" },
                if listed { "lists" } else { "does not list" }
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
