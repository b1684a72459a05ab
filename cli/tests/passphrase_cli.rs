//! `kith passphrase` and locked stores from the terminal: every command opens a locked store
//! with KITH_PASSPHRASE, refuses a missing or wrong one with a clear message, and the
//! passphrase can be changed and removed.

mod common;

use common::{fails_with as fails, ok_with as ok};

const PEOPLE: &str = r#"{"format": "kith-archive", "version": 1,
 "contacts": [{"id": "ann", "name": "Ann Quillfeather", "private_notes": "between us"},
              {"id": "bo", "name": "Bo Park"}],
 "interactions": [{"id": "i1", "contact_ids": ["ann"], "channel": "email", "direction": "inbound",
                   "occurred_at": "2026-03-01T10:00:00Z", "text": "advice on Koha serials"}],
 "events": []}"#;

#[test]
fn a_locked_store_needs_its_passphrase_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kith.sqlite3");
    let archive = dir.path().join("people.json");
    std::fs::write(&archive, PEOPLE).unwrap();
    ok(&db, &[], &["import", archive.to_str().unwrap()]);
    assert!(ok(&db, &[], &["passphrase", "status"]).contains("is not locked"));

    let short = fails(
        &db,
        &[("KITH_NEW_PASSPHRASE", "short")],
        &["passphrase", "set"],
    );
    assert!(short.contains("shorter than 8 characters"), "{short}");
    let no_terminal = fails(&db, &[], &["passphrase", "set"]);
    assert!(no_terminal.contains("KITH_NEW_PASSPHRASE"), "{no_terminal}");

    let set = ok(
        &db,
        &[("KITH_NEW_PASSPHRASE", "tuatara at dawn")],
        &["passphrase", "set"],
    );
    assert!(set.contains("locked with the new passphrase"), "{set}");
    assert!(
        set.contains("cannot be recovered"),
        "the warning is shown: {set}"
    );
    assert!(ok(&db, &[], &["passphrase", "status"]).contains("is locked"));
    let bytes = std::fs::read(&db).unwrap();
    assert!(
        !bytes.windows(12).any(|w| w == b"Quillfeather"),
        "no name in the clear"
    );
    assert!(!bytes.starts_with(b"SQLite format 3"));

    let first_run = ok(&db, &[], &["demo", "--if-empty"]);
    assert!(first_run.contains("locked"), "{first_run}");

    let missing = fails(&db, &[], &["stats"]);
    assert!(missing.contains("locked with a passphrase"), "{missing}");
    assert!(missing.contains("KITH_PASSPHRASE"), "{missing}");
    assert!(
        !missing.contains("hmac"),
        "no SQLCipher log noise: {missing}"
    );
    let wrong = fails(&db, &[("KITH_PASSPHRASE", "tuatara at dusk")], &["stats"]);
    assert!(
        wrong.contains("that passphrase does not open this store"),
        "{wrong}"
    );
    assert!(!wrong.contains("hmac"), "no SQLCipher log noise: {wrong}");

    let key = [("KITH_PASSPHRASE", "tuatara at dawn")];
    let found = ok(&db, &key, &["search", "koha"]);
    assert!(found.contains("Koha serials"), "{found}");
    ok(&db, &key, &["backup"]);
    let backups = ok(&db, &key, &["backups", "--json"]);
    let name = serde_json::from_str::<serde_json::Value>(&backups).unwrap()[0]["name"]
        .as_str()
        .unwrap()
        .to_string();
    let restored = ok(&db, &key, &["restore", "--yes", &name]);
    assert!(
        restored.contains("2 contacts, 1 interactions"),
        "{restored}"
    );
    let no_key_restore = fails(&db, &[], &["restore", "--yes", &name]);
    assert!(
        no_key_restore.contains("locked with a passphrase"),
        "{no_key_restore}"
    );

    let changed = ok(
        &db,
        &[
            ("KITH_PASSPHRASE", "tuatara at dawn"),
            ("KITH_NEW_PASSPHRASE", "kea in the snow"),
        ],
        &["passphrase", "change"],
    );
    assert!(
        changed.contains("locked with the new passphrase"),
        "{changed}"
    );
    fails(&db, &key, &["stats"]);
    let new_key = [("KITH_PASSPHRASE", "kea in the snow")];
    assert!(ok(&db, &new_key, &["stats"]).contains('2'));

    let removed = ok(&db, &new_key, &["passphrase", "remove"]);
    assert!(removed.contains("no longer locked"), "{removed}");
    assert!(std::fs::read(&db)
        .unwrap()
        .starts_with(b"SQLite format 3\0"));
    assert!(ok(&db, &[], &["search", "koha"]).contains("Koha serials"));
}
