//! The XML declaration `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`, parsed
//! strictly (quick-xml is lenient about order, duplicates, unknown pseudo-attributes and
//! missing white space).

/// The parts of an XML declaration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct XmlDecl {
    /// `version`.
    pub version: String,
    /// `encoding`, if given.
    pub encoding: Option<String>,
    /// `standalone="yes"`.
    pub standalone: bool,
}

/// A malformed declaration: byte offset in the text given to [`parse`] and a message.
pub(crate) type DeclError = (usize, String);

use crate::engine::chars::is_xml_space_byte as is_space;

/// The pseudo-attributes nearly every document's declaration has (each document's is parsed
/// twice: once for its encoding, once as its first event).
const USUAL: &str = r#" version="1.0" encoding="UTF-8""#;

/// Parse the content of `<?...?>` (starting with `xml`).
pub(crate) fn parse(content: &str) -> Result<XmlDecl, DeclError> {
    match content.strip_prefix("xml") {
        Some(rest) => parse_after_xml(rest).map_err(|(at, message)| (at + 3, message)),
        None => parse_any(content, 3),
    }
}

/// [`parse`] of what follows `xml` (offsets in errors count from there).
pub(crate) fn parse_after_xml(rest: &str) -> Result<XmlDecl, DeclError> {
    if rest == USUAL {
        // Parsed once, by the same parser.
        static PARSED: std::sync::OnceLock<Result<XmlDecl, DeclError>> = std::sync::OnceLock::new();
        return PARSED.get_or_init(|| parse_any(USUAL, 0)).clone();
    }
    parse_any(rest, 0)
}

/// The pseudo-attributes of `content` from byte `start` on.
fn parse_any(content: &str, start: usize) -> Result<XmlDecl, DeclError> {
    let b = content.as_bytes();
    let mut i = start;
    let mut decl = XmlDecl::default();
    let mut seen: Vec<&str> = Vec::new();
    loop {
        let ws_start = i;
        while b.get(i).is_some_and(|&c| is_space(c)) {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        if i == ws_start {
            return Err((
                i,
                "Blank needed here (between the pseudo-attributes of the XML declaration)".into(),
            ));
        }
        let name_end = b[i..]
            .iter()
            .position(|&c| c == b'=' || is_space(c))
            .map_or(b.len(), |p| p + i);
        let name = &content[i..name_end];
        let expected_next = match seen.last() {
            None => &["version"][..],
            Some(&"version") => &["encoding", "standalone"][..],
            Some(&"encoding") => &["standalone"][..],
            _ => &[][..],
        };
        if !expected_next.contains(&name) {
            let message = if seen.is_empty() {
                "Malformed declaration expecting version".to_string()
            } else if seen.contains(&name) {
                format!("XML declaration: '{name}' given twice")
            } else {
                format!(
                    "XML declaration: unexpected '{name}' (expected {})",
                    if expected_next.is_empty() {
                        "'?>'".to_string()
                    } else {
                        expected_next.join(" or ")
                    }
                )
            };
            return Err((i, message));
        }
        i = name_end;
        while b.get(i).is_some_and(|&c| is_space(c)) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            return Err((i, format!("XML declaration: expected '=' after {name}")));
        }
        i += 1;
        while b.get(i).is_some_and(|&c| is_space(c)) {
            i += 1;
        }
        let Some(&quote) = b.get(i).filter(|&&c| c == b'"' || c == b'\'') else {
            return Err((
                i,
                format!("XML declaration: expected a quoted value for {name}"),
            ));
        };
        let start = i + 1;
        let Some(len) = b[start..].iter().position(|&c| c == quote) else {
            return Err((i, format!("XML declaration: unterminated value for {name}")));
        };
        let value = &content[start..start + len];
        i = start + len + 1;
        match name {
            "version" => {
                let ok = value.len() > 2
                    && value.starts_with("1.")
                    && value[2..].bytes().all(|c| c.is_ascii_digit());
                if !ok {
                    return Err((start, format!("Unsupported version '{value}'")));
                }
                decl.version = value.to_string();
            }
            "encoding" => {
                let mut chars = value.chars();
                let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                    && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
                if !ok {
                    return Err((start, format!("Invalid encoding name '{value}'")));
                }
                decl.encoding = Some(value.to_string());
            }
            _ => {
                if value != "yes" && value != "no" {
                    return Err((start, "standalone accepts only 'yes' or 'no'".to_string()));
                }
                decl.standalone = value == "yes";
            }
        }
        seen.push(name);
    }
    if seen.is_empty() {
        return Err((start, "Malformed declaration expecting version".to_string()));
    }
    Ok(decl)
}

#[cfg(test)]
mod tests {
    use super::{parse, parse_after_xml, parse_any, USUAL};

    /// The usual declaration, parsed once and kept, reads as the parser reads it.
    #[test]
    fn the_usual_declaration_is_parsed_like_any() {
        let usual = parse(&format!("xml{USUAL}")).unwrap();
        assert_eq!(parse_after_xml(USUAL), parse_any(USUAL, 0));
        assert_eq!(Ok(usual.clone()), parse_after_xml(USUAL));
        assert_eq!(usual.encoding.as_deref(), Some("UTF-8"));
        assert_eq!((usual.version.as_str(), usual.standalone), ("1.0", false));
    }

    #[test]
    fn strict_declarations() {
        let ok = parse("xml version=\"1.0\" encoding='UTF-8' standalone=\"no\" ").unwrap();
        assert_eq!(
            (ok.version.as_str(), ok.encoding.as_deref()),
            ("1.0", Some("UTF-8"))
        );
        assert!(!ok.standalone);
        assert!(
            parse("xml version='1.0' standalone='yes'")
                .unwrap()
                .standalone
        );
        for bad in [
            "xml",
            "xml version=\"1.0\"encoding=\"UTF-8\"",
            "xml version=\"1.0\" version=\"1.0\"",
            "xml version=\"1.0\" valid=\"no\"",
            "xml encoding=\"UTF-8\" version=\"1.0\"",
            "xml version=\"2.0\"",
            "xml version=\"1.0\" standalone=\"maybe\"",
            "xml version=1.0",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
            // Offsets count in the content given, as when it was parsed from its start.
            assert_eq!(parse(bad), parse_any(bad, 3), "{bad}");
        }
        let (at, _) = parse("xml version=\"1.0\"encoding=\"UTF-8\"").unwrap_err();
        assert_eq!(at, "xml version=\"1.0\"".len());
    }
}
