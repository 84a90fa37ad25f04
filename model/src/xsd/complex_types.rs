//! Complex types: content (particles, `mixed`, `simpleContent`, `complexContent`), attributes,
//! and derivation, lowered to their EFFECTIVE content and attributes:
//! - complexContent extension: `Sequence[base particle, own particle]` (an empty side dropped),
//!   attributes = base's then own, attribute wildcard = union;
//! - complexContent restriction: own particle, base attributes overridden by own
//!   (`prohibited` removes), own wildcard;
//! - simpleContent extension: `Content::Simple(base simple type)` plus attributes;
//! - simpleContent restriction: `Content::Simple` of an anonymous simple type restricting the
//!   base's simple content type with the facets (the base type itself when there are none);
//! - no particle: `Content::Empty`, or `Content::Simple(xs:string)` when `mixed="true"`.

use roxmltree::Node;

use super::attributes::AttributePart;
use super::lower::{ComplexState, Lowerer};
use super::type_derivation::SimpleDerivation;
use super::values::{parse_bool, show, xsd_name};
use crate::ir::{
    Builtin, ComplexTypeId, Content, Derivation, DerivationMethod, MaxOccurs, NamespaceConstraint,
    Particle, ProcessContents, Term, TypeRef, Variety, Wildcard,
};
use crate::location::Location;

impl<'a, 'i> Lowerer<'a, 'i> {
    /// The `xs:anyType` complex type (created once per schema): any elements (lax, 0..unbounded),
    /// mixed, any attributes (lax).
    pub(crate) fn any_type(&mut self) -> ComplexTypeId {
        if let Some(id) = self.any_type {
            return id;
        }
        let wildcard = Wildcard {
            namespaces: NamespaceConstraint::Any,
            process_contents: ProcessContents::Lax,
        };
        let id = self.new_complex(
            Some("anyType".to_string()),
            Location::default(),
            ComplexState::Done,
        );
        let ty = &mut self.schema.complex_types[id.index()];
        ty.content = Content::Elements {
            particle: Particle {
                min: 0,
                max: MaxOccurs::Unbounded,
                term: Term::Any(wildcard.clone()),
                location: Location::default(),
            },
            mixed: true,
        };
        ty.any_attribute = Some(wildcard);
        self.any_type = Some(id);
        id
    }

    /// Lower an anonymous `xs:complexType` (inside an element).
    pub(crate) fn lower_anonymous_complex(
        &mut self,
        d: usize,
        node: Node<'a, 'i>,
    ) -> ComplexTypeId {
        if !self.enter(d, node) {
            return self.any_type();
        }
        let id = self.lower_anonymous_complex_here(d, node);
        self.leave();
        id
    }

    fn lower_anonymous_complex_here(&mut self, d: usize, node: Node<'a, 'i>) -> ComplexTypeId {
        for attribute in ["name", "abstract", "final", "block"] {
            if node.has_attribute(attribute) {
                self.error_at(
                    d,
                    node,
                    format!("an inline <xs:complexType> cannot have {attribute}= (only named, top-level types can)"),
                );
            }
        }
        let location = self.loc(d, node);
        let id = self.new_complex(None, location, ComplexState::InProgress);
        self.lower_complex_into(d, node, id);
        if let Some(s) = self.complex_state.get_mut(id.index()) {
            *s = ComplexState::Done;
        }
        id
    }

    /// Lower an `xs:complexType` element into the reserved slot `id`.
    pub(crate) fn lower_complex_into(&mut self, d: usize, node: Node<'a, 'i>, id: ComplexTypeId) {
        self.check_attributes(
            d,
            node,
            &["id", "name", "mixed", "abstract", "block", "final"],
        );
        let documentation = self.documentation(d, node);
        let is_abstract = self.bool_attribute(d, node, "abstract");
        let block = self.block(d, node, false);
        let mixed = self.bool_attribute(d, node, "mixed");
        let children: Vec<Node<'a, 'i>> = node
            .children()
            .filter(|c| c.is_element() && xsd_name(*c) != Some("annotation"))
            .collect();
        let first = children.first().copied();
        let shape = match first.and_then(xsd_name) {
            Some("simpleContent") => {
                if let Some(extra) = children.get(1) {
                    self.error_at(
                        d,
                        *extra,
                        format!("unexpected {} after <xs:simpleContent>", show(*extra)),
                    );
                }
                first.map(|c| self.simple_content(d, c, id))
            }
            Some("complexContent") => {
                if let Some(extra) = children.get(1) {
                    self.error_at(
                        d,
                        *extra,
                        format!("unexpected {} after <xs:complexContent>", show(*extra)),
                    );
                }
                first.map(|c| self.complex_content(d, c, id, mixed))
            }
            _ => {
                let (particle, mut attributes) = self.particle_and_attributes(d, &children, id);
                // Outside a restriction a prohibited attribute use is no attribute use.
                attributes
                    .uses
                    .retain(|u| u.use_ != crate::ir::AttributeUseKind::Prohibited);
                let content = content_of(particle, mixed);
                if matches!(content, Content::Simple(_)) {
                    self.mixed_empty.insert(id);
                }
                Some(Shape {
                    content,
                    attributes,
                    derivation: None,
                })
            }
        };
        let shape = shape.unwrap_or(Shape {
            content: Content::Empty,
            attributes: AttributePart::default(),
            derivation: None,
        });
        if let Some(ty) = self.schema.complex_types.get_mut(id.index()) {
            ty.content = shape.content;
            ty.attributes = shape.attributes.uses;
            ty.any_attribute = shape.attributes.wildcard;
            ty.derivation = shape.derivation;
            ty.is_abstract = is_abstract;
            ty.block = block;
            ty.documentation = documentation;
        }
    }

    /// The optional particle and the attribute part of a content model's children.
    fn particle_and_attributes(
        &mut self,
        d: usize,
        children: &[Node<'a, 'i>],
        owner: ComplexTypeId,
    ) -> (Option<Particle>, AttributePart) {
        let mut particle = None;
        let mut rest = children;
        if let Some(first) = children.first() {
            if matches!(
                xsd_name(*first),
                Some("sequence" | "choice" | "all" | "group")
            ) {
                particle = self.lower_particle(d, *first, owner);
                rest = &children[1..];
            }
        }
        let attributes = self.attribute_part(d, rest);
        (particle, attributes)
    }

    /// `xs:simpleContent` with an `xs:extension` or `xs:restriction`.
    fn simple_content(&mut self, d: usize, node: Node<'a, 'i>, owner: ComplexTypeId) -> Shape {
        self.check_attributes(d, node, &["id"]);
        let _ = self.documentation(d, node);
        let Some(derivation) = self.single_derivation(d, node) else {
            return Shape::empty();
        };
        let is_extension = xsd_name(derivation) == Some("extension");
        self.check_attributes(d, derivation, &["id", "base"]);
        let _ = self.documentation(d, derivation);
        let children: Vec<Node<'a, 'i>> = derivation
            .children()
            .filter(|c| c.is_element() && xsd_name(*c) != Some("annotation"))
            .collect();
        let base = self.derivation_base(d, derivation, owner);
        // The base's simple content type and attributes.
        let (base_simple, base_attributes) = match base {
            None => (None, AttributePart::default()),
            Some(TypeRef::Simple(s)) => {
                if !is_extension {
                    self.error_at(
                        d,
                        derivation,
                        "the base of a simpleContent restriction must be a complex type with simple content",
                    );
                }
                (Some(s), AttributePart::default())
            }
            Some(TypeRef::Complex(c)) => {
                let (content, attributes) = self.complex_parts(c);
                let inline_type = children
                    .first()
                    .is_some_and(|c| xsd_name(*c) == Some("simpleType"));
                let mixed_emptiable = match &content {
                    Content::Elements {
                        particle,
                        mixed: true,
                    } => is_emptiable(particle),
                    _ => self.mixed_empty.contains(&c),
                };
                match content {
                    // src-ct.2.1.2/2.2: a restriction may give a mixed base with emptiable
                    // content a simple type of its own.
                    _ if !is_extension && mixed_emptiable => {
                        if !inline_type {
                            self.error_at(
                                d,
                                derivation,
                                "a simpleContent restriction of a mixed type with emptiable content needs an inline <xs:simpleType> (src-ct.2.2)",
                            );
                        }
                        (None, attributes)
                    }
                    Content::Simple(s) => (Some(s), attributes),
                    _ => {
                        let name = derivation
                            .attribute("base")
                            .unwrap_or("")
                            .trim()
                            .to_string();
                        self.error_at(
                            d,
                            derivation,
                            format!(
                                "simpleContent base type '{name}' does not have simple content"
                            ),
                        );
                        (None, attributes)
                    }
                }
            }
        };
        let derivation_ir = base.map(|b| Derivation {
            method: if is_extension {
                DerivationMethod::Extension
            } else {
                DerivationMethod::Restriction
            },
            base: b,
        });
        if is_extension {
            let own = self.attribute_part(d, &children);
            let attributes = self.extend_attributes(d, derivation, base_attributes, own);
            let content = Content::Simple(base_simple.unwrap_or(Builtin::String.id()));
            return Shape {
                content,
                attributes,
                derivation: derivation_ir,
            };
        }
        // Restriction: optional inline simpleType, facets, then attributes.
        let mut start = 0;
        let mut restricted = base_simple.unwrap_or(Builtin::String.id());
        if let Some(first) = children.first() {
            if xsd_name(*first) == Some("simpleType") {
                restricted = self.lower_anonymous_simple(d, *first);
                start = 1;
                if let Some(base) = base_simple {
                    let at = self.loc(d, *first);
                    self.simple_derivations.push(SimpleDerivation {
                        at,
                        derived: restricted,
                        base,
                        what: "the simple type of this simpleContent restriction".to_string(),
                        constraint: "derivation-ok-restriction.5.1",
                    });
                }
            }
        }
        let facet_end = children[start..]
            .iter()
            .position(|c| {
                matches!(
                    xsd_name(*c),
                    Some("attribute" | "attributeGroup" | "anyAttribute")
                )
            })
            .map_or(children.len(), |p| p + start);
        let facet_nodes = &children[start..facet_end];
        let content_type = if facet_nodes.is_empty() {
            restricted
        } else {
            let location = self.loc(d, derivation);
            let st = self.new_simple(None, location);
            let facets = self.facets(d, facet_nodes, st);
            if let Some(t) = self.schema.simple_types.get_mut(st.index()) {
                t.variety = Variety::Restriction { base: restricted };
                t.facets = facets;
            }
            self.simple_ref_sites.insert(st, location);
            st
        };
        let own = self.attribute_part(d, &children[facet_end..]);
        let attributes = self.restrict_attributes(d, derivation, false, base_attributes, own);
        Shape {
            content: Content::Simple(content_type),
            attributes,
            derivation: derivation_ir,
        }
    }

    /// `xs:complexContent` with an `xs:extension` or `xs:restriction`.
    fn complex_content(
        &mut self,
        d: usize,
        node: Node<'a, 'i>,
        owner: ComplexTypeId,
        type_mixed: bool,
    ) -> Shape {
        self.check_attributes(d, node, &["id", "mixed"]);
        let _ = self.documentation(d, node);
        let mixed = match node.attribute("mixed") {
            Some(v) => parse_bool(v).unwrap_or_else(|| {
                self.error_at(d, node, format!("mixed=\"{v}\" is not a boolean"));
                type_mixed
            }),
            None => type_mixed,
        };
        let Some(derivation) = self.single_derivation(d, node) else {
            return Shape::empty();
        };
        let is_extension = xsd_name(derivation) == Some("extension");
        self.check_attributes(d, derivation, &["id", "base"]);
        let _ = self.documentation(d, derivation);
        let children: Vec<Node<'a, 'i>> = derivation
            .children()
            .filter(|c| c.is_element() && xsd_name(*c) != Some("annotation"))
            .collect();
        let base = self.derivation_base(d, derivation, owner);
        let (base_content, base_attributes) = match base {
            Some(TypeRef::Complex(c)) => self.complex_parts(c),
            Some(TypeRef::Simple(_)) => {
                let name = derivation
                    .attribute("base")
                    .unwrap_or("")
                    .trim()
                    .to_string();
                self.error_at(
                    d,
                    derivation,
                    format!("complexContent base '{name}' is a simple type (use simpleContent)"),
                );
                (Content::Empty, AttributePart::default())
            }
            None => (Content::Empty, AttributePart::default()),
        };
        let (own_particle, own_attributes) = self.particle_and_attributes(d, &children, owner);
        let own_particle = own_particle.filter(|p| !is_empty_particle(p));
        let location = self.loc(d, derivation);
        let derivation_ir = base.map(|b| Derivation {
            method: if is_extension {
                DerivationMethod::Extension
            } else {
                DerivationMethod::Restriction
            },
            base: b,
        });
        if !is_extension {
            let base_is_any_type = matches!(
                (base, self.any_type),
                (Some(TypeRef::Complex(b)), Some(any)) if b == any
            );
            let attributes = self.restrict_attributes(
                d,
                derivation,
                base_is_any_type,
                base_attributes,
                own_attributes,
            );
            self.check_restricted_content(
                d,
                derivation,
                &base_content,
                own_particle.as_ref(),
                mixed,
            );
            if mixed && own_particle.is_none() {
                self.mixed_empty.insert(owner);
            }
            return Shape {
                content: content_of(own_particle, mixed),
                attributes,
                derivation: derivation_ir,
            };
        }
        let attributes = self.extend_attributes(d, derivation, base_attributes, own_attributes);
        let base_mixed_empty =
            matches!(base, Some(TypeRef::Complex(c)) if self.mixed_empty.contains(&c));
        if own_particle.is_none()
            && (base_mixed_empty || (mixed && matches!(base_content, Content::Empty)))
        {
            self.mixed_empty.insert(owner);
        }
        let content = match (base_content, own_particle) {
            (base, None) => match base {
                Content::Empty if mixed => Content::Simple(Builtin::String.id()),
                Content::Elements { particle, mixed: m } => Content::Elements {
                    particle,
                    mixed: m || mixed,
                },
                other => other,
            },
            (Content::Empty, Some(p)) => Content::Elements { particle: p, mixed },
            (Content::Elements { particle, mixed: m }, Some(p)) => {
                self.check_extended_particle(d, derivation, (&particle, m), (&p, mixed));
                Content::Elements {
                    particle: Particle {
                        min: 1,
                        max: MaxOccurs::Bounded(1),
                        term: Term::Sequence(vec![particle, p]),
                        location,
                    },
                    mixed: m || mixed,
                }
            }
            (Content::Simple(_), Some(p)) if base_mixed_empty => {
                // A mixed base without elements: its particle is the empty sequence.
                let empty = Particle {
                    min: 1,
                    max: MaxOccurs::Bounded(1),
                    term: Term::Sequence(Vec::new()),
                    location,
                };
                self.check_extended_particle(d, derivation, (&empty, true), (&p, mixed));
                Content::Elements { particle: p, mixed }
            }
            (Content::Simple(_), Some(p)) => {
                self.error_at(
                    d,
                    derivation,
                    "a complexContent extension cannot add elements to a base type with simple content",
                );
                Content::Elements { particle: p, mixed }
            }
            (Content::Any, Some(_)) => Content::Any,
        };
        Shape {
            content,
            attributes,
            derivation: derivation_ir,
        }
    }

    /// The one `xs:extension`/`xs:restriction` child of a simple/complex content element.
    fn single_derivation(&mut self, d: usize, node: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
        let mut found = None;
        for child in node.children().filter(|c| c.is_element()) {
            match xsd_name(child) {
                Some("annotation") => {}
                Some("extension" | "restriction") if found.is_none() => found = Some(child),
                _ => self.error_at(
                    d,
                    child,
                    format!("unexpected {} in {}", show(child), show(node)),
                ),
            }
        }
        if found.is_none() {
            self.error_at(
                d,
                node,
                format!("{} needs an <xs:extension> or <xs:restriction>", show(node)),
            );
        }
        found
    }

    /// Resolve the `base=` of a derivation and make sure a complex base is lowered first.
    fn derivation_base(
        &mut self,
        d: usize,
        derivation: Node<'a, 'i>,
        owner: ComplexTypeId,
    ) -> Option<TypeRef> {
        let Some(value) = derivation.attribute("base") else {
            self.error_at(
                d,
                derivation,
                format!("{} needs a base attribute", show(derivation)),
            );
            return None;
        };
        let base = self.resolve_type(d, derivation, value)?;
        if let TypeRef::Complex(c) = base {
            if c == owner || !self.ensure_complex(c) {
                let name = self
                    .schema
                    .complex_types
                    .get(owner.index())
                    .and_then(|t| t.name.clone())
                    .unwrap_or_else(|| "(anonymous)".to_string());
                let message = if c == owner {
                    format!("circular type derivation: '{name}' derives from itself")
                } else {
                    format!(
                        "circular type derivation: '{name}' derives from '{}', whose derivation leads back to '{name}'",
                        value.trim()
                    )
                };
                self.error_at(d, derivation, message);
                return None;
            }
        }
        Some(base)
    }

    /// The effective content and attribute part of a lowered complex type.
    fn complex_parts(&self, id: ComplexTypeId) -> (Content, AttributePart) {
        match self.schema.complex_types.get(id.index()) {
            Some(t) => (
                t.content.clone(),
                AttributePart {
                    uses: t.attributes.clone(),
                    wildcard: t.any_attribute.clone(),
                },
            ),
            None => (Content::Empty, AttributePart::default()),
        }
    }
}

/// The lowered parts of a complex type.
struct Shape {
    content: Content,
    attributes: AttributePart,
    derivation: Option<Derivation>,
}

impl Shape {
    fn empty() -> Shape {
        Shape {
            content: Content::Empty,
            attributes: AttributePart::default(),
            derivation: None,
        }
    }
}

/// Content of a type from its own particle (`None`/empty: no children).
fn content_of(particle: Option<Particle>, mixed: bool) -> Content {
    match particle.filter(|p| !is_empty_particle(p)) {
        Some(particle) => Content::Elements { particle, mixed },
        None if mixed => Content::Simple(Builtin::String.id()),
        None => Content::Empty,
    }
}

/// Whether a particle can match the empty sequence (XSD 1.0 3.9.6 Particle Emptiable).
pub(crate) fn is_emptiable(p: &Particle) -> bool {
    p.min == 0
        || match &p.term {
            Term::Sequence(v) | Term::All(v) => v.iter().all(is_emptiable),
            Term::Choice(v) => v.iter().any(is_emptiable),
            Term::Element(_) | Term::Any(_) => false,
        }
}

/// Whether a particle can only ever match the empty sequence: `maxOccurs="0"`, or a model
/// group whose particles are all empty (e.g. `<xs:sequence/>`). A choice without any
/// alternative matches nothing at all, so it is empty only with `minOccurs="0"` (XSD 1.0
/// 3.4.2, complex content 2.1.3); otherwise no content satisfies it.
pub(crate) fn is_empty_particle(p: &Particle) -> bool {
    if p.max == MaxOccurs::Bounded(0) {
        return true;
    }
    match &p.term {
        Term::Choice(v) if v.is_empty() => p.min == 0,
        Term::Sequence(v) | Term::Choice(v) | Term::All(v) => v.iter().all(is_empty_particle),
        Term::Element(_) | Term::Any(_) => false,
    }
}
