//! Small readers for schema-document syntax: XSD element tests, boolean and occurrence
//! attributes, and the check that no unknown attribute is silently ignored.

use roxmltree::Node;

use crate::ir::MaxOccurs;

/// The XML Schema namespace.
pub(crate) const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";

/// The XML namespace (`xml:lang`...).
pub(crate) const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Whether `node` is the XSD element `xs:{name}`.
pub(crate) fn is_xsd(node: Node, name: &str) -> bool {
    node.is_element()
        && node.tag_name().namespace() == Some(XSD_NS)
        && node.tag_name().name() == name
}

/// The local name of an element in the XSD namespace, `None` for anything else.
pub(crate) fn xsd_name<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    if node.is_element() && node.tag_name().namespace() == Some(XSD_NS) {
        Some(node.tag_name().name())
    } else {
        None
    }
}

/// How an element is shown in messages: `<xs:name>` for XSD elements, else `<name>`.
pub(crate) fn show(node: Node) -> String {
    match xsd_name(node) {
        Some(n) => format!("<xs:{n}>"),
        None => match node.tag_name().namespace() {
            Some(ns) => format!("<{}> (namespace {ns})", node.tag_name().name()),
            None => format!("<{}>", node.tag_name().name()),
        },
    }
}

/// Parse an `xs:boolean` attribute value.
pub(crate) fn parse_bool(value: &str) -> Option<bool> {
    match value.trim() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// Parse `minOccurs`: a non-negative integer.
pub(crate) fn parse_min_occurs(value: &str) -> Result<u32, String> {
    parse_count(value).map_err(|why| format!("minOccurs=\"{value}\" {why}"))
}

/// Parse `maxOccurs`: a non-negative integer or `unbounded`.
pub(crate) fn parse_max_occurs(value: &str) -> Result<MaxOccurs, String> {
    if value.trim() == "unbounded" {
        return Ok(MaxOccurs::Unbounded);
    }
    parse_count(value)
        .map(MaxOccurs::Bounded)
        .map_err(|why| format!("maxOccurs=\"{value}\" {why} or 'unbounded'"))
}

fn parse_count(value: &str) -> Result<u32, &'static str> {
    let v = value.trim();
    let digits = v.strip_prefix('+').unwrap_or(v);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("is not a non-negative integer");
    }
    digits.parse::<u32>().map_err(|_| "is too large")
}

/// Parse a non-negative integer facet value.
pub(crate) fn parse_u64(value: &str) -> Option<u64> {
    let v = value.trim();
    let digits = v.strip_prefix('+').unwrap_or(v);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

pub(crate) use crate::xml_chars::is_ncname;

/// The no-namespace attributes of `node` whose names are not in `allowed`.
pub(crate) fn unknown_attributes<'a>(node: Node<'a, '_>, allowed: &[&str]) -> Vec<&'a str> {
    node.attributes()
        .filter(|a| a.namespace().is_none() && !allowed.contains(&a.name()))
        .map(|a| a.name())
        .collect()
}

/// Why a known XSD attribute is misplaced on `node` (`None` for attributes XSD does not have
/// on this element at all).
pub(crate) fn placement_hint(node: Node, attribute: &str) -> Option<&'static str> {
    let top_level = node.parent_element().is_some_and(|p| is_xsd(p, "schema"));
    let is_ref = node.has_attribute("ref");
    match (xsd_name(node)?, attribute) {
        ("element", "minOccurs" | "maxOccurs" | "form") if top_level => {
            Some("a top-level <xs:element> declares a global element; occurrences and form belong on the local declaration or reference")
        }
        ("element", "abstract" | "final" | "substitutionGroup") if !top_level => {
            Some("only a top-level <xs:element> can be abstract, final or in a substitution group")
        }
        (
            "element",
            "name" | "type" | "default" | "fixed" | "nillable" | "block" | "form" | "abstract"
            | "final" | "substitutionGroup",
        )
        | ("attribute", "name" | "type" | "form")
            if is_ref =>
        {
            Some("a reference (ref=) takes everything but its occurrences/use and value from the declaration it names")
        }
        ("attribute", "use") if top_level => {
            Some("a top-level <xs:attribute> is a declaration; use= belongs on the attribute use inside a type")
        }
        ("attribute", "form") if top_level => {
            Some("a top-level <xs:attribute> is always qualified")
        }
        _ => None,
    }
}
