//! Type derivation relations, checked once every type is lowered: whether a simple type is
//! validly derived from another (XSD 1.0 3.14.6 Type Derivation OK (Simple),
//! cos-st-derived-ok), which the inline `xs:simpleType` of a simpleContent restriction must be
//! from the base's content type (derivation-ok-restriction.5.1) and a restriction's attribute
//! from the base's attribute of that name (derivation-ok-restriction.2.1.2): a restriction
//! cannot widen its base.

use super::lower::Lowerer;
use crate::ir::{Builtin, SimpleTypeId, Variety};
use crate::location::Location;

/// A simple type a restriction gives that must derive from the base's (checked once every
/// type is lowered).
#[derive(Clone, Debug)]
pub(crate) struct SimpleDerivation {
    /// Where the narrower type is given.
    pub at: Location,
    /// The restriction's type.
    pub derived: SimpleTypeId,
    /// The base's type.
    pub base: SimpleTypeId,
    /// What the type is of, for the message ("the type of attribute 'a'").
    pub what: String,
    /// The constraint that requires it.
    pub constraint: &'static str,
}

/// How deep union memberships are followed.
const MAX_UNION_DEPTH: u32 = 32;

impl Lowerer<'_, '_> {
    /// Whether simple type `derived` is `base` or derived from it: `base` is on its chain of
    /// restriction steps, is `xs:anySimpleType`, or is a union with a member `derived`
    /// derives from (cos-st-derived-ok 2.2; `final` is checked elsewhere). `None` when a
    /// circular derivation (reported already) is in the way.
    pub(crate) fn simple_derives_from(
        &self,
        derived: SimpleTypeId,
        base: SimpleTypeId,
    ) -> Option<bool> {
        self.derives_within(derived, base, 0)
    }

    fn derives_within(
        &self,
        derived: SimpleTypeId,
        base: SimpleTypeId,
        depth: u32,
    ) -> Option<bool> {
        if base == Builtin::AnySimpleType.id() {
            return Some(true);
        }
        let mut step = derived;
        for _ in 0..self.schema.simple_types.len() {
            if step == base {
                return Some(true);
            }
            if self.circular_simple.contains(&step.index()) {
                return None;
            }
            match self
                .schema
                .simple_types
                .get(step.index())
                .map(|t| &t.variety)
            {
                Some(Variety::Restriction { base: next }) => step = *next,
                _ => break,
            }
        }
        match self
            .schema
            .simple_types
            .get(base.index())
            .map(|t| &t.variety)
        {
            Some(Variety::Union { members }) if depth < MAX_UNION_DEPTH => {
                let mut answer = Some(false);
                for m in members {
                    match self.derives_within(derived, *m, depth + 1) {
                        Some(true) => return Some(true),
                        None => answer = None,
                        Some(false) => {}
                    }
                }
                answer
            }
            _ => Some(false),
        }
    }

    /// Every recorded [`SimpleDerivation`] must hold.
    pub(crate) fn check_simple_derivations(&mut self) {
        let sites = std::mem::take(&mut self.simple_derivations);
        for site in sites {
            if self.simple_derives_from(site.derived, site.base) == Some(false) {
                let label = self.type_label(site.base);
                self.diags.error(
                    site.at,
                    format!(
                        "{} does not derive from the base's {label}: a restriction cannot widen it ({}, cos-st-derived-ok)",
                        site.what, site.constraint
                    ),
                );
            }
        }
    }
}
