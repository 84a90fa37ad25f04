//! Pairing: walks two schemas side by side and pairs their components by name (global
//! elements, named types) and local elements by path; anonymous types are compared through
//! the element or attribute that owns them.

use std::collections::HashSet;

use crate::ir::{
    AttributeUse, Blocked, ComplexTypeId, Content, ElementId, ElementType, Schema, ValueConstraint,
    Wildcard,
};
use crate::location::Location;

use super::report::{Change, Site};
use super::roles::{Component, Roles};
use super::rules::rule_by_id;
use super::verdict::{Directions, Verdicts};

/// Where the comparison currently is: the top-level component it belongs to, the display path
/// and the locations of the current component in both versions.
#[derive(Clone, Debug)]
pub(crate) struct Ctx {
    pub root: Component,
    pub path: String,
    pub old_loc: Location,
    pub new_loc: Location,
}

impl Ctx {
    /// A context one step deeper.
    pub fn child(&self, segment: &str, old_loc: Location, new_loc: Location) -> Ctx {
        Ctx {
            root: self.root.clone(),
            path: format!("{}/{}", self.path, segment),
            old_loc,
            new_loc,
        }
    }
}

/// The content and attributes of an element, whatever kind of type it has.
pub(crate) struct Body<'s> {
    /// The content (`None` for an undeclared DTD element).
    pub content: Option<Content>,
    /// The attribute uses (none for an element of simple type).
    pub attributes: &'s [AttributeUse],
    /// The attribute wildcard.
    pub any_attribute: Option<&'s Wildcard>,
}

impl<'s> Body<'s> {
    fn of_element(schema: &'s Schema, id: ElementId) -> Body<'s> {
        match schema.element(id).ty {
            ElementType::Complex(ct) => Body::of_complex(schema, ct),
            ElementType::Simple(st) => Body {
                content: Some(Content::Simple(st)),
                attributes: &[],
                any_attribute: None,
            },
            ElementType::Undeclared => Body {
                content: None,
                attributes: schema.undeclared_attributes_of(&schema.element(id).name),
                any_attribute: None,
            },
        }
    }

    fn of_complex(schema: &'s Schema, id: ComplexTypeId) -> Body<'s> {
        let ct = schema.complex_type(id);
        Body {
            content: Some(ct.content.clone()),
            attributes: &ct.attributes,
            any_attribute: ct.any_attribute.as_ref(),
        }
    }
}

/// The name of a content kind, for messages.
pub(crate) fn content_kind(content: Option<&Content>) -> &'static str {
    match content {
        None => "undeclared",
        Some(Content::Empty) => "empty",
        Some(Content::Any) => "any",
        Some(Content::Simple(_)) => "simple",
        Some(Content::Elements { mixed: false, .. }) => "elements",
        Some(Content::Elements { mixed: true, .. }) => "mixed",
    }
}

/// Compares two schemas and collects the changes.
pub(crate) struct Differ<'a> {
    pub old: &'a Schema,
    pub new: &'a Schema,
    old_roles: &'a Roles,
    new_roles: &'a Roles,
    pub changes: Vec<Change>,
    visited_complex: HashSet<(ComplexTypeId, ComplexTypeId)>,
    visited_elements: HashSet<(ElementId, ElementId)>,
}

impl<'a> Differ<'a> {
    pub fn new(
        old: &'a Schema,
        new: &'a Schema,
        old_roles: &'a Roles,
        new_roles: &'a Roles,
    ) -> Self {
        Differ {
            old,
            new,
            old_roles,
            new_roles,
            changes: Vec::new(),
            visited_complex: HashSet::new(),
            visited_elements: HashSet::new(),
        }
    }

    /// A site in the old version.
    pub fn old_site(&self, path: &str, loc: Location) -> Site {
        site(self.old, path, loc)
    }

    /// A site in the new version.
    pub fn new_site(&self, path: &str, loc: Location) -> Site {
        site(self.new, path, loc)
    }

    /// Record a change at the current context (both sites at the context's path).
    pub fn emit_here(&mut self, rule: &'static str, ctx: &Ctx, description: String) {
        let old = Some(self.old_site(&ctx.path, ctx.old_loc));
        let new = Some(self.new_site(&ctx.path, ctx.new_loc));
        self.emit(rule, ctx, ctx.path.clone(), old, new, description);
    }

    /// Record a change.
    pub fn emit(
        &mut self,
        rule: &'static str,
        ctx: &Ctx,
        path: String,
        old: Option<Site>,
        new: Option<Site>,
        description: String,
    ) {
        let directions = self.directions(&ctx.root);
        let verdicts = match rule_by_id(rule) {
            Some(r) => Verdicts::classify(r, directions),
            None => {
                debug_assert!(false, "rule {rule} missing from the rule table");
                Verdicts::classify(&super::rules::RULES[0], directions)
            }
        };
        self.changes.push(Change {
            rule,
            path,
            old,
            new,
            description,
            directions,
            verdicts,
        });
    }

    fn directions(&self, c: &Component) -> Directions {
        let mut d = Directions::NONE;
        if exists(self.old, c) {
            d = d.union(self.old_roles.of(c));
        }
        if exists(self.new, c) {
            d = d.union(self.new_roles.of(c));
        }
        d
    }

    /// Compare two element declarations found at the same path.
    pub fn compare_elements(&mut self, ctx: &Ctx, o: ElementId, n: ElementId) {
        if !self.visited_elements.insert((o, n)) {
            return;
        }
        let (od, nd) = (self.old.element(o), self.new.element(n));
        let name = nd.name.clone();
        if od.nillable != nd.nillable {
            let rule = if nd.nillable {
                "nillable-added"
            } else {
                "nillable-removed"
            };
            let what = if nd.nillable {
                "became nillable"
            } else {
                "is no longer nillable"
            };
            self.emit_here(rule, ctx, format!("element {name} {what}"));
        }
        self.compare_block(ctx, &format!("element {name}"), od.block, nd.block);
        let (ovc, nvc) = (od.value_constraint.clone(), nd.value_constraint.clone());
        self.compare_value_constraints(ctx, &format!("element {name}"), &ovc, &nvc);
        self.compare_identity_constraints(ctx, &name, o, n);
        if od.documentation != nd.documentation {
            self.emit_here(
                "documentation-changed",
                ctx,
                format!("documentation of element {name} changed"),
            );
        }
        if let (ElementType::Complex(a), ElementType::Complex(b)) = (od.ty, nd.ty) {
            let an = self.old.complex_type(a).name.clone();
            let bn = self.new.complex_type(b).name.clone();
            match (an, bn) {
                // The same named type: compared once, at `type:NAME`.
                (Some(x), Some(y)) if x == y => return,
                (Some(x), Some(y)) => {
                    self.emit_here(
                        "type-reference-changed",
                        ctx,
                        format!("element {name} now has type {y} instead of {x}"),
                    );
                }
                _ => {}
            }
            self.compare_complex(ctx, a, b);
            return;
        }
        if let (ElementType::Simple(a), ElementType::Simple(b)) = (od.ty, nd.ty) {
            self.compare_simple_refs(ctx, a, b, None, None);
            return;
        }
        let ob = Body::of_element(self.old, o);
        let nb = Body::of_element(self.new, n);
        self.compare_bodies(ctx, &ob, &nb);
    }

    /// Compare two complex types (each pair once).
    pub fn compare_complex(&mut self, ctx: &Ctx, a: ComplexTypeId, b: ComplexTypeId) {
        if !self.visited_complex.insert((a, b)) {
            return;
        }
        let (oc, nc) = (self.old.complex_type(a), self.new.complex_type(b));
        let what = match ctx.path.strip_prefix("type:") {
            Some(name) => format!("complex type {name}"),
            None => format!("the type of {}", ctx.path),
        };
        self.compare_block(ctx, &what, oc.block, nc.block);
        if oc.documentation != nc.documentation {
            self.emit_here(
                "documentation-changed",
                ctx,
                format!("documentation of {} changed", ctx.path),
            );
        }
        let ob = Body::of_complex(self.old, a);
        let nb = Body::of_complex(self.new, b);
        self.compare_bodies(ctx, &ob, &nb);
    }

    fn compare_bodies(&mut self, ctx: &Ctx, ob: &Body<'_>, nb: &Body<'_>) {
        self.compare_attributes(ctx, ob.attributes, nb.attributes);
        if ob.any_attribute != nb.any_attribute {
            let what = match (ob.any_attribute, nb.any_attribute) {
                (None, Some(_)) => "added",
                (Some(_), None) => "removed",
                _ => "changed",
            };
            self.emit_here(
                "any-attribute-changed",
                ctx,
                format!("attribute wildcard of {} {what}", ctx.path),
            );
        }
        let (ok, nk) = (
            content_kind(ob.content.as_ref()),
            content_kind(nb.content.as_ref()),
        );
        if ok != nk {
            self.emit_here(
                "content-kind-changed",
                ctx,
                format!("content of {} changed from {ok} to {nk}", ctx.path),
            );
        }
        match (&ob.content, &nb.content) {
            (Some(Content::Simple(a)), Some(Content::Simple(b))) => {
                self.compare_simple_refs(ctx, *a, *b, None, None);
            }
            (
                Some(Content::Elements { particle: op, .. }),
                Some(Content::Elements { particle: np, .. }),
            ) => {
                self.compare_content_models(ctx, op, np);
            }
            _ => {}
        }
    }

    /// Compare the `block` of an element or complex type: what it blocks now and no longer.
    fn compare_block(&mut self, ctx: &Ctx, what: &str, o: Blocked, n: Blocked) {
        let (was, is) = (o.names(), n.names());
        let added: Vec<&str> = is.iter().copied().filter(|m| !was.contains(m)).collect();
        let removed: Vec<&str> = was.iter().copied().filter(|m| !is.contains(m)).collect();
        if !added.is_empty() {
            let m = format!("{what} now blocks {}", added.join(" "));
            self.emit_here("block-added", ctx, m);
        }
        if !removed.is_empty() {
            let m = format!("{what} no longer blocks {}", removed.join(" "));
            self.emit_here("block-removed", ctx, m);
        }
    }

    /// Compare default/fixed value constraints of an element or attribute.
    pub fn compare_value_constraints(
        &mut self,
        ctx: &Ctx,
        what: &str,
        o: &Option<ValueConstraint>,
        n: &Option<ValueConstraint>,
    ) {
        if o == n {
            return;
        }
        let fixed = matches!(o, Some(ValueConstraint::Fixed(_)))
            || matches!(n, Some(ValueConstraint::Fixed(_)));
        let rule = if fixed {
            "fixed-value-changed"
        } else {
            "default-value-changed"
        };
        self.emit_here(
            rule,
            ctx,
            format!(
                "{what}: value constraint changed from {} to {}",
                show_vc(o),
                show_vc(n)
            ),
        );
    }
}

fn site(schema: &Schema, path: &str, loc: Location) -> Site {
    let file = schema
        .files
        .get(loc.file.0 as usize)
        .map(|f| f.display.clone())
        .unwrap_or_default();
    Site {
        path: path.to_string(),
        file,
        line: loc.line,
    }
}

fn show_vc(vc: &Option<ValueConstraint>) -> String {
    match vc {
        None => "none".to_string(),
        Some(ValueConstraint::Default(v)) => format!("default '{v}'"),
        Some(ValueConstraint::Fixed(v)) => format!("fixed '{v}'"),
    }
}

/// Whether a component exists in a schema. The schema-level pseudo component (empty element
/// name) exists everywhere.
fn exists(schema: &Schema, c: &Component) -> bool {
    match c {
        Component::Element(n) => n.is_empty() || schema.globals.contains_key(n),
        Component::ComplexType(n) => schema.named_complex_types.contains_key(n),
        Component::SimpleType(n) => schema.named_simple_types.contains_key(n),
    }
}
