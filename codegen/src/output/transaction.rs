//! The atomic replacement of a whole generated tree (see [`write()`]): the
//! new tree staged beside the output, the two-rename swap, and the recovery
//! of a run interrupted midway.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::error::{io_err, WriteError};
use super::lock::{lock_path, Lock};
use super::manifest::{manifest_text, read_manifest, MANIFEST};
use super::pool::FilePool;
use super::siblings::unique_sibling;
use super::tree::{copy_symlink, link_or_copy, same_file, Entry, Tree};

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

/// A [`write()`] begun before the files are known: the output's lock is held
/// and the leftovers of interrupted runs are cleaned up, and it can make
/// empty files ahead of time (see [`Writer::prefill`]). Dropping it without
/// [`Writer::finish`] leaves the output as it was.
pub struct Writer {
    dir: PathBuf,
    _lock: Lock,
    pub(super) pool: Option<FilePool>,
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

    /// Writes `files` (see [`write()`]).
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

/// Points in [`write()`] where tests inject failures.
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

/// The work of [`write()`] once the output's lock is held (`dir` resolved),
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

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::*;
    use crate::output::check;
    use crate::output::scratch::{clean_up, files, leftovers, scratch, snapshot};
    use crate::output::siblings::sibling;

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
}
