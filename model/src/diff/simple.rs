//! Simple-type changes: type widened/narrowed/changed, enumeration values, facets, patterns.

use crate::ir::{Facets, Schema, SimpleTypeId, Variety, WhiteSpace};

use super::walk::{Ctx, Differ};

/// How a simple type is built, seen from a place that uses it: the first named (or
/// built-in) type it restricts, plus the facets of the anonymous steps in between.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Shape {
    /// `xs:long`, a user type name, or `None` for anonymous list/union types.
    base: Option<String>,
    variety: ShapeVariety,
    facets: Merged,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum ShapeVariety {
    Atomic,
    List(Option<String>),
    Union(Vec<Option<String>>),
}

/// Facets of several restriction steps, most derived value first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Merged {
    length: Option<u64>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    /// Pattern sets, one per step that has patterns (most derived first).
    patterns: Vec<Vec<String>>,
    enumeration: Vec<String>,
    white_space: Option<WhiteSpace>,
    max_inclusive: Option<String>,
    max_exclusive: Option<String>,
    min_inclusive: Option<String>,
    min_exclusive: Option<String>,
    total_digits: Option<u32>,
    fraction_digits: Option<u32>,
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
fn ancestors(schema: &Schema, id: SimpleTypeId) -> Vec<String> {
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
fn shape(schema: &Schema, id: SimpleTypeId, include_self: bool) -> Shape {
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
fn describe(schema: &Schema, id: SimpleTypeId, dtd_label: &Option<String>) -> String {
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

impl Differ<'_> {
    /// Compare the types of an element, attribute or simple content found at `ctx`.
    /// Types with the same name are not unfolded (named types are compared at `type:NAME`).
    pub(crate) fn compare_simple_refs(
        &mut self,
        ctx: &Ctx,
        a: SimpleTypeId,
        b: SimpleTypeId,
        old_dtd: Option<String>,
        new_dtd: Option<String>,
    ) {
        let (la, lb) = (label(self.old, a), label(self.new, b));
        if la.is_some() && la == lb {
            if old_dtd != new_dtd {
                // Same base type, different DTD type keyword (cannot happen for built-ins
                // other than through enumerations, which are anonymous).
                self.emit_here(
                    "type-changed",
                    ctx,
                    format!(
                        "type of {} changed from {} to {}",
                        ctx.path,
                        show(&old_dtd),
                        show(&new_dtd)
                    ),
                );
            }
            return;
        }
        let (os, ns) = (shape(self.old, a, false), shape(self.new, b, false));
        if let (Some(x), Some(y)) = (&la, &lb) {
            let user = |s: &Schema, id: SimpleTypeId| s.simple_type(id).builtin.is_none();
            if user(self.old, a)
                && user(self.new, b)
                && shape(self.old, a, true) == shape(self.new, b, true)
            {
                self.emit_here(
                    "type-reference-changed",
                    ctx,
                    format!(
                        "{} now refers to type {y} instead of {x} (same definition)",
                        ctx.path
                    ),
                );
                return;
            }
        }
        let od = describe(self.old, a, &old_dtd);
        let nd = describe(self.new, b, &new_dtd);
        self.compare_shapes(ctx, &os, &ns, (a, b), (&od, &nd));
    }

    /// Compare a named simple type with its namesake.
    pub(crate) fn compare_named_simple(&mut self, ctx: &Ctx, a: SimpleTypeId, b: SimpleTypeId) {
        let (oa, nb) = (self.old.simple_type(a), self.new.simple_type(b));
        if oa.documentation != nb.documentation {
            self.emit_here(
                "documentation-changed",
                ctx,
                format!("documentation of {} changed", ctx.path),
            );
        }
        let (os, ns) = (shape(self.old, a, true), shape(self.new, b, true));
        let od = describe_unfolded(&os);
        let nd = describe_unfolded(&ns);
        self.compare_shapes(ctx, &os, &ns, (a, b), (&od, &nd));
    }

    fn compare_shapes(
        &mut self,
        ctx: &Ctx,
        os: &Shape,
        ns: &Shape,
        ids: (SimpleTypeId, SimpleTypeId),
        desc: (&str, &str),
    ) {
        if os == ns {
            return;
        }
        let what = &ctx.path;
        if os.variety != ns.variety || os.base != ns.base {
            let rule = match (&os.variety, &ns.variety, &os.base, &ns.base) {
                (ShapeVariety::Atomic, ShapeVariety::Atomic, Some(ob), Some(nb)) => {
                    let new_anc = ancestors(self.new, ids.1);
                    let old_anc = ancestors(self.old, ids.0);
                    // Narrowed: the new type derives from the old one, which had no extra facets.
                    let narrowing = new_anc.contains(ob) && os.facets == Merged::default();
                    // Widened: the old type derives from the new one, which has no extra facets.
                    let widening = old_anc.contains(nb) && ns.facets == Merged::default();
                    if narrowing {
                        "type-narrowed"
                    } else if widening {
                        "type-widened"
                    } else {
                        "type-changed"
                    }
                }
                _ => "type-changed",
            };
            self.emit_here(
                rule,
                ctx,
                format!("type of {what} changed from {} to {}", desc.0, desc.1),
            );
            return;
        }
        self.compare_facets(ctx, &os.facets, &ns.facets);
    }

    fn compare_facets(&mut self, ctx: &Ctx, o: &Merged, n: &Merged) {
        let what = ctx.path.clone();
        // Enumerations.
        match (o.enumeration.is_empty(), n.enumeration.is_empty()) {
            (true, false) => self.emit_here(
                "type-narrowed",
                ctx,
                format!(
                    "values of {what} restricted to the enumeration ({})",
                    n.enumeration.join("|")
                ),
            ),
            (false, true) => self.emit_here(
                "type-widened",
                ctx,
                format!(
                    "values of {what} no longer restricted to the enumeration ({})",
                    o.enumeration.join("|")
                ),
            ),
            (false, false) => {
                for v in n.enumeration.iter().filter(|v| !o.enumeration.contains(v)) {
                    self.emit_here(
                        "enum-value-added",
                        ctx,
                        format!("enumeration value {v} added to {what}"),
                    );
                }
                for v in o.enumeration.iter().filter(|v| !n.enumeration.contains(v)) {
                    self.emit_here(
                        "enum-value-removed",
                        ctx,
                        format!("enumeration value {v} removed from {what}"),
                    );
                }
            }
            (true, true) => {}
        }
        // Patterns.
        if o.patterns != n.patterns {
            let show = |p: &Vec<Vec<String>>| {
                p.iter()
                    .map(|s| s.join(" | "))
                    .collect::<Vec<_>>()
                    .join(" and ")
            };
            let (rule, text) = match (o.patterns.is_empty(), n.patterns.is_empty()) {
                (true, _) => (
                    "pattern-added",
                    format!("pattern {} added to {what}", show(&n.patterns)),
                ),
                (_, true) => (
                    "pattern-removed",
                    format!("pattern {} removed from {what}", show(&o.patterns)),
                ),
                _ => (
                    "pattern-changed",
                    format!(
                        "pattern of {what} changed from {} to {}",
                        show(&o.patterns),
                        show(&n.patterns)
                    ),
                ),
            };
            self.emit_here(rule, ctx, text);
        }
        // Length family: smaller max / larger min is tighter.
        self.bound(
            ctx,
            "length",
            o.length.map(|v| v as f64),
            n.length.map(|v| v as f64),
            Dir::Exact,
        );
        self.bound(
            ctx,
            "minLength",
            o.min_length.map(|v| v as f64),
            n.min_length.map(|v| v as f64),
            Dir::Min,
        );
        self.bound(
            ctx,
            "maxLength",
            o.max_length.map(|v| v as f64),
            n.max_length.map(|v| v as f64),
            Dir::Max,
        );
        self.bound(
            ctx,
            "totalDigits",
            o.total_digits.map(f64::from),
            n.total_digits.map(f64::from),
            Dir::Max,
        );
        self.bound(
            ctx,
            "fractionDigits",
            o.fraction_digits.map(f64::from),
            n.fraction_digits.map(f64::from),
            Dir::Max,
        );
        for (name, ov, nv, dir) in [
            ("minInclusive", &o.min_inclusive, &n.min_inclusive, Dir::Min),
            ("minExclusive", &o.min_exclusive, &n.min_exclusive, Dir::Min),
            ("maxInclusive", &o.max_inclusive, &n.max_inclusive, Dir::Max),
            ("maxExclusive", &o.max_exclusive, &n.max_exclusive, Dir::Max),
        ] {
            if ov == nv {
                continue;
            }
            let parse = |v: &Option<String>| v.as_ref().map(|s| s.trim().parse::<f64>());
            match (parse(ov), parse(nv)) {
                (Some(Err(_)), _) | (_, Some(Err(_))) => {
                    self.emit_here(
                        "facet-changed",
                        ctx,
                        format!("{name} of {what} changed from {} to {}", opt(ov), opt(nv)),
                    );
                }
                (a, b) => {
                    let a = a.and_then(Result::ok);
                    let b = b.and_then(Result::ok);
                    self.bound_with_text(ctx, name, a, b, dir, (opt(ov), opt(nv)));
                }
            }
        }
        if o.white_space != n.white_space {
            let rank = |w: Option<WhiteSpace>| match w {
                None | Some(WhiteSpace::Preserve) => 0,
                Some(WhiteSpace::Replace) => 1,
                Some(WhiteSpace::Collapse) => 2,
            };
            let rule = if rank(n.white_space) > rank(o.white_space) {
                "facet-relaxed"
            } else {
                "facet-tightened"
            };
            self.emit_here(
                rule,
                ctx,
                format!(
                    "whiteSpace of {what} changed from {} to {}",
                    ws(o.white_space),
                    ws(n.white_space)
                ),
            );
        }
    }

    fn bound(&mut self, ctx: &Ctx, name: &str, o: Option<f64>, n: Option<f64>, dir: Dir) {
        let text = (
            o.map(num).unwrap_or_else(|| "none".into()),
            n.map(num).unwrap_or_else(|| "none".into()),
        );
        self.bound_with_text(ctx, name, o, n, dir, text);
    }

    fn bound_with_text(
        &mut self,
        ctx: &Ctx,
        name: &str,
        o: Option<f64>,
        n: Option<f64>,
        dir: Dir,
        text: (String, String),
    ) {
        let rule = match (o, n) {
            (None, None) => return,
            (Some(a), Some(b)) if a == b => return,
            (None, Some(_)) => "facet-tightened",
            (Some(_), None) => "facet-relaxed",
            (Some(a), Some(b)) => match dir {
                Dir::Exact => "facet-changed",
                Dir::Min if b > a => "facet-tightened",
                Dir::Min => "facet-relaxed",
                Dir::Max if b < a => "facet-tightened",
                Dir::Max => "facet-relaxed",
            },
        };
        let verb = match rule {
            "facet-tightened" => "tightened",
            "facet-relaxed" => "relaxed",
            _ => "changed",
        };
        self.emit_here(
            rule,
            ctx,
            format!(
                "{name} of {} {verb} from {} to {}",
                ctx.path, text.0, text.1
            ),
        );
    }
}

#[derive(Clone, Copy)]
enum Dir {
    Exact,
    Min,
    Max,
}

fn num(v: f64) -> String {
    format!("{v}")
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "none".into())
}

fn show(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "(unknown)".into())
}

fn ws(w: Option<WhiteSpace>) -> &'static str {
    match w {
        None => "none",
        Some(WhiteSpace::Preserve) => "preserve",
        Some(WhiteSpace::Replace) => "replace",
        Some(WhiteSpace::Collapse) => "collapse",
    }
}

fn describe_unfolded(s: &Shape) -> String {
    match &s.variety {
        ShapeVariety::Atomic => format!("a restriction of {}", s.base.as_deref().unwrap_or("?")),
        ShapeVariety::List(i) => {
            format!("a list of {}", i.as_deref().unwrap_or("an anonymous type"))
        }
        ShapeVariety::Union(_) => "a union".to_string(),
    }
}
