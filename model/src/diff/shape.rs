//! How a simple type is seen from where it is used: its first named (or built-in) base and the
//! facets of the anonymous steps in between; labels and descriptions for messages.

use crate::ir::{Facets, Schema, SimpleTypeId, Variety, WhiteSpace};

/// How a simple type is built, seen from a place that uses it: the first named (or
/// built-in) type it restricts, plus the facets of the anonymous steps in between.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Shape {
    /// `xs:long`, a user type name, or `None` for anonymous list/union types.
    pub(crate) base: Option<String>,
    pub(crate) variety: ShapeVariety,
    pub(crate) facets: Merged,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ShapeVariety {
    Atomic,
    List(Option<String>),
    Union(Vec<Option<String>>),
}

/// Facets of several restriction steps, most derived value first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Merged {
    pub(crate) length: Option<u64>,
    pub(crate) min_length: Option<u64>,
    pub(crate) max_length: Option<u64>,
    /// Pattern sets, one per step that has patterns (most derived first).
    pub(crate) patterns: Vec<Vec<String>>,
    pub(crate) enumeration: Vec<String>,
    pub(crate) white_space: Option<WhiteSpace>,
    pub(crate) max_inclusive: Option<String>,
    pub(crate) max_exclusive: Option<String>,
    pub(crate) min_inclusive: Option<String>,
    pub(crate) min_exclusive: Option<String>,
    pub(crate) total_digits: Option<u32>,
    pub(crate) fraction_digits: Option<u32>,
}

impl Merged {
    fn add_step(&mut self, f: &Facets) {
        fn keep<T: Clone>(slot: &mut Option<T>, v: &Option<T>) {
            if slot.is_none() {
                slot.clone_from(v);
            }
        }
        keep(&mut self.length, &f.length);
        keep(&mut self.min_length, &f.min_length);
        keep(&mut self.max_length, &f.max_length);
        keep(&mut self.white_space, &f.white_space);
        keep(&mut self.max_inclusive, &f.max_inclusive);
        keep(&mut self.max_exclusive, &f.max_exclusive);
        keep(&mut self.min_inclusive, &f.min_inclusive);
        keep(&mut self.min_exclusive, &f.min_exclusive);
        keep(&mut self.total_digits, &f.total_digits);
        keep(&mut self.fraction_digits, &f.fraction_digits);
        if !f.patterns.is_empty() {
            self.patterns.push(f.patterns.clone());
        }
        if self.enumeration.is_empty() {
            self.enumeration.clone_from(&f.enumeration);
        }
    }
}

/// The name of a type as shown: `xs:long` for built-ins, the name for user types.
pub(crate) fn label(schema: &Schema, id: SimpleTypeId) -> Option<String> {
    let st = schema.simple_types.get(id.index())?;
    match (st.builtin, &st.name) {
        (Some(b), _) => Some(format!("xs:{}", b.name())),
        (None, Some(n)) => Some(n.clone()),
        (None, None) => None,
    }
}

/// Labels of `id` and every type it derives from by restriction, most derived first.
pub(crate) fn ancestors(schema: &Schema, id: SimpleTypeId) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = Some(id);
    let mut guard = 0;
    while let Some(c) = cur {
        guard += 1;
        if guard > 256 {
            break;
        }
        let Some(st) = schema.simple_types.get(c.index()) else {
            break;
        };
        if let Some(l) = label(schema, c) {
            out.push(l);
        }
        cur = match &st.variety {
            Variety::Restriction { base } => Some(*base),
            _ => None,
        };
    }
    out
}

/// The shape of a type as used somewhere. With `include_self`, the type's own step is
/// unfolded even when it is named (used when comparing a named type with itself).
pub(crate) fn shape(schema: &Schema, id: SimpleTypeId, include_self: bool) -> Shape {
    let mut facets = Merged::default();
    let mut cur = id;
    let mut first = true;
    for _ in 0..256 {
        let Some(st) = schema.simple_types.get(cur.index()) else {
            break;
        };
        let labelled = label(schema, cur);
        if let Some(l) = &labelled {
            if !(first && include_self && st.builtin.is_none()) {
                return Shape {
                    base: Some(l.clone()),
                    variety: ShapeVariety::Atomic,
                    facets,
                };
            }
        }
        first = false;
        facets.add_step(&st.facets);
        match &st.variety {
            Variety::Restriction { base } => cur = *base,
            Variety::AnySimple => break,
            Variety::List { item } => {
                return Shape {
                    base: None,
                    variety: ShapeVariety::List(label(schema, *item)),
                    facets,
                }
            }
            Variety::Union { members } => {
                return Shape {
                    base: None,
                    variety: ShapeVariety::Union(
                        members.iter().map(|m| label(schema, *m)).collect(),
                    ),
                    facets,
                }
            }
        }
    }
    Shape {
        base: Some("xs:anySimpleType".into()),
        variety: ShapeVariety::Atomic,
        facets,
    }
}

/// A named or anonymous simple type's own definition, for messages: `a restriction of
/// xs:string (pattern [a-f0-9]+)`.
pub(crate) fn definition(schema: &Schema, id: SimpleTypeId) -> String {
    let s = shape(schema, id, true);
    let mut text = describe_unfolded(&s);
    let f = &s.facets;
    let mut parts: Vec<String> = Vec::new();
    if !f.enumeration.is_empty() {
        parts.push(format!("enumeration {}", f.enumeration.join("|")));
    }
    for p in &f.patterns {
        parts.push(format!("pattern {}", p.join(" | ")));
    }
    for (name, v) in [
        ("length", f.length),
        ("minLength", f.min_length),
        ("maxLength", f.max_length),
    ] {
        if let Some(v) = v {
            parts.push(format!("{name} {v}"));
        }
    }
    for (name, v) in [
        ("minInclusive", &f.min_inclusive),
        ("minExclusive", &f.min_exclusive),
        ("maxInclusive", &f.max_inclusive),
        ("maxExclusive", &f.max_exclusive),
    ] {
        if let Some(v) = v {
            parts.push(format!("{name} {v}"));
        }
    }
    for (name, v) in [
        ("totalDigits", f.total_digits),
        ("fractionDigits", f.fraction_digits),
    ] {
        if let Some(v) = v {
            parts.push(format!("{name} {v}"));
        }
    }
    if f.white_space.is_some() {
        parts.push(format!("whiteSpace {}", ws(f.white_space)));
    }
    if !parts.is_empty() {
        text.push_str(&format!(" ({})", parts.join(", ")));
    }
    text
}

/// The type of an element, for messages (`None` for DTD elements, whose type is their
/// declaration).
pub(crate) fn element_type_label(schema: &Schema, id: crate::ir::ElementId) -> Option<String> {
    if schema.kind == crate::ir::SchemaKind::Dtd {
        return None;
    }
    let decl = schema.elements.get(id.index())?;
    Some(match decl.ty {
        crate::ir::ElementType::Complex(c) => match &schema.complex_types.get(c.index())?.name {
            Some(n) => n.clone(),
            None => "anonymous complex type".to_string(),
        },
        crate::ir::ElementType::Simple(st) => describe(schema, st, &None),
        crate::ir::ElementType::Undeclared => return None,
    })
}

/// A type described for messages.
pub(crate) fn describe(schema: &Schema, id: SimpleTypeId, dtd_label: &Option<String>) -> String {
    if let Some(l) = dtd_label {
        return l.clone();
    }
    if let Some(l) = label(schema, id) {
        return l;
    }
    let s = shape(schema, id, false);
    let base = match &s.variety {
        ShapeVariety::Atomic => s.base.clone().unwrap_or_default(),
        ShapeVariety::List(item) => {
            format!("list of {}", item.as_deref().unwrap_or("anonymous type"))
        }
        ShapeVariety::Union(m) => format!(
            "union of {}",
            m.iter()
                .map(|x| x.as_deref().unwrap_or("anonymous type"))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    };
    if !s.facets.enumeration.is_empty() {
        format!("enumeration ({}) of {base}", s.facets.enumeration.join("|"))
    } else if s.facets != Merged::default() {
        format!("restricted {base}")
    } else {
        base
    }
}

pub(crate) fn describe_unfolded(s: &Shape) -> String {
    match &s.variety {
        ShapeVariety::Atomic => format!("a restriction of {}", s.base.as_deref().unwrap_or("?")),
        ShapeVariety::List(i) => {
            format!("a list of {}", i.as_deref().unwrap_or("an anonymous type"))
        }
        ShapeVariety::Union(m) => format!(
            "a union of {}",
            m.iter()
                .map(|x| x.as_deref().unwrap_or("an anonymous type"))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

/// A whiteSpace value for messages.
pub(crate) fn ws(w: Option<WhiteSpace>) -> &'static str {
    w.map_or("none", WhiteSpace::keyword)
}
