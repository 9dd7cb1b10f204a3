//! The lock file that keeps two runs from writing the same output at once.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::error::{io_err, WriteError};
use super::siblings::sibling;

/// The lock file that keeps two runs from writing the same output:
/// `<out>.smithgen-lock` beside the output directory.
pub fn lock_path(dir: &Path) -> PathBuf {
    sibling(dir, "", ".smithgen-lock")
}

/// The exclusive lock of one output directory, released on drop.
pub(super) struct Lock {
    path: PathBuf,
}

impl Lock {
    pub(super) fn acquire(path: &Path) -> Result<Lock, WriteError> {
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::output::scratch::{clean_up, files, leftovers, scratch, snapshot};
    use crate::output::{check, write};

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
}
