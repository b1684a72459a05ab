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

use crate::error::{Error, Result};
use crate::passphrase::{file_kind, open_checked, FileKind, Passphrase};
use crate::sqlite::files::{self as store_files, StoreFiles};
use crate::store::{classify_open_error, schema, Store, BUSY_TIMEOUT};
use crate::Stats;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use specta::Type;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// The setting that says how many daily and how many before-import copies to keep.
pub const KEEP_SETTING: &str = "backup.keep";

/// How many daily and before-import copies are kept when the setting is absent.
pub const DEFAULT_KEEP: u32 = 7;

/// The folder, next to the store file, that holds the copies.
pub const FOLDER: &str = crate::sqlite::files::BACKUPS_FOLDER;

use crate::sqlite::files::SUFFIX;
/// A partial copy (named with [`StoreFiles::partial_prefix`], never listed) older than this
/// belongs to a process that died while making it. (Opening a store alone removes them at once.)
const ABANDONED_AFTER: Duration = Duration::from_secs(3600);

/// The tables every Kith store has had since the first schema.
const KITH_TABLES: [&str; 7] = [
    "contacts",
    "handles",
    "roles",
    "interactions",
    "interaction_contacts",
    "events",
    "event_attendees",
];

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

/// What a backup file holds, once checked to be a readable Kith store.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct BackupContents {
    pub path: String,
    /// The schema the copy is at; an older one is upgraded when it is restored.
    #[specta(type = f64)]
    pub schema_version: i64,
    pub stats: Stats,
}

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

/// How many daily and before-import copies to keep: the `backup.keep` setting, at least one.
pub fn keep_count(store: &Store) -> u32 {
    match store.setting::<u32>(KEEP_SETTING) {
        Ok(Some(n)) => n.max(1),
        Ok(None) => DEFAULT_KEEP,
        Err(e) => {
            tracing::warn!("{e}; keeping {DEFAULT_KEEP} backups");
            DEFAULT_KEEP
        }
    }
}

/// The most copies of one kind a person can ask Kith to keep.
pub const MAX_KEEP: u32 = 365;

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

/// The daily copy: made when the store holds anything and there is none for `now`'s (UTC)
/// day yet; older daily copies beyond the kept number are removed. Returns the new copy.
pub fn daily_backup(store: &Store, now: DateTime<Utc>) -> Result<Option<BackupInfo>> {
    let Some(path) = store.path() else {
        return Ok(None);
    };
    let day = now.date_naive().format("%Y-%m-%d").to_string();
    let name = format!(
        "{}{}-{day}{SUFFIX}",
        StoreFiles::new(path).backup_prefix(),
        BackupKind::Daily.as_str()
    );
    if backups_dir(path).join(&name).exists() || store.is_empty()? {
        return Ok(None);
    }
    let info = make_copy(
        store.connection(),
        store.passphrase(),
        path,
        BackupKind::Daily,
        &day,
        now,
    )?;
    prune(path, BackupKind::Daily, keep_count(store))?;
    Ok(Some(info))
}

/// The daily copy of the store file at `store_path` (as [`daily_backup`]), made through a
/// connection of its own, so it can run beside another connection that is already serving
/// the person: WAL lets that one read and write while the copy reads its snapshot.
pub fn daily_backup_file(
    store_path: &Path,
    key: Option<&Passphrase>,
    now: DateTime<Utc>,
) -> Result<Option<BackupInfo>> {
    let store = Store::open_leaving_daily_backup(store_path, key)?;
    daily_backup(&store, now)
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

/// The copy of a store at schema `version` made before it is upgraded.
pub(crate) fn before_migration(
    conn: &Connection,
    key: Option<&Passphrase>,
    store_path: &Path,
    version: i64,
    now: DateTime<Utc>,
) -> Result<BackupInfo> {
    make_copy(
        conn,
        key,
        store_path,
        BackupKind::BeforeMigration,
        &format!("v{version}-{}", stamp(now)),
        now,
    )
}

/// Checks that `file` is a readable Kith store this build can open: an SQLite database that
/// passes `PRAGMA integrity_check`, has Kith's tables, and a schema no newer than this build's.
/// The file is only read. A copy of a store locked with a passphrase opens with `key`.
pub fn inspect_backup(file: &Path, key: Option<&Passphrase>) -> Result<BackupContents> {
    let refuse = |reason: String| Error::StoreCorrupt {
        path: file.to_path_buf(),
        reason: format!("{reason}; nothing was restored"),
    };
    let meta = std::fs::metadata(file).map_err(|e| Error::io(file, e))?;
    if meta.is_dir() {
        return Err(refuse("it is a folder, not a backup file".into()));
    }
    if meta.len() == 0 {
        return Err(refuse("the file is empty".into()));
    }
    let corrupt = |e: rusqlite::Error| match classify_open_error(file, e) {
        Error::StoreCorrupt { reason, .. } => refuse(reason),
        Error::Database(e) => refuse(e.to_string()),
        other => other,
    };
    let conn = open_checked(
        file,
        key,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        "backup",
    )
    .map_err(|e| match e {
        Error::StoreCorrupt { reason, .. } => refuse(reason),
        Error::Database(e) => refuse(e.to_string()),
        other => other,
    })?;

    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(corrupt)?;
    if version > schema::CURRENT_VERSION {
        return Err(Error::StoreTooNew {
            path: file.to_path_buf(),
            found: version,
            known: schema::CURRENT_VERSION,
        });
    }
    let problems: Vec<String> = {
        let mut stmt = conn.prepare("PRAGMA integrity_check(5)").map_err(corrupt)?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(corrupt)?;
        rows.collect::<rusqlite::Result<_>>().map_err(corrupt)?
    };
    if problems.as_slice() != ["ok"] {
        return Err(refuse(format!(
            "the integrity check failed: {}",
            problems.join("; ")
        )));
    }
    let missing: Vec<&str> = KITH_TABLES
        .iter()
        .copied()
        .filter(|t| {
            conn.query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                [t],
                |r| r.get::<_, i64>(0),
            )
            .map_or(true, |n| n == 0)
        })
        .collect();
    if version == 0 || !missing.is_empty() {
        let what = if missing.is_empty() {
            "it has no Kith schema version".to_string()
        } else {
            format!("it has no {} table", missing.join(", "))
        };
        return Err(refuse(format!(
            "it is an SQLite database, but not a Kith store ({what})"
        )));
    }
    let count = |table: &str| -> Result<u32> {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .map_err(corrupt)
    };
    Ok(BackupContents {
        path: file.display().to_string(),
        schema_version: version,
        stats: Stats {
            contacts: count("contacts")?,
            interactions: count("interactions")?,
            events: count("events")?,
        },
    })
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

    let source = open_checked(
        backup_file,
        key,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        "backup",
    )?;
    let mut target = Connection::open(store_path).map_err(|e| Error::StoreUnavailable {
        path: store_path.to_path_buf(),
        reason: e.to_string(),
    })?;
    crate::passphrase::key_connection(&target, key)?;
    target.busy_timeout(BUSY_TIMEOUT)?;
    // A new file takes WAL before the copy, like every store; an existing store already is.
    target.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(()))?;
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
    let readable = open_checked(
        store_path,
        key,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        "store",
    )
    .ok();
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

/// Writes a copy of `conn`'s database into the backups folder of `store_path`, named
/// `kith-<kind>-<when>.sqlite3`.
fn make_copy(
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
fn backups_folder(files: &StoreFiles) -> Result<PathBuf> {
    let dir = files.backups_dir();
    store_files::create_private_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    store_files::restrict(&dir);
    Ok(dir)
}

/// Copies a file byte for byte into a new file only its owner can read, synced to disk.
fn copy_private(from: &Path, to: &Path) -> Result<()> {
    let copied = (|| -> std::io::Result<()> {
        let mut source = std::fs::File::open(from)?;
        let mut dest = store_files::open_private(to, true)?;
        std::io::copy(&mut source, &mut dest)?;
        dest.sync_all()
    })();
    copied.map_err(|e| {
        let _ = std::fs::remove_file(to);
        Error::io(from, e)
    })
}

/// Copies `conn`'s database into the new hidden file `temp` in `dir`, synced to disk, locked
/// with `key` (the store's own passphrase: SQLite's backup API copies between files with the
/// same key), readable by its owner only.
fn write_temp(
    conn: &Connection,
    key: Option<&Passphrase>,
    dir: &Path,
    temp: &Path,
) -> Result<PathBuf> {
    let temp = temp.to_path_buf();
    store_files::create_private_empty(&temp).map_err(|e| Error::io(&temp, e))?;
    let written = (|| -> rusqlite::Result<()> {
        let mut dest = Connection::open(&temp)?;
        crate::passphrase::key_connection(&dest, key)?;
        // The copy is a single self-contained file: no WAL beside it.
        copy_database(conn, &mut dest)?;
        dest.pragma_update_and_check(None, "journal_mode", "DELETE", |_| Ok(()))?;
        dest.close().map_err(|(_, e)| e)
    })();
    if let Err(e) = written {
        remove_partial(&temp);
        let code = Error::Database(e);
        return Err(if code.code() == "store_busy" {
            code
        } else {
            Error::io(
                dir,
                std::io::Error::other(format!("cannot write a backup here: {code}")),
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
fn copy_database(from: &Connection, to: &mut Connection) -> rusqlite::Result<()> {
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

/// Gives the finished copy `temp` its name `<base>.sqlite3` without overwriting any file
/// (`<base>-2.sqlite3`… when `numbered`). Returns `None`, discarding `temp`, when the name is
/// taken and not `numbered`.
fn publish(temp: &Path, dir: &Path, base: &str, numbered: bool) -> Result<Option<PathBuf>> {
    // Number after the highest copy of this second still there, so a newer copy never takes
    // the free name of an older one that was pruned (and then sorts as older than it is).
    let first = if numbered {
        highest_number(dir, base) + 1
    } else {
        1
    };
    for n in first..first + 1000 {
        let name = if n == 1 {
            format!("{base}{SUFFIX}")
        } else {
            format!("{base}-{n}{SUFFIX}")
        };
        let target = dir.join(name);
        // A hard link never replaces an existing file, so two processes cannot overwrite each
        // other's copies; where links are not supported, rename a name that is free.
        let placed = match std::fs::hard_link(temp, &target) {
            Ok(()) => true,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => false,
            Err(_) if target.exists() => false,
            Err(_) => match std::fs::rename(temp, &target) {
                Ok(()) => return Ok(Some(target)),
                Err(e) => {
                    remove_partial(temp);
                    return Err(Error::io(&target, e));
                }
            },
        };
        if placed {
            remove_partial(temp);
            return Ok(Some(target));
        }
        if !numbered {
            remove_partial(temp);
            return Ok(None);
        }
    }
    remove_partial(temp);
    Err(Error::io(
        dir,
        std::io::Error::other(format!("too many backups named {base}")),
    ))
}

/// The highest `n` of the files `<base>.sqlite3` (1) and `<base>-<n>.sqlite3` in `dir`; 0 if none.
fn highest_number(dir: &Path, base: &str) -> u32 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix(base)?.strip_suffix(SUFFIX)?;
            if rest.is_empty() {
                Some(1)
            } else {
                rest.strip_prefix('-')?.parse::<u32>().ok()
            }
        })
        .max()
        .unwrap_or(0)
}

/// Removes the oldest copies of `kind` beyond `keep`, and partial copies long abandoned.
fn prune(store_path: &Path, kind: BackupKind, keep: u32) -> Result<()> {
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

fn info_for(files: &StoreFiles, path: &Path) -> Option<BackupInfo> {
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

fn stamp(now: DateTime<Utc>) -> String {
    now.format("%Y%m%dT%H%M%SZ").to_string()
}

fn partial_name(files: &StoreFiles) -> PathBuf {
    StoreFiles::temp_in(&files.backups_dir(), &files.partial_prefix())
}

fn remove_partial(temp: &Path) {
    let _ = std::fs::remove_file(temp);
    let _ = std::fs::remove_file(with_suffix(temp, "-journal"));
}

pub(crate) use store_files::with_suffix;

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

pub(crate) fn sync_file(path: &Path) -> Result<()> {
    store_files::sync_file(path).map_err(|e| Error::io(path, e))
}

pub(crate) use store_files::sync_dir;

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
