//! `xs:anyURI`, checked leniently like libxml2: the value is a URI reference once non-ASCII
//! characters and characters not allowed in URIs are %-escaped (XSD 1.0 says the same).
//!
//! Rejected, because no escaping repairs them:
//! - a `%` not followed by two hex digits;
//! - more than one `#`;
//! - a `:` in the first path segment (before any `/`, `?`, `#`) whose prefix is not a valid
//!   scheme (`[A-Za-z][A-Za-z0-9+.-]*`), e.g. `:foo` or `1a:b`;
//! - an empty value after a scheme that needs none is fine (`urn:` is accepted), as is the
//!   empty string (a same-document reference).

/// Whether `s` (whitespace-collapsed) is an acceptable `anyURI`.
pub fn is_any_uri(s: &str) -> bool {
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'%' {
            let ok = bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
            if !ok {
                return false;
            }
        }
    }
    if s.matches('#').count() > 1 {
        return false;
    }
    let first_segment_end = s.find(['/', '?', '#']).unwrap_or(s.len());
    if let Some(colon) = s[..first_segment_end].find(':') {
        let scheme = &s[..colon];
        let mut chars = scheme.chars();
        let valid_scheme = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'));
        if !valid_scheme {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient() {
        for ok in [
            "",
            "http://x/y?z#f",
            "urn:isbn:1",
            "a b",
            "ä/ö",
            "../a",
            "#frag",
            "%20",
        ] {
            assert!(is_any_uri(ok), "{ok}");
        }
        for bad in ["%", "%2", "%zz", "a#b#c", ":foo", "1a:b", "http//a:b:c#x#y"] {
            assert!(!is_any_uri(bad), "{bad}");
        }
    }
}
