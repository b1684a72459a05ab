//! `kith backup`, `kith backups` and `kith restore` on a real store file.

mod common;

use common::{fails, json, ok};
use std::path::Path;

const NETWORK: &str = r##"{"format": "kith-archive", "version": 1,
 "contacts": [{"id": "c1", "name": "Aroha Ngata", "roles": ["mentor"],
               "handles": {"twitter": "@arohareads"}, "private_notes": "Restructure at work"},
              {"id": "c2", "name": "Ben Kowalski", "roles": ["peer"]}],
 "interactions": [{"id": "i1", "contact_ids": ["c1"], "channel": "twitter", "direction": "outbound",
                   "occurred_at": "2026-09-01T10:00:00Z", "text": "Koha serials question"}],
 "events": [{"id": "e1", "name": "LIANZA", "starts_on": "2026-12-01", "attendee_ids": ["c1"]}]}"##;

/// A store holding the network above.
fn store(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("kith.sqlite3");
    let file = dir.join("network.json");
    std::fs::write(&file, NETWORK).unwrap();
    ok(&db, &["import", file.to_str().unwrap()]);
    db
}

/// The full archive, without the moment it was exported.
fn archive(db: &Path) -> serde_json::Value {
    let mut a = json(db, &["export", "--format", "json", "--include-private"]);
    a.as_object_mut().unwrap().remove("exported_at");
    a
}

fn log(db: &Path, text: &str) {
    ok(
        db,
        &["log", "--contact", "Aroha", "--channel", "email", text],
    );
}

#[test]
fn a_manual_backup_is_listed_and_restores_the_store_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(dir.path());
    let before = archive(&db);

    let said = ok(&db, &["backup"]);
    assert!(said.starts_with("Backed up to "), "{said}");
    let path = said
        .trim()
        .strip_prefix("Backed up to ")
        .unwrap()
        .rsplit_once(" (")
        .unwrap()
        .0
        .to_string();
    assert!(Path::new(&path).is_file(), "{path}");
    assert!(path.starts_with(dir.path().join("backups").to_str().unwrap()));

    let listed = json(&db, &["backups", "--json"]);
    let manual: Vec<&serde_json::Value> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["kind"] == "manual")
        .collect();
    assert_eq!(manual.len(), 1, "{listed}");
    assert_eq!(manual[0]["path"], path.as_str());
    assert!(manual[0]["size_bytes"].as_u64().unwrap() > 0);
    let table = ok(&db, &["backups"]);
    let name = manual[0]["name"].as_str().unwrap();
    assert!(
        table
            .lines()
            .any(|l| l.starts_with(name) && l.contains("manual")),
        "{table}"
    );

    log(&db, "after the backup");
    assert_ne!(archive(&db), before);

    // A script cannot restore without saying so.
    let refused = fails(&db, &["restore", &path]);
    assert!(refused.contains("--yes"), "{refused}");
    assert!(refused.contains("Nothing was restored"), "{refused}");
    assert_eq!(
        json(&db, &["stats", "--json"])["interactions"],
        2,
        "nothing changed"
    );

    // The name from `kith backups` is enough.
    let said = ok(&db, &["restore", name, "--yes"]);
    assert!(said.contains("The store as it was is kept in"), "{said}");
    assert!(said.contains("1 interactions"), "{said}");
    assert_eq!(archive(&db), before);

    let after = json(&db, &["backups", "--json"]);
    assert!(
        after
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["kind"] == "before_restore"),
        "{after}"
    );
}

#[test]
fn a_backup_to_a_named_file_is_written_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(dir.path());
    let out = dir.path().join("copy.sqlite3");
    let said = ok(&db, &["backup", "--out", out.to_str().unwrap()]);
    assert!(said.contains(out.to_str().unwrap()), "{said}");
    assert!(out.is_file());
    let err = fails(&db, &["backup", "--out", out.to_str().unwrap()]);
    assert!(err.contains("already exists"), "{err}");

    // The copy is a store of its own.
    assert_eq!(
        json(&out, &["stats", "--json"]),
        serde_json::json!({"contacts": 2, "interactions": 1, "events": 1})
    );
}

#[test]
fn a_file_that_is_not_a_kith_store_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(dir.path());
    let before = archive(&db);
    let notes = dir.path().join("notes.sqlite3");
    std::fs::write(&notes, "shopping list: milk, bread\n").unwrap();
    let err = fails(&db, &["restore", notes.to_str().unwrap(), "--yes"]);
    assert!(err.contains(notes.to_str().unwrap()), "{err}");
    assert!(err.contains("not a readable Kith store"), "{err}");
    let missing = fails(
        &db,
        &["restore", "kith-manual-20990101T000000Z.sqlite3", "--yes"],
    );
    assert!(
        missing.contains("kith-manual-20990101T000000Z.sqlite3"),
        "{missing}"
    );
    assert_eq!(archive(&db), before);
    assert!(
        json(&db, &["backups", "--json"])
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["kind"] != "before_restore"),
        "a refused restore keeps no copy: nothing was replaced"
    );
}

#[test]
fn a_damaged_store_can_be_restored_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(dir.path());
    let before = archive(&db);
    let out = dir.path().join("safe.sqlite3");
    ok(&db, &["backup", "--out", out.to_str().unwrap()]);

    std::fs::write(&db, "overwritten by something else entirely").unwrap();
    let err = fails(&db, &["stats"]);
    assert!(err.contains("not a readable Kith store"), "{err}");
    // Listing still works on a store that cannot be opened.
    ok(&db, &["backups"]);

    let said = ok(&db, &["restore", out.to_str().unwrap(), "--yes"]);
    assert!(said.contains("could not be read as a database"), "{said}");
    assert_eq!(archive(&db), before);
}

#[test]
fn an_import_leaves_a_copy_of_the_store_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(dir.path());
    let more = dir.path().join("more.json");
    std::fs::write(
        &more,
        r#"{"contacts": [{"id": "c9", "name": "Mere Tane"}],
            "interactions": [{"id": "i9", "contact_ids": ["c9"], "channel": "email",
                              "direction": "inbound", "occurred_at": "2026-10-01T10:00:00Z"}]}"#,
    )
    .unwrap();
    ok(&db, &["import", more.to_str().unwrap(), "--dry-run"]);
    ok(&db, &["import", more.to_str().unwrap()]);
    let listed = json(&db, &["backups", "--json"]);
    let copies: Vec<&serde_json::Value> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["kind"] == "before_import")
        .collect();
    assert_eq!(copies.len(), 1, "the dry run made none: {listed}");
    let copy = copies[0]["path"].as_str().unwrap();
    assert_eq!(
        json(Path::new(copy), &["stats", "--json"])["contacts"],
        2,
        "the copy is the store before the import"
    );
}

#[test]
fn the_number_of_copies_kept_is_a_setting_that_prunes_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(dir.path());
    // Five imports of new people leave five before-import copies.
    for n in 0..5 {
        let file = dir.path().join(format!("more-{n}.json"));
        std::fs::write(
            &file,
            format!(r#"{{"contacts": [{{"id": "m{n}", "name": "Person {n}"}}]}}"#),
        )
        .unwrap();
        ok(&db, &["import", file.to_str().unwrap()]);
    }
    let count = |db: &Path| {
        json(db, &["backups", "--json"])
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["kind"] == "before_import")
            .count()
    };
    assert_eq!(count(&db), 5);

    let out = common::kith(&db, &["backups", "--keep", "2"]);
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("Keeping the last 2"), "{said}");
    assert!(said.contains("3 older copies removed"), "{said}");
    assert_eq!(count(&db), 2, "the oldest three are gone");

    // The setting holds for the next import.
    let file = dir.path().join("one-more.json");
    std::fs::write(&file, r#"{"contacts": [{"id": "z", "name": "Last One"}]}"#).unwrap();
    ok(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(count(&db), 2);

    let refused = fails(&db, &["backups", "--keep", "0"]);
    assert!(refused.contains("between 1 and 365"), "{refused}");
}
