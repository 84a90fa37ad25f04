//! XML 1.0 (fifth edition) character classes and the lexical productions built on them.

/// `S`: space, tab, carriage return, line feed.
pub(crate) fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// `Char`: characters allowed anywhere in an XML 1.0 document.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// `NameStartChar`.
pub(crate) fn is_name_start(c: char) -> bool {
    matches!(c,
        ':' | 'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// `NameChar`.
pub(crate) fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// `PubidChar`.
pub(crate) fn is_pubid_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || " \r\n-'()+,./:=?;!*#@$_%".contains(c)
}

/// Does `s` match the `Name` production?
pub(crate) fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

/// Does `s` match the `Nmtoken` production?
pub(crate) fn is_nmtoken(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_name_char)
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
