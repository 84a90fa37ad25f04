//! Content-model changes: children added/removed, occurrences, order, choice branches, and
//! the language comparison of the automata (widened, narrowed, incomparable, rewritten).

use crate::ir::{ElementId, ElementScope, MaxOccurs, Particle, Schema, Term};
use crate::location::Location;

use super::shape::element_type_label;
use super::walk::{Ctx, Differ};

/// One child position of a flattened content model.
#[derive(Clone, Debug)]
struct Slot {
    /// `name` (or `{ns}name`), or `*` for a wildcard.
    key: String,
    /// Which occurrence of `key` this is (0 for the first).
    nth: usize,
    element: Option<ElementId>,
    min: u32,
    max: MaxOccurs,
    /// Directly or indirectly an alternative of a choice with several branches.
    in_choice: bool,
    /// Inside an `xs:all` (order free).
    in_all: bool,
    location: Location,
}

fn mul_max(a: MaxOccurs, b: MaxOccurs) -> MaxOccurs {
    match (a, b) {
        (MaxOccurs::Bounded(0), _) | (_, MaxOccurs::Bounded(0)) => MaxOccurs::Bounded(0),
        (MaxOccurs::Bounded(x), MaxOccurs::Bounded(y)) => MaxOccurs::Bounded(x.saturating_mul(y)),
        _ => MaxOccurs::Unbounded,
    }
}

fn flatten(schema: &Schema, p: &Particle) -> Vec<Slot> {
    let mut out = Vec::new();
    walk(schema, p, 1, MaxOccurs::Bounded(1), false, false, &mut out);
    let mut seen: Vec<String> = Vec::new();
    for s in &mut out {
        s.nth = seen.iter().filter(|k| **k == s.key).count();
        seen.push(s.key.clone());
    }
    out
}

fn walk(
    schema: &Schema,
    p: &Particle,
    min: u32,
    max: MaxOccurs,
    in_choice: bool,
    in_all: bool,
    out: &mut Vec<Slot>,
) {
    let min = min.saturating_mul(p.min);
    let max = mul_max(max, p.max);
    match &p.term {
        Term::Element(e) => {
            let (key, loc) = match schema.elements.get(e.index()) {
                Some(d) => (
                    match &d.namespace {
                        Some(ns)
                            if schema.kind == crate::ir::SchemaKind::Xsd
                                && Some(ns) != schema.target_namespace.as_ref() =>
                        {
                            format!("{{{ns}}}{}", d.name)
                        }
                        _ => d.name.clone(),
                    },
                    p.location,
                ),
                None => ("?".to_string(), p.location),
            };
            out.push(Slot {
                key,
                nth: 0,
                element: Some(*e),
                min,
                max,
                in_choice,
                in_all,
                location: loc,
            });
        }
        Term::Any(_) => out.push(Slot {
            key: "*".to_string(),
            nth: 0,
            element: None,
            min,
            max,
            in_choice,
            in_all,
            location: p.location,
        }),
        Term::Sequence(ps) => {
            for c in ps {
                walk(schema, c, min, max, in_choice, in_all, out);
            }
        }
        Term::All(ps) => {
            for c in ps {
                walk(schema, c, min, max, in_choice, true, out);
            }
        }
        Term::Choice(ps) => {
            let branching = ps.len() > 1;
            let child_min = if branching { 0 } else { min };
            for c in ps {
                walk(
                    schema,
                    c,
                    child_min,
                    max,
                    in_choice || branching,
                    in_all,
                    out,
                );
            }
        }
    }
}

fn show_max(max: MaxOccurs) -> String {
    match max {
        MaxOccurs::Bounded(m) => m.to_string(),
        MaxOccurs::Unbounded => "unbounded".to_string(),
    }
}

fn show_occurs(min: u32, max: MaxOccurs) -> String {
    match max {
        MaxOccurs::Bounded(m) => format!("{min}..{m}"),
        MaxOccurs::Unbounded => format!("{min}..*"),
    }
}

impl Differ<'_> {
    /// Compare the content models of two complex types found at `ctx`.
    pub(crate) fn compare_content_models(&mut self, ctx: &Ctx, op: &Particle, np: &Particle) {
        let (old, new) = (self.old, self.new);
        let os = flatten(old, op);
        let ns = flatten(new, np);
        let start = self.changes.len();
        let mut paired: Vec<(usize, usize)> = Vec::new();
        for (i, o) in os.iter().enumerate() {
            match ns.iter().position(|n| n.key == o.key && n.nth == o.nth) {
                Some(j) => paired.push((i, j)),
                None => {
                    let (rule, kind) = if o.in_choice {
                        ("choice-branch-removed", "choice branch")
                    } else if o.min == 0 {
                        ("child-optional-removed", "optional child")
                    } else {
                        ("child-required-removed", "required child")
                    };
                    let path = format!("{}/{}", ctx.path, o.key);
                    let old_site = Some(self.old_site(&path, o.location));
                    let new_site = Some(self.new_site(&ctx.path, ctx.new_loc));
                    self.emit(
                        rule,
                        ctx,
                        path,
                        old_site,
                        new_site,
                        format!("{kind} {} removed from {}", o.key, ctx.path),
                    );
                }
            }
        }
        for n in &ns {
            if os.iter().any(|o| o.key == n.key && o.nth == n.nth) {
                continue;
            }
            let (rule, kind) = if n.in_choice {
                ("choice-branch-added", "choice branch")
            } else if n.min == 0 {
                ("child-optional-added", "optional child")
            } else {
                ("child-required-added", "required child")
            };
            let path = format!("{}/{}", ctx.path, n.key);
            let old_site = Some(self.old_site(&ctx.path, ctx.old_loc));
            let new_site = Some(self.new_site(&path, n.location));
            let typed = n
                .element
                .and_then(|e| element_type_label(new, e))
                .map(|t| format!(" (type {t})"))
                .unwrap_or_default();
            self.emit(
                rule,
                ctx,
                path,
                old_site,
                new_site,
                format!("{kind} {}{typed} added to {}", n.key, ctx.path),
            );
        }
        for &(i, j) in &paired {
            let (o, n) = (&os[i], &ns[j]);
            let cctx = ctx.child(&o.key, o.location, n.location);
            self.compare_occurrences(&cctx, o, n);
        }
        // Order of the children of sequences (not choices, not xs:all).
        let ordered: Vec<(usize, usize)> = paired
            .iter()
            .copied()
            .filter(|&(i, j)| {
                !os[i].in_choice && !os[i].in_all && !ns[j].in_choice && !ns[j].in_all
            })
            .collect();
        if ordered.windows(2).any(|w| w[0].1 > w[1].1) {
            let old_order: Vec<&str> = ordered.iter().map(|&(i, _)| os[i].key.as_str()).collect();
            let mut by_new = ordered.clone();
            by_new.sort_by_key(|&(_, j)| j);
            let new_order: Vec<&str> = by_new.iter().map(|&(i, _)| os[i].key.as_str()).collect();
            self.emit_here(
                "sequence-reordered",
                ctx,
                format!(
                    "children of {} reordered from ({}) to ({})",
                    ctx.path,
                    old_order.join(", "),
                    new_order.join(", ")
                ),
            );
        }
        self.check_language(ctx, op, np, start);
        // Descend into local element declarations paired by path.
        for &(i, j) in &paired {
            let (o, n) = (&os[i], &ns[j]);
            let (Some(oe), Some(ne)) = (o.element, n.element) else {
                continue;
            };
            let local =
                |s: &Schema, e: ElementId| matches!(s.element(e).scope, ElementScope::Local(_));
            if local(old, oe) || local(new, ne) {
                let cctx = ctx.child(&o.key, old.element(oe).location, new.element(ne).location);
                self.compare_elements(&cctx, oe, ne);
            }
        }
    }

    fn compare_occurrences(&mut self, ctx: &Ctx, o: &Slot, n: &Slot) {
        if o.min == n.min && o.max == n.max {
            return;
        }
        let range = format!(
            "{} to {}",
            show_occurs(o.min, o.max),
            show_occurs(n.min, n.max)
        );
        let name = &o.key;
        let min_rule = match (o.min, n.min) {
            (a, b) if a == b => None,
            (a, 0) if a > 0 => Some("child-became-optional"),
            (0, _) => Some("child-became-required"),
            (a, b) if b < a => Some("occurrence-relaxed"),
            _ => Some("occurrence-tightened"),
        };
        let max_rule = match (o.max, n.max) {
            (a, b) if a == b => None,
            (a, b) if b > a => Some("occurrence-relaxed"),
            _ => Some("occurrence-tightened"),
        };
        let min_text = format!(
            "minOccurs of child {name} changed from {} to {} ({range})",
            o.min, n.min
        );
        let max_text = format!(
            "maxOccurs of child {name} changed from {} to {} ({range})",
            show_max(o.max),
            show_max(n.max)
        );
        match (min_rule, max_rule) {
            (Some(a), Some(b)) if a == b => {
                self.emit_here(
                    a,
                    ctx,
                    format!("occurrences of child {name} changed from {range}"),
                );
            }
            (a, b) => {
                if let Some(a) = a {
                    self.emit_here(a, ctx, min_text);
                }
                if let Some(b) = b {
                    self.emit_here(b, ctx, max_text);
                }
            }
        }
    }
}
