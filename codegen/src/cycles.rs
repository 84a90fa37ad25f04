//! Detect recursive types and box exactly the fields that close a cycle.

use std::collections::{BTreeMap, BTreeSet};

use crate::plan::{Body, FieldTy, Inner, Item, Occ, Plan, Value};

/// The type a field holds directly (not through a `Vec`), if it is a generated type.
fn direct_target(ty: &FieldTy) -> Option<&str> {
    if ty.occ() == Occ::Many {
        return None;
    }
    match &ty.inner {
        Inner::Element {
            value: Value::Struct(n),
            ..
        } => Some(n),
        Inner::Group(n) => Some(n),
        _ => None,
    }
}

fn field_types_mut(item: &mut Item) -> Vec<&mut FieldTy> {
    match item {
        Item::Struct(s) => match &mut s.body {
            Body::Sequence(f) | Body::All(f) => f.iter_mut().map(|f| &mut f.ty).collect(),
            _ => Vec::new(),
        },
        Item::Group(g) => g.fields.iter_mut().map(|f| &mut f.ty).collect(),
        Item::Choice(c) => c.variants.iter_mut().map(|v| &mut v.ty).collect(),
        Item::Enum(_) | Item::Mixed(_) => Vec::new(),
    }
}

fn item_name(item: &Item) -> &str {
    match item {
        Item::Struct(s) => &s.name,
        Item::Group(g) => &g.name,
        Item::Choice(c) => &c.name,
        Item::Enum(e) => &e.name,
        Item::Mixed(m) => &m.name,
    }
}

/// Box the fields that close a cycle of direct containment (an infinitely sized type
/// otherwise): a depth-first walk over the types in plan order boxes exactly its back edges,
/// which breaks every cycle; fields through `Vec` never need a box.
pub fn box_cycles(plan: &mut Plan) {
    // edges[i] = (field index, target item index) of item i, in field order.
    let index: BTreeMap<String, usize> = plan
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| (item_name(it).to_string(), i))
        .collect();
    let edges: Vec<Vec<(usize, usize)>> = plan
        .items
        .iter_mut()
        .map(|item| {
            field_types_mut(item)
                .into_iter()
                .enumerate()
                .filter_map(|(j, t)| direct_target(t).and_then(|n| index.get(n)).map(|&k| (j, k)))
                .collect()
        })
        .collect();
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnStack,
        Done,
    }
    let mut state = vec![State::New; plan.items.len()];
    let mut back_edges = BTreeSet::new();
    for start in 0..plan.items.len() {
        if state[start] != State::New {
            continue;
        }
        // Iterative DFS: (node, next edge position).
        let mut stack = vec![(start, 0usize)];
        state[start] = State::OnStack;
        while let Some(&mut (node, ref mut pos)) = stack.last_mut() {
            match edges[node].get(*pos).copied() {
                Some((field, target)) => {
                    *pos += 1;
                    match state[target] {
                        State::OnStack => {
                            back_edges.insert((node, field));
                        }
                        State::New => {
                            state[target] = State::OnStack;
                            stack.push((target, 0));
                        }
                        State::Done => {}
                    }
                }
                None => {
                    state[node] = State::Done;
                    stack.pop();
                }
            }
        }
    }
    for (i, j) in back_edges {
        if let Some(item) = plan.items.get_mut(i) {
            if let Some(ty) = field_types_mut(item).into_iter().nth(j) {
                ty.boxed = true;
            }
        }
    }
}
