//! Redaction tests (`Config::redaction_tests`): for every `@sensitive` member
//! of every structure (input, output, plain or error) and union, a test that
//! puts a secret in the member, in every form the value takes (a simple value,
//! an item of a list, a key and value of a map, the members of a nested
//! structure or union), and checks what `{:?}`, `{:#?}`, the builder's and the
//! fluent builder's `Debug`, and, for errors, `Display` and the operation
//! error's `Debug` and `Display` print. A structure that is `@sensitive` as a
//! whole gets one test with the secret in every member, a union that is gets
//! one per variant, and one test checks that the configuration, the client and
//! the credentials never show a secret key or session token.
//!
//! What a leak looks like is never written into the test: it is whatever the
//! secret value itself prints, found at run time. Each test builds and prints
//! its values twice, in a closure given one of two secrets (a generated
//! `Secret`) from which every sensitive simple value comes. The first hands
//! out the test's marker text (for strings, enums, documents and blobs) and
//! distinctive numbers, times and flags; the other a different text and
//! different values. Then
//!
//! * no output may contain the secret's text, or the `Debug` and `Display` of
//!   any distinctive value it handed out, as printed at run time (a time
//!   prints as an ISO-8601 date and a blob as hex with the pinned runtime
//!   types, but the test does not rely on it);
//! * every `Debug` output shows the redaction placeholder;
//! * every output must be the same with either secret. This catches values
//!   whose printed form could show in any output by chance (`true`, a small
//!   byte), which are compared only, and a leak in a form the search does
//!   not know (a length, a list of bytes, a value's parts). Only the secret
//!   may differ between the two prints: the client a fluent builder holds,
//!   whose `Debug` need not be the same as another client's, is made once.
//!
//! `Secret` has a method only for the kinds of value some test takes, so a
//! generated crate has no dead code.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, lit, Ctx, Items, Module, REDACTED};
use crate::ir::*;
use crate::naming;

/// How many values of each kind the redaction tests cover.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RedactionCoverage {
    /// Sensitive members of structures and unions, one test each.
    pub members: usize,
    /// Values of shapes that are `@sensitive` as a whole: one test per such
    /// structure, and one per variant of such a union.
    pub wholes: usize,
    /// Sensitive members whose value could not be built (a required member
    /// closing a cycle); they have no test.
    pub skipped: usize,
}

/// The `redaction_tests` module (compiled only under `cfg(test)`); its
/// documentation is an inner attribute of its items.
pub fn redaction_tests_module(service: &ServiceIr) -> Module<'_> {
    Module::leaf(
        Vec::new(),
        Items::new(|ctx| redaction_tests(service, ctx).0),
    )
}

/// The items of the `redaction_tests` module, and what they cover.
pub fn redaction_tests(service: &ServiceIr, ctx: &Ctx) -> (TokenStream, RedactionCoverage) {
    let gen = Values::new(service, ctx);
    let mut coverage = RedactionCoverage::default();
    let mut tests = Vec::new();
    let mut names: BTreeSet<String> = ["assert_hidden", "config_and_credentials"]
        .map(str::to_owned)
        .into();
    let mut marker_index = 0usize;
    let mut next_marker = || {
        marker_index += 1;
        format!("smithgen-secret-{marker_index:05}")
    };

    let mut owners: Vec<(&StructIr, Owner)> = Vec::new();
    for op in &service.operations {
        owners.push((&op.input, Owner::Input(op)));
        owners.push((&op.output, Owner::Output(op)));
    }
    for ty in &service.types {
        if let TypeDef::Struct(s) = ty {
            owners.push((s, Owner::Plain));
        }
    }
    for e in &service.errors {
        owners.push((e, Owner::Error));
    }

    for (s, owner) in owners {
        let owner_name = naming::snake(&s.name);
        for field in s.fields.iter().filter(|f| f.redact) {
            let marker = next_marker();
            let name = unique(&mut names, &format!("{owner_name}_{}", field.suffix));
            match gen.attempt(|| struct_test(&gen, s, &owner, Some(field), &marker, &name)) {
                Some(test) => {
                    tests.push(test);
                    coverage.members += 1;
                }
                None => coverage.skipped += 1,
            }
        }
        if s.sensitive {
            let marker = next_marker();
            let name = unique(&mut names, &format!("{owner_name}_as_a_whole"));
            if let Some(test) = gen.attempt(|| struct_test(&gen, s, &owner, None, &marker, &name)) {
                tests.push(test);
                coverage.wholes += 1;
            }
        }
    }
    for ty in &service.types {
        let TypeDef::Union(u) = ty else { continue };
        let owner_name = naming::snake(&u.name);
        for variant in &u.variants {
            let Some(ty) = &variant.ty else { continue };
            if !(variant.redact || u.sensitive) {
                continue;
            }
            let marker = next_marker();
            let name = unique(
                &mut names,
                &format!("{owner_name}_{}", naming::snake(&variant.name)),
            );
            match gen.attempt(|| union_test(&gen, u, variant, ty, &marker, &name)) {
                Some(test) => {
                    tests.push(test);
                    if variant.redact {
                        coverage.members += 1;
                    } else {
                        coverage.wholes += 1;
                    }
                }
                None => coverage.skipped += 1,
            }
        }
    }
    // The shared helpers are only emitted when a test uses them.
    let helpers = if tests.is_empty() {
        quote!()
    } else {
        helpers(&gen)
    };
    tests.push(config_test(ctx));

    let summary = lit(&format!(
        " {} sensitive members, and {} values of structures and unions sensitive as a whole, of `{}`, each checked with a pair of secrets of its own.",
        coverage.members, coverage.wholes, service.service_id
    ));
    let items = quote! {
        #![doc = #summary]

        #helpers

        #(#tests)*
    };
    (items, coverage)
}

/// `REDACTED`, `Printed`, `Secret` (with a method for each kind of simple
/// value some test takes from it) and `assert_hidden`.
fn helpers(gen: &Values) -> TokenStream {
    let redacted = REDACTED;
    let rt = &gen.ctx.rt;
    let methods: Vec<TokenStream> = gen.kinds.borrow().iter().map(|k| k.method(rt)).collect();
    quote! {
        /// What generated `Debug` prints in place of a sensitive value.
        const REDACTED: &str = #redacted;

        /// What a test prints: what each output is, and the output.
        type Printed = ::std::vec::Vec<(&'static str, ::std::string::String)>;

        /// One of the two secrets a test puts in the sensitive value it checks.
        /// It hands out every part of that value: its text for strings, enums,
        /// documents and blobs, and numbers, times and flags unlike the other
        /// secret's; and it keeps what each distinctive value prints, as its
        /// own `Debug` and `Display` give it.
        struct Secret {
            /// Whether this is the first of the two secrets.
            first: bool,
            /// The test's marker (the first secret) or another text.
            text: ::std::string::String,
            /// What the distinctive values handed out print.
            shown: ::std::cell::RefCell<::std::collections::BTreeSet<::std::string::String>>,
        }

        impl Secret {
            fn new(marker: &str, first: bool) -> Self {
                let text = if first {
                    marker.to_owned()
                } else {
                    let reversed: ::std::string::String = marker.chars().rev().collect();
                    format!("other-{reversed}")
                };
                Secret {
                    first,
                    text,
                    shown: ::std::default::Default::default(),
                }
            }

            #(#methods)*
        }

        /// Prints what `print` prints with each of the two secrets of `marker`.
        /// No output may show the secret's text or what a distinctive value it
        /// handed out prints; each `Debug` output (the first list) must show
        /// the placeholder; and each output must be the same with either
        /// secret, which catches any other form a leak takes.
        fn assert_hidden(marker: &str, print: impl Fn(&Secret) -> (Printed, Printed)) {
            let secrets = [Secret::new(marker, true), Secret::new(marker, false)];
            let printed = [print(&secrets[0]), print(&secrets[1])];
            for (secret, (debug, display)) in secrets.iter().zip(&printed) {
                let which = if secret.first { "first" } else { "other" };
                let shown = secret.shown.borrow();
                for (what, text) in debug.iter().chain(display) {
                    for needle in shown.iter().chain([&secret.text]) {
                        assert!(
                            !text.contains(needle.as_str()),
                            "{what} shows the {which} secret, as {needle:?}: {text}"
                        );
                    }
                }
                for (what, text) in debug {
                    assert!(text.contains(REDACTED), "{what} has no redaction placeholder: {text}");
                }
            }
            let [(first_debug, first_display), (other_debug, other_display)] = &printed;
            let firsts = first_debug.iter().chain(first_display);
            let others = other_debug.iter().chain(other_display);
            for ((what, first), (_, other)) in firsts.zip(others) {
                assert!(
                    first == other,
                    "{what} changes with the secret, so it shows some form of it:\n{first}\n{other}"
                );
            }
        }
    }
}

/// Where a structure lives, and how its values are printed besides their own `Debug`.
enum Owner<'a> {
    Input(&'a OperationIr),
    Output(&'a OperationIr),
    Plain,
    Error,
}

/// `base`, or `base_2`, `base_3`… when taken.
fn unique(names: &mut BTreeSet<String>, base: &str) -> String {
    let base = base.trim_start_matches("r#").replace("r#", "");
    let mut name = base.clone();
    let mut n = 1;
    while !names.insert(name.clone()) {
        n += 1;
        name = format!("{base}_{n}");
    }
    name
}

/// The test of one sensitive member of `s` (or of `s` as a whole when
/// `field` is `None`); `None` when no value of `s` can be built.
fn struct_test(
    gen: &Values,
    s: &StructIr,
    owner: &Owner,
    field: Option<&FieldIr>,
    marker: &str,
    name: &str,
) -> Option<TokenStream> {
    let root = &gen.ctx.root;
    let uses = gen.secret_uses.get();
    let type_name = ident(&s.name);
    let path = match owner {
        Owner::Input(op) | Owner::Output(op) => {
            let module = ident(&op.module);
            quote!(#root::operation::#module::#type_name)
        }
        Owner::Plain => quote!(#root::types::#type_name),
        Owner::Error => quote!(#root::types::error::#type_name),
    };
    let (builder, secret_member) = match field {
        Some(field) => {
            let secret = gen.value(&field.ty, true, true, &mut vec![s.name.clone()])?;
            let secret = if field.boxed {
                quote!(::std::boxed::Box::new(#secret))
            } else {
                secret
            };
            let fillers = gen.fill(
                s,
                false,
                false,
                Some(&field.name),
                &mut vec![s.name.clone()],
            )?;
            let set = ident(&format!("set_{}", field.suffix));
            (
                quote!(#path::builder() #fillers .#set(::std::option::Option::Some(#secret))),
                Some((set, secret)),
            )
        }
        None => {
            let all = gen.fill(s, true, true, None, &mut vec![s.name.clone()])?;
            (quote!(#path::builder() #all), None)
        }
    };
    let build = if s.build_is_fallible() {
        quote!(.build().expect("every required member is set"))
    } else {
        quote!(.build())
    };
    let mut debug = vec![
        quote!(("value {:?}", format!("{value:?}"))),
        quote!(("value {:#?}", format!("{value:#?}"))),
        quote!(("builder {:?}", format!("{builder:?}"))),
        quote!(("builder {:#?}", format!("{builder:#?}"))),
    ];
    let mut display = Vec::new();
    // What the test makes once, outside the closure that prints its values.
    let mut once = quote!();
    let mut extra = quote!();
    match owner {
        Owner::Input(op) => {
            if let Some((set, secret)) = &secret_member {
                let method = ident(&op.module);
                // One client for both secrets: its `Debug` may differ from
                // another client's (a cache partition, say).
                once = quote! {
                    let client = #root::Client::from_conf(#root::Config::builder().build());
                };
                extra = quote! {
                    let fluent = client.#method().#set(::std::option::Option::Some(#secret));
                };
                debug.push(quote!(("fluent builder {:?}", format!("{fluent:?}"))));
            }
        }
        Owner::Error => {
            display.push(quote!(("value to_string()", value.to_string())));
            if let Some((op, error)) = gen.operation_of_error(&s.name) {
                let module = ident(&op.module);
                let enum_name = ident(&op.error_enum);
                let variant = ident(&error.type_name);
                extra = quote! {
                    let operation_error = #root::operation::#module::#enum_name::#variant(value.clone());
                };
                debug.push(quote!((
                    "operation error {:?}",
                    format!("{operation_error:?}")
                )));
                display.push(quote!((
                    "operation error to_string()",
                    operation_error.to_string()
                )));
            }
        }
        Owner::Output(_) | Owner::Plain => {}
    }
    let display = if display.is_empty() {
        quote!(::std::vec::Vec::new())
    } else {
        quote!(::std::vec::Vec::from([#(#display),*]))
    };
    let doc = lit(&match field {
        Some(f) => format!(" `{}.{}` is never shown.", s.name, f.wire_name),
        None => format!(" `{}` (sensitive as a whole) is never shown.", s.name),
    });
    let test_name = ident(name);
    let param = gen.secret_param(uses);
    Some(quote! {
        #[doc = #doc]
        #[test]
        fn #test_name() {
            #once
            assert_hidden(#marker, |#param| {
                let builder = #builder;
                let value = builder.clone() #build;
                #extra
                (
                    ::std::vec::Vec::from([#(#debug),*]),
                    #display,
                )
            });
        }
    })
}

/// The test of one sensitive variant of a union, which holds `ty`; `None`
/// when no value of `ty` can be built.
fn union_test(
    gen: &Values,
    u: &UnionIr,
    variant: &VariantIr,
    ty: &RustType,
    marker: &str,
    name: &str,
) -> Option<TokenStream> {
    let root = &gen.ctx.root;
    let uses = gen.secret_uses.get();
    let value = gen.value(ty, true, true, &mut Vec::new())?;
    let union_name = ident(&u.name);
    let variant_name = ident(&variant.name);
    let value = if variant.boxed {
        quote!(::std::boxed::Box::new(#value))
    } else {
        value
    };
    let doc = lit(&format!(
        " `{}.{}` is never shown.",
        u.name, variant.wire_name
    ));
    let test_name = ident(name);
    let param = gen.secret_param(uses);
    Some(quote! {
        #[doc = #doc]
        #[test]
        fn #test_name() {
            assert_hidden(#marker, |#param| {
                let value = #root::types::#union_name::#variant_name(#value);
                (
                    ::std::vec::Vec::from([
                        ("value {:?}", format!("{value:?}")),
                        ("value {:#?}", format!("{value:#?}")),
                    ]),
                    ::std::vec::Vec::new(),
                )
            });
        }
    })
}

/// The configuration, the client and the credentials never show the secret
/// access key or the session token.
fn config_test(ctx: &Ctx) -> TokenStream {
    let root = &ctx.root;
    quote! {
        /// Credentials never show their secret key or session token, wherever they are held.
        #[test]
        fn config_and_credentials() {
            let secret_key = "smithgen-secret-access-key-wJalrXUtnFEMI";
            let session_token = "smithgen-session-token-FwoGZXIvYXdzE";
            let credentials = #root::config::Credentials::new(
                "AKIDSMITHGENEXAMPLE",
                secret_key,
                ::std::option::Option::Some(session_token.to_owned()),
            );
            let config = #root::Config::builder()
                .region("us-east-1")
                .credentials(credentials.clone())
                .build();
            let builder = config.to_builder();
            let client = #root::Client::from_conf(config.clone());
            let printed = [
                format!("{credentials:?}"),
                format!("{credentials:#?}"),
                format!("{config:?}"),
                format!("{config:#?}"),
                format!("{builder:?}"),
                format!("{client:?}"),
            ];
            for text in printed {
                assert!(!text.contains(secret_key), "the secret key shows: {text}");
                assert!(!text.contains(session_token), "the session token shows: {text}");
            }
            assert!(format!("{credentials:?}").contains("AKIDSMITHGENEXAMPLE"), "the key id still shows");
        }
    }
}

/// Builds Rust expressions for values of the service's types.
struct Values<'a> {
    ctx: &'a Ctx,
    service: &'a ServiceIr,
    structs: BTreeMap<&'a str, &'a StructIr>,
    unions: BTreeMap<&'a str, &'a UnionIr>,
    /// The kinds of simple values the tests take from their secret.
    kinds: RefCell<BTreeSet<Kind>>,
    /// How many values the tests have taken from their secret so far.
    secret_uses: Cell<usize>,
}

/// How deep nested structures are built.
const MAX_DEPTH: usize = 8;

/// The text of values that are not secrets (other members a test must set).
const FILLER: &str = "filler";

/// A kind of simple value a test's `Secret` hands out through a method of
/// its own (strings and enums take its text). Each secret's value differs
/// from the other's in what it prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Boolean,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Blob,
    Document,
}

impl Kind {
    /// The name of the `Secret` method that hands out a value of this kind.
    fn name(self) -> &'static str {
        match self {
            Kind::Boolean => "boolean",
            Kind::Byte => "byte",
            Kind::Short => "short",
            Kind::Integer => "integer",
            Kind::Long => "long",
            Kind::Float => "float",
            Kind::Double => "double",
            Kind::BigInteger => "big_integer",
            Kind::BigDecimal => "big_decimal",
            Kind::Timestamp => "timestamp",
            Kind::Blob => "blob",
            Kind::Document => "document",
        }
    }

    /// The `Secret` method that hands out a value of this kind. A value
    /// whose printed form is distinctive is kept, as its own `Debug` and
    /// `Display` (or text) print it, for the outputs to be searched for;
    /// `true` and a small byte are compared only.
    fn method(self, rt: &TokenStream) -> TokenStream {
        let name = ident(self.name());
        // A number whose `Debug` and `Display` are searched for.
        let number = |ty: TokenStream, first: TokenStream, other: TokenStream| {
            quote! {
                fn #name(&self) -> #ty {
                    let value: #ty = if self.first { #first } else { #other };
                    self.shown.borrow_mut().extend([format!("{value:?}"), value.to_string()]);
                    value
                }
            }
        };
        // A big number, whose `Debug` and digits are searched for.
        let big = |ty: TokenStream, first: &str, other: &str| {
            quote! {
                fn #name(&self) -> #ty {
                    let digits = if self.first { #first } else { #other };
                    let value: #ty = digits.parse().expect("a big number");
                    let text: &str = ::std::convert::AsRef::as_ref(&value);
                    self.shown.borrow_mut().extend([format!("{value:?}"), text.to_owned()]);
                    value
                }
            }
        };
        match self {
            Kind::Boolean => quote! {
                /// `true` or `false`, which show anywhere by chance: compared only.
                fn #name(&self) -> bool {
                    self.first
                }
            },
            Kind::Byte => quote! {
                /// A small number, which shows anywhere by chance: compared only.
                fn #name(&self) -> i8 {
                    if self.first { 97 } else { -93 }
                }
            },
            Kind::Short => number(quote!(i16), quote!(29517), quote!(-18270)),
            Kind::Integer => number(quote!(i32), quote!(918273645), quote!(-192837465)),
            Kind::Long => number(quote!(i64), quote!(918273645012), quote!(-5647382910)),
            Kind::Float => number(quote!(f32), quote!(9182.736), quote!(-4417.53)),
            Kind::Double => number(quote!(f64), quote!(91827.3645), quote!(-60314.0728)),
            Kind::BigInteger => big(
                quote!(#rt::primitives::BigInteger),
                "918273645012345",
                "-555444333222111",
            ),
            Kind::BigDecimal => big(
                quote!(#rt::primitives::BigDecimal),
                "91827.3645012345",
                "-0.000606172839",
            ),
            Kind::Timestamp => quote! {
                fn #name(&self) -> #rt::primitives::DateTime {
                    let seconds = if self.first { 918273645 } else { 1234567890 };
                    let value = #rt::primitives::DateTime::from_secs(seconds);
                    self.shown.borrow_mut().extend([format!("{value:?}"), value.to_string()]);
                    value
                }
            },
            Kind::Blob => quote! {
                fn #name(&self) -> #rt::primitives::Blob {
                    let value = #rt::primitives::Blob::new(self.text.as_bytes());
                    self.shown.borrow_mut().extend([format!("{value:?}"), value.to_string()]);
                    value
                }
            },
            Kind::Document => quote! {
                fn #name(&self) -> #rt::primitives::Document {
                    let value = #rt::primitives::Document::String(self.text.clone());
                    self.shown.borrow_mut().insert(format!("{value:?}"));
                    value
                }
            },
        }
    }
}

impl<'a> Values<'a> {
    fn new(service: &'a ServiceIr, ctx: &'a Ctx) -> Self {
        let mut structs = BTreeMap::new();
        let mut unions = BTreeMap::new();
        for ty in &service.types {
            match ty {
                TypeDef::Struct(s) => {
                    structs.insert(s.name.as_str(), s);
                }
                TypeDef::Union(u) => {
                    unions.insert(u.name.as_str(), u);
                }
                TypeDef::Enum(_) => {}
            }
        }
        for e in &service.errors {
            structs.insert(e.name.as_str(), e);
        }
        Values {
            ctx,
            service,
            structs,
            unions,
            kinds: RefCell::default(),
            secret_uses: Cell::new(0),
        }
    }

    /// The first operation returning the error structure `name`.
    fn operation_of_error(&self, name: &str) -> Option<(&'a OperationIr, &'a ErrorRef)> {
        self.service.operations.iter().find_map(|op| {
            op.errors
                .iter()
                .find(|e| e.type_name == name)
                .map(|e| (op, e))
        })
    }

    /// What `build` gives; when it gives nothing, the secret's methods it
    /// asked for are forgotten, so that none is emitted that no test calls.
    fn attempt<T>(&self, build: impl FnOnce() -> Option<T>) -> Option<T> {
        let kinds = self.kinds.borrow().clone();
        let built = build();
        if built.is_none() {
            *self.kinds.borrow_mut() = kinds;
        }
        built
    }

    /// The parameter of a test's closure: `secret`, or `_secret` when no value
    /// was taken from it since `uses` (a structure with nothing to set).
    fn secret_param(&self, uses: usize) -> proc_macro2::Ident {
        ident(if self.secret_uses.get() == uses {
            "_secret"
        } else {
            "secret"
        })
    }

    /// `secret.text`, as the test's closure names its secret.
    fn secret_text(&self) -> TokenStream {
        self.secret_uses.set(self.secret_uses.get() + 1);
        quote!(secret.text)
    }

    /// A call of the secret's method for `kind`.
    fn secret_of(&self, kind: Kind) -> TokenStream {
        self.secret_uses.set(self.secret_uses.get() + 1);
        self.kinds.borrow_mut().insert(kind);
        let method = ident(kind.name());
        quote!(secret.#method())
    }

    /// Setter calls for the members of `s` on its builder: every member when
    /// `all` (those that cannot be built are left out unless required), else
    /// the required ones only; `skip` is left out. Their values come from the
    /// test's secret when `secret`, else they are filler. `None` when a
    /// required member cannot be built.
    fn fill(
        &self,
        s: &StructIr,
        secret: bool,
        all: bool,
        skip: Option<&str>,
        visiting: &mut Vec<String>,
    ) -> Option<TokenStream> {
        let mut calls = Vec::new();
        for field in &s.fields {
            if skip == Some(field.name.as_str()) {
                continue;
            }
            let required = field.required && field.default.is_none();
            if !(all || required) {
                continue;
            }
            let Some(value) = self.value(&field.ty, secret, all, visiting) else {
                if required {
                    return None;
                }
                continue;
            };
            let value = if field.boxed {
                quote!(::std::boxed::Box::new(#value))
            } else {
                value
            };
            let set = ident(&format!("set_{}", field.suffix));
            calls.push(quote!(.#set(::std::option::Option::Some(#value))));
        }
        Some(quote!(#(#calls)*))
    }

    /// An expression of type `ty`: when `secret`, every simple value in it
    /// comes from the test's secret (the closure's `secret`), else each is
    /// plain filler. `None` for a structure that closes a cycle through
    /// required members.
    fn value(
        &self,
        ty: &RustType,
        secret: bool,
        all: bool,
        visiting: &mut Vec<String>,
    ) -> Option<TokenStream> {
        let rt = &self.ctx.rt;
        let root = &self.ctx.root;
        let filler = lit(FILLER);
        let simple = |kind: Kind, plain: TokenStream| {
            if secret {
                self.secret_of(kind)
            } else {
                plain
            }
        };
        Some(match ty {
            RustType::String if secret => {
                let text = self.secret_text();
                quote!(#text.clone())
            }
            RustType::String => quote!(::std::string::String::from(#filler)),
            RustType::Bool => simple(Kind::Boolean, quote!(true)),
            RustType::I8 => simple(Kind::Byte, quote!(1i8)),
            RustType::I16 => simple(Kind::Short, quote!(1i16)),
            RustType::I32 => simple(Kind::Integer, quote!(1i32)),
            RustType::I64 => simple(Kind::Long, quote!(1i64)),
            RustType::F32 => simple(Kind::Float, quote!(1.0f32)),
            RustType::F64 => simple(Kind::Double, quote!(1.0f64)),
            // A stream prints nothing of its bytes once read; tests leave it
            // unset (empty).
            RustType::ByteStream { .. } => return None,
            RustType::Blob => simple(
                Kind::Blob,
                quote!(#rt::primitives::Blob::new(::std::vec::Vec::from(#filler.as_bytes()))),
            ),
            RustType::DateTime(_) => simple(
                Kind::Timestamp,
                quote!(#rt::primitives::DateTime::from_secs(0)),
            ),
            RustType::Document => simple(
                Kind::Document,
                quote!(#rt::primitives::Document::String(::std::string::String::from(#filler))),
            ),
            RustType::BigInteger => simple(
                Kind::BigInteger,
                quote!("1".parse::<#rt::primitives::BigInteger>().expect("a big integer")),
            ),
            RustType::BigDecimal => simple(
                Kind::BigDecimal,
                quote!("1".parse::<#rt::primitives::BigDecimal>().expect("a big decimal")),
            ),
            RustType::Enum(t) => {
                let name = ident(&t.name);
                let text = if secret {
                    let text = self.secret_text();
                    quote!(#text.as_str())
                } else {
                    quote!(#filler)
                };
                quote!(<#root::types::#name as ::std::convert::From<&str>>::from(#text))
            }
            RustType::Struct(t) | RustType::ErrorStruct(t) => {
                let s = self.structs.get(t.name.as_str())?;
                if visiting.contains(&s.name) || visiting.len() > MAX_DEPTH {
                    return None;
                }
                visiting.push(s.name.clone());
                let calls = self.fill(s, secret, all, None, visiting);
                visiting.pop();
                let calls = calls?;
                let name = ident(&s.name);
                let path = if matches!(ty, RustType::ErrorStruct(_)) {
                    quote!(#root::types::error::#name)
                } else {
                    quote!(#root::types::#name)
                };
                if s.build_is_fallible() {
                    quote!(#path::builder() #calls .build().expect("every required member is set"))
                } else {
                    quote!(#path::builder() #calls .build())
                }
            }
            RustType::Union(t) => {
                let u = self.unions.get(t.name.as_str())?;
                if visiting.contains(&u.name) || visiting.len() > MAX_DEPTH {
                    return None;
                }
                visiting.push(u.name.clone());
                let chosen = u.variants.iter().find_map(|v| {
                    let inner = match &v.ty {
                        Some(ty) => Some(self.value(ty, secret, all, visiting)?),
                        None => None,
                    };
                    Some((v, inner))
                });
                visiting.pop();
                let (variant, inner) = chosen?;
                let name = ident(&u.name);
                let variant_name = ident(&variant.name);
                match inner {
                    Some(inner) if variant.boxed => {
                        quote!(#root::types::#name::#variant_name(::std::boxed::Box::new(#inner)))
                    }
                    Some(inner) => quote!(#root::types::#name::#variant_name(#inner)),
                    None => quote!(#root::types::#name::#variant_name),
                }
            }
            RustType::List { item, sparse } => {
                let item = self.value(item, secret, all, visiting)?;
                if *sparse {
                    quote!(::std::vec![::std::option::Option::Some(#item)])
                } else {
                    quote!(::std::vec![#item])
                }
            }
            RustType::Map { key, value, sparse } => {
                let key = self.value(key, secret, all, visiting)?;
                let value = self.value(value, secret, all, visiting)?;
                let value = if *sparse {
                    quote!(::std::option::Option::Some(#value))
                } else {
                    value
                };
                quote!(::std::collections::HashMap::from([(#key, #value)]))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::{lower, Selection};
    use crate::model::Model;

    /// A model with a sensitive member of every kind: each scalar type, an
    /// enum, lists and maps (dense and sparse, secret keys), a structure and a
    /// union sensitive as a whole, recursion, and an error.
    const MODEL: &str = include_str!("../../../tests/models/sensitive.json");

    /// A sensitive member of every simple type, an intEnum among them, and
    /// in a list, a map, a union, a nested structure, an output and an error
    /// (the model `codegen/tests/redaction_leaks.rs` makes leak).
    const KINDS: &str = include_str!("../../../tests/models/sensitive-kinds.json");

    /// The formatted module of `model`, and what it covers.
    fn module(name: &str, model: &str) -> (String, RedactionCoverage) {
        let model = Model::load(&[(name, model)]).expect("valid model");
        let service = lower(&model, &Selection::default()).expect("lowers");
        let ctx = Ctx::new("crate").expect("root path");
        let (items, coverage) = redaction_tests(&service, &ctx);
        let text = crate::output::format_file(items, "src/redaction_tests.rs").expect("valid Rust");
        // As a crate's file spells them.
        let text = text
            .replace("::std::option::Option::", "")
            .replace("::smithgen_runtime::", "rt::");
        (text, coverage)
    }

    #[test]
    fn every_sensitive_member_gets_a_test_that_is_valid_rust() {
        let (text, coverage) = module("sensitive.json", MODEL);
        assert_eq!(
            coverage,
            RedactionCoverage {
                members: 26,
                wholes: 3,
                skipped: 0
            }
        );
        for test in [
            "fn put_input_i()",
            "fn put_input_sparse_map()",
            "fn tree_key()",
            "fn whole_secret_as_a_whole()",
            "fn hidden_choice_tree()",
            "fn denied_who()",
            "fn config_and_credentials()",
        ] {
            assert!(text.contains(test), "no {test}");
        }
        // Every value comes from the test's secret, its text or a method.
        assert!(text.contains(".set_i(Some(secret.integer()))"), "{text}");
        assert!(text.contains(".set_s(Some(secret.text.clone()))"), "{text}");
        // Errors are also checked through `Display` and the operation error.
        assert!(text.contains("operation error to_string()"), "{text}");
        // Both prints of a fluent builder hold the same client.
        let client = "let client = crate::Client::from_conf(crate::Config::builder().build());";
        let test = text
            .split_once("fn put_input_i() {")
            .expect("put_input_i")
            .1;
        assert!(test.trim_start().starts_with(client), "{test}");
        // The summary line `tests/whole-models` reads.
        assert!(
            text.contains(
                "//! 26 sensitive members, and 3 values of structures and unions sensitive as a whole, of `ex#Svc`,"
            ),
            "{text}"
        );
    }

    #[test]
    fn what_a_leak_prints_is_found_at_run_time() {
        let (text, coverage) = module("sensitive-kinds.json", KINDS);
        assert_eq!(
            coverage,
            RedactionCoverage {
                members: 24,
                wholes: 1,
                skipped: 0
            }
        );
        // A method for each kind, kept only as the value itself prints.
        let methods = [
            ("boolean", "bool"),
            ("byte", "i8"),
            ("short", "i16"),
            ("integer", "i32"),
            ("long", "i64"),
            ("float", "f32"),
            ("double", "f64"),
            ("big_integer", "rt::primitives::BigInteger"),
            ("big_decimal", "rt::primitives::BigDecimal"),
            ("timestamp", "rt::primitives::DateTime"),
            ("blob", "rt::primitives::Blob"),
            ("document", "rt::primitives::Document"),
        ];
        for (name, ty) in methods {
            let method = format!("fn {name}(&self) -> {ty} {{");
            let body = text
                .split_once(&method)
                .and_then(|(_, rest)| rest.split_once("\n    }"))
                .unwrap_or_else(|| panic!("no {method}:\n{text}"))
                .0;
            // `true` and a small byte are compared only.
            let kept = !matches!(name, "boolean" | "byte");
            assert_eq!(body.contains("format!(\"{value:?}\")"), kept, "{body}");
        }
        // No printed form is written into the test.
        for printed in ["1999-", "736d", "115, 109", "inner:"] {
            assert!(!text.contains(printed), "{printed} in {text}");
        }
        // The intEnum member is an integer.
        assert!(
            text.contains(".set_int_enum(Some(secret.integer()))"),
            "{text}"
        );
    }

    #[test]
    fn a_secret_has_only_the_methods_its_tests_call() {
        let model = r#"{"smithy":"2.0","shapes":{
          "ex#Svc":{"type":"service","version":"1","operations":[{"target":"ex#Op"}],
            "traits":{"aws.protocols#awsJson1_0":{},"aws.api#service":{"sdkId":"S"}}},
          "ex#Op":{"type":"operation","input":{"target":"ex#In"}},
          "ex#In":{"type":"structure","members":{
            "P":{"target":"smithy.api#String","traits":{"smithy.api#sensitive":{}}},
            "B":{"target":"smithy.api#Boolean","traits":{"smithy.api#sensitive":{}}},
            "N":{"target":"smithy.api#Integer"}}}}}"#;
        let (text, _) = module("one.json", model);
        assert!(text.contains("fn boolean(&self) -> bool"), "{text}");
        // The integer is filler, never a secret: no method, no dead code.
        assert_eq!(text.matches("(&self) ->").count(), 1, "{text}");
    }
}
