//! Opening a connection to a store or a copy of one, and every pragma Kith sets, each with why.
//!
//! A connection is opened for one [`Role`]:
//! - [`Role::Writer`]: the store itself, read and written (created if it is new);
//! - [`Role::Reader`]: a store or a copy that is only read (a backup being checked or restored
//!   from, a re-keyed copy being checked);
//! - [`Role::Copy`]: a new, empty file a copy is written into.
//!
//! What goes wrong on opening is classified once (`classify_open_error`): a file that is not
//! a database is `store_corrupt`, one that cannot be opened is `store_unavailable`, a wrong key
//! is `wrong_passphrase`.

use super::key::{key_connection, Passphrase};
use crate::error::{Error, Result};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// How long a connection waits for another one that holds the write lock before giving up with
/// `store_busy`: the app and the CLI may share a file, and one waits for the other's write
/// rather than fail.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// What a connection is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The store, read and written; made if there is no file yet.
    Writer,
    /// A store or copy that is only read; nothing is written to it, not even a `-wal`.
    Reader,
    /// A new, empty file a copy of a database is written into.
    Copy,
}

impl Role {
    fn flags(self) -> OpenFlags {
        // NO_MUTEX: each connection is used by one thread at a time (the session hands them
        // out), so SQLite's own per-connection mutex would only cost time.
        match self {
            Role::Writer | Role::Copy => {
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
            }
            Role::Reader => OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        }
    }
}

/// The pragmas every connection Kith opens has, before it reads anything.
pub(crate) fn configure(conn: &Connection) -> rusqlite::Result<()> {
    // Wait for another writer (the app and the CLI on one file) instead of failing at once.
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Enforce participants, roles and handles belonging to existing contacts. SQLite leaves
    // foreign keys off unless each connection asks.
    conn.pragma_update(None, "foreign_keys", true)
}

/// The journal of a live store, set once its version has been checked (so that a file Kith
/// refuses is left untouched).
pub(crate) fn use_wal(conn: &Connection) -> rusqlite::Result<()> {
    // WAL: readers never block the writer and a crash mid-write cannot tear the file.
    // (In memory the mode stays "memory", which is fine.)
    conn.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(()))?;
    // NORMAL is durable in WAL mode except for the last commits before a power cut, and much
    // faster than FULL; the file itself never corrupts.
    conn.pragma_update(None, "synchronous", "NORMAL")
}

/// The journal of a finished copy: a single self-contained file, with no `-wal` beside it, that
/// can be moved, renamed and opened on its own.
pub(crate) fn use_single_file(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update_and_check(None, "journal_mode", "DELETE", |_| Ok(()))
}

/// Takes the file for this connection alone, for as long as it is open, also against programs
/// that open it without Kith's lock: in WAL mode every other connection holds a lock that makes
/// this fail with `SQLITE_BUSY` (after `wait`).
pub(crate) fn hold_alone(conn: &Connection, wait: Duration) -> rusqlite::Result<()> {
    conn.busy_timeout(wait)?;
    conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
    // The exclusive lock is taken by the first write, so write nothing at once.
    conn.execute_batch("BEGIN IMMEDIATE; COMMIT;")
}

/// The version of the schema the file holds (0 for a new file or one Kith did not make).
pub(crate) fn schema_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// No file, or an empty one: SQLite makes a new database.
    New,
    /// A plain SQLite database.
    Plain,
    /// Not a plain SQLite database, but the size of one made of whole pages: an encrypted
    /// store, or a damaged file; only a passphrase can tell.
    Locked,
    /// Not an SQLite database at all.
    Other,
}

pub(crate) fn file_kind(path: &Path) -> Result<FileKind> {
    let unavailable = |reason: String| Error::StoreUnavailable {
        path: path.to_path_buf(),
        reason,
    };
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileKind::New),
        Err(e) => return Err(unavailable(e.to_string())),
    };
    let meta = file.metadata().map_err(|e| unavailable(e.to_string()))?;
    if meta.is_dir() {
        return Err(unavailable("it is a folder, not a file".into()));
    }
    let mut header = [0u8; 16];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => return Err(unavailable(e.to_string())),
        }
    }
    Ok(if read == 0 {
        FileKind::New
    } else if read == header.len() && &header == b"SQLite format 3\0" {
        FileKind::Plain
    } else if header[..read].iter().all(|b| *b == header[0]) {
        // An encrypted store starts with 16 random bytes (its salt). One byte over and over (a
        // file of zeros, as a crashed disk or a sparse copy leaves) is damage, not a passphrase.
        FileKind::Other
    } else if meta.len() >= 512 && meta.len() % 512 == 0 {
        FileKind::Locked
    } else {
        FileKind::Other
    })
}

/// Whether the file at `path` is locked with a passphrase (or is damaged in a way only a
/// passphrase could tell apart). A missing file is not.
pub fn is_locked_file(path: &Path) -> Result<bool> {
    Ok(file_kind(path)? == FileKind::Locked)
}

/// Opens `path` (a store, a copy of one, or a new file for a copy) for `role`, keyed with
/// `key` unless the file is plain, with the pragmas of [`configure`], and checks the key by
/// reading the schema. What goes wrong is mapped to errors that say what to do; `what` names
/// the file to the person ("store", "backup") when the passphrase is wrong.
pub(crate) fn open(
    path: &Path,
    key: Option<&Passphrase>,
    role: Role,
    what: &str,
) -> Result<Connection> {
    let kind = file_kind(path)?;
    match (kind, key) {
        (FileKind::Other, _) => {
            return Err(Error::StoreCorrupt {
                path: path.to_path_buf(),
                reason: "it does not start like an SQLite database or a store locked with a \
                         passphrase"
                    .into(),
            })
        }
        (FileKind::Locked, None) => return Err(Error::PassphraseNeeded { path: path.into() }),
        _ => {}
    }
    let classify = |e| classify_open_error(path, e);
    let conn = Connection::open_with_flags(path, role.flags()).map_err(classify)?;
    // A plain file is read as it is; a key given for it would only fail to decrypt it.
    let key = if kind == FileKind::Plain { None } else { key };
    key_connection(&conn, key).map_err(classify)?;
    configure(&conn).map_err(classify)?;
    match conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(conn),
        Err(rusqlite::Error::SqliteFailure(f, _))
            if f.code == ErrorCode::NotADatabase && kind == FileKind::Locked =>
        {
            Err(Error::WrongPassphrase {
                path: path.to_path_buf(),
                what: what.to_string(),
            })
        }
        Err(e) => Err(classify(e)),
    }
}

/// What an error from opening or first reading `path` means: not a database (or damaged) is
/// `store_corrupt`, a file that cannot be opened or written is `store_unavailable`.
pub(crate) fn classify_open_error(path: &Path, e: rusqlite::Error) -> Error {
    match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(f.code, ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) =>
        {
            Error::StoreCorrupt {
                path: path.to_path_buf(),
                reason: e.to_string(),
            }
        }
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(
                f.code,
                ErrorCode::CannotOpen | ErrorCode::PermissionDenied | ErrorCode::ReadOnly
            ) =>
        {
            Error::StoreUnavailable {
                path: path.to_path_buf(),
                reason: e.to_string(),
            }
        }
        _ => Error::Database(e),
    }
}
