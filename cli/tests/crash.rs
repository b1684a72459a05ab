//! Crash safety: the real `kith` binary is killed with SIGKILL at a random moment while it
//! imports an archive or logs a batch of interactions, a hundred times over on one store.
//! After every kill the store must open, pass `PRAGMA integrity_check`, hold each import
//! entirely or not at all, and take the killed import again without duplicating anything.
//!
//! The kill points come from a seeded generator; the seed is printed, and
//! `KITH_CRASH_SEED=N` replays a run. `KITH_CRASH_RUNS=N` changes the number of runs.
//! Run with `cargo test -p kith-cli --test crash -- --nocapture` to see the counts.

mod common;

use common::ok;
use kith_core::Store;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Interactions in each imported archive.
const INTERACTIONS: usize = 200;
/// `kith log` commands in each batch.
const BATCH: usize = 5;

/// SplitMix64: small, seedable, and good enough to spread kill times.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// An archive whose every interaction and contact carries `marker`.
fn archive(marker: &str) -> String {
    let interactions: Vec<serde_json::Value> = (0..INTERACTIONS)
        .map(|j| {
            let channel = ["email", "mastodon", "twitter", "video_call"][j % 4];
            let direction = ["inbound", "outbound", "mutual"][j % 3];
            let other = if j % 3 == 0 {
                "c1".to_string()
            } else {
                format!("{marker}-b")
            };
            serde_json::json!({
                "id": format!("{marker}-i{j}"),
                "contact_ids": [format!("{marker}-a"), other],
                "channel": channel,
                "direction": direction,
                "occurred_at": format!("2025-{:02}-{:02}T{:02}:{:02}:00Z", 1 + j % 12, 1 + j % 28, j % 24, j % 60),
                "text": format!("[{marker}] message {j} about serials, weeding and the new catalogue"),
                "tags": [format!("#{marker}")],
            })
        })
        .collect();
    serde_json::json!({
        "format": "kith-archive", "version": 1,
        "contacts": [
            {"id": format!("{marker}-a"), "name": format!("Ana [{marker}]"), "roles": ["peer"],
             "notes": "Met at the regional cataloguing day"},
            {"id": format!("{marker}-b"), "name": format!("Ben [{marker}]"), "tags": ["serials"]}
        ],
        "interactions": interactions,
    })
    .to_string()
}

fn spawn(db: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_kith"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("KITH_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start kith")
}

/// Waits for `child` until `deadline`, then kills it (SIGKILL on Unix). True if it was killed,
/// false if it had finished (successfully) by then.
fn run_until(mut child: Child, deadline: Instant) -> bool {
    loop {
        if let Some(status) = child.try_wait().expect("wait for kith") {
            assert!(status.success(), "kith failed on its own: {status}");
            return false;
        }
        if Instant::now() >= deadline {
            child.kill().expect("kill kith");
            child.wait().expect("reap kith");
            return true;
        }
        std::thread::sleep(Duration::from_micros(500));
    }
}

/// Opens the store the way Kith does and checks its integrity; returns it for counting.
fn open_checked(db: &Path, context: &str) -> Store {
    let store =
        Store::open(db).unwrap_or_else(|e| panic!("{context}: the store does not open: {e}"));
    let check: Vec<String> = {
        let mut stmt = store
            .connection()
            .prepare("PRAGMA integrity_check")
            .unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
        rows.map(|r| r.unwrap()).collect()
    };
    assert_eq!(check, ["ok"], "{context}: integrity check");
    store
}

fn count(store: &Store, sql: &str, marker: &str) -> i64 {
    store
        .connection()
        .query_row(sql, [format!("%[{marker}]%")], |r| r.get(0))
        .unwrap()
}

fn interactions(store: &Store, marker: &str) -> i64 {
    count(
        store,
        "SELECT count(*) FROM interactions WHERE text LIKE ?1",
        marker,
    )
}

fn contacts(store: &Store, marker: &str) -> i64 {
    count(
        store,
        "SELECT count(*) FROM contacts WHERE name LIKE ?1",
        marker,
    )
}

/// Copies a killed kith left half-written in the backups folder.
fn partial_copies(dir: &Path) -> usize {
    std::fs::read_dir(dir.join("backups"))
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name.starts_with(".kith-partial-") && name.ends_with(".sqlite3")
                })
                .count()
        })
        .unwrap_or(0)
}

fn import_args(file: &Path) -> [&str; 2] {
    ["import", file.to_str().unwrap()]
}

fn log_args(marker: &str) -> Vec<String> {
    [
        "log",
        "--contact",
        "c1",
        "--channel",
        "email",
        "--moment",
        "asked",
        &format!("[{marker}] a question about authority files"),
    ]
    .map(String::from)
    .to_vec()
}

#[derive(Default)]
struct Tally {
    imports: u32,
    log_batches: u32,
    killed: u32,
    finished: u32,
    killed_imports_whole: u32,
    killed_imports_absent: u32,
    killed_while_backing_up: u32,
    all_or_none_verified: u32,
}

#[test]
fn killing_kith_at_random_moments_never_tears_the_store() {
    let runs = env_number("KITH_CRASH_RUNS").unwrap_or(100) as usize;
    let seed = env_number("KITH_CRASH_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
    });
    println!("crash test: seed {seed} (replay with KITH_CRASH_SEED={seed}), {runs} runs");
    let mut rng = Rng(seed);
    let started = Instant::now();

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kith.sqlite3");
    let base = dir.path().join("base.json");
    std::fs::write(
        &base,
        r#"{"contacts": [{"id": "c1", "name": "Aroha Ngata", "roles": ["mentor"]}]}"#,
    )
    .unwrap();
    ok(&db, &["import", base.to_str().unwrap()]);

    // How long each job takes when left alone, so the kills fall within it.
    let file_for = |name: &str| -> PathBuf {
        let path = dir.path().join(format!("{name}.json"));
        std::fs::write(&path, archive(name)).unwrap();
        path
    };
    let calibrate = file_for("calibrate");
    let t = Instant::now();
    ok(&db, &import_args(&calibrate));
    let mut import_time = t.elapsed();
    let t = Instant::now();
    for k in 0..BATCH {
        let args = log_args(&format!("calibrate-{k}"));
        ok(&db, &args.iter().map(String::as_str).collect::<Vec<_>>());
    }
    let mut batch_time = t.elapsed();
    println!(
        "an import of {INTERACTIONS} interactions takes {} ms, a batch of {BATCH} logs {} ms",
        import_time.as_millis(),
        batch_time.as_millis()
    );

    let mut tally = Tally::default();
    for run in 0..runs {
        // Kill anywhere in the normal run time, and a little after, so some jobs finish. The
        // store grows, and the jobs with it: the longest run seen so far is the normal time.
        let spread = |d: Duration, rng: &mut Rng| d.mul_f64(rng.unit() * 1.15);
        if rng.unit() < 0.6 {
            tally.imports += 1;
            let marker = format!("crashrun{run:03}");
            let file = file_for(&marker);
            let delay = spread(import_time, &mut rng);
            let partial_before = partial_copies(dir.path());
            let start = Instant::now();
            let child = spawn(&db, &import_args(&file));
            let killed = run_until(child, start + delay);
            if !killed {
                import_time = import_time.max(start.elapsed());
            }
            let context = format!("run {run} (import, killed after {delay:?}: {killed})");
            let store = open_checked(&db, &context);
            let found = interactions(&store, &marker);
            assert!(
                found == 0 || found == INTERACTIONS as i64,
                "{context}: {found} of {INTERACTIONS} interactions: the import was torn"
            );
            if killed {
                tally.killed += 1;
                if partial_copies(dir.path()) > partial_before {
                    tally.killed_while_backing_up += 1;
                }
                if found == 0 {
                    tally.killed_imports_absent += 1;
                } else {
                    tally.killed_imports_whole += 1;
                }
            } else {
                tally.finished += 1;
                assert_eq!(
                    found, INTERACTIONS as i64,
                    "{context}: finished but missing"
                );
            }
            drop(store);

            ok(&db, &import_args(&file));
            let store = open_checked(&db, &context);
            assert_eq!(
                interactions(&store, &marker),
                INTERACTIONS as i64,
                "{context}: after importing again"
            );
            assert_eq!(
                contacts(&store, &marker),
                2,
                "{context}: duplicate contacts"
            );
            tally.all_or_none_verified += 1;
        } else {
            tally.log_batches += 1;
            let start = Instant::now();
            let deadline = start + spread(batch_time, &mut rng);
            let markers: Vec<String> = (0..BATCH).map(|k| format!("logrun{run:03}-{k}")).collect();
            let mut killed_at = None;
            for (k, marker) in markers.iter().enumerate() {
                let args = log_args(marker);
                let child = spawn(&db, &args.iter().map(String::as_str).collect::<Vec<_>>());
                if run_until(child, deadline) {
                    killed_at = Some(k);
                    break;
                }
            }
            let context = format!("run {run} (log batch, killed at {killed_at:?})");
            let store = open_checked(&db, &context);
            for (k, marker) in markers.iter().enumerate() {
                let found = interactions(&store, marker);
                match killed_at {
                    Some(at) if k == at => assert!(found <= 1, "{context}: {marker} {found}×"),
                    Some(at) if k > at => assert_eq!(found, 0, "{context}: {marker} never ran"),
                    _ => assert_eq!(found, 1, "{context}: {marker} finished"),
                }
            }
            match killed_at {
                Some(at) => {
                    tally.killed += 1;
                    // Log the rest of the batch, the killed one again only if it is missing.
                    let redo: Vec<&String> = markers[at..]
                        .iter()
                        .filter(|m| interactions(&store, m) == 0)
                        .collect();
                    drop(store);
                    for marker in redo {
                        let args = log_args(marker);
                        ok(&db, &args.iter().map(String::as_str).collect::<Vec<_>>());
                    }
                    let store = open_checked(&db, &context);
                    for marker in &markers {
                        assert_eq!(interactions(&store, marker), 1, "{context}: {marker}");
                    }
                }
                None => {
                    tally.finished += 1;
                    batch_time = batch_time.max(start.elapsed());
                }
            }
            tally.all_or_none_verified += 1;
        }
    }

    // Copies made while kith was being killed are whole too: a file with a backup's name is
    // always a readable store.
    let backups = kith_core::backup::list_backups(&db).unwrap();
    assert!(!backups.is_empty());
    for b in &backups {
        kith_core::backup::inspect_backup(Path::new(&b.path), None)
            .unwrap_or_else(|e| panic!("backup {} is not whole: {e}", b.name));
    }
    let partial = partial_copies(dir.path());

    println!(
        "crash test: {runs} runs ({} imports, {} log batches) in {:.1} s: killed mid-way {}, \
         finished before the kill {}; of the killed imports {} were whole and {} absent ({} \
         killed while making the before-import copy); all-or-none verified {}/{runs}; {} \
         backups checked whole, {} abandoned partial copies; longest import {} ms",
        tally.imports,
        tally.log_batches,
        started.elapsed().as_secs_f64(),
        tally.killed,
        tally.finished,
        tally.killed_imports_whole,
        tally.killed_imports_absent,
        tally.killed_while_backing_up,
        tally.all_or_none_verified,
        backups.len(),
        partial,
        import_time.as_millis()
    );
    assert_eq!(tally.all_or_none_verified as usize, runs);
    assert!(
        runs < 20 || tally.killed > 0,
        "no run was killed mid-way: the kill times are off"
    );
}
