//! `kith export --format json` then `kith import` into a new store gives back the same
//! network: the archive is a backup, restored by id, whatever its people share.

mod common;

use chrono::{TimeZone, Utc};
use common::{json, ok};
use kith_core::store::Records;
use kith_core::synth::{self, Size};
use kith_core::{Contact, Handle, Platform, Store};
use std::path::Path;

/// The archive's text without its export time.
fn without_export_time(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let start = text.find("\"exported_at\": \"").expect("an export time") + 16;
    let end = start + text[start..].find('"').unwrap();
    format!("{}{}", &text[..start], &text[end..])
}

#[test]
fn an_exported_archive_imported_into_a_new_store_exports_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kith.sqlite3");
    let now = Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
    {
        let mut store = Store::open(&db).unwrap();
        store
            .load_synth(synth::scaled(Size::Busy, 50, now), now)
            .unwrap();
        // Two people who answer the same inbox, kept apart.
        let desk = |id: &str, name: &str| Contact {
            id: id.into(),
            name: name.into(),
            handles: vec![Handle {
                platform: Platform::Email,
                value: "desk@library.example".into(),
            }],
            organisation: String::new(),
            location: String::new(),
            met_where: String::new(),
            met_on: None,
            met_through: String::new(),
            notes: format!("{name} at the reference desk"),
            private_notes: String::new(),
            tags: Vec::new(),
            expertise: Vec::new(),
            roles: Vec::new(),
            cadence_days: None,
            dates: Vec::new(),
            created_at: now,
            updated_at: now,
        };
        store
            .import_records(
                Records {
                    contacts: vec![desk("ana", "Ana Lima"), desk("ben", "Ben Okafor")],
                    ..Records::default()
                },
                "setup",
                now,
            )
            .unwrap();
        store.mark_not_duplicates("ana", "ben").unwrap();
    }
    let first = dir.path().join("first.json");
    ok(
        &db,
        &[
            "export",
            "--format",
            "json",
            "--out",
            first.to_str().unwrap(),
        ],
    );

    let copy = dir.path().join("copy.sqlite3");
    ok(&copy, &["import", first.to_str().unwrap()]);
    assert_eq!(
        json(&copy, &["stats", "--json"]),
        json(&db, &["stats", "--json"])
    );
    assert_eq!(json(&copy, &["stats", "--json"])["contacts"], 102);
    let second = dir.path().join("second.json");
    ok(
        &copy,
        &[
            "export",
            "--format",
            "json",
            "--out",
            second.to_str().unwrap(),
        ],
    );
    assert!(
        without_export_time(&second) == without_export_time(&first),
        "the restored store's archive differs from the one it was restored from"
    );
}
