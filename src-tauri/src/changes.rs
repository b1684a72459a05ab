//! Telling the window what changed, so that each view refreshes only what it shows.
//!
//! The session calls the app after every write, on its writer's thread and before the write's
//! caller has its answer; the app keeps what changed until the window takes it, and pings the
//! window (if it asked to be pinged) so that writes it did not make itself (an import running
//! in the background, another program's commit) show without a reload.

use crate::db::Db;
use kith_core::session::StoreChange;
use kith_core::PublicError;
use tauri::ipc::Channel;
use tauri::State;

/// What the store's writes changed since the window last asked: the window refreshes the
/// views that show any of it.
#[tauri::command]
#[specta::specta]
pub async fn take_changes(db: State<'_, Db>) -> Result<StoreChange, PublicError> {
    Ok(db.take_changes())
}

/// Pings `on_change` whenever a write changes the store, until the window goes (or asks again
/// with another channel, after a reload).
#[tauri::command]
#[specta::specta]
pub async fn watch_changes(db: State<'_, Db>, on_change: Channel<()>) -> Result<(), PublicError> {
    db.watch_changes(on_change);
    Ok(())
}
