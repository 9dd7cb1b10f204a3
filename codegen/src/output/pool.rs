//! Empty files made on another thread while a model is loaded and lowered,
//! for the write to fill and rename (see [`Writer::prefill`](super::Writer::prefill)).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use super::siblings::unique_sibling;

/// Empty files made in a directory beside the output, named like a staging
/// directory so that a run that dies leaves nothing `transaction::recover`
/// does not remove. Removed with what is left in it when dropped.
pub(super) struct FilePool {
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
    pub(super) fn start(output: &Path) -> Option<FilePool> {
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

    pub(super) fn stop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(maker) = self.maker.take() {
            let _ = maker.join();
        }
    }

    /// An empty file to fill and rename, if any is left.
    pub(super) fn take(&self) -> Option<PathBuf> {
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

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::output::scratch::{clean_up, files, leftovers, scratch, snapshot};
    use crate::output::tree::Tree;
    use crate::output::{Writer, MANIFEST};

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
}
