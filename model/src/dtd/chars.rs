//! XML 1.0 (fifth edition) character classes and the lexical productions built on them.

pub(crate) use crate::xml_chars::{
    is_name, is_name_char, is_name_start_char as is_name_start, is_nmtoken, is_xml_char,
    is_xml_space as is_ws,
};

/// `PubidChar`.
pub(crate) fn is_pubid_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || " \r\n-'()+,./:=?;!*#@$_%".contains(c)
}

/// Does `s` match `Names` (names separated by single spaces, as after normalization)?
pub(crate) fn is_names(s: &str) -> bool {
    !s.is_empty() && s.split(' ').all(is_name)
}

/// Does `s` match `Nmtokens` (separated by single spaces, as after normalization)?
pub(crate) fn is_nmtokens(s: &str) -> bool {
    !s.is_empty() && s.split(' ').all(is_nmtoken)
}

/// Describe a character (or the end of the input) for "found ..." in messages.
pub(crate) fn describe(c: Option<char>) -> String {
    match c {
        None => "end of input".to_string(),
        Some(c) if c.is_control() || c == ' ' => format!("{:?}", c),
        Some(c) => format!("'{c}'"),
    }
}

/// The value of a character reference body (`#x3C` without `&` and `;` is `x3C`), if it
/// names an XML character.
pub(crate) fn char_reference(code: &str) -> Option<char> {
    let value = if let Some(hex) = code.strip_prefix('x') {
        if hex.is_empty() || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(hex, 16).ok()?
    } else {
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        code.parse::<u32>().ok()?
    };
    char::from_u32(value).filter(|&c| is_xml_char(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_references() {
        assert_eq!(char_reference("x3C"), Some('<'));
        assert_eq!(char_reference("60"), Some('<'));
        assert_eq!(char_reference("0"), None);
        assert_eq!(char_reference("x"), None);
        assert_eq!(char_reference("xD800"), None);
        assert_eq!(char_reference("99999999999"), None);
    }

    #[test]
    fn names_and_tokens() {
        assert!(is_name("a:b-c.d_1"));
        assert!(!is_name("1abc"));
        assert!(!is_name(""));
        assert!(is_nmtoken("1abc"));
        assert!(!is_nmtoken("a b"));
        assert!(is_names("a b c"));
        assert!(!is_names("a  b"));
        assert!(is_nmtokens("1 2"));
        assert!(!is_xml_char('\u{1}'));
        assert!(is_pubid_char('%'));
        assert!(!is_pubid_char('"'));
    }
}
