//! Structs (one per element type), nested groups, choice enums, mixed-content item enums and
//! the document entry points `from_xml`/`to_xml`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::content::{first_check, read_field, read_value, write_field, Access};
use super::enums::default_literal;
use super::{docs, field_ty, ident, ns_constraint, ns_tokens, scalar_ty, value_ty, Ctx};
use crate::plan::{
    AttrField, Body, ChoiceDef, Field, GroupDef, Inner, MixedDef, Occ, RootFn, ScalarTy, StructDef,
    Value,
};

fn result_ty(ctx: &Ctx<'_>) -> TokenStream {
    let rt = &ctx.rt;
    quote!(::core::result::Result<Self, #rt::FromXmlError>)
}

fn field_decl(
    ctx: &Ctx<'_>,
    owner: &str,
    name: &str,
    ty: TokenStream,
    doc: &[String],
) -> TokenStream {
    let d = docs(doc);
    let attrs = ctx.field_attrs(owner, name);
    let id = ident(name);
    quote!(#d #attrs pub #id: #ty,)
}

fn local(i: usize) -> proc_macro2::Ident {
    format_ident!("f_{}", i)
}

/// Local bindings reading `fields` from the cursor `children`, in order.
fn read_sequence(ctx: &Ctx<'_>, fields: &[Field]) -> TokenStream {
    let stmts = fields.iter().enumerate().map(|(i, f)| {
        let l = local(i);
        let e = read_field(ctx, &f.ty);
        quote!(let #l = #e;)
    });
    quote!(#(#stmts)*)
}

/// Local bindings reading an `xs:all` group (children in any order, each at most once).
fn read_all(ctx: &Ctx<'_>, fields: &[Field]) -> TokenStream {
    if fields.is_empty()
        || fields
            .iter()
            .any(|f| !matches!(f.ty.inner, Inner::Element { .. }) || f.ty.occ() == Occ::Many)
    {
        return read_sequence(ctx, fields);
    }
    let slots = fields.iter().enumerate().map(|(i, _)| {
        let l = local(i);
        quote!(let mut #l = ::core::option::Option::None;)
    });
    let arms = fields.iter().enumerate().map(|(i, f)| {
        let l = local(i);
        let Inner::Element {
            xml_name,
            ns,
            value,
        } = &f.ty.inner
        else {
            return quote!();
        };
        let ns = ns_tokens(ns);
        let read = read_value(ctx, value, &quote!(node));
        let read = if f.ty.boxed {
            quote!(::std::boxed::Box::new(#read))
        } else {
            read
        };
        quote! {
            if #l.is_none() {
                if let ::core::option::Option::Some(node) = children.take(#ns, #xml_name) {
                    #l = ::core::option::Option::Some(#read);
                    continue;
                }
            }
        }
    });
    let finals = fields.iter().enumerate().map(|(i, f)| {
        let l = local(i);
        if f.ty.occ() == Occ::One {
            let what = f.ty.first.describe();
            quote!(let #l = #l.ok_or_else(|| children.error_expected(#what))?;)
        } else {
            quote!()
        }
    });
    quote! {
        #(#slots)*
        while children.peek().is_some() {
            #(#arms)*
            break;
        }
        #(#finals)*
    }
}

fn attr_read(ctx: &Ctx<'_>, a: &AttrField) -> TokenStream {
    let rt = &ctx.rt;
    let t = scalar_ty(ctx, &a.ty);
    let ns = ns_tokens(&a.ns);
    let name = &a.xml_name;
    if a.required {
        quote!(#rt::de::required_attribute::<#t>(node, #ns, #name)?)
    } else {
        quote!(#rt::de::attribute::<#t>(node, #ns, #name)?)
    }
}

fn attr_write(ctx: &Ctx<'_>, a: &AttrField) -> TokenStream {
    let rt = &ctx.rt;
    let f = ident(&a.name);
    let ns = ns_tokens(&a.ns);
    let name = &a.xml_name;
    if a.required {
        quote!(w.attribute_ns(#ns, #name, &#rt::XmlScalar::to_text(&self.#f));)
    } else {
        quote! {
            if let ::core::option::Option::Some(v) = &self.#f {
                w.attribute_ns(#ns, #name, &#rt::XmlScalar::to_text(v));
            }
        }
    }
}

/// `fn x_or_default(&self) -> T` for an optional value with a schema default.
fn default_method(ctx: &Ctx<'_>, field: &str, ty: &ScalarTy, default: &str) -> TokenStream {
    let Some(lit) = default_literal(ctx, ty, default) else {
        return quote!();
    };
    let bare = field.trim_start_matches("r#");
    let m = format_ident!("{}_or_default", bare);
    let f = ident(field);
    let t = scalar_ty(ctx, ty);
    let cheap = match ty {
        ScalarTy::String | ScalarTy::Decimal | ScalarTy::DateTime | ScalarTy::List(_) => false,
        ScalarTy::Enum(_) => !lit.to_string().contains("Unknown"),
        _ => true,
    };
    let copy = !matches!(
        ty,
        ScalarTy::String
            | ScalarTy::Decimal
            | ScalarTy::DateTime
            | ScalarTy::List(_)
            | ScalarTy::Enum(_)
    );
    let body = if copy {
        quote!(self.#f.unwrap_or(#lit))
    } else if cheap {
        quote!(self.#f.clone().unwrap_or(#lit))
    } else {
        quote!(self.#f.clone().unwrap_or_else(|| #lit))
    };
    let doc =
        format!(" The value of `{bare}`, or the schema's default `{default}` when it is absent.");
    quote! {
        #[doc = #doc]
        pub fn #m(&self) -> #t {
            #body
        }
    }
}

/// A struct for an element type, with its `XmlElement` implementation.
pub(crate) fn emit_struct(ctx: &Ctx<'_>, s: &StructDef) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&s.name);
    let doc = docs(&s.docs);
    let user_attrs = ctx.type_attrs(&s.name);
    let mut decls = Vec::new();
    let mut reads = Vec::new();
    let mut inits = Vec::new();
    let mut writes_attrs = Vec::new();
    let mut methods = Vec::new();

    for (i, a) in s.attributes.iter().enumerate() {
        let t = scalar_ty(ctx, &a.ty);
        let t = if a.required {
            t
        } else {
            quote!(::core::option::Option<#t>)
        };
        decls.push(field_decl(ctx, &s.name, &a.name, t, &a.docs));
        let l = format_ident!("a_{}", i);
        let r = attr_read(ctx, a);
        reads.push(quote!(let #l = #r;));
        let f = ident(&a.name);
        inits.push(quote!(#f: #l,));
        writes_attrs.push(attr_write(ctx, a));
        if let (false, Some(d)) = (a.required, &a.default) {
            methods.push(default_method(ctx, &a.name, &a.ty, d));
        }
    }
    let known = s.attributes.iter().map(|a| {
        let ns = ns_tokens(&a.ns);
        let n = &a.xml_name;
        quote!((#ns, #n))
    });
    let wildcard = match &s.any_attribute {
        Some(w) => {
            let c = ns_constraint(ctx, w);
            quote!(::core::option::Option::Some(#c))
        }
        None => quote!(::core::option::Option::None),
    };
    let check_attrs = quote!(#rt::de::other_attributes(node, &[#(#known),*], #wildcard)?);
    let check_attrs = if s.any_attribute.is_some() {
        decls.push(field_decl(
            ctx,
            &s.name,
            "other_attributes",
            quote!(::std::vec::Vec<#rt::AnyAttribute>),
            &["Attributes matched by the type's attribute wildcard.".to_string()],
        ));
        inits.push(quote!(other_attributes: other,));
        writes_attrs.push(quote! {
            for a in &self.other_attributes {
                w.attribute_ns(a.namespace.as_deref(), &a.name, &a.value);
            }
        });
        quote!(let other = #check_attrs;)
    } else {
        quote!(#check_attrs;)
    };

    let (body_read, body_write) = match &s.body {
        Body::Empty => (quote!(#rt::de::Children::new(node)?.finish()?;), quote!()),
        Body::Any => {
            decls.push(field_decl(
                ctx,
                &s.name,
                "content",
                quote!(::std::vec::Vec<#rt::AnyNode>),
                &["The content (DTD `ANY`): text and elements in document order.".to_string()],
            ));
            inits.push(quote!(content,));
            (
                quote!(let content = #rt::AnyNode::children_of(node);),
                quote!(#rt::AnyNode::write_all(&self.content, w);),
            )
        }
        Body::Simple(t) => {
            let ty = scalar_ty(ctx, t);
            decls.push(field_decl(
                ctx,
                &s.name,
                "value",
                ty.clone(),
                &["The element's text.".to_string()],
            ));
            inits.push(quote!(value,));
            (
                quote!(let value = #rt::de::scalar::<#ty>(node)?;),
                quote!(w.text(&#rt::XmlScalar::to_text(&self.value));),
            )
        }
        Body::Mixed(item) => {
            let item_id = ident(item);
            let def = ctx.plan.items.iter().find_map(|i| match i {
                crate::plan::Item::Mixed(m) if &m.name == item => Some(m),
                _ => None,
            });
            decls.push(field_decl(
                ctx,
                &s.name,
                "content",
                quote!(::std::vec::Vec<#rt::Mixed<#item_id>>),
                &["Mixed content: text and child elements in document order.".to_string()],
            ));
            inits.push(quote!(content,));
            let (reader, writer) = match def {
                Some(m) => mixed_code(ctx, m),
                None => (quote!(), quote!()),
            };
            (
                quote!(let content = #rt::de::mixed(node, |child| { #reader })?;),
                quote! {
                    w.mixed(|w| {
                        for item in &self.content {
                            match item {
                                #rt::Mixed::Text(t) => w.text(t),
                                #rt::Mixed::Element(e) => { #writer }
                            }
                        }
                    });
                },
            )
        }
        Body::Sequence(fields) | Body::All(fields) => {
            let read = if matches!(s.body, Body::All(_)) {
                read_all(ctx, fields)
            } else {
                read_sequence(ctx, fields)
            };
            let mut writes = Vec::new();
            for (i, f) in fields.iter().enumerate() {
                let t = field_ty(ctx, &f.ty);
                decls.push(field_decl(ctx, &s.name, &f.name, t, &f.docs));
                let fid = ident(&f.name);
                let l = local(i);
                inits.push(quote!(#fid: #l,));
                writes.push(write_field(ctx, &f.ty, &Access::SelfField(quote!(#fid))));
                if let (
                    Occ::Opt,
                    Some(d),
                    Inner::Element {
                        value: Value::Scalar(t),
                        ..
                    },
                ) = (f.ty.occ(), &f.default, &f.ty.inner)
                {
                    methods.push(default_method(ctx, &f.name, t, d));
                }
            }
            (
                quote! {
                    let children = &mut #rt::de::Children::new(node)?;
                    #read
                    children.finish()?;
                },
                quote!(#(#writes)*),
            )
        }
    };
    let result = result_ty(ctx);
    let methods = if methods.is_empty() {
        quote!()
    } else {
        quote!(impl #name { #(#methods)* })
    };
    let derives = derives(ctx, &s.name);
    quote! {
        #doc
        #derives
        #user_attrs
        pub struct #name {
            #(#decls)*
        }

        impl #rt::XmlElement for #name {
            fn parse_element(node: #rt::roxmltree::Node<'_, '_>) -> #result {
                #check_attrs
                #(#reads)*
                #body_read
                ::core::result::Result::Ok(Self { #(#inits)* })
            }

            fn write_element(
                &self,
                w: &mut #rt::ser::XmlWriter,
                name: &str,
                namespace: ::core::option::Option<&str>,
            ) {
                w.start(name, namespace);
                #(#writes_attrs)*
                #body_write
                w.end();
            }
        }

        #methods
    }
}

/// The reader closure body and the writer match of a mixed-content item enum.
fn mixed_code(ctx: &Ctx<'_>, m: &MixedDef) -> (TokenStream, TokenStream) {
    let rt = &ctx.rt;
    let name = ident(&m.name);
    let mut reads = Vec::new();
    let mut writes = Vec::new();
    for (v, xml_name, ns, value) in &m.variants {
        let vid = ident(v);
        let nst = ns_tokens(ns);
        let read = read_value(ctx, value, &quote!(child));
        reads.push(quote! {
            if #rt::de::is(child, #nst, #xml_name) {
                return ::core::result::Result::Ok(#name::#vid(#read));
            }
        });
        let write = match value {
            Value::Scalar(_) => {
                quote!(w.simple_element(#xml_name, #nst, &#rt::XmlScalar::to_text(v)))
            }
            Value::Struct(_) => quote!(#rt::XmlElement::write_element(v, w, #xml_name, #nst)),
            Value::AnyElement => quote!(#rt::AnyElement::write(v, w)),
        };
        writes.push(quote!(#name::#vid(v) => #write,));
    }
    if let Some(wc) = &m.wildcard {
        let c = ns_constraint(ctx, wc);
        reads.push(quote! {
            if #c.matches(#rt::de::element_namespace(child)) {
                return ::core::result::Result::Ok(#name::Any(#rt::AnyElement::from_node(child)));
            }
        });
        writes.push(quote!(#name::Any(v) => #rt::AnyElement::write(v, w),));
    }
    let reader = quote! {
        #(#reads)*
        ::core::result::Result::Err(#rt::de::unexpected_element(child))
    };
    let writer = if writes.is_empty() {
        quote!(match *e {})
    } else {
        quote!(match e { #(#writes)* })
    };
    (reader, writer)
}

/// The item enum of mixed content.
pub(crate) fn emit_mixed_items(ctx: &Ctx<'_>, m: &MixedDef) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&m.name);
    let user_attrs = ctx.type_attrs(&m.name);
    let mut variants: Vec<TokenStream> = m
        .variants
        .iter()
        .map(|(v, xml_name, _, value)| {
            let vid = ident(v);
            let t = value_ty(ctx, value);
            let d = format!(" A `<{xml_name}>` element.");
            quote!(#[doc = #d] #vid(#t),)
        })
        .collect();
    if m.wildcard.is_some() {
        variants.push(quote!(#[doc = " An element matched by a wildcard."] Any(#rt::AnyElement),));
    }
    let doc = format!(
        " A child element of the mixed content that `{}` holds.",
        m.name.trim_end_matches("Item")
    );
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq)]
        #[allow(clippy::enum_variant_names, reason = "variant names mirror the schema's element names")]
        #user_attrs
        pub enum #name {
            #(#variants)*
        }
    }
}

/// A struct for a nested (optional or repeated) sequence, read from a cursor.
pub(crate) fn emit_group(ctx: &Ctx<'_>, g: &GroupDef) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&g.name);
    let doc = docs(&g.docs);
    let user_attrs = ctx.type_attrs(&g.name);
    let decls = g.fields.iter().map(|f| {
        let t = field_ty(ctx, &f.ty);
        field_decl(ctx, &g.name, &f.name, t, &f.docs)
    });
    let read = read_sequence(ctx, &g.fields);
    let inits = g.fields.iter().enumerate().map(|(i, f)| {
        let fid = ident(&f.name);
        let l = local(i);
        quote!(#fid: #l,)
    });
    let writes = g
        .fields
        .iter()
        .map(|f| write_field(ctx, &f.ty, &Access::SelfField(ident_tokens(&f.name))));
    let check = first_check(ctx, &g.first, &quote!(node));
    let result = result_ty(ctx);
    let derives = derives(ctx, &g.name);
    quote! {
        #doc
        #derives
        #user_attrs
        pub struct #name {
            #(#decls)*
        }

        impl #rt::XmlContent for #name {
            fn can_start(node: #rt::roxmltree::Node<'_, '_>) -> bool {
                #check
            }

            fn parse_content(children: &mut #rt::de::Children<'_, '_>) -> #result {
                #read
                ::core::result::Result::Ok(Self { #(#inits)* })
            }

            fn write_content(&self, w: &mut #rt::ser::XmlWriter) {
                #(#writes)*
            }
        }
    }
}

/// The derives of a struct: `Default` too when every field has one.
fn derives(ctx: &Ctx<'_>, name: &str) -> TokenStream {
    if ctx.plan.defaultable.contains(name) {
        quote!(#[derive(Clone, Debug, Default, PartialEq)])
    } else {
        quote!(#[derive(Clone, Debug, PartialEq)])
    }
}

fn ident_tokens(name: &str) -> TokenStream {
    let i = ident(name);
    quote!(#i)
}

/// An enum for a choice.
pub(crate) fn emit_choice(ctx: &Ctx<'_>, c: &ChoiceDef) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&c.name);
    let doc = docs(&c.docs);
    let user_attrs = ctx.type_attrs(&c.name);
    let variants = c.variants.iter().map(|v| {
        let vid = ident(&v.name);
        let t = field_ty(ctx, &v.ty);
        let d = format!(" Alternative {}.", v.ty.first.describe_doc());
        quote!(#[doc = #d] #vid(#t),)
    });
    let mut reads = Vec::new();
    let mut fallback = None;
    for v in &c.variants {
        let vid = ident(&v.name);
        let read = read_field(ctx, &v.ty);
        let check = first_check(ctx, &v.ty.first, &quote!(n));
        if !v.ty.first.names.is_empty() || !v.ty.first.wildcards.is_empty() {
            reads.push(quote! {
                if children.peek().is_some_and(|n| #check) {
                    return ::core::result::Result::Ok(Self::#vid(#read));
                }
            });
        }
        if v.ty.nullable && fallback.is_none() {
            fallback = Some(quote!(::core::result::Result::Ok(Self::#vid(#read))));
        }
    }
    let what = c.first.describe();
    let tail = fallback
        .unwrap_or_else(|| quote!(::core::result::Result::Err(children.error_expected(#what))));
    let writes = c.variants.iter().map(|v| {
        let vid = ident(&v.name);
        let w = write_field(ctx, &v.ty, &Access::Ref(quote!(v)));
        quote!(Self::#vid(v) => { #w })
    });
    let check = first_check(ctx, &c.first, &quote!(node));
    let result = result_ty(ctx);
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        #[allow(clippy::large_enum_variant, reason = "alternatives mirror the schema; boxing would change the API")]
        #[allow(clippy::enum_variant_names, reason = "variant names mirror the schema's element names")]
        #user_attrs
        pub enum #name {
            #(#variants)*
        }

        impl #rt::XmlContent for #name {
            fn can_start(node: #rt::roxmltree::Node<'_, '_>) -> bool {
                #check
            }

            fn parse_content(children: &mut #rt::de::Children<'_, '_>) -> #result {
                #(#reads)*
                #tail
            }

            fn write_content(&self, w: &mut #rt::ser::XmlWriter) {
                match self {
                    #(#writes)*
                }
            }
        }
    }
}

/// `from_xml`/`to_xml` of a document element.
pub(crate) fn emit_root(ctx: &Ctx<'_>, r: &RootFn) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&r.type_name);
    let ns = ns_tokens(&r.ns);
    let xml_name = &r.xml_name;
    let (from, to) = match &r.suffix {
        None => (format_ident!("from_xml"), format_ident!("to_xml")),
        Some(s) => (
            format_ident!("from_xml_as_{}", s),
            format_ident!("to_xml_as_{}", s),
        ),
    };
    let doctype = match (&ctx.plan.kind, &ctx.opts.schema_location, &r.ns) {
        (qschema_model::SchemaKind::Dtd, Some(sys), _) => {
            quote!(w.doctype(#xml_name, ::core::option::Option::None, #sys);)
        }
        (qschema_model::SchemaKind::Xsd, Some(url), None) => {
            quote!(w.root_attribute(#rt::de::XSI_NS, "noNamespaceSchemaLocation", #url);)
        }
        (qschema_model::SchemaKind::Xsd, Some(url), Some(ns)) => {
            let pair = format!("{ns} {url}");
            quote!(w.root_attribute(#rt::de::XSI_NS, "schemaLocation", #pair);)
        }
        _ => quote!(),
    };
    let from_doc = format!(" Read a document whose root element is `<{xml_name}>`.");
    let to_doc =
        format!(" Write this value as a `<{xml_name}>` document (with the XML declaration).");
    quote! {
        impl #name {
            #[doc = #from_doc]
            pub fn #from(xml: &str) -> ::core::result::Result<Self, #rt::FromXmlError> {
                #rt::de::parse_document(xml, #xml_name, #ns, <Self as #rt::XmlElement>::parse_element)
            }

            #[doc = #to_doc]
            pub fn #to(&self) -> ::std::string::String {
                let mut w = #rt::ser::XmlWriter::new();
                #doctype
                #rt::XmlElement::write_element(self, &mut w, #xml_name, #ns);
                w.finish()
            }
        }
    }
}
