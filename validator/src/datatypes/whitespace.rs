//! The `whiteSpace` facet: preserve, replace, collapse (only tab, newline, carriage return and
//! space count as white space, as in XSD).

use std::borrow::Cow;

use qschema_model::{Builtin, WhiteSpace};

use qschema_model::xml_chars::is_xml_space;

/// Apply a whiteSpace mode to a value.
pub fn apply(value: &str, mode: WhiteSpace) -> Cow<'_, str> {
    match mode {
        WhiteSpace::Preserve => Cow::Borrowed(value),
        WhiteSpace::Replace => {
            if value.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\r')) {
                Cow::Owned(value.replace(['\t', '\n', '\r'], " "))
            } else {
                Cow::Borrowed(value)
            }
        }
        WhiteSpace::Collapse => {
            let already = is_collapsed(value.as_bytes());
            if already {
                Cow::Borrowed(value)
            } else {
                Cow::Owned(
                    value
                        .split(is_xml_space)
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            }
        }
    }
}

/// Whether `value` is already collapsed: no tab, LF or CR, no leading, trailing or double
/// space (one byte pass: XML white space is ASCII).
fn is_collapsed(value: &[u8]) -> bool {
    // The usual value (a number, a date, a name, an identifier) has no byte at or below the
    // space: one comparison per byte, without branches, which the compiler vectorizes.
    if value.iter().fold(true, |none, &b| none & (b > b' ')) {
        return true;
    }
    if value.first() == Some(&b' ') || value.last() == Some(&b' ') {
        return false;
    }
    let mut after_space = false;
    for &b in value {
        match b {
            b'\t' | b'\n' | b'\r' => return false,
            b' ' if after_space => return false,
            b' ' => after_space = true,
            _ => after_space = false,
        }
    }
    true
}

/// The whiteSpace a built-in has when no facet overrides it: `preserve` for `string` (and
/// `anySimpleType`), `replace` for `normalizedString`, `collapse` for everything else.
pub fn builtin_default(b: Builtin) -> WhiteSpace {
    match b {
        Builtin::String | Builtin::AnySimpleType => WhiteSpace::Preserve,
        Builtin::NormalizedString => WhiteSpace::Replace,
        _ => WhiteSpace::Collapse,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        assert_eq!(apply(" a\t b\n", WhiteSpace::Preserve), " a\t b\n");
        assert_eq!(apply(" a\t b\n", WhiteSpace::Replace), " a  b ");
        assert_eq!(apply(" a\t b\n", WhiteSpace::Collapse), "a b");
        assert_eq!(apply("\u{a0}a", WhiteSpace::Collapse), "\u{a0}a");
        assert_eq!(apply("", WhiteSpace::Collapse), "");
        assert_eq!(apply("a  b", WhiteSpace::Collapse), "a b");
        assert_eq!(apply(" a", WhiteSpace::Collapse), "a");
        assert!(matches!(
            apply("a b", WhiteSpace::Collapse),
            Cow::Borrowed(_)
        ));
        assert!(matches!(
            apply("a b", WhiteSpace::Replace),
            Cow::Borrowed(_)
        ));
    }

    /// Every string of up to four bytes over an alphabet of white space, controls, letters and
    /// a byte above ASCII: `is_collapsed` says exactly whether collapsing changes it.
    #[test]
    fn is_collapsed_says_whether_collapsing_changes_the_value() {
        let alphabet = [
            b' ', b'\t', b'\n', b'\r', 0x01, 0x1F, b'!', b'a', 0x7F, 0xC3,
        ];
        let mut values: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..4 {
            let longer: Vec<Vec<u8>> = values
                .iter()
                .flat_map(|v| alphabet.iter().map(move |&b| [v.as_slice(), &[b]].concat()))
                .collect();
            values.extend(longer);
        }
        values.sort();
        values.dedup();
        for v in &values {
            let text = String::from_utf8_lossy(v);
            let collapsed = text
                .split(is_xml_space)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(is_collapsed(v), collapsed == text, "{v:?}");
        }
    }
}
