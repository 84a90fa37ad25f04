//! Splitting a document's `<!DOCTYPE ...>` declaration into its name, external identifiers
//! and internal subset.

use super::chars::{is_name_char, is_name_start, is_ws};
use super::source::end_position;

/// The parts of a `<!DOCTYPE ...>` declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doctype {
    /// The document type name (the root element).
    pub name: String,
    /// The `PUBLIC` identifier (whitespace-normalized).
    pub public_id: Option<String>,
    /// The `SYSTEM` identifier as written.
    pub system_id: Option<String>,
    /// The text between `[` and `]`, if there is an internal subset.
    pub internal_subset: Option<String>,
    /// Byte offset of the internal subset's first character in the text given to
    /// [`parse_doctype`] (0 when there is none).
    pub internal_subset_offset: usize,
    /// 1-based line of the internal subset's first character, counted from the start of the
    /// text given to [`parse_doctype`] (which is line 1, column 1).
    pub internal_subset_line: u32,
    /// 1-based column (in characters) of the internal subset's first character.
    pub internal_subset_column: u32,
}

impl Doctype {
    /// The local file the system identifier names, resolved against the document's path
    /// (`None` without a system identifier, or when it is a URL other than `file:`; the
    /// catalog decides about those).
    pub fn local_system_path(&self, document: &std::path::Path) -> Option<std::path::PathBuf> {
        super::system_id::resolve_local(document, self.system_id.as_deref()?)
    }
}

/// A malformed `<!DOCTYPE ...>` declaration.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DoctypeError {
    /// Byte offset in the text given to [`parse_doctype`].
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

/// Split a DOCTYPE declaration. `decl` is either the whole declaration as it appears in the
/// document (`<!DOCTYPE name ... [ ... ]>`) or just what follows `<!DOCTYPE` up to (not
/// including) the closing `>` (what quick-xml's `Event::DocType` carries).
pub fn parse_doctype(decl: &str) -> Result<Doctype, DoctypeError> {
    let (start, end) = match decl.strip_prefix("<!DOCTYPE") {
        Some(rest) => {
            if !rest.trim_end_matches(is_ws).ends_with('>') {
                return Err(err(decl.len(), "expected '>' to close <!DOCTYPE ...>"));
            }
            let trimmed = decl.trim_end_matches(is_ws).len();
            if !rest.starts_with(is_ws) {
                return Err(err(9, "expected whitespace after '<!DOCTYPE'"));
            }
            (9, trimmed - 1)
        }
        None => (0, decl.len()),
    };
    let mut s = Scanner {
        text: decl,
        pos: start,
        end,
    };
    s.skip_ws();
    let name = s
        .name()
        .ok_or_else(|| err(s.pos, "expected the document type name in <!DOCTYPE ...>"))?;
    let had_ws = s.skip_ws();
    let mut public_id = None;
    let mut system_id = None;
    if s.rest().starts_with("SYSTEM") || s.rest().starts_with("PUBLIC") {
        if !had_ws {
            return Err(err(
                s.pos,
                "expected whitespace after the document type name",
            ));
        }
        let public = s.rest().starts_with("PUBLIC");
        s.pos += 6;
        if !s.skip_ws() {
            return Err(err(s.pos, "expected whitespace after SYSTEM or PUBLIC"));
        }
        if public {
            let id = s
                .literal()
                .ok_or_else(|| err(s.pos, "expected a quoted public identifier"))?;
            public_id = Some(
                id.split(is_ws)
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            if !s.skip_ws() {
                return Err(err(
                    s.pos,
                    "expected whitespace and a system identifier after the public identifier",
                ));
            }
        }
        system_id = Some(
            s.literal()
                .ok_or_else(|| err(s.pos, "expected a quoted system identifier"))?,
        );
        s.skip_ws();
    }
    let mut internal_subset = None;
    let mut internal_subset_offset = 0;
    let (mut internal_subset_line, mut internal_subset_column) = (0, 0);
    if s.rest().starts_with('[') {
        s.pos += 1;
        let subset_start = s.pos;
        let subset_end = s.subset_end()?;
        internal_subset = Some(decl.get(subset_start..subset_end).unwrap_or("").to_string());
        internal_subset_offset = subset_start;
        (internal_subset_line, internal_subset_column) =
            end_position(decl.get(..subset_start).unwrap_or(""));
        s.pos = subset_end + 1;
        s.skip_ws();
    }
    if s.pos < s.end {
        let found = s
            .rest()
            .chars()
            .next()
            .map(|c| format!("'{c}'"))
            .unwrap_or_default();
        return Err(err(
            s.pos,
            format!("expected SYSTEM, PUBLIC, '[' or the end of <!DOCTYPE ...>, found {found}"),
        ));
    }
    Ok(Doctype {
        name,
        public_id,
        system_id,
        internal_subset,
        internal_subset_offset,
        internal_subset_line,
        internal_subset_column,
    })
}

fn err(offset: usize, message: impl Into<String>) -> DoctypeError {
    DoctypeError {
        offset,
        message: message.into(),
    }
}

struct Scanner<'a> {
    text: &'a str,
    pos: usize,
    end: usize,
}

impl Scanner<'_> {
    fn rest(&self) -> &str {
        self.text.get(self.pos..self.end).unwrap_or("")
    }

    fn skip_ws(&mut self) -> bool {
        let rest = self.rest();
        let n = rest.len() - rest.trim_start_matches(is_ws).len();
        self.pos += n;
        n > 0
    }

    fn name(&mut self) -> Option<String> {
        let rest = self.rest();
        if !rest.starts_with(is_name_start) {
            return None;
        }
        let len = rest.find(|c| !is_name_char(c)).unwrap_or(rest.len());
        let name = rest.get(..len)?.to_string();
        self.pos += len;
        Some(name)
    }

    fn literal(&mut self) -> Option<String> {
        let rest = self.rest();
        let quote = rest.chars().next().filter(|&q| q == '"' || q == '\'')?;
        let len = rest.get(1..)?.find(quote)?;
        let value = rest.get(1..1 + len)?.to_string();
        self.pos += len + 2;
        Some(value)
    }

    /// Offset of the `]` ending the internal subset starting at `pos` (quotes, comments and
    /// processing instructions skipped).
    fn subset_end(&self) -> Result<usize, DoctypeError> {
        let mut i = self.pos;
        while i < self.end {
            let rest = self.text.get(i..self.end).unwrap_or("");
            let skip = |open: usize, close: &str, what: &str| {
                rest.get(open..)
                    .and_then(|r| r.find(close))
                    .map(|n| open + n + close.len())
                    .ok_or_else(|| err(i, format!("unterminated {what} in the internal subset")))
            };
            let step = if rest.starts_with("<!--") {
                skip(4, "-->", "comment")?
            } else if rest.starts_with("<?") {
                skip(2, "?>", "processing instruction")?
            } else if rest.starts_with('"') {
                skip(1, "\"", "literal")?
            } else if rest.starts_with('\'') {
                skip(1, "'", "literal")?
            } else if rest.starts_with(']') {
                return Ok(i);
            } else {
                rest.chars().next().map(char::len_utf8).unwrap_or(1)
            };
            i += step;
        }
        Err(err(
            self.pos,
            "expected ']' to close the internal subset of <!DOCTYPE ...>",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_full_declaration() {
        let d = parse_doctype("<!DOCTYPE doc PUBLIC \"-//A//B\n x\" 'doc.dtd' [\n<!ELEMENT doc (#PCDATA)>\n<!-- ] -->\n<!ATTLIST doc a CDATA ']'>\n]>").unwrap();
        assert_eq!(d.name, "doc");
        assert_eq!(d.public_id.as_deref(), Some("-//A//B x"));
        assert_eq!(d.system_id.as_deref(), Some("doc.dtd"));
        let subset = d.internal_subset.unwrap();
        assert!(subset.starts_with("\n<!ELEMENT"));
        assert!(subset.ends_with("']'>\n"));
        assert_eq!((d.internal_subset_line, d.internal_subset_column), (2, 16));
    }

    #[test]
    fn splits_quick_xml_content() {
        let d = parse_doctype(" doc SYSTEM \"a.dtd\"").unwrap();
        assert_eq!(
            (d.name.as_str(), d.system_id.as_deref(), d.internal_subset),
            ("doc", Some("a.dtd"), None)
        );
        let d = parse_doctype("doc[<!ELEMENT doc ANY>]").unwrap();
        assert_eq!(d.internal_subset.as_deref(), Some("<!ELEMENT doc ANY>"));
        assert_eq!(d.internal_subset_offset, 4);
    }

    #[test]
    fn resolves_local_system_ids() {
        let d = parse_doctype("<!DOCTYPE a SYSTEM '../dtd/a.dtd'>").unwrap();
        let p = d.local_system_path(std::path::Path::new("docs/x/doc.xml"));
        assert_eq!(p, Some(std::path::PathBuf::from("docs/dtd/a.dtd")));
        let d = parse_doctype("<!DOCTYPE a SYSTEM 'https://qualysapi.qualys.com/a.dtd'>").unwrap();
        assert_eq!(d.local_system_path(std::path::Path::new("doc.xml")), None);
    }

    #[test]
    fn rejects_malformed() {
        assert!(parse_doctype("<!DOCTYPE doc [ <!ELEMENT doc ANY>").is_err());
        assert!(parse_doctype("<!DOCTYPE>").is_err());
        assert!(parse_doctype("<!DOCTYPE doc SYSTEM>").is_err());
        assert!(parse_doctype("<!DOCTYPE doc [] x>").is_err());
        assert!(parse_doctype(" doc [ '<!-- ]").is_err());
    }
}
