//! Checking that a file is a readable Kith store before anything is restored from it.

use crate::error::{Error, Result};
use crate::sqlite::key::Passphrase;
use crate::sqlite::open::{classify_open_error, open, schema_version, Role};
use crate::store::schema;
use crate::Stats;
use serde::Serialize;
use specta::Type;
use std::path::Path;

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

/// What a backup file holds, once checked to be a readable Kith store.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct BackupContents {
    pub path: String,
    /// The schema the copy is at; an older one is upgraded when it is restored.
    #[specta(type = f64)]
    pub schema_version: i64,
    pub stats: Stats,
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
    let conn = open(file, key, Role::Reader, "backup").map_err(|e| match e {
        Error::StoreCorrupt { reason, .. } => refuse(reason),
        Error::Database(e) => refuse(e.to_string()),
        other => other,
    })?;

    let version = schema_version(&conn).map_err(corrupt)?;
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
