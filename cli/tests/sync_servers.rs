//! `kith sync` end to end against real servers the tests start: a Dovecot IMAP server holding
//! real messages, and a loopback HTTP server serving a real blog's feed. What a person does:
//! connect the account, sync, triage the New people inbox, sync again, and see a wrong
//! password said in plain words with the store left as it was.

mod common;

#[path = "../../core/tests/support/dovecot.rs"]
mod dovecot;
#[path = "../../core/tests/support/http_server.rs"]
mod http_server;

use common::kith_headless;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

const ME: &str = "librarian@example.org";

fn run(db: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    kith_headless(db, env, args)
}

fn json(db: &Path, env: &[(&str, &str)], args: &[&str]) -> Value {
    let out = run(db, env, args);
    assert!(
        out.status.success(),
        "kith {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn ok(db: &Path, env: &[(&str, &str)], args: &[&str]) {
    let out = run(db, env, args);
    assert!(
        out.status.success(),
        "kith {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn real_mail(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/real/mail")
        .join(name)
}

fn contact<'a>(contacts: &'a Value, name: &str) -> Option<&'a Value> {
    contacts.as_array()?.iter().find(|c| c["name"] == name)
}

fn only_account(report: &Value) -> &Value {
    let accounts = report["accounts"].as_array().expect("accounts");
    assert_eq!(accounts.len(), 1, "{report}");
    &accounts[0]
}

#[test]
fn a_mailbox_syncs_into_the_inbox_then_onto_a_contacts_timeline() {
    if !dovecot::available() {
        return;
    }
    let server = dovecot::Dovecot::start();
    server.append(
        "INBOX",
        &[&real_mail("dovecot-011.eml"), &real_mail("dovecot-015.eml")],
    );
    let d = tempfile::Builder::new()
        .prefix("kith-sync-servers-")
        .tempdir()
        .unwrap();
    let db = d.path().join("kith.sqlite3");
    let password = [("KITH_ACCOUNT_PASSWORD", dovecot::PASSWORD)];
    let port = server.tls_port.to_string();
    let cert = server.cert().display().to_string();
    ok(
        &db,
        &password,
        &[
            "accounts",
            "add",
            "imap",
            "Work",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--user",
            dovecot::USER,
            "--address",
            ME,
            "--ca-file",
            &cert,
        ],
    );

    // Nobody in the mail is a contact yet: they wait in the New people inbox.
    let first = json(&db, &password, &["sync", "--json"]);
    let work = only_account(&first);
    assert_eq!(work["error"], Value::Null, "{first}");
    assert_eq!(work["added"], 0, "{first}");
    assert!(work["new_people"].as_u64().unwrap() >= 1, "{first}");
    let inbox = json(&db, &[], &["people", "new", "--json"]);
    let dummy = inbox
        .as_array()
        .unwrap()
        .iter()
        .find(|p| {
            p["handles"]
                .as_array()
                .unwrap()
                .iter()
                .any(|h| h["value"] == "dummy@xyz-webserver.abcd-gestion.local")
        })
        .unwrap_or_else(|| panic!("the sender of dovecot-011.eml is offered: {inbox}"));
    assert_eq!(dummy["name"], "Dummy");
    assert!(
        dummy["seen_in"].to_string().contains("127.0.0.1"),
        "{dummy}"
    );

    // Added as a contact, the message held for them comes with them.
    let id = dummy["id"].as_str().unwrap();
    ok(&db, &[], &["people", "add", id]);
    let contacts = json(&db, &[], &["contacts", "--json"]);
    let them = contact(&contacts, "Dummy").expect("Dummy is a contact");
    assert_eq!(them["interaction_count"], 1, "{them}");

    // Syncing again brings nothing new and offers nobody twice.
    let again = json(&db, &password, &["sync", "--json"]);
    assert_eq!(only_account(&again)["added"], 0, "{again}");
    assert_eq!(only_account(&again)["new_people"], 0, "{again}");

    // New mail from them is on their timeline at the next sync.
    let reply = format!(
        "From: Dummy <dummy@xyz-webserver.abcd-gestion.local>\r\nTo: {ME}\r\n\
         Subject: Re: Koha serials\r\nMessage-ID: <reply-1@xyz-webserver.abcd-gestion.local>\r\n\
         Date: Mon, 7 Dec 2026 09:00:00 +0000\r\n\r\nThe prediction patterns are under Serials.\r\n"
    );
    server.append_bytes("INBOX", &[reply.into_bytes()]);
    let third = json(&db, &password, &["sync", "--json"]);
    assert_eq!(only_account(&third)["added"], 1, "{third}");
    let contacts = json(&db, &[], &["contacts", "--json"]);
    assert_eq!(contact(&contacts, "Dummy").unwrap()["interaction_count"], 2);

    // A wrong password is said in plain words, and the store is as it was.
    let stats = json(&db, &[], &["stats", "--json"]);
    let out = run(
        &db,
        &[("KITH_ACCOUNT_PASSWORD", "not-the-password")],
        &["sync", "--json"],
    );
    assert!(!out.status.success(), "a failed sync exits with failure");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON on failure too");
    let error = &only_account(&report)["error"];
    assert_eq!(error["code"], "sync_wrong_password", "{report}");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("not-the-password"),
        "the password is never printed"
    );
    assert_eq!(json(&db, &[], &["stats", "--json"]), stats);
    let list = json(&db, &[], &["accounts", "list", "--json"]);
    assert_eq!(list[0]["last_error"]["code"], "sync_wrong_password");
}

#[test]
fn a_contacts_blog_syncs_their_posts_once() {
    let feed = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../core/tests/fixtures/feeds/ghost-changelog.xml"),
    )
    .unwrap();
    let server = http_server::Server::start(move |_| {
        http_server::Response::ok("application/rss+xml", feed.clone())
    });
    let d = tempfile::Builder::new()
        .prefix("kith-sync-servers-")
        .tempdir()
        .unwrap();
    let db = d.path().join("kith.sqlite3");
    {
        let mut store = kith_core::Store::open(&db).unwrap();
        store
            .save_contact(
                kith_core::ContactDraft {
                    name: "Aroha Ngata".into(),
                    ..Default::default()
                },
                chrono::Utc::now(),
            )
            .unwrap();
    }
    let url = server.url("/changelog/rss/");
    ok(
        &db,
        &[],
        &[
            "accounts",
            "add",
            "feed",
            "Aroha's blog",
            "--url",
            &url,
            "--contact",
            "Aroha Ngata",
        ],
    );
    let first = json(&db, &[], &["sync", "--json"]);
    let added = only_account(&first)["added"].as_u64().unwrap();
    assert!(added >= 1, "{first}");
    assert_eq!(
        only_account(&first)["new_people"],
        0,
        "a contact's own posts"
    );
    let contacts = json(&db, &[], &["contacts", "--json"]);
    assert_eq!(
        contact(&contacts, "Aroha Ngata").unwrap()["interaction_count"],
        added
    );
    let again = json(&db, &[], &["sync", "--json"]);
    assert_eq!(only_account(&again)["added"], 0, "{again}");
}
