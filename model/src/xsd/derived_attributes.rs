//! The attributes of a derived complex type: an extension adds its own attributes after the
//! base's (redeclaring one is an error) and unites the attribute wildcards; a restriction
//! overrides the base's attributes in place (`prohibited` removes them), may not relax a
//! required or fixed one, widen an attribute's type, add new ones the base's wildcard does
//! not allow, nor widen the wildcard, and keeps its own wildcard.

use roxmltree::Node;

use super::attributes::AttributePart;
use super::lower::Lowerer;
use super::type_derivation::SimpleDerivation;
use super::values::xsd_name;
use super::wildcards;
use crate::automaton::{display_wildcard, wildcard_allows};

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

    /// Attributes of a restriction (`derivation`, in document `d`): base's, overridden in
    /// place by own ones with the same name (`prohibited` removes them), then new own ones;
    /// wildcard = own, which must be a subset of the base's (derivation-ok-restriction.4).
    pub(crate) fn restrict_attributes(
        &mut self,
        d: usize,
        derivation: Node,
        base_is_any_type: bool,
        base: AttributePart,
        own: AttributePart,
    ) -> AttributePart {
        use crate::ir::{AttributeUseKind, ValueConstraint};
        self.check_restricted_wildcard(d, derivation, base_is_any_type, &base, &own);
        let mut uses = base.uses;
        for u in own.uses {
            let pos = uses
                .iter()
                .position(|b| b.name == u.name && b.namespace == u.namespace);
            let Some(p) = pos else {
                if u.use_ != AttributeUseKind::Prohibited {
                    match &base.wildcard {
                        None => self.diags.error(
                            u.location,
                            format!(
                                "attribute '{}' is not in the base type, which has no anyAttribute: a restriction cannot add it (derivation-ok-restriction.2.2)",
                                u.name
                            ),
                        ),
                        Some(w) if !wildcard_allows(w, u.namespace.as_deref()) => {
                            self.diags.error(
                                u.location,
                                format!(
                                    "attribute '{}' is neither in the base type nor allowed by its anyAttribute ({}): a restriction cannot add it (derivation-ok-restriction.2.2)",
                                    u.name,
                                    display_wildcard(w)
                                ),
                            )
                        }
                        Some(_) => {}
                    }
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
            if u.use_ != AttributeUseKind::Prohibited && u.ty != b.ty {
                self.simple_derivations.push(SimpleDerivation {
                    at: u.location,
                    derived: u.ty,
                    base: b.ty,
                    what: format!("the type of attribute '{}'", u.name),
                    constraint: "derivation-ok-restriction.2.1.2",
                });
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

    /// A restriction's own attribute wildcard: the base must have one, its namespaces must
    /// be a subset of the base's, and its processContents no weaker (unless the base is
    /// anyType) (derivation-ok-restriction.4.1-4.3, cos-ns-subset).
    fn check_restricted_wildcard(
        &mut self,
        d: usize,
        derivation: Node,
        base_is_any_type: bool,
        base: &AttributePart,
        own: &AttributePart,
    ) {
        let Some(mine) = &own.wildcard else {
            return;
        };
        let node = derivation
            .children()
            .find(|c| xsd_name(*c) == Some("anyAttribute"))
            .unwrap_or(derivation);
        let Some(theirs) = &base.wildcard else {
            self.error_at(
                d,
                node,
                "the base type has no anyAttribute, so a restriction cannot have one (derivation-ok-restriction.4.1)",
            );
            return;
        };
        if !wildcards::is_subset(mine, theirs) {
            self.error_at(
                d,
                node,
                format!(
                    "anyAttribute namespace {} is not a subset of the base's {} (derivation-ok-restriction.4.2, cos-ns-subset)",
                    display_wildcard(mine),
                    display_wildcard(theirs)
                ),
            );
        }
        if !base_is_any_type
            && wildcards::strength(mine.process_contents)
                < wildcards::strength(theirs.process_contents)
        {
            self.error_at(
                d,
                node,
                format!(
                    "anyAttribute processContents {} is weaker than the base's {} (derivation-ok-restriction.4.3)",
                    mine.process_contents.keyword(),
                    theirs.process_contents.keyword()
                ),
            );
        }
    }
}
