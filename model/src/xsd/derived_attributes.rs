//! The attributes of a derived complex type: an extension adds its own attributes after the
//! base's (redeclaring one is an error) and unites the attribute wildcards; a restriction
//! overrides the base's attributes in place (`prohibited` removes them), may not relax a
//! required or fixed one nor add new ones without a base wildcard, and keeps its own wildcard.

use roxmltree::Node;

use super::attributes::AttributePart;
use super::lower::Lowerer;
use super::wildcards;

impl Lowerer<'_, '_> {
    /// Attributes of an extension: base's, then own (redeclaring a base attribute is an
    /// error); wildcard = union.
    pub(crate) fn extend_attributes(
        &mut self,
        d: usize,
        at: Node,
        base: AttributePart,
        own: AttributePart,
    ) -> AttributePart {
        let mut uses = base.uses;
        // An extension cannot remove attributes: its prohibited uses are no attribute uses.
        for u in own
            .uses
            .into_iter()
            .filter(|u| u.use_ != crate::ir::AttributeUseKind::Prohibited)
        {
            if uses
                .iter()
                .any(|b| b.name == u.name && b.namespace == u.namespace)
            {
                self.error_at(
                    d,
                    at,
                    format!(
                        "attribute '{}' is already declared in the base type",
                        u.name
                    ),
                );
                continue;
            }
            uses.push(u);
        }
        let wildcard = match (base.wildcard, own.wildcard) {
            (Some(b), Some(o)) => Some(wildcards::union(&o, &b)),
            (b, o) => o.or(b),
        };
        AttributePart { uses, wildcard }
    }

    /// Attributes of a restriction: base's, overridden in place by own ones with the same
    /// name (`prohibited` removes them), then new own ones; wildcard = own.
    pub(crate) fn restrict_attributes(
        &mut self,
        base: AttributePart,
        own: AttributePart,
    ) -> AttributePart {
        use crate::ir::{AttributeUseKind, ValueConstraint};
        let mut uses = base.uses;
        for u in own.uses {
            let pos = uses
                .iter()
                .position(|b| b.name == u.name && b.namespace == u.namespace);
            let Some(p) = pos else {
                if u.use_ != AttributeUseKind::Prohibited && base.wildcard.is_none() {
                    self.diags.error(
                        u.location,
                        format!(
                            "attribute '{}' is not in the base type, which has no anyAttribute: a restriction cannot add it",
                            u.name
                        ),
                    );
                }
                if u.use_ != AttributeUseKind::Prohibited {
                    uses.push(u);
                }
                continue;
            };
            let Some(b) = uses.get(p) else {
                continue;
            };
            if b.use_ == AttributeUseKind::Required && u.use_ != AttributeUseKind::Required {
                self.diags.error(
                    u.location,
                    format!(
                        "attribute '{}' is required in the base type; a restriction cannot make it {}",
                        u.name,
                        if u.use_ == AttributeUseKind::Prohibited { "prohibited" } else { "optional" }
                    ),
                );
            }
            if let Some(ValueConstraint::Fixed(f)) = &b.value_constraint {
                let same = matches!(&u.value_constraint, Some(ValueConstraint::Fixed(o)) if o == f);
                if !same && u.use_ != AttributeUseKind::Prohibited {
                    self.diags.error(
                        u.location,
                        format!(
                            "attribute '{}' has the fixed value \"{f}\" in the base type; a restriction must keep it",
                            u.name
                        ),
                    );
                }
            }
            if u.use_ == AttributeUseKind::Prohibited {
                uses.remove(p);
            } else if let Some(slot) = uses.get_mut(p) {
                *slot = u;
            }
        }
        AttributePart {
            uses,
            wildcard: own.wildcard,
        }
    }
}
