//! Identity constraints (`xs:unique`, `xs:key`, `xs:keyref`) of two paired element
//! declarations: paired by name and namespace, compared by kind, referred key, selector and
//! fields. A change's sites are the constraints' own lines (the element's, on the side
//! without the constraint).

use crate::identity::{show_paths, IdentityConstraint, IdentityKind};
use crate::ir::{ElementId, Schema};
use crate::location::Location;

use super::walk::{Ctx, Differ};

/// The constraints `schema` declares on `element`.
fn declared_on(schema: &Schema, element: ElementId) -> Vec<&IdentityConstraint> {
    schema
        .identity_constraints
        .iter()
        .filter(|c| c.element == element)
        .collect()
}

/// `xs:key K` (with `refer=` for a keyref), for messages.
fn describe(schema: &Schema, c: &IdentityConstraint) -> String {
    match &c.kind {
        IdentityKind::KeyRef { refer } => {
            let target = schema
                .identity_constraints
                .get(*refer)
                .map_or("?", |r| r.name.as_str());
            format!("xs:keyref {} (refer {target})", c.name)
        }
        kind => format!("xs:{} {}", kind.name(), c.name),
    }
}

/// Selector and fields, for messages: `selector S, fields F1, F2`.
fn paths(c: &IdentityConstraint) -> String {
    let fields: Vec<String> = c.fields.iter().map(|f| show_paths(f)).collect();
    format!(
        "selector {}, fields {}",
        show_paths(&c.selector),
        fields.join(", ")
    )
}

impl Differ<'_> {
    /// Compare the identity constraints declared on two paired element declarations.
    pub(crate) fn compare_identity_constraints(
        &mut self,
        ctx: &Ctx,
        name: &str,
        o: ElementId,
        n: ElementId,
    ) {
        let (old, new) = (declared_on(self.old, o), declared_on(self.new, n));
        let same = |a: &IdentityConstraint, b: &IdentityConstraint| {
            a.name == b.name && a.namespace == b.namespace
        };
        for &c in &new {
            if !old.iter().any(|&p| same(p, c)) {
                let m = format!(
                    "element {name}: {} ({}) was added",
                    describe(self.new, c),
                    paths(c)
                );
                self.emit_at("identity-constraint-added", ctx, ctx.old_loc, c.location, m);
            }
        }
        for &c in &old {
            let Some(&now) = new.iter().find(|&&p| same(c, p)) else {
                let m = format!("element {name}: {} was removed", describe(self.old, c));
                self.emit_at(
                    "identity-constraint-removed",
                    ctx,
                    c.location,
                    ctx.new_loc,
                    m,
                );
                continue;
            };
            let (was, is) = (describe(self.old, c), describe(self.new, now));
            let (was_paths, is_paths) = (paths(c), paths(now));
            if was != is || was_paths != is_paths {
                let m = format!("element {name}: {was} ({was_paths}) is now {is} ({is_paths})");
                self.emit_at(
                    "identity-constraint-changed",
                    ctx,
                    c.location,
                    now.location,
                    m,
                );
            }
        }
    }

    /// Record a change at the context's path, pointing at these lines of the two versions.
    fn emit_at(
        &mut self,
        rule: &'static str,
        ctx: &Ctx,
        old_loc: Location,
        new_loc: Location,
        description: String,
    ) {
        let old = Some(self.old_site(&ctx.path, old_loc));
        let new = Some(self.new_site(&ctx.path, new_loc));
        self.emit(rule, ctx, ctx.path.clone(), old, new, description);
    }
}
