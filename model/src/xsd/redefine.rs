//! `xs:redefine`: the redefined document is included, and each redefining `xs:simpleType`,
//! `xs:complexType`, `xs:group` or `xs:attributeGroup` replaces the component of that name
//! everywhere (also inside the redefined document). Inside a redefinition, a reference to its
//! own name means the original, which stays registered under a hidden name. A redefined type
//! must derive from its original; a redefined group may refer to its original at most once.

use roxmltree::Node;

use super::lower::Lowerer;
use super::names::QName;
use super::registration::Work;
use super::values::{show, xsd_name};

/// What a redefinition replaces (one XSD symbol space each).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Space {
    /// Simple and complex types.
    Type,
    /// Named model groups.
    Group,
    /// Attribute groups.
    AttributeGroup,
}

impl<'a, 'i> Lowerer<'a, 'i> {
    /// Register the components of every `xs:redefine` (after all ordinary components).
    pub(crate) fn register_redefinitions(
        &mut self,
        redefines: &[(usize, Node<'a, 'i>)],
        work: &mut Work<'a, 'i>,
    ) {
        // Innermost first (a redefined document is read after the one redefining it), so
        // that in a chain the outermost redefinition is the one every reference sees.
        for (d, redefine) in redefines.iter().rev() {
            for child in redefine.children().filter(|c| c.is_element()) {
                let space = match xsd_name(child) {
                    Some("annotation") => continue,
                    Some("simpleType" | "complexType") => Space::Type,
                    Some("group") => Space::Group,
                    Some("attributeGroup") => Space::AttributeGroup,
                    _ => {
                        self.error_at(
                            *d,
                            child,
                            format!("unexpected {} in <xs:redefine>", show(child)),
                        );
                        continue;
                    }
                };
                let Some(name) = child.attribute("name").map(str::trim) else {
                    self.error_at(
                        *d,
                        child,
                        format!("a redefining {} needs a name", show(child)),
                    );
                    continue;
                };
                let qname: QName = (self.tns(*d), name.to_string());
                let hidden: QName = (
                    qname.0.clone(),
                    format!("{name} (before xs:redefine #{})", self.redefined.len() + 1),
                );
                let moved = match space {
                    Space::Type => match self.tables.types.remove(&qname) {
                        Some(original) => {
                            let same_kind = matches!(
                                (original.1, xsd_name(child)),
                                (crate::ir::TypeRef::Complex(_), Some("complexType"))
                                    | (crate::ir::TypeRef::Simple(_), Some("simpleType"))
                            );
                            if !same_kind {
                                self.error_at(
                                    *d,
                                    child,
                                    format!("'{name}' is redefined as a different kind of type"),
                                );
                            }
                            self.tables.types.insert(hidden.clone(), original);
                            true
                        }
                        None => false,
                    },
                    Space::Group => match self.tables.groups.remove(&qname) {
                        Some(original) => {
                            self.tables.groups.insert(hidden.clone(), original);
                            true
                        }
                        None => false,
                    },
                    Space::AttributeGroup => match self.tables.attribute_groups.remove(&qname) {
                        Some(original) => {
                            self.tables
                                .attribute_groups
                                .insert(hidden.clone(), original);
                            true
                        }
                        None => false,
                    },
                };
                if !moved {
                    self.error_at(
                        *d,
                        child,
                        format!(
                            "xs:redefine of '{name}': the redefined schema has no such component"
                        ),
                    );
                    continue;
                }
                self.redefined.insert((*d, child.id()), hidden);
                let kind = xsd_name(child).unwrap_or("");
                self.register_component(*d, child, kind, work);
                self.check_redefinition(*d, child, space, &qname);
            }
        }
    }

    /// Inside the redefinition of `name`, a reference to `name` means the original (the
    /// component that redefinition replaced).
    pub(crate) fn redirect(&self, node: Node, name: QName, space: Space) -> QName {
        if self.redefined.is_empty() {
            return name;
        }
        let redefinition = node.ancestors().find(|a| {
            a.parent_element()
                .is_some_and(|p| super::values::is_xsd(p, "redefine"))
                && a.attribute("name").map(str::trim) == Some(name.1.as_str())
                && match space {
                    Space::Type => matches!(xsd_name(*a), Some("simpleType" | "complexType")),
                    Space::Group => xsd_name(*a) == Some("group"),
                    Space::AttributeGroup => xsd_name(*a) == Some("attributeGroup"),
                }
        });
        let Some(redefinition) = redefinition else {
            return name;
        };
        let doc = self
            .docs
            .iter()
            .position(|d| std::ptr::eq(d.doc, redefinition.document()));
        match doc.and_then(|d| self.redefined.get(&(d, redefinition.id()))) {
            Some(hidden) if hidden.0 == name.0 => hidden.clone(),
            _ => name,
        }
    }

    /// A redefined type derives from its original; a redefined group refers to itself at
    /// most once.
    fn check_redefinition(&mut self, d: usize, child: Node<'a, 'i>, space: Space, name: &QName) {
        let chameleon = self
            .docs
            .get(d)
            .filter(|doc| doc.chameleon)
            .and_then(|doc| doc.tns.clone());
        let refers = |n: Node, attribute: &str| {
            n.attribute(attribute).is_some_and(|v| {
                super::names::resolve_qname(n, v, chameleon.as_deref())
                    .ok()
                    .as_ref()
                    == Some(name)
            })
        };
        match space {
            Space::Type => {
                let derivation = child
                    .descendants()
                    .find(|n| matches!(xsd_name(*n), Some("restriction" | "extension")));
                if !derivation.is_some_and(|n| refers(n, "base")) {
                    self.error_at(
                        d,
                        child,
                        format!(
                            "a redefinition of type '{}' must derive from '{}' (the original)",
                            name.1, name.1
                        ),
                    );
                }
            }
            Space::Group | Space::AttributeGroup => {
                let element = if space == Space::Group {
                    "group"
                } else {
                    "attributeGroup"
                };
                let own = child
                    .descendants()
                    .filter(|n| xsd_name(*n) == Some(element) && refers(*n, "ref"))
                    .count();
                if own > 1 {
                    self.error_at(
                        d,
                        child,
                        format!(
                            "a redefinition of '{}' can refer to the original at most once",
                            name.1
                        ),
                    );
                }
            }
        }
    }
}
