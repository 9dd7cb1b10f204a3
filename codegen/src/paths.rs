//! Path shortening, between rendering and formatting.
//!
//! The renderer writes every outside name as an absolute path
//! (`::std::option::Option`, `::smithgen_runtime::error::SdkError`), which is
//! always correct whatever the model names its shapes. Written that way a
//! crate is mostly paths: long lines that wrap, and more tokens to format and
//! compile. This pass rewrites them to the short forms a person would write:
//!
//! * a prelude path becomes its prelude name (`Option`, `Some`, `Default`);
//! * `::smithgen_runtime` becomes `rt`, and a module that uses it gets
//!   `use ::smithgen_runtime as rt;`;
//! * `crate::types::` becomes `types::`, and a module (other than the crate
//!   root, which declares `mod types`) that uses it gets `use crate::types;`.
//!
//! A short name is used only where nothing generated can shadow it: [`Shortener::new`]
//! is given every name the crate defines (`struct`, `enum`, `mod`, `fn`, `use ... as`, ...;
//! see [`Definitions`]) and keeps the absolute path for any prelude name the model reuses
//! (a shape called `Option`, say), for `rt` when a module or item is called `rt`, and for
//! `crate::types` when anything but the crate's `types` module is called `types`.

use std::collections::BTreeSet;

use proc_macro2::{Delimiter, Group, Ident, Spacing, Span, TokenStream, TokenTree};
use quote::quote;

/// Absolute paths and their prelude names. Longer paths come before their
/// prefixes (`Option::Some` before `Option`).
const PRELUDE: &[(&[&str], &str)] = &[
    (&["std", "option", "Option", "Some"], "Some"),
    (&["std", "option", "Option", "None"], "None"),
    (&["std", "option", "Option"], "Option"),
    (&["std", "result", "Result", "Ok"], "Ok"),
    (&["std", "result", "Result", "Err"], "Err"),
    (&["std", "result", "Result"], "Result"),
    (&["std", "string", "String"], "String"),
    (&["std", "vec", "Vec"], "Vec"),
    (&["std", "boxed", "Box"], "Box"),
    (&["std", "default", "Default"], "Default"),
    (&["std", "clone", "Clone"], "Clone"),
    (&["std", "marker", "Copy"], "Copy"),
    (&["std", "marker", "Send"], "Send"),
    (&["std", "marker", "Sync"], "Sync"),
    (&["std", "cmp", "PartialEq"], "PartialEq"),
    (&["std", "cmp", "Eq"], "Eq"),
    (&["std", "cmp", "PartialOrd"], "PartialOrd"),
    (&["std", "cmp", "Ord"], "Ord"),
    (&["std", "convert", "Into"], "Into"),
    (&["std", "convert", "From"], "From"),
    (&["std", "convert", "AsRef"], "AsRef"),
    (&["std", "iter", "IntoIterator"], "IntoIterator"),
    (&["std", "iter", "Iterator"], "Iterator"),
    (&["std", "iter", "Extend"], "Extend"),
    (&["std", "string", "ToString"], "ToString"),
    (&["std", "borrow", "ToOwned"], "ToOwned"),
];

/// The runtime crate's name in generated code (the renderer's paths start
/// with it) and the alias modules use for it.
pub(crate) const RUNTIME: &str = "smithgen_runtime";
const RUNTIME_ALIAS: &str = "rt";
/// The crate's module of shared shapes, which modules import by name.
const TYPES: &str = "types";

/// Keywords after which an identifier is a name being defined. (A `use`
/// defines the last name of its path, or the name after its `as`.)
const DEFINING: &[&str] = &[
    "struct", "enum", "union", "trait", "type", "mod", "fn", "static", "const",
];

/// Which short forms a crate may use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shortener {
    /// For each entry of [`PRELUDE`], whether its short name is free.
    prelude: Vec<bool>,
    /// Whether `rt` is free.
    runtime: bool,
    /// Whether `types` names only the crate's `types` module.
    types: bool,
}

/// The aliases a module's rewritten items use.
#[derive(Default)]
struct Used {
    runtime: bool,
    types: bool,
}

impl Shortener {
    /// A shortener that changes nothing.
    pub fn none() -> Shortener {
        Shortener {
            prelude: vec![false; PRELUDE.len()],
            runtime: false,
            types: false,
        }
    }

    /// The short forms free in a crate whose items define `defined` and
    /// whose modules are called `modules`.
    pub fn new<'a>(defined: &Definitions, modules: impl IntoIterator<Item = &'a str>) -> Shortener {
        let modules: Vec<&str> = modules.into_iter().collect();
        let defined = &defined.names;
        let types =
            !defined.contains(TYPES) && modules.iter().filter(|m| **m == TYPES).count() == 1;
        let taken = |name: &str| defined.contains(name) || modules.contains(&name);
        Shortener {
            prelude: PRELUDE.iter().map(|(_, short)| !taken(short)).collect(),
            runtime: !taken(RUNTIME_ALIAS),
            types,
        }
    }

    /// Rewrites the items of one module (`root`: the crate root). Returns them
    /// with `use ::smithgen_runtime as rt;` and `use crate::types;` in front
    /// when they use those aliases.
    pub fn module_items(&self, items: Tokens, root: bool) -> TokenStream {
        let mut used = Used::default();
        let mut tokens = self.rewrite(items.0, !root && self.types, &mut used);
        if !used.runtime && !used.types {
            return tokens.into_iter().collect();
        }
        let runtime_use = used.runtime.then(|| {
            let alias = Ident::new(RUNTIME_ALIAS, Span::call_site());
            let runtime = Ident::new(RUNTIME, Span::call_site());
            quote!(use ::#runtime as #alias;)
        });
        let types_use = used.types.then(|| {
            let types = Ident::new(TYPES, Span::call_site());
            quote!(use crate::#types;)
        });
        // After the module's inner attributes (`#![allow(..)]`), which must
        // come first.
        let mut split = 0;
        while let [TokenTree::Punct(hash), TokenTree::Punct(bang), TokenTree::Group(group), ..] =
            &tokens[split..]
        {
            if hash.as_char() != '#'
                || bang.as_char() != '!'
                || group.delimiter() != Delimiter::Bracket
            {
                break;
            }
            split += 3;
        }
        let rest = tokens.split_off(split);
        let mut out: TokenStream = tokens.into_iter().collect();
        out.extend(runtime_use);
        out.extend(types_use);
        out.extend(rest);
        out
    }

    /// `types`: whether `crate::types::` may become `types::`. Every token
    /// is moved, none copied.
    fn rewrite(&self, tokens: Vec<Token>, types: bool, used: &mut Used) -> Vec<TokenTree> {
        let mut out: Vec<TokenTree> = Vec::with_capacity(tokens.len());
        let mut rest = tokens.into_iter();
        loop {
            let ahead = rest.as_slice();
            if ahead.is_empty() {
                break;
            }
            if types && starts_types_path(ahead) && !continues_path(&out) {
                used.types = true;
                // `crate::types` becomes `types`.
                if let Some(Token::Tree(types)) = rest.nth(3) {
                    out.push(types);
                }
                continue;
            }
            if is_path_sep(ahead, 0) && starts_path(&out) {
                if let Some((len, replacement)) = self.match_at(ahead) {
                    if replacement == RUNTIME_ALIAS {
                        used.runtime = true;
                    }
                    out.push(TokenTree::Ident(Ident::new(replacement, Span::call_site())));
                    rest.nth(len - 1);
                    continue;
                }
            }
            match rest.next() {
                Some(Token::Group {
                    delimiter,
                    span,
                    tokens,
                }) => {
                    let inner = self.rewrite(tokens, types, used);
                    let mut group = Group::new(delimiter, inner.into_iter().collect());
                    group.set_span(span);
                    out.push(TokenTree::Group(group));
                }
                Some(Token::Tree(tree)) => out.push(tree),
                None => break,
            }
        }
        out
    }

    /// The number of tokens of an absolute path at the start of `tokens`
    /// that has a free short form, and that form.
    fn match_at(&self, tokens: &[Token]) -> Option<(usize, &'static str)> {
        let i = 0;
        let first = ident_at(tokens, i + 2)?;
        if first == "std" {
            for (entry, (segments, short)) in PRELUDE.iter().enumerate() {
                if !self.prelude[entry] {
                    continue;
                }
                // A longer path keeps its tail: `::std::string::String::new`
                // becomes `String::new`.
                if let Some(len) = match_segments(tokens, i, segments) {
                    return Some((len, short));
                }
            }
            None
        } else if first == RUNTIME && self.runtime && is_path_sep(tokens, i + 3) {
            Some((3, RUNTIME_ALIAS))
        } else {
            None
        }
    }
}

/// Whether `tokens` start with `crate::types::`.
fn starts_types_path(tokens: &[Token]) -> bool {
    ident_at(tokens, 0).is_some_and(|i| i == "crate")
        && is_path_sep(tokens, 1)
        && ident_at(tokens, 3).is_some_and(|i| i == TYPES)
        && is_path_sep(tokens, 4)
}

/// Whether the tokens written so far end in `::`, so that what follows
/// continues a path.
fn continues_path(out: &[TokenTree]) -> bool {
    matches!(out.last(), Some(TokenTree::Punct(p)) if p.as_char() == ':')
        && matches!(
            out.len().checked_sub(2).and_then(|i| out.get(i)),
            Some(TokenTree::Punct(q)) if q.as_char() == ':' && q.spacing() == Spacing::Joint
        )
}

/// Whether `::` starts at `i`.
fn is_path_sep(tokens: &[Token], i: usize) -> bool {
    matches!(
        (tokens.get(i), tokens.get(i + 1)),
        (Some(Token::Tree(TokenTree::Punct(a))), Some(Token::Tree(TokenTree::Punct(b))))
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
    )
}

/// Whether a `::` after the tokens written so far starts a path rather than
/// continuing one (`a::b`, `<T>::f`) or ending a label.
fn starts_path(out: &[TokenTree]) -> bool {
    match out.last() {
        None => true,
        Some(TokenTree::Ident(ident)) => {
            // After a keyword such as `as`, `for`, `impl` or `dyn`, a path starts.
            [
                "as", "for", "impl", "dyn", "in", "return", "where", "mut", "let", "match", "if",
                "else", "use", "pub", "struct", "enum", "move",
            ]
            .iter()
            .any(|keyword| ident == keyword)
        }
        Some(TokenTree::Punct(p)) => match p.as_char() {
            // `->` and `=>` end before a path; `<T>::f` continues one.
            '>' => matches!(
                out.len().checked_sub(2).and_then(|i| out.get(i)),
                Some(TokenTree::Punct(q))
                    if matches!(q.as_char(), '-' | '=') && q.spacing() == Spacing::Joint
            ),
            // `x: ::std`, but not the second half of a `::`.
            ':' => {
                p.spacing() == Spacing::Alone
                    && !matches!(
                        out.len().checked_sub(2).and_then(|i| out.get(i)),
                        Some(TokenTree::Punct(q)) if q.as_char() == ':'
                    )
            }
            '\'' => false,
            _ => true,
        },
        // Nothing continues a path after a group: `{ .. } ::std::..` is a new
        // statement.
        Some(TokenTree::Group(_)) => true,
        Some(TokenTree::Literal(_)) => false,
    }
}

fn ident_at(tokens: &[Token], i: usize) -> Option<&Ident> {
    match tokens.get(i) {
        Some(Token::Tree(TokenTree::Ident(ident))) => Some(ident),
        _ => None,
    }
}

/// The token count of `::seg1::seg2...` at `i`, if the tokens spell it.
fn match_segments(tokens: &[Token], i: usize, segments: &[&str]) -> Option<usize> {
    let mut at = i;
    for segment in segments {
        if !is_path_sep(tokens, at) {
            return None;
        }
        if ident_at(tokens, at + 2)? != segment {
            return None;
        }
        at += 3;
    }
    Some(at - i)
}

/// A module's items taken apart for the path pass, so that the pass can
/// read them (for the names they define) and then rewrite them without
/// copying a token. (A token stream can only be read by iterating over it,
/// which copies every token some other handle shares, as a group's own
/// handle shares its stream.)
pub struct Tokens(Vec<Token>);

enum Token {
    /// Any token but a group.
    Tree(TokenTree),
    Group {
        delimiter: Delimiter,
        span: Span,
        tokens: Vec<Token>,
    },
}

impl From<TokenStream> for Tokens {
    fn from(stream: TokenStream) -> Tokens {
        fn take_apart(stream: TokenStream) -> Vec<Token> {
            stream
                .into_iter()
                .map(|tree| match tree {
                    TokenTree::Group(group) => {
                        let (delimiter, span) = (group.delimiter(), group.span());
                        let stream = group.stream();
                        // The stream is now the only handle on its tokens,
                        // so iterating over it moves them.
                        drop(group);
                        Token::Group {
                            delimiter,
                            span,
                            tokens: take_apart(stream),
                        }
                    }
                    tree => Token::Tree(tree),
                })
                .collect()
        }
        Tokens(take_apart(stream))
    }
}

impl From<Tokens> for TokenStream {
    /// The tokens put back together, unchanged.
    fn from(tokens: Tokens) -> TokenStream {
        fn put_together(tokens: Vec<Token>) -> TokenStream {
            tokens
                .into_iter()
                .map(|token| match token {
                    Token::Tree(tree) => tree,
                    Token::Group {
                        delimiter,
                        span,
                        tokens,
                    } => {
                        let mut group = Group::new(delimiter, put_together(tokens));
                        group.set_span(span);
                        TokenTree::Group(group)
                    }
                })
                .collect()
        }
        put_together(tokens.0)
    }
}

/// The names a crate's items define (`struct`, `enum`, `mod`, `fn`,
/// `use ... as`, ...), gathered one module's items at a time: the names a
/// [`Shortener`] must not shorten to. Plain text, so the definitions gathered
/// on several threads can be merged.
#[derive(Clone, Debug, Default)]
pub struct Definitions {
    names: BTreeSet<String>,
}

impl Definitions {
    /// Adds the names `items` define.
    pub fn add(&mut self, items: &Tokens) {
        collect_definitions(&items.0, &mut self.names);
    }

    /// Adds the names `other` holds.
    pub fn merge(&mut self, other: Definitions) {
        if self.names.is_empty() {
            self.names = other.names;
        } else {
            self.names.extend(other.names);
        }
    }
}

/// Adds every name `tokens` define to `defined`: their items, and items in
/// their inline modules and function bodies. Associated items (`type Err` in
/// an `impl FromStr`) are not in a module's scope and are skipped.
fn collect_definitions(tokens: &[Token], defined: &mut BTreeSet<String>) {
    let mut previous: Option<&Ident> = None;
    let mut in_use = false;
    let mut last_in_use: Option<&Ident> = None;
    // Between `impl`/`trait` and the end of its body.
    let mut in_impl = false;
    for token in tokens {
        match token {
            Token::Tree(TokenTree::Ident(ident)) => {
                // An item `impl` or `trait`, not `impl Trait` in a signature.
                let starts_item = previous.is_none_or(|p| p == "unsafe" || p == "pub");
                if (ident == "impl" || ident == "trait") && starts_item {
                    in_impl = true;
                }
                if previous.is_some_and(|p| DEFINING.iter().any(|keyword| p == keyword)) {
                    let text = ident.to_string();
                    defined.insert(text.trim_start_matches("r#").to_owned());
                }
                if ident == "use" {
                    in_use = true;
                }
                if in_use {
                    last_in_use = Some(ident);
                }
                previous = Some(ident);
            }
            Token::Group {
                delimiter, tokens, ..
            } => {
                if in_use && *delimiter == Delimiter::Brace {
                    // `use a::{B, C};`: every name in the braces.
                    collect_use_group(tokens, defined);
                    last_in_use = None;
                } else if in_impl && *delimiter == Delimiter::Brace {
                    in_impl = false;
                } else {
                    collect_definitions(tokens, defined);
                }
                previous = None;
            }
            Token::Tree(TokenTree::Punct(p)) => {
                if p.as_char() == ';' && in_use {
                    if let Some(name) = last_in_use.take() {
                        defined.insert(name.to_string());
                    }
                    in_use = false;
                }
                if p.as_char() == '*' && in_use {
                    // A glob import could bring in anything: nothing is free.
                    defined.extend(PRELUDE.iter().map(|(_, short)| (*short).to_owned()));
                    defined.insert(RUNTIME_ALIAS.to_owned());
                }
                if p.as_char() != ':' {
                    previous = None;
                }
            }
            Token::Tree(TokenTree::Literal(_)) => previous = None,
            Token::Tree(TokenTree::Group(_)) => unreachable!("groups are taken apart"),
        }
    }
}

/// Names a braced use list brings into scope.
fn collect_use_group(tokens: &[Token], defined: &mut BTreeSet<String>) {
    let mut last: Option<&Ident> = None;
    for token in tokens {
        match token {
            Token::Tree(TokenTree::Ident(ident)) => last = Some(ident),
            Token::Tree(TokenTree::Punct(p)) if p.as_char() == ',' => {
                defined.extend(last.take().map(Ident::to_string));
            }
            Token::Tree(TokenTree::Punct(p)) if p.as_char() == '*' => {
                defined.extend(PRELUDE.iter().map(|(_, short)| (*short).to_owned()));
                defined.insert(RUNTIME_ALIAS.to_owned());
            }
            Token::Group { tokens, .. } => collect_use_group(tokens, defined),
            _ => {}
        }
    }
    defined.extend(last.map(Ident::to_string));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortener of a crate made of `streams` and of modules called `modules`.
    fn for_crate<'a>(
        streams: impl IntoIterator<Item = &'a TokenStream>,
        modules: impl IntoIterator<Item = &'a str>,
    ) -> Shortener {
        let mut defined = Definitions::default();
        for stream in streams {
            defined.add(&stream.clone().into());
        }
        Shortener::new(&defined, modules)
    }

    fn shorten(items: TokenStream) -> String {
        let shortener = for_crate([&items], []);
        shortener.module_items(items.into(), false).to_string()
    }

    #[test]
    fn prelude_and_runtime_paths_become_short() {
        let out = shorten(quote! {
            pub struct A { x: ::std::option::Option<::std::string::String> }
            fn f() -> ::std::result::Result<(), ::smithgen_runtime::error::BuildError> {
                let _ = ::std::option::Option::Some(1);
                ::std::result::Result::Ok(())
            }
        });
        assert_eq!(
            out,
            quote! {
                use ::smithgen_runtime as rt;
                pub struct A { x: Option<String> }
                fn f() -> Result<(), rt::error::BuildError> {
                    let _ = Some(1);
                    Ok(())
                }
            }
            .to_string()
        );
    }

    #[test]
    fn a_generated_name_keeps_its_absolute_path() {
        let items = quote! {
            pub struct Option { a: ::std::option::Option<u8>, b: ::std::string::String }
        };
        let out = shorten(items);
        assert!(out.contains(":: std :: option :: Option < u8 >"), "{out}");
        assert!(out.contains("b : String"), "{out}");
    }

    #[test]
    fn names_from_use_and_modules_are_seen() {
        let other = quote!(
            pub use self::_result::Result;
            pub mod rt;
        );
        let items = quote!(
            fn f() -> ::std::result::Result<(), ::smithgen_runtime::X> {}
        );
        let shortener = for_crate([&other, &items], []);
        let out = shortener
            .module_items(items.clone().into(), false)
            .to_string();
        assert_eq!(
            out,
            quote!(
                fn f() -> ::std::result::Result<(), ::smithgen_runtime::X> {}
            )
            .to_string()
        );
        let shortener = for_crate([&items], ["rt"]);
        let out = shortener
            .module_items(items.clone().into(), false)
            .to_string();
        assert_eq!(
            out,
            quote!(
                fn f() -> Result<(), ::smithgen_runtime::X> {}
            )
            .to_string()
        );
        let braced = quote!(
            pub use self::x::{Vec, Box as Boxed};
        );
        let shortener = for_crate([&braced], []);
        let out = shortener
            .module_items(quote!(::std::vec::Vec<::std::boxed::Box<u8>>).into(), false)
            .to_string();
        // `Box as Boxed` brings in `Boxed`, not `Box`.
        assert_eq!(out, quote!(::std::vec::Vec<Box<u8>>).to_string());
    }

    #[test]
    fn only_whole_absolute_paths_are_rewritten() {
        // Not absolute: a path that merely contains the segments.
        let out = shorten(quote!(
            fn f() -> my::std::option::Option<u8> {}
        ));
        assert_eq!(
            out,
            quote!(
                fn f() -> my::std::option::Option<u8> {}
            )
            .to_string()
        );
        // A longer path than any known one keeps its tail.
        let out = shorten(quote!(let s = ::std::string::String::new();));
        assert_eq!(out, quote!(let s = String::new();).to_string());
        // Text in literals is never touched.
        let out = shorten(quote!(
            const S: &str = "::std::option::Option";
        ));
        assert_eq!(
            out,
            quote!(
                const S: &str = "::std::option::Option";
            )
            .to_string()
        );
    }

    #[test]
    fn associated_items_do_not_count() {
        let out = shorten(quote! {
            impl ::std::str::FromStr for X { type Err = (); fn f() {} }
            fn g() -> ::std::result::Result<(), ()> { ::std::result::Result::Err(()) }
        });
        assert!(
            out.ends_with("fn g () -> Result < () , () > { Err (()) }"),
            "{out}"
        );
        let out = shorten(quote! {
            fn g() { struct Err; }
            fn h() -> ::std::result::Result<(), ()> { ::std::result::Result::Err(()) }
        });
        // `Err` is taken in `g`, so the variant keeps its enum's path.
        assert!(out.ends_with("{ Result :: Err (()) }"), "{out}");
    }

    #[test]
    fn paths_after_blocks_and_keywords() {
        let out = shorten(quote! {
            fn f() -> ::std::result::Result<(), ()> {
                if x { return ::std::result::Result::Err(()); }
                ::std::result::Result::Ok(())
            }
        });
        assert_eq!(
            out,
            quote!(
                fn f() -> Result<(), ()> {
                    if x {
                        return Err(());
                    }
                    Ok(())
                }
            )
            .to_string()
        );
    }

    #[test]
    fn the_alias_comes_after_inner_attributes() {
        let out = shorten(quote! {
            #![allow(dead_code)]
            fn f() -> ::smithgen_runtime::X {}
        });
        assert_eq!(
            out,
            quote! {
                #![allow(dead_code)]
                use ::smithgen_runtime as rt;
                fn f() -> rt::X {}
            }
            .to_string()
        );
    }

    #[test]
    fn tokens_taken_apart_go_back_together_unchanged() {
        let items = quote! {
            #![allow(dead_code)]
            pub mod m { fn f(x: [u8; 2]) -> (u8,) { (x[0],) } }
            impl A { const B: &str = "{}"; }
        };
        let text = items.to_string();
        assert_eq!(TokenStream::from(Tokens::from(items)).to_string(), text);
    }

    #[test]
    fn the_none_shortener_changes_nothing() {
        let items = quote!(
            fn f() -> ::std::option::Option<::smithgen_runtime::X> {}
        );
        assert_eq!(
            Shortener::none()
                .module_items(items.clone().into(), false)
                .to_string(),
            items.to_string()
        );
    }

    #[test]
    fn crate_types_paths_use_an_imported_module_name() {
        let items = quote! {
            #![allow(dead_code)]
            pub struct A { b: crate::types::B, e: crate::types::error::E }
            fn f() -> crate::types::B { crate::types::_b::de() }
            fn g(x: other::crate::types::B) {}
        };
        let shortener = for_crate([&items], ["types", "operation"]);
        let out = shortener
            .module_items(items.clone().into(), false)
            .to_string();
        assert_eq!(
            out,
            quote! {
                #![allow(dead_code)]
                use crate::types;
                pub struct A { b: types::B, e: types::error::E }
                fn f() -> types::B { types::_b::de() }
                fn g(x: other::crate::types::B) {}
            }
            .to_string()
        );
        // The crate root declares `mod types` itself: its paths stay.
        let out = shortener
            .module_items(items.clone().into(), true)
            .to_string();
        assert_eq!(out, items.to_string());
    }

    #[test]
    fn crate_types_paths_stay_when_something_else_is_called_types() {
        let items = quote!(
            fn f() -> crate::types::B {}
        );
        // A second module called `types`, or an item of that name.
        for shortener in [
            for_crate([&items], ["types", "types"]),
            for_crate(
                [
                    &items,
                    &quote!(
                        pub struct types;
                    ),
                ],
                ["types"],
            ),
            for_crate(
                [
                    &items,
                    &quote!(
                        use x::y as types;
                    ),
                ],
                ["types"],
            ),
        ] {
            let out = shortener
                .module_items(items.clone().into(), false)
                .to_string();
            assert_eq!(out, items.to_string());
        }
    }
}
