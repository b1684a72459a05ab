//! The copies of a store in its backups folder: what they are called, making one, listing them
//! and removing the oldest.
//!
//! Copies are made with SQLite's online backup API, which reads a consistent snapshot of a
//! live WAL database (a plain file copy could catch it half-written). Each is written to a
//! hidden temporary file in the folder, synced, and only then given its name (see
//! [`super::publish`]), so a file under a `kith-…` name is always a whole copy. When and why
//! copies are made, and restoring one, is [`crate::backup`]'s; this module knows no store.

use super::files::{self as store_files, sync_dir, StoreFiles, SUFFIX};
use super::key::Passphrase;
use super::open::{self, Role, BUSY_TIMEOUT};
use super::publish::{publish, remove_partial, sync_file};
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::Connection;
use serde::Serialize;
use specta::Type;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// The setting that says how many daily and how many before-import copies to keep.
pub const KEEP_SETTING: &str = "backup.keep";

/// How many daily and before-import copies are kept when the setting is absent.
pub const DEFAULT_KEEP: u32 = 7;

/// The most copies of one kind a person can ask Kith to keep.
pub const MAX_KEEP: u32 = 365;

/// A partial copy (named with [`StoreFiles::partial_prefix`], never listed) older than this
/// belongs to a process that died while making it. (Opening a store alone removes them at once.)
const ABANDONED_AFTER: Duration = Duration::from_secs(3600);

/// Why a copy was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum BackupKind {
    Daily,
    BeforeImport,
    BeforeMigration,
    BeforeRestore,
    Manual,
}

impl BackupKind {
    pub const ALL: [BackupKind; 5] = [
        BackupKind::Daily,
        BackupKind::BeforeImport,
        BackupKind::BeforeMigration,
        BackupKind::BeforeRestore,
        BackupKind::Manual,
    ];

    /// The word in file names: `kith-<this>-…`.
    pub fn as_str(self) -> &'static str {
        match self {
            BackupKind::Daily => "daily",
            BackupKind::BeforeImport => "before-import",
            BackupKind::BeforeMigration => "before-migration",
            BackupKind::BeforeRestore => "before-restore",
            BackupKind::Manual => "manual",
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            BackupKind::Daily => "daily",
            BackupKind::BeforeImport => "before import",
            BackupKind::BeforeMigration => "before upgrade",
            BackupKind::BeforeRestore => "before restore",
            BackupKind::Manual => "manual",
        }
    }
}

/// One copy in the backups folder.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct BackupInfo {
    /// The file name, e.g. `kith-daily-2026-11-22.sqlite3`.
    pub name: String,
    /// The full path of the file.
    pub path: String,
    pub kind: BackupKind,
    /// When the copy was made, from its name; for a daily copy, the start of its (UTC) day.
    pub created_at: DateTime<Utc>,
    #[specta(type = f64)]
    pub size_bytes: u64,
}

/// The folder the copies of the store at `store_path` go in.
pub fn backups_dir(store_path: &Path) -> PathBuf {
    StoreFiles::new(store_path).backups_dir()
}

/// Every copy of the store at `store_path`, newest first. Files in the folder that Kith did not
/// name, and the copies of other stores that share the folder, are left out.
pub fn list_backups(store_path: &Path) -> Result<Vec<BackupInfo>> {
    Ok(scan(&StoreFiles::new(store_path))?
        .into_iter()
        .map(|(info, _)| info)
        .collect())
}

/// Writes a copy of `conn`'s database into the backups folder of `store_path`, named
/// `kith-<kind>-<when>.sqlite3`.
pub(crate) fn make_copy(
    conn: &Connection,
    key: Option<&Passphrase>,
    store_path: &Path,
    kind: BackupKind,
    when: &str,
    now: DateTime<Utc>,
) -> Result<BackupInfo> {
    let files = StoreFiles::new(store_path);
    let dir = backups_folder(&files)?;
    let temp = write_temp(conn, key, &dir, &partial_name(&files))?;
    let base = format!("{}{}-{when}", files.backup_prefix(), kind.as_str());
    // Two daily copies of one day are the same copy: keep the first.
    let numbered = kind != BackupKind::Daily;
    let target = match publish(&temp, &dir, &base, numbered)? {
        Some(t) => t,
        None => dir.join(format!("{base}{SUFFIX}")),
    };
    sync_dir(&dir);
    Ok(info_for(&files, &target).unwrap_or_else(|| BackupInfo {
        name: file_name(&target),
        path: target.display().to_string(),
        kind,
        created_at: now,
        size_bytes: file_size(&target),
    }))
}

/// The backups folder of a store, made (for its owner only) if it is not there yet.
pub(crate) fn backups_folder(files: &StoreFiles) -> Result<PathBuf> {
    let dir = files.backups_dir();
    store_files::create_private_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    store_files::restrict(&dir);
    Ok(dir)
}

/// Copies `conn`'s database into the new hidden file `temp` in `dir`, synced to disk, locked
/// with `key` (the store's own passphrase: SQLite's backup API copies between files with the
/// same key), readable by its owner only.
pub(crate) fn write_temp(
    conn: &Connection,
    key: Option<&Passphrase>,
    dir: &Path,
    temp: &Path,
) -> Result<PathBuf> {
    let temp = temp.to_path_buf();
    store_files::create_private_empty(&temp).map_err(|e| Error::io(&temp, e))?;
    let written = (|| -> Result<()> {
        let mut dest = open::open(&temp, key, Role::Copy, "new copy")?;
        copy_database(conn, &mut dest)?;
        open::use_single_file(&dest)?;
        dest.close().map_err(|(_, e)| e)?;
        Ok(())
    })();
    if let Err(e) = written {
        remove_partial(&temp);
        return Err(if e.code() == "store_busy" {
            e
        } else {
            Error::io(
                dir,
                std::io::Error::other(format!("cannot write a backup here: {e}")),
            )
        });
    }
    if let Err(e) = sync_file(&temp) {
        remove_partial(&temp);
        return Err(e);
    }
    Ok(temp)
}

/// Copies the whole main database of `from` into `to` with the online backup API, in one step
/// (one consistent snapshot, one transaction on the target), waiting while either is busy.
pub(crate) fn copy_database(from: &Connection, to: &mut Connection) -> rusqlite::Result<()> {
    let backup = Backup::new(from, to)?;
    let deadline = Instant::now() + BUSY_TIMEOUT;
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::Busy | StepResult::Locked if Instant::now() >= deadline => {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                    Some("another program kept the store busy".into()),
                ))
            }
            StepResult::Busy | StepResult::Locked => std::thread::sleep(Duration::from_millis(50)),
            _ => {}
        }
    }
}

/// Removes the oldest copies of `kind` beyond `keep`, and partial copies long abandoned.
pub(crate) fn prune(store_path: &Path, kind: BackupKind, keep: u32) -> Result<()> {
    let files = StoreFiles::new(store_path);
    let dir = files.backups_dir();
    let old: Vec<(BackupInfo, u32)> = scan(&files)?
        .into_iter()
        .filter(|(info, _)| info.kind == kind)
        .skip(keep as usize)
        .collect();
    for (info, _) in old {
        if let Err(e) = std::fs::remove_file(&info.path) {
            if e.kind() != std::io::ErrorKind::NotFound {
                return Err(Error::io(&info.path, e));
            }
        }
    }
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let abandoned = entry
                .file_name()
                .to_string_lossy()
                .starts_with(&files.partial_prefix())
                && entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| SystemTime::now().duration_since(t).ok())
                    .is_some_and(|age| age > ABANDONED_AFTER);
            if abandoned {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    Ok(())
}

/// The store's copies in its backups folder, newest first, each with its same-second number.
fn scan(files: &StoreFiles) -> Result<Vec<(BackupInfo, u32)>> {
    let dir = &files.backups_dir();
    let prefix = files.backup_prefix();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        if !entry.file_type().map(|t| t.is_file()).unwrap_or(false) {
            continue;
        }
        if let Some((kind, created_at, number)) =
            parse_name(&prefix, &entry.file_name().to_string_lossy())
        {
            let path = entry.path();
            found.push((
                BackupInfo {
                    name: file_name(&path),
                    path: path.display().to_string(),
                    kind,
                    created_at,
                    size_bytes: entry.metadata().map(|m| m.len()).unwrap_or(0),
                },
                number,
            ));
        }
    }
    found.sort_by(|(a, an), (b, bn)| {
        (b.created_at, *bn, &b.name).cmp(&(a.created_at, *an, &a.name))
    });
    Ok(found)
}

pub(crate) fn info_for(files: &StoreFiles, path: &Path) -> Option<BackupInfo> {
    let (kind, created_at, _) = parse_name(&files.backup_prefix(), &file_name(path))?;
    Some(BackupInfo {
        name: file_name(path),
        path: path.display().to_string(),
        kind,
        created_at,
        size_bytes: file_size(path),
    })
}

/// Reads `<prefix><kind>-<when>[-<n>].sqlite3`, where `prefix` names the store (`kith-`).
fn parse_name(prefix: &str, name: &str) -> Option<(BackupKind, DateTime<Utc>, u32)> {
    let core = name.strip_prefix(prefix)?.strip_suffix(SUFFIX)?;
    let kind = BackupKind::ALL.into_iter().find(|k| {
        core.strip_prefix(k.as_str())
            .is_some_and(|r| r.starts_with('-'))
    })?;
    let rest = &core[kind.as_str().len() + 1..];
    if kind == BackupKind::Daily {
        let day = NaiveDate::parse_from_str(rest, "%Y-%m-%d").ok()?;
        return Some((kind, day.and_hms_opt(0, 0, 0)?.and_utc(), 1));
    }
    let rest = if kind == BackupKind::BeforeMigration {
        let (version, rest) = rest.strip_prefix('v')?.split_once('-')?;
        version.parse::<i64>().ok()?;
        rest
    } else {
        rest
    };
    let (when, number) = match rest.split_once('-') {
        Some((when, n)) => (when, n.parse::<u32>().ok().filter(|n| *n >= 2)?),
        None => (rest, 1),
    };
    let at = NaiveDateTime::parse_from_str(when, "%Y%m%dT%H%M%SZ").ok()?;
    Some((kind, at.and_utc(), number))
}

pub(crate) fn stamp(now: DateTime<Utc>) -> String {
    now.format("%Y%m%dT%H%M%SZ").to_string()
}

pub(crate) fn partial_name(files: &StoreFiles) -> PathBuf {
    StoreFiles::temp_in(&files.backups_dir(), &files.partial_prefix())
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub(crate) fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_back() {
        let (k, at, n) = parse_name("kith-", "kith-daily-2026-11-22.sqlite3").unwrap();
        assert_eq!(
            (k, at.to_rfc3339(), n),
            (BackupKind::Daily, "2026-11-22T00:00:00+00:00".into(), 1)
        );
        let (k, at, n) =
            parse_name("kith-", "kith-before-import-20261122T101500Z-3.sqlite3").unwrap();
        assert_eq!(
            (k, at.to_rfc3339(), n),
            (
                BackupKind::BeforeImport,
                "2026-11-22T10:15:00+00:00".into(),
                3
            )
        );
        let (k, _, _) =
            parse_name("kith-", "kith-before-migration-v1-20261122T101500Z.sqlite3").unwrap();
        assert_eq!(k, BackupKind::BeforeMigration);
        for other in [
            "kith.sqlite3",
            "kith-daily-2026-13-01.sqlite3",
            "kith-weekly-2026-11-22.sqlite3",
            "kith-manual-20261122T101500Z-1.sqlite3",
            "kith-manual-20261122T101500Z.sqlite3-wal",
            ".kith-partial-1-2.sqlite3",
        ] {
            assert!(parse_name("kith-", other).is_none(), "{other}");
        }
    }
}
