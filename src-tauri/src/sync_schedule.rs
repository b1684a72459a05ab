//! The app's background syncs: while the window is open, every minute the schedule asks which
//! accounts are due (their interval passed, no backoff or server's wait in the way) and syncs
//! them one at a time on a thread of its own, so the window never waits on a network. A sync
//! the user starts ("Sync now") and a scheduled one never run together: they take turns
//! through one [`SyncGate`], and Cancel stops whichever is running. The thread stops when the
//! app closes.

use chrono::{DateTime, Utc};
use kith_core::accounts::SyncReport;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

/// How often the schedule looks for accounts that are due.
pub const TICK: Duration = Duration::from_secs(60);

/// One sync at a time, and Cancel for the one running (or waiting for its turn).
#[derive(Clone, Default)]
pub struct SyncGate {
    inner: Arc<GateInner>,
}

#[derive(Default)]
struct GateInner {
    turn: Mutex<()>,
    /// Moved on by each Cancel: a sync started before it stops at its next check.
    cancels: AtomicU64,
}

/// A sync's turn: others wait (or, in the background, skip) until it is dropped.
pub struct Turn<'a> {
    _held: MutexGuard<'a, ()>,
    gate: &'a SyncGate,
    started: u64,
}

impl Turn<'_> {
    /// Whether the sync may go on: no Cancel since it asked for its turn.
    pub fn keep_going(&self) -> bool {
        self.gate.inner.cancels.load(Ordering::SeqCst) == self.started
    }
}

impl SyncGate {
    /// Waits for the turn; a Cancel while waiting stops this sync too.
    pub fn wait_turn(&self) -> Turn<'_> {
        let started = self.inner.cancels.load(Ordering::SeqCst);
        let held = self.inner.turn.lock().unwrap_or_else(|p| p.into_inner());
        Turn {
            _held: held,
            gate: self,
            started,
        }
    }

    /// The turn if nobody has it now.
    pub fn try_turn(&self) -> Option<Turn<'_>> {
        let started = self.inner.cancels.load(Ordering::SeqCst);
        let held = match self.inner.turn.try_lock() {
            Ok(held) => held,
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return None,
        };
        Some(Turn {
            _held: held,
            gate: self,
            started,
        })
    }

    /// Stops the sync running now (and one waiting for its turn) at its next check.
    pub fn cancel(&self) {
        self.inner.cancels.fetch_add(1, Ordering::SeqCst);
    }
}

/// What the schedule needs from the store: the accounts due, and a sync of one.
pub trait Syncer: Send + 'static {
    /// The accounts to sync now, by name: due by the user's interval and each account's
    /// backoff, leaving out those whose password must be typed (nobody is there to type it).
    fn due(&self, now: DateTime<Utc>) -> Vec<String>;
    /// Syncs one account; `keep_going` answers false once it should stop (Cancel, the app
    /// closing). A failure is in the report, as the account's last error.
    fn sync(
        &self,
        name: &str,
        now: DateTime<Utc>,
        keep_going: &mut dyn FnMut() -> bool,
    ) -> SyncReport;
}

/// The background schedule, running until [`Schedule::stop`].
pub struct Schedule {
    stop: Arc<(Mutex<bool>, Condvar)>,
    gate: SyncGate,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Schedule {
    /// Starts looking for due accounts every `tick` (the first look after one tick, so the
    /// window's first answers do not queue behind a sync), telling `told` after each sync.
    pub fn start(
        syncer: impl Syncer,
        gate: SyncGate,
        tick: Duration,
        told: impl Fn(&SyncReport) + Send + 'static,
    ) -> Schedule {
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let thread = {
            let stop = stop.clone();
            let gate = gate.clone();
            std::thread::Builder::new()
                .name("kith-sync-schedule".into())
                .spawn(move || run(syncer, &gate, tick, &stop, &told))
                .expect("the schedule's thread starts")
        };
        Schedule {
            stop,
            gate,
            thread: Mutex::new(Some(thread)),
        }
    }

    /// Stops the schedule: a sync running in the background is cancelled (keeping nothing of
    /// its batch) and the thread ends before this returns.
    pub fn stop(&self) {
        {
            let (stopped, wake) = &*self.stop;
            *stopped.lock().unwrap_or_else(|p| p.into_inner()) = true;
            wake.notify_all();
        }
        self.gate.cancel();
        let thread = self.thread.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }
}

fn run(
    syncer: impl Syncer,
    gate: &SyncGate,
    tick: Duration,
    stop: &(Mutex<bool>, Condvar),
    told: &dyn Fn(&SyncReport),
) {
    let stopped = || *stop.0.lock().unwrap_or_else(|p| p.into_inner());
    loop {
        {
            let (flag, wake) = stop;
            let guard = flag.lock().unwrap_or_else(|p| p.into_inner());
            let (guard, _) = wake
                .wait_timeout_while(guard, tick, |stopped| !*stopped)
                .unwrap_or_else(|p| p.into_inner());
            if *guard {
                return;
            }
        }
        // The user's own sync is running: what is due waits for the next tick.
        let Some(turn) = gate.try_turn() else {
            continue;
        };
        for name in syncer.due(Utc::now()) {
            if stopped() || !turn.keep_going() {
                break;
            }
            let report = syncer.sync(&name, Utc::now(), &mut || !stopped() && turn.keep_going());
            told(&report);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Instant;

    /// Accounts due by name; each sync notes its name and, while `slow`, keeps going until
    /// told to stop.
    struct Fake {
        due: Arc<Mutex<Vec<String>>>,
        synced: mpsc::Sender<String>,
        slow: bool,
    }

    impl Syncer for Fake {
        fn due(&self, _now: DateTime<Utc>) -> Vec<String> {
            std::mem::take(&mut *self.due.lock().unwrap())
        }
        fn sync(
            &self,
            name: &str,
            _now: DateTime<Utc>,
            keep_going: &mut dyn FnMut() -> bool,
        ) -> SyncReport {
            let _ = self.synced.send(name.to_string());
            let mut error = None;
            if self.slow {
                let began = Instant::now();
                while keep_going() {
                    assert!(began.elapsed() < Duration::from_secs(10), "never stopped");
                    std::thread::sleep(Duration::from_millis(5));
                }
                error = Some(kith_core::PublicError {
                    code: kith_core::Code::Cancelled,
                    message: format!("{name}: cancelled"),
                });
            }
            SyncReport {
                name: name.to_string(),
                added: 1,
                updated: 0,
                new_people: 0,
                notes: Vec::new(),
                error,
            }
        }
    }

    fn fake(due: &[&str], slow: bool) -> (Fake, Arc<Mutex<Vec<String>>>, mpsc::Receiver<String>) {
        let list = Arc::new(Mutex::new(due.iter().map(|s| s.to_string()).collect()));
        let (tx, rx) = mpsc::channel();
        (
            Fake {
                due: list.clone(),
                synced: tx,
                slow,
            },
            list,
            rx,
        )
    }

    const WAIT: Duration = Duration::from_secs(5);

    #[test]
    fn what_is_due_is_synced_one_at_a_time_and_the_window_is_told() {
        let (syncer, _, synced) = fake(&["Work mail", "Rosa's blog"], false);
        let (tell, told) = mpsc::channel();
        let schedule = Schedule::start(
            syncer,
            SyncGate::default(),
            Duration::from_millis(20),
            move |r| {
                let _ = tell.send(r.name.clone());
            },
        );
        assert_eq!(synced.recv_timeout(WAIT).unwrap(), "Work mail");
        assert_eq!(told.recv_timeout(WAIT).unwrap(), "Work mail");
        assert_eq!(synced.recv_timeout(WAIT).unwrap(), "Rosa's blog");
        assert_eq!(told.recv_timeout(WAIT).unwrap(), "Rosa's blog");
        schedule.stop();
    }

    #[test]
    fn the_users_own_sync_goes_first_and_the_schedule_waits_for_it() {
        let (syncer, _, synced) = fake(&["Work mail"], false);
        let gate = SyncGate::default();
        let manual = gate.wait_turn();
        let schedule = Schedule::start(syncer, gate.clone(), Duration::from_millis(10), |_| {});
        assert!(
            synced.recv_timeout(Duration::from_millis(200)).is_err(),
            "nothing synced in the background while the user's sync runs"
        );
        drop(manual);
        assert_eq!(synced.recv_timeout(WAIT).unwrap(), "Work mail");
        schedule.stop();
    }

    #[test]
    fn closing_the_app_stops_a_background_sync_at_once() {
        let (syncer, _, synced) = fake(&["Slow server"], true);
        let schedule = Schedule::start(
            syncer,
            SyncGate::default(),
            Duration::from_millis(10),
            |_| {},
        );
        assert_eq!(synced.recv_timeout(WAIT).unwrap(), "Slow server");
        let asked = Instant::now();
        schedule.stop();
        assert!(
            asked.elapsed() < Duration::from_secs(2),
            "stopped in {:?}",
            asked.elapsed()
        );
        assert!(schedule.thread.lock().unwrap().is_none());
    }

    #[test]
    fn an_idle_schedule_stops_without_waiting_for_its_tick() {
        let (syncer, _, _) = fake(&[], false);
        let schedule = Schedule::start(syncer, SyncGate::default(), TICK, |_| {});
        let asked = Instant::now();
        schedule.stop();
        assert!(asked.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn cancel_stops_the_background_sync_and_the_next_turn_starts_afresh() {
        let (syncer, due, synced) = fake(&["Slow server"], true);
        let gate = SyncGate::default();
        let (tell, told) = mpsc::channel();
        let schedule = Schedule::start(syncer, gate.clone(), Duration::from_millis(10), move |r| {
            let _ = tell.send(r.error.as_ref().map(|e| e.code));
        });
        assert_eq!(synced.recv_timeout(WAIT).unwrap(), "Slow server");
        gate.cancel();
        assert_eq!(
            told.recv_timeout(WAIT).unwrap(),
            Some(kith_core::Code::Cancelled)
        );
        // A turn taken after the Cancel is not cancelled by it.
        let turn = gate.wait_turn();
        assert!(turn.keep_going());
        drop(turn);
        due.lock().unwrap().push("Slow server".into());
        assert_eq!(synced.recv_timeout(WAIT).unwrap(), "Slow server");
        schedule.stop();
    }
}
