//! The language check of a content-model change: the structural findings are compared with
//! the relation of the two models' languages computed by the content-model automata
//! ([`crate::automaton::compare_languages`]).

use crate::automaton::{compare_languages, LanguageRelation, COUNT_CAP};
use crate::ir::{MaxOccurs, Particle, Schema, Term};

use super::rules::{rule_by_id, Effect};
use super::walk::{Ctx, Differ};

impl Differ<'_> {
    /// Check the structural findings since `start` against the languages of the two models.
    pub(crate) fn check_language(&mut self, ctx: &Ctx, op: &Particle, np: &Particle, start: usize) {
        if same_shape(self.old, op, self.new, np) {
            // Written the same way (element names, compositors, occurrences): same language.
            return;
        }
        if self.old.target_namespace != self.new.target_namespace {
            // Every qualified name changed with the namespace (reported once as
            // `target-namespace-changed`): the automata would see different alphabets.
            return;
        }
        if is_flat_all(op) && is_flat_all(np) {
            // An xs:all of elements is fully described by its children and their occurrence
            // ranges, which the structural findings compare exactly (and the automaton of a
            // large all group is exponential).
            return;
        }
        let relation = match compare_languages(self.old, op, self.new, np) {
            Ok(r) => r,
            // The automata could not compare these models (too large): keep the structural view.
            Err(_) => return,
        };
        let structural = &self.changes[start..];
        let (mut widens, mut narrows) = (false, false);
        for c in structural {
            match rule_by_id(c.rule).map(|r| r.effect) {
                Some(Effect::Widens) => widens = true,
                Some(Effect::Narrows) => narrows = true,
                Some(Effect::Both) => {
                    widens = true;
                    narrows = true;
                }
                _ => {}
            }
        }
        let implied = match (widens, narrows) {
            (false, false) => LanguageRelation::Equal,
            (true, false) => LanguageRelation::Subset,
            (false, true) => LanguageRelation::Superset,
            (true, true) => LanguageRelation::Incomparable,
        };
        if implied == relation {
            return;
        }
        if relation == LanguageRelation::Equal && (exceeds_cap(op) || exceeds_cap(np)) {
            // The automata compare occurrence bounds above COUNT_CAP as "many": an Equal
            // verdict cannot overrule the exact structural findings then.
            return;
        }
        if relation == LanguageRelation::Equal {
            // Same child sequences: the structural differences are only in how it is written.
            self.changes.truncate(start);
            self.emit_here(
                "content-model-rewritten",
                ctx,
                format!(
                    "content model of {} rewritten; it accepts the same children",
                    ctx.path
                ),
            );
            return;
        }
        let (rule, text) = match relation {
            LanguageRelation::Subset => (
                "content-model-widened",
                "accepts more child sequences than before",
            ),
            LanguageRelation::Superset => (
                "content-model-narrowed",
                "accepts fewer child sequences than before",
            ),
            _ => (
                "content-model-incomparable",
                "accepts child sequences the old one rejects and rejects some it accepted",
            ),
        };
        self.emit_here(rule, ctx, format!("content model of {} {text}", ctx.path));
    }
}

/// Whether two particles are written alike: same compositors, occurrence ranges, element
/// names (and namespaces) and wildcards, in the same order.
fn same_shape(a: &Schema, p: &Particle, b: &Schema, q: &Particle) -> bool {
    if p.min != q.min || p.max != q.max {
        return false;
    }
    let all = |x: &[Particle], y: &[Particle]| {
        x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_shape(a, x, b, y))
    };
    match (&p.term, &q.term) {
        (Term::Element(x), Term::Element(y)) => {
            match (a.elements.get(x.index()), b.elements.get(y.index())) {
                (Some(x), Some(y)) => x.name == y.name && x.namespace == y.namespace,
                _ => false,
            }
        }
        (Term::Any(x), Term::Any(y)) => x == y,
        (Term::Sequence(x), Term::Sequence(y))
        | (Term::Choice(x), Term::Choice(y))
        | (Term::All(x), Term::All(y)) => all(x, y),
        _ => false,
    }
}

/// Whether an occurrence bound anywhere in the particle is above the automata's exact range.
fn exceeds_cap(p: &Particle) -> bool {
    let own = p.min > COUNT_CAP || matches!(p.max, MaxOccurs::Bounded(m) if m > COUNT_CAP);
    own || match &p.term {
        Term::Sequence(c) | Term::Choice(c) | Term::All(c) => c.iter().any(exceeds_cap),
        _ => false,
    }
}

/// An `xs:all` whose children are all elements.
fn is_flat_all(p: &Particle) -> bool {
    match &p.term {
        Term::All(children) => children.iter().all(|c| matches!(c.term, Term::Element(_))),
        _ => false,
    }
}
