//! `xs:anyURI`, checked leniently like libxml2: the value is a URI reference once non-ASCII
//! characters and characters not allowed in URIs are %-escaped (XSD 1.0 says the same).
//!
//! Rejected, because no escaping repairs them:
//! - a `%` not followed by two hex digits;
//! - more than one `#`;
//! - a `:` in the first path segment (before any `/`, `?`, `#`) whose prefix is not a valid
//!   scheme (`[A-Za-z][A-Za-z0-9+.-]*`), e.g. `:foo` or `1a:b`;
//! - an authority (after `//`) whose port is not all digits, e.g. `http://host:80x/`.
//!
//! Everything else is accepted: spaces and non-ASCII characters (escaped by a processor),
//! `urn:`, and the empty string (a same-document reference).

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
    let mut rest = s;
    if let Some(colon) = s[..first_segment_end].find(':') {
        let scheme = &s[..colon];
        let mut chars = scheme.chars();
        let valid_scheme = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'));
        if !valid_scheme {
            return false;
        }
        rest = &s[colon + 1..];
    }
    match rest.strip_prefix("//") {
        Some(after) => authority_ok(&after[..after.find(['/', '?', '#']).unwrap_or(after.len())]),
        None => true,
    }
}

/// `[userinfo@]host[:port]`: the port, if any, is all digits; an IP literal is bracketed.
fn authority_ok(authority: &str) -> bool {
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    let port = if let Some(literal) = host_port.strip_prefix('[') {
        match literal.split_once(']') {
            Some((_, "")) => "",
            Some((_, after)) => match after.strip_prefix(':') {
                Some(port) => port,
                None => return false,
            },
            None => return false,
        }
    } else {
        host_port.split_once(':').map_or("", |(_, port)| port)
    };
    port.bytes().all(|b| b.is_ascii_digit())
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
        for bad in [
            "%",
            "%2",
            "%zz",
            "a#b#c",
            ":foo",
            "1a:b",
            "http//a:b:c#x#y",
            "http://h:8o/",
            "http://[::1",
            "http://[::1]x/",
            "//h:x",
        ] {
            assert!(!is_any_uri(bad), "{bad}");
        }
    }
}
