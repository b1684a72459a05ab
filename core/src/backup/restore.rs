//! Restoring a backup: the store is replaced by the copy, after the store as it was is kept.

use super::inspect::inspect_backup;
use crate::error::{Error, Result};
use crate::sqlite::copies::{
    backups_folder, copy_database, file_size, info_for, make_copy, partial_name, stamp, BackupInfo,
    BackupKind,
};
use crate::sqlite::files::{self as store_files, sync_dir, with_suffix, StoreFiles};
use crate::sqlite::key::Passphrase;
use crate::sqlite::open::{file_kind, open, use_wal, FileKind, Role};
use crate::sqlite::publish::{copy_private, publish};
use crate::store::Store;
use crate::Stats;
use chrono::{DateTime, Utc};
use serde::Serialize;
use specta::Type;
use std::path::Path;

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct RestoreOutcome {
    /// The backup file that was copied in.
    pub restored_from: String,
    /// The copy of the store as it was before, if there was anything to keep.
    pub before_restore: Option<BackupInfo>,
    /// Whether the store being replaced could not be read as a database (its files were
    /// kept byte for byte as the before-restore copy).
    pub replaced_damaged_store: bool,
    /// What the store holds now.
    pub stats: Stats,
}

/// Replaces the store at `store_path` with the copy in `backup_file`.
///
/// The backup is checked first ([`inspect_backup`]) and refused, with the store left exactly
/// as it was, unless it is a readable Kith store. Then the current store is kept as a
/// before-restore copy, and the backup is copied in with the backup API, in one transaction on
/// the live file, so the app can stay open and a crash part-way leaves the old store. A store
/// that cannot be read as a database at all is kept byte for byte and replaced by a fresh file.
/// Finally the store is opened as usual (upgrading a backup from an older Kith).
///
/// `key` is the passphrase the store is locked with, if it is: the backup must open with it
/// (every copy is locked like the store), and the restored store stays locked with it.
pub fn restore(
    store_path: &Path,
    backup_file: &Path,
    key: Option<&Passphrase>,
    now: DateTime<Utc>,
) -> Result<RestoreOutcome> {
    if let (Ok(a), Ok(b)) = (store_path.canonicalize(), backup_file.canonicalize()) {
        if a == b {
            return Err(Error::invalid(format!(
                "{}: this is the store itself; choose a backup file",
                backup_file.display()
            )));
        }
    }
    // Hold the store's lock like every connection, so no passphrase change swaps its file
    // while the backup is copied in.
    let (_lock, _) = crate::sqlite::recovery::lock_for_opening(store_path)?;
    inspect_backup(backup_file, key)?;
    let store_kind = file_kind(store_path)?;
    let backup_kind = file_kind(backup_file)?;
    if store_kind == FileKind::Plain && backup_kind == FileKind::Locked {
        return Err(Error::invalid(format!(
            "{}: this backup is locked with a passphrase but the store {} is not; set that \
             passphrase on the store first (kith passphrase set, or Passphrase in the app), then \
             restore the backup. Nothing was restored",
            backup_file.display(),
            store_path.display()
        )));
    }
    if store_kind == FileKind::Locked && backup_kind == FileKind::Plain {
        return Err(Error::invalid(format!(
            "{}: this backup is not locked with a passphrase but the store is; remove the \
             store's passphrase first, or choose a locked backup. Nothing was restored",
            backup_file.display()
        )));
    }
    // A plain backup goes into a plain store (or in place of a missing or unreadable one), and
    // the copy of a plain store is plain, whatever passphrase was at hand.
    let key = if store_kind == FileKind::Plain || backup_kind == FileKind::Plain {
        None
    } else {
        key
    };

    let (before_restore, damaged) = keep_current(store_path, key, now)?;
    if damaged {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let p = with_suffix(store_path, suffix);
            match std::fs::remove_file(&p) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io(p, e)),
            }
        }
    }
    if let Some(parent) = store_path.parent().filter(|p| !p.as_os_str().is_empty()) {
        store_files::create_private_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    if file_kind(store_path)? == FileKind::New {
        if let Err(e) = store_files::create_private_empty(store_path) {
            if e.kind() != std::io::ErrorKind::AlreadyExists {
                return Err(Error::io(store_path, e));
            }
        }
    }

    let source = open(backup_file, key, Role::Reader, "backup")?;
    let mut target = open(store_path, key, Role::Copy, "store")?;
    // A new file takes WAL before the copy, like every store; an existing store already is.
    use_wal(&target)?;
    copy_database(&source, &mut target).map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ReadOnly => {
            Error::StoreUnavailable {
                path: store_path.to_path_buf(),
                reason: format!(
                    "the backup {} cannot be copied into it ({e}); the store was left as it was",
                    backup_file.display()
                ),
            }
        }
        other => Error::Database(other),
    })?;
    drop(target);
    drop(source);

    let store = Store::open_with_key(store_path, key)?;
    Ok(RestoreOutcome {
        restored_from: backup_file.display().to_string(),
        before_restore,
        replaced_damaged_store: damaged,
        stats: store.stats()?,
    })
}

/// Keeps the store about to be replaced. Returns the copy and whether the store was unreadable
/// (and so copied byte for byte rather than through SQLite).
fn keep_current(
    store_path: &Path,
    key: Option<&Passphrase>,
    now: DateTime<Utc>,
) -> Result<(Option<BackupInfo>, bool)> {
    let size = match std::fs::metadata(store_path) {
        Ok(m) if m.is_dir() => {
            return Err(Error::StoreUnavailable {
                path: store_path.to_path_buf(),
                reason: "it is a folder, not a file".into(),
            })
        }
        Ok(m) => m.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
        Err(e) => return Err(Error::io(store_path, e)),
    };
    let has_wal = file_size(&with_suffix(store_path, "-wal")) > 0;
    if size == 0 && !has_wal {
        return Ok((None, false));
    }
    let readable = open(store_path, key, Role::Writer, "store").ok();
    if let Some(conn) = readable {
        match make_copy(
            &conn,
            key,
            store_path,
            BackupKind::BeforeRestore,
            &stamp(now),
            now,
        ) {
            Ok(info) => return Ok((Some(info), false)),
            Err(e) if e.code() == "store_busy" => return Err(e),
            Err(e) => {
                tracing::warn!("copying the store through SQLite failed ({e}); copying its files")
            }
        }
    }
    // Unreadable: keep its bytes (and its -wal, which may hold the latest changes).
    let files = StoreFiles::new(store_path);
    let dir = backups_folder(&files)?;
    let temp = partial_name(&files);
    copy_private(store_path, &temp)?;
    let base = format!(
        "{}{}-{}",
        files.backup_prefix(),
        BackupKind::BeforeRestore.as_str(),
        stamp(now)
    );
    let target = publish(&temp, &dir, &base, true)?
        .ok_or_else(|| Error::invalid("could not find a free name for the before-restore copy"))?;
    if has_wal {
        let wal = with_suffix(store_path, "-wal");
        let kept = with_suffix(&target, "-wal");
        copy_private(&wal, &kept)?;
    }
    sync_dir(&dir);
    let info = info_for(&files, &target)
        .ok_or_else(|| Error::invalid(format!("{}: a copy Kith cannot name", target.display())))?;
    Ok((Some(info), true))
}
