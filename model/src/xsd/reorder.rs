//! Putting the arenas (and the global attributes) into document order. Lowering reserves ids for global components first
//! and creates local declarations and anonymous types as it reaches them; the IR promises
//! element declarations, complex types and (user) simple types in document order, so the
//! finished schema is permuted by location (a stable sort: declarations expanded from one
//! named group keep their lowering order) and every id is remapped.

use crate::ir::{
    Builtin, ComplexTypeId, Content, ElementId, ElementScope, ElementType, Particle, Schema,
    SimpleTypeId, Term, TypeRef, Variety,
};
use crate::location::Location;

/// Sort the element, complex type and user simple type arenas of `schema` by location.
pub(crate) fn into_document_order(schema: &mut Schema) {
    let elements = permutation(schema.elements.iter().map(|e| e.location), 0);
    let complex = permutation(schema.complex_types.iter().map(|t| t.location), 0);
    let simple = permutation(
        schema.simple_types.iter().map(|t| t.location),
        Builtin::ALL.len(),
    );
    apply(&mut schema.elements, &elements);
    apply(&mut schema.complex_types, &complex);
    apply(&mut schema.simple_types, &simple);
    let (elements, complex, simple) = (inverse(&elements), inverse(&complex), inverse(&simple));
    let el = |id: ElementId| ElementId(new_index(&elements, id.index()));
    let ct = |id: ComplexTypeId| ComplexTypeId(new_index(&complex, id.index()));
    let st = |id: SimpleTypeId| SimpleTypeId(new_index(&simple, id.index()));
    let ty = |t: TypeRef| match t {
        TypeRef::Complex(c) => TypeRef::Complex(ct(c)),
        TypeRef::Simple(s) => TypeRef::Simple(st(s)),
    };
    for e in &mut schema.elements {
        e.ty = match e.ty {
            ElementType::Complex(c) => ElementType::Complex(ct(c)),
            ElementType::Simple(s) => ElementType::Simple(st(s)),
            ElementType::Undeclared => ElementType::Undeclared,
        };
        if let ElementScope::Local(owner) = e.scope {
            e.scope = ElementScope::Local(ct(owner));
        }
    }
    for t in &mut schema.complex_types {
        match &mut t.content {
            Content::Simple(s) => *s = st(*s),
            Content::Elements { particle, .. } => remap_particle(particle, &el),
            Content::Empty | Content::Any => {}
        }
        for a in &mut t.attributes {
            a.ty = st(a.ty);
        }
        if let Some(d) = &mut t.derivation {
            d.base = ty(d.base);
        }
    }
    for a in &mut schema.global_attributes {
        a.ty = st(a.ty);
    }
    schema.global_attributes.sort_by_key(|a| a.location);
    for t in &mut schema.simple_types {
        match &mut t.variety {
            Variety::Restriction { base } => *base = st(*base),
            Variety::List { item } => *item = st(*item),
            Variety::Union { members } => members.iter_mut().for_each(|m| *m = st(*m)),
            Variety::AnySimple => {}
        }
    }
    for c in &mut schema.identity_constraints {
        c.element = el(c.element);
    }
    schema.globals.values_mut().for_each(|id| *id = el(*id));
    schema
        .named_complex_types
        .values_mut()
        .for_each(|id| *id = ct(*id));
    schema
        .named_simple_types
        .values_mut()
        .for_each(|id| *id = st(*id));
}

/// `order[new] = old` for the items from `fixed` on, sorted stably by location (items before
/// `fixed` stay in place).
fn permutation(locations: impl Iterator<Item = Location>, fixed: usize) -> Vec<usize> {
    let locations: Vec<Location> = locations.collect();
    let mut order: Vec<usize> = (0..locations.len()).collect();
    if let Some(tail) = order.get_mut(fixed..) {
        tail.sort_by_key(|&i| locations.get(i).copied().unwrap_or_default());
    }
    order
}

/// Permute `items` so that `items[new] = old items[order[new]]`.
fn apply<T>(items: &mut Vec<T>, order: &[usize]) {
    let mut old: Vec<Option<T>> = std::mem::take(items).into_iter().map(Some).collect();
    for &i in order {
        if let Some(item) = old.get_mut(i).and_then(Option::take) {
            items.push(item);
        }
    }
}

/// The inverse of a permutation: `inverse[old] = new`.
fn inverse(order: &[usize]) -> Vec<u32> {
    let mut inv = vec![0u32; order.len()];
    for (new, &old) in order.iter().enumerate() {
        if let Some(slot) = inv.get_mut(old) {
            *slot = new as u32;
        }
    }
    inv
}

/// The new index of old index `old` (out-of-range ids are kept as they are).
fn new_index(inverse: &[u32], old: usize) -> u32 {
    inverse.get(old).copied().unwrap_or(old as u32)
}

fn remap_particle(p: &mut Particle, el: &impl Fn(ElementId) -> ElementId) {
    let mut stack = vec![p];
    while let Some(p) = stack.pop() {
        match &mut p.term {
            Term::Element(id) => *id = el(*id),
            Term::Sequence(v) | Term::Choice(v) | Term::All(v) => stack.extend(v.iter_mut()),
            Term::Any(_) => {}
        }
    }
}
