//! Character data and the end of an element: text rules per content type, simple-content
//! values, default/fixed values, missing children, and dangling IDREFs at the end.

use qschema_model::{Builtin, ElementId, Schema, SchemaKind, ValueConstraint};

use super::super::chars::is_blank;
use super::super::compile::CompiledSchema;
use super::super::messages::{content_to_dtd, expected_phrase, item_name, short};
use super::super::namespaces::Namespaces;
use super::super::options::Options;
use super::super::sink::{error, Sink};
use super::identity::identity_end;
use super::{
    as_written, in_scope, standalone, xsd_id_use, ChildMode, ContentCheck, Ctx, Frame, PendingRef,
    Validator,
};
use crate::path::PathTracker;
use crate::report::rules;
use std::collections::HashSet;

impl Validator {
    /// Character data in the current element (after reference expansion); `blank`: whether it
    /// is all XML white space (the caller's own pass over the bytes knows).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn text(
        &mut self,
        cs: Option<&CompiledSchema>,
        text: &str,
        blank: bool,
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
        debug_assert_eq!(blank, is_blank(text));
        if !blank {
            f.has_text = true;
        }
        let decl = f.decl;
        let schema = cs.schema();
        let declared_at = move || {
            decl.and_then(|d| schema.elements.get(d.index()))
                .map(|d| schema.display_location(d.location))
        };
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
                    declared_at(),
                ));
            }
        };
        // cvc-elt.3.2.1: a nilled element has no character children, white space included.
        if f.nil {
            let m = format!("Element '{}': Character or element children are not allowed, because the element was 'nilled'.", f.name(as_written(path, 0)));
            report(f, rules::NIL, m);
            return;
        }
        let keep = match &f.content {
            ContentCheck::Empty => {
                let m = if dtd {
                    format!(
                        "Element {} was declared EMPTY this one has content",
                        f.name(as_written(path, 0))
                    )
                } else {
                    format!("Element '{}': Character content is not allowed, because the content type is empty.", f.name(as_written(path, 0)))
                };
                report(f, rules::NOT_EMPTY, m);
                false
            }
            ContentCheck::Elements { mixed: false, .. } => {
                if !blank {
                    let m = if dtd {
                        format!("Element {} content does not follow the DTD, text is not allowed (element content)", f.name(as_written(path, 0)))
                    } else {
                        format!("Element '{}': Character content other than whitespace is not allowed because the content type is 'element-only'.", f.name(as_written(path, 0)))
                    };
                    report(f, rules::UNEXPECTED_TEXT, m);
                } else if dtd && self.standalone && standalone::external_element(schema, decl) {
                    let m = standalone::whitespace_message(f.name(as_written(path, 0)));
                    report(f, rules::STANDALONE, m);
                }
                false
            }
            content => keeps_text(schema, content, decl) || f.identity_field,
        };
        if !keep {
            return;
        }
        // The budget is shared by all open elements, so nesting cannot multiply it.
        if self.text_total + text.len() > opts.max_text_bytes {
            f.text_overflow = true;
            let m = text_too_long(f.name(as_written(path, 0)), opts);
            report(f, rules::LIMIT, m);
        } else if !f.text_overflow {
            f.text.push_str(text);
            self.text_total += text.len();
        }
    }

    /// Whether [`Validator::text`] would do nothing with a text of white space only in the
    /// current element: no schema, an element not checked, or element-only content (outside a
    /// `standalone="yes"` DTD document, where such white space may be an error), not nilled.
    pub(crate) fn ignores_blank_text(&self, cs: Option<&CompiledSchema>) -> bool {
        let Some(cs) = cs else { return true };
        let Some(f) = self.frames.last() else {
            return true;
        };
        if f.mode != ChildMode::Normal {
            return true;
        }
        let dtd = cs.schema().kind == SchemaKind::Dtd;
        let may_report = f.nil || (dtd && self.standalone);
        !may_report && matches!(f.content, ContentCheck::Elements { mixed: false, .. })
    }

    /// More text than `max_text_bytes` arrived in one run.
    pub(crate) fn text_overflow(
        &mut self,
        cs: Option<&CompiledSchema>,
        pos: (u32, u32),
        sink: &mut Sink,
        path: &PathTracker,
        opts: &Options,
    ) {
        let Some(f) = self.frames.last_mut() else {
            return;
        };
        if cs.is_some_and(|cs| keeps_text(cs.schema(), &f.content, f.decl)) {
            f.text_overflow = true;
            if !f.text_reported {
                f.text_reported = true;
                let m = text_too_long(f.name(as_written(path, 0)), opts);
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
    /// `ns` still holds the element's own namespace bindings (QName values in its text are
    /// resolved in them).
    pub(crate) fn end(
        &mut self,
        cs: Option<&CompiledSchema>,
        end_pos: (u32, u32),
        sink: &mut Sink,
        path: &PathTracker,
        ns: &Namespaces,
    ) {
        let _ = end_pos;
        let depth = self.frames.len();
        // The frame stays in place, closed, until the next element at its depth takes it over.
        let Some(f) = self.frames.close().and_then(|i| self.frames.get(i)) else {
            return;
        };
        self.text_total = self.text_total.saturating_sub(f.text.len());
        let ids = Ids {
            ids: &mut self.ids,
            refs: &mut self.refs,
            unparsed_entities: &self.unparsed_entities,
        };
        end_checks(ids, f, cs, sink, path, ns);
        if let Some(cs) = cs.filter(|cs| !cs.schema().identity_constraints.is_empty()) {
            let mut ctx = Ctx::new(cs, sink, path);
            identity_end(&mut self.identity, &mut ctx, f, depth);
        }
    }
}

/// What the end checks of an element's value change or read besides its frame: the IDs and
/// pending IDREFs of the document, and its unparsed entities.
struct Ids<'v> {
    ids: &'v mut HashSet<String>,
    refs: &'v mut Vec<PendingRef>,
    unparsed_entities: &'v HashSet<String>,
}

/// The checks at the end of the element whose frame `f` was just closed.
fn end_checks(
    v: Ids,
    f: &Frame,
    cs: Option<&CompiledSchema>,
    sink: &mut Sink,
    path: &PathTracker,
    ns: &Namespaces,
) {
    let Some(cs) = cs else { return };
    if f.mode != ChildMode::Normal {
        return;
    }
    let schema = cs.schema();
    let decl = f.decl.and_then(|d| schema.elements.get(d.index()));
    let declared_at = || decl.map(|d| schema.display_location(d.location));
    let mut ctx = Ctx::new(cs, sink, path);
    let dtd = ctx.dtd;
    if f.nil {
        return;
    }
    if !dtd && !f.text_overflow {
        if let Some(ValueConstraint::Fixed(fixed)) = decl.and_then(|d| d.value_constraint.as_ref())
        {
            if matches!(
                f.content,
                ContentCheck::Any | ContentCheck::Elements { mixed: true, .. }
            ) {
                mixed_fixed_value(&mut ctx, f, fixed, declared_at());
            }
        }
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
                        format!("Element {} content does not follow the DTD, expecting {model}, but the content ended; missing {}", f.name(as_written(path, 0)), expected.items.iter().map(item_name).collect::<Vec<_>>().join(" or "))
                    } else {
                        format!(
                            "Element '{}': Missing child element(s). {}",
                            f.name(as_written(path, 0)),
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
                        declared_at(),
                    );
                }
            }
        }
        ContentCheck::Simple(st) if !f.text_overflow => {
            let mut value = f.text.as_str();
            let constraint = decl.and_then(|d| d.value_constraint.as_ref());
            if value.is_empty() && !dtd {
                if let Some(ValueConstraint::Default(v) | ValueConstraint::Fixed(v)) = constraint {
                    value = v;
                }
            }
            let checker = cs.checker();
            // A QName's prefix must be declared where the value is (cvc-datatype-valid with
            // the element's in-scope namespaces).
            let checked = in_scope(v.unparsed_entities, ns, |scope| {
                checker.check_in_scope(schema, *st, value, scope)
            });
            if let Err(e) = checked {
                let m = format!(
                    "Element '{}': {}.",
                    f.name(as_written(path, 0)),
                    e.message.trim_end_matches('.')
                );
                ctx.err(
                    f.pos,
                    rules::INVALID_VALUE,
                    m,
                    Some(short(value)),
                    Some(e.expected),
                    declared_at(),
                );
            } else if let (Some(ValueConstraint::Fixed(fixed)), false) = (constraint, dtd) {
                if !checker
                    .values_equal(schema, *st, value, fixed)
                    .unwrap_or(false)
                {
                    let m = format!("Element '{}': The value '{}' does not match the fixed value constraint '{fixed}'.", f.name(as_written(path, 0)), short(value));
                    ctx.err(
                        f.pos,
                        rules::FIXED_VALUE,
                        m,
                        Some(short(value)),
                        Some(fixed.clone()),
                        declared_at(),
                    );
                }
            } else if !dtd && cs.carries_ids(*st) {
                let normalized = checker.normalize(*st, value).into_owned();
                let ids = xsd_id_use(schema, *st, &normalized);
                if let Some(id) = ids.id {
                    if !v.ids.insert(id.clone()) {
                        let m = format!("Element '{}': '{id}' is not a valid value of the atomic type 'xs:ID'; the ID is already defined.", f.name(as_written(path, 0)));
                        ctx.err(f.pos, rules::DUPLICATE_ID, m, Some(id), None, declared_at());
                    }
                }
                for r in ids.refs {
                    if !v.ids.contains(&r) {
                        v.refs.push(PendingRef {
                            id: r,
                            pos: f.pos,
                            path: path.current(),
                            element: f.name(as_written(path, 0)).to_string(),
                            attr: String::new(),
                        });
                    }
                }
            }
        }
        _ => {}
    }
}

impl Validator {
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
                format!(
                    "Element '{}': no ID '{}' exists in the document for this IDREF value",
                    r.element, r.id
                )
            } else {
                format!(
                    "Element '{}', attribute '{}': no ID '{}' exists in the document for this IDREF value",
                    r.element, r.attr, r.id
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

/// Whether the text of an element with this content (and declaration) is kept for a check at
/// its end: simple content (except a plain xs:string without a fixed value, which accepts any
/// text), and mixed or anyType content with a fixed value (cvc-elt.5.2.2.2.1).
fn keeps_text(schema: &Schema, content: &ContentCheck, decl: Option<ElementId>) -> bool {
    let fixed = || {
        decl.and_then(|d| schema.elements.get(d.index()))
            .is_some_and(|d| matches!(d.value_constraint, Some(ValueConstraint::Fixed(_))))
    };
    match content {
        ContentCheck::Simple(st) => *st != Builtin::String.id() || fixed(),
        ContentCheck::Any | ContentCheck::Elements { mixed: true, .. } => {
            schema.kind != SchemaKind::Dtd && fixed()
        }
        _ => false,
    }
}

/// cvc-elt.5.2.2 for an element whose content is mixed (or anyType) and whose declaration has
/// the fixed value `fixed`: no element children, and its text, when it has any, is the fixed
/// value character for character (no text: the fixed value is supplied, cvc-elt.5.1.2).
fn mixed_fixed_value(ctx: &mut Ctx, f: &Frame, fixed: &str, declared_at: Option<String>) {
    if f.has_children {
        let m = format!("Element '{}': The content must not contain element nodes, because there is a fixed value constraint '{fixed}'.", f.name(as_written(ctx.path, 0)));
        ctx.err(
            f.pos,
            rules::FIXED_VALUE,
            m,
            None,
            Some(fixed.to_string()),
            declared_at,
        );
    } else if !f.text.is_empty() && f.text != fixed {
        let m = format!(
            "Element '{}': The initial value '{}' does not match the fixed value constraint '{fixed}'.",
            f.name(as_written(ctx.path, 0)),
            short(&f.text)
        );
        ctx.err(
            f.pos,
            rules::FIXED_VALUE,
            m,
            Some(short(&f.text)),
            Some(fixed.to_string()),
            declared_at,
        );
    }
}

/// The message for simple content past [`Options::max_text_bytes`].
fn text_too_long(element: &str, opts: &Options) -> String {
    format!(
        "Element '{element}': text content longer than {} bytes ({}); its value is not checked",
        opts.max_text_bytes,
        opts.option_name("max_text_bytes")
    )
}
