//! The writer: one connection on a thread of its own, running jobs in the order they arrive.

use super::changes::{self, StoreChange};
use super::{lock, writer_gone};
use crate::error::Result;
use crate::passphrase::Passphrase;
use crate::store::Store;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;

type Job = Box<dyn FnOnce(&mut Slot) + Send>;

/// Told what a write changed, on the writer's thread before the write's caller has its answer;
/// answers whether it still wants to be told.
pub type Listener = Box<dyn FnMut(&StoreChange) -> bool + Send>;

pub(super) struct Writer {
    /// The queue of jobs; taken when the writer is dropped, which ends the thread's loop.
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    /// The thread, joined when the writer is dropped.
    thread: Mutex<Option<JoinHandle<()>>>,
    /// How many jobs were put in the queue, for tests that must know one is queued.
    #[cfg(test)]
    pub sent: std::sync::atomic::AtomicUsize,
    shared: Arc<Mutex<Shared>>,
}

/// What callers may learn about the writer's connection without queueing behind its jobs.
#[derive(Default)]
struct Shared {
    open: bool,
    key: Option<Passphrase>,
    tidied: Vec<String>,
    /// Who is told what each write changed.
    listeners: Vec<Listener>,
}

/// The writer's connection, as its jobs see it: open or not yet.
pub(super) struct Slot {
    path: PathBuf,
    store: Option<Store>,
    shared: Arc<Mutex<Shared>>,
    /// `PRAGMA data_version` when the last job ended: it moves only when another connection
    /// commits.
    seen_version: Option<i64>,
    /// The newest entry of the store's change log when the last job ended: another
    /// connection's commits are read from the entries after it.
    seen_logged: Option<i64>,
    /// Changes to announce that the notes cannot show (the file replaced, another program's
    /// commit).
    also: StoreChange,
}

impl Slot {
    /// The store, opened first (unlocked with `key`) if it is not open. Opening upgrades an
    /// older schema; the day's copy is left to the session.
    pub fn open(&mut self, key: Option<&Passphrase>) -> Result<&mut Store> {
        if self.store.is_none() {
            let store = Store::open_leaving_daily_backup(&self.path, key)?;
            changes::install(store.connection())?;
            let mut shared = lock(&self.shared);
            shared.open = true;
            shared.key = store.passphrase().cloned();
            shared.tidied.extend(store.tidied_on_open().iter().cloned());
            self.store = Some(store);
        }
        Ok(self.store.as_mut().expect("opened above"))
    }

    /// Notes, before a job, what another program committed since the last one ended.
    fn start_job(&mut self) {
        let others = self.others_committed();
        self.also.merge(&others);
    }

    /// What other connections committed since this was last asked (nothing if none did), as
    /// the change log names it; and where the log and the file stand now.
    fn others_committed(&mut self) -> StoreChange {
        let mut change = StoreChange::default();
        let Some(store) = &self.store else {
            return change;
        };
        let Some(version) = self.data_version() else {
            return change;
        };
        let moved = self.seen_version.is_some_and(|seen| seen != version);
        self.seen_version = Some(version);
        let logged = match (moved, self.seen_logged) {
            (true, Some(seen)) => changes::logged_since(store, seen).map(|(last, logged)| {
                change = logged;
                last
            }),
            (true, None) => {
                change.everything = true;
                changes::last_logged(store)
            }
            (false, _) => changes::last_logged(store),
        };
        match logged {
            Ok(last) => self.seen_logged = Some(last),
            // Not knowing what changed, say that anything may have.
            Err(e) => {
                tracing::warn!("the change log could not be read: {e}");
                self.seen_logged = None;
                change.everything |= moved;
            }
        }
        change
    }

    /// After a job: rolls back what it left unfinished, and tells the listeners what it
    /// changed.
    fn end_job(&mut self) {
        self.roll_back_unfinished();
        let mut change = std::mem::take(&mut self.also);
        if let Some(store) = &self.store {
            match changes::take(store) {
                Ok(noted) => change.merge(&noted),
                // Not knowing what changed, say that anything may have.
                Err(e) => {
                    tracing::warn!("what the last write changed could not be read: {e}");
                    change.everything = true;
                }
            }
        }
        // Another commit while the job ran (the log's entries since the job began name this
        // job's rows too: announced twice is harmless).
        let others = self.others_committed();
        change.merge(&others);
        if !change.is_empty() {
            lock(&self.shared)
                .listeners
                .retain_mut(|listener| listener(&change));
        }
    }

    fn data_version(&self) -> Option<i64> {
        let conn = self.store.as_ref()?.connection();
        conn.pragma_query_value(None, "data_version", |r| r.get(0))
            .ok()
    }

    /// Rolls back a transaction a job left open (it panicked, or returned early from a
    /// hand-written `BEGIN`), so the next job does not write inside it and the write lock is
    /// not held on.
    fn roll_back_unfinished(&mut self) {
        if let Some(store) = &self.store {
            let conn = store.connection();
            if !conn.is_autocommit() {
                tracing::warn!("a write left its transaction open; it was rolled back");
                if let Err(e) = conn.execute_batch("ROLLBACK") {
                    tracing::warn!("the rollback failed: {e}");
                }
            }
        }
    }

    /// Closes the connection, handing back the passphrase it was open with.
    fn close(&mut self) -> Option<Passphrase> {
        let key = self.store.take().and_then(|s| s.passphrase().cloned());
        // The file may be another one when it opens again (a restore): anything may change.
        self.seen_version = None;
        self.seen_logged = None;
        self.also.everything = true;
        let mut shared = lock(&self.shared);
        shared.open = false;
        shared.key = None;
        key
    }
}

/// Waits for the thread to close the connection. A connection still closing on another thread
/// while the process exits races SQLite's and the TLS library's teardown; and a caller that
/// drops its session expects the file to be free afterwards (to copy it, or to open it
/// elsewhere).
impl Drop for Writer {
    fn drop(&mut self) {
        drop(lock(&self.jobs).take());
        if let Some(thread) = lock(&self.thread).take() {
            // The last session may be dropped by a job on the writer's own thread: it ends
            // by itself once that job returns.
            if thread.thread().id() != std::thread::current().id() {
                let _ = thread.join();
            }
        }
    }
}

impl Writer {
    /// Starts the writer's thread for the store at `path`; it ends when the writer is dropped,
    /// after the jobs already queued, closing the connection.
    pub fn start(path: PathBuf) -> Writer {
        let (jobs, queue) = mpsc::channel::<Job>();
        let shared = Arc::new(Mutex::new(Shared::default()));
        let mut slot = Slot {
            path,
            store: None,
            shared: shared.clone(),
            seen_version: None,
            seen_logged: None,
            also: StoreChange::default(),
        };
        let thread = std::thread::Builder::new()
            .name("kith-writer".into())
            .spawn(move || {
                for job in queue {
                    job(&mut slot);
                }
            })
            .expect("a thread can be started");
        Writer {
            jobs: Mutex::new(Some(jobs)),
            thread: Mutex::new(Some(thread)),
            #[cfg(test)]
            sent: Default::default(),
            shared,
        }
    }

    /// Runs `f` on the writer's thread after every job queued before it, and waits for its
    /// answer. A panic in `f` is raised again here, in the caller; the writer carries on (a
    /// transaction `f` had open was rolled back as it unwound).
    pub fn run<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Slot) -> Result<T> + Send + 'static,
    {
        let (answer, answered) = mpsc::sync_channel(1);
        let job: Job = Box::new(move |slot: &mut Slot| {
            slot.start_job();
            let outcome = catch_unwind(AssertUnwindSafe(|| f(slot)));
            slot.end_job();
            let _ = answer.send(outcome);
        });
        lock(&self.jobs)
            .as_ref()
            .ok_or_else(writer_gone)?
            .send(job)
            .map_err(|_| writer_gone())?;
        #[cfg(test)]
        self.sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        match answered.recv() {
            Ok(Ok(answer)) => answer,
            Ok(Err(panic)) => resume_unwind(panic),
            Err(_) => Err(writer_gone()),
        }
    }

    /// Runs `f` on the writer's thread with its connection closed, then `reopen` with the
    /// passphrase `f` chose.
    pub fn run_closed<T, F, R>(&self, f: F, reopen: R) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Path, Option<Passphrase>) -> (Result<T>, Option<Passphrase>) + Send + 'static,
        R: FnOnce(&mut Slot, Option<Passphrase>) + Send + 'static,
    {
        self.run(move |slot| {
            let key = slot.close();
            let path = slot.path.clone();
            let (answer, key) = f(&path, key);
            reopen(slot, key);
            answer
        })
    }

    /// Tells `listener` what each write from now on changed.
    pub fn listen(&self, listener: Listener) {
        lock(&self.shared).listeners.push(listener);
    }

    pub fn is_open(&self) -> bool {
        lock(&self.shared).open
    }

    /// The passphrase the connection is open with: `None` while it is closed, `Some(None)` for
    /// a plain store.
    pub fn key(&self) -> Option<Option<Passphrase>> {
        let shared = lock(&self.shared);
        shared.open.then(|| shared.key.clone())
    }

    /// What opening tidied up since the last time this was asked.
    pub fn take_tidied(&self) -> Vec<String> {
        std::mem::take(&mut lock(&self.shared).tidied)
    }
}
