//! A tree on disk: what it holds, listed without following links, and files
//! carried from one tree to another.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use super::error::{io_err, WriteError};

/// Whether `a` and `b` are the same file (hard links of one another), or
/// symbolic links to the same place.
pub(super) fn same_file(a: &Path, b: &Path) -> bool {
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
pub(super) fn link_or_copy(from: &Path, to: &Path) -> Result<(), WriteError> {
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
pub(super) fn copy_symlink(from: &Path, to: &Path) -> Result<(), WriteError> {
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
pub(super) struct Tree {
    pub(super) files: BTreeMap<PathBuf, Entry>,
    pub(super) dirs: BTreeSet<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Entry {
    File,
    Symlink,
}

impl Tree {
    /// Lists `root` without following symbolic links.
    pub(super) fn scan(root: &Path) -> Result<Tree, WriteError> {
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
    pub(super) fn empty_dirs(&self) -> impl Iterator<Item = &PathBuf> {
        self.dirs.iter().filter(|d| {
            !self.dirs.iter().any(|o| o.parent() == Some(d.as_path()))
                && !self.files.keys().any(|f| f.parent() == Some(d.as_path()))
        })
    }

    pub(super) fn is_empty(&self) -> bool {
        self.files.is_empty() && self.dirs.is_empty()
    }
}
