//! Backups of the store, and restoring one.
//!
//! Copies are made with SQLite's online backup API, which reads a consistent snapshot of a
//! live WAL database (a plain file copy could catch it half-written), and are kept in a
//! `backups` folder next to the store file, named for what they are and when they were made:
//!
//! | copy | name | made | kept |
//! |---|---|---|---|
//! | daily | `kith-daily-2026-11-22.sqlite3` | the first time a store that holds anything is opened on a (UTC) day | the last `backup.keep` (default 7) |
//! | before an import | `kith-before-import-20261122T101500Z.sqlite3` | before every committed import into a store that holds anything | the last `backup.keep` |
//! | before a migration | `kith-before-migration-v1-20261122T101500Z.sqlite3` | before the schema is upgraded; `v1` is the schema the copy holds | all |
//! | before a restore | `kith-before-restore-20261122T101500Z.sqlite3` | before a restore replaces the store | all |
//! | manual | `kith-manual-20261122T101500Z.sqlite3` | when the user asks | all |
//!
//! Two copies of one kind made in the same second get `-2`, `-3`… after the time.
//!
//! Each copy is written to a hidden temporary file in the folder, synced, and only then given
//! its name, so a file under a `kith-…` name is always a whole copy, even if Kith was killed or
//! the power went while it was being made. Copies are plain single-file SQLite databases (no
//! `-wal` beside them) that Kith can open directly.
//!
//! The copies themselves (naming, making, listing, pruning) are [`crate::sqlite::copies`]'s,
//! below the store; the daily copy is made by the store as it opens (see
//! [`crate::store::daily_backup`]). Here: the copies a person or an import asks for, and the
//! keep setting (this file), checking a copy ([`inspect_backup`]) and restoring one
//! ([`restore()`]).

mod inspect;
mod restore;

pub use crate::sqlite::copies::{
    backups_dir, list_backups, BackupInfo, BackupKind, DEFAULT_KEEP, KEEP_SETTING, MAX_KEEP,
};
pub use crate::store::{daily_backup, keep_count};
pub use inspect::{inspect_backup, BackupContents};
pub use restore::{restore, RestoreOutcome};

use crate::error::{Error, Result};
use crate::sqlite::copies::{file_size, make_copy, prune, stamp, write_temp};
use crate::sqlite::files::{sync_dir, StoreFiles};
use crate::store::Store;
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

/// The folder, next to the store file, that holds the copies.
pub const FOLDER: &str = crate::sqlite::files::BACKUPS_FOLDER;

/// Sets how many daily and how many before-import copies to keep (1 to [`MAX_KEEP`]), and removes
/// the oldest copies beyond the new number at once. Returns how many copies were removed.
pub fn set_keep_count(store: &mut Store, keep: u32) -> Result<u32> {
    if !(1..=MAX_KEEP).contains(&keep) {
        return Err(Error::invalid(format!(
            "keep between 1 and {MAX_KEEP} copies of each kind, not {keep}"
        )));
    }
    store.set_setting(KEEP_SETTING, &keep)?;
    let Some(path) = store.path().map(Path::to_path_buf) else {
        return Ok(0);
    };
    let before = list_backups(&path)?.len();
    prune(&path, BackupKind::Daily, keep)?;
    prune(&path, BackupKind::BeforeImport, keep)?;
    Ok((before - list_backups(&path)?.len()) as u32)
}

/// Makes a copy of the store now. Without `out` it goes in the backups folder as a manual copy;
/// with `out` it is written to that file, which must not exist yet.
pub fn backup_now(store: &Store, out: Option<&Path>, now: DateTime<Utc>) -> Result<BackupInfo> {
    match out {
        None => {
            let path = store.path().ok_or_else(|| {
                Error::invalid("this store is in memory: name the file to write with --out")
            })?;
            make_copy(
                store.connection(),
                store.passphrase(),
                path,
                BackupKind::Manual,
                &stamp(now),
                now,
            )
        }
        Some(out) => {
            if out.exists() {
                return Err(Error::invalid(format!(
                    "{}: the file already exists; choose another name (a backup never overwrites a file)",
                    out.display()
                )));
            }
            let dir = match out.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let name = out
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .ok_or_else(|| Error::invalid(format!("{}: not a file name", out.display())))?;
            let temp = write_temp(
                store.connection(),
                store.passphrase(),
                &dir,
                &StoreFiles::temp_in(&dir, &StoreFiles::new(out).partial_prefix()),
            )?;
            match std::fs::hard_link(&temp, out) {
                Ok(()) => {
                    let _ = std::fs::remove_file(&temp);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let _ = std::fs::remove_file(&temp);
                    return Err(Error::invalid(format!(
                        "{}: the file already exists; choose another name",
                        out.display()
                    )));
                }
                Err(_) => std::fs::rename(&temp, out).map_err(|e| {
                    let _ = std::fs::remove_file(&temp);
                    Error::io(out, e)
                })?,
            }
            sync_dir(&dir);
            Ok(BackupInfo {
                name,
                path: out.display().to_string(),
                kind: BackupKind::Manual,
                created_at: now,
                size_bytes: file_size(out),
            })
        }
    }
}

/// The copy made before an import writes anything; none for an in-memory or empty store.
pub(crate) fn before_import(store: &Store, now: DateTime<Utc>) -> Result<Option<BackupInfo>> {
    let Some(path) = store.path() else {
        return Ok(None);
    };
    if store.is_empty()? {
        return Ok(None);
    }
    let info = make_copy(
        store.connection(),
        store.passphrase(),
        path,
        BackupKind::BeforeImport,
        &stamp(now),
        now,
    )?;
    prune(path, BackupKind::BeforeImport, keep_count(store))?;
    Ok(Some(info))
}
