//! Encryption at rest: setting, changing and removing the passphrase of a store and its backups,
//! wrong and missing passphrases, and that nothing readable is left in the files.

use chrono::{DateTime, TimeZone, Utc};
use kith_core::archive::Archive;
use kith_core::backup;
use kith_core::passphrase::{change_passphrase, is_locked_file, Passphrase};
use kith_core::{Stats, Store};
use std::path::{Path, PathBuf};

const MARKER: &str = "Zephyrine";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 10, 15, 0)
        .single()
        .unwrap()
}

fn pass(text: &str) -> Passphrase {
    Passphrase::new(text).unwrap()
}

/// A store file holding two contacts and `MARKER` in notes and interaction text, closed, with a
/// manual and a daily copy in its backups folder.
fn plain_store(dir: &Path) -> PathBuf {
    let path = dir.join("kith.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let archive = serde_json::json!({
        "format": "kith-archive", "version": 1,
        "contacts": [
            {"id": "a", "name": format!("Aroha {MARKER}"), "roles": ["mentor"],
             "private_notes": format!("Restructure at work, {MARKER} knows")},
            {"id": "b", "name": "Chen Wei", "tags": ["serials"]}
        ],
        "interactions": (0..30).map(|i| serde_json::json!({
            "id": format!("i{i}"), "contact_ids": ["a"], "channel": "email",
            "direction": "inbound", "occurred_at": "2026-03-01T10:00:00Z",
            "text": format!("confidential {MARKER} advice number {i}")
        })).collect::<Vec<_>>(),
        "events": []
    })
    .to_string();
    store
        .import_archive(Archive::parse(&archive, "test").unwrap(), now())
        .unwrap();
    backup::backup_now(&store, None, now()).unwrap();
    drop(store);
    // Opening a store that holds something makes the day's copy.
    drop(Store::open(&path).unwrap());
    assert_eq!(backup::list_backups(&path).unwrap().len(), 2);
    path
}

fn expected() -> Stats {
    Stats {
        contacts: 2,
        interactions: 30,
        events: 0,
    }
}

/// Whether any file in the store's folder (the store, its WAL, its backups) has `MARKER` or the
/// plain SQLite header in it.
fn readable_files(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    if let Ok(entries) = std::fs::read_dir(dir.join("backups")) {
        files.extend(entries.flatten().map(|e| e.path()));
    }
    for file in files.into_iter().filter(|f| f.is_file()) {
        let bytes = std::fs::read(&file).unwrap();
        if bytes.windows(MARKER.len()).any(|w| w == MARKER.as_bytes())
            || bytes.starts_with(b"SQLite format 3\0")
        {
            found.push(file.display().to_string());
        }
    }
    found
}

fn code(e: kith_core::Error) -> &'static str {
    e.code().as_str()
}

#[test]
fn a_passphrase_locks_the_store_and_every_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = plain_store(dir.path());
    assert!(
        !readable_files(dir.path()).is_empty(),
        "plain to begin with"
    );

    let change = change_passphrase(&path, None, Some(&pass("correct horse battery"))).unwrap();
    assert!(change.encrypted);
    assert_eq!(change.backups_changed, 2, "the daily and the manual copy");
    assert!(change.backups_left.is_empty());
    assert!(is_locked_file(&path).unwrap());
    assert_eq!(
        readable_files(dir.path()),
        Vec::<String>::new(),
        "no file holds the notes or an SQLite header in the clear"
    );

    // Without the passphrase, and with a wrong one, the store is refused and left as it was.
    let before = std::fs::read(&path).unwrap();
    assert_eq!(code(Store::open(&path).unwrap_err()), "passphrase_needed");
    let wrong = Store::open_with_key(&path, Some(&pass("correct horse staple"))).unwrap_err();
    assert_eq!(code(wrong), "wrong_passphrase");
    assert_eq!(std::fs::read(&path).unwrap(), before, "untouched");

    // With it, everything is there and searchable, and writes stay encrypted.
    let mut store = Store::open_with_key(&path, Some(&pass("correct horse battery"))).unwrap();
    assert!(store.is_encrypted());
    assert_eq!(store.stats().unwrap(), expected());
    assert!(!store.search(MARKER).unwrap().interactions.is_empty());
    store
        .import_archive(
            Archive::parse(
                &format!(
                    r#"{{"format":"kith-archive","version":1,"contacts":[{{"id":"c","name":"Mere {MARKER}"}}],"interactions":[],"events":[]}}"#
                ),
                "more",
            )
            .unwrap(),
            now(),
        )
        .unwrap();
    backup::backup_now(&store, None, now()).unwrap();
    assert_eq!(readable_files(dir.path()), Vec::<String>::new(), "still");
    drop(store);

    // Each backup opens with the store's passphrase, and only with it.
    for b in backup::list_backups(&path).unwrap() {
        let file = Path::new(&b.path);
        assert_eq!(
            code(backup::inspect_backup(file, None).unwrap_err()),
            "passphrase_needed"
        );
        assert_eq!(
            code(backup::inspect_backup(file, Some(&pass("nope nope nope"))).unwrap_err()),
            "wrong_passphrase"
        );
        let contents = backup::inspect_backup(file, Some(&pass("correct horse battery"))).unwrap();
        assert!(contents.stats.contacts >= 2, "{}", b.name);
    }
}

#[test]
fn changing_the_passphrase_retires_the_old_one_and_removing_it_makes_the_files_plain() {
    let dir = tempfile::tempdir().unwrap();
    let path = plain_store(dir.path());
    let first = pass("first passphrase");
    let second = pass("second passphrase");
    change_passphrase(&path, None, Some(&first)).unwrap();

    // A wrong current passphrase changes nothing.
    let before = std::fs::read(&path).unwrap();
    let err = change_passphrase(&path, Some(&pass("not the one")), Some(&second)).unwrap_err();
    assert_eq!(code(err), "wrong_passphrase");
    assert_eq!(std::fs::read(&path).unwrap(), before);

    let change = change_passphrase(&path, Some(&first), Some(&second)).unwrap();
    assert!(change.encrypted);
    assert_eq!(change.backups_changed, 2);
    assert_eq!(
        code(Store::open_with_key(&path, Some(&first)).unwrap_err()),
        "wrong_passphrase"
    );
    let store = Store::open_with_key(&path, Some(&second)).unwrap();
    assert_eq!(store.stats().unwrap(), expected());
    drop(store);
    for b in backup::list_backups(&path).unwrap() {
        backup::inspect_backup(Path::new(&b.path), Some(&second)).unwrap();
    }

    let change = change_passphrase(&path, Some(&second), None).unwrap();
    assert!(!change.encrypted);
    assert!(!is_locked_file(&path).unwrap());
    let store = Store::open(&path).unwrap();
    assert!(!store.is_encrypted());
    assert_eq!(store.stats().unwrap(), expected());
    drop(store);
    for b in backup::list_backups(&path).unwrap() {
        backup::inspect_backup(Path::new(&b.path), None).unwrap();
    }
}

#[test]
fn the_passphrase_is_not_changed_while_the_store_is_open_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let path = plain_store(dir.path());
    let open = Store::open(&path).unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = change_passphrase(&path, None, Some(&pass("a long passphrase"))).unwrap_err();
    assert!(err.to_string().contains("has it open"), "{err}");
    assert_eq!(code(err), "store_unavailable");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(
        open.stats().unwrap(),
        expected(),
        "the open store still works"
    );
    drop(open);
    assert!(!is_locked_file(&path).unwrap());
}

#[test]
fn a_backup_of_a_locked_store_restores_with_its_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let path = plain_store(dir.path());
    let key = pass("restore me please");
    change_passphrase(&path, None, Some(&key)).unwrap();
    let store = Store::open_with_key(&path, Some(&key)).unwrap();
    let copy = backup::backup_now(&store, None, now()).unwrap();
    drop(store);

    let outcome = backup::restore(&path, Path::new(&copy.path), Some(&key), now()).unwrap();
    assert_eq!(outcome.stats, expected());
    let kept = outcome.before_restore.expect("the store was kept first");
    assert!(is_locked_file(Path::new(&kept.path)).unwrap());
    assert!(
        is_locked_file(&path).unwrap(),
        "the restored store is locked too"
    );
    assert_eq!(readable_files(dir.path()), Vec::<String>::new());
    assert_eq!(
        code(backup::restore(&path, Path::new(&copy.path), None, now()).unwrap_err()),
        "passphrase_needed",
        "a locked backup is not restored without its passphrase"
    );
}

#[test]
fn a_new_store_made_with_a_passphrase_is_locked_from_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.sqlite3");
    let key = pass("from the very start");
    let store = Store::open_with_key(&path, Some(&key)).unwrap();
    assert!(store.is_encrypted());
    drop(store);
    assert!(is_locked_file(&path).unwrap());
    assert_eq!(code(Store::open(&path).unwrap_err()), "passphrase_needed");
}

#[test]
fn a_plain_store_opens_whatever_key_is_given_and_cannot_be_unlocked_with_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = plain_store(dir.path());
    let store = Store::open_with_key(&path, Some(&pass("not needed here"))).unwrap();
    assert!(!store.is_encrypted());
    drop(store);
    let err = change_passphrase(&path, Some(&pass("not needed here")), None).unwrap_err();
    assert_eq!(code(err), "invalid_input");
    let err = change_passphrase(&path, None, None).unwrap_err();
    assert_eq!(code(err), "invalid_input");
}

#[test]
fn new_passphrases_must_be_long_enough_and_any_passphrase_must_be_text() {
    assert_eq!(code(Passphrase::new("").unwrap_err()), "invalid_input");
    assert_eq!(code(Passphrase::new("a\0b").unwrap_err()), "invalid_input");
    assert_eq!(
        code(Passphrase::new_to_set("short").unwrap_err()),
        "invalid_input"
    );
    Passphrase::new("short").unwrap();
    Passphrase::new_to_set("eight ch").unwrap();
    // Quotes and non-ASCII text are passed to SQLCipher as they are.
    let dir = tempfile::tempdir().unwrap();
    let path = plain_store(dir.path());
    let odd = pass("it's \"quoted\"; DROP TABLE contacts; -- ✓ ĀĒĪŌŪ");
    change_passphrase(&path, None, Some(&odd)).unwrap();
    assert_eq!(
        Store::open_with_key(&path, Some(&odd))
            .unwrap()
            .stats()
            .unwrap(),
        expected()
    );
    assert!(
        format!("{odd:?}").find("quoted").is_none(),
        "Debug hides it"
    );
}

#[test]
fn junk_that_is_not_whole_pages_is_still_called_damaged_not_locked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junk.sqlite3");
    std::fs::write(&path, b"this is a text file, not a store\n").unwrap();
    assert_eq!(code(Store::open(&path).unwrap_err()), "store_corrupt");
    assert_eq!(
        code(Store::open_with_key(&path, Some(&pass("whatever it is"))).unwrap_err()),
        "store_corrupt"
    );
}
