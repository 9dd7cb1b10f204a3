//! smithgen: Rust SDK crates from Smithy 2.0 JSON AST models.
//!
//! The pipeline runs one way: [`model`] parses and validates, [`lower`] decides
//! every Rust name into the [`ir`], [`render`] turns the IR into a tree of
//! modules whose items render to tokens, and [`output`] renders, formats and
//! writes them. [`diff`] compares two versions of a model as changes to the
//! generated API.
//!
//! From a build script, generate a module into `OUT_DIR` and include it:
//!
//! ```no_run
//! // build.rs
//! smithgen::Config::new()
//!     .model("model/cognito.json")
//!     .operation("SetUserMFAPreference")
//!     .module_path("crate::cognito")
//!     .compile()
//!     .unwrap();
//! ```
//!
//! ```ignore
//! // src/lib.rs
//! pub mod cognito {
//!     include!(concat!(env!("OUT_DIR"), "/cognitoidentityprovider.rs"));
//! }
//! ```

pub mod diff;
pub mod docs;
pub mod ir;
pub mod lower;
pub mod model;
pub mod naming;
pub mod output;
pub mod paths;
pub mod render;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

pub use lower::Selection;

/// The token, parsing and printing crates every generated file goes through,
/// at exactly the versions this crate uses: the benchmark of that step alone
/// (`bench/src/bin/formatfloor.rs`) takes them from here. Not part of the API.
#[doc(hidden)]
pub mod formatter {
    pub use prettyplease;
    pub use proc_macro2;
    pub use syn;
}

/// The most threads one generation works on.
const MAX_THREADS: usize = 4;

/// How many threads a generation lowers, renders, formats and writes on:
/// one per core, up to [`MAX_THREADS`].
pub(crate) fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_THREADS)
}

/// `share(n)` for every `n` in `0..threads`: share 0 on the calling thread,
/// each other on a thread of its own. The results come in share order; a
/// panic in any share is resumed on the calling thread once all have ended.
pub(crate) fn in_shares<T: Send>(threads: usize, share: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let share = &share;
    std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads.max(1))
            .map(|n| scope.spawn(move || share(n)))
            .collect();
        // The calling thread's own panic unwinds through the scope, which
        // waits for the others first.
        let mut results = vec![share(0)];
        for other in others {
            results.push(
                other
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            );
        }
        results
    })
}

/// Everything that can go wrong, each naming what is at fault.
#[derive(Debug)]
pub enum Error {
    /// The model is invalid.
    Model(model::ModelError),
    /// The model is valid Smithy but cannot become Rust as asked.
    Lower(lower::LowerError),
    /// The generator produced tokens that are not Rust (a generator bug).
    Format(output::FormatError),
    /// Writing or reading the output failed.
    Write(output::WriteError),
    /// The configuration is incomplete or contradictory.
    Config(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Model(e) => write!(f, "invalid model: {e}"),
            Error::Lower(e) => write!(f, "cannot generate: {e}"),
            Error::Format(e) => write!(f, "internal error formatting {}: {}", e.file, e.message),
            Error::Write(e) => fmt::Display::fmt(e, f),
            Error::Config(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

impl From<model::ModelError> for Error {
    fn from(e: model::ModelError) -> Self {
        Error::Model(e)
    }
}
impl From<lower::LowerError> for Error {
    fn from(e: lower::LowerError) -> Self {
        Error::Lower(e)
    }
}
impl From<output::FormatError> for Error {
    fn from(e: output::FormatError) -> Self {
        Error::Format(e)
    }
}
impl From<output::WriteError> for Error {
    fn from(e: output::WriteError) -> Self {
        Error::Write(e)
    }
}

/// How a generated crate's `Cargo.toml` names the runtime crate
/// (`smithgen-runtime`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuntimeDependency {
    /// A registry version requirement. The default is this generator's own
    /// version ([`RUNTIME_VERSION`]): the generator and the runtime are
    /// released together, and generated code needs the runtime's macros of
    /// the same release.
    Version(String),
    /// A local copy of the runtime crate. A relative path is taken from the
    /// current directory and written relative to the output directory (so
    /// the generated crate builds wherever the two are moved together);
    /// an absolute path is written as it is.
    Path(PathBuf),
    /// A git repository holding the runtime (cargo finds the package in it),
    /// at `rev` (a commit, tag or branch) or at its default branch.
    Git { url: String, rev: Option<String> },
}

/// The runtime version generated crates ask for by default: the version of
/// this generator, which is released together with the runtime.
pub const RUNTIME_VERSION: &str = env!("CARGO_PKG_VERSION");

impl Default for RuntimeDependency {
    fn default() -> Self {
        RuntimeDependency::Version(RUNTIME_VERSION.to_owned())
    }
}

/// Configures and runs the generator, from the CLI or a build script.
#[derive(Clone, Debug, Default)]
pub struct Config {
    models: Vec<PathBuf>,
    selection: Selection,
    module_path: Option<String>,
    runtime: RuntimeDependency,
    out_dir: Option<PathBuf>,
    protocol_tests: bool,
    endpoint_tests: bool,
    redaction_tests: bool,
}

/// A generated crate: file paths relative to the crate root, and contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedCrate {
    pub crate_name: String,
    pub files: BTreeMap<PathBuf, String>,
}

impl Config {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a model file (Smithy 2.0 JSON AST). Several files are merged.
    pub fn model(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.models.push(path.as_ref().to_path_buf());
        self
    }

    /// Generates only this operation (and the shapes it needs); may be repeated.
    /// Without any, every operation of the service is generated.
    pub fn operation(&mut self, name: impl Into<String>) -> &mut Self {
        self.selection.operations.push(name.into());
        self
    }

    /// Chooses the service when the model holds several (`ns#Name` or `Name`).
    pub fn service(&mut self, id: impl Into<String>) -> &mut Self {
        self.selection.service = Some(id.into());
        self
    }

    /// Leaves out selected operations the service lacks instead of failing
    /// (for [`diff`], where either version may lack one).
    pub(crate) fn skip_missing_operations(&mut self) -> &mut Self {
        self.selection.skip_missing_operations = true;
        self
    }

    /// Overrides the crate name (default: the service's `sdkId` in lowercase).
    pub fn crate_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.selection.crate_name = Some(name.into());
        self
    }

    /// For [`Config::compile`]: the Rust path at which the generated module is
    /// included (default `crate::<crate name>`).
    pub fn module_path(&mut self, path: impl Into<String>) -> &mut Self {
        self.module_path = Some(path.into());
        self
    }

    /// For [`Config::compile`]: the directory to write into (default `OUT_DIR`).
    pub fn out_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// How the generated `Cargo.toml` depends on the runtime crate (default:
    /// the registry version [`RUNTIME_VERSION`]).
    pub fn runtime_dependency(&mut self, dependency: RuntimeDependency) -> &mut Self {
        self.runtime = dependency;
        self
    }

    /// Also generates the model's protocol compliance test cases
    /// (`smithy.test#httpRequestTests` / `httpResponseTests`) as a `#[cfg(test)]`
    /// module of the crate, one test per client case.
    pub fn protocol_tests(&mut self, enabled: bool) -> &mut Self {
        self.protocol_tests = enabled;
        self
    }

    /// Also generates the service's endpoint test cases
    /// (`smithy.rules#endpointTests`) as a `#[cfg(test)]` module that runs each
    /// case through the client's public `Config`.
    pub fn endpoint_tests(&mut self, enabled: bool) -> &mut Self {
        self.endpoint_tests = enabled;
        self
    }

    /// Also generates a `#[cfg(test)]` module that checks, for every
    /// `@sensitive` member of every structure and union, that a secret put in
    /// it never shows in `Debug` (of values, builders and fluent builders) or,
    /// for errors, in `Display`; and that credentials never show in the
    /// configuration's or the client's `Debug`.
    pub fn redaction_tests(&mut self, enabled: bool) -> &mut Self {
        self.redaction_tests = enabled;
        self
    }

    /// The model files configured.
    pub fn models(&self) -> &[PathBuf] {
        &self.models
    }

    /// Loads, validates and lowers the model.
    pub fn lower(&self) -> Result<ir::ServiceIr, Error> {
        Ok(self.load()?.1)
    }

    fn load(&self) -> Result<(model::Model, ir::ServiceIr), Error> {
        if self.models.is_empty() {
            return Err(Error::Config("no model file given".to_owned()));
        }
        let model = model::Model::load_files(&self.models)?;
        let service = lower::lower(&model, &self.selection).map_err(|mut e| {
            // An error about no shape in particular (no service) names the files.
            if e.file.is_none() {
                let files: Vec<String> = self
                    .models
                    .iter()
                    .map(|m| m.display().to_string())
                    .collect();
                e.file = Some(files.join(", "));
            }
            e
        })?;
        Ok((model, service))
    }

    /// Generates the files of a crate meant to live in `out_dir` (used only to
    /// compute the runtime's relative path). Reads the models; writes nothing.
    pub fn generate_crate(&self, out_dir: &Path) -> Result<GeneratedCrate, Error> {
        let (model, service) = self.load()?;
        self.generate_loaded(&model, service, out_dir)
    }

    /// [`Config::generate_crate`] once the model is loaded and lowered.
    fn generate_loaded(
        &self,
        model: &model::Model,
        service: ir::ServiceIr,
        out_dir: &Path,
    ) -> Result<GeneratedCrate, Error> {
        let (module, has_tests) = self.crate_tree(model, &service);
        // Rendering and formatting are most of the time: they run on several
        // threads (see `output::crate_sources_parallel`).
        let threads = threads();
        let mut files = output::crate_sources_parallel(&module, threads)?;
        // The tree borrows `service`, whose crate name is taken below.
        drop(module);
        let runtime = match &self.runtime {
            RuntimeDependency::Path(path) => RuntimeDependency::Path(runtime_path(path, out_dir)),
            other => other.clone(),
        };
        let mut manifest = cargo_toml(&service, &runtime, &self.models, has_tests);
        if !is_workspace_member(out_dir) {
            // Outside a workspace that lists it, the crate is its own workspace,
            // so it builds where it was generated without edits.
            manifest.push_str("\n[workspace]\n");
        }
        files.insert(PathBuf::from("Cargo.toml"), manifest);
        Ok(GeneratedCrate {
            crate_name: service.crate_name,
            files,
        })
    }

    /// The crate's module tree, with the test modules asked for. Also says
    /// whether the crate has test modules.
    fn crate_tree<'a>(
        &self,
        model: &'a model::Model,
        service: &'a ir::ServiceIr,
    ) -> (render::Module<'a>, bool) {
        let mut module = render::render(service);
        let mut add_tests = |name: &str, tests: render::Module<'a>| {
            module.children.push(render::Child {
                name: name.to_owned(),
                public: false,
                test_only: true,
                inline: false,
                module: tests,
            });
        };
        if self.protocol_tests {
            let (tests, _) = render::protocol_tests::protocol_tests_module(model, service);
            add_tests("protocol_tests", tests);
        }
        let mut has_tests = self.protocol_tests;
        if self.endpoint_tests {
            if let Some((tests, _)) = render::endpoint_tests_module(model, service) {
                has_tests = true;
                add_tests("endpoint_tests", tests);
            }
        }
        if self.redaction_tests {
            add_tests("redaction_tests", render::redaction_tests_module(service));
        }
        (module, has_tests)
    }

    /// Generates the crate and writes it to `out_dir`, touching only files whose
    /// bytes change and removing files it generated before that are no longer produced.
    pub fn write_crate(&self, out_dir: &Path) -> Result<output::WriteReport, Error> {
        // The write begins before the model is read, so that the files it
        // will need are made while a core is idle (see `Writer::prefill`),
        // unless that would create the directories above the output for a
        // run that may yet fail.
        let parent_exists = absolute(out_dir).parent().is_some_and(Path::is_dir);
        let mut writer = match parent_exists {
            true => Some(output::Writer::begin(out_dir)?),
            false => None,
        };
        if let Some(writer) = &mut writer {
            writer.prefill();
        }
        let (model, service) = self.load()?;
        if let Some(writer) = &mut writer {
            // Rendering and formatting keep every core busy.
            writer.stop_prefill();
        }
        let generated = self.generate_loaded(&model, service, out_dir)?;
        drop(model);
        Ok(match writer {
            Some(writer) => writer.finish(&generated.files)?,
            None => output::write(out_dir, &generated.files)?,
        })
    }

    /// The files under `out_dir` that differ from what the model gives (empty when up to date).
    pub fn check_crate(&self, out_dir: &Path) -> Result<Vec<PathBuf>, Error> {
        let generated = self.generate_crate(out_dir)?;
        Ok(output::check(out_dir, &generated.files)?)
    }

    /// Generates the crate as one Rust file of inline modules, for `include!`.
    pub fn generate_module(&self) -> Result<(String, String), Error> {
        let service = self.lower()?;
        let root = self
            .module_path
            .clone()
            .unwrap_or_else(|| format!("crate::{}", service.crate_name.replace('-', "_")));
        let ctx = render::Ctx::new(&root).map_err(Error::Config)?;
        let module = render::render(&service);
        let file = format!("{}.rs", service.crate_name.replace('-', "_"));
        let text = output::single_file(&module, &ctx, &file)?;
        Ok((file, text))
    }

    /// For build scripts: generates the module into `OUT_DIR` (or the
    /// configured directory) if its bytes changed, and tells Cargo to rerun
    /// when a model file changes. Returns the path written.
    pub fn compile(&self) -> Result<PathBuf, Error> {
        for model in &self.models {
            println!("cargo:rerun-if-changed={}", model.display());
        }
        let dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| {
                    Error::Config(
                        "OUT_DIR is not set; call compile() from a build script or set out_dir()"
                            .to_owned(),
                    )
                })?,
        };
        let (file, text) = self.generate_module()?;
        let path = dir.join(file);
        output::write_if_changed(&path, &text)?;
        Ok(path)
    }
}

/// How the generated manifest names a local runtime at `path`: an absolute
/// path as it is; a relative one (from the current directory) relative to
/// `out_dir`, or absolute when the two share no root.
fn runtime_path(path: &Path, out_dir: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_path_buf();
    }
    let runtime = absolute(path);
    relative_path(&absolute(out_dir), &runtime).unwrap_or(runtime)
}

/// Whether `out_dir` is listed in the `members` of the nearest enclosing
/// Cargo workspace (exact paths and trailing `/*` globs are understood).
fn is_workspace_member(out_dir: &Path) -> bool {
    let out = absolute(out_dir);
    for root in out.ancestors().skip(1) {
        let Ok(text) = std::fs::read_to_string(root.join("Cargo.toml")) else {
            continue;
        };
        if !text.lines().any(|l| l.trim() == "[workspace]") {
            continue;
        }
        let Ok(relative) = out.strip_prefix(root) else {
            return false;
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        return workspace_members(&text).iter().any(|member| {
            member == &relative
                || member.strip_suffix("/*").is_some_and(|dir| {
                    relative
                        .rsplit_once('/')
                        .is_some_and(|(parent, _)| parent == dir)
                })
        });
    }
    false
}

/// The quoted entries of a workspace manifest's `members = [...]` list.
fn workspace_members(manifest: &str) -> Vec<String> {
    let Some(start) = manifest.find("members") else {
        return Vec::new();
    };
    let rest = &manifest[start..];
    let (Some(open), Some(close)) = (rest.find('['), rest.find(']')) else {
        return Vec::new();
    };
    if close < open {
        return Vec::new();
    }
    rest[open + 1..close]
        .split(',')
        .map(|m| m.trim().trim_matches('"').trim_end_matches('/').to_owned())
        .filter(|m| !m.is_empty())
        .collect()
}

/// An absolute form of `path` that works before the directory exists.
fn absolute(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            let mut full = canonical;
            for part in rest.iter().rev() {
                full.push(part);
            }
            return full;
        }
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                };
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// `to` relative to the directory `from` (both absolute).
fn relative_path(from: &Path, to: &Path) -> Option<PathBuf> {
    if !from.is_absolute() || !to.is_absolute() {
        return None;
    }
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return None;
    }
    let mut rel = PathBuf::new();
    for _ in common..from.len() {
        rel.push("..");
    }
    for part in &to[common..] {
        rel.push(part.as_os_str());
    }
    Some(rel)
}

/// The generated crate's manifest.
fn cargo_toml(
    service: &ir::ServiceIr,
    runtime: &RuntimeDependency,
    models: &[PathBuf],
    with_tests: bool,
) -> String {
    let dev_dependencies = if with_tests {
        format!(
            "\n[dev-dependencies]\n\
             smithgen-runtime = {test_runtime}\n\
             tokio = {{ version = \"1\", default-features = false, features = [\"macros\", \"rt\"] }}\n",
            test_runtime = runtime_dependency(runtime, &["test-util"]),
        )
    } else {
        String::new()
    };
    let runtime = runtime_dependency(runtime, &runtime_features(service));
    let sources: Vec<String> = models
        .iter()
        .map(|m| {
            m.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    format!(
        "# @generated by smithgen from {sources}. Do not edit: change the model and regenerate.\n\
         [package]\n\
         name = {name}\n\
         version = \"0.1.0\"\n\
         edition = \"2021\"\n\
         description = {description}\n\
         publish = false\n\
         \n\
         [dependencies]\n\
         smithgen-runtime = {runtime}\n\
         {dev_dependencies}",
        sources = sources.join(", "),
        name = toml_string(&service.crate_name),
        description = toml_string(&format!(
            "Client for {}, generated by smithgen",
            service.title
        )),
    )
}

/// The runtime features a generated crate needs beyond the default ones:
/// `gzip` when some operation compresses its requests, `rt-tokio` (for
/// `ByteStream::from_path`) when some operation streams its payload.
fn runtime_features(service: &ir::ServiceIr) -> Vec<&'static str> {
    let mut features = Vec::new();
    if service.operations.iter().any(|op| op.request_compression) {
        features.push("gzip");
    }
    if service.has_byte_streams() {
        features.push("rt-tokio");
    }
    features
}

/// The value of a `smithgen-runtime = ...` dependency line: `runtime` with
/// `features` turned on.
fn runtime_dependency(runtime: &RuntimeDependency, features: &[&str]) -> String {
    let features = if features.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = features.iter().map(|f| toml_string(f)).collect();
        format!(", features = [{}]", list.join(", "))
    };
    match runtime {
        RuntimeDependency::Path(path) => format!(
            "{{ path = {}{features} }}",
            toml_string(&path.to_string_lossy().replace('\\', "/"))
        ),
        RuntimeDependency::Version(v) if features.is_empty() => toml_string(v),
        RuntimeDependency::Version(v) => format!("{{ version = {}{features} }}", toml_string(v)),
        RuntimeDependency::Git { url, rev } => {
            let rev = rev
                .as_ref()
                .map(|r| format!(", rev = {}", toml_string(r)))
                .unwrap_or_default();
            format!("{{ git = {}{rev}{features} }}", toml_string(url))
        }
    }
}

/// A TOML basic string with everything that needs it escaped.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_path(
                Path::new("/a/b/generated"),
                Path::new("/a/b/codegen/runtime")
            ),
            Some(PathBuf::from("../codegen/runtime"))
        );
        assert_eq!(relative_path(Path::new("x"), Path::new("/y")), None);
    }

    #[test]
    fn workspace_member_lists() {
        let manifest =
            "[workspace]\nmembers = [\n  \"codegen\",\n  \"tests/protocol/*\", \"generated\"]\n";
        assert_eq!(
            workspace_members(manifest),
            ["codegen", "tests/protocol/*", "generated"]
        );
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        assert!(is_workspace_member(&root.join("generated")));
        assert!(!is_workspace_member(&root.join("target/not-a-member")));
        assert!(!is_workspace_member(Path::new("/tmp/smithgen-outside")));
    }

    #[test]
    fn runtime_dependency_lines() {
        let version = RuntimeDependency::default();
        assert_eq!(
            runtime_dependency(&version, &[]),
            format!("\"{RUNTIME_VERSION}\"")
        );
        assert_eq!(
            runtime_dependency(&version, &["gzip"]),
            format!("{{ version = \"{RUNTIME_VERSION}\", features = [\"gzip\"] }}")
        );
        let path = RuntimeDependency::Path(PathBuf::from("../rt"));
        assert_eq!(
            runtime_dependency(&path, &["test-util"]),
            "{ path = \"../rt\", features = [\"test-util\"] }"
        );
        let git = RuntimeDependency::Git {
            url: "https://example.com/smithgen.git".into(),
            rev: Some("v0.1.0".into()),
        };
        assert_eq!(
            runtime_dependency(&git, &[]),
            "{ git = \"https://example.com/smithgen.git\", rev = \"v0.1.0\" }"
        );
        let head = RuntimeDependency::Git {
            url: "file:///srv/smithgen".into(),
            rev: None,
        };
        assert_eq!(
            runtime_dependency(&head, &["gzip"]),
            "{ git = \"file:///srv/smithgen\", features = [\"gzip\"] }"
        );
    }

    #[test]
    fn runtime_paths_are_relative_to_the_output() {
        let cwd = std::env::current_dir().unwrap().canonicalize().unwrap();
        assert_eq!(
            runtime_path(Path::new("runtime"), &cwd.join("target/x/out")),
            PathBuf::from("../../../runtime")
        );
        assert_eq!(
            runtime_path(Path::new("/opt/rt"), Path::new("anywhere")),
            PathBuf::from("/opt/rt")
        );
    }

    /// The generator and the runtime are released together: the version
    /// generated crates ask for is the runtime's own.
    #[test]
    fn runtime_version_is_the_runtimes() {
        let manifest = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime/Cargo.toml"),
        )
        .unwrap();
        let version = manifest
            .lines()
            .find_map(|l| l.strip_prefix("version = "))
            .expect("the runtime's manifest states its version");
        assert_eq!(version.trim_matches('"'), RUNTIME_VERSION);
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000A\"");
    }
}
