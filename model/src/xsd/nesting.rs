//! A guard run before roxmltree parses a schema document: roxmltree recurses per element
//! nesting level, so a hostile document nested thousands of levels deep would overflow the
//! stack. This scans the markup (skipping comments, CDATA, processing instructions, the
//! DOCTYPE and quoted attribute values) and finds the first start tag nested too deeply.

/// Deepest element nesting a schema document may have.
pub(crate) const MAX_XML_DEPTH: usize = 200;

/// The byte offset of the first start tag nested deeper than [`MAX_XML_DEPTH`], if any.
/// Malformed markup is not reported here (the parser does that).
pub(crate) fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(rel) = text.get(i..).and_then(|t| t.find('<')) {
        let start = i + rel;
        let rest = text.get(start..).unwrap_or("");
        i = if rest.starts_with("<!--") {
            skip_past(text, start + 4, "-->")
        } else if rest.starts_with("<![CDATA[") {
            skip_past(text, start + 9, "]]>")
        } else if rest.starts_with("<?") {
            skip_past(text, start + 2, "?>")
        } else if rest.starts_with("<!") {
            skip_declaration(bytes, start + 2)
        } else if rest.starts_with("</") {
            depth = depth.saturating_sub(1);
            skip_past(text, start + 2, ">")
        } else {
            let end = skip_tag(bytes, start + 1);
            let self_closing = end >= 2 && bytes.get(end - 2) == Some(&b'/');
            if !self_closing {
                depth += 1;
                if depth > MAX_XML_DEPTH {
                    return Some(start);
                }
            }
            end
        };
    }
    None
}

/// The offset just past the next `end` at or after `from` (the text's end if none).
fn skip_past(text: &str, from: usize, end: &str) -> usize {
    match text.get(from..).and_then(|t| t.find(end)) {
        Some(p) => from + p + end.len(),
        None => text.len(),
    }
}

/// The offset just past the `>` closing a tag, skipping quoted attribute values.
fn skip_tag(bytes: &[u8], mut i: usize) -> usize {
    let mut quote: Option<u8> = None;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match (quote, b) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return i,
            (None, _) => {}
        }
    }
    i
}

/// The offset just past a `<!...>` declaration (DOCTYPE with an internal subset in `[...]`).
fn skip_declaration(bytes: &[u8], mut i: usize) -> usize {
    let mut quote: Option<u8> = None;
    let mut brackets = 0usize;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match (quote, b) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'[') => brackets += 1,
            (None, b']') => brackets = brackets.saturating_sub(1),
            (None, b'>') if brackets == 0 => return i,
            (None, _) => {}
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_only_real_nesting() {
        let ok = "<a><!-- <b><b><b> --><![CDATA[<c><c>]]><d x='<e>'/><?pi <f>?></a>";
        assert_eq!(too_deep(ok), None);
        let deep = "<r>".repeat(MAX_XML_DEPTH + 1);
        assert_eq!(too_deep(&deep), Some(3 * MAX_XML_DEPTH));
        let flat = "<r/>".repeat(10 * MAX_XML_DEPTH);
        assert_eq!(too_deep(&flat), None);
        let doctype = "<!DOCTYPE r [<!ELEMENT r ANY> <!ENTITY e '>'>]><r></r>";
        assert_eq!(too_deep(doctype), None);
    }
}
