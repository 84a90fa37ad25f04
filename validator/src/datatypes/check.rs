//! Checking a value against a [`Plan`]: whiteSpace, lexical space, list/union, then the
//! facets of every step (see the `facets` module).

use qschema_model::SimpleTypeId;

use super::lexical::{self, LexicalError};
use super::plan::{Bound, Plan, Shape, Step};
use super::value::Value;
use super::{whitespace, InScope, Prefixes, SimpleTypeChecker, ValueError};

/// Union members and list items may nest; this bounds the recursion (cyclic unions).
const MAX_NESTING: usize = 32;

/// Per-call options.
#[derive(Default)]
pub(crate) struct Context<'a> {
    /// What the document has in scope: namespace bindings for QName and NOTATION values,
    /// unparsed entities for ENTITY values (`None`: neither is checked, and names compare as
    /// written).
    pub scope: Option<&'a InScope<'a>>,
}

pub(super) fn error(message: String, expected: String) -> ValueError {
    ValueError { message, expected }
}

/// A value as shown in a one-line message: tab, newline and carriage return escaped
/// (formatted lazily, so successful checks allocate nothing for messages).
pub(super) struct Shown<'a>(pub(super) &'a str);

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

impl SimpleTypeChecker {
    pub(super) fn plan(&self, ty: SimpleTypeId) -> Result<&Plan, ValueError> {
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
            Shape::Atomic(b) => lexical::parse(*b, normalized, ctx.scope).map_err(|e| match e {
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
                LexicalError::NotUnparsedEntity => error(
                    format!(
                        "'{v}' is not a valid value of {}: the document's DTD declares no \
                             unparsed entity named '{v}'",
                        type_phrase(plan, "atomic")
                    ),
                    "the name of an unparsed entity declared in the DTD".to_string(),
                ),
            }),
            Shape::List { item, non_empty } => {
                let items: Vec<&str> = normalized.split(' ').filter(|s| !s.is_empty()).collect();
                if *non_empty && items.is_empty() {
                    // The list built-ins are defined with minLength 1.
                    return Err(error(
                        "[facet 'minLength'] The value has a length of '0'; this underruns the \
                         allowed minimum length of '1'"
                            .to_string(),
                        "at least 1 items".to_string(),
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

    /// The values of `step`'s enumeration literals in `plan`'s value space (`None` for a
    /// literal outside it), parsed on first use.
    pub(super) fn enumeration_values<'s>(
        &self,
        plan: &Plan,
        step: &'s Step,
        depth: usize,
    ) -> &'s [Option<Value>] {
        step.enumeration_values.get_or_init(|| {
            step.enumeration
                .iter()
                .map(|l| self.literal_value(plan, l, depth, &step.enumeration_namespaces))
                .collect()
        })
    }

    /// The value of `bound`'s literal in `plan`'s value space, parsed on first use.
    pub(super) fn bound_value<'b>(
        &self,
        plan: &Plan,
        bound: &'b Bound,
        depth: usize,
    ) -> Option<&'b Value> {
        bound
            .value
            .get_or_init(|| self.literal_value(plan, &bound.literal, depth, &[]))
            .as_ref()
    }

    /// The value of a facet literal (enumeration, bound) of a type whose plan is `plan`;
    /// QName and NOTATION literals resolve their prefixes with `bindings` (the schema's
    /// `(prefix, URI)` pairs at the facet) when there are any.
    fn literal_value(
        &self,
        plan: &Plan,
        literal: &str,
        depth: usize,
        bindings: &[(String, String)],
    ) -> Option<Value> {
        let normalized = whitespace::apply(literal, plan.white_space);
        let resolve =
            |prefix: &str| super::resolve_prefix(bindings, prefix).map(|u| u.map(str::to_string));
        // Literals are not checked against a document's entities.
        let scope = InScope {
            namespaces: &resolve as Prefixes,
            unparsed_entity: &|_: &str| true,
        };
        let ctx = Context {
            scope: (!bindings.is_empty()).then_some(&scope),
        };
        self.lexical_value(plan, literal, &normalized, &ctx, depth)
            .ok()
    }
}
