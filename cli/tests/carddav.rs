//! `kith accounts add carddav` and `kith sync` end to end, on the real binary, against a real
//! CardDAV server (Radicale, started on loopback): the contacts of a tag go out without their
//! private notes, a card made on the phone comes back with the tag, a wrong password is named
//! and fails the command, and a plain-http address to another machine is refused.

#[path = "../../core/tests/support/radicale.rs"]
mod radicale;

mod common;

use chrono::Utc;
use common::kith_headless;
use kith_core::{ContactDraft, Handle, Platform};
use radicale::Radicale;
use serde_json::Value;
use std::path::Path;

fn add_contact(db: &Path, name: &str, address: &str, tags: &[&str], private: &str) {
    let mut store = kith_core::Store::open(db).unwrap();
    store
        .save_contact(
            ContactDraft {
                name: name.into(),
                handles: vec![Handle {
                    platform: Platform::Email,
                    value: address.into(),
                }],
                tags: tags.iter().map(|t| t.to_string()).collect(),
                private_notes: private.into(),
                ..Default::default()
            },
            Utc::now(),
        )
        .unwrap();
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

/// The cards Radicale holds, as Python's vobject reads them: (FN, NOTE or "", CATEGORIES).
fn cards(server: &Radicale) -> Vec<(String, String, Vec<String>)> {
    let files: Vec<String> = server
        .item_files("contacts")
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let out = Radicale::python(
        r#"
import json, sys, vobject
out = []
for path in sys.argv[1:]:
    card = vobject.readOne(open(path, encoding='utf-8').read())
    note = card.contents.get('note')
    cats = card.contents.get('categories')
    out.append([card.fn.value, note[0].value if note else '', list(cats[0].value) if cats else []])
print(json.dumps(sorted(out)))
"#,
        &args,
    );
    serde_json::from_str(&out).unwrap()
}

#[test]
fn an_address_book_is_added_synced_both_ways_and_a_wrong_password_fails() {
    if !radicale::available() {
        return;
    }
    let server = Radicale::start();
    server.create_address_book("contacts");
    let dir = tempfile::Builder::new()
        .prefix("kith-cli-carddav-")
        .tempdir()
        .unwrap();
    let db = dir.path().join("kith.sqlite3");
    add_contact(
        &db,
        "Ana Ruiz",
        "ana@example.org",
        &["share"],
        "owes me a book",
    );
    add_contact(&db, "Ben Ode", "ben@example.org", &[], "");
    let password = [("KITH_ACCOUNT_PASSWORD", radicale::PASSWORD)];
    let url = format!("{}/", server.base());

    let added = ok(
        &db,
        &password,
        &[
            "accounts",
            "add",
            "carddav",
            "phone",
            "--url",
            &url,
            "--user",
            "librarian",
            "--scope",
            "tag:share",
        ],
    );
    assert!(
        added.contains("Added the account \"phone\" (carddav)"),
        "{added}"
    );
    let list = ok(&db, &[], &["accounts", "list"]);
    assert!(list.contains("carddav") && list.contains("phone"), "{list}");

    let out = ok(&db, &password, &["sync", "phone"]);
    assert!(out.contains("phone: 0 added, 0 updated"), "{out}");
    assert_eq!(
        cards(&server),
        [(
            "Ana Ruiz".to_string(),
            String::new(),
            vec!["share".to_string()]
        )],
        "only the tag's contacts, without their private notes"
    );

    // A card made on the phone comes into Kith, with the tag that chose the address book.
    server.put(
        "/librarian/contacts/from-phone.vcf",
        "text/vcard",
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:from-phone\r\nFN:Cara Lind\r\n\
         EMAIL:cara@example.org\r\nEND:VCARD\r\n",
    );
    let report: Value =
        serde_json::from_str(&ok(&db, &password, &["sync", "phone", "--json"])).unwrap();
    assert_eq!(report["accounts"][0]["added"], 1, "{report}");
    let store = kith_core::Store::open(&db).unwrap();
    let cara: Vec<_> = store
        .all_contacts()
        .unwrap()
        .into_iter()
        .filter(|c| c.name == "Cara Lind")
        .collect();
    assert_eq!(cara.len(), 1);
    assert_eq!(cara[0].tags, ["share"]);
    drop(store);

    let out = kith_headless(
        &db,
        &[("KITH_ACCOUNT_PASSWORD", "wrong")],
        &["sync", "phone"],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("sync_wrong_password"), "{stderr}");
    assert!(stderr.contains("phone"), "{stderr}");

    let out = kith_headless(
        &db,
        &password,
        &[
            "accounts",
            "add",
            "carddav",
            "far",
            "--url",
            "http://dav.example.org/",
            "--user",
            "u",
        ],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--url") && stderr.contains("https://"),
        "{stderr}"
    );
}

#[test]
fn a_calendar_is_added_and_synced_from_the_command_line() {
    if !radicale::available() {
        return;
    }
    let server = Radicale::start();
    server.create_calendar("work");
    let dir = tempfile::Builder::new()
        .prefix("kith-cli-caldav-")
        .tempdir()
        .unwrap();
    let db = dir.path().join("kith.sqlite3");
    let mut store = kith_core::Store::open(&db).unwrap();
    store
        .save_contact(
            ContactDraft {
                name: "Ana Ruiz".into(),
                dates: vec![kith_core::ImportantDate {
                    kind: kith_core::DateKind::Birthday,
                    label: String::new(),
                    month: 4,
                    day: 12,
                    year: None,
                }],
                ..Default::default()
            },
            Utc::now(),
        )
        .unwrap();
    drop(store);
    let password = [("KITH_ACCOUNT_PASSWORD", radicale::PASSWORD)];
    let url = format!("{}/", server.base());
    let added = ok(
        &db,
        &password,
        &[
            "accounts",
            "add",
            "caldav",
            "cal",
            "--url",
            &url,
            "--user",
            "librarian",
            "--calendar",
            "work",
        ],
    );
    assert!(added.contains("(caldav)"), "{added}");
    let out = ok(&db, &password, &["sync", "cal"]);
    assert!(out.contains("cal: 0 added, 0 updated"), "{out}");
    let files: Vec<String> = server
        .item_files("work")
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let summaries = Radicale::python(
        "import sys\nfrom icalendar import Calendar\n\
         for p in sys.argv[1:]:\n    \
             for c in Calendar.from_ical(open(p, 'rb').read()).walk('VEVENT'):\n        \
                 print(c.get('summary'))",
        &args,
    );
    assert_eq!(summaries.trim(), "Birthday: Ana Ruiz");
}
