//! Substitution groups: a global element with `substitutionGroup="head"` may appear wherever
//! the head is referenced. Lowered by expansion: a `ref=` to a head that has members becomes
//! a `Choice` of the head and all its (transitive) members, in document order, abstract
//! elements left out (unless nothing else remains), with the reference's occurrences. A
//! member without a type of its own takes its head's type. `block="substitution"`/`"#all"` on
//! the head (or `blockDefault`) stops the expansion. A member whose type derives from the
//! head's type by a method the head, the head's type or a type in between blocks
//! (`block="extension"`/`"restriction"`) is left out too (XSD 1.0 Substitution Group OK
//! (Transitive)): types are known only once every type is lowered, so the choices are built
//! first with every member and rebuilt at their recorded sites by a post-pass. A member's
//! type must be (derived from) its head's type, by no method the head's `final` excludes.

use roxmltree::Node;

use super::lower::Lowerer;
use crate::ir::{
    Blocked, Builtin, Content, DerivationMethod, ElementId, ElementType, MaxOccurs, Particle, Term,
    TypeRef, Variety,
};
use crate::location::Location;

impl<'a, 'i> Lowerer<'a, 'i> {
    /// Resolve every member's head; report unknown heads and circular groups.
    pub(crate) fn register_substitution_groups(
        &mut self,
        members: &[(usize, Node<'a, 'i>, ElementId)],
    ) {
        for (d, node, id) in members {
            let value = node.attribute("substitutionGroup").unwrap_or("");
            let Some(qname) = self.qname(*d, *node, value) else {
                continue;
            };
            match self.tables.elements.get(&qname) {
                Some((_, head)) => {
                    self.heads.insert(*id, *head);
                }
                None => self.error_at(
                    *d,
                    *node,
                    format!("substitution group head '{}' is not defined", value.trim()),
                ),
            }
        }
        let mut circular = Vec::new();
        for (d, node, id) in members {
            let mut at = *id;
            for _ in 0..=members.len() {
                match self.heads.get(&at) {
                    Some(h) if h == id => {
                        circular.push(*id);
                        let name = node.attribute("name").unwrap_or("").trim().to_string();
                        self.error_at(
                            *d,
                            *node,
                            format!("circular substitution group: '{name}' is (indirectly) its own head"),
                        );
                        break;
                    }
                    Some(h) => at = *h,
                    None => break,
                }
            }
        }
        for id in circular {
            self.heads.remove(&id);
        }
        for (_, _, id) in members {
            if let Some(head) = self.heads.get(id).copied() {
                if !self.blocks_substitution(head) {
                    self.substitutes.entry(head).or_default().push(*id);
                }
            }
        }
    }

    /// Whether the head's `block` (or the schema's `blockDefault`) contains substitution.
    fn blocks_substitution(&self, head: ElementId) -> bool {
        let Some((def, _)) = self.tables.elements.values().find(|(_, id)| *id == head) else {
            return false;
        };
        self.own_or_schema_default(def.doc, def.node, "block")
            .is_some_and(|b| Blocked::parse(b).substitution)
    }

    /// Members declared without a type take their head's type (heads first).
    pub(crate) fn inherit_head_types(&mut self, members: &[(usize, Node<'a, 'i>, ElementId)]) {
        for (_, node, id) in members {
            let typed = node.has_attribute("type")
                || node.children().any(|c| {
                    matches!(
                        super::values::xsd_name(c),
                        Some("simpleType" | "complexType")
                    )
                });
            if typed {
                continue;
            }
            let mut head = self.heads.get(id).copied();
            // Follow untyped heads up the chain (bounded: the chain has no cycles).
            let mut ty = None;
            for _ in 0..=members.len() {
                let Some(h) = head else { break };
                let head_untyped = members.iter().any(|(_, n, m)| {
                    *m == h
                        && !n.has_attribute("type")
                        && !n.children().any(|c| {
                            matches!(
                                super::values::xsd_name(c),
                                Some("simpleType" | "complexType")
                            )
                        })
                });
                if head_untyped && self.heads.contains_key(&h) {
                    head = self.heads.get(&h).copied();
                } else {
                    ty = self.schema.elements.get(h.index()).map(|e| e.ty);
                    break;
                }
            }
            if let (Some(ty), Some(e)) = (ty, self.schema.elements.get_mut(id.index())) {
                e.ty = ty;
            }
        }
    }

    /// The term of a `ref=` to `head`: the element, or a choice of it and its substitutes;
    /// with `check_blocks` (once every type is lowered), without the members `head` blocks.
    pub(crate) fn substitution_term(
        &self,
        head: ElementId,
        location: Location,
        check_blocks: bool,
    ) -> Term {
        if !self.substitutes.contains_key(&head) {
            return Term::Element(head);
        }
        let all: Vec<ElementId> = self
            .substitution_group(head)
            .into_iter()
            .filter(|m| !check_blocks || !self.substitution_blocked(head, *m))
            .collect();
        let concrete: Vec<ElementId> = all
            .iter()
            .copied()
            .filter(|e| {
                !self
                    .schema
                    .elements
                    .get(e.index())
                    .is_some_and(|d| d.is_abstract)
            })
            .collect();
        let chosen = if concrete.is_empty() { all } else { concrete };
        if let [only] = chosen.as_slice() {
            return Term::Element(*only);
        }
        Term::Choice(
            chosen
                .into_iter()
                .map(|e| Particle {
                    min: 1,
                    max: MaxOccurs::Bounded(1),
                    term: Term::Element(e),
                    location,
                })
                .collect(),
        )
    }

    /// `head` and its (transitive) members, head first, then in document order per level.
    fn substitution_group(&self, head: ElementId) -> Vec<ElementId> {
        let mut all = vec![head];
        let mut i = 0;
        while i < all.len() {
            if let Some(members) = self.substitutes.get(&all[i]) {
                for m in members {
                    if !all.contains(m) {
                        all.push(*m);
                    }
                }
            }
            i += 1;
        }
        all
    }

    /// Whether `member` may not stand in for `head`: a derivation method on the way from the
    /// member's type to the head's type is blocked by the head (`block`, `blockDefault`), by
    /// the head's complex type, or by a complex type in between (the member's own type does
    /// not count). A type without a derivation restricts the ur-type.
    fn substitution_blocked(&self, head: ElementId, member: ElementId) -> bool {
        let to_ref = |id: ElementId| {
            self.schema
                .elements
                .get(id.index())
                .and_then(|e| e.ty.type_ref())
        };
        let (Some(target), Some(mut at)) = (to_ref(head), to_ref(member)) else {
            return false;
        };
        let complex_block = |t: TypeRef| match t {
            TypeRef::Complex(c) => self
                .schema
                .complex_types
                .get(c.index())
                .map_or(Blocked::default(), |t| t.block),
            TypeRef::Simple(_) => Blocked::default(),
        };
        let mut blocking = self
            .schema
            .elements
            .get(head.index())
            .map_or(Blocked::default(), |e| e.block)
            .union(complex_block(target));
        let mut methods = Blocked::default();
        for _ in 0..=(self.schema.complex_types.len() + self.schema.simple_types.len()) {
            if at == target {
                break;
            }
            let Some((next, method)) = self.schema.derivation_step(at) else {
                // The ur-type (xs:anyType, xs:anySimpleType) is reached by restriction.
                let ur_type = self.any_type.map(TypeRef::Complex) == Some(target)
                    || target == TypeRef::Simple(Builtin::AnySimpleType.id());
                methods.restriction |= ur_type;
                break;
            };
            match method {
                DerivationMethod::Extension => methods.extension = true,
                DerivationMethod::Restriction => methods.restriction = true,
            }
            if next != target {
                blocking = blocking.union(complex_block(next));
            }
            at = next;
        }
        (methods.extension && blocking.extension) || (methods.restriction && blocking.restriction)
    }

    /// Rebuild the choice at every recorded `ref=` site without the members its head blocks
    /// (run once every type is lowered and the members' types are final).
    pub(crate) fn prune_blocked_substitutes(&mut self) {
        if self.substitution_sites.is_empty() {
            return;
        }
        for i in 0..self.schema.complex_types.len() {
            let Some(t) = self.schema.complex_types.get_mut(i) else {
                continue;
            };
            let mut content = std::mem::replace(&mut t.content, Content::Empty);
            if let Content::Elements { particle, .. } = &mut content {
                self.prune_particle(particle);
            }
            if let Some(t) = self.schema.complex_types.get_mut(i) {
                t.content = content;
            }
        }
    }

    /// [`Lowerer::prune_blocked_substitutes`] on one particle and the particles inside it.
    fn prune_particle(&self, particle: &mut Particle) {
        if let Some(head) = self.substitution_sites.get(&particle.location) {
            if matches!(particle.term, Term::Element(_) | Term::Choice(_)) {
                particle.term = self.substitution_term(*head, particle.location, true);
                return;
            }
        }
        if let Term::Sequence(ps) | Term::Choice(ps) | Term::All(ps) = &mut particle.term {
            for p in ps {
                self.prune_particle(p);
            }
        }
    }

    /// A member's type must be its head's type or derived from it, by no method the head's
    /// `final` (or `finalDefault`) excludes (e-props-correct.4; run once every complex type
    /// is lowered).
    pub(crate) fn check_substitution_types(
        &mut self,
        members: &[(usize, Node<'a, 'i>, ElementId)],
    ) {
        for (d, node, id) in members {
            let Some(head) = self.heads.get(id).copied() else {
                continue;
            };
            let (Some(m), Some(h)) = (
                self.schema.elements.get(id.index()).map(|e| e.ty),
                self.schema.elements.get(head.index()).map(|e| e.ty),
            ) else {
                continue;
            };
            let name = |me: &Self, e: ElementId| {
                me.schema
                    .elements
                    .get(e.index())
                    .map_or(String::new(), |e| e.name.clone())
            };
            let (name, head_name) = (name(self, *id), name(self, head));
            let Some(methods) = self.derivation_methods(m, h) else {
                let message = format!(
                    "the type of '{name}' is not derived from the type of its substitution group head '{head_name}'"
                );
                self.error_at(*d, *node, message);
                continue;
            };
            let excluded = self.head_final(head);
            if let Some(method) = methods
                .iter()
                .map(|m| m.keyword())
                .find(|m| excluded.contains(&m.to_string()))
            {
                let message = format!(
                    "the type of '{name}' derives from the type of its substitution group head '{head_name}' by {method}, which the head's final excludes (e-props-correct.4)"
                );
                self.error_at(*d, *node, message);
            }
        }
    }

    /// The derivation methods the head element `head` excludes from its substitution group
    /// (its `final`, or the schema document's `finalDefault`; `#all` is both).
    fn head_final(&self, head: ElementId) -> Vec<String> {
        let Some(def) = self
            .tables
            .elements
            .values()
            .find(|(_, id)| *id == head)
            .map(|(def, _)| *def)
        else {
            return Vec::new();
        };
        let Some(value) = self.own_or_schema_default(def.doc, def.node, "final") else {
            return Vec::new();
        };
        value
            .split_whitespace()
            .flat_map(|t| match t {
                "#all" => vec!["extension".to_string(), "restriction".to_string()],
                other => vec![other.to_string()],
            })
            .collect()
    }

    /// The derivation methods of the steps from element type `member` up to `head` (empty:
    /// the same type, or a head of anyType or a union type, which accept anything); `None`
    /// when `member` does not derive from `head`.
    fn derivation_methods(
        &self,
        member: ElementType,
        head: ElementType,
    ) -> Option<Vec<DerivationMethod>> {
        let (Some(mut at), Some(head)) = (member.type_ref(), head.type_ref()) else {
            return Some(Vec::new());
        };
        if Some(head) == self.any_type.map(TypeRef::Complex) {
            return Some(Vec::new());
        }
        if let TypeRef::Simple(h) = head {
            if matches!(
                self.schema.simple_types.get(h.index()).map(|t| &t.variety),
                Some(Variety::Union { .. })
            ) {
                return Some(Vec::new());
            }
        }
        let mut methods = Vec::new();
        for _ in 0..=(self.schema.complex_types.len() + self.schema.simple_types.len()) {
            if at == head {
                return Some(methods);
            }
            let (base, method) = self.schema.derivation_step(at)?;
            methods.push(method);
            at = base;
        }
        None
    }
}
