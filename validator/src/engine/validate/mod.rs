//! Validation proper: one [`Frame`] per open element with its content-model state, attribute
//! checks, simple content, `xsi:nil`/`xsi:type`, ID/IDREF bookkeeping. Fed by the driver.

use std::collections::HashSet;

use qschema_model::automaton::{ContentAutomaton, Match, State};
use qschema_model::{
    Blocked, ComplexTypeId, Content, ElementId, ElementType, ProcessContents, SchemaKind,
    SimpleTypeId, TypeRef, ValueConstraint,
};

use super::compile::CompiledSchema;
use super::messages::{content_to_dtd, expanded_name, push_expanded_name};
use super::namespaces::{split_qname, Namespaces};
use super::options::Options;
use super::sink::{error, Sink};
use super::string_pool::MAX_KEPT;
use crate::datatypes::InScope;
use crate::path::PathTracker;
use crate::report::rules;

mod attributes;
mod content;
mod context;
mod frames;
mod identity;
mod lookup;
mod non_text;
mod standalone;

pub(crate) use non_text::NonText;

use context::{unexpected, Ctx};
use frames::Frames;
use lookup::*;

/// An attribute of a start tag, after normalization and namespace resolution.
#[derive(Clone, Debug)]
pub(crate) struct Attr {
    /// As written.
    pub qname: String,
    /// Resolved namespace (prefixed attributes only; `xmlns` ones get the xmlns namespace).
    pub namespace: Option<String>,
    /// Normalized value, references expanded.
    pub value: String,
    /// Position of the attribute name.
    pub pos: (u32, u32),
}

impl Attr {
    /// The name as xmllint shows it in XSD messages: `{namespace}local` or `local`.
    pub(crate) fn xsd_name(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{{{ns}}}{}", split_qname(&self.qname).1),
            None => self.qname.clone(),
        }
    }
}

/// A start tag, as the validator sees it.
pub(crate) struct StartTag<'a> {
    pub qname: &'a str,
    pub local: &'a str,
    pub namespace: Option<&'a str>,
    pub pos: (u32, u32),
    pub attrs: &'a [Attr],
    pub is_root: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ChildMode {
    /// Children are not validated at all (skip wildcard, no schema).
    Skip,
    /// Children are validated against a global declaration when one exists (DTD: must exist).
    Lax,
    /// Children follow this element's content.
    Normal,
}

#[derive(Clone, Debug, PartialEq)]
enum ContentCheck {
    /// Nothing to check (no declaration).
    Nothing,
    /// No children, no text.
    Empty,
    /// Any declared children, any text.
    Any,
    /// Text of this simple type only.
    Simple(SimpleTypeId),
    /// Children by the automaton (`None` when it could not be compiled).
    Elements {
        ct: ComplexTypeId,
        state: Option<State>,
        mixed: bool,
    },
}

#[derive(Clone, Debug, PartialEq)]
struct Frame {
    /// Name used in messages (DTD: as written; XSD: local name).
    display: String,
    pos: (u32, u32),
    decl: Option<ElementId>,
    mode: ChildMode,
    content: ContentCheck,
    nil: bool,
    text: String,
    text_overflow: bool,
    text_reported: bool,
    child_reported: bool,
    has_children: bool,
    has_text: bool,
    /// An identity-constraint field waits for this element's text.
    identity_field: bool,
}

impl Frame {
    /// The element's name in messages (see [`name_in_messages`]).
    fn name<'a>(&'a self, as_written: &'a str) -> &'a str {
        name_in_messages(&self.display, as_written)
    }

    /// A frame of no element yet (see [`Frames::open_next`]).
    const EMPTY: Frame = Frame {
        display: String::new(),
        pos: (0, 0),
        decl: None,
        mode: ChildMode::Skip,
        content: ContentCheck::Nothing,
        nil: false,
        text: String::new(),
        text_overflow: false,
        text_reported: false,
        child_reported: false,
        has_children: false,
        has_text: false,
        identity_field: false,
    };
}

/// An IDREF whose ID had not been seen yet (checked at the end of the document; memory is
/// proportional to such forward references).
struct PendingRef {
    id: String,
    pos: (u32, u32),
    path: String,
    /// The element holding the reference (as named in messages).
    element: String,
    /// The attribute holding it (empty for element text).
    attr: String,
}

/// The validator's state for one document.
pub(crate) struct Validator {
    frames: Frames,
    doctype: Option<String>,
    ids: HashSet<String>,
    refs: Vec<PendingRef>,
    /// Bytes of simple-content text kept by all open elements together.
    text_total: usize,
    /// `standalone="yes"` (see [`standalone`]).
    standalone: bool,
    /// Automaton states of closed elements, for reuse (at most [`MAX_KEPT`]).
    spare_states: Vec<State>,
    /// XSD identity constraints (see [`identity`]).
    identity: identity::Identity,
    /// Unparsed entities the document's DTD declares (XSD `ENTITY` values must name one).
    unparsed_entities: HashSet<String>,
}

/// What a validator can hand to the next one: memory, never document state.
#[derive(Default)]
pub(crate) struct Pools {
    frames: Frames,
    spare_states: Vec<State>,
}

/// [`Validator::in_scope`] from the unparsed entities alone (while a frame is borrowed).
fn in_scope<T>(
    unparsed_entities: &HashSet<String>,
    ns: &Namespaces,
    use_scope: impl FnOnce(&InScope) -> T,
) -> T {
    let resolve = |p: &str| ns.resolve(p).map(|uri| uri.map(str::to_string));
    let unparsed = |name: &str| unparsed_entities.contains(name);
    use_scope(&InScope {
        namespaces: &resolve,
        unparsed_entity: &unparsed,
    })
}

/// An element's name in messages: `display`, or, when that is empty, the name as written
/// (`as_written`, which the path tracker keeps: a frame keeps a name only when it differs,
/// see [`Validator::start`]).
fn name_in_messages<'a>(display: &'a str, as_written: &'a str) -> &'a str {
    if display.is_empty() {
        as_written
    } else {
        display
    }
}

/// The name as written of the open element `up` levels above the innermost one (0: the
/// innermost).
fn as_written(path: &PathTracker, up: usize) -> &str {
    path.open_names().nth_back(up).unwrap_or_default()
}

/// Report an `xsi:type` that names no type of the schema.
fn unresolved_xsi_type(ctx: &mut Ctx, a: &Attr, display: &str, declared_at: Option<String>) {
    ctx.err_attr(
        a,
        rules::XSI_TYPE,
        format!(
            "Element '{display}', attribute 'xsi:type': The QName value '{}' of the xsi:type attribute does not resolve to a type definition.",
            a.value.trim()
        ),
        Some("the name of a type of the schema".to_string()),
        declared_at,
    );
}

fn is_true(v: &str) -> bool {
    matches!(v.trim(), "true" | "1")
}

impl Validator {
    /// A validator before the root element, using the memory of an earlier document's
    /// validator (or `Pools::default()`).
    pub(crate) fn with_pools(pools: Pools) -> Validator {
        let Pools {
            mut frames,
            spare_states,
        } = pools;
        frames.restart();
        Validator {
            frames,
            doctype: None,
            ids: HashSet::new(),
            refs: Vec::new(),
            text_total: 0,
            standalone: false,
            spare_states,
            identity: identity::Identity::default(),
            unparsed_entities: HashSet::new(),
        }
    }

    /// A copy of this state for a pass that continues the document elsewhere (a worker of a
    /// split document); `None` while it holds what a later part would have to see (IDs,
    /// IDREFs, open identity-constraint scopes).
    pub(crate) fn fork(&self) -> Option<Validator> {
        if self.saw_ids() {
            return None;
        }
        Some(Validator {
            frames: self.frames.clone(),
            doctype: self.doctype.clone(),
            ids: HashSet::new(),
            refs: Vec::new(),
            text_total: self.text_total,
            standalone: self.standalone,
            spare_states: Vec::new(),
            identity: self.identity.fork()?,
            unparsed_entities: self.unparsed_entities.clone(),
        })
    }

    /// Whether this state and `other` (a [`Validator::fork`]) validate the rest of a document
    /// alike: the same open frames and settings, and nothing a later part would have to see.
    pub(crate) fn same_state(&self, other: &Validator) -> bool {
        !self.saw_ids()
            && !other.saw_ids()
            && self.frames == other.frames
            && self.doctype == other.doctype
            && self.text_total == other.text_total
            && self.standalone == other.standalone
            && self.identity.same_state(&other.identity)
            && self.unparsed_entities == other.unparsed_entities
    }

    /// Whether the document so far had IDs or IDREFs (a part of a split document that had
    /// them cannot be joined to the parts before it).
    pub(crate) fn saw_ids(&self) -> bool {
        !self.ids.is_empty() || !self.refs.is_empty()
    }

    /// The reusable memory (no document state: frames are emptied, pooled strings are empty).
    pub(crate) fn into_pools(mut self) -> Pools {
        self.frames.restart();
        Pools {
            frames: self.frames,
            spare_states: self.spare_states,
        }
    }

    /// An empty string for the next frame's name: the one of the frame it takes over, else
    /// a new one.
    fn take_display(&mut self) -> String {
        self.frames.kept_display().unwrap_or_default()
    }

    /// The start state of `auto`: the state of the frame the next element takes over, or one
    /// from the pool, when there is one.
    fn take_state(&mut self, auto: &ContentAutomaton) -> State {
        match self.frames.kept_state().or_else(|| self.spare_states.pop()) {
            Some(mut state) => {
                auto.restart(&mut state);
                state
            }
            None => auto.start(),
        }
    }

    /// Push the frame of an element that is not checked (`mode` says how its children are).
    fn push_unchecked(&mut self, tag: &StartTag, mode: ChildMode) {
        // Named as written: the path tracker has the name (see `Frame::name`).
        self.push_frame(
            String::new(),
            tag.pos,
            None,
            mode,
            ContentCheck::Nothing,
            false,
        );
    }

    /// Open a frame for an element (in the place of the frame kept at its depth, whose text
    /// buffer it keeps; nothing seen or reported yet).
    fn push_frame(
        &mut self,
        display: String,
        pos: (u32, u32),
        decl: Option<ElementId>,
        mode: ChildMode,
        content: ContentCheck,
        nil: bool,
    ) {
        // The frame this one takes over keeps its state when this one has none.
        if let Some(state) = self.frames.kept_state() {
            if self.spare_states.len() < MAX_KEPT {
                self.spare_states.push(state);
            }
        }
        // Every field is named (no `..`), so a new field cannot be left with the value of the
        // element this frame was last: the text buffer (emptied by `open_next`) is kept, and
        // an empty name keeps the memory of the one it replaces.
        let Frame {
            display: f_display,
            pos: f_pos,
            decl: f_decl,
            mode: f_mode,
            content: f_content,
            nil: f_nil,
            text: _,
            text_overflow,
            text_reported,
            child_reported,
            has_children,
            has_text,
            identity_field,
        } = self.frames.open_next();
        if display.is_empty() {
            f_display.clear();
        } else {
            *f_display = display;
        }
        (*f_pos, *f_decl, *f_mode, *f_content, *f_nil) = (pos, decl, mode, content, nil);
        (*text_overflow, *text_reported, *child_reported) = (false, false, false);
        (*has_children, *has_text, *identity_field) = (false, false, false);
    }

    /// The XML declaration's `standalone="yes"`.
    pub(crate) fn set_standalone(&mut self, standalone: bool) {
        self.standalone = standalone;
    }

    /// The unparsed entities the document's DTD declares (the names XSD `ENTITY` values may
    /// take).
    pub(crate) fn set_unparsed_entities(&mut self, names: impl IntoIterator<Item = String>) {
        self.unparsed_entities = names.into_iter().collect();
    }

    /// What the document has in scope for an XSD value: `ns`'s bindings and the unparsed
    /// entities, as `use_scope` receives them.
    pub(crate) fn in_scope<T>(&self, ns: &Namespaces, use_scope: impl FnOnce(&InScope) -> T) -> T {
        in_scope(&self.unparsed_entities, ns, use_scope)
    }

    /// The document's DOCTYPE name (constrains the root when validating against a DTD).
    pub(crate) fn set_doctype(&mut self, name: Option<String>) {
        self.doctype = name;
    }

    /// Report the schema's findings and unusable parts (once, before the root element).
    pub(crate) fn announce_schema(&mut self, cs: Option<&CompiledSchema>, sink: &mut Sink) {
        let Some(cs) = cs else { return };
        let schema = cs.schema();
        for f in &schema.findings {
            let at = schema.display_location(f.location);
            sink.push(error(
                (0, 0),
                "/".to_string(),
                rules::SCHEMA_FINDING,
                format!("{at}: {} [{}]", f.message, f.rule),
                None,
                None,
                Some(at),
            ));
        }
        for p in cs.problems() {
            sink.push(error(
                (0, 0),
                "/".to_string(),
                rules::SCHEMA_FINDING,
                format!("{}: {}", p.location, p.message),
                None,
                None,
                Some(p.location.clone()),
            ));
        }
    }

    /// An element starts.
    pub(crate) fn start(
        &mut self,
        cs: Option<&CompiledSchema>,
        tag: &StartTag,
        ns: &Namespaces,
        sink: &mut Sink,
        path: &PathTracker,
        opts: &Options,
    ) {
        let _ = opts;
        let Some(cs) = cs else {
            self.push_unchecked(tag, ChildMode::Skip);
            return;
        };
        let schema = cs.schema();
        self.identity_enter(schema, tag);
        let dtd = schema.kind == SchemaKind::Dtd;
        // xmllint names XSD elements `{namespace}local`. A frame keeps that name only when it
        // is not the name as written, which the path tracker has (see `Frame::name`): so the
        // usual element copies no name here.
        let display_name = if !dtd && (tag.namespace.is_some() || tag.local != tag.qname) {
            let mut name = self.take_display();
            push_expanded_name(&mut name, tag.local, tag.namespace);
            name
        } else {
            String::new()
        };
        let display = name_in_messages(&display_name, tag.qname);
        let mut ctx = Ctx::new(cs, sink, path);
        // Which declaration applies?
        let decl: Result<Option<ElementId>, ChildMode> = if tag.is_root {
            self.root_decl(&mut ctx, tag)
        } else {
            self.child_decl(&mut ctx, tag)
        };
        let decl = match decl {
            Ok(Some(id)) => id,
            Ok(None) => {
                let mode = if dtd { ChildMode::Lax } else { ChildMode::Skip };
                self.push_unchecked(tag, mode);
                return;
            }
            // A DTD's element without a declaration (reported by `root_decl` or
            // `lookup_dtd`): its attributes are still checked against any attribute list.
            Err(ChildMode::Lax) if dtd => {
                self.check_undeclared_element_attributes(&mut ctx, tag, ns);
                self.push_unchecked(tag, ChildMode::Lax);
                return;
            }
            Err(ChildMode::Lax) => {
                match Self::lax_xsi_type(&mut ctx, tag, ns, display) {
                    Some(ty) => self.push_typed(&mut ctx, tag, display_name, ty, None, false, ns),
                    None => self.push_unchecked(tag, ChildMode::Lax),
                }
                return;
            }
            Err(mode) => {
                self.push_unchecked(tag, mode);
                return;
            }
        };
        let Some(d) = schema.elements.get(decl.index()) else {
            self.push_unchecked(tag, ChildMode::Lax);
            return;
        };
        let mut ty = match d.ty {
            ElementType::Complex(ct) => TypeRef::Complex(ct),
            ElementType::Simple(st) => TypeRef::Simple(st),
            ElementType::Undeclared => {
                ctx.err(
                    tag.pos,
                    rules::UNDECLARED_ELEMENT,
                    format!("No declaration for element {display}"),
                    Some(display.to_string()),
                    None,
                    None,
                );
                if dtd {
                    self.check_undeclared_element_attributes(&mut ctx, tag, ns);
                }
                self.push_unchecked(tag, ChildMode::Lax);
                return;
            }
        };
        let declared_at = || Some(schema.display_location(d.location));
        // xsi:type and xsi:nil (XSD only).
        let mut nil = false;
        if !dtd {
            if d.is_abstract {
                ctx.err(
                    tag.pos,
                    rules::XSI_TYPE,
                    format!("Element '{display}': The element declaration is abstract."),
                    None,
                    None,
                    declared_at(),
                );
            }
            if let Some(a) = find_xsi(tag.attrs, "type") {
                // What the declaration and its type block (`block`, `blockDefault`).
                let blocked = match ty {
                    TypeRef::Complex(c) => schema
                        .complex_types
                        .get(c.index())
                        .map_or(d.block, |c| d.block.union(c.block)),
                    TypeRef::Simple(_) => d.block,
                };
                match resolve_xsi_type(schema, ns, &a.value) {
                    // (An abstract xsi:type is reported below with the abstract declared type.)
                    Some(t) if derives_from(schema, t, ty, blocked) => ty = t,
                    Some(t) if derives_from(schema, t, ty, Blocked::default()) => ctx.err_attr(
                        a,
                        rules::XSI_TYPE,
                        format!(
                            "Element '{display}', attribute 'xsi:type': The type definition '{}', specified by xsi:type, is blocked: the element declaration or its type blocks a derivation method it uses (block=\"{}\").",
                            a.value.trim(),
                            blocked_methods(blocked)
                        ),
                        Some("a type derived without a blocked method".to_string()),
                        declared_at(),
                    ),
                    Some(_) => ctx.err_attr(
                        a,
                        rules::XSI_TYPE,
                        format!(
                            "Element '{display}', attribute 'xsi:type': The type definition '{}' is not validly derived from the type definition of the element declaration.",
                            a.value.trim()
                        ),
                        Some("a type derived from the declared type".to_string()),
                        declared_at(),
                    ),
                    None => unresolved_xsi_type(&mut ctx, a, display, declared_at()),
                }
            }
            if let Some(a) = find_xsi(tag.attrs, "nil") {
                let v = a.value.trim();
                if v != "true" && v != "false" && v != "1" && v != "0" {
                    ctx.err_attr(a, rules::NIL, format!("Element '{display}', attribute 'xsi:nil': '{v}' is not a valid value of the atomic type 'xs:boolean'."), Some("true or false".into()), None);
                } else if is_true(v) {
                    if !d.nillable {
                        ctx.err_attr(
                            a,
                            rules::NIL,
                            format!("Element '{display}': The element is not 'nillable'."),
                            None,
                            declared_at(),
                        );
                    } else {
                        nil = true;
                        if let Some(ValueConstraint::Fixed(f)) = &d.value_constraint {
                            ctx.err_attr(a, rules::NIL, format!("Element '{display}': The element cannot be 'nilled' because there is a fixed value constraint '{f}' defined."), None, declared_at());
                        }
                    }
                }
            }
        }
        self.push_typed(&mut ctx, tag, display_name, ty, Some(decl), nil, ns);
    }

    /// Push the frame of an element validated against type `ty` (`decl`: its declaration;
    /// `None` for an element a lax wildcard admits by its `xsi:type` alone): an abstract type
    /// is reported, then the attributes are checked and the content is set up.
    #[allow(clippy::too_many_arguments)]
    fn push_typed(
        &mut self,
        ctx: &mut Ctx,
        tag: &StartTag,
        display_name: String,
        ty: TypeRef,
        decl: Option<ElementId>,
        nil: bool,
        ns: &Namespaces,
    ) {
        let schema = ctx.schema;
        let cs = ctx.cs;
        let declared_at = || {
            decl.and_then(|d| schema.elements.get(d.index()))
                .map(|d| schema.display_location(d.location))
        };
        let shown = name_in_messages(&display_name, tag.qname);
        if !ctx.dtd {
            if let TypeRef::Complex(c) = ty {
                if schema
                    .complex_types
                    .get(c.index())
                    .is_some_and(|c| c.is_abstract)
                {
                    ctx.err(
                        tag.pos,
                        rules::XSI_TYPE,
                        format!("Element '{shown}': The type definition is abstract (use xsi:type to name a concrete type derived from it)."),
                        None,
                        Some("an xsi:type naming a concrete derived type".to_string()),
                        declared_at(),
                    );
                }
            }
        }
        // Attributes and content.
        let (ct, content) = match ty {
            TypeRef::Simple(st) => (None, ContentCheck::Simple(st)),
            TypeRef::Complex(ct) => {
                let content = match schema.complex_types.get(ct.index()).map(|c| &c.content) {
                    Some(Content::Empty) => ContentCheck::Empty,
                    Some(Content::Any) => ContentCheck::Any,
                    Some(Content::Simple(st)) => ContentCheck::Simple(*st),
                    Some(Content::Elements { mixed, .. }) => ContentCheck::Elements {
                        ct,
                        state: cs.automaton(ct).map(|a| self.take_state(a)),
                        mixed: *mixed,
                    },
                    None => ContentCheck::Nothing,
                };
                (Some(ct), content)
            }
        };
        self.check_attributes(ctx, tag, shown, ct, ns);
        self.push_frame(display_name, tag.pos, decl, ChildMode::Normal, content, nil);
        self.identity_start(ctx, tag, decl, ty);
    }

    /// The type an element a lax wildcard admits without a declaration is validated against:
    /// the one its `xsi:type` names (cvc-assess-elt.1.2: lax assessment validates by
    /// `xsi:type` when it can). An `xsi:type` that names no type is reported.
    fn lax_xsi_type(
        ctx: &mut Ctx,
        tag: &StartTag,
        ns: &Namespaces,
        display: &str,
    ) -> Option<TypeRef> {
        let a = find_xsi(tag.attrs, "type")?;
        let t = resolve_xsi_type(ctx.schema, ns, &a.value);
        if t.is_none() {
            unresolved_xsi_type(ctx, a, display, None);
        }
        t
    }

    fn root_decl(&mut self, ctx: &mut Ctx, tag: &StartTag) -> Result<Option<ElementId>, ChildMode> {
        let schema = ctx.schema;
        if ctx.dtd {
            let expected_root = self.doctype.clone().or_else(|| schema.doctype_name.clone());
            if let Some(root) = expected_root {
                if root != tag.qname {
                    ctx.err(
                        tag.pos,
                        rules::ROOT,
                        format!(
                            "root and DTD name do not match '{}' and '{root}'",
                            tag.qname
                        ),
                        Some(tag.qname.to_string()),
                        Some(root),
                        None,
                    );
                }
            }
            return match schema.global(tag.qname) {
                Some(id) => Ok(Some(id)),
                None => {
                    ctx.err(
                        tag.pos,
                        rules::UNDECLARED_ELEMENT,
                        format!("No declaration for element {}", tag.qname),
                        Some(tag.qname.to_string()),
                        None,
                        None,
                    );
                    Err(ChildMode::Lax)
                }
            };
        }
        match global_xsd(schema, tag.local, tag.namespace) {
            Some(id) => Ok(Some(id)),
            None => {
                let roots: Vec<String> = schema
                    .globals
                    .values()
                    .filter_map(|id| schema.elements.get(id.index()))
                    .map(|e| e.name.clone())
                    .take(10)
                    .collect();
                ctx.err(
                    tag.pos,
                    rules::ROOT,
                    format!(
                        "Element '{}': No matching global declaration available for the validation root.",
                        expanded_name(tag.local, tag.namespace)
                    ),
                    Some(expanded_name(tag.local, tag.namespace)),
                    Some(format!("one of {}", roots.join(", "))),
                    None,
                );
                Err(ChildMode::Skip)
            }
        }
    }

    fn child_decl(
        &mut self,
        ctx: &mut Ctx,
        tag: &StartTag,
    ) -> Result<Option<ElementId>, ChildMode> {
        let schema = ctx.schema;
        let dtd = ctx.dtd;
        // The child is the path's innermost element: the parent is one up.
        let path = ctx.path;
        let Some(parent) = self.frames.last_mut() else {
            return Err(ChildMode::Skip);
        };
        parent.has_children = true;
        let child_display = if dtd { tag.qname } else { tag.local };
        let recover = |ctx: &mut Ctx| -> Result<Option<ElementId>, ChildMode> {
            if dtd {
                lookup_dtd(ctx, tag)
            } else {
                match global_xsd(schema, tag.local, tag.namespace) {
                    Some(id) => Ok(Some(id)),
                    None => Err(ChildMode::Skip),
                }
            }
        };
        match parent.mode {
            ChildMode::Skip => return Err(ChildMode::Skip),
            ChildMode::Lax => {
                return if dtd {
                    lookup_dtd(ctx, tag)
                } else {
                    match global_xsd(schema, tag.local, tag.namespace) {
                        Some(id) => Ok(Some(id)),
                        None => Err(ChildMode::Lax),
                    }
                };
            }
            ChildMode::Normal => {}
        }
        let parent_decl = parent.decl;
        let parent_decl_at = move || {
            parent_decl
                .and_then(|d| schema.elements.get(d.index()))
                .map(|d| schema.display_location(d.location))
        };
        if parent.nil && !parent.child_reported {
            parent.child_reported = true;
            let m = format!("Element '{}': Character or element children are not allowed, because the element was 'nilled'.", parent.name(as_written(path, 1)));
            ctx.err(
                tag.pos,
                rules::NIL,
                m,
                Some(child_display.to_string()),
                None,
                parent_decl_at(),
            );
        }
        match &mut parent.content {
            ContentCheck::Nothing => recover(ctx),
            ContentCheck::Any => recover(ctx),
            ContentCheck::Empty => {
                let m = if dtd {
                    format!(
                        "Element {} was declared EMPTY this one has content",
                        parent.name(as_written(path, 1))
                    )
                } else {
                    format!("Element '{child_display}': This element is not expected. The content of '{}' must be empty.", parent.name(as_written(path, 1)))
                };
                ctx.err(
                    tag.pos,
                    rules::NOT_EMPTY,
                    m,
                    Some(child_display.to_string()),
                    Some("no content".into()),
                    parent_decl_at(),
                );
                recover(ctx)
            }
            ContentCheck::Simple(_) => {
                let m = if dtd {
                    format!("Element {} content does not follow the DTD, expecting (#PCDATA), got child element {child_display}", parent.name(as_written(path, 1)))
                } else {
                    format!("Element '{child_display}': This element is not expected. Element '{}' has a simple type and may only contain text.", parent.name(as_written(path, 1)))
                };
                ctx.err(
                    tag.pos,
                    rules::UNEXPECTED_ELEMENT,
                    m,
                    Some(child_display.to_string()),
                    Some("text only".into()),
                    parent_decl_at(),
                );
                recover(ctx)
            }
            ContentCheck::Elements { ct, state, .. } => {
                let ct = *ct;
                let (Some(auto), Some(state)) = (ctx.cs.automaton(ct), state.as_mut()) else {
                    let m = format!("Element '{}': its content model cannot be used for validation (see the schema-finding errors)", parent.name(as_written(path, 1)));
                    if !parent.child_reported {
                        parent.child_reported = true;
                        ctx.err(
                            tag.pos,
                            rules::UNEXPECTED_ELEMENT,
                            m,
                            None,
                            None,
                            parent_decl_at(),
                        );
                    }
                    return recover(ctx);
                };
                let name = if dtd { tag.qname } else { tag.local };
                let ns = if dtd { None } else { tag.namespace };
                match auto.step(state, name, ns) {
                    Ok(Match::Element(id)) => Ok(Some(id)),
                    Ok(Match::Wildcard(w)) => match w.process_contents {
                        ProcessContents::Skip => Err(ChildMode::Skip),
                        ProcessContents::Lax => {
                            match global_xsd(schema, tag.local, tag.namespace) {
                                Some(id) => Ok(Some(id)),
                                None => Err(ChildMode::Lax),
                            }
                        }
                        ProcessContents::Strict => {
                            match global_xsd(schema, tag.local, tag.namespace) {
                                Some(id) => Ok(Some(id)),
                                None => {
                                    ctx.err(
                                    tag.pos,
                                    rules::UNDECLARED_ELEMENT,
                                    format!("Element '{}': No matching global element declaration available, but demanded by the strict wildcard.", expanded_name(tag.local, tag.namespace)),
                                    Some(expanded_name(tag.local, tag.namespace)),
                                    Some("a globally declared element".into()),
                                    None,
                                );
                                    Err(ChildMode::Skip)
                                }
                            }
                        }
                    },
                    Err(expected) => {
                        if ctx.sink.full() {
                            ctx.sink.dropped();
                        } else {
                            let parent_display = parent.name(as_written(path, 1)).to_string();
                            let model = schema
                                .complex_types
                                .get(ct.index())
                                .map(|c| content_to_dtd(schema, &c.content))
                                .unwrap_or_default();
                            let shown = if dtd {
                                child_display.to_string()
                            } else {
                                expanded_name(tag.local, tag.namespace)
                            };
                            unexpected(
                                ctx,
                                tag.pos,
                                &parent_display,
                                &shown,
                                &model,
                                &expected,
                                parent_decl_at(),
                            );
                        }
                        // Recover: validate the child against a declaration of the same name in
                        // this content model, else its global declaration.
                        let local = auto.positions().iter().find_map(|p| match p {
                            qschema_model::automaton::Symbol::Element { id, .. }
                                if p.matches(name, ns) =>
                            {
                                Some(*id)
                            }
                            _ => None,
                        });
                        match local {
                            Some(id) => Ok(Some(id)),
                            None => recover(ctx),
                        }
                    }
                }
            }
        }
    }
}
