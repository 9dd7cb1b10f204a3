//! `restJson1`: each operation has its own method and URI pattern, input
//! members are bound to the path, the query string, headers or the body
//! (`@httpLabel`, `@httpQuery`, `@httpQueryParams`, `@httpHeader`,
//! `@httpPrefixHeaders`, `@httpPayload`), and outputs and errors are read
//! back from the status code, headers and body the same way. The members
//! left in the body form a JSON object (see [`json`]), keyed by their
//! `@jsonName`.
//!
//! The text of a bound value is written and read with the runtime's
//! `binding` helpers. Timestamps bound outside the body default to
//! date-time in the path and the query string and to http-date in headers.

use proc_macro2::TokenStream;
use quote::quote;

use super::ProtocolRender;
use crate::ir::*;
use crate::render::{ident, json, lit, values, Ctx};

pub(super) struct RestJson;

impl ProtocolRender for RestJson {
    fn runtime_variant(&self) -> &'static str {
        "RestJson1"
    }

    fn ser_input(&self, op: &OperationIr, ctx: &Ctx) -> TokenStream {
        ser_input(op, ctx)
    }

    fn de_output(&self, op: &OperationIr, ctx: &Ctx) -> Option<TokenStream> {
        Some(de_output(&op.output, ctx))
    }

    fn de_error(&self, error: &StructIr, ctx: &Ctx) -> Option<TokenStream> {
        de_error(error, ctx)
    }

    fn unsupported_case(&self, id: &str) -> Option<&'static str> {
        UNSUPPORTED_CASES
            .iter()
            .find(|(case, _)| *case == id)
            .map(|(_, why)| *why)
    }
}

/// The official restJson1 protocol test cases the generated code cannot
/// pass yet, and why. Their tests are generated ignored, with the reason.
const UNSUPPORTED_CASES: &[(&str, &str)] = &[];

/// The content type of a JSON body.
const JSON: &str = "application/json";

/// The default format of a timestamp bound to the path or the query string.
const LABEL_FORMAT: TimestampFormat = TimestampFormat::DateTime;
/// The default format of a timestamp bound to a header.
const HEADER_FORMAT: TimestampFormat = TimestampFormat::HttpDate;

/// `Some(..)` and `None`, spelled out.
fn some(value: TokenStream) -> TokenStream {
    quote!(::std::option::Option::Some(#value))
}

/// The text of `v`, a reference to a value bound outside the body.
struct Text {
    expr: TokenStream,
    /// `expr` is a `String`, else a `&str`.
    owned: bool,
    /// `expr` is a `Result` (a timestamp's text), else the text itself.
    fallible: bool,
}

impl Text {
    /// The text of `v`, a reference to a value of `ty`; `None` for types
    /// that have no text.
    fn of(
        ty: &RustType,
        media_type: bool,
        default_format: TimestampFormat,
        ctx: &Ctx,
    ) -> Option<Text> {
        let rt = &ctx.rt;
        let binding = quote!(#rt::binding);
        let (expr, owned) = match ty {
            RustType::String if media_type => (quote!(#binding::fmt_base64(v)), true),
            RustType::String | RustType::Enum(_) => (quote!(v.as_str()), false),
            RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64 => {
                (quote!(#binding::fmt_integer(*v)), true)
            }
            RustType::F32 => (quote!(#binding::fmt_f32(*v)), true),
            RustType::F64 => (quote!(#binding::fmt_f64(*v)), true),
            RustType::Bool => (quote!(#binding::fmt_bool(*v)), false),
            RustType::Blob => (quote!(#binding::fmt_base64(v)), true),
            RustType::DateTime(format) => {
                let format = json::format_tokens(format.unwrap_or(default_format), ctx);
                return Some(Text {
                    expr: quote!(#binding::fmt_timestamp(v, #format)),
                    owned: true,
                    fallible: true,
                });
            }
            _ => return None,
        };
        Some(Text {
            expr,
            owned,
            fallible: false,
        })
    }

    /// The text (a `String` or a `&str`), in a function returning
    /// `Result<_, SerializeError>`.
    fn value(&self) -> TokenStream {
        let expr = &self.expr;
        match self.fallible {
            true => quote!(#expr?),
            false => quote!(#expr),
        }
    }

    /// The text as a `&str` argument.
    fn as_str(&self) -> TokenStream {
        let value = self.value();
        match self.owned {
            true => quote!(&#value),
            false => value,
        }
    }
}

/// A statement that fails serialization: a member bound where its type
/// cannot go (which a valid model does not do).
fn unwritable(f: &FieldIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let message = lit(&format!(
        "the input member `{}` cannot be written where it is bound",
        f.wire_name
    ));
    quote!(return ::std::result::Result::Err(#rt::error::SerializeError::new(#message));)
}

/// A query parameter's name, percent-encoded: a literal when it needs no
/// encoding (as is usual), else encoded when the request is written.
fn query_name(name: &str, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let text = lit(name);
    let plain = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    if plain {
        quote!(#text)
    } else {
        quote!(&#rt::binding::encode_query(#text))
    }
}

/// `ser_input`: the method, the path with its labels, the query string,
/// the headers and the body of the request.
fn ser_input(op: &OperationIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let input = &op.input;
    let ty = ident(&input.name);
    let mut stmts = Vec::new();
    let mut items = TokenStream::new();

    let (method, path, literal_query) = match &op.http {
        Some(http) => (
            http.method.as_str(),
            http.path.as_slice(),
            http.query.as_slice(),
        ),
        None => ("POST", &[][..], &[][..]),
    };
    let method = lit(method);
    stmts.push(quote!(w.set_method(#method);));
    if op.checksum_required {
        stmts.push(quote!(w.require_content_md5();));
    }

    for segment in path {
        match segment {
            UriSegment::Literal(text) => {
                let text = lit(text);
                stmts.push(quote!(w.push_path(#text);));
            }
            UriSegment::Label {
                field,
                wire_name,
                greedy,
            } => {
                let Some(f) = input.fields.iter().find(|f| &f.name == field) else {
                    continue;
                };
                let fname = ident(&f.name);
                let wire = lit(wire_name);
                let Some(text) = Text::of(&f.ty, false, LABEL_FORMAT, ctx) else {
                    stmts.push(unwritable(f, ctx));
                    continue;
                };
                let expr = &text.expr;
                let label = match (&f.ty, text.fallible, text.owned) {
                    (RustType::String, ..) => quote!(value.#fname.as_deref()),
                    (_, true, _) => {
                        quote!(value.#fname.as_ref().map(|v| #expr).transpose()?.as_deref())
                    }
                    (_, false, true) => quote!(value.#fname.as_ref().map(|v| #expr).as_deref()),
                    (_, false, false) => quote!(value.#fname.as_ref().map(|v| #expr)),
                };
                stmts.push(quote!(w.push_label(#label, #wire, #greedy)?;));
            }
        }
    }

    for (name, value) in literal_query {
        let name = lit(name);
        let value = match value {
            Some(v) => some(quote!(#v)),
            None => quote!(::std::option::Option::None),
        };
        stmts.push(quote!(w.push_query(#name, #value);));
    }

    let query_members: Vec<(&FieldIr, &str)> = input
        .fields
        .iter()
        .filter_map(|f| match &f.location {
            Location::Query(name) => Some((f, name.as_str())),
            _ => None,
        })
        .collect();
    for (f, name) in &query_members {
        stmts.push(ser_query(f, name, ctx));
    }
    for f in input
        .fields
        .iter()
        .filter(|f| f.location == Location::QueryParams)
    {
        stmts.push(ser_query_params(f, &query_members, ctx));
    }

    let header_members: Vec<(&FieldIr, &str)> = input
        .fields
        .iter()
        .filter_map(|f| match &f.location {
            Location::Header(name) => Some((f, name.as_str())),
            _ => None,
        })
        .collect();
    for (f, name) in &header_members {
        stmts.push(ser_header(f, name, ctx));
    }
    for f in &input.fields {
        if let Location::PrefixHeaders(prefix) = &f.location {
            stmts.push(ser_prefix_headers(f, prefix, &header_members, ctx));
        }
    }

    // `Content-Type` goes with a body, unless an input member sets it.
    let content_type_member = header_members
        .iter()
        .find(|(_, name)| name.eq_ignore_ascii_case("content-type"))
        .map(|(f, _)| ident(&f.name));
    let content_type = |value: &str| {
        let value = lit(value);
        let push = quote!(w.push_header("Content-Type", #value););
        match &content_type_member {
            Some(member) => quote!(if value.#member.is_none() { #push }),
            None => push,
        }
    };
    let body_fields: Vec<FieldIr> = input
        .fields
        .iter()
        .filter(|f| f.location == Location::Body)
        .cloned()
        .collect();
    if let Some(payload) = input
        .fields
        .iter()
        .find(|f| f.location == Location::Payload)
    {
        stmts.push(ser_payload(payload, &content_type, ctx));
    } else if !body_fields.is_empty() {
        let push = content_type(JSON);
        stmts.push(quote! {
            #push
            ser_body(value, w)?;
        });
        items.extend(json::ser_fields_fn("ser_body", input, &body_fields, ctx));
    }

    let value_param = match input.fields.is_empty() {
        true => quote!(_value),
        false => quote!(value),
    };
    quote! {
        #[inline]
        pub(crate) fn ser_input(#value_param: &#ty, w: &mut #rt::request::RequestWriter) -> ::std::result::Result<(), #rt::error::SerializeError> {
            #(#stmts)*
            ::std::result::Result::Ok(())
        }
        #items
    }
}

/// The statements that add an `@httpQuery` member to the query string: a
/// list as one parameter per item.
fn ser_query(f: &FieldIr, name: &str, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let fname = ident(&f.name);
    let name = query_name(name, ctx);
    let (item_ty, list, sparse) = match &f.ty {
        RustType::List { item, sparse } => (&**item, true, *sparse),
        other => (other, false, false),
    };
    let Some(text) = Text::of(item_ty, false, LABEL_FORMAT, ctx) else {
        return unwritable(f, ctx);
    };
    // An integer's text is digits and `-`, which the query string carries
    // as they are: nothing to encode.
    let integer = text.owned
        && matches!(
            item_ty,
            RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64
        );
    let push = if integer {
        let value = text.value();
        quote!(w.push_query(#name, ::std::option::Option::Some(#value.as_str()));)
    } else {
        let text = text.as_str();
        quote!(w.push_query(#name, ::std::option::Option::Some(&#rt::binding::encode_query(#text)));)
    };
    let write = match (list, sparse) {
        (false, _) => push,
        (true, false) => quote!(for v in v.iter() { #push }),
        (true, true) => quote!(for v in v.iter().flatten() { #push }),
    };
    quote! {
        if let ::std::option::Option::Some(v) = &value.#fname {
            #write
        }
    }
}

/// The statements that add an `@httpQueryParams` map to the query string,
/// in key order: a list value as one parameter per item; a key an
/// `@httpQuery` member that is set also names is left out.
fn ser_query_params(f: &FieldIr, query_members: &[(&FieldIr, &str)], ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let fname = ident(&f.name);
    let RustType::Map {
        value: item,
        sparse,
        ..
    } = &f.ty
    else {
        return unwritable(f, ctx);
    };
    let (item_ty, list) = match &**item {
        RustType::List { item, .. } => (&**item, true),
        other => (other, false),
    };
    let Some(text) = Text::of(item_ty, false, LABEL_FORMAT, ctx) else {
        return unwritable(f, ctx);
    };
    let text = text.as_str();
    let push =
        quote!(w.push_query(&k, ::std::option::Option::Some(&#rt::binding::encode_query(#text))););
    let write = match list {
        false => push,
        true => quote!(for v in v.iter() { #push }),
    };
    let unwrap = sparse.then(skip_absent_item);
    let taken = (!query_members.is_empty()).then(|| {
        let arms = query_members.iter().map(|(member, name)| {
            let name = lit(name);
            let member = ident(&member.name);
            quote!(#name => value.#member.is_some(),)
        });
        quote! {
            let taken = match k.as_str() {
                #(#arms)*
                _ => false,
            };
            if taken {
                continue;
            }
        }
    });
    quote! {
        if let ::std::option::Option::Some(v) = &value.#fname {
            let mut entries: ::std::vec::Vec<_> = v.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
            for (k, v) in entries {
                #taken
                #unwrap
                let k = #rt::binding::encode_query(k.as_str());
                #write
            }
        }
    }
}

/// The statement that adds an `@httpHeader` member: a list as its items
/// joined with commas.
fn ser_header(f: &FieldIr, name: &str, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let fname = ident(&f.name);
    let name = lit(name);
    let media = f.media_type.is_some();
    let value = match &f.ty {
        RustType::List { item, sparse } => {
            let iter = match sparse {
                true => quote!(v.iter().flatten()),
                false => quote!(v.iter()),
            };
            match &**item {
                RustType::DateTime(format) => {
                    let format = json::format_tokens(format.unwrap_or(HEADER_FORMAT), ctx);
                    quote!(#rt::binding::fmt_timestamp_list(#iter, #format)?)
                }
                item => {
                    let Some(text) = Text::of(item, false, HEADER_FORMAT, ctx) else {
                        return unwritable(f, ctx);
                    };
                    let text = text.value();
                    quote!(#rt::binding::fmt_header_list(#iter.map(|v| #text)))
                }
            }
        }
        ty => match Text::of(ty, media, HEADER_FORMAT, ctx) {
            Some(text) => text.value(),
            None => return unwritable(f, ctx),
        },
    };
    quote! {
        if let ::std::option::Option::Some(v) = &value.#fname {
            w.push_header(#name, #value);
        }
    }
}

/// The statements that add an `@httpPrefixHeaders` map, in key order: one
/// header per entry, named with the prefix; a header an `@httpHeader`
/// member that is set also names is left out.
fn ser_prefix_headers(
    f: &FieldIr,
    prefix: &str,
    header_members: &[(&FieldIr, &str)],
    ctx: &Ctx,
) -> TokenStream {
    let fname = ident(&f.name);
    let RustType::Map {
        value: item,
        sparse,
        ..
    } = &f.ty
    else {
        return unwritable(f, ctx);
    };
    let Some(text) = Text::of(item, false, HEADER_FORMAT, ctx) else {
        return unwritable(f, ctx);
    };
    let text = text.value();
    let prefix = lit(prefix);
    let unwrap = sparse.then(skip_absent_item);
    let taken = (!header_members.is_empty()).then(|| {
        let checks = header_members.iter().map(|(member, name)| {
            let name = lit(name);
            let member = ident(&member.name);
            quote!(name.eq_ignore_ascii_case(#name) && value.#member.is_some())
        });
        quote! {
            if #(#checks)||* {
                continue;
            }
        }
    });
    quote! {
        if let ::std::option::Option::Some(v) = &value.#fname {
            let mut entries: ::std::vec::Vec<_> = v.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
            for (k, v) in entries {
                #unwrap
                let name = ::std::format!("{}{}", #prefix, k.as_str());
                #taken
                w.push_header(name, #text);
            }
        }
    }
}

/// The statements that write the `@httpPayload` member as the body: a blob
/// or a string as it is (with its media type, else
/// `application/octet-stream` or `text/plain`), a structure, union or
/// document as JSON. An unset structure is sent as `{}`; other unset
/// payloads send no body. A stream gets its `Content-Type` here (and its
/// length checked, for `smithy.api#requiresLength`); the runtime sends it.
fn ser_payload(f: &FieldIr, content_type: &dyn Fn(&str) -> TokenStream, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let fname = ident(&f.name);
    let media = |default: &str| content_type(f.media_type.as_deref().unwrap_or(default));
    if let RustType::ByteStream { requires_length } = f.ty {
        // The stream itself is taken from the input when it is sent (see
        // the operation's `take_payload`).
        let wire = lit(&f.wire_name);
        let check = requires_length
            .then(|| quote!(#rt::byte_stream::require_length(&value.#fname, #wire)?;));
        let push = media("application/octet-stream");
        return quote! {
            #check
            // An empty stream is an unset payload, sent as no body.
            if value.#fname.size_hint().1 != ::std::option::Option::Some(0) {
                #push
            }
        };
    }
    let value = match f.boxed {
        true => quote!(&**v),
        false => quote!(v),
    };
    let write = match &f.ty {
        RustType::Blob => {
            let push = media("application/octet-stream");
            quote! {
                #push
                w.set_raw_body(::std::vec::Vec::from(v.as_ref()));
            }
        }
        RustType::String | RustType::Enum(_) => {
            let push = media("text/plain");
            quote! {
                #push
                w.set_raw_body(::std::vec::Vec::from(v.as_str().as_bytes()));
            }
        }
        RustType::Struct(_) => {
            let push = content_type(JSON);
            return quote! {
                #push
                match &value.#fname {
                    ::std::option::Option::Some(v) => #rt::json::WriteJson::write_json(#value, w)?,
                    ::std::option::Option::None => {
                        w.begin_object();
                        w.end_object();
                    }
                }
            };
        }
        RustType::Union(_) => {
            let push = content_type(JSON);
            quote! {
                #push
                #rt::json::WriteJson::write_json(#value, w)?;
            }
        }
        RustType::Document => {
            let push = content_type(JSON);
            quote! {
                #push
                w.document(v);
            }
        }
        _ => return unwritable(f, ctx),
    };
    quote! {
        if let ::std::option::Option::Some(v) = &value.#fname {
            #write
        }
    }
}

/// `de_output`: the output read from a 2xx response, its body members from
/// a JSON object body and the others from where they are bound. An output
/// with a `@streaming` payload is given the body unread, as `body`.
fn de_output(s: &StructIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let ty = ident(&s.name);
    let builder_ty = ident(&s.builder);
    let bindings = de_bindings(s, ctx);
    let mutable = (!bindings.is_empty()).then(|| quote!(mut));
    // Members read from the response's head or body (a stream is handed
    // over as `body`; labels and queries mean nothing in a response).
    let uses_response = json::reads_json_object(s)
        || s.fields.iter().any(|f| match f.location {
            Location::Header(_) | Location::PrefixHeaders(_) | Location::ResponseCode => true,
            Location::Payload => !matches!(f.ty, RustType::ByteStream { .. }),
            Location::Body | Location::Label | Location::Query(_) | Location::QueryParams => false,
        });
    let body_param = s
        .has_byte_stream()
        .then(|| quote!(, body: #rt::primitives::ByteStream));
    let builder = match json::reads_json_object(s) {
        true => quote! {
            let #mutable builder: #builder_ty = #rt::json::body_builder(&response.body)?;
        },
        false => quote! {
            let #mutable builder = <#builder_ty as ::std::default::Default>::default();
        },
    };
    let done = match values::has_finish(s, ctx) {
        true => quote!(finish(builder, "")),
        false => quote!(::std::result::Result::Ok(builder.build())),
    };
    let response = match uses_response {
        true => quote!(response),
        false => quote!(_response),
    };
    quote! {
        #[inline]
        fn de_output(#response: &#rt::http::HttpResponse #body_param) -> ::std::result::Result<#ty, #rt::error::DeserializeError> {
            #builder
            #(#bindings)*
            #done
        }
    }
}

/// `de_http`: reads the members of an error bound outside its body into the
/// builder read from the body; `None` when every member is in the body.
fn de_error(s: &StructIr, ctx: &Ctx) -> Option<TokenStream> {
    let rt = &ctx.rt;
    let bindings = de_bindings(s, ctx);
    if bindings.is_empty() {
        return None;
    }
    let builder = ident(&s.builder);
    Some(quote! {
        /// Reads the members bound outside the body from `response`.
        #[inline]
        fn de_http(response: &#rt::http::HttpResponse, mut builder: #builder) -> ::std::result::Result<#builder, #rt::error::DeserializeError> {
            #(#bindings)*
            ::std::result::Result::Ok(builder)
        }
    })
}

/// Statements that read the members of `s` bound outside the body from
/// `response` into `builder`.
fn de_bindings(s: &StructIr, ctx: &Ctx) -> Vec<TokenStream> {
    s.fields
        .iter()
        .filter_map(|f| match &f.location {
            Location::Header(name) => Some(de_header(f, name, ctx)),
            Location::PrefixHeaders(prefix) => Some(de_prefix_headers(f, prefix, ctx)),
            Location::ResponseCode => {
                let set = setter(f);
                let value = some(quote!(::std::convert::From::from(response.status)));
                Some(quote!(builder = builder.#set(#value);))
            }
            Location::Payload => Some(de_payload(f, ctx)),
            // Labels and query parameters mean nothing in a response.
            Location::Body | Location::Label | Location::Query(_) | Location::QueryParams => None,
        })
        .collect()
}

/// The builder's `set_` method of `f`.
fn setter(f: &FieldIr) -> proc_macro2::Ident {
    ident(&format!("set_{}", f.suffix))
}

/// The expression reading `v`, a `&str` (one header value or list item),
/// as `ty`, and whether it is a `Result<_, DeserializeError>` rather than
/// the value; `None` for types a header cannot hold.
fn parse(
    ty: &RustType,
    media_type: bool,
    header: &TokenStream,
    ctx: &Ctx,
) -> Option<(TokenStream, bool)> {
    let rt = &ctx.rt;
    let root = &ctx.root;
    let binding = quote!(#rt::binding);
    Some(match ty {
        RustType::String if media_type => (quote!(#binding::parse_base64_string(v, #header)), true),
        RustType::String => (quote!(::std::borrow::ToOwned::to_owned(v)), false),
        RustType::Enum(t) => {
            let name = ident(&t.name);
            (quote!(#root::types::#name::from(v)), false)
        }
        RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64 => {
            (quote!(#binding::parse_integer(v, #header)), true)
        }
        RustType::F32 => (quote!(#binding::parse_f32(v, #header)), true),
        RustType::F64 => (quote!(#binding::parse_f64(v, #header)), true),
        RustType::Bool => (quote!(#binding::parse_bool(v, #header)), true),
        RustType::Blob => (
            quote!(#binding::parse_base64(v, #header).map(#rt::primitives::Blob::new)),
            true,
        ),
        RustType::DateTime(format) => {
            let format = json::format_tokens(format.unwrap_or(HEADER_FORMAT), ctx);
            (quote!(#binding::parse_timestamp(v, #format, #header)), true)
        }
        _ => return None,
    })
}

/// The statements that read an `@httpHeader` member: a list split at its
/// commas (http-dates at every other one).
fn de_header(f: &FieldIr, name: &str, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let set = setter(f);
    let header = lit(name);
    let header = quote!(#header);
    let failure = || {
        let message = lit(&format!(
            "the member `{}` cannot be read from a header",
            f.wire_name
        ));
        quote!(return ::std::result::Result::Err(#rt::error::DeserializeError::new(#header, #message));)
    };
    let value = match &f.ty {
        RustType::List { item, sparse } => {
            let list = match &**item {
                RustType::DateTime(format) => {
                    let format = json::format_tokens(format.unwrap_or(HEADER_FORMAT), ctx);
                    quote!(#rt::binding::parse_timestamp_list(v, #format, #header)?)
                }
                RustType::String => quote!(#rt::binding::split_header_list(v, #header)?),
                item => {
                    let Some((parse, fallible)) = parse(item, false, &header, ctx) else {
                        return failure();
                    };
                    let collect = match fallible {
                        true => quote!(.collect::<::std::result::Result<::std::vec::Vec<_>, _>>()?),
                        false => quote!(.collect::<::std::vec::Vec<_>>()),
                    };
                    quote! {
                        #rt::binding::split_header_list(v, #header)?
                            .iter()
                            .map(|v| {
                                let v: &str = v;
                                #parse
                            })
                            #collect
                    }
                }
            };
            match sparse {
                true => quote!(#list.into_iter().map(::std::option::Option::Some).collect()),
                false => list,
            }
        }
        ty => match parse(ty, f.media_type.is_some(), &header, ctx) {
            Some((parse, true)) => quote!(#parse?),
            Some((parse, false)) => parse,
            None => return failure(),
        },
    };
    let value = some(value);
    quote! {
        if let ::std::option::Option::Some(v) = #rt::binding::joined_header(&response.headers, #header) {
            let v: &str = &v;
            builder = builder.#set(#value);
        }
    }
}

/// The statements that read an `@httpPrefixHeaders` map: every header
/// named with the prefix, by the rest of its name; unset when there is none.
fn de_prefix_headers(f: &FieldIr, prefix: &str, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let set = setter(f);
    let prefix = lit(prefix);
    quote! {
        {
            let map: ::std::collections::HashMap<_, _> = #rt::binding::prefix_headers(&response.headers, #prefix)
                .map(|(k, v)| (::std::borrow::ToOwned::to_owned(k), ::std::borrow::ToOwned::to_owned(v)))
                .collect();
            if !map.is_empty() {
                builder = builder.#set(::std::option::Option::Some(map));
            }
        }
    }
}

/// The statements that read the `@httpPayload` member from the whole body:
/// a blob or a string as it is, a structure, union or document as JSON;
/// unset when the body is empty. A stream is the body as it arrives.
fn de_payload(f: &FieldIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let root = &ctx.root;
    let set = setter(f);
    if let RustType::ByteStream { .. } = f.ty {
        // The body, unread: the output holds it.
        return quote!(builder = builder.#set(::std::option::Option::Some(body)););
    }
    let utf8 = quote! {
        ::std::string::String::from_utf8(response.body.clone()).map_err(|_| {
            #rt::error::DeserializeError::new("", "the payload is not UTF-8 text")
        })?
    };
    let value = match &f.ty {
        RustType::Blob => some(quote!(#rt::primitives::Blob::new(response.body.clone()))),
        RustType::String => some(utf8),
        RustType::Enum(t) => {
            let name = ident(&t.name);
            some(quote!(#root::types::#name::from(#utf8.as_str())))
        }
        RustType::Struct(_) | RustType::Union(_) | RustType::Document => {
            let read = match &f.ty {
                RustType::Document => quote!(#rt::json::de_document(&value, "")?),
                _ => quote!(#rt::json::read(&value, "")?),
            };
            let read = match f.boxed {
                true => quote!(#read.map(::std::boxed::Box::new)),
                false => read,
            };
            quote! {
                {
                    let value = #rt::json::parse_body(&response.body)?;
                    #read
                }
            }
        }
        _ => {
            let message = lit(&format!(
                "the member `{}` cannot be read from the body",
                f.wire_name
            ));
            return quote!(return ::std::result::Result::Err(#rt::error::DeserializeError::new("", #message)););
        }
    };
    quote! {
        if !response.body.is_empty() {
            builder = builder.#set(#value);
        }
    }
}

/// In a loop over a sparse collection, the statement that skips an absent
/// item and binds `v` to a present one.
fn skip_absent_item() -> TokenStream {
    quote! {
        let ::std::option::Option::Some(v) = v else {
            continue;
        };
    }
}
