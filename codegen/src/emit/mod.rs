//! From a [`Plan`] to Rust tokens. Every runtime item is named through the configured
//! runtime path; std items are named fully qualified or through names a generated type can
//! never take (see [`crate::naming::NameAllocator::for_types`]).

mod content;
mod enums;
mod structs;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::error::CodegenError;
use crate::options::Options;
use crate::plan::{FieldTy, Inner, Item, Ns, Occ, Plan, ScalarTy, Value};

/// Shared state of one emission.
pub(crate) struct Ctx<'p> {
    pub plan: &'p Plan,
    pub opts: &'p Options,
    pub rt: TokenStream,
    type_attrs: Vec<(String, TokenStream)>,
    field_attrs: Vec<(String, TokenStream)>,
}

/// Emit the items of a plan.
pub fn emit(plan: &Plan, opts: &Options) -> Result<TokenStream, CodegenError> {
    let rt: syn::Path = syn::parse_str(&opts.runtime_path).map_err(|e| CodegenError::Option {
        option: "runtime_path".into(),
        message: e.to_string(),
    })?;
    let parse_attrs =
        |list: &[(String, String)], option: &str| {
            list.iter()
                .map(|(k, a)| {
                    let attrs = syn::parse::Parser::parse_str(syn::Attribute::parse_outer, a)
                        .map_err(|e| CodegenError::Option {
                            option: format!("{option}({k:?}, {a:?})"),
                            message: e.to_string(),
                        })?;
                    Ok((k.clone(), quote!(#(#attrs)*)))
                })
                .collect::<Result<Vec<_>, CodegenError>>()
        };
    let ctx = Ctx {
        plan,
        opts,
        rt: quote!(#rt),
        type_attrs: parse_attrs(&opts.type_attributes, "type_attribute")?,
        field_attrs: parse_attrs(&opts.field_attributes, "field_attribute")?,
    };
    let mut out = TokenStream::new();
    for item in &plan.items {
        out.extend(match item {
            Item::Struct(s) => structs::emit_struct(&ctx, s),
            Item::Group(g) => structs::emit_group(&ctx, g),
            Item::Choice(c) => structs::emit_choice(&ctx, c),
            Item::Mixed(m) => structs::emit_mixed_items(&ctx, m),
            Item::Enum(e) => enums::emit_enum(&ctx, e),
        });
    }
    for root in &plan.roots {
        out.extend(structs::emit_root(&ctx, root));
    }
    Ok(out)
}

impl Ctx<'_> {
    /// Extra attributes the user asked for on type `name`.
    pub fn type_attrs(&self, name: &str) -> TokenStream {
        let mut out = TokenStream::new();
        for (k, a) in &self.type_attrs {
            if k == "." || k == name {
                out.extend(a.clone());
            }
        }
        out
    }

    /// Extra attributes the user asked for on field `field` of `ty`.
    pub fn field_attrs(&self, ty: &str, field: &str) -> TokenStream {
        let bare = field.trim_start_matches("r#");
        let mut out = TokenStream::new();
        for (k, a) in &self.field_attrs {
            if k == "." || *k == format!("{ty}.{bare}") {
                out.extend(a.clone());
            }
        }
        out
    }

    /// The enum definition named `name`, if the plan has it.
    pub fn enum_def(&self, name: &str) -> Option<&crate::plan::EnumDef> {
        self.plan.items.iter().find_map(|i| match i {
            Item::Enum(e) if e.name == name => Some(e),
            _ => None,
        })
    }
}

/// An identifier from a planned name (`r#type` becomes a raw identifier).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => format_ident!("{}", name),
    }
}

/// `#[doc = "..."]` lines.
pub(crate) fn docs(lines: &[String]) -> TokenStream {
    let mut out = TokenStream::new();
    let mut first = true;
    for block in lines {
        if !first {
            out.extend(quote!(#[doc = ""]));
        }
        first = false;
        for line in block.lines() {
            let line = format!(" {}", escape_markdown(line.trim()));
            out.extend(quote!(#[doc = #line]));
        }
    }
    out
}

/// Keep schema documentation literal in rustdoc: outside code spans, `<` and `[` are escaped
/// (no HTML tags, no intra-doc links) and bare URLs are put in `<...>`.
pub(crate) fn escape_markdown(line: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    let mut words = line.split(' ').peekable();
    while let Some(word) = words.next() {
        let url = !in_code && (word.starts_with("http://") || word.starts_with("https://"));
        if url && !word.contains('`') {
            let end = word.trim_end_matches(['.', ',', ';', ':', ')']);
            out.push('<');
            out.push_str(end);
            out.push('>');
            out.push_str(&word[end.len()..]);
        } else {
            for c in word.chars() {
                match c {
                    '`' => {
                        in_code = !in_code;
                        out.push(c);
                    }
                    '<' | '[' if !in_code => {
                        out.push('\\');
                        out.push(c);
                    }
                    _ => out.push(c),
                }
            }
        }
        if words.peek().is_some() {
            out.push(' ');
        }
    }
    out
}

/// `None` / `Some("ns")`.
pub(crate) fn ns_tokens(ns: &Option<String>) -> TokenStream {
    match ns {
        Some(n) => quote!(::core::option::Option::Some(#n)),
        None => quote!(::core::option::Option::None),
    }
}

pub(crate) fn ns_constraint(ctx: &Ctx<'_>, ns: &Ns) -> TokenStream {
    let rt = &ctx.rt;
    let opt = |o: &Option<String>| ns_tokens(o);
    match ns {
        Ns::Any => quote!(#rt::NsConstraint::Any),
        Ns::Not(n) => {
            let n = opt(n);
            quote!(#rt::NsConstraint::Not(#n))
        }
        Ns::List(l) => {
            let items = l.iter().map(opt);
            quote!(#rt::NsConstraint::List(&[#(#items),*]))
        }
    }
}

pub(crate) fn scalar_ty(ctx: &Ctx<'_>, t: &ScalarTy) -> TokenStream {
    let rt = &ctx.rt;
    match t {
        ScalarTy::String => quote!(::std::string::String),
        ScalarTy::Bool => quote!(bool),
        ScalarTy::I8 => quote!(i8),
        ScalarTy::I16 => quote!(i16),
        ScalarTy::I32 => quote!(i32),
        ScalarTy::I64 => quote!(i64),
        ScalarTy::U8 => quote!(u8),
        ScalarTy::U16 => quote!(u16),
        ScalarTy::U32 => quote!(u32),
        ScalarTy::U64 => quote!(u64),
        ScalarTy::F32 => quote!(f32),
        ScalarTy::F64 => quote!(f64),
        ScalarTy::Decimal => quote!(#rt::Decimal),
        ScalarTy::DateTime => quote!(#rt::DateTime),
        ScalarTy::Enum(n) => {
            let n = ident(n);
            quote!(#n)
        }
        ScalarTy::List(item) => {
            let item = scalar_ty(ctx, item);
            quote!(::std::vec::Vec<#item>)
        }
    }
}

pub(crate) fn value_ty(ctx: &Ctx<'_>, v: &Value) -> TokenStream {
    let rt = &ctx.rt;
    match v {
        Value::Scalar(s) => scalar_ty(ctx, s),
        Value::Struct(n) => {
            let n = ident(n);
            quote!(#n)
        }
        Value::AnyElement => quote!(#rt::AnyElement),
    }
}

/// The Rust type of one occurrence (boxed when needed).
pub(crate) fn inner_ty(ctx: &Ctx<'_>, ty: &FieldTy) -> TokenStream {
    let rt = &ctx.rt;
    let t = match &ty.inner {
        Inner::Element { value, .. } => value_ty(ctx, value),
        Inner::Group(n) => {
            let n = ident(n);
            quote!(#n)
        }
        Inner::Wildcard(_) => quote!(#rt::AnyElement),
    };
    if ty.boxed {
        quote!(::std::boxed::Box<#t>)
    } else {
        t
    }
}

/// The Rust type of a field.
pub(crate) fn field_ty(ctx: &Ctx<'_>, ty: &FieldTy) -> TokenStream {
    let t = inner_ty(ctx, ty);
    match ty.occ() {
        Occ::One => t,
        Occ::Opt => quote!(::core::option::Option<#t>),
        Occ::Many => quote!(::std::vec::Vec<#t>),
    }
}

#[cfg(test)]
mod tests {
    use super::escape_markdown;

    #[test]
    fn schema_documentation_stays_literal() {
        assert_eq!(
            escape_markdown("<SCAN> holds [x] see https://a.b/c. `<kept>` and `[kept]`"),
            "\\<SCAN> holds \\[x] see <https://a.b/c>. `<kept>` and `[kept]`"
        );
    }
}
