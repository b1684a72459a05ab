//! The import preview names the people it shows, also those already in the store.

#[path = "import_support.rs"]
mod support;

use kith_core::import::{self, ImportOptions};
use kith_core::Store;
use support::*;

#[test]
fn preview_examples_name_people_already_known() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let people = dir.path().join("people.json");
    std::fs::write(
        &people,
        r#"{"format": "kith-archive", "version": 1, "contacts": [{"id": "c-ana", "name": "Ana Ruiz"}]}"#,
    )
    .unwrap();
    import_file(&mut store, &people).unwrap();
    let talk = dir.path().join("talk.json");
    std::fs::write(
        &talk,
        r#"{"format": "kith-archive", "version": 1, "contacts": [],
            "interactions": [{"id": "i1", "contact_ids": ["c-ana"], "channel": "email",
              "direction": "outbound", "occurred_at": "2026-01-10T10:00:00Z", "text": "Koha notes"}]}"#,
    )
    .unwrap();
    let preview = import::preview(
        &mut store,
        &talk,
        &ImportOptions::default(),
        now(),
        &mut |_| true,
    )
    .unwrap();
    let examples = preview.examples.join("\n");
    assert!(examples.contains("with Ana Ruiz"), "{examples}");
    assert!(!examples.contains("c-ana"), "{examples}");
}
