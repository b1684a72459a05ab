//! A session on one store file: how the app (and anything else that serves many requests at
//! once) reaches the store.
//!
//! - **One writer.** A connection on a thread of its own runs every write, one after another,
//!   in the order they were asked for. Opening the store (and upgrading its schema), unlocking
//!   it, changing its passphrase and restoring a backup run there too, so none of them can
//!   overtake a write or be overtaken by one.
//! - **Readers that never wait for a write.** While the writer has nothing queued, a read runs
//!   on the writer's connection, whose kept contacts list and network follow its own writes
//!   row by row. While a write runs or waits (an import, a merge), reads go to a small pool of
//!   read-only connections instead: WAL lets them read the last committed state while the
//!   writer writes, so a search typed during a long import is answered at once.
//! - **Changes that announce themselves.** After each write the session tells its listeners
//!   what changed, by id, as the database itself noted it (see `changes.rs`).
//!
//! Calls block the calling thread until answered; the app makes them from its blocking pool,
//! never from the main thread.

mod changes;
mod readers;
mod writer;

use crate::error::{Error, Result};
use crate::passphrase::Passphrase;
use crate::store::Store;
pub use changes::StoreChange;
use readers::Readers;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;
use writer::Writer;

/// How many read-only connections may be open at once besides the writer's. Each holds its own
/// page cache and, once asked for the network, its own copy of it; two answer a search and a
/// page at the same moment during an import without doubling memory twice over.
pub const MAX_READERS: usize = 2;

/// The store at one path, shared by every caller in the process. Cloning shares it.
#[derive(Clone)]
pub struct Session {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Writer,
    readers: Readers,
    /// Writes asked for and not yet answered (queued or running).
    writes_in_flight: AtomicUsize,
    /// Whether and when the day's copy is made.
    daily: Mutex<DailyCopy>,
    /// Whether any call has been answered yet; wakes the day's copy (see
    /// [`Session::open_in_background`]).
    answered: (Mutex<bool>, Condvar),
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("path", &self.inner.path)
            .finish()
    }
}

#[derive(Default)]
struct DailyCopy {
    timing: Option<DailyCopyTiming>,
    started: bool,
}

/// When the day's copy of the whole file is made, for [`Session::open_in_background`].
#[derive(Debug, Clone, Copy)]
pub struct DailyCopyTiming {
    /// How long after the first answer the copy starts: the window is drawing meanwhile.
    pub after_first_answer: Duration,
    /// How long the copy waits for the first answer at most.
    pub waits_at_most: Duration,
}

impl Session {
    /// A session on the store at `path`. Nothing is opened yet: the first call (or
    /// [`Session::open_in_background`], or [`Session::unlock`]) opens it.
    pub fn new(path: impl Into<PathBuf>) -> Session {
        let path = path.into();
        Session {
            inner: Arc::new(Inner {
                writer: Writer::start(path.clone()),
                readers: Readers::new(path.clone(), MAX_READERS),
                path,
                writes_in_flight: AtomicUsize::new(0),
                daily: Mutex::default(),
                answered: (Mutex::new(false), Condvar::new()),
            }),
        }
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `f` on the writer's connection, after every write asked for before it. Opens the
    /// store first if it is not open (a locked store then answers `passphrase_needed` until
    /// [`Session::unlock`]).
    pub fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T> + Send + 'static,
    {
        self.inner.writes_in_flight.fetch_add(1, Ordering::SeqCst);
        let answer = self.inner.writer.run(move |slot| {
            let store = slot.open(None)?;
            f(store)
        });
        self.writes_done();
        answer
    }

    /// After a write: once none is queued or running, reads go to the writer's connection
    /// again and the readers opened meanwhile are closed.
    fn writes_done(&self) {
        if self.inner.writes_in_flight.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.inner.readers.close_idle();
        }
        self.after_answer();
    }

    /// Runs `f` against the store as last committed. It never waits for a write: with no write
    /// queued it runs on the writer's connection (its kept copies are the freshest), otherwise
    /// on a read-only connection of its own.
    pub fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T> + Send + 'static,
    {
        let mut f = Some(f);
        let busy = self.inner.writes_in_flight.load(Ordering::SeqCst) > 0;
        // Readers open only once the writer has the store open (and its schema upgraded).
        if let (true, Some(key)) = (busy, self.inner.writer.key()) {
            match self
                .inner
                .readers
                .try_read(key.as_ref(), f.take().expect("not run yet"))
            {
                Ok(answer) => {
                    self.after_answer();
                    return answer;
                }
                // The store is being closed: the writer answers once it is open again.
                Err(back) => f = Some(back),
            }
        }
        let f = f.expect("not run yet");
        let answer = self.inner.writer.run(move |slot| {
            let store = slot.open(None)?;
            f(store)
        });
        self.after_answer();
        answer
    }

    /// Opens a store locked with a passphrase; every call works as usual afterwards. A wrong
    /// passphrase leaves it closed. Does nothing if the store is already open.
    pub fn unlock(&self, key: Passphrase) -> Result<()> {
        self.open(Some(key))
    }

    /// Opens the store now (creating it, upgrading its schema), unlocked with `key` if it is
    /// locked, rather than on the first call; what opening tidied up is then ready in
    /// [`Session::take_tidied`]. Does nothing if the store is already open.
    pub fn open(&self, key: Option<Passphrase>) -> Result<()> {
        let answer = self
            .inner
            .writer
            .run(move |slot| slot.open(key.as_ref()).map(|_| ()));
        self.after_answer();
        answer
    }

    /// Makes the day's copy of the whole file now, if none was made today, on the writer (a
    /// program that runs one command and exits, like the CLI, has no moment to wait for). A
    /// copy that cannot be made (a full disk, a read-only folder) must not keep the person from
    /// their notes: it is logged and the session carries on.
    pub fn make_daily_copy(&self, now: chrono::DateTime<chrono::Utc>) {
        if let Err(e) = self.write(move |store| crate::backup::daily_backup(store, now)) {
            tracing::warn!("the daily backup was not made: {e}");
        }
    }

    /// Calls `listener` after each write (an edit, an import, a merge, a restore) with what it
    /// changed, and with notice of another program's commits as they are seen; a write that
    /// changed nothing calls nothing. The call is made on the writer's thread before the write's
    /// caller has its answer, so whatever the caller does next can rely on it; keep it short.
    /// The listener is dropped once it answers `false`.
    pub fn on_change(&self, listener: impl FnMut(&StoreChange) -> bool + Send + 'static) {
        self.inner.writer.listen(Box::new(listener));
    }

    /// A channel that receives what each write changed (see [`Session::on_change`]).
    pub fn changes(&self) -> std::sync::mpsc::Receiver<StoreChange> {
        let (tx, rx) = std::sync::mpsc::channel();
        self.on_change(move |change| tx.send(change.clone()).is_ok());
        rx
    }

    /// Whether the store is open (a locked store stays closed until it is unlocked).
    pub fn is_open(&self) -> bool {
        self.inner.writer.is_open()
    }

    /// The passphrase the open store was unlocked with, if it is locked; for copies of it.
    pub fn passphrase(&self) -> Option<Passphrase> {
        self.inner.writer.key().flatten()
    }

    /// What opening the store has tidied up (left by an interrupted job) since the last time
    /// this was asked, one sentence each, to tell the person once.
    pub fn take_tidied(&self) -> Vec<String> {
        self.inner.writer.take_tidied()
    }

    /// Runs `f` with every connection of this session closed: the file to itself, as a
    /// passphrase change or a restore needs. `f` gets the path and the passphrase the store was
    /// open with, and returns its answer and the passphrase to open the store with afterwards
    /// (`None` for a plain store). The store is opened again whatever `f` answered; if it
    /// cannot be, the next call says why.
    pub fn with_store_closed<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Path, Option<Passphrase>) -> (Result<T>, Option<Passphrase>) + Send + 'static,
    {
        self.inner.writes_in_flight.fetch_add(1, Ordering::SeqCst);
        // Readers first: none may hold the old file open while it is replaced. New reads wait
        // for the writer meanwhile.
        let answer = self.inner.readers.closed_while(|| {
            self.inner.writer.run_closed(f, |slot, key| {
                // If it cannot be opened now, the next call says why.
                if let Err(e) = slot.open(key.as_ref()) {
                    tracing::warn!("the store was not opened again: {e}");
                }
            })
        });
        self.writes_done();
        answer
    }

    /// Starts opening the store at once on the writer's thread, while the window starts up,
    /// and has the day's first copy of the whole file made by `timing` (see
    /// [`DailyCopyTiming`]) once it is open. A locked store waits for [`Session::unlock`];
    /// one that cannot be opened is tried again by the first call, which reports why.
    pub fn open_in_background(&self, timing: DailyCopyTiming) {
        lock(&self.inner.daily).timing = Some(timing);
        let session = self.clone();
        std::thread::Builder::new()
            .name("kith-open".into())
            .spawn(
                move || match session.inner.writer.run(|slot| slot.open(None).map(|_| ())) {
                    Ok(()) => session.schedule_daily_copy(),
                    Err(e) if e.code() == "passphrase_needed" => {
                        tracing::info!("the store waits for its passphrase")
                    }
                    Err(e) => tracing::warn!("the store could not be opened yet: {e}"),
                },
            )
            .expect("a thread can be started");
    }

    /// Once the store is open, starts the day's copy (if [`Session::open_in_background`] asked
    /// for one and it has not been started): once a call has been answered and a moment has
    /// passed (or after the longest wait), so it competes with neither the window's first
    /// requests nor their drawing on a small machine. The copy is a job of the writer's, so a
    /// passphrase change or a restore asked meanwhile waits for it rather than finding the
    /// file held by a connection of its own; reads go to the readers while it runs. A copy that
    /// cannot be made must not keep the person from their notes: it is logged and the session
    /// carries on.
    fn schedule_daily_copy(&self) {
        if !self.inner.writer.is_open() {
            return;
        }
        let timing = {
            let mut daily = lock(&self.inner.daily);
            match daily.timing {
                Some(timing) if !daily.started => {
                    daily.started = true;
                    timing
                }
                _ => return,
            }
        };
        let session = self.clone();
        std::thread::Builder::new()
            .name("kith-daily-copy".into())
            .spawn(move || {
                session.wait_for_first_answer(timing.waits_at_most);
                std::thread::sleep(timing.after_first_answer);
                let copied =
                    session.write(|store| crate::backup::daily_backup(store, chrono::Utc::now()));
                if let Err(e) = copied {
                    tracing::warn!("the daily backup was not made: {e}");
                }
            })
            .expect("a thread can be started");
    }

    fn after_answer(&self) {
        self.schedule_daily_copy();
        let (answered, wake) = &self.inner.answered;
        let mut answered = lock(answered);
        if !*answered {
            *answered = true;
            wake.notify_all();
        }
    }

    fn wait_for_first_answer(&self, at_most: Duration) {
        let (answered, wake) = &self.inner.answered;
        let answered = lock(answered);
        let _ = wake.wait_timeout_while(answered, at_most, |answered| !*answered);
    }
}

/// Locks `m`, carrying on after a panic elsewhere: every value kept behind these locks is
/// whole between statements.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The error for a session whose writer thread has gone (it panicked in a way it could not
/// recover from); no call can be answered.
fn writer_gone() -> Error {
    Error::StoreUnavailable {
        path: PathBuf::from("(session)"),
        reason: "the store's writer stopped; restart Kith".into(),
    }
}

#[cfg(test)]
mod tests;
