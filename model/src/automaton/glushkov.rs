//! The Glushkov construction with counters for bounded repeats, and the `xs:all` bitset model.

use super::{AutomatonError, Kind, Symbol};
use crate::ir::{MaxOccurs, Particle, Schema, Term};
use crate::location::Location;

/// A counter attached to a repeated particle whose range is not `?`, `1`, `*` or `+`.
#[derive(Clone, Debug)]
pub(crate) struct Counter {
    /// minOccurs.
    pub min: u32,
    /// maxOccurs (`None` = unbounded: the counter saturates at `min`).
    pub max: Option<u32>,
    /// Whether one iteration of the term can match nothing (then leaving early is fine).
    pub term_nullable: bool,
}

impl Counter {
    /// Whether the particle may be left with `count` iterations done.
    pub fn may_exit(&self, count: u32) -> bool {
        self.term_nullable || count >= self.min
    }

    /// Whether another iteration may start after `count` iterations.
    pub fn may_loop(&self, count: u32) -> bool {
        match self.max {
            Some(max) => count < max,
            None => true,
        }
    }

    /// The count after one more iteration (saturating for unbounded counters).
    pub fn next(&self, count: u32) -> u32 {
        match self.max {
            Some(_) => count.saturating_add(1),
            None => count.saturating_add(1).min(self.min.max(1)),
        }
    }
}

/// One counter operation performed by a transition, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    /// Leave the counted particle: check `may_exit`, then reset to 0.
    Exit(usize),
    /// Loop back in the counted particle: check `may_loop`, then count one more.
    Loop(usize),
    /// Enter the counted particle: the count becomes 1.
    Enter(usize),
}

/// A transition to a position, with its counter operations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Transition {
    /// Target position.
    pub to: usize,
    /// Counter operations.
    pub ops: Vec<Op>,
}

/// The Glushkov automaton of a particle (all groups excepted).
#[derive(Clone, Debug)]
pub(crate) struct Glushkov {
    /// What each position matches.
    pub symbols: Vec<Symbol>,
    /// Where each position's particle is written.
    pub locations: Vec<Location>,
    /// The counters.
    pub counters: Vec<Counter>,
    /// Transitions from the start state.
    pub initial: Vec<Transition>,
    /// Transitions from each position.
    pub follow: Vec<Vec<Transition>>,
    /// For each position in `last(root)`: the counters to check (`may_exit`) to accept there.
    pub accept: Vec<Option<Vec<usize>>>,
    /// Whether the empty sequence is accepted.
    pub start_accepting: bool,
}

impl Glushkov {
    /// What each position matches.
    pub fn symbols(&self) -> &[Symbol] {
        &self.symbols
    }
}

/// An `xs:all` group: each child at most once, in any order. A child is one slot; the slot of
/// an element that heads a substitution group is matched by any member of the group, so a
/// slot may have several symbols.
#[derive(Clone, Debug)]
pub(crate) struct AllGroup {
    /// What each symbol matches.
    pub symbols: Vec<Symbol>,
    /// The slot (child of the group) of each symbol.
    pub slot_of: Vec<usize>,
    /// Where each symbol's particle is written.
    pub locations: Vec<Location>,
    /// Whether each slot must be filled (minOccurs=1).
    pub required: Vec<bool>,
    /// Whether the whole group may be absent (minOccurs=0 on the group).
    pub optional: bool,
    /// Which symbol a child's name can match, by name (see [`AllIndex`]).
    pub index: AllIndex,
}

/// A hash table from names to the one symbol of an all group each name can match, so that a
/// child is looked up instead of compared with every symbol's name in turn.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct AllIndex {
    /// Per bucket: [`EMPTY`], [`SHARED`], or the only symbol whose name falls in it.
    buckets: Vec<u32>,
    /// `buckets.len() - 1` (a power of two minus one).
    mask: u32,
}

/// A bucket no symbol's name falls in: no child falling in it matches any symbol.
const EMPTY: u32 = u32::MAX;
/// A bucket several symbols' names fall in: search the symbols in turn.
const SHARED: u32 = u32::MAX - 1;

/// What [`AllIndex::find`] says of a name.
pub(crate) enum Candidates {
    /// No symbol can match it.
    None,
    /// Only this symbol can match it.
    One(usize),
    /// Any symbol may: search them in turn.
    All,
}

impl AllIndex {
    /// The index of `symbols` (an empty index, which says [`Candidates::All`], when a symbol
    /// is a wildcard).
    fn new(symbols: &[Symbol]) -> AllIndex {
        let names: Option<Vec<&str>> = symbols
            .iter()
            .map(|s| match s {
                Symbol::Element { name, .. } => Some(name.as_str()),
                Symbol::Wildcard(_) => None,
            })
            .collect();
        let Some(names) = names else {
            return AllIndex::default();
        };
        let size = (names.len() * 4).next_power_of_two().max(8);
        let mut index = AllIndex {
            buckets: vec![EMPTY; size],
            mask: (size - 1) as u32,
        };
        for (i, name) in names.iter().enumerate() {
            let b = index.bucket(name);
            if let Some(slot) = index.buckets.get_mut(b) {
                *slot = if *slot == EMPTY { i as u32 } else { SHARED };
            }
        }
        index
    }

    /// The bucket of `name` (from its length and its first and last bytes: equal names fall
    /// in the same bucket).
    fn bucket(&self, name: &str) -> usize {
        let bytes = name.as_bytes();
        let first = u32::from(bytes.first().copied().unwrap_or(0));
        let last = u32::from(bytes.last().copied().unwrap_or(0));
        let key = (bytes.len() as u32) ^ (first << 8) ^ (last << 16);
        (key.wrapping_mul(0x9e37_79b1).rotate_left(16) & self.mask) as usize
    }

    /// The symbols a child named `name` can match.
    #[inline]
    pub(crate) fn find(&self, name: &str) -> Candidates {
        if self.buckets.is_empty() {
            return Candidates::All;
        }
        match self.buckets.get(self.bucket(name)).copied() {
            Some(EMPTY) => Candidates::None,
            Some(SHARED) | None => Candidates::All,
            Some(i) => Candidates::One(i as usize),
        }
    }
}

impl AllGroup {
    /// What each child matches.
    pub fn symbols(&self) -> &[Symbol] {
        &self.symbols
    }
}

/// Compile a particle.
pub(crate) fn build(schema: &Schema, particle: &Particle) -> Result<Kind, AutomatonError> {
    if let Term::All(children) = &particle.term {
        return build_all(schema, particle, children).map(Kind::All);
    }
    let mut b = Builder {
        schema,
        nodes: Vec::new(),
        symbols: Vec::new(),
        locations: Vec::new(),
        pos_node: Vec::new(),
        counters: Vec::new(),
        pairs: Vec::new(),
    };
    let root = b.visit(particle, None)?;
    let Some(root) = root else {
        // The whole model is maxOccurs=0: only the empty sequence.
        return Ok(Kind::Glushkov(Glushkov {
            symbols: Vec::new(),
            locations: Vec::new(),
            counters: Vec::new(),
            initial: Vec::new(),
            follow: Vec::new(),
            accept: Vec::new(),
            start_accepting: true,
        }));
    };
    let info = &b.nodes[root];
    let initial = info
        .first
        .iter()
        .map(|&y| Transition {
            to: y,
            ops: b.enter_ops(y, None),
        })
        .collect();
    let mut accept = vec![None; b.symbols.len()];
    for &x in &info.last {
        let mut checks = Vec::new();
        let mut n = Some(b.pos_node[x]);
        while let Some(i) = n {
            if let Some(c) = b.nodes[i].counter {
                checks.push(c);
            }
            n = b.nodes[i].parent;
        }
        accept[x] = Some(checks);
    }
    let start_accepting = info.nullable;
    let mut follow: Vec<Vec<Transition>> = vec![Vec::new(); b.symbols.len()];
    for (x, y, via, is_loop) in std::mem::take(&mut b.pairs) {
        let mut ops = b.exit_ops(x, via);
        if is_loop {
            if let Some(c) = b.nodes[via].counter {
                ops.push(Op::Loop(c));
            }
        }
        ops.extend(b.enter_ops(y, Some(via)));
        let t = Transition { to: y, ops };
        if let Some(list) = follow.get_mut(x) {
            if !list.contains(&t) {
                list.push(t);
            }
        }
    }
    Ok(Kind::Glushkov(Glushkov {
        symbols: b.symbols,
        locations: b.locations,
        counters: b.counters,
        initial,
        follow,
        accept,
        start_accepting,
    }))
}

fn element_symbol(schema: &Schema, id: crate::ir::ElementId) -> Symbol {
    match schema.elements.get(id.index()) {
        Some(decl) => Symbol::Element {
            id,
            name: decl.name.clone(),
            namespace: decl.namespace.clone(),
        },
        None => Symbol::Element {
            id,
            name: format!("#element{}", id.0),
            namespace: None,
        },
    }
}

fn build_all(
    schema: &Schema,
    group: &Particle,
    children: &[Particle],
) -> Result<AllGroup, AutomatonError> {
    let mut all = AllGroup {
        symbols: Vec::new(),
        slot_of: Vec::new(),
        locations: Vec::new(),
        required: Vec::new(),
        optional: group.min == 0,
        index: AllIndex::default(),
    };
    if group.max != MaxOccurs::Bounded(1) && group.max != MaxOccurs::Bounded(0) {
        return Err(AutomatonError {
            message: "an xs:all group must have maxOccurs=\"1\"".to_string(),
            location: group.location,
        });
    }
    if group.max == MaxOccurs::Bounded(0) {
        all.optional = true;
        return Ok(all);
    }
    for child in children {
        // An element child, or the choice a substitution group head was expanded to (the
        // schema's own <xs:choice> is refused inside <xs:all> before this point).
        let ids: Option<Vec<crate::ir::ElementId>> = match &child.term {
            Term::Element(id) => Some(vec![*id]),
            Term::Choice(alternatives) => alternatives
                .iter()
                .map(|a| match a.term {
                    Term::Element(id) if a.min == 1 && a.max == MaxOccurs::Bounded(1) => Some(id),
                    _ => None,
                })
                .collect(),
            _ => None,
        };
        let Some(ids) = ids else {
            return Err(AutomatonError {
                message: "an xs:all group may only contain element particles".to_string(),
                location: child.location,
            });
        };
        match child.max {
            MaxOccurs::Bounded(0) => continue,
            MaxOccurs::Bounded(1) => {}
            _ => {
                return Err(AutomatonError {
                    message: "an element in an xs:all group must have maxOccurs of 0 or 1"
                        .to_string(),
                    location: child.location,
                })
            }
        }
        let slot = all.required.len();
        for id in ids {
            all.symbols.push(element_symbol(schema, id));
            all.slot_of.push(slot);
            all.locations.push(child.location);
        }
        all.required.push(child.min >= 1);
    }
    all.index = AllIndex::new(&all.symbols);
    Ok(all)
}

struct NodeInfo {
    parent: Option<usize>,
    counter: Option<usize>,
    nullable: bool,
    first: Vec<usize>,
    last: Vec<usize>,
}

struct Builder<'s> {
    schema: &'s Schema,
    nodes: Vec<NodeInfo>,
    symbols: Vec<Symbol>,
    locations: Vec<Location>,
    pos_node: Vec<usize>,
    counters: Vec<Counter>,
    /// Follow pairs `(x, y, node where they arise, is a loop of that node)`.
    pairs: Vec<(usize, usize, usize, bool)>,
}

impl Builder<'_> {
    /// Visit a particle; returns its node, or `None` when it is `maxOccurs=0` (absent).
    fn visit(
        &mut self,
        p: &Particle,
        parent: Option<usize>,
    ) -> Result<Option<usize>, AutomatonError> {
        let max = match p.max {
            MaxOccurs::Bounded(0) => return Ok(None),
            MaxOccurs::Bounded(m) => Some(m),
            MaxOccurs::Unbounded => None,
        };
        if let Some(m) = max {
            if p.min > m {
                return Err(AutomatonError {
                    message: format!("minOccurs ({}) is greater than maxOccurs ({m})", p.min),
                    location: p.location,
                });
            }
        }
        let me = self.nodes.len();
        self.nodes.push(NodeInfo {
            parent,
            counter: None,
            nullable: false,
            first: Vec::new(),
            last: Vec::new(),
        });
        let (term_nullable, first, last) = match &p.term {
            Term::Element(id) => {
                let pos = self.new_position(element_symbol(self.schema, *id), p.location, me);
                (false, vec![pos], vec![pos])
            }
            Term::Any(w) => {
                let pos = self.new_position(Symbol::Wildcard(w.clone()), p.location, me);
                (false, vec![pos], vec![pos])
            }
            Term::All(_) => {
                return Err(AutomatonError {
                    message: "an xs:all group may only appear as the whole content model"
                        .to_string(),
                    location: p.location,
                })
            }
            Term::Choice(children) => {
                // A choice without alternatives matches nothing, not the empty sequence (XSD
                // 1.0 Particle Emptiable): only `minOccurs="0"` makes it empty. An alternative
                // with `maxOccurs="0"` matches the empty sequence.
                let mut nullable = false;
                let (mut first, mut last) = (Vec::new(), Vec::new());
                for c in children {
                    match self.visit(c, Some(me))? {
                        Some(n) => {
                            let ci = &self.nodes[n];
                            nullable |= ci.nullable;
                            first.extend_from_slice(&ci.first);
                            last.extend_from_slice(&ci.last);
                        }
                        None => nullable = true,
                    }
                }
                (nullable, first, last)
            }
            Term::Sequence(children) => {
                let mut kids = Vec::new();
                for c in children {
                    if let Some(n) = self.visit(c, Some(me))? {
                        kids.push(n);
                    }
                }
                let nullable = kids.iter().all(|&k| self.nodes[k].nullable);
                let mut first = Vec::new();
                for &k in &kids {
                    first.extend_from_slice(&self.nodes[k].first);
                    if !self.nodes[k].nullable {
                        break;
                    }
                }
                let mut last = Vec::new();
                for &k in kids.iter().rev() {
                    last.extend_from_slice(&self.nodes[k].last);
                    if !self.nodes[k].nullable {
                        break;
                    }
                }
                // follow: last(k_i) x first(k_j) for j > i with everything between nullable.
                for (i, &ki) in kids.iter().enumerate() {
                    for &kj in kids.iter().skip(i + 1) {
                        let (lx, fy) = (self.nodes[ki].last.clone(), self.nodes[kj].first.clone());
                        for &x in &lx {
                            for &y in &fy {
                                self.pairs.push((x, y, me, false));
                            }
                        }
                        if !self.nodes[kj].nullable {
                            break;
                        }
                    }
                }
                (nullable, first, last)
            }
        };
        let repeats = max != Some(1);
        let trivial = matches!((p.min, max), (0 | 1, Some(1)) | (0 | 1, None));
        if !trivial {
            self.nodes[me].counter = Some(self.counters.len());
            self.counters.push(Counter {
                min: p.min,
                max,
                term_nullable,
            });
        }
        if repeats {
            for &x in &last {
                for &y in &first {
                    self.pairs.push((x, y, me, true));
                }
            }
        }
        let node = &mut self.nodes[me];
        node.nullable = p.min == 0 || term_nullable;
        node.first = first;
        node.last = last;
        Ok(Some(me))
    }

    fn new_position(&mut self, symbol: Symbol, location: Location, node: usize) -> usize {
        self.symbols.push(symbol);
        self.locations.push(location);
        self.pos_node.push(node);
        self.symbols.len() - 1
    }

    /// `Exit` ops for the counted nodes from position `x`'s leaf up to (not including) `via`.
    fn exit_ops(&self, x: usize, via: usize) -> Vec<Op> {
        let mut ops = Vec::new();
        let mut n = self.pos_node.get(x).copied();
        while let Some(i) = n {
            if i == via {
                break;
            }
            if let Some(c) = self.nodes[i].counter {
                ops.push(Op::Exit(c));
            }
            n = self.nodes[i].parent;
        }
        ops
    }

    /// `Enter` ops for the counted nodes from below `via` (or the root) down to `y`'s leaf.
    fn enter_ops(&self, y: usize, via: Option<usize>) -> Vec<Op> {
        let mut ops = Vec::new();
        let mut n = self.pos_node.get(y).copied();
        while let Some(i) = n {
            if Some(i) == via {
                break;
            }
            if let Some(c) = self.nodes[i].counter {
                ops.push(Op::Enter(c));
            }
            n = self.nodes[i].parent;
        }
        ops.reverse();
        ops
    }
}
