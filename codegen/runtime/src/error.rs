//! The error of reading a document into generated types.

use roxmltree::Node;

/// Why a document could not be read: where (element path and line:column) and what.
///
/// Displays as `/ServiceResponse/data/Finding[2]/severity at 14:7: expected xs:int, found 'x'`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path} at {line}:{column}: {message}")]
pub struct FromXmlError {
    /// XPath-like path of the element (`/a/b[2]/c`; `@name` appended for attributes; `/` when
    /// the document itself is malformed).
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong and what was expected.
    pub message: String,
}

impl FromXmlError {
    /// An error located at `node` (its start tag).
    pub fn at(node: Node<'_, '_>, message: impl Into<String>) -> FromXmlError {
        let pos = node.document().text_pos_at(node.range().start);
        FromXmlError {
            path: element_path(node),
            line: pos.row,
            column: pos.col,
            message: message.into(),
        }
    }

    /// An error about attribute `name` of `node`, located at the attribute when present.
    pub fn at_attribute(
        node: Node<'_, '_>,
        attribute: Option<roxmltree::Attribute<'_, '_>>,
        name: &str,
        message: impl Into<String>,
    ) -> FromXmlError {
        let start = attribute.map_or(node.range().start, |a| a.range().start);
        let pos = node.document().text_pos_at(start);
        FromXmlError {
            path: format!("{}/@{name}", element_path(node)),
            line: pos.row,
            column: pos.col,
            message: message.into(),
        }
    }

    /// An error at the end of `node`'s content (its end tag), e.g. a missing required child.
    pub fn at_end(node: Node<'_, '_>, message: impl Into<String>) -> FromXmlError {
        let end = node.range().end;
        let doc = node.document();
        // Point at the `</` of the end tag when there is one.
        let text = doc.input_text();
        let start = text
            .get(..end)
            .and_then(|t| t.rfind("</"))
            .filter(|&i| i >= node.range().start)
            .unwrap_or(node.range().start);
        let pos = doc.text_pos_at(start);
        FromXmlError {
            path: element_path(node),
            line: pos.row,
            column: pos.col,
            message: message.into(),
        }
    }

    /// The document is not well-formed XML.
    pub fn malformed(err: &roxmltree::Error) -> FromXmlError {
        let pos = err.pos();
        FromXmlError {
            path: "/".to_string(),
            line: pos.row,
            column: pos.col,
            message: format!("not well-formed XML: {err}"),
        }
    }
}

/// The path of an element: names from the root, with a 1-based `[n]` index when the
/// element has same-named siblings.
pub fn element_path(node: Node<'_, '_>) -> String {
    let mut parts = Vec::new();
    for n in node.ancestors().filter(|n| n.is_element()) {
        let name = n.tag_name();
        let same = |s: &Node<'_, '_>| s.is_element() && s.tag_name() == name;
        let before = n.prev_siblings().skip(1).filter(same).count();
        let after = n.next_siblings().skip(1).filter(same).count();
        if before + after > 0 {
            parts.push(format!("{}[{}]", name.name(), before + 1));
        } else {
            parts.push(name.name().to_string());
        }
    }
    parts.reverse();
    format!("/{}", parts.join("/"))
}
