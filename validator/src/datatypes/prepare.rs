//! Work done once in [`SimpleTypeChecker::new_lenient`] after the plans are built: breaking
//! list/union cycles and parsing every facet literal.

use qschema_model::SimpleTypeId;

use super::plan::{BuildProblem, Shape};
use super::SimpleTypeChecker;

impl SimpleTypeChecker {
    /// Parse every enumeration and bound literal now, reporting those outside the value space.
    pub(crate) fn prepare_literals(&self) -> Vec<BuildProblem> {
        let mut problems = Vec::new();
        for (i, plan) in self.plans.iter().enumerate() {
            if matches!(plan.shape, Shape::Broken(_)) {
                continue;
            }
            let ty = SimpleTypeId(i as u32);
            for step in &plan.steps {
                let values = self.enumeration_values(plan, step, 0);
                for (literal, v) in step.enumeration.iter().zip(values) {
                    if v.is_none() {
                        problems.push(BuildProblem {
                            ty: step.ty.unwrap_or(ty),
                            message: format!("enumeration value '{literal}' is not a valid value of the base type"),
                        });
                    }
                }
                for bound in &step.bounds {
                    if self.bound_value(plan, bound, 0).is_none() {
                        problems.push(BuildProblem {
                            ty: step.ty.unwrap_or(ty),
                            message: format!(
                                "{} value '{}' is not a valid value of the base type",
                                bound.kind.name(),
                                bound.literal
                            ),
                        });
                    }
                }
            }
        }
        problems
    }

    /// Mark list and union types whose items or members lead back to themselves as broken.
    pub(crate) fn break_member_cycles(&mut self) -> Vec<BuildProblem> {
        let mut problems = Vec::new();
        for i in 0..self.plans.len() {
            let start = SimpleTypeId(i as u32);
            let mut seen = vec![false; self.plans.len()];
            let mut todo = self.members_of(start);
            let mut cyclic = false;
            while let Some(t) = todo.pop() {
                if t == start {
                    cyclic = true;
                    break;
                }
                if let Some(s) = seen.get_mut(t.index()) {
                    if !*s {
                        *s = true;
                        todo.extend(self.members_of(t));
                    }
                }
            }
            if cyclic {
                let message = "its list item or union member types refer back to it".to_string();
                if let Some(plan) = self.plans.get_mut(i) {
                    plan.shape = Shape::Broken(message.clone());
                }
                problems.push(BuildProblem { ty: start, message });
            }
        }
        problems
    }

    fn members_of(&self, ty: SimpleTypeId) -> Vec<SimpleTypeId> {
        match self.plans.get(ty.index()).map(|p| &p.shape) {
            Some(Shape::List { item, .. }) => vec![*item],
            Some(Shape::Union(members)) => members.clone(),
            _ => Vec::new(),
        }
    }
}
