//! Redaction tests (`Config::redaction_tests`): for every `@sensitive` member
//! of every structure (input, output, plain or error) and union, a test that
//! puts a unique marker secret in the member, in every form the value takes
//! (a string, an item of a list, a key and value of a map, the members of a
//! nested structure), and checks that the marker shows in none of `{:?}`,
//! `{:#?}`, the builder's and the fluent builder's `Debug`, and, for errors,
//! `Display` and the operation error's `Debug` and `Display`. A structure that
//! is `@sensitive` as a whole gets one test with the marker in every member, a
//! union that is gets one per variant, and one test checks that the configuration, the client and the
//! credentials never show a secret key or session token.

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
            match struct_test(&gen, s, &owner, Some(field), &marker, &name) {
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
            if let Some(test) = struct_test(&gen, s, &owner, None, &marker, &name) {
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
            match gen.value(ty, &marker, true, &mut Vec::new()) {
                Some(value) => {
                    let mut secrets = BTreeSet::from([marker.clone()]);
                    needles(&gen, ty, &mut secrets, &mut vec![u.name.clone()]);
                    tests.push(union_test(u, variant, value, &secrets, &name, ctx));
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
        let redacted = REDACTED;
        quote! {
            /// What generated `Debug` prints in place of a sensitive value.
            const REDACTED: &str = #redacted;

            /// Each of `debug` hides every secret behind the placeholder, and each
            /// of `display` shows none of them.
            fn assert_hidden(secrets: &[&str], debug: &[(&str, ::std::string::String)], display: &[(&str, ::std::string::String)]) {
                for (what, text) in debug.iter().chain(display) {
                    for secret in secrets {
                        assert!(!text.contains(secret), "{what} shows the secret {secret:?}: {text}");
                    }
                }
                for (what, text) in debug {
                    assert!(text.contains(REDACTED), "{what} has no redaction placeholder: {text}");
                }
            }
        }
    };
    tests.push(config_test(ctx));

    let summary = lit(&format!(
        " {} sensitive members, and {} values of structures and unions sensitive as a whole, of `{}`, each checked with its own marker secret.",
        coverage.members, coverage.wholes, service.service_id
    ));
    let items = quote! {
        #![doc = #summary]

        #helpers

        #(#tests)*
    };
    (items, coverage)
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
    let type_name = ident(&s.name);
    let path = match owner {
        Owner::Input(op) | Owner::Output(op) => {
            let module = ident(&op.module);
            quote!(#root::operation::#module::#type_name)
        }
        Owner::Plain => quote!(#root::types::#type_name),
        Owner::Error => quote!(#root::types::error::#type_name),
    };
    let (builder, secret_values) = match field {
        Some(field) => {
            let secret = gen.value(&field.ty, marker, true, &mut vec![s.name.clone()])?;
            let secret = if field.boxed {
                quote!(::std::boxed::Box::new(#secret))
            } else {
                secret
            };
            let fillers = gen.fill(
                s,
                FILLER,
                false,
                Some(&field.name),
                &mut vec![s.name.clone()],
            )?;
            let set = ident(&format!("set_{}", field.suffix));
            (
                quote!(#path::builder() #fillers .#set(::std::option::Option::Some(#secret))),
                Some((set, field)),
            )
        }
        None => {
            let all = gen.fill(s, marker, true, None, &mut vec![s.name.clone()])?;
            (quote!(#path::builder() #all), None)
        }
    };
    let build = if s.build_is_fallible() {
        quote!(.build().expect("every required member is set"))
    } else {
        quote!(.build())
    };
    let mut secrets = BTreeSet::from([marker.to_owned()]);
    let types: Vec<&RustType> = match field {
        Some(f) => vec![&f.ty],
        None => s.fields.iter().map(|f| &f.ty).collect(),
    };
    for ty in types {
        needles(gen, ty, &mut secrets, &mut vec![s.name.clone()]);
    }
    let secrets = secrets.iter().map(|s| lit(s));
    let mut debug = vec![
        quote!(("value {:?}", format!("{value:?}"))),
        quote!(("value {:#?}", format!("{value:#?}"))),
        quote!(("builder {:?}", format!("{builder:?}"))),
        quote!(("builder {:#?}", format!("{builder:#?}"))),
    ];
    let mut display = Vec::new();
    let mut extra = quote!();
    match owner {
        Owner::Input(op) => {
            if let Some((set, field)) = &secret_values {
                let method = ident(&op.module);
                let secret = gen.value(&field.ty, marker, true, &mut vec![s.name.clone()])?;
                let secret = if field.boxed {
                    quote!(::std::boxed::Box::new(#secret))
                } else {
                    secret
                };
                extra = quote! {
                    let client = #root::Client::from_conf(#root::Config::builder().build());
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
    let doc = lit(&match field {
        Some(f) => format!(" `{}.{}` is never shown.", s.name, f.wire_name),
        None => format!(" `{}` (sensitive as a whole) is never shown.", s.name),
    });
    let test_name = ident(name);
    Some(quote! {
        #[doc = #doc]
        #[test]
        fn #test_name() {
            let builder = #builder;
            let value = builder.clone() #build;
            #extra
            assert_hidden(&[#(#secrets),*], &[#(#debug),*], &[#(#display),*]);
        }
    })
}

/// The test of one sensitive variant of a union.
fn union_test(
    u: &UnionIr,
    variant: &VariantIr,
    value: TokenStream,
    secrets: &BTreeSet<String>,
    name: &str,
    ctx: &Ctx,
) -> TokenStream {
    let root = &ctx.root;
    let union_name = ident(&u.name);
    let variant_name = ident(&variant.name);
    let value = if variant.boxed {
        quote!(::std::boxed::Box::new(#value))
    } else {
        value
    };
    let secrets = secrets.iter().map(|s| lit(s));
    let doc = lit(&format!(
        " `{}.{}` is never shown.",
        u.name, variant.wire_name
    ));
    let test_name = ident(name);
    quote! {
        #[doc = #doc]
        #[test]
        fn #test_name() {
            let value = #root::types::#union_name::#variant_name(#value);
            assert_hidden(
                &[#(#secrets),*],
                &[("value {:?}", format!("{value:?}")), ("value {:#?}", format!("{value:#?}"))],
                &[],
            );
        }
    }
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
}

/// How deep nested structures are built.
const MAX_DEPTH: usize = 8;

/// The text of values that are not secrets (other members a test must set).
const FILLER: &str = "filler";

/// Text that shows when a secret value built by [`Values::value`] for `ty` is
/// printed, besides its marker: the distinctive numbers, times and bytes.
fn needles(values: &Values, ty: &RustType, out: &mut BTreeSet<String>, visiting: &mut Vec<String>) {
    let found = match ty {
        RustType::I16 => "29517",
        RustType::I32 | RustType::DateTime(_) => "918273645",
        RustType::I64 => "918273645012",
        RustType::F32 => "9182.736",
        RustType::F64 => "91827.3645",
        RustType::BigInteger => "918273645012345",
        RustType::BigDecimal => "91827.3645012345",
        // The first bytes of the marker, as `Blob`'s `Debug` lists them.
        RustType::Blob => "115, 109, 105, 116, 104",
        RustType::List { item, .. } => return needles(values, item, out, visiting),
        RustType::Map { key, value, .. } => {
            needles(values, key, out, visiting);
            return needles(values, value, out, visiting);
        }
        RustType::Struct(t) | RustType::ErrorStruct(t) | RustType::Union(t) => {
            if visiting.contains(&t.name) || visiting.len() > MAX_DEPTH {
                return;
            }
            visiting.push(t.name.clone());
            if let Some(s) = values.structs.get(t.name.as_str()) {
                for field in &s.fields {
                    needles(values, &field.ty, out, visiting);
                }
            }
            if let Some(u) = values.unions.get(t.name.as_str()) {
                for ty in u.variants.iter().filter_map(|v| v.ty.as_ref()) {
                    needles(values, ty, out, visiting);
                }
            }
            visiting.pop();
            return;
        }
        _ => return,
    };
    out.insert(found.to_owned());
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

    /// Setter calls for the members of `s` on its builder: every member when
    /// `all` (those that cannot be built are left out unless required), else
    /// the required ones only; `skip` is left out. `None` when a required
    /// member cannot be built.
    fn fill(
        &self,
        s: &StructIr,
        marker: &str,
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
            let Some(value) = self.value(&field.ty, marker, all, visiting) else {
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

    /// An expression of type `ty` holding `marker` wherever text can go.
    /// For a secret (any marker but [`FILLER`]), numbers, times and blobs get
    /// the distinctive values [`needles`] looks for; for filler, plain ones.
    /// `None` for a structure that closes a cycle through required members.
    fn value(
        &self,
        ty: &RustType,
        marker: &str,
        all: bool,
        visiting: &mut Vec<String>,
    ) -> Option<TokenStream> {
        let rt = &self.ctx.rt;
        let root = &self.ctx.root;
        let text = lit(marker);
        let secret = marker != FILLER;
        let number = |distinctive: TokenStream, plain: TokenStream| {
            if secret {
                distinctive
            } else {
                plain
            }
        };
        Some(match ty {
            RustType::String => quote!(::std::string::String::from(#text)),
            RustType::Bool => quote!(true),
            RustType::I8 => number(quote!(97i8), quote!(1i8)),
            RustType::I16 => number(quote!(29517i16), quote!(1i16)),
            RustType::I32 => number(quote!(918273645i32), quote!(1i32)),
            RustType::I64 => number(quote!(918273645012i64), quote!(1i64)),
            RustType::F32 => number(quote!(9182.736f32), quote!(1.0f32)),
            RustType::F64 => number(quote!(91827.3645f64), quote!(1.0f64)),
            RustType::Blob => {
                quote!(#rt::primitives::Blob::new(::std::vec::Vec::from(#text.as_bytes())))
            }
            RustType::DateTime(_) => {
                let secs = number(quote!(918273645), quote!(0));
                quote!(#rt::primitives::DateTime::from_secs(#secs))
            }
            RustType::Document => {
                quote!(#rt::primitives::Document::String(::std::string::String::from(#text)))
            }
            RustType::BigInteger => {
                let digits = lit(if secret { "918273645012345" } else { "1" });
                quote!(#digits.parse::<#rt::primitives::BigInteger>().expect("a big integer"))
            }
            RustType::BigDecimal => {
                let digits = lit(if secret { "91827.3645012345" } else { "1" });
                quote!(#digits.parse::<#rt::primitives::BigDecimal>().expect("a big decimal"))
            }
            RustType::Enum(t) => {
                let name = ident(&t.name);
                quote!(<#root::types::#name as ::std::convert::From<&str>>::from(#text))
            }
            RustType::Struct(t) | RustType::ErrorStruct(t) => {
                let s = self.structs.get(t.name.as_str())?;
                if visiting.contains(&s.name) || visiting.len() > MAX_DEPTH {
                    return None;
                }
                visiting.push(s.name.clone());
                let calls = self.fill(s, marker, all, None, visiting);
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
                        Some(ty) => Some(self.value(ty, marker, all, visiting)?),
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
                let item = self.value(item, marker, all, visiting)?;
                if *sparse {
                    quote!(::std::vec![::std::option::Option::Some(#item)])
                } else {
                    quote!(::std::vec![#item])
                }
            }
            RustType::Map { key, value, sparse } => {
                let key = self.value(key, marker, all, visiting)?;
                let value = self.value(value, marker, all, visiting)?;
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

    #[test]
    fn every_sensitive_member_gets_a_test_that_is_valid_rust() {
        let model = Model::load(&[("sensitive.json", MODEL)]).expect("valid model");
        let service = lower(&model, &Selection::default()).expect("lowers");
        let ctx = Ctx::new("crate").expect("root path");
        let (items, coverage) = redaction_tests(&service, &ctx);
        assert_eq!(
            coverage,
            RedactionCoverage {
                members: 26,
                wholes: 3,
                skipped: 0
            }
        );
        let text = crate::output::format_file(items, "src/redaction_tests.rs").expect("valid Rust");
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
        // Numbers and times carry distinctive values the test looks for.
        assert!(text.contains("918273645i32"), "{text}");
        assert!(text.contains("\"918273645\""), "{text}");
        // Errors are also checked through `Display` and the operation error.
        assert!(text.contains("operation error to_string()"), "{text}");
    }
}
