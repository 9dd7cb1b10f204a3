//! `config::endpoint`: the endpoint rules' parameters as a typed, public
//! `Params` with a builder, and the `DefaultResolver` that evaluates the
//! service's rules, as aws-sdk-rust's crates offer.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, ident, lit, Ctx};
use crate::ir::*;

/// The items of `config::endpoint`.
pub fn endpoint_config_items(service: &ServiceIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let root = &ctx.root;
    let params = &service.endpoint_rule_params;
    let fields = params.iter().map(|p| {
        let name = ident(&p.field);
        let ty = value_type(p.kind);
        let docs = doc_attrs(&p.docs);
        quote!(#docs pub #name: ::std::option::Option<#ty>,)
    });
    let setters = params.iter().map(|p| {
        let name = ident(&p.field);
        let set = ident(&format!("set_{}", p.field.trim_start_matches("r#")));
        let ty = value_type(p.kind);
        let docs = doc_attrs(&p.docs);
        let set_doc = lit(&format!(" Sets or clears `{}`.", p.name));
        let (param, value) = match p.kind {
            EndpointParamKind::String => (
                quote!(impl ::std::convert::Into<::std::string::String>),
                quote!(value.into()),
            ),
            EndpointParamKind::Bool => (quote!(bool), quote!(value)),
            EndpointParamKind::StringArray => (
                quote!(::std::vec::Vec<::std::string::String>),
                quote!(value),
            ),
        };
        quote! {
            #docs
            pub fn #name(mut self, value: #param) -> Self {
                self.params.#name = ::std::option::Option::Some(#value);
                self
            }
            #[doc = #set_doc]
            pub fn #set(mut self, value: ::std::option::Option<#ty>) -> Self {
                self.params.#name = value;
                self
            }
        }
    });
    let conversions = params.iter().map(|p| {
        let name = ident(&p.field);
        let key = lit(&p.name);
        let wrap = match p.kind {
            EndpointParamKind::String => quote!(#rt::endpoint::ParamValue::String(value.clone())),
            EndpointParamKind::Bool => quote!(#rt::endpoint::ParamValue::Bool(*value)),
            EndpointParamKind::StringArray => {
                quote!(#rt::endpoint::ParamValue::StringArray(value.clone()))
            }
        };
        quote! {
            if let ::std::option::Option::Some(value) = &self.#name {
                params.insert(::std::string::String::from(#key), #wrap);
            }
        }
    });
    quote! {
        pub use #rt::endpoint::Endpoint;

        /// The parameters of the service's endpoint rules.
        #[non_exhaustive]
        #[derive(::std::clone::Clone, ::std::cmp::PartialEq, ::std::default::Default, ::std::fmt::Debug)]
        pub struct Params {
            #(#fields)*
        }

        impl Params {
            /// Starts building endpoint parameters.
            pub fn builder() -> ParamsBuilder {
                ParamsBuilder::default()
            }

            fn to_rule_params(&self) -> #rt::endpoint::Params {
                let mut params = #rt::endpoint::Params::new();
                #(#conversions)*
                params
            }
        }

        /// A builder for [`Params`].
        #[derive(::std::clone::Clone, ::std::cmp::PartialEq, ::std::default::Default, ::std::fmt::Debug)]
        pub struct ParamsBuilder {
            params: Params,
        }

        impl ParamsBuilder {
            #(#setters)*
            /// The parameters built.
            pub fn build(self) -> Params {
                self.params
            }
        }

        /// Resolves endpoints with the service's rules, as every request does.
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::default::Default)]
        #[non_exhaustive]
        pub struct DefaultResolver;

        impl DefaultResolver {
            /// The resolver of the service's rules.
            pub fn new() -> Self {
                DefaultResolver
            }

            /// The endpoint the rules give for `params`, or the rules' error message.
            pub fn resolve_endpoint(&self, params: &Params) -> ::std::result::Result<Endpoint, ::std::string::String> {
                #root::endpoint_rules::RULES.resolve(&params.to_rule_params())
            }
        }
    }
}

fn value_type(kind: EndpointParamKind) -> TokenStream {
    match kind {
        EndpointParamKind::String => quote!(::std::string::String),
        EndpointParamKind::Bool => quote!(bool),
        EndpointParamKind::StringArray => quote!(::std::vec::Vec<::std::string::String>),
    }
}
