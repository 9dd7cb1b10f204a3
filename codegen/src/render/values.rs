//! Values written as Rust expressions: `@default` values and literals, and
//! the zero values Smithy's client error correction fills required members
//! of a response with.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, lit, Ctx};
use crate::ir::*;

/// `finish`: fills required members a response left out with their zero value
/// (as Smithy's client error correction asks), then builds. `None` when
/// there is nothing to fill in and building cannot fail.
pub(super) fn finish(s: &StructIr, ctx: &Ctx) -> Option<TokenStream> {
    let rt = &ctx.rt;
    let name = ident(&s.name);
    let builder = ident(&s.builder);
    let corrections = s
        .fields
        .iter()
        .filter(|f| !f.optional && f.default.is_none())
        .filter_map(|f| {
            let zero = zero_value(&f.ty, ctx)?;
            let member = super::builder_field(s, quote!(builder), &f.name);
            let zero = if f.boxed {
                quote!(::std::boxed::Box::new(#zero))
            } else {
                zero
            };
            Some(quote! {
                if #member.is_none() {
                    #member = ::std::option::Option::Some(#zero);
                }
            })
        })
        .collect::<Vec<_>>();
    if !has_finish(s, ctx) {
        return None;
    }
    let build = if s.build_is_fallible() {
        quote!(builder.build().map_err(|err| #rt::error::DeserializeError::new(path, err.to_string())))
    } else {
        quote!(::std::result::Result::Ok(builder.build()))
    };
    let path_param = if s.build_is_fallible() {
        quote!(path)
    } else {
        quote!(_path)
    };
    let builder_param = if corrections.is_empty() {
        quote!(builder)
    } else {
        quote!(mut builder)
    };
    Some(quote! {
        #[inline]
        fn finish(#builder_param: #builder, #path_param: &str) -> ::std::result::Result<#name, #rt::error::DeserializeError> {
            #(#corrections)*
            #build
        }
    })
}

/// Whether reading the structure from a response goes through a `finish`
/// (see [`finish`]) rather than the builder's `build`.
pub(super) fn has_finish(s: &StructIr, ctx: &Ctx) -> bool {
    s.build_is_fallible()
        || s.fields
            .iter()
            .any(|f| !f.optional && f.default.is_none() && zero_value(&f.ty, ctx).is_some())
}

/// The value a missing required member takes in a response, where the type has one.
pub(super) fn zero_value(ty: &RustType, ctx: &Ctx) -> Option<TokenStream> {
    let rt = &ctx.rt;
    let root = &ctx.root;
    Some(match ty {
        RustType::String => quote!(::std::string::String::new()),
        RustType::Bool => quote!(false),
        RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64 => quote!(0),
        RustType::F32 | RustType::F64 => quote!(0.0),
        RustType::Blob => quote!(#rt::primitives::Blob::new(::std::vec::Vec::new())),
        RustType::ByteStream { .. } => quote!(#rt::primitives::ByteStream::default()),
        RustType::DateTime(_) => quote!(#rt::primitives::DateTime::from_secs(0)),
        RustType::Document => quote!(#rt::primitives::Document::Null),
        RustType::Enum(t) => {
            let name = ident(&t.name);
            quote!(#root::types::#name::from(""))
        }
        RustType::List { .. } => quote!(::std::vec::Vec::new()),
        RustType::Map { .. } => quote!(::std::collections::HashMap::new()),
        _ => return None,
    })
}

/// The expression for a member's `@default` value.
pub fn default_expr(default: &DefaultValue, ty: &RustType, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let root = &ctx.root;
    match default {
        DefaultValue::Bool(b) => quote!(#b),
        DefaultValue::Int(n) => int_literal(*n),
        DefaultValue::Float(x) => float_literal(*x, ty),
        DefaultValue::String(s) => {
            let s = lit(s);
            quote!(::std::string::String::from(#s))
        }
        DefaultValue::EnumValue(v) => match ty {
            RustType::Enum(t) => {
                let name = ident(&t.name);
                let v = lit(v);
                quote!(#root::types::#name::from(#v))
            }
            _ => quote!(::std::default::Default::default()),
        },
        DefaultValue::EmptyList => quote!(::std::vec::Vec::new()),
        DefaultValue::EmptyMap => quote!(::std::collections::HashMap::new()),
        DefaultValue::Blob(bytes) => {
            let literal = proc_macro2::Literal::byte_string(bytes);
            match ty {
                RustType::ByteStream { .. } if bytes.is_empty() => {
                    quote!(#rt::primitives::ByteStream::default())
                }
                RustType::ByteStream { .. } => {
                    quote!(#rt::primitives::ByteStream::from_static(#literal))
                }
                _ => quote!(#rt::primitives::Blob::new(#literal.to_vec())),
            }
        }
        DefaultValue::Timestamp(secs) => {
            let secs = float_literal(*secs, &RustType::F64);
            quote!(#rt::primitives::DateTime::from_secs_f64(#secs))
        }
        DefaultValue::Document(value) => document_expr(value, ctx),
    }
}

pub(crate) fn int_literal(n: i64) -> TokenStream {
    let magnitude = proc_macro2::Literal::u64_unsuffixed(n.unsigned_abs());
    if n < 0 {
        quote!(-#magnitude)
    } else {
        quote!(#magnitude)
    }
}

pub(crate) fn float_literal(x: f64, ty: &RustType) -> TokenStream {
    let float_ty = if *ty == RustType::F32 {
        quote!(f32)
    } else {
        quote!(f64)
    };
    if x.is_nan() {
        return quote!(#float_ty::NAN);
    }
    if x.is_infinite() {
        return if x > 0.0 {
            quote!(#float_ty::INFINITY)
        } else {
            quote!(#float_ty::NEG_INFINITY)
        };
    }
    let magnitude = proc_macro2::Literal::f64_unsuffixed(x.abs());
    if x.is_sign_negative() {
        quote!(-#magnitude)
    } else {
        quote!(#magnitude)
    }
}

pub(crate) fn document_expr(value: &serde_json::Value, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let doc = quote!(#rt::primitives::Document);
    match value {
        serde_json::Value::Null => quote!(#doc::Null),
        serde_json::Value::Bool(b) => quote!(#doc::Bool(#b)),
        serde_json::Value::String(s) => {
            let s = lit(s);
            quote!(#doc::String(::std::string::String::from(#s)))
        }
        serde_json::Value::Number(n) => {
            let number = if let Some(u) = n.as_u64() {
                let u = proc_macro2::Literal::u64_unsuffixed(u);
                quote!(#rt::primitives::Number::PosInt(#u))
            } else if let Some(i) = n.as_i64() {
                let i = int_literal(i);
                quote!(#rt::primitives::Number::NegInt(#i))
            } else {
                let f = float_literal(n.as_f64().unwrap_or(0.0), &RustType::F64);
                quote!(#rt::primitives::Number::Float(#f))
            };
            quote!(#doc::Number(#number))
        }
        serde_json::Value::Array(items) => {
            let items = items.iter().map(|v| document_expr(v, ctx));
            quote!(#doc::Array(::std::vec![#(#items),*]))
        }
        serde_json::Value::Object(map) => {
            let entries = map.iter().map(|(k, v)| {
                let k = lit(k);
                let v = document_expr(v, ctx);
                quote!((::std::string::String::from(#k), #v))
            });
            quote!(#doc::Object([#(#entries),*].into_iter().collect()))
        }
    }
}
