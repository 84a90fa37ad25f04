//! Whole-schema checks after lowering: value constraints of elements against their content,
//! and the named model groups and attribute groups no type references (checked by a trial
//! expansion whose results are discarded).

use super::lower::Lowerer;
use crate::ir::{ComplexTypeId, Content, ElementType};

impl Lowerer<'_, '_> {
    /// `default=`/`fixed=` on an element needs a simple type, simple content, or mixed content.
    pub(crate) fn check_element_values(&mut self) {
        let mut problems = Vec::new();
        for e in &self.schema.elements {
            let (Some(_), ElementType::Complex(c)) = (&e.value_constraint, e.ty) else {
                continue;
            };
            let Some(ty) = self.schema.complex_types.get(c.index()) else {
                continue;
            };
            let what = match &ty.content {
                Content::Empty => "empty content",
                Content::Elements { mixed: false, .. } => "element-only content",
                _ => continue,
            };
            problems.push((
                e.location,
                format!(
                    "element '{}' has a default or fixed value, but its type has {what}",
                    e.name
                ),
            ));
        }
        for (at, message) in problems {
            self.diags.error(at, message);
        }
    }

    /// Expand every named model group and attribute group that no type used, to report the
    /// errors in them; the declarations this creates are then dropped again.
    pub(crate) fn check_unused_groups(&mut self) {
        let mut groups: Vec<_> = self
            .tables
            .groups
            .iter()
            .filter(|(name, _)| !self.expanded_groups.contains(*name))
            .map(|(name, def)| (name.clone(), *def))
            .collect();
        let mut attribute_groups: Vec<_> = self
            .tables
            .attribute_groups
            .iter()
            .filter(|(name, _)| !self.expanded_attribute_groups.contains(*name))
            .map(|(name, def)| (name.clone(), *def))
            .collect();
        if groups.is_empty() && attribute_groups.is_empty() {
            return;
        }
        groups.sort_by_key(|(_, def)| def.location);
        attribute_groups.sort_by_key(|(_, def)| def.location);
        let elements = self.schema.elements.len();
        let complex = self.schema.complex_types.len();
        let simple = self.schema.simple_types.len();
        let any_type = self.any_type;
        // No type owns the trial declarations; they are removed below.
        let owner = ComplexTypeId(u32::MAX);
        for (name, def) in groups {
            if !self.expanded_groups.contains(&name) {
                let _ = self.expand_group(&name, def, owner);
            }
        }
        for (name, def) in attribute_groups {
            if !self.expanded_attribute_groups.contains(&name) {
                let _ = self.expand_attribute_group(&name, def);
            }
        }
        self.schema.elements.truncate(elements);
        self.schema.complex_types.truncate(complex);
        self.complex_state.truncate(complex);
        self.schema.simple_types.truncate(simple);
        self.facet_sites.retain(|id, _| id.index() < simple);
        self.simple_ref_sites.retain(|id, _| id.index() < simple);
        self.any_type = any_type;
    }
}
