//! A crate's files rendered, shortened and formatted on several threads.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::files::{crate_files, crate_shortener, format_crate_file, render_file, CrateFile};
use super::format::FormatError;
use crate::paths::{Definitions, Shortener};
use crate::render::{Ctx, Module};

/// [`crate_sources`] on `threads` threads, the calling thread among them.
///
/// Token streams cannot cross threads, so each file is rendered, shortened
/// and formatted by the thread that claims it from a shared counter; files
/// are claimed in order, so the threads share the work whatever each file
/// costs. Shortening depends on every name the crate defines, which is
/// known only once every file is rendered. The threads do not wait for it:
/// they shorten with the names the module tree gives (see [`Shortener::new`])
/// as if no item took a short name, and collect the names their files
/// define. When an item does take one (a shape called `Option`, say), the
/// crate is rendered and formatted again with the shortener of all the
/// definitions. Either way the text depends only on the tree, not on which
/// thread does what, and is what [`crate_sources`] gives.
///
/// A panic on any thread is resumed on the calling thread. When files fail
/// to format, the error is that of the first of them in the order files are
/// claimed (see `crate_files`), whatever the number of threads.
///
/// [`crate_sources`]: super::crate_sources
pub fn crate_sources_parallel(
    root: &Module,
    threads: usize,
) -> Result<BTreeMap<PathBuf, String>, FormatError> {
    let files = crate_files(root);
    let guess = crate_shortener(root, &Definitions::default());
    let (sources, definitions) = sources_on_threads(&files, &guess, threads)?;
    let shortener = crate_shortener(root, &definitions);
    if shortener == guess {
        return Ok(sources);
    }
    sources_on_threads(&files, &shortener, threads).map(|(sources, _)| sources)
}

/// Renders, shortens with `shortener` and formats `files` on `threads`
/// threads; also gives the names the files define.
fn sources_on_threads(
    files: &[CrateFile],
    shortener: &Shortener,
    threads: usize,
) -> Result<(BTreeMap<PathBuf, String>, Definitions), FormatError> {
    let next = AtomicUsize::new(0);
    // Set when a file fails: no file after it is claimed.
    let failed = AtomicBool::new(false);
    let shares = crate::in_shares(threads, |_| {
        let ctx = Ctx::for_crate();
        let mut done = Done {
            sources: Vec::new(),
            definitions: Definitions::default(),
            failure: None,
        };
        while !failed.load(Ordering::Relaxed) {
            let number = next.fetch_add(1, Ordering::Relaxed);
            let Some(file) = files.get(number) else { break };
            let items = render_file(file, &ctx, &mut done.definitions);
            match format_crate_file(file, items, shortener) {
                Ok(text) => done.sources.push((file.path.clone(), text)),
                Err(e) => {
                    failed.store(true, Ordering::Relaxed);
                    done.failure = Some((number, e));
                    break;
                }
            }
        }
        done
    });
    let mut sources = BTreeMap::new();
    let mut definitions = Definitions::default();
    let mut failure: Option<(usize, FormatError)> = None;
    for done in shares {
        sources.extend(done.sources);
        definitions.merge(done.definitions);
        if let Some((number, e)) = done.failure {
            // Files are claimed in order, so every file before the first
            // failing one was formatted: that failure is the same however
            // the files were shared out.
            if failure.as_ref().is_none_or(|(first, _)| number < *first) {
                failure = Some((number, e));
            }
        }
    }
    match failure {
        Some((_, e)) => Err(e),
        None => Ok((sources, definitions)),
    }
}

/// What one thread of [`sources_on_threads`] did.
struct Done {
    sources: Vec<(PathBuf, String)>,
    definitions: Definitions,
    /// The file that failed to format (its number in the order files are claimed).
    failure: Option<(usize, FormatError)>,
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proc_macro2::TokenStream;
    use quote::quote;

    use super::*;
    use crate::output::crate_sources;
    use crate::render::{ident, Items};

    /// A tree of a dozen files with `::std` and runtime paths in them, and
    /// one module whose name takes `Vec`'s short form in all the others.
    fn sample_tree() -> Module<'static> {
        let mut root = Module::default();
        for n in 0..12 {
            let name = format!("m{n}");
            root.child(
                &name,
                true,
                Module::leaf(
                    vec![format!("Module {n}.")],
                    Items::new(move |_| {
                        let f = ident(&format!("f{n}"));
                        quote! {
                            pub fn #f() -> ::std::option::Option<::smithgen_runtime::X> {
                                let _: ::std::vec::Vec<u8>;
                                ::std::option::Option::None
                            }
                        }
                    }),
                ),
            );
        }
        root.child(
            "vec",
            true,
            Module::leaf(
                Vec::new(),
                Items::new(|_| {
                    quote!(
                        pub struct Vec;
                    )
                }),
            ),
        );
        root
    }

    /// A root with `count` public children named `name(n)`, each of whose
    /// items are `items(n)`.
    fn numbered_modules<'a>(
        count: usize,
        name: impl Fn(usize) -> String,
        items: impl Fn(usize) -> TokenStream + Copy + Send + Sync + 'a,
    ) -> Module<'a> {
        let mut root = Module::default();
        for n in 0..count {
            root.child(
                &name(n),
                true,
                Module::leaf(Vec::new(), Items::new(move |_| items(n))),
            );
        }
        root
    }

    #[test]
    fn threads_render_and_format_each_file_once_and_the_same() {
        let tree = sample_tree();
        let alone = crate_sources(&tree).unwrap();
        assert_eq!(alone.len(), 14);
        for threads in [2, 3, 20] {
            assert_eq!(crate_sources_parallel(&tree, threads).unwrap(), alone);
        }
        let m3 = &alone[Path::new("src/m3.rs")];
        assert!(m3.contains("pub fn f3() -> Option<rt::X>"), "{m3}");
        // A name one file defines keeps the path in every file.
        assert!(m3.contains("::std::vec::Vec<u8>"), "{m3}");
    }

    #[test]
    fn each_module_is_rendered_once() {
        let renders = AtomicUsize::new(0);
        let counted = &renders;
        let root = numbered_modules(
            40,
            |n| format!("m{n:02}"),
            move |_| {
                counted.fetch_add(1, Ordering::Relaxed);
                quote!(
                    pub struct S;
                )
            },
        );
        let files = crate_sources_parallel(&root, 3).unwrap();
        assert_eq!(files.len(), 41);
        // The root has no items to render.
        assert_eq!(renders.load(Ordering::Relaxed), 40);
    }

    #[test]
    fn a_crate_whose_item_takes_a_short_name_is_formatted_again_without_it() {
        let renders = AtomicUsize::new(0);
        let counted = &renders;
        let root = numbered_modules(
            6,
            |n| format!("m{n}"),
            move |n| {
                counted.fetch_add(1, Ordering::Relaxed);
                // The last module defines `Option`.
                let name = ident(if n == 5 { "Option" } else { "S" });
                quote!(pub struct #name(::std::option::Option<u8>);)
            },
        );
        let files = crate_sources_parallel(&root, 2).unwrap();
        // Once as if `Option` were free, once more without shortening it.
        assert_eq!(renders.load(Ordering::Relaxed), 12);
        assert_eq!(files, crate_sources(&root).unwrap());
        let m0 = &files[Path::new("src/m0.rs")];
        assert!(
            m0.contains("pub struct S(::std::option::Option<u8>);"),
            "{m0}"
        );
    }

    #[test]
    fn the_first_file_in_order_that_fails_is_the_error_whatever_the_threads() {
        let root = numbered_modules(
            30,
            |n| format!("m{n:02}"),
            |n| {
                if n == 7 || n == 20 {
                    quote!(pub struct;)
                } else {
                    quote!(
                        pub struct S;
                    )
                }
            },
        );
        for threads in [1, 2, 5] {
            let e = crate_sources_parallel(&root, threads).unwrap_err();
            assert_eq!(e.file, "src/m07.rs", "{threads} threads");
            assert!(e.message.contains("not valid Rust"), "{}", e.message);
        }
        assert_eq!(crate_sources(&root).unwrap_err().file, "src/m07.rs");
    }

    #[test]
    fn a_panic_while_rendering_reaches_the_caller() {
        let root = numbered_modules(
            8,
            |n| format!("m{n}"),
            |n| {
                assert!(n != 5, "module 5 cannot be rendered");
                quote!(
                    pub struct S;
                )
            },
        );
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate_sources_parallel(&root, 3)
        }));
        let payload = caught.expect_err("the panic is resumed");
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        assert!(message.contains("module 5"), "{message}");
    }
}
