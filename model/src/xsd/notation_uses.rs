//! xs:NOTATION is used only through a type that enumerates notations (XSD 1.0 Part 2, 3.2.19:
//! "It is an error for NOTATION to be used directly in a schema. Only datatypes that are
//! derived from NOTATION by specifying a value for enumeration can be used directly"). Checked
//! on every use of a simple type: element and attribute types, simple content, list items and
//! union members. A type that is declared but never used is not an error.

use super::lower::Lowerer;
use crate::ir::{Builtin, Content, ElementType, Schema, SimpleTypeId, Variety};
use crate::location::Location;

/// Whether `st` is xs:NOTATION, or derived from it by restrictions none of which enumerates.
fn bare_notation(schema: &Schema, st: SimpleTypeId) -> bool {
    let mut current = st;
    for _ in 0..256 {
        let Some(t) = schema.simple_types.get(current.index()) else {
            return false;
        };
        if let Some(b) = t.builtin {
            return b == Builtin::Notation;
        }
        if !t.facets.enumeration.is_empty() {
            return false;
        }
        match t.variety {
            Variety::Restriction { base } => current = base,
            _ => return false,
        }
    }
    false
}

impl Lowerer<'_, '_> {
    /// Report every direct use of xs:NOTATION (after all types are lowered).
    pub(crate) fn check_notation_uses(&mut self) {
        let schema = &self.schema;
        let mut uses: Vec<(SimpleTypeId, Location)> = Vec::new();
        for e in &schema.elements {
            if let ElementType::Simple(st) = e.ty {
                uses.push((st, e.location));
            }
        }
        for t in &schema.complex_types {
            if let Content::Simple(st) = t.content {
                uses.push((st, t.location));
            }
            uses.extend(t.attributes.iter().map(|a| (a.ty, a.location)));
        }
        uses.extend(schema.global_attributes.iter().map(|a| (a.ty, a.location)));
        for t in schema.simple_types.iter().filter(|t| t.builtin.is_none()) {
            match &t.variety {
                Variety::List { item } => uses.push((*item, t.location)),
                Variety::Union { members } => uses.extend(members.iter().map(|m| (*m, t.location))),
                _ => {}
            }
        }
        let mut bad: Vec<Location> = uses
            .into_iter()
            .filter(|(st, _)| bare_notation(schema, *st))
            .map(|(_, at)| at)
            .collect();
        bad.sort();
        bad.dedup();
        for at in bad {
            self.diags.error(
                at,
                "xs:NOTATION cannot be used directly: only a type derived from it with xs:enumeration values naming declared notations can (XSD 1.0 Part 2, 3.2.19)",
            );
        }
    }
}
