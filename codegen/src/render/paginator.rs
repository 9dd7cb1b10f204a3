//! Paginators for operations with `smithy.api#paginated`.
//!
//! A paginated operation gets a `paginator` module beside its `builders`
//! (`operation::list_users::paginator::ListUsersPaginator`, as in
//! aws-sdk-rust) and an `into_paginator()` method on its fluent builder:
//!
//! ```ignore
//! let mut pages = client.list_users().user_pool_id(id).into_paginator().page_size(10).send();
//! while let Some(page) = pages.next().await { let page = page?; /* ... */ }
//! let users = client.list_users().user_pool_id(id).into_paginator().items().send().try_collect().await?;
//! ```
//!
//! `send()` sends the request as built, then again with the input token set to
//! the token the last page returned, until a page returns no token, an empty
//! one, or (unless turned off) the token it was sent; a failed request is the
//! stream's last element.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, ident, type_tokens, Ctx, Items, Module};
use crate::ir::*;

/// Adds an operation's paginator, when it has one: the `paginator` child
/// module and `into_paginator()` on the fluent builder in `builders`.
pub(super) fn extend_operation<'a>(op: &'a OperationIr, module: &mut Module<'a>) {
    let Some(paginator) = &op.paginator else {
        return;
    };
    if let Some(builders) = module.children.iter_mut().find(|c| c.name == "builders") {
        builders
            .module
            .items
            .push(move |ctx| into_paginator(op, paginator, ctx));
    }
    module.inline_child(
        &paginator.module,
        true,
        Module::leaf(
            vec![format!("Paginator for the `{}` operation.", op.wire_name)],
            Items::new(move |ctx| paginator_items(op, paginator, ctx)),
        ),
    );
}

/// `impl <Op>FluentBuilder { pub fn into_paginator(self) -> .. }`.
fn into_paginator(op: &OperationIr, paginator: &PaginatorIr, ctx: &Ctx) -> TokenStream {
    let fluent = ident(&op.fluent_builder);
    let method = ident(&paginator.method);
    let module = ident(&paginator.module);
    let ty = ident(&paginator.type_name);
    let docs = doc_attrs(&[
        format!(
            "Turns this request into a paginator: its `send()` returns a [`PaginationStream`]({}::pagination::PaginationStream) of every page, each request carrying the token the page before returned.",
            rt_doc_path(ctx)
        ),
        String::new(),
        format!(
            "See [`{}`]({}::operation::{}::{}::{}).",
            paginator.type_name,
            ctx.root_str,
            op.module.trim_start_matches("r#"),
            paginator.module,
            paginator.type_name
        ),
    ]);
    quote! {
        impl #fluent {
            #docs
            #[inline]
            pub fn #method(self) -> super::#module::#ty {
                super::#module::#ty::new(self.handle, self.inner)
            }
        }
    }
}

/// The runtime's path as documentation links spell it.
fn rt_doc_path(ctx: &Ctx) -> String {
    ctx.rt.to_string().replace(' ', "")
}

/// The items of `operation::<op>::paginator`.
fn paginator_items(op: &OperationIr, paginator: &PaginatorIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let ty = ident(&paginator.type_name);
    let input_builder = ident(&op.input.builder);
    let input = ident(&op.input.name);
    let output = ident(&op.output.name);
    let error = ident(&op.error_enum);
    let op_struct = ident(&op.struct_name);
    let item_result = quote! {
        ::std::result::Result<super::#output, #rt::error::SdkError<super::#error>>
    };

    let type_docs = doc_attrs(&paginator_docs(op, paginator, ctx));
    let page_size = paginator.page_size.as_ref().map(|field| {
        let member = super::builder_field(&op.input, quote!(self.builder), &field.name);
        let value = type_tokens(&field.ty, ctx);
        let docs = doc_attrs(&[
            format!(
                "Sets the page size: the most items one page may hold (the input's `{}` member, which this replaces).",
                field.wire_name
            ),
        ]);
        let stored = if field.boxed {
            quote!(::std::boxed::Box::new(page_size))
        } else {
            quote!(page_size)
        };
        quote! {
            #docs
            #[inline]
            pub fn page_size(mut self, page_size: #value) -> Self {
                #member = ::std::option::Option::Some(#stored);
                self
            }
        }
    });

    let build = if op.input.build_is_fallible() {
        quote! {
            let input = match self.builder.build() {
                ::std::result::Result::Ok(input) => input,
                ::std::result::Result::Err(err) => {
                    return #rt::pagination::PaginationStream::once(::std::result::Result::Err(
                        #rt::error::SdkError::construction_failure(err),
                    ));
                }
            };
        }
    } else {
        quote!(let input = self.builder.build();)
    };
    let token_field = &paginator.input_token;
    let input_token = ident(&token_field.name);
    let (sent_token, next_token) = if token_field.boxed {
        (
            quote!(input.#input_token.as_deref()),
            quote!(token.cloned().map(::std::boxed::Box::new)),
        )
    } else {
        (quote!(input.#input_token.as_ref()), quote!(token.cloned()))
    };
    let output_token = borrowed_path(quote!(output), &paginator.output_token);

    let items = paginator
        .items
        .as_ref()
        .map(|path| items_paginator(op, paginator, path, ctx));
    let items_method = paginator.items.as_ref().map(|path| {
        let items_ty = ident(&paginator.items_type_name);
        let member = path
            .iter()
            .map(|f| f.wire_name.as_str())
            .collect::<Vec<_>>()
            .join(".");
        let docs = doc_attrs(&[format!(
            "A paginator over the items of every page (the output's `{member}` member) rather than the pages."
        )]);
        quote! {
            #docs
            #[inline]
            pub fn items(self) -> #items_ty {
                #items_ty(self)
            }
        }
    });
    let send_docs = doc_attrs(&[
        "Starts sending requests: the stream yields every page in order, then ends.".to_owned(),
        String::new(),
        "A failed request is the stream's last element; an input that cannot be built is its only one."
            .to_owned(),
    ]);

    quote! {
        #type_docs
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct #ty {
            handle: ::std::sync::Arc<#rt::client::Handle>,
            builder: super::builders::#input_builder,
            stop_on_duplicate_token: bool,
        }

        impl #ty {
            #[inline]
            pub(crate) fn new(
                handle: ::std::sync::Arc<#rt::client::Handle>,
                builder: super::builders::#input_builder,
            ) -> Self {
                Self { handle, builder, stop_on_duplicate_token: true }
            }

            #page_size

            /// Whether to stop when a page returns the token its request was
            /// sent with (default `true`), rather than ask for the same page forever.
            #[inline]
            pub fn stop_on_duplicate_token(mut self, stop_on_duplicate_token: bool) -> Self {
                self.stop_on_duplicate_token = stop_on_duplicate_token;
                self
            }

            #items_method

            #send_docs
            #[inline]
            pub fn send(self) -> #rt::pagination::PaginationStream<#item_result> {
                #build
                #rt::pagination::paginate(
                    self.handle,
                    input,
                    self.stop_on_duplicate_token,
                    super::#op_struct::orchestrate,
                    |mut input: super::#input, output: &super::#output, stop_on_duplicate_token: bool| {
                        let token = #output_token;
                        let exhausted = token.is_none_or(|token| token.is_empty());
                        if exhausted || (stop_on_duplicate_token && token == #sent_token) {
                            return ::std::option::Option::None;
                        }
                        input.#input_token = #next_token;
                        ::std::option::Option::Some(input)
                    },
                )
            }
        }

        #items
    }
}

fn paginator_docs(op: &OperationIr, paginator: &PaginatorIr, ctx: &Ctx) -> Vec<String> {
    let path = |fields: &[PaginatorField]| {
        fields
            .iter()
            .map(|f| f.wire_name.as_str())
            .collect::<Vec<_>>()
            .join(".")
    };
    let mut docs = vec![
        format!(
            "Paginator for the [`{}`]({}::operation::{}::builders::{}) operation, from `into_paginator()`.",
            op.wire_name,
            ctx.root_str,
            op.module.trim_start_matches("r#"),
            op.fluent_builder
        ),
        String::new(),
        format!(
            "Each request after the first sends the output's `{}` as the input's `{}`; pagination ends when a page returns no token, an empty one, or the token it was sent.",
            path(&paginator.output_token),
            paginator.input_token.wire_name
        ),
    ];
    if let Some(items) = &paginator.items {
        docs.push(String::new());
        docs.push(format!(
            "`items()` flattens the pages into their `{}`.",
            path(items)
        ));
    }
    docs
}

/// `<Op>PaginatorItems`: the pages' items, one at a time.
fn items_paginator(
    op: &OperationIr,
    paginator: &PaginatorIr,
    path: &[PaginatorField],
    ctx: &Ctx,
) -> TokenStream {
    let rt = &ctx.rt;
    let ty = ident(&paginator.type_name);
    let items_ty = ident(&paginator.items_type_name);
    let output = ident(&op.output.name);
    let error = ident(&op.error_enum);
    let item = path
        .last()
        .map(|f| item_type(&f.ty, ctx))
        .unwrap_or_else(|| quote!(()));
    let extract = owned_path(quote!(page), path);
    let docs = doc_attrs(&[format!(
        "The items of every page of the [`{}`]({}) paginator, from its `items()`.",
        op.wire_name, paginator.type_name
    )]);
    quote! {
        #docs
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct #items_ty(#ty);

        impl #items_ty {
            /// Starts sending requests: the stream yields the items of every
            /// page in order, then ends. A failed request is the stream's last element.
            #[inline]
            pub fn send(self) -> #rt::pagination::PaginationStream<
                ::std::result::Result<#item, #rt::error::SdkError<super::#error>>,
            > {
                self.0.send().flat_map_ok(|page: super::#output| #extract)
            }
        }
    }
}

/// What iterating an item list or map yields.
fn item_type(ty: &RustType, ctx: &Ctx) -> TokenStream {
    let optional = |ty: &RustType, sparse: bool| {
        let ty = type_tokens(ty, ctx);
        if sparse {
            quote!(::std::option::Option<#ty>)
        } else {
            ty
        }
    };
    match ty {
        RustType::List { item, sparse } => optional(item, *sparse),
        RustType::Map { key, value, sparse } => {
            let key = type_tokens(key, ctx);
            let value = optional(value, *sparse);
            quote!((#key, #value))
        }
        other => type_tokens(other, ctx),
    }
}

/// An expression of type `Option<&T>` borrowing the value at `path` from
/// `base` (a reference to the structure at the path's start).
fn borrowed_path(base: TokenStream, path: &[PaginatorField]) -> TokenStream {
    // `place` is a place expression while every member so far is present;
    // after the first optional one, `option` is an `Option<&T>`.
    let mut place = base;
    let mut option: Option<TokenStream> = None;
    let mut boxed_place = false;
    for field in path {
        let name = ident(&field.name);
        let as_ref = if field.boxed {
            quote!(as_deref)
        } else {
            quote!(as_ref)
        };
        let borrow = if field.boxed { quote!(&*) } else { quote!(&) };
        option = match (option, field.optional) {
            (None, false) => {
                place = quote!(#place.#name);
                boxed_place = field.boxed;
                None
            }
            (None, true) => Some(quote!(#place.#name.#as_ref())),
            (Some(option), true) => Some(quote!(#option.and_then(|value| value.#name.#as_ref()))),
            (Some(option), false) => Some(quote!(#option.map(|value| #borrow value.#name))),
        };
    }
    match option {
        Some(option) => option,
        None if boxed_place => quote!(::std::option::Option::Some(&*#place)),
        None => quote!(::std::option::Option::Some(&#place)),
    }
}

/// An expression moving the list or map at `path` out of the owned structure
/// `base`, empty when a member on the way is absent.
fn owned_path(base: TokenStream, path: &[PaginatorField]) -> TokenStream {
    let mut place = base;
    let mut option: Option<TokenStream> = None;
    let mut boxed_place = false;
    for field in path {
        let name = ident(&field.name);
        let unbox = if field.boxed {
            quote!(.map(|value| *value))
        } else {
            TokenStream::new()
        };
        option = match (option, field.optional) {
            (None, false) => {
                place = quote!(#place.#name);
                boxed_place = field.boxed;
                None
            }
            (None, true) => Some(quote!(#place.#name #unbox)),
            (Some(option), true) => Some(quote!(#option.and_then(|value| value.#name) #unbox)),
            (Some(option), false) => Some(quote!(#option.map(|value| value.#name) #unbox)),
        };
    }
    match option {
        Some(option) => quote!(#option.unwrap_or_default()),
        None if boxed_place => quote!(*#place),
        None => place,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::{lower, Selection};
    use crate::model::Model;
    use serde_json::{json, Value};

    /// A service with one paginated operation whose trait is `paginated`
    /// (merged over `service_paginated`), `Things` items under `Page` when nested.
    fn model(paginated: Value, service_paginated: Option<Value>, extra: Value) -> Model {
        let mut service_traits = json!({"aws.protocols#awsJson1_1": {}});
        if let Some(p) = service_paginated {
            service_traits["smithy.api#paginated"] = p;
        }
        let mut shapes = json!({
            "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#ListThings"}],
                "traits": service_traits},
            "ex#ListThings": {"type": "operation",
                "input": {"target": "ex#ListThingsInput"}, "output": {"target": "ex#ListThingsOutput"},
                "traits": {"smithy.api#paginated": paginated}},
            "ex#ListThingsInput": {"type": "structure", "members": {
                "NextToken": {"target": "smithy.api#String"},
                "MaxResults": {"target": "smithy.api#Integer"},
                "Name": {"target": "smithy.api#String"},
                "StartKey": {"target": "ex#Key"}}},
            "ex#ListThingsOutput": {"type": "structure", "members": {
                "NextToken": {"target": "smithy.api#String"},
                "Things": {"target": "ex#ThingList"},
                "Page": {"target": "ex#Page"},
                "LastKey": {"target": "ex#Key"},
                "Count": {"target": "smithy.api#Integer"}}},
            "ex#Page": {"type": "structure", "members": {
                "Token": {"target": "smithy.api#String"},
                "Things": {"target": "ex#ThingList", "traits": {"smithy.api#required": {}}}}},
            "ex#ThingList": {"type": "list", "member": {"target": "ex#Thing"}},
            "ex#Thing": {"type": "structure", "members": {"Id": {"target": "smithy.api#String"}}},
            "ex#Key": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "smithy.api#String"}}
        });
        if let (Some(shapes), Some(extra)) = (shapes.as_object_mut(), extra.as_object()) {
            for (k, v) in extra {
                shapes.insert(k.clone(), v.clone());
            }
        }
        let text = json!({"smithy": "2.0", "shapes": shapes}).to_string();
        Model::load(&[("test.json", &text)]).expect("test model is valid")
    }

    fn lower_err(paginated: Value) -> String {
        match lower(&model(paginated, None, json!({})), &Selection::default()) {
            Ok(_) => panic!("lowering should fail"),
            Err(e) => e.to_string(),
        }
    }

    fn paginator(paginated: Value, service: Option<Value>) -> PaginatorIr {
        let ir =
            lower(&model(paginated, service, json!({})), &Selection::default()).expect("lowers");
        ir.operations[0].paginator.clone().expect("paginated")
    }

    #[test]
    fn names_follow_aws_sdk_rust() {
        assert_eq!(
            crate::naming::paginator_type("ListUsers"),
            "ListUsersPaginator"
        );
        assert_eq!(
            crate::naming::paginator_type("ListMFADevices"),
            "ListMfaDevicesPaginator"
        );
        assert_eq!(
            crate::naming::paginator_items_type("ListUsers"),
            "ListUsersPaginatorItems"
        );
    }

    #[test]
    fn lowers_tokens_page_size_and_items() {
        let p = paginator(
            json!({"inputToken": "NextToken", "outputToken": "NextToken",
                   "pageSize": "MaxResults", "items": "Things"}),
            None,
        );
        assert_eq!(p.type_name, "ListThingsPaginator");
        assert_eq!(p.items_type_name, "ListThingsPaginatorItems");
        assert_eq!(p.module, "paginator");
        assert_eq!(p.input_token.name, "next_token");
        assert_eq!(p.output_token.len(), 1);
        assert_eq!(p.page_size.map(|f| f.name), Some("max_results".to_owned()));
        let items = p.items.expect("items");
        assert_eq!(items[0].name, "things");
        assert!(items[0].optional);
    }

    #[test]
    fn service_defaults_fill_what_the_operation_leaves_out() {
        let p = paginator(
            json!({"items": "Things"}),
            Some(
                json!({"inputToken": "NextToken", "outputToken": "NextToken", "pageSize": "MaxResults", "items": "Nope"}),
            ),
        );
        assert_eq!(p.input_token.wire_name, "NextToken");
        assert!(p.page_size.is_some());
        assert_eq!(p.items.expect("items")[0].wire_name, "Things");
    }

    #[test]
    fn nested_output_paths_resolve_member_by_member() {
        let p = paginator(
            json!({"inputToken": "NextToken", "outputToken": "Page.Token", "items": "Page.Things"}),
            None,
        );
        let names: Vec<_> = p.output_token.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["page", "token"]);
        let items = p.items.expect("items");
        assert!(items[0].optional);
        assert!(!items[1].optional, "Page.Things is required");
    }

    #[test]
    fn map_tokens_are_supported() {
        let p = paginator(
            json!({"inputToken": "StartKey", "outputToken": "LastKey"}),
            None,
        );
        assert!(matches!(p.input_token.ty, RustType::Map { .. }));
    }

    #[test]
    fn bad_traits_are_lowering_errors_naming_operation_and_member() {
        let cases = [
            (json!({"outputToken": "NextToken"}), "no `inputToken`"),
            (
                json!({"inputToken": "Missing", "outputToken": "NextToken"}),
                "member `Missing`",
            ),
            (
                json!({"inputToken": "NextToken", "outputToken": "Nope"}),
                "`Nope`, which is not a member",
            ),
            (
                json!({"inputToken": "MaxResults", "outputToken": "Count"}),
                "must target a string or a map",
            ),
            (
                json!({"inputToken": "NextToken", "outputToken": "LastKey"}),
                "same type as `inputToken`",
            ),
            (
                json!({"inputToken": "NextToken", "outputToken": "NextToken", "pageSize": "Name"}),
                "`pageSize` must target an integer",
            ),
            (
                json!({"inputToken": "NextToken", "outputToken": "NextToken", "items": "Count"}),
                "`items` must target a list or a map",
            ),
            (
                json!({"inputToken": "NextToken", "outputToken": "NextToken.Deeper"}),
                "goes through `NextToken`, which is not a structure",
            ),
            (
                json!({"inputToken": "NextToken", "outputToken": 5}),
                "`outputToken` must be a string",
            ),
        ];
        for (trait_value, expected) in cases {
            let message = lower_err(trait_value.clone());
            assert!(
                message.contains("ex#ListThings") && message.contains(expected),
                "{trait_value}: {message}"
            );
        }
    }

    #[test]
    fn a_member_named_like_the_method_is_an_error() {
        let extra = json!({"ex#ListThingsInput": {"type": "structure", "members": {
            "NextToken": {"target": "smithy.api#String"},
            "IntoPaginator": {"target": "smithy.api#String"}}}});
        let m = model(
            json!({"inputToken": "NextToken", "outputToken": "NextToken"}),
            None,
            extra,
        );
        let message = lower(&m, &Selection::default())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.contains("into_paginator"), "{message}");
        assert!(message.contains("IntoPaginator"), "{message}");
    }

    fn render_text(paginated: Value) -> String {
        let ir = lower(&model(paginated, None, json!({})), &Selection::default()).expect("lowers");
        let ctx = Ctx::new("crate").expect("ctx");
        let module = super::super::render(&ir);
        crate::output::single_file(&module, &ctx, "lib.rs").expect("formats")
    }

    #[test]
    fn renders_paginator_module_and_into_paginator() {
        let text = render_text(
            json!({"inputToken": "NextToken", "outputToken": "Page.Token",
            "pageSize": "MaxResults", "items": "Page.Things"}),
        );
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        for expected in [
            "pubmodpaginator{",
            "pubstructListThingsPaginator{",
            "pubstructListThingsPaginatorItems(ListThingsPaginator);",
            "pubfninto_paginator(self)->super::paginator::ListThingsPaginator{",
            "pubfnpage_size(mutself,page_size:i32)->Self{self.builder.inner.max_results=",
            "lettoken=output.page.as_ref().and_then(|value|value.token.as_ref());",
            "input.next_token=token.cloned();",
            "page.page.map(|value|value.things).unwrap_or_default()",
            "Result<types::Thing,rt::error::SdkError<super::ListThingsError>>",
        ] {
            assert!(compact.contains(expected), "missing {expected}:\n{text}");
        }
    }

    #[test]
    fn unpaginated_operations_get_nothing() {
        // Without the trait on the operation there is no paginator, whatever the service says.
        let text = json!({"smithy": "2.0", "shapes": {
            "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#Get"}],
                "traits": {"aws.protocols#awsJson1_1": {},
                    "smithy.api#paginated": {"inputToken": "A", "outputToken": "A"}}},
            "ex#Get": {"type": "operation"}}})
        .to_string();
        let m = Model::load(&[("t.json", &text)]).expect("test model is valid");
        let ir = lower(&m, &Selection::default()).expect("lowers");
        assert!(ir.operations.iter().all(|o| o.paginator.is_none()));
        let ctx = Ctx::new("crate").expect("ctx");
        let out = crate::output::single_file(&super::super::render(&ir), &ctx, "lib.rs")
            .expect("formats");
        assert!(!out.contains("paginator"), "{out}");
    }

    #[test]
    fn path_expressions() {
        let field = |name: &str, optional: bool, boxed: bool| PaginatorField {
            wire_name: name.to_owned(),
            name: name.to_owned(),
            ty: RustType::String,
            optional,
            boxed,
        };
        let text = |t: TokenStream| t.to_string().replace(' ', "");
        assert_eq!(
            text(borrowed_path(
                quote!(o),
                &[field("a", false, false), field("b", false, true)]
            )),
            "::std::option::Option::Some(&*o.a.b)"
        );
        assert_eq!(
            text(borrowed_path(
                quote!(o),
                &[field("a", true, true), field("b", false, false)]
            )),
            "o.a.as_deref().map(|value|&value.b)"
        );
        assert_eq!(
            text(owned_path(quote!(p), &[field("a", false, true)])),
            "*p.a"
        );
        assert_eq!(
            text(owned_path(
                quote!(p),
                &[field("a", true, true), field("b", true, false)]
            )),
            "p.a.map(|value|*value).and_then(|value|value.b).unwrap_or_default()"
        );
    }
}
