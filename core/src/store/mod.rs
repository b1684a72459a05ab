//! The SQLite store: one file holds the user's whole network.
//!
//! Opening policy, written down once:
//! - A file that is not a Kith store, is damaged, or was written by a newer Kith is refused with
//!   a clear error and left untouched. It is never replaced by an empty store.
//! - Every write runs in an `IMMEDIATE` transaction: it takes the write lock up front, so a
//!   concurrent writer (the app and the CLI on one file) waits on the busy timeout instead of
//!   failing with "database is locked" when a deferred read lock cannot be upgraded.

mod accounts;
mod attendees;
mod changes;
mod contact_words;
mod contacts;
mod daily;
mod dates;
mod dav;
mod decisions;
mod events;
mod handle_changes;
mod harvest;
mod interactions;
mod list_questions;
mod matching;
mod met;
mod network;
mod new_people;
mod records;
mod review;
mod samples;
pub mod schema;
mod search;
mod settings;
mod suggestions;

pub use crate::handles::normalize_handle;
pub use accounts::AccountRow;
pub(crate) use contacts::too_many_handles;
pub use contacts::MAX_HANDLES;
pub use daily::{daily_backup, keep_count};
pub use dav::{DavApply, DavConflict, DavItem, DavItemState, NewConflict};
pub(crate) use decisions::{check_setting, parse_state, state_name};
pub use decisions::{Decisions, SuggestionDecision};
pub(crate) use harvest::AfterSync;
pub use harvest::{Incoming, IncomingPerson, SyncCounts};
pub use interactions::{default_public, MAX_TIMELINE_PAGE, TIMELINE_PAGE};
pub use matching::{AutoMerge, DuplicatePair, MatchedImport};
pub use network::Network;
pub use new_people::{Likely, NewPerson};
pub use records::{ImportReport, Records, WriteProgress, UNRESOLVED_TAG};
pub use search::fts_query;
pub use settings::MY_EMAILS_SETTING;
pub use suggestions::FollowUp;

use crate::error::{Damaged, Error, Result};
use crate::sqlite::copies::{make_copy, stamp, BackupKind};
use crate::sqlite::key::Passphrase;
use crate::sqlite::open::{self, classify_open_error, file_kind, FileKind};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, TransactionBehavior};
use std::path::{Path, PathBuf};

pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// The passphrase the file is locked with, if it is.
    key: Option<Passphrase>,
    /// The contacts list with each contact's interaction count and latest interaction; kept,
    /// and brought up to date from the change log (see `search::ContactList`).
    contact_list: std::cell::RefCell<Option<search::ContactList>>,
    /// The whole network as last loaded (see `network::KeptNetwork`).
    network: std::cell::RefCell<Option<network::KeptNetwork>>,
    /// How many times the kept list and network were read whole.
    whole_reads: changes::WholeReads,
    /// What opening the store found left by an interrupted job, and did about it.
    tidied: Vec<String>,
    /// The store's lock, held shared for as long as the connection is open (see
    /// [`crate::sqlite::lock`]). Declared last so that it is released after the connection
    /// is closed.
    _lock: Option<crate::sqlite::StoreLock>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Where the store lives when neither `--db` nor `KITH_DB` says otherwise:
    /// the OS data directory (on Linux `$XDG_DATA_HOME/kith/kith.sqlite3`).
    pub fn default_path() -> Result<PathBuf> {
        let dirs = directories::ProjectDirs::from("", "", "kith").ok_or_else(|| {
            Error::invalid("cannot find a home folder for the store; pass --db PATH or set KITH_DB")
        })?;
        Ok(dirs.data_dir().join("kith.sqlite3"))
    }

    /// Opens the store at `path`, creating it (and its folder) if it does not exist, and
    /// upgrading its schema if it is older than this build (after copying the old file into
    /// the backups folder). The first time in a day that a store holding anything is opened,
    /// it is copied there too (see [`daily_backup`]).
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        Store::open_with_key(path, None)
    }

    /// Opens the store like [`Store::open`], unlocking it with `key` if it is locked with a
    /// passphrase (see [`crate::passphrase`]). A plain store opens as it is, whatever the key; a
    /// new store made with a key is locked from its first byte. A locked store without a key is
    /// refused with `passphrase_needed`, a wrong key with `wrong_passphrase`.
    pub fn open_with_key(path: impl AsRef<Path>, key: Option<&Passphrase>) -> Result<Store> {
        let store = Store::open_leaving_daily_backup(path, key)?;
        // A daily copy that cannot be made (a full disk, a read-only folder) must not keep
        // the user from their notes: say so and carry on.
        if let Err(e) = daily_backup(&store, Utc::now()) {
            tracing::warn!("the daily backup was not made: {e}");
        }
        Ok(store)
    }

    /// Opens the store like [`Store::open_with_key`] but leaves the day's copy to the caller:
    /// the app's session makes it on its writer a moment after the window's first answer (see
    /// [`crate::session`]), so the network shows first rather than wait for a copy of the whole
    /// file.
    pub fn open_leaving_daily_backup(
        path: impl AsRef<Path>,
        key: Option<&Passphrase>,
    ) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            if !parent.exists() {
                crate::sqlite::files::create_private_dir_all(parent).map_err(|e| {
                    Error::StoreUnavailable {
                        path: path.clone(),
                        reason: format!("cannot create the folder {}: {e}", parent.display()),
                    }
                })?;
            }
        }
        if path.is_dir() {
            return Err(Error::StoreUnavailable {
                path,
                reason: "it is a folder, not a file".into(),
            });
        }
        // The lock first: a passphrase change in another Kith finishes before this reads the
        // file, so this connection opens the file that is the store, never one being replaced.
        let (lock, tidied) = crate::sqlite::recovery::lock_for_opening(&path)?;
        let kind = file_kind(&path)?;
        match kind {
            // SQLite makes files everyone can read; the notes in this one are private.
            FileKind::New => {
                if let Err(e) = crate::sqlite::files::create_private_empty(&path) {
                    if e.kind() != std::io::ErrorKind::AlreadyExists {
                        return Err(Error::StoreUnavailable {
                            path: path.clone(),
                            reason: e.to_string(),
                        });
                    }
                }
            }
            _ => {
                for suffix in ["", "-wal", "-shm"] {
                    crate::sqlite::files::restrict(&crate::sqlite::files::with_suffix(
                        &path, suffix,
                    ));
                }
            }
        }
        let key = match kind {
            FileKind::Plain => None,
            _ => key,
        };
        let conn = open::open(&path, key, open::Role::Writer, "store")?;
        let mut store = Store {
            conn,
            path: Some(path),
            key: key.cloned(),
            contact_list: Default::default(),
            network: Default::default(),
            whole_reads: Default::default(),
            tidied,
            _lock: lock,
        };
        store.initialise()?;
        Ok(store)
    }

    /// What opening the store found left by an interrupted job (a passphrase change, a backup
    /// being written when Kith was stopped) and did about it, one sentence each, for the
    /// person to be told.
    pub fn tidied_on_open(&self) -> &[String] {
        &self.tidied
    }

    /// Whether the store is locked with a passphrase.
    pub fn is_encrypted(&self) -> bool {
        self.key.is_some()
    }

    /// The passphrase the store was unlocked with, for copies that must be locked the same way.
    pub fn passphrase(&self) -> Option<&Passphrase> {
        self.key.as_ref()
    }

    /// A private store in memory, for tests and previews.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        open::configure(&conn)?;
        let mut store = Store {
            conn,
            path: None,
            key: None,
            contact_list: Default::default(),
            network: Default::default(),
            whole_reads: Default::default(),
            tidied: Vec::new(),
            _lock: None,
        };
        store.initialise()?;
        Ok(store)
    }

    /// The file behind this store, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Read access for code in the core that needs plain SQL (reports, benchmarks).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn display_path(&self) -> PathBuf {
        self.path
            .clone()
            .unwrap_or_else(|| PathBuf::from(":memory:"))
    }

    fn initialise(&mut self) -> Result<()> {
        let path = self.display_path();
        let corrupt = |e: rusqlite::Error| classify_open_error(&path, e);

        // Read the version before changing anything, so a file we must refuse stays untouched.
        // (The connection's own pragmas are set as it opens: see `crate::sqlite::open`.)
        let version = open::schema_version(&self.conn).map_err(corrupt)?;
        let objects: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .map_err(corrupt)?;
        if version > schema::CURRENT_VERSION {
            return Err(Error::StoreTooNew {
                path,
                found: version,
                known: schema::CURRENT_VERSION,
            });
        }
        if version == 0 && objects > 0 {
            return Err(Error::StoreCorrupt {
                path,
                reason: "it is an SQLite database, but not one Kith made".into(),
            });
        }

        open::use_wal(&self.conn).map_err(corrupt)?;

        if version < schema::CURRENT_VERSION {
            // Keep the old file before changing it: a store that held data gets a copy, or is
            // not upgraded at all. (Version 0 is a new, empty file.)
            if let Some(file) = self.path.as_ref().filter(|_| version > 0) {
                let now = Utc::now();
                make_copy(
                    &self.conn,
                    self.key.as_ref(),
                    file,
                    BackupKind::BeforeMigration,
                    &format!("v{version}-{}", stamp(now)),
                    now,
                )?;
            }
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            schema::upgrade(&tx, version)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Where the file stands: (`PRAGMA data_version`, this connection's `total_changes`).
    /// Both stay the same until this connection writes anything or another one commits, so
    /// what was read from the file while they held may be kept and used again.
    pub(crate) fn file_version(&self) -> Result<(i64, u64)> {
        Ok((
            self.conn
                .pragma_query_value(None, "data_version", |r| r.get::<_, i64>(0))?,
            self.conn.total_changes(),
        ))
    }

    /// Starts a write transaction that holds the write lock from its first statement.
    fn write_tx(&mut self) -> Result<rusqlite::Transaction<'_>> {
        Ok(self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?)
    }

    /// Counts of what the store holds.
    pub fn stats(&self) -> Result<crate::Stats> {
        let count = |table: &str| -> Result<u32> {
            Ok(self
                .conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
        };
        Ok(crate::Stats {
            contacts: count("contacts")?,
            interactions: count("interactions")?,
            events: count("events")?,
        })
    }

    /// Whether the store holds nothing at all (a first run).
    pub fn is_empty(&self) -> Result<bool> {
        let s = self.stats()?;
        Ok(s.contacts == 0 && s.interactions == 0 && s.events == 0)
    }
}

/// A fresh key for a record made in Kith: time-ordered, unique across machines.
pub(crate) fn new_key() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub(crate) fn to_millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// Where a stored value is read from, for the error when it cannot be: the table, the row's id
/// and the column.
#[derive(Clone, Copy)]
pub(crate) struct Place<'a> {
    pub table: &'static str,
    pub row: &'a dyn std::fmt::Display,
    pub column: &'static str,
}

impl Place<'_> {
    fn damaged(&self, value: impl Into<String>, expected: &'static str) -> rusqlite::Error {
        Damaged {
            table: self.table,
            row: self.row.to_string(),
            column: self.column,
            value: value.into(),
            expected,
        }
        .into_sql()
    }
}

/// Reads a stored word (a channel, a platform, a kind, a direction) as what it names. A word
/// Kith does not write is an error naming where it is, never a guess.
pub(crate) fn decode<T: std::str::FromStr>(
    at: Place<'_>,
    text: &str,
    expected: &'static str,
) -> rusqlite::Result<T> {
    text.parse().map_err(|_| at.damaged(text, expected))
}

/// Reads a stored time in milliseconds since 1970.
pub(crate) fn decode_millis(at: Place<'_>, ms: i64) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .ok_or_else(|| at.damaged(ms.to_string(), "a time in milliseconds"))
}

/// Reads a stored RFC 3339 time.
pub(crate) fn decode_time(at: Place<'_>, text: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| at.damaged(text, "an RFC 3339 time"))
}

/// Reads a stored day (`2026-12-07`).
pub(crate) fn decode_date(at: Place<'_>, text: &str) -> rusqlite::Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| at.damaged(text, "a date written YYYY-MM-DD"))
}

/// Reads a stored JSON list of texts.
pub(crate) fn decode_list(at: Place<'_>, text: &str) -> rusqlite::Result<Vec<String>> {
    // Most stored lists are empty; loading a network reads one per interaction.
    if text == "[]" {
        return Ok(Vec::new());
    }
    serde_json::from_str(text).map_err(|_| at.damaged(text, "a JSON list of texts"))
}

pub(crate) fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

/// Trims, drops empties and duplicates (ignoring ASCII case), keeping the first spelling.
/// Repeats are found in a set, so a list of any length costs its length.
pub(crate) fn clean_list(items: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    for item in items {
        let t = item.trim();
        if !t.is_empty() && seen.insert(t.to_ascii_lowercase()) {
            out.push(t.to_string());
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests;
