//! The JSON data format: serializers and deserializers of structures,
//! unions and operation inputs, shared by the protocols whose bodies are
//! JSON.
//!
//! Inputs are written straight to the request body through the runtime's
//! `json::JsonWriter`, members in model order; responses are read from a
//! `serde_json::Value` with the runtime's `json::de_*` helpers. Members are
//! keyed by their JSON key (see `FieldIr::json_key`).

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, lit, Ctx};
use crate::ir::*;

/// A deserializer: a function path that takes the value and its path, and
/// possibly more arguments after them.
enum Code {
    Call(TokenStream),
    /// A deserializer function that takes more arguments after the value and
    /// its path.
    CallWith(TokenStream, TokenStream),
}

impl Code {
    /// The code applied to `v` and a path expression (deserializers).
    fn on_v_path(&self, path: &TokenStream) -> TokenStream {
        match self {
            Code::Call(f) => quote!(#f(v, #path)),
            Code::CallWith(f, args) => quote!(#f(v, #path, #args)),
        }
    }

    /// The code as a two-argument function `(value, path)`.
    fn as_fn2(&self) -> TokenStream {
        match self {
            Code::Call(f) => f.clone(),
            Code::CallWith(f, args) => quote!(|v, p| #f(v, p, #args)),
        }
    }
}

/// Statements that write the value bound to `v` (a reference) to the JSON
/// writer `w`, in a function returning `Result<(), SerializeError>`.
fn ser(ty: &RustType, ctx: &Ctx) -> TokenStream {
    match ty {
        RustType::String => quote!(w.string(v);),
        RustType::Bool => quote!(w.bool(*v);),
        RustType::I8 | RustType::I16 | RustType::I32 => quote!(w.integer(i64::from(*v));),
        RustType::I64 => quote!(w.integer(*v);),
        RustType::F32 => quote!(w.f32(*v);),
        RustType::F64 => quote!(w.f64(*v);),
        RustType::Blob => quote!(w.blob(v);),
        // Never in a JSON body: lowering binds streams to the payload only.
        RustType::ByteStream { .. } => {
            let rt = &ctx.rt;
            quote! {
                return ::std::result::Result::Err(#rt::error::SerializeError::new(
                    "a streamed payload cannot be written as JSON",
                ));
            }
        }
        RustType::Document => quote!(w.document(v);),
        RustType::BigInteger => quote!(w.big_integer(v);),
        RustType::BigDecimal => quote!(w.big_decimal(v);),
        RustType::DateTime(format) => {
            let format = format_tokens(body_format(*format), ctx);
            quote!(w.timestamp(v, #format)?;)
        }
        RustType::Enum(_) => quote!(w.string(v.as_str());),
        RustType::Struct(_) | RustType::Union(_) | RustType::ErrorStruct(_) => {
            let rt = &ctx.rt;
            quote!(#rt::json::WriteJson::write_json(v, w)?;)
        }
        RustType::List { item, sparse } => {
            let item = ser_item(item, *sparse, ctx);
            quote! {
                w.begin_array();
                for v in v.iter() {
                    w.item();
                    #item
                }
                w.end_array();
            }
        }
        RustType::Map {
            key,
            value: item,
            sparse,
        } => {
            let key = match **key {
                RustType::Enum(_) => quote!(k.as_str()),
                _ => quote!(k),
            };
            let entry = ser_item(item, *sparse, ctx);
            quote! {
                w.begin_object();
                for (k, v) in v.iter() {
                    w.key(#key);
                    #entry
                }
                w.end_object();
            }
        }
    }
}

/// Statements that write one item of a collection, bound to `v`: in a
/// sparse collection, `null` for `None`.
fn ser_item(ty: &RustType, sparse: bool, ctx: &Ctx) -> TokenStream {
    let inner = ser(ty, ctx);
    if !sparse {
        return inner;
    }
    quote! {
        match v {
            ::std::option::Option::Some(v) => { #inner }
            ::std::option::Option::None => w.null(),
        }
    }
}

/// A deserializer for one value: `(value, path) -> Result<Option<T>, DeserializeError>`.
fn de(ty: &RustType, ctx: &Ctx) -> Code {
    let rt = &ctx.rt;
    let root = &ctx.root;
    let json = quote!(#rt::json);
    match ty {
        RustType::String => Code::Call(quote!(#json::de_string)),
        RustType::Bool => Code::Call(quote!(#json::de_bool)),
        RustType::I8 => Code::Call(quote!(#json::de_i8)),
        RustType::I16 => Code::Call(quote!(#json::de_i16)),
        RustType::I32 => Code::Call(quote!(#json::de_i32)),
        RustType::I64 => Code::Call(quote!(#json::de_i64)),
        RustType::F32 => Code::Call(quote!(#json::de_f32)),
        RustType::F64 => Code::Call(quote!(#json::de_f64)),
        RustType::Blob => Code::Call(quote!(#json::de_blob)),
        // Never in a JSON body: lowering binds streams to the payload only.
        RustType::ByteStream { .. } => Code::Call(quote! {
            (|_: &#rt::serde_json::Value, path: &str| -> ::std::result::Result<
                ::std::option::Option<#rt::primitives::ByteStream>,
                #rt::error::DeserializeError,
            > {
                ::std::result::Result::Err(#rt::error::DeserializeError::new(
                    path,
                    "a streamed payload cannot be read from JSON",
                ))
            })
        }),
        RustType::Document => Code::Call(quote!(#json::de_document)),
        RustType::BigInteger => Code::Call(quote!(#json::de_big_integer)),
        RustType::BigDecimal => Code::Call(quote!(#json::de_big_decimal)),
        RustType::DateTime(format) => {
            let format = format_tokens(body_format(*format), ctx);
            Code::CallWith(quote!(#json::de_timestamp), format)
        }
        RustType::Enum(_) => Code::Call(quote!(#json::de_enum)),
        RustType::Struct(_) | RustType::Union(_) | RustType::ErrorStruct(_) => {
            Code::Call(quote!(#json::read))
        }
        RustType::List { item, sparse } => {
            let inner = de(item, ctx).as_fn2();
            if *sparse {
                Code::CallWith(quote!(#json::de_sparse_list), inner)
            } else {
                Code::CallWith(quote!(#json::de_list), inner)
            }
        }
        RustType::Map { key, value, sparse } => {
            let inner = de(value, ctx).as_fn2();
            let key = match &**key {
                RustType::Enum(t) => {
                    let name = ident(&t.name);
                    quote!(|k: &str| #root::types::#name::from(k))
                }
                _ => quote!(::std::borrow::ToOwned::to_owned),
            };
            if *sparse {
                Code::CallWith(quote!(#json::de_sparse_map), quote!(#key, #inner))
            } else {
                Code::CallWith(quote!(#json::de_map), quote!(#key, #inner))
            }
        }
    }
}

/// The format of a timestamp in a JSON body: the one its trait names, else
/// epoch seconds (the default of every JSON protocol's body).
fn body_format(format: Option<TimestampFormat>) -> TimestampFormat {
    format.unwrap_or(TimestampFormat::EpochSeconds)
}

pub(super) fn format_tokens(format: TimestampFormat, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    match format {
        TimestampFormat::EpochSeconds => quote!(#rt::primitives::DateTimeFormat::EpochSeconds),
        TimestampFormat::DateTime => quote!(#rt::primitives::DateTimeFormat::DateTime),
        TimestampFormat::HttpDate => quote!(#rt::primitives::DateTimeFormat::HttpDate),
    }
}

/// The statement that starts the member `name` of the object being written
/// to `w`: names that need no escaping (every Smithy member name) are
/// copied as they are.
fn write_key(name: &str) -> TokenStream {
    let key = lit(name);
    if plain_name(name) {
        quote!(w.field(#key);)
    } else {
        quote!(w.key(#key);)
    }
}

/// Whether values of `ty` have the one awsJson form the runtime's
/// `WriteJson`/`ReadJson` give their Rust type: everything but timestamps
/// in a format other than the protocol's default (epoch seconds).
fn uniform(ty: &RustType) -> bool {
    match ty {
        RustType::DateTime(format) => body_format(*format) == TimestampFormat::EpochSeconds,
        RustType::List { item, .. } => uniform(item),
        RustType::Map { value, .. } => uniform(value),
        _ => true,
    }
}

/// Whether a member name needs no escaping in JSON (every Smithy member name).
fn plain_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Statements that write the fields of `recv` (`self` or a `value`
/// parameter) as members of the JSON object being written to `w`, in model
/// order: one `member`/`opt_member` call each, or, for a member whose type
/// is not [`uniform`], statements that write it piece by piece.
fn ser_fields(fields: &[FieldIr], recv: &TokenStream, ctx: &Ctx) -> TokenStream {
    let stmts = fields.iter().map(|f| {
        let fname = ident(&f.name);
        if plain_name(&f.json_key) && uniform(&f.ty) {
            let name = lit(&f.json_key);
            return if f.optional {
                quote!(w.opt_member(#name, &#recv.#fname)?;)
            } else {
                quote!(w.member(#name, &#recv.#fname)?;)
            };
        }
        let key = write_key(&f.json_key);
        let write = ser(&f.ty, ctx);
        if f.optional {
            quote! {
                if let ::std::option::Option::Some(v) = &#recv.#fname {
                    #key
                    #write
                }
            }
        } else {
            quote! {
                {
                    let v = &#recv.#fname;
                    #key
                    #write
                }
            }
        }
    });
    quote!(#(#stmts)*)
}

/// The body of a structure's serializer: the fields of `recv` as a JSON object.
fn ser_struct_body(s: &StructIr, recv: &TokenStream, ctx: &Ctx) -> TokenStream {
    let fields = ser_fields(&s.fields, recv, ctx);
    quote! {
        w.begin_object();
        #fields
        w.end_object();
        ::std::result::Result::Ok(())
    }
}

/// The structure's `WriteJson` impl.
fn ser_struct_impl(s: &StructIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let ty = ident(&s.name);
    let body = ser_struct_body(s, &quote!(self), ctx);
    quote! {
        impl #rt::json::WriteJson for #ty {
            #[inline]
            fn write_json(&self, w: &mut #rt::json::JsonWriter) -> ::std::result::Result<(), #rt::error::SerializeError> {
                #body
            }
        }
    }
}

/// `fn #name(value: &#input, w: &mut JsonWriter)`: writes `fields` of the
/// input as one JSON object, keyed as given.
pub(super) fn ser_fields_fn(
    name: &str,
    input: &StructIr,
    fields: &[FieldIr],
    ctx: &Ctx,
) -> TokenStream {
    let rt = &ctx.rt;
    let ty = ident(&input.name);
    let name = ident(name);
    let fields = ser_fields(fields, &quote!(value), ctx);
    quote! {
        #[inline]
        pub(crate) fn #name(value: &#ty, w: &mut #rt::json::JsonWriter) -> ::std::result::Result<(), #rt::error::SerializeError> {
            w.begin_object();
            #fields
            w.end_object();
            ::std::result::Result::Ok(())
        }
    }
}

/// The serializer of an operation input: writes the request body, and asks
/// for its MD5 when `checksum` (`smithy.api#httpChecksumRequired`).
pub fn ser_input(s: &StructIr, checksum: bool, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let ty = ident(&s.name);
    let checksum = checksum.then(|| quote!(w.require_content_md5();));
    let body = ser_struct_body(s, &quote!(value), ctx);
    let value_param = if s.fields.is_empty() {
        quote!(_value)
    } else {
        quote!(value)
    };
    quote! {
        #[inline]
        pub(crate) fn ser_input(#value_param: &#ty, w: &mut #rt::request::RequestWriter) -> ::std::result::Result<(), #rt::error::SerializeError> {
            #checksum
            #body
        }
    }
}

/// Serializer and deserializer functions for a structure, as its codecs ask.
///
/// All of them are `#[inline]`, like the rest of an operation's call path:
/// code for them is generated where an operation that uses them is called.
pub fn struct_codecs(s: &StructIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&s.name);
    let builder = ident(&s.builder);
    let mut out = TokenStream::new();
    if s.codecs.ser && s.kind != StructKind::Input {
        out.extend(ser_struct_impl(s, ctx));
    }
    if s.codecs.de && s.kind != StructKind::Input {
        // An output whose members are all bound outside the body is read
        // without one (see the protocol's `de_output`).
        if s.kind != StructKind::Output || reads_json_object(s) {
            out.extend(de_builder(s, ctx));
        }
        let finish_fn = super::values::finish(s, ctx);
        // Without corrections or required members, finishing is building.
        let done = match finish_fn.is_some() {
            true => quote!(finish),
            false => quote!(build),
        };
        out.extend(finish_fn);
        // An output is read whole by its operation's `de_output` (see
        // `operation!`), never as a member; an error's `ParseModeledError`
        // is in its `modeled_error!` (see `error::error_struct`).
        if s.kind != StructKind::Output {
            let macro_name = ident(super::READ_JSON_MACRO);
            out.extend(quote!(#rt::#macro_name!(#name, #builder, #done);));
        }
    }
    out
}

/// Whether a structure read from a response is read from a JSON object
/// body (with its `de_builder`): it has members in the body, or no members
/// at all. An output whose members are all bound elsewhere (headers, the
/// status code, a payload) is not.
pub(super) fn reads_json_object(s: &StructIr) -> bool {
    s.fields.is_empty() || s.fields.iter().any(|f| f.location == Location::Body)
}

/// `de_builder`: reads a JSON object into the structure's builder, through
/// the runtime's `de_builder!`: its members in the body, each under its
/// JSON key. A member that `ReadJson` cannot read (a timestamp in a
/// non-default format, or a collection of them) names its reader.
fn de_builder(s: &StructIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let builder = ident(&s.builder);
    let body = s.fields.iter().filter(|f| f.location == Location::Body);
    let members = body.map(|f| {
        let fname = ident(&f.name);
        // Error messages arrive as `message` or `Message` depending on the
        // service: both are read, unless another member has that key.
        let mut keys = vec![f.json_key.as_str()];
        if s.kind == StructKind::Error && f.suffix == "message" {
            keys.retain(|key| !["message", "Message"].contains(key));
            for alt in ["message", "Message"] {
                let other = s
                    .fields
                    .iter()
                    .any(|o| o.location == Location::Body && o.json_key == alt && o.name != f.name);
                if !other {
                    keys.push(alt);
                }
            }
        }
        let keys = keys.into_iter().map(lit);
        let pattern = quote!(#(#keys)|*);
        if uniform(&f.ty) {
            // `ReadJson` reads boxed values too.
            return quote!(#pattern => #fname,);
        }
        let read = de(&f.ty, ctx).as_fn2();
        let read = if f.boxed {
            quote!(|v, p| (#read)(v, p).map(|value| value.map(::std::boxed::Box::new)))
        } else {
            read
        };
        quote!(#pattern => #fname with #read,)
    });
    let macro_name = ident(super::DE_BUILDER_MACRO);
    let via = super::builder_via(s).map(|via| quote!([#via]));
    quote!(#rt::#macro_name!(#builder #via { #(#members)* });)
}

/// Serializer and deserializer of a union.
pub fn union_codecs(u: &UnionIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&u.name);
    let type_label = lit(&u.name);
    let mut out = TokenStream::new();
    if u.codecs.ser {
        let arms = u.variants.iter().map(|v| {
            let variant = ident(&v.name);
            let key = write_key(&v.json_key);
            match &v.ty {
                None => quote! {
                    #name::#variant => {
                        #key
                        w.begin_object();
                        w.end_object();
                    }
                },
                Some(ty) if plain_name(&v.json_key) && uniform(ty) => {
                    let member = lit(&v.json_key);
                    quote!(#name::#variant(v) => w.member(#member, v)?,)
                }
                Some(ty) => {
                    let write = ser(ty, ctx);
                    quote! {
                        #name::#variant(v) => {
                            #key
                            #write
                        }
                    }
                }
            }
        });
        let unknown = lit(&format!(
            "cannot serialize `{}::Unknown`, a member this crate does not know",
            u.name
        ));
        out.extend(quote! {
            impl #rt::json::WriteJson for #name {
                #[inline]
                fn write_json(&self, w: &mut #rt::json::JsonWriter) -> ::std::result::Result<(), #rt::error::SerializeError> {
                    w.begin_object();
                    match self {
                        #(#arms)*
                        #name::Unknown => {
                            return ::std::result::Result::Err(#rt::error::SerializeError::new(#unknown));
                        }
                    }
                    w.end_object();
                    ::std::result::Result::Ok(())
                }
            }
        });
    }
    if u.codecs.de {
        let arms = u.variants.iter().map(|v| {
            let variant = ident(&v.name);
            let key = lit(&v.json_key);
            match &v.ty {
                None => quote!(#key => #name::#variant,),
                Some(ty) => {
                    let read = de(ty, ctx).on_v_path(&quote!(#key));
                    let boxed = v.boxed.then(|| quote!(let value = ::std::boxed::Box::new(value);));
                    quote! {
                        #key => {
                            let value = (#read)?.ok_or_else(|| #rt::error::DeserializeError::new(#key, "union member is null"))?;
                            #boxed
                            #name::#variant(value)
                        }
                    }
                }
            }
        });
        out.extend(quote! {
            impl #rt::json::ReadJson for #name {
            #[inline]
            fn read_json(value: &#rt::serde_json::Value, path: &str) -> ::std::result::Result<::std::option::Option<Self>, #rt::error::DeserializeError> {
                let ::std::option::Option::Some(object) = #rt::json::de_object(value, path)? else {
                    return ::std::result::Result::Ok(::std::option::Option::None);
                };
                let mut found = ::std::option::Option::None;
                for (key, v) in object {
                    if v.is_null() || key == "__type" {
                        continue;
                    }
                    if found.is_some() {
                        return ::std::result::Result::Err(#rt::error::DeserializeError::new(path, ::std::format!("more than one member of union `{}` is set", #type_label)));
                    }
                    found = ::std::option::Option::Some(match key.as_str() {
                        #(#arms)*
                        _ => #name::Unknown,
                    });
                }
                found.map(::std::option::Option::Some).ok_or_else(|| #rt::error::DeserializeError::new(path, ::std::format!("no member of union `{}` is set", #type_label)))
            }
            }
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::test_support::{lower_with, macro_call};
    use serde_json::json;

    /// An error's message is read under `message` and `Message` too, but not
    /// under a key another member of the error has: the keys are the arms
    /// of one `match`, and an arm that can never match would warn.
    #[test]
    fn message_alternatives_skip_keys_other_members_have() {
        let string = |json_name: &str| {
            json!({"target": "smithy.api#String",
            "traits": {"smithy.api#jsonName": json_name}})
        };
        let shapes = json!({
            "ex#Svc": {"type": "service", "version": "1", "operations": [],
                "traits": {"aws.protocols#restJson1": {}}},
            "ex#Oops": {"type": "structure", "traits": {"smithy.api#error": "client"},
                "members": {"Message": string("msg"), "Detail": string("Message")}},
            "ex#Plain": {"type": "structure", "traits": {"smithy.api#error": "client"},
                "members": {"Message": {"target": "smithy.api#String"}}}
        });
        let service = lower_with(
            shapes,
            "ex#Svc",
            "operations",
            json!({"Get": {"type": "operation", "errors": [{"target": "ex#Oops"}, {"target": "ex#Plain"}],
                "traits": {"smithy.api#http": {"method": "GET", "uri": "/"}}}}),
        );
        let error = |name: &str| {
            let e = service.errors.iter().find(|e| e.name == name).expect(name);
            macro_call(&de_builder(e, &Ctx::for_crate()), "de_builder").1
        };
        assert_eq!(
            error("Oops"),
            r#"OopsBuilder{"msg"|"message"=>message,"Message"=>detail,}"#
        );
        assert_eq!(
            error("Plain"),
            r#"PlainBuilder{"message"|"Message"=>message,}"#
        );
    }
}
