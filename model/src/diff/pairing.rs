//! Pairing of the top-level components of two schemas: global elements, named complex types
//! and named simple types by name (added, removed, or compared in depth).

use crate::location::Location;

use super::roles::Component;
use super::walk::{Ctx, Differ};

impl Differ<'_> {
    /// Compare everything: global elements, named complex types, named simple types.
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
                None => {
                    let ctx = Ctx {
                        root,
                        path: name.clone(),
                        old_loc,
                        new_loc: old_loc,
                    };
                    let old_site = Some(self.old_site(name, old_loc));
                    self.emit(
                        "element-removed",
                        &ctx,
                        name.clone(),
                        old_site,
                        None,
                        format!("element {name} removed"),
                    );
                }
            }
        }
        for (name, &n) in &new.globals {
            if old.global(name).is_none() {
                let loc = new.element(n).location;
                let ctx = Ctx {
                    root: Component::Element(name.clone()),
                    path: name.clone(),
                    old_loc: loc,
                    new_loc: loc,
                };
                let new_site = Some(self.new_site(name, loc));
                self.emit(
                    "element-added",
                    &ctx,
                    name.clone(),
                    None,
                    new_site,
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
                None => {
                    let ctx = Ctx {
                        root,
                        path: path.clone(),
                        old_loc,
                        new_loc: old_loc,
                    };
                    let s = Some(self.old_site(&path, old_loc));
                    self.emit(
                        "type-removed",
                        &ctx,
                        path,
                        s,
                        None,
                        format!("complex type {name} removed"),
                    );
                }
            }
        }
        for (name, &n) in &new.named_complex_types {
            if !old.named_complex_types.contains_key(name) {
                let path = format!("type:{name}");
                let loc = new.complex_type(n).location;
                let ctx = Ctx {
                    root: Component::ComplexType(name.clone()),
                    path: path.clone(),
                    old_loc: loc,
                    new_loc: loc,
                };
                let s = Some(self.new_site(&path, loc));
                self.emit(
                    "type-added",
                    &ctx,
                    path,
                    None,
                    s,
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
                None => {
                    let ctx = Ctx {
                        root,
                        path: path.clone(),
                        old_loc,
                        new_loc: old_loc,
                    };
                    let s = Some(self.old_site(&path, old_loc));
                    self.emit(
                        "type-removed",
                        &ctx,
                        path,
                        s,
                        None,
                        format!("simple type {name} removed"),
                    );
                }
            }
        }
        for (name, &n) in &new.named_simple_types {
            if !old.named_simple_types.contains_key(name) {
                let path = format!("type:{name}");
                let loc = new.simple_type(n).location;
                let ctx = Ctx {
                    root: Component::SimpleType(name.clone()),
                    path: path.clone(),
                    old_loc: loc,
                    new_loc: loc,
                };
                let s = Some(self.new_site(&path, loc));
                self.emit(
                    "type-added",
                    &ctx,
                    path,
                    None,
                    s,
                    format!(
                        "simple type {name} added: {}",
                        super::shape::definition(new, n)
                    ),
                );
            }
        }
    }
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
