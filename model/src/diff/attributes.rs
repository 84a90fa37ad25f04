//! Attribute changes: added, removed, required/optional, default/fixed, type.

use crate::ir::{AttributeUse, AttributeUseKind, DtdAttributeType};

use super::walk::{Ctx, Differ};

impl Differ<'_> {
    /// Compare the attribute uses of two complex types at `ctx`.
    pub(crate) fn compare_attributes(
        &mut self,
        ctx: &Ctx,
        old: &[AttributeUse],
        new: &[AttributeUse],
    ) {
        let key = |a: &AttributeUse| (a.namespace.clone(), a.name.clone());
        for o in old
            .iter()
            .filter(|a| a.use_ != AttributeUseKind::Prohibited)
        {
            let path = format!("{}/@{}", ctx.path, o.name);
            let n = new
                .iter()
                .find(|n| key(n) == key(o) && n.use_ != AttributeUseKind::Prohibited);
            match n {
                Some(n) => {
                    let actx = Ctx {
                        root: ctx.root.clone(),
                        path,
                        old_loc: o.location,
                        new_loc: n.location,
                    };
                    self.compare_attribute(&actx, o, n);
                }
                None => {
                    let (rule, kind) = if o.use_ == AttributeUseKind::Required {
                        ("attribute-required-removed", "required")
                    } else {
                        ("attribute-optional-removed", "optional")
                    };
                    let old_site = Some(self.old_site(&path, o.location));
                    let new_site = Some(self.new_site(&ctx.path, ctx.new_loc));
                    self.emit(
                        rule,
                        ctx,
                        path,
                        old_site,
                        new_site,
                        format!("{kind} attribute {} removed from {}", o.name, ctx.path),
                    );
                }
            }
        }
        for n in new
            .iter()
            .filter(|a| a.use_ != AttributeUseKind::Prohibited)
        {
            let present = old
                .iter()
                .any(|o| key(o) == key(n) && o.use_ != AttributeUseKind::Prohibited);
            if present {
                continue;
            }
            let path = format!("{}/@{}", ctx.path, n.name);
            let (rule, kind) = if n.use_ == AttributeUseKind::Required {
                ("attribute-required-added", "required")
            } else {
                ("attribute-optional-added", "optional")
            };
            let old_site = Some(self.old_site(&ctx.path, ctx.old_loc));
            let new_site = Some(self.new_site(&path, n.location));
            self.emit(
                rule,
                ctx,
                path,
                old_site,
                new_site,
                format!("{kind} attribute {} added to {}", n.name, ctx.path),
            );
        }
    }

    fn compare_attribute(&mut self, ctx: &Ctx, o: &AttributeUse, n: &AttributeUse) {
        let name = &n.name;
        match (o.use_, n.use_) {
            (AttributeUseKind::Optional, AttributeUseKind::Required) => {
                self.emit_here(
                    "attribute-became-required",
                    ctx,
                    format!("attribute {name} became required"),
                );
            }
            (AttributeUseKind::Required, AttributeUseKind::Optional) => {
                self.emit_here(
                    "attribute-became-optional",
                    ctx,
                    format!("attribute {name} became optional"),
                );
            }
            _ => {}
        }
        self.compare_value_constraints(
            ctx,
            &format!("attribute {name}"),
            &o.value_constraint,
            &n.value_constraint,
        );
        if o.documentation != n.documentation {
            self.emit_here(
                "documentation-changed",
                ctx,
                format!("documentation of attribute {name} changed"),
            );
        }
        let old_label = o.dtd_type.as_ref().map(dtd_type_label);
        let new_label = n.dtd_type.as_ref().map(dtd_type_label);
        self.compare_simple_refs(ctx, o.ty, n.ty, old_label, new_label);
    }
}

/// A DTD attribute type as written (`CDATA`, `(a|b)`, `NOTATION (x|y)`).
pub(crate) fn dtd_type_label(t: &DtdAttributeType) -> String {
    match t {
        DtdAttributeType::Cdata => "CDATA".into(),
        DtdAttributeType::Id => "ID".into(),
        DtdAttributeType::IdRef => "IDREF".into(),
        DtdAttributeType::IdRefs => "IDREFS".into(),
        DtdAttributeType::Entity => "ENTITY".into(),
        DtdAttributeType::Entities => "ENTITIES".into(),
        DtdAttributeType::NmToken => "NMTOKEN".into(),
        DtdAttributeType::NmTokens => "NMTOKENS".into(),
        DtdAttributeType::Notation(v) => format!("NOTATION ({})", v.join("|")),
        DtdAttributeType::Enumeration(v) => format!("({})", v.join("|")),
    }
}
