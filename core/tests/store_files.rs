//! The files beside a store: each store's backups are its own, even when stores share a folder;
//! every file holding notes is its owner's alone; what an interrupted job left is tidied on the
//! next open; and files that only look like locked stores are called what they are.

use chrono::{DateTime, TimeZone, Utc};
use kith_core::archive::Archive;
use kith_core::backup::{self, BackupKind};
use kith_core::passphrase::{change_passphrase, Passphrase};
use kith_core::Store;
use std::path::{Path, PathBuf};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 30, 0)
        .single()
        .unwrap()
}

fn load(store: &mut Store, marker: &str) {
    let archive = serde_json::json!({
        "format": "kith-archive", "version": 1,
        "contacts": [{"id": format!("{marker}-a"), "name": format!("{marker} Aroha"),
                      "notes": format!("notes of {marker}")}],
        "interactions": [{"id": format!("{marker}-i"), "contact_ids": [format!("{marker}-a")],
                          "channel": "email", "direction": "inbound",
                          "occurred_at": "2026-03-01T10:00:00Z", "text": marker}],
    })
    .to_string();
    store
        .import_archive(Archive::parse(&archive, "test").unwrap(), now())
        .unwrap();
}

/// A closed store at `dir/name` holding one contact named after `marker`.
fn store(dir: &Path, name: &str, marker: &str) -> PathBuf {
    let path = dir.join(name);
    let mut s = Store::open(&path).unwrap();
    load(&mut s, marker);
    path
}

fn names(store: &Path) -> Vec<String> {
    backup::list_backups(store)
        .unwrap()
        .into_iter()
        .map(|b| b.name)
        .collect()
}

fn holds(file: &Path, marker: &str) -> bool {
    let bytes = std::fs::read(file).unwrap();
    bytes.windows(marker.len()).any(|w| w == marker.as_bytes())
}

#[test]
fn stores_sharing_a_folder_each_keep_their_own_backups() {
    let dir = tempfile::tempdir().unwrap();
    let a = store(dir.path(), "kith.sqlite3", "Alpha");
    let b = store(dir.path(), "work.sqlite3", "Bravo");
    // The day's first open of each makes that store's own daily copy.
    drop(Store::open(&a).unwrap());
    drop(Store::open(&b).unwrap());
    let (a_names, b_names) = (names(&a), names(&b));
    assert_eq!(a_names, ["kith-daily-".to_string() + &today() + ".sqlite3"]);
    assert_eq!(b_names, ["work-daily-".to_string() + &today() + ".sqlite3"]);
    for info in backup::list_backups(&b).unwrap() {
        assert!(holds(Path::new(&info.path), "Bravo"), "{}", info.name);
        assert!(!holds(Path::new(&info.path), "Alpha"), "{}", info.name);
    }

    // Keeping one copy of B removes none of A's.
    let mut sb = Store::open(&b).unwrap();
    backup::backup_now(&sb, None, now()).unwrap();
    backup::set_keep_count(&mut sb, 1).unwrap();
    drop(sb);
    assert_eq!(names(&a), a_names);

    // Restoring B from its latest copy gives B's network back, not A's.
    let latest = backup::list_backups(&b).unwrap()[0].path.clone();
    let restored = backup::restore(&b, Path::new(&latest), None, now()).unwrap();
    assert_eq!(restored.stats.contacts, 1);
    let sb = Store::open(&b).unwrap();
    assert_eq!(
        sb.list_contacts(&Default::default()).unwrap()[0].name,
        "Bravo Aroha"
    );
    drop(sb);

    // A passphrase on B locks B's copies and leaves A's as they were.
    let a_before: Vec<Vec<u8>> = backup::list_backups(&a)
        .unwrap()
        .iter()
        .map(|i| std::fs::read(&i.path).unwrap())
        .collect();
    let key = Passphrase::new_to_set("a long passphrase").unwrap();
    let change = change_passphrase(&b, None, Some(&key)).unwrap();
    assert_eq!(change.backups_changed as usize, names(&b).len());
    let a_after: Vec<Vec<u8>> = backup::list_backups(&a)
        .unwrap()
        .iter()
        .map(|i| std::fs::read(&i.path).unwrap())
        .collect();
    assert_eq!(a_before, a_after);
    Store::open(&a).unwrap();
}

fn today() -> String {
    Utc::now().format("%Y-%m-%d").to_string()
}

#[cfg(unix)]
#[test]
fn the_store_its_log_and_its_backups_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new folder/kith.sqlite3");
    let mut s = Store::open(&path).unwrap();
    load(&mut s, "Private");
    backup::backup_now(&s, None, now()).unwrap();
    let folder = path.parent().unwrap();
    assert_eq!(mode(folder), 0o700, "the store's new folder");
    assert_eq!(mode(&path), 0o600, "the store");
    for suffix in ["-wal", "-shm", ".lock"] {
        let p = PathBuf::from(format!("{}{suffix}", path.display()));
        assert_eq!(mode(&p), 0o600, "{}", p.display());
    }
    assert_eq!(mode(&folder.join("backups")), 0o700, "the backups folder");
    for info in backup::list_backups(&path).unwrap() {
        assert_eq!(mode(Path::new(&info.path)), 0o600, "{}", info.name);
    }
    let out = dir.path().join("copy.sqlite3");
    backup::backup_now(&s, Some(&out), now()).unwrap();
    assert_eq!(mode(&out), 0o600, "a copy written to a named file");
    drop(s);

    // A store an earlier Kith made readable by everyone is made private when it is opened.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    drop(Store::open(&path).unwrap());
    assert_eq!(mode(&path), 0o600);

    // Re-keyed files too.
    let key = Passphrase::new_to_set("a long passphrase").unwrap();
    change_passphrase(&path, None, Some(&key)).unwrap();
    assert_eq!(mode(&path), 0o600);
    for info in backup::list_backups(&path).unwrap() {
        assert_eq!(mode(Path::new(&info.path)), 0o600, "{}", info.name);
    }
}

#[test]
fn unfinished_copies_left_by_a_killed_kith_are_removed_on_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = store(dir.path(), "kith.sqlite3", "Leftover");
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    // What a Kith killed while re-keying (no journal yet) or backing up leaves: whole plain
    // copies under hidden names.
    let rekey = dir.path().join(".kith-rekey-0190aaaa.sqlite3");
    let rekey_backup = backups.join(".kith-rekey-0190bbbb.sqlite3");
    let partial = backups.join(".kith-partial-0190cccc.sqlite3");
    // Another store's copy being written in the same folder is not this store's to remove.
    let others = backups.join(".work-partial-0190dddd.sqlite3");
    for f in [&rekey, &rekey_backup, &partial, &others] {
        std::fs::copy(&path, f).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let s = Store::open(&path).unwrap();
    let said = s.tidied_on_open().join(" ");
    assert!(said.contains("before it changed anything"), "{said}");
    assert!(said.contains("unfinished backup"), "{said}");
    for f in [&rekey, &rekey_backup, &partial] {
        assert!(!f.exists(), "{} is still there", f.display());
    }
    assert!(others.exists());
    assert_eq!(s.stats().unwrap().contacts, 1);
    drop(s);
    // Nothing of the store itself changed but what opening it always does.
    assert_eq!(std::fs::read(&path).unwrap().len(), before.len());

    // While another Kith has the store open, a copy may be one it is writing: left alone.
    let app = Store::open(&path).unwrap();
    std::fs::copy(&path, &partial).unwrap();
    let cli = Store::open(&path).unwrap();
    assert!(cli.tidied_on_open().is_empty());
    assert!(partial.exists());
    drop((app, cli));
    assert!(!Store::open(&path).unwrap().tidied_on_open().is_empty());
    assert!(!partial.exists());
}

#[test]
fn a_journal_of_an_interrupted_change_is_finished_before_the_store_is_read() {
    use kith_core::sqlite::recovery::{Folder, Journal, Rename};
    use kith_core::sqlite::StoreFiles;
    let dir = tempfile::tempdir().unwrap();
    let path = store(dir.path(), "kith.sqlite3", "Journal");
    backup::backup_now(&Store::open(&path).unwrap(), None, now()).unwrap();
    // Make the locked copies a change would have written, as another store, then put them
    // where the change writes them and the journal that names them: as if killed just after
    // the journal was written.
    let elsewhere = tempfile::tempdir().unwrap();
    let twin = elsewhere.path().join("kith.sqlite3");
    std::fs::copy(&path, &twin).unwrap();
    std::fs::create_dir_all(elsewhere.path().join("backups")).unwrap();
    for info in backup::list_backups(&path).unwrap() {
        std::fs::copy(
            &info.path,
            elsewhere.path().join("backups").join(&info.name),
        )
        .unwrap();
    }
    let key = Passphrase::new_to_set("a long passphrase").unwrap();
    change_passphrase(&twin, None, Some(&key)).unwrap();
    let files = StoreFiles::new(&path);
    let mut renames = vec![Rename {
        folder: Folder::Store,
        from: ".kith-rekey-01.sqlite3".into(),
        to: "kith.sqlite3".into(),
    }];
    std::fs::copy(&twin, dir.path().join(".kith-rekey-01.sqlite3")).unwrap();
    for (n, info) in backup::list_backups(&path).unwrap().iter().enumerate() {
        let from = format!(".kith-rekey-1{n}.sqlite3");
        std::fs::copy(
            elsewhere.path().join("backups").join(&info.name),
            dir.path().join("backups").join(&from),
        )
        .unwrap();
        renames.push(Rename {
            folder: Folder::Backups,
            from,
            to: info.name.clone(),
        });
    }
    // The first backup had already been moved when the change was killed.
    let first = renames[1].clone();
    std::fs::rename(
        dir.path().join("backups").join(&first.from),
        dir.path().join("backups").join(&first.to),
    )
    .unwrap();
    Journal {
        encrypted: true,
        renames,
    }
    .commit(&files)
    .unwrap();

    let refused = Store::open(&path).unwrap_err();
    assert_eq!(refused.code(), "passphrase_needed", "{refused}");
    assert!(!files.rekey_journal().exists());
    let s = Store::open_with_key(&path, Some(&key)).unwrap();
    assert_eq!(s.stats().unwrap().contacts, 1);
    for info in backup::list_backups(&path).unwrap() {
        assert!(!holds(Path::new(&info.path), "Journal"), "{}", info.name);
        backup::inspect_backup(Path::new(&info.path), Some(&key)).unwrap();
    }
    let hidden: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(hidden.is_empty());

    // A journal naming files that are not this store's copies moves nothing.
    let hostile = Journal {
        encrypted: false,
        renames: vec![Rename {
            folder: Folder::Store,
            from: "../elsewhere.sqlite3".into(),
            to: "kith.sqlite3".into(),
        }],
    };
    hostile.commit(&files).unwrap();
    drop(s);
    let refused = Store::open_with_key(&path, Some(&key)).unwrap_err();
    assert_eq!(refused.code(), "store_unavailable", "{refused}");
    assert!(
        refused.to_string().contains("not a copy of this store"),
        "{refused}"
    );
}

#[test]
fn a_file_of_zeros_is_damaged_not_locked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.sqlite3");
    std::fs::write(&path, vec![0u8; 8192]).unwrap();
    let e = Store::open(&path).unwrap_err();
    assert_eq!(e.code(), "store_corrupt", "{e}");
    assert_eq!(std::fs::read(&path).unwrap(), vec![0u8; 8192]);
    assert!(!kith_core::passphrase::is_locked_file(&path).unwrap());
}

#[test]
fn a_locked_backup_is_not_restored_into_a_plain_store_and_the_store_is_not_called_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let locked_dir = tempfile::tempdir().unwrap();
    let plain = store(dir.path(), "kith.sqlite3", "Plainly");
    let locked = store(locked_dir.path(), "kith.sqlite3", "Locked");
    let key = Passphrase::new_to_set("a long passphrase").unwrap();
    let copy = locked_dir.path().join("copy.sqlite3");
    change_passphrase(&locked, None, Some(&key)).unwrap();
    backup::backup_now(
        &Store::open_with_key(&locked, Some(&key)).unwrap(),
        Some(&copy),
        now(),
    )
    .unwrap();
    let before = std::fs::read(&plain).unwrap();
    let backups_before = names(&plain);
    let e = backup::restore(&plain, &copy, Some(&key), now()).unwrap_err();
    assert_eq!(e.code(), "invalid_input", "{e}");
    let message = e.to_string();
    assert!(
        message.contains("locked with a passphrase but the store"),
        "{message}"
    );
    assert!(!message.contains("damaged"), "{message}");
    assert_eq!(std::fs::read(&plain).unwrap(), before);
    assert_eq!(names(&plain), backups_before);
    assert!(backup::list_backups(&plain)
        .unwrap()
        .iter()
        .all(|b| b.kind != BackupKind::BeforeRestore));
}
