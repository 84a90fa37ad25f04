//! Finding declarations and types: global elements, `xsi:type`, derivation, ID types.

use qschema_model::{
    Blocked, Builtin, ComplexTypeId, ElementId, Schema, SimpleTypeId, TypeRef, Variety,
};

use super::super::dtd_values;
use super::super::namespaces::{split_qname, Namespaces, XSI_NS, XS_NS};
use super::{Attr, ChildMode, Ctx, StartTag};
use crate::report::rules;

/// DTD: every element must be declared.
pub(super) fn lookup_dtd(ctx: &mut Ctx, tag: &StartTag) -> Result<Option<ElementId>, ChildMode> {
    match ctx.schema.global(tag.qname) {
        Some(id) => Ok(Some(id)),
        None => {
            ctx.err(
                tag.pos,
                rules::UNDECLARED_ELEMENT,
                format!("No declaration for element {}", tag.qname),
                Some(tag.qname.to_string()),
                None,
                None,
            );
            Err(ChildMode::Lax)
        }
    }
}

/// An XSD global element by expanded name (target-namespace components are keyed by local
/// name, others as `{ns}local`).
pub(super) fn global_xsd(schema: &Schema, local: &str, ns: Option<&str>) -> Option<ElementId> {
    let key = if ns == schema.target_namespace.as_deref() || ns.is_none() {
        local.to_string()
    } else {
        format!("{{{}}}{local}", ns.unwrap_or_default())
    };
    let id = schema.global(&key)?;
    let d = schema.elements.get(id.index())?;
    (d.namespace.as_deref() == ns).then_some(id)
}

/// The `xsi:` attribute named `local` among `attrs`.
#[inline]
pub(super) fn find_xsi<'a>(attrs: &'a [Attr], local: &str) -> Option<&'a Attr> {
    // Most elements have no attributes: no search is set up for them.
    if attrs.is_empty() {
        return None;
    }
    attrs
        .iter()
        .find(|a| a.namespace.as_deref() == Some(XSI_NS) && split_qname(&a.qname).1 == local)
}

/// Resolve the QName of an `xsi:type` value to a type.
pub(super) fn resolve_xsi_type(schema: &Schema, ns: &Namespaces, value: &str) -> Option<TypeRef> {
    let value = value.trim();
    if !super::super::chars::is_qname(value) {
        return None;
    }
    let (prefix, local) = split_qname(value);
    let uri = ns.resolve(prefix)?;
    if uri == Some(XS_NS) {
        if local == "anyType" {
            return schema
                .complex_types
                .iter()
                .position(|c| c.name.as_deref() == Some("anyType") && c.derivation.is_none())
                .map(|i| TypeRef::Complex(ComplexTypeId(i as u32)));
        }
        return Builtin::from_name(local).map(|b| TypeRef::Simple(b.id()));
    }
    let key = if uri == schema.target_namespace.as_deref() {
        local.to_string()
    } else {
        format!("{{{}}}{local}", uri.unwrap_or_default())
    };
    if let Some(&c) = schema.named_complex_types.get(&key) {
        return Some(TypeRef::Complex(c));
    }
    schema
        .named_simple_types
        .get(&key)
        .map(|&s| TypeRef::Simple(s))
}

pub(super) fn is_any_type(schema: &Schema, t: TypeRef) -> bool {
    matches!(t, TypeRef::Complex(c) if schema.complex_types.get(c.index()).is_some_and(|c| c.name.as_deref() == Some("anyType") && c.derivation.is_none() && c.location == Default::default()))
}

/// Whether type `t` is `base` or derived from it (by any number of steps) without a step
/// whose method `blocked` names (XSD 1.0 Type Derivation OK: what an `xsi:type` may use).
/// A type without a derivation restricts `xs:anyType` (`xs:anySimpleType` for simple types).
/// A simple type also derives from a union that has a member it derives from
/// (cos-st-derived-ok 2.2.4), so `xsi:type` may name a member of the declared union.
pub(super) fn derives_from(schema: &Schema, t: TypeRef, base: TypeRef, blocked: Blocked) -> bool {
    derives_within(schema, t, base, blocked, 0)
}

/// [`derives_from`], `depth` unions deep (bounded: unions of unions are few levels).
fn derives_within(
    schema: &Schema,
    t: TypeRef,
    base: TypeRef,
    blocked: Blocked,
    depth: usize,
) -> bool {
    if derives_by_steps(schema, t, base, blocked) {
        return true;
    }
    let (TypeRef::Simple(_), TypeRef::Simple(b)) = (t, base) else {
        return false;
    };
    match schema.simple_types.get(b.index()).map(|s| &s.variety) {
        Some(Variety::Union { members }) if depth < 32 => members
            .iter()
            .any(|&m| m != b && derives_within(schema, t, TypeRef::Simple(m), blocked, depth + 1)),
        _ => false,
    }
}

/// Whether `t` reaches `base` along its chain of base types.
fn derives_by_steps(schema: &Schema, t: TypeRef, base: TypeRef, blocked: Blocked) -> bool {
    if t == base {
        return true;
    }
    let reaches_ur_type = |base: TypeRef| {
        !blocked.restriction
            && (is_any_type(schema, base) || base == TypeRef::Simple(Builtin::AnySimpleType.id()))
    };
    let mut cur = t;
    for _ in 0..256 {
        let Some((next, method)) = schema.derivation_step(cur) else {
            return reaches_ur_type(base);
        };
        if blocked.blocks(method) || next == cur {
            return false;
        }
        if next == base {
            return true;
        }
        cur = next;
    }
    false
}

/// The derivation methods `blocked` names, as a `block` value (`extension restriction`;
/// `substitution` is no derivation method).
pub(super) fn blocked_methods(blocked: Blocked) -> String {
    let methods = Blocked {
        substitution: false,
        ..blocked
    };
    methods.names().join(" ")
}

/// ID/IDREF(S) use of an XSD value of simple type `ty`.
pub(super) fn xsd_id_use(schema: &Schema, ty: SimpleTypeId, normalized: &str) -> dtd_values::IdUse {
    let mut out = dtd_values::IdUse::default();
    let item = match schema.simple_types.get(ty.index()).map(|s| &s.variety) {
        Some(Variety::List { item }) => Some(*item),
        _ => None,
    };
    match (schema.builtin_base(ty), item) {
        (Some(Builtin::Id), _) => out.id = Some(normalized.to_string()),
        (Some(Builtin::IdRef), _) => out.refs.push(normalized.to_string()),
        (Some(Builtin::IdRefs), _) => {
            out.refs = normalized
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        }
        (_, Some(item)) if schema.builtin_base(item) == Some(Builtin::IdRef) => {
            out.refs = normalized
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
        }
        _ => {}
    }
    out
}
