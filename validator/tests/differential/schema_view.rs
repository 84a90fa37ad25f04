//! What the schema model declares about a document's elements and attributes: the
//! declaration each element is validated against, the kind of value each text or attribute
//! must hold, the required attributes. Lets the mutation generator aim at declared things.

use qschema_model::{
    AttributeUseKind, Builtin, Content, ElementId, ElementType, Particle, Schema, SchemaKind,
    SimpleTypeId, Term, Variety,
};

/// The kind of value a text or attribute must hold, as far as the mutations care.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// An enumeration (any base type).
    Enumeration,
    /// `xs:boolean` (or a restriction of it).
    Boolean,
    /// `xs:long` (or a restriction of it).
    Long,
    /// `xs:int` (or a restriction of it).
    Int,
    /// `xs:dateTime` (or a restriction of it).
    DateTime,
    /// Anything else.
    Other,
}

/// The declaration `node` (an element) is validated against, found by walking down from the
/// root through the content models; `None` when it is not declared there.
pub fn element_decl(schema: &Schema, node: roxmltree::Node) -> Option<ElementId> {
    let name = node.tag_name().name();
    if schema.kind == SchemaKind::Dtd {
        return schema.globals.get(&qualified_name(node)).copied();
    }
    let Some(parent) = node.parent_element() else {
        return schema.globals.get(name).copied();
    };
    let parent_decl = element_decl(schema, parent)?;
    let ElementType::Complex(ct) = schema.elements.get(parent_decl.index())?.ty else {
        return None;
    };
    match &schema.complex_types.get(ct.index())?.content {
        Content::Elements { particle, .. } => find_in_particle(schema, particle, name),
        Content::Any => schema.globals.get(name).copied(),
        _ => None,
    }
}

/// The element's name as written (prefix included), which is how a DTD names it.
fn qualified_name(node: roxmltree::Node) -> String {
    let name = node.tag_name().name();
    match node
        .tag_name()
        .namespace()
        .and_then(|ns| node.lookup_prefix(ns))
    {
        Some(prefix) if !prefix.is_empty() => format!("{prefix}:{name}"),
        _ => name.to_string(),
    }
}

fn find_in_particle(schema: &Schema, particle: &Particle, name: &str) -> Option<ElementId> {
    match &particle.term {
        Term::Element(id) => schema
            .elements
            .get(id.index())
            .filter(|e| e.name == name)
            .map(|_| *id),
        Term::Sequence(ps) | Term::Choice(ps) | Term::All(ps) => {
            ps.iter().find_map(|p| find_in_particle(schema, p, name))
        }
        Term::Any(_) => None,
    }
}

/// The simple type of an element's text, when it has simple content.
pub fn text_type(schema: &Schema, decl: ElementId) -> Option<SimpleTypeId> {
    match schema.elements.get(decl.index())?.ty {
        ElementType::Simple(st) => Some(st),
        ElementType::Complex(ct) => match schema.complex_types.get(ct.index())?.content {
            Content::Simple(st) => Some(st),
            _ => None,
        },
        ElementType::Undeclared => None,
    }
}

/// What kind of value the simple type `st` takes.
pub fn value_kind(schema: &Schema, st: SimpleTypeId) -> ValueKind {
    let mut current = st;
    for _ in 0..64 {
        let Some(ty) = schema.simple_types.get(current.index()) else {
            return ValueKind::Other;
        };
        if !ty.facets.enumeration.is_empty() {
            return ValueKind::Enumeration;
        }
        if let Some(b) = ty.builtin {
            return match b {
                Builtin::Boolean => ValueKind::Boolean,
                Builtin::Long => ValueKind::Long,
                Builtin::Int => ValueKind::Int,
                Builtin::DateTime => ValueKind::DateTime,
                _ => ValueKind::Other,
            };
        }
        match ty.variety {
            Variety::Restriction { base } => current = base,
            _ => return ValueKind::Other,
        }
    }
    ValueKind::Other
}

/// The declared attributes of the element declaration `decl`: (name, value kind, required).
pub fn attributes(schema: &Schema, decl: ElementId) -> Vec<(String, ValueKind, bool)> {
    let Some(ElementType::Complex(ct)) = schema.elements.get(decl.index()).map(|e| e.ty) else {
        return Vec::new();
    };
    let Some(ct) = schema.complex_types.get(ct.index()) else {
        return Vec::new();
    };
    ct.attributes
        .iter()
        .map(|a| {
            let kind = match &a.dtd_type {
                Some(qschema_model::DtdAttributeType::Enumeration(_)) => ValueKind::Enumeration,
                _ => value_kind(schema, a.ty),
            };
            (a.name.clone(), kind, a.use_ == AttributeUseKind::Required)
        })
        .collect()
}
