//! The constraining facets of one derivation step, with xmllint-style messages.

use std::cmp::Ordering;

use qschema_model::Builtin;

use super::check::{error, Context, Shown};
use super::plan::{BoundKind, Plan, Shape, Step};
use super::value::Value;
use super::{SimpleTypeChecker, ValueError};

/// How `length`/`minLength`/`maxLength` measure a value, if they apply.
fn measure(shape: &Shape, value: &Value, normalized: &str) -> Option<(u64, &'static str)> {
    match (shape, value) {
        (_, Value::List(items)) => Some((items.len() as u64, "items")),
        (_, Value::Hex(b) | Value::Base64(b)) => Some((b.len() as u64, "octets")),
        (Shape::Atomic(Builtin::QName | Builtin::Notation), _) => None,
        (_, Value::Str(_) | Value::QName { .. }) => {
            Some((normalized.chars().count() as u64, "characters"))
        }
        _ => None,
    }
}

impl SimpleTypeChecker {
    pub(super) fn check_step(
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
            let limit = self.bound_value(plan, bound, depth);
            let ord = limit.and_then(|l| value.compare(l));
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
            let values = self.enumeration_values(plan, step, depth);
            if !values.iter().flatten().any(|v| v.equals(value)) {
                // QNames also show their expanded names: the prefixes may mislead.
                let expanded = |v: Option<&Value>| match v.and_then(Value::expanded_name) {
                    Some(name) => format!(" ({name})"),
                    None => String::new(),
                };
                let set = step
                    .enumeration
                    .iter()
                    .zip(values)
                    .map(|(l, lv)| format!("'{l}'{}", expanded(lv.as_ref())))
                    .collect::<Vec<_>>()
                    .join(", ");
                let found = expanded(Some(value));
                return Err(error(
                    format!("[facet 'enumeration'] The value '{v}'{found} is not an element of the set {{{set}}}"),
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
}
