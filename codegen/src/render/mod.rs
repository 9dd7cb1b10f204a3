//! Rendering: the IR becomes a tree of modules whose items render to token
//! streams.
//!
//! The tree's shape is decided from the IR alone; each module's items are
//! rendered when its file is laid out (see [`Items`]). No I/O and no
//! formatting happen here; [`crate::output`] lays the tree out as files of a
//! crate, or as one file of inline modules for `include!`.

mod customizations;
mod endpoint_config;
mod endpoint_tests;
mod error;
mod json;
mod operation;
mod paginator;
mod protocol;
pub mod protocol_tests;
pub use endpoint_tests::endpoint_tests_module;
mod redaction_tests;
pub use redaction_tests::{redaction_tests, redaction_tests_module, RedactionCoverage};
mod shapes;
mod values;
mod waiters;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::ir::*;

/// A module of generated code: its documentation, its items, and its child
/// modules.
///
/// The tree's shape (names, documentation, children, and so the files it is
/// laid out as) is decided when the tree is built; the items are rendered on
/// demand, module by module (see [`Items`]).
#[derive(Debug, Default)]
pub struct Module<'a> {
    pub docs: Vec<String>,
    pub items: Items<'a>,
    /// Child modules by name, in name order.
    pub children: Vec<Child<'a>>,
}

#[derive(Debug)]
pub struct Child<'a> {
    pub name: String,
    /// Whether the module is `pub` (otherwise `pub(crate)`).
    pub public: bool,
    /// Compiled only for the crate's own tests.
    pub test_only: bool,
    /// Written inside its parent's file (`mod name { .. }`, as are its own
    /// children) rather than in a file of its own: for small modules, where
    /// a file and a directory each would cost more than the code.
    pub inline: bool,
    pub module: Module<'a>,
}

/// What renders one module's items from the IR (`'a`), called when the
/// module's file is formatted.
///
/// Token streams are neither `Send` nor `Sync`, so a tree of finished tokens
/// could only be used on the thread that rendered it. Renderers are both: one
/// tree serves every thread that formats a crate, and each module is rendered
/// once, on the thread that formats its file.
#[derive(Default)]
pub struct Items<'a> {
    /// Rendered in order and concatenated.
    parts: Vec<Renderer<'a>>,
}

type Renderer<'a> = Box<dyn Fn(&Ctx) -> TokenStream + Send + Sync + 'a>;

impl<'a> Items<'a> {
    /// The items `render` gives.
    pub fn new(render: impl Fn(&Ctx) -> TokenStream + Send + Sync + 'a) -> Items<'a> {
        Items {
            parts: vec![Box::new(render)],
        }
    }

    /// Adds the items `render` gives after the others.
    pub fn push(&mut self, render: impl Fn(&Ctx) -> TokenStream + Send + Sync + 'a) {
        self.parts.push(Box::new(render));
    }

    /// Renders the items. `ctx` must name the root the tree was built for.
    pub fn render(&self, ctx: &Ctx) -> TokenStream {
        let mut parts = self.parts.iter();
        let mut tokens = match parts.next() {
            Some(first) => first(ctx),
            None => return TokenStream::new(),
        };
        for part in parts {
            tokens.extend(part(ctx));
        }
        tokens
    }
}

impl std::fmt::Debug for Items<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("parts", &self.parts.len())
            .finish()
    }
}

impl<'a> Module<'a> {
    /// A module without children.
    pub fn leaf(docs: Vec<String>, items: Items<'a>) -> Module<'a> {
        Module {
            docs,
            items,
            children: Vec::new(),
        }
    }

    /// The names of every module under this one.
    pub fn all_module_names(&self) -> Vec<&str> {
        let mut all = Vec::new();
        for child in &self.children {
            all.push(child.name.as_str());
            all.extend(child.module.all_module_names());
        }
        all
    }

    /// Adds a child module laid out in a file of its own.
    pub(crate) fn child(&mut self, name: &str, public: bool, module: Module<'a>) {
        self.insert_child(name, public, false, module);
    }

    /// Adds a child module laid out inside this module's file.
    pub(crate) fn inline_child(&mut self, name: &str, public: bool, module: Module<'a>) {
        self.insert_child(name, public, true, module);
    }

    fn insert_child(&mut self, name: &str, public: bool, inline: bool, module: Module<'a>) {
        // Kept in name order by inserting in place (a stable sort after each
        // push would make a service of thousands of types quadratic).
        let at = self.children.partition_point(|c| c.name.as_str() <= name);
        self.children.insert(
            at,
            Child {
                name: name.to_owned(),
                public,
                test_only: false,
                inline,
                module,
            },
        );
    }
}

/// Paths the generated code uses to reach its own crate root and the runtime.
#[derive(Clone, Debug)]
pub struct Ctx {
    /// The generated code's root: `crate`, or `crate::path::to::module` when included.
    pub root: TokenStream,
    /// The same path as text, for documentation links.
    pub root_str: String,
    pub rt: TokenStream,
}

impl Ctx {
    /// Parses a root path such as `crate` or `crate::cognito`.
    pub fn new(root: &str) -> Result<Ctx, String> {
        let path: syn::Path =
            syn::parse_str(root).map_err(|e| format!("`{root}` is not a Rust path: {e}"))?;
        Ok(Ctx {
            root: quote!(#path),
            root_str: root.replace(' ', ""),
            rt: runtime_path(),
        })
    }

    /// The context of a crate's own code, whose root is `crate` (what
    /// `Ctx::new("crate")` gives, without parsing).
    pub fn for_crate() -> Ctx {
        Ctx {
            root: quote!(crate),
            root_str: "crate".to_owned(),
            rt: runtime_path(),
        }
    }
}

/// `::smithgen_runtime`.
fn runtime_path() -> TokenStream {
    let runtime = Ident::new(crate::paths::RUNTIME, Span::call_site());
    quote!(::#runtime)
}

/// The whole service as a module tree, its items to be rendered (see
/// [`Items`]) with a context for the root the tree is laid out at.
pub fn render(service: &ServiceIr) -> Module<'_> {
    let mut root = Module {
        docs: crate_docs(service),
        items: Items::new(move |ctx| root_items(service, ctx)),
        children: Vec::new(),
    };
    if service.endpoint_rules.is_some() {
        root.child(
            "endpoint_rules",
            false,
            Module::leaf(
                vec!["The service's endpoint rule set, from the model.".to_owned()],
                Items::new(move |ctx| endpoint_rules_items(service, ctx)),
            ),
        );
    }
    let mut client = Module::leaf(
        vec!["The service client.".to_owned()],
        Items::new(move |ctx| operation::client_items(service, ctx)),
    );
    if let Some(waiters) = waiters::waiters_module(service) {
        client
            .items
            .push(move |ctx| waiters::client_items(service, ctx));
        root.child("waiters", true, waiters);
    }
    root.child("client", true, client);
    let mut config = Module::leaf(
        vec!["Configuration for the service client.".to_owned()],
        Items::new(move |ctx| {
            let rt = &ctx.rt;
            // The bearer token type, for services with an operation that
            // takes one (re-exported only there, so others keep their API).
            let token = service
                .operations
                .iter()
                .any(|op| op.auth.contains(&AuthScheme::HttpBearer))
                .then(|| quote!(pub use #rt::config::Token;));
            quote! {
                pub use #rt::config::{Builder, Config};
                pub use #rt::credentials::Credentials;
                #token
                pub use #rt::{retry, timeout};
            }
        }),
    );
    if service.endpoint_rules.is_some() {
        config.inline_child(
            "endpoint",
            true,
            Module::leaf(
                vec![
                    "Endpoint resolution: the rules' parameters and the default resolver."
                        .to_owned(),
                ],
                Items::new(move |ctx| endpoint_config::endpoint_config_items(service, ctx)),
            ),
        );
    }
    root.child("config", true, config);
    root.child(
        "error",
        true,
        Module::leaf(
            vec!["Errors shared by every operation.".to_owned()],
            Items::new(|ctx| {
                let rt = &ctx.rt;
                quote! {
                    pub use #rt::error::{BuildError, ErrorMetadata, ProvideErrorMetadata, SdkError, Unhandled};
                }
            }),
        ),
    );
    root.child(
        "primitives",
        true,
        Module::leaf(
            vec!["Primitive types used by the model's shapes.".to_owned()],
            Items::new(|ctx| {
                let rt = &ctx.rt;
                // The stream types, for crates that send or read streams.
                let streams = service.has_byte_streams().then(|| {
                    quote!(pub use #rt::primitives::{AggregatedBytes, ByteStream, SdkBody};)
                });
                quote! {
                    pub use #rt::primitives::{BigDecimal, BigInteger, Blob, DateTime, Document, UnknownVariantValue};
                    #streams
                }
            }),
        ),
    );
    let mut operations = Module {
        docs: vec!["Operations of the service, each with its input, output and error.".to_owned()],
        ..Module::default()
    };
    for op in &service.operations {
        // The child's name is its file's name: `r#match` lives in `match.rs`.
        let name = op.module.trim_start_matches("r#");
        operations.child(
            name,
            true,
            operation::operation_module(op, service.protocol),
        );
    }
    root.child("operation", true, operations);
    root.child("types", true, shapes::types_module(service));
    root
}

/// The crate root's items: the re-exports of the client and its
/// configuration, and the service's wire identity.
fn root_items(service: &ServiceIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let target_prefix = &service.target_prefix;
    let endpoint_prefix = &service.endpoint_prefix;
    let signing_name = &service.signing_name;
    let protocol = ident(protocol::of(service.protocol).runtime_variant());
    let query_compatible = service.query_compatible;
    let endpoint_rules = if service.endpoint_rules.is_some() {
        quote!(::std::option::Option::Some(&endpoint_rules::RULES))
    } else {
        quote!(::std::option::Option::None)
    };
    quote! {
        pub use client::Client;
        pub use config::Config;

        /// The service's wire identity, shared by every operation.
        pub(crate) static SERVICE: #rt::spec::ServiceSpec = #rt::spec::ServiceSpec {
            target_prefix: #target_prefix,
            endpoint_prefix: #endpoint_prefix,
            signing_name: #signing_name,
            protocol: #rt::protocol::Protocol::#protocol,
            query_compatible: #query_compatible,
            endpoint_rules: #endpoint_rules,
        };
    }
}

/// `endpoint_rules`: the service's rule set as the runtime parses it.
fn endpoint_rules_items(service: &ServiceIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let rules = lit(service.endpoint_rules.as_deref().unwrap_or_default());
    quote! {
        /// Parsed on first use; resolved on every request.
        pub(crate) static RULES: #rt::endpoint::EndpointRules = #rt::endpoint::EndpointRules::new(#rules);
    }
}

fn crate_docs(service: &ServiceIr) -> Vec<String> {
    let title = crate::docs::plain_text(&service.title);
    let mut docs = vec![format!("Client for {title}."), String::new()];
    docs.extend(service.docs.iter().cloned());
    docs
}

/// An identifier from a name lowering decided (`r#type` becomes a raw identifier).
/// Names are checked in lowering; anything else is made valid rather than panic.
pub(crate) fn ident(name: &str) -> Ident {
    if let Some(raw) = name.strip_prefix("r#") {
        let plain = raw.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if plain && !["self", "Self", "super", "crate", "_"].contains(&raw) {
            return Ident::new_raw(raw, Span::call_site());
        }
    }
    if is_ident(name) {
        return Ident::new(name, Span::call_site());
    }
    let mut cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if cleaned.is_empty() || cleaned.starts_with(|c: char| c.is_ascii_digit()) {
        cleaned.insert(0, '_');
    }
    // A keyword becomes a raw identifier, or gets a suffix when it cannot be raw.
    let escaped = crate::naming::escape_ident(&cleaned);
    match escaped.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(&escaped, Span::call_site()),
    }
}

fn is_ident(name: &str) -> bool {
    // The common case, plain ASCII, is decided without parsing.
    if name.is_ascii() {
        return name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name != "_"
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !crate::naming::is_keyword(name);
    }
    !name.starts_with("r#") && syn::parse_str::<Ident>(name).is_ok()
}

/// The first paragraph of documentation lines: what rustdoc shows as the
/// item's summary.
pub(crate) fn summary(docs: &[String]) -> &[String] {
    let end = docs
        .iter()
        .position(|line| line.trim().is_empty())
        .unwrap_or(docs.len());
    &docs[..end]
}

/// One documentation line as a `#[doc]` attribute holds it: with the
/// leading space prettyplease keeps. A line holding a line break or a
/// control character (which only a generator bug could put there) has it
/// replaced, so it prints as one `///` line.
fn doc_line(line: &str) -> String {
    if line.is_empty() {
        String::new()
    } else {
        format!(" {}", crate::docs::one_line(line))
    }
}

/// The runtime macro that declares a structure member's getter.
pub(crate) const GETTER_MACRO: &str = "getter";
/// The runtime macro that declares a structure's `builder()`.
pub(crate) const BUILDER_FN_MACRO: &str = "builder_fn";
/// The runtime macro that declares a builder's setters for one member, and
/// (`[inner]`) a fluent builder's.
pub(crate) const BUILDER_SETTERS_MACRO: &str = "builder_setters";
/// The runtime macro that declares a structure's `de_builder`.
pub(crate) const DE_BUILDER_MACRO: &str = "de_builder";
/// The runtime macro that implements `ReadJson` for a structure.
pub(crate) const READ_JSON_MACRO: &str = "read_json";
/// The runtime macro that implements an error structure's metadata,
/// `Display`, `Error` and `ParseModeledError`.
pub(crate) const MODELED_ERROR_MACRO: &str = "modeled_error";
/// The runtime macro that declares an operation's spec, type and `de_output`.
pub(crate) const OPERATION_MACRO: &str = "operation";
/// The runtime macro that implements a fluent builder's `new`, `as_input`
/// and `send`.
pub(crate) const FLUENT_BUILDER_MACRO: &str = "fluent_builder";
/// The runtime macro that implements an operation error enum's helpers and
/// error impls.
pub(crate) const OPERATION_ERROR_MACRO: &str = "operation_error";
/// The runtime macro that implements `Clone`, `PartialEq` and `Debug` for a
/// structure and the builder that holds it, and the builder's `Default`.
pub(crate) const HOLDING_BUILDER_MACRO: &str = "holding_builder";
/// The field of a builder that holds its structure
/// ([`StructIr::builder_holds_structure`]).
pub(crate) const HELD_STRUCTURE_FIELD: &str = "inner";

/// The path from a builder to its members' fields: `inner` when the
/// builder holds its structure, nothing when the fields are its own.
pub(crate) fn builder_via(s: &StructIr) -> Option<proc_macro2::Ident> {
    s.builder_holds_structure()
        .then(|| ident(HELD_STRUCTURE_FIELD))
}

/// `recv.field`, or `recv.inner.field`: the field of member `field` (its
/// Rust name) in builder `recv`.
pub(crate) fn builder_field(s: &StructIr, recv: TokenStream, field: &str) -> TokenStream {
    let fname = ident(field);
    match builder_via(s) {
        Some(via) => quote!(#recv.#via.#fname),
        None => quote!(#recv.#fname),
    }
}

/// The macros whose calls the output pass keeps on one line (see
/// `output::one_line_macros`): each member's accessors, the list of members
/// a `de_builder` reads, a structure's `read_json`, an error structure's
/// `modeled_error`, an operation's `operation` and a fluent builder's
/// `fluent_builder`, a structure's `builder_fn`, a holding builder's
/// `holding_builder`, and an operation error enum's `operation_error`.
pub(crate) const ONE_LINE_MACROS: [&str; 10] = [
    GETTER_MACRO,
    OPERATION_ERROR_MACRO,
    HOLDING_BUILDER_MACRO,
    BUILDER_FN_MACRO,
    BUILDER_SETTERS_MACRO,
    DE_BUILDER_MACRO,
    READ_JSON_MACRO,
    MODELED_ERROR_MACRO,
    OPERATION_MACRO,
    FLUENT_BUILDER_MACRO,
];
/// `#[doc]` attributes, one per line.
pub(crate) fn doc_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let text = raw_lit(&doc_line(line));
        quote!(#[doc = #text])
    });
    quote!(#(#attrs)*)
}

/// A raw string literal (`r"…"`, `r#"…"#`...) holding `s`. prettyplease
/// prints a `#[doc]` attribute's value as a `///` line whatever the
/// literal's form, and a raw literal is neither escaped here nor unescaped
/// when parsed: documentation is most of the text the generator writes.
fn raw_lit(s: &str) -> Literal {
    let hashes = "#".repeat(raw_hashes(s));
    format!("r{hashes}\"{s}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| lit(s))
}

/// How many `#`s a raw string literal holding `s` needs: one more than the
/// longest run of them after a `"` in `s`.
fn raw_hashes(s: &str) -> usize {
    let mut longest = None;
    for (i, _) in s.match_indices('"') {
        let run = s[i + 1..].bytes().take_while(|&b| b == b'#').count();
        longest = longest.max(Some(run));
    }
    longest.map_or(0, |n| n + 1)
}

/// Documentation lines as one string literal for a `#[doc = ..]` a macro
/// writes: the lines of [`doc_attrs`] joined by line breaks.
pub(crate) fn doc_lit(lines: &[String]) -> Literal {
    let text: Vec<String> = lines.iter().map(|line| doc_line(line)).collect();
    lit(&text.join("\n"))
}

/// `#[allow(clippy::should_implement_trait)]` for an impl block whose member
/// methods include one named like a standard trait's method (`clone`, `add`...).
pub(crate) fn allow_trait_like_methods(fields: &[FieldIr]) -> TokenStream {
    if fields
        .iter()
        .any(|f| crate::naming::is_trait_method_name(f.name.trim_start_matches("r#")))
    {
        quote!(#[allow(clippy::should_implement_trait)])
    } else {
        TokenStream::new()
    }
}

/// A string literal token.
pub(crate) fn lit(s: &str) -> Literal {
    Literal::string(s)
}

/// The Rust type of a value (without `Option` or `Box`).
pub(crate) fn type_tokens(ty: &RustType, ctx: &Ctx) -> TokenStream {
    let root = &ctx.root;
    let rt = &ctx.rt;
    match ty {
        RustType::String => quote!(::std::string::String),
        RustType::Bool => quote!(bool),
        RustType::I8 => quote!(i8),
        RustType::I16 => quote!(i16),
        RustType::I32 => quote!(i32),
        RustType::I64 => quote!(i64),
        RustType::F32 => quote!(f32),
        RustType::F64 => quote!(f64),
        RustType::Blob => quote!(#rt::primitives::Blob),
        RustType::ByteStream { .. } => quote!(#rt::primitives::ByteStream),
        RustType::DateTime(_) => quote!(#rt::primitives::DateTime),
        RustType::Document => quote!(#rt::primitives::Document),
        RustType::BigInteger => quote!(#rt::primitives::BigInteger),
        RustType::BigDecimal => quote!(#rt::primitives::BigDecimal),
        RustType::Enum(t) | RustType::Struct(t) | RustType::Union(t) => {
            let name = ident(&t.name);
            quote!(#root::types::#name)
        }
        RustType::ErrorStruct(t) => {
            let name = ident(&t.name);
            quote!(#root::types::error::#name)
        }
        RustType::List { item, sparse } => {
            let item = type_tokens(item, ctx);
            if *sparse {
                quote!(::std::vec::Vec<::std::option::Option<#item>>)
            } else {
                quote!(::std::vec::Vec<#item>)
            }
        }
        RustType::Map { key, value, sparse } => {
            let key = type_tokens(key, ctx);
            let value = type_tokens(value, ctx);
            if *sparse {
                quote!(::std::collections::HashMap<#key, ::std::option::Option<#value>>)
            } else {
                quote!(::std::collections::HashMap<#key, #value>)
            }
        }
    }
}

/// The type a field holds once present: the value type, boxed when recursive.
pub(crate) fn stored_type(field: &FieldIr, ctx: &Ctx) -> TokenStream {
    let ty = type_tokens(&field.ty, ctx);
    if field.boxed {
        quote!(::std::boxed::Box<#ty>)
    } else {
        ty
    }
}

/// The type of the struct field itself.
pub(crate) fn field_type(field: &FieldIr, ctx: &Ctx) -> TokenStream {
    let ty = stored_type(field, ctx);
    if field.optional {
        quote!(::std::option::Option<#ty>)
    } else {
        ty
    }
}

pub(crate) const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// What the renderer's tests share: small models lowered from JSON, and
/// the macro calls in rendered tokens.
#[cfg(test)]
pub(crate) mod test_support {
    use proc_macro2::TokenStream;
    use serde_json::{json, Value};

    use crate::ir::ServiceIr;
    use crate::lower::{lower, Selection};
    use crate::model::Model;

    /// Lowers the model of `shapes` (a JSON AST `shapes` object), after adding
    /// each of `added` as `ex#<name>` and listing it in `shapes[owner][list]`
    /// (a service's `operations`, say, or an operation's `errors`).
    pub(crate) fn lower_with(
        mut shapes: Value,
        owner: &str,
        list: &str,
        added: Value,
    ) -> ServiceIr {
        for (name, shape) in added.as_object().expect("shapes to add") {
            let id = format!("ex#{name}");
            shapes[owner][list]
                .as_array_mut()
                .expect("a list to add to")
                .push(json!({ "target": id }));
            shapes[id] = shape.clone();
        }
        let text = json!({"smithy": "2.0", "shapes": shapes}).to_string();
        let model = Model::load(&[("test.json", &text)]).expect("test model is valid");
        lower(&model, &Selection::default()).expect("lowers")
    }

    /// `tokens` as text without spaces, and the arguments of its first
    /// `name!(..);` call in that form.
    pub(crate) fn macro_call(tokens: &TokenStream, name: &str) -> (String, String) {
        let text = tokens.to_string().replace(' ', "");
        let call = text
            .split_once(&format!("{name}!("))
            .and_then(|(_, rest)| rest.split_once(");"))
            .map(|(args, _)| args.to_owned())
            .unwrap_or_else(|| panic!("no {name}! call in {text}"));
        (text, call)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_doc_literals_need_a_hash_more_than_any_run_after_a_quote() {
        assert_eq!(raw_hashes("plain"), 0);
        assert_eq!(raw_hashes(r#"say "hi""#), 1);
        assert_eq!(raw_hashes(r##"a "# b"##), 2);
        assert_eq!(raw_hashes(r###"a "## b "# c"###), 3);
        for text in [
            "plain",
            r#"say "hi""#,
            r##"a "# b \n"##,
            "ends with a quote\"",
        ] {
            let literal = raw_lit(text);
            let parsed: syn::LitStr = syn::parse2(quote!(#literal)).unwrap();
            assert_eq!(parsed.value(), text, "{literal}");
        }
    }

    #[test]
    fn doc_attributes_print_as_the_lines_given() {
        let lines = [
            "Quotes \"#like this\"# and a backslash \\n.".to_owned(),
            String::new(),
            "Second paragraph.".to_owned(),
        ];
        let attrs = doc_attrs(&lines);
        let file: syn::File = syn::parse2(quote!(#attrs pub struct S;)).unwrap();
        assert_eq!(
            prettyplease::unparse(&file),
            "/// Quotes \"#like this\"# and a backslash \\n.\n///\n/// Second paragraph.\npub struct S;\n"
        );
    }
}
