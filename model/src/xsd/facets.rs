//! Constraining facets: reading each XSD 1.0 facet of one derivation step (values as
//! written, `fixed="true"` recorded), and checking them once every type is lowered: facets
//! the base's variety/primitive does not have, lexically bad bounds and enumeration values,
//! and contradictory combinations within one step.

use std::cmp::Ordering;
use std::collections::HashSet;

use roxmltree::Node;

use super::lexical::lexical_problem;
use super::lower::Lowerer;
use super::ordering::compare;
use super::values::{parse_bool, parse_u64, show, xsd_name};
use crate::ir::{Builtin, Facets, SimpleTypeId, Variety, WhiteSpace};

/// The XSD 1.0 facet element names.
pub(crate) const FACETS: &[&str] = &[
    "length",
    "minLength",
    "maxLength",
    "pattern",
    "enumeration",
    "whiteSpace",
    "maxInclusive",
    "maxExclusive",
    "minInclusive",
    "minExclusive",
    "totalDigits",
    "fractionDigits",
];

/// What a facet's base type is, as far as facet applicability goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BaseKind {
    /// `xs:anySimpleType` itself.
    AnySimple,
    /// A list type.
    List,
    /// A union type.
    Union,
    /// An atomic type with this primitive; `integer` when derived from `xs:integer`.
    Atomic { primitive: Builtin, integer: bool },
}

impl<'a, 'i> Lowerer<'a, 'i> {
    /// Read the facet children of a restriction step of simple type `id`.
    pub(crate) fn facets(&mut self, d: usize, nodes: &[Node<'a, 'i>], id: SimpleTypeId) -> Facets {
        let mut f = Facets::default();
        let mut seen: Vec<&'static str> = Vec::new();
        for node in nodes {
            let Some(kind) = xsd_name(*node).and_then(|n| FACETS.iter().copied().find(|f| *f == n))
            else {
                self.error_at(
                    d,
                    *node,
                    format!("unexpected {} in <xs:restriction>", show(*node)),
                );
                continue;
            };
            self.check_attributes(d, *node, &["id", "value", "fixed"]);
            let _ = self.documentation(d, *node);
            let at = self.loc(d, *node);
            let Some(value) = node.attribute("value") else {
                self.error_at(d, *node, format!("<xs:{kind}> needs a value attribute"));
                continue;
            };
            if kind != "pattern" && kind != "enumeration" {
                if seen.contains(&kind) {
                    self.error_at(
                        d,
                        *node,
                        format!("<xs:{kind}> appears twice in one restriction"),
                    );
                    continue;
                }
                seen.push(kind);
            }
            match node.attribute("fixed").map(|v| (v, parse_bool(v))) {
                None | Some((_, Some(false))) => {}
                Some((_, Some(true))) => f.fixed.push(kind.to_string()),
                Some((v, None)) => {
                    self.error_at(d, *node, format!("fixed=\"{v}\" is not a boolean"))
                }
            }
            self.facet_sites.entry(id).or_default().push((kind, at));
            let bad = |what: &str| format!("<xs:{kind}> value '{value}' is not {what}");
            match kind {
                "length" | "minLength" | "maxLength" => match parse_u64(value) {
                    Some(n) => match kind {
                        "length" => f.length = Some(n),
                        "minLength" => f.min_length = Some(n),
                        _ => f.max_length = Some(n),
                    },
                    None => self.error_at(d, *node, bad("a non-negative integer")),
                },
                "totalDigits" => match parse_u64(value).and_then(|n| u32::try_from(n).ok()) {
                    Some(n) if n > 0 => f.total_digits = Some(n),
                    _ => self.error_at(d, *node, bad("a positive integer")),
                },
                "fractionDigits" => match parse_u64(value).and_then(|n| u32::try_from(n).ok()) {
                    Some(n) => f.fraction_digits = Some(n),
                    None => self.error_at(d, *node, bad("a non-negative integer")),
                },
                "whiteSpace" => match value.trim() {
                    "preserve" => f.white_space = Some(WhiteSpace::Preserve),
                    "replace" => f.white_space = Some(WhiteSpace::Replace),
                    "collapse" => f.white_space = Some(WhiteSpace::Collapse),
                    _ => self.error_at(d, *node, bad("preserve, replace or collapse")),
                },
                "pattern" => {
                    if let Err(e) = super::patterns::check_pattern(value) {
                        self.error_at(d, *node, format!("invalid pattern '{value}': {e}"));
                    }
                    f.patterns.push(value.to_string());
                }
                "enumeration" => {
                    if f.enumeration.is_empty() {
                        f.enumeration_namespaces = node
                            .namespaces()
                            .map(|ns| (ns.name().unwrap_or("").to_string(), ns.uri().to_string()))
                            .collect();
                    }
                    f.enumeration.push(value.to_string())
                }
                "maxInclusive" => f.max_inclusive = Some(value.to_string()),
                "maxExclusive" => f.max_exclusive = Some(value.to_string()),
                "minInclusive" => f.min_inclusive = Some(value.to_string()),
                _ => f.min_exclusive = Some(value.to_string()),
            }
        }
        self.check_facet_combinations(&f, id);
        f
    }

    /// Contradictions within one step that need no knowledge of the base.
    fn check_facet_combinations(&mut self, f: &Facets, id: SimpleTypeId) {
        let site = |me: &Self, name: &str| me.facet_location(id, name);
        if f.length.is_some() && (f.min_length.is_some() || f.max_length.is_some()) {
            let at = site(self, "length");
            self.diags.error(
                at,
                "length cannot be combined with minLength or maxLength in one restriction",
            );
        }
        if let (Some(min), Some(max)) = (f.min_length, f.max_length) {
            if min > max {
                let at = site(self, "minLength");
                self.diags.error(
                    at,
                    format!("minLength ({min}) is greater than maxLength ({max})"),
                );
            }
        }
        if let (Some(frac), Some(total)) = (f.fraction_digits, f.total_digits) {
            if frac > total {
                let at = site(self, "fractionDigits");
                self.diags.error(
                    at,
                    format!("fractionDigits ({frac}) is greater than totalDigits ({total})"),
                );
            }
        }
        if f.min_inclusive.is_some() && f.min_exclusive.is_some() {
            let at = site(self, "minExclusive");
            self.diags.error(
                at,
                "minInclusive and minExclusive cannot both be given in one restriction",
            );
        }
        if f.max_inclusive.is_some() && f.max_exclusive.is_some() {
            let at = site(self, "maxExclusive");
            self.diags.error(
                at,
                "maxInclusive and maxExclusive cannot both be given in one restriction",
            );
        }
    }

    /// Check the facets of one user simple type against its base (after all types are lowered).
    pub(crate) fn check_facets(&mut self, id: SimpleTypeId, circular: &HashSet<usize>) {
        let Some(st) = self.schema.simple_types.get(id.index()) else {
            return;
        };
        let Variety::Restriction { base } = st.variety else {
            return;
        };
        let facets = st.facets.clone();
        let Some(sites) = self.facet_sites.get(&id).cloned() else {
            return;
        };
        let kind = self.base_kind(base, circular);
        for (name, at) in &sites {
            if !allowed(kind, name) {
                let what = match kind {
                    BaseKind::List => "a list type".to_string(),
                    BaseKind::Union => "a union type".to_string(),
                    BaseKind::Atomic { primitive, .. } => {
                        let label = self.type_label(base);
                        let primitive = format!("xs:{}", primitive.name());
                        if label == primitive {
                            label
                        } else {
                            format!("{label} (derived from {primitive})")
                        }
                    }
                    BaseKind::AnySimple => "xs:anySimpleType".to_string(),
                };
                self.diags
                    .error(*at, format!("facet {name} does not apply to {what}"));
            }
        }
        let BaseKind::Atomic { primitive, integer } = kind else {
            if kind == BaseKind::List {
                self.check_facets_against_base(id, base, None);
            }
            return;
        };
        let mut values: Vec<(&str, &String)> = facets
            .enumeration
            .iter()
            .map(|v| ("enumeration", v))
            .collect();
        for (name, v) in [
            ("minInclusive", &facets.min_inclusive),
            ("minExclusive", &facets.min_exclusive),
            ("maxInclusive", &facets.max_inclusive),
            ("maxExclusive", &facets.max_exclusive),
        ] {
            if let Some(v) = v {
                values.push((name, v));
            }
        }
        let mut enum_index = 0;
        for (name, value) in values {
            let at = if name == "enumeration" {
                let at = sites
                    .iter()
                    .filter(|(n, _)| *n == "enumeration")
                    .nth(enum_index)
                    .map(|(_, l)| *l);
                enum_index += 1;
                at
            } else {
                sites.iter().find(|(n, _)| *n == name).map(|(_, l)| *l)
            };
            if let Some(expected) = lexical_problem(primitive, integer, value) {
                let at = at.unwrap_or_default();
                self.diags
                    .error(at, format!("{name} value '{value}' is not {expected}"));
            } else if primitive == Builtin::Notation && !self.names_notation(value) {
                let at = at.unwrap_or_default();
                self.diags.error(
                    at,
                    format!("{name} value '{value}' is not a declared <xs:notation>: the values of a NOTATION type are the declared notations (enumeration-valid-restriction)"),
                );
            }
        }
        let low = bound(&facets.min_inclusive, &facets.min_exclusive, "min");
        let high = bound(&facets.max_inclusive, &facets.max_exclusive, "max");
        if let (Some((low_name, l, low_ex)), Some((high_name, h, high_ex))) = (low, high) {
            let (low_name, high_name) = (low_name.as_str(), high_name.as_str());
            // min > max is an error; min = max only when exactly one is exclusive (Part 2,
            // 4.3.7-4.3.10: minInclusive <= maxInclusive, minExclusive <= maxExclusive,
            // minExclusive < maxInclusive, minInclusive < maxExclusive).
            let empty = match compare(primitive, l, h) {
                Some(Ordering::Greater) => true,
                Some(Ordering::Equal) => low_ex != high_ex,
                _ => false,
            };
            if empty {
                let at = self.facet_location(id, high_name);
                self.diags.error(
                    at,
                    format!("{low_name} {l} and {high_name} {h} leave no value allowed"),
                );
            }
        }
        if let Some(ws) = facets.white_space {
            if primitive != Builtin::String && ws != WhiteSpace::Collapse {
                let at = self.facet_location(id, "whiteSpace");
                let label = self.type_label(base);
                self.diags
                    .error(at, format!("whiteSpace of {label} is fixed to collapse"));
            }
        }
        self.check_facets_against_base(id, base, Some(primitive));
    }

    /// Whether the QName `value` names a declared notation (by its local part: notations are
    /// kept by name).
    fn names_notation(&self, value: &str) -> bool {
        let value = value.trim();
        let local = value.rsplit_once(':').map_or(value, |(_, l)| l);
        self.schema.notations.contains_key(local)
    }

    /// How a simple type is named in messages: `xs:int`, `Name`, or `an anonymous type`.
    pub(crate) fn type_label(&self, id: SimpleTypeId) -> String {
        match self.schema.simple_types.get(id.index()) {
            Some(st) => match (&st.builtin, &st.name) {
                (Some(b), _) => format!("xs:{}", b.name()),
                (None, Some(n)) => format!("'{n}'"),
                (None, None) => "an anonymous type".to_string(),
            },
            None => "an unknown type".to_string(),
        }
    }

    /// What `base` is, following restriction steps to a list, union or built-in.
    pub(crate) fn base_kind(&self, mut base: SimpleTypeId, circular: &HashSet<usize>) -> BaseKind {
        let mut integer = false;
        for _ in 0..10_000 {
            if circular.contains(&base.index()) {
                return BaseKind::AnySimple;
            }
            let Some(st) = self.schema.simple_types.get(base.index()) else {
                return BaseKind::AnySimple;
            };
            if let Some(b) = st.builtin {
                if b.list_item().is_some() {
                    return BaseKind::List;
                }
                if b == Builtin::AnySimpleType {
                    return BaseKind::AnySimple;
                }
                let mut x = b;
                while let Some(p) = x.base() {
                    if x == Builtin::Integer {
                        integer = true;
                    }
                    if p == Builtin::AnySimpleType {
                        break;
                    }
                    x = p;
                }
                return BaseKind::Atomic {
                    primitive: b.primitive(),
                    integer,
                };
            }
            match &st.variety {
                Variety::Restriction { base: b } => base = *b,
                Variety::List { .. } => return BaseKind::List,
                Variety::Union { .. } => return BaseKind::Union,
                Variety::AnySimple => return BaseKind::AnySimple,
            }
        }
        BaseKind::AnySimple
    }
}

/// The lower or upper bound of one step (`side`: "min" or "max"): the facet's name, its
/// value, and whether it is exclusive.
fn bound<'f>(
    inclusive: &'f Option<String>,
    exclusive: &'f Option<String>,
    side: &str,
) -> Option<(String, &'f String, bool)> {
    match (inclusive, exclusive) {
        (Some(v), _) => Some((format!("{side}Inclusive"), v, false)),
        (None, Some(v)) => Some((format!("{side}Exclusive"), v, true)),
        (None, None) => None,
    }
}

/// Whether facet `name` applies to a base of this kind (XSD 1.0 Part 2, 4.1.5 and the
/// fundamental facet tables).
fn allowed(kind: BaseKind, name: &str) -> bool {
    const LENGTHS: &[&str] = &["length", "minLength", "maxLength"];
    const BOUNDS: &[&str] = &[
        "minInclusive",
        "minExclusive",
        "maxInclusive",
        "maxExclusive",
    ];
    const DIGITS: &[&str] = &["totalDigits", "fractionDigits"];
    match kind {
        BaseKind::AnySimple => true,
        BaseKind::Union => matches!(name, "pattern" | "enumeration"),
        BaseKind::List => {
            LENGTHS.contains(&name) || matches!(name, "pattern" | "enumeration" | "whiteSpace")
        }
        BaseKind::Atomic { primitive, .. } => {
            use Builtin::*;
            if matches!(name, "pattern" | "whiteSpace") {
                return true;
            }
            match primitive {
                Boolean => false,
                String | AnyUri | QName | Notation | HexBinary | Base64Binary => {
                    LENGTHS.contains(&name) || name == "enumeration"
                }
                Decimal => {
                    BOUNDS.contains(&name) || DIGITS.contains(&name) || name == "enumeration"
                }
                _ => BOUNDS.contains(&name) || name == "enumeration",
            }
        }
    }
}
