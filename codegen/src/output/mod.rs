//! Output: the module tree laid out as files, each module's items rendered
//! (see [`crate::render::Items`]) and formatted with prettyplease, and
//! written only where bytes change, as one atomic replacement of the whole
//! tree (see [`write`]).

mod format;

pub use format::{format_file, FormatError, HEADER};

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use proc_macro2::{Delimiter, Group, TokenStream};
use quote::quote;

use crate::paths::{Definitions, Shortener, Tokens};
use crate::render::{ident, Ctx, Module};

/// Name of the file, in a generated tree, listing what smithgen wrote there.
/// Only files it lists are ever removed, and a directory without it is not
/// taken for a generated tree.
pub const MANIFEST: &str = ".smithgen-manifest";

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
/// claimed (see [`crate_files`]), whatever the number of threads.
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

/// One file of a crate's `src/`: where it goes and the module it holds.
struct CrateFile<'t, 'a> {
    path: PathBuf,
    module: &'t Module<'a>,
    /// Whether the module is the crate root, which carries the crate's
    /// attributes and declares `mod types` itself.
    root: bool,
}

/// The `src/` files of a crate, one per module that is not written inline,
/// in the order threads claim them (see [`sources_on_threads`]): the files holding
/// the most modules first, and otherwise the tree depth first, parents
/// before their children. Only the tree's shape is read; nothing is rendered.
fn crate_files<'t, 'a>(root: &'t Module<'a>) -> Vec<CrateFile<'t, 'a>> {
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
fn render_file(file: &CrateFile, ctx: &Ctx, definitions: &mut Definitions) -> Vec<Tokens> {
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
fn crate_shortener(root: &Module, definitions: &Definitions) -> Shortener {
    Shortener::new(definitions, root.all_module_names())
}

/// The text of one crate file whose modules' items rendered as `items` (see
/// [`render_file`]): the module's docs and declarations of the children
/// that have files of their own, then its items and inline modules with
/// their paths shortened.
fn format_crate_file(
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

/// What a write did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files whose bytes changed (or that are new).
    pub written: Vec<PathBuf>,
    /// Files left alone because their bytes were already right.
    pub unchanged: Vec<PathBuf>,
    /// Files a previous run generated that this one does not.
    pub removed: Vec<PathBuf>,
}

/// Errors while writing or checking a tree.
#[derive(Debug)]
pub enum WriteError {
    Io {
        path: PathBuf,
        source: io::Error,
    },
    /// The output directory holds files but no manifest, so it is not a tree
    /// smithgen generated; nothing is written there.
    NotGenerated {
        dir: PathBuf,
    },
    /// Another run holds the output's lock file; nothing is written.
    Locked {
        lock: PathBuf,
        /// The lock file's contents (the holder's process id), when readable.
        holder: Option<String>,
    },
    /// A file the manifest does not list is where a generated file (or a
    /// directory of them) must go; nothing is written.
    Conflict {
        path: PathBuf,
    },
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            WriteError::NotGenerated { dir } => write!(
                f,
                "{} is not empty and has no {MANIFEST} file, so it was not generated by smithgen; refusing to write into it",
                dir.display(),
            ),
            WriteError::Locked { lock, holder } => {
                write!(f, "{} exists: another smithgen run", lock.display())?;
                if let Some(pid) = holder.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
                    write!(f, " (process {pid})")?;
                }
                write!(
                    f,
                    " is writing this output; wait for it to finish, or remove the file if no run is active"
                )
            }
            WriteError::Conflict { path } => write!(
                f,
                "{} is in the way of a generated file but was not generated by smithgen (the {MANIFEST} does not list it); move it away and run again",
                path.display()
            ),
        }
    }
}

impl std::error::Error for WriteError {}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The files listed in a tree's manifest (`None` when there is none).
fn read_manifest(dir: &Path) -> Result<Option<Vec<PathBuf>>, WriteError> {
    let path = dir.join(MANIFEST);
    match fs::read_to_string(&path) {
        Ok(text) => Ok(Some(
            text.lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .map(PathBuf::from)
                // Never follow a manifest entry out of the tree.
                .filter(|p| {
                    p.components()
                        .all(|c| matches!(c, std::path::Component::Normal(_)))
                })
                .collect(),
        )),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_err(&path)(e)),
    }
}

fn manifest_text(files: &BTreeMap<PathBuf, String>) -> String {
    let mut text =
        String::from("# Files generated by smithgen; regeneration removes only these.\n");
    for path in files.keys() {
        text.push_str(&path.to_string_lossy().replace('\\', "/"));
        text.push('\n');
    }
    text
}

/// Differences between `files` and what is on disk under `dir`: files that
/// are missing or differ, and files the manifest lists that are no longer generated.
pub fn check(dir: &Path, files: &BTreeMap<PathBuf, String>) -> Result<Vec<PathBuf>, WriteError> {
    let mut stale = Vec::new();
    let mut all = files.clone();
    all.insert(PathBuf::from(MANIFEST), manifest_text(files));
    for (path, contents) in &all {
        let full = dir.join(path);
        match fs::read(&full) {
            Ok(bytes) if bytes == contents.as_bytes() => {}
            Ok(_) => stale.push(path.clone()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => stale.push(path.clone()),
            Err(e) => return Err(io_err(&full)(e)),
        }
    }
    for old in read_manifest(dir)?.unwrap_or_default() {
        if !all.contains_key(&old) && dir.join(&old).exists() {
            stale.push(old);
        }
    }
    stale.sort();
    Ok(stale)
}

/// The lock file that keeps two runs from writing the same output:
/// `<out>.smithgen-lock` beside the output directory.
pub fn lock_path(dir: &Path) -> PathBuf {
    sibling(dir, "", ".smithgen-lock")
}

/// Writes `files` under `dir` as one atomic replacement of the whole tree.
///
/// * Another run writing the same `dir` at the same time is refused
///   ([`WriteError::Locked`]): each run holds `<dir>.smithgen-lock`, created
///   exclusively and removed when the run ends.
/// * A non-empty `dir` without a manifest is refused ([`WriteError::NotGenerated`]),
///   and so is a file the manifest does not list standing where a generated
///   file must go ([`WriteError::Conflict`]).
/// * When every byte is already right, nothing on disk changes.
/// * Otherwise the complete new tree is built in a sibling staging directory:
///   unchanged files are hard-linked from the current tree (so they keep
///   their modification time; where a hard link is impossible they are copied
///   and given back their modification time), changed and new files are
///   written, and every file and directory the manifest does not list (the
///   user's own) is carried over the same way. The current tree is then
///   renamed aside and the staging directory renamed into its place, and the
///   old tree is dismantled file by file: files it generated are removed, and
///   anything else that is not already in the new tree is moved there. No
///   directory is ever removed recursively, except the run's own staging
///   directory when the run fails.
/// * A run that fails or is interrupted before the swap leaves the current
///   tree as it was. A run killed between the two renames leaves the old tree
///   beside the output (`.<name>.smithgen-old-*`); the next run puts it back
///   before doing anything else, and removes leftover staging directories.
pub fn write(dir: &Path, files: &BTreeMap<PathBuf, String>) -> Result<WriteReport, WriteError> {
    Writer::begin(dir)?.finish(files)
}

/// A [`write`] begun before the files are known: the output's lock is held
/// and the leftovers of interrupted runs are cleaned up, and it can make
/// empty files ahead of time (see [`Writer::prefill`]). Dropping it without
/// [`Writer::finish`] leaves the output as it was.
pub struct Writer {
    dir: PathBuf,
    _lock: Lock,
    pool: Option<FilePool>,
}

impl Writer {
    /// Takes the lock of the output `dir`. The directories above `dir` are
    /// created when missing.
    pub fn begin(dir: &Path) -> Result<Writer, WriteError> {
        let dir = resolve_output_dir(dir)?;
        let lock = Lock::acquire(&lock_path(&dir))?;
        recover(&dir)?;
        Ok(Writer {
            dir,
            _lock: lock,
            pool: None,
        })
    }

    /// Starts making empty files on another thread, beside the output,
    /// until [`Writer::stop_prefill`]: staging then fills and renames them
    /// instead of creating files. Creating a file is the costly part of
    /// writing on some file systems (about 0.3 ms of system time per file on
    /// this project's ext4 machines, against hundredths of a millisecond to
    /// write or rename one), and loading and lowering a model leave a core
    /// idle. Does nothing on a single core.
    pub fn prefill(&mut self) {
        if crate::threads() > 1 && self.pool.is_none() {
            self.pool = FilePool::start(&self.dir);
        }
    }

    /// Stops making files; those made so far are used.
    pub fn stop_prefill(&mut self) {
        if let Some(pool) = &mut self.pool {
            pool.stop();
        }
    }

    /// Writes `files` (see [`write`]).
    pub fn finish(self, files: &BTreeMap<PathBuf, String>) -> Result<WriteReport, WriteError> {
        self.finish_with(files, &Hooks::default())
    }

    fn finish_with(
        mut self,
        files: &BTreeMap<PathBuf, String>,
        hooks: &Hooks,
    ) -> Result<WriteReport, WriteError> {
        self.stop_prefill();
        write_with(&self.dir, files, hooks, self.pool.as_ref())
    }
}

/// Empty files made in a directory beside the output, named like a staging
/// directory so that a run that dies leaves nothing [`recover`] does not
/// remove. Removed with what is left in it when dropped.
struct FilePool {
    dir: PathBuf,
    made: std::sync::Arc<Mutex<Vec<PathBuf>>>,
    stop: std::sync::Arc<AtomicBool>,
    maker: Option<std::thread::JoinHandle<()>>,
}

/// The most files a pool makes.
const MAX_POOL_FILES: usize = 4096;
/// A pool stops after this many files when making each took less than
/// [`CHEAP_FILE`] on average.
const CHEAP_FILES_PROBE: usize = 32;
const CHEAP_FILE: std::time::Duration = std::time::Duration::from_micros(40);

impl FilePool {
    fn start(output: &Path) -> Option<FilePool> {
        let dir = unique_sibling(output, ".smithgen-staging-");
        fs::create_dir(&dir).ok()?;
        let made = std::sync::Arc::new(Mutex::new(Vec::new()));
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let maker = {
            let (dir, made, stop) = (dir.clone(), made.clone(), stop.clone());
            std::thread::Builder::new()
                .name("smithgen-file-pool".to_owned())
                .spawn(move || {
                    let started = std::time::Instant::now();
                    for n in 0..MAX_POOL_FILES {
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        // Where files are cheap to make (tmpfs, say), making
                        // them ahead saves nothing, and removing the unused
                        // ones would cost.
                        if n == CHEAP_FILES_PROBE && started.elapsed() < CHEAP_FILE * n as u32 {
                            break;
                        }
                        let path = dir.join(n.to_string());
                        // A file that cannot be made ends the pool: staging
                        // creates the files it needs, and reports errors.
                        if fs::File::create_new(&path).is_err() {
                            break;
                        }
                        made.lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .push(path);
                    }
                })
        };
        match maker {
            Ok(maker) => Some(FilePool {
                dir,
                made,
                stop,
                maker: Some(maker),
            }),
            Err(_) => {
                let _ = fs::remove_dir(&dir);
                None
            }
        }
    }

    fn stop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(maker) = self.maker.take() {
            let _ = maker.join();
        }
    }

    /// An empty file to fill and rename, if any is left.
    fn take(&self) -> Option<PathBuf> {
        self.made
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
    }
}

impl Drop for FilePool {
    fn drop(&mut self) {
        self.stop();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Points in [`write`] where tests inject failures.
#[derive(Default)]
struct Hooks {
    /// After the staging tree is complete, before the swap.
    after_staging: Option<Box<dyn Fn() -> io::Result<()>>>,
    /// After the current tree is renamed aside, before the new one is renamed in.
    after_aside: Option<Box<dyn Fn() -> io::Result<()>>>,
}

fn run_hook(hook: &Option<Box<dyn Fn() -> io::Result<()>>>, path: &Path) -> Result<(), WriteError> {
    match hook {
        Some(hook) => hook().map_err(io_err(path)),
        None => Ok(()),
    }
}

/// The work of [`write`] once the output's lock is held (`dir` resolved),
/// with empty files to use from `pool`.
fn write_with(
    dir: &Path,
    files: &BTreeMap<PathBuf, String>,
    hooks: &Hooks,
    pool: Option<&FilePool>,
) -> Result<WriteReport, WriteError> {
    let dir = dir.to_path_buf();

    let metadata = match fs::symlink_metadata(&dir) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(io_err(&dir)(e)),
    };
    if metadata.as_ref().is_some_and(|m| !m.is_dir()) {
        return Err(WriteError::NotGenerated { dir });
    }
    let previous = match &metadata {
        Some(_) => read_manifest(&dir)?,
        None => None,
    };
    let existing = match &metadata {
        Some(_) => Tree::scan(&dir)?,
        None => Tree::default(),
    };
    if previous.is_none() && !existing.is_empty() {
        return Err(WriteError::NotGenerated { dir });
    }
    let previous: BTreeSet<PathBuf> = previous.unwrap_or_default().into_iter().collect();

    let mut all = files.clone();
    all.insert(PathBuf::from(MANIFEST), manifest_text(files));
    let manifest = Path::new(MANIFEST);

    // Everything in the current tree that smithgen did not generate stays.
    let user_files: Vec<&PathBuf> = existing
        .files
        .keys()
        .filter(|p| p.as_path() != manifest && !previous.contains(*p))
        .collect();
    for path in all.keys() {
        let user_file =
            |p: &Path| existing.files.contains_key(p) && !previous.contains(p) && p != manifest;
        let in_the_way = if existing.dirs.contains(path) || user_file(path) {
            Some(path.as_path())
        } else {
            path.ancestors()
                .skip(1)
                .filter(|a| !a.as_os_str().is_empty())
                .find(|a| user_file(a))
        };
        if let Some(in_the_way) = in_the_way {
            return Err(WriteError::Conflict {
                path: dir.join(in_the_way),
            });
        }
    }

    let mut report = WriteReport::default();
    let mut unchanged = BTreeSet::new();
    for (path, contents) in &all {
        let same = existing.files.get(path) == Some(&Entry::File)
            && match fs::read(dir.join(path)) {
                Ok(bytes) => bytes == contents.as_bytes(),
                Err(e) if e.kind() == io::ErrorKind::NotFound => false,
                Err(e) => return Err(io_err(&dir.join(path))(e)),
            };
        if same {
            unchanged.insert(path.clone());
        }
        if path.as_path() == manifest {
            continue;
        }
        if same {
            report.unchanged.push(path.clone());
        } else {
            report.written.push(path.clone());
        }
    }
    let stale: Vec<PathBuf> = previous
        .iter()
        .filter(|p| !all.contains_key(*p) && existing.files.contains_key(*p))
        .cloned()
        .collect();
    if unchanged.len() == all.len() && stale.is_empty() {
        // Every byte is already right: nothing on disk changes.
        return Ok(report);
    }

    let staging = Staging::create(&dir)?;
    for dir_path in existing.empty_dirs() {
        let target = staging.path.join(dir_path);
        fs::create_dir_all(&target).map_err(io_err(&target))?;
    }
    // Each directory once, parents first (a path sorts before the paths under it).
    let parents: BTreeSet<&Path> = all
        .keys()
        .chain(user_files.iter().copied())
        .filter_map(|p| p.parent())
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    for parent in parents {
        let target = staging.path.join(parent);
        fs::create_dir_all(&target).map_err(io_err(&target))?;
    }
    stage_files(&dir, &staging.path, &all, &unchanged, pool)?;
    for path in user_files {
        let target = staging.path.join(path);
        match existing.files[path] {
            Entry::File => link_or_copy(&dir.join(path), &target)?,
            Entry::Symlink => copy_symlink(&dir.join(path), &target)?,
        }
    }
    run_hook(&hooks.after_staging, &staging.path)?;

    // The swap: the current tree aside, the new one in.
    match metadata {
        Some(_) => {
            let old = unique_sibling(&dir, ".smithgen-old-");
            fs::rename(&dir, &old).map_err(io_err(&dir))?;
            let swapped = run_hook(&hooks.after_aside, &old)
                .and_then(|()| fs::rename(&staging.path, &dir).map_err(io_err(&dir)));
            if let Err(e) = swapped {
                // Put the current tree back; the staging directory goes when dropped.
                let _ = fs::rename(&old, &dir);
                return Err(e);
            }
            staging.disarm();
            retire(&old, &dir, &previous)?;
        }
        None => {
            fs::rename(&staging.path, &dir).map_err(io_err(&dir))?;
            staging.disarm();
        }
    }
    report.removed = stale;
    Ok(report)
}

/// Puts the generated files into the staging tree `staging`, whose
/// directories exist: files in `unchanged` are linked (or copied) from `dir`,
/// the others written. Creating files is most of a run's system time on a
/// journaling file system, so the files are shared out between threads.
fn stage_files(
    dir: &Path,
    staging: &Path,
    all: &BTreeMap<PathBuf, String>,
    unchanged: &BTreeSet<PathBuf>,
    pool: Option<&FilePool>,
) -> Result<(), WriteError> {
    let stage = |(path, contents): (&PathBuf, &String)| {
        let target = staging.join(path);
        if unchanged.contains(path) {
            return link_or_copy(&dir.join(path), &target);
        }
        if let Some(empty) = pool.and_then(FilePool::take) {
            let filled = fs::OpenOptions::new()
                .write(true)
                .open(&empty)
                .and_then(|mut file| io::Write::write_all(&mut file, contents.as_bytes()))
                .and_then(|()| fs::rename(&empty, &target));
            if filled.is_ok() {
                return Ok(());
            }
            // The pool's file is gone or unusable: make the file instead.
        }
        fs::write(&target, contents).map_err(io_err(&target))
    };
    let threads = crate::threads();
    if threads == 1 || all.len() < 2 * threads {
        return all.iter().try_for_each(stage);
    }
    let entries: Vec<(&PathBuf, &String)> = all.iter().collect();
    let chunks: Vec<_> = entries.chunks(entries.len().div_ceil(threads)).collect();
    // Every share ends before the first error is returned.
    crate::in_shares(chunks.len(), |n| {
        chunks[n].iter().copied().try_for_each(stage)
    })
    .into_iter()
    .collect()
}

/// The output directory as an absolute path with its symlinks resolved,
/// whether or not it exists yet.
fn resolve_output_dir(dir: &Path) -> Result<PathBuf, WriteError> {
    if let Ok(canonical) = fs::canonicalize(dir) {
        return Ok(canonical);
    }
    let absolute = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir().map_err(io_err(dir))?.join(dir)
    };
    let Some(name) = absolute.file_name() else {
        return Err(io_err(dir)(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the output directory has no name",
        )));
    };
    let parent = absolute.parent().unwrap_or(Path::new("/"));
    fs::create_dir_all(parent).map_err(io_err(parent))?;
    let parent = fs::canonicalize(parent).map_err(io_err(parent))?;
    Ok(parent.join(name))
}

/// `<parent>/<prefix><name><suffix>` for the output directory `dir`.
fn sibling(dir: &Path, prefix: &str, suffix: &str) -> PathBuf {
    let mut name = std::ffi::OsString::from(prefix);
    name.push(dir.file_name().unwrap_or_default());
    name.push(suffix);
    dir.with_file_name(name)
}

/// A sibling of `dir` named `.<name><infix><pid>-<n>` that does not exist yet.
fn unique_sibling(dir: &Path, infix: &str) -> PathBuf {
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = sibling(dir, ".", &format!("{infix}{}-{n}", std::process::id()));
        if fs::symlink_metadata(&path).is_err() {
            return path;
        }
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Leftovers of an interrupted run, found while holding the lock: an old tree
/// renamed aside is put back when the output is missing (the run died between
/// the two renames) or dismantled into the output when both exist (it died
/// while dismantling), and staging directories are removed.
fn recover(dir: &Path) -> Result<(), WriteError> {
    let parent = dir.parent().unwrap_or(Path::new("/"));
    let name = dir.file_name().unwrap_or_default().to_string_lossy();
    let old_prefix = format!(".{name}.smithgen-old-");
    let staging_prefix = format!(".{name}.smithgen-staging-");
    let mut olds = Vec::new();
    let mut stagings = Vec::new();
    for entry in fs::read_dir(parent).map_err(io_err(parent))? {
        let entry = entry.map_err(io_err(parent))?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if file_name.starts_with(&old_prefix) {
            olds.push(entry.path());
        } else if file_name.starts_with(&staging_prefix) {
            stagings.push(entry.path());
        }
    }
    for staging in stagings {
        fs::remove_dir_all(&staging).map_err(io_err(&staging))?;
    }
    for old in olds {
        if fs::symlink_metadata(dir).is_err() {
            fs::rename(&old, dir).map_err(io_err(&old))?;
        } else {
            let listed: BTreeSet<PathBuf> = read_manifest(&old)?
                .unwrap_or_default()
                .into_iter()
                .collect();
            retire(&old, dir, &listed)?;
        }
    }
    Ok(())
}

/// Dismantles the old tree `old` after the swap: a file it generated
/// (`listed`, or its manifest) is removed, a file that is also in the new
/// tree `new` (the same file, hard-linked) is removed, and anything else is
/// moved into the new tree. Directories are removed once empty; a file that
/// can be neither removed nor moved keeps the old tree in place, and is
/// reported.
fn retire(old: &Path, new: &Path, listed: &BTreeSet<PathBuf>) -> Result<(), WriteError> {
    let tree = Tree::scan(old)?;
    let mut kept = None;
    for path in tree.files.keys() {
        let from = old.join(path);
        let to = new.join(path);
        let generated = listed.contains(path) || path.as_path() == Path::new(MANIFEST);
        if generated || same_file(&from, &to) {
            fs::remove_file(&from).map_err(io_err(&from))?;
        } else if fs::symlink_metadata(&to).is_err() {
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(io_err(parent))?;
            }
            fs::rename(&from, &to).map_err(io_err(&from))?;
        } else {
            kept.get_or_insert(from);
        }
    }
    for path in tree.dirs.iter().rev() {
        let _ = fs::remove_dir(old.join(path));
    }
    let _ = fs::remove_dir(old);
    match kept {
        None => Ok(()),
        Some(path) => Err(io_err(&path)(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "the previous output was kept beside the new one because this file is in the way",
        ))),
    }
}

/// Whether `a` and `b` are the same file (hard links of one another), or
/// symbolic links to the same place.
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (fs::symlink_metadata(a), fs::symlink_metadata(b)) else {
        return false;
    };
    if ma.is_symlink() || mb.is_symlink() {
        return ma.is_symlink()
            && mb.is_symlink()
            && fs::read_link(a).ok() == fs::read_link(b).ok();
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        ma.len() == mb.len()
            && ma.modified().ok() == mb.modified().ok()
            && fs::read(a).ok() == fs::read(b).ok()
    }
}

/// Hard-links `from` to `to`, else copies it and gives the copy `from`'s
/// modification time.
fn link_or_copy(from: &Path, to: &Path) -> Result<(), WriteError> {
    if fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    fs::copy(from, to).map_err(io_err(to))?;
    let modified = fs::metadata(from)
        .and_then(|m| m.modified())
        .map_err(io_err(from))?;
    fs::File::options()
        .write(true)
        .open(to)
        .and_then(|f| f.set_modified(modified))
        .map_err(io_err(to))
}

/// Recreates the symbolic link `from` at `to` (copies the file it points to
/// where links cannot be made).
fn copy_symlink(from: &Path, to: &Path) -> Result<(), WriteError> {
    #[cfg(unix)]
    {
        let target = fs::read_link(from).map_err(io_err(from))?;
        std::os::unix::fs::symlink(target, to).map_err(io_err(to))
    }
    #[cfg(not(unix))]
    {
        link_or_copy(from, to)
    }
}

/// What a tree holds: files and symbolic links by relative path, and every
/// directory, parents before children.
#[derive(Default)]
struct Tree {
    files: BTreeMap<PathBuf, Entry>,
    dirs: BTreeSet<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Entry {
    File,
    Symlink,
}

impl Tree {
    /// Lists `root` without following symbolic links.
    fn scan(root: &Path) -> Result<Tree, WriteError> {
        let mut tree = Tree::default();
        let mut stack = vec![PathBuf::new()];
        while let Some(relative) = stack.pop() {
            let full = root.join(&relative);
            for entry in fs::read_dir(&full).map_err(io_err(&full))? {
                let entry = entry.map_err(io_err(&full))?;
                let path = relative.join(entry.file_name());
                let kind = entry.file_type().map_err(io_err(&entry.path()))?;
                if kind.is_dir() {
                    tree.dirs.insert(path.clone());
                    stack.push(path);
                } else if kind.is_symlink() {
                    tree.files.insert(path, Entry::Symlink);
                } else {
                    tree.files.insert(path, Entry::File);
                }
            }
        }
        Ok(tree)
    }

    /// Directories with nothing in them (the user's: smithgen leaves none).
    fn empty_dirs(&self) -> impl Iterator<Item = &PathBuf> {
        self.dirs.iter().filter(|d| {
            !self.dirs.iter().any(|o| o.parent() == Some(d.as_path()))
                && !self.files.keys().any(|f| f.parent() == Some(d.as_path()))
        })
    }

    fn is_empty(&self) -> bool {
        self.files.is_empty() && self.dirs.is_empty()
    }
}

/// The run's staging directory, removed on drop unless it was renamed into place.
struct Staging {
    path: PathBuf,
    armed: bool,
}

impl Staging {
    fn create(dir: &Path) -> Result<Staging, WriteError> {
        let path = unique_sibling(dir, ".smithgen-staging-");
        fs::create_dir(&path).map_err(io_err(&path))?;
        Ok(Staging { path, armed: true })
    }

    /// Keeps the directory: it has been renamed into place.
    fn disarm(mut self) {
        self.armed = false;
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.armed {
            // Only this run's own staging directory, which holds nothing but
            // new files and links to files that are still in the output.
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

/// The exclusive lock of one output directory, released on drop.
struct Lock {
    path: PathBuf,
}

impl Lock {
    fn acquire(path: &Path) -> Result<Lock, WriteError> {
        for _ in 0..2 {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
            {
                Ok(mut file) => {
                    use std::io::Write;
                    let _ = writeln!(file, "{}", std::process::id());
                    return Ok(Lock {
                        path: path.to_path_buf(),
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    let holder = fs::read_to_string(path).ok();
                    if holder.as_deref().is_some_and(holder_is_gone) {
                        // The run that held it was killed; its lock is stale.
                        let _ = fs::remove_file(path);
                        continue;
                    }
                    return Err(WriteError::Locked {
                        lock: path.to_path_buf(),
                        holder,
                    });
                }
                Err(e) => return Err(io_err(path)(e)),
            }
        }
        Err(WriteError::Locked {
            lock: path.to_path_buf(),
            holder: fs::read_to_string(path).ok(),
        })
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Whether a lock's holder is known to have exited: on systems with `/proc`,
/// a process id that is not running.
fn holder_is_gone(contents: &str) -> bool {
    let Ok(pid) = contents.trim().parse::<u32>() else {
        return false;
    };
    pid != std::process::id()
        && Path::new("/proc/self").exists()
        && !Path::new(&format!("/proc/{pid}")).exists()
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(
        ".smithgen-tmp-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    path.with_file_name(name)
}

/// Writes one file only if its bytes change (for build scripts: an unchanged
/// file keeps its mtime, so nothing that includes it rebuilds).
pub fn write_if_changed(path: &Path, contents: &str) -> Result<bool, WriteError> {
    match fs::read(path) {
        Ok(bytes) if bytes == contents.as_bytes() => return Ok(false),
        _ => {}
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    let temp = temp_path(path);
    fs::write(&temp, contents).map_err(io_err(&temp))?;
    fs::rename(&temp, path).map_err(io_err(path))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Items;
    use std::time::{Duration, SystemTime};

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

    /// An output directory `out` inside a fresh directory of its own, so that
    /// the siblings a run creates (lock, staging, old tree) can be checked.
    fn scratch(name: &str) -> PathBuf {
        let root =
            std::env::temp_dir().join(format!("smithgen-output-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).unwrap();
        root.join("out")
    }

    fn clean_up(dir: &Path) {
        fs::remove_dir_all(dir.parent().unwrap()).unwrap();
    }

    fn files(entries: &[(&str, &str)]) -> BTreeMap<PathBuf, String> {
        entries
            .iter()
            .map(|(p, c)| (PathBuf::from(p), c.to_string()))
            .collect()
    }

    /// Every file under `dir` with its bytes and modification time.
    fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, SystemTime)> {
        let tree = Tree::scan(dir).unwrap();
        tree.files
            .keys()
            .map(|p| {
                let full = dir.join(p);
                let modified = fs::symlink_metadata(&full).unwrap().modified().unwrap();
                (p.clone(), fs::read(&full).unwrap_or_default(), modified)
            })
            .collect()
    }

    /// What the output's parent holds besides the output itself.
    fn leftovers(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "out")
            .collect();
        names.sort();
        names
    }

    /// Begins a write of `dir` and lets its pool make `at_least` files.
    fn prefilled(dir: &Path, at_least: usize) -> Writer {
        let mut writer = Writer::begin(dir).unwrap();
        writer.prefill();
        let pool = writer.pool.as_ref().expect("two cores or more make a pool");
        while pool.made.lock().unwrap().len() < at_least {
            std::thread::yield_now();
        }
        writer.stop_prefill();
        writer
    }

    #[test]
    fn files_made_ahead_are_filled_renamed_and_the_rest_removed() {
        if crate::threads() < 2 {
            return;
        }
        let dir = scratch("prefill");
        let first = files(&[("a.rs", "a"), ("sub/b.rs", "b"), ("sub/c.rs", "c")]);
        // Fewer made than needed: the rest are created.
        let writer = prefilled(&dir, 2);
        let report = writer.finish(&first).unwrap();
        assert_eq!(report.written.len(), 3);
        assert_eq!(fs::read_to_string(dir.join("sub/c.rs")).unwrap(), "c");
        assert_eq!(fs::read_to_string(dir.join("a.rs")).unwrap(), "a");
        assert_eq!(leftovers(&dir), Vec::<String>::new());

        // More made than needed, and one file unchanged.
        let second = files(&[("a.rs", "a"), ("sub/b.rs", "b2")]);
        let writer = prefilled(&dir, 8);
        let report = writer.finish(&second).unwrap();
        assert_eq!(report.written, [PathBuf::from("sub/b.rs")]);
        assert_eq!(report.unchanged, [PathBuf::from("a.rs")]);
        assert_eq!(report.removed, [PathBuf::from("sub/c.rs")]);
        let tree = Tree::scan(&dir).unwrap();
        let names: Vec<&PathBuf> = tree.files.keys().collect();
        assert_eq!(
            names,
            [
                Path::new(MANIFEST),
                Path::new("a.rs"),
                Path::new("sub/b.rs")
            ]
        );
        assert_eq!(fs::read_to_string(dir.join("sub/b.rs")).unwrap(), "b2");
        assert_eq!(leftovers(&dir), Vec::<String>::new());

        // Nothing changes: the made files go, and so does the lock.
        let before = snapshot(&dir);
        prefilled(&dir, 4).finish(&second).unwrap();
        assert_eq!(snapshot(&dir), before);
        assert_eq!(leftovers(&dir), Vec::<String>::new());

        // A run that fails before writing leaves the output and its parent as they were.
        drop(prefilled(&dir, 4));
        assert_eq!(snapshot(&dir), before);
        assert_eq!(leftovers(&dir), Vec::<String>::new());
        clean_up(&dir);
    }

    fn age(path: &Path) {
        let past = SystemTime::now() - Duration::from_secs(3600);
        fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(past)
            .unwrap();
    }

    fn failing() -> Option<Box<dyn Fn() -> io::Result<()>>> {
        Some(Box::new(|| Err(io::Error::other("injected failure"))))
    }

    #[test]
    fn writes_only_changed_files_and_prunes_stale_ones() {
        let dir = scratch("write");
        let first = files(&[("a.rs", "a"), ("sub/b.rs", "b")]);
        let report = write(&dir, &first).unwrap();
        assert_eq!(
            report.written,
            vec![PathBuf::from("a.rs"), PathBuf::from("sub/b.rs")]
        );
        assert!(check(&dir, &first).unwrap().is_empty());

        let second = files(&[("a.rs", "a"), ("c.rs", "c")]);
        assert_eq!(
            check(&dir, &second).unwrap(),
            vec![
                PathBuf::from(MANIFEST),
                PathBuf::from("c.rs"),
                PathBuf::from("sub/b.rs")
            ]
        );
        let report = write(&dir, &second).unwrap();
        assert_eq!(report.unchanged, vec![PathBuf::from("a.rs")]);
        assert_eq!(report.written, vec![PathBuf::from("c.rs")]);
        assert_eq!(report.removed, vec![PathBuf::from("sub/b.rs")]);
        assert!(!dir.join("sub").exists(), "empty directories are removed");
        assert!(check(&dir, &second).unwrap().is_empty());
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
        clean_up(&dir);
    }

    #[test]
    fn unchanged_files_keep_their_modification_time() {
        let dir = scratch("mtime");
        write(&dir, &files(&[("a.rs", "a"), ("sub/b.rs", "b")])).unwrap();
        age(&dir.join("a.rs"));
        age(&dir.join("sub/b.rs"));
        let before = fs::metadata(dir.join("a.rs")).unwrap().modified().unwrap();

        let report = write(&dir, &files(&[("a.rs", "a"), ("sub/b.rs", "changed")])).unwrap();
        assert_eq!(report.unchanged, vec![PathBuf::from("a.rs")]);
        assert_eq!(report.written, vec![PathBuf::from("sub/b.rs")]);
        let after = fs::metadata(dir.join("a.rs")).unwrap().modified().unwrap();
        assert_eq!(before, after, "an unchanged file keeps its mtime");
        let rewritten = fs::metadata(dir.join("sub/b.rs"))
            .unwrap()
            .modified()
            .unwrap();
        assert!(rewritten > before, "a changed file is new");
        clean_up(&dir);
    }

    #[test]
    fn an_up_to_date_tree_is_not_touched_at_all() {
        let dir = scratch("noop");
        let set = files(&[("a.rs", "a"), ("sub/b.rs", "b")]);
        write(&dir, &set).unwrap();
        age(&dir.join("a.rs"));
        let before = snapshot(&dir);
        #[cfg(unix)]
        let inode = {
            use std::os::unix::fs::MetadataExt;
            fs::metadata(&dir).unwrap().ino()
        };
        let report = write(&dir, &set).unwrap();
        assert!(report.written.is_empty() && report.removed.is_empty());
        assert_eq!(snapshot(&dir), before);
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            assert_eq!(fs::metadata(&dir).unwrap().ino(), inode, "no swap");
        }
        clean_up(&dir);
    }

    #[test]
    fn refuses_a_directory_it_did_not_generate() {
        let dir = scratch("foreign");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("precious.txt"), "keep me").unwrap();
        let err = write(&dir, &files(&[("a.rs", "a")])).unwrap_err();
        assert!(matches!(err, WriteError::NotGenerated { .. }));
        assert!(err.to_string().contains("refusing"), "{err}");
        assert_eq!(
            fs::read_to_string(dir.join("precious.txt")).unwrap(),
            "keep me"
        );
        assert!(!dir.join("a.rs").exists());
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));

        // A file where the tree should be is refused the same way.
        let file = dir.parent().unwrap().join("file");
        fs::write(&file, "not a directory").unwrap();
        let err = write(&file, &files(&[("a.rs", "a")])).unwrap_err();
        assert!(matches!(err, WriteError::NotGenerated { .. }), "{err}");
        assert_eq!(fs::read_to_string(&file).unwrap(), "not a directory");
        clean_up(&dir);
    }

    #[test]
    fn user_files_inside_the_tree_survive_regeneration() {
        let dir = scratch("user");
        write(&dir, &files(&[("a.rs", "a"), ("src/b.rs", "b")])).unwrap();
        fs::write(dir.join("NOTES.md"), "mine").unwrap();
        fs::write(dir.join("src/custom.rs"), "also mine").unwrap();
        fs::create_dir_all(dir.join("target/debug")).unwrap();
        fs::write(dir.join("target/debug/out.bin"), [0u8, 1, 2]).unwrap();
        fs::create_dir_all(dir.join("empty")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("NOTES.md", dir.join("link")).unwrap();
        age(&dir.join("NOTES.md"));
        let notes_time = fs::metadata(dir.join("NOTES.md"))
            .unwrap()
            .modified()
            .unwrap();

        // `src/b.rs` goes away and `src/` stays: it holds a user file.
        let report = write(&dir, &files(&[("a.rs", "changed"), ("c.rs", "c")])).unwrap();
        assert_eq!(report.removed, vec![PathBuf::from("src/b.rs")]);
        assert_eq!(fs::read_to_string(dir.join("NOTES.md")).unwrap(), "mine");
        assert_eq!(
            fs::metadata(dir.join("NOTES.md"))
                .unwrap()
                .modified()
                .unwrap(),
            notes_time
        );
        assert_eq!(
            fs::read_to_string(dir.join("src/custom.rs")).unwrap(),
            "also mine"
        );
        assert!(!dir.join("src/b.rs").exists());
        assert_eq!(
            fs::read(dir.join("target/debug/out.bin")).unwrap(),
            [0, 1, 2]
        );
        assert!(dir.join("empty").is_dir());
        #[cfg(unix)]
        assert_eq!(
            fs::read_link(dir.join("link")).unwrap(),
            PathBuf::from("NOTES.md")
        );
        assert_eq!(fs::read_to_string(dir.join("a.rs")).unwrap(), "changed");
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
        clean_up(&dir);
    }

    #[test]
    fn a_user_file_in_the_way_is_refused() {
        let dir = scratch("conflict");
        write(&dir, &files(&[("a.rs", "a")])).unwrap();
        fs::write(dir.join("b.rs"), "hand written").unwrap();
        fs::write(dir.join("sub"), "a file where a directory must go").unwrap();
        let before = snapshot(&dir);

        let err = write(&dir, &files(&[("a.rs", "x"), ("b.rs", "b")])).unwrap_err();
        assert!(
            matches!(&err, WriteError::Conflict { path } if path.ends_with("b.rs")),
            "{err}"
        );
        assert!(
            err.to_string().contains("not generated by smithgen"),
            "{err}"
        );
        let err = write(&dir, &files(&[("sub/c.rs", "c")])).unwrap_err();
        assert!(
            matches!(&err, WriteError::Conflict { path } if path.ends_with("sub")),
            "{err}"
        );
        assert_eq!(snapshot(&dir), before, "nothing was touched");
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
        clean_up(&dir);
    }

    #[test]
    fn a_failure_after_staging_leaves_the_old_tree_intact() {
        let dir = scratch("staged");
        write(&dir, &files(&[("a.rs", "a"), ("sub/b.rs", "b")])).unwrap();
        fs::write(dir.join("user.txt"), "mine").unwrap();
        let before = snapshot(&dir);
        let hooks = Hooks {
            after_staging: failing(),
            ..Hooks::default()
        };
        let err = Writer::begin(&dir)
            .unwrap()
            .finish_with(&files(&[("a.rs", "new"), ("c.rs", "c")]), &hooks)
            .unwrap_err();
        assert!(err.to_string().contains("injected failure"), "{err}");
        assert_eq!(snapshot(&dir), before);
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));

        // Between the two renames: the old tree is put back.
        let hooks = Hooks {
            after_aside: failing(),
            ..Hooks::default()
        };
        let err = Writer::begin(&dir)
            .unwrap()
            .finish_with(&files(&[("a.rs", "new")]), &hooks)
            .unwrap_err();
        assert!(err.to_string().contains("injected failure"), "{err}");
        assert_eq!(snapshot(&dir), before);
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
        clean_up(&dir);
    }

    #[test]
    fn a_run_killed_between_the_renames_is_recovered_by_the_next() {
        let dir = scratch("killed");
        write(&dir, &files(&[("a.rs", "a"), ("sub/b.rs", "b")])).unwrap();
        fs::write(dir.join("user.txt"), "mine").unwrap();
        let before = snapshot(&dir);

        // A panic stands for the kill: no rollback runs.
        let hooks = Hooks {
            after_aside: Some(Box::new(|| panic!("killed"))),
            ..Hooks::default()
        };
        let new = files(&[("a.rs", "new")]);
        let killed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            Writer::begin(&dir).unwrap().finish_with(&new, &hooks)
        }));
        assert!(killed.is_err());
        assert!(!dir.exists(), "the output is aside");
        // What a real kill also leaves: the staging tree and the lock of a
        // process that is gone.
        let gone = std::process::Command::new("true")
            .spawn()
            .and_then(|mut child| child.wait().map(|_| child.id()))
            .unwrap();
        fs::write(lock_path(&dir), format!("{gone}\n")).unwrap();
        let staging = sibling(&dir, ".", &format!(".smithgen-staging-{gone}-0"));
        fs::create_dir_all(staging.join("src")).unwrap();
        fs::write(staging.join("src/half.rs"), "half").unwrap();
        assert_eq!(leftovers(&dir).len(), 3, "{:?}", leftovers(&dir));

        // The next run finds the old tree first, then writes as usual.
        let report = write(&dir, &new).unwrap();
        assert_eq!(report.written, vec![PathBuf::from("a.rs")]);
        assert_eq!(report.removed, vec![PathBuf::from("sub/b.rs")]);
        assert_eq!(fs::read_to_string(dir.join("user.txt")).unwrap(), "mine");
        assert!(check(&dir, &new).unwrap().is_empty());
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));

        // Killed while dismantling the old tree: what is left of it is
        // dismantled into the output by the next run.
        let old = sibling(&dir, ".", &format!(".smithgen-old-{gone}-1"));
        fs::create_dir_all(&old).unwrap();
        fs::write(old.join(MANIFEST), "a.rs\nsub/b.rs\n").unwrap();
        fs::write(old.join("a.rs"), "stale").unwrap();
        fs::write(old.join("late.txt"), "user file written during the swap").unwrap();
        write(&dir, &new).unwrap();
        assert_eq!(fs::read_to_string(dir.join("a.rs")).unwrap(), "new");
        assert_eq!(
            fs::read_to_string(dir.join("late.txt")).unwrap(),
            "user file written during the swap"
        );
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
        drop(before);
        clean_up(&dir);
    }

    #[test]
    fn a_held_lock_refuses_the_run_and_names_the_file() {
        let dir = scratch("locked");
        let set = files(&[("a.rs", "a")]);
        write(&dir, &set).unwrap();
        let before = snapshot(&dir);
        fs::write(lock_path(&dir), format!("{}\n", std::process::id())).unwrap();
        let err = write(&dir, &files(&[("a.rs", "b")])).unwrap_err();
        assert!(matches!(err, WriteError::Locked { .. }), "{err}");
        let message = err.to_string();
        assert!(message.contains(".smithgen-lock"), "{message}");
        assert!(
            message.contains(&format!("process {}", std::process::id())),
            "{message}"
        );
        assert_eq!(snapshot(&dir), before);
        assert!(lock_path(&dir).exists(), "another run's lock is left alone");
        fs::remove_file(lock_path(&dir)).unwrap();
        write(&dir, &files(&[("a.rs", "b")])).unwrap();
        assert!(!lock_path(&dir).exists(), "the lock goes with the run");
        clean_up(&dir);
    }

    #[test]
    fn concurrent_writers_never_interleave() {
        let dir = scratch("concurrent");
        let sets: Vec<BTreeMap<PathBuf, String>> = (0..4)
            .map(|writer| {
                (0..6)
                    .map(|i| {
                        (
                            PathBuf::from(format!("d{}/f{i}.rs", i % 2)),
                            format!("writer {writer} file {i}\n").repeat(200),
                        )
                    })
                    .collect()
            })
            .collect();
        write(&dir, &sets[0]).unwrap();
        fs::write(dir.join("user.txt"), "mine").unwrap();
        let barrier = std::sync::Barrier::new(sets.len());
        let outcomes: Vec<(usize, usize)> = std::thread::scope(|scope| {
            let handles: Vec<_> = sets
                .iter()
                .map(|set| {
                    let (dir, barrier) = (&dir, &barrier);
                    scope.spawn(move || {
                        barrier.wait();
                        let (mut ok, mut locked) = (0, 0);
                        for _ in 0..25 {
                            match write(dir, set) {
                                Ok(_) => ok += 1,
                                Err(WriteError::Locked { .. }) => locked += 1,
                                Err(e) => panic!("unexpected error: {e}"),
                            }
                        }
                        (ok, locked)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let ok: usize = outcomes.iter().map(|(ok, _)| ok).sum();
        assert!(ok > 0, "{outcomes:?}");
        // The tree is exactly one writer's, never a mix.
        let matching: Vec<usize> = (0..sets.len())
            .filter(|&i| check(&dir, &sets[i]).unwrap().is_empty())
            .collect();
        assert_eq!(matching.len(), 1, "{outcomes:?}");
        assert_eq!(fs::read_to_string(dir.join("user.txt")).unwrap(), "mine");
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
        clean_up(&dir);
    }

    #[test]
    fn manifest_entries_cannot_escape_the_tree() {
        let dir = scratch("escape");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(MANIFEST), "../outside.rs\n/etc/passwd\nok.rs\n").unwrap();
        assert_eq!(
            read_manifest(&dir).unwrap().unwrap(),
            vec![PathBuf::from("ok.rs")]
        );
        clean_up(&dir);
    }
}
