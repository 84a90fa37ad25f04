//! Facet changes of a simple type: enumeration values, patterns, the length family, bounds,
//! digits and whiteSpace.

use crate::ir::WhiteSpace;

use super::shape::{ws, Merged};
use super::walk::{Ctx, Differ};

impl Differ<'_> {
    pub(crate) fn compare_facets(&mut self, ctx: &Ctx, o: &Merged, n: &Merged) {
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
