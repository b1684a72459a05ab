//! Encryption at rest: a store, its write-ahead log and its backups can be locked with a
//! passphrase.
//!
//! Kith's SQLite is SQLCipher. With a passphrase set, every page of the store file (and of its
//! WAL, and of every copy in the backups folder) is encrypted with AES-256, each page
//! authenticated with HMAC-SHA512, under a key SQLCipher derives from the passphrase with
//! PBKDF2-HMAC-SHA512 (256,000 iterations) and a random salt kept in the file. Without a
//! passphrase the file is an ordinary SQLite database, exactly as before.
//!
//! Kith never stores the passphrase anywhere. **A lost passphrase means the notes are lost**:
//! there is no reset, no recovery question and no copy Kith could open instead, because every
//! backup is locked with the same passphrase.
//!
//! Setting, changing or removing the passphrase ([`change_passphrase`]) writes a new copy of the
//! store under the new key next to it, checks the copy, and only then renames it over the old
//! file, so a crash part-way leaves the store as it was. It needs the store to itself: with the
//! app or another `kith` command holding the file open it refuses and changes nothing. The
//! copies in the backups folder are then re-keyed the same way, one by one.

pub use crate::sqlite::key::{Passphrase, MIN_LEN};
pub use crate::sqlite::open::is_locked_file;

use crate::error::{Error, Result};
use crate::sqlite::copies::list_backups;
use crate::sqlite::files::with_suffix;
use crate::sqlite::open::{file_kind, hold_alone, open, schema_version, FileKind, Role};
use crate::sqlite::publish::sync_file;
use crate::sqlite::recovery::{self, Folder, Journal, Rename};
use crate::sqlite::{StoreFiles, StoreLock};
use crate::store::schema;
use rusqlite::{Connection, ErrorCode};
use serde::Serialize;
use specta::Type;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What setting, changing or removing the passphrase did.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct PassphraseChange {
    /// Whether the store is locked with a passphrase now.
    pub encrypted: bool,
    /// The copies in the backups folder now under the new passphrase (or none).
    pub backups_changed: u32,
    /// Copies that opened with neither the old passphrase nor none (made under an even older
    /// passphrase) and were left as they were, by file name.
    pub backups_left: Vec<String>,
    /// What an earlier, interrupted change had left and was finished or undone first.
    pub tidied: Vec<String>,
}

/// Sets (`current` is `None`), changes, or removes (`new` is `None`) the passphrase of the store
/// at `store_path`, and of the copies in its backups folder.
///
/// The store must not be open anywhere else, this process included: the caller closes its own
/// connection first. It holds the store's lock alone from before it reads the store until every
/// file is in place, so no other Kith can open the old file meanwhile (one that tries waits,
/// then opens the new file). Every re-keyed copy is written and checked first; then a journal
/// lists the renames that put them in place, and only then are they made, so an interruption
/// at any point leaves either the old passphrase everywhere or, once the next open has finished
/// the journal, the new one everywhere (see [`crate::sqlite::recovery`]). Nothing is changed
/// when the current passphrase is wrong, the store is in use, or a new copy does not check out.
pub fn change_passphrase(
    store_path: &Path,
    current: Option<&Passphrase>,
    new: Option<&Passphrase>,
) -> Result<PassphraseChange> {
    if file_kind(store_path)? == FileKind::New {
        return Err(Error::StoreUnavailable {
            path: store_path.to_path_buf(),
            reason: "there is no store here yet".into(),
        });
    }
    let in_use = || Error::StoreUnavailable {
        path: store_path.to_path_buf(),
        reason: "another Kith (the app, or a kith command) has it open; close it and try \
                 again. Nothing was changed"
            .into(),
    };
    let files = StoreFiles::new(store_path);
    let alone = StoreLock::exclusive(store_path, Duration::from_millis(500))?.ok_or_else(in_use)?;
    // Finish (or undo) an earlier change that was interrupted, before reading the store.
    let tidied = recovery::tidy(&files, &alone)?;
    let kind = file_kind(store_path)?;
    match (kind, current, new) {
        (FileKind::New, _, _) => {
            return Err(Error::StoreUnavailable {
                path: store_path.to_path_buf(),
                reason: "there is no store here yet".into(),
            })
        }
        (FileKind::Plain, None, None) => {
            return Err(Error::invalid(
                "this store has no passphrase, so there is none to remove",
            ))
        }
        (FileKind::Plain, Some(_), _) => {
            return Err(Error::invalid(
                "this store has no passphrase yet; set one without giving a current passphrase",
            ))
        }
        (FileKind::Locked, None, _) => {
            return Err(Error::PassphraseNeeded {
                path: store_path.to_path_buf(),
            })
        }
        (FileKind::Other, _, _) => {
            return Err(Error::StoreCorrupt {
                path: store_path.to_path_buf(),
                reason: "it does not start like an SQLite database or a store locked with a \
                         passphrase"
                    .into(),
            })
        }
        _ => {}
    }
    if current.is_some() && current == new {
        return Err(Error::invalid(
            "the new passphrase is the same as the current one; nothing was changed",
        ));
    }

    // A writer: the re-keyed copy is an attached database, opened with the main database's
    // flags, so these must allow creating a file.
    let conn = open(store_path, current, Role::Writer, "store")?;
    // Also take the file itself for this connection alone, for any program that opens it
    // without Kith's lock.
    if let Err(e) = hold_alone(&conn, Duration::from_millis(500)) {
        return Err(match e {
            rusqlite::Error::SqliteFailure(f, _)
                if matches!(f.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) =>
            {
                in_use()
            }
            other => Error::Database(other),
        });
    }
    let version = schema_version(&conn)?;
    if version == 0 || version > schema::CURRENT_VERSION {
        return Err(Error::StoreCorrupt {
            path: store_path.to_path_buf(),
            reason: "it is not a Kith store this version can change".into(),
        });
    }

    // Every new copy first, under hidden names; any failure removes them all.
    let mut written: Vec<(Folder, PathBuf, String)> = Vec::new();
    let discard = |written: &[(Folder, PathBuf, String)]| {
        for (_, temp, _) in written {
            let _ = std::fs::remove_file(temp);
        }
    };
    let store_name = file_name(store_path);
    match rekeyed_copy(&conn, version, &files.dir(), &files.rekey_prefix(), new) {
        Ok(temp) => written.push((Folder::Store, temp, store_name)),
        Err(e) => return Err(e),
    }
    // Closing the only connection checkpoints the WAL into the old file, which the copy
    // already holds all of.
    if let Err((_, e)) = conn.close() {
        discard(&written);
        return Err(Error::Database(e));
    }
    let mut change = PassphraseChange {
        encrypted: new.is_some(),
        backups_changed: 0,
        backups_left: Vec::new(),
        tidied,
    };
    let backups = match list_backups(store_path) {
        Ok(b) => b,
        Err(e) => {
            discard(&written);
            return Err(e);
        }
    };
    for info in backups {
        let file = PathBuf::from(&info.path);
        match rekeyed_backup(&file, current, new, &files) {
            Ok(Some(temp)) => {
                written.push((Folder::Backups, temp, info.name));
                change.backups_changed += 1;
            }
            Ok(None) => change.backups_changed += 1,
            Err(e) => {
                tracing::warn!("{} was left under its old passphrase: {e}", info.name);
                change.backups_left.push(info.name);
            }
        }
    }

    // The point of no return: from here an interruption is finished by the next open.
    let journal = Journal {
        encrypted: new.is_some(),
        renames: written
            .iter()
            .map(|(folder, temp, to)| Rename {
                folder: *folder,
                from: file_name(temp),
                to: to.clone(),
            })
            .collect(),
    };
    if let Err(e) = journal.commit(&files) {
        discard(&written);
        return Err(e);
    }
    journal.apply(&files)?;
    drop(alone);
    Ok(change)
}

/// Writes a re-keyed copy of one backup beside it, or `None` when it is already as it should
/// be (a plain copy when the passphrase is being removed).
fn rekeyed_backup(
    file: &Path,
    current: Option<&Passphrase>,
    new: Option<&Passphrase>,
    files: &StoreFiles,
) -> Result<Option<PathBuf>> {
    let kind = file_kind(file)?;
    let key = if kind == FileKind::Plain {
        None
    } else {
        current
    };
    if kind == FileKind::Plain && new.is_none() {
        return Ok(None);
    }
    let conn = open(file, key, Role::Writer, "backup")?;
    let version = schema_version(&conn)?;
    let temp = rekeyed_copy(&conn, version, &folder_of(file), &files.rekey_prefix(), new)?;
    Ok(Some(temp))
}

/// Writes the database of `conn` to a new hidden file in `dir` under `new` (plain when `None`),
/// readable by its owner only, synced, and checks that it opens with `new` and holds the same
/// rows.
fn rekeyed_copy(
    conn: &Connection,
    version: i64,
    dir: &Path,
    prefix: &str,
    new: Option<&Passphrase>,
) -> Result<PathBuf> {
    let temp = StoreFiles::temp_in(dir, prefix);
    crate::sqlite::files::create_private_empty(&temp).map_err(|e| Error::io(&temp, e))?;
    let written = (|| -> Result<()> {
        conn.execute(
            "ATTACH DATABASE ?1 AS kith_rekeyed KEY ?2",
            rusqlite::params![temp.to_string_lossy(), new.map_or("", |p| p.as_str())],
        )?;
        let exported = (|| -> rusqlite::Result<()> {
            conn.query_row("SELECT sqlcipher_export('kith_rekeyed')", [], |_| Ok(()))?;
            conn.pragma_update(Some("kith_rekeyed"), "user_version", version)
        })();
        let detached = conn.execute_batch("DETACH DATABASE kith_rekeyed");
        exported?;
        detached?;
        sync_file(&temp)?;
        // Read the copy back under its new key before it replaces anything.
        let check = open(&temp, new, Role::Reader, "new copy")?;
        let ok: String = check.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        let counts = |c: &Connection| -> rusqlite::Result<(i64, i64, i64)> {
            c.query_row(
                "SELECT (SELECT count(*) FROM contacts), (SELECT count(*) FROM interactions), \
                 (SELECT count(*) FROM events)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
        };
        if ok != "ok" || counts(&check)? != counts(conn)? {
            return Err(Error::StoreCorrupt {
                path: temp.clone(),
                reason: format!("the re-keyed copy did not check out ({ok}); nothing was changed"),
            });
        }
        Ok(())
    })();
    if let Err(e) = written {
        for suffix in ["", "-journal"] {
            let _ = std::fs::remove_file(with_suffix(&temp, suffix));
        }
        return Err(e);
    }
    Ok(temp)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
