//! Facet changes of a simple type: enumeration values, patterns, the length family, bounds,
//! digits and whiteSpace.

use crate::ir::{Builtin, WhiteSpace};
use crate::xsd::ordering;

use super::shape::{ws, Merged};
use super::walk::{Ctx, Differ};

impl Differ<'_> {
    /// Compare the facets of two versions of a type whose values are of `primitive` (when
    /// atomic): enumeration values by value (`1` and `1.0` are one decimal), then patterns,
    /// lengths, bounds, digits and whiteSpace.
    pub(crate) fn compare_facets(
        &mut self,
        ctx: &Ctx,
        o: &Merged,
        n: &Merged,
        primitive: Option<Builtin>,
    ) {
        let what = ctx.path.clone();
        let listed = |values: &[String], v: &str| match primitive {
            Some(p) => values.iter().any(|e| ordering::same_value(p, e, v)),
            None => values.iter().any(|e| e == v),
        };
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
                for v in n.enumeration.iter().filter(|v| !listed(&o.enumeration, v)) {
                    self.emit_here(
                        "enum-value-added",
                        ctx,
                        format!("enumeration value {v} added to {what}"),
                    );
                }
                for v in o.enumeration.iter().filter(|v| !listed(&n.enumeration, v)) {
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
            let change = match (ov, nv) {
                (None, None) => continue,
                (None, Some(_)) => Step::Added,
                (Some(_), None) => Step::Removed,
                (Some(a), Some(b)) => match compare_values(primitive, a, b) {
                    Some(ord) => Step::Moved(ord),
                    None => Step::Incomparable,
                },
            };
            self.bound_step(ctx, name, change, dir, (opt(ov), opt(nv)));
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
        let change = match (o, n) {
            (None, None) => return,
            (None, Some(_)) => Step::Added,
            (Some(_), None) => Step::Removed,
            (Some(a), Some(b)) => match b.partial_cmp(&a) {
                Some(ord) => Step::Moved(ord),
                None => Step::Incomparable,
            },
        };
        self.bound_step(ctx, name, change, dir, text);
    }

    /// Report one facet's change: a new bound tightens, a dropped one relaxes, a moved one
    /// tightens or relaxes by direction; an exact facet (length) or incomparable values change.
    fn bound_step(
        &mut self,
        ctx: &Ctx,
        name: &str,
        change: Step,
        dir: Dir,
        text: (String, String),
    ) {
        use std::cmp::Ordering::{Equal, Greater, Less};
        let rule = match (change, dir) {
            (Step::Moved(Equal), _) => return,
            (Step::Added, _) => "facet-tightened",
            (Step::Removed, _) => "facet-relaxed",
            (Step::Incomparable, _) | (Step::Moved(_), Dir::Exact) => "facet-changed",
            (Step::Moved(Greater), Dir::Min) | (Step::Moved(Less), Dir::Max) => "facet-tightened",
            (Step::Moved(_), _) => "facet-relaxed",
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

/// How one facet value moved from the old version to the new one.
#[derive(Clone, Copy)]
enum Step {
    Added,
    Removed,
    /// `new.cmp(old)`.
    Moved(std::cmp::Ordering),
    Incomparable,
}

/// Order two bound values (`new` against `old`) in the value space of the type's `primitive`
/// (decimals and integers exactly, so bounds of `xs:long` that differ beyond a double's
/// precision still differ; dates and times as instants, whatever timezone they are written in;
/// durations in XSD's partial order); `None` when they are not ordered.
fn compare_values(primitive: Option<Builtin>, old: &str, new: &str) -> Option<std::cmp::Ordering> {
    ordering::compare(primitive?, new, old)
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
