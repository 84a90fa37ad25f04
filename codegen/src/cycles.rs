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

/// Set `boxed` on every field whose type can reach the field's owner again without passing
/// through a `Vec` (an infinitely sized type otherwise).
pub fn box_cycles(plan: &mut Plan) {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in &mut plan.items {
        let name = item_name(item).to_string();
        let targets: BTreeSet<String> = field_types_mut(item)
            .into_iter()
            .filter_map(|t| direct_target(t).map(str::to_string))
            .collect();
        edges.insert(name, targets);
    }
    let reaches = |from: &str, to: &str| -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n.clone()) {
                if let Some(next) = edges.get(&n) {
                    stack.extend(next.iter().cloned());
                }
            }
        }
        false
    };
    let mut to_box = Vec::new();
    for (i, item) in plan.items.iter_mut().enumerate() {
        let owner = item_name(item).to_string();
        for (j, ty) in field_types_mut(item).into_iter().enumerate() {
            if let Some(target) = direct_target(ty) {
                if reaches(target, &owner) {
                    to_box.push((i, j));
                }
            }
        }
    }
    for (i, j) in to_box {
        if let Some(item) = plan.items.get_mut(i) {
            if let Some(ty) = field_types_mut(item).into_iter().nth(j) {
                ty.boxed = true;
            }
        }
    }
}
