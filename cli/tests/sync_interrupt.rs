//! Ctrl-C during `kith sync`, sent as SIGINT to the real program while it talks to a loopback
//! HTTP server the test controls: the first stops the sync at its next step and saves nothing
//! from it; a second, while the sync waits on the network, ends the program at once. Either
//! way the exit status is 130 and the store is as it was.

mod common;

#[path = "../../core/tests/support/http_server.rs"]
mod http_server;

use common::NO_DBUS;
use serde_json::Value;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn feed() -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../core/tests/fixtures/feeds/ghost-changelog.xml"),
    )
    .unwrap()
}

fn kith(db: &Path, args: &[&str]) -> Command {
    common::kith_command(db, &[NO_DBUS], args)
}

fn json(db: &Path, args: &[&str]) -> Value {
    let out = kith(db, args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A store with Aroha and her blog connected at `url`.
fn store_with_blog(dir: &Path, url: &str) -> std::path::PathBuf {
    let db = dir.join("kith.sqlite3");
    kith_core::Store::open(&db)
        .unwrap()
        .save_contact(
            kith_core::ContactDraft {
                name: "Aroha Ngata".into(),
                ..Default::default()
            },
            chrono::Utc::now(),
        )
        .unwrap();
    let out = kith(
        &db,
        &[
            "accounts",
            "add",
            "feed",
            "Aroha's blog",
            "--url",
            url,
            "--contact",
            "Aroha Ngata",
        ],
    )
    .output()
    .unwrap();
    assert!(out.status.success(), "{out:?}");
    db
}

fn start_sync(db: &Path) -> Child {
    kith(db, &["sync"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn ctrl_c(child: &Child) {
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

fn wait_for_request(server: &http_server::Server) {
    let until = Instant::now() + Duration::from_secs(30);
    while server.requests().is_empty() {
        assert!(Instant::now() < until, "kith never asked for the feed");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Nothing from the sync reached the store: no post, and the account never synced.
fn nothing_saved(db: &Path) {
    let contacts = json(db, &["contacts", "--json"]);
    assert_eq!(contacts[0]["interaction_count"], 0, "{contacts}");
    let accounts = json(db, &["accounts", "list", "--json"]);
    let account = &accounts.as_array().unwrap()[0];
    assert!(account["last_sync_at"].is_null(), "{account}");
    assert!(account["last_error"].is_null(), "{account}");
}

#[test]
fn ctrl_c_stops_the_sync_at_its_next_step_and_saves_nothing_from_it() {
    // The feed is answered only after Ctrl-C, so the sync is surely under way when it comes.
    let pressed = Arc::new(AtomicBool::new(false));
    let body = feed();
    let server = {
        let pressed = pressed.clone();
        http_server::Server::start(move |_| {
            while !pressed.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(10));
            }
            http_server::Response::ok("application/rss+xml", body.clone())
        })
    };
    let dir = tempfile::Builder::new()
        .prefix("kith-sync-interrupt-")
        .tempdir()
        .unwrap();
    let db = store_with_blog(dir.path(), &server.url("/changelog/rss/"));

    let child = start_sync(&db);
    wait_for_request(&server);
    ctrl_c(&child);
    std::thread::sleep(Duration::from_millis(200));
    pressed.store(true, Ordering::SeqCst);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("Ctrl-C again"), "{stderr}");
    assert!(stderr.contains("cancelled"), "{stderr}");
    nothing_saved(&db);
}

#[test]
fn a_second_ctrl_c_ends_a_sync_that_waits_on_the_network_at_once() {
    let server = http_server::Server::start(|_| http_server::Response::hang());
    let dir = tempfile::Builder::new()
        .prefix("kith-sync-interrupt-")
        .tempdir()
        .unwrap();
    let db = store_with_blog(dir.path(), &server.url("/feed.xml"));

    let mut child = start_sync(&db);
    wait_for_request(&server);
    ctrl_c(&child);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the first Ctrl-C only asks the sync to stop at its next step"
    );
    let pressed = Instant::now();
    ctrl_c(&child);
    let out = child.wait_with_output().unwrap();
    assert!(
        pressed.elapsed() < Duration::from_secs(5),
        "the second Ctrl-C ends kith at once"
    );
    assert_eq!(out.status.code(), Some(130), "{out:?}");
    nothing_saved(&db);
}
