//! Ctrl-C during `kith sync`. The first asks the sync to stop at its next step: it then writes
//! nothing, and the accounts after it are not synced. A second stops the program at once
//! (exit status 130); that is safe too, because a sync writes in one transaction that either
//! happens whole or not at all.

use crate::tell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The exit status of a program stopped with Ctrl-C (128 + SIGINT), as shells report it.
pub const EXIT_STATUS: u8 = 130;

pub struct Interrupt {
    requested: Arc<AtomicBool>,
    told: AtomicBool,
}

impl Interrupt {
    /// Takes over Ctrl-C for the rest of the program. If the handlers cannot be installed,
    /// Ctrl-C keeps its usual effect of stopping the program at once.
    pub fn install() -> Interrupt {
        let requested = Arc::new(AtomicBool::new(false));
        let sigint = signal_hook::consts::SIGINT;
        // The shutdown is registered first so that the first Ctrl-C finds the flag unset and
        // only sets it; a second one finds it set and ends the program.
        let _ = signal_hook::flag::register_conditional_shutdown(
            sigint,
            i32::from(EXIT_STATUS),
            Arc::clone(&requested),
        );
        let _ = signal_hook::flag::register(sigint, Arc::clone(&requested));
        Interrupt {
            requested,
            told: AtomicBool::new(false),
        }
    }

    /// Whether the person pressed Ctrl-C; the first time this answers yes it says what
    /// happens next.
    pub fn requested(&self) -> bool {
        let yes = self.requested.load(Ordering::SeqCst);
        if yes && !self.told.swap(true, Ordering::SeqCst) {
            tell!("Stopping: nothing from this sync will be saved. (Ctrl-C again quits at once.)");
        }
        yes
    }
}
