//! Element declarations (global, local, `ref=`) and particles: `xs:sequence`, `xs:choice`,
//! `xs:all`, named model groups by `ref=` (expanded inline, a fresh tree per use) and `xs:any`.

use roxmltree::Node;

use super::lower::Lowerer;
use super::names::{Def, QName};
use super::values::{parse_bool, parse_max_occurs, parse_min_occurs, show, xsd_name};
use crate::ir::{
    Blocked, ComplexTypeId, ElementDecl, ElementId, ElementScope, ElementType, MaxOccurs, Particle,
    Term, TypeRef, ValueConstraint,
};

const GLOBAL_ELEMENT_ATTRIBUTES: &[&str] = &[
    "id",
    "name",
    "type",
    "default",
    "fixed",
    "nillable",
    "abstract",
    "block",
    "final",
    "substitutionGroup",
];
const LOCAL_ELEMENT_ATTRIBUTES: &[&str] = &[
    "id",
    "name",
    "type",
    "default",
    "fixed",
    "nillable",
    "block",
    "form",
    "minOccurs",
    "maxOccurs",
];
const REF_ELEMENT_ATTRIBUTES: &[&str] = &["id", "ref", "minOccurs", "maxOccurs"];

impl<'a, 'i> Lowerer<'a, 'i> {
    /// Lower a top-level `xs:element` into its reserved slot.
    pub(crate) fn lower_global_element(&mut self, d: usize, node: Node<'a, 'i>, id: ElementId) {
        self.check_attributes(d, node, GLOBAL_ELEMENT_ATTRIBUTES);
        let namespace = self.tns(d);
        let decl = self.element_decl(d, node, ElementScope::Global, namespace);
        if let Some(slot) = self.schema.elements.get_mut(id.index()) {
            *slot = decl;
        }
        self.lower_identity_constraints(d, node, id);
    }

    /// The declaration an `xs:element` with a `name` makes (global or local).
    fn element_decl(
        &mut self,
        d: usize,
        node: Node<'a, 'i>,
        scope: ElementScope,
        namespace: Option<String>,
    ) -> ElementDecl {
        let location = self.loc(d, node);
        let name = node.attribute("name").unwrap_or("").trim().to_string();
        let nillable = self.bool_attribute(d, node, "nillable");
        let is_abstract = self.bool_attribute(d, node, "abstract");
        let block = self.block(d, node, true);
        let value_constraint = self.value_constraint(d, node);
        let documentation = self.documentation(d, node);
        let mut inline: Option<Node<'a, 'i>> = None;
        for child in node.children().filter(|c| c.is_element()) {
            match xsd_name(child) {
                Some("annotation") => {}
                Some("simpleType") | Some("complexType") => {
                    if inline.is_some() {
                        self.error_at(d, child, "an xs:element can have only one inline type");
                    } else {
                        inline = Some(child);
                    }
                }
                // Lowered by the caller, which knows the declaration's id.
                Some("key" | "keyref" | "unique") => {}
                _ => self.error_at(
                    d,
                    child,
                    format!("unexpected {} in <xs:element>", show(child)),
                ),
            }
        }
        let ty = match (node.attribute("type"), inline) {
            (Some(_), Some(child)) => {
                self.error_at(
                    d,
                    child,
                    format!("element '{name}' has both a type attribute and an inline type"),
                );
                self.element_type_attribute(d, node)
            }
            (Some(_), None) => self.element_type_attribute(d, node),
            (None, Some(child)) if xsd_name(child) == Some("simpleType") => {
                ElementType::Simple(self.lower_anonymous_simple(d, child))
            }
            (None, Some(child)) => ElementType::Complex(self.lower_anonymous_complex(d, child)),
            (None, None) => ElementType::Complex(self.any_type()),
        };
        ElementDecl {
            name,
            namespace,
            scope,
            ty,
            nillable,
            is_abstract,
            block,
            value_constraint,
            documentation,
            location,
        }
    }

    /// The type named by an element's `type=` (anyType when it cannot be resolved).
    fn element_type_attribute(&mut self, d: usize, node: Node<'a, 'i>) -> ElementType {
        let value = node.attribute("type").unwrap_or("");
        match self.resolve_type(d, node, value) {
            Some(TypeRef::Simple(s)) => ElementType::Simple(s),
            Some(TypeRef::Complex(c)) => ElementType::Complex(c),
            None => ElementType::Complex(self.any_type()),
        }
    }

    /// `default=` / `fixed=` (both at once is an error).
    pub(crate) fn value_constraint(&mut self, d: usize, node: Node) -> Option<ValueConstraint> {
        match (node.attribute("default"), node.attribute("fixed")) {
            (Some(_), Some(_)) => {
                self.error_at(
                    d,
                    node,
                    format!("{} cannot have both default= and fixed=", show(node)),
                );
                None
            }
            (Some(v), None) => Some(ValueConstraint::Default(v.to_string())),
            (None, Some(v)) => Some(ValueConstraint::Fixed(v.to_string())),
            (None, None) => None,
        }
    }

    /// The `block` of an element declaration or complex type (`for_element`: `substitution`
    /// is allowed too), or its schema document's `blockDefault`; bad tokens are reported.
    pub(crate) fn block(&mut self, d: usize, node: Node<'a, 'i>, for_element: bool) -> Blocked {
        let Some(value) = self.own_or_schema_default(d, node, "block") else {
            return Blocked::default();
        };
        let allowed: &[&str] = if for_element {
            &["#all", "extension", "restriction", "substitution"]
        } else {
            &["#all", "extension", "restriction"]
        };
        if let Some(bad) = value.split_whitespace().find(|t| !allowed.contains(t)) {
            self.error_at(
                d,
                node,
                format!(
                    "block=\"{value}\": '{bad}' is not one of {}",
                    allowed.join(", ")
                ),
            );
        }
        let mut blocked = Blocked::parse(value);
        if !for_element {
            blocked.substitution = false;
        }
        blocked
    }

    /// A boolean attribute (absent = false).
    pub(crate) fn bool_attribute(&mut self, d: usize, node: Node, name: &str) -> bool {
        match node.attribute(name) {
            None => false,
            Some(v) => match parse_bool(v) {
                Some(b) => b,
                None => {
                    self.error_at(
                        d,
                        node,
                        format!("{name}=\"{v}\" is not a boolean (true, false, 1, 0)"),
                    );
                    false
                }
            },
        }
    }

    /// `minOccurs`/`maxOccurs` of a particle (defaults 1..1); bad values are reported.
    pub(crate) fn occurs(&mut self, d: usize, node: Node) -> (u32, MaxOccurs) {
        let min = match node.attribute("minOccurs").map(parse_min_occurs) {
            None => 1,
            Some(Ok(n)) => n,
            Some(Err(e)) => {
                self.error_at(d, node, e);
                1
            }
        };
        let max = match node.attribute("maxOccurs").map(parse_max_occurs) {
            None => MaxOccurs::Bounded(1),
            Some(Ok(m)) => m,
            Some(Err(e)) => {
                self.error_at(d, node, e);
                MaxOccurs::Bounded(min.max(1))
            }
        };
        if let MaxOccurs::Bounded(m) = max {
            if m < min {
                self.error_at(
                    d,
                    node,
                    format!("maxOccurs ({m}) is less than minOccurs ({min})"),
                );
                return (min, MaxOccurs::Bounded(min));
            }
        }
        (min, max)
    }

    /// Lower one particle child of a model group or complex type (`None` after an error).
    pub(crate) fn lower_particle(
        &mut self,
        d: usize,
        node: Node<'a, 'i>,
        owner: ComplexTypeId,
    ) -> Option<Particle> {
        if !self.enter(d, node) {
            return None;
        }
        let particle = self.lower_particle_here(d, node, owner);
        self.leave();
        particle
    }

    fn lower_particle_here(
        &mut self,
        d: usize,
        node: Node<'a, 'i>,
        owner: ComplexTypeId,
    ) -> Option<Particle> {
        match xsd_name(node) {
            Some("element") => self.element_particle(d, node, owner),
            Some("group") => self.group_ref_particle(d, node, owner),
            Some("sequence") | Some("choice") | Some("all") => {
                self.check_attributes(d, node, &["id", "minOccurs", "maxOccurs"]);
                self.model_group_particle(d, node, owner)
            }
            Some("any") => {
                self.check_attributes(
                    d,
                    node,
                    &[
                        "id",
                        "minOccurs",
                        "maxOccurs",
                        "namespace",
                        "processContents",
                    ],
                );
                let _ = self.documentation(d, node);
                let (min, max) = self.occurs(d, node);
                let wildcard = self.wildcard(d, node);
                Some(Particle {
                    min,
                    max,
                    term: Term::Any(wildcard),
                    location: self.loc(d, node),
                })
            }
            _ => {
                self.error_at(
                    d,
                    node,
                    format!("unexpected {} in a content model", show(node)),
                );
                None
            }
        }
    }

    /// An `xs:sequence`, `xs:choice` or `xs:all` and its particles.
    fn model_group_particle(
        &mut self,
        d: usize,
        node: Node<'a, 'i>,
        owner: ComplexTypeId,
    ) -> Option<Particle> {
        let kind = xsd_name(node).unwrap_or("");
        let (min, max) = self.occurs(d, node);
        let mut particles = Vec::new();
        for child in node.children().filter(|c| c.is_element()) {
            match xsd_name(child) {
                Some("annotation") => {}
                Some("element") => particles.extend(self.lower_particle(d, child, owner)),
                Some("group" | "sequence" | "choice" | "any") if kind != "all" => {
                    let particle = self.lower_particle(d, child, owner);
                    if matches!(particle.as_ref().map(|p| &p.term), Some(Term::All(_))) {
                        self.error_at(
                            d,
                            child,
                            format!(
                                "the model group '{}' is an <xs:all>, which can only be a whole content model, not part of <xs:{kind}>",
                                child.attribute("ref").unwrap_or("").trim()
                            ),
                        );
                    }
                    particles.extend(particle)
                }
                _ => self.error_at(
                    d,
                    child,
                    format!("unexpected {} in <xs:{kind}>", show(child)),
                ),
            }
        }
        let location = self.loc(d, node);
        if kind == "all" {
            if min > 1 || max != MaxOccurs::Bounded(1) {
                self.error_at(
                    d,
                    node,
                    "<xs:all> must have minOccurs 0 or 1 and maxOccurs 1",
                );
            }
            for p in &particles {
                if p.max > MaxOccurs::Bounded(1) {
                    let at = p.location;
                    self.diags.error(
                        at,
                        "an element in <xs:all> can occur at most once (maxOccurs 0 or 1)",
                    );
                }
            }
        }
        let term = match kind {
            "sequence" => Term::Sequence(particles),
            "choice" => Term::Choice(particles),
            _ => Term::All(particles),
        };
        Some(Particle {
            min,
            max,
            term,
            location,
        })
    }

    /// An `xs:element` particle: a `ref=` to a global element or a local declaration.
    fn element_particle(
        &mut self,
        d: usize,
        node: Node<'a, 'i>,
        owner: ComplexTypeId,
    ) -> Option<Particle> {
        let location = self.loc(d, node);
        let (min, max) = self.occurs(d, node);
        if let Some(reference) = node.attribute("ref") {
            self.check_attributes(d, node, REF_ELEMENT_ATTRIBUTES);
            let _ = self.documentation(d, node);
            let qname = self.qname(d, node, reference)?;
            let Some(&(_, id)) = self.tables.elements.get(&qname) else {
                self.error_at(
                    d,
                    node,
                    format!("element '{}' is not defined", reference.trim()),
                );
                return None;
            };
            if self.substitutes.contains_key(&id) {
                self.substitution_sites.insert(location, id);
            }
            return Some(Particle {
                min,
                max,
                term: self.substitution_term(id, location, false),
                location,
            });
        }
        self.check_attributes(d, node, LOCAL_ELEMENT_ATTRIBUTES);
        let Some(name) = node.attribute("name") else {
            self.error_at(
                d,
                node,
                "a local <xs:element> needs a name or a ref attribute",
            );
            return None;
        };
        if !super::values::is_ncname(name.trim()) {
            self.error_at(d, node, format!("name '{name}' is not a valid NCName"));
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
            None => self.docs.get(d).is_some_and(|doc| doc.elements_qualified),
        };
        let namespace = if qualified { self.tns(d) } else { None };
        // Reserve the id first so declarations stay in document order.
        let id = self.schema.push_element(ElementDecl {
            name: String::new(),
            namespace: None,
            scope: ElementScope::Local(owner),
            ty: ElementType::Undeclared,
            nillable: false,
            is_abstract: false,
            block: Blocked::default(),
            value_constraint: None,
            documentation: Vec::new(),
            location,
        });
        let decl = self.element_decl(d, node, ElementScope::Local(owner), namespace);
        if let Some(slot) = self.schema.elements.get_mut(id.index()) {
            *slot = decl;
        }
        self.lower_identity_constraints(d, node, id);
        Some(Particle {
            min,
            max,
            term: Term::Element(id),
            location,
        })
    }

    /// An `xs:group ref=`: the named group's model group, with the reference's occurrences.
    fn group_ref_particle(
        &mut self,
        d: usize,
        node: Node<'a, 'i>,
        owner: ComplexTypeId,
    ) -> Option<Particle> {
        self.check_attributes(d, node, &["id", "ref", "minOccurs", "maxOccurs"]);
        let location = self.loc(d, node);
        let (min, max) = self.occurs(d, node);
        let Some(reference) = node.attribute("ref") else {
            self.error_at(d, node, "a nested <xs:group> needs a ref attribute");
            return None;
        };
        let qname = self.qname(d, node, reference)?;
        let qname = self.redirect(node, qname, super::redefine::Space::Group);
        let Some(def) = self.tables.groups.get(&qname).copied() else {
            self.error_at(
                d,
                node,
                format!("model group '{}' is not defined", reference.trim()),
            );
            return None;
        };
        if let Some(pos) = self.group_stack.iter().position(|g| *g == qname) {
            let mut path: Vec<&str> = self.group_stack[pos..]
                .iter()
                .map(|g| g.1.as_str())
                .collect();
            path.push(&qname.1);
            let msg = format!("circular model group: {}", path.join(" -> "));
            self.error_at(d, node, msg);
            return None;
        }
        let inner = self.expand_group(&qname, def, owner)?;
        Some(Particle {
            min,
            max,
            term: inner.term,
            location,
        })
    }

    /// The model group of the named group `qname` (defined by `def`), its local elements
    /// owned by `owner`.
    pub(crate) fn expand_group(
        &mut self,
        qname: &QName,
        def: Def<'a, 'i>,
        owner: ComplexTypeId,
    ) -> Option<Particle> {
        self.check_attributes(def.doc, def.node, &["id", "name"]);
        let mut compositor = None;
        for child in def.node.children().filter(|c| c.is_element()) {
            match xsd_name(child) {
                Some("annotation") => {}
                Some("sequence" | "choice" | "all") if compositor.is_none() => {
                    compositor = Some(child)
                }
                _ => self.error_at(
                    def.doc,
                    child,
                    format!("unexpected {} in <xs:group>", show(child)),
                ),
            }
        }
        let Some(compositor) = compositor else {
            self.error_at(
                def.doc,
                def.node,
                format!("model group '{}' has no sequence, choice or all", qname.1),
            );
            return None;
        };
        if compositor.has_attribute("minOccurs") || compositor.has_attribute("maxOccurs") {
            self.error_at(
                def.doc,
                compositor,
                "the compositor of a named model group cannot have minOccurs/maxOccurs (put them on the group reference)",
            );
        }
        self.expanded_groups.insert(qname.clone());
        self.group_stack.push(qname.clone());
        let inner = self.model_group_particle(def.doc, compositor, owner);
        self.group_stack.pop();
        inner
    }
}
