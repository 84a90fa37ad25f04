//! What [`super::SimpleTypeChecker::new`] precomputes per simple type: its shape (atomic,
//! list, union), effective whiteSpace and the facets of every derivation step.

use std::collections::HashMap;
use std::sync::OnceLock;

use qschema_model::xsd_regex::RegexError;
use qschema_model::{Builtin, Facets, Schema, SimpleTypeId, Variety, WhiteSpace};
use regex::Regex;

use super::value::Value;
use super::whitespace;

/// What kind of values a type has.
#[derive(Clone, Debug)]
pub(crate) enum Shape {
    /// A restriction (possibly indirect) of this built-in atomic type.
    Atomic(Builtin),
    /// A list of `item`; `non_empty` for the list built-ins (`NMTOKENS` & co. have minLength 1).
    List { item: SimpleTypeId, non_empty: bool },
    /// A union; members tried in order.
    Union(Vec<SimpleTypeId>),
    /// The type cannot be checked (derivation cycle, dangling id); the message says why.
    Broken(String),
}

/// A min/max bound facet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BoundKind {
    MinInclusive,
    MinExclusive,
    MaxInclusive,
    MaxExclusive,
}

impl BoundKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            BoundKind::MinInclusive => "minInclusive",
            BoundKind::MinExclusive => "minExclusive",
            BoundKind::MaxInclusive => "maxInclusive",
            BoundKind::MaxExclusive => "maxExclusive",
        }
    }
}

/// A bound: the literal as written and its value (parsed on first use).
#[derive(Debug)]
pub(crate) struct Bound {
    pub kind: BoundKind,
    pub literal: String,
    pub value: OnceLock<Option<Value>>,
}

/// A compiled `xs:pattern`.
#[derive(Debug)]
pub(crate) struct Pattern {
    pub source: String,
    pub regex: Regex,
}

/// The facets of one derivation step.
#[derive(Debug, Default)]
pub(crate) struct Step {
    pub ty: Option<SimpleTypeId>,
    pub length: Option<u64>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    /// OR-ed within the step.
    pub patterns: Vec<Pattern>,
    pub enumeration: Vec<String>,
    /// The schema's namespace bindings at the enumeration (for QName and NOTATION literals).
    pub enumeration_namespaces: Vec<(String, String)>,
    /// Enumeration values parsed on first use (`None` for literals outside the value space).
    pub enumeration_values: OnceLock<Vec<Option<Value>>>,
    pub bounds: Vec<Bound>,
    pub total_digits: Option<u32>,
    pub fraction_digits: Option<u32>,
}

/// Everything needed to check values of one type.
#[derive(Debug)]
pub(crate) struct Plan {
    pub shape: Shape,
    pub white_space: WhiteSpace,
    /// Most derived first.
    pub steps: Vec<Step>,
    /// `xs:long`, `uniqueIdType`, or `None` for anonymous types.
    pub label: Option<String>,
}

/// A problem found while building plans.
pub(crate) struct BuildProblem {
    pub ty: SimpleTypeId,
    pub message: String,
}

/// The display label of a type.
pub(crate) fn label(schema: &Schema, id: SimpleTypeId) -> Option<String> {
    let st = schema.simple_types.get(id.index())?;
    match (st.builtin, &st.name) {
        (Some(b), _) => Some(format!("xs:{}", b.name())),
        (None, Some(name)) => Some(name.clone()),
        (None, None) => None,
    }
}

/// Build the plan of `id`; pattern errors are pushed to `problems`.
/// Compiled patterns by source, so a pattern shared by many derived types compiles once.
pub(crate) type PatternCache = HashMap<String, Result<Regex, RegexError>>;

pub(crate) fn build(
    schema: &Schema,
    id: SimpleTypeId,
    problems: &mut Vec<BuildProblem>,
    cache: &mut PatternCache,
) -> Plan {
    let label = label(schema, id);
    let mut chain = Vec::new();
    let mut current = id;
    let shape = loop {
        let Some(st) = schema.simple_types.get(current.index()) else {
            break Shape::Broken(format!(
                "it refers to simple type #{} which does not exist",
                current.0
            ));
        };
        if chain.len() > schema.simple_types.len() {
            break Shape::Broken("its derivation is circular".to_string());
        }
        chain.push(current);
        if let Some(b) = st.builtin {
            break match b.list_item() {
                Some(item) => Shape::List {
                    item: item.id(),
                    non_empty: true,
                },
                None => Shape::Atomic(b),
            };
        }
        match &st.variety {
            Variety::AnySimple => break Shape::Atomic(Builtin::AnySimpleType),
            Variety::Restriction { base } => current = *base,
            Variety::List { item } => {
                break Shape::List {
                    item: *item,
                    non_empty: false,
                }
            }
            Variety::Union { members } => break Shape::Union(members.clone()),
        }
    };
    let dangling = match &shape {
        Shape::List { item, .. } => vec![*item],
        Shape::Union(members) => members.clone(),
        _ => Vec::new(),
    }
    .into_iter()
    .find(|t| schema.simple_types.get(t.index()).is_none());
    let shape = match dangling {
        Some(t) => Shape::Broken(format!("its item or member type #{} does not exist", t.0)),
        None => shape,
    };
    if let Shape::Broken(message) = &shape {
        problems.push(BuildProblem {
            ty: id,
            message: message.clone(),
        });
    }
    let declared_ws = chain
        .iter()
        .filter_map(|t| schema.simple_types.get(t.index()))
        .find_map(|st| st.facets.white_space);
    let white_space = declared_ws.unwrap_or(match &shape {
        Shape::Atomic(b) => whitespace::builtin_default(*b),
        _ => WhiteSpace::Collapse,
    });
    let before = problems.len();
    let steps = chain
        .iter()
        .filter_map(|&t| Some((t, &schema.simple_types.get(t.index())?.facets)))
        .filter(|(_, f)| **f != Facets::default())
        .map(|(t, f)| build_step(t, f, problems, cache))
        .collect();
    // A type with an unusable pattern must not silently accept everything.
    let shape = match problems.get(before) {
        Some(p) => Shape::Broken(p.message.clone()),
        None => shape,
    };
    Plan {
        shape,
        white_space,
        steps,
        label,
    }
}

fn build_step(
    ty: SimpleTypeId,
    f: &Facets,
    problems: &mut Vec<BuildProblem>,
    cache: &mut PatternCache,
) -> Step {
    let mut patterns = Vec::new();
    for source in &f.patterns {
        let compiled = cache
            .entry(source.clone())
            .or_insert_with(|| qschema_model::xsd_regex::compile(source))
            .clone();
        match compiled {
            Ok(regex) => patterns.push(Pattern {
                source: source.clone(),
                regex,
            }),
            Err(e) => problems.push(BuildProblem {
                ty,
                message: format!("pattern '{source}': {e}"),
            }),
        }
    }
    let bound = |kind, literal: &Option<String>| {
        literal.as_ref().map(|l| Bound {
            kind,
            literal: l.clone(),
            value: OnceLock::new(),
        })
    };
    let bounds = [
        bound(BoundKind::MinInclusive, &f.min_inclusive),
        bound(BoundKind::MinExclusive, &f.min_exclusive),
        bound(BoundKind::MaxInclusive, &f.max_inclusive),
        bound(BoundKind::MaxExclusive, &f.max_exclusive),
    ]
    .into_iter()
    .flatten()
    .collect();
    Step {
        ty: Some(ty),
        length: f.length,
        min_length: f.min_length,
        max_length: f.max_length,
        patterns,
        enumeration: f.enumeration.clone(),
        enumeration_namespaces: f.enumeration_namespaces.clone(),
        enumeration_values: OnceLock::new(),
        bounds,
        total_digits: f.total_digits,
        fraction_digits: f.fraction_digits,
    }
}
