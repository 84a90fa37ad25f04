//! Running a [`ContentAutomaton`]: a small [`State`] per open element, stepped once per child.

use std::fmt;

use super::glushkov::{AllGroup, Candidates, Counter, Glushkov, Op, Transition};
use super::{ContentAutomaton, Kind, Symbol};
use crate::ir::{ElementId, Wildcard};

/// At most this many live configurations are kept for one element. A deterministic model
/// without nested counters always has one; nested counted repeats whose iterations can be split
/// in several ways (`(a{0,100}){0,100}`) or non-deterministic models can have more. Beyond the
/// cap the extra configurations are dropped (a known approximation: such a model may then
/// reject a sequence it should accept).
const MAX_CONFIGS: usize = 1024;

/// Where an element's content is in its content model. Cheap to clone; one per open element.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    inner: Inner,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Inner {
    /// Live configurations of a Glushkov automaton, sorted (empty = dead).
    Glushkov(Vec<Config>),
    /// Children of an all group seen so far.
    All(Vec<u64>),
    /// Nothing more can be accepted (used by the language comparison).
    Dead,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Config {
    /// Current position; `None` before the first child.
    pos: Option<usize>,
    /// Counter values.
    counters: Vec<u32>,
}

/// What a child element matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Match<'a> {
    /// An element declaration.
    Element(ElementId),
    /// A wildcard.
    Wildcard(&'a Wildcard),
}

/// One thing that would have been accepted.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ExpectedItem {
    /// An element.
    Element {
        /// Its name.
        name: String,
        /// Its namespace.
        namespace: Option<String>,
    },
    /// Any element a wildcard admits.
    Wildcard(Wildcard),
}

impl fmt::Display for ExpectedItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpectedItem::Element { name, namespace } => match namespace {
                Some(ns) => write!(f, "{{{ns}}}{name}"),
                None => f.write_str(name),
            },
            ExpectedItem::Wildcard(w) => write!(f, "##wildcard({})", super::display_wildcard(w)),
        }
    }
}

/// What the content model accepts next.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expected {
    /// The elements (and wildcards) that may come next, in model order, without duplicates.
    pub items: Vec<ExpectedItem>,
    /// Whether the element may end here.
    pub can_end: bool,
}

impl fmt::Display for Expected {
    /// `a, b, {urn:x}c` (empty when nothing more is allowed).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, item) in self.items.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{item}")?;
        }
        Ok(())
    }
}

impl ExpectedItem {
    fn of(symbol: &Symbol) -> ExpectedItem {
        match symbol {
            Symbol::Element {
                name, namespace, ..
            } => ExpectedItem::Element {
                name: name.clone(),
                namespace: namespace.clone(),
            },
            Symbol::Wildcard(w) => ExpectedItem::Wildcard(w.clone()),
        }
    }
}

/// Apply a transition's counter operations; `false` when a check fails.
fn apply(ops: &[Op], counters: &mut [u32], defs: &[Counter]) -> bool {
    for op in ops {
        match *op {
            Op::Exit(c) => {
                let (Some(v), Some(d)) = (counters.get_mut(c), defs.get(c)) else {
                    return false;
                };
                if !d.may_exit(*v) {
                    return false;
                }
                *v = 0;
            }
            Op::Loop(c) => {
                let (Some(v), Some(d)) = (counters.get_mut(c), defs.get(c)) else {
                    return false;
                };
                if !d.may_loop(*v) {
                    return false;
                }
                *v = d.next(*v);
            }
            Op::Enter(c) => {
                let Some(v) = counters.get_mut(c) else {
                    return false;
                };
                *v = 1;
            }
        }
    }
    true
}

fn transitions_from(g: &Glushkov, pos: Option<usize>) -> &[Transition] {
    match pos {
        None => &g.initial,
        Some(p) => g.follow.get(p).map(Vec::as_slice).unwrap_or(&[]),
    }
}

/// Step an all group: the first symbol satisfying `pred` whose slot is not filled yet; its slot
/// is marked filled in `seen` (unchanged when there is none).
fn all_step(a: &AllGroup, seen: &mut [u64], pred: impl Fn(&Symbol) -> bool) -> Option<usize> {
    let slot = |i: usize| a.slot_of.get(i).copied().unwrap_or(i);
    let i = a
        .symbols
        .iter()
        .enumerate()
        .position(|(i, s)| pred(s) && !all_bit(seen, slot(i)))?;
    let filled = slot(i);
    if let Some(w) = seen.get_mut(filled / 64) {
        *w |= 1u64 << (filled % 64);
    }
    Some(i)
}

/// [`all_step`] when symbol `i` is the only one that can match (see
/// [`super::glushkov::AllIndex`]).
fn all_step_at(
    a: &AllGroup,
    seen: &mut [u64],
    i: usize,
    pred: impl Fn(&Symbol) -> bool,
) -> Option<usize> {
    let filled = a.slot_of.get(i).copied().unwrap_or(i);
    if !a.symbols.get(i).is_some_and(pred) || all_bit(seen, filled) {
        return None;
    }
    if let Some(w) = seen.get_mut(filled / 64) {
        *w |= 1u64 << (filled % 64);
    }
    Some(i)
}

/// Counters a configuration may have for [`step_single`] (more take the general path).
const INLINE_COUNTERS: usize = 8;

/// [`ContentAutomaton::step_by`] for a single configuration, in place: `Some(Some(pos))` when
/// exactly one new configuration results (the config is updated), `Some(None)` when none does
/// (the config is unchanged), `None` when several do or the counters do not fit the inline
/// scratch (nothing changed; take the general path).
fn step_single(
    g: &Glushkov,
    c: &mut Config,
    pred: impl Fn(&Symbol) -> bool,
) -> Option<Option<usize>> {
    let n = c.counters.len();
    if n > INLINE_COUNTERS {
        return None;
    }
    let (mut work, mut result) = ([0u32; INLINE_COUNTERS], [0u32; INLINE_COUNTERS]);
    let mut found: Option<usize> = None;
    for t in transitions_from(g, c.pos) {
        let Some(sym) = g.symbols.get(t.to) else {
            continue;
        };
        if !pred(sym) {
            continue;
        }
        let work = work.get_mut(..n)?;
        work.copy_from_slice(&c.counters);
        if !apply(&t.ops, work, &g.counters) {
            continue;
        }
        match found {
            None => {
                found = Some(t.to);
                result.get_mut(..n)?.copy_from_slice(work);
            }
            // The same configuration again: the general path would merge it.
            Some(to) if to == t.to && result.get(..n)? == &work[..] => {}
            Some(_) => return None,
        }
    }
    if let Some(to) = found {
        c.pos = Some(to);
        c.counters.copy_from_slice(result.get(..n)?);
    }
    Some(found)
}

fn config_accepts(g: &Glushkov, c: &Config) -> bool {
    match c.pos {
        None => g.start_accepting,
        Some(p) => match g.accept.get(p) {
            Some(Some(checks)) => {
                checks
                    .iter()
                    .all(|&k| match (g.counters.get(k), c.counters.get(k)) {
                        (Some(d), Some(&v)) => d.may_exit(v),
                        _ => false,
                    })
            }
            _ => false,
        },
    }
}

fn all_bit(seen: &[u64], i: usize) -> bool {
    seen.get(i / 64)
        .is_some_and(|w| w & (1u64 << (i % 64)) != 0)
}

fn all_accepts(a: &AllGroup, seen: &[u64]) -> bool {
    let none_seen = seen.iter().all(|&w| w == 0);
    if none_seen && a.optional {
        return true;
    }
    a.required
        .iter()
        .enumerate()
        .all(|(i, &req)| !req || all_bit(seen, i))
}

impl ContentAutomaton {
    /// The state before the first child.
    pub fn start(&self) -> State {
        match &self.kind {
            Kind::Glushkov(g) => State {
                inner: Inner::Glushkov(vec![Config {
                    pos: None,
                    counters: vec![0; g.counters.len()],
                }]),
            },
            Kind::All(a) => State {
                inner: Inner::All(vec![0; a.required.len().div_ceil(64)]),
            },
        }
    }

    /// Reset `state` (a state of any automaton) to [`ContentAutomaton::start`], reusing its
    /// allocations when it has the same shape (a validator keeps a pool of them).
    pub fn restart(&self, state: &mut State) {
        match (&self.kind, &mut state.inner) {
            (Kind::Glushkov(g), Inner::Glushkov(configs)) if !configs.is_empty() => {
                configs.truncate(1);
                if let Some(c) = configs.first_mut() {
                    c.pos = None;
                    c.counters.clear();
                    c.counters.resize(g.counters.len(), 0);
                }
            }
            (Kind::All(a), Inner::All(seen)) => {
                seen.clear();
                seen.resize(a.required.len().div_ceil(64), 0);
            }
            _ => *state = self.start(),
        }
    }

    /// Accept a child element `name` in `namespace`. On success the state advances and the
    /// matched declaration or wildcard is returned; on failure the state is unchanged and the
    /// names that would have been accepted are returned.
    pub fn step(
        &self,
        state: &mut State,
        name: &str,
        namespace: Option<&str>,
    ) -> Result<Match<'_>, Expected> {
        let pred = |s: &Symbol| s.matches(name, namespace);
        // The usual case, in place and without allocating: one live configuration of a
        // deterministic step, or an all group.
        let fast = match (&self.kind, &mut state.inner) {
            (Kind::Glushkov(g), Inner::Glushkov(configs)) if configs.len() == 1 => {
                configs.first_mut().and_then(|c| step_single(g, c, pred))
            }
            (Kind::All(a), Inner::All(seen)) => Some(match a.index.find(name) {
                Candidates::None => None,
                Candidates::One(i) => all_step_at(a, seen, i, pred),
                Candidates::All => all_step(a, seen, pred),
            }),
            _ => None,
        };
        let next = match fast {
            Some(Some(pos)) => return self.matched(state, pos),
            Some(None) => None,
            None => self.step_by(state, pred),
        };
        match next {
            Some((new_state, pos)) => {
                *state = new_state;
                Ok(match self.positions().get(pos) {
                    Some(Symbol::Element { id, .. }) => Match::Element(*id),
                    Some(Symbol::Wildcard(w)) => Match::Wildcard(w),
                    None => return Err(self.expected(state)),
                })
            }
            None => Err(self.expected(state)),
        }
    }

    /// What position `pos` (just stepped on) matched.
    fn matched(&self, state: &State, pos: usize) -> Result<Match<'_>, Expected> {
        match self.positions().get(pos) {
            Some(Symbol::Element { id, .. }) => Ok(Match::Element(*id)),
            Some(Symbol::Wildcard(w)) => Ok(Match::Wildcard(w)),
            None => Err(self.expected(state)),
        }
    }

    /// Step on every position whose symbol satisfies `pred`; returns the new state and the first
    /// matched position, or `None` when nothing matched (or the state is dead).
    pub(crate) fn step_by(
        &self,
        state: &State,
        pred: impl Fn(&Symbol) -> bool,
    ) -> Option<(State, usize)> {
        match (&self.kind, &state.inner) {
            (Kind::Glushkov(g), Inner::Glushkov(configs)) => {
                let mut out: Vec<Config> = Vec::new();
                let mut first_pos = None;
                for c in configs {
                    for t in transitions_from(g, c.pos) {
                        let Some(sym) = g.symbols.get(t.to) else {
                            continue;
                        };
                        if !pred(sym) {
                            continue;
                        }
                        let mut counters = c.counters.clone();
                        if !apply(&t.ops, &mut counters, &g.counters) {
                            continue;
                        }
                        let nc = Config {
                            pos: Some(t.to),
                            counters,
                        };
                        if !out.contains(&nc) && out.len() < MAX_CONFIGS {
                            first_pos.get_or_insert(t.to);
                            out.push(nc);
                        }
                    }
                }
                let pos = first_pos?;
                out.sort();
                Some((
                    State {
                        inner: Inner::Glushkov(out),
                    },
                    pos,
                ))
            }
            (Kind::All(a), Inner::All(seen)) => {
                let mut seen = seen.clone();
                let i = all_step(a, &mut seen, pred)?;
                Some((
                    State {
                        inner: Inner::All(seen),
                    },
                    i,
                ))
            }
            _ => None,
        }
    }

    /// Whether the element may end in `state`.
    pub fn is_accepting(&self, state: &State) -> bool {
        match (&self.kind, &state.inner) {
            (Kind::Glushkov(g), Inner::Glushkov(configs)) => {
                configs.iter().any(|c| config_accepts(g, c))
            }
            (Kind::All(a), Inner::All(seen)) => all_accepts(a, seen),
            _ => false,
        }
    }

    /// Whether no further child can ever be accepted and the state does not accept either.
    pub(crate) fn is_dead(&self, state: &State) -> bool {
        match &state.inner {
            Inner::Glushkov(c) => c.is_empty(),
            Inner::All(_) => false,
            Inner::Dead => true,
        }
    }

    /// The dead state.
    pub(crate) fn dead(&self) -> State {
        State { inner: Inner::Dead }
    }

    /// What would be accepted next in `state`.
    pub fn expected(&self, state: &State) -> Expected {
        let mut out = Expected {
            items: Vec::new(),
            can_end: self.is_accepting(state),
        };
        let mut push = |item: ExpectedItem| {
            if !out.items.contains(&item) {
                out.items.push(item);
            }
        };
        match (&self.kind, &state.inner) {
            (Kind::Glushkov(g), Inner::Glushkov(configs)) => {
                for c in configs {
                    for t in transitions_from(g, c.pos) {
                        let mut counters = c.counters.clone();
                        if apply(&t.ops, &mut counters, &g.counters) {
                            if let Some(sym) = g.symbols.get(t.to) {
                                push(ExpectedItem::of(sym));
                            }
                        }
                    }
                }
            }
            (Kind::All(a), Inner::All(seen)) => {
                for (s, &slot) in a.symbols.iter().zip(&a.slot_of) {
                    if !all_bit(seen, slot) {
                        push(ExpectedItem::of(s));
                    }
                }
            }
            _ => {}
        }
        out
    }
}
