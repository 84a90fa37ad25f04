//! Faithful representations of content that a schema leaves open: wildcards (`xs:any`,
//! `xs:anyAttribute`), DTD `ANY`, and mixed content.

use roxmltree::Node;

use crate::ser::XmlWriter;

/// An attribute kept verbatim (matched by `xs:anyAttribute`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AnyAttribute {
    /// Namespace URI, if any.
    pub namespace: Option<String>,
    /// Local name.
    pub name: String,
    /// Value (after XML attribute-value normalization).
    pub value: String,
}

/// An element kept as a generic tree (matched by `xs:any` or inside DTD `ANY`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AnyElement {
    /// Namespace URI, if any.
    pub namespace: Option<String>,
    /// Local name.
    pub name: String,
    /// Attributes in document order.
    pub attributes: Vec<AnyAttribute>,
    /// Children in document order.
    pub children: Vec<AnyNode>,
}

/// A child of an [`AnyElement`] or of `ANY` content.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AnyNode {
    /// Character data (CDATA sections are text).
    Text(String),
    /// An element.
    Element(AnyElement),
}

/// One item of mixed content: text, or an element of the typed child enum `T`.
#[derive(Clone, Debug, PartialEq)]
pub enum Mixed<T> {
    /// Character data between elements.
    Text(String),
    /// A child element.
    Element(T),
}

/// The namespaces a wildcard accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NsConstraint {
    /// `##any`.
    Any,
    /// `##other`: any namespace except the one given (`None`: except no namespace), and
    /// never "no namespace".
    Not(Option<&'static str>),
    /// An explicit list (`None` is "no namespace").
    List(&'static [Option<&'static str>]),
}

impl NsConstraint {
    /// Whether an element or attribute in `namespace` matches.
    pub fn matches(&self, namespace: Option<&str>) -> bool {
        match self {
            NsConstraint::Any => true,
            NsConstraint::Not(excluded) => namespace.is_some() && namespace != *excluded,
            NsConstraint::List(list) => list.contains(&namespace),
        }
    }
}

impl AnyAttribute {
    /// Copy an attribute.
    pub fn from_attribute(a: &roxmltree::Attribute<'_, '_>) -> AnyAttribute {
        AnyAttribute {
            namespace: a.namespace().map(str::to_string),
            name: a.name().to_string(),
            value: a.value().to_string(),
        }
    }
}

impl AnyElement {
    /// Copy an element and everything inside it (comments and processing instructions are
    /// not content and are left out).
    pub fn from_node(node: Node<'_, '_>) -> AnyElement {
        AnyElement {
            namespace: crate::de::element_namespace(node).map(str::to_string),
            name: node.tag_name().name().to_string(),
            attributes: node
                .attributes()
                .map(|a| AnyAttribute::from_attribute(&a))
                .collect(),
            children: AnyNode::children_of(node),
        }
    }

    /// Write the element.
    pub fn write(&self, w: &mut XmlWriter) {
        w.start(&self.name, self.namespace.as_deref());
        for a in &self.attributes {
            w.attribute_ns(a.namespace.as_deref(), &a.name, &a.value);
        }
        AnyNode::write_all(&self.children, w);
        w.end();
    }
}

impl AnyNode {
    /// The text and element children of `node`, in order.
    pub fn children_of(node: Node<'_, '_>) -> Vec<AnyNode> {
        let mut out: Vec<AnyNode> = Vec::new();
        for child in node.children() {
            if child.is_element() {
                out.push(AnyNode::Element(AnyElement::from_node(child)));
            } else if let Some(t) = child.text().filter(|_| child.is_text()) {
                // Adjacent text and CDATA nodes form one text item.
                match out.last_mut() {
                    Some(AnyNode::Text(prev)) => prev.push_str(t),
                    _ => out.push(AnyNode::Text(t.to_string())),
                }
            }
        }
        out
    }

    /// Write nodes as mixed content (no indentation added).
    pub fn write_all(nodes: &[AnyNode], w: &mut XmlWriter) {
        w.mixed(|w| {
            for n in nodes {
                match n {
                    AnyNode::Text(t) => w.text(t),
                    AnyNode::Element(e) => e.write(w),
                }
            }
        });
    }
}
