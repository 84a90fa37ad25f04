//! Attribute checks: declared, required, prohibited, fixed, typed values, IDs, and the
//! attributes an `xs:anyAttribute` admits (against the global declarations).

use qschema_model::{
    AttributeUse, AttributeUseKind, ComplexTypeId, ProcessContents, ValueConstraint, Wildcard,
};

use super::super::dtd_values;
use super::super::messages::short;
use super::super::namespaces::{split_qname, Namespaces, XMLNS_NS, XSI_NS};
use super::{xsd_id_use, Attr, Ctx, PendingRef, StartTag, Validator};
use crate::report::rules;

impl Validator {
    pub(super) fn check_attributes(
        &mut self,
        ctx: &mut Ctx,
        tag: &StartTag,
        display: &str,
        ct: Option<ComplexTypeId>,
        ns: &Namespaces,
    ) {
        let schema = ctx.schema;
        let ctype = ct.and_then(|c| schema.complex_types.get(c.index()));
        let uses: &[AttributeUse] = ctype.map(|c| c.attributes.as_slice()).unwrap_or(&[]);
        self.check_attribute_uses(ctx, tag, display, uses, ct, ns);
    }

    /// DTD: the attributes of an element type the DTD does not declare, against the attribute
    /// lists it may still have (values, IDs, `#FIXED`, `#REQUIRED`, undeclared names), as
    /// XML 1.0's attribute validity constraints apply to every element of a listed type.
    pub(super) fn check_undeclared_element_attributes(
        &mut self,
        ctx: &mut Ctx,
        tag: &StartTag,
        ns: &Namespaces,
    ) {
        let uses = ctx.schema.undeclared_attributes_of(tag.qname);
        self.check_attribute_uses(ctx, tag, tag.qname, uses, None, ns);
    }

    /// Check the attributes of `tag` against `uses` (those of complex type `ct`, when the
    /// element has one: its wildcard and location are used too).
    fn check_attribute_uses(
        &mut self,
        ctx: &mut Ctx,
        tag: &StartTag,
        display: &str,
        uses: &[AttributeUse],
        ct: Option<ComplexTypeId>,
        ns: &Namespaces,
    ) {
        // The usual element: no attributes, none declared (nothing below would report).
        if tag.attrs.is_empty() && uses.is_empty() {
            return;
        }
        let schema = ctx.schema;
        let ctype = ct.and_then(|c| schema.complex_types.get(c.index()));
        let mut seen = Seen::new(uses.len());
        for a in tag.attrs {
            let (prefix, local) = split_qname(&a.qname);
            if !ctx.dtd {
                if a.namespace.as_deref() == Some(XMLNS_NS) {
                    continue;
                }
                if a.namespace.as_deref() == Some(XSI_NS)
                    && matches!(
                        local,
                        "type" | "nil" | "schemaLocation" | "noNamespaceSchemaLocation"
                    )
                {
                    continue;
                }
            }
            let found = uses.iter().position(|u| {
                if ctx.dtd {
                    u.name == a.qname
                } else {
                    u.name == local
                        && u.namespace.as_deref() == a.namespace.as_deref()
                        && (prefix.is_empty() == a.namespace.is_none())
                }
            });
            let Some(i) = found else {
                let wildcard = ctype.and_then(|c| c.any_attribute.as_ref()).filter(|w| {
                    !ctx.dtd && qschema_model::automaton::wildcard_allows(w, a.namespace.as_deref())
                });
                if let Some(w) = wildcard {
                    self.check_wildcard_attribute(ctx, tag, display, a, w, ct, ns);
                } else {
                    let m = if ctx.dtd {
                        format!(
                            "No declaration for attribute {} of element {display}",
                            a.qname
                        )
                    } else {
                        format!("Element '{display}', attribute '{}': The attribute '{}' is not allowed.", a.xsd_name(), a.xsd_name())
                    };
                    let expected: Vec<&str> = uses
                        .iter()
                        .filter(|u| u.use_ != AttributeUseKind::Prohibited)
                        .map(|u| u.name.as_str())
                        .collect();
                    let expected = if expected.is_empty() {
                        "no attributes".to_string()
                    } else {
                        format!("one of {}", expected.join(", "))
                    };
                    ctx.err_attr(
                        a,
                        rules::UNDECLARED_ATTRIBUTE,
                        m,
                        Some(expected),
                        ctype.map(|c| schema.display_location(c.location)),
                    );
                }
                continue;
            };
            seen.set(i);
            let Some(u) = uses.get(i) else { continue };
            if u.use_ == AttributeUseKind::Prohibited {
                let m = format!(
                    "Element '{display}', attribute '{}': The attribute '{}' is not allowed.",
                    a.xsd_name(),
                    a.xsd_name()
                );
                ctx.err_attr(
                    a,
                    rules::UNDECLARED_ATTRIBUTE,
                    m,
                    Some("attribute absent (prohibited)".into()),
                    Some(schema.display_location(u.location)),
                );
                continue;
            }
            self.check_attribute_value(ctx, tag, display, a, u, ns);
        }
        for (i, u) in uses.iter().enumerate() {
            if seen.get(i) || u.use_ != AttributeUseKind::Required {
                continue;
            }
            let m = if ctx.dtd {
                format!("Element {display} does not carry attribute {}", u.name)
            } else {
                format!(
                    "Element '{display}': The attribute '{}' is required but missing.",
                    u.name
                )
            };
            ctx.err(
                tag.pos,
                rules::MISSING_ATTRIBUTE,
                m,
                None,
                Some(u.name.clone()),
                Some(schema.display_location(u.location)),
            );
        }
        self.check_standalone_attributes(ctx, tag, display, uses);
    }

    /// An attribute that `xs:anyAttribute` `w` admits: `skip` accepts it; `lax` validates it
    /// against the global declaration of its name, if there is one; `strict` demands one.
    #[allow(clippy::too_many_arguments)]
    fn check_wildcard_attribute(
        &mut self,
        ctx: &mut Ctx,
        tag: &StartTag,
        display: &str,
        a: &Attr,
        w: &Wildcard,
        ct: Option<ComplexTypeId>,
        ns: &Namespaces,
    ) {
        if w.process_contents == ProcessContents::Skip {
            return;
        }
        let (_, local) = split_qname(&a.qname);
        let schema = ctx.schema;
        match schema.global_attribute(a.namespace.as_deref(), local) {
            Some(u) => self.check_attribute_value(ctx, tag, display, a, u, ns),
            None if w.process_contents == ProcessContents::Strict => {
                let m = format!(
                    "Element '{display}', attribute '{}': No matching global attribute declaration available, but demanded by the strict wildcard.",
                    a.xsd_name()
                );
                let declared_at = ct
                    .and_then(|c| schema.complex_types.get(c.index()))
                    .map(|c| schema.display_location(c.location));
                ctx.err_attr(
                    a,
                    rules::UNDECLARED_ATTRIBUTE,
                    m,
                    Some("an attribute with a global declaration (strict xs:anyAttribute)".into()),
                    declared_at,
                );
            }
            None => {}
        }
    }

    /// Check the value of attribute `a` against its declaration `u` (type, fixed value, IDs).
    /// Where `u` is declared is formatted only for an error.
    #[allow(clippy::too_many_arguments)]
    fn check_attribute_value(
        &mut self,
        ctx: &mut Ctx,
        tag: &StartTag,
        display: &str,
        a: &Attr,
        u: &AttributeUse,
        ns: &Namespaces,
    ) {
        let _ = tag;
        let schema = ctx.schema;
        let declared_at = || Some(schema.display_location(u.location));
        let ids = if let (true, Some(dt)) = (ctx.dtd, &u.dtd_type) {
            let value = dtd_values::normalize(dt, &a.value);
            if let Some(ValueConstraint::Fixed(f)) = &u.value_constraint {
                if *f != value {
                    let m = format!(
                        "Value for attribute {} of {display} is different from default \"{f}\"",
                        a.qname
                    );
                    ctx.err_attr_found(
                        a,
                        rules::FIXED_VALUE,
                        m,
                        &value,
                        Some(f.clone()),
                        declared_at(),
                    );
                }
            }
            match dtd_values::check(schema, dt, &a.qname, display, &value) {
                Ok(ids) => ids,
                Err((m, expected)) => {
                    ctx.err_attr_found(
                        a,
                        rules::INVALID_VALUE,
                        m,
                        &value,
                        Some(expected),
                        declared_at(),
                    );
                    return;
                }
            }
        } else {
            let checker = ctx.cs.checker();
            let checked = self.in_scope(ns, |scope| {
                checker.check_in_scope(schema, u.ty, &a.value, scope)
            });
            if let Err(e) = checked {
                let m = format!(
                    "Element '{display}', attribute '{}': {}.",
                    a.xsd_name(),
                    e.message.trim_end_matches('.')
                );
                ctx.err_attr_found(
                    a,
                    rules::INVALID_VALUE,
                    m,
                    &a.value,
                    Some(e.expected),
                    declared_at(),
                );
                return;
            }
            if let Some(ValueConstraint::Fixed(f)) = &u.value_constraint {
                if !checker
                    .values_equal(schema, u.ty, &a.value, f)
                    .unwrap_or(false)
                {
                    let m = format!("Element '{display}', attribute '{}': The value '{}' does not match the fixed value constraint '{f}'.", a.xsd_name(), short(&a.value));
                    ctx.err_attr_found(
                        a,
                        rules::FIXED_VALUE,
                        m,
                        &a.value,
                        Some(f.clone()),
                        declared_at(),
                    );
                }
            }
            if !ctx.cs.carries_ids(u.ty) {
                return;
            }
            let normalized = checker.normalize(u.ty, &a.value).into_owned();
            xsd_id_use(schema, u.ty, &normalized)
        };
        if let Some(id) = ids.id {
            if !self.ids.insert(id.clone()) {
                let m = if ctx.dtd {
                    format!("ID {id} already defined")
                } else {
                    format!("Element '{display}', attribute '{}': '{id}' is not a valid value of the atomic type 'xs:ID'; the ID is already defined.", a.xsd_name())
                };
                ctx.err_attr_found(
                    a,
                    rules::DUPLICATE_ID,
                    m,
                    &id,
                    Some("a unique ID".into()),
                    None,
                );
            }
        }
        for r in ids.refs {
            if !self.ids.contains(&r) {
                self.refs.push(PendingRef {
                    id: r,
                    pos: a.pos,
                    path: ctx.path.attribute(&a.qname),
                    element: display.to_string(),
                    attr: a.qname.clone(),
                });
            }
        }
    }
}

/// Which attribute uses an element's attributes matched: a bit set, on the stack for up to
/// 64 uses (every element of the Qualys schemas), so the usual element allocates nothing.
enum Seen {
    Small(u64),
    Large(Vec<bool>),
}

impl Seen {
    fn new(len: usize) -> Seen {
        if len <= 64 {
            Seen::Small(0)
        } else {
            Seen::Large(vec![false; len])
        }
    }

    fn set(&mut self, i: usize) {
        match self {
            Seen::Small(bits) => *bits |= 1u64 << i,
            Seen::Large(v) => {
                if let Some(s) = v.get_mut(i) {
                    *s = true;
                }
            }
        }
    }

    fn get(&self, i: usize) -> bool {
        match self {
            Seen::Small(bits) => bits & (1u64 << i) != 0,
            Seen::Large(v) => v.get(i).copied().unwrap_or(false),
        }
    }
}
