//! A named pipe given where a file is expected is refused at once, naming it. Reading a pipe
//! waits for something to write to it, so `kith import PIPE` used to wait forever.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `kith --db DB ARGS…`, killing it if it has not finished within 30 seconds.
fn kith_within(db: &Path, args: &[&str]) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kith"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("KITH_DB")
        .env_remove("KITH_PASSPHRASE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kith");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait for kith").is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(30) {
            child.kill().expect("kill kith");
            child.wait().expect("reap kith");
            panic!("kith {args:?} was still running after 30 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("kith's output");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_named_pipe_is_refused_naming_it_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kith.sqlite3");
    common::ok(&db, &["demo"]);
    let before = common::ok(&db, &["stats", "--json"]);
    let pipe = dir.path().join("export.zip");
    let made = Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .expect("run mkfifo");
    assert!(made.success(), "mkfifo failed");
    let pipe = pipe.to_str().unwrap();

    for args in [
        vec!["import", pipe],
        vec!["import", "--dry-run", pipe],
        vec!["import", "--format", "json", pipe],
        vec!["import", "--format", "vcard", pipe],
        vec!["import", "--format", "twitter", pipe],
        vec!["import", "--format", "mastodon", pipe],
        vec!["import", "--format", "mbox", pipe],
    ] {
        let (ok, stderr) = kith_within(&db, &args);
        assert!(!ok, "kith {args:?} succeeded");
        assert!(
            stderr.contains(pipe),
            "kith {args:?} did not name the pipe: {stderr}"
        );
        assert!(stderr.contains("named pipe"), "kith {args:?}: {stderr}");
    }
    // An attendee list is a file too.
    let archive: serde_json::Value =
        serde_json::from_str(&common::ok(&db, &["export", "--format", "json"])).unwrap();
    let event = archive["events"][0]["id"].as_str().unwrap().to_string();
    let (ok, stderr) = kith_within(&db, &["attendees", &event, pipe]);
    assert!(
        !ok && stderr.contains(pipe) && stderr.contains("named pipe"),
        "{stderr}"
    );
    assert_eq!(common::ok(&db, &["stats", "--json"]), before);
}
