//! Byte-range helpers on a payload's text: element paths, line numbers, splicing, the range
//! of an element's content.

use std::ops::Range;

use roxmltree::Node;

/// Whether `n` has element children.
pub fn has_child_elements(n: Node) -> bool {
    n.children().any(|c| c.is_element())
}

/// Whether `n` is written `<a .../>`.
pub fn is_self_closing(text: &str, n: Node) -> bool {
    text.get(n.range()).is_some_and(|s| s.ends_with("/>"))
}

/// `/a/b[2]/c`: the element's path, with a position where siblings share its name.
pub fn path_of(n: Node) -> String {
    let mut parts = Vec::new();
    let mut cur = Some(n);
    while let Some(e) = cur.filter(|e| e.is_element()) {
        let name = e.tag_name().name();
        let same: Vec<_> = e
            .parent()
            .map(|p| {
                p.children()
                    .filter(|c| c.is_element() && c.tag_name().name() == name)
                    .collect()
            })
            .unwrap_or_default();
        if same.len() > 1 {
            let pos = same.iter().position(|s| *s == e).unwrap_or(0) + 1;
            parts.push(format!("{name}[{pos}]"));
        } else {
            parts.push(name.to_string());
        }
        cur = e.parent();
    }
    parts.reverse();
    format!("/{}", parts.join("/"))
}

/// 1-based line of byte `offset` in `text`.
pub fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(offset)
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// `text` with `range` replaced by `with` (`None` when the range is not on char boundaries).
pub fn splice(text: &str, range: Range<usize>, with: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(text.get(..range.start)?);
    out.push_str(with);
    out.push_str(text.get(range.end..)?);
    Some(out)
}

/// The byte range of an element's content (between its start and end tags); for `<a/>`,
/// `None`.
pub fn content_range(text: &str, n: Node) -> Option<Range<usize>> {
    let r = n.range();
    let s = text.get(r.clone())?;
    if s.ends_with("/>") {
        return None;
    }
    let end = r.start + s.rfind("</")?;
    match (n.first_child(), n.last_child()) {
        (Some(first), Some(last)) => {
            Some(first.range().start..last.range().end.max(first.range().start))
        }
        _ => Some(end..end),
    }
}

/// The text `n`'s content is replaced by, as a splice: (range, replacement).
pub fn set_text(text: &str, n: Node, value: &str) -> Option<(Range<usize>, String)> {
    match content_range(text, n) {
        Some(r) => Some((r, value.to_string())),
        None => {
            let r = n.range();
            let qname = text.get(r.start + 1..)?;
            let name_len = qname
                .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
                .unwrap_or(0);
            let name = qname.get(..name_len)?;
            Some((r.end - 2..r.end, format!(">{value}</{name}>")))
        }
    }
}
