//! The XML 1.0 (Fifth Edition) character productions and the Namespaces name productions,
//! in one place for the DTD and XSD front ends, the XSD regex translation (`\i`, `\c`), the
//! validator's engine and its datatypes.
//!
//! The Fifth Edition productions are used (not the Appendix B tables of earlier editions):
//! they are a superset of the older tables, and what current parsers implement.

/// `NameStartChar` ranges (inclusive), `:` included. [`is_name_start_char`] is the same set.
pub const NAME_START_RANGES: &[(char, char)] = &[
    (':', ':'),
    ('A', 'Z'),
    ('_', '_'),
    ('a', 'z'),
    ('\u{C0}', '\u{D6}'),
    ('\u{D8}', '\u{F6}'),
    ('\u{F8}', '\u{2FF}'),
    ('\u{370}', '\u{37D}'),
    ('\u{37F}', '\u{1FFF}'),
    ('\u{200C}', '\u{200D}'),
    ('\u{2070}', '\u{218F}'),
    ('\u{2C00}', '\u{2FEF}'),
    ('\u{3001}', '\u{D7FF}'),
    ('\u{F900}', '\u{FDCF}'),
    ('\u{FDF0}', '\u{FFFD}'),
    ('\u{10000}', '\u{EFFFF}'),
];

/// The ranges `NameChar` adds to `NameStartChar` (inclusive).
pub const NAME_EXTRA_RANGES: &[(char, char)] = &[
    ('-', '-'),
    ('.', '.'),
    ('0', '9'),
    ('\u{B7}', '\u{B7}'),
    ('\u{300}', '\u{36F}'),
    ('\u{203F}', '\u{2040}'),
];

/// `S`: space, tab, carriage return, line feed.
pub fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// `Char`: the characters allowed anywhere in an XML 1.0 document.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// `NameStartChar` (includes `:`); a `match`, as it is on the validator's hot path.
pub fn is_name_start_char(c: char) -> bool {
    matches!(c,
        ':' | 'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// `NameChar` (includes `:`).
pub fn is_name_char(c: char) -> bool {
    is_name_start_char(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// ASCII bytes that are a `NameChar` (`[A-Za-z0-9:_.-]`); non-ASCII bytes map to `false`.
const ASCII_NAME_CHAR: [bool; 128] = {
    let mut t = [false; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || matches!(c, b':' | b'_' | b'-' | b'.');
        b += 1;
    }
    t
};

/// Whether `b` is an ASCII `NameChar`.
fn is_ascii_name_byte(b: u8) -> bool {
    ASCII_NAME_CHAR
        .get(usize::from(b))
        .copied()
        .unwrap_or(false)
}

/// `Name`: a `NameStartChar` followed by `NameChar`s.
pub fn is_name(s: &str) -> bool {
    let bytes = s.as_bytes();
    // Fast path: the usual all-ASCII name is checked byte by byte through a table.
    if let Some(&first) = bytes.first() {
        if (first.is_ascii_alphabetic() || first == b'_' || first == b':')
            && bytes.iter().all(|&b| is_ascii_name_byte(b))
        {
            return true;
        }
    }
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start_char) && chars.all(is_name_char)
}

/// Namespaces `NCName`: a `Name` without `:`.
pub fn is_ncname(s: &str) -> bool {
    !s.as_bytes().contains(&b':') && is_name(s)
}

/// `Nmtoken`: one or more `NameChar`s.
pub fn is_nmtoken(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_name_char)
}

/// The usual element or attribute name in one byte pass: all ASCII, and a `QName` (hence also
/// a `Name`). `false` says nothing: the name may still be a non-ASCII `Name` or `QName`.
pub fn is_ascii_qname(s: &str) -> bool {
    ascii_qname_colon(s).is_some()
}

/// [`is_ascii_qname`], and where its colon is: `Some(None)` for an ASCII `NCName`,
/// `Some(Some(i))` for an ASCII `prefix:local` with the colon at byte `i`, `None` when it is
/// not an ASCII `QName` (it may still be a non-ASCII one).
pub fn ascii_qname_colon(s: &str) -> Option<Option<usize>> {
    let bytes = s.as_bytes();
    let ncname_start = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_');
    if !ncname_start(bytes.first()) {
        return None;
    }
    let mut colon = None;
    for (i, &b) in bytes.iter().enumerate() {
        if !is_ascii_name_byte(b) {
            return None;
        }
        if b == b':' {
            if colon.is_some() {
                return None;
            }
            colon = Some(i);
        }
    }
    colon
        .is_none_or(|i| ncname_start(bytes.get(i + 1)))
        .then_some(colon)
}

/// Namespaces `QName`: `NCName` or `NCName:NCName`.
pub fn is_qname(s: &str) -> bool {
    if is_ascii_qname(s) {
        return true;
    }
    // A byte loop: names are short, and `split_once(':')` sets up a searcher per call.
    match s.bytes().position(|b| b == b':') {
        Some(i) => is_ncname(&s[..i]) && is_ncname(&s[i + 1..]),
        None => is_ncname(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_ranges(c: char, ranges: &[(char, char)]) -> bool {
        ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi)
    }

    /// The one-pass ASCII check decides exactly the ASCII names `is_qname` accepts (and
    /// they are `Name`s), on every string of up to 4 characters from a name-heavy alphabet.
    #[test]
    fn ascii_qname_fast_path_is_exact_on_ascii() {
        let alphabet = ['a', 'Z', '_', ':', '-', '.', '7', ' ', '$'];
        let mut strings = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = strings
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            strings.extend(longer);
        }
        strings.sort();
        strings.dedup();
        for s in &strings {
            let slow = {
                let full = |t: &str| {
                    let mut chars = t.chars();
                    chars.next().is_some_and(is_name_start_char) && chars.all(is_name_char)
                };
                let nc = |t: &str| !t.contains(':') && full(t);
                match s.split_once(':') {
                    Some((p, l)) => nc(p) && nc(l),
                    None => nc(s),
                }
            };
            assert_eq!(is_ascii_qname(s), slow, "{s:?}");
            if is_ascii_qname(s) {
                assert!(is_name(s), "{s:?}");
                // The colon it reports is the name's only one.
                assert_eq!(ascii_qname_colon(s), Some(s.find(':')), "{s:?}");
            }
        }
    }

    /// The range tables (for regex classes) and the predicates (for checks) are one set.
    #[test]
    fn tables_and_predicates_agree_on_every_char() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(
                is_name_start_char(c),
                in_ranges(c, NAME_START_RANGES),
                "{c:?}"
            );
            assert_eq!(
                is_name_char(c),
                in_ranges(c, NAME_START_RANGES) || in_ranges(c, NAME_EXTRA_RANGES),
                "{c:?}"
            );
        }
    }

    #[test]
    fn ascii_fast_path_agrees_with_the_predicates() {
        for b in 0u8..128 {
            assert_eq!(is_ascii_name_byte(b), is_name_char(char::from(b)), "{b}");
            let one = char::from(b).to_string();
            assert_eq!(is_name(&one), is_name_start_char(char::from(b)), "{b}");
        }
        assert!(is_name("é") && is_name("aé") && !is_name("a\u{D7}"));
    }

    #[test]
    fn productions() {
        assert!(is_name("a:b-c.d_1"));
        assert!(!is_name("1a"));
        assert!(!is_name(""));
        assert!(is_ncname("_x"));
        assert!(!is_ncname("a:b"));
        assert!(is_qname("a:b"));
        assert!(!is_qname("a:b:c"));
        assert!(!is_qname(":b"));
        assert!(is_nmtoken("1a"));
        assert!(!is_nmtoken(""));
        assert!(!is_xml_char('\u{1}'));
        assert!(is_xml_char('\u{10FFFF}'));
        assert!(is_xml_space('\r') && !is_xml_space('\u{A0}'));
        // Formerly the engine's own copy's test.
        assert!(is_name("a:b-1.x"));
        assert!(is_qname("p:a"));
        assert!(!is_qname("p:a:b"));
        assert!(!is_qname(":a"));
    }
}
