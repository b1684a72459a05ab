//! The app's handle on the store. Every call runs on Tauri's blocking pool, never on the main
//! thread, so a long import or a busy disk cannot freeze the window.
//!
//! The store is opened on first use, on that pool too. If it cannot be opened (damaged, newer
//! schema, no permission) every call returns that error, so the UI can say what is wrong; it
//! is never replaced by an empty store.

use kith_core::{PublicError, Store};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

#[derive(Clone)]
pub struct Db {
    path: PathBuf,
    store: Arc<Mutex<Option<Store>>>,
}

impl Db {
    pub fn new(path: PathBuf) -> Self {
        Db {
            path,
            store: Arc::new(Mutex::new(None)),
        }
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Runs `f` against the store off the main thread.
    pub async fn run<T, F>(&self, f: F) -> Result<T, PublicError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> kith_core::Result<T> + Send + 'static,
    {
        let db = self.clone();
        tauri::async_runtime::spawn_blocking(move || {
            // A panic in an earlier call poisons the lock but leaves the connection usable:
            // SQLite rolled back whatever that call had not committed.
            let mut guard = db.store.lock().unwrap_or_else(|p| p.into_inner());
            if guard.is_none() {
                *guard = Some(Store::open(&db.path).map_err(|e| e.to_public())?);
            }
            match guard.as_mut() {
                Some(store) => f(store).map_err(|e| e.to_public()),
                None => Err(internal("the store is not open")),
            }
        })
        .await
        .map_err(|e| internal(&format!("a background task failed: {e}")))?
    }
}

impl Db {
    /// Replaces the store with a backup: the app's own connection is closed first, so the copy
    /// goes in with no reader of the old file left in this process, then the store is opened
    /// again. Works when the store could not be opened at all, which is when a restore is
    /// needed most.
    pub async fn restore(
        &self,
        backup_file: PathBuf,
    ) -> Result<kith_core::backup::RestoreOutcome, PublicError> {
        let db = self.clone();
        tauri::async_runtime::spawn_blocking(move || {
            let mut guard = db.store.lock().unwrap_or_else(|p| p.into_inner());
            // Dropping the store closes its connection.
            guard.take();
            let outcome = kith_core::backup::restore(&db.path, &backup_file, chrono::Utc::now())
                .map_err(|e| e.to_public())?;
            *guard = Some(Store::open(&db.path).map_err(|e| e.to_public())?);
            Ok(outcome)
        })
        .await
        .map_err(|e| internal(&format!("a background task failed: {e}")))?
    }
}

/// Runs `f` on the blocking pool (file dialogs, reading files, backups): work that must not
/// hold up the main thread but needs no open store.
pub async fn off_main<T, F>(f: F) -> Result<T, PublicError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, PublicError> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| internal(&format!("a background task failed: {e}")))?
}

fn internal(message: &str) -> PublicError {
    PublicError {
        code: "internal".into(),
        message: message.into(),
    }
}
