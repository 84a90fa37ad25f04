//! XML 1.0 VC: Standalone Document Declaration. In a document declared `standalone="yes"`,
//! markup declarations from outside the document entity (the external subset, external
//! parameter entities) must not change what the document says: no attribute defaulted from
//! them, no tokenized attribute value changed by their normalization, no white space in an
//! element whose element-only content they declare. (Entity references are the
//! well-formedness side of the rule, checked by the entity expander.)
//!
//! "Outside the document entity" is a declaration located in another file than file 0. When
//! the schema was given by the caller (a DTD file) and the document has no internal subset,
//! file 0 is that DTD itself: its declarations are then not treated as external (the checks
//! apply to a document's own DTD, read with its internal subset).

use qschema_model::{AttributeUse, ElementId, FileId, Location, Schema, ValueConstraint};

use super::super::dtd_values;
use super::{Ctx, StartTag, Validator};
use crate::report::rules;

/// Whether a declaration located at `location` is external to the document entity.
fn external(location: Location) -> bool {
    location.file != FileId(0)
}

/// Whether the element declaration `decl` is external (for white space in element content).
pub(super) fn external_element(schema: &Schema, decl: Option<ElementId>) -> bool {
    decl.and_then(|d| schema.elements.get(d.index()))
        .is_some_and(|e| external(e.location))
}

/// The message for white space in external element-only content.
pub(super) fn whitespace_message(display: &str) -> String {
    format!(
        "standalone: {display} declared in the external subset contains white spaces (the document is standalone=\"yes\")"
    )
}

impl Validator {
    /// Attributes that external declarations default or normalize, in a standalone document.
    pub(super) fn check_standalone_attributes(
        &mut self,
        ctx: &mut Ctx,
        tag: &StartTag,
        display: &str,
        uses: &[AttributeUse],
    ) {
        if !self.standalone || !ctx.dtd {
            return;
        }
        let schema = ctx.schema;
        for u in uses.iter().filter(|u| external(u.location)) {
            let declared_at = Some(schema.display_location(u.location));
            match tag.attrs.iter().find(|a| a.qname == u.name) {
                Some(a) => {
                    let Some(dt) = &u.dtd_type else { continue };
                    let normalized = dtd_values::normalize(dt, &a.value);
                    if normalized != a.value {
                        let m = format!(
                            "standalone: normalization of attribute {} on {display} by external subset declared",
                            a.qname
                        );
                        ctx.err_attr_found(
                            a,
                            rules::STANDALONE,
                            m,
                            &a.value,
                            Some(normalized),
                            declared_at,
                        );
                    }
                }
                None if matches!(
                    u.value_constraint,
                    Some(ValueConstraint::Default(_) | ValueConstraint::Fixed(_))
                ) =>
                {
                    let m = format!(
                        "standalone: attribute {} on {display} defaulted from external subset",
                        u.name
                    );
                    ctx.err(
                        tag.pos,
                        rules::STANDALONE,
                        m,
                        None,
                        Some(u.name.clone()),
                        declared_at,
                    );
                }
                None => {}
            }
        }
    }
}
