//! The passphrase from the app: whether the store is locked, unlocking it, and setting,
//! changing or removing the passphrase.

use crate::db::{off_main, Db};
use kith_core::passphrase::{self, Passphrase, PassphraseChange};
use kith_core::PublicError;
use serde::Serialize;
use specta::Type;
use tauri::State;

type Reply<T> = Result<T, PublicError>;

/// Whether the store is locked with a passphrase, and whether the app has opened it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PassphraseStatus {
    pub encrypted: bool,
    pub unlocked: bool,
    /// The shortest passphrase that can be set.
    pub min_length: u32,
}

#[tauri::command]
#[specta::specta]
pub async fn passphrase_status(db: State<'_, Db>) -> Reply<PassphraseStatus> {
    let db = db.inner().clone();
    off_main(move || {
        let encrypted = passphrase::is_locked_file(db.path()).map_err(|e| e.to_public())?;
        Ok(PassphraseStatus {
            encrypted,
            unlocked: db.is_open(),
            min_length: passphrase::MIN_LEN as u32,
        })
    })
    .await
}

/// Opens the store with its passphrase.
#[tauri::command]
#[specta::specta]
pub async fn unlock_store(db: State<'_, Db>, passphrase: String) -> Reply<()> {
    let key = Passphrase::new(passphrase).map_err(|e| e.to_public())?;
    db.unlock(key).await
}

/// Sets (no `current`), changes, or removes (no `next`) the passphrase of the store and its
/// backups.
#[tauri::command]
#[specta::specta]
pub async fn change_passphrase(
    db: State<'_, Db>,
    current: Option<String>,
    next: Option<String>,
) -> Reply<PassphraseChange> {
    let current = current
        .map(Passphrase::new)
        .transpose()
        .map_err(|e| e.to_public())?;
    let next = next
        .map(Passphrase::new_to_set)
        .transpose()
        .map_err(|e| e.to_public())?;
    db.change_passphrase(current, next).await
}
