//! The real `kith` refuses more than 1 MB of text in one field, from a file or typed, naming
//! the file, the record and the field, and leaves the store as it was.

mod common;

use chrono::{TimeZone, Utc};
use common::{fails, json, ok};
use kith_core::export::{self, ExportFormat, ExportInput, ExportOptions};
use kith_core::store::Records;
use kith_core::{Contact, Store};
use std::path::Path;

/// The store as a Kith archive, without its export time.
fn everything(db: &Path, dir: &Path) -> String {
    let out = dir.join("everything.json");
    ok(
        db,
        &[
            "export",
            "--format",
            "json",
            "--force",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let start = text.find("\"exported_at\": \"").expect("an export time") + 16;
    let end = start + text[start..].find('"').unwrap();
    format!("{}{}", &text[..start], &text[end..])
}

fn contact(id: &str, name: &str, notes: &str) -> Contact {
    let now = Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
    Contact {
        id: id.into(),
        name: name.into(),
        handles: Vec::new(),
        organisation: String::new(),
        location: String::new(),
        met_where: String::new(),
        met_on: None,
        met_through: String::new(),
        notes: notes.into(),
        private_notes: String::new(),
        tags: Vec::new(),
        expertise: Vec::new(),
        roles: Vec::new(),
        cadence_days: None,
        dates: Vec::new(),
        created_at: now,
        updated_at: now,
    }
}

#[test]
fn a_note_file_of_three_megabytes_is_refused_naming_the_file_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kith.sqlite3");
    let now = Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
    {
        let mut store = Store::open(&db).unwrap();
        store
            .import_records(
                Records {
                    contacts: vec![contact("ana", "Ana Lima", "Runs the serials desk")],
                    ..Records::default()
                },
                "setup",
                now,
            )
            .unwrap();
    }
    // Cy's note as Kith writes it, with three megabytes pasted into the notes.
    let cy = [contact("cy", "Cy Tam", "NOTESGOHERE")];
    let out = export::render(
        ExportFormat::Markdown,
        &ExportInput {
            contacts: &cy,
            interactions: &[],
            events: &[],
            todos: &[],
            now,
        },
        &ExportOptions::default(),
    )
    .unwrap();
    let note = dir.path().join("Cy Tam.md");
    let text = String::from_utf8(out.files[0].bytes.clone()).unwrap();
    std::fs::write(
        &note,
        text.replace("NOTESGOHERE", &"pasted ".repeat(450_000)),
    )
    .unwrap();

    let before = everything(&db, dir.path());
    let err = fails(&db, &["import", note.to_str().unwrap()]);
    assert!(err.contains("Cy Tam.md"), "no file in: {err}");
    assert!(
        err.contains("(Cy Tam, id \"cy\"), field notes"),
        "no contact and field in: {err}"
    );
    assert!(
        err.contains("notes is 3,1") && err.contains("at most 1,048,576 bytes"),
        "{err}"
    );
    assert!(!err.contains("database error"), "{err}");
    assert_eq!(everything(&db, dir.path()), before, "the store changed");
    assert_eq!(json(&db, &["stats", "--json"])["contacts"], 1);
}

#[test]
fn kith_log_refuses_a_body_over_a_megabyte_and_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kith.sqlite3");
    ok(&db, &["demo"]);
    let before = everything(&db, dir.path());
    let contacts = json(&db, &["contacts", "--json"]);
    let name = contacts[0]["name"].as_str().unwrap().to_string();
    // One argument may be at most 128 KB; the words are joined with spaces.
    let word = "w".repeat(110_000);
    let words = |n: usize| vec![word.as_str(); n];
    let mut args = vec!["log", "--contact", &name, "--channel", "email"];
    args.extend(words(10));
    let err = fails(&db, &args);
    assert!(
        err.contains("text is 1,100,009 bytes long") && err.contains("at most 1,048,576 bytes"),
        "{err}"
    );
    assert_eq!(everything(&db, dir.path()), before, "the store changed");

    // Under the limit, it is logged.
    let mut args = vec!["log", "--contact", &name, "--channel", "email"];
    args.extend(words(9));
    ok(&db, &args);
}
