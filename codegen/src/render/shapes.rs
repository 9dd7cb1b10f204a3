//! Structures with their builders, enums and unions.

use proc_macro2::TokenStream;
use quote::quote;

use super::{
    allow_trait_like_methods, doc_attrs, doc_lit, field_type, ident, lit, stored_type, type_tokens,
    Ctx, Items, Module, REDACTED,
};
use super::{json, values};
use crate::ir::*;

/// The `types` module: one private module per type, re-exported, plus
/// `types::builders` and `types::error`.
pub fn types_module(service: &ServiceIr) -> Module<'_> {
    let mut module = Module::leaf(
        vec!["Data structures used by the operations' inputs and outputs.".to_owned()],
        Items::new(|_| {
            let uses = service.types.iter().map(|ty| {
                let name = ident(ty.name());
                let file = ident(ty.module());
                quote!(pub use self::#file::#name;)
            });
            quote!(#(#uses)*)
        }),
    );
    for ty in &service.types {
        let child = Module::leaf(
            Vec::new(),
            Items::new(move |ctx| match ty {
                TypeDef::Struct(s) => structure(s, ctx),
                TypeDef::Union(u) => union(u, ctx),
                TypeDef::Enum(e) => enumeration(e, ctx),
            }),
        );
        // An enum is a few lines: it is written in `types.rs` itself.
        if matches!(ty, TypeDef::Enum(_)) {
            module.inline_child(ty.module(), false, child);
        } else {
            module.child(ty.module(), false, child);
        }
    }
    module.inline_child(
        "builders",
        true,
        Module::leaf(
            vec!["Builders for the structures in `types`.".to_owned()],
            Items::new(|_| {
                let builders = service.types.iter().filter_map(|ty| {
                    let builder = ident(ty.builder()?);
                    let file = ident(ty.module());
                    Some(quote!(pub use super::#file::#builder;))
                });
                quote!(#(#builders)*)
            }),
        ),
    );
    module.child("error", true, super::error::errors_module(service));
    module
}

/// A structure, its accessors, `Debug`, builder and codecs.
pub fn structure(s: &StructIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&s.name);
    let builder = ident(&s.builder);
    let docs = doc_attrs(&s.docs);
    let is_error = s.kind == StructKind::Error;

    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let ty = field_type(f, ctx);
        let fdocs = doc_attrs(&f.docs);
        quote!(#fdocs pub #fname: #ty,)
    });
    let meta_field = is_error.then(|| quote!(pub(crate) meta: #rt::error::ErrorMetadata,));
    let accessors = s.fields.iter().map(|f| accessor(f, ctx));
    let allow_trait_like = allow_trait_like_methods(&s.fields);
    let holds = s.builder_holds_structure();
    // A structure its builder holds gets `Clone`, `PartialEq` and `Debug`
    // from `holding_builder!`.
    let derive_debug = (!s.redacts() && !holds).then(|| quote!(::std::fmt::Debug,));
    let struct_debug = s.redacts().then(|| debug_impl(&name, s, false));
    let builder_debug_impl = s.redacts().then(|| debug_impl(&builder, s, true));
    let builder_def = builder_struct(s, ctx);
    let codecs = json::struct_codecs(s, ctx);
    let builder_fn = ident(super::BUILDER_FN_MACRO);
    let builder_fn_doc = lit(&format!(
        " Creates a new builder-style object to manufacture [`struct@{}`].",
        s.name
    ));
    let derives = match (clone_eq(s).filter(|_| !holds), derive_debug) {
        (None, None) => None,
        (clone_eq, debug) => Some(quote!(#[derive(#clone_eq #debug)])),
    };

    quote! {
        #docs
        #[non_exhaustive]
        #derives
        pub struct #name {
            #(#fields)*
            #meta_field
        }
        #allow_trait_like
        impl #name {
            #(#accessors)*
            #rt::#builder_fn!(#name => #builder, #builder_fn_doc);
        }
        #struct_debug
        #builder_def
        #builder_debug_impl
        #codecs
    }
}

/// `Clone, PartialEq,` for the derive list of a structure or its builder,
/// unless a member is a stream, which can be neither (as in aws-sdk-rust).
fn clone_eq(s: &StructIr) -> Option<TokenStream> {
    (!s.has_byte_stream()).then(|| quote!(::std::clone::Clone, ::std::cmp::PartialEq,))
}

/// A getter named after the member, lending the value where it is not `Copy`
/// (see the runtime's `getter!` for what each kind returns).
fn accessor(f: &FieldIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let fname = ident(&f.name);
    // The field carries the whole documentation; the getter its summary.
    let doc = doc_lit(super::summary(&f.docs));
    let value = type_tokens(&f.ty, ctx);
    let (kind, ty) = match (&f.ty, f.optional) {
        (RustType::String, true) => ("str_opt", None),
        (RustType::String, false) => ("str", None),
        (RustType::List { .. }, true) => ("slice_opt", element_tokens(&f.ty, ctx)),
        (RustType::List { .. }, false) => ("slice", element_tokens(&f.ty, ctx)),
        (RustType::Map { .. }, true) => ("map_opt", element_tokens(&f.ty, ctx)),
        (RustType::Map { .. }, false) => ("map", element_tokens(&f.ty, ctx)),
        (ty, true) if ty.is_copy() => ("copy_opt", Some(value)),
        (ty, false) if ty.is_copy() => ("copy", Some(value)),
        (_, true) if f.boxed => ("deref_opt", Some(value)),
        (_, true) => ("ref_opt", Some(value)),
        (_, false) => ("by_ref", Some(value)),
    };
    let kind = ident(kind);
    let ty = ty.map(|ty| quote!(#ty,));
    let getter = ident(super::GETTER_MACRO);
    quote!(#rt::#getter!(#kind #fname, #ty #doc);)
}

/// What the member macros take for a list (its item type) or a map
/// (`Key => Value`), values `Option<..>` when the collection is sparse.
fn element_tokens(ty: &RustType, ctx: &Ctx) -> Option<TokenStream> {
    let element = |ty: &RustType, sparse: bool| {
        let ty = type_tokens(ty, ctx);
        if sparse {
            quote!(::std::option::Option<#ty>)
        } else {
            ty
        }
    };
    match ty {
        RustType::List { item, sparse } => Some(element(item, *sparse)),
        RustType::Map { key, value, sparse } => {
            let key = type_tokens(key, ctx);
            let value = element(value, *sparse);
            Some(quote!(#key => #value))
        }
        _ => None,
    }
}

/// A hand-written `Debug` that prints a placeholder for redacted values.
fn debug_impl(name: &proc_macro2::Ident, s: &StructIr, builder: bool) -> TokenStream {
    let name_str = lit(&name.to_string());
    if s.sensitive {
        return quote! {
            impl ::std::fmt::Debug for #name {
                #[inline]
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(#REDACTED)
                }
            }
        };
    }
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let label = lit(&f.suffix);
        if f.redact {
            quote!(formatter.field(#label, &#REDACTED);)
        } else {
            quote!(formatter.field(#label, &self.#fname);)
        }
    });
    let meta = (s.kind == StructKind::Error && !builder)
        .then(|| quote!(formatter.field("meta", &self.meta);));
    let builder_meta = (s.kind == StructKind::Error && builder)
        .then(|| quote!(formatter.field("meta", &self.meta);));
    quote! {
        impl ::std::fmt::Debug for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let mut formatter = f.debug_struct(#name_str);
                #(#fields)*
                #meta
                #builder_meta
                formatter.finish()
            }
        }
    }
}

/// The builder: every field optional, setters, `build()`.
fn builder_struct(s: &StructIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&s.name);
    let builder = ident(&s.builder);
    let is_error = s.kind == StructKind::Error;
    let builder_doc = lit(&format!(" A builder for [`struct@{}`].", s.name));
    let derive_debug = (!s.redacts()).then(|| quote!(::std::fmt::Debug,));
    let allow_trait_like = allow_trait_like_methods(&s.fields);
    let via = super::builder_via(s);

    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let ty = stored_type(f, ctx);
        quote!(pub(crate) #fname: ::std::option::Option<#ty>,)
    });
    let meta_field =
        is_error.then(|| quote!(meta: ::std::option::Option<#rt::error::ErrorMetadata>,));
    let setters = s.fields.iter().map(|f| setters(f, via.as_ref(), ctx));
    let fallible = s.build_is_fallible();
    let checks = s
        .fields
        .iter()
        .filter(|f| f.required && f.default.is_none() && f.optional)
        .map(|f| {
            let member = super::builder_field(s, quote!(self), &f.name);
            let field = lit(&f.suffix);
            let type_name = lit(&s.name);
            quote!(#rt::error::require(&#member, #field, #type_name)?;)
        });
    let made = match &via {
        Some(via) if fallible => quote!(::std::result::Result::Ok(self.#via)),
        Some(via) => quote!(self.#via),
        None => from_builder(s, ctx),
    };
    let build_doc = lit(&format!(
        " Consumes the builder and constructs a [`struct@{}`].",
        s.name
    ));
    let build = if fallible {
        let missing: Vec<String> = s
            .fields
            .iter()
            .filter(|f| f.required && f.default.is_none())
            .map(|f| format!("`{}`", f.suffix))
            .collect();
        let err_doc = lit(&format!(
            " Fails with a [`BuildError`]({rt}::error::BuildError) when a required member is not set: {}.",
            missing.join(", "),
            rt = "::smithgen_runtime"
        ));
        quote! {
            #[doc = #build_doc]
            #[doc = ""]
            #[doc = #err_doc]
            #[inline]
            pub fn build(self) -> ::std::result::Result<#name, #rt::error::BuildError> {
                #(#checks)*
                #made
            }
        }
    } else {
        quote! {
            #[doc = #build_doc]
            #[inline]
            pub fn build(self) -> #name {
                #made
            }
        }
    };

    let derive_clone_eq = clone_eq(s);
    if let Some(via) = &via {
        let members = s.fields.iter().map(|f| {
            let fname = ident(&f.name);
            let label = lit(&f.suffix);
            quote!(#fname #label)
        });
        let holding = ident(super::HOLDING_BUILDER_MACRO);
        let fmt = ident(&s.debug_members_fn());
        return quote! {
            #[doc = #builder_doc]
            #[non_exhaustive]
            pub struct #builder {
                pub(crate) #via: #name,
            }
            #allow_trait_like
            impl #builder {
                #(#setters)*
                #build
            }
            #rt::#holding!(#name => #builder.#via, #fmt { #(#members),* });
        };
    }
    quote! {
        #[doc = #builder_doc]
        #[non_exhaustive]
        #[derive(#derive_clone_eq ::std::default::Default, #derive_debug)]
        pub struct #builder {
            #(#fields)*
            #meta_field
        }
        #allow_trait_like
        impl #builder {
            #(#setters)*
            #build
        }
    }
}

/// `from_builder!`, which makes the structure of a builder with fields of
/// its own: each member as set, defaulted, or required (see the runtime's
/// macro).
fn from_builder(s: &StructIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&s.name);
    let inits = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        if f.optional {
            return quote!(#fname);
        }
        match &f.default {
            Some(default) => {
                let value = values::default_expr(default, &f.ty, ctx);
                let value = if f.boxed {
                    quote!(::std::boxed::Box::new(#value))
                } else {
                    value
                };
                let is_type_default = !f.boxed
                    && match default {
                        DefaultValue::EmptyList | DefaultValue::EmptyMap => true,
                        DefaultValue::String(s) => s.is_empty(),
                        DefaultValue::Blob(bytes) => {
                            bytes.is_empty() && matches!(f.ty, RustType::ByteStream { .. })
                        }
                        _ => false,
                    };
                let is_constant = !f.boxed
                    && match default {
                        DefaultValue::Bool(_) | DefaultValue::Int(_) | DefaultValue::Float(_) => {
                            true
                        }
                        DefaultValue::Document(value) => {
                            !value.is_string() && !value.is_array() && !value.is_object()
                        }
                        _ => false,
                    };
                if is_type_default {
                    quote!(#fname = #fname.unwrap_or_default())
                } else if is_constant {
                    quote!(#fname = #fname.unwrap_or(#value))
                } else {
                    quote!(#fname = #fname.unwrap_or_else(|| #value))
                }
            }
            None => {
                let field = lit(&f.suffix);
                let type_name = lit(&s.name);
                quote!(#fname = #rt::error::required(#fname, #field, #type_name)?)
            }
        }
    });
    let meta_init = (s.kind == StructKind::Error).then(|| quote!(meta = meta.unwrap_or_default()));
    let inits: Vec<TokenStream> = inits.chain(meta_init).collect();
    let ok = s.build_is_fallible().then(|| quote!(ok));
    quote!(#rt::from_builder!(#ok self => #name { #(#inits),* }))
}

/// `name(value)`, `set_name(Option<..>)` and `get_name()` for one field,
/// declared through the runtime's `builder_setters!`. Lists append one item
/// and maps insert one entry, as aws-sdk-rust's builders do.
pub fn setters(f: &FieldIr, via: Option<&proc_macro2::Ident>, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    // The field carries the whole documentation; the setter its summary.
    let args = member_macro_args(f, super::summary(&f.docs), ctx);
    let setters = ident(super::BUILDER_SETTERS_MACRO);
    let via = via.map(|via| quote!([#via]));
    quote!(#rt::#setters!(#via #args);)
}

/// What a fluent builder's `builder_setters!` take before a member's
/// arguments: `[inner]` (its input builder's field), or `[inner inner]`
/// when that builder holds its structure.
pub fn fluent_via(input: &StructIr) -> TokenStream {
    let via = super::builder_via(input);
    quote!([inner #via])
}

/// The arguments `builder_setters!` takes for one member (after `[inner]` for a
/// fluent builder's):
/// `kind name set_name get_name, Type, "docs"`. The methods are
/// `#[inline]`, so a debug build compiles only those that are called.
pub fn member_macro_args(f: &FieldIr, docs: &[String], ctx: &Ctx) -> TokenStream {
    let fname = ident(&f.name);
    let set = ident(&format!("set_{}", f.suffix));
    let get = ident(&format!("get_{}", f.suffix));
    let doc = doc_lit(docs);
    let (kind, ty) = match (&f.ty, element_tokens(&f.ty, ctx)) {
        (RustType::List { .. }, Some(item)) => ("list", item),
        (RustType::Map { .. }, Some(entry)) => ("map", entry),
        (ty, _) if f.boxed => ("boxed", type_tokens(ty, ctx)),
        (ty, _) => ("value", type_tokens(ty, ctx)),
    };
    let kind = ident(kind);
    quote!(#kind #fname #set #get, #ty, #doc)
}

/// A string enum with a forward-compatible `Unknown` variant.
fn enumeration(e: &EnumIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&e.name);
    let docs = doc_attrs(&e.docs);
    let variants = e.values.iter().map(|v| {
        let variant = ident(&v.variant);
        let vdocs = doc_attrs(&v.docs);
        quote!(#vdocs #variant,)
    });
    let values = e.values.iter().map(|v| {
        let variant = ident(&v.variant);
        let value = lit(&v.value);
        quote!(#variant(#value),)
    });
    let debug = if e.sensitive {
        quote! {
            impl ::std::fmt::Debug for #name {
                #[inline]
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(#REDACTED)
                }
            }
        }
    } else {
        quote!()
    };
    let derive_debug = (!e.sensitive).then(|| quote!(::std::fmt::Debug,));
    quote! {
        #docs
        ///
        /// Values this version of the crate does not know are kept in `Unknown`;
        /// match with a wildcard arm and use `as_str()` to stay forward compatible.
        #[non_exhaustive]
        #[derive(::std::clone::Clone, ::std::cmp::Eq, ::std::cmp::Ord, ::std::cmp::PartialEq, ::std::cmp::PartialOrd, ::std::hash::Hash, #derive_debug)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know.
            Unknown(#rt::primitives::UnknownVariantValue),
        }
        #rt::string_enum!(#name { #(#values)* });
        #debug
    }
}

/// A union: one variant per member, plus `Unknown` for members added later.
fn union(u: &UnionIr, ctx: &Ctx) -> TokenStream {
    let name = ident(&u.name);
    let docs = doc_attrs(&u.docs);
    let redacts = u.sensitive || u.variants.iter().any(|v| v.redact);
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let vdocs = doc_attrs(&v.docs);
        match &v.ty {
            None => quote!(#vdocs #variant,),
            Some(ty) => {
                let ty = type_tokens(ty, ctx);
                let ty = if v.boxed {
                    quote!(::std::boxed::Box<#ty>)
                } else {
                    ty
                };
                quote!(#vdocs #variant(#ty),)
            }
        }
    });
    let methods = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let is_fn = ident(&v.is_fn);
        let as_fn = ident(&v.as_fn);
        match &v.ty {
            None => quote! {
                /// Whether this is the variant of the same name.
                pub fn #is_fn(&self) -> bool {
                    ::std::matches!(self, #name::#variant)
                }
            },
            Some(ty) => {
                let ty = type_tokens(ty, ctx);
                // A boxed (recursive) variant lends its value, not the box.
                let value = if v.boxed {
                    quote!(&**value)
                } else {
                    quote!(value)
                };
                quote! {
                    /// The inner value if this is the variant of the same name, otherwise `Err(self)`.
                    pub fn #as_fn(&self) -> ::std::result::Result<&#ty, &Self> {
                        if let #name::#variant(value) = self {
                            ::std::result::Result::Ok(#value)
                        } else {
                            ::std::result::Result::Err(self)
                        }
                    }
                    /// Whether this is the variant of the same name.
                    pub fn #is_fn(&self) -> bool {
                        self.#as_fn().is_ok()
                    }
                }
            }
        }
    });
    let debug = redacts.then(|| {
        let arms = u.variants.iter().map(|v| {
            let variant = ident(&v.name);
            let label = lit(&v.name);
            match (&v.ty, v.redact || u.sensitive) {
                (None, _) => quote!(#name::#variant => f.write_str(#label),),
                (Some(_), true) => {
                    quote!(#name::#variant(_) => f.debug_tuple(#label).field(&#REDACTED).finish(),)
                }
                (Some(_), false) => {
                    quote!(#name::#variant(value) => f.debug_tuple(#label).field(value).finish(),)
                }
            }
        });
        quote! {
            impl ::std::fmt::Debug for #name {
                #[inline]
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        #(#arms)*
                        #name::Unknown => f.write_str("Unknown"),
                    }
                }
            }
        }
    });
    let derive_debug = (!redacts).then(|| quote!(::std::fmt::Debug,));
    let codecs = json::union_codecs(u, ctx);
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(::std::clone::Clone, ::std::cmp::PartialEq, #derive_debug)]
        pub enum #name {
            #(#variants)*
            /// A member this version of the crate does not know. It cannot be sent.
            #[non_exhaustive]
            Unknown,
        }
        impl #name {
            #(#methods)*
            /// Whether this is a member this version of the crate does not know.
            pub fn is_unknown(&self) -> bool {
                ::std::matches!(self, #name::Unknown)
            }
        }
        #debug
        #codecs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::test_support::lower_with;
    use serde_json::json;

    /// The structure `name` of a lowered service.
    fn struct_named<'a>(service: &'a crate::ir::ServiceIr, name: &str) -> &'a StructIr {
        service
            .types
            .iter()
            .find_map(|ty| match ty {
                TypeDef::Struct(s) if s.name == name => Some(s),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no structure {name}"))
    }

    #[test]
    fn links_to_a_structure_name_it_as_a_structure() {
        // A structure named like a derive macro of the prelude (the obstacle
        // course has `Clone`, `Debug`, `Default`...) would make a plain
        // `[`Clone`]` link ambiguous, which rustdoc reports as broken.
        let shapes = json!({
            "ex#Svc": {"type": "service", "version": "1", "operations": [],
                "traits": {"aws.protocols#awsJson1_1": {}}},
            "ex#GetInput": {"type": "structure", "members": {"Value": {"target": "ex#Clone"}}},
            "ex#Clone": {"type": "structure", "members": {
                "Name": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}}}
        });
        let service = lower_with(
            shapes,
            "ex#Svc",
            "operations",
            json!({"Get": {"type": "operation", "input": {"target": "ex#GetInput"}}}),
        );
        let s = struct_named(&service, "Clone");
        let text = structure(s, &Ctx::for_crate()).to_string();
        // `builder()` comes from the runtime's `builder_fn!`, which takes
        // its documentation from here.
        assert!(
            text.contains("builder_fn ! (Clone => CloneBuilder ,"),
            "{text}"
        );
        for doc in [
            "Creates a new builder-style object to manufacture [`struct@Clone`].",
            "A builder for [`struct@Clone`].",
            "Consumes the builder and constructs a [`struct@Clone`].",
        ] {
            assert!(text.contains(doc), "no {doc:?} in {text}");
        }
        assert!(!text.contains("[`Clone`]"), "{text}");
    }

    #[test]
    fn a_builder_holds_its_structure_when_every_member_is_optional() {
        let shapes = json!({
            "ex#Svc": {"type": "service", "version": "1", "operations": [],
                "traits": {"aws.protocols#awsJson1_1": {}}},
            "ex#GetInput": {"type": "structure", "members": {
                "Open": {"target": "ex#Open"}, "Closed": {"target": "ex#Closed"}}},
            "ex#Open": {"type": "structure", "members": {
                "Name": {"target": "smithy.api#String"},
                "Type": {"target": "smithy.api#Integer"}}},
            "ex#Closed": {"type": "structure", "members": {
                "Name": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}}}
        });
        let service = lower_with(
            shapes,
            "ex#Svc",
            "operations",
            json!({"Get": {"type": "operation", "input": {"target": "ex#GetInput"}}}),
        );
        let rendered = |name: &str| {
            let s = struct_named(&service, name);
            let text = structure(s, &Ctx::for_crate()).to_string();
            (
                s.builder_holds_structure(),
                text.split_whitespace().collect::<String>(),
            )
        };
        let (holds, open) = rendered("Open");
        assert!(holds);
        for expected in [
            "pubstructOpenBuilder{pub(crate)inner:Open,}",
            "builder_setters!([inner]valuenameset_nameget_name",
            "holding_builder!(Open=>OpenBuilder.inner,fmt_open{name\"name\",r#type\"type\"});",
            "pubfnbuild(self)->Open{self.inner}",
        ] {
            assert!(open.contains(expected), "no {expected} in {open}");
        }
        // `Clone`, `PartialEq`, `Debug` and `Default` come from `holding_builder!`.
        assert!(!open.contains("derive"), "{open}");
        assert!(!open.contains("Default"), "{open}");

        let (holds, closed) = rendered("Closed");
        assert!(!holds);
        for expected in [
            "pub(crate)name:::std::option::Option<::std::string::String>,",
            "::std::default::Default,::std::fmt::Debug,",
            "from_builder!(okself=>Closed{name=::smithgen_runtime::error::required(name,\"name\",\"Closed\")?})",
        ] {
            assert!(closed.contains(expected), "no {expected} in {closed}");
        }
        assert!(!closed.contains("holding_builder"), "{closed}");
    }
}
