//! Enumerations: one Rust enum per enumerated simple type, with `as_str`, `Display`,
//! `FromStr`, `XmlScalar` and (unless strict) an `Unknown(String)` variant for values that
//! a later release adds. Also the literals of schema defaults.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use qschema_runtime::XmlScalar;

use super::{docs, ident, Ctx};
use crate::plan::{EnumDef, ScalarTy};

/// An enumeration type.
pub(crate) fn emit_enum(ctx: &Ctx<'_>, e: &EnumDef) -> TokenStream {
    let rt = &ctx.rt;
    let strict = ctx.opts.strict_enums;
    let name = ident(&e.name);
    let doc = docs(&e.docs);
    let user_attrs = ctx.type_attrs(&e.name);
    let schema_name = &e.schema_name;
    let variants = e.values.iter().map(|(v, value)| {
        let vid = ident(v);
        let d = format!(" `{value}`");
        quote!(#[doc = #d] #vid,)
    });
    let values = e.values.iter().map(|(_, value)| value);
    let as_str_arms = e.values.iter().map(|(v, value)| {
        let vid = ident(v);
        quote!(Self::#vid => #value,)
    });
    let parse_arms = e.values.iter().map(|(v, value)| {
        let vid = ident(v);
        quote!(#value => ::core::result::Result::Ok(Self::#vid),)
    });
    let listed = e
        .values
        .iter()
        .map(|(_, v)| v.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let expected = format!("a {schema_name} value (one of {listed})");
    let (unknown_variant, unknown_as_str, unknown_parse) = if strict {
        (
            quote!(),
            quote!(),
            quote!(_ => ::core::result::Result::Err(#rt::ScalarError::expected(#expected)),),
        )
    } else {
        (
            quote! {
                /// A value this schema version does not list (Qualys adds values between
                /// releases); kept as written.
                Unknown(::std::string::String),
            },
            quote!(Self::Unknown(s) => s,),
            quote!(other => ::core::result::Result::Ok(Self::Unknown(other.to_string())),),
        )
    };
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[allow(clippy::enum_variant_names, reason = "variant names mirror the schema's values")]
        #user_attrs
        pub enum #name {
            #(#variants)*
            #unknown_variant
        }

        impl #name {
            /// The values this schema version lists, in schema order.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The value as written in XML.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str_arms)*
                    #unknown_as_str
                }
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::str::FromStr for #name {
            type Err = #rt::ScalarError;

            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                match s {
                    #(#parse_arms)*
                    #unknown_parse
                }
            }
        }

        impl #rt::XmlScalar for #name {
            const TYPE_NAME: &'static str = #schema_name;

            fn parse_text(text: &str) -> ::core::result::Result<Self, #rt::ScalarError> {
                #rt::scalar::trim_xml(text).parse()
            }

            fn to_text(&self) -> ::std::string::String {
                self.as_str().to_string()
            }
        }
    }
}

/// The Rust expression for a schema default, checked now with the runtime's own parsers;
/// `None` when the default is not a value of its type (then no `_or_default` method).
pub(crate) fn default_literal(ctx: &Ctx<'_>, ty: &ScalarTy, value: &str) -> Option<TokenStream> {
    let rt = &ctx.rt;
    macro_rules! lit {
        ($t:ty, $f:ident) => {
            <$t>::parse_text(value).ok().map(|v| {
                let l = Literal::$f(v);
                quote!(#l)
            })
        };
    }
    match ty {
        ScalarTy::String => Some(quote!(::std::string::String::from(#value))),
        ScalarTy::Bool => bool::parse_text(value).ok().map(|b| quote!(#b)),
        ScalarTy::I8 => lit!(i8, i8_suffixed),
        ScalarTy::I16 => lit!(i16, i16_suffixed),
        ScalarTy::I32 => lit!(i32, i32_suffixed),
        ScalarTy::I64 => lit!(i64, i64_suffixed),
        ScalarTy::U8 => lit!(u8, u8_suffixed),
        ScalarTy::U16 => lit!(u16, u16_suffixed),
        ScalarTy::U32 => lit!(u32, u32_suffixed),
        ScalarTy::U64 => lit!(u64, u64_suffixed),
        ScalarTy::F32 => f32::parse_text(value)
            .ok()
            .filter(|v| v.is_finite())
            .map(|v| {
                let l = Literal::f32_suffixed(v);
                quote!(#l)
            }),
        ScalarTy::F64 => f64::parse_text(value)
            .ok()
            .filter(|v| v.is_finite())
            .map(|v| {
                let l = Literal::f64_suffixed(v);
                quote!(#l)
            }),
        ScalarTy::Decimal => qschema_runtime::Decimal::new(value).ok().map(|d| {
            let s = d.as_str().to_string();
            quote!(#rt::Decimal::from_validated(#s))
        }),
        ScalarTy::DateTime => qschema_runtime::DateTime::new(value).ok().map(|d| {
            let s = d.as_str().to_string();
            quote!(#rt::DateTime::from_validated(#s))
        }),
        ScalarTy::Enum(n) => {
            let def = ctx.enum_def(n)?;
            let trimmed = qschema_runtime::scalar::trim_xml(value);
            let e = ident(n);
            match def.values.iter().find(|(_, v)| v == trimmed) {
                Some((variant, _)) => {
                    let v = ident(variant);
                    Some(quote!(#e::#v))
                }
                None if !ctx.opts.strict_enums => {
                    Some(quote!(#e::Unknown(::std::string::String::from(#trimmed))))
                }
                None => None,
            }
        }
        ScalarTy::List(_) => None,
    }
}
