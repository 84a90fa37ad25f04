//! Comparing the languages of two content models (for the schema diff).
//!
//! The alphabet is the element NAMES (name + namespace) of both models; each distinct wildcard is
//! one more opaque symbol (a wildcard is NOT treated as containing the names it admits). The two
//! automata are run in product over all reachable pairs of states (subset construction: the
//! runtime states already are sets of configurations).
//!
//! Approximation: occurrence bounds above [`COUNT_CAP`] are abstracted before comparing: a
//! `minOccurs` above the cap counts as the cap, a `maxOccurs` above it as unbounded. So
//! `a{1,100}` vs `a{1,200}` compare as `Equal` ("more than 50" either way). Exact below the cap.

use std::collections::{HashSet, VecDeque};

use super::{AutomatonError, ContentAutomaton, State, Symbol};
use crate::ir::{MaxOccurs, Particle, Schema, Term, Wildcard};

/// Occurrence bounds above this are compared as "many" (see the module docs).
pub const COUNT_CAP: u32 = 50;

/// Product states explored at most; beyond this the comparison gives up with an error.
const MAX_PAIRS: usize = 200_000;

/// How the language of content model `a` relates to that of `b`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LanguageRelation {
    /// Same set of child sequences.
    Equal,
    /// `a` accepts strictly fewer sequences: `b` is wider.
    Subset,
    /// `a` accepts strictly more sequences: `b` is narrower.
    Superset,
    /// Each accepts a sequence the other rejects.
    Incomparable,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Letter {
    Name(String, Option<String>),
    Wildcard(Wildcard),
}

fn letter_of(s: &Symbol) -> Letter {
    match s {
        Symbol::Element {
            name, namespace, ..
        } => Letter::Name(name.clone(), namespace.clone()),
        Symbol::Wildcard(w) => Letter::Wildcard(w.clone()),
    }
}

fn cap(p: &Particle) -> Particle {
    let term = match &p.term {
        Term::Sequence(c) => Term::Sequence(c.iter().map(cap).collect()),
        Term::Choice(c) => Term::Choice(c.iter().map(cap).collect()),
        Term::All(c) => Term::All(c.iter().map(cap).collect()),
        t => t.clone(),
    };
    let max = match p.max {
        MaxOccurs::Bounded(m) if m > COUNT_CAP => MaxOccurs::Unbounded,
        m => m,
    };
    Particle {
        min: p.min.min(COUNT_CAP),
        max,
        term,
        location: p.location,
    }
}

/// Compare the child-element languages of `a` (in `schema_a`) and `b` (in `schema_b`).
/// Errors when a model cannot be compiled or the product grows beyond 200,000 states.
pub fn compare_languages(
    schema_a: &Schema,
    a: &Particle,
    schema_b: &Schema,
    b: &Particle,
) -> Result<LanguageRelation, AutomatonError> {
    let aa = ContentAutomaton::compile(schema_a, &cap(a))?;
    let ab = ContentAutomaton::compile(schema_b, &cap(b))?;
    let mut letters: Vec<Letter> = Vec::new();
    for s in aa.positions().iter().chain(ab.positions()) {
        let l = letter_of(s);
        if !letters.contains(&l) {
            letters.push(l);
        }
    }
    let dead = |auto: &ContentAutomaton, s: &State| auto.is_dead(s);
    let mut a_only = false; // some sequence in a but not in b
    let mut b_only = false;
    let start = (aa.start(), ab.start());
    let mut seen: HashSet<(State, State)> = HashSet::new();
    let mut queue = VecDeque::new();
    seen.insert(start.clone());
    queue.push_back(start);
    while let Some((sa, sb)) = queue.pop_front() {
        let (acc_a, acc_b) = (aa.is_accepting(&sa), ab.is_accepting(&sb));
        a_only |= acc_a && !acc_b;
        b_only |= acc_b && !acc_a;
        if a_only && b_only {
            return Ok(LanguageRelation::Incomparable);
        }
        for l in &letters {
            let pred = |s: &Symbol| &letter_of(s) == l;
            let na = aa.step_by(&sa, pred).map(|(s, _)| s);
            let nb = ab.step_by(&sb, pred).map(|(s, _)| s);
            let (na, nb) = match (na, nb) {
                (None, None) => continue,
                (Some(x), None) => (x, dead_state(&ab)),
                (None, Some(y)) => (dead_state(&aa), y),
                (Some(x), Some(y)) => (x, y),
            };
            if dead(&aa, &na) && dead(&ab, &nb) {
                continue;
            }
            let pair = (na, nb);
            if !seen.contains(&pair) {
                if seen.len() >= MAX_PAIRS {
                    return Err(AutomatonError {
                        message: format!(
                            "content models too large to compare (more than {MAX_PAIRS} product states)"
                        ),
                        location: a.location,
                    });
                }
                seen.insert(pair.clone());
                queue.push_back(pair);
            }
        }
    }
    Ok(match (a_only, b_only) {
        (false, false) => LanguageRelation::Equal,
        (false, true) => LanguageRelation::Subset,
        (true, false) => LanguageRelation::Superset,
        (true, true) => LanguageRelation::Incomparable,
    })
}

/// A state that accepts nothing and never will.
fn dead_state(auto: &ContentAutomaton) -> State {
    auto.dead()
}
