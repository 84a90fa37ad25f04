//! At most one attribute of type `xs:ID` per complex type (XSD 1.0 3.4.6 ct-props-correct.5:
//! two distinct attribute declarations among a type's attribute uses must not both have a
//! type that is or derives from ID), checked on the effective attribute uses once every
//! type is lowered, so inherited, referenced and attribute-group attributes count too.

use super::lower::Lowerer;
use crate::ir::Builtin;
use crate::location::Location;

impl Lowerer<'_, '_> {
    /// Report the second (and any further) ID attribute of each complex type.
    pub(crate) fn check_id_attributes(&mut self) {
        let id = Builtin::Id.id();
        let mut problems: Vec<(Location, String)> = Vec::new();
        for ty in &self.schema.complex_types {
            let mut first: Option<&str> = None;
            for u in &ty.attributes {
                if self.simple_derives_from(u.ty, id) != Some(true) {
                    continue;
                }
                match first {
                    None => first = Some(&u.name),
                    Some(f) => problems.push((
                        u.location,
                        format!(
                            "attribute '{}' is a second attribute of type ID (or derived from it) in one complex type, after '{f}' (ct-props-correct.5)",
                            u.name
                        ),
                    )),
                }
            }
        }
        for (at, message) in problems {
            self.diags.error(at, message);
        }
    }
}
