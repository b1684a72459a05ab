#![no_main]
//! Small inputs that expand into large files (see `fuzz/src/amplify.rs`), imported under a
//! deadline and a memory ceiling in proportion to the file's size: an importer that takes the
//! square of its input's size in time, or many times its size in memory, fails here although
//! libFuzzer's own limits (seconds, a gigabyte) would let it pass.
//!
//! - Time: at most 2 s + 0.5 µs per byte. Kith imports a few megabytes a second in this
//!   build, so a linear import of the largest expansion (4 MB) takes well under the 4 s this
//!   allows (and libFuzzer's own 5 s per input), while the quadratic attacks took 14 s to
//!   minutes. The second of the base is for shapes that write thousands of contacts to the
//!   store (5,000 CSV rows took 1.1 s on a busy machine).
//! - Memory: at most 3 bytes allocated at once per byte of the file, plus 16 MB. The file is
//!   read whole (1x), may be decoded once more as text (2x) and cut into its records' texts
//!   (3x); the record limit of the fuzz build (20,000) bounds the decoded records whatever
//!   the file holds, and the 16 MB are for the contacts a CSV or an archive writes (5,000
//!   rows held 8 MB). Today's importers hold at most 3.7 times the file of the seeds' shapes
//!   (a reply chain) and under 8 MB of the small ones; the code that read a whole entry into
//!   a JSON value held 7 to 18 times it (tiny tweets, Mastodon activities, Bluesky blocks,
//!   direct messages, cards).
//!
//! `KITH_AMPLIFY_REPORT=1` prints each input's time and memory against what is allowed.

use kith_fuzz::amplify::expand;
use libfuzzer_sys::fuzz_target;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Counts the bytes allocated now and the most allocated at once since the last reset.
struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = NOW.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        NOW.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let now = NOW.fetch_add(new_size - layout.size(), Ordering::Relaxed)
                    + (new_size - layout.size());
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                NOW.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const BASE_TIME: Duration = Duration::from_secs(2);
const TIME_PER_BYTE: Duration = Duration::from_nanos(500);
const MEMORY_PER_BYTE: usize = 3;
const BASE_MEMORY: usize = 16 << 20;

fuzz_target!(|data: &[u8]| {
    let Some(file) = expand(data) else { return };
    let size = file.bytes.len();
    let deadline = BASE_TIME + TIME_PER_BYTE * size as u32;
    let ceiling = MEMORY_PER_BYTE * size + BASE_MEMORY;
    let before = NOW.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let start = Instant::now();
    kith_fuzz::check(Some(file.format), file.name, &file.bytes);
    let took = start.elapsed();
    let peak = PEAK.load(Ordering::Relaxed) - before;
    if std::env::var_os("KITH_AMPLIFY_REPORT").is_some() {
        eprintln!(
            "amplify: {} of {size} bytes took {took:?} (allowed {deadline:?}), held {} KB at once (allowed {} KB)",
            file.name,
            peak >> 10,
            ceiling >> 10
        );
    }
    assert!(
        took <= deadline,
        "importing {} ({size} bytes) took {took:?}, more than the {deadline:?} allowed",
        file.name
    );
    assert!(
        peak <= ceiling,
        "importing {} ({size} bytes) held {} MB at once, more than the {} MB allowed",
        file.name,
        peak >> 20,
        ceiling >> 20
    );
});
