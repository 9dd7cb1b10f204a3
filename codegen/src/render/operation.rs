//! Operations: each operation's module (input, output, error, fluent builder)
//! and the client that starts them.

use proc_macro2::TokenStream;
use quote::quote;

use super::{codec, doc_attrs, error, ident, lit, shapes, Ctx, Items, Module};
use crate::ir::*;

/// The documentation of an operation followed by a link to its error enum,
/// whose variants list and document the errors the operation models.
fn operation_docs(op: &OperationIr, ctx: &Ctx) -> Vec<String> {
    let mut docs = op.docs.clone();
    if !docs.is_empty() {
        docs.push(String::new());
    }
    let link = format!(
        "[`{name}`]({root}::operation::{module}::{name})",
        name = op.error_enum,
        root = ctx.root_str,
        module = op.module.trim_start_matches("r#"),
    );
    docs.push(match op.errors.len() {
        0 => format!("Fails with {link}; the operation models no errors."),
        1 => format!("Fails with {link}, which has a variant for the one error the operation models."),
        n => format!("Fails with {link}, which has a variant for each of the {n} errors the operation models."),
    });
    docs
}

/// `operation::<name>`: the operation type, input, output, error enum and codecs,
/// with `builders` holding the input builder and fluent builder (and, for a
/// paginated operation, `paginator`), both written in the operation's file.
/// The module documentation links to items under `ctx`'s root.
pub fn operation_module<'a>(op: &'a OperationIr, ctx: &Ctx) -> Module<'a> {
    let mut module = Module::leaf(
        operation_docs(op, ctx),
        Items::new(move |ctx| operation_items(op, ctx)),
    );
    module.inline_child(
        "builders",
        true,
        Module::leaf(
            vec![format!("Builders for the `{}` operation.", op.wire_name)],
            Items::new(move |ctx| builders_items(op, ctx)),
        ),
    );
    super::paginator::extend_operation(op, &mut module);
    module
}

/// The items of `operation::<name>`.
fn operation_items(op: &OperationIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let root = &ctx.root;
    let op_struct = ident(&op.struct_name);
    let input = ident(&op.input.name);
    let output = ident(&op.output.name);
    let error = ident(&op.error_enum);
    let wire = lit(&op.wire_name);
    let struct_doc = lit(&format!(" The `{}` operation.", op.wire_name));
    let input_def = shapes::structure(&op.input, ctx);
    let output_def = shapes::structure(&op.output, ctx);
    let ser_input = codec::ser_input(&op.input, ctx);
    let error_def = error::operation_error(op, ctx);

    let auth = match op.auth {
        Auth::SigV4 => quote!(SigV4),
        Auth::None => quote!(None),
    };
    let (host_prefix_fn, host_prefix_item) = host_prefix(op, ctx);
    let request_compression = op.request_compression;
    let endpoint_params = endpoint_params(&op.endpoint_params, ctx);
    quote! {
        /// How requests of this operation are sent, signed and retried.
        pub(crate) static OPERATION: #rt::protocol::OperationSpec = #rt::protocol::OperationSpec {
            name: #wire,
            auth: #rt::protocol::AuthMode::#auth,
            errors: #error::MODELED_ERRORS,
            request_compression: #request_compression,
            endpoint_params: #endpoint_params,
        };

        #[doc = #struct_doc]
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::default::Default)]
        #[non_exhaustive]
        pub struct #op_struct;

        impl #op_struct {
            /// Sends `input`, or fails with its build error.
            ///
            /// Everything an operation's call runs is `#[inline]`: the crate's
            /// own build then generates no code for it, and a program's build
            /// generates code only for the operations the program calls.
            #[inline]
            pub(crate) fn orchestrate(
                handle: ::std::sync::Arc<#rt::client::Handle>,
                input: ::std::result::Result<#input, #rt::error::BuildError>,
            ) -> #rt::operation::SendFuture<#output, #error> {
                let codec = #rt::operation::OperationCodec {
                    ser: ser_input,
                    host_prefix: #host_prefix_fn,
                    parse_ok: de_output,
                    parse_err: #error::from_response,
                };
                #rt::operation::send(handle, &#root::SERVICE, &OPERATION, input, codec)
            }
        }
        #host_prefix_item

        #input_def
        #ser_input
        #output_def
        #error_def
    }
}

/// The items of `operation::<name>::builders`: the input and output
/// builders (re-exported) and the fluent builder.
fn builders_items(op: &OperationIr, ctx: &Ctx) -> TokenStream {
    let input_builder = ident(&op.input.builder);
    let output_builder = ident(&op.output.builder);
    let fluent = fluent_builder(op, ctx);
    quote! {
        pub use super::#input_builder;
        pub use super::#output_builder;
        #fluent
    }
}

/// The operation's endpoint rule parameters as a runtime constant.
fn endpoint_params(params: &EndpointParamsIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    if params == &EndpointParamsIr::default() {
        return quote!(#rt::endpoint::OperationEndpointParams::NONE);
    }
    let statics = params.statics.iter().map(|(name, value)| {
        let name = lit(name);
        let value = match value {
            StaticParamValue::String(s) => {
                let s = lit(s);
                quote!(#rt::endpoint::StaticParam::String(#s))
            }
            StaticParamValue::Bool(b) => quote!(#rt::endpoint::StaticParam::Bool(#b)),
            StaticParamValue::StringArray(items) => {
                let items = items.iter().map(|i| lit(i));
                quote!(#rt::endpoint::StaticParam::StringArray(&[#(#items),*]))
            }
        };
        quote!((#name, #value))
    });
    let members = params.members.iter().map(|(name, member)| {
        let (name, member) = (lit(name), lit(member));
        quote!((#name, #member))
    });
    let paths = params.paths.iter().map(|(name, path)| {
        let (name, path) = (lit(name), lit(path));
        quote!((#name, #path))
    });
    quote! {
        #rt::endpoint::OperationEndpointParams {
            statics: &[#(#statics),*],
            members: &[#(#members),*],
            paths: &[#(#paths),*],
        }
    }
}

/// Binds `host_prefix`: the `smithy.api#endpoint` prefix with its labels
/// filled from the input, each checked to be a valid host label.
fn host_prefix(op: &OperationIr, ctx: &Ctx) -> (TokenStream, Option<TokenStream>) {
    let rt = &ctx.rt;
    let Some(prefix) = &op.host_prefix else {
        return (quote!(#rt::operation::no_host_prefix), None);
    };
    let input = ident(&op.input.name);
    let mut checks = Vec::new();
    let mut format = String::new();
    let mut args = Vec::new();
    for part in &prefix.parts {
        match part {
            HostPrefixPart::Literal(text) => {
                format.push_str(&text.replace('{', "{{").replace('}', "}}"))
            }
            HostPrefixPart::Label { field, wire_name } => {
                let f = ident(field);
                let var = ident(&format!("label_{}", field.trim_start_matches("r#")));
                let wire = lit(wire_name);
                checks.push(quote! {
                    let #var = input.#f.as_deref().unwrap_or_default();
                    if !#rt::protocol::is_valid_host_label(#var) {
                        return ::std::result::Result::Err(#rt::error::BuildError::invalid_field(
                            #wire,
                            ::std::format!("`{}` is not a valid host label", #var),
                        ));
                    }
                });
                format.push_str("{}");
                args.push(var);
            }
        }
    }
    let text = lit(&format);
    let value = if args.is_empty() {
        let literal = lit(&format.replace("{{", "{").replace("}}", "}"));
        quote!(::std::string::String::from(#literal))
    } else {
        quote!(::std::format!(#text, #(#args),*))
    };
    let unused = args.is_empty().then(|| quote!(let _ = input;));
    let item = quote! {
        /// The operation's host prefix, its labels filled in from `input`.
        #[inline]
        fn host_prefix_for(input: &#input) -> ::std::result::Result<::std::option::Option<::std::string::String>, #rt::error::BuildError> {
            #unused
            #(#checks)*
            ::std::result::Result::Ok(::std::option::Option::Some(#value))
        }
    };
    (quote!(host_prefix_for), Some(item))
}

/// The fluent builder the client returns for an operation.
fn fluent_builder(op: &OperationIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let fluent = ident(&op.fluent_builder);
    let op_struct = ident(&op.struct_name);
    let input_builder = ident(&op.input.builder);
    let output = ident(&op.output.name);
    let error = ident(&op.error_enum);
    let docs = doc_attrs(&fluent_docs(op, ctx));
    let allow_trait_like = super::allow_trait_like_methods(&op.input.fields);
    let build = if op.input.build_is_fallible() {
        quote!(self.inner.build())
    } else {
        quote!(::std::result::Result::Ok(self.inner.build()))
    };
    // The fluent setters carry the member's whole documentation.
    let fluent_setters = ident(super::FLUENT_SETTERS_MACRO);
    let setters = op.input.fields.iter().map(|f| {
        let args = shapes::member_macro_args(f, &f.docs, ctx);
        quote!(#rt::#fluent_setters!(#args);)
    });
    let service_error_doc = lit(&format!(
        " Errors the service returns are [`SdkError::ServiceError`]({}::error::SdkError::ServiceError) holding the operation's error enum.",
        ctx.root_str
    ));
    quote! {
        #docs
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct #fluent {
            handle: ::std::sync::Arc<#rt::client::Handle>,
            inner: #input_builder,
        }
        #allow_trait_like
        impl #fluent {
            #[inline]
            pub(crate) fn new(handle: ::std::sync::Arc<#rt::client::Handle>) -> Self {
                Self { handle, inner: ::std::default::Default::default() }
            }
            /// The input built so far.
            pub fn as_input(&self) -> &#input_builder {
                &self.inner
            }
            /// Sends the request and returns the response.
            ///
            #[doc = #service_error_doc]
            #[inline]
            pub fn send(self) -> #rt::operation::SendFuture<super::#output, super::#error> {
                super::#op_struct::orchestrate(self.handle, #build)
            }
            #(#setters)*
        }
    }
}

fn fluent_docs(op: &OperationIr, ctx: &Ctx) -> Vec<String> {
    // The operation's own documentation is on its module and on the client
    // method that starts this builder; here it is linked, not repeated.
    vec![format!(
        "Fluent builder for the [`{}`]({}::operation::{}) operation: set the input's members, then call `send()`.",
        op.wire_name,
        ctx.root_str,
        op.module.trim_start_matches("r#"),
    )]
}

/// The items of the `client` module: the `Client` with one method per operation.
pub fn client_items(service: &ServiceIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let root = &ctx.root;
    let methods = service.operations.iter().map(|op| {
        let method = ident(&op.module);
        let module = ident(&op.module);
        let fluent = ident(&op.fluent_builder);
        let mut docs = vec![format!(
            "Starts a [`{}`]({}::operation::{}::builders::{}) request.",
            op.wire_name,
            ctx.root_str,
            op.module.trim_start_matches("r#"),
            op.fluent_builder
        )];
        let rest = operation_docs(op, ctx);
        if !rest.is_empty() {
            docs.push(String::new());
            docs.extend(rest);
        }
        let docs = doc_attrs(&docs);
        quote! {
            #docs
            #[inline]
            pub fn #method(&self) -> #root::operation::#module::builders::#fluent {
                #root::operation::#module::builders::#fluent::new(self.handle.clone())
            }
        }
    });
    let doc = lit(&format!(
        " Client for {}.",
        crate::docs::plain_text(&service.title)
    ));
    quote! {
        #[doc = #doc]
        ///
        /// Each method starts a request as a fluent builder; `send()` sends it.
        /// Cloning a client is cheap and shares its configuration and connections.
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct Client {
            handle: ::std::sync::Arc<#rt::client::Handle>,
        }
        impl Client {
            /// Creates a client from a configuration.
            pub fn from_conf(conf: #rt::config::Config) -> Self {
                Self { handle: ::std::sync::Arc::new(#rt::client::Handle::new(conf)) }
            }
            /// The client's configuration.
            pub fn config(&self) -> &#rt::config::Config {
                self.handle.config()
            }
            #(#methods)*
        }
    }
}
