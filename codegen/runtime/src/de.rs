//! Reading XML: a cursor over a parent's child elements plus helpers that generated code
//! calls. Every failure is a located [`FromXmlError`].

use roxmltree::Node;

use crate::any::{AnyAttribute, Mixed, NsConstraint};
use crate::error::FromXmlError;
use crate::scalar::XmlScalar;

/// The XML Schema instance namespace: `xsi:*` attributes are allowed on every element and
/// not kept (`xsi:schemaLocation` hints are not content).
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Parse `xml`, check that the root element is `name` in `namespace`, and read it with `read`.
pub fn parse_document<T>(
    xml: &str,
    name: &str,
    namespace: Option<&str>,
    read: impl FnOnce(Node<'_, '_>) -> Result<T, FromXmlError>,
) -> Result<T, FromXmlError> {
    check_depth(xml, MAX_DEPTH)?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(xml, options)
        .map_err(|e| FromXmlError::malformed(&e))?;
    let root = doc.root_element();
    if !is(root, namespace, name) {
        return Err(FromXmlError::at(
            root,
            format!(
                "expected root element {}, found {}",
                show(namespace, name),
                node_name(root)
            ),
        ));
    }
    read(root)
}

/// The deepest element nesting a document may have. The XML parser and the generated
/// readers both recurse once per level, so deeper (hostile) input is refused up front
/// instead of exhausting the stack.
pub const MAX_DEPTH: usize = 256;

/// Refuse documents whose elements nest deeper than `limit`, by a scan of the text that
/// recurses nowhere: start tags open a level, end tags and `/>` close one; comments, CDATA
/// sections, processing instructions, the DOCTYPE (with its internal subset) and quoted
/// attribute values are skipped. Malformed input is left for the parser to report.
pub fn check_depth(xml: &str, limit: usize) -> Result<(), FromXmlError> {
    let b = xml.as_bytes();
    let mut i = 0;
    let mut depth = 0usize;
    let find = |from: usize, pat: &[u8]| -> usize {
        b.get(from..)
            .and_then(|rest| rest.windows(pat.len()).position(|w| w == pat))
            .map_or(b.len(), |p| from + p + pat.len())
    };
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &b[i..];
        if rest.starts_with(b"<!--") {
            i = find(i + 4, b"-->");
        } else if rest.starts_with(b"<![CDATA[") {
            i = find(i + 9, b"]]>");
        } else if rest.starts_with(b"<?") {
            i = find(i + 2, b"?>");
        } else if rest.starts_with(b"<!") {
            // DOCTYPE: skip to its closing '>', past a bracketed internal subset and quotes.
            let mut j = i + 2;
            let mut brackets = 0usize;
            while j < b.len() {
                match b[j] {
                    b'[' => brackets += 1,
                    b']' => brackets = brackets.saturating_sub(1),
                    q @ (b'"' | b'\'') => j = find(j + 1, &[q]) - 1,
                    b'<' if b[j..].starts_with(b"<!--") => j = find(j + 4, b"-->") - 1,
                    b'>' if brackets == 0 => break,
                    _ => {}
                }
                j += 1;
            }
            i = j + 1;
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            i = find(i + 2, b">");
        } else {
            // A start tag: find its end outside quoted attribute values.
            let start = i;
            let mut j = i + 1;
            while j < b.len() && b[j] != b'>' {
                if let q @ (b'"' | b'\'') = b[j] {
                    j = find(j + 1, &[q]) - 1;
                }
                j += 1;
            }
            let empty = j > 0 && b.get(j - 1) == Some(&b'/');
            if !empty {
                depth += 1;
                if depth > limit {
                    let (line, column) = line_col(xml, start);
                    return Err(FromXmlError {
                        path: "/".to_string(),
                        line,
                        column,
                        message: format!("elements nest deeper than {limit} levels"),
                    });
                }
            }
            i = j + 1;
        }
    }
    Ok(())
}

fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    (line, col)
}

/// The namespace of an element; `None` for no namespace (also after `xmlns=""`).
pub fn element_namespace<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    node.tag_name().namespace().filter(|ns| !ns.is_empty())
}

/// Whether `node` is the element `name` in `namespace`.
pub fn is(node: Node<'_, '_>, namespace: Option<&str>, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && element_namespace(node) == namespace
}

fn show(namespace: Option<&str>, name: &str) -> String {
    match namespace {
        Some(ns) => format!("<{name}> (namespace {ns})"),
        None => format!("<{name}>"),
    }
}

/// `<name>` of an element, with its namespace when it has one.
pub fn node_name(node: Node<'_, '_>) -> String {
    show(element_namespace(node), node.tag_name().name())
}

fn excerpt(text: &str) -> String {
    let t: String = text.chars().take(40).collect();
    if t.len() < text.len() {
        format!("{t}...")
    } else {
        t
    }
}

/// A cursor over the child elements of an element with element-only content.
#[derive(Debug)]
pub struct Children<'a, 'input> {
    parent: Node<'a, 'input>,
    nodes: Vec<Node<'a, 'input>>,
    pos: usize,
}

impl<'a, 'input> Children<'a, 'input> {
    /// The child elements of `parent`; non-whitespace text is an error (element-only content).
    pub fn new(parent: Node<'a, 'input>) -> Result<Self, FromXmlError> {
        let mut nodes = Vec::new();
        for child in parent.children() {
            if child.is_element() {
                nodes.push(child);
            } else if child.is_text() {
                let text = child.text().unwrap_or("");
                if !text.trim_matches([' ', '\t', '\r', '\n']).is_empty() {
                    return Err(FromXmlError::at(
                        parent,
                        format!(
                            "unexpected text '{}' in element-only content",
                            excerpt(text.trim())
                        ),
                    ));
                }
            }
        }
        Ok(Children {
            parent,
            nodes,
            pos: 0,
        })
    }

    /// The element whose children these are.
    pub fn parent(&self) -> Node<'a, 'input> {
        self.parent
    }

    /// How many children were consumed.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// The next child, not consumed.
    pub fn peek(&self) -> Option<Node<'a, 'input>> {
        self.nodes.get(self.pos).copied()
    }

    /// Consume the next child if it is `name` in `namespace`.
    pub fn take(&mut self, namespace: Option<&str>, name: &str) -> Option<Node<'a, 'input>> {
        self.take_if(|n| is(n, namespace, name))
    }

    /// Consume the next child if `pred` accepts it.
    pub fn take_if(&mut self, pred: impl Fn(Node<'_, '_>) -> bool) -> Option<Node<'a, 'input>> {
        let node = self.peek().filter(|n| pred(*n))?;
        self.pos += 1;
        Some(node)
    }

    /// Consume the next child if it matches the wildcard.
    pub fn take_any(&mut self, constraint: NsConstraint) -> Option<Node<'a, 'input>> {
        self.take_if(|n| constraint.matches(element_namespace(n)))
    }

    /// Consume the required child `name`.
    pub fn expect(
        &mut self,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Node<'a, 'input>, FromXmlError> {
        self.take(namespace, name)
            .ok_or_else(|| self.error_expected(&show(namespace, name)))
    }

    /// An error at the next child (or the parent's end tag): `expected {what}, found ...`.
    pub fn error_expected(&self, what: &str) -> FromXmlError {
        match self.peek() {
            Some(n) => FromXmlError::at(n, format!("expected {what}, found {}", node_name(n))),
            None => FromXmlError::at_end(
                self.parent,
                format!(
                    "missing {what} in {} (found the end of the element)",
                    node_name(self.parent)
                ),
            ),
        }
    }

    /// An error for a child repeated fewer than `min` times.
    pub fn error_too_few(&self, what: &str, min: u32, found: usize) -> FromXmlError {
        self.error_expected(&format!("{what} (at least {min}, found {found})"))
    }

    /// Read the required child `name` with `read`.
    pub fn required<T>(
        &mut self,
        namespace: Option<&str>,
        name: &str,
        read: impl FnOnce(Node<'a, 'input>) -> Result<T, FromXmlError>,
    ) -> Result<T, FromXmlError> {
        let node = self.expect(namespace, name)?;
        read(node)
    }

    /// Read the optional child `name` with `read`.
    pub fn optional<T>(
        &mut self,
        namespace: Option<&str>,
        name: &str,
        read: impl FnOnce(Node<'a, 'input>) -> Result<T, FromXmlError>,
    ) -> Result<Option<T>, FromXmlError> {
        self.take(namespace, name).map(read).transpose()
    }

    /// Read `min..=max` consecutive children `name` (`max` `None`: unbounded) with `read`.
    /// More than `max` are left for the next particle (or [`Children::finish`]) to report.
    pub fn repeated<T>(
        &mut self,
        namespace: Option<&str>,
        name: &str,
        (min, max): (u32, Option<usize>),
        mut read: impl FnMut(Node<'a, 'input>) -> Result<T, FromXmlError>,
    ) -> Result<Vec<T>, FromXmlError> {
        let mut items = Vec::new();
        loop {
            if max.is_some_and(|m| items.len() >= m) {
                break;
            }
            match self.take(namespace, name) {
                Some(node) => items.push(read(node)?),
                None => break,
            }
        }
        if items.len() < min as usize {
            return Err(self.error_too_few(&show(namespace, name), min, items.len()));
        }
        Ok(items)
    }

    /// Check that every child was consumed.
    pub fn finish(&self) -> Result<(), FromXmlError> {
        match self.peek() {
            None => Ok(()),
            Some(n) => Err(FromXmlError::at(
                n,
                format!(
                    "unexpected element {} in {} (not allowed here by the schema)",
                    node_name(n),
                    node_name(self.parent)
                ),
            )),
        }
    }
}

/// The text content of an element with simple content; child elements are an error.
/// CDATA sections are text.
pub fn text(node: Node<'_, '_>) -> Result<String, FromXmlError> {
    let mut out = String::new();
    for child in node.children() {
        if child.is_element() {
            return Err(FromXmlError::at(
                child,
                format!(
                    "unexpected element {} in text-only content of {}",
                    node_name(child),
                    node_name(node)
                ),
            ));
        }
        if child.is_text() {
            out.push_str(child.text().unwrap_or(""));
        }
    }
    Ok(out)
}

/// Parse the text of `node` as `T`.
pub fn scalar<T: XmlScalar>(node: Node<'_, '_>) -> Result<T, FromXmlError> {
    let text = text(node)?;
    T::parse_text(&text).map_err(|e| {
        FromXmlError::at(
            node,
            format!("expected {}, found '{}'", e.expected, excerpt(&text)),
        )
    })
}

/// Parse an optional attribute.
pub fn attribute<T: XmlScalar>(
    node: Node<'_, '_>,
    namespace: Option<&str>,
    name: &str,
) -> Result<Option<T>, FromXmlError> {
    let attr = node
        .attributes()
        .find(|a| a.name() == name && a.namespace() == namespace);
    match attr {
        None => Ok(None),
        Some(a) => T::parse_text(a.value()).map(Some).map_err(|e| {
            FromXmlError::at_attribute(
                node,
                Some(a),
                name,
                format!("expected {}, found '{}'", e.expected, excerpt(a.value())),
            )
        }),
    }
}

/// Parse a required attribute.
pub fn required_attribute<T: XmlScalar>(
    node: Node<'_, '_>,
    namespace: Option<&str>,
    name: &str,
) -> Result<T, FromXmlError> {
    attribute(node, namespace, name)?.ok_or_else(|| {
        FromXmlError::at_attribute(
            node,
            None,
            name,
            format!("missing required attribute {name}"),
        )
    })
}

/// Check the attributes of `node`: declared ones (`known`) are read elsewhere, `xsi:*` are
/// allowed, attributes matching `wildcard` are returned, anything else is an error.
pub fn other_attributes(
    node: Node<'_, '_>,
    known: &[(Option<&str>, &str)],
    wildcard: Option<NsConstraint>,
) -> Result<Vec<AnyAttribute>, FromXmlError> {
    let mut others = Vec::new();
    for a in node.attributes() {
        if known.contains(&(a.namespace(), a.name())) || a.namespace() == Some(XSI_NS) {
            continue;
        }
        if wildcard.is_some_and(|w| w.matches(a.namespace())) {
            others.push(AnyAttribute::from_attribute(&a));
            continue;
        }
        return Err(FromXmlError::at_attribute(
            node,
            Some(a),
            a.name(),
            format!(
                "attribute {} is not declared for {}",
                a.name(),
                node_name(node)
            ),
        ));
    }
    Ok(others)
}

/// Read mixed content: text items and child elements (each read by `element`), in order.
pub fn mixed<T>(
    node: Node<'_, '_>,
    mut element: impl FnMut(Node<'_, '_>) -> Result<T, FromXmlError>,
) -> Result<Vec<Mixed<T>>, FromXmlError> {
    let mut out: Vec<Mixed<T>> = Vec::new();
    for child in node.children() {
        if child.is_element() {
            out.push(Mixed::Element(element(child)?));
        } else if child.is_text() {
            let t = child.text().unwrap_or("");
            match out.last_mut() {
                Some(Mixed::Text(prev)) => prev.push_str(t),
                _ => out.push(Mixed::Text(t.to_string())),
            }
        }
    }
    Ok(out)
}

/// The error for a child element that mixed content does not allow.
pub fn unexpected_element(node: Node<'_, '_>) -> FromXmlError {
    let parent = node
        .parent_element()
        .map_or_else(String::new, |p| node_name(p));
    FromXmlError::at(
        node,
        format!(
            "unexpected element {} in {parent} (not allowed here by the schema)",
            node_name(node)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_carry_path_and_position() {
        let xml = "<a>\n  <b>1</b>\n  <b>x</b>\n</a>";
        let err = parse_document(xml, "a", None, |root| {
            let mut c = Children::new(root)?;
            let mut v = Vec::new();
            while let Some(n) = c.take(None, "b") {
                v.push(scalar::<i32>(n)?);
            }
            c.finish()?;
            Ok(v)
        })
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "/a/b[2] at 3:3: expected xs:int, found 'x'"
        );
    }

    #[test]
    fn missing_child_points_at_end_tag() {
        let xml = "<a>\n  <b/>\n</a>";
        let err = parse_document(xml, "a", None, |root| {
            let mut c = Children::new(root)?;
            c.expect(None, "b")?;
            c.expect(None, "c")?;
            Ok(())
        })
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "/a at 3:1: missing <c> in <a> (found the end of the element)"
        );
    }

    #[test]
    fn wrong_root_and_malformed_input() {
        let err = parse_document("<x/>", "a", None, |_| Ok(())).unwrap_err();
        assert_eq!(
            err.to_string(),
            "/x at 1:1: expected root element <a>, found <x>"
        );
        let err = parse_document("<a>\n<b></a>", "a", None, |_| Ok(())).unwrap_err();
        assert_eq!((err.path.as_str(), err.line), ("/", 2), "{err}");
        assert!(err.message.starts_with("not well-formed XML"), "{err}");
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let depth = 100_000;
        let xml = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
        let err = parse_document(&xml, "a", None, |_| Ok(())).unwrap_err();
        assert_eq!(err.message, "elements nest deeper than 256 levels");
        assert_eq!((err.line, err.column), (1, 3 * 256 + 1));
        let ok = format!(
            "<!DOCTYPE a [<!ELEMENT a ANY> <!-- <b> -->]><?pi <c>?>{}<b x='<d>' y=\"/>\"/><!-- <e> --><![CDATA[<f>]]>{}",
            "<a>".repeat(256),
            "</a>".repeat(256)
        );
        assert!(check_depth(&ok, 256).is_ok());
        assert!(check_depth(&ok, 255).is_err());
    }

    #[test]
    fn an_undeclared_default_namespace_is_no_namespace() {
        let xml = r#"<a xmlns="urn:x"><b xmlns="">1</b></a>"#;
        let v = parse_document(xml, "a", Some("urn:x"), |root| {
            let c = &mut Children::new(root)?;
            let b = c.expect(None, "b")?;
            c.finish()?;
            scalar::<i32>(b)
        });
        assert_eq!(v, Ok(1));
    }

    #[test]
    fn text_in_element_only_content_is_an_error() {
        let err = parse_document("<a> x <b/></a>", "a", None, |root| {
            Children::new(root).map(|_| ())
        })
        .unwrap_err();
        assert!(err.message.contains("unexpected text 'x'"), "{err}");
    }

    #[test]
    fn undeclared_attributes_are_errors_but_xsi_is_allowed() {
        let xml = r#"<a xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="a.xsd" k="1" z="2"/>"#;
        let err = parse_document(xml, "a", None, |root| {
            other_attributes(root, &[(None, "k")], None).map(|_| ())
        })
        .unwrap_err();
        assert_eq!(err.path, "/a/@z");
        assert!(err.message.contains("attribute z is not declared"));
    }
}
