//! Operations: each operation's module (input, output, error, fluent builder)
//! and the client that starts them.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, error, ident, lit, shapes, values, Ctx, Items, Module};
use crate::ir::*;

/// The documentation of an operation followed by `link`, a link to its error
/// enum, whose variants list and document the errors the operation models.
fn operation_docs(op: &OperationIr, link: &str) -> Vec<String> {
    let mut docs = op.docs.clone();
    if !docs.is_empty() {
        docs.push(String::new());
    }
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
///
/// The module's documentation links to the error enum by its name alone: it
/// is the module's own (inner) documentation, in whose scope the enum is, so
/// an explicit target would be redundant.
pub fn operation_module(op: &OperationIr, protocol: Protocol) -> Module<'_> {
    let mut module = Module::leaf(
        operation_docs(op, &format!("[`{}`]", op.error_enum)),
        Items::new(move |ctx| operation_items(op, protocol, ctx)),
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

/// The `auth` part of an `operation!` call: `SigV4` or `None` for an
/// operation with only that scheme (as every operation had before there were
/// others), else the list of schemes in order (`[HttpBearer, SigV4]`).
fn auth_part(schemes: &[AuthScheme]) -> TokenStream {
    let scheme = |scheme: &AuthScheme| match scheme {
        AuthScheme::SigV4 => quote!(SigV4),
        AuthScheme::HttpBearer => quote!(HttpBearer),
        AuthScheme::Anonymous => quote!(Anonymous),
    };
    match schemes {
        [AuthScheme::SigV4] => quote!(SigV4),
        [AuthScheme::Anonymous] => quote!(None),
        schemes => {
            let schemes = schemes.iter().map(scheme);
            quote!([#(#schemes),*])
        }
    }
}

/// The items of `operation::<name>`.
fn operation_items(op: &OperationIr, protocol: Protocol, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let op_struct = ident(&op.struct_name);
    let input = ident(&op.input.name);
    let output = ident(&op.output.name);
    let error = ident(&op.error_enum);
    let wire = lit(&op.wire_name);
    let input_def = shapes::structure(&op.input, ctx);
    let output_def = shapes::structure(&op.output, ctx);
    let protocol = super::protocol::of(protocol);
    let ser_input = protocol.ser_input(op, ctx);
    let de_output = protocol.de_output(op, ctx);
    let error_def = error::operation_error(op, ctx);

    let auth = auth_part(&op.auth);
    // The optional parts of `operation!`, given only when not the default.
    let compression = op.request_compression.then(|| quote!(compression true,));
    let unsigned_payload = op.unsigned_payload.then(|| quote!(unsigned_payload true,));
    let (endpoint, endpoint_item) = match op.endpoint_params != EndpointParamsIr::default() {
        true => {
            let params = endpoint_params(&op.endpoint_params, ctx);
            let input_fn = endpoint_input_fn(op, ctx);
            let input_part = input_fn.is_some().then(|| {
                let name = ident(ENDPOINT_INPUT_FN);
                quote!(input #name,)
            });
            let item = quote! {
                /// The endpoint rule parameters the operation binds.
                const ENDPOINT_PARAMS: #rt::endpoint::OperationEndpointParams = #params;
                #input_fn
            };
            (
                Some(quote!(endpoint ENDPOINT_PARAMS, #input_part)),
                Some(item),
            )
        }
        false => (None, None),
    };
    let (host, host_prefix_item) = match host_prefix(op, ctx) {
        Some((name, item)) => (Some(quote!(host #name,)), Some(item)),
        None => (None, None),
    };
    let (prepare, prepare_item) = match prepare_input(op, ctx) {
        Some((name, item)) => (Some(quote!(prepare #name,)), Some(item)),
        None => (None, None),
    };
    let (customize, customize_item) = match super::customizations::customize_request(op, ctx) {
        Some((name, item)) => (Some(quote!(customize #name,)), Some(item)),
        None => (None, None),
    };
    let (stream, stream_item) = match take_payload(op, ctx) {
        Some((name, item)) => (Some(quote!(stream #name,)), Some(item)),
        None => (None, None),
    };
    let output_builder = ident(&op.output.builder);
    let done = match (&de_output, values::has_finish(&op.output, ctx)) {
        (Some(_), _) if op.streams_output() => quote!(stream),
        (Some(_), _) => quote!(own),
        (None, true) => quote!(finish #output_builder),
        (None, false) => quote!(build #output_builder),
    };
    let macro_name = ident(super::OPERATION_MACRO);
    let struct_doc = lit(&format!(" The `{}` operation.", op.wire_name));
    // The type is declared here, not by the macro, so that the path pass
    // sees its name (see `paths::Definitions`). An operation's module is
    // always `<root>::operation::<name>`: the service is two modules up,
    // whatever the root.
    quote! {
        #[doc = #struct_doc]
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::default::Default)]
        #[non_exhaustive]
        pub struct #op_struct;
        #rt::#macro_name!(
            #op_struct #wire, #input => #output, #error, auth #auth,
            #compression #unsigned_payload #endpoint #host #prepare #customize #stream
            service super::super::SERVICE, output #done
        );
        #endpoint_item
        #host_prefix_item
        #prepare_item
        #customize_item
        #stream_item

        #input_def
        #ser_input
        #output_def
        #de_output
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

/// The name of the function writing the input members an operation's
/// endpoint rule parameters read.
pub(crate) const ENDPOINT_INPUT_FN: &str = "endpoint_input";

/// `endpoint_input`: writes the input members the endpoint rule parameters
/// read (`contextParam` members and the roots of `operationContextParams`
/// paths) as a JSON object keyed by member name, from the typed input.
/// `None` when they read no member.
fn endpoint_input_fn(op: &OperationIr, ctx: &Ctx) -> Option<TokenStream> {
    if !has_endpoint_input(op) {
        return None;
    }
    let params = &op.endpoint_params;
    let mut names: Vec<&str> = params.members.iter().map(|(_, m)| m.as_str()).collect();
    let mut every_member = false;
    for (_, path) in &params.paths {
        match path_root(path) {
            Some(root) => names.push(root),
            None => every_member = true,
        }
    }
    let fields: Vec<FieldIr> = op
        .input
        .fields
        .iter()
        .filter(|f| every_member || names.contains(&f.wire_name.as_str()))
        .map(|f| FieldIr {
            json_key: f.wire_name.clone(),
            ..f.clone()
        })
        .collect();
    Some(super::json::ser_fields_fn(
        ENDPOINT_INPUT_FN,
        &op.input,
        &fields,
        ctx,
    ))
}

/// The input member an `operationContextParams` path starts from
/// (`TransactItems[*].Get.TableName` and `keys(RequestItems)` start from
/// `TransactItems` and `RequestItems`); `None` when it cannot be told.
fn path_root(path: &str) -> Option<&str> {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut rest = path.trim();
    // Function calls around the path: `keys(...)`, `length(...)`.
    while let Some(open) = rest.find('(') {
        if open > 0 && rest[..open].chars().all(is_name) {
            rest = rest[open + 1..].trim_start();
        } else {
            break;
        }
    }
    let end = rest.find(|c: char| !is_name(c)).unwrap_or(rest.len());
    let root = &rest[..end];
    (!root.is_empty() && root.starts_with(|c: char| c.is_ascii_alphabetic())).then_some(root)
}

/// Whether the operation has an `endpoint_input` function.
pub(crate) fn has_endpoint_input(op: &OperationIr) -> bool {
    !op.endpoint_params.members.is_empty() || !op.endpoint_params.paths.is_empty()
}

/// The operation's endpoint rule parameters as a runtime constant.
fn endpoint_params(params: &EndpointParamsIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
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

/// The name and item of `host_prefix_for`: the `smithy.api#endpoint`
/// prefix with its labels filled from the input, each checked to be a valid
/// host label. `None` when the operation has no host prefix.
fn host_prefix(op: &OperationIr, ctx: &Ctx) -> Option<(TokenStream, TokenStream)> {
    let rt = &ctx.rt;
    let name = quote!(host_prefix_for);
    let prefix = op.host_prefix.as_ref()?;
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
                    if !#rt::orchestrator::is_valid_host_label(#var) {
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
        fn #name(input: &#input) -> ::std::result::Result<::std::option::Option<::std::string::String>, #rt::error::BuildError> {
            #unused
            #(#checks)*
            ::std::result::Result::Ok(::std::option::Option::Some(#value))
        }
    };
    Some((name, item))
}

/// The name and item of `prepare_input`, which fills in what the caller
/// left unset before the input is sent: it gives the input's
/// `@idempotencyToken` members a token from the configuration, and the
/// members a service customization fills in their value when they are
/// unset or empty. `None` when there is nothing to fill in.
fn prepare_input(op: &OperationIr, ctx: &Ctx) -> Option<(TokenStream, TokenStream)> {
    let rt = &ctx.rt;
    let input = ident(&op.input.name);
    let tokens: Vec<TokenStream> = op
        .input
        .fields
        .iter()
        .filter(|f| f.idempotency_token && f.ty == RustType::String)
        .map(|f| {
            let name = ident(&f.name);
            quote! {
                if input.#name.is_none() {
                    input.#name = ::std::option::Option::Some(config.idempotency_token());
                }
            }
        })
        .collect();
    let fills: Vec<TokenStream> = op
        .input_fills
        .iter()
        .map(|(field, value)| {
            let name = ident(field);
            let value = lit(value);
            quote! {
                if input.#name.as_deref().is_none_or(str::is_empty) {
                    input.#name = ::std::option::Option::Some(::std::string::String::from(#value));
                }
            }
        })
        .collect();
    if tokens.is_empty() && fills.is_empty() {
        return None;
    }
    let config = match tokens.is_empty() {
        true => quote!(_config),
        false => quote!(config),
    };
    let name = quote!(prepare_input);
    let item = quote! {
        /// Fills in what the caller left unset.
        #[inline]
        fn #name(input: &mut #input, #config: &#rt::config::Config) {
            #(#tokens)*
            #(#fills)*
        }
    };
    Some((name, item))
}

/// The name and item of `take_payload`, which takes the input's
/// `@streaming` payload to send it as the body, leaving an empty one;
/// `None` when the input has none.
fn take_payload(op: &OperationIr, ctx: &Ctx) -> Option<(TokenStream, TokenStream)> {
    let rt = &ctx.rt;
    let f = op
        .input
        .fields
        .iter()
        .find(|f| matches!(f.ty, RustType::ByteStream { .. }))?;
    let input = ident(&op.input.name);
    let field = ident(&f.name);
    let name = quote!(take_payload);
    let item = quote! {
        /// Takes the streamed payload, which is sent as the body.
        #[inline]
        fn #name(input: &mut #input) -> #rt::primitives::ByteStream {
            ::std::mem::take(&mut input.#field)
        }
    };
    Some((name, item))
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
    let build = match op.input.build_is_fallible() {
        true => quote!(fallible),
        false => quote!(infallible),
    };
    // The fluent setters carry the member's whole documentation.
    let builder_setters = ident(super::BUILDER_SETTERS_MACRO);
    let via = shapes::fluent_via(&op.input);
    let setters = op.input.fields.iter().map(|f| {
        let args = shapes::member_macro_args(f, &f.docs, ctx);
        quote!(#rt::#builder_setters!(#via #args);)
    });
    let setters = (!op.input.fields.is_empty()).then(|| {
        quote! {
            #allow_trait_like
            impl #fluent {
                #(#setters)*
            }
        }
    });
    let macro_name = ident(super::FLUENT_BUILDER_MACRO);
    // A stream cannot be cloned, nor a builder holding one.
    let clone = (!op.streams_input()).then(|| quote!(::std::clone::Clone,));
    quote! {
        #docs
        #[derive(#clone ::std::fmt::Debug)]
        pub struct #fluent {
            handle: ::std::sync::Arc<#rt::client::Handle>,
            inner: #input_builder,
        }
        #rt::#macro_name!(#fluent, #input_builder, super::#op_struct => super::#output, super::#error, #build);
        #setters
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
        let error_link = format!(
            "[`{name}`]({root}::operation::{module}::{name})",
            name = op.error_enum,
            root = ctx.root_str,
            module = op.module.trim_start_matches("r#"),
        );
        let rest = operation_docs(op, &error_link);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_context_paths_start_from_an_input_member() {
        assert_eq!(path_root("keys(RequestItems)"), Some("RequestItems"));
        assert_eq!(
            path_root("TransactItems[*].[ConditionCheck.TableName, Put.TableName][]"),
            Some("TransactItems")
        );
        assert_eq!(
            path_root("TableCreationParameters.TableName"),
            Some("TableCreationParameters")
        );
        assert_eq!(path_root("Name"), Some("Name"));
        assert_eq!(path_root("[*].x"), None);
        assert_eq!(path_root(""), None);
    }
    use crate::render::test_support::{lower_with, macro_call};
    use serde_json::json;

    /// The arguments of each operation's `operation!` call and whether its
    /// module has a `host_prefix_for`.
    fn operation_calls(operations: serde_json::Value) -> Vec<(String, String, bool)> {
        let shapes = json!({
            "ex#Svc": {"type": "service", "version": "1", "operations": [],
                "traits": {"aws.protocols#awsJson1_1": {}, "aws.auth#sigv4": {"name": "ex"}}},
            "ex#Input": {"type": "structure", "members": {
                "Name": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}},
                "traits": {"smithy.api#input": {}}},
            "ex#Output": {"type": "structure", "members": {
                "Count": {"target": "smithy.api#Integer", "traits": {"smithy.api#required": {}}}},
                "traits": {"smithy.api#output": {}}},
            "ex#TokenInput": {"type": "structure", "members": {
                "Token": {"target": "smithy.api#String",
                    "traits": {"smithy.api#idempotencyToken": {}}},
                "Name": {"target": "smithy.api#String"}},
                "traits": {"smithy.api#input": {}}}
        });
        let service = lower_with(shapes, "ex#Svc", "operations", operations);
        let ctx = Ctx::for_crate();
        service
            .operations
            .iter()
            .map(|op| {
                let (text, call) = macro_call(
                    &operation_items(op, Protocol::AwsJson1_1, &ctx),
                    "operation",
                );
                let host = text.contains("fnhost_prefix_for(");
                // The token filler is there exactly when the call names it.
                assert_eq!(
                    text.contains("fnprepare_input("),
                    call.contains("prepareprepare_input,"),
                    "{}",
                    op.wire_name
                );
                (op.wire_name.clone(), call, host)
            })
            .collect()
    }

    #[test]
    fn auth_parts_name_one_scheme_as_before_and_list_several() {
        use AuthScheme::{Anonymous, HttpBearer, SigV4};
        let part = |schemes: &[AuthScheme]| auth_part(schemes).to_string();
        assert_eq!(part(&[SigV4]), "SigV4");
        assert_eq!(part(&[Anonymous]), "None");
        assert_eq!(part(&[HttpBearer]), "[HttpBearer]");
        assert_eq!(part(&[HttpBearer, SigV4]), "[HttpBearer , SigV4]");
        assert_eq!(part(&[SigV4, Anonymous]), "[SigV4 , Anonymous]");
    }

    #[test]
    fn operation_calls_give_only_the_parts_that_differ_from_the_default() {
        let got = operation_calls(json!({
            "Plain": {"type": "operation", "traits": {"smithy.api#auth": []}},
            "Tokened": {"type": "operation", "input": {"target": "ex#TokenInput"},
                "traits": {"smithy.api#auth": []}},
            "Everything": {"type": "operation",
                "input": {"target": "ex#Input"}, "output": {"target": "ex#Output"},
                "traits": {
                    "smithy.api#requestCompression": {"encodings": ["gzip"]},
                    "smithy.api#endpoint": {"hostPrefix": "{Name}."},
                    "smithy.rules#staticContextParams": {"Flag": {"value": true}}
                }}
        }));
        let expect = |name: &str, call: &str, host: bool| {
            let found = got.iter().find(|(n, ..)| n == name).expect(name);
            assert_eq!((found.1.as_str(), found.2), (call, host), "{name}");
        };
        expect(
            "Plain",
            r#"Plain"Plain",PlainInput=>PlainOutput,PlainError,authNone,servicesuper::super::SERVICE,outputbuildPlainOutputBuilder"#,
            false,
        );
        // Idempotency tokens left unset are filled in before sending.
        expect(
            "Tokened",
            r#"Tokened"Tokened",TokenedInput=>TokenedOutput,TokenedError,authNone,prepareprepare_input,servicesuper::super::SERVICE,outputbuildTokenedOutputBuilder"#,
            false,
        );
        // A required output member the response leaves out is filled in by `finish`.
        expect(
            "Everything",
            concat!(
                r#"Everything"Everything",EverythingInput=>EverythingOutput,EverythingError,authSigV4,"#,
                r#"compressiontrue,"#,
                r#"endpointENDPOINT_PARAMS,"#,
                r#"hosthost_prefix_for,servicesuper::super::SERVICE,outputfinishEverythingOutputBuilder"#
            ),
            true,
        );
    }

    #[test]
    fn streamed_payloads_are_taken_read_unread_and_never_cloned() {
        let shapes = json!({
            "ex#Svc": {"type": "service", "version": "1", "operations": [],
                "traits": {"aws.protocols#restJson1": {}, "aws.auth#sigv4": {"name": "ex"}}},
            "ex#Stream": {"type": "blob", "traits": {"smithy.api#streaming": {}}},
            "ex#In": {"type": "structure", "members": {
                "Body": {"target": "ex#Stream",
                    "traits": {"smithy.api#httpPayload": {}, "smithy.api#default": ""}}}},
            "ex#Out": {"type": "structure", "members": {
                "Body": {"target": "ex#Stream",
                    "traits": {"smithy.api#httpPayload": {}, "smithy.api#default": ""}}}}
        });
        let service = lower_with(
            shapes,
            "ex#Svc",
            "operations",
            json!({
                "Upload": {"type": "operation", "input": {"target": "ex#In"},
                    "traits": {"smithy.api#http": {"method": "PUT", "uri": "/up"},
                        "aws.auth#unsignedPayload": {}}},
                "Download": {"type": "operation", "output": {"target": "ex#Out"},
                    "traits": {"smithy.api#http": {"method": "GET", "uri": "/down"}}}
            }),
        );
        let ctx = Ctx::for_crate();
        let op = |name: &str| {
            service
                .operations
                .iter()
                .find(|op| op.wire_name == name)
                .expect(name)
        };
        let upload = op("Upload");
        let (text, call) = macro_call(
            &operation_items(upload, Protocol::RestJson1, &ctx),
            "operation",
        );
        assert!(
            call.contains("authSigV4,unsigned_payloadtrue,streamtake_payload,servicesuper::super::SERVICE,outputown"),
            "{call}"
        );
        assert!(text.contains("::std::mem::take(&mutinput.body)"), "{text}");
        // Neither the input, its builder nor the fluent builder is `Clone`.
        assert!(
            text.contains("#[derive(::std::fmt::Debug,)]pubstructUploadInput{"),
            "{text}"
        );
        assert!(
            text.contains(
                "#[derive(::std::default::Default,::std::fmt::Debug,)]pubstructUploadInputBuilder{"
            ),
            "{text}"
        );
        let fluent = builders_items(upload, &ctx).to_string().replace(' ', "");
        assert!(!fluent.contains("Clone"), "{fluent}");

        let download = op("Download");
        let (text, call) = macro_call(
            &operation_items(download, Protocol::RestJson1, &ctx),
            "operation",
        );
        assert!(
            call.ends_with("servicesuper::super::SERVICE,outputstream"),
            "{call}"
        );
        assert!(!call.contains("take_payload"), "{call}");
        assert!(
            text.contains("body:::smithgen_runtime::primitives::ByteStream)"),
            "{text}"
        );
        let fluent = builders_items(download, &ctx).to_string().replace(' ', "");
        assert!(fluent.contains("::std::clone::Clone"), "{fluent}");
    }

    #[test]
    fn customizations_fill_inputs_and_add_to_requests() {
        let shapes = json!({
            "ex#Svc": {"type": "service", "version": "1", "operations": [],
                "traits": {"aws.protocols#restJson1": {}}},
            "ex#In": {"type": "structure", "members": {
                "Account": {"target": "smithy.api#String",
                    "traits": {"smithy.api#httpHeader": "x-account"}}}}
        });
        let mut service = lower_with(
            shapes,
            "ex#Svc",
            "operations",
            json!({"Put": {"type": "operation", "input": {"target": "ex#In"},
                "traits": {"smithy.api#http": {"method": "PUT", "uri": "/"}}}}),
        );
        let ctx = Ctx::for_crate();
        let (text, call) = macro_call(
            &operation_items(&service.operations[0], Protocol::RestJson1, &ctx),
            "operation",
        );
        assert!(
            !call.contains("prepare") && !call.contains("customize"),
            "{call}"
        );
        assert!(!text.contains("fnprepare_input(") && !text.contains("fncustomize_request("));

        let op = &mut service.operations[0];
        op.input_fills.push(("account".into(), "-".into()));
        op.request_headers.push(("X-Version".into(), "7".into()));
        op.body_hashes.push((BodyHash::Sha256Tree, "X-Tree".into()));
        let (text, call) = macro_call(&operation_items(op, Protocol::RestJson1, &ctx), "operation");
        assert!(
            call.contains("authNone,prepareprepare_input,customizecustomize_request,service"),
            "{call}"
        );
        assert!(
            text.contains("ifinput.account.as_deref().is_none_or(str::is_empty){input.account=::std::option::Option::Some(::std::string::String::from(\"-\"));}"),
            "{text}"
        );
        assert!(
            text.contains("w.push_header(\"X-Version\",\"7\");"),
            "{text}"
        );
        assert!(
            text.contains("w.require_body_hash(::smithgen_runtime::body_hash::BodyHash::Sha256Tree,\"X-Tree\");"),
            "{text}"
        );
    }
}
