//! Simple-type value checking: the lexical spaces of the XSD 1.0 built-ins and the
//! constraining facets of user-derived types, list and union types.
//!
//! Build one [`SimpleTypeChecker`] per schema, then call [`SimpleTypeChecker::check`] for
//! every attribute value and simple-content text:
//!
//! ```
//! use qschema_model::{Builtin, Schema, SchemaKind, SourceFile};
//! use qschema_validator::datatypes::SimpleTypeChecker;
//!
//! # let schema = Schema::new(SchemaKind::Xsd, SourceFile::new("t.xsd", "t.xsd"));
//! let checker = SimpleTypeChecker::new(&schema).unwrap();
//! assert!(checker.check(&schema, Builtin::Long.id(), " 9223372036854775807 ").is_ok());
//! let err = checker.check(&schema, Builtin::Boolean.id(), ">false").unwrap_err();
//! assert_eq!(err.message, "'>false' is not a valid value of the atomic type 'xs:boolean'");
//! assert_eq!(err.expected, "xs:boolean (true, false, 1, 0)");
//! ```
//!
//! Order of checks: whiteSpace normalization (built-in default or the nearest `whiteSpace`
//! facet), the lexical space of the built-in (or list items, or union members in order), then
//! the facets of every derivation step from the most derived to the built-in.
//!
//! # Choices (XSD 1.0 Second Edition is followed where xmllint differs)
//! - Decimals and integers have arbitrary precision (xmllint stops at 24 digits); bounds
//!   compare exactly, floats as `f64` (`NaN` is incomparable, so it fails every bound).
//! - Date/time values may carry surrounding white space (whiteSpace is `collapse`); years
//!   have at most 25 digits, duration numbers at most 30 digits (larger values are rejected).
//! - `NMTOKENS`, `IDREFS` and `ENTITIES` need at least one item; `1E` is not a float.
//! - Lexical checks only, the engine does the rest: `ID` uniqueness, `IDREF` targets,
//!   `NOTATION` declarations; QName prefixes and `ENTITY` declarations through
//!   [`SimpleTypeChecker::check_in_scope`], which also makes QName and NOTATION
//!   enumerations compare expanded names (without it they compare as written), and checks
//!   that ENTITY values name unparsed entities of the document.
//! - `anyURI` is lenient (see the `uri` module): only `%` without two hex digits, a second
//!   `#` and an invalid scheme before `:` are rejected.
//! - Messages follow xmllint's wording without its trailing period (the engine adds the
//!   element/attribute prefix); list errors name the offending item.

mod binary;
mod check;
mod facets;
mod float;
mod lexical;
mod plan;
mod prepare;
mod quick;
mod uri;
mod value;
pub mod whitespace;

pub use value::KeyValue;

/// Resolves a QName prefix (`""`: the default namespace) to its namespace: `Some(Some(uri))`
/// when bound, `Some(None)` for no namespace (an unprefixed name without a default
/// namespace), `None` for an undeclared prefix.
pub type Prefixes<'a> = &'a dyn Fn(&str) -> Option<Option<String>>;

/// What a document has in scope where a value appears, for the types whose values depend on
/// it: `xs:QName`/`xs:NOTATION` (namespace bindings) and `xs:ENTITY`/`xs:ENTITIES`
/// (unparsed entities).
pub struct InScope<'a> {
    /// The namespace bindings in scope.
    pub namespaces: Prefixes<'a>,
    /// Whether the document's DTD declares an unparsed entity of this name.
    pub unparsed_entity: &'a dyn Fn(&str) -> bool,
}

/// The namespace the `xml` prefix is always bound to.
pub const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

/// The namespace of `prefix` among `bindings` (`(prefix, URI)`, innermost last; `""` is the
/// default namespace, and an empty URI undeclares it): `Some(Some(uri))` when bound,
/// `Some(None)` for no namespace (an unprefixed name without a default namespace), `None` for
/// an undeclared prefix. `xml` is always bound.
pub fn resolve_prefix<'b>(
    bindings: &'b [(String, String)],
    prefix: &str,
) -> Option<Option<&'b str>> {
    if prefix == "xml" {
        return Some(Some(XML_NAMESPACE));
    }
    match bindings.iter().rev().find(|(p, _)| p == prefix) {
        Some((_, uri)) if !uri.is_empty() => Some(Some(uri.as_str())),
        _ if prefix.is_empty() => Some(None),
        _ => None,
    }
}

use std::borrow::Cow;

use qschema_model::{Schema, SimpleTypeId};

use plan::Plan;

/// Checks values against the simple types of one schema. Cheap to share between threads.
#[derive(Debug)]
pub struct SimpleTypeChecker {
    plans: Vec<Plan>,
}

/// A value that is not valid for its simple type.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ValueError {
    /// xmllint-style message, e.g. `'>false' is not a valid value of the atomic type
    /// 'xs:boolean'` or `[facet 'pattern'] The value 'abc' is not accepted by the pattern '...'`.
    pub message: String,
    /// Short description of what is allowed: `xs:boolean (true, false, 1, 0)`,
    /// `one of CORE, EVERYTHING`, `a value matching [a-f0-9]{8}-...`.
    pub expected: String,
}

/// A simple type of the schema that cannot be used for checking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeProblem {
    /// The type.
    pub ty: SimpleTypeId,
    /// Where it is defined (`path:line:column`).
    pub location: String,
    /// What is wrong (`pattern '[a-': invalid XSD pattern at character 3: ...`).
    pub message: String,
}

impl std::fmt::Display for TypeProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// The schema's simple types cannot all be checked: every problem found.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct DatatypeError {
    /// At least one problem.
    pub problems: Vec<TypeProblem>,
}

impl SimpleTypeChecker {
    /// Precompute every simple type of `schema`: compile its patterns, find its effective
    /// whiteSpace and facet chain, parse its enumeration values and bounds. Fails with every
    /// problem found (invalid patterns, enumeration or bound values outside the base type,
    /// circular derivations); [`SimpleTypeChecker::new_lenient`] builds anyway.
    pub fn new(schema: &Schema) -> Result<SimpleTypeChecker, DatatypeError> {
        let (checker, problems) = SimpleTypeChecker::new_lenient(schema);
        if problems.is_empty() {
            Ok(checker)
        } else {
            Err(DatatypeError { problems })
        }
    }

    /// Like [`SimpleTypeChecker::new`] but always returns a checker, with the problems found.
    /// Values of a type with an unusable pattern or derivation are reported invalid ("cannot
    /// be checked"); an enumeration or bound literal outside the value space never matches.
    pub fn new_lenient(schema: &Schema) -> (SimpleTypeChecker, Vec<TypeProblem>) {
        let mut raw = Vec::new();
        let mut cache = plan::PatternCache::new();
        let plans = (0..schema.simple_types.len())
            .map(|i| plan::build(schema, SimpleTypeId(i as u32), &mut raw, &mut cache))
            .collect();
        let mut checker = SimpleTypeChecker { plans };
        raw.extend(checker.break_member_cycles());
        raw.extend(checker.prepare_literals());
        raw.sort_by_key(|p| p.ty);
        raw.dedup_by(|a, b| a.ty == b.ty && a.message == b.message);
        let problems = raw
            .into_iter()
            .map(|p| TypeProblem {
                ty: p.ty,
                location: type_location(schema, p.ty),
                message: p.message,
            })
            .collect();
        (checker, problems)
    }

    /// Check `value` against simple type `ty`. `value` is the raw text (attribute values
    /// after XML attribute-value normalization); whiteSpace is applied here.
    pub fn check(&self, schema: &Schema, ty: SimpleTypeId, value: &str) -> Result<(), ValueError> {
        let _ = schema;
        self.check_quickly_first(ty, value, &check::Context::default())
    }

    /// The fast path when it can decide, else the full check (`ctx` is not needed by the fast
    /// path: it never accepts a QName, NOTATION or ENTITY).
    fn check_quickly_first(
        &self,
        ty: SimpleTypeId,
        value: &str,
        ctx: &check::Context,
    ) -> Result<(), ValueError> {
        if self
            .plans
            .get(ty.index())
            .is_some_and(|plan| quick::certainly_valid(plan, value))
        {
            return Ok(());
        }
        self.check_value(ty, value, ctx).map(drop)
    }

    /// Like [`SimpleTypeChecker::check`], for a value in a document: `QName`/`NOTATION`
    /// prefixes are resolved in `scope` (an undeclared prefix is an error, and enumerations
    /// compare expanded names), and an `ENTITY` value must name an unparsed entity of it.
    pub fn check_in_scope(
        &self,
        schema: &Schema,
        ty: SimpleTypeId,
        value: &str,
        scope: &InScope,
    ) -> Result<(), ValueError> {
        let _ = schema;
        self.check_quickly_first(ty, value, &check::Context { scope: Some(scope) })
    }

    /// Whether two valid values of `ty` are equal in its value space (for `fixed` value
    /// constraints: `1.0` equals `1` for decimals, strings compare after whiteSpace).
    pub fn values_equal(
        &self,
        schema: &Schema,
        ty: SimpleTypeId,
        a: &str,
        b: &str,
    ) -> Result<bool, ValueError> {
        let _ = schema;
        let ctx = check::Context::default();
        let va = self.check_value(ty, a, &ctx)?;
        let vb = self.check_value(ty, b, &ctx)?;
        Ok(va.equals(&vb))
    }

    /// The value of `value` in `ty`'s value space, for identity-constraint key-sequences.
    pub fn key_value(
        &self,
        schema: &Schema,
        ty: SimpleTypeId,
        value: &str,
    ) -> Result<KeyValue, ValueError> {
        let _ = schema;
        self.check_value(ty, value, &check::Context::default())
            .map(KeyValue)
    }

    /// `value` after the effective whiteSpace of `ty` (unions: collapsed). ID/IDREF
    /// bookkeeping and messages use this form.
    pub fn normalize<'a>(&self, ty: SimpleTypeId, value: &'a str) -> Cow<'a, str> {
        match self.plans.get(ty.index()) {
            Some(plan) => whitespace::apply(value, plan.white_space),
            None => Cow::Borrowed(value),
        }
    }
}

fn type_location(schema: &Schema, ty: SimpleTypeId) -> String {
    let Some(st) = schema.simple_types.get(ty.index()) else {
        return format!("simple type #{}", ty.0);
    };
    let name = match &st.name {
        Some(n) => format!("simple type '{n}'"),
        None => "anonymous simple type".to_string(),
    };
    match schema.files.get(st.location.file.0 as usize) {
        Some(_) if st.builtin.is_none() => {
            format!("{} ({name})", schema.display_location(st.location))
        }
        _ => name,
    }
}
