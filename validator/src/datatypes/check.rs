//! Checking a value against a [`Plan`]: whiteSpace, lexical space, list/union, then facets.

use std::cmp::Ordering;

use qschema_model::{Builtin, SimpleTypeId};

use super::lexical::{self, LexicalError};
use super::plan::{BoundKind, BuildProblem, Plan, Shape, Step};
use super::value::Value;
use super::{whitespace, SimpleTypeChecker, ValueError};

/// Union members and list items may nest; this bounds the recursion (cyclic unions).
const MAX_NESTING: usize = 32;

/// Per-call options.
#[derive(Default)]
pub(crate) struct Context<'a> {
    /// Whether a QName prefix is bound (`None`: not checked).
    pub prefix_bound: Option<&'a dyn Fn(&str) -> bool>,
}

fn error(message: String, expected: String) -> ValueError {
    ValueError { message, expected }
}

/// A value as shown in a one-line message: tab, newline and carriage return escaped
/// (formatted lazily, so successful checks allocate nothing for messages).
struct Shown<'a>(&'a str);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for c in self.0.chars() {
            match c {
                '\t' => f.write_str("\\t")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                c => std::fmt::Write::write_char(f, c)?,
            }
        }
        Ok(())
    }
}

/// `'type'` for named types, the "local" wording of xmllint for anonymous ones.
fn type_phrase(plan: &Plan, variety: &str) -> String {
    match &plan.label {
        Some(l) => format!("the {variety} type '{l}'"),
        None => format!("the local {variety} type"),
    }
}

/// How `length`/`minLength`/`maxLength` measure a value, if they apply.
fn measure(shape: &Shape, value: &Value, normalized: &str) -> Option<(u64, &'static str)> {
    match (shape, value) {
        (_, Value::List(items)) => Some((items.len() as u64, "items")),
        (_, Value::Hex(b) | Value::Base64(b)) => Some((b.len() as u64, "octets")),
        (Shape::Atomic(Builtin::QName | Builtin::Notation), _) => None,
        (_, Value::Str(_)) => Some((normalized.chars().count() as u64, "characters")),
        _ => None,
    }
}

impl SimpleTypeChecker {
    fn plan(&self, ty: SimpleTypeId) -> Result<&Plan, ValueError> {
        self.plans.get(ty.index()).ok_or_else(|| {
            error(
                format!("simple type #{} is not part of this schema", ty.0),
                "a type of the schema".to_string(),
            )
        })
    }

    /// Check and return the value.
    pub(crate) fn check_value(
        &self,
        ty: SimpleTypeId,
        raw: &str,
        ctx: &Context<'_>,
    ) -> Result<Value, ValueError> {
        self.check_at(ty, raw, ctx, 0)
    }

    fn check_at(
        &self,
        ty: SimpleTypeId,
        raw: &str,
        ctx: &Context<'_>,
        depth: usize,
    ) -> Result<Value, ValueError> {
        let plan = self.plan(ty)?;
        let normalized = whitespace::apply(raw, plan.white_space);
        let value = self.lexical_value(plan, raw, &normalized, ctx, depth)?;
        for step in &plan.steps {
            self.check_step(plan, step, &normalized, &value, ctx, depth)?;
        }
        Ok(value)
    }

    /// The value of `normalized` (from `raw`) in the plan's shape, without this type's facets.
    fn lexical_value(
        &self,
        plan: &Plan,
        raw: &str,
        normalized: &str,
        ctx: &Context<'_>,
        depth: usize,
    ) -> Result<Value, ValueError> {
        let v = Shown(normalized);
        if depth > MAX_NESTING {
            return Err(error(
                format!("'{v}' cannot be checked: list and union types nest too deeply"),
                "a schema without circular unions".to_string(),
            ));
        }
        match &plan.shape {
            Shape::Broken(why) => Err(error(
                format!(
                    "'{v}' cannot be checked against {}: {why}",
                    type_phrase(plan, "simple")
                ),
                "a usable simple type in the schema".to_string(),
            )),
            Shape::Atomic(b) => {
                lexical::parse(*b, normalized, ctx.prefix_bound).map_err(|e| match e {
                    LexicalError::Invalid => error(
                        format!(
                            "'{v}' is not a valid value of {}",
                            type_phrase(plan, "atomic")
                        ),
                        lexical::expected(*b),
                    ),
                    LexicalError::UnboundPrefix(prefix) => error(
                        format!(
                            "The QName value '{v}' has no corresponding namespace \
                         declaration in scope (prefix '{prefix}')"
                        ),
                        format!("a namespace declaration for the prefix '{prefix}'"),
                    ),
                })
            }
            Shape::List { item, non_empty } => {
                let items: Vec<&str> = normalized.split(' ').filter(|s| !s.is_empty()).collect();
                if *non_empty && items.is_empty() {
                    return Err(error(
                        format!(
                            "'{v}' is not a valid value of {}",
                            type_phrase(plan, "list")
                        ),
                        format!(
                            "{} (at least one item)",
                            plan.label.as_deref().unwrap_or("a list")
                        ),
                    ));
                }
                let mut values = Vec::with_capacity(items.len());
                for (i, text) in items.iter().enumerate() {
                    match self.check_at(*item, text, ctx, depth + 1) {
                        Ok(v) => values.push(v),
                        Err(e) => {
                            return Err(error(
                                format!(
                                    "'{v}' is not a valid value of {}: item {}: {}",
                                    type_phrase(plan, "list"),
                                    i + 1,
                                    e.message
                                ),
                                e.expected,
                            ))
                        }
                    }
                }
                Ok(Value::List(values))
            }
            Shape::Union(members) => {
                let mut expected = Vec::new();
                for member in members {
                    match self.check_at(*member, raw, ctx, depth + 1) {
                        Ok(v) => return Ok(v),
                        Err(e) => expected.push(e.expected),
                    }
                }
                Err(error(
                    format!(
                        "'{}' is not a valid value of {}",
                        Shown(raw),
                        type_phrase(plan, "union")
                    ),
                    expected.join(" or "),
                ))
            }
        }
    }

    /// The value of a facet literal (enumeration, bound) of a type whose plan is `plan`.
    fn literal_value(&self, plan: &Plan, literal: &str, depth: usize) -> Option<Value> {
        let normalized = whitespace::apply(literal, plan.white_space);
        self.lexical_value(plan, literal, &normalized, &Context::default(), depth)
            .ok()
    }

    fn check_step(
        &self,
        plan: &Plan,
        step: &Step,
        normalized: &str,
        value: &Value,
        _ctx: &Context<'_>,
        depth: usize,
    ) -> Result<(), ValueError> {
        let v = Shown(normalized);
        if let Some((len, unit)) = measure(&plan.shape, value, normalized) {
            if let Some(n) = step.length.filter(|&n| n != len) {
                return Err(error(
                    format!("[facet 'length'] The value has a length of '{len}'; this differs from the allowed length of '{n}'"),
                    format!("exactly {n} {unit}"),
                ));
            }
            if let Some(n) = step.min_length.filter(|&n| len < n) {
                return Err(error(
                    format!("[facet 'minLength'] The value has a length of '{len}'; this underruns the allowed minimum length of '{n}'"),
                    format!("at least {n} {unit}"),
                ));
            }
            if let Some(n) = step.max_length.filter(|&n| len > n) {
                return Err(error(
                    format!("[facet 'maxLength'] The value has a length of '{len}'; this exceeds the allowed maximum length of '{n}'"),
                    format!("at most {n} {unit}"),
                ));
            }
        }
        for bound in &step.bounds {
            let limit = bound
                .value
                .get_or_init(|| self.literal_value(plan, &bound.literal, depth));
            let ord = limit.as_ref().and_then(|l| value.compare(l));
            let ok = match bound.kind {
                BoundKind::MinInclusive => matches!(ord, Some(Ordering::Greater | Ordering::Equal)),
                BoundKind::MinExclusive => ord == Some(Ordering::Greater),
                BoundKind::MaxInclusive => matches!(ord, Some(Ordering::Less | Ordering::Equal)),
                BoundKind::MaxExclusive => ord == Some(Ordering::Less),
            };
            if !ok {
                let l = &bound.literal;
                let (message, expected) = match bound.kind {
                    BoundKind::MinInclusive => (
                        format!("The value '{v}' is less than the minimum value allowed ('{l}')"),
                        format!("a value >= {l}"),
                    ),
                    BoundKind::MinExclusive => (
                        format!("The value '{v}' must be greater than '{l}'"),
                        format!("a value > {l}"),
                    ),
                    BoundKind::MaxInclusive => (
                        format!(
                            "The value '{v}' is greater than the maximum value allowed ('{l}')"
                        ),
                        format!("a value <= {l}"),
                    ),
                    BoundKind::MaxExclusive => (
                        format!("The value '{v}' must be less than '{l}'"),
                        format!("a value < {l}"),
                    ),
                };
                let message = if ord.is_none() && limit.is_some() {
                    format!("{message} (the values are not comparable)")
                } else {
                    message
                };
                return Err(error(
                    format!("[facet '{}'] {message}", bound.kind.name()),
                    expected,
                ));
            }
        }
        if let Some(d) = value.as_decimal() {
            if let Some(n) = step.total_digits.filter(|&n| d.total_digits() > n as usize) {
                return Err(error(
                    format!("[facet 'totalDigits'] The value '{v}' has more digits than are allowed ('{n}')"),
                    format!("at most {n} digits"),
                ));
            }
            if let Some(n) = step
                .fraction_digits
                .filter(|&n| d.fraction_digits() > n as usize)
            {
                return Err(error(
                    format!("[facet 'fractionDigits'] The value '{v}' has more fractional digits than are allowed ('{n}')"),
                    format!("at most {n} fraction digits"),
                ));
            }
        }
        if !step.enumeration.is_empty() {
            let values = step.enumeration_values.get_or_init(|| {
                step.enumeration
                    .iter()
                    .map(|l| self.literal_value(plan, l, depth))
                    .collect()
            });
            if !values.iter().flatten().any(|v| v.equals(value)) {
                let set = step
                    .enumeration
                    .iter()
                    .map(|l| format!("'{l}'"))
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(error(
                    format!("[facet 'enumeration'] The value '{v}' is not an element of the set {{{set}}}"),
                    format!("one of {}", step.enumeration.join(", ")),
                ));
            }
        }
        if !step.patterns.is_empty() && !step.patterns.iter().any(|p| p.regex.is_match(normalized))
        {
            let joined = step
                .patterns
                .iter()
                .map(|p| p.source.as_str())
                .collect::<Vec<_>>()
                .join("|");
            return Err(error(
                format!(
                    "[facet 'pattern'] The value '{v}' is not accepted by the pattern '{joined}'"
                ),
                format!("a value matching {joined}"),
            ));
        }
        Ok(())
    }

    /// Parse every enumeration and bound literal now, reporting those outside the value space.
    pub(crate) fn prepare_literals(&self) -> Vec<BuildProblem> {
        let mut problems = Vec::new();
        for (i, plan) in self.plans.iter().enumerate() {
            if matches!(plan.shape, Shape::Broken(_)) {
                continue;
            }
            let ty = SimpleTypeId(i as u32);
            for step in &plan.steps {
                let values = step.enumeration_values.get_or_init(|| {
                    step.enumeration
                        .iter()
                        .map(|l| self.literal_value(plan, l, 0))
                        .collect()
                });
                for (literal, v) in step.enumeration.iter().zip(values) {
                    if v.is_none() {
                        problems.push(BuildProblem {
                            ty: step.ty.unwrap_or(ty),
                            message: format!("enumeration value '{literal}' is not a valid value of the base type"),
                        });
                    }
                }
                for bound in &step.bounds {
                    if bound
                        .value
                        .get_or_init(|| self.literal_value(plan, &bound.literal, 0))
                        .is_none()
                    {
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
