//! The app's handle on the store. Every call runs on Tauri's blocking pool, never on the main
//! thread, so a long import or a busy disk cannot freeze the window.
//!
//! The store is opened on that pool as the app starts (or on first use). If it cannot be
//! opened (damaged, newer schema, no permission) every call returns that error, so the UI can
//! say what is wrong; it is never replaced by an empty store.

use kith_core::passphrase::{Passphrase, PassphraseChange};
use kith_core::{PublicError, Store};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

#[derive(Clone)]
pub struct Db {
    path: PathBuf,
    store: Arc<Mutex<Option<Store>>>,
    /// Set once the store has answered its first call, which wakes the daily backup.
    answered: Arc<(Mutex<bool>, Condvar)>,
    /// What opening the store found left by an interrupted job and did about it, to tell the
    /// person once.
    tidied: Arc<Mutex<Vec<String>>>,
}

/// How long the day's copy waits for the window's first answer at most.
const DAILY_COPY_WAITS_AT_MOST: Duration = Duration::from_secs(10);

/// How long after the first answer the day's copy starts: the window is drawing the list and
/// asking for what the other pages show meanwhile.
const DAILY_COPY_AFTER_FIRST_ANSWER: Duration = Duration::from_secs(2);

impl Db {
    pub fn new(path: PathBuf) -> Self {
        Db {
            path,
            store: Arc::new(Mutex::new(None)),
            answered: Arc::new((Mutex::new(false), Condvar::new())),
            tidied: Arc::default(),
        }
    }

    /// Keeps what opening `store` tidied up, and hands the store on.
    fn opened(&self, store: Store) -> Store {
        let notes = store.tidied_on_open();
        if !notes.is_empty() {
            let mut tidied = self.tidied.lock().unwrap_or_else(|p| p.into_inner());
            tidied.extend(notes.iter().cloned());
        }
        store
    }

    /// What opening the store has tidied up since the last time this was asked.
    pub fn take_tidied(&self) -> Vec<String> {
        std::mem::take(&mut *self.tidied.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Wakes whatever waits for the store's first answer.
    fn mark_answered(&self) {
        let (lock, wake) = &*self.answered;
        let mut answered = lock.lock().unwrap_or_else(|p| p.into_inner());
        if !*answered {
            *answered = true;
            wake.notify_all();
        }
    }

    /// Waits until the store has answered a call, or `at_most`.
    fn wait_for_first_answer(&self, at_most: Duration) {
        let (lock, wake) = &*self.answered;
        let answered = lock.lock().unwrap_or_else(|p| p.into_inner());
        let _ = wake.wait_timeout_while(answered, at_most, |answered| !*answered);
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Starts opening the store on the blocking pool at once, while the window starts up,
    /// rather than on the UI's first call. The day's first open also copies the whole file as
    /// the daily backup (~0.5 s for the busy network's 130 MB); that copy is made on a
    /// connection of its own, beside the app's, and only once the window has had its first
    /// answer and a moment to draw it (or after [`DAILY_COPY_WAITS_AT_MOST`]), so it competes
    /// with neither the window's first requests nor its first drawing on a small machine.
    /// Calls made before the store is open wait for the lock as they would for any other
    /// call. If opening fails the store stays closed and the first call tries again,
    /// reporting why it cannot.
    pub fn open_in_background(&self) {
        let db = self.clone();
        tauri::async_runtime::spawn_blocking(move || {
            let mut guard = db.store.lock().unwrap_or_else(|p| p.into_inner());
            if guard.is_some() {
                return;
            }
            match Store::open_leaving_daily_backup(&db.path, None) {
                Ok(store) => *guard = Some(db.opened(store)),
                // A locked store waits for its passphrase from the unlock page.
                Err(e) if e.code() == "passphrase_needed" => {
                    tracing::info!("the store waits for its passphrase");
                    return;
                }
                Err(e) => {
                    tracing::warn!("the store could not be opened yet: {e}");
                    return;
                }
            }
            // The day's copy of the whole file is made on a connection of its own once the
            // window has what it first asked for, so neither waits for the other.
            drop(guard);
            db.wait_for_first_answer(DAILY_COPY_WAITS_AT_MOST);
            std::thread::sleep(DAILY_COPY_AFTER_FIRST_ANSWER);
            if let Err(e) = kith_core::backup::daily_backup_file(&db.path, None, chrono::Utc::now())
            {
                tracing::warn!("the daily backup was not made: {e}");
            }
        });
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
                *guard = Some(db.opened(Store::open(&db.path).map_err(|e| e.to_public())?));
            }
            let answer = match guard.as_mut() {
                Some(store) => f(store).map_err(|e| e.to_public()),
                None => Err(internal("the store is not open")),
            };
            drop(guard);
            db.mark_answered();
            answer
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
            // Dropping the store closes its connection; a locked store's passphrase is kept
            // for the backup (locked the same way) and the store restored from it.
            let key = guard.take().and_then(|s| s.passphrase().cloned());
            let outcome = kith_core::backup::restore(
                &db.path,
                &backup_file,
                key.as_ref(),
                chrono::Utc::now(),
            )
            .map_err(|e| e.to_public())?;
            *guard = Some(Store::open_with_key(&db.path, key.as_ref()).map_err(|e| e.to_public())?);
            Ok(outcome)
        })
        .await
        .map_err(|e| internal(&format!("a background task failed: {e}")))?
    }
}

impl Db {
    /// The passphrase the open store was unlocked with, if it is locked; for copies of it.
    pub fn passphrase(&self) -> Option<Passphrase> {
        let guard = self.store.lock().unwrap_or_else(|p| p.into_inner());
        guard.as_ref().and_then(|s| s.passphrase().cloned())
    }

    /// Whether the app has the store open (a locked store stays closed until it is unlocked).
    pub fn is_open(&self) -> bool {
        let guard = self.store.lock().unwrap_or_else(|p| p.into_inner());
        guard.is_some()
    }

    /// Opens a store locked with a passphrase; every call works as usual afterwards. A wrong
    /// passphrase leaves it closed.
    pub async fn unlock(&self, key: Passphrase) -> Result<(), PublicError> {
        let db = self.clone();
        tauri::async_runtime::spawn_blocking(move || {
            let mut guard = db.store.lock().unwrap_or_else(|p| p.into_inner());
            if guard.is_none() {
                *guard = Some(db.opened(
                    Store::open_with_key(&db.path, Some(&key)).map_err(|e| e.to_public())?,
                ));
            }
            Ok(())
        })
        .await
        .map_err(|e| internal(&format!("a background task failed: {e}")))?
    }

    /// Sets, changes or removes the passphrase. The app's own connection is closed first (the
    /// change needs the file to itself) and opened again afterwards, under the new passphrase,
    /// or under the old one when the change was refused.
    pub async fn change_passphrase(
        &self,
        current: Option<Passphrase>,
        new: Option<Passphrase>,
    ) -> Result<PassphraseChange, PublicError> {
        let db = self.clone();
        tauri::async_runtime::spawn_blocking(move || {
            let mut guard = db.store.lock().unwrap_or_else(|p| p.into_inner());
            let old_key = guard.take().and_then(|s| s.passphrase().cloned());
            let result =
                kith_core::passphrase::change_passphrase(&db.path, current.as_ref(), new.as_ref());
            let key = if result.is_ok() { new } else { old_key };
            // If it cannot be opened now, the next call says why.
            *guard = Store::open_with_key(&db.path, key.as_ref()).ok();
            result.map_err(|e| e.to_public())
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

#[cfg(test)]
mod tests {
    use super::*;
    use kith_core::backup::{list_backups, BackupKind};

    fn dailies(path: &std::path::Path) -> usize {
        list_backups(path)
            .unwrap()
            .iter()
            .filter(|b| b.kind == BackupKind::Daily)
            .count()
    }

    #[test]
    fn the_days_copy_waits_for_the_windows_first_answer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kith.sqlite3");
        {
            let mut store = Store::open_leaving_daily_backup(&path, None).unwrap();
            store.load_demo(chrono::Utc::now()).unwrap();
        }
        let db = Db::new(path.clone());
        db.open_in_background();
        // Opened, and nobody asked anything yet: no copy.
        let opened = std::time::Instant::now();
        while !db.is_open() {
            assert!(
                opened.elapsed() < Duration::from_secs(10),
                "the store opens"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(dailies(&path), 0, "no copy before the first answer");

        let counted = tauri::async_runtime::block_on(db.run(|s| s.stats())).unwrap();
        assert!(counted.contacts > 0);
        let answered = std::time::Instant::now();
        while dailies(&path) == 0 {
            assert!(
                answered.elapsed() < DAILY_COPY_AFTER_FIRST_ANSWER + Duration::from_secs(10),
                "the day's copy is made after the first answer"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(answered.elapsed() >= DAILY_COPY_AFTER_FIRST_ANSWER / 2);
        assert_eq!(dailies(&path), 1);
    }
}
