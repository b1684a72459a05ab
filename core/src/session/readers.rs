//! The pool of read-only connections that answer while the writer writes.

use super::lock;
use crate::error::Result;
use crate::passphrase::Passphrase;
use crate::store::Store;
use std::path::PathBuf;
use std::sync::{Condvar, Mutex};

pub(super) struct Readers {
    path: PathBuf,
    max: usize,
    state: Mutex<State>,
    wake: Condvar,
}

#[derive(Default)]
struct State {
    /// Open connections nobody is using.
    idle: Vec<Store>,
    /// Connections in use (or being opened).
    lent: usize,
    /// Set while the file must have no reader (a passphrase change, a restore).
    closing: bool,
}

/// Gives a lent connection back to the pool when the read ends, however it ends.
struct Lent<'a> {
    readers: &'a Readers,
    store: Option<Store>,
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        let mut state = lock(&self.readers.state);
        state.lent -= 1;
        if let Some(store) = self.store.take() {
            // A reader lent before a close began is not kept: it holds the old file.
            if !state.closing {
                state.idle.push(store);
            }
        }
        self.readers.wake.notify_all();
    }
}

impl Readers {
    pub fn new(path: PathBuf, max: usize) -> Readers {
        Readers {
            path,
            max,
            state: Mutex::default(),
            wake: Condvar::new(),
        }
    }

    /// Runs `f` on a read-only connection, opening one (unlocked with `key`) if none is idle
    /// and fewer than the most are open, or else waiting for one to come back. While the store
    /// is being closed for a passphrase change or a restore, hands `f` back unrun.
    pub fn try_read<T, F>(
        &self,
        key: Option<&Passphrase>,
        f: F,
    ) -> std::result::Result<Result<T>, F>
    where
        F: FnOnce(&Store) -> Result<T>,
    {
        let idle = {
            let mut state = lock(&self.state);
            loop {
                if state.closing {
                    return Err(f);
                }
                if let Some(store) = state.idle.pop() {
                    state.lent += 1;
                    break Some(store);
                }
                if state.lent < self.max {
                    state.lent += 1;
                    break None;
                }
                state = self.wake.wait(state).unwrap_or_else(|p| p.into_inner());
            }
        };
        let mut lent = Lent {
            readers: self,
            store: idle,
        };
        if lent.store.is_none() {
            match open_reader(&self.path, key) {
                Ok(store) => lent.store = Some(store),
                Err(e) => return Ok(Err(e)),
            }
        }
        Ok(f(lent.store.as_ref().expect("opened above")))
    }

    /// Closes every reader (waiting for those in use to finish), runs `f` while none may open,
    /// and lets them open again afterwards.
    pub fn closed_while<T>(&self, f: impl FnOnce() -> T) -> T {
        {
            let mut state = lock(&self.state);
            state.closing = true;
            while state.lent > 0 {
                state = self.wake.wait(state).unwrap_or_else(|p| p.into_inner());
            }
            state.idle.clear();
        }
        // Readers may open again however `f` ends, a panic included.
        struct Reopen<'a>(&'a Readers);
        impl Drop for Reopen<'_> {
            fn drop(&mut self) {
                lock(&self.0.state).closing = false;
                self.0.wake.notify_all();
            }
        }
        let _reopen = Reopen(self);
        f()
    }

    /// Closes the connections nobody is using. Each holds its own page cache and, once a read
    /// asked for them, its own copy of the contacts list and the network (for the busy network
    /// about 180 MB): kept past the write that made them needed, every background sync would
    /// leave copies behind.
    pub fn close_idle(&self) {
        let idle = std::mem::take(&mut lock(&self.state).idle);
        // Closed outside the lock: a read asking for a connection meanwhile opens its own.
        drop(idle);
    }

    /// How many read-only connections are open now, in use or idle.
    #[cfg(test)]
    pub fn open_count(&self) -> usize {
        let state = lock(&self.state);
        state.idle.len() + state.lent
    }
}

/// Opens a connection that cannot write: a read that tried would be a bug, and is refused by
/// SQLite rather than committed beside the writer.
fn open_reader(path: &std::path::Path, key: Option<&Passphrase>) -> Result<Store> {
    let store = Store::open_leaving_daily_backup(path, key)?;
    store.connection().pragma_update(None, "query_only", true)?;
    Ok(store)
}
