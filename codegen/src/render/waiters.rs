//! Waiters (`smithy.waiters#waitable`), as aws-sdk-rust offers them: a
//! `waiters` module with one module per waiter, and a `client::Waiters`
//! trait whose `wait_until_<name>()` methods start them:
//!
//! ```ignore
//! use dynamodb::client::Waiters;
//! client.wait_until_table_exists().table_name("t").wait(Duration::from_secs(300)).await?;
//! ```
//!
//! A waiter's module holds its fluent builder (the operation's input
//! setters and `wait(max_wait)`), the aliases of its final poll and error,
//! and its acceptors: each path compiled to code that walks the typed
//! output (see [`PathExpr`]). The waiting loop is the runtime's
//! (`waiters::wait`).

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::{doc_attrs, ident, lit, shapes, Ctx, Items, Module};
use crate::docs::code_span;
use crate::ir::*;

/// The `waiters` module, when the service has waiters: one inline module
/// per waiter.
pub(super) fn waiters_module(service: &ServiceIr) -> Option<Module<'_>> {
    let mut module = Module::leaf(
        vec![
            "Waiters: each polls an operation until a resource reaches a desired state.".to_owned(),
            String::new(),
            "Start one with a `wait_until_<name>()` method of the `client::Waiters` trait."
                .to_owned(),
        ],
        Items::default(),
    );
    for op in &service.operations {
        for waiter in &op.waiters {
            module.inline_child(
                waiter.module.trim_start_matches("r#"),
                true,
                Module::leaf(
                    vec![format!(
                        "The `{}` waiter of the `{}` operation.",
                        waiter.name, op.wire_name
                    )],
                    Items::new(move |ctx| waiter_items(op, waiter, ctx)),
                ),
            );
        }
    }
    (!module.children.is_empty()).then_some(module)
}

/// `client::Waiters` and its implementation for `Client`.
pub(super) fn client_items(service: &ServiceIr, ctx: &Ctx) -> TokenStream {
    let root = &ctx.root;
    let waiters: Vec<(&OperationIr, &WaiterIr)> = service
        .operations
        .iter()
        .flat_map(|op| op.waiters.iter().map(move |w| (op, w)))
        .collect();
    let declarations = waiters.iter().map(|(op, waiter)| {
        let method = ident(&waiter.method);
        let module = ident(&waiter.module);
        let fluent = ident(&waiter.fluent_builder);
        let mut docs = summary_docs(op, waiter);
        docs.push(String::new());
        docs.push(format!(
            "Set the `{}` input's members on the builder, then call its [`wait`]({}) with the longest time to wait.",
            op.wire_name,
            builder_link(waiter, ctx, "#method.wait")
        ));
        let docs = doc_attrs(&docs);
        quote! {
            #docs
            fn #method(&self) -> #root::waiters::#module::#fluent;
        }
    });
    let implementations = waiters.iter().map(|(_, waiter)| {
        let method = ident(&waiter.method);
        let module = ident(&waiter.module);
        let fluent = ident(&waiter.fluent_builder);
        quote! {
            #[inline]
            fn #method(&self) -> #root::waiters::#module::#fluent {
                #root::waiters::#module::#fluent::new(::std::clone::Clone::clone(&self.handle))
            }
        }
    });
    quote! {
        /// Waiters of the service's operations: each `wait_until_<name>()`
        /// returns a builder of its operation's input whose `wait(max_wait)`
        /// polls the operation until a resource reaches a desired state.
        ///
        /// Bring the trait into scope (`use <crate>::client::Waiters;`) to call them.
        pub trait Waiters {
            #(#declarations)*
        }

        impl Waiters for Client {
            #(#implementations)*
        }
    }
}

/// The link to a waiter's fluent builder, with an optional fragment.
fn builder_link(waiter: &WaiterIr, ctx: &Ctx, fragment: &str) -> String {
    format!(
        "{}::waiters::{}::{}{fragment}",
        ctx.root_str,
        waiter.module.trim_start_matches("r#"),
        waiter.fluent_builder
    )
}

/// The model's summary of a waiter, or a line naming it.
fn summary_docs(op: &OperationIr, waiter: &WaiterIr) -> Vec<String> {
    let mut docs = super::summary(&waiter.docs).to_vec();
    if docs.is_empty() {
        docs.push(format!(
            "Waits for the `{}` state of the `{}` operation.",
            waiter.name, op.wire_name
        ));
    }
    if waiter.deprecated {
        docs.push(String::new());
        docs.push("Deprecated: the model marks this waiter as deprecated.".to_owned());
    }
    docs
}

/// What the waiter does, from its acceptors and delays.
fn behaviour_docs(op: &OperationIr, waiter: &WaiterIr, ctx: &Ctx) -> Vec<String> {
    let mut docs = vec![
        format!(
            "`wait(max_wait)` sends [`{}`]({}::operation::{}) until one of these, checked in order, holds for a poll:",
            op.wire_name,
            ctx.root_str,
            op.module.trim_start_matches("r#")
        ),
        String::new(),
    ];
    for (i, acceptor) in waiter.acceptors.iter().enumerate() {
        let verb = match acceptor.state {
            AcceptorState::Success => "succeeds when",
            AcceptorState::Failure => "fails (with `FailureState`) when",
            AcceptorState::Retry => "polls again when",
        };
        docs.push(format!(
            "{}. It {verb} {}.",
            i + 1,
            matcher_text(&acceptor.matcher)
        ));
    }
    docs.push(String::new());
    docs.push(format!(
        "An output none of these matches polls again; an error none of them matches ends the wait (with `OperationFailed`). Between polls the waiter waits from {} to {} seconds, the longest delay doubling with each poll, picked at random. No delay reaches past `max_wait`: the last poll is sent when it is up, and if that one too asks for another, the wait ends with `ExceededMaxWait`.",
        waiter.min_delay, waiter.max_delay
    ));
    docs
}

/// An acceptor's matcher as a sentence's end.
fn matcher_text(matcher: &MatcherIr) -> String {
    let path = |m: &PathMatcherIr, of: &str| {
        let path = code_span(&m.path);
        let expected = code_span(&m.expected);
        match &m.comparator {
            Comparator::StringEquals => format!("{of}{path} is the string {expected}"),
            Comparator::BooleanEquals(b) => format!("{of}{path} is `{b}`"),
            Comparator::AllStringEquals => {
                format!("{of}{path} is a non-empty list whose every element is {expected}")
            }
            Comparator::AnyStringEquals => {
                format!("{of}{path} is a list with an element {expected}")
            }
        }
    };
    match matcher {
        MatcherIr::Output(m) => path(m, "the output's "),
        MatcherIr::InputOutput(m) => path(m, "over the input and output, "),
        MatcherIr::Success(true) => "the operation succeeds".to_owned(),
        MatcherIr::Success(false) => "the operation fails".to_owned(),
        MatcherIr::ErrorType(code) => {
            format!("the operation fails with the error {}", code_span(code))
        }
    }
}

/// The items of `waiters::<name>`.
fn waiter_items(op: &OperationIr, waiter: &WaiterIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let root = &ctx.root;
    let module = ident(&op.module);
    let op_path = quote!(#root::operation::#module);
    let op_struct = ident(&op.struct_name);
    let input = ident(&op.input.name);
    let output = ident(&op.output.name);
    let error = ident(&op.error_enum);
    let input_builder = ident(&op.input.builder);
    let fluent = ident(&waiter.fluent_builder);
    let final_poll = ident(&waiter.final_poll);
    let error_alias = ident(&waiter.error);
    let name = lit(&waiter.name);

    let mut builder_docs = summary_docs(op, waiter);
    let rest: Vec<String> = waiter.docs[super::summary(&waiter.docs).len()..]
        .iter()
        .skip_while(|line| line.is_empty())
        .cloned()
        .collect();
    if !rest.is_empty() {
        builder_docs.push(String::new());
        builder_docs.extend(rest);
    }
    builder_docs.push(String::new());
    builder_docs.extend(behaviour_docs(op, waiter, ctx));
    let builder_docs = doc_attrs(&builder_docs);
    let wait_docs = doc_attrs(&[
        format!(
            "Polls `{}` until an acceptor of the `{}` waiter ends the wait, or `max_wait` has passed.",
            op.wire_name, waiter.name
        ),
        String::new(),
        "Returns the last poll's result when the waiter succeeds; otherwise says why it stopped: a failure acceptor matched (with that poll's result), an error no acceptor expects, the time ran out, or the input could not be built.".to_owned(),
    ]);

    let wait = ident(crate::naming::waiter_wait_method());
    let build = if op.input.build_is_fallible() {
        quote!(self.inner.build())
    } else {
        quote!(::std::result::Result::Ok(self.inner.build()))
    };
    let builder_setters = ident(super::BUILDER_SETTERS_MACRO);
    let via = shapes::fluent_via(&op.input);
    let setters = op.input.fields.iter().map(|f| {
        let args = shapes::member_macro_args(f, &f.docs, ctx);
        quote!(#rt::#builder_setters!(#via #args);)
    });
    let setters = (!op.input.fields.is_empty()).then(|| {
        let allow_trait_like = super::allow_trait_like_methods(&op.input.fields);
        quote! {
            #allow_trait_like
            impl #fluent {
                #(#setters)*
            }
        }
    });

    let uses_input = waiter
        .acceptors
        .iter()
        .any(|a| matches!(a.matcher, MatcherIr::InputOutput(_)));
    let input_param = if uses_input {
        quote!(input)
    } else {
        quote!(_input)
    };
    let mut paths = Vec::new();
    let checks = waiter.acceptors.iter().enumerate().map(|(i, acceptor)| {
        let number = i + 1;
        let state = match acceptor.state {
            AcceptorState::Success => quote!(Success),
            AcceptorState::Failure => quote!(Failure),
            AcceptorState::Retry => quote!(Retry),
        };
        let path_fn = format_ident!("acceptor_{}", number);
        let condition = match &acceptor.matcher {
            MatcherIr::Output(m) => {
                paths.push(path_fn_item(&path_fn, m, false, op, ctx));
                quote! {
                    ::std::matches!(result, ::std::result::Result::Ok(output) if #path_fn(output) == ::std::option::Option::Some(true))
                }
            }
            MatcherIr::InputOutput(m) => {
                paths.push(path_fn_item(&path_fn, m, true, op, ctx));
                quote! {
                    ::std::matches!(result, ::std::result::Result::Ok(output) if #path_fn(input, output) == ::std::option::Option::Some(true))
                }
            }
            MatcherIr::Success(true) => quote!(result.is_ok()),
            MatcherIr::Success(false) => quote!(result.is_err()),
            MatcherIr::ErrorType(code) => {
                let code = lit(code);
                quote!(#rt::waiters::error_type_is(result, #code))
            }
        };
        quote! {
            if #condition {
                return ::std::option::Option::Some(#rt::waiters::AcceptorState::#state);
            }
        }
    });
    let checks: Vec<TokenStream> = checks.collect();
    let mut acceptor_docs = vec![
        "The state the first acceptor that matches a poll moves the waiter to:".to_owned(),
        String::new(),
    ];
    for (i, acceptor) in waiter.acceptors.iter().enumerate() {
        let state = match acceptor.state {
            AcceptorState::Success => "`Success`",
            AcceptorState::Failure => "`Failure`",
            AcceptorState::Retry => "`Retry`",
        };
        acceptor_docs.push(format!(
            "{}. {state} when {}.",
            i + 1,
            matcher_text(&acceptor.matcher)
        ));
    }
    let acceptor_docs = doc_attrs(&acceptor_docs);
    let (min_delay, max_delay) = (
        Literal::u64_unsuffixed(waiter.min_delay),
        Literal::u64_unsuffixed(waiter.max_delay),
    );

    quote! {
        #builder_docs
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct #fluent {
            handle: ::std::sync::Arc<#rt::client::Handle>,
            inner: #op_path::builders::#input_builder,
        }

        impl #fluent {
            #[inline]
            pub(crate) fn new(handle: ::std::sync::Arc<#rt::client::Handle>) -> Self {
                Self { handle, inner: ::std::default::Default::default() }
            }
            /// The input built so far.
            pub fn as_input(&self) -> &#op_path::builders::#input_builder {
                &self.inner
            }
            #wait_docs
            #[inline]
            pub fn #wait(self, max_wait: ::std::time::Duration) -> #rt::waiters::WaitFuture<#op_path::#output, #op_path::#error> {
                #rt::waiters::wait(self.handle, &WAITER, #build, max_wait, send, acceptors)
            }
        }
        #setters

        /// The result of the waiter's last poll: the output, or the error an acceptor expects.
        pub type #final_poll = #rt::waiters::FinalPoll<#op_path::#output, #rt::error::SdkError<#op_path::#error>>;
        /// Why the waiter stopped without success.
        pub type #error_alias = #rt::waiters::WaiterError<#op_path::#output, #op_path::#error>;

        /// The waiter's name and delays (in seconds), from the model.
        static WAITER: #rt::waiters::WaiterSpec = #rt::waiters::WaiterSpec {
            name: #name,
            min_delay: #min_delay,
            max_delay: #max_delay,
        };

        /// Sends one poll.
        #[inline]
        fn send(
            handle: ::std::sync::Arc<#rt::client::Handle>,
            input: #op_path::#input,
        ) -> #rt::operation::SendFuture<#op_path::#output, #op_path::#error> {
            #op_path::#op_struct::orchestrate(handle, ::std::result::Result::Ok(input))
        }

        #acceptor_docs
        #[inline]
        fn acceptors(
            #input_param: &#op_path::#input,
            result: &#rt::operation::SendResult<#op_path::#output, #op_path::#error>,
        ) -> ::std::option::Option<#rt::waiters::AcceptorState> {
            #(#checks)*
            ::std::option::Option::None
        }

        #(#paths)*
    }
}

/// `fn acceptor_<n>(output) -> Option<bool>`: whether a path matcher
/// matches; `None` when evaluating the path fails (the acceptor does not
/// match).
fn path_fn_item(
    name: &Ident,
    matcher: &PathMatcherIr,
    input_output: bool,
    op: &OperationIr,
    ctx: &Ctx,
) -> TokenStream {
    let root = &ctx.root;
    let module = ident(&op.module);
    let input_ty = ident(&op.input.name);
    let output_ty = ident(&op.output.name);
    let mut emitter = Emitter { next: 0 };
    let mut body = Vec::new();
    let current = Val {
        tokens: quote!(output),
        nullable: false,
        ty: PathType::Object,
        simple: true,
    };
    let value = emitter.emit(&matcher.expr, &current, &mut body);
    let check = emitter.comparator(value, matcher, &mut body);
    let (mut uses_input, mut uses_output) = (false, false);
    root_uses(&matcher.expr, &mut uses_input, &mut uses_output);
    let param = |used: bool, name: &str| {
        if used {
            format_ident!("{}", name)
        } else {
            format_ident!("_{}", name)
        }
    };
    let params = if input_output {
        let (input, output) = (param(uses_input, "input"), param(uses_output, "output"));
        quote!(#input: &#root::operation::#module::#input_ty, #output: &#root::operation::#module::#output_ty)
    } else {
        let output = param(uses_output, "output");
        quote!(#output: &#root::operation::#module::#output_ty)
    };
    let doc = lit(&format!(
        " {} {} {}.",
        code_span(&matcher.path),
        match matcher.comparator {
            Comparator::StringEquals => "`stringEquals`",
            Comparator::BooleanEquals(_) => "`booleanEquals`",
            Comparator::AllStringEquals => "`allStringEquals`",
            Comparator::AnyStringEquals => "`anyStringEquals`",
        },
        code_span(&matcher.expected)
    ));
    quote! {
        #[doc = #doc]
        #[inline]
        fn #name(#params) -> ::std::option::Option<bool> {
            #(#body)*
            ::std::option::Option::Some(#check)
        }
    }
}

/// Whether `expr` reads the input or the output (its top-level current node
/// is the output, except in an `inputOutput` path).
fn root_uses(expr: &PathExpr, input: &mut bool, output: &mut bool) {
    match &expr.node {
        PathNode::Current => *output = true,
        PathNode::Input => *input = true,
        PathNode::Output => *output = true,
        PathNode::Literal(_) => {}
        PathNode::Field { of, .. }
        | PathNode::Index { of, .. }
        | PathNode::Flatten(of)
        | PathNode::Not(of)
        | PathNode::Length(of) => root_uses(of, input, output),
        // What runs per element sees the element, not the root.
        PathNode::Filter { of, .. } | PathNode::Project { of, .. } => root_uses(of, input, output),
        PathNode::Compare { left, right, .. }
        | PathNode::And(left, right)
        | PathNode::Or(left, right)
        | PathNode::Contains(left, right) => {
            root_uses(left, input, output);
            root_uses(right, input, output);
        }
    }
}

/// A value in the generated code: a Rust expression over variables bound
/// before it, of the value's type or (`nullable`) an `Option` of it.
///
/// Values are represented as: a boolean `bool`, a number `f64`, a string
/// `&str`, a structure or a map a reference to it, a list a `Vec` of its
/// elements' representation.
#[derive(Clone, Debug)]
struct Val {
    tokens: TokenStream,
    nullable: bool,
    ty: PathType,
    /// A variable or a literal: used as it is, never bound again.
    simple: bool,
}

/// Writes the statements that evaluate a path, binding each intermediate
/// value to a variable of its own (`v0`, `v1`...; `e0`... for elements).
struct Emitter {
    next: usize,
}

impl Emitter {
    fn fresh(&mut self, prefix: &str) -> Ident {
        let n = self.next;
        self.next += 1;
        format_ident!("{}{}", prefix, n)
    }

    /// `value` as a variable (or a literal), binding it when needed.
    fn bind(&mut self, value: Val, out: &mut Vec<TokenStream>) -> Val {
        if value.simple {
            return value;
        }
        let var = self.fresh("v");
        let tokens = value.tokens;
        out.push(quote!(let #var = #tokens;));
        Val {
            tokens: quote!(#var),
            simple: true,
            ..value
        }
    }

    /// `value` as a variable whose value is present: a null ends the
    /// evaluation (a JMESPath error).
    fn present(&mut self, value: Val, out: &mut Vec<TokenStream>) -> Val {
        let value = self.bind(value, out);
        if !value.nullable {
            return value;
        }
        let var = self.fresh("v");
        let tokens = value.tokens;
        out.push(quote!(let #var = #tokens?;));
        Val {
            tokens: quote!(#var),
            nullable: false,
            ..value
        }
    }

    fn emit(&mut self, expr: &PathExpr, current: &Val, out: &mut Vec<TokenStream>) -> Val {
        let ty = expr.ty.clone();
        let nullable = expr.nullable;
        let val = |tokens: TokenStream| Val {
            tokens,
            nullable,
            ty: ty.clone(),
            simple: false,
        };
        match &expr.node {
            PathNode::Current => {
                if matches!(current.ty, PathType::Array(_)) {
                    // Lists are consumed where they are used: a copy.
                    let tokens = &current.tokens;
                    val(quote!(::std::clone::Clone::clone(&#tokens)))
                } else {
                    current.clone()
                }
            }
            PathNode::Input => Val {
                tokens: quote!(input),
                nullable: false,
                ty,
                simple: true,
            },
            PathNode::Output => Val {
                tokens: quote!(output),
                nullable: false,
                ty,
                simple: true,
            },
            PathNode::Field { of, field } => {
                let owner = self.emit(of, current, out);
                let owner = self.bind(owner, out);
                val(field_value(&owner, field))
            }
            PathNode::Index { of, index } => {
                let list = self.emit(of, current, out);
                let list = self.bind(list, out);
                let pick = match *index {
                    0 => quote!(next()),
                    -1 => quote!(next_back()),
                    i if i > 0 => {
                        let i = Literal::usize_unsuffixed(i as usize);
                        quote!(nth(#i))
                    }
                    i => {
                        let back = Literal::usize_unsuffixed((-i - 1) as usize);
                        quote!(nth_back(#back))
                    }
                };
                let tokens = &list.tokens;
                val(if list.nullable {
                    quote!(#tokens.and_then(|list| list.into_iter().#pick))
                } else {
                    quote!(#tokens.into_iter().#pick)
                })
            }
            PathNode::Flatten(of) => {
                let list = self.emit(of, current, out);
                let list = self.bind(list, out);
                let tokens = &list.tokens;
                val(if list.nullable {
                    quote!(#tokens.map(|list| list.into_iter().flatten().collect::<::std::vec::Vec<_>>()))
                } else {
                    quote!(#tokens.into_iter().flatten().collect::<::std::vec::Vec<_>>())
                })
            }
            PathNode::Filter { of, condition } => {
                self.each_element(of, current, &ty, out, |this, element, items, body| {
                    let kept = this.emit(condition, element, body);
                    let kept = this.bind(kept, body);
                    let truth = truth(&kept, false);
                    let element = &element.tokens;
                    body.push(quote! {
                        if #truth {
                            #items.push(#element);
                        }
                    });
                })
            }
            PathNode::Project { of, each } => {
                self.each_element(of, current, &ty, out, |this, element, items, body| {
                    let value = this.emit(each, element, body);
                    let value = this.bind(value, body);
                    let tokens = &value.tokens;
                    body.push(if value.nullable {
                        quote! {
                            if let ::std::option::Option::Some(value) = #tokens {
                                #items.push(value);
                            }
                        }
                    } else {
                        quote!(#items.push(#tokens);)
                    });
                })
            }
            PathNode::Literal(literal) => Val {
                tokens: match literal {
                    PathLiteral::Null => quote!(::std::option::Option::None::<()>),
                    PathLiteral::Bool(b) => quote!(#b),
                    PathLiteral::Number(n) => {
                        let n = Literal::f64_suffixed(*n);
                        quote!(#n)
                    }
                    PathLiteral::String(s) => {
                        let s = lit(s);
                        quote!(#s)
                    }
                },
                nullable,
                ty,
                simple: true,
            },
            PathNode::Compare { op, left, right } => {
                let left = self.emit(left, current, out);
                let left = self.bind(left, out);
                let right = self.emit(right, current, out);
                let right = self.bind(right, out);
                val(compare(*op, &left, &right))
            }
            PathNode::And(left, right) | PathNode::Or(left, right) => {
                let is_and = matches!(expr.node, PathNode::And(..));
                let left = self.emit(left, current, out);
                let left = self.bind(left, out);
                let mut lazy = Vec::new();
                let right = self.emit(right, current, &mut lazy);
                let truth = truth(&left, false);
                let wrap = |value: &Val| {
                    let tokens = &value.tokens;
                    if nullable && !value.nullable {
                        quote!(::std::option::Option::Some(#tokens))
                    } else {
                        tokens.clone()
                    }
                };
                let (left, right) = (wrap(&left), wrap(&right));
                val(if is_and {
                    quote!(if #truth { #(#lazy)* #right } else { #left })
                } else {
                    quote!(if #truth { #left } else { #(#lazy)* #right })
                })
            }
            PathNode::Not(inner) => {
                let inner = self.emit(inner, current, out);
                let inner = self.bind(inner, out);
                val(truth(&inner, true))
            }
            PathNode::Length(of) => {
                let value = self.emit(of, current, out);
                let value = self.present(value, out);
                let tokens = &value.tokens;
                val(match value.ty {
                    PathType::String => quote!(#tokens.chars().count() as f64),
                    _ => quote!(#tokens.len() as f64),
                })
            }
            PathNode::Contains(subject, search) => {
                let subject = self.emit(subject, current, out);
                let subject = self.present(subject, out);
                let search = self.emit(search, current, out);
                let search = self.bind(search, out);
                let (s, q) = (&subject.tokens, &search.tokens);
                let by_ref = if matches!(subject.ty, PathType::String) {
                    quote!()
                } else {
                    quote!(&)
                };
                val(if search.nullable {
                    quote!(#q.is_some_and(|search| #s.contains(#by_ref search)))
                } else {
                    quote!(#s.contains(#by_ref #q))
                })
            }
        }
    }

    /// A list built element by element from the list `of` (null when `of`
    /// is): `body` writes what one element (`current` of its closure) adds
    /// to `items`.
    fn each_element(
        &mut self,
        of: &PathExpr,
        current: &Val,
        ty: &PathType,
        out: &mut Vec<TokenStream>,
        body: impl FnOnce(&mut Self, &Val, &Ident, &mut Vec<TokenStream>),
    ) -> Val {
        let list = self.emit(of, current, out);
        let list = self.bind(list, out);
        let result = self.fresh("v");
        let items = self.fresh("items");
        let element_var = self.fresh("e");
        let item_ty = match &of.ty {
            PathType::Array(item) => (**item).clone(),
            other => other.clone(),
        };
        let element = Val {
            tokens: quote!(#element_var),
            nullable: false,
            ty: item_ty,
            simple: true,
        };
        let mut statements = Vec::new();
        body(self, &element, &items, &mut statements);
        let source = &list.tokens;
        if list.nullable {
            let present = self.fresh("list");
            out.push(quote! {
                let mut #result = ::std::option::Option::None;
                if let ::std::option::Option::Some(#present) = #source {
                    let mut #items = ::std::vec::Vec::new();
                    for #element_var in #present {
                        #(#statements)*
                    }
                    #result = ::std::option::Option::Some(#items);
                }
            });
        } else {
            out.push(quote! {
                let mut #items = ::std::vec::Vec::new();
                for #element_var in #source {
                    #(#statements)*
                }
                let #result = #items;
            });
        }
        Val {
            tokens: quote!(#result),
            nullable: list.nullable,
            ty: ty.clone(),
            simple: true,
        }
    }

    /// Whether `value` passes the matcher's comparator.
    fn comparator(
        &mut self,
        value: Val,
        matcher: &PathMatcherIr,
        out: &mut Vec<TokenStream>,
    ) -> TokenStream {
        let value = self.bind(value, out);
        let v = &value.tokens;
        let expected = lit(&matcher.expected);
        match (&matcher.comparator, value.nullable) {
            (Comparator::StringEquals, false) => quote!(#v == #expected),
            (Comparator::StringEquals, true) => {
                quote!(#v == ::std::option::Option::Some(#expected))
            }
            (Comparator::BooleanEquals(true), false) => quote!(#v),
            (Comparator::BooleanEquals(false), false) => quote!(!#v),
            (Comparator::BooleanEquals(b), true) => quote!(#v == ::std::option::Option::Some(#b)),
            (Comparator::AllStringEquals, false) => {
                quote!(!#v.is_empty() && #v.iter().all(|item| *item == #expected))
            }
            (Comparator::AllStringEquals, true) => quote! {
                #v.is_some_and(|list| !list.is_empty() && list.iter().all(|item| *item == #expected))
            },
            (Comparator::AnyStringEquals, false) => quote!(#v.contains(&#expected)),
            (Comparator::AnyStringEquals, true) => {
                quote!(#v.is_some_and(|list| list.contains(&#expected)))
            }
        }
    }
}

/// The value of `field` read from the structure `owner` (a variable
/// holding a reference, or an `Option` of one).
fn field_value(owner: &Val, field: &PaginatorField) -> TokenStream {
    let name = ident(&field.name);
    let o = &owner.tokens;
    // A string member is read as `&str` at once.
    let deref = field.boxed || field.ty == RustType::String;
    match (owner.nullable, field.optional) {
        (false, true) => {
            let present = if deref {
                quote!(#o.#name.as_deref())
            } else {
                quote!(#o.#name.as_ref())
            };
            optional_value(present, &field.ty)
        }
        (false, false) => place_value(quote!(#o.#name), &field.ty, field.boxed),
        (true, true) => {
            let present = if deref {
                quote!(#o.and_then(|owner| owner.#name.as_deref()))
            } else {
                quote!(#o.and_then(|owner| owner.#name.as_ref()))
            };
            optional_value(present, &field.ty)
        }
        (true, false) => {
            let value = place_value(quote!(owner.#name), &field.ty, field.boxed);
            quote!(#o.map(|owner| #value))
        }
    }
}

/// The value from `present`, an `Option` of a reference to a value of
/// type `ty` (`Option<&str>` for a string).
fn optional_value(present: TokenStream, ty: &RustType) -> TokenStream {
    match ty {
        // Already `Option<&str>` (see `field_value`).
        RustType::String => present,
        RustType::Enum(_) => quote!(#present.map(|value| value.as_str())),
        RustType::Bool | RustType::F64 => quote!(#present.copied()),
        RustType::Struct(_) | RustType::Map { .. } => present,
        other => {
            let value = ref_value(quote!(value), other);
            quote!(#present.map(|value| #value))
        }
    }
}

/// The value of the field `place` (not a reference) of type `ty`.
fn place_value(place: TokenStream, ty: &RustType, boxed: bool) -> TokenStream {
    match ty {
        RustType::String | RustType::Enum(_) | RustType::DateTime(_) | RustType::List { .. } => {
            ref_value(place, ty)
        }
        RustType::Bool | RustType::F64 => place,
        RustType::I8 | RustType::I16 | RustType::I32 | RustType::F32 => {
            quote!(f64::from(#place))
        }
        RustType::I64 => quote!(#place as f64),
        _ if boxed => quote!(&*#place),
        _ => quote!(&#place),
    }
}

/// The value of `value`, a reference to a value of type `ty` (or, for the
/// methods called on it, the value itself).
fn ref_value(value: TokenStream, ty: &RustType) -> TokenStream {
    match ty {
        RustType::String | RustType::Enum(_) => quote!(#value.as_str()),
        RustType::Bool | RustType::F64 => quote!(*#value),
        RustType::I8 | RustType::I16 | RustType::I32 | RustType::F32 => {
            quote!(f64::from(*#value))
        }
        RustType::I64 => quote!(*#value as f64),
        RustType::DateTime(_) => quote!(#value.as_secs_f64()),
        RustType::List { item, .. } => {
            let adapt = match &**item {
                RustType::String | RustType::Enum(_) => quote!(.map(|item| item.as_str())),
                RustType::Bool | RustType::F64 => quote!(.copied()),
                RustType::Struct(_) | RustType::Map { .. } => quote!(),
                other => {
                    let item = ref_value(quote!(item), other);
                    quote!(.map(|item| #item))
                }
            };
            quote!(#value.iter()#adapt.collect::<::std::vec::Vec<_>>())
        }
        _ => value,
    }
}

/// `value`'s JMESPath truth (or, `negate`d, its falsity) as a `bool`.
fn truth(value: &Val, negate: bool) -> TokenStream {
    let v = &value.tokens;
    match (&value.ty, value.nullable, negate) {
        (PathType::Bool, false, false) => quote!(#v),
        (PathType::Bool, false, true) => quote!(!#v),
        (PathType::Bool, true, false) => quote!(#v == ::std::option::Option::Some(true)),
        (PathType::Bool, true, true) => quote!(#v != ::std::option::Option::Some(true)),
        (PathType::Number | PathType::Object, true, false) => quote!(#v.is_some()),
        (PathType::Number | PathType::Object, true, true) => quote!(#v.is_none()),
        (_, false, false) => quote!(!#v.is_empty()),
        (_, false, true) => quote!(#v.is_empty()),
        // A list is borrowed: `&&` and `||` may give the value itself.
        (PathType::Array(_), true, false) => {
            quote!(#v.as_ref().is_some_and(|value| !value.is_empty()))
        }
        (PathType::Array(_), true, true) => {
            quote!(#v.as_ref().is_none_or(|value| value.is_empty()))
        }
        (_, true, false) => quote!(#v.is_some_and(|value| !value.is_empty())),
        (_, true, true) => quote!(#v.is_none_or(|value| value.is_empty())),
    }
}

/// `left op right` as a `bool` (an `Option` when ordering a null).
fn compare(op: CompareOp, left: &Val, right: &Val) -> TokenStream {
    let (l, r) = (&left.tokens, &right.tokens);
    match op {
        CompareOp::Eq | CompareOp::Ne => {
            let eq = op == CompareOp::Eq;
            // Null on one side: whether the other is null.
            if left.ty == PathType::Null || right.ty == PathType::Null {
                let other = if left.ty == PathType::Null { r } else { l };
                return if eq {
                    quote!(#other.is_none())
                } else {
                    quote!(#other.is_some())
                };
            }
            // A boolean literal on one side: the other's value.
            let literal = |v: &Val| match v.tokens.to_string().as_str() {
                "true" if v.simple && v.ty == PathType::Bool => Some(true),
                "false" if v.simple && v.ty == PathType::Bool => Some(false),
                _ => None,
            };
            let flag = literal(right)
                .map(|b| (b, left))
                .or_else(|| literal(left).map(|b| (b, right)));
            if let Some((b, other)) = flag.filter(|(_, other)| !other.nullable) {
                let o = &other.tokens;
                return if b == eq { quote!(#o) } else { quote!(!#o) };
            }
            let some = |v: &Val, wrap: bool| {
                let t = &v.tokens;
                if wrap {
                    quote!(::std::option::Option::Some(#t))
                } else {
                    t.clone()
                }
            };
            let both = left.nullable || right.nullable;
            let (l, r) = (
                some(left, both && !left.nullable),
                some(right, both && !right.nullable),
            );
            if eq {
                quote!(#l == #r)
            } else {
                quote!(#l != #r)
            }
        }
        _ => {
            let symbol = match op {
                CompareOp::Lt => quote!(<),
                CompareOp::Le => quote!(<=),
                CompareOp::Gt => quote!(>),
                _ => quote!(>=),
            };
            match (left.nullable, right.nullable) {
                (false, false) => quote!(#l #symbol #r),
                (true, false) => quote!(#l.map(|left| left #symbol #r)),
                (false, true) => quote!(#r.map(|right| #l #symbol right)),
                (true, true) => quote!(#l.zip(#r).map(|(left, right)| left #symbol right)),
            }
        }
    }
}
