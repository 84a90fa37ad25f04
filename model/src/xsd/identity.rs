//! Identity constraints: `xs:unique`, `xs:key` and `xs:keyref` on an element declaration,
//! lowered into `Schema::identity_constraints` (selector and field paths parsed and resolved
//! by [`super::identity_paths`]), and, once all are known, each keyref's `refer=` resolved
//! (src-resolve; c-props-correct.1: it names a key or unique, c-props-correct.2: with as many
//! fields). Names are unique per namespace among all identity constraints (3.11.1).

use std::collections::HashMap;

use roxmltree::Node;

use super::identity_paths::{parse, PathKind};
use super::lower::Lowerer;
use super::values::{show, xsd_name};
use crate::identity::{ConstraintPath, IdentityConstraint, IdentityKind};
use crate::ir::ElementId;
use crate::location::Location;

const CONSTRAINT_ATTRIBUTES: &[&str] = &["id", "name"];
const KEYREF_ATTRIBUTES: &[&str] = &["id", "name", "refer"];
const PATH_ATTRIBUTES: &[&str] = &["id", "xpath"];

/// A keyref's `refer=` waiting for every constraint to be known.
#[derive(Debug)]
pub(crate) struct PendingRefer {
    /// The keyref (index into `Schema::identity_constraints`).
    pub keyref: usize,
    /// The name it refers to.
    pub refer: (Option<String>, String),
    /// Where `refer=` is written.
    pub location: Location,
}

impl<'a, 'i> Lowerer<'a, 'i> {
    /// Lower the identity constraints among the children of `xs:element` `node` (document
    /// `d`), whose declaration is `element`.
    pub(crate) fn lower_identity_constraints(
        &mut self,
        d: usize,
        node: Node<'a, 'i>,
        element: ElementId,
    ) {
        for child in node.children().filter(|c| c.is_element()) {
            let kind = match xsd_name(child) {
                Some("unique") => IdentityKind::Unique,
                Some("key") => IdentityKind::Key,
                Some("keyref") => IdentityKind::KeyRef { refer: usize::MAX },
                _ => continue,
            };
            let keyref = matches!(kind, IdentityKind::KeyRef { .. });
            self.check_attributes(
                d,
                child,
                if keyref {
                    KEYREF_ATTRIBUTES
                } else {
                    CONSTRAINT_ATTRIBUTES
                },
            );
            let name = child.attribute("name").unwrap_or("").trim().to_string();
            if name.is_empty() {
                self.error_at(d, child, format!("{} needs a name=", show(child)));
                continue;
            }
            let Some((selector, fields)) = self.constraint_paths(d, child) else {
                continue;
            };
            let index = self.schema.identity_constraints.len();
            if keyref {
                match child.attribute("refer") {
                    Some(refer) => {
                        if let Some(q) = self.qname(d, child, refer) {
                            self.pending_refers.push(PendingRefer {
                                keyref: index,
                                refer: q,
                                location: self.loc(d, child),
                            });
                        }
                    }
                    None => {
                        self.error_at(d, child, "xs:keyref needs refer= (the key it refers to)");
                        continue;
                    }
                }
            }
            let namespace = self.tns(d);
            let location = self.loc(d, child);
            self.schema.identity_constraints.push(IdentityConstraint {
                name,
                namespace,
                element,
                kind,
                selector,
                fields,
                location,
            });
        }
    }

    /// The selector and fields of constraint `node`: `(annotation?, selector, field+)`. An
    /// unexpected child is reported (which refuses the schema) and otherwise skipped.
    #[allow(clippy::type_complexity)]
    fn constraint_paths(
        &mut self,
        d: usize,
        node: Node<'a, 'i>,
    ) -> Option<(Vec<ConstraintPath>, Vec<Vec<ConstraintPath>>)> {
        let mut selector = None;
        let mut fields = Vec::new();
        for (i, child) in node.children().filter(|c| c.is_element()).enumerate() {
            match xsd_name(child) {
                Some("annotation") if i == 0 => {}
                Some("selector") if selector.is_none() && fields.is_empty() => {
                    selector = Some(self.xpath(d, child, PathKind::Selector));
                }
                Some("field") if selector.is_some() => {
                    fields.push(self.xpath(d, child, PathKind::Field));
                }
                _ => {
                    self.error_at(
                        d,
                        child,
                        format!(
                            "unexpected {} in {}: the content is (annotation?, selector, field+)",
                            show(child),
                            show(node)
                        ),
                    );
                }
            }
        }
        let Some(selector) = selector else {
            self.error_at(d, node, format!("{} needs an xs:selector", show(node)));
            return None;
        };
        if fields.is_empty() {
            self.error_at(
                d,
                node,
                format!("{} needs at least one xs:field", show(node)),
            );
            return None;
        }
        let fields: Option<Vec<_>> = fields.into_iter().collect();
        Some((selector?, fields?))
    }

    /// The parsed `xpath=` of an `xs:selector` or `xs:field` (`None` after reporting why not).
    fn xpath(
        &mut self,
        d: usize,
        node: Node<'a, 'i>,
        kind: PathKind,
    ) -> Option<Vec<ConstraintPath>> {
        self.check_attributes(d, node, PATH_ATTRIBUTES);
        for child in node.children().filter(|c| c.is_element()) {
            if xsd_name(child) != Some("annotation") {
                self.error_at(
                    d,
                    child,
                    format!("unexpected {} in {}", show(child), show(node)),
                );
            }
        }
        let Some(xpath) = node.attribute("xpath") else {
            self.error_at(d, node, format!("{} needs an xpath=", show(node)));
            return None;
        };
        let resolve = |prefix: &str| match prefix {
            "xml" => Some(super::values::XML_NS.to_string()),
            p => node.lookup_namespace_uri(Some(p)).map(str::to_string),
        };
        match parse(xpath, kind, &resolve) {
            Ok(paths) => Some(paths),
            Err(e) => {
                self.error_at(
                    d,
                    node,
                    format!("xpath=\"{xpath}\" is not a valid {} path: {e}", show(node)),
                );
                None
            }
        }
    }

    /// Resolve every keyref's `refer=` and check the names (after all elements are lowered).
    /// A constraint inside a named group is lowered once per use of the group: those copies
    /// share a location and are one constraint, and a keyref refers to the copy on its own
    /// element when there is one.
    pub(crate) fn resolve_identity_constraints(&mut self) {
        let mut by_name: HashMap<(Option<String>, String), Vec<usize>> = HashMap::new();
        for (i, c) in self.schema.identity_constraints.iter().enumerate() {
            let copies = by_name
                .entry((c.namespace.clone(), c.name.clone()))
                .or_default();
            match copies
                .first()
                .map(|&f| &self.schema.identity_constraints[f])
            {
                Some(first) if first.location != c.location => {
                    let at = self.schema.display_location(first.location);
                    self.diags.error(
                        c.location,
                        format!(
                            "identity constraint '{}' is already declared (at {at}); names are unique among all unique, key and keyref constraints",
                            c.name
                        ),
                    );
                }
                _ => copies.push(i),
            }
        }
        for p in std::mem::take(&mut self.pending_refers) {
            let keyref = &self.schema.identity_constraints[p.keyref];
            let Some(&target) = by_name.get(&p.refer).and_then(|copies| {
                copies
                    .iter()
                    .find(|&&c| self.schema.identity_constraints[c].element == keyref.element)
                    .or(copies.first())
            }) else {
                self.diags.error(
                    p.location,
                    format!(
                        "refer=\"{}\" names no xs:key or xs:unique of this schema",
                        p.refer.1
                    ),
                );
                continue;
            };
            let referred = &self.schema.identity_constraints[target];
            if matches!(referred.kind, IdentityKind::KeyRef { .. }) {
                self.diags.error(
                    p.location,
                    format!(
                        "refer=\"{}\" names a keyref; it must name a key or unique (c-props-correct.1)",
                        p.refer.1
                    ),
                );
                continue;
            }
            if referred.fields.len() != keyref.fields.len() {
                let message = format!(
                    "keyref '{}' has {} field(s) but the {} '{}' it refers to has {} (c-props-correct.2)",
                    keyref.name,
                    keyref.fields.len(),
                    referred.kind.name(),
                    referred.name,
                    referred.fields.len()
                );
                self.diags.error(p.location, message);
                continue;
            }
            self.schema.identity_constraints[p.keyref].kind =
                IdentityKind::KeyRef { refer: target };
        }
    }
}
