//! `xs:annotation/xs:documentation`: kept as trimmed text on the schema, elements, types and
//! attributes. `xs:appinfo` is for tools and is not kept.

use roxmltree::Node;

use super::lower::Lowerer;
use super::values::{is_xsd, show, xsd_name};

impl Lowerer<'_, '_> {
    /// The trimmed text of every non-empty `xs:documentation` in the `xs:annotation` children
    /// of `node`, in order. Unknown children of an annotation are reported.
    pub(crate) fn documentation(&mut self, d: usize, node: Node) -> Vec<String> {
        let mut out = Vec::new();
        for annotation in node.children().filter(|c| is_xsd(*c, "annotation")) {
            self.check_attributes(d, annotation, &["id"]);
            for child in annotation.children().filter(|c| c.is_element()) {
                match xsd_name(child) {
                    Some("documentation") => {
                        let text: String = child
                            .descendants()
                            .filter(|n| n.is_text())
                            .filter_map(|n| n.text())
                            .collect();
                        let text = text.trim();
                        if !text.is_empty() {
                            out.push(text.to_string());
                        }
                    }
                    Some("appinfo") => {}
                    _ => self.error_at(
                        d,
                        child,
                        format!("unexpected {} in <xs:annotation>", show(child)),
                    ),
                }
            }
        }
        out
    }
}
