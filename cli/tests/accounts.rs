//! `kith accounts`, `kith sync` and `kith people` end to end, on the real binary: adding,
//! listing and removing accounts, where a mailbox's password goes (never into a plain store),
//! what a failed sync prints and exits with, and the New people inbox.
//!
//! The system's secret store is out of reach here (as on a headless machine): the D-Bus
//! session address points nowhere.

mod common;

use chrono::{TimeZone, Utc};
use common::kith_headless;
use kith_core::accounts::{self, Harvest, Item, ItemKind, NoSecrets, Person, Secret};
use kith_core::session::Session;
use kith_core::{Channel, ContactDraft, Direction, Handle, Platform};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

const PASSWORD: &str = "s3cret-Imap-Pa55-for-tests";

fn dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("kith-cli-accounts-")
        .tempdir()
        .unwrap()
}

fn run(db: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    kith_headless(db, env, args)
}

fn ok(db: &Path, env: &[(&str, &str)], args: &[&str]) -> String {
    let out = run(db, env, args);
    assert!(
        out.status.success(),
        "kith {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(db: &Path, env: &[(&str, &str)], args: &[&str]) -> Value {
    serde_json::from_str(&ok(db, env, args)).expect("JSON")
}

fn add_contact(db: &Path, name: &str, address: &str) -> String {
    let mut store = kith_core::Store::open(db).unwrap();
    store
        .save_contact(
            ContactDraft {
                name: name.into(),
                handles: vec![Handle {
                    platform: Platform::Email,
                    value: address.into(),
                }],
                ..Default::default()
            },
            Utc::now(),
        )
        .unwrap()
        .id
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
fn accounts_are_added_listed_as_json_and_removed() {
    let d = dir();
    let db = d.path().join("kith.sqlite3");
    add_contact(&db, "Aroha Ngata", "aroha@example.org");
    let out = ok(
        &db,
        &[],
        &[
            "accounts",
            "add",
            "feed",
            "Aroha's blog",
            "--url",
            "https://aroha.example.org/feed.xml",
            "--contact",
            "Aroha",
        ],
    );
    assert!(out.contains("Added the account"), "{out}");
    ok(
        &db,
        &[("KITH_ACCOUNT_PASSWORD", PASSWORD)],
        &[
            "accounts",
            "add",
            "imap",
            "Work",
            "--host",
            "mail.example.org",
            "--user",
            "me@example.org",
            "--address",
            "Me@Example.org",
            "--security",
            "starttls",
            "--folder",
            "INBOX",
            "--folder",
            "Sent",
        ],
    );

    let list = json(&db, &[], &["accounts", "list", "--json"]);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["name"], "Aroha's blog");
    assert_eq!(list[0]["kind"], "feed");
    assert_eq!(list[0]["settings"]["owner"]["whose"], "contact");
    assert_eq!(list[0]["last_sync_at"], Value::Null);
    assert_eq!(list[0]["last_error"], Value::Null);
    let work = &list[1];
    assert_eq!(work["kind"], "imap");
    assert_eq!(work["settings"]["port"], 143, "starttls's port");
    assert_eq!(work["settings"]["addresses"][0], "me@example.org");
    assert_eq!(
        work["settings"]["folders"],
        serde_json::json!(["INBOX", "Sent"])
    );
    assert_eq!(
        work["secret_kept"], false,
        "no secret store here, and a plain store keeps none"
    );
    let text = ok(&db, &[], &["accounts", "list"]);
    assert!(
        text.contains("imap  Work") && text.contains("never synced"),
        "{text}"
    );

    // A name taken, a contact nobody has, and a bad address are refused, naming the problem.
    let err = run(
        &db,
        &[],
        &[
            "accounts",
            "add",
            "feed",
            "work",
            "--url",
            "https://x.example/f",
            "--mine",
        ],
    );
    assert!(!err.status.success());
    assert!(String::from_utf8_lossy(&err.stderr).contains("[invalid_input]"));
    let err = run(
        &db,
        &[],
        &[
            "accounts",
            "add",
            "feed",
            "B",
            "--url",
            "https://x.example/f",
            "--contact",
            "Nobody",
        ],
    );
    assert!(String::from_utf8_lossy(&err.stderr).contains("[not_found]"));
    let err = run(
        &db,
        &[],
        &[
            "accounts",
            "add",
            "feed",
            "C",
            "--url",
            "ftp://x.example/f",
            "--mine",
        ],
    );
    let msg = String::from_utf8_lossy(&err.stderr);
    assert!(msg.contains("\"C\"") && msg.contains("http"), "{msg}");

    ok(&db, &[], &["accounts", "remove", "work"]);
    let list = json(&db, &[], &["accounts", "list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(files_holding(d.path(), PASSWORD).is_empty());
}

#[test]
fn a_failed_sync_prints_its_error_as_json_and_exits_non_zero() {
    let d = dir();
    let db = d.path().join("kith.sqlite3");
    // Nothing listens on the discard port of this machine.
    ok(
        &db,
        &[],
        &[
            "accounts",
            "add",
            "feed",
            "Mine",
            "--url",
            "http://127.0.0.1:9/feed.xml",
            "--mine",
        ],
    );
    let out = run(&db, &[], &["sync", "--json"]);
    assert!(!out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let accounts = report["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 1);
    let one = &accounts[0];
    assert_eq!(one["name"], "Mine");
    assert_eq!(
        (
            one["added"].clone(),
            one["updated"].clone(),
            one["new_people"].clone()
        ),
        (0.into(), 0.into(), 0.into())
    );
    let code = one["error"]["code"].as_str().unwrap();
    assert!(code.starts_with("sync_"), "{code}");
    assert!(!one["error"]["message"].as_str().unwrap().is_empty());
    let keys: Vec<&String> = one.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["name", "added", "updated", "new_people", "notes", "error"]
    );
    assert_eq!(one["notes"], serde_json::json!([]));

    // The failure is on the account, and a mailbox without a password says what it needs.
    let list = json(&db, &[], &["accounts", "list", "--json"]);
    assert_eq!(list[0]["last_error"]["code"], code);
    assert_eq!(list[0]["failures"], 1);
    ok(
        &db,
        &[],
        &[
            "accounts",
            "add",
            "imap",
            "Box",
            "--host",
            "127.0.0.1",
            "--port",
            "9",
            "--user",
            "me",
            "--security",
            "plain",
        ],
    );
    let out = run(&db, &[], &["sync", "Box", "--json"]);
    assert!(!out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["accounts"][0]["error"]["code"],
        "sync_password_needed"
    );

    // With the password given, it is used and never shown.
    let out = run(
        &db,
        &[("KITH_ACCOUNT_PASSWORD", PASSWORD)],
        &["sync", "Box"],
    );
    assert!(!out.status.success());
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        all.contains("Box: not synced") && !all.contains(PASSWORD),
        "{all}"
    );
    assert!(files_holding(d.path(), PASSWORD).is_empty());

    let out = run(&db, &[], &["sync", "Nobody"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("[not_found]"));
}

#[test]
fn a_store_locked_with_a_passphrase_keeps_the_mailbox_password_inside_it() {
    let d = dir();
    let db = d.path().join("kith.sqlite3");
    ok(&db, &[], &["stats"]);
    let phrase = "correct horse battery staple";
    ok(
        &db,
        &[("KITH_NEW_PASSPHRASE", phrase)],
        &["passphrase", "set"],
    );
    let env = [
        ("KITH_PASSPHRASE", phrase),
        ("KITH_ACCOUNT_PASSWORD", PASSWORD),
    ];
    let out = ok(
        &db,
        &env,
        &[
            "accounts",
            "add",
            "imap",
            "Work",
            "--host",
            "mail.example.org",
            "--user",
            "me",
        ],
    );
    assert!(out.contains("kept in the store"), "{out}");
    let list = json(
        &db,
        &[("KITH_PASSPHRASE", phrase)],
        &["accounts", "list", "--json"],
    );
    assert_eq!(list[0]["secret_kept"], true);
    assert!(
        files_holding(d.path(), PASSWORD).is_empty(),
        "encrypted on disk"
    );
    ok(
        &db,
        &[("KITH_PASSPHRASE", phrase)],
        &["accounts", "remove", "Work"],
    );
}

fn mail(key: &str, who: &str, address: &str) -> Item {
    Item {
        key: format!("mail:<{key}@example.org>"),
        kind: ItemKind::Conversation,
        channel: Channel::Email,
        direction: Direction::Inbound,
        at: Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap(),
        public: false,
        text: format!("Hello from {who}"),
        thread: None,
        tags: vec![],
        people: vec![Person {
            name: Some(who.into()),
            handles: vec![Handle {
                platform: Platform::Email,
                value: address.into(),
            }],
            current: None,
        }],
        bulk: false,
        seen_in: "INBOX on mail.example.org".into(),
    }
}

#[test]
fn the_new_people_inbox_lists_adds_merges_and_ignores() {
    let d = dir();
    let db = d.path().join("kith.sqlite3");
    let tui = add_contact(&db, "Tui Ngata", "tui@work.example");
    ok(
        &db,
        &[],
        &[
            "accounts",
            "add",
            "imap",
            "Work",
            "--host",
            "mail.example.org",
            "--user",
            "me",
        ],
    );
    {
        let session = Session::new(&db);
        let harvest = Harvest {
            items: vec![
                mail("1", "Ana Lima", "ana@example.org"),
                mail("2", "Tui Ngata", "tui@home.example"),
                mail("3", "Spam", "spam@example.net"),
            ],
            cursor: Some(serde_json::json!(1)),
            ..Default::default()
        };
        let report = accounts::sync_with(
            &session,
            "Work",
            &NoSecrets,
            Some(Secret::new("x")),
            Utc::now(),
            &mut |_| true,
            &move |_, _, _, _, _| Ok(harvest.clone()),
        )
        .unwrap();
        assert_eq!(report.new_people, 3);
    }
    let people = json(&db, &[], &["people", "new", "--json"]);
    let people = people.as_array().unwrap();
    assert_eq!(people.len(), 3);
    let find = |name: &str| {
        people
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {people:?}"))
            .clone()
    };
    let ana = find("Ana Lima");
    assert_eq!(ana["times"], 1);
    assert_eq!(
        ana["seen_in"],
        serde_json::json!(["INBOX on mail.example.org"])
    );
    assert_eq!(ana["handles"][0]["value"], "ana@example.org");
    let home = find("Tui Ngata");
    assert_eq!(home["likely"]["contact_id"], tui.as_str());
    assert_eq!(home["likely"]["reason"], "same name");
    let text = ok(&db, &[], &["people", "new"]);
    assert!(text.contains("kith people merge"), "{text}");

    let out = ok(&db, &[], &["people", "add", ana["id"].as_str().unwrap()]);
    assert!(out.contains("Added Ana Lima"), "{out}");
    ok(
        &db,
        &[],
        &[
            "people",
            "merge",
            home["id"].as_str().unwrap(),
            "--into",
            "Tui Ngata",
        ],
    );
    ok(
        &db,
        &[],
        &["people", "ignore", find("Spam")["id"].as_str().unwrap()],
    );
    assert_eq!(
        json(&db, &[], &["people", "new", "--json"]),
        serde_json::json!([])
    );
    let stats = json(&db, &[], &["stats", "--json"]);
    assert_eq!(
        (stats["contacts"].clone(), stats["interactions"].clone()),
        (2.into(), 2.into())
    );
    let out = run(&db, &[], &["people", "add", "no-such-id"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("[not_found]"));
}
