//! Lowering parsed declarations into the IR: one global element and one anonymous complex
//! type per declared element, `Undeclared` elements for names only referenced, attribute
//! uses with their XSD built-in (or enumeration) types.

use std::collections::HashSet;

use indexmap::IndexMap;

use super::ast::{AttDefAst, ContentSpec, Cp, CpKind, Decl, DefaultDecl, ElementAst};
use crate::ir::{
    AttributeUse, AttributeUseKind, Blocked, Builtin, ComplexType, Content, DtdAttributeType,
    ElementDecl, ElementId, ElementScope, ElementType, Facets, MaxOccurs, Particle, Schema,
    SimpleType, SimpleTypeId, Term, ValueConstraint, Variety,
};
use crate::location::Location;

/// Lower `decls` into `schema` (whose files, entities and notations are already set).
/// `doctype_name` gets an element too (undeclared if no declaration names it).
pub(crate) fn lower(schema: &mut Schema, decls: &[Decl], doctype_name: Option<(&str, Location)>) {
    let mut declared: IndexMap<String, (ElementId, &ElementAst)> = IndexMap::new();
    for decl in decls {
        let Decl::Element(element) = decl else {
            continue;
        };
        if let Some((_, first)) = declared.get(&element.name) {
            let first = schema.display_location(first.location);
            schema.findings.push(crate::ir::Finding {
                rule: "dtd-duplicate-element-declaration".into(),
                message: format!(
                    "element type '{}' is declared more than once (first at {first}) (VC: Unique Element Type Declaration)",
                    element.name
                ),
                location: element.location,
            });
            continue;
        }
        let ty = schema.push_complex_type(ComplexType {
            name: None,
            content: Content::Empty,
            attributes: Vec::new(),
            any_attribute: None,
            derivation: None,
            is_abstract: false,
            block: Blocked::default(),
            documentation: Vec::new(),
            location: element.location,
        });
        let id = schema.push_element(ElementDecl {
            name: element.name.clone(),
            namespace: None,
            scope: ElementScope::Global,
            ty: ElementType::Complex(ty),
            nillable: false,
            is_abstract: false,
            block: Blocked::default(),
            value_constraint: None,
            documentation: element.documentation.clone(),
            location: element.location,
        });
        schema.globals.insert(element.name.clone(), id);
        declared.insert(element.name.clone(), (id, element));
    }
    for (id, element) in declared.values() {
        let content = lower_content(schema, &element.content);
        if let ElementType::Complex(ty) = schema.element(*id).ty {
            if let Some(t) = schema.complex_types.get_mut(ty.index()) {
                t.content = content;
            }
        }
    }
    let mut bound: HashSet<(ElementId, &str)> = HashSet::new();
    for decl in decls {
        let Decl::Attlist(list) = decl else { continue };
        let owner = element_ref(schema, &list.element, list.location);
        let ty = schema.element(owner).ty;
        for def in &list.attributes {
            if !bound.insert((owner, def.name.as_str())) {
                continue;
            }
            let attribute = lower_attribute(schema, def, &list.documentation);
            match ty {
                ElementType::Complex(ty) => {
                    if let Some(t) = schema.complex_types.get_mut(ty.index()) {
                        t.attributes.push(attribute);
                    }
                }
                _ => schema
                    .undeclared_attributes
                    .entry(list.element.clone())
                    .or_default()
                    .push(attribute),
            }
        }
    }
    if let Some((name, location)) = doctype_name {
        element_ref(schema, name, location);
    }
}

/// The global element `name`, created as `Undeclared` (at `location`) when it is not declared.
fn element_ref(schema: &mut Schema, name: &str, location: Location) -> ElementId {
    if let Some(id) = schema.global(name) {
        return id;
    }
    let id = schema.push_element(ElementDecl {
        name: name.to_string(),
        namespace: None,
        scope: ElementScope::Global,
        ty: ElementType::Undeclared,
        nillable: false,
        is_abstract: false,
        block: Blocked::default(),
        value_constraint: None,
        documentation: Vec::new(),
        location,
    });
    schema.globals.insert(name.to_string(), id);
    id
}

/// A content specification as IR content.
fn lower_content(schema: &mut Schema, spec: &ContentSpec) -> Content {
    match spec {
        ContentSpec::Empty => Content::Empty,
        ContentSpec::Any => Content::Any,
        ContentSpec::Mixed { names, .. } if names.is_empty() => {
            Content::Simple(Builtin::String.id())
        }
        ContentSpec::Mixed { names, location } => {
            let mut seen: HashSet<&str> = HashSet::new();
            let mut particles = Vec::new();
            for (name, loc) in names {
                if !seen.insert(name.as_str()) {
                    continue;
                }
                let id = element_ref(schema, name, *loc);
                particles.push(Particle {
                    min: 1,
                    max: MaxOccurs::Bounded(1),
                    term: Term::Element(id),
                    location: *loc,
                });
            }
            Content::Elements {
                particle: Particle {
                    min: 0,
                    max: MaxOccurs::Unbounded,
                    term: Term::Choice(particles),
                    location: *location,
                },
                mixed: true,
            }
        }
        ContentSpec::Children(cp) => Content::Elements {
            particle: lower_particle(schema, cp),
            mixed: false,
        },
    }
}

/// A content particle as an IR particle.
fn lower_particle(schema: &mut Schema, cp: &Cp) -> Particle {
    let term = match &cp.kind {
        CpKind::Name(name) => Term::Element(element_ref(schema, name, cp.location)),
        CpKind::Seq(items) => {
            Term::Sequence(items.iter().map(|c| lower_particle(schema, c)).collect())
        }
        CpKind::Choice(items) => {
            Term::Choice(items.iter().map(|c| lower_particle(schema, c)).collect())
        }
    };
    Particle {
        min: cp.min,
        max: cp.max,
        term,
        location: cp.location,
    }
}

/// An attribute definition as an attribute use.
fn lower_attribute(schema: &mut Schema, def: &AttDefAst, documentation: &[String]) -> AttributeUse {
    let ty = attribute_simple_type(schema, &def.ty, def.location);
    let (use_, value_constraint) = match &def.default {
        DefaultDecl::Required => (AttributeUseKind::Required, None),
        DefaultDecl::Implied => (AttributeUseKind::Optional, None),
        DefaultDecl::Fixed(v) => (
            AttributeUseKind::Optional,
            Some(ValueConstraint::Fixed(v.clone())),
        ),
        DefaultDecl::Default(v) => (
            AttributeUseKind::Optional,
            Some(ValueConstraint::Default(v.clone())),
        ),
    };
    AttributeUse {
        name: def.name.clone(),
        namespace: None,
        ty,
        dtd_type: Some(def.ty.clone()),
        use_,
        value_constraint,
        documentation: documentation.to_vec(),
        location: def.location,
    }
}

/// The simple type of a DTD attribute type: the built-in of the same name, or an anonymous
/// enumeration restricting `NMTOKEN` (`NOTATION` for notation types).
fn attribute_simple_type(
    schema: &mut Schema,
    ty: &DtdAttributeType,
    location: Location,
) -> SimpleTypeId {
    let (base, tokens) = match ty {
        DtdAttributeType::Cdata => return Builtin::String.id(),
        DtdAttributeType::Id => return Builtin::Id.id(),
        DtdAttributeType::IdRef => return Builtin::IdRef.id(),
        DtdAttributeType::IdRefs => return Builtin::IdRefs.id(),
        DtdAttributeType::Entity => return Builtin::Entity.id(),
        DtdAttributeType::Entities => return Builtin::Entities.id(),
        DtdAttributeType::NmToken => return Builtin::NmToken.id(),
        DtdAttributeType::NmTokens => return Builtin::NmTokens.id(),
        DtdAttributeType::Notation(names) => (Builtin::Notation, names),
        DtdAttributeType::Enumeration(tokens) => (Builtin::NmToken, tokens),
    };
    schema.push_simple_type(SimpleType {
        name: None,
        builtin: None,
        variety: Variety::Restriction { base: base.id() },
        facets: Facets {
            enumeration: tokens.clone(),
            ..Facets::default()
        },
        documentation: Vec::new(),
        location,
    })
}
