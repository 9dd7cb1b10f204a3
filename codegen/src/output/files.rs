//! The module tree laid out as files: the `src/` files of a crate, one per
//! module not written inline, or one file of inline modules for `include!`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proc_macro2::{Delimiter, Group, TokenStream};
use quote::quote;

use super::format::{format_file, FormatError};
use crate::paths::{Definitions, Shortener, Tokens};
use crate::render::{ident, Ctx, Module};

/// The clippy lints generated code allows, each followed by a comma: shapes
/// of generated code that are correct but that clippy would flag in
/// hand-written code.
fn clippy_allows() -> TokenStream {
    quote! {
        clippy::enum_variant_names,
        clippy::large_enum_variant,
        clippy::result_large_err,
        clippy::module_inception,
        clippy::too_many_arguments,
        clippy::type_complexity,
        clippy::doc_lazy_continuation,
        clippy::doc_overindented_list_items,
    }
}

/// Lints allowed at the root of a generated crate: shapes of generated code
/// that are correct but that clippy would flag in hand-written code. No
/// rustdoc lint is allowed: model documentation is converted so that the
/// crate documents without a warning (`tests/doc-check` denies them all).
fn crate_allows() -> TokenStream {
    let clippy = clippy_allows();
    quote! {
        #![warn(missing_docs)]
        #![allow(
            #clippy
        )]
    }
}

fn inner_docs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#![doc = #text])
    });
    quote!(#(#attrs)*)
}

/// Lays the module tree out as the `src/` files of a crate, on the calling
/// thread: every file is rendered first, so that paths are shortened
/// knowing every name the crate defines.
pub fn crate_sources(root: &Module) -> Result<BTreeMap<PathBuf, String>, FormatError> {
    let files = crate_files(root);
    let ctx = Ctx::for_crate();
    let mut definitions = Definitions::default();
    let rendered: Vec<Vec<Tokens>> = files
        .iter()
        .map(|file| render_file(file, &ctx, &mut definitions))
        .collect();
    let shortener = crate_shortener(root, &definitions);
    files
        .iter()
        .zip(rendered)
        .map(|(file, items)| {
            Ok((
                file.path.clone(),
                format_crate_file(file, items, &shortener)?,
            ))
        })
        .collect()
}

/// One file of a crate's `src/`: where it goes and the module it holds.
pub(super) struct CrateFile<'t, 'a> {
    pub(super) path: PathBuf,
    module: &'t Module<'a>,
    /// Whether the module is the crate root, which carries the crate's
    /// attributes and declares `mod types` itself.
    root: bool,
}

/// The `src/` files of a crate, one per module that is not written inline,
/// in the order threads claim them (see `parallel::sources_on_threads`):
/// the files holding the most modules first, and otherwise the tree depth
/// first, parents before their children. Only the tree's shape is read;
/// nothing is rendered.
pub(super) fn crate_files<'t, 'a>(root: &'t Module<'a>) -> Vec<CrateFile<'t, 'a>> {
    fn add<'t, 'a>(
        module: &'t Module<'a>,
        path: PathBuf,
        children_dir: &Path,
        files: &mut Vec<CrateFile<'t, 'a>>,
    ) {
        files.push(CrateFile {
            path,
            module,
            root: files.is_empty(),
        });
        for child in module.children.iter().filter(|c| !c.inline) {
            add(
                &child.module,
                children_dir.join(format!("{}.rs", child.name)),
                &children_dir.join(&child.name),
                files,
            );
        }
    }
    let mut files = Vec::new();
    add(
        root,
        PathBuf::from("src/lib.rs"),
        Path::new("src"),
        &mut files,
    );
    // Files that hold many modules first: they are the biggest, and a big
    // file claimed last keeps one thread busy while the others wait.
    files.sort_by_key(|file| std::cmp::Reverse(modules_in_file(file.module)));
    files
}

/// How many modules a crate file of `module` holds: it and the modules
/// written inline in it.
fn modules_in_file(module: &Module) -> usize {
    1 + module
        .children
        .iter()
        .filter(|c| c.inline)
        .map(|c| modules_depth_first(&c.module).len())
        .sum::<usize>()
}

/// The items of a crate file's module and of the modules written inline in
/// it, rendered in the order [`inline_module`] takes them (depth first,
/// parents before their children), last first; adds the names they define
/// to `definitions`.
pub(super) fn render_file(
    file: &CrateFile,
    ctx: &Ctx,
    definitions: &mut Definitions,
) -> Vec<Tokens> {
    let mut modules = vec![file.module];
    for child in file.module.children.iter().filter(|c| c.inline) {
        modules.extend(modules_depth_first(&child.module));
    }
    render_modules(&modules, ctx, definitions)
}

/// The items of `modules`, last first (the order [`inline_module`] pops
/// them in); adds the names they define to `definitions`.
fn render_modules(modules: &[&Module], ctx: &Ctx, definitions: &mut Definitions) -> Vec<Tokens> {
    modules
        .iter()
        .rev()
        .map(|module| {
            let items = Tokens::from(module.items.render(ctx));
            definitions.add(&items);
            items
        })
        .collect()
}

/// `module` and every module under it, depth first, parents before their
/// children.
fn modules_depth_first<'t, 'a>(module: &'t Module<'a>) -> Vec<&'t Module<'a>> {
    let mut all = vec![module];
    for child in &module.children {
        all.extend(modules_depth_first(&child.module));
    }
    all
}

/// The shortener of a crate laid out from `root` whose items define `definitions`.
pub(super) fn crate_shortener(root: &Module, definitions: &Definitions) -> Shortener {
    Shortener::new(definitions, root.all_module_names())
}

/// The text of one crate file whose modules' items rendered as `items` (see
/// [`render_file`]): the module's docs and declarations of the children
/// that have files of their own, then its items and inline modules with
/// their paths shortened.
pub(super) fn format_crate_file(
    file: &CrateFile,
    mut items: Vec<Tokens>,
    shortener: &Shortener,
) -> Result<String, FormatError> {
    let module = file.module;
    let docs = inner_docs(&module.docs);
    let crate_attrs = file.root.then(crate_allows);
    let decls = module.children.iter().filter(|c| !c.inline).map(|child| {
        let name = ident(&child.name);
        if child.test_only {
            quote!(#[cfg(test)] mod #name;)
        } else if child.public {
            quote!(pub mod #name;)
        } else {
            quote!(pub(crate) mod #name;)
        }
    });
    let mut tokens = quote! {
        #docs
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #crate_attrs
        #(#decls)*
    };
    if let Some(own) = items.pop() {
        tokens.extend(shortener.module_items(own, file.root));
    }
    for child in module.children.iter().filter(|c| c.inline) {
        tokens.extend(inline_module(child, None, shortener, &mut items));
    }
    let display = file.path.to_string_lossy().replace('\\', "/");
    format_file(tokens, &display)
}

/// Lays the module tree out as one file of inline modules, for `include!`.
/// The root's documentation is left out (an included file cannot carry inner
/// attributes); each top-level module gets the crate's lint allowances.
pub fn single_file(root: &Module, ctx: &Ctx, file: &str) -> Result<String, FormatError> {
    let clippy = clippy_allows();
    let allows: TokenStream = quote!(#[allow(#clippy)]);
    // Every module's items, the tree depth first (the order `inline_module`
    // walks it in again).
    let mut definitions = Definitions::default();
    let mut rendered = render_modules(&modules_depth_first(root), ctx, &mut definitions);
    let shortener = crate_shortener(root, &definitions);
    // The root's items land in the includer's module, whose names are not
    // known here: they keep their absolute paths.
    let mut tokens = rendered.pop().map(TokenStream::from).unwrap_or_default();
    for child in &root.children {
        tokens.extend(inline_module(
            child,
            Some(&allows),
            &shortener,
            &mut rendered,
        ));
    }
    format_file(tokens, file)
}

/// A child module as an inline `mod`. `rendered` holds the items of the
/// modules not laid out yet, the next one last.
///
/// Its documentation is inner (`//!` inside the braces), as a module file's
/// is: rustdoc resolves the links of a module's inner documentation in the
/// module itself but those of outer documentation in its parent, and a
/// module's links must resolve the same whether it is a file of a crate or
/// inline (in a crate file, or in [`single_file`]).
fn inline_module(
    child: &crate::render::Child,
    attrs: Option<&TokenStream>,
    shortener: &Shortener,
    rendered: &mut Vec<Tokens>,
) -> TokenStream {
    let name = ident(&child.name);
    let vis = if child.public {
        quote!(pub)
    } else {
        quote!(pub(crate))
    };
    let mut body = inner_docs(&child.module.docs);
    if let Some(items) = rendered.pop() {
        body.extend(shortener.module_items(items, false));
    }
    for grandchild in &child.module.children {
        body.extend(inline_module(grandchild, None, shortener, rendered));
    }
    let body = Group::new(Delimiter::Brace, body);
    quote! {
        #attrs
        #vis mod #name #body
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{crate_sources_parallel, HEADER};
    use crate::render::Items;

    #[test]
    fn inline_modules_are_written_in_their_parents_file() {
        let leaf = |name: &'static str| {
            Module::leaf(
                vec![format!("Module {name}.")],
                Items::new(move |_| {
                    let s = ident(name);
                    quote!(pub struct #s(::std::option::Option<::smithgen_runtime::X>);)
                }),
            )
        };
        let mut root = Module::default();
        let mut parent = leaf("P");
        let mut inline = leaf("I");
        inline.inline_child("deeper", true, leaf("D"));
        parent.inline_child("inner", false, inline);
        parent.child("own", true, leaf("O"));
        root.child("parent", true, parent);
        root.child("other", true, leaf("Q"));

        // The file holding three modules is claimed first.
        let order: Vec<PathBuf> = crate_files(&root).into_iter().map(|f| f.path).collect();
        assert_eq!(
            order,
            [
                "src/parent.rs",
                "src/lib.rs",
                "src/other.rs",
                "src/parent/own.rs"
            ]
            .map(PathBuf::from)
        );
        let files = crate_sources_parallel(&root, 2).unwrap();
        assert_eq!(files, crate_sources(&root).unwrap());
        assert_eq!(files.len(), 4);
        let parent = &files[Path::new("src/parent.rs")];
        let expected = "\
//! Module P.
#![cfg_attr(rustfmt, rustfmt::skip)]
pub mod own;
use ::smithgen_runtime as rt;
pub struct P(Option<rt::X>);
pub(crate) mod inner {
    //! Module I.
    use ::smithgen_runtime as rt;
    pub struct I(Option<rt::X>);
    pub mod deeper {
        //! Module D.
        use ::smithgen_runtime as rt;
        pub struct D(Option<rt::X>);
    }
}
";
        assert_eq!(parent.strip_prefix(HEADER), Some(expected), "{parent}");
    }
}
