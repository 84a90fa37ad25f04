//! A restriction step's facets against its base's (XSD 1.0 Part 2, 4.3: the "... valid
//! restriction" constraints of each facet, the cross-facet constraints such as
//! minLength <= maxLength across steps, and `{fixed}`): a restriction may only narrow the
//! value space, so a length, digit count or bound may not be looser than the one the base
//! already has (its own or an ancestor's, including the implicit bounds of the built-in
//! integer types), whiteSpace may not go back from collapse or replace, and a facet the base
//! marks `fixed="true"` cannot be given another value. Bounds are compared for the numeric
//! primitives only (see `ordering`).

use std::cmp::Ordering;

use super::lower::Lowerer;
use super::ordering::compare;
use crate::ir::{Builtin, Facets, SimpleTypeId, Variety};
use crate::location::Location;

/// What the own value must be relative to the base's.
#[derive(Clone, Copy)]
enum Need {
    Eq,
    Le,
    Lt,
    Ge,
    Gt,
}

/// (own facet, base facet, what the own value must be, the constraint's name).
const RULES: &[(&str, &str, Need, &str)] = &[
    ("length", "length", Need::Eq, "length-valid-restriction"),
    (
        "length",
        "minLength",
        Need::Ge,
        "length-minLength-maxLength",
    ),
    (
        "length",
        "maxLength",
        Need::Le,
        "length-minLength-maxLength",
    ),
    (
        "minLength",
        "minLength",
        Need::Ge,
        "minLength-valid-restriction",
    ),
    (
        "minLength",
        "maxLength",
        Need::Le,
        "minLength-less-than-equal-to-maxLength",
    ),
    (
        "minLength",
        "length",
        Need::Le,
        "length-minLength-maxLength",
    ),
    (
        "maxLength",
        "maxLength",
        Need::Le,
        "maxLength-valid-restriction",
    ),
    (
        "maxLength",
        "minLength",
        Need::Ge,
        "minLength-less-than-equal-to-maxLength",
    ),
    (
        "maxLength",
        "length",
        Need::Ge,
        "length-minLength-maxLength",
    ),
    (
        "totalDigits",
        "totalDigits",
        Need::Le,
        "totalDigits-valid-restriction",
    ),
    (
        "totalDigits",
        "fractionDigits",
        Need::Ge,
        "fractionDigits-totalDigits",
    ),
    (
        "fractionDigits",
        "fractionDigits",
        Need::Le,
        "fractionDigits-valid-restriction",
    ),
    (
        "fractionDigits",
        "totalDigits",
        Need::Le,
        "fractionDigits-totalDigits",
    ),
    (
        "whiteSpace",
        "whiteSpace",
        Need::Ge,
        "whiteSpace-valid-restriction",
    ),
    (
        "minInclusive",
        "minInclusive",
        Need::Ge,
        "minInclusive-valid-restriction",
    ),
    (
        "minInclusive",
        "minExclusive",
        Need::Gt,
        "minInclusive-valid-restriction",
    ),
    (
        "minInclusive",
        "maxInclusive",
        Need::Le,
        "minInclusive-valid-restriction",
    ),
    (
        "minInclusive",
        "maxExclusive",
        Need::Lt,
        "minInclusive-valid-restriction",
    ),
    (
        "minExclusive",
        "minExclusive",
        Need::Ge,
        "minExclusive-valid-restriction",
    ),
    (
        "minExclusive",
        "minInclusive",
        Need::Ge,
        "minExclusive-valid-restriction",
    ),
    (
        "minExclusive",
        "maxInclusive",
        Need::Lt,
        "minExclusive-valid-restriction",
    ),
    (
        "minExclusive",
        "maxExclusive",
        Need::Le,
        "minExclusive-valid-restriction",
    ),
    (
        "maxInclusive",
        "maxInclusive",
        Need::Le,
        "maxInclusive-valid-restriction",
    ),
    (
        "maxInclusive",
        "maxExclusive",
        Need::Lt,
        "maxInclusive-valid-restriction",
    ),
    (
        "maxInclusive",
        "minInclusive",
        Need::Ge,
        "maxInclusive-valid-restriction",
    ),
    (
        "maxInclusive",
        "minExclusive",
        Need::Gt,
        "maxInclusive-valid-restriction",
    ),
    (
        "maxExclusive",
        "maxExclusive",
        Need::Le,
        "maxExclusive-valid-restriction",
    ),
    (
        "maxExclusive",
        "maxInclusive",
        Need::Le,
        "maxExclusive-valid-restriction",
    ),
    (
        "maxExclusive",
        "minInclusive",
        Need::Gt,
        "maxExclusive-valid-restriction",
    ),
    (
        "maxExclusive",
        "minExclusive",
        Need::Ge,
        "maxExclusive-valid-restriction",
    ),
];

/// A facet the base has: its value as written, whether it is fixed, and the type that set it.
struct BaseFacet {
    name: &'static str,
    value: String,
    fixed: bool,
    owner: SimpleTypeId,
}

impl Lowerer<'_, '_> {
    /// Check the facets of restriction step `id` against those of its `base` (`primitive`:
    /// the atomic primitive, `None` for a list).
    pub(crate) fn check_facets_against_base(
        &mut self,
        id: SimpleTypeId,
        base: SimpleTypeId,
        primitive: Option<Builtin>,
    ) {
        let Some(st) = self.schema.simple_types.get(id.index()) else {
            return;
        };
        let own = single_valued(&st.facets);
        if own.is_empty() {
            return;
        }
        let inherited = self.base_facets(base);
        let mut problems: Vec<(&'static str, String)> = Vec::new();
        for (name, value) in &own {
            for b in inherited.iter().filter(|b| b.name == *name && b.fixed) {
                if !same(name, primitive, value, &b.value) {
                    problems.push((
                        name,
                        format!(
                            "{name} {value} differs from the base's {name} {} (set by {}), which is fixed=\"true\": a restriction cannot change it (XSD 1.0 Part 2, 4.3 {{fixed}})",
                            b.value,
                            self.type_label(b.owner)
                        ),
                    ));
                }
            }
            for (_, base_name, need, constraint) in RULES.iter().filter(|r| r.0 == *name) {
                let Some(b) = inherited.iter().find(|b| b.name == *base_name) else {
                    continue;
                };
                let Some(order) = compare_facet(name, primitive, value, &b.value) else {
                    continue;
                };
                if satisfied(*need, order) {
                    continue;
                }
                let relation = match (need, order) {
                    (Need::Eq, _) => "differs from",
                    _ if *name == "whiteSpace" => "is looser than",
                    (_, Ordering::Less) => "is less than",
                    (_, Ordering::Greater) => "is greater than",
                    (_, Ordering::Equal) => "equals",
                };
                problems.push((
                    name,
                    format!(
                        "{name} {value} {relation} the base's {base_name} {} (set by {}): a restriction cannot widen its base ({constraint})",
                        b.value,
                        self.type_label(b.owner)
                    ),
                ));
            }
        }
        for (name, message) in problems {
            let at = self.facet_location(id, name);
            self.diags.error(at, message);
        }
    }

    /// Where facet `name` of type `id` was written (the type's location if unknown).
    pub(crate) fn facet_location(&self, id: SimpleTypeId, name: &str) -> Location {
        self.facet_sites
            .get(&id)
            .and_then(|v| v.iter().find(|(n, _)| *n == name))
            .map(|(_, l)| *l)
            .or_else(|| self.schema.simple_types.get(id.index()).map(|t| t.location))
            .unwrap_or_default()
    }

    /// The single-valued facets in effect on `base`: each from the nearest restriction step
    /// that sets it, then the implicit ones of the built-in the chain ends in.
    fn base_facets(&self, mut base: SimpleTypeId) -> Vec<BaseFacet> {
        let mut out: Vec<BaseFacet> = Vec::new();
        let add = |out: &mut Vec<BaseFacet>, name, value: String, fixed, owner| {
            if !out.iter().any(|b| b.name == name) {
                out.push(BaseFacet {
                    name,
                    value,
                    fixed,
                    owner,
                });
            }
        };
        for _ in 0..self.schema.simple_types.len() {
            if self.circular_simple.contains(&base.index()) {
                break;
            }
            let Some(st) = self.schema.simple_types.get(base.index()) else {
                break;
            };
            if let Some(builtin) = st.builtin {
                let (min, max) = builtin.integer_range();
                for (name, value) in [("minInclusive", min), ("maxInclusive", max)] {
                    if let Some(v) = value {
                        add(&mut out, name, v.to_string(), false, base);
                    }
                }
                if let Some(ws) = builtin_string_white_space(builtin) {
                    add(&mut out, "whiteSpace", ws.to_string(), false, base);
                }
                break;
            }
            for (name, value) in single_valued(&st.facets) {
                let fixed = st.facets.fixed.iter().any(|f| f == name);
                add(&mut out, name, value, fixed, base);
            }
            match st.variety {
                Variety::Restriction { base: next } => base = next,
                _ => break,
            }
        }
        out
    }
}

/// The whiteSpace of a built-in derived from `xs:string` (the others' is collapse, fixed,
/// which the facet applicability check already enforces).
fn builtin_string_white_space(builtin: Builtin) -> Option<&'static str> {
    match builtin {
        Builtin::String => Some("preserve"),
        Builtin::NormalizedString => Some("replace"),
        b if b.primitive() == Builtin::String && b.list_item().is_none() => Some("collapse"),
        _ => None,
    }
}

/// The single-valued facets of one step, values as written (whiteSpace as its keyword).
fn single_valued(f: &Facets) -> Vec<(&'static str, String)> {
    let count = |v: Option<u64>| v.map(|n| n.to_string());
    let digits = |v: Option<u32>| v.map(|n| n.to_string());
    let ws = f.white_space.map(|w| w.keyword().to_string());
    [
        ("length", count(f.length)),
        ("minLength", count(f.min_length)),
        ("maxLength", count(f.max_length)),
        ("totalDigits", digits(f.total_digits)),
        ("fractionDigits", digits(f.fraction_digits)),
        ("whiteSpace", ws),
        ("minInclusive", f.min_inclusive.clone()),
        ("minExclusive", f.min_exclusive.clone()),
        ("maxInclusive", f.max_inclusive.clone()),
        ("maxExclusive", f.max_exclusive.clone()),
    ]
    .into_iter()
    .filter_map(|(name, v)| v.map(|v| (name, v)))
    .collect()
}

/// The order of two values of facet `name` (bounds in the value space of `primitive`).
fn compare_facet(name: &str, primitive: Option<Builtin>, a: &str, b: &str) -> Option<Ordering> {
    match name {
        "whiteSpace" => {
            let rank = |v: &str| {
                ["preserve", "replace", "collapse"]
                    .iter()
                    .position(|w| *w == v)
            };
            Some(rank(a)?.cmp(&rank(b)?))
        }
        "minInclusive" | "minExclusive" | "maxInclusive" | "maxExclusive" => {
            compare(primitive?, a, b)
        }
        _ => Some(a.parse::<u64>().ok()?.cmp(&b.parse::<u64>().ok()?)),
    }
}

/// Whether two values of facet `name` are the same (by value where they are ordered here).
fn same(name: &str, primitive: Option<Builtin>, a: &str, b: &str) -> bool {
    match compare_facet(name, primitive, a, b) {
        Some(order) => order == Ordering::Equal,
        None => a.trim() == b.trim(),
    }
}

fn satisfied(need: Need, order: Ordering) -> bool {
    match need {
        Need::Eq => order == Ordering::Equal,
        Need::Le => order != Ordering::Greater,
        Need::Lt => order == Ordering::Less,
        Need::Ge => order != Ordering::Less,
        Need::Gt => order == Ordering::Greater,
    }
}
