//! Shared arguments of the checks and the error helpers.

use qschema_model::automaton::Expected;
use qschema_model::{Schema, SchemaKind};

use super::super::compile::CompiledSchema;
use super::super::messages::{expected_phrase, item_name, short};
use super::super::sink::{error, Sink};
use super::Attr;
use crate::path::PathTracker;
use crate::report::rules;

/// Shared arguments of the checks.
pub(super) struct Ctx<'a> {
    pub(super) cs: &'a CompiledSchema,
    pub(super) schema: &'a Schema,
    pub(super) sink: &'a mut Sink,
    pub(super) path: &'a PathTracker,
    pub(super) dtd: bool,
}

impl<'a> Ctx<'a> {
    /// The context of a check against `cs` (errors to `sink`, at `path`).
    #[inline(always)]
    pub(super) fn new(cs: &'a CompiledSchema, sink: &'a mut Sink, path: &'a PathTracker) -> Self {
        let schema = cs.schema();
        Ctx {
            cs,
            schema,
            sink,
            path,
            dtd: schema.kind == SchemaKind::Dtd,
        }
    }

    pub(super) fn err(
        &mut self,
        pos: (u32, u32),
        rule: &str,
        message: String,
        found: Option<String>,
        expected: Option<String>,
        declared_at: Option<String>,
    ) {
        if self.sink.full() {
            self.sink.dropped();
            return;
        }
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

    pub(super) fn err_attr(
        &mut self,
        a: &Attr,
        rule: &str,
        message: String,
        expected: Option<String>,
        declared_at: Option<String>,
    ) {
        if self.sink.full() {
            self.sink.dropped();
            return;
        }
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

    pub(super) fn err_attr_found(
        &mut self,
        a: &Attr,
        rule: &str,
        message: String,
        value: &str,
        expected: Option<String>,
        declared_at: Option<String>,
    ) {
        if self.sink.full() {
            self.sink.dropped();
            return;
        }
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
pub(super) fn unexpected(
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
