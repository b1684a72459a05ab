//! Finishing or undoing a job that was interrupted (Kith killed, the power cut) before it could
//! tidy up, before anything opens the store.
//!
//! A passphrase change writes every re-keyed copy first, under hidden names, and only then
//! writes its journal: the list of renames that put them in place. The journal is the point of
//! no return. Interrupted before it, the change never happened: the copies are removed and the
//! store and its backups are as they were. Interrupted after it, the renames are finished, so
//! the store and every backup end up under the new passphrase, never some under each.
//!
//! Backups are written under hidden names too and named only once whole; one whose writer is
//! gone is removed. All of this runs holding the store's lock alone, when no other Kith can be
//! writing any of these files.

use super::files::{self, StoreFiles, SUFFIX};
use super::lock::{StoreLock, WAIT_FOR_REKEY};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Which folder a file named in a journal is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Folder {
    /// The store's own folder.
    Store,
    /// Its backups folder.
    Backups,
}

/// One finished copy and the file it replaces, by file name within `folder`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rename {
    pub folder: Folder,
    pub from: String,
    pub to: String,
}

/// What a passphrase change is putting in place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    /// Whether the store is locked with a passphrase once the renames are done.
    pub encrypted: bool,
    pub renames: Vec<Rename>,
}

impl Journal {
    /// Writes the journal beside the store, durably: from here on the change will be finished
    /// even if this process dies.
    pub fn commit(&self, files: &StoreFiles) -> Result<()> {
        let path = files.rekey_journal();
        let temp = files::with_suffix(
            &path,
            &format!(".partial-{}", uuid::Uuid::now_v7().simple()),
        );
        let text = serde_json::to_vec_pretty(self).map_err(|e| Error::invalid(e.to_string()))?;
        let written = (|| -> std::io::Result<()> {
            use std::io::Write;
            let mut f = files::open_private(&temp, true)?;
            f.write_all(&text)?;
            f.sync_all()?;
            std::fs::rename(&temp, &path)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temp);
            return Err(Error::io(&path, e));
        }
        files::sync_dir(&files.dir());
        Ok(())
    }

    /// Puts every copy in place (skipping those already moved), then removes the journal.
    /// Returns how many backups it names.
    pub fn apply(&self, files: &StoreFiles) -> Result<u32> {
        let store_name = file_name(files.store());
        for r in &self.renames {
            let valid_from = r.from.starts_with(&files.rekey_prefix())
                && r.from.ends_with(SUFFIX)
                && is_plain_name(&r.from);
            let valid_to = is_plain_name(&r.to)
                && match r.folder {
                    Folder::Store => r.to == store_name,
                    Folder::Backups => {
                        r.to.starts_with(&files.backup_prefix()) && r.to.ends_with(SUFFIX)
                    }
                };
            if !valid_from || !valid_to {
                return Err(Error::StoreUnavailable {
                    path: files.rekey_journal(),
                    reason: format!(
                        "the journal of a passphrase change names {} → {}, which is not a copy \
                         of this store; nothing was moved. Remove the journal if you did not \
                         write it",
                        r.from, r.to
                    ),
                });
            }
        }
        for r in &self.renames {
            let dir = match r.folder {
                Folder::Store => files.dir(),
                Folder::Backups => files.backups_dir(),
            };
            let from = dir.join(&r.from);
            let to = dir.join(&r.to);
            if !from.exists() {
                continue; // moved before the interruption
            }
            if r.folder == Folder::Store {
                // The old file's log and index belong to the old file; the new one must not
                // read them.
                for suffix in ["-wal", "-shm"] {
                    remove_if_there(&files::with_suffix(&to, suffix))?;
                }
            }
            std::fs::rename(&from, &to).map_err(|e| Error::io(&to, e))?;
            files::sync_dir(&dir);
        }
        remove_if_there(&files.rekey_journal())?;
        files::sync_dir(&files.dir());
        Ok(self
            .renames
            .iter()
            .filter(|r| r.folder == Folder::Backups)
            .count() as u32)
    }
}

/// Whether anything an interrupted job leaves behind is beside the store.
pub fn has_leftovers(files: &StoreFiles) -> bool {
    files.rekey_journal().exists()
        || !hidden_files(&files.dir(), &files.rekey_prefix()).is_empty()
        || !hidden_files(&files.backups_dir(), &files.rekey_prefix()).is_empty()
        || !hidden_files(&files.backups_dir(), &files.partial_prefix()).is_empty()
}

/// Finishes or undoes what an interrupted job left, and says what it did, one sentence each.
/// The caller holds the store's lock exclusively.
pub fn tidy(files: &StoreFiles, lock: &StoreLock) -> Result<Vec<String>> {
    debug_assert!(lock.is_exclusive());
    let mut notes = Vec::new();
    let journal_path = files.rekey_journal();
    if journal_path.exists() {
        let text = std::fs::read(&journal_path).map_err(|e| Error::io(&journal_path, e))?;
        let journal: Journal =
            serde_json::from_slice(&text).map_err(|e| Error::StoreUnavailable {
                path: journal_path.clone(),
                reason: format!(
                    "the journal of an interrupted passphrase change cannot be read ({e}); \
                     nothing was moved"
                ),
            })?;
        let backups = journal.apply(files)?;
        notes.push(format!(
            "A passphrase change was interrupted after its new copies were written; Kith has \
             finished it: the store and {backups} backup{} are now {}.",
            if backups == 1 { "" } else { "s" },
            if journal.encrypted {
                "locked with the new passphrase"
            } else {
                "without a passphrase"
            }
        ));
    }
    let mut rekey = hidden_files(&files.dir(), &files.rekey_prefix());
    rekey.extend(hidden_files(&files.backups_dir(), &files.rekey_prefix()));
    // A journal never finished: it holds only file names, and the change it was for never
    // reached its point of no return.
    let journal_name = file_name(&journal_path);
    for p in hidden_files(&files.dir(), &format!("{journal_name}.partial-")) {
        remove_if_there(&p)?;
    }
    if !rekey.is_empty() {
        for p in &rekey {
            remove_with_journals(p)?;
        }
        notes.push(format!(
            "A passphrase change was interrupted before it changed anything; the {} unfinished \
             cop{} it left {} removed, and the store and its backups are as they were.",
            rekey.len(),
            if rekey.len() == 1 { "y" } else { "ies" },
            if rekey.len() == 1 { "was" } else { "were" }
        ));
    }
    let partial = hidden_files(&files.backups_dir(), &files.partial_prefix());
    if !partial.is_empty() {
        for p in &partial {
            remove_with_journals(p)?;
        }
        notes.push(format!(
            "{} unfinished backup cop{} left by an interrupted Kith {} removed.",
            partial.len(),
            if partial.len() == 1 { "y" } else { "ies" },
            if partial.len() == 1 { "was" } else { "were" }
        ));
    }
    for note in &notes {
        tracing::warn!("{}: {note}", files.store().display());
    }
    Ok(notes)
}

/// Takes the lock every connection to the store holds, first finishing or undoing whatever an
/// interrupted job left (when no other Kith is using the store). Returns the lock and what was
/// tidied. Waits while another Kith changes the passphrase.
pub fn lock_for_opening(store: &Path) -> Result<(Option<StoreLock>, Vec<String>)> {
    let files = StoreFiles::new(store);
    let deadline = Instant::now() + WAIT_FOR_REKEY;
    let mut notes = Vec::new();
    loop {
        if has_leftovers(&files) {
            if let Some(alone) = StoreLock::exclusive(store, Duration::ZERO)? {
                notes.extend(tidy(&files, &alone)?);
            }
        }
        let remaining = deadline.saturating_duration_since(Instant::now());
        let shared = StoreLock::shared(store, remaining)?;
        // A journal still there means a change is being finished (or waits for a Kith that can
        // be alone with the store to finish it): the store's file is about to be replaced.
        if shared.is_none() || !files.rekey_journal().exists() {
            return Ok((shared, notes));
        }
        drop(shared);
        if Instant::now() >= deadline {
            return Err(Error::StoreUnavailable {
                path: store.to_path_buf(),
                reason: "an interrupted passphrase change must be finished first, and another \
                         Kith keeps the store open; close it and try again"
                    .into(),
            });
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Finishes or undoes what an interrupted job left beside the store, when no other Kith is
/// using it, without opening the store; says what it did. For commands that work on the files
/// (listing backups, restoring, changing the passphrase) rather than through a connection.
pub fn tidy_now(store: &Path) -> Result<Vec<String>> {
    if !store.exists() && !StoreFiles::new(store).rekey_journal().exists() {
        return Ok(Vec::new());
    }
    let (_lock, notes) = lock_for_opening(store)?;
    Ok(notes)
}

fn hidden_files(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with(prefix)
                && !name.ends_with("-journal")
                && !name.ends_with("-wal")
                && !name.ends_with("-shm")
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// Removes a temporary copy and the rollback journal or log SQLite may have left beside it.
fn remove_with_journals(path: &Path) -> Result<()> {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        remove_if_there(&files::with_suffix(path, suffix))?;
    }
    Ok(())
}

fn remove_if_there(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(['/', '\\']) && name != "." && name != ".."
}
