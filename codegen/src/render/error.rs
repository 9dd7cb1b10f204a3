//! Error structures (`types::error`) and each operation's error enum.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, ident, lit, shapes, values, Ctx, Items, Module};
use crate::ir::*;

/// `types::error`: one private module per error structure, re-exported, and
/// `types::error::builders`.
pub fn errors_module(service: &ServiceIr) -> Module<'_> {
    let mut module = Module::leaf(
        vec!["Error structures the service returns.".to_owned()],
        Items::new(|_| {
            let uses = service.errors.iter().map(|e| {
                let name = ident(&e.name);
                let file = ident(&e.module);
                quote!(pub use self::#file::#name;)
            });
            quote!(#(#uses)*)
        }),
    );
    // Each error structure is a few dozen lines: all are written in
    // `types/error.rs` itself.
    for e in &service.errors {
        module.inline_child(
            &e.module,
            false,
            Module::leaf(
                Vec::new(),
                Items::new(move |ctx| error_struct(e, service.protocol, ctx)),
            ),
        );
    }
    module.inline_child(
        "builders",
        true,
        Module::leaf(
            vec!["Builders for the error structures.".to_owned()],
            Items::new(|_| {
                let builders = service.errors.iter().map(|e| {
                    let builder = ident(&e.builder);
                    let file = ident(&e.module);
                    quote!(pub use super::#file::#builder;)
                });
                quote!(#(#builders)*)
            }),
        ),
    );
    module
}

/// An error structure: the structure itself, then `modeled_error!` for its
/// metadata, `Display`, `Error` and `ParseModeledError`, and the protocol's
/// reader of members bound outside the body, if it has one.
fn error_struct(e: &StructIr, protocol: Protocol, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&e.name);
    let builder = ident(&e.builder);
    let base = shapes::structure(e, ctx);
    let message_field = e
        .fields
        .iter()
        .find(|f| f.suffix == "message" && f.ty == RustType::String);
    let message = match message_field {
        Some(f) if f.redact => quote!(redacted),
        Some(f) => {
            let fname = ident(&f.name);
            match f.optional {
                true => quote!(opt #fname),
                false => quote!(field #fname),
            }
        }
        None => quote!(meta),
    };
    // Without a string message member, the message comes from the metadata;
    // a member named `message` of another type keeps its own accessor.
    let message_fn = (message_field.is_none() && !e.fields.iter().any(|f| f.name == "message"))
        .then(|| {
            quote! {
                impl #name {
                    /// The error message, from the error metadata.
                    pub fn message(&self) -> ::std::option::Option<&str> {
                        self.meta.message()
                    }
                }
            }
        });
    let traits = e.error.as_ref();
    let fault = match traits.is_some_and(|t| !t.client_fault) {
        true => quote!(server),
        false => quote!(client),
    };
    let code = lit(&e.shape_id.name);
    let query_code = traits.and_then(|t| t.query_code.as_deref()).map(|code| {
        let code = lit(code);
        quote!(query(#code))
    });
    let retryable = traits.filter(|t| t.retryable).map(|t| {
        let throttling = t.throttling;
        quote!(retryable(#throttling))
    });
    let done = match values::has_finish(e, ctx) {
        true => quote!(finish),
        false => quote!(build),
    };
    let de_http = super::protocol::of(protocol).de_error(e, ctx);
    // An error with an `@httpPayload` member has no JSON object body to
    // read its other members from.
    let bound = match e.fields.iter().any(|f| f.location == Location::Payload) {
        true => quote!(payload),
        false => quote!(http),
    };
    let http = de_http.as_ref().map(|_| quote!(, #bound de_http));
    let macro_name = ident(super::MODELED_ERROR_MACRO);
    quote! {
        #base
        #message_fn
        #rt::#macro_name!(#name, #builder, #fault #code #query_code #retryable, message(#message), #done #http);
        #de_http
    }
}

/// The operation's error enum; `operation_error!` adds its helpers, its list
/// of modeled errors, the function that reads it from a response and its
/// `Debug`.
pub fn operation_error(op: &OperationIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let root = &ctx.root;
    let name = ident(&op.error_enum);
    let doc = lit(&format!(
        " Errors the `{}` operation can return.",
        op.wire_name
    ));
    let variants = op.errors.iter().map(|e| {
        let variant = ident(&e.type_name);
        let docs = doc_attrs(&e.summary.iter().cloned().collect::<Vec<_>>());
        quote!(#docs #variant(#root::types::error::#variant),)
    });
    let operation_error = ident(super::OPERATION_ERROR_MACRO);
    let variant_list = op.errors.iter().map(|e| {
        let variant = ident(&e.type_name);
        let is_fn = ident(&e.is_fn);
        let doc = lit(&format!(
            " Whether this is `{}::{}`.",
            op.error_enum, e.type_name
        ));
        quote!(#is_fn(#variant) #doc,)
    });
    quote! {
        #[doc = #doc]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// An error this version of the crate does not model: match with a
            /// wildcard arm and use `code()` and `message()` to inspect it.
            Unhandled(#rt::error::Unhandled),
        }
        #rt::#operation_error!(#name { #(#variant_list)* });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::test_support::{lower_with, macro_call};
    use serde_json::json;

    /// `modeled_error!`'s arguments for each error of a one-operation
    /// service, and whether the error gained its own `message()` accessor.
    fn modeled_errors(errors: serde_json::Value) -> Vec<(String, String, bool)> {
        modeled_errors_of(json!({"aws.protocols#awsJson1_1": {}}), errors)
    }

    /// [`modeled_errors`] of a service with `traits`.
    fn modeled_errors_of(
        traits: serde_json::Value,
        errors: serde_json::Value,
    ) -> Vec<(String, String, bool)> {
        let shapes = json!({
            "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#Op"}],
                "traits": traits},
            "ex#Op": {"type": "operation", "errors": []},
            "ex#Secret": {"type": "string", "traits": {"smithy.api#sensitive": {}}}
        });
        let service = lower_with(shapes, "ex#Op", "errors", errors);
        let ctx = Ctx::for_crate();
        service
            .errors
            .iter()
            .map(|e| {
                let (text, call) = macro_call(
                    &error_struct(e, Protocol::AwsJson1_1, &ctx),
                    "modeled_error",
                );
                let accessor = text.contains("pubfnmessage(&self)");
                (e.name.clone(), call, accessor)
            })
            .collect()
    }

    #[test]
    fn each_error_names_its_fault_retry_message_and_parse() {
        let string = json!({"target": "smithy.api#String"});
        let required =
            json!({"target": "smithy.api#String", "traits": {"smithy.api#required": {}}});
        let got = modeled_errors(json!({
            "Plain": {"type": "structure", "members": {"message": string},
                "traits": {"smithy.api#error": "client"}},
            "SlowDown": {"type": "structure", "members": {"Message": required},
                "traits": {"smithy.api#error": "server",
                    "smithy.api#retryable": {"throttling": true}}},
            "Flaky": {"type": "structure", "members": {},
                "traits": {"smithy.api#error": "server", "smithy.api#retryable": {}}},
            "Hidden": {"type": "structure", "members": {"message": {"target": "ex#Secret"}},
                "traits": {"smithy.api#error": "client"}},
            "Odd": {"type": "structure", "members": {"message": {"target": "smithy.api#Integer"}},
                "traits": {"smithy.api#error": "client"}}
        }));
        let expect = |name: &str, call: &str, accessor: bool| {
            let found = got.iter().find(|(n, ..)| n == name).expect(name);
            assert_eq!((found.1.as_str(), found.2), (call, accessor), "{name}");
        };
        expect(
            "Plain",
            r#"Plain,PlainBuilder,client"Plain",message(optmessage),build"#,
            false,
        );
        // A required message is filled in when a response leaves it out.
        expect(
            "SlowDown",
            r#"SlowDown,SlowDownBuilder,server"SlowDown"retryable(true),message(fieldmessage),finish"#,
            false,
        );
        expect(
            "Flaky",
            r#"Flaky,FlakyBuilder,server"Flaky"retryable(false),message(meta),build"#,
            true,
        );
        expect(
            "Hidden",
            r#"Hidden,HiddenBuilder,client"Hidden",message(redacted),build"#,
            false,
        );
        // A `message` member of another type keeps its own getter.
        expect(
            "Odd",
            r#"Odd,OddBuilder,client"Odd",message(meta),build"#,
            false,
        );
    }

    #[test]
    fn query_compatible_services_name_the_query_codes() {
        let errors = json!({
            "Custom": {"type": "structure", "members": {},
                "traits": {"smithy.api#error": "client",
                    "aws.protocols#awsQueryError": {"code": "Customized", "httpResponseCode": 402}}},
            "Plain": {"type": "structure", "members": {},
                "traits": {"smithy.api#error": "server"}}
        });
        let compatible = modeled_errors_of(
            json!({"aws.protocols#awsJson1_0": {}, "aws.protocols#awsQueryCompatible": {}}),
            errors.clone(),
        );
        let call = |got: &[(String, String, bool)], name: &str| {
            got.iter().find(|(n, ..)| n == name).expect(name).1.clone()
        };
        assert_eq!(
            call(&compatible, "Custom"),
            r#"Custom,CustomBuilder,client"Custom"query("Customized"),message(meta),build"#
        );
        assert_eq!(
            call(&compatible, "Plain"),
            r#"Plain,PlainBuilder,server"Plain",message(meta),build"#
        );
        // Without `awsQueryCompatible` the query code is never sent.
        let plain = modeled_errors_of(json!({"aws.protocols#awsJson1_0": {}}), errors);
        assert_eq!(
            call(&plain, "Custom"),
            r#"Custom,CustomBuilder,client"Custom",message(meta),build"#
        );
    }
}
