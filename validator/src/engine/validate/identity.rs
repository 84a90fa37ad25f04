//! XSD identity constraints (`xs:unique`, `xs:key`, `xs:keyref`; XSD 1.0 3.11.4), checked as
//! the document streams.
//!
//! An element whose declaration has constraints opens a *scope*. Below it, every element the
//! selector's path reaches is a *target*; its fields' paths are matched against the target's
//! attributes and descendants as they arrive (an element's value is its text, taken at its
//! end). When a target ends its key-sequence is complete: a key needs every field, a unique or
//! key must not repeat one, a keyref's is kept. When the scope ends, every keyref
//! key-sequence must be in the referred key's table, which holds the key-sequences of this
//! scope and of the scopes below it. Memory is proportional to the key-sequences kept.

use std::collections::HashMap;

use qschema_model::{ConstraintPath, ElementId, IdentityKind, Schema, SimpleTypeId, TypeRef};

use super::super::messages::short;
use super::super::namespaces::split_qname;
use super::{as_written, expanded_name, ContentCheck, Ctx, Frame, StartTag, Validator};
use crate::datatypes::KeyValue;
use crate::report::rules;

/// The identity-constraint state of one document.
#[derive(Default)]
pub(crate) struct Identity {
    /// Namespace and local name of every open element, outermost first (kept only when the
    /// schema has identity constraints).
    names: Vec<(Option<String>, String)>,
    /// Open scopes, outermost first.
    scopes: Vec<Scope>,
}

impl Identity {
    /// A copy for a pass that continues the document elsewhere; `None` while a scope is open.
    pub(crate) fn fork(&self) -> Option<Identity> {
        self.scopes.is_empty().then(|| Identity {
            names: self.names.clone(),
            scopes: Vec::new(),
        })
    }

    /// Whether both have the same open elements and no open scope.
    pub(crate) fn same_state(&self, other: &Identity) -> bool {
        self.scopes.is_empty() && other.scopes.is_empty() && self.names == other.names
    }
}

/// An open element whose declaration has identity constraints.
struct Scope {
    /// Its depth (1 = the root).
    depth: usize,
    /// Its constraints.
    constraints: Vec<Active>,
    /// Key-sequences of keys and uniques of scopes below that have ended, by constraint.
    below: HashMap<usize, Table>,
}

/// One constraint of a scope.
struct Active {
    /// Index into `Schema::identity_constraints`.
    ic: usize,
    /// Selected elements that are still open.
    targets: Vec<Target>,
    /// Key-sequences of ended targets (keys and uniques).
    table: Table,
    /// Key-sequences of ended targets (keyrefs), their texts and where they are.
    refs: Vec<(Vec<KeyValue>, Vec<String>, Where)>,
}

/// A selected element.
struct Target {
    depth: usize,
    at: Where,
    fields: Vec<Slot>,
}

/// Where a target is, for messages.
#[derive(Clone)]
struct Where {
    pos: (u32, u32),
    path: String,
    element: String,
}

/// One field of a target.
enum Slot {
    /// No node yet.
    Empty,
    /// An element at this depth; its value comes at its end.
    Pending(usize),
    /// The value, and its text for messages.
    Value(KeyValue, String),
    /// More than one node (reported).
    Multiple,
}

/// Key-sequences by bucket.
#[derive(Default)]
struct Table {
    rows: HashMap<String, Vec<Vec<KeyValue>>>,
}

impl Table {
    fn bucket(key: &[KeyValue]) -> String {
        key.iter()
            .map(KeyValue::bucket)
            .collect::<Vec<_>>()
            .join("\u{0}")
    }

    fn contains(&self, key: &[KeyValue]) -> bool {
        self.rows
            .get(&Self::bucket(key))
            .is_some_and(|rows| rows.iter().any(|r| same(r, key)))
    }

    /// Add `key`; `false` when an equal key-sequence is already there.
    fn insert(&mut self, key: Vec<KeyValue>) -> bool {
        let rows = self.rows.entry(Self::bucket(&key)).or_default();
        if rows.iter().any(|r| same(r, &key)) {
            return false;
        }
        rows.push(key);
        true
    }

    fn merge(&mut self, other: Table) {
        for row in other.rows.into_values().flatten() {
            self.insert(row);
        }
    }
}

fn same(a: &[KeyValue], b: &[KeyValue]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.equals(y))
}

/// Report an identity-constraint error at target `at`.
fn report(
    ctx: &mut Ctx,
    at: &Where,
    message: String,
    found: Option<String>,
    expected: String,
    declared_at: Option<String>,
) {
    if ctx.sink.full() {
        ctx.sink.dropped();
        return;
    }
    ctx.sink.push(super::super::sink::error(
        at.pos,
        at.path.clone(),
        rules::IDENTITY,
        message,
        found,
        Some(expected),
        declared_at,
    ));
}

fn shown(texts: &[String]) -> String {
    let quoted: Vec<String> = texts.iter().map(|t| format!("'{}'", short(t))).collect();
    format!("[{}]", quoted.join(", "))
}

impl Identity {
    /// The names of the open elements below depth `from` (exclusive), down to the current one.
    fn below(
        &self,
        from: usize,
    ) -> impl ExactSizeIterator<Item = (Option<&str>, &str)> + Clone + '_ {
        self.names
            .get(from..)
            .unwrap_or_default()
            .iter()
            .map(|(ns, local)| (ns.as_deref(), local.as_str()))
    }
}

impl Validator {
    /// An element starts (before it is validated): remember its name while the schema has
    /// identity constraints.
    #[inline]
    pub(super) fn identity_enter(&mut self, schema: &Schema, tag: &StartTag) {
        if !schema.identity_constraints.is_empty() {
            self.identity
                .names
                .push((tag.namespace.map(str::to_string), tag.local.to_string()));
        }
    }

    /// A validated element (declaration `decl`, type `ty`, frame already pushed) starts: match
    /// it against the open targets' fields and the scopes' selectors, and open its own scope.
    #[inline]
    pub(super) fn identity_start(
        &mut self,
        ctx: &mut Ctx,
        tag: &StartTag,
        decl: Option<ElementId>,
        ty: TypeRef,
    ) {
        if !ctx.schema.identity_constraints.is_empty() {
            self.identity_start_checked(ctx, tag, decl, ty);
        }
    }

    fn identity_start_checked(
        &mut self,
        ctx: &mut Ctx,
        tag: &StartTag,
        decl: Option<ElementId>,
        ty: TypeRef,
    ) {
        let schema = ctx.schema;
        let depth = self.frames.len();
        let mut pending_here = false;
        let identity = &mut self.identity;
        let mut scopes = std::mem::take(&mut identity.scopes);
        if let Some(d) = decl {
            let own: Vec<Active> = schema
                .identity_constraints
                .iter()
                .enumerate()
                .filter(|(_, c)| c.element == d)
                .map(|(ic, _)| Active {
                    ic,
                    targets: Vec::new(),
                    table: Table::default(),
                    refs: Vec::new(),
                })
                .collect();
            if !own.is_empty() {
                scopes.push(Scope {
                    depth,
                    constraints: own,
                    below: HashMap::new(),
                });
            }
        }
        for scope in &mut scopes {
            for active in &mut scope.constraints {
                let c = &schema.identity_constraints[active.ic];
                // The fields of the targets already open above this element.
                for t in &mut active.targets {
                    pending_here |= match_fields(ctx, identity, c, t, tag, ty, depth);
                }
                // Is this element selected?
                if c.selector
                    .iter()
                    .any(|p| p.matches_elements(identity.below(scope.depth)))
                {
                    let mut t = Target {
                        depth,
                        at: Where {
                            pos: tag.pos,
                            path: ctx.path.current(),
                            element: expanded_name(tag.local, tag.namespace),
                        },
                        fields: (0..c.fields.len()).map(|_| Slot::Empty).collect(),
                    };
                    pending_here |= match_fields(ctx, identity, c, &mut t, tag, ty, depth);
                    active.targets.push(t);
                }
            }
        }
        identity.scopes = scopes;
        if pending_here {
            if let Some(f) = self.frames.last_mut() {
                f.identity_field = true;
            }
        }
    }
}

/// The element of frame `f` (at depth `depth`, its frame already closed) ends: give its value
/// to the fields waiting for it, complete the targets it is, and close its scope.
pub(super) fn identity_end(identity: &mut Identity, ctx: &mut Ctx, f: &Frame, depth: usize) {
    let schema = ctx.schema;
    if schema.identity_constraints.is_empty() {
        return;
    }
    let mut scopes = std::mem::take(&mut identity.scopes);
    for scope in &mut scopes {
        for active in &mut scope.constraints {
            let c = &schema.identity_constraints[active.ic];
            for t in &mut active.targets {
                for (i, slot) in t.fields.iter_mut().enumerate() {
                    if matches!(slot, Slot::Pending(d) if *d == depth) {
                        *slot = element_value(ctx, f, c, i, &t.at);
                    }
                }
            }
            let (ended, open): (Vec<Target>, Vec<Target>) = std::mem::take(&mut active.targets)
                .into_iter()
                .partition(|t| t.depth == depth);
            active.targets = open;
            for t in ended {
                complete(ctx, active, t);
            }
        }
    }
    if scopes.last().is_some_and(|s| s.depth == depth) {
        if let Some(scope) = scopes.pop() {
            close_scope(ctx, scope, scopes.last_mut());
        }
    }
    identity.scopes = scopes;
    identity.names.pop();
}

/// Match the fields of constraint `c`'s target `t` against the element `tag` at `depth`:
/// attributes get their value now, an element is marked pending. Returns whether a field now
/// waits for this element's text.
fn match_fields(
    ctx: &mut Ctx,
    identity: &Identity,
    c: &qschema_model::IdentityConstraint,
    t: &mut Target,
    tag: &StartTag,
    ty: TypeRef,
    depth: usize,
) -> bool {
    let mut pending = false;
    for (i, alternatives) in c.fields.iter().enumerate() {
        for path in alternatives {
            if !path.matches_elements(identity.below(t.depth)) {
                continue;
            }
            match &path.attribute {
                None => {
                    pending = true;
                    set(ctx, c, path, t, i, Slot::Pending(depth));
                }
                Some(test) => {
                    for a in tag.attrs {
                        let local = split_qname(&a.qname).1;
                        // Namespace declarations are not attributes (they are in the xmlns
                        // namespace, `xmlns` itself included).
                        if a.namespace.as_deref() == Some(super::super::namespaces::XMLNS_NS)
                            || !test.matches(a.namespace.as_deref(), local)
                        {
                            continue;
                        }
                        let st = attribute_type(ctx.schema, ty, a.namespace.as_deref(), local);
                        let value = key_value(ctx, st, &a.value);
                        set(ctx, c, path, t, i, Slot::Value(value, a.value.clone()));
                    }
                }
            }
        }
    }
    pending
}

/// Fill field `i` of target `t`; a second node for the same field is an error
/// (cvc-identity-constraint.3: a field evaluates to at most one node).
fn set(
    ctx: &mut Ctx,
    c: &qschema_model::IdentityConstraint,
    path: &ConstraintPath,
    t: &mut Target,
    i: usize,
    slot: Slot,
) {
    let Some(current) = t.fields.get_mut(i) else {
        return;
    };
    match current {
        Slot::Empty => *current = slot,
        Slot::Multiple => {}
        _ => {
            *current = Slot::Multiple;
            let m = format!(
                "Element '{}': The XPath '{path}' of a field of {} identity-constraint '{}' evaluates to a node-set with more than one member.",
                t.at.element,
                c.kind.name(),
                c.name
            );
            let declared_at = Some(ctx.schema.display_location(c.location));
            report(
                ctx,
                &t.at,
                m,
                None,
                "one node per field".to_string(),
                declared_at,
            );
        }
    }
}

/// The value of an element a field selected, at its end: its text in its simple type (an
/// element without simple content is an error: cvc-identity-constraint.3).
fn element_value(
    ctx: &mut Ctx,
    f: &Frame,
    c: &qschema_model::IdentityConstraint,
    i: usize,
    at: &Where,
) -> Slot {
    match f.content {
        ContentCheck::Simple(st) if !f.nil && !f.text_overflow => {
            Slot::Value(key_value(ctx, st, &f.text), f.text.clone())
        }
        // A nilled element, or one whose text was too long to keep, gives no value.
        ContentCheck::Simple(_) => Slot::Empty,
        _ => {
            let path = c
                .fields
                .get(i)
                .map_or(String::new(), |p| qschema_model::identity::show_paths(p));
            let m = format!(
                "Element '{}': The XPath '{path}' of a field of {} identity-constraint '{}' evaluates to a node of non-simple type.",
                at.element,
                c.kind.name(),
                c.name
            );
            let declared_at = Some(ctx.schema.display_location(c.location));
            let expected = "an element or attribute with a simple type".to_string();
            let element = f.name(as_written(ctx.path, 0)).to_string();
            report(ctx, at, m, Some(element), expected, declared_at);
            Slot::Multiple
        }
    }
}

/// A target ended: check and keep its key-sequence.
fn complete(ctx: &mut Ctx, active: &mut Active, t: Target) {
    let c = &ctx.schema.identity_constraints[active.ic];
    let declared_at = Some(ctx.schema.display_location(c.location));
    let mut key = Vec::with_capacity(t.fields.len());
    let mut texts = Vec::with_capacity(t.fields.len());
    for slot in t.fields {
        match slot {
            Slot::Value(v, text) => {
                key.push(v);
                texts.push(text);
            }
            Slot::Multiple => return,
            Slot::Empty | Slot::Pending(_) => {
                // cvc-identity-constraint.4.2.1: a key's fields all evaluate to a node.
                if c.kind == IdentityKind::Key {
                    let m = format!(
                        "Element '{}': Not all fields of key identity-constraint '{}' evaluate to a node.",
                        t.at.element, c.name
                    );
                    let expected = format!("a value for every field of key '{}'", c.name);
                    report(ctx, &t.at, m, None, expected, declared_at);
                }
                return;
            }
        }
    }
    match c.kind {
        IdentityKind::KeyRef { .. } => active.refs.push((key, texts, t.at)),
        _ => {
            if !active.table.insert(key) {
                let m = format!(
                    "Element '{}': Duplicate key-sequence {} in {} identity-constraint '{}'.",
                    t.at.element,
                    shown(&texts),
                    c.kind.name(),
                    c.name
                );
                let expected = format!("a key-sequence not seen before in '{}'", c.name);
                report(ctx, &t.at, m, Some(shown(&texts)), expected, declared_at);
            }
        }
    }
}

/// A scope ended: its keyrefs must find their key-sequences (cvc-identity-constraint.4.3);
/// then its keys' and uniques' tables go to the scope above.
fn close_scope(ctx: &mut Ctx, mut scope: Scope, parent: Option<&mut Scope>) {
    let schema = ctx.schema;
    let mut tables: HashMap<usize, Table> = std::mem::take(&mut scope.below);
    for active in &mut scope.constraints {
        if !matches!(
            schema.identity_constraints[active.ic].kind,
            IdentityKind::KeyRef { .. }
        ) {
            tables
                .entry(active.ic)
                .or_default()
                .merge(std::mem::take(&mut active.table));
        }
    }
    for active in scope.constraints {
        let c = &schema.identity_constraints[active.ic];
        let IdentityKind::KeyRef { refer } = c.kind else {
            continue;
        };
        let referred = &schema.identity_constraints[refer];
        for (key, texts, at) in active.refs {
            if tables.get(&refer).is_some_and(|t| t.contains(&key)) {
                continue;
            }
            let m = format!(
                "Element '{}': No match found for key-sequence {} of keyref '{}'.",
                at.element,
                shown(&texts),
                c.name
            );
            let expected = format!(
                "a key-sequence of {} '{}'",
                referred.kind.name(),
                referred.name
            );
            let declared_at = Some(schema.display_location(c.location));
            report(ctx, &at, m, Some(shown(&texts)), expected, declared_at);
        }
    }
    if let Some(parent) = parent {
        for (ic, table) in tables {
            parent.below.entry(ic).or_default().merge(table);
        }
    }
}

/// The simple type of attribute `local` in `namespace` of an element of type `ty` (a string
/// when the type does not declare it).
fn attribute_type(
    schema: &Schema,
    ty: TypeRef,
    namespace: Option<&str>,
    local: &str,
) -> SimpleTypeId {
    let declared = match ty {
        TypeRef::Complex(c) => schema.complex_types.get(c.index()).and_then(|c| {
            c.attributes
                .iter()
                .find(|u| u.name == local && u.namespace.as_deref() == namespace)
                .map(|u| u.ty)
        }),
        TypeRef::Simple(_) => None,
    };
    declared
        .or_else(|| schema.global_attribute(namespace, local).map(|a| a.ty))
        .unwrap_or(qschema_model::Builtin::String.id())
}

/// `raw` as a value of `st` (its text when it is not a valid one: that error is reported by
/// the value check).
fn key_value(ctx: &Ctx, st: SimpleTypeId, raw: &str) -> KeyValue {
    ctx.cs
        .checker()
        .key_value(ctx.schema, st, raw)
        .unwrap_or_else(|_| KeyValue::text(raw))
}
