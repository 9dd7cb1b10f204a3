//! Error structures (`types::error`) and each operation's error enum.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, ident, lit, shapes, Ctx, Items, Module};
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
            Module::leaf(Vec::new(), Items::new(move |ctx| error_struct(e, ctx))),
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

/// An error structure: the structure itself plus `Display`, `Error` and
/// `ProvideErrorMetadata`.
fn error_struct(e: &StructIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&e.name);
    let label = lit(&e.name);
    let base = shapes::structure(e, ctx);
    let message_field = e
        .fields
        .iter()
        .find(|f| f.suffix == "message" && f.ty == RustType::String);
    let (message_fn, display_message) = match message_field {
        Some(f) if f.redact => (
            None,
            quote!(f.write_str(": *** Sensitive Data Redacted ***")?;),
        ),
        Some(f) => {
            let fname = ident(&f.name);
            let display = if f.optional {
                quote! {
                    if let ::std::option::Option::Some(message) = &self.#fname {
                        ::std::write!(f, ": {}", message)?;
                    }
                }
            } else {
                quote!(::std::write!(f, ": {}", self.#fname)?;)
            };
            (None, display)
        }
        None => (
            // A member named `message` that is not a string keeps its own accessor.
            (!e.fields.iter().any(|f| f.name == "message")).then(|| {
                quote! {
                    /// The error message, from the error metadata.
                    pub fn message(&self) -> ::std::option::Option<&str> {
                        self.meta.message()
                    }
                }
            }),
            quote! {
                if let ::std::option::Option::Some(message) = self.meta.message() {
                    ::std::write!(f, ": {}", message)?;
                }
            },
        ),
    };
    quote! {
        #base
        impl #name {
            #message_fn
            /// The error metadata: code, message and request id.
            pub fn meta(&self) -> &#rt::error::ErrorMetadata {
                &self.meta
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(#label)?;
                #display_message
                ::std::result::Result::Ok(())
            }
        }
        impl ::std::error::Error for #name {}
        impl #rt::error::ProvideErrorMetadata for #name {
            fn meta(&self) -> &#rt::error::ErrorMetadata {
                &self.meta
            }
        }
    }
}

/// The operation's error enum; `operation_error!` adds its helpers, its list
/// of modeled errors and the function that reads it from a response.
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
    let variant_list = op.errors.iter().map(|e| {
        let variant = ident(&e.type_name);
        let is_fn = ident(&e.is_fn);
        quote!(#is_fn(#variant),)
    });
    quote! {
        #[doc = #doc]
        #[non_exhaustive]
        #[derive(::std::fmt::Debug)]
        pub enum #name {
            #(#variants)*
            /// An error this version of the crate does not model: match with a
            /// wildcard arm and use `code()` and `message()` to inspect it.
            Unhandled(#rt::error::Unhandled),
        }
        #rt::operation_error!(#name { #(#variant_list)* });
    }
}
