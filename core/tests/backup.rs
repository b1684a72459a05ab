//! Backups and restore: the daily rotation, the copies made before a migration and before an
//! import, restore round trips, and backup files that are refused with the store unchanged.

use chrono::{DateTime, Duration, TimeZone, Utc};
use kith_core::archive::Archive;
use kith_core::backup::{self, BackupKind};
use kith_core::import::{self, ImportOptions};
use kith_core::store::schema::CURRENT_VERSION;
use kith_core::{Stats, Store};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

const V1: &str = include_str!("fixtures/schema-v1.sql");

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 10, 15, 0)
        .single()
        .unwrap()
}

/// An archive of `n` interactions with two contacts, every text carrying `marker`.
fn archive(marker: &str, n: usize) -> String {
    let interactions: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "id": format!("{marker}-i{i}"),
                "contact_ids": [format!("{marker}-a"), format!("{marker}-b")],
                "channel": "email",
                "direction": "inbound",
                "occurred_at": format!("2026-0{}-1{}T10:00:00Z", 1 + i % 9, i % 10),
                "text": format!("about cataloguing {marker} number {i}"),
            })
        })
        .collect();
    serde_json::json!({
        "format": "kith-archive", "version": 1,
        "contacts": [
            {"id": format!("{marker}-a"), "name": format!("Aroha {marker}"), "roles": ["mentor"],
             "handles": {"mastodon": format!("@aroha_{marker}@glammr.us")},
             "private_notes": "Restructure at work"},
            {"id": format!("{marker}-b"), "name": format!("Chen {marker}"), "tags": ["serials"]}
        ],
        "interactions": interactions,
        "events": [{"id": format!("{marker}-e"), "name": format!("LIANZA {marker}"),
                    "starts_on": "2026-11-20", "ends_on": "2026-11-22",
                    "attendee_ids": [format!("{marker}-a")]}]
    })
    .to_string()
}

fn load(store: &mut Store, marker: &str, n: usize) {
    store
        .import_archive(Archive::parse(&archive(marker, n), marker).unwrap(), now())
        .unwrap();
}

/// A store file in `dir` holding one archive.
fn filled_store(dir: &Path) -> (PathBuf, Store) {
    let path = dir.join("kith.sqlite3");
    let mut store = Store::open(&path).unwrap();
    load(&mut store, "first", 20);
    (path, store)
}

fn marked(conn: &Connection, marker: &str) -> i64 {
    conn.query_row(
        "SELECT count(*) FROM interactions WHERE text LIKE '%' || ?1 || '%'",
        [marker],
        |r| r.get(0),
    )
    .unwrap()
}

fn read_only(path: &Path) -> Connection {
    Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

fn names(store_path: &Path, kind: BackupKind) -> Vec<String> {
    backup::list_backups(store_path)
        .unwrap()
        .into_iter()
        .filter(|b| b.kind == kind)
        .map(|b| b.name)
        .collect()
}

fn export(store: &Store) -> String {
    Archive::from_store(store, now()).unwrap().to_json()
}

#[test]
fn daily_copies_are_made_once_a_day_and_the_last_n_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let day = |d: i64| now() + Duration::days(d);
    assert!(
        backup::daily_backup(&store, day(0)).unwrap().is_none(),
        "an empty store is not copied"
    );
    load(&mut store, "first", 5);

    for d in 0..9 {
        let made = backup::daily_backup(&store, day(d)).unwrap().unwrap();
        assert_eq!(made.kind, BackupKind::Daily);
        assert!(
            backup::daily_backup(&store, day(d) + Duration::hours(3))
                .unwrap()
                .is_none(),
            "one copy a day"
        );
    }
    let kept = names(&path, BackupKind::Daily);
    assert_eq!(kept.len(), 7, "seven by default: {kept:?}");
    assert_eq!(kept[0], "kith-daily-2026-11-30.sqlite3", "newest first");
    assert_eq!(kept[6], "kith-daily-2026-11-24.sqlite3");

    store.set_setting(backup::KEEP_SETTING, &3u32).unwrap();
    backup::daily_backup(&store, day(9)).unwrap().unwrap();
    assert_eq!(
        names(&path, BackupKind::Daily),
        [
            "kith-daily-2026-12-01.sqlite3",
            "kith-daily-2026-11-30.sqlite3",
            "kith-daily-2026-11-29.sqlite3"
        ]
    );
    // Each copy is a whole store on its own: no -wal beside it, rollback-journal mode.
    let copy = dir.path().join("backups/kith-daily-2026-12-01.sqlite3");
    assert!(!dir
        .path()
        .join("backups/kith-daily-2026-12-01.sqlite3-wal")
        .exists());
    assert_eq!(std::fs::read(&copy).unwrap()[18], 1, "not marked as WAL");
    assert_eq!(
        backup::inspect_backup(&copy, None).unwrap().stats,
        Stats {
            contacts: 2,
            interactions: 5,
            events: 1
        }
    );
}

#[test]
fn opening_a_store_that_holds_something_makes_todays_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = filled_store(dir.path());
    drop(store);
    assert!(
        names(&path, BackupKind::Daily).is_empty(),
        "the store was empty when it was opened"
    );
    let store = Store::open(&path).unwrap();
    let today = Utc::now().date_naive().format("%Y-%m-%d").to_string();
    assert_eq!(
        names(&path, BackupKind::Daily),
        [format!("kith-daily-{today}.sqlite3")]
    );
    drop(store);
    Store::open(&path).unwrap();
    assert_eq!(names(&path, BackupKind::Daily).len(), 1);
}

#[test]
fn an_upgrade_first_copies_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    Connection::open(&path).unwrap().execute_batch(V1).unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), CURRENT_VERSION);

    let copies: Vec<_> = backup::list_backups(&path)
        .unwrap()
        .into_iter()
        .filter(|b| b.kind == BackupKind::BeforeMigration)
        .collect();
    assert_eq!(copies.len(), 1);
    assert!(
        copies[0].name.starts_with("old-before-migration-v1-"),
        "{}",
        copies[0].name
    );
    let old = read_only(Path::new(&copies[0].path));
    let version: i64 = old
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1, "the copy holds the store as it was");
    let settings: i64 = old
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'settings'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(settings, 0, "the copy has not been upgraded");
    assert_eq!(marked(&old, "prediction"), 1);

    // Opening the upgraded store again copies nothing more.
    drop(store);
    Store::open(&path).unwrap();
    assert_eq!(names(&path, BackupKind::BeforeMigration).len(), 1);
}

#[test]
fn a_committed_import_first_copies_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = filled_store(dir.path());
    let file = dir.path().join("second.json");
    std::fs::write(&file, archive("second", 30)).unwrap();
    let opts = ImportOptions::default();

    let preview = import::preview(&mut store, &file, &opts, now(), &mut |_| true).unwrap();
    assert!(!preview.committed);
    assert!(
        names(&path, BackupKind::BeforeImport).is_empty(),
        "a preview changes nothing and is not backed up"
    );

    let outcome = import::import(&mut store, &file, &opts, now(), &mut |_| true).unwrap();
    assert_eq!(outcome.report.interactions_added, 30);
    let copies = names(&path, BackupKind::BeforeImport);
    assert_eq!(copies, ["kith-before-import-20261122T101500Z.sqlite3"]);
    let copy = dir.path().join("backups").join(&copies[0]);
    let old = read_only(&copy);
    assert_eq!(marked(&old, "first"), 20, "the copy holds the data before");
    assert_eq!(marked(&old, "second"), 0, "and none of the import");
    assert_eq!(marked(store.connection(), "second"), 30);

    // A file that fails to parse writes nothing and copies nothing.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"contacts\": [{\"name\": 1}]}").unwrap();
    import::import(&mut store, &bad, &opts, now(), &mut |_| true).unwrap_err();
    assert_eq!(names(&path, BackupKind::BeforeImport).len(), 1);

    // Only the last `backup.keep` are kept; imports in the same second get numbered names.
    store.set_setting(backup::KEEP_SETTING, &2u32).unwrap();
    for marker in ["third", "fourth", "fifth"] {
        let f = dir.path().join(format!("{marker}.json"));
        std::fs::write(&f, archive(marker, 3)).unwrap();
        import::import(&mut store, &f, &opts, now(), &mut |_| true).unwrap();
    }
    assert_eq!(
        names(&path, BackupKind::BeforeImport),
        [
            "kith-before-import-20261122T101500Z-4.sqlite3",
            "kith-before-import-20261122T101500Z-3.sqlite3"
        ]
    );
    let newest = read_only(
        &dir.path()
            .join("backups")
            .join("kith-before-import-20261122T101500Z-4.sqlite3"),
    );
    assert_eq!(
        (marked(&newest, "fourth"), marked(&newest, "fifth")),
        (3, 0)
    );
}

#[test]
fn an_empty_or_in_memory_store_is_not_copied_before_an_import() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("net.json");
    std::fs::write(&file, archive("net", 3)).unwrap();
    let opts = ImportOptions::default();

    let path = dir.path().join("kith.sqlite3");
    let mut store = Store::open(&path).unwrap();
    import::import(&mut store, &file, &opts, now(), &mut |_| true).unwrap();
    assert!(backup::list_backups(&path).unwrap().is_empty());

    let mut memory = Store::open_in_memory().unwrap();
    load(&mut memory, "first", 2);
    import::import(&mut memory, &file, &opts, now(), &mut |_| true).unwrap();
    assert_eq!(memory.stats().unwrap().interactions, 5);
    let err = backup::backup_now(&memory, None, now()).unwrap_err();
    assert_eq!(err.code(), "invalid_input", "{err}");
}

#[test]
fn a_restore_brings_back_exactly_what_was_backed_up() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = filled_store(dir.path());
    store
        .set_setting("import.my_emails", &["me@example.org"])
        .unwrap();
    let before = export(&store);
    let copy = backup::backup_now(&store, None, now()).unwrap();
    assert_eq!(copy.kind, BackupKind::Manual);
    assert_eq!(copy.name, "kith-manual-20261122T101500Z.sqlite3");

    load(&mut store, "later", 40);
    store
        .set_setting("import.my_emails", &["other@example.org"])
        .unwrap();
    let changed = export(&store);
    assert_ne!(before, changed);

    // The store stays open, as the app would keep it, while the backup is copied in.
    let outcome = backup::restore(
        &path,
        Path::new(&copy.path),
        None,
        now() + Duration::minutes(5),
    )
    .unwrap();
    assert!(!outcome.replaced_damaged_store);
    assert_eq!(outcome.stats, store.stats().unwrap());
    assert_eq!(
        export(&store),
        before,
        "the open store sees the restored data"
    );
    let emails: Vec<String> = store.setting("import.my_emails").unwrap().unwrap();
    assert_eq!(emails, ["me@example.org"], "settings come back too");
    drop(store);

    let reopened = Store::open(&path).unwrap();
    assert_eq!(export(&reopened), before);
    let check: String = reopened
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let mode: String = reopened
        .connection()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");

    // What was replaced was kept first.
    let kept = outcome.before_restore.unwrap();
    assert_eq!(kept.kind, BackupKind::BeforeRestore);
    assert_eq!(kept.name, "kith-before-restore-20261122T102000Z.sqlite3");
    assert_eq!(marked(&read_only(Path::new(&kept.path)), "later"), 40);
    drop(reopened);
    backup::restore(&path, Path::new(&kept.path), None, now()).unwrap();
    assert_eq!(export(&Store::open(&path).unwrap()), changed);
}

#[test]
fn a_backup_from_an_older_kith_is_upgraded_when_restored() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = filled_store(dir.path());
    let old = dir.path().join("from-v1.sqlite3");
    Connection::open(&old).unwrap().execute_batch(V1).unwrap();
    assert_eq!(
        backup::inspect_backup(&old, None).unwrap().schema_version,
        1
    );
    drop(store);

    let outcome = backup::restore(&path, &old, None, now()).unwrap();
    assert_eq!(outcome.stats.contacts, 2);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), CURRENT_VERSION);
    assert_eq!(store.contact("c1").unwrap().name, "Aroha Ngata");
}

#[test]
fn a_damaged_store_is_kept_byte_for_byte_and_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = filled_store(dir.path());
    let copy = backup::backup_now(&store, None, now()).unwrap();
    drop(store);
    let garbage = b"this was a store until a disk sector went bad".repeat(200);
    std::fs::write(&path, &garbage).unwrap();
    let _ = std::fs::remove_file(dir.path().join("kith.sqlite3-wal"));
    assert_eq!(Store::open(&path).unwrap_err().code(), "store_corrupt");

    let outcome = backup::restore(&path, Path::new(&copy.path), None, now()).unwrap();
    assert!(outcome.replaced_damaged_store);
    let kept = outcome.before_restore.unwrap();
    assert_eq!(std::fs::read(&kept.path).unwrap(), garbage);
    let store = Store::open(&path).unwrap();
    assert_eq!(marked(store.connection(), "first"), 20);
}

/// The store's files, byte for byte, and its backups, to show a refused restore changed
/// nothing.
fn snapshot(path: &Path) -> (Vec<u8>, Option<Vec<u8>>, Vec<String>) {
    (
        std::fs::read(path).unwrap(),
        std::fs::read(format!("{}-wal", path.display())).ok(),
        backup::list_backups(path)
            .unwrap()
            .into_iter()
            .map(|b| b.name)
            .collect(),
    )
}

#[test]
fn files_that_are_not_readable_kith_stores_are_refused_and_the_store_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = filled_store(dir.path());
    let good = backup::backup_now(&store, None, now()).unwrap();
    let good = PathBuf::from(good.path);
    drop(store);
    let before = snapshot(&path);

    let other = dir.path().join("other.sqlite3");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE photos (id INTEGER PRIMARY KEY, caption TEXT);")
        .unwrap();

    let almost = dir.path().join("almost.sqlite3");
    Connection::open(&almost)
        .unwrap()
        .execute_batch("CREATE TABLE contacts (id); PRAGMA user_version = 2;")
        .unwrap();

    let corrupt = dir.path().join("corrupt.sqlite3");
    let mut bytes = std::fs::read(&good).unwrap();
    let page = 4096;
    assert!(bytes.len() > 4 * page);
    let end = bytes.len() - page;
    for (i, b) in bytes[page..end].iter_mut().enumerate() {
        *b = (i % 251) as u8;
    }
    std::fs::write(&corrupt, &bytes).unwrap();

    let newer = dir.path().join("newer.sqlite3");
    std::fs::copy(&good, &newer).unwrap();
    Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", CURRENT_VERSION + 1)
        .unwrap();

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database at all, just some notes\n").unwrap();
    let empty = dir.path().join("empty.sqlite3");
    std::fs::write(&empty, "").unwrap();
    let missing = dir.path().join("missing.sqlite3");

    for (file, code, says) in [
        (&other, "store_corrupt", "not a Kith store"),
        (&almost, "store_corrupt", "has no handles"),
        (&corrupt, "store_corrupt", "nothing was restored"),
        (&newer, "store_too_new", "newer Kith"),
        (
            &text,
            "store_corrupt",
            "does not start like an SQLite database",
        ),
        (&empty, "store_corrupt", "empty"),
        (&missing, "io", "missing.sqlite3"),
    ] {
        let err = backup::restore(&path, file, None, now()).unwrap_err();
        let message = err.to_string();
        assert_eq!(err.code(), code, "{}: {message}", file.display());
        assert!(
            message.contains(&file.display().to_string()),
            "the message names the file: {message}"
        );
        assert!(message.contains(says), "{message}");
        assert_eq!(snapshot(&path), before, "{}", file.display());
    }
    let err = backup::restore(&path, &path, None, now()).unwrap_err();
    assert_eq!(err.code(), "invalid_input", "{err}");
    assert_eq!(snapshot(&path), before);
    assert_eq!(
        marked(Store::open(&path).unwrap().connection(), "first"),
        20
    );
}

#[test]
fn a_backup_to_a_named_file_never_overwrites_one() {
    let dir = tempfile::tempdir().unwrap();
    let (_, store) = filled_store(dir.path());
    let out = dir.path().join("elsewhere").join("mine.sqlite3");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let made = backup::backup_now(&store, Some(&out), now()).unwrap();
    assert_eq!(made.name, "mine.sqlite3");
    assert_eq!(
        backup::inspect_backup(&out, None)
            .unwrap()
            .stats
            .interactions,
        20
    );
    let err = backup::backup_now(&store, Some(&out), now()).unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("already exists"), "{err}");
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["mine.sqlite3"], "no partial file is left");
}

#[test]
fn the_daily_copy_can_be_made_beside_a_connection_that_keeps_working() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = filled_store(dir.path());
    drop(store);
    for b in backup::list_backups(&path).unwrap() {
        std::fs::remove_file(&b.path).unwrap();
    }

    // The app's way: open without the day's copy, then make it on a connection of its own.
    let mut app = Store::open_leaving_daily_backup(&path, None).unwrap();
    assert!(
        names(&path, BackupKind::Daily).is_empty(),
        "not made on open"
    );
    let copier = std::thread::spawn({
        let path = path.clone();
        move || {
            let copier = Store::open_leaving_daily_backup(&path, None).unwrap();
            backup::daily_backup(&copier, now()).unwrap()
        }
    });
    // The app writes meanwhile; nothing waits for "database is locked".
    load(&mut app, "during", 5);
    let made = copier.join().unwrap().expect("a copy was made");
    assert_eq!(made.kind, BackupKind::Daily);
    let held = backup::inspect_backup(Path::new(&made.path), None)
        .unwrap()
        .stats;
    assert!(
        held.interactions == 20 || held.interactions == 25,
        "a consistent snapshot, before or after the write: {held:?}"
    );
    assert!(
        backup::daily_backup(&app, now()).unwrap().is_none(),
        "once a day"
    );
    assert_eq!(app.stats().unwrap().interactions, 25);
}
