//! The parts of the schema for schemas' content models that the lowering, which looks past
//! annotations, does not see (XSD 1.0 Structures, the XML representation of each component,
//! "s4s"): an `xs:annotation` only as the first child and at most once (except directly in
//! `xs:schema` and `xs:redefine`, where annotations may come anywhere); `xs:include`,
//! `xs:import` and `xs:redefine` before the schema's other top-level children; and nothing but
//! an annotation inside facets, wildcards, includes, imports, notations and references
//! (`ref=` elements and attributes: src-element.2.2, src-attribute.3.2; group and attribute
//! group references).

use roxmltree::Node;

use super::facets::FACETS;
use super::lower::Lowerer;
use super::values::{is_xsd, show, xsd_name};

/// The XSD elements whose content is `(annotation?)`.
const ANNOTATION_ONLY: &[&str] = &["include", "import", "notation", "any", "anyAttribute"];

/// The references whose content is `(annotation?)`.
const REFERENCES: &[&str] = &["element", "attribute", "group", "attributeGroup"];

impl Lowerer<'_, '_> {
    /// Check the child order of every XSD element of document `d` (whose root is `root`).
    pub(crate) fn check_content_order(&mut self, d: usize, root: Node) {
        self.check_schema_children(d, root);
        for node in root.descendants().filter(|n| n.is_element()) {
            let Some(name) = xsd_name(node) else {
                continue;
            };
            if matches!(name, "schema" | "redefine")
                || node.ancestors().any(|a| is_xsd(a, "annotation"))
            {
                continue;
            }
            self.check_annotation_first(d, node);
            let only_annotation = FACETS.contains(&name)
                || ANNOTATION_ONLY.contains(&name)
                || (REFERENCES.contains(&name) && node.has_attribute("ref"));
            if !only_annotation {
                continue;
            }
            for child in node.children().filter(|c| c.is_element()) {
                if !is_xsd(child, "annotation") {
                    let what = if node.has_attribute("ref") {
                        "a reference (ref=)"
                    } else {
                        "this element"
                    };
                    self.error_at(
                        d,
                        child,
                        format!(
                            "unexpected {} in {}: {what} can only contain an <xs:annotation> (schema for schemas)",
                            show(child),
                            show(node)
                        ),
                    );
                }
            }
        }
    }

    /// `xs:annotation` is the first child of `node`, and there is at most one.
    fn check_annotation_first(&mut self, d: usize, node: Node) {
        let mut seen_other = false;
        let mut seen_annotation = false;
        for child in node.children().filter(|c| c.is_element()) {
            if !is_xsd(child, "annotation") {
                seen_other = true;
                continue;
            }
            if seen_annotation {
                self.error_at(
                    d,
                    child,
                    format!(
                        "a second <xs:annotation> in {}: at most one is allowed, as the first child (schema for schemas)",
                        show(node)
                    ),
                );
            } else if seen_other {
                self.error_at(
                    d,
                    child,
                    format!(
                        "<xs:annotation> must be the first child of {} (schema for schemas)",
                        show(node)
                    ),
                );
            }
            seen_annotation = true;
        }
    }

    /// `xs:include`, `xs:import` and `xs:redefine` come before the schema's declarations.
    fn check_schema_children(&mut self, d: usize, root: Node) {
        let mut first_declaration: Option<Node> = None;
        for child in root.children().filter(|c| c.is_element()) {
            match xsd_name(child) {
                Some("annotation") => {}
                Some(kind @ ("include" | "import" | "redefine")) => {
                    if let Some(first) = first_declaration {
                        let message = format!(
                            "<xs:{kind}> must come before the schema's declarations (it follows {}; schema for schemas)",
                            show(first)
                        );
                        self.error_at(d, child, message);
                    }
                }
                _ => {
                    first_declaration.get_or_insert(child);
                }
            }
        }
    }
}
