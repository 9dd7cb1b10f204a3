//! Names beside the output (its lock, staging and old trees) and beside a
//! file (its temporary), each made unique with the process id and a counter.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// `<parent>/<prefix><name><suffix>` for the output directory `dir`.
pub(super) fn sibling(dir: &Path, prefix: &str, suffix: &str) -> PathBuf {
    let mut name = std::ffi::OsString::from(prefix);
    name.push(dir.file_name().unwrap_or_default());
    name.push(suffix);
    dir.with_file_name(name)
}

/// A sibling of `dir` named `.<name><infix><pid>-<n>` that does not exist yet.
pub(super) fn unique_sibling(dir: &Path, infix: &str) -> PathBuf {
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = sibling(dir, ".", &format!("{infix}{}-{n}", std::process::id()));
        if fs::symlink_metadata(&path).is_err() {
            return path;
        }
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

pub(super) fn temp_path(path: &Path) -> PathBuf {
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
