//! Runs rustdoc with JSON output on one crate and reads what it wrote.
//!
//! rustdoc's JSON output is unstable: the stable toolchain accepts
//! `-Z unstable-options --output-format json` only with `RUSTC_BOOTSTRAP=1`.
//! That variable is given to rustdoc alone, through a two-line wrapper named
//! by `RUSTDOC`: set on Cargo itself it would reach the build scripts that
//! watch it (`rerun-if-env-changed=RUSTC_BOOTSTRAP`) and rebuild their
//! crates, and the builds of the rest of the test command after them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

/// The rustdoc JSON format versions this listing was written against. Another
/// version still gets a listing, but a failure to read it names the version.
pub const KNOWN_FORMATS: &[u64] = &[57];

/// What rustdoc wrote for one crate.
pub struct RustdocJson {
    pub json: Value,
    /// The directory the JSON's source file names are relative to (the
    /// workspace root Cargo ran rustdoc in).
    pub source_root: PathBuf,
}

/// Documents the package `package` of the workspace or package at
/// `manifest` as JSON, with `target_dir` as Cargo's target directory.
pub fn rustdoc_json(
    manifest: &Path,
    package: &str,
    target_dir: &Path,
) -> Result<RustdocJson, String> {
    let wrapper = wrapper(target_dir)?;
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .arg("rustdoc")
        .arg("--quiet")
        .arg("--manifest-path")
        .arg(manifest)
        .args(["-p", package])
        .args(["--", "-Z", "unstable-options", "--output-format", "json"])
        .env("CARGO_TARGET_DIR", target_dir)
        .env("RUSTDOC", &wrapper)
        .env_remove("RUSTDOCFLAGS")
        .output()
        .map_err(|e| format!("cannot run cargo rustdoc: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo rustdoc -p {package} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let file = target_dir
        .join("doc")
        .join(format!("{}.json", package.replace('-', "_")));
    let text = std::fs::read_to_string(&file)
        .map_err(|e| format!("rustdoc wrote no {}: {e}", file.display()))?;
    let json: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
    let source_root = manifest.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(RustdocJson { json, source_root })
}

/// Writes (once) the wrapper that runs the toolchain's rustdoc with
/// `RUSTC_BOOTSTRAP=1`, and returns its path.
fn wrapper(target_dir: &Path) -> Result<PathBuf, String> {
    let dir = target_dir.join("api-listing");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join("rustdoc-json");
    let rustdoc = std::env::var("RUSTDOC").unwrap_or_else(|_| "rustdoc".to_owned());
    let script = format!(
        "#!/bin/sh\n# Lets the stable rustdoc write JSON (see tests/support/api_listing/rustdoc.rs).\nRUSTC_BOOTSTRAP=1 exec '{}' \"$@\"\n",
        rustdoc.replace('\'', "'\\''")
    );
    if std::fs::read_to_string(&path).ok().as_deref() != Some(script.as_str()) {
        // Written beside and renamed, so that a concurrent run (another
        // process, or another test of this one) never executes a
        // half-written script.
        static STAGED: AtomicUsize = AtomicUsize::new(0);
        let staged = dir.join(format!(
            "rustdoc-json.{}.{}",
            std::process::id(),
            STAGED.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&staged, &script).map_err(|e| format!("{}: {e}", staged.display()))?;
        make_executable(&staged)?;
        std::fs::rename(&staged, &path).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(path)
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> Result<(), String> {
    Err("the API listing runs rustdoc through a shell script, which needs a Unix system".to_owned())
}
