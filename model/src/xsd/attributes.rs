//! Attributes: local declarations, `ref=` to global ones, `xs:attributeGroup` references
//! (expanded inline), `xs:anyAttribute`, `use`, `default`/`fixed` and `form`.
//! A `ref=` use takes the global declaration's name, type, documentation and location, and
//! the reference's `use` and value constraint (else the declaration's).

use roxmltree::Node;

use super::lower::Lowerer;
use super::names::{Def, QName};
use super::values::{show, xsd_name, XML_NS};
use super::wildcards;
use crate::ir::{
    AttributeUse, AttributeUseKind, Builtin, SimpleTypeId, TypeRef, ValueConstraint, Wildcard,
};
use crate::location::Location;

/// The attribute uses and attribute wildcard of a type (or attribute group).
#[derive(Clone, Debug, Default)]
pub(crate) struct AttributePart {
    /// Attribute uses, in declaration order.
    pub uses: Vec<AttributeUse>,
    /// The attribute wildcard.
    pub wildcard: Option<Wildcard>,
}

const LOCAL_ATTRIBUTE_ATTRIBUTES: &[&str] =
    &["id", "name", "type", "use", "default", "fixed", "form"];
const REF_ATTRIBUTE_ATTRIBUTES: &[&str] = &["id", "ref", "use", "default", "fixed"];
const GLOBAL_ATTRIBUTE_ATTRIBUTES: &[&str] = &["id", "name", "type", "default", "fixed"];

impl<'a, 'i> Lowerer<'a, 'i> {
    /// Lower the attribute part of a type: `xs:attribute`, `xs:attributeGroup` and one final
    /// `xs:anyAttribute`; anything else is reported.
    pub(crate) fn attribute_part(&mut self, d: usize, nodes: &[Node<'a, 'i>]) -> AttributePart {
        let mut part = AttributePart::default();
        let mut own_wildcard: Option<Wildcard> = None;
        let mut group_wildcards: Vec<Wildcard> = Vec::new();
        for (i, node) in nodes.iter().enumerate() {
            match xsd_name(*node) {
                Some("attribute") => {
                    if let Some(u) = self.attribute_use(d, *node) {
                        self.add_use(&mut part.uses, u);
                    }
                }
                Some("attributeGroup") => {
                    if let Some(group) = self.attribute_group_ref(d, *node) {
                        for u in group.uses {
                            self.add_use(&mut part.uses, u);
                        }
                        group_wildcards.extend(group.wildcard);
                    }
                }
                Some("anyAttribute") if i + 1 == nodes.len() => {
                    self.check_attributes(d, *node, &["id", "namespace", "processContents"]);
                    let _ = self.documentation(d, *node);
                    own_wildcard = Some(self.wildcard(d, *node));
                }
                Some("anyAttribute") => {
                    self.error_at(d, *node, "<xs:anyAttribute> must come after all attributes");
                }
                _ => self.error_at(
                    d,
                    *node,
                    format!(
                        "unexpected {} (only attributes, attribute groups and a final anyAttribute may follow the content model)",
                        show(*node)
                    ),
                ),
            }
        }
        let mut wildcard = own_wildcard;
        for g in group_wildcards {
            wildcard = Some(match wildcard {
                Some(w) => wildcards::intersection(&w, &g),
                None => g,
            });
        }
        part.wildcard = wildcard;
        part
    }

    /// Add `u` unless an attribute of the same name is already there (an error).
    fn add_use(&mut self, uses: &mut Vec<AttributeUse>, u: AttributeUse) {
        if let Some(first) = uses
            .iter()
            .find(|x| x.name == u.name && x.namespace == u.namespace)
        {
            let first = self.schema.display_location(first.location);
            self.diags.error(
                u.location,
                format!(
                    "attribute '{}' is declared twice in one type (first at {first})",
                    u.name
                ),
            );
            return;
        }
        uses.push(u);
    }

    /// One `xs:attribute` inside a type or attribute group.
    fn attribute_use(&mut self, d: usize, node: Node<'a, 'i>) -> Option<AttributeUse> {
        let use_ = match node.attribute("use").map(str::trim) {
            None | Some("optional") => AttributeUseKind::Optional,
            Some("required") => AttributeUseKind::Required,
            Some("prohibited") => AttributeUseKind::Prohibited,
            Some(other) => {
                self.error_at(
                    d,
                    node,
                    format!("use=\"{other}\" must be optional, required or prohibited"),
                );
                AttributeUseKind::Optional
            }
        };
        let own_constraint = self.value_constraint(d, node);
        if use_ != AttributeUseKind::Optional
            && matches!(own_constraint, Some(ValueConstraint::Default(_)))
        {
            let kind = if use_ == AttributeUseKind::Required {
                "required"
            } else {
                "prohibited"
            };
            self.error_at(
                d,
                node,
                format!("a {kind} attribute cannot have a default value: default= needs use=\"optional\" (src-attribute.2)"),
            );
        }
        if let Some(reference) = node.attribute("ref") {
            self.check_attributes(d, node, REF_ATTRIBUTE_ATTRIBUTES);
            let use_documentation = self.documentation(d, node);
            let qname = self.qname(d, node, reference)?;
            let Some(mut decl) = self.global_attribute(&qname) else {
                self.error_at(
                    d,
                    node,
                    format!("attribute '{}' is not defined", reference.trim()),
                );
                return None;
            };
            decl.use_ = use_;
            // The use's own documentation first, then the declaration's.
            decl.documentation.splice(0..0, use_documentation);
            if decl.location.line == 0 {
                // A built-in xml: attribute has no declaration of its own: point at the use.
                decl.location = self.loc(d, node);
            }
            if own_constraint.is_some() {
                match (&decl.value_constraint, &own_constraint) {
                    (Some(ValueConstraint::Fixed(f)), Some(ValueConstraint::Fixed(o)))
                        if f != o =>
                    {
                        self.error_at(
                            d,
                            node,
                            format!(
                                "fixed=\"{o}\" differs from the declaration's fixed value \"{f}\" (au-props-correct.2)"
                            ),
                        );
                    }
                    (Some(ValueConstraint::Fixed(f)), Some(ValueConstraint::Default(_))) => {
                        self.error_at(
                            d,
                            node,
                            format!(
                                "the declaration has the fixed value \"{f}\", so a reference can only repeat it with fixed=, not give a default (au-props-correct.2)"
                            ),
                        );
                    }
                    _ => {}
                }
                decl.value_constraint = own_constraint;
            }
            return Some(decl);
        }
        self.check_attributes(d, node, LOCAL_ATTRIBUTE_ATTRIBUTES);
        let Some(name) = node.attribute("name").map(str::trim) else {
            self.error_at(
                d,
                node,
                "a local <xs:attribute> needs a name or a ref attribute",
            );
            return None;
        };
        if name == "xmlns" {
            self.error_at(d, node, super::registration::XMLNS_NAME);
        }
        let qualified = match node.attribute("form").map(str::trim) {
            Some("qualified") => true,
            Some("unqualified") => false,
            Some(other) => {
                self.error_at(
                    d,
                    node,
                    format!("form=\"{other}\" must be qualified or unqualified"),
                );
                false
            }
            None => self.docs.get(d).is_some_and(|doc| doc.attributes_qualified),
        };
        let namespace = if qualified { self.tns(d) } else { None };
        let ty = self.attribute_type(d, node);
        Some(AttributeUse {
            name: name.to_string(),
            namespace,
            ty,
            dtd_type: None,
            use_,
            value_constraint: own_constraint,
            documentation: self.documentation(d, node),
            location: self.loc(d, node),
        })
    }

    /// The type of an attribute declaration: `type=`, an inline `xs:simpleType`, or
    /// `xs:anySimpleType`.
    fn attribute_type(&mut self, d: usize, node: Node<'a, 'i>) -> SimpleTypeId {
        let mut inline = None;
        for child in node.children().filter(|c| c.is_element()) {
            match xsd_name(child) {
                Some("annotation") => {}
                Some("simpleType") if inline.is_none() => inline = Some(child),
                _ => self.error_at(
                    d,
                    child,
                    format!("unexpected {} in <xs:attribute>", show(child)),
                ),
            }
        }
        match (node.attribute("type"), inline) {
            (Some(t), inline) => {
                if let Some(child) = inline {
                    self.error_at(
                        d,
                        child,
                        "an attribute cannot have both a type attribute and an inline type",
                    );
                }
                match self.resolve_type(d, node, t) {
                    Some(TypeRef::Simple(s)) => s,
                    Some(TypeRef::Complex(_)) => {
                        self.error_at(
                            d,
                            node,
                            format!("attribute type '{}' is a complex type; attributes need a simple type", t.trim()),
                        );
                        Builtin::AnySimpleType.id()
                    }
                    None => Builtin::AnySimpleType.id(),
                }
            }
            (None, Some(child)) => self.lower_anonymous_simple(d, child),
            (None, None) => Builtin::AnySimpleType.id(),
        }
    }

    /// The lowered global attribute `name` (lowered once, then cached); `None` if there is
    /// none. The XML namespace's `xml:lang`, `xml:space`, `xml:base` and `xml:id` are built in.
    pub(crate) fn global_attribute(&mut self, name: &QName) -> Option<AttributeUse> {
        if let Some(done) = self.global_attributes.get(name) {
            return done.clone();
        }
        let Some(def) = self.tables.attributes.get(name).copied() else {
            return xml_namespace_attribute(name);
        };
        self.global_attributes.insert(name.clone(), None);
        self.check_attributes(def.doc, def.node, GLOBAL_ATTRIBUTE_ATTRIBUTES);
        let value_constraint = self.value_constraint(def.doc, def.node);
        let ty = self.attribute_type(def.doc, def.node);
        let decl = AttributeUse {
            name: name.1.clone(),
            namespace: name.0.clone(),
            ty,
            dtd_type: None,
            use_: AttributeUseKind::Optional,
            value_constraint,
            documentation: self.documentation(def.doc, def.node),
            location: def.location,
        };
        self.global_attributes
            .insert(name.clone(), Some(decl.clone()));
        Some(decl)
    }

    /// Expand an `xs:attributeGroup ref=`.
    fn attribute_group_ref(&mut self, d: usize, node: Node<'a, 'i>) -> Option<AttributePart> {
        if !self.enter(d, node) {
            return None;
        }
        let part = self.attribute_group_ref_here(d, node);
        self.leave();
        part
    }

    fn attribute_group_ref_here(&mut self, d: usize, node: Node<'a, 'i>) -> Option<AttributePart> {
        self.check_attributes(d, node, &["id", "ref"]);
        let Some(reference) = node.attribute("ref") else {
            self.error_at(
                d,
                node,
                "a nested <xs:attributeGroup> needs a ref attribute",
            );
            return None;
        };
        let qname = self.qname(d, node, reference)?;
        let qname = self.redirect(node, qname, super::redefine::Space::AttributeGroup);
        let Some(def) = self.tables.attribute_groups.get(&qname).copied() else {
            self.error_at(
                d,
                node,
                format!("attribute group '{}' is not defined", reference.trim()),
            );
            return None;
        };
        if let Some(pos) = self.attribute_group_stack.iter().position(|g| *g == qname) {
            let mut path: Vec<&str> = self.attribute_group_stack[pos..]
                .iter()
                .map(|g| g.1.as_str())
                .collect();
            path.push(&qname.1);
            let msg = format!("circular attribute group: {}", path.join(" -> "));
            self.error_at(d, node, msg);
            return None;
        }
        Some(self.expand_attribute_group(&qname, def))
    }

    /// The attribute uses and wildcard of the attribute group `qname` (defined by `def`).
    pub(crate) fn expand_attribute_group(
        &mut self,
        qname: &QName,
        def: Def<'a, 'i>,
    ) -> AttributePart {
        self.check_attributes(def.doc, def.node, &["id", "name"]);
        let children: Vec<Node<'a, 'i>> = def
            .node
            .children()
            .filter(|c| c.is_element() && xsd_name(*c) != Some("annotation"))
            .collect();
        self.expanded_attribute_groups.insert(qname.clone());
        self.attribute_group_stack.push(qname.clone());
        let part = self.attribute_part(def.doc, &children);
        self.attribute_group_stack.pop();
        part
    }
}

/// The built-in attributes of the XML namespace.
fn xml_namespace_attribute(name: &QName) -> Option<AttributeUse> {
    if name.0.as_deref() != Some(XML_NS) {
        return None;
    }
    let ty = match name.1.as_str() {
        "lang" => Builtin::Language,
        "space" => Builtin::NCName,
        "base" => Builtin::AnyUri,
        "id" => Builtin::Id,
        _ => return None,
    };
    Some(AttributeUse {
        name: name.1.clone(),
        namespace: name.0.clone(),
        ty: ty.id(),
        dtd_type: None,
        use_: AttributeUseKind::Optional,
        value_constraint: None,
        documentation: Vec::new(),
        location: Location::default(),
    })
}
