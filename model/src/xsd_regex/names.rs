//! XML 1.0 (Fifth Edition) name characters, used for `\i`/`\c` and by the validator's
//! `Name`/`NCName`/`NMTOKEN` checks.
//!
//! The Fifth Edition productions are used (not the Appendix B tables of earlier editions):
//! they are a superset of the older tables, and what current parsers implement.

/// `NameStartChar` ranges (inclusive), `:` included.
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

fn in_ranges(c: char, ranges: &[(char, char)]) -> bool {
    ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi)
}

/// XML `NameStartChar` (includes `:`).
pub fn is_name_start_char(c: char) -> bool {
    in_ranges(c, NAME_START_RANGES)
}

/// XML `NameChar` (includes `:`).
pub fn is_name_char(c: char) -> bool {
    is_name_start_char(c) || in_ranges(c, NAME_EXTRA_RANGES)
}

/// XML `Name`: a `NameStartChar` followed by `NameChar`s.
pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start_char) && chars.all(is_name_char)
}

/// Namespaces `NCName`: a `Name` without `:`.
pub fn is_ncname(s: &str) -> bool {
    !s.contains(':') && is_name(s)
}

/// XML `Nmtoken`: one or more `NameChar`s.
pub fn is_nmtoken(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_name_char)
}

/// Namespaces `QName`: `NCName` or `NCName:NCName`.
pub fn is_qname(s: &str) -> bool {
    match s.split_once(':') {
        Some((prefix, local)) => is_ncname(prefix) && is_ncname(local),
        None => is_ncname(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_name("a:b-c.d_1"));
        assert!(!is_name("1a"));
        assert!(is_ncname("_x"));
        assert!(!is_ncname("a:b"));
        assert!(is_qname("a:b"));
        assert!(!is_qname("a:b:c"));
        assert!(!is_qname(":b"));
        assert!(is_nmtoken("1a"));
        assert!(!is_nmtoken(""));
    }
}
