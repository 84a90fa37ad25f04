//! A partial check of complexContent restrictions: the restricted content model may only use
//! elements the base's content model has (by name and namespace), unless the base has a
//! wildcard; a base with empty or simple content cannot be restricted to element content, nor
//! an element-only one to mixed content.
//! (The full particle-restriction rules of XSD 1.0 3.9.6 — occurrence ranges, group
//! mappings — are not checked.)

use roxmltree::Node;

use super::lower::Lowerer;
use crate::ir::{Content, ElementId, Particle, Term};

impl Lowerer<'_, '_> {
    /// Check the own content of a complexContent restriction (`mixed`: whether it is mixed)
    /// against the base's effective content: its particle, and that an element-only base
    /// is not made mixed (derivation-ok-restriction.5.4.1).
    pub(crate) fn check_restricted_content(
        &mut self,
        d: usize,
        derivation: Node,
        base: &Content,
        own: Option<&Particle>,
        mixed: bool,
    ) {
        if let Some(own) = own {
            self.check_restricted_particle(d, derivation, base, own);
        }
        if mixed && matches!(base, Content::Elements { mixed: false, .. }) {
            self.error_at(
                d,
                derivation,
                "a restriction of a type with element-only content cannot be mixed (derivation-ok-restriction.5.4.1)",
            );
        }
    }

    /// Check the own particle of a restriction against the base's effective content.
    fn check_restricted_particle(
        &mut self,
        d: usize,
        derivation: Node,
        base: &Content,
        own: &Particle,
    ) {
        let base_particle = match base {
            Content::Elements { particle, .. } => particle,
            Content::Any => return,
            Content::Empty | Content::Simple(_) => {
                self.error_at(
                    d,
                    derivation,
                    "the base type has no element content, so a restriction cannot add elements",
                );
                return;
            }
        };
        let (base_elements, base_wildcard) = elements_of(base_particle);
        if base_wildcard {
            return;
        }
        let base_names: Vec<(String, Option<String>)> = base_elements
            .iter()
            .filter_map(|id| self.schema.elements.get(id.index()))
            .map(|e| (e.name.clone(), e.namespace.clone()))
            .collect();
        let (own_elements, _) = elements_of(own);
        let mut problems = Vec::new();
        for id in own_elements {
            let Some(e) = self.schema.elements.get(id.index()) else {
                continue;
            };
            if !base_names
                .iter()
                .any(|(n, ns)| *n == e.name && *ns == e.namespace)
            {
                problems.push((
                    e.location,
                    format!(
                        "element '{}' is not in the base type's content model: a restriction can only keep or narrow it",
                        e.name
                    ),
                ));
            }
        }
        for (at, message) in problems {
            self.diags.error(at, message);
        }
    }
}

/// The element declarations of a particle tree, and whether it has a wildcard.
fn elements_of(p: &Particle) -> (Vec<ElementId>, bool) {
    let mut out = Vec::new();
    let mut wildcard = false;
    let mut stack = vec![p];
    while let Some(p) = stack.pop() {
        match &p.term {
            Term::Element(id) => out.push(*id),
            Term::Any(_) => wildcard = true,
            Term::Sequence(v) | Term::Choice(v) | Term::All(v) => stack.extend(v.iter()),
        }
    }
    (out, wildcard)
}
