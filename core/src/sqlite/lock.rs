//! The store's lock file: `<store>.lock` beside it, locked with `flock` (advisory, released by
//! the kernel when the process holding it ends, however it ends).
//!
//! SQLite's own locks cannot protect a change of the file itself: they live on the file, so a
//! process that opened the old file keeps locking the old inode after a new file was renamed
//! over it, and can then write a fresh write-ahead log beside the new file that the next open
//! would replay into it. So every Kith connection takes this lock *before* it opens the store
//! (shared: any number of readers and writers at once), and re-keying takes it exclusively
//! before it reads the store and keeps it until every file is in place. A connection that
//! waited therefore opens the new file, never the old one.

use crate::error::{Error, Result};
use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long opening a store waits for a passphrase change in another Kith to finish.
pub const WAIT_FOR_REKEY: Duration = Duration::from_secs(300);

/// A hold on a store's lock file; released when dropped.
#[derive(Debug)]
pub struct StoreLock {
    file: File,
    path: PathBuf,
    exclusive: bool,
}

impl StoreLock {
    /// Holds the lock shared, waiting up to `wait` while another Kith holds it exclusively (a
    /// passphrase change). `Ok(None)` when the lock file cannot be made at all (a read-only
    /// folder, where no one can change the store's files either).
    pub fn shared(store_path: &Path, wait: Duration) -> Result<Option<StoreLock>> {
        let Some(file) = open_lock_file(store_path)? else {
            return Ok(None);
        };
        let path = super::StoreFiles::new(store_path).lock();
        let deadline = Instant::now() + wait;
        loop {
            match file.try_lock_shared() {
                Ok(()) => {
                    return Ok(Some(StoreLock {
                        file,
                        path,
                        exclusive: false,
                    }))
                }
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(25))
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(Error::StoreUnavailable {
                        path: store_path.to_path_buf(),
                        reason: format!(
                            "another Kith has been changing its passphrase for over {} s; \
                             try again when it has finished",
                            wait.as_secs()
                        ),
                    })
                }
                Err(TryLockError::Error(e)) => return Err(Error::io(&path, e)),
            }
        }
    }

    /// Holds the lock alone, or `Ok(None)` at once when any other connection (in this process
    /// or another) holds it. Waits up to `wait` for the others to let go.
    pub fn exclusive(store_path: &Path, wait: Duration) -> Result<Option<StoreLock>> {
        let Some(file) = open_lock_file(store_path)? else {
            return Ok(None);
        };
        let path = super::StoreFiles::new(store_path).lock();
        let deadline = Instant::now() + wait;
        loop {
            match file.try_lock() {
                Ok(()) => {
                    return Ok(Some(StoreLock {
                        file,
                        path,
                        exclusive: true,
                    }))
                }
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(25))
                }
                Err(TryLockError::WouldBlock) => return Ok(None),
                Err(TryLockError::Error(e)) => return Err(Error::io(&path, e)),
            }
        }
    }

    pub fn is_exclusive(&self) -> bool {
        self.exclusive
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for StoreLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// Opens (making it if need be) the lock file. It is never removed: a process waiting on the
/// old file would otherwise hold a lock nobody else sees.
fn open_lock_file(store_path: &Path) -> Result<Option<File>> {
    let path = super::StoreFiles::new(store_path).lock();
    match super::files::open_private(&path, false) {
        Ok(f) => Ok(Some(f)),
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
            ) =>
        {
            // Neither this process nor any other can write beside the store, so no one can
            // swap its files: reading it unlocked is safe.
            match File::open(&path) {
                Ok(f) => Ok(Some(f)),
                Err(_) => Ok(None),
            }
        }
        // No folder yet, so no store either: nothing to guard.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::StoreUnavailable {
            path: store_path.to_path_buf(),
            reason: format!("cannot make its lock file {}: {e}", path.display()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_holds_exclude_an_exclusive_one_and_the_other_way_round() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("kith.sqlite3");
        let a = StoreLock::shared(&store, Duration::ZERO).unwrap().unwrap();
        let b = StoreLock::shared(&store, Duration::ZERO).unwrap().unwrap();
        assert!(StoreLock::exclusive(&store, Duration::ZERO)
            .unwrap()
            .is_none());
        drop(a);
        assert!(StoreLock::exclusive(&store, Duration::from_millis(50))
            .unwrap()
            .is_none());
        drop(b);
        let x = StoreLock::exclusive(&store, Duration::ZERO)
            .unwrap()
            .unwrap();
        assert!(x.is_exclusive());
        let refused = StoreLock::shared(&store, Duration::from_millis(60)).unwrap_err();
        assert_eq!(refused.code(), "store_unavailable");
        drop(x);
        assert!(StoreLock::shared(&store, Duration::ZERO).unwrap().is_some());
    }

    #[test]
    fn a_waiting_reader_gets_the_lock_when_the_writer_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("kith.sqlite3");
        let x = StoreLock::exclusive(&store, Duration::ZERO)
            .unwrap()
            .unwrap();
        let path = store.clone();
        let waiter = std::thread::spawn(move || {
            StoreLock::shared(&path, Duration::from_secs(10))
                .unwrap()
                .is_some()
        });
        std::thread::sleep(Duration::from_millis(100));
        drop(x);
        assert!(waiter.join().unwrap());
    }
}
