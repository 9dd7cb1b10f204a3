//! Scratch output directories for the tests of writing, and what they hold.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::tree::Tree;

/// An output directory `out` inside a fresh directory of its own, so that
/// the siblings a run creates (lock, staging, old tree) can be checked.
pub(super) fn scratch(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("smithgen-output-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(&root).unwrap();
    root.join("out")
}

pub(super) fn clean_up(dir: &Path) {
    fs::remove_dir_all(dir.parent().unwrap()).unwrap();
}

pub(super) fn files(entries: &[(&str, &str)]) -> BTreeMap<PathBuf, String> {
    entries
        .iter()
        .map(|(p, c)| (PathBuf::from(p), c.to_string()))
        .collect()
}

/// Every file under `dir` with its bytes and modification time.
pub(super) fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, SystemTime)> {
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
pub(super) fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "out")
        .collect();
    names.sort();
    names
}
