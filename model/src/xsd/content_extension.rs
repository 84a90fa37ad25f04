//! Checks of a complexContent extension that adds elements to a base with element content:
//! the result is a sequence of the base's particle and the own one, so neither may be an
//! `xs:all` (cos-all-limited), and both types must be mixed or both element-only
//! (cos-ct-extends.1.4.3.2.2.1).

use roxmltree::Node;

use super::lower::Lowerer;
use crate::ir::{Particle, Term};

impl Lowerer<'_, '_> {
    /// Check the base's particle and mixedness against the extension's own.
    pub(crate) fn check_extended_particle(
        &mut self,
        d: usize,
        derivation: Node,
        (base, base_mixed): (&Particle, bool),
        (own, own_mixed): (&Particle, bool),
    ) {
        if matches!(base.term, Term::All(_)) || matches!(own.term, Term::All(_)) {
            self.error_at(
                d,
                derivation,
                "an extension cannot add elements to an <xs:all> content model or add an <xs:all> to a base with elements: the result would be a sequence containing an all group (cos-all-limited)",
            );
        }
        if base_mixed != own_mixed {
            let (base_kind, own_kind) = if base_mixed {
                ("mixed", "element-only")
            } else {
                ("element-only", "mixed")
            };
            self.error_at(
                d,
                derivation,
                format!("an extension that adds elements to a base with {base_kind} content must not be {own_kind}: both must be mixed or both element-only (cos-ct-extends.1.4.3.2.2.1)"),
            );
        }
    }
}
