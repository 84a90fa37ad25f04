//! Validation proper: one [`Frame`] per open element with its content-model state, attribute
//! checks, simple content, `xsi:nil`/`xsi:type`, ID/IDREF bookkeeping. Fed by the driver.

use std::collections::HashSet;

use qschema_model::automaton::{Expected, Match, State};
use qschema_model::{
    AttributeUse, AttributeUseKind, Builtin, ComplexTypeId, Content, ElementId, ElementType,
    ProcessContents, Schema, SchemaKind, SimpleTypeId, TypeRef, ValueConstraint, Variety,
};

use super::compile::CompiledSchema;
use super::dtd_values;
use super::messages::{content_to_dtd, expanded_name, expected_phrase, item_name, short};
use super::namespaces::{split_qname, Namespaces, XMLNS_NS, XSI_NS, XS_NS};
use super::options::Options;
use super::sink::{error, Sink};
use crate::path::PathTracker;
use crate::report::rules;

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

#[derive(Debug)]
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

#[derive(Debug)]
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
}

struct PendingRef {
    id: String,
    pos: (u32, u32),
    path: String,
    attr: String,
}

/// The validator's state for one document.
pub(crate) struct Validator {
    frames: Vec<Frame>,
    doctype: Option<String>,
    ids: HashSet<String>,
    refs: Vec<PendingRef>,
}

fn is_true(v: &str) -> bool {
    matches!(v.trim(), "true" | "1")
}

impl Validator {
    /// A validator before the root element.
    pub(crate) fn new() -> Validator {
        Validator {
            frames: Vec::new(),
            doctype: None,
            ids: HashSet::new(),
            refs: Vec::new(),
        }
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
            self.frames.push(Frame::unchecked(tag, ChildMode::Skip));
            return;
        };
        let schema = cs.schema();
        let dtd = schema.kind == SchemaKind::Dtd;
        let display = if dtd { tag.qname } else { tag.local };
        let mut ctx = Ctx {
            cs,
            schema,
            sink,
            path,
            dtd,
        };
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
                self.frames.push(Frame::unchecked(tag, mode));
                return;
            }
            Err(mode) => {
                self.frames.push(Frame::unchecked(tag, mode));
                return;
            }
        };
        let Some(d) = schema.elements.get(decl.index()) else {
            self.frames.push(Frame::unchecked(tag, ChildMode::Lax));
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
                self.frames.push(Frame::unchecked(tag, ChildMode::Lax));
                return;
            }
        };
        let declared_at = Some(schema.display_location(d.location));
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
                    declared_at.clone(),
                );
            }
            if let Some(a) = find_xsi(tag.attrs, "type") {
                match resolve_xsi_type(schema, ns, &a.value) {
                    // (An abstract xsi:type is reported below with the abstract declared type.)
                    Some(t) if derives_from(schema, t, ty) => ty = t,
                    Some(_) => ctx.err_attr(
                        a,
                        rules::XSI_TYPE,
                        format!(
                            "Element '{display}', attribute 'xsi:type': The type definition '{}' is not validly derived from the type definition of the element declaration.",
                            a.value.trim()
                        ),
                        Some("a type derived from the declared type".to_string()),
                        declared_at.clone(),
                    ),
                    None => ctx.err_attr(
                        a,
                        rules::XSI_TYPE,
                        format!(
                            "Element '{display}', attribute 'xsi:type': The QName value '{}' of the xsi:type attribute does not resolve to a type definition.",
                            a.value.trim()
                        ),
                        Some("the name of a type of the schema".to_string()),
                        declared_at.clone(),
                    ),
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
                            declared_at.clone(),
                        );
                    } else {
                        nil = true;
                        if let Some(ValueConstraint::Fixed(f)) = &d.value_constraint {
                            ctx.err_attr(a, rules::NIL, format!("Element '{display}': The element cannot be 'nilled' because there is a fixed value constraint '{f}' defined."), None, declared_at.clone());
                        }
                    }
                }
            }
        }
        if !dtd {
            if let TypeRef::Complex(c) = ty {
                if schema
                    .complex_types
                    .get(c.index())
                    .is_some_and(|c| c.is_abstract)
                {
                    ctx.err(
                        tag.pos,
                        rules::XSI_TYPE,
                        format!("Element '{display}': The type definition is abstract (use xsi:type to name a concrete type derived from it)."),
                        None,
                        Some("an xsi:type naming a concrete derived type".to_string()),
                        declared_at.clone(),
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
                        state: cs.automaton(ct).map(|a| a.start()),
                        mixed: *mixed,
                    },
                    None => ContentCheck::Nothing,
                };
                (Some(ct), content)
            }
        };
        self.check_attributes(&mut ctx, tag, display, ct, ns);
        self.frames.push(Frame {
            display: display.to_string(),
            pos: tag.pos,
            decl: Some(decl),
            mode: ChildMode::Normal,
            content,
            nil,
            text: String::new(),
            text_overflow: false,
            text_reported: false,
            child_reported: false,
            has_children: false,
            has_text: false,
        });
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
        let parent_decl_at = parent
            .decl
            .and_then(|d| schema.elements.get(d.index()))
            .map(|d| schema.display_location(d.location));
        if parent.nil && !parent.child_reported {
            parent.child_reported = true;
            let m = format!("Element '{}': Character or element children are not allowed, because the element was 'nilled'.", parent.display);
            ctx.err(
                tag.pos,
                rules::NIL,
                m,
                Some(child_display.to_string()),
                None,
                parent_decl_at.clone(),
            );
        }
        match &mut parent.content {
            ContentCheck::Nothing => recover(ctx),
            ContentCheck::Any => recover(ctx),
            ContentCheck::Empty => {
                let m = if dtd {
                    format!(
                        "Element {} was declared EMPTY this one has content",
                        parent.display
                    )
                } else {
                    format!("Element '{child_display}': This element is not expected. The content of '{}' must be empty.", parent.display)
                };
                ctx.err(
                    tag.pos,
                    rules::NOT_EMPTY,
                    m,
                    Some(child_display.to_string()),
                    Some("no content".into()),
                    parent_decl_at,
                );
                recover(ctx)
            }
            ContentCheck::Simple(_) => {
                let m = if dtd {
                    format!("Element {} content does not follow the DTD, expecting (#PCDATA), got child element {child_display}", parent.display)
                } else {
                    format!("Element '{child_display}': This element is not expected. Element '{}' has a simple type and may only contain text.", parent.display)
                };
                ctx.err(
                    tag.pos,
                    rules::UNEXPECTED_ELEMENT,
                    m,
                    Some(child_display.to_string()),
                    Some("text only".into()),
                    parent_decl_at,
                );
                recover(ctx)
            }
            ContentCheck::Elements { ct, state, .. } => {
                let ct = *ct;
                let (Some(auto), Some(state)) = (ctx.cs.automaton(ct), state.as_mut()) else {
                    let m = format!("Element '{}': its content model cannot be used for validation (see the schema-finding errors)", parent.display);
                    if !parent.child_reported {
                        parent.child_reported = true;
                        ctx.err(
                            tag.pos,
                            rules::UNEXPECTED_ELEMENT,
                            m,
                            None,
                            None,
                            parent_decl_at,
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
                        let parent_display = parent.display.clone();
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
                            parent_decl_at,
                        );
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

    fn check_attributes(
        &mut self,
        ctx: &mut Ctx,
        tag: &StartTag,
        display: &str,
        ct: Option<ComplexTypeId>,
        ns: &Namespaces,
    ) {
        let schema = ctx.schema;
        let ctype = ct.and_then(|c| schema.complex_types.get(c.index()));
        let uses: &[AttributeUse] = ctype.map(|c| c.attributes.as_slice()).unwrap_or(&[]);
        let mut seen = vec![false; uses.len()];
        for a in tag.attrs {
            let (prefix, local) = split_qname(&a.qname);
            if !ctx.dtd {
                if a.namespace.as_deref() == Some(XMLNS_NS) {
                    continue;
                }
                if a.namespace.as_deref() == Some(XSI_NS)
                    && matches!(
                        local,
                        "type" | "nil" | "schemaLocation" | "noNamespaceSchemaLocation"
                    )
                {
                    continue;
                }
            }
            let found = uses.iter().position(|u| {
                if ctx.dtd {
                    u.name == a.qname
                } else {
                    u.name == local
                        && u.namespace.as_deref() == a.namespace.as_deref()
                        && (prefix.is_empty() == a.namespace.is_none())
                }
            });
            let Some(i) = found else {
                let allowed = !ctx.dtd
                    && ctype
                        .and_then(|c| c.any_attribute.as_ref())
                        .is_some_and(|w| {
                            qschema_model::automaton::wildcard_allows(w, a.namespace.as_deref())
                        });
                if !allowed {
                    let m = if ctx.dtd {
                        format!(
                            "No declaration for attribute {} of element {display}",
                            a.qname
                        )
                    } else {
                        format!("Element '{display}', attribute '{}': The attribute '{}' is not allowed.", a.qname, a.qname)
                    };
                    let expected: Vec<&str> = uses
                        .iter()
                        .filter(|u| u.use_ != AttributeUseKind::Prohibited)
                        .map(|u| u.name.as_str())
                        .collect();
                    let expected = if expected.is_empty() {
                        "no attributes".to_string()
                    } else {
                        format!("one of {}", expected.join(", "))
                    };
                    ctx.err_attr(
                        a,
                        rules::UNDECLARED_ATTRIBUTE,
                        m,
                        Some(expected),
                        ctype.map(|c| schema.display_location(c.location)),
                    );
                }
                continue;
            };
            if let Some(s) = seen.get_mut(i) {
                *s = true;
            }
            let Some(u) = uses.get(i) else { continue };
            let declared_at = Some(schema.display_location(u.location));
            if u.use_ == AttributeUseKind::Prohibited {
                let m = format!(
                    "Element '{display}', attribute '{}': The attribute '{}' is not allowed.",
                    a.qname, a.qname
                );
                ctx.err_attr(
                    a,
                    rules::UNDECLARED_ATTRIBUTE,
                    m,
                    Some("attribute absent (prohibited)".into()),
                    declared_at,
                );
                continue;
            }
            self.check_attribute_value(ctx, tag, display, a, u, ns, declared_at);
        }
        for (u, seen) in uses.iter().zip(&seen) {
            if *seen || u.use_ != AttributeUseKind::Required {
                continue;
            }
            let m = if ctx.dtd {
                format!("Element {display} does not carry attribute {}", u.name)
            } else {
                format!(
                    "Element '{display}': The attribute '{}' is required but missing.",
                    u.name
                )
            };
            ctx.err(
                tag.pos,
                rules::MISSING_ATTRIBUTE,
                m,
                None,
                Some(u.name.clone()),
                Some(schema.display_location(u.location)),
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn check_attribute_value(
        &mut self,
        ctx: &mut Ctx,
        tag: &StartTag,
        display: &str,
        a: &Attr,
        u: &AttributeUse,
        ns: &Namespaces,
        declared_at: Option<String>,
    ) {
        let _ = tag;
        let schema = ctx.schema;
        let ids = if let (true, Some(dt)) = (ctx.dtd, &u.dtd_type) {
            let value = dtd_values::normalize(dt, &a.value);
            if let Some(ValueConstraint::Fixed(f)) = &u.value_constraint {
                if *f != value {
                    let m = format!(
                        "Value for attribute {} of {display} is different from default \"{f}\"",
                        a.qname
                    );
                    ctx.err_attr_found(
                        a,
                        rules::FIXED_VALUE,
                        m,
                        &value,
                        Some(f.clone()),
                        declared_at.clone(),
                    );
                }
            }
            match dtd_values::check(schema, dt, &a.qname, display, &value) {
                Ok(ids) => ids,
                Err((m, expected)) => {
                    ctx.err_attr_found(
                        a,
                        rules::INVALID_VALUE,
                        m,
                        &value,
                        Some(expected),
                        declared_at,
                    );
                    return;
                }
            }
        } else {
            let checker = ctx.cs.checker();
            let prefix_bound = |p: &str| ns.resolve(p).is_some();
            if let Err(e) = checker.check_with_prefixes(schema, u.ty, &a.value, &prefix_bound) {
                let m = format!(
                    "Element '{display}', attribute '{}': {}.",
                    a.qname,
                    e.message.trim_end_matches('.')
                );
                ctx.err_attr_found(
                    a,
                    rules::INVALID_VALUE,
                    m,
                    &a.value,
                    Some(e.expected),
                    declared_at,
                );
                return;
            }
            if let Some(ValueConstraint::Fixed(f)) = &u.value_constraint {
                if !checker
                    .values_equal(schema, u.ty, &a.value, f)
                    .unwrap_or(false)
                {
                    let m = format!("Element '{display}', attribute '{}': The value '{}' does not match the fixed value constraint '{f}'.", a.qname, short(&a.value));
                    ctx.err_attr_found(
                        a,
                        rules::FIXED_VALUE,
                        m,
                        &a.value,
                        Some(f.clone()),
                        declared_at.clone(),
                    );
                }
            }
            let normalized = checker.normalize(u.ty, &a.value).into_owned();
            xsd_id_use(schema, u.ty, &normalized)
        };
        if let Some(id) = ids.id {
            if !self.ids.insert(id.clone()) {
                let m = if ctx.dtd {
                    format!("ID {id} already defined")
                } else {
                    format!("Element '{display}', attribute '{}': '{id}' is not a valid value of the atomic type 'xs:ID'; the ID is already defined.", a.qname)
                };
                ctx.err_attr_found(
                    a,
                    rules::DUPLICATE_ID,
                    m,
                    &id,
                    Some("a unique ID".into()),
                    None,
                );
            } else {
                self.refs.retain(|r| r.id != id);
            }
        }
        for r in ids.refs {
            if !self.ids.contains(&r) {
                self.refs.push(PendingRef {
                    id: r,
                    pos: a.pos,
                    path: ctx.path.attribute(&a.qname),
                    attr: a.qname.clone(),
                });
            }
        }
    }

    /// Character data in the current element (after reference expansion).
    pub(crate) fn text(
        &mut self,
        cs: Option<&CompiledSchema>,
        text: &str,
        pos: (u32, u32),
        sink: &mut Sink,
        path: &PathTracker,
        opts: &Options,
    ) {
        let Some(cs) = cs else { return };
        let dtd = cs.schema().kind == SchemaKind::Dtd;
        let Some(f) = self.frames.last_mut() else {
            return;
        };
        if text.is_empty() || f.mode != ChildMode::Normal {
            return;
        }
        let blank = text.chars().all(super::chars::is_xml_space);
        if !blank {
            f.has_text = true;
        }
        let declared_at = f
            .decl
            .and_then(|d| cs.schema().elements.get(d.index()))
            .map(|d| cs.schema().display_location(d.location));
        let mut report = |f: &mut Frame, rule: &str, m: String| {
            if !f.text_reported {
                f.text_reported = true;
                sink.push(error(
                    pos,
                    path.current(),
                    rule,
                    m,
                    Some(short(text.trim())),
                    None,
                    declared_at.clone(),
                ));
            }
        };
        if f.nil && !blank {
            let m = format!("Element '{}': Character or element children are not allowed, because the element was 'nilled'.", f.display);
            report(f, rules::NIL, m);
            return;
        }
        match &f.content {
            ContentCheck::Nothing | ContentCheck::Any => {}
            ContentCheck::Empty => {
                let m = if dtd {
                    format!(
                        "Element {} was declared EMPTY this one has content",
                        f.display
                    )
                } else {
                    format!("Element '{}': Character content is not allowed, because the content type is empty.", f.display)
                };
                report(f, rules::NOT_EMPTY, m);
            }
            ContentCheck::Elements { mixed: true, .. } => {}
            ContentCheck::Elements { mixed: false, .. } => {
                if !blank {
                    let m = if dtd {
                        format!("Element {} content does not follow the DTD, text is not allowed (element content)", f.display)
                    } else {
                        format!("Element '{}': Character content other than whitespace is not allowed because the content type is 'element-only'.", f.display)
                    };
                    report(f, rules::UNEXPECTED_TEXT, m);
                }
            }
            ContentCheck::Simple(_) => {
                if f.text.len() + text.len() > opts.max_text_bytes {
                    f.text_overflow = true;
                    let m = format!("Element '{}': text content longer than {} bytes (max_text_bytes); its value is not checked", f.display, opts.max_text_bytes);
                    report(f, rules::LIMIT, m);
                } else if !f.text_overflow {
                    f.text.push_str(text);
                }
            }
        }
    }

    /// More text than `max_text_bytes` arrived in one run.
    pub(crate) fn text_overflow(
        &mut self,
        pos: (u32, u32),
        sink: &mut Sink,
        path: &PathTracker,
        opts: &Options,
    ) {
        let Some(f) = self.frames.last_mut() else {
            return;
        };
        if let ContentCheck::Simple(_) = f.content {
            f.text_overflow = true;
            if !f.text_reported {
                f.text_reported = true;
                let m = format!("Element '{}': text content longer than {} bytes (max_text_bytes); its value is not checked", f.display, opts.max_text_bytes);
                sink.push(error(
                    pos,
                    path.current(),
                    rules::LIMIT,
                    m,
                    None,
                    None,
                    None,
                ));
            }
        }
    }

    /// The current element ends (`end_pos`: its end tag, or the start tag of an empty element).
    pub(crate) fn end(
        &mut self,
        cs: Option<&CompiledSchema>,
        end_pos: (u32, u32),
        sink: &mut Sink,
        path: &PathTracker,
        opts: &Options,
    ) {
        let _ = (end_pos, opts);
        let Some(f) = self.frames.pop() else { return };
        let Some(cs) = cs else { return };
        if f.mode != ChildMode::Normal {
            return;
        }
        let schema = cs.schema();
        let dtd = schema.kind == SchemaKind::Dtd;
        let decl = f.decl.and_then(|d| schema.elements.get(d.index()));
        let declared_at = decl.map(|d| schema.display_location(d.location));
        let mut ctx = Ctx {
            cs,
            schema,
            sink,
            path,
            dtd,
        };
        if f.nil {
            return;
        }
        match &f.content {
            ContentCheck::Elements {
                ct,
                state: Some(state),
                ..
            } => {
                if let Some(auto) = cs.automaton(*ct) {
                    if !auto.is_accepting(state) {
                        let expected = auto.expected(state);
                        let m = if dtd {
                            let model = schema
                                .complex_types
                                .get(ct.index())
                                .map(|c| content_to_dtd(schema, &c.content))
                                .unwrap_or_default();
                            format!("Element {} content does not follow the DTD, expecting {model}, but the content ended; missing {}", f.display, expected.items.iter().map(item_name).collect::<Vec<_>>().join(" or "))
                        } else {
                            format!(
                                "Element '{}': Missing child element(s). {}",
                                f.display,
                                expected_phrase(&expected)
                            )
                        };
                        let exp = expected
                            .items
                            .iter()
                            .map(item_name)
                            .collect::<Vec<_>>()
                            .join(", ");
                        ctx.err(
                            f.pos,
                            rules::MISSING_ELEMENT,
                            m,
                            None,
                            Some(exp),
                            declared_at,
                        );
                    }
                }
            }
            ContentCheck::Simple(st) if !f.text_overflow => {
                let mut value = f.text.as_str();
                let constraint = decl.and_then(|d| d.value_constraint.as_ref());
                if value.is_empty() && !dtd {
                    if let Some(ValueConstraint::Default(v) | ValueConstraint::Fixed(v)) =
                        constraint
                    {
                        value = v;
                    }
                }
                let checker = cs.checker();
                if let Err(e) = checker.check(schema, *st, value) {
                    let m = format!(
                        "Element '{}': {}.",
                        f.display,
                        e.message.trim_end_matches('.')
                    );
                    ctx.err(
                        f.pos,
                        rules::INVALID_VALUE,
                        m,
                        Some(short(value)),
                        Some(e.expected),
                        declared_at.clone(),
                    );
                } else if let (Some(ValueConstraint::Fixed(fixed)), false) = (constraint, dtd) {
                    if !checker
                        .values_equal(schema, *st, value, fixed)
                        .unwrap_or(false)
                    {
                        let m = format!("Element '{}': The value '{}' does not match the fixed value constraint '{fixed}'.", f.display, short(value));
                        ctx.err(
                            f.pos,
                            rules::FIXED_VALUE,
                            m,
                            Some(short(value)),
                            Some(fixed.clone()),
                            declared_at.clone(),
                        );
                    }
                } else if !dtd {
                    let normalized = checker.normalize(*st, value).into_owned();
                    let ids = xsd_id_use(schema, *st, &normalized);
                    if let Some(id) = ids.id {
                        if !self.ids.insert(id.clone()) {
                            let m = format!("Element '{}': '{id}' is not a valid value of the atomic type 'xs:ID'; the ID is already defined.", f.display);
                            ctx.err(
                                f.pos,
                                rules::DUPLICATE_ID,
                                m,
                                Some(id),
                                None,
                                declared_at.clone(),
                            );
                        } else {
                            self.refs.retain(|r| r.id != id);
                        }
                    }
                    for r in ids.refs {
                        if !self.ids.contains(&r) {
                            self.refs.push(PendingRef {
                                id: r,
                                pos: f.pos,
                                path: path.current(),
                                attr: String::new(),
                            });
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// The document ended: dangling IDREFs.
    pub(crate) fn finish(&mut self, cs: Option<&CompiledSchema>, sink: &mut Sink, opts: &Options) {
        let _ = opts;
        let dtd = cs.is_some_and(|c| c.schema().kind == SchemaKind::Dtd);
        for r in std::mem::take(&mut self.refs) {
            if self.ids.contains(&r.id) {
                continue;
            }
            let m = if dtd {
                format!(
                    "IDREF attribute {} references an unknown ID \"{}\"",
                    r.attr, r.id
                )
            } else if r.attr.is_empty() {
                format!("Element: no ID '{}' exists for this IDREF value", r.id)
            } else {
                format!(
                    "Attribute '{}': no ID '{}' exists for this IDREF value",
                    r.attr, r.id
                )
            };
            sink.push(error(
                r.pos,
                r.path,
                rules::DANGLING_IDREF,
                m,
                Some(r.id),
                Some("the value of an ID in this document".into()),
                None,
            ));
        }
    }
}

impl Frame {
    fn unchecked(tag: &StartTag, mode: ChildMode) -> Frame {
        Frame {
            display: tag.qname.to_string(),
            pos: tag.pos,
            decl: None,
            mode,
            content: ContentCheck::Nothing,
            nil: false,
            text: String::new(),
            text_overflow: false,
            text_reported: false,
            child_reported: false,
            has_children: false,
            has_text: false,
        }
    }
}

/// Shared arguments of the checks.
struct Ctx<'a> {
    cs: &'a CompiledSchema,
    schema: &'a Schema,
    sink: &'a mut Sink,
    path: &'a PathTracker,
    dtd: bool,
}

impl Ctx<'_> {
    fn err(
        &mut self,
        pos: (u32, u32),
        rule: &str,
        message: String,
        found: Option<String>,
        expected: Option<String>,
        declared_at: Option<String>,
    ) {
        self.sink.push(error(
            pos,
            self.path.current(),
            rule,
            message,
            found,
            expected,
            declared_at,
        ));
    }

    fn err_attr(
        &mut self,
        a: &Attr,
        rule: &str,
        message: String,
        expected: Option<String>,
        declared_at: Option<String>,
    ) {
        self.sink.push(error(
            a.pos,
            self.path.attribute(&a.qname),
            rule,
            message,
            Some(short(&a.value)),
            expected,
            declared_at,
        ));
    }

    fn err_attr_found(
        &mut self,
        a: &Attr,
        rule: &str,
        message: String,
        value: &str,
        expected: Option<String>,
        declared_at: Option<String>,
    ) {
        self.sink.push(error(
            a.pos,
            self.path.attribute(&a.qname),
            rule,
            message,
            Some(short(value)),
            expected,
            declared_at,
        ));
    }
}

/// The unexpected-child error.
fn unexpected(
    ctx: &mut Ctx,
    pos: (u32, u32),
    parent: &str,
    child: &str,
    model: &str,
    expected: &Expected,
    declared_at: Option<String>,
) {
    let m = if ctx.dtd {
        let next = if expected.items.is_empty() {
            "no more children".to_string()
        } else {
            expected
                .items
                .iter()
                .map(item_name)
                .collect::<Vec<_>>()
                .join(" or ")
        };
        format!("Element {parent} content does not follow the DTD, expecting {model}, got {child} where {next} was expected")
    } else {
        format!(
            "Element '{child}': This element is not expected. {}",
            expected_phrase(expected)
        )
    };
    let exp = if expected.items.is_empty() {
        "end of element".to_string()
    } else {
        expected
            .items
            .iter()
            .map(item_name)
            .collect::<Vec<_>>()
            .join(", ")
    };
    ctx.err(
        pos,
        rules::UNEXPECTED_ELEMENT,
        m,
        Some(child.to_string()),
        Some(exp),
        declared_at,
    );
}

/// DTD: every element must be declared.
fn lookup_dtd(ctx: &mut Ctx, tag: &StartTag) -> Result<Option<ElementId>, ChildMode> {
    match ctx.schema.global(tag.qname) {
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
    }
}

/// An XSD global element by expanded name (target-namespace components are keyed by local
/// name, others as `{ns}local`).
fn global_xsd(schema: &Schema, local: &str, ns: Option<&str>) -> Option<ElementId> {
    let key = if ns == schema.target_namespace.as_deref() || ns.is_none() {
        local.to_string()
    } else {
        format!("{{{}}}{local}", ns.unwrap_or_default())
    };
    let id = schema.global(&key)?;
    let d = schema.elements.get(id.index())?;
    (d.namespace.as_deref() == ns).then_some(id)
}

fn find_xsi<'a>(attrs: &'a [Attr], local: &str) -> Option<&'a Attr> {
    attrs
        .iter()
        .find(|a| a.namespace.as_deref() == Some(XSI_NS) && split_qname(&a.qname).1 == local)
}

/// Resolve the QName of an `xsi:type` value to a type.
fn resolve_xsi_type(schema: &Schema, ns: &Namespaces, value: &str) -> Option<TypeRef> {
    let value = value.trim();
    if !super::chars::is_qname(value) {
        return None;
    }
    let (prefix, local) = split_qname(value);
    let uri = ns.resolve(prefix)?;
    if uri == Some(XS_NS) {
        if local == "anyType" {
            return schema
                .complex_types
                .iter()
                .position(|c| c.name.as_deref() == Some("anyType") && c.derivation.is_none())
                .map(|i| TypeRef::Complex(ComplexTypeId(i as u32)));
        }
        return Builtin::from_name(local).map(|b| TypeRef::Simple(b.id()));
    }
    let key = if uri == schema.target_namespace.as_deref() {
        local.to_string()
    } else {
        format!("{{{}}}{local}", uri.unwrap_or_default())
    };
    if let Some(&c) = schema.named_complex_types.get(&key) {
        return Some(TypeRef::Complex(c));
    }
    schema
        .named_simple_types
        .get(&key)
        .map(|&s| TypeRef::Simple(s))
}

fn is_any_type(schema: &Schema, t: TypeRef) -> bool {
    matches!(t, TypeRef::Complex(c) if schema.complex_types.get(c.index()).is_some_and(|c| c.name.as_deref() == Some("anyType") && c.derivation.is_none() && c.location == Default::default()))
}

/// Whether type `t` is `base` or derived from it (by any number of steps).
fn derives_from(schema: &Schema, t: TypeRef, base: TypeRef) -> bool {
    if t == base || is_any_type(schema, base) {
        return true;
    }
    let mut cur = t;
    for _ in 0..256 {
        let next = match cur {
            TypeRef::Complex(c) => match schema
                .complex_types
                .get(c.index())
                .and_then(|c| c.derivation)
            {
                Some(d) => d.base,
                None => return false,
            },
            TypeRef::Simple(s) => match schema.simple_types.get(s.index()).map(|s| &s.variety) {
                Some(Variety::Restriction { base }) => TypeRef::Simple(*base),
                _ => return base == TypeRef::Simple(Builtin::AnySimpleType.id()),
            },
        };
        if next == base {
            return true;
        }
        if next == cur {
            return false;
        }
        cur = next;
    }
    false
}

/// ID/IDREF(S) use of an XSD value of simple type `ty`.
fn xsd_id_use(schema: &Schema, ty: SimpleTypeId, normalized: &str) -> dtd_values::IdUse {
    let mut out = dtd_values::IdUse::default();
    let item = match schema.simple_types.get(ty.index()).map(|s| &s.variety) {
        Some(Variety::List { item }) => Some(*item),
        _ => None,
    };
    match (schema.builtin_base(ty), item) {
        (Some(Builtin::Id), _) => out.id = Some(normalized.to_string()),
        (Some(Builtin::IdRef), _) => out.refs.push(normalized.to_string()),
        (Some(Builtin::IdRefs), _) => {
            out.refs = normalized
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        }
        (_, Some(item)) if schema.builtin_base(item) == Some(Builtin::IdRef) => {
            out.refs = normalized
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
        }
        _ => {}
    }
    out
}
