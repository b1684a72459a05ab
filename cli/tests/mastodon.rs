//! `kith accounts add mastodon` and `kith sync` on the real binary, against answers recorded
//! from a real Mastodon server (the cassettes of Mastodon.py's test suite, see
//! `core/tests/fixtures/mastodon/SOURCES.md`) replayed on a loopback port: signing in with a
//! pasted code, or with a token from the environment; where the token goes (never into a
//! plain store); what a sync brings; and what a revoked token prints and exits with.
//!
//! The system's secret store is out of reach here (as on a headless machine).

mod common;

#[path = "../../core/tests/support/mastodon_replay.rs"]
mod replay;

use common::kith_headless;
use replay::{cassette, Answer, Exchange, Replay, Request};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The token the recorded server handed out for the recorded code.
const RECORDED_TOKEN: &str = "qLFk5fQZHZfAWvjsVWMJZRH2K9coa_1JOCpbMwOlPbM";
const TOKEN: &str = "tok-Mastodon-cli-secret";
/// The user of the verify_credentials recording.
const USER_ID: &str = "117020457910412882";

fn dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("kith-cli-mastodon-")
        .tempdir()
        .unwrap()
}

fn recordings(names: &[&str]) -> Vec<Exchange> {
    names.iter().flat_map(|n| cassette(n)).collect()
}

/// The recorded server, with empty lists where the recordings have none for this user.
fn server() -> Replay {
    Replay::start(
        recordings(&[
            "test_app_account_create.yaml",
            "test_verify_credentials.yaml",
            "test_notifications_mentions_only.yaml",
        ]),
        |r: &Request| {
            let path = r.path.split('?').next().unwrap_or("");
            (path == format!("/api/v1/accounts/{USER_ID}/statuses")
                || path == format!("/api/v1/accounts/{USER_ID}/following")
                || path == "/api/v1/lists"
                || path == "/api/v1/conversations")
                .then(|| Answer::json(200, "[]"))
        },
    )
}

fn ok(db: &Path, env: &[(&str, &str)], args: &[&str]) -> String {
    let out = kith_headless(db, env, args);
    assert!(
        out.status.success(),
        "kith {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs kith with `input` on its standard input.
fn with_input(db: &Path, env: &[(&str, &str)], args: &[&str], input: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kith"));
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env_remove("KITH_DB")
        .env_remove("KITH_PASSPHRASE")
        .env_remove("KITH_ACCOUNT_TOKEN")
        .env("DBUS_SESSION_BUS_ADDRESS", common::NO_DBUS.1)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Every file in `dir` that holds `needle`.
fn files_holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            found.extend(files_holding(&p, needle));
        } else {
            let bytes = std::fs::read(&p).unwrap();
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                found.push(p);
            }
        }
    }
    found
}

#[test]
fn signing_in_with_a_pasted_code_keeps_the_token_in_a_locked_store_and_syncs() {
    let server = server();
    let d = dir();
    let db = d.path().join("kith.sqlite3");
    ok(&db, &[], &["stats"]);
    let phrase = "correct horse battery staple";
    ok(
        &db,
        &[("KITH_NEW_PASSPHRASE", phrase)],
        &["passphrase", "set"],
    );
    let env = [("KITH_PASSPHRASE", phrase)];

    let out = with_input(
        &db,
        &env,
        &[
            "accounts",
            "add",
            "mastodon",
            "Social",
            "--server",
            &server.origin(),
        ],
        "the-code-from-the-page\n",
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!("{}/oauth/authorize?", server.origin())),
        "the sign-in address is printed: {stdout}"
    );
    assert!(
        stdout.contains("signed in as @mastodonpy_test@127.0.0.1"),
        "{stdout}"
    );
    assert!(stdout.contains("kept in the store"), "{stdout}");
    let token_request = server
        .requests()
        .into_iter()
        .find(|r| r.path == "/oauth/token")
        .expect("the code was exchanged");
    assert!(token_request.body.contains("code=the-code-from-the-page"));

    let list: Value =
        serde_json::from_str(&ok(&db, &env, &["accounts", "list", "--json"])).unwrap();
    assert_eq!(list[0]["kind"], "mastodon");
    assert_eq!(list[0]["settings"]["account_id"], USER_ID);
    assert_eq!(list[0]["secret_kept"], true);
    assert!(
        files_holding(d.path(), RECORDED_TOKEN).is_empty(),
        "encrypted on disk"
    );

    // The kept token signs the sync. The recorded mention is by admin, of mastodonpy_test as
    // that server numbered them on another day than the sign-in's recording: both are new
    // people here.
    let report: Value =
        serde_json::from_str(&ok(&db, &env, &["sync", "Social", "--json"])).unwrap();
    let line = &report["accounts"][0];
    assert_eq!(line["error"], Value::Null, "{report}");
    assert_eq!(line["new_people"], 2, "{report}");
    let sync_requests: Vec<Request> = server
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/v1/notifications"))
        .collect();
    assert_eq!(
        sync_requests[0].header("authorization"),
        Some(format!("Bearer {RECORDED_TOKEN}").as_str())
    );
    let people: Value = serde_json::from_str(&ok(&db, &env, &["people", "new", "--json"])).unwrap();
    assert!(
        people.to_string().contains("@admin@localhost:3000"),
        "{people}"
    );
}

#[test]
fn a_token_from_the_environment_is_never_written_to_a_plain_store() {
    let server = server();
    let d = dir();
    let db = d.path().join("kith.sqlite3");
    let env = [("KITH_ACCOUNT_TOKEN", TOKEN)];
    let out = ok(
        &db,
        &env,
        &[
            "accounts",
            "add",
            "mastodon",
            "Social",
            "--server",
            &server.origin(),
            "--token-from-env",
        ],
    );
    assert!(out.contains("not kept"), "{out}");
    assert!(out.contains("KITH_ACCOUNT_TOKEN"), "{out}");
    assert!(
        server.requests().iter().all(|r| r.path != "/api/v1/apps"),
        "no sign-in with a token given"
    );

    // Without the token the sync says what it needs; with it, it syncs.
    let out = kith_headless(&db, &[], &["sync", "Social"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("[sync_password_needed]"), "{err}");
    assert!(err.contains("KITH_ACCOUNT_TOKEN"), "{err}");
    let report = ok(&db, &env, &["sync", "Social"]);
    assert!(
        report.contains("Social: 0 added, 0 updated, 2 new people"),
        "{report}"
    );
    assert!(files_holding(d.path(), TOKEN).is_empty());

    // A name already taken is refused before any sign-in.
    let before = server.requests().len();
    let out = kith_headless(
        &db,
        &env,
        &[
            "accounts",
            "add",
            "mastodon",
            "social",
            "--server",
            &server.origin(),
            "--token-from-env",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already called"));
    assert_eq!(server.requests().len(), before);
}

#[test]
fn a_revoked_token_fails_the_sync_and_says_to_sign_in_again() {
    // The recorded server, which refuses the token once it is revoked, as the recorded one
    // refused a token it did not accept.
    let refused = cassette("test_unauthed_home_tl_throws.yaml")
        .into_iter()
        .find(|e| e.answer.status == 401)
        .unwrap()
        .answer;
    let revoked = Arc::new(AtomicBool::new(false));
    let r = revoked.clone();
    let server = Replay::start(recordings(&["test_verify_credentials.yaml"]), move |_| {
        r.load(Ordering::SeqCst).then(|| refused.clone())
    });
    let d = dir();
    let db = d.path().join("kith.sqlite3");
    let env = [("KITH_ACCOUNT_TOKEN", TOKEN)];
    ok(
        &db,
        &env,
        &[
            "accounts",
            "add",
            "mastodon",
            "Social",
            "--server",
            &server.origin(),
            "--token-from-env",
        ],
    );
    revoked.store(true, Ordering::SeqCst);

    let out = kith_headless(&db, &env, &["sync", "Social"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("[sync_wrong_password]"), "{err}");
    assert!(err.contains("Sign in again"), "{err}");
    assert!(!err.contains(TOKEN), "{err}");
    let list: Value = serde_json::from_str(&ok(&db, &[], &["accounts", "list", "--json"])).unwrap();
    assert_eq!(list[0]["last_error"]["code"], "sync_wrong_password");
}
