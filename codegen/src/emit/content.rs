//! Reading and writing one field (or choice variant): the code that walks the children
//! cursor for each occurrence kind, and the code that writes the value back.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, ns_constraint, ns_tokens, scalar_ty, Ctx};
use crate::plan::{FieldTy, FirstSet, Inner, Occ, Value};
use qschema_model::MaxOccurs;

/// `|n| is(n, a) || is(n, b) || wildcard.matches(..)` body over the node expression `n`.
pub(crate) fn first_check(ctx: &Ctx<'_>, first: &FirstSet, n: &TokenStream) -> TokenStream {
    let rt = &ctx.rt;
    let mut parts: Vec<TokenStream> = first
        .names
        .iter()
        .map(|(ns, name)| {
            let ns = ns_tokens(ns);
            quote!(#rt::de::is(#n, #ns, #name))
        })
        .collect();
    for w in &first.wildcards {
        let c = ns_constraint(ctx, w);
        parts.push(quote!(#n.is_element() && #c.matches(#rt::de::element_namespace(#n))));
    }
    if parts.is_empty() {
        quote!(false)
    } else {
        quote!(#(#parts)||*)
    }
}

/// A function path that reads one element value from a node (fallible), or an infallible one.
enum Reader {
    Fallible(TokenStream),
    Infallible(TokenStream),
}

fn value_reader(ctx: &Ctx<'_>, value: &Value) -> Reader {
    let rt = &ctx.rt;
    match value {
        Value::Scalar(s) => {
            let t = scalar_ty(ctx, s);
            Reader::Fallible(quote!(#rt::de::scalar::<#t>))
        }
        Value::Struct(n) => {
            let n = ident(n);
            Reader::Fallible(quote!(<#n as #rt::XmlElement>::parse_element))
        }
        Value::AnyElement => Reader::Infallible(quote!(#rt::AnyElement::from_node)),
    }
}

/// Read one value from `node` (an expression using `?`).
pub(crate) fn read_value(ctx: &Ctx<'_>, value: &Value, node: &TokenStream) -> TokenStream {
    match value_reader(ctx, value) {
        Reader::Fallible(f) => quote!(#f(#node)?),
        Reader::Infallible(f) => quote!(#f(#node)),
    }
}

fn boxed(ty: &FieldTy, e: TokenStream) -> TokenStream {
    if ty.boxed {
        quote!(::std::boxed::Box::new(#e))
    } else {
        e
    }
}

/// The expression that reads a field from the cursor `children` (a `&mut Children`).
pub(crate) fn read_field(ctx: &Ctx<'_>, ty: &FieldTy) -> TokenStream {
    let rt = &ctx.rt;
    let what = ty.first.describe();
    let max_check = |items: TokenStream| match ty.max {
        MaxOccurs::Bounded(m) => {
            let m = m as usize;
            quote!(|| #items.len() >= #m)
        }
        MaxOccurs::Unbounded => quote!(),
    };
    let min_check = {
        let min = ty.min;
        let min_usize = min as usize;
        let too_few = if min == 1 {
            quote!(items.is_empty())
        } else {
            quote!(items.len() < #min_usize)
        };
        if min > 0 {
            quote! {
                if #too_few {
                    return ::core::result::Result::Err(children.error_too_few(#what, #min, items.len()));
                }
            }
        } else {
            quote!()
        }
    };
    match &ty.inner {
        Inner::Group(name) => {
            let n = ident(name);
            let read = boxed(
                ty,
                quote!(<#n as #rt::XmlContent>::parse_content(children)?),
            );
            match ty.occ() {
                Occ::One => read,
                Occ::Opt => quote! {
                    if children.peek().is_some_and(<#n as #rt::XmlContent>::can_start) {
                        ::core::option::Option::Some(#read)
                    } else {
                        ::core::option::Option::None
                    }
                },
                Occ::Many => {
                    let stop = max_check(quote!(items));
                    quote! {{
                        let mut items = ::std::vec::Vec::new();
                        while children.peek().is_some_and(<#n as #rt::XmlContent>::can_start) {
                            let before = children.position();
                            items.push(#read);
                            if children.position() == before #stop {
                                break;
                            }
                        }
                        #min_check
                        items
                    }}
                }
            }
        }
        Inner::Element {
            xml_name,
            ns,
            value,
        } => {
            let nst = ns_tokens(ns);
            let (reader, infallible) = match value_reader(ctx, value) {
                Reader::Fallible(f) => (f, false),
                Reader::Infallible(f) => (f, true),
            };
            let reader = if infallible {
                quote!(|node| ::core::result::Result::Ok(#reader(node)))
            } else {
                reader
            };
            let bx = |e: TokenStream| boxed(ty, e);
            match ty.occ() {
                Occ::One => bx(quote!(children.required(#nst, #xml_name, #reader)?)),
                Occ::Opt if ty.boxed => {
                    quote!(children.optional(#nst, #xml_name, #reader)?.map(::std::boxed::Box::new))
                }
                Occ::Opt => quote!(children.optional(#nst, #xml_name, #reader)?),
                Occ::Many => {
                    let min = ty.min;
                    let max = match ty.max {
                        MaxOccurs::Bounded(m) => {
                            let m = m as usize;
                            quote!(::core::option::Option::Some(#m))
                        }
                        MaxOccurs::Unbounded => quote!(::core::option::Option::None),
                    };
                    let reader = if ty.boxed {
                        quote!(|node| #reader(node).map(::std::boxed::Box::new))
                    } else {
                        reader
                    };
                    quote!(children.repeated(#nst, #xml_name, (#min, #max), #reader)?)
                }
            }
        }
        Inner::Wildcard(w) => {
            let take = {
                let c = ns_constraint(ctx, w);
                quote!(children.take_any(#c))
            };
            let one = quote!(#rt::AnyElement::from_node(node));
            match ty.occ() {
                Occ::One => quote! {{
                    let node = #take.ok_or_else(|| children.error_expected(#what))?;
                    #one
                }},
                Occ::Opt => quote!(#take.map(#rt::AnyElement::from_node)),
                Occ::Many => {
                    let stop = match ty.max {
                        MaxOccurs::Bounded(m) => {
                            let m = m as usize;
                            quote!(if items.len() >= #m { break; })
                        }
                        MaxOccurs::Unbounded => quote!(),
                    };
                    quote! {{
                        let mut items = ::std::vec::Vec::new();
                        while let ::core::option::Option::Some(node) = #take {
                            items.push(#one);
                            #stop
                        }
                        #min_check
                        items
                    }}
                }
            }
        }
    }
}

/// Where a value to write is.
pub(crate) enum Access {
    /// `self.<field>`.
    SelfField(TokenStream),
    /// A binding that is already a reference (`v` in a match arm).
    Ref(TokenStream),
}

impl Access {
    /// A reference to the (unboxed) value.
    fn reference(&self, boxed: bool) -> TokenStream {
        match (self, boxed) {
            (Access::SelfField(f), false) => quote!(&self.#f),
            (Access::SelfField(f), true) => quote!(&*self.#f),
            (Access::Ref(v), false) => quote!(#v),
            (Access::Ref(v), true) => quote!(&**#v),
        }
    }

    /// A reference to the container (`Option`/`Vec`).
    fn container(&self) -> TokenStream {
        match self {
            Access::SelfField(f) => quote!(&self.#f),
            Access::Ref(v) => quote!(#v),
        }
    }
}

/// Write one occurrence.
fn write_one(ctx: &Ctx<'_>, ty: &FieldTy, access: &Access) -> TokenStream {
    let rt = &ctx.rt;
    let r = access.reference(ty.boxed);
    match &ty.inner {
        Inner::Element {
            xml_name,
            ns,
            value,
        } => {
            let ns = ns_tokens(ns);
            match value {
                Value::Scalar(_) => {
                    quote!(w.simple_element(#xml_name, #ns, &#rt::XmlScalar::to_text(#r));)
                }
                Value::Struct(_) => {
                    quote!(#rt::XmlElement::write_element(#r, w, #xml_name, #ns);)
                }
                Value::AnyElement => quote!(#rt::AnyElement::write(#r, w);),
            }
        }
        Inner::Group(_) => quote!(#rt::XmlContent::write_content(#r, w);),
        Inner::Wildcard(_) => quote!(#rt::AnyElement::write(#r, w);),
    }
}

/// Statements writing a field.
pub(crate) fn write_field(ctx: &Ctx<'_>, ty: &FieldTy, access: &Access) -> TokenStream {
    let inner = Access::Ref(quote!(v));
    match ty.occ() {
        Occ::One => write_one(ctx, ty, access),
        Occ::Opt => {
            let c = access.container();
            let one = write_one(ctx, ty, &inner);
            quote! {
                if let ::core::option::Option::Some(v) = #c { #one }
            }
        }
        Occ::Many => {
            let c = access.container();
            let one = write_one(ctx, ty, &inner);
            quote! {
                for v in #c { #one }
            }
        }
    }
}
