//! Simple-type changes: type widened/narrowed/changed, named type references, and the facet
//! comparison of types with the same base (see `facets`).

use crate::ir::{Builtin, Schema, SimpleTypeId};

use super::shape::{
    ancestors, describe, describe_unfolded, label, shape, Merged, Shape, ShapeVariety,
};
use super::walk::{Ctx, Differ};

impl Differ<'_> {
    /// Compare the types of an element, attribute or simple content found at `ctx`.
    /// Types with the same name are not unfolded (named types are compared at `type:NAME`).
    pub(crate) fn compare_simple_refs(
        &mut self,
        ctx: &Ctx,
        a: SimpleTypeId,
        b: SimpleTypeId,
        old_dtd: Option<String>,
        new_dtd: Option<String>,
    ) {
        let (la, lb) = (label(self.old, a), label(self.new, b));
        if la.is_some() && la == lb {
            if old_dtd != new_dtd {
                // Same base type, different DTD type keyword (cannot happen for built-ins
                // other than through enumerations, which are anonymous).
                self.emit_here(
                    "type-changed",
                    ctx,
                    format!(
                        "type of {} changed from {} to {}",
                        ctx.path,
                        show(&old_dtd),
                        show(&new_dtd)
                    ),
                );
            }
            return;
        }
        let (os, ns) = (shape(self.old, a, false), shape(self.new, b, false));
        if let (Some(x), Some(y)) = (&la, &lb) {
            let user = |s: &Schema, id: SimpleTypeId| s.simple_type(id).builtin.is_none();
            if user(self.old, a)
                && user(self.new, b)
                && shape(self.old, a, true) == shape(self.new, b, true)
            {
                self.emit_here(
                    "type-reference-changed",
                    ctx,
                    format!(
                        "{} now refers to type {y} instead of {x} (same definition)",
                        ctx.path
                    ),
                );
                return;
            }
        }
        let od = describe(self.old, a, &old_dtd);
        let nd = describe(self.new, b, &new_dtd);
        self.compare_shapes(ctx, &os, &ns, (a, b), (&od, &nd));
    }

    /// Compare a named simple type with its namesake.
    pub(crate) fn compare_named_simple(&mut self, ctx: &Ctx, a: SimpleTypeId, b: SimpleTypeId) {
        let (oa, nb) = (self.old.simple_type(a), self.new.simple_type(b));
        if oa.documentation != nb.documentation {
            self.emit_here(
                "documentation-changed",
                ctx,
                format!("documentation of {} changed", ctx.path),
            );
        }
        let (os, ns) = (shape(self.old, a, true), shape(self.new, b, true));
        let od = describe_unfolded(&os);
        let nd = describe_unfolded(&ns);
        self.compare_shapes(ctx, &os, &ns, (a, b), (&od, &nd));
    }

    fn compare_shapes(
        &mut self,
        ctx: &Ctx,
        os: &Shape,
        ns: &Shape,
        ids: (SimpleTypeId, SimpleTypeId),
        desc: (&str, &str),
    ) {
        if os == ns {
            return;
        }
        let what = &ctx.path;
        if os.variety != ns.variety || os.base != ns.base {
            let rule = match (&os.variety, &ns.variety, &os.base, &ns.base) {
                (ShapeVariety::Atomic, ShapeVariety::Atomic, Some(ob), Some(nb)) => {
                    let new_anc = ancestors(self.new, ids.1);
                    let old_anc = ancestors(self.old, ids.0);
                    // Narrowed: the new type derives from the old one, which had no extra facets.
                    let narrowing = new_anc.contains(ob) && os.facets == Merged::default();
                    // Widened: the old type derives from the new one, which has no extra facets.
                    let widening = old_anc.contains(nb) && ns.facets == Merged::default();
                    if narrowing {
                        "type-narrowed"
                    } else if widening {
                        "type-widened"
                    } else {
                        "type-changed"
                    }
                }
                (ShapeVariety::List(Some(oi)), ShapeVariety::List(Some(ni)), _, _)
                    if os.facets == ns.facets =>
                {
                    let derives = |s: &Schema, from: &str, to: &str| {
                        id_of_label(s, from)
                            .is_some_and(|id| ancestors(s, id).iter().any(|a| a == to))
                    };
                    if derives(self.new, ni, oi) {
                        "type-narrowed"
                    } else if derives(self.old, oi, ni) {
                        "type-widened"
                    } else {
                        "type-changed"
                    }
                }
                (ShapeVariety::Union(om), ShapeVariety::Union(nm), _, _) => {
                    // Named members only: anonymous members cannot be matched by name.
                    let named = |m: &[Option<String>]| m.iter().all(Option::is_some);
                    let covers = |a: &[Option<String>], b: &[Option<String>]| {
                        b.iter().all(|x| a.contains(x))
                    };
                    let same_facets = os.facets == ns.facets;
                    if !(named(om) && named(nm) && same_facets) {
                        "type-changed"
                    } else if covers(nm, om) {
                        "type-widened"
                    } else if covers(om, nm) {
                        "type-narrowed"
                    } else {
                        "type-changed"
                    }
                }
                _ => "type-changed",
            };
            self.emit_here(
                rule,
                ctx,
                format!("type of {what} changed from {} to {}", desc.0, desc.1),
            );
            return;
        }
        // The primitive of the old type's atomic base (both have the same base here).
        let primitive = self.old.builtin_base(ids.0).map(Builtin::primitive);
        self.compare_facets(ctx, &os.facets, &ns.facets, primitive);
    }
}

/// The type a label (`xs:long`, a user type name) names in a schema.
fn id_of_label(schema: &Schema, label: &str) -> Option<SimpleTypeId> {
    match label.strip_prefix("xs:") {
        Some(b) => crate::ir::Builtin::from_name(b).map(|b| b.id()),
        None => schema.named_simple_types.get(label).copied(),
    }
}

fn show(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "(unknown)".into())
}
