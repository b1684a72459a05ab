//! Backups from the app: the copies Kith keeps, a copy now, and restoring one.

use crate::db::{off_main, Db};
use chrono::Utc;
use kith_core::backup::{self, BackupContents, BackupInfo, RestoreOutcome};
use kith_core::PublicError;
use std::path::PathBuf;
use tauri::State;

type Reply<T> = Result<T, PublicError>;

/// The copies of the store in its backups folder, newest first.
#[tauri::command]
#[specta::specta]
pub async fn list_backups(db: State<'_, Db>) -> Reply<Vec<BackupInfo>> {
    let path = db.path().to_path_buf();
    off_main(move || backup::list_backups(&path).map_err(|e| e.to_public())).await
}

/// Makes a copy of the store now, in the backups folder.
#[tauri::command]
#[specta::specta]
pub async fn backup_now(db: State<'_, Db>) -> Reply<BackupInfo> {
    db.run(|s| backup::backup_now(s, None, Utc::now())).await
}

/// What a backup file holds, once checked to be a readable Kith store; for the question
/// before restoring it.
#[tauri::command]
#[specta::specta]
pub async fn inspect_backup(db: State<'_, Db>, path: String) -> Reply<BackupContents> {
    // A locked store's copies are locked with its passphrase.
    let key = db.passphrase();
    off_main(move || {
        backup::inspect_backup(&PathBuf::from(path.trim()), key.as_ref()).map_err(|e| e.to_public())
    })
    .await
}

/// Replaces the store with a backup; the store as it was is kept as a before-restore copy.
#[tauri::command]
#[specta::specta]
pub async fn restore_backup(db: State<'_, Db>, path: String) -> Reply<RestoreOutcome> {
    db.restore(PathBuf::from(path.trim())).await
}

/// How many daily and how many before-import copies are kept.
#[tauri::command]
#[specta::specta]
pub async fn backup_keep(db: State<'_, Db>) -> Reply<u32> {
    db.read(|s| Ok(backup::keep_count(s))).await
}

/// Keeps this many daily and before-import copies from now on, removing the oldest beyond it
/// now; returns how many copies were removed.
#[tauri::command]
#[specta::specta]
pub async fn set_backup_keep(db: State<'_, Db>, keep: u32) -> Reply<u32> {
    db.run(move |s| backup::set_keep_count(s, keep)).await
}
