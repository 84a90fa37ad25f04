//! Pairing of the top-level components of two schemas: global elements, named complex types
//! and named simple types by name (added, removed, or compared in depth); and the global
//! attributes, where an attribute wildcard validates against them.

use crate::ir::{ProcessContents, Schema};
use crate::location::Location;

use super::roles::Component;
use super::walk::{Ctx, Differ};

impl Differ<'_> {
    /// Compare everything: global elements, named complex types, named simple types, global
    /// attributes.
    pub fn run(&mut self) {
        let (old, new) = (self.old, self.new);
        if old.target_namespace != new.target_namespace {
            let ctx = schema_ctx();
            self.emit_here(
                "target-namespace-changed",
                &ctx,
                format!(
                    "target namespace changed from {} to {}",
                    show_ns(&old.target_namespace),
                    show_ns(&new.target_namespace)
                ),
            );
        }
        if old.documentation != new.documentation {
            let ctx = schema_ctx();
            self.emit_here(
                "documentation-changed",
                &ctx,
                "schema documentation changed".to_string(),
            );
        }
        for (name, &o) in &old.globals {
            let root = Component::Element(name.clone());
            let old_loc = old.element(o).location;
            match new.global(name) {
                Some(n) => {
                    let ctx = Ctx {
                        root,
                        path: name.clone(),
                        old_loc,
                        new_loc: new.element(n).location,
                    };
                    self.compare_elements(&ctx, o, n);
                }
                None => self.removed(
                    "element-removed",
                    root,
                    name.clone(),
                    old_loc,
                    format!("element {name} removed"),
                ),
            }
        }
        for (name, &n) in &new.globals {
            if old.global(name).is_none() {
                self.added(
                    "element-added",
                    Component::Element(name.clone()),
                    name.clone(),
                    new.element(n).location,
                    format!("element {name} added"),
                );
            }
        }
        for (name, &o) in &old.named_complex_types {
            let root = Component::ComplexType(name.clone());
            let path = format!("type:{name}");
            let old_loc = old.complex_type(o).location;
            match new.named_complex_types.get(name) {
                Some(&n) => {
                    let ctx = Ctx {
                        root,
                        path,
                        old_loc,
                        new_loc: new.complex_type(n).location,
                    };
                    self.compare_complex(&ctx, o, n);
                }
                None => self.removed(
                    "type-removed",
                    root,
                    path,
                    old_loc,
                    format!("complex type {name} removed"),
                ),
            }
        }
        for (name, &n) in &new.named_complex_types {
            if !old.named_complex_types.contains_key(name) {
                self.added(
                    "type-added",
                    Component::ComplexType(name.clone()),
                    format!("type:{name}"),
                    new.complex_type(n).location,
                    format!("complex type {name} added"),
                );
            }
        }
        for (name, &o) in &old.named_simple_types {
            let root = Component::SimpleType(name.clone());
            let path = format!("type:{name}");
            let old_loc = old.simple_type(o).location;
            match new.named_simple_types.get(name) {
                Some(&n) => {
                    let ctx = Ctx {
                        root,
                        path,
                        old_loc,
                        new_loc: new.simple_type(n).location,
                    };
                    self.compare_named_simple(&ctx, o, n);
                }
                None => self.removed(
                    "type-removed",
                    root,
                    path,
                    old_loc,
                    format!("simple type {name} removed"),
                ),
            }
        }
        for (name, &n) in &new.named_simple_types {
            if !old.named_simple_types.contains_key(name) {
                self.added(
                    "type-added",
                    Component::SimpleType(name.clone()),
                    format!("type:{name}"),
                    new.simple_type(n).location,
                    format!(
                        "simple type {name} added: {}",
                        super::shape::definition(new, n)
                    ),
                );
            }
        }
        // Global attributes count on their own only where a strict or lax attribute wildcard
        // validates against them (their uses elsewhere are compared where they are used).
        if validating_attribute_wildcard(old) || validating_attribute_wildcard(new) {
            self.compare_attributes(
                &schema_ctx(),
                &old.global_attributes,
                &new.global_attributes,
            );
        }
    }

    /// Record a top-level component that only the old version has.
    fn removed(
        &mut self,
        rule: &'static str,
        root: Component,
        path: String,
        loc: Location,
        description: String,
    ) {
        let site = Some(self.old_site(&path, loc));
        let ctx = Ctx {
            root,
            path: path.clone(),
            old_loc: loc,
            new_loc: loc,
        };
        self.emit(rule, &ctx, path, site, None, description);
    }

    /// Record a top-level component that only the new version has.
    fn added(
        &mut self,
        rule: &'static str,
        root: Component,
        path: String,
        loc: Location,
        description: String,
    ) {
        let site = Some(self.new_site(&path, loc));
        let ctx = Ctx {
            root,
            path: path.clone(),
            old_loc: loc,
            new_loc: loc,
        };
        self.emit(rule, &ctx, path, None, site, description);
    }
}

/// Whether some complex type of `schema` has an `xs:anyAttribute` that is not `skip`.
fn validating_attribute_wildcard(schema: &Schema) -> bool {
    schema.complex_types.iter().any(|c| {
        c.any_attribute
            .as_ref()
            .is_some_and(|w| w.process_contents != ProcessContents::Skip)
    })
}

fn schema_ctx() -> Ctx {
    Ctx {
        root: Component::Element(String::new()),
        path: "(schema)".to_string(),
        old_loc: Location::default(),
        new_loc: Location::default(),
    }
}

fn show_ns(ns: &Option<String>) -> String {
    match ns {
        Some(n) => format!("'{n}'"),
        None => "(none)".to_string(),
    }
}
