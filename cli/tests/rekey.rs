//! Changing the passphrase while other `kith` commands write, and being killed part-way.
//!
//! - Race: `kith passphrase set` runs while a `kith log` starts at a random moment within it.
//!   Whatever the order, both report the truth: the store opens (under the new passphrase if
//!   the change succeeded), passes `PRAGMA integrity_check`, holds the logged interaction if
//!   and only if `log` succeeded, and once locked no file beside it holds a note in the clear.
//! - Kill: `kith passphrase set` is killed with SIGKILL at a random moment. The next command
//!   finishes or undoes the change and says so: the store and every backup end up under one
//!   passphrase (all locked or all plain), nothing readable is left once locked, and no
//!   temporary copy is left behind.
//!
//! Moments come from a seeded generator; the seed is printed, and `KITH_REKEY_SEED=N` replays a
//! run. `KITH_REKEY_RUNS=N` changes the number of runs of each test (default 24).
//! `cargo test -p kith-cli --test rekey -- --nocapture` shows the counts.

mod common;

use common::{kith_with, ok_with};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const MARKER: &str = "Zephyrine";
const NEW: &str = "correct horse battery";

/// SplitMix64: small, seedable, and good enough to spread the moments.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

fn seed_and_runs(test: &str) -> (Rng, u64) {
    let seed = env_number("KITH_REKEY_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(7)
    });
    let runs = env_number("KITH_REKEY_RUNS").unwrap_or(24);
    println!("{test}: seed {seed} (KITH_REKEY_SEED={seed} replays it), {runs} runs");
    (Rng(seed), runs)
}

/// A plain store holding `MARKER` in names, notes and interaction text, with a manual and a
/// daily copy in its backups folder.
fn plain_store(dir: &Path) -> PathBuf {
    let db = dir.join("kith.sqlite3");
    let archive = dir.join("archive.json");
    let interactions: Vec<serde_json::Value> = (0..40)
        .map(|i| {
            serde_json::json!({
                "id": format!("i{i}"), "contact_ids": ["a"], "channel": "email",
                "direction": "inbound", "occurred_at": "2026-03-01T10:00:00Z",
                "text": format!("confidential {MARKER} advice number {i}")
            })
        })
        .collect();
    let text = serde_json::json!({
        "format": "kith-archive", "version": 1,
        "contacts": [
            {"id": "a", "name": format!("Aroha {MARKER}"), "roles": ["mentor"],
             "private_notes": format!("Restructure at work, {MARKER} knows")},
            {"id": "b", "name": "Chen Wei"}
        ],
        "interactions": interactions,
    })
    .to_string();
    std::fs::write(&archive, text).unwrap();
    ok_with(&db, &[], &["import", archive.to_str().unwrap()]);
    std::fs::remove_file(&archive).unwrap();
    ok_with(&db, &[], &["backup"]);
    // The next open makes the day's copy.
    ok_with(&db, &[], &["stats", "--json"]);
    db
}

fn spawn(db: &Path, env: &[(&str, &str)], args: &[&str]) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kith"));
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env_remove("KITH_DB")
        .env_remove("KITH_PASSPHRASE")
        .env_remove("KITH_NEW_PASSPHRASE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().expect("start kith")
}

fn locked(path: &Path) -> bool {
    let bytes = std::fs::read(path).unwrap();
    !bytes.is_empty() && !bytes.starts_with(b"SQLite format 3\0")
}

/// Every file in the store's folder and its backups folder.
fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    if let Ok(entries) = std::fs::read_dir(dir.join("backups")) {
        files.extend(entries.flatten().map(|e| e.path()));
    }
    files.retain(|f| f.is_file());
    files.sort();
    files
}

/// Files holding `needle` or the plain SQLite header.
fn readable(dir: &Path, needle: &str) -> Vec<String> {
    all_files(dir)
        .into_iter()
        .filter(|f| {
            let bytes = std::fs::read(f).unwrap();
            bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
                || bytes.starts_with(b"SQLite format 3\0")
        })
        .map(|f| f.display().to_string())
        .collect()
}

fn leftovers(dir: &Path) -> Vec<String> {
    all_files(dir)
        .into_iter()
        .filter(|f| {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with(".kith-") || name.contains("rekey-journal")
        })
        .map(|f| f.display().to_string())
        .collect()
}

fn backups(dir: &Path) -> Vec<PathBuf> {
    all_files(&dir.join("backups"))
        .into_iter()
        .filter(|f| {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with("kith-") && name.ends_with(".sqlite3")
        })
        .collect()
}

/// `kith stats` with the new passphrase at hand (a plain store ignores it): the counts, and
/// what the command said on standard error.
fn stats(db: &Path) -> (serde_json::Value, String) {
    let out = kith_with(db, &[("KITH_PASSPHRASE", NEW)], &["stats", "--json"]);
    assert!(
        out.status.success(),
        "the store does not open: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        serde_json::from_slice(&out.stdout).unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// How many interactions hold `text`, and the integrity check, read through the CLI.
fn logged(db: &Path, text: &str) -> usize {
    let out = kith_with(db, &[("KITH_PASSPHRASE", NEW)], &["search", "--json", text]);
    assert!(out.status.success());
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    found["interactions"].as_array().map_or(0, |a| a.len())
}

/// How long one `kith passphrase set` takes on a fresh copy of the store here.
fn set_duration(dir: &Path) -> Duration {
    let db = plain_store(dir);
    let start = Instant::now();
    ok_with(&db, &[("KITH_NEW_PASSPHRASE", NEW)], &["passphrase", "set"]);
    start.elapsed()
}

#[test]
fn a_write_racing_a_passphrase_change_is_never_lost_or_left_in_the_clear() {
    let (mut rng, runs) = seed_and_runs("race");
    let scratch = tempfile::tempdir().unwrap();
    let window = set_duration(scratch.path());
    println!("race: one passphrase change takes {window:?}");
    let (mut set_won, mut log_won, mut both) = (0, 0, 0);
    for run in 0..runs {
        let dir = tempfile::tempdir().unwrap();
        let db = plain_store(dir.path());
        let offset = window.mul_f64(rng.unit() * 1.1);
        let text = format!("Quokka{run} asked about serials");
        let set = spawn(&db, &[("KITH_NEW_PASSPHRASE", NEW)], &["passphrase", "set"]);
        std::thread::sleep(offset);
        let log = spawn(
            &db,
            &[("KITH_PASSPHRASE", NEW)],
            &["log", "--contact", "a", "--channel", "email", &text],
        );
        let set = set.wait_with_output().unwrap();
        let log = log.wait_with_output().unwrap();
        let context = format!(
            "run {run} (log started {offset:?} into the change): set {} ({}), log {} ({})",
            set.status,
            String::from_utf8_lossy(&set.stderr).trim(),
            log.status,
            String::from_utf8_lossy(&log.stderr).trim()
        );
        let (counts, _) = stats(&db);
        assert_eq!(locked(&db), set.status.success(), "{context}");
        let expected = 40 + usize::from(log.status.success());
        assert_eq!(counts["interactions"], expected, "{context}");
        assert_eq!(
            logged(&db, &format!("Quokka{run}")),
            usize::from(log.status.success()),
            "{context}"
        );
        if set.status.success() {
            let open = readable(dir.path(), MARKER);
            assert!(open.is_empty(), "{context}: readable files {open:?}");
            let open = readable(dir.path(), &format!("Quokka{run}"));
            assert!(open.is_empty(), "{context}: readable files {open:?}");
        }
        assert!(leftovers(dir.path()).is_empty(), "{context}");
        match (set.status.success(), log.status.success()) {
            (true, true) => both += 1,
            (true, false) => set_won += 1,
            (false, true) => log_won += 1,
            (false, false) => panic!("{context}: neither succeeded"),
        }
    }
    println!(
        "race: {runs} runs: both succeeded {both}, only the change {set_won}, only the log \
         {log_won} (refused with the store in use)"
    );
}

#[test]
fn a_passphrase_change_killed_at_any_moment_is_finished_or_undone_by_the_next_command() {
    let (mut rng, runs) = seed_and_runs("kill");
    let scratch = tempfile::tempdir().unwrap();
    let window = set_duration(scratch.path());
    println!("kill: one passphrase change takes {window:?}");
    let (mut finished, mut undone, mut untouched, mut whole) = (0, 0, 0, 0);
    for run in 0..runs {
        let dir = tempfile::tempdir().unwrap();
        let db = plain_store(dir.path());
        let mut set = spawn(&db, &[("KITH_NEW_PASSPHRASE", NEW)], &["passphrase", "set"]);
        let started = Instant::now();
        // Half the runs at any moment of the change; the other half just after its journal
        // appears, the short stretch in which the copies are being put in place.
        if run % 2 == 0 {
            std::thread::sleep(window.mul_f64(rng.unit() * 1.05));
        } else {
            let journal = dir.path().join("kith.sqlite3.rekey-journal");
            while !journal.exists() && set.try_wait().unwrap().is_none() {
                std::thread::sleep(Duration::from_micros(100));
            }
            std::thread::sleep(Duration::from_micros((rng.unit() * 3000.0) as u64));
        }
        let offset = started.elapsed();
        let killed = set.try_wait().unwrap().is_none();
        if killed {
            set.kill().unwrap();
        }
        let status = set.wait().unwrap();
        let context = format!("run {run} (killed {offset:?} into the change: {killed})");
        if !killed {
            assert!(status.success(), "{context}");
        }
        let (counts, said) = stats(&db);
        assert_eq!(counts["interactions"], 40, "{context}");
        let store_locked = locked(&db);
        for b in backups(dir.path()) {
            assert_eq!(
                locked(&b),
                store_locked,
                "{context}: {} is under another passphrase than the store",
                b.display()
            );
        }
        assert_eq!(backups(dir.path()).len(), 2, "{context}");
        if store_locked {
            let open = readable(dir.path(), MARKER);
            assert!(open.is_empty(), "{context}: readable files {open:?}");
        }
        assert!(
            leftovers(dir.path()).is_empty(),
            "{context}: left {:?}",
            leftovers(dir.path())
        );
        if !killed {
            whole += 1;
        } else if said.contains("has finished it") {
            assert!(store_locked, "{context}: {said}");
            finished += 1;
        } else if said.contains("before it changed anything") {
            assert!(!store_locked, "{context}: {said}");
            undone += 1;
        } else {
            untouched += 1;
        }
    }
    println!(
        "kill: {runs} runs: finished by the next command {finished}, undone by it {undone}, \
         killed with nothing to tidy {untouched}, not killed {whole}"
    );
}
