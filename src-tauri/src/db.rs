//! The app's handle on the store: a thin layer over the core's [`Session`], which runs every
//! write in order on a writer connection of its own and answers reads beside it, so a long
//! import never keeps a search or a page waiting. Every call is made from Tauri's blocking
//! pool, never from the main thread.
//!
//! The store is opened as the app starts. If it cannot be opened (damaged, newer schema, no
//! permission) every call returns that error, so the UI can say what is wrong; it is never
//! replaced by an empty store.

use kith_core::passphrase::{Passphrase, PassphraseChange};
use kith_core::session::{DailyCopyTiming, Session, StoreChange};
use kith_core::{PublicError, Store};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tauri::ipc::Channel;

#[derive(Clone)]
pub struct Db {
    session: Session,
    /// What the writes changed since the window last took it, and how to ping the window.
    window: Arc<Mutex<Window>>,
}

#[derive(Default)]
struct Window {
    changed: StoreChange,
    ping: Option<Channel<()>>,
}

/// When the day's copy of the whole file (~0.5 s for the busy network's 130 MB) is made: once
/// the window has had its first answer and a moment to draw it, or after ten seconds at most.
const DAILY_COPY: DailyCopyTiming = DailyCopyTiming {
    after_first_answer: Duration::from_secs(2),
    waits_at_most: Duration::from_secs(10),
};

impl Db {
    pub fn new(path: PathBuf) -> Self {
        let session = Session::new(path);
        let window = Arc::new(Mutex::new(Window::default()));
        let told = window.clone();
        session.on_change(move |change| {
            let mut window = told.lock().unwrap_or_else(|p| p.into_inner());
            window.changed.merge(change);
            // A window that went away takes no more pings; its reload asks again.
            if let Some(ping) = &window.ping {
                if ping.send(()).is_err() {
                    window.ping = None;
                }
            }
            true
        });
        Db { session, window }
    }

    /// What the writes changed since the window last asked.
    pub fn take_changes(&self) -> StoreChange {
        let mut window = self.window.lock().unwrap_or_else(|p| p.into_inner());
        std::mem::take(&mut window.changed)
    }

    /// Pings `ping` after each write that changed the store.
    pub fn watch_changes(&self, ping: Channel<()>) {
        let mut window = self.window.lock().unwrap_or_else(|p| p.into_inner());
        window.ping = Some(ping);
    }

    /// What opening the store has tidied up since the last time this was asked.
    pub fn take_tidied(&self) -> Vec<String> {
        self.session.take_tidied()
    }

    pub fn path(&self) -> &std::path::Path {
        self.session.path()
    }

    /// The session itself, for work done in several steps off the main thread (a sync reads
    /// the account, fetches with no store lock held, then writes what it found).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Starts opening the store at once, while the window starts up, rather than on the UI's
    /// first call; the day's copy follows as [`DAILY_COPY`] says.
    pub fn open_in_background(&self) {
        self.session.open_in_background(DAILY_COPY);
    }

    /// Runs the write `f` off the main thread, after every write asked for before it.
    pub async fn run<T, F>(&self, f: F) -> Result<T, PublicError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> kith_core::Result<T> + Send + 'static,
    {
        let session = self.session.clone();
        blocking(move || session.write(f)).await
    }

    /// Runs the read `f` off the main thread; it never waits for a write.
    pub async fn read<T, F>(&self, f: F) -> Result<T, PublicError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> kith_core::Result<T> + Send + 'static,
    {
        let session = self.session.clone();
        blocking(move || session.read(f)).await
    }

    /// Replaces the store with a backup, with every connection of the app's closed while the
    /// copy goes in, and opens it again. Works when the store could not be opened at all, which
    /// is when a restore is needed most. A locked store's passphrase is kept for the backup
    /// (locked the same way) and the store restored from it.
    pub async fn restore(
        &self,
        backup_file: PathBuf,
    ) -> Result<kith_core::backup::RestoreOutcome, PublicError> {
        let session = self.session.clone();
        blocking(move || {
            session.with_store_closed(move |path, key| {
                let outcome = kith_core::backup::restore(
                    path,
                    &backup_file,
                    key.as_ref(),
                    chrono::Utc::now(),
                );
                (outcome, key)
            })
        })
        .await
    }

    /// The passphrase the open store was unlocked with, if it is locked; for copies of it.
    pub fn passphrase(&self) -> Option<Passphrase> {
        self.session.passphrase()
    }

    /// Whether the app has the store open (a locked store stays closed until it is unlocked).
    pub fn is_open(&self) -> bool {
        self.session.is_open()
    }

    /// Opens a store locked with a passphrase; every call works as usual afterwards. A wrong
    /// passphrase leaves it closed.
    pub async fn unlock(&self, key: Passphrase) -> Result<(), PublicError> {
        let session = self.session.clone();
        blocking(move || session.unlock(key)).await
    }

    /// Sets, changes or removes the passphrase, with every connection of the app's closed (the
    /// change needs the file to itself); the store is opened again under the new passphrase,
    /// or under the old one when the change was refused.
    pub async fn change_passphrase(
        &self,
        current: Option<Passphrase>,
        new: Option<Passphrase>,
    ) -> Result<PassphraseChange, PublicError> {
        let session = self.session.clone();
        blocking(move || {
            session.with_store_closed(move |path, old_key| {
                let result =
                    kith_core::passphrase::change_passphrase(path, current.as_ref(), new.as_ref());
                let key = if result.is_ok() { new } else { old_key };
                (result, key)
            })
        })
        .await
    }
}

/// Runs a store call on the blocking pool and turns its error into the public form.
async fn blocking<T, F>(f: F) -> Result<T, PublicError>
where
    T: Send + 'static,
    F: FnOnce() -> kith_core::Result<T> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(move || f().map_err(|e| e.to_public()))
        .await
        .map_err(|e| internal(&format!("a background task failed: {e}")))?
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
        code: kith_core::Code::Internal,
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
                answered.elapsed() < DAILY_COPY.after_first_answer + Duration::from_secs(10),
                "the day's copy is made after the first answer"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(answered.elapsed() >= DAILY_COPY.after_first_answer / 2);
        assert_eq!(dailies(&path), 1);
    }
}
